// Form drafts kept in sessionStorage so that what the user typed survives a
// trip to the login page (401) or a reload. Secrets are never stored: pass
// their keys in `secret` and they stay in memory only.
import { useCallback, useState } from 'preact/hooks';

const PREFIX = 'nccs.draft.';

function read<T>(key: string): Partial<T> | null {
  try {
    const s = sessionStorage.getItem(PREFIX + key);
    return s ? JSON.parse(s) : null;
  } catch { return null; }
}

export function useDraft<T extends Record<string, any>>(key: string, initial: T, secret: (keyof T)[] = []) {
  const [value, setValue] = useState<T>(() => ({ ...initial, ...(read<T>(key) || {}) }));
  const update = useCallback((patch: Partial<T> | ((v: T) => T)) => {
    setValue((v) => {
      const next = typeof patch === 'function' ? patch(v) : { ...v, ...patch };
      try {
        const keep: Record<string, unknown> = { ...next };
        for (const k of secret) delete keep[k as string];
        sessionStorage.setItem(PREFIX + key, JSON.stringify(keep));
      } catch { /* storage full or disabled: keep in memory only */ }
      return next;
    });
  }, [key]);
  const clear = useCallback(() => {
    try { sessionStorage.removeItem(PREFIX + key); } catch { /* ignore */ }
    setValue(initial);
  }, [key]);
  return [value, update, clear] as const;
}

/** True when a draft is kept for `key` (e.g. to reopen a form after a trip to the login page). */
export function hasDraft(key: string): boolean {
  try { return sessionStorage.getItem(PREFIX + key) !== null; } catch { return false; }
}

/** Forgets every draft (on logout, so the next user of the device sees none). */
export function clearDrafts() {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i);
      if (k && k.startsWith(PREFIX)) sessionStorage.removeItem(k);
    }
  } catch { /* storage disabled */ }
}
