// Shared helpers for the API test files (not a test file itself).
// The runner (tests/api/run.mjs) sets NCCS_TEST_BASE_URL, NCCS_TEST_DB_URL,
// NCCS_TEST_MAILDIR, NCCS_TEST_BACKEND and NCCS_BIN.

import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { Client, DEMO_PASSWORD, UA_PC } from '../support/client.mjs';
import { waitForMailIn, readMailbox, extractToken } from '../support/smtp.mjs';
import { dbCounts, routeTable, resolveBin } from '../support/stack.mjs';

export { DEMO_PASSWORD, extractToken, readMailbox };

export const BASE = process.env.NCCS_TEST_BASE_URL;
export const DB_URL = process.env.NCCS_TEST_DB_URL;
export const MAILDIR = process.env.NCCS_TEST_MAILDIR;
export const BACKEND = process.env.NCCS_TEST_BACKEND || 'sqlite';
if (!BASE || !DB_URL || !MAILDIR) {
  throw new Error('run the API tests through tests/api/run.mjs (NCCS_TEST_BASE_URL, NCCS_TEST_DB_URL, NCCS_TEST_MAILDIR unset)');
}
export const BIN = resolveBin(process.env.NCCS_BIN);
export const API = '/api/v1';

// Japanese: hiragana, katakana, CJK ideographs (incl. extension A), half-width katakana.
export const JP_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/;

// Each client gets its own simulated IP (X-Forwarded-For; the server runs with
// NCCS_TRUST_PROXY=1) so that per-IP login throttling in one test cannot leak
// into another test or test file.
const ipBase = randomInt(0, 1 << 12);
let ipSeq = 0;
export function nextIp() {
  const n = (ipBase * 4096 + ipSeq++) % (1 << 24);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

export function client(opts = {}) {
  return new Client(BASE, { ip: nextIp(), userAgent: UA_PC, ...opts });
}

export function uniqueEmail(tag = 'u') {
  return `t-${tag}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}@example.jp`;
}

export const DEMO = {
  sysadmin: 'sysadmin@example.jp',
  central: 'central@example.jp',
  admin13: 'admin13@example.jp',
  counselor13: 'counselor13@example.jp',
  counselor27: 'counselor27@example.jp',
  facility13: 'facility13@example.jp',
  staff13: 'staff13@example.jp',
  facility27: 'facility27@example.jp',
  nurse13: 'nurse13@example.jp',
  nurse27: 'nurse27@example.jp',
};
export const DEMO_ROLE = {
  sysadmin: 'sysadmin', central: 'central', admin13: 'center_admin', counselor13: 'counselor',
  counselor27: 'counselor', facility13: 'facility_admin', staff13: 'facility_staff',
  facility27: 'facility_admin', nurse13: 'seeker', nurse27: 'seeker',
};

const demoSessions = new Map();
// Logged-in client for a demo account, one login per test process.
export async function demo(name) {
  if (!DEMO[name]) throw new Error(`unknown demo account ${name}`);
  if (!demoSessions.has(name)) {
    demoSessions.set(name, (async () => {
      const c = client();
      await c.login(DEMO[name], DEMO_PASSWORD);
      return c;
    })());
  }
  return demoSessions.get(name);
}

// A fresh session for a demo account (for tests that end sessions).
export async function freshDemo(name) {
  const c = client();
  await c.login(DEMO[name], DEMO_PASSWORD);
  return c;
}

export function seekerBody(over = {}) {
  return {
    kind: 'seeker',
    email: uniqueEmail('seeker'),
    password: 'correct-horse-7',
    name: '看護 花子',
    name_kana: 'カンゴ ハナコ',
    prefecture: '13',
    phone: '090-1234-5678',
    licences: [{ type: 'kangoshi', number: '123456', registered_on: '2015-04-01' }],
    ...over,
  };
}

export function facilityBody(over = {}) {
  return {
    kind: 'facility',
    email: uniqueEmail('facility'),
    password: 'correct-horse-7',
    name: '担当 太郎',
    name_kana: 'タントウ タロウ',
    facility: {
      name: 'テスト病院', name_kana: 'テストビョウイン', prefecture: '13', municipality: '13101',
      facility_type: 'hospital', phone: '03-1234-5678',
    },
    ...over,
  };
}

export function waitMail(q) {
  return waitForMailIn(MAILDIR, { timeoutMs: 20000, ...q });
}

// Mails to `to` received at or after `since`.
export async function mailsTo(to, since = 0) {
  return (await readMailbox(MAILDIR)).filter((m) => m.to.includes(to.toLowerCase()) && m.receivedAt >= since);
}

// Token from the first mail to `to` (since `since`) that carries a token link.
export async function tokenFromMail(to, since = 0) {
  const m = await waitMail({ to, since, textIncludes: 'token=' });
  const t = extractToken(m.text);
  assert.ok(t, `mail to ${to} has a token= link: ${m.text.slice(0, 500)}`);
  return { token: t, mail: m };
}

// Registers (body from seekerBody/facilityBody), verifies through the mail link
// and logs in. Returns {email, password, client, user, body}.
export async function registerVerified(kind = 'seeker', over = {}, copts = {}) {
  const body = kind === 'seeker' ? seekerBody(over) : facilityBody(over);
  const c = client(copts);
  const since = Date.now() - 5;
  const r = await c.post(`${API}/auth/register`, body);
  assert.equal(r.status, 202, `register ${body.email}: ${r.status} ${r.text}`);
  const { token } = await tokenFromMail(body.email, since);
  const v = await c.post(`${API}/auth/verify`, { token });
  assert.equal(v.status, 200, `verify: ${v.status} ${v.text}`);
  const l = await c.login(body.email, body.password, { expect: null });
  assert.equal(l.status, 200, `login after verify: ${l.status} ${l.text}`);
  return { email: body.email, password: body.password, client: c, user: l.json.user, body };
}

// Asserts the documented error shape; returns the error object.
export function assertError(r, status, code, { field } = {}) {
  const where = `${r.status} ${r.text.slice(0, 600)}`;
  assert.equal(r.status, status, `status (answer: ${where})`);
  assert.ok(r.json && typeof r.json === 'object' && r.json.error && typeof r.json.error === 'object',
    `error body is {"error":{...}} (answer: ${where})`);
  const e = r.json.error;
  if (code !== undefined) {
    if (Array.isArray(code)) assert.ok(code.includes(e.code), `error code ${e.code} in ${code} (answer: ${where})`);
    else assert.equal(e.code, code, `error code (answer: ${where})`);
  }
  assert.equal(typeof e.code, 'string');
  assert.equal(typeof e.message, 'string', `message is a string (answer: ${where})`);
  assert.match(e.message, JP_RE, `message is Japanese (answer: ${where})`);
  assert.ok('field' in e, `error has a field member (answer: ${where})`);
  assert.ok(e.field === null || typeof e.field === 'string', 'field is null or a string');
  if (field !== undefined) assert.equal(e.field, field);
  const ct = r.headers.get ? r.headers.get('content-type') : r.headers['content-type'];
  assert.match(String(ct), /^application\/json/i, 'error Content-Type is JSON');
  return e;
}

// For a 422: {field -> [codes]} after checking the shape of every entry.
export function fieldErrors(r) {
  const e = assertError(r, 422, 'validation.failed');
  assert.ok(Array.isArray(e.fields) && e.fields.length > 0, `422 lists fields: ${r.text}`);
  const out = {};
  for (const f of e.fields) {
    assert.equal(typeof f.field, 'string', `fields[].field: ${JSON.stringify(f)}`);
    assert.equal(typeof f.code, 'string', `fields[].code: ${JSON.stringify(f)}`);
    assert.equal(typeof f.message, 'string');
    assert.match(f.message, JP_RE, `field message Japanese: ${JSON.stringify(f)}`);
    assert.ok(f.code.startsWith(f.field + '.') || f.code.startsWith(f.field.replace(/\[\d+\]/g, '') + '.'),
      `field code ${f.code} is <field>.<reason> for ${f.field}`);
    assert.match(f.code, /\.(missing|type|invalid|too_long|too_short|unknown|not_katakana|out_of_range|weak)$/,
      `field code reason is documented: ${f.code}`);
    (out[f.field] ||= []).push(f.code);
  }
  return out;
}

// Asserts a 422 names `field` with a code ending in one of `reasons`.
export function assertFieldError(r, field, reasons) {
  const fe = fieldErrors(r);
  const codes = fe[field];
  assert.ok(codes, `422 mentions field ${field}; got ${JSON.stringify(fe)}`);
  if (reasons) {
    const rs = [].concat(reasons);
    assert.ok(codes.some((c) => rs.some((x) => c.endsWith('.' + x))),
      `field ${field} code ${codes} ends in one of ${rs}`);
  }
  return fe;
}

export function counts() { return dbCounts(BIN, DB_URL); }

// Waits until two consecutive db-counts agree (background jobs settled).
export async function stableCounts(maxMs = 5000) {
  let prev = await counts();
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    const cur = await counts();
    if (JSON.stringify(cur) === JSON.stringify(prev)) return cur;
    prev = cur;
  }
  return prev;
}

export function diffCounts(before, after, allow = []) {
  const d = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (allow.includes(k)) continue;
    if (before[k] !== after[k]) d[k] = [before[k], after[k]];
  }
  return d;
}

export function assertCountsUnchanged(before, after, allow = [], what = '') {
  assert.deepEqual(diffCounts(before, after, allow), {}, `database changed by a rejected request ${what}`);
}

let routesCache;
export function routes() {
  routesCache ||= routeTable(BIN);
  return routesCache;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Person record of a seeker, found through central's GET /people (by e-mail).
export async function findPerson(email) {
  const central = await demo('central');
  const q = await central.get(`${API}/people?q=${encodeURIComponent(email)}&per_page=50`);
  let p = q.status === 200 ? q.json.items.find((x) => x.email === email) : null;
  for (let page = 1; !p && page <= 50; page++) {
    const r = await central.get(`${API}/people?page=${page}&per_page=100`);
    assert.equal(r.status, 200, r.text.slice(0, 200));
    p = r.json.items.find((x) => x.email === email);
    if (!r.json.items.length) break;
  }
  assert.ok(p, `person ${email} listed in GET /people`);
  return p;
}
