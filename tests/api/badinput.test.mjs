// Bad input on every POST endpoint: the right status and code, every field
// error at once, and the database left exactly as it was (nccs db-counts).
// Text that is valid but looks dangerous (SQL, HTML) is stored and returned
// verbatim.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  API, client, seekerBody, facilityBody, uniqueEmail, registerVerified, assertError, fieldErrors,
  stableCounts, counts, diffCounts, findPerson, demo,
} from './_lib.mjs';

const SQL = "'; DROP TABLE users; --";
const HTML = '<script>alert(1)</script>';
const LONG = 'あ'.repeat(10000);
const FUTURE = `${new Date().getFullYear() + 1}-04-01`;
const MARK = '__NCCS_MARK__';

let session; // a verified seeker for the /me endpoints

before(async () => {
  session = await registerVerified('seeker');
});

// Endpoint descriptions. `valid()` gives a valid body; strings/arrays/objects
// name fields of that type; `missing` is the body that lacks every required
// field and `required` the fields that must all be reported as missing;
// `status` overrides the expected status for some mutations; `allow` lists
// tables that may change on a rejected request.
const ENDPOINTS = [
  {
    name: 'register (seeker)', path: '/auth/register', valid: () => seekerBody(),
    strings: ['kind', 'email', 'password', 'name', 'name_kana', 'prefecture', 'phone'], arrays: ['licences'],
    missing: { kind: 'seeker' }, required: ['email', 'password', 'name', 'name_kana', 'prefecture', 'licences'],
  },
  {
    name: 'register (facility)', path: '/auth/register', valid: () => facilityBody(),
    strings: ['email', 'password', 'name', 'name_kana'], objects: ['facility'],
    missing: { kind: 'facility' }, required: ['email', 'password', 'name', 'name_kana', 'facility'],
  },
  {
    name: 'verify', path: '/auth/verify', valid: () => ({ token: 'A'.repeat(43) }),
    strings: ['token'], missing: {}, required: ['token'], status: { oversize: [410, 422] },
  },
  {
    name: 'login', path: '/auth/login', valid: () => ({ email: uniqueEmail('bad'), password: 'wrong-password-1' }),
    strings: ['email', 'password'], missing: {}, required: ['email', 'password'],
    status: { oversize: [401, 422] }, allow: ['login_attempts'],
  },
  {
    name: 'password-reset', path: '/auth/password-reset', valid: () => ({ email: uniqueEmail('bad') }),
    strings: ['email'], missing: {}, required: ['email'], status: { oversize: [202, 422] },
  },
  {
    name: 'password-reset/complete', path: '/auth/password-reset/complete',
    valid: () => ({ token: 'A'.repeat(43), password: 'valid-password-123' }),
    strings: ['token', 'password'], missing: {}, required: ['token', 'password'], status: { oversize: [410, 422] },
  },
  {
    name: 'me/password', path: '/me/password', session: true,
    valid: () => ({ current_password: session.password, new_password: 'another-pass-456' }),
    strings: ['current_password', 'new_password'], missing: {}, required: ['current_password', 'new_password'],
    status: { oversize: [401, 403, 422] },
  },
  {
    name: 'me/seeker (own job-seeker profile)', method: 'PUT', path: '/me/seeker', session: true,
    valid: () => seekerProfile(),
    strings: ['work_status', 'prefecture', 'phone', 'contact_hours'], arrays: ['licences'], objects: ['experience', 'wishes'],
    missing: {}, required: ['work_status', 'prefecture', 'email_consent', 'experience', 'wishes'],
  },
  {
    name: 'seekers (registration at a center counter)', path: '/seekers', as: 'counselor13',
    valid: () => ({ name: '窓口 花子', name_kana: 'マドグチ ハナコ', ...seekerProfile() }),
    strings: ['name', 'name_kana', 'email', 'work_status', 'prefecture', 'phone', 'contact_hours'], arrays: ['licences'],
    objects: ['experience', 'wishes'], missing: {},
    required: ['name', 'name_kana', 'work_status', 'prefecture', 'email_consent', 'experience', 'wishes', 'licences'],
  },
  {
    name: 'me/email', path: '/me/email', session: true,
    valid: () => ({ email: uniqueEmail('newaddr'), password: session.password }),
    strings: ['email', 'password'], missing: {}, required: ['email', 'password'],
    status: { oversize: [401, 403, 422] },
  },
  {
    name: 'me/saved-searches (save a job search)', path: '/me/saved-searches', session: true,
    valid: () => ({ name: '都内の病院', query: { prefecture: '13', q: '看護' }, notify: true }),
    strings: ['name'], objects: ['query'], missing: {}, required: ['name', 'query', 'notify'],
  },
  {
    name: 'unsubscribe (mail link, no login)', path: '/unsubscribe', valid: () => ({ token: 'A'.repeat(43) }),
    strings: ['token'], missing: {}, required: ['token'], status: { oversize: [410, 422] },
  },
  {
    name: 'seeker-renewal (mail link, no login)', path: '/seeker-renewal', valid: () => ({ token: 'A'.repeat(43) }),
    strings: ['token'], missing: {}, required: ['token'], status: { oversize: [410, 422] },
  },
];

// A valid job-seeker profile (PUT /me/seeker) in Tokyo.
function seekerProfile() {
  return {
    work_status: 'not_working', prefecture: '13', phone: '090-1234-5678', contact_hours: '平日午前',
    email_consent: true,
    licences: [{ type: 'kangoshi', number: '123456', registered_on: '2015-04-01' }],
    experience: { years: 5, departments: ['internal'], skills: '採血', last_facility_type: 'hospital', career_break_months: 12 },
    wishes: { prefectures: ['13'], municipalities: ['13101'], employment_forms: ['jokin'], shift_patterns: ['day_only'],
      max_night_shifts: 0, wage: { type: 'monthly', min: 250000 }, facility_types: ['clinic'], departments: ['internal'],
      start_date: '2027-04-01', childcare: true, commute_minutes: 45 },
  };
}

// Serialises `body`, replacing the string value MARK by raw `replacement` bytes.
function withRaw(body, replacement) {
  const s = JSON.stringify(body);
  const i = s.indexOf(`"${MARK}"`);
  assert.ok(i >= 0);
  return Buffer.concat([Buffer.from(s.slice(0, i)), Buffer.from(replacement), Buffer.from(s.slice(i + MARK.length + 2))]);
}

// Cases: {what, json | raw, status: [..], field?, reasons?, missingAll?}
function casesFor(ep) {
  const v = ep.valid;
  const out = [];
  const first = Object.keys(v())[0];
  out.push({ what: 'truncated JSON', raw: JSON.stringify(v()).slice(0, -3), status: [400] });
  out.push({ what: 'duplicate key', raw: JSON.stringify(v()).replace(/^\{/, `{${JSON.stringify(first)}:"dup",`), status: [400] });
  out.push({ what: 'top-level array', raw: JSON.stringify([v()]), status: [400] });
  out.push({ what: 'top-level string', raw: '"x"', status: [400] });
  out.push({ what: 'unknown key', json: { ...v(), zzz_unknown: 'x' }, status: [422], field: 'zzz_unknown', reasons: ['unknown'] });
  out.push({ what: 'privilege key "role"', json: { ...v(), role: 'sysadmin' }, status: [422], field: 'role', reasons: ['unknown'] });
  out.push({ what: 'every required field missing', json: ep.missing, status: [422], missingAll: ep.required });
  for (const f of ep.strings) {
    out.push({ what: `${f}: number`, json: { ...v(), [f]: 12345 }, status: [422], field: f, reasons: ['type'] });
    out.push({ what: `${f}: nested object`, json: { ...v(), [f]: { a: 'b' } }, status: [422], field: f, reasons: ['type'] });
    out.push({ what: `${f}: array`, json: { ...v(), [f]: ['x'] }, status: [422], field: f, reasons: ['type'] });
    out.push({ what: `${f}: boolean`, json: { ...v(), [f]: true }, status: [422], field: f, reasons: ['type'] });
    // A route may cap its body below 1 MiB, so 413 is a fine answer too.
    out.push({ what: `${f}: 10,000 chars`, json: { ...v(), [f]: LONG }, status: [...(ep.status?.oversize || [422]), 413], field: f, reasons: ['too_long', 'invalid', 'weak'] });
    out.push({ what: `${f}: huge number`, raw: withRaw({ ...v(), [f]: MARK }, '1e400'), status: [400, 422] });
    out.push({ what: `${f}: huge integer`, raw: withRaw({ ...v(), [f]: MARK }, '123456789012345678901234567890'), status: [400, 422] });
    out.push({ what: `${f}: invalid UTF-8`, raw: withRaw({ ...v(), [f]: MARK }, Buffer.from([0x22, 0x61, 0xff, 0xc3, 0x28, 0x22])), status: [400] });
    out.push({ what: `${f}: NUL escape`, raw: withRaw({ ...v(), [f]: MARK }, '"a\\u0000b"'), status: [400, 422] });
    out.push({ what: `${f}: lone surrogate escape`, raw: withRaw({ ...v(), [f]: MARK }, '"a\\ud800b"'), status: [400, 422] });
  }
  for (const f of ep.arrays || []) {
    out.push({ what: `${f}: string`, json: { ...v(), [f]: 'kangoshi' }, status: [422], field: f, reasons: ['type'] });
    out.push({ what: `${f}: object`, json: { ...v(), [f]: { type: 'kangoshi' } }, status: [422], field: f, reasons: ['type'] });
  }
  for (const f of ep.objects || []) {
    out.push({ what: `${f}: string`, json: { ...v(), [f]: 'x' }, status: [422], field: f, reasons: ['type'] });
    out.push({ what: `${f}: array`, json: { ...v(), [f]: [] }, status: [422], field: f, reasons: ['type'] });
  }
  return out;
}

// Sends one case and checks it; returns null or a problem description.
async function check(ep, k, c) {
  const opts = k.raw !== undefined
    ? { body: k.raw, headers: { 'content-type': 'application/json' } }
    : { json: k.json };
  const before = await counts();
  const r = await c.req(ep.method || 'POST', `${API}${ep.path}`, opts);
  const after = await counts();
  const problems = [];
  if (!k.status.includes(r.status)) problems.push(`status ${r.status}, want ${k.status.join('|')}`);
  try {
    if (r.status === 400) assertError(r, 400, 'request.malformed_json');
    else if (r.status === 413) assertError(r, 413, 'request.too_large');
    else if (r.status === 422) {
      const fe = fieldErrors(r);
      if (k.field && k.status.length === 1) {
        const codes = fe[k.field] || [];
        if (!codes.some((code) => k.reasons.some((x) => code.endsWith('.' + x)))) {
          problems.push(`field errors ${JSON.stringify(fe)} lack ${k.field}.{${k.reasons}}`);
        }
      }
      for (const f of k.missingAll || []) {
        if (!(fe[f] || []).some((code) => code.endsWith('.missing'))) problems.push(`${f}.missing not reported (got ${JSON.stringify(fe)})`);
      }
    } else if (r.status >= 400) assertError(r, r.status);
  } catch (e) {
    problems.push(e.message.split('\n')[0]);
  }
  if (r.status >= 500) problems.push('server error');
  const d = diffCounts(before, after, ep.allow || []);
  if (Object.keys(d).length) problems.push(`database changed: ${JSON.stringify(d)}`);
  return problems.length ? `${k.what}: ${problems.join('; ')} — answer ${r.text.slice(0, 200)}` : null;
}

for (const ep of ENDPOINTS) {
  test(`bad input: ${ep.method || 'POST'} ${ep.path} — ${ep.name}`, async () => {
    await stableCounts();
    const problems = [];
    for (const k of casesFor(ep)) {
      const c = ep.as ? await demo(ep.as) : ep.session ? session.client : client();
      const p = await check(ep, k, c);
      if (p) problems.push(p);
    }
    assert.deepEqual(problems, []);
  });
}

test('rejected /me changes left the account as it was', async () => {
  const me = await session.client.me();
  assert.equal(me.status, 200, 'session still valid');
  assert.equal(me.json.user.email, session.email, 'e-mail unchanged');
  assert.equal((await client().login(session.email, session.password, { expect: null })).status, 200, 'password unchanged');
});

// Domain rules of the seeker registration (API.md "POST /auth/register").
const SEEKER_RULES = [
  ['kana with kanji', { name_kana: '看護 ハナコ' }, 'name_kana', ['not_katakana']],
  ['kana with latin letters', { name_kana: 'Kango Hanako' }, 'name_kana', ['not_katakana']],
  ['kana with SQL', { name_kana: SQL }, 'name_kana', ['not_katakana']],
  ['licence number with letters', { licences: [{ type: 'kangoshi', number: '12a456', registered_on: '2015-04-01' }] }, 'licences[0].number', ['invalid']],
  ['licence number of 11 digits', { licences: [{ type: 'kangoshi', number: '12345678901', registered_on: '2015-04-01' }] }, 'licences[0].number', ['invalid', 'too_long']],
  ['licence number empty', { licences: [{ type: 'kangoshi', number: '', registered_on: '2015-04-01' }] }, 'licences[0].number', ['invalid', 'missing', 'too_short']],
  ['licence number as number', { licences: [{ type: 'kangoshi', number: 123456, registered_on: '2015-04-01' }] }, 'licences[0].number', ['type']],
  ['licence number SQL', { licences: [{ type: 'kangoshi', number: SQL, registered_on: '2015-04-01' }] }, 'licences[0].number', ['invalid']],
  ['registration date in the future', { licences: [{ type: 'kangoshi', number: '123456', registered_on: FUTURE }] }, 'licences[0].registered_on', ['out_of_range', 'invalid']],
  ['registration date 2023-02-30', { licences: [{ type: 'kangoshi', number: '123456', registered_on: '2023-02-30' }] }, 'licences[0].registered_on', ['invalid']],
  ['registration date 2015-13-01', { licences: [{ type: 'kangoshi', number: '123456', registered_on: '2015-13-01' }] }, 'licences[0].registered_on', ['invalid']],
  ['registration date 2015/04/01', { licences: [{ type: 'kangoshi', number: '123456', registered_on: '2015/04/01' }] }, 'licences[0].registered_on', ['invalid']],
  ['unknown licence type', { licences: [{ type: 'doctor', number: '123456', registered_on: '2015-04-01' }] }, 'licences[0].type', ['invalid']],
  ['licence missing fields', { licences: [{}] }, 'licences[0].number', ['missing']],
  ['licence unknown key', { licences: [{ type: 'kangoshi', number: '1', registered_on: '2015-04-01', zzz: 1 }] }, 'licences[0].zzz', ['unknown']],
  ['no licence', { licences: [] }, 'licences', ['too_short', 'missing', 'invalid', 'out_of_range']],
  ['five licences', { licences: ['hokenshi', 'josanshi', 'kangoshi', 'junkangoshi', 'kangoshi'].map((t, i) => ({ type: t, number: String(100 + i), registered_on: '2015-04-01' })) }, 'licences', ['too_long', 'invalid', 'out_of_range']],
  ['licence entry not an object', { licences: ['kangoshi'] }, 'licences[0]', ['type']],
  ['email without @', { email: 'not-an-email' }, 'email', ['invalid']],
  ['email with SQL', { email: SQL }, 'email', ['invalid']],
  ['email with HTML', { email: `${HTML}@example.jp` }, 'email', ['invalid']],
  ['weak password', { password: 'short' }, 'password', ['weak', 'too_short']],
  ['unknown prefecture', { prefecture: '48' }, 'prefecture', ['invalid']],
  ['prefecture as a number', { prefecture: 13 }, 'prefecture', ['type']],
  ['phone with letters', { phone: 'call me maybe' }, 'phone', ['invalid']],
  ['unknown kind', { kind: 'sysadmin' }, 'kind', ['invalid']],
  ['empty name', { name: '' }, 'name', ['missing', 'too_short', 'invalid']],
  ['name of 10,000 characters', { name: LONG }, 'name', ['too_long']],
];

test('seeker registration rules: each bad field is a 422 naming it; DB unchanged', async () => {
  await stableCounts();
  const problems = [];
  for (const [what, over, field, reasons] of SEEKER_RULES) {
    const p = await check({ path: '/auth/register' }, { what, json: seekerBody(over), status: [422], field, reasons }, client());
    if (p) problems.push(p);
  }
  assert.deepEqual(problems, []);
});

test('all field errors are reported at once', async () => {
  const before = await stableCounts();
  const none = await client().post(`${API}/auth/register`, {});
  assert.ok((fieldErrors(none).kind || []).includes('kind.missing'), `{} reports kind.missing: ${none.text}`);
  const r = await client().post(`${API}/auth/register`, seekerBody({
    email: 'nope', name_kana: '漢字', prefecture: '99', zzz: 1,
    licences: [{ type: 'kangoshi', number: 'abc', registered_on: '2023-02-30' }],
  }));
  const fe = fieldErrors(r);
  for (const f of ['email', 'name_kana', 'prefecture', 'zzz', 'licences[0].number', 'licences[0].registered_on']) {
    assert.ok(fe[f], `${f} reported; got ${JSON.stringify(fe)}`);
  }
  assert.deepEqual(diffCounts(before, await counts()), {});
});

const FACILITY_RULES = [
  ['facility name kana with kanji', { name_kana: '病院' }, 'facility.name_kana', ['not_katakana']],
  ['municipality outside the prefecture', { municipality: '27100' }, 'facility.municipality', ['invalid']],
  ['unknown municipality', { municipality: '13999' }, 'facility.municipality', ['invalid']],
  ['unknown facility type', { facility_type: 'casino' }, 'facility.facility_type', ['invalid']],
  ['unknown prefecture', { prefecture: '00' }, 'facility.prefecture', ['invalid']],
  ['facility name of 10,000 characters', { name: LONG }, 'facility.name', ['too_long']],
  ['facility name as number', { name: 1 }, 'facility.name', ['type']],
  ['unknown nested key', { zzz: 1 }, 'facility.zzz', ['unknown']],
  ['nested privilege key', { status: 'approved' }, 'facility.status', ['unknown']],
];

test('facility registration rules; DB unchanged', async () => {
  await stableCounts();
  const problems = [];
  for (const [what, over, field, reasons] of FACILITY_RULES) {
    const body = facilityBody();
    body.facility = { ...body.facility, ...over };
    const p = await check({ path: '/auth/register' }, { what, json: body, status: [422], field, reasons }, client());
    if (p) problems.push(p);
  }
  const empty = facilityBody({ facility: {} });
  const r = await client().post(`${API}/auth/register`, empty);
  const fe = fieldErrors(r);
  for (const f of ['facility.name', 'facility.name_kana', 'facility.prefecture', 'facility.municipality', 'facility.facility_type']) {
    if (!(fe[f] || []).some((c) => c.endsWith('.missing'))) problems.push(`empty facility: ${f}.missing not reported (${JSON.stringify(fe)})`);
  }
  assert.deepEqual(problems, []);
});

test('SQL and HTML in free text are accepted and come back verbatim', async () => {
  for (const name of [HTML, SQL, '"><img src=x onerror=alert(1)>', '𠮷野 家 🍣 \\ " &amp; &#x3c;']) {
    const a = await registerVerified('seeker', { name });
    assert.equal(a.user.name, name, 'login answer has the name verbatim');
    const me = await a.client.me();
    assert.match(me.headers.get('content-type'), /^application\/json/);
    assert.equal(me.json.user.name, name, '/me has the name verbatim');
    assert.doesNotMatch(me.text, /&lt;|&gt;|&quot;/, 'not HTML-escaped in JSON');
  }
  const c = await counts();
  assert.ok(typeof c.users === 'number' && c.users > 0, 'users table still there');
});

test('a hiragana reading is either rejected as not katakana or stored as katakana', async () => {
  const body = seekerBody({ name_kana: 'かんご はなこ' });
  const r = await client().post(`${API}/auth/register`, body);
  if (r.status === 422) {
    assert.ok((fieldErrors(r).name_kana || []).includes('name_kana.not_katakana'), r.text);
    return;
  }
  assert.equal(r.status, 202, r.text);
  const a = await registerVerified('seeker', { name_kana: 'かんご はなこ' });
  assert.equal(a.user.name_kana, 'カンゴ ハナコ', 'stored as katakana, never as hiragana');
});

test('accepted normalisations: half-width kana, full-width digits and hyphens', async () => {
  const a = await registerVerified('seeker', {
    name_kana: 'ｶﾝｺﾞ ﾊﾅｺ',
    phone: '０９０－１２３４－５６７８',
    licences: [{ type: 'junkangoshi', number: '１２３４５６', registered_on: '2020-02-29' }],
  });
  assert.equal(a.user.name_kana, 'カンゴ ハナコ', 'kana stored NFKC-normalised (full-width)');
  const person = await findPerson(a.email);
  const rec = await (await demo('central')).get(`${API}/people/${encodeURIComponent(person.id)}`);
  assert.equal(rec.status, 200, rec.text);
  const text = JSON.stringify(rec.json);
  assert.ok(text.includes('"123456"'), `licence number stored with ASCII digits: ${text.slice(0, 400)}`);
  assert.ok(!text.includes('１２３４５６'), 'no full-width digits kept');
  const b = await registerVerified('seeker', {
    licences: [
      { type: 'hokenshi', number: '1', registered_on: '2000-01-01' },
      { type: 'josanshi', number: '1234567890', registered_on: '2001-04-01' },
      { type: 'kangoshi', number: '42', registered_on: '1999-12-31' },
      { type: 'junkangoshi', number: '0000000007', registered_on: '1990-03-31' },
    ],
  });
  assert.equal(b.user.role, 'seeker', 'four licences accepted');
  const noPhone = seekerBody();
  delete noPhone.phone;
  const r = await client().post(`${API}/auth/register`, noPhone);
  assert.equal(r.status, 202, `phone is optional: ${r.text}`);
});
