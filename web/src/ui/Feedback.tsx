// Toasts, empty states, spinners and the global progress bar.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onActivity } from '../api';

type Toast = { id: number; text: string; kind: 'info' | 'success' | 'error' };
let toasts: Toast[] = [];
let nextId = 1;
const subs = new Set<() => void>();
const notify = () => subs.forEach((fn) => fn());

/** Shows a short message in the toast region (announced politely). */
export function toast(text: string, kind: Toast['kind'] = 'success', ms = 6000) {
  const t = { id: nextId++, text, kind };
  toasts = [...toasts, t];
  notify();
  setTimeout(() => dismiss(t.id), ms);
}
function dismiss(id: number) { toasts = toasts.filter((t) => t.id !== id); notify(); }

export function Toaster() {
  const [, force] = useState(0);
  useEffect(() => {
    const fn = () => force((n) => n + 1);
    subs.add(fn);
    return () => { subs.delete(fn); };
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite" aria-atomic="false">
      {toasts.map((t) => (
        <div class={`toast toast-${t.kind}`} key={t.id}>
          <span>{t.text}</span>
          <button type="button" class="toast-close" onClick={() => dismiss(t.id)} aria-label="このお知らせを閉じる">×</button>
        </div>
      ))}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        <rect x="8" y="10" width="32" height="28" rx="4" fill="none" stroke="currentColor" stroke-width="2.5" />
        <path d="M8 20h32" stroke="currentColor" stroke-width="2.5" />
      </svg>
      <p class="empty-title">{title}</p>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}

export function Spinner({ label = '読み込み中です' }: { label?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner spinner-lg" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

/** Notice for a failed load, with a retry button. */
export function LoadError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>{message}</p>
      {onRetry && <button type="button" class="btn btn-secondary" onClick={onRetry}>再読み込み</button>}
    </div>
  );
}

/**
 * A thin bar at the top of the page shown while any API request has been
 * running for more than 300 ms.
 */
export function GlobalProgress() {
  const [show, setShow] = useState(false);
  useEffect(() => {
    let timer: number | undefined;
    const off = onActivity((n) => {
      if (n > 0 && timer === undefined) {
        timer = window.setTimeout(() => { setShow(true); timer = undefined; }, 300);
      } else if (n === 0) {
        if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
        setShow(false);
      }
    });
    return () => { off(); if (timer !== undefined) clearTimeout(timer); };
  }, []);
  return (
    <div class="progress">
      {show && <div class="progress-bar" role="progressbar" aria-label="通信中です" />}
    </div>
  );
}
