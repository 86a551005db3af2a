// API client for the nccs HTTP API (docs/API.md).
//
// - Same-origin cookie session (`__Host-nccs_session`), credentials included.
// - `X-CSRF-Token` on every state-changing request; the token comes from
//   POST /auth/login or GET /me. A 403 `auth.csrf` refreshes it once and retries.
// - 401 `auth.required` calls the handler installed by the app (which sends the
//   user to the login page and back), then rejects with an ApiError.
// - Every failure is an ApiError carrying a Japanese message fit to show, and
//   for 422 the per-field errors. Callers keep their form state; nothing here
//   touches it.

export const API_BASE = '/api/v1';

export type FieldError = { field: string; code: string; message: string };

export type User = {
  id: number | string;
  email: string;
  role: Role;
  name: string;
  name_kana?: string | null;
  prefecture?: string | null;
  facility_id?: number | string | null;
  channel?: string | null;
  created_at?: number | null;
};

export type Role =
  | 'seeker'
  | 'facility_admin'
  | 'facility_staff'
  | 'counselor'
  | 'center_admin'
  | 'central'
  | 'sysadmin';

export class ApiError extends Error {
  status: number;
  code: string;
  field: string | null;
  fields: FieldError[];
  retryAfter: number | null;
  constructor(status: number, code: string, message: string, field: string | null = null,
    fields: FieldError[] = [], retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

export const MSG = {
  network: '通信できませんでした。インターネット接続を確認して、もう一度お試しください。入力した内容はそのまま残っています。',
  unauthorized: 'ログインの有効期限が切れました。もう一度ログインしてください。',
  forbidden: 'この操作を行う権限がありません。',
  csrf: '画面の有効期限が切れました。もう一度お試しください。',
  notFound: 'お探しの情報が見つかりませんでした。',
  validation: '入力内容に誤りがあります。各項目をご確認ください。',
  tooLarge: '送信する内容が大きすぎます。',
  server: 'サーバーで問題が発生しました。しばらく待ってからもう一度お試しください。',
  unavailable: 'ただいまサービスを利用できません。しばらく待ってからもう一度お試しください。',
  generic: '処理できませんでした。もう一度お試しください。',
};

/** Japanese wait hint for a 429, e.g. "約2分". */
export function waitHint(seconds: number | null): string {
  if (!seconds || seconds <= 0) return 'しばらく';
  if (seconds < 60) return `約${Math.ceil(seconds)}秒`;
  return `約${Math.ceil(seconds / 60)}分`;
}

function fallbackMessage(status: number, code: string, retryAfter: number | null): string {
  if (status === 0) return MSG.network;
  if (status === 401) return code === 'auth.required' ? MSG.unauthorized : MSG.generic;
  if (status === 403) return code === 'auth.csrf' ? MSG.csrf : MSG.forbidden;
  if (status === 404) return MSG.notFound;
  if (status === 413) return MSG.tooLarge;
  if (status === 422) return MSG.validation;
  if (status === 429) return `操作の回数が多すぎます。${waitHint(retryAfter)}待ってからもう一度お試しください。`;
  if (status === 503) return MSG.unavailable;
  if (status >= 500) return MSG.server;
  return MSG.generic;
}

let csrfToken: string | null = null;
// True once GET /me answered 401: anonymous POSTs (login, register) then
// need no token and skip the refresh.
let knownAnonymous = false;
export function setCsrfToken(t: string | null) { csrfToken = t; if (t) knownAnonymous = false; }
export function getCsrfToken() { return csrfToken; }

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {};
export function setUnauthorizedHandler(h: UnauthorizedHandler) { onUnauthorized = h; }

// Activity tracking for the global progress indicator.
let pending = 0;
const activityListeners = new Set<(n: number) => void>();
export function onActivity(fn: (n: number) => void) {
  activityListeners.add(fn);
  return () => { activityListeners.delete(fn); };
}
function bump(d: number) {
  pending += d;
  activityListeners.forEach((fn) => fn(pending));
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /** Do not send the user to the login page on 401 (used by GET /me at start). */
  noAuthRedirect?: boolean;
  /** A raw body (a file upload) sent as is with its own Content-Type, instead of JSON `body`. */
  raw?: { body: Blob; type: string };
};

function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = API_BASE + path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) url += '?' + s;
  }
  return url;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const method = opts.method || 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | Blob | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.type || 'application/octet-stream';
    body = opts.raw.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return fetch(buildUrl(path, opts.query), {
    method, headers, body, credentials: 'same-origin', signal: opts.signal, cache: 'no-store',
  });
}

async function toError(res: Response): Promise<ApiError> {
  let data: any = null;
  try { data = await res.json(); } catch { /* not JSON */ }
  const e = data && typeof data === 'object' ? data.error : null;
  const ra = res.headers.get('Retry-After');
  const retryAfter = ra && /^\d+$/.test(ra) ? parseInt(ra, 10) : null;
  const code: string = (e && typeof e.code === 'string') ? e.code : `http.${res.status}`;
  let message: string = (e && typeof e.message === 'string' && e.message) ? e.message
    : fallbackMessage(res.status, code, retryAfter);
  if (res.status === 429 && retryAfter && !/待/.test(message)) {
    message += `（${waitHint(retryAfter)}待ってからお試しください）`;
  }
  const fields: FieldError[] = Array.isArray(e?.fields)
    ? e.fields.filter((f: any) => f && typeof f.field === 'string').map((f: any) => ({
      field: f.field, code: String(f.code || ''), message: String(f.message || MSG.validation),
    }))
    : [];
  if (!fields.length && e && typeof e.field === 'string' && res.status === 422) {
    fields.push({ field: e.field, code, message });
  }
  return new ApiError(res.status, code, message, e?.field ?? null, fields, retryAfter);
}

/** Refreshes the CSRF token from GET /me. Returns the user or null. */
export async function refreshSession(): Promise<{ user: User; csrf_token: string } | null> {
  try {
    const res = await send('/me', { method: 'GET' });
    if (!res.ok) { if (res.status === 401) { setCsrfToken(null); knownAnonymous = true; } return null; }
    const data = await res.json();
    setCsrfToken(data.csrf_token || null);
    return data;
  } catch {
    return null;
  }
}

/**
 * Sends one request and returns the parsed JSON answer (undefined for 204).
 * Rejects with ApiError; never throws anything else.
 */
export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method || 'GET';
  bump(1);
  try {
    let res: Response;
    try {
      if (method !== 'GET' && !csrfToken && !knownAnonymous) await refreshSession();
      res = await send(path, opts);
      if (res.status === 403 && method !== 'GET') {
        const peek = await res.clone().json().catch(() => null);
        if (peek?.error?.code === 'auth.csrf' && await refreshSession()) res = await send(path, opts);
      }
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw new ApiError(0, 'aborted', '中断しました。');
      throw new ApiError(0, 'network', MSG.network);
    }
    if (res.ok) {
      if (res.status === 204) return undefined as T;
      const ct = res.headers.get('Content-Type') || '';
      if (!ct.includes('json')) return undefined as T;
      try { return (await res.json()) as T; } catch { throw new ApiError(res.status, 'response.invalid', MSG.server); }
    }
    const err = await toError(res);
    if (err.status === 401 && err.code !== 'auth.invalid_credentials') {
      setCsrfToken(null);
      knownAnonymous = true;
      if (!opts.noAuthRedirect) onUnauthorized();
    }
    throw err;
  } finally {
    bump(-1);
  }
}

export const get = <T>(path: string, query?: RequestOptions['query'], o: Omit<RequestOptions, 'method' | 'query'> = {}) =>
  api<T>(path, { ...o, method: 'GET', query });
export const post = <T>(path: string, body?: unknown, o: Omit<RequestOptions, 'method' | 'body'> = {}) =>
  api<T>(path, { ...o, method: 'POST', body: body ?? {} });

/** POSTs a file as the raw request body (CSRF, 401 and error handling as `api`). */
export const upload = <T>(path: string, file: Blob, type: string, query?: RequestOptions['query']) =>
  api<T>(path, { method: 'POST', raw: { body: file, type }, query });

export const patch = <T>(path: string, body: unknown, o: Omit<RequestOptions, 'method' | 'body'> = {}) =>
  api<T>(path, { ...o, method: 'PATCH', body });

// Reference data is cached for the life of the page.
export type Code = { code: string; name: string; kana?: string };
export type Ref = {
  prefectures: Code[];
  licence_types: Code[];
  facility_types: Code[];
  departments?: Code[];
  employment_forms?: Code[];
  shift_patterns?: Code[];
  channels?: Code[];
};
let refPromise: Promise<Ref> | null = null;
export function loadRef(): Promise<Ref> {
  if (!refPromise) refPromise = get<Ref>('/ref').catch((e) => { refPromise = null; throw e; });
  return refPromise;
}
const muniCache = new Map<string, Promise<Code[]>>();
export function loadMunicipalities(prefecture: string): Promise<Code[]> {
  let p = muniCache.get(prefecture);
  if (!p) {
    p = get<{ items: Code[] }>('/ref/municipalities', { prefecture })
      .then((r) => r.items || [])
      .catch((e) => { muniCache.delete(prefecture); throw e; });
    muniCache.set(prefecture, p);
  }
  return p;
}
