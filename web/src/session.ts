// Session state: who is signed in, shared by every screen.
import { useEffect, useState } from 'preact/hooks';
import { post, refreshSession, setCsrfToken, type User } from './api';
import { clearDrafts } from './draft';

export type SessionState =
  | { status: 'loading'; user: null }
  | { status: 'anon'; user: null }
  | { status: 'user'; user: User };

let state: SessionState = { status: 'loading', user: null };
const listeners = new Set<() => void>();
function set(s: SessionState) { state = s; listeners.forEach((fn) => fn()); }

export function getSession() { return state; }

export function useSession(): SessionState {
  const [, force] = useState(0);
  useEffect(() => {
    const fn = () => force((n) => n + 1);
    listeners.add(fn);
    return () => { listeners.delete(fn); };
  }, []);
  return state;
}

let started: Promise<void> | null = null;
/** Loads the session once (GET /me); later calls wait for the same answer. */
export function initSession(): Promise<void> {
  if (!started) {
    started = refreshSession().then((me) => {
      set(me ? { status: 'user', user: me.user } : { status: 'anon', user: null });
    });
  }
  return started;
}

export async function login(email: string, password: string): Promise<User> {
  const r = await post<{ user: User; csrf_token: string }>('/auth/login', { email, password }, { noAuthRedirect: true });
  setCsrfToken(r.csrf_token);
  set({ status: 'user', user: r.user });
  return r.user;
}

export async function logout(): Promise<void> {
  try {
    await post('/auth/logout', undefined, { noAuthRedirect: true });
  } finally {
    clearDrafts();
    markSignedOut();
  }
}

/** Forget the session locally (after logout or a 401). */
export function markSignedOut() {
  setCsrfToken(null);
  set({ status: 'anon', user: null });
}

export function updateUser(user: User) { set({ status: 'user', user }); }
