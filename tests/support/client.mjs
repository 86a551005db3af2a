// HTTP client for nccs tests: cookie jar, CSRF token, simulated client IP.
//
//   const c = new Client(baseUrl, {ip: '10.0.0.7', userAgent: '...'});
//   await c.login('nurse13@example.jp', 'demo-pass-2026');
//   const r = await c.req('GET', '/api/v1/me');   // -> {status, headers, json, text, buffer, setCookies}
//
// req(method, path, opts):
//   json     value sent as JSON (Content-Type: application/json)
//   body     string or Buffer sent as is (set headers yourself)
//   headers  extra request headers (a null value removes a default header)
//   raw      true: add no automatic headers (no Content-Type, no X-CSRF-Token)
//   csrf     false: do not send X-CSRF-Token; a string: send that value instead
//   cookies  false: do not send the cookie jar
// State-changing requests (POST/PUT/PATCH/DELETE) send X-CSRF-Token when the
// client knows a token (from login or /me).
//
// The session cookie is `__Host-nccs_session`; it is Secure, but we keep and
// send it anyway because the tests talk plain HTTP to 127.0.0.1.

import net from 'node:net';

export const SESSION_COOKIE = '__Host-nccs_session';
export const DEMO_PASSWORD = 'demo-pass-2026';

export const UA_PC = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
export const UA_PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
export const UA_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Parses one Set-Cookie header into {name, value, attrs} (attr names lower-case).
export function parseSetCookie(line) {
  const parts = line.split(';');
  const first = parts.shift();
  const eq = first.indexOf('=');
  const name = first.slice(0, eq).trim();
  const value = first.slice(eq + 1).trim();
  const attrs = {};
  for (const p of parts) {
    const i = p.indexOf('=');
    const k = (i < 0 ? p : p.slice(0, i)).trim().toLowerCase();
    const v = i < 0 ? true : p.slice(i + 1).trim();
    if (k) attrs[k] = v;
  }
  return { name, value, attrs };
}

function cookieExpired(c) {
  if (c.value === '') return true;
  if (c.attrs['max-age'] !== undefined && Number(c.attrs['max-age']) <= 0) return true;
  if (typeof c.attrs.expires === 'string') {
    const t = Date.parse(c.attrs.expires);
    if (!Number.isNaN(t) && t <= Date.now()) return true;
  }
  return false;
}

export class Client {
  constructor(baseUrl, { ip, userAgent } = {}) {
    if (!baseUrl) throw new Error('Client needs a base URL');
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.ip = ip;
    this.userAgent = userAgent;
    this.jar = new Map();
    this.csrf = null;
    this.user = null;
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get session() { return this.jar.get(SESSION_COOKIE) ?? null; }

  // Copies the session (cookie jar and CSRF token) into a new client.
  clone({ ip, userAgent } = {}) {
    const c = new Client(this.baseUrl, { ip: ip ?? this.ip, userAgent: userAgent ?? this.userAgent });
    c.jar = new Map(this.jar);
    c.csrf = this.csrf;
    c.user = this.user;
    return c;
  }

  async req(method, path, opts = {}) {
    method = method.toUpperCase();
    const headers = {};
    if (this.userAgent) headers['user-agent'] = this.userAgent;
    if (this.ip) headers['x-forwarded-for'] = this.ip;
    if (opts.cookies !== false && this.jar.size) headers.cookie = this.cookieHeader();
    let body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      if (!opts.raw) headers['content-type'] = 'application/json';
    } else if (opts.body !== undefined) {
      body = opts.body;
    }
    if (!opts.raw && STATE_CHANGING.has(method) && opts.csrf !== false) {
      const tok = typeof opts.csrf === 'string' ? opts.csrf : this.csrf;
      if (tok) headers['x-csrf-token'] = tok;
    }
    for (const [k, v] of Object.entries(opts.headers || {})) {
      if (v === null || v === undefined) delete headers[k.toLowerCase()];
      else headers[k.toLowerCase()] = v;
    }
    const res = await fetch(this.baseUrl + path, {
      method, headers, body, redirect: 'manual', signal: opts.signal,
    });
    const buffer = Buffer.from(await res.arrayBuffer());
    const setCookies = res.headers.getSetCookie ? res.headers.getSetCookie() : [];
    for (const line of setCookies) {
      const c = parseSetCookie(line);
      if (cookieExpired(c)) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    const text = buffer.toString('utf8');
    let json = null;
    const ct = res.headers.get('content-type') || '';
    if (ct.includes('json') || /^\s*[{[]/.test(text)) {
      try { json = JSON.parse(text); } catch { json = null; }
    }
    if (json && typeof json.csrf_token === 'string') this.csrf = json.csrf_token;
    if (json && json.user && typeof json.user === 'object' && res.status === 200) this.user = json.user;
    return { status: res.status, headers: res.headers, json, text, buffer, setCookies };
  }

  get(path, opts) { return this.req('GET', path, opts); }
  post(path, json, opts = {}) { return this.req('POST', path, { ...opts, json }); }

  // Logs in; returns the response. Throws unless `expect` matches (default 200;
  // pass expect: null to accept anything).
  async login(email, password = DEMO_PASSWORD, { expect = 200 } = {}) {
    const r = await this.req('POST', '/api/v1/auth/login', { json: { email, password } });
    if (expect !== null && r.status !== expect) {
      throw new Error(`login ${email}: expected ${expect}, got ${r.status} ${r.text}`);
    }
    return r;
  }

  async logout() {
    const r = await this.req('POST', '/api/v1/auth/logout');
    if (r.status === 204 || r.status === 200) { this.jar.delete(SESSION_COOKIE); this.csrf = null; this.user = null; }
    return r;
  }

  async me() { return this.req('GET', '/api/v1/me'); }
}

// Sends raw bytes over one TCP connection and returns the parsed response
// {status, headers (lower-case keys, last value wins; arrays in rawHeaders), text, json}
// or {error} when the connection failed before any response. Useful when the
// request itself is malformed or the server answers before reading the body.
export function rawHttp(baseUrl, bytes, { timeoutMs = 10000, chunks = null } = {}) {
  const u = new URL(baseUrl);
  return new Promise((resolve) => {
    const sock = net.connect(Number(u.port), u.hostname);
    const got = [];
    let done = false;
    const finish = (extra = {}) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...parseRawResponse(Buffer.concat(got)), ...extra });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    sock.on('data', (d) => {
      got.push(d);
      const r = parseRawResponse(Buffer.concat(got));
      if (r.complete) finish();
    });
    sock.on('error', (e) => finish({ socketError: e.code || String(e) }));
    sock.on('close', () => finish());
    sock.on('connect', async () => {
      const parts = chunks || [bytes];
      for (const p of parts) {
        if (done) return;
        if (typeof p === 'number') { await new Promise((r) => setTimeout(r, p)); continue; }
        const ok = sock.write(p);
        if (!ok) await new Promise((r) => { sock.once('drain', r); sock.once('close', r); });
      }
    });
  });
}

export function parseRawResponse(buf) {
  const sep = buf.indexOf('\r\n\r\n');
  if (sep < 0) return { status: 0, headers: {}, text: '', json: null, complete: false };
  const head = buf.subarray(0, sep).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] || '');
  const headers = {};
  const rawHeaders = [];
  for (const l of head.slice(1)) {
    const i = l.indexOf(':');
    if (i < 0) continue;
    const k = l.slice(0, i).trim().toLowerCase();
    const v = l.slice(i + 1).trim();
    headers[k] = v;
    rawHeaders.push([k, v]);
  }
  let body = buf.subarray(sep + 4);
  let complete = false;
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    complete = body.length >= n;
    body = body.subarray(0, n);
  } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const out = [];
    let rest = body;
    for (;;) {
      const e = rest.indexOf('\r\n');
      if (e < 0) break;
      const n = parseInt(rest.subarray(0, e).toString(), 16);
      if (Number.isNaN(n)) break;
      if (n === 0) { complete = true; break; }
      if (rest.length < e + 2 + n + 2) break;
      out.push(rest.subarray(e + 2, e + 2 + n));
      rest = rest.subarray(e + 2 + n + 2);
    }
    body = Buffer.concat(out);
  }
  const text = body.toString('utf8');
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: m ? Number(m[1]) : 0, headers, rawHeaders, text, json, complete };
}
