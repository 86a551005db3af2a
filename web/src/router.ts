// A minimal client-side router on the History API. Routes are matched in
// routes.tsx; this module only tracks the location and offers navigate/Link.
import { h, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Loc = { path: string; search: string; hash: string };

function current(): Loc {
  return { path: location.pathname, search: location.search, hash: location.hash };
}

const listeners = new Set<() => void>();
function emit() { listeners.forEach((fn) => fn()); }
addEventListener('popstate', emit);

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === location.pathname + location.search + location.hash) { emit(); return; }
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  emit();
}

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const fn = () => setLoc(current());
    listeners.add(fn);
    return () => { listeners.delete(fn); };
  }, []);
  return loc;
}

export function queryParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

/** The current in-app address, for "come back here after login". */
export function here(): string {
  return location.pathname + location.search;
}

/** Only same-origin, in-app paths are accepted as a return address. */
export function safeNext(next: string | null | undefined, fallback = '/home'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/login')) return fallback;
  return next;
}

type LinkProps = JSX.HTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren };

/** An anchor that navigates in-app for plain left clicks. */
export function Link(props: LinkProps) {
  const { href, onClick, ...rest } = props;
  const click = (e: JSX.TargetedMouseEvent<HTMLAnchorElement>) => {
    if (onClick) (onClick as any)(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (!href.startsWith('/') || href.startsWith('//')) return;
    e.preventDefault();
    navigate(href);
  };
  return h('a', { ...rest, href, onClick: click });
}

export type Params = Record<string, string>;

/** Matches "/people/:id/audit" against a path; returns params or null. */
export function matchPath(pattern: string, path: string): Params | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      try { params[p[i].slice(1)] = decodeURIComponent(s[i]); } catch { return null; }
    } else if (p[i] !== s[i]) return null;
  }
  return params;
}
