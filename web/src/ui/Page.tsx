import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

const SITE = 'ナースセンター';
let firstPage = true;

/**
 * A page with its <h1>. Sets the document title, and after an in-app
 * navigation moves the focus to the heading so screen-reader users hear
 * where they are.
 */
export function Page({ title, docTitle, lead, children, wide }: {
  title: string;
  /** Full document title when it should not be "<title>｜ナースセンター". */
  docTitle?: string;
  lead?: ComponentChildren;
  children?: ComponentChildren;
  wide?: boolean;
}) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    document.title = docTitle ?? `${title}｜${SITE}`;
    if (firstPage) { firstPage = false; return; }
    h1.current?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [title]);
  return (
    <div class={`page${wide ? ' page-wide' : ''}`}>
      <h1 class="page-title" ref={h1} tabIndex={-1}>{title}</h1>
      {lead && <p class="page-lead">{lead}</p>}
      {children}
    </div>
  );
}
