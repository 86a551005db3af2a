// Saved searches (保存した検索条件) and the nurse mails (docs/API.md "Saved searches and mails"):
// CRUD of /me/saved-searches with the cap of 20 and bad input (DB unchanged, query checked exactly
// as GET /offers checks the same parameters), other nurses and other roles; the weekly digest of
// new matching offers with its unsubscribe link (no login); the validity reminder with its
// one-click renewal link (no login, single use) and the expiry of registrations.
//
// The jobs are triggered with `nccs jobs digest --db URL [--now UNIX]` (the same code the
// server's housekeeping runs every minute, with a chosen clock): it enqueues the mails into the
// real job queue, and the running server's worker delivers them to the SMTP sink. Registration
// dates are moved directly in the test database (sqlite3 / psql) as the offer tests do.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  API, BASE, BIN, DB_URL, client, demo, registerVerified, assertError, fieldErrors, counts, stableCounts,
  diffCounts, waitMail, mailsTo, extractToken, sleep, JP_RE,
} from './_lib.mjs';
import { runNccs } from '../support/stack.mjs';

const SQL = "'; DROP TABLE saved_searches; --";
const HTML = '<script>alert(1)</script>';
const MARK = '__NCCS_MARK__';
const HOSTILE = "<script>x</script> '; DROP TABLE x; --"; // fits the 50-character name
const DAY = 86400;
const VALIDITY_MONTHS = 6; // SEEKER_VALIDITY_MONTHS
const SS_KEYS = ['id', 'name', 'query', 'notify', 'last_mailed_at', 'created_at', 'updated_at'];

const tag = () => `ss${randomBytes(4).toString('hex')}`;
const ssPath = (id = '') => `${API}/me/saved-searches${id === '' ? '' : `/${id}`}`;
const nowSec = () => Math.floor(Date.now() / 1000);

// ---- helpers ------------------------------------------------------------------------------

// Runs an SQL statement on the test database (sqlite3 CLI / psql); resolves its output.
function sql(stmt) {
  const [cmd, args] = DB_URL.startsWith('sqlite:')
    ? ['sqlite3', ['-cmd', '.timeout 10000', DB_URL.replace(/^sqlite:(\/\/)?/, ''), stmt]]
    : ['psql', [DB_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-t', '-A', '-c', stmt]];
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message} ${stderr}`)) : resolve(stdout.trim())));
  });
}

// Mail jobs queued for an address whose subject contains `subject` (the job queue is where every
// mail starts). DIGEST and REMINDER are parts of the two subjects.
const DIGEST = '新着求人のお知らせ';
const REMINDER = '有効期限が近づいています';
async function mailJobs(email, subject) {
  assert.match(email, /^[a-z0-9.@-]+$/, 'plain address (used inside a LIKE pattern)');
  return Number(await sql(`SELECT COUNT(*) FROM jobs WHERE kind = 'mail' AND payload LIKE '%"to":"${email}"%' AND payload LIKE '%${subject}%'`));
}

// `nccs jobs digest` at `now` (Unix seconds; default the clock), mails linking to this server.
async function runDigest(now) {
  const args = ['jobs', 'digest', '--db', DB_URL, '--base-url', BASE];
  if (now !== undefined) args.push('--now', String(now));
  const r = await runNccs(BIN, args);
  assert.match(r.stdout, /handled/, `nccs jobs digest output: ${r.stdout} ${r.stderr.slice(-500)}`);
  return r;
}

// JST date `days` days from now, and `months` months from today clamped to the month's end.
function jstDate(days = 0) {
  const d = new Date(Date.now() + 9 * 3600 * 1000 + days * DAY * 1000);
  return d.toISOString().slice(0, 10);
}
function validUntil(months = VALIDITY_MONTHS) {
  const jst = new Date(Date.now() + 9 * 3600 * 1000);
  let y = jst.getUTCFullYear();
  let m = jst.getUTCMonth() + months;
  y += Math.floor(m / 12);
  m %= 12;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = Math.min(jst.getUTCDate(), last);
  return `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function profile(over = {}) {
  return {
    work_status: 'not_working', prefecture: '13', email_consent: true,
    experience: { years: 5, departments: ['internal'] },
    wishes: { prefectures: ['13'], employment_forms: ['jokin'] },
    ...over,
  };
}

// A verified nurse, with a saved job-seeker profile unless profile === null.
async function nurse(prof = {}) {
  const a = await registerVerified('seeker', { prefecture: '13' });
  if (prof !== null) {
    const r = await a.client.req('PUT', `${API}/me/seeker`, { json: profile(prof) });
    assert.equal(r.status, 201, `profile: ${r.text.slice(0, 300)}`);
  }
  return { client: a.client, id: a.user.id, email: a.email };
}

function assertSaved(s) {
  assert.deepEqual(Object.keys(s).sort(), [...SS_KEYS].sort(), `SavedSearch keys: ${Object.keys(s)}`);
  assert.ok(Number.isInteger(s.id) && s.id > 0);
  assert.equal(typeof s.name, 'string');
  assert.ok(s.query && typeof s.query === 'object' && !Array.isArray(s.query), 'query is an object');
  for (const v of Object.values(s.query)) assert.equal(typeof v, 'string', 'query values are strings');
  assert.equal(typeof s.notify, 'boolean');
  assert.ok(s.last_mailed_at === null || Number.isInteger(s.last_mailed_at));
  return s;
}

async function save(c, body, status = 201) {
  const r = await c.post(ssPath(), body);
  assert.equal(r.status, status, `save ${JSON.stringify(body).slice(0, 200)}: ${r.text.slice(0, 400)}`);
  return status === 201 ? assertSaved(r.json.saved_search) : r;
}

async function list(c) {
  const r = await c.get(ssPath());
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.deepEqual(Object.keys(r.json).sort(), ['items', 'mail_enabled', 'max']);
  assert.equal(r.json.max, 20);
  r.json.items.forEach(assertSaved);
  return r.json;
}

// A complete, compliant offer body whose title carries `t` (see offers.test.mjs).
function offerBody(t) {
  return {
    title: `病棟看護師 ${t}`,
    pr: 'ブランクのある方も歓迎します。',
    employer: { name: '医療法人社団 東京中央会' },
    duties: { description: `病棟での看護業務全般 ${t}`, change_scope: '法人内の看護業務全般' },
    contract: { type: 'indefinite' },
    probation: { present: false },
    workplace: { municipality_code: '13101', address: '千代田区丸の内1-1-1', station: 'JR東京駅', access: '徒歩5分', change_scope: '法人の定める事業所' },
    hours: { start: '08:30', end: '17:15', shift_patterns: ['day_only'], night_shifts_per_month: 0, overtime: false, break_minutes: 60 },
    holidays: { annual_days: 120, pattern: '4週8休' },
    wage: { type: 'monthly', base_min: 310000, base_max: 380000, allowances: '資格手当', fixed_overtime: false },
    insurance: { employment: true, health: true, pension: true, workers_comp: true },
    smoking: { measure: 'premises_ban' },
    licences: ['kangoshi'],
    employment_form: 'jokin',
    departments: ['internal'],
    flags: ['blank_ok'],
    positions: 1,
  };
}

// Publishes an offer of the demo Tokyo facility with `t` in its title; returns {id, offer_no}.
async function publish(t) {
  const fac = await demo('facility13');
  const fid = fac.user.facility_id;
  const c = await fac.post(`${API}/facilities/${fid}/offers`, offerBody(t));
  assert.equal(c.status, 201, `create offer: ${c.text.slice(0, 600)}`);
  const id = c.json.offer.id;
  const s = await fac.post(`${API}/job-offers/${id}/submit`);
  assert.equal(s.status, 200, `submit: ${s.text.slice(0, 600)}`);
  const p = await (await demo('counselor13')).post(`${API}/job-offers/${id}/review`, { decision: 'publish' });
  assert.equal(p.status, 200, `publish: ${p.text.slice(0, 600)}`);
  return { id, offer_no: p.json.offer.offer_no };
}

let A, B; // two nurses with profiles
before(async () => {
  [A, B] = await Promise.all([nurse(), nurse()]);
  // Sign the demo accounts in before any db-counts comparison (a login adds a session).
  await Promise.all(['facility13', 'counselor13'].map((n) => demo(n)));
});

// ---- CRUD -------------------------------------------------------------------------------------

test('create, list, rename, change the query and the mail, delete', async () => {
  const t = tag();
  const s = await save(A.client, {
    name: `  ${HOSTILE}  `,
    query: { q: `看護 ${t}`, prefecture: '１３', licence: 'kangoshi', employment_form: '', wage_monthly_min: '250000' },
    notify: true,
  });
  assert.equal(s.name, HOSTILE, 'name stored verbatim (trimmed), not escaped');
  assert.deepEqual(s.query, { q: `看護 ${t}`, prefecture: '13', licence: 'kangoshi', wage_monthly_min: '250000' },
    'values NFKC-normalised, blank parameters dropped');
  assert.equal(s.notify, true);
  assert.equal(s.last_mailed_at, null);
  assert.ok(Math.abs(s.created_at - nowSec()) < 120);
  // The stored query is a valid search as it stands.
  const qs = new URLSearchParams(s.query).toString();
  const sr = await client().get(`${API}/offers?${qs}`);
  assert.equal(sr.status, 200, `GET /offers?${qs}: ${sr.text.slice(0, 200)}`);

  const l = await list(A.client);
  assert.equal(l.mail_enabled, true, 'active registration with e-mail consent');
  assert.deepEqual(l.items.find((x) => x.id === s.id), s);

  const p = await A.client.req('PATCH', ssPath(s.id), { json: { name: '改名した条件', notify: false } });
  assert.equal(p.status, 200, p.text);
  assertSaved(p.json.saved_search);
  assert.equal(p.json.saved_search.name, '改名した条件');
  assert.equal(p.json.saved_search.notify, false);
  assert.deepEqual(p.json.saved_search.query, s.query, 'query kept');
  const q = await A.client.req('PATCH', ssPath(s.id), { json: { query: { shift: 'day_only,two_shift' } } });
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(q.json.saved_search.query, { shift: 'day_only,two_shift' }, 'query replaced as a whole');
  assert.equal(q.json.saved_search.name, '改名した条件');
  const same = await A.client.req('PATCH', ssPath(s.id), { json: {} });
  assert.equal(same.status, 200);
  assert.deepEqual({ ...same.json.saved_search, updated_at: 0 }, { ...q.json.saved_search, updated_at: 0 });

  const d = await A.client.req('DELETE', ssPath(s.id));
  assert.equal(d.status, 204, d.text);
  assert.ok(!(await list(A.client)).items.some((x) => x.id === s.id), 'gone from the list');
  assertError(await A.client.req('DELETE', ssPath(s.id)), 404, 'resource.not_found');
  assertError(await A.client.req('PATCH', ssPath(s.id), { json: { notify: true } }), 404, 'resource.not_found');
  assertError(await A.client.req('DELETE', ssPath('abc')), 400, 'request.bad_parameter');
});

test('mail_enabled is false without an active registration with e-mail consent', async () => {
  const noProfile = await nurse(null);
  assert.equal((await list(noProfile.client)).mail_enabled, false);
  const noConsent = await nurse({ email_consent: false });
  assert.equal((await list(noConsent.client)).mail_enabled, false);
  // Saving works all the same.
  await save(noProfile.client, { name: 'プロフィール前', query: {}, notify: true });
});

test('at most 20 saved searches per nurse (409 saved_search.limit, nothing written)', async () => {
  const c = (await nurse()).client;
  const ids = [];
  for (let i = 0; i < 20; i++) ids.push((await save(c, { name: `条件${i + 1}`, query: { prefecture: '13' }, notify: false })).id);
  assert.equal((await list(c)).items.length, 20);
  const before = await stableCounts();
  const r = await c.post(ssPath(), { name: '21件目', query: {}, notify: false });
  const e = assertError(r, 409, 'saved_search.limit');
  assert.match(e.message, /20件/);
  assert.deepEqual(diffCounts(before, await counts()), {}, 'nothing written');
  assert.equal((await list(c)).items.length, 20);
  assert.equal((await c.req('DELETE', ssPath(ids[0]))).status, 204);
  await save(c, { name: '21件目', query: {}, notify: false });
});

test("another nurse's saved search is not found (404), never listed, never changed", async () => {
  const s = await save(A.client, { name: 'Aの条件', query: { prefecture: '27' }, notify: true });
  assert.ok(!(await list(B.client)).items.some((x) => x.id === s.id), 'not in B\'s list');
  const before = await stableCounts();
  const a = await B.client.req('PATCH', ssPath(s.id), { json: { notify: false, name: '乗っ取り' } });
  const b = await B.client.req('DELETE', ssPath(s.id));
  const missing = await B.client.req('DELETE', ssPath(987654321));
  assertError(a, 404, 'resource.not_found');
  assertError(b, 404, 'resource.not_found');
  assert.equal(b.text, missing.text, 'looks exactly like a missing id');
  assert.deepEqual(diffCounts(before, await counts()), {});
  assert.deepEqual((await list(A.client)).items.find((x) => x.id === s.id), s, 'A\'s saved search unchanged');
});

test('only nurses: facility and center staff 403, anonymous 401', async () => {
  for (const name of ['facility13', 'staff13', 'counselor13', 'central']) {
    const c = await demo(name);
    assertError(await c.get(ssPath()), 403, 'auth.forbidden');
    assertError(await c.post(ssPath(), { name: 'x', query: {}, notify: false }), 403, 'auth.forbidden');
    assertError(await c.req('DELETE', ssPath(1)), 403, 'auth.forbidden');
  }
  assertError(await client().get(ssPath()), 401, 'auth.required');
  assertError(await client().post(ssPath(), { name: 'x', query: {}, notify: false }), 401, 'auth.required');
});

// ---- bad input ----------------------------------------------------------------------------

const valid = () => ({ name: '都内の病院', query: { prefecture: '13', q: '看護' }, notify: true });

// Serialises `body`, replacing the string value MARK by raw bytes.
function withRaw(body, replacement) {
  const s = JSON.stringify(body);
  const i = s.indexOf(`"${MARK}"`);
  assert.ok(i >= 0);
  return Buffer.concat([Buffer.from(s.slice(0, i)), Buffer.from(replacement), Buffer.from(s.slice(i + MARK.length + 2))]);
}

// [what, json or {raw}, status, {field: reason} expected among the field errors]
const BAD = [
  ['truncated JSON', { raw: JSON.stringify(valid()).slice(0, -3) }, 400],
  ['duplicate key', { raw: '{"name":"a","name":"b","query":{},"notify":true}' }, 400],
  ['duplicate key inside query', { raw: '{"name":"a","query":{"q":"a","q":"b"},"notify":true}' }, 400],
  ['top-level array', { raw: JSON.stringify([valid()]) }, 400],
  ['invalid UTF-8 in name', { raw: withRaw({ ...valid(), name: MARK }, Buffer.from([0x22, 0x61, 0xff, 0xc3, 0x28, 0x22])) }, 400],
  ['invalid UTF-8 in q', { raw: withRaw({ ...valid(), query: { q: MARK } }, Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])) }, 400],
  ['huge number', { raw: withRaw({ ...valid(), notify: MARK }, '1e400') }, [400, 422]],
  ['huge integer as wage', { raw: withRaw({ ...valid(), query: { wage_monthly_min: MARK } }, '123456789012345678901234567890') }, [400, 422]],
  ['NUL in name', { raw: withRaw({ ...valid(), name: MARK }, '"a\\u0000b"') }, [400, 422]],
  ['everything missing', {}, 422, { name: 'missing', query: 'missing', notify: 'missing' }],
  ['unknown key', { ...valid(), zzz: 1 }, 422, { zzz: 'unknown' }],
  ['privilege key user_id', { ...valid(), user_id: 1 }, 422, { user_id: 'unknown' }],
  ['unknown query parameter (sort)', { ...valid(), query: { sort: 'newest' } }, 422, { 'query.sort': 'unknown' }],
  ['unknown query parameter (page)', { ...valid(), query: { page: '2' } }, 422, { 'query.page': 'unknown' }],
  ['name: number', { ...valid(), name: 5 }, 422, { name: 'type' }],
  ['name: blank', { ...valid(), name: '   ' }, 422, { name: 'missing' }],
  ['name: 51 characters', { ...valid(), name: 'あ'.repeat(51) }, 422, { name: 'too_long' }],
  ['name: 10,000 characters', { ...valid(), name: 'あ'.repeat(10000) }, [413, 422], { name: 'too_long' }],
  ['name: newline', { ...valid(), name: 'a\nb' }, 422, { name: 'invalid' }],
  ['notify: string', { ...valid(), notify: 'yes' }, 422, { notify: 'type' }],
  ['notify: 1', { ...valid(), notify: 1 }, 422, { notify: 'type' }],
  ['query: string', { ...valid(), query: 'prefecture=13' }, 422, { query: 'type' }],
  ['query: array', { ...valid(), query: ['13'] }, 422, { query: 'type' }],
  ['query value: array', { ...valid(), query: { prefecture: ['13'] } }, 422, { 'query.prefecture': 'type' }],
  ['query value: number', { ...valid(), query: { wage_monthly_min: 250000 } }, 422, { 'query.wage_monthly_min': 'type' }],
  ['query value: object', { ...valid(), query: { q: { $ne: '' } } }, 422, { 'query.q': 'type' }],
  ['query value: 10,000 characters', { ...valid(), query: { q: '看'.repeat(10000) } }, [413, 422], { 'query.q': 'too_long' }],
  ['every error at once', { name: 7, query: { prefecture: '99', licence: 'doctor', flags: HTML, zzz: 'x' }, notify: 'x' }, 422,
    { name: 'type', notify: 'type', 'query.prefecture': 'invalid', 'query.licence': 'invalid', 'query.flags': 'invalid', 'query.zzz': 'unknown' }],
];

test('bad input on POST /me/saved-searches: clear JSON error, every field at once, nothing written', async () => {
  const c = A.client;
  const problems = [];
  await stableCounts();
  for (const [what, body, status, fields] of BAD) {
    const opts = body.raw !== undefined ? { body: body.raw, headers: { 'content-type': 'application/json' } } : { json: body };
    const before = await counts();
    const r = await c.req('POST', ssPath(), opts);
    const after = await counts();
    const want = [].concat(status);
    try {
      assert.ok(want.includes(r.status), `status ${r.status}, want ${want}`);
      if (r.status === 400) assertError(r, 400, 'request.malformed_json');
      else if (r.status === 413) assertError(r, 413, 'request.too_large');
      else if (r.status === 422) {
        const fe = fieldErrors(r);
        for (const [f, reason] of Object.entries(fields || {})) {
          assert.ok((fe[f] || []).some((code) => code === `${f}.${reason}`), `${f}.${reason} in ${JSON.stringify(fe)}`);
        }
      }
      assert.deepEqual(diffCounts(before, after), {}, 'database changed');
    } catch (e) {
      problems.push(`${what}: ${e.message.split('\n')[0]} — ${r.text.slice(0, 200)}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('bad input on PATCH: 422 and the saved search unchanged', async () => {
  const s = await save(A.client, valid());
  const before = await stableCounts();
  for (const [body, field, reason] of [
    [{ name: '' }, 'name', 'missing'],
    [{ name: 'あ'.repeat(51) }, 'name', 'too_long'],
    [{ notify: 'no' }, 'notify', 'type'],
    [{ query: { prefecture: '48' } }, 'query.prefecture', 'invalid'],
    [{ query: { q: 'a b c d e f g h i' } }, 'query.q', 'invalid'],
    [{ id: 5 }, 'id', 'unknown'],
  ]) {
    const r = await A.client.req('PATCH', ssPath(s.id), { json: body });
    const fe = fieldErrors(r);
    assert.ok((fe[field] || []).includes(`${field}.${reason}`), `${JSON.stringify(body)} → ${field}.${reason}: ${r.text}`);
  }
  assert.deepEqual(diffCounts(before, await counts()), {});
  assert.deepEqual((await list(A.client)).items.find((x) => x.id === s.id), s);
});

test('a query is accepted exactly when GET /offers accepts the same parameter', async () => {
  const cases = {
    q: ['看護', '夜勤 透析', '看'.repeat(100), '看'.repeat(101), 'a b c d e f g h', 'a b c d e f g h i', 'ｶﾝｺﾞ'],
    prefecture: ['13', '01,47', '00', '48', '13,', '1', 'tokyo', HTML],
    municipality: ['13101', '13101,27100', '1310', '131011', 'abcde', Array(65).fill('13101').join(',')],
    licence: ['kangoshi', 'hokenshi,junkangoshi', 'doctor', 'KANGOSHI'],
    employment_form: ['jokin', 'jokin,hijokin,rinji', 'fulltime'],
    shift: ['day_only', 'two_shift,on_call', 'evening'],
    facility_type: ['hospital', 'castle'],
    flags: ['blank_ok', 'takuji,ryo', SQL],
    wage_monthly_min: ['250000', '0', '10000000', '10000001', '-1', 'abc', '1e9', '99999999999999999999', '2.5'],
    wage_hourly_min: ['1500', '100000', '100001', '1.5'],
  };
  const c = (await nurse()).client;
  const before = await stableCounts();
  const mismatch = [];
  for (const [param, values] of Object.entries(cases)) {
    for (const v of values) {
      const sr = await client().get(`${API}/offers?${param}=${encodeURIComponent(v)}`);
      const r = await c.post(ssPath(), { name: '一致確認', query: { [param]: v }, notify: false });
      const searchOk = sr.status === 200;
      const saveOk = r.status === 201;
      if (searchOk !== saveOk) mismatch.push(`${param}=${v}: search ${sr.status}, save ${r.status} ${r.text.slice(0, 160)}`);
      if (!saveOk) {
        const fe = fieldErrors(r);
        if (!(fe[`query.${param}`] || []).length) mismatch.push(`${param}=${v}: no query.${param} error ${r.text.slice(0, 160)}`);
        else assert.equal(sr.json.error.field, param);
      } else {
        assert.deepEqual(r.json.saved_search.query, { [param]: v.normalize('NFKC') });
        assert.equal((await c.req('DELETE', ssPath(r.json.saved_search.id))).status, 204);
      }
    }
  }
  assert.deepEqual(mismatch, []);
  assert.deepEqual(diffCounts(before, await stableCounts()), {}, 'all saved ones deleted again');
});

// ---- links without login ------------------------------------------------------------------

test('unsubscribe and renewal links: bad tokens are 410 with a Japanese message, nothing written', async () => {
  const before = await stableCounts();
  for (const path of ['/unsubscribe', '/seeker-renewal']) {
    for (const token of ['A'.repeat(43), 'short', randomBytes(32).toString('base64url')]) {
      assertError(await client().post(`${API}${path}`, { token }), 410, 'auth.token_invalid');
    }
    const fe = fieldErrors(await client().post(`${API}${path}`, {}));
    assert.ok(fe.token, 'token.missing');
    fieldErrors(await client().post(`${API}${path}`, { token: 'a/b+c' }));
    fieldErrors(await client().post(`${API}${path}`, { token: 'A'.repeat(43), zzz: 1 }));
    assertError(await client().post(`${API}${path}`, { token: 12 }), 422, 'validation.failed');
  }
  assert.deepEqual(diffCounts(before, await counts()), {});
});

// ---- reminder, renewal, expiry ------------------------------------------------------------

test('validity reminder: one mail 14 days ahead with a single-use renewal link that needs no login', async () => {
  const n = await nurse();
  const soon = jstDate(10);
  await sql(`UPDATE seekers SET valid_until = '${soon}' WHERE user_id = ${Number(n.id)}`);
  const since = Date.now() - 5;
  await runDigest();
  const m = await waitMail({ to: n.email, since, subjectIncludes: REMINDER });
  assert.match(m.subject, JP_RE);
  assert.ok(m.text.includes(soon), `mail names the date ${soon}`);
  assert.ok(m.text.includes(`${BASE}/seeker/renew?token=`), `renewal link: ${m.text}`);
  const token = extractToken(m.text);
  assert.ok(token && token.length >= 40);
  // Once per validity period.
  const jobs = await mailJobs(n.email, REMINDER);
  assert.equal(jobs, 1);
  await runDigest();
  assert.equal(await mailJobs(n.email, REMINDER), jobs, 'no second reminder for the same date');

  const anon = client();
  const r = await anon.post(`${API}/seeker-renewal`, { token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { status: 'renewed', valid_until: validUntil() });
  const s = (await n.client.get(`${API}/me/seeker`)).json.seeker;
  assert.equal(s.status, 'active');
  assert.equal(s.valid_until, validUntil(), `valid ${VALIDITY_MONTHS} months again`);
  assert.equal(s.expired, false);
  assertError(await anon.post(`${API}/seeker-renewal`, { token }), 410, 'auth.token_invalid');
  await runDigest();
  assert.equal(await mailJobs(n.email, REMINDER), jobs, 'no reminder after the renewal');
});

test('no reminder for paused registrations, for a date already reminded, or without e-mail', async () => {
  const paused = await nurse();
  assert.equal((await paused.client.post(`${API}/me/seeker/pause`)).status, 200);
  await sql(`UPDATE seekers SET valid_until = '${jstDate(5)}' WHERE user_id = ${Number(paused.id)}`);
  // A counter registration without e-mail gets a placeholder in the .invalid domain.
  const c13 = await demo('counselor13');
  const reg = await c13.post(`${API}/seekers`, {
    name: '窓口 花子', name_kana: 'マドグチ ハナコ', ...profile(),
    licences: [{ type: 'kangoshi', number: '123456', registered_on: '2015-04-01' }],
  });
  assert.equal(reg.status, 201, reg.text.slice(0, 300));
  await sql(`UPDATE seekers SET valid_until = '${jstDate(3)}' WHERE user_id = ${Number(reg.json.id)}`);
  const placeholder = reg.json.seeker.email;
  assert.match(placeholder, /@center\.invalid$/);
  await runDigest();
  assert.equal(await mailJobs(paused.email, REMINDER), 0, 'paused: no reminder');
  assert.equal(Number(await sql("SELECT COUNT(*) FROM jobs WHERE payload LIKE '%center.invalid%'")), 0, 'placeholder never mailed');
  assert.equal(await sql(`SELECT reminded_for FROM seekers WHERE user_id = ${Number(reg.json.id)}`), jstDate(3), 'recorded as done');
});

test('expiry: a registration past its validity becomes closed (expired) and gets no digest', async () => {
  const n = await nurse();
  const t = tag();
  await save(n.client, { name: '期限切れ確認', query: { q: t }, notify: true });
  await sql(`UPDATE seekers SET valid_until = '2020-01-31' WHERE user_id = ${Number(n.id)}`);
  await runDigest();
  const s = (await n.client.get(`${API}/me/seeker`)).json.seeker;
  assert.equal(s.status, 'closed');
  assert.equal(s.expired, true, 'expired stays true for a registration closed by expiry');
  assert.equal((await list(n.client)).mail_enabled, false);
  await publish(t);
  await runDigest(nowSec() + 8 * DAY);
  assert.equal(await mailJobs(n.email, DIGEST), 0, 'no digest for a closed registration');
  // The logged-in one-click renewal reopens it.
  const r = await n.client.post(`${API}/me/seeker/renew`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.seeker.status, 'active');
  assert.equal(r.json.seeker.expired, false);
});

// ---- weekly digest ------------------------------------------------------------------------

test('weekly digest: new matching offers by mail, nothing when nothing is new, unsubscribe without login', async () => {
  const t = tag();
  const n = await nurse();
  const noConsent = await nurse({ email_consent: false });
  const s = await save(n.client, { name: `新着 ${t}`, query: { q: t, prefecture: '13' }, notify: true });
  const quiet = await save(n.client, { name: 'メールなし', query: { q: t }, notify: false });
  await save(noConsent.client, { name: '同意なし', query: { q: t }, notify: true });
  const other = await save(n.client, { name: '大阪のみ', query: { q: t, prefecture: '27' }, notify: true });

  const o1 = await publish(t);
  const o2 = await publish(t);
  const t0 = nowSec();
  const since = Date.now() - 5;
  await runDigest(t0 + 8 * DAY);
  const m = await waitMail({ to: n.email, since, subjectIncludes: DIGEST });
  assert.match(m.subject, /2件/);
  assert.ok(m.text.includes(`「新着 ${t}」`), 'names the saved search');
  for (const o of [o1, o2]) {
    assert.ok(m.text.includes(`${BASE}/offers/${o.offer_no}`), `links ${o.offer_no}: ${m.text}`);
  }
  assert.ok(m.text.indexOf(o2.offer_no) < m.text.indexOf(o1.offer_no), 'newest first');
  assert.ok(m.text.includes(`病棟看護師 ${t}`), 'offer title');
  assert.ok(m.text.includes('月給 310,000円〜'), 'wage');
  assert.ok(m.text.includes(`${BASE}/jobs?`), 'link to the search');
  assert.ok(m.text.includes(`${BASE}/unsubscribe?token=`), `unsubscribe link: ${m.text}`);
  await sleep(1500);
  const mails = await mailsTo(n.email, since);
  assert.equal(mails.filter((x) => x.subject.includes(DIGEST)).length, 1,
    'one mail: the search without mail and the one matching nothing send none');
  assert.equal(await mailJobs(noConsent.email, DIGEST), 0, 'no digest without e-mail consent');
  const l = (await list(n.client)).items;
  assert.ok(Number.isInteger(l.find((x) => x.id === s.id).last_mailed_at));
  assert.equal(l.find((x) => x.id === quiet.id).last_mailed_at, null);
  assert.equal(l.find((x) => x.id === other.id).last_mailed_at, null);

  // A week later with nothing new: nothing.
  const jobs = await mailJobs(n.email, DIGEST);
  assert.equal(jobs, 1);
  await runDigest(t0 + 16 * DAY);
  assert.equal(await mailJobs(n.email, DIGEST), jobs, 'no mail when nothing is new');

  // Unsubscribe from the mail's link, without a session.
  const token = extractToken(m.text);
  const anon = client();
  const u = await anon.post(`${API}/unsubscribe`, { token });
  assert.equal(u.status, 200, u.text);
  assert.deepEqual(u.json, { status: 'unsubscribed', name: `新着 ${t}` });
  assert.equal((await list(n.client)).items.find((x) => x.id === s.id).notify, false);
  assert.equal((await anon.post(`${API}/unsubscribe`, { token })).status, 200, 'the link may be used again');

  // A new matching offer after unsubscribing: the next digest sends nothing.
  await publish(t);
  await runDigest(t0 + 24 * DAY);
  await sleep(1000);
  assert.equal(await mailJobs(n.email, DIGEST), jobs, 'no mail after unsubscribing');
  assert.equal((await mailsTo(n.email, since)).filter((x) => x.subject.includes(DIGEST)).length, 1);

  // Deleting the saved search invalidates its links.
  assert.equal((await n.client.req('DELETE', ssPath(s.id))).status, 204);
  assertError(await anon.post(`${API}/unsubscribe`, { token }), 410, 'auth.token_invalid');
});

test('digest lists at most 20 offers and says there are more', async () => {
  const t = tag();
  const n = await nurse();
  await save(n.client, { name: `多数 ${t}`, query: { q: t }, notify: true });
  const published = [];
  for (let i = 0; i < 21; i++) published.push(await publish(t));
  const since = Date.now() - 5;
  await runDigest(nowSec() + 8 * DAY);
  const m = await waitMail({ to: n.email, since, subjectIncludes: DIGEST });
  assert.match(m.subject, /20件以上/);
  const listed = published.filter((o) => m.text.includes(`/offers/${o.offer_no}`));
  assert.equal(listed.length, 20, 'twenty listed');
  assert.ok(!m.text.includes(`/offers/${published[0].offer_no}\n`), 'the oldest one left out');
  assert.ok(m.text.includes('ほかにも新着求人があります'));
});
