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
  {
    name: 'views (access statistics; counted only when valid)', path: '/views', valid: () => ({ path: '/jobs' }),
    strings: ['path'], missing: {}, required: ['path'],
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

// =================================================================================================
// Notifications (届出) and casework (相談員の業務): bad input on every new JSON write
// (docs/API.md "Notifications", "Casework"). Appended block; reuses casesFor() and withRaw()
// above, adds number/boolean and nested-member cases, and checks the database once per endpoint
// (nccs db-counts before and after all its cases) to keep the run short. The records the
// requests point at are made once, lazily (cwSetup).
// =================================================================================================
import { notifBody as cwNotifBody, fieldErrs as cwFieldErrs, licNo as cwLicNo, kanaName as cwKana, jstDate as cwDate } from './_notif.mjs';

let cwState = null;
function cwSetup() {
  cwState ||= (async () => {
    const [c13, fac13] = await Promise.all([demo('counselor13'), demo('facility13'), demo('admin13')]);
    const fid13 = fac13.user.facility_id;
    const active = await c13.post(`${API}/center/notifications`, cwNotifBody());
    assert.equal(active.status, 201, `setup: paper filing ${active.text.slice(0, 300)}`);
    const pending = await fac13.post(`${API}/facilities/${fid13}/notifications`, cwNotifBody());
    assert.equal(pending.status, 201, `setup: proxy filing ${pending.text.slice(0, 300)}`);
    const aid = active.json.notification.id;
    let task;
    for (let page = 1; !task && page <= 40; page++) {
      const l = await c13.get(`${API}/tasks?kind=notification&page=${page}&per_page=100`);
      assert.equal(l.status, 200, l.text.slice(0, 200));
      task = l.json.items.find((t) => t.notification_id === aid);
      if (!l.json.items.length) break;
    }
    assert.ok(task, 'setup: the task of the paper filing');
    const lic = cwLicNo();
    const A = await registerVerified('seeker', { name_kana: cwKana('ワルイ'), licences: [{ type: 'kangoshi', number: lic, registered_on: '2015-04-01' }] });
    const B = await c13.post(`${API}/center/notifications`, cwNotifBody({ licences: [{ type: 'kangoshi', number: lic, registered_on: '2015-04-01' }] }));
    assert.equal(B.status, 201, B.text.slice(0, 200));
    return {
      c13, fid13, active: active.json.notification, pendingId: pending.json.notification.id, taskId: task.id,
      personA: A.user.id, personB: B.json.notification.person_id,
    };
  })();
  return cwState;
}

const cwChange = (n) => ({
  reason: n.reason, event_date: n.event_date, last_workplace: n.last_workplace, last_workplace_name: n.last_workplace_name,
  work_status: n.work_status, holder: Object.fromEntries(Object.entries(n.holder).filter(([, v]) => v !== null)),
  licences: n.licences.map(({ type, number, registered_on }) => ({ type, number, registered_on })),
});
const NB_STRINGS = ['reason', 'event_date', 'last_workplace', 'last_workplace_name', 'work_status'];
const NB_REQUIRED = ['reason', 'event_date', 'work_status', 'holder', 'licences'];

const CW_ENDPOINTS = [
  {
    name: 'file a notification without a session', path: () => '/notifications',
    valid: () => ({ ...cwNotifBody({ holder: { email: uniqueEmail('bad') } }), password: 'correct-horse-7' }),
    strings: [...NB_STRINGS, 'center_prefecture', 'password'], objects: ['holder', 'seeker_opt_in'], arrays: ['licences'],
    missing: {}, required: [...NB_REQUIRED, 'password'], nested: true,
  },
  {
    name: 'file a notification as the nurse', path: () => '/notifications', session: true, valid: () => cwNotifBody(),
    strings: [...NB_STRINGS, 'center_prefecture'], objects: ['holder', 'seeker_opt_in'], arrays: ['licences'],
    missing: {}, required: NB_REQUIRED, nested: true,
  },
  {
    name: 'paper notification at the center', path: () => '/center/notifications', as: 'counselor13', valid: () => cwNotifBody(),
    strings: [...NB_STRINGS, 'center_prefecture'], objects: ['holder', 'seeker_opt_in'], arrays: ['licences'],
    missing: {}, required: NB_REQUIRED, nested: true,
  },
  {
    name: 'proxy notification by the facility', path: (s) => `/facilities/${s.fid13}/notifications`, as: 'facility13',
    valid: () => cwNotifBody(), strings: [...NB_STRINGS, 'center_prefecture'], objects: ['holder'], arrays: ['licences'],
    missing: {}, required: NB_REQUIRED, nested: true,
  },
  {
    name: 'change notification (変更届)', method: 'PUT', path: (s) => `/notifications/${s.active.id}`, as: 'counselor13',
    valid: (s) => cwChange(s.active), strings: NB_STRINGS, objects: ['holder'], arrays: ['licences'],
    missing: {}, required: NB_REQUIRED, nested: true,
  },
  {
    name: 'paper consent to a proxy filing', path: (s) => `/notifications/${s.pendingId}/consent`, as: 'counselor13',
    valid: () => ({ method: 'paper' }), strings: ['method'], missing: {}, required: ['method'],
  },
  {
    name: 'confirmation lookup (mail link)', path: () => '/notification-confirmations/lookup',
    valid: () => ({ token: 'A'.repeat(43) }), strings: ['token'], missing: {}, required: ['token'], status: { oversize: [410, 422] },
  },
  {
    name: 'confirmation (mail link)', path: () => '/notification-confirmations',
    valid: () => ({ token: 'A'.repeat(43), password: 'correct-horse-7' }), strings: ['token', 'password'],
    missing: {}, required: ['token'], status: { oversize: [410, 422] },
  },
  {
    name: 'assign a task', path: (s) => `/tasks/${s.taskId}/assign`, as: 'counselor13',
    valid: (s) => ({ assignee_id: s.c13.user.id }), strings: [], numbers: ['assignee_id'], missing: {}, required: ['assignee_id'],
  },
  {
    name: 'task done', path: (s) => `/tasks/${s.taskId}/done`, as: 'counselor13',
    valid: () => ({ outcome: 'contacted', note: '連絡済み' }), strings: ['outcome', 'note'], missing: {}, required: ['outcome'],
  },
  {
    name: 'center settings', method: 'PUT', path: () => '/center-settings', as: 'admin13',
    valid: () => ({ first_contact_days: 3 }), strings: [], numbers: ['first_contact_days'], missing: {}, required: ['first_contact_days'],
  },
  {
    name: 'staff grants', method: 'PUT', path: (s) => `/staff/${s.c13.user.id}/grants`, as: 'admin13',
    valid: () => ({ mental_health: true }), strings: [], booleans: ['mental_health'], missing: {}, required: ['mental_health'],
  },
  {
    name: 'consultation', path: () => '/consultations', as: 'counselor13',
    valid: (s) => ({ client_kind: 'nurse', person_id: s.personA, channel: 'phone', category: 'employment', consulted_on: cwDate(), summary: '相談内容', follow_up_on: cwDate(3), follow_up_note: 'メモ', campaign: '緊急確保' }),
    strings: ['client_kind', 'channel', 'category', 'consulted_on', 'summary', 'sensitive_note', 'follow_up_on', 'follow_up_note', 'campaign'],
    numbers: ['person_id'], missing: {}, required: ['client_kind', 'channel', 'category', 'consulted_on', 'summary'],
  },
  {
    name: 'merge duplicates', path: (s) => `/people/${s.personA}/merge`, as: 'counselor13',
    valid: (s) => ({ duplicate_id: s.personB }), strings: [], numbers: ['duplicate_id'], missing: {}, required: ['duplicate_id'],
  },
  {
    name: 'hand-over', path: (s) => `/people/${s.personA}/handover`, as: 'counselor13',
    valid: () => ({ to_prefecture: '27', consent: { method: 'written', on: cwDate() } }), strings: ['to_prefecture'],
    objects: ['consent'], missing: {}, required: ['to_prefecture', 'consent'],
  },
];

// The extra cases: numbers, booleans and the members of holder / licences / seeker_opt_in / consent.
function cwExtraCases(ep, s) {
  const v = () => ep.valid(s);
  const out = [];
  for (const f of ep.numbers || []) {
    out.push({ what: `${f}: string`, json: { ...v(), [f]: '3' }, status: [422], field: f, reasons: ['type'] });
    out.push({ what: `${f}: fraction`, json: { ...v(), [f]: 1.5 }, status: [422], field: f, reasons: ['type', 'invalid', 'out_of_range'] });
    out.push({ what: `${f}: boolean`, json: { ...v(), [f]: true }, status: [422], field: f, reasons: ['type'] });
    out.push({ what: `${f}: array`, json: { ...v(), [f]: [1] }, status: [422], field: f, reasons: ['type'] });
    out.push({ what: `${f}: negative`, json: { ...v(), [f]: -1 }, status: [422], field: f, reasons: ['invalid', 'out_of_range'] });
    out.push({ what: `${f}: 1e308`, json: { ...v(), [f]: 1e308 }, status: [422], field: f, reasons: ['invalid', 'out_of_range', 'type'] });
    out.push({ what: `${f}: 2^63`, raw: withRaw({ ...v(), [f]: MARK }, '9223372036854775808'), status: [400, 422] });
    out.push({ what: `${f}: 2^63-1`, raw: withRaw({ ...v(), [f]: MARK }, '9223372036854775807'), status: [404, 422] });
    out.push({ what: `${f}: 1e400`, raw: withRaw({ ...v(), [f]: MARK }, '1e400'), status: [400, 422] });
  }
  for (const f of ep.booleans || []) {
    for (const bad of ['true', 1, null, [], {}]) out.push({ what: `${f}: ${JSON.stringify(bad)}`, json: { ...v(), [f]: bad }, status: [422], field: f, reasons: ['type', 'missing'] });
  }
  if (ep.nested) {
    const h = (over) => ({ ...v(), holder: { ...v().holder, ...over } });
    out.push({ what: 'holder: every member missing at once', json: { ...v(), holder: {} }, status: [422],
      missingAll: ['holder.name', 'holder.name_kana', 'holder.birth_date', 'holder.postal_code', 'holder.address_prefecture', 'holder.address'] });
    for (const f of ['name', 'name_kana', 'birth_date', 'postal_code', 'address_prefecture', 'address', 'phone', 'email']) {
      out.push({ what: `holder.${f}: number`, json: h({ [f]: 12345 }), status: [422], field: `holder.${f}`, reasons: ['type'] });
      out.push({ what: `holder.${f}: 10,000 chars`, json: h({ [f]: LONG }), status: [422, 413], field: `holder.${f}`, reasons: ['too_long', 'invalid'] });
      out.push({ what: `holder.${f}: invalid UTF-8`, raw: withRaw(h({ [f]: MARK }), Buffer.from([0x22, 0xe3, 0x81, 0x22])), status: [400] });
    }
    out.push({ what: 'holder: unknown member', json: h({ role: 'sysadmin' }), status: [422], field: 'holder.role', reasons: ['unknown'] });
    out.push({ what: 'licences[0]: every member missing', json: { ...v(), licences: [{}] }, status: [422],
      missingAll: ['licences[0].type', 'licences[0].number', 'licences[0].registered_on'] });
    out.push({ what: 'licences[0]: not an object', json: { ...v(), licences: ['kangoshi'] }, status: [422], field: 'licences[0]', reasons: ['type'] });
    out.push({ what: 'licences: 10,000 entries', json: { ...v(), licences: Array.from({ length: 10000 }, () => ({ type: 'kangoshi', number: '1', registered_on: '2015-04-01' })) }, status: [413, 422] });
    if ((ep.objects || []).includes('seeker_opt_in')) {
      for (const [bad, reasons] of [['5', ['type']], [1e308, ['out_of_range', 'type']], [-1, ['out_of_range']], [2.5, ['type', 'invalid', 'out_of_range']]]) {
        out.push({ what: `seeker_opt_in.experience_years: ${bad}`, json: { ...v(), seeker_opt_in: { experience_years: bad } }, status: [422], field: 'seeker_opt_in.experience_years', reasons });
      }
      out.push({ what: 'seeker_opt_in: 2^63', raw: withRaw({ ...v(), seeker_opt_in: { experience_years: MARK } }, '9223372036854775808'), status: [400, 422] });
    }
  }
  if ((ep.objects || []).includes('consent')) {
    out.push({ what: 'consent: every member missing', json: { ...v(), consent: {} }, status: [422], missingAll: ['consent.method', 'consent.on'] });
    out.push({ what: 'consent.method: number', json: { ...v(), consent: { method: 1, on: cwDate() } }, status: [422], field: 'consent.method', reasons: ['type'] });
    out.push({ what: 'consent.on: not a date', json: { ...v(), consent: { method: 'written', on: '2026-02-30' } }, status: [422], field: 'consent.on', reasons: ['invalid'] });
    out.push({ what: 'consent: unknown member', json: { ...v(), consent: { method: 'written', on: cwDate(), by: 'x' } }, status: [422], field: 'consent.by', reasons: ['unknown'] });
  }
  return out;
}

async function cwCheck(ep, k, c, path) {
  const opts = k.raw !== undefined ? { body: k.raw, headers: { 'content-type': 'application/json' } } : { json: k.json };
  const r = await c.req(ep.method || 'POST', `${API}${path}`, opts);
  const problems = [];
  if (!k.status.includes(r.status)) problems.push(`status ${r.status}, want ${k.status.join('|')}`);
  try {
    if (r.status === 400) assertError(r, 400, 'request.malformed_json');
    else if (r.status === 413) assertError(r, 413, 'request.too_large');
    else if (r.status === 422) {
      const fe = cwFieldErrs(r);
      if (k.field && k.status.length === 1 && !(fe[k.field] || []).some((code) => k.reasons.some((x) => code.endsWith('.' + x)))) {
        problems.push(`field errors ${JSON.stringify(fe)} lack ${k.field}.{${k.reasons}}`);
      }
      for (const f of k.missingAll || []) {
        if (!(fe[f] || []).some((code) => code.endsWith('.missing'))) problems.push(`${f}.missing not reported (got ${JSON.stringify(fe)})`);
      }
    } else if (r.status >= 400) assertError(r, r.status);
  } catch (e) {
    problems.push(e.message.split('\n')[0]);
  }
  return problems.length ? `${k.what}: ${problems.join('; ')} — answer ${r.text.slice(0, 200)}` : null;
}

for (const ep of CW_ENDPOINTS) {
  test(`bad input: ${ep.method || 'POST'} ${ep.name} — JSON errors, every field error at once, DB unchanged`, async () => {
    const s = await cwSetup();
    const path = ep.path(s);
    const epv = { ...ep, valid: () => ep.valid(s) };
    const c = ep.as ? await demo(ep.as) : ep.session ? session.client : client();
    const before = await stableCounts();
    const problems = [];
    for (const k of [...casesFor(epv), ...cwExtraCases(ep, s)]) {
      const p = await cwCheck(ep, k, c, path);
      if (p) problems.push(p);
    }
    const after = await counts();
    assert.deepEqual(problems, []);
    assert.deepEqual(diffCounts(before, after), {}, 'database unchanged by the rejected requests');
  });
}

test('notifications and casework: the valid bodies of the bad-input cases are accepted (the cases test one defect each)', async () => {
  const s = await cwSetup();
  // Dry checks that would not change the records the other cases point at.
  const c13 = await demo('counselor13');
  const r = await c13.post(`${API}/center/notifications`, cwNotifBody());
  assert.equal(r.status, 201, r.text.slice(0, 300));
  const put = await c13.req('PUT', `${API}/notifications/${s.active.id}`, { json: cwChange(s.active) });
  assert.equal(put.status, 200, `the PUT body used above is valid: ${put.text.slice(0, 300)}`);
  const a = await c13.post(`${API}/tasks/${s.taskId}/assign`, { assignee_id: c13.user.id });
  assert.equal(a.status, 200, a.text.slice(0, 300));
  const g = await (await demo('admin13')).req('PUT', `${API}/center-settings`, { json: { first_contact_days: 3 } });
  assert.equal(g.status, 200, g.text.slice(0, 300));
  const d = await c13.get(`${API}/people/${s.personA}/duplicates`);
  assert.ok(d.json.items.some((x) => x.person.id === s.personB), 'the merge target is a real candidate');
});

// =================================================================================================
// Help desk (ヘルプデスク): the writes with a body, through the same cases and checks as above
// (casesFor, cwCheck). The reply case needs a ticket, opened once by counselor13; close takes no
// body (a member is 422 `<key>.unknown`, covered in helpdesk.test.mjs).
// =================================================================================================
let hdState = null;
function hdSetup() {
  hdState ||= (async () => {
    const r = await (await demo('counselor13')).post(`${API}/helpdesk/tickets`, { category: 'other', subject: '入力検査', description: '入力検査用' });
    assert.equal(r.status, 201, `setup: help-desk ticket ${r.text.slice(0, 300)}`);
    return { ticketId: r.json.ticket.id };
  })();
  return hdState;
}

const HD_ENDPOINTS = [
  {
    name: 'open a help-desk ticket', path: () => '/helpdesk/tickets', as: 'counselor13',
    valid: () => ({ category: 'other', subject: '件名', description: '内容' }),
    strings: ['category', 'subject', 'description'], missing: {}, required: ['category', 'subject', 'description'],
  },
  {
    name: 'reply to a help-desk ticket', path: (s) => `/helpdesk/tickets/${s.ticketId}/replies`, as: 'central',
    valid: () => ({ body: '回答' }), strings: ['body'], missing: {}, required: ['body'],
  },
];

for (const ep of HD_ENDPOINTS) {
  test(`bad input: POST ${ep.name} — JSON errors, every field error at once, DB unchanged`, async () => {
    const s = await hdSetup();
    const path = ep.path(s);
    const c = await demo(ep.as);
    const before = await stableCounts();
    const problems = [];
    for (const k of casesFor(ep)) {
      const p = await cwCheck(ep, k, c, path);
      if (p) problems.push(p);
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(diffCounts(before, await counts()), {}, 'database unchanged by the rejected requests');
  });
}

// =================================================================================================
// Report builds: POST /report-builds through the same cases (a rejected build queues no job and
// writes no report_builds row); fiscal_year is an integer, so its wrong types are listed here.
// =================================================================================================
const RB_ENDPOINT = {
  name: 'all-tables report build', path: () => '/report-builds', as: 'central',
  valid: () => ({ fiscal_year: 2009, format: 'zip' }),
  strings: ['format', 'prefecture'], missing: {}, required: ['fiscal_year', 'format'],
};
test(`bad input: POST ${RB_ENDPOINT.name} — JSON errors, every field error at once, DB unchanged`, async () => {
  const c = await demo(RB_ENDPOINT.as);
  const before = await stableCounts();
  const problems = [];
  const cases = [
    ...casesFor(RB_ENDPOINT),
    { what: 'fiscal_year: string', json: { fiscal_year: '2009', format: 'zip' }, status: [422], field: 'fiscal_year', reasons: ['type'] },
    { what: 'fiscal_year: 1999', json: { fiscal_year: 1999, format: 'zip' }, status: [422], field: 'fiscal_year', reasons: ['out_of_range'] },
    { what: 'fiscal_year: huge', raw: '{"fiscal_year": 123456789012345678901234567890, "format": "zip"}', status: [400, 422] },
    { what: 'format: unknown', json: { fiscal_year: 2009, format: 'pdf' }, status: [422], field: 'format', reasons: ['invalid'] },
    { what: 'prefecture: SQL', json: { fiscal_year: 2009, format: 'zip', prefecture: "1'" }, status: [422], field: 'prefecture', reasons: ['invalid'] },
    { what: 'prefecture: 99', json: { fiscal_year: 2009, format: 'zip', prefecture: '99' }, status: [422], field: 'prefecture', reasons: ['invalid'] },
  ];
  for (const k of cases) {
    const p = await cwCheck(RB_ENDPOINT, k, c, '/report-builds');
    if (p) problems.push(p);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(diffCounts(before, await counts()), {}, 'database unchanged by the rejected requests');
});
