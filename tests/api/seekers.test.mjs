// Job seekers (求職者): own profile (GET/PUT /me/seeker), renewal and pause, staff access to
// /people/{id}/seeker within their prefecture (audited), registration at a center counter
// (POST /seekers, channel "center", no password), bad input on every write (DB and the stored
// profile unchanged), and the demo profiles of nurse13 and nurse27.
//
// The demo nurses' profiles are only read here (other files rely on them); every write goes to
// seekers registered by this file.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  API, client, demo, registerVerified, uniqueEmail, assertError, fieldErrors, counts, stableCounts,
  diffCounts, findPerson, waitMail, JP_RE,
} from './_lib.mjs';

const SQL = "'; DROP TABLE seekers; --";
const HTML = '<script>alert(1)</script>';
const JS = 'javascript:alert(document.cookie)';
const LONG = 'あ'.repeat(10000);
const MARK = '__NCCS_MARK__';
const VALIDITY_MONTHS = 6; // SEEKER_VALIDITY_MONTHS (docs/API.md)

const SEEKER_KEYS = ['user_id', 'name', 'name_kana', 'email', 'channel', 'phone', 'prefecture', 'work_status',
  'contact_hours', 'email_consent', 'licences', 'experience', 'wishes', 'status', 'valid_until', 'expired',
  'last_activity_at', 'created_at', 'updated_at'];
const EXPERIENCE_KEYS = ['years', 'departments', 'skills', 'last_facility_type', 'career_break_months'];
const WISH_KEYS = ['prefectures', 'municipalities', 'employment_forms', 'shift_patterns', 'max_night_shifts', 'wage',
  'facility_types', 'departments', 'start_date', 'childcare', 'commute_minutes'];
// DESIGN.md §2: the schema has no such fields.
const FORBIDDEN = /honseki|birthplace|domicile|race|ethnic|nationality|belief|religion|union|income|appearance|photo|height|weight/i;

function profile(over = {}) {
  return {
    work_status: 'not_working', prefecture: '13', phone: '090-1111-2222', contact_hours: '平日 18時以降',
    email_consent: true,
    experience: { years: 7, departments: ['internal', 'icu'], skills: '人工呼吸器管理、急変対応', last_facility_type: 'hospital', career_break_months: 24 },
    wishes: {
      prefectures: ['13', '14'], municipalities: ['13101', '14101'], employment_forms: ['jokin', 'hijokin'],
      shift_patterns: ['day_only', 'two_shift'], max_night_shifts: 4, wage: { type: 'monthly', min: 280000 },
      facility_types: ['hospital', 'clinic'], departments: ['internal'], start_date: '2027-04-01', childcare: true,
      commute_minutes: 60,
    },
    ...over,
  };
}

const me = (c) => c.get(`${API}/me/seeker`);
const putMe = (c, json, opts = {}) => c.req('PUT', `${API}/me/seeker`, { json, ...opts });
const personPath = (id) => `${API}/people/${encodeURIComponent(id)}/seeker`;

function assertSeeker(s) {
  assert.ok(s && typeof s === 'object', 'seeker object');
  assert.deepEqual(Object.keys(s).sort(), [...SEEKER_KEYS].sort(), 'Seeker has exactly the documented keys');
  assert.deepEqual(Object.keys(s.experience).sort(), [...EXPERIENCE_KEYS].sort());
  assert.deepEqual(Object.keys(s.wishes).sort(), [...WISH_KEYS].sort());
  assert.ok(['active', 'paused', 'closed'].includes(s.status), `status ${s.status}`);
  assert.match(s.valid_until, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(Array.isArray(s.licences) && s.licences.length >= 1, 'licences listed');
  for (const k of JSON.stringify(s).match(/"[a-z_]+":/g)) assert.doesNotMatch(k, FORBIDDEN, `no forbidden personal field ${k}`);
}

// JST date `months` months after today, day clamped to the month's end (the documented rule).
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

// A verified seeker of prefecture `pref` with a saved profile; returns {client, id, email, seeker}.
async function newSeeker(pref = '13', over = {}) {
  const a = await registerVerified('seeker', { prefecture: pref });
  const r = await putMe(a.client, profile({ prefecture: pref, ...over }));
  assert.equal(r.status, 201, `first PUT creates: ${r.text.slice(0, 400)}`);
  assertSeeker(r.json.seeker);
  return { client: a.client, id: a.user.id, email: a.email, seeker: r.json.seeker };
}

let tokyo; // a Tokyo seeker with a profile, used by the access tests
before(async () => {
  tokyo = await newSeeker('13');
});

test('demo nurses have profiles with licences and wishes', async () => {
  for (const [name, pref] of [['nurse13', '13'], ['nurse27', '27']]) {
    const r = await me(await demo(name));
    assert.equal(r.status, 200, `${name}: ${r.text.slice(0, 300)}`);
    const s = r.json.seeker;
    assertSeeker(s);
    assert.equal(s.prefecture, pref);
    assert.ok(s.wishes.prefectures.length > 0 && s.wishes.employment_forms.length > 0, `${name} has wishes`);
    assert.ok(s.wishes.wage && s.wishes.wage.min > 0, `${name} has a wage wish`);
    assert.ok(s.experience.years > 0 && s.experience.departments.length > 0, `${name} has experience`);
  }
});

test('PUT /me/seeker creates, GET returns it normalised, a second PUT replaces it', async () => {
  const a = await registerVerified('seeker', { prefecture: '13' });
  const none = await me(a.client);
  assertError(none, 404, 'resource.not_found');
  const body = profile({
    phone: '０９０－３３３３－４４４４',
    wishes: { ...profile().wishes, municipalities: ['１３１０１'] },
    experience: { ...profile().experience, skills: `  ${HTML} ${SQL} ${JS}  ` },
  });
  const r = await putMe(a.client, body);
  assert.equal(r.status, 201, r.text);
  const s = r.json.seeker;
  assertSeeker(s);
  assert.equal(s.user_id, a.user.id);
  assert.equal(s.status, 'active');
  assert.equal(s.expired, false);
  assert.equal(s.valid_until, validUntil(), `valid ${VALIDITY_MONTHS} months after the last activity`);
  assert.equal(s.wishes.municipalities[0], '13101', 'full-width digits normalised');
  assert.equal(s.experience.skills, `${HTML} ${SQL} ${JS}`, 'text stored verbatim (trimmed), not escaped');
  assert.deepEqual(s.wishes.wage, { type: 'monthly', min: 280000 });
  assert.deepEqual(s.licences, a.body.licences, 'licences of the registration are shown');
  assert.equal(s.channel, 'pc');
  const g = await me(a.client);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.seeker, s, 'GET returns what PUT answered');

  // Replace: absent optional members are cleared, licences replaced when sent.
  const lic = [{ type: 'junkangoshi', number: '７７７', registered_on: '2010-03-31' }, { type: 'hokenshi', number: '42', registered_on: '2012-04-01' }];
  const r2 = await putMe(a.client, { work_status: 'employed', prefecture: '13', email_consent: false, experience: { years: 0 }, wishes: {}, licences: lic });
  assert.equal(r2.status, 200, r2.text);
  const s2 = r2.json.seeker;
  assertSeeker(s2);
  assert.equal(s2.work_status, 'employed');
  assert.equal(s2.phone, null);
  assert.equal(s2.contact_hours, null);
  assert.equal(s2.email_consent, false);
  assert.deepEqual(s2.wishes.prefectures, []);
  assert.equal(s2.wishes.wage, null);
  assert.equal(s2.wishes.childcare, false);
  assert.equal(s2.created_at, s.created_at, 'created_at kept');
  assert.deepEqual(s2.licences, [{ type: 'junkangoshi', number: '777', registered_on: '2010-03-31' }, { type: 'hokenshi', number: '42', registered_on: '2012-04-01' }]);
  // Without `licences` they stay.
  const r3 = await putMe(a.client, profile());
  assert.equal(r3.status, 200);
  assert.deepEqual(r3.json.seeker.licences, s2.licences);
  const hourly = await putMe(a.client, profile({ wishes: { wage: { type: 'hourly', min: 1900 } } }));
  assert.equal(hourly.status, 200, hourly.text);
  assert.deepEqual(hourly.json.seeker.wishes.wage, { type: 'hourly', min: 1900 });
});

test('pause and one-click renewal', async () => {
  const s = await newSeeker('13');
  const p = await s.client.post(`${API}/me/seeker/pause`);
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.seeker.status, 'paused');
  const p2 = await s.client.post(`${API}/me/seeker/pause`);
  assert.equal(p2.status, 200, 'pausing twice is fine');
  // Saving the profile keeps the state.
  const u = await putMe(s.client, profile());
  assert.equal(u.json.seeker.status, 'paused');
  const n = await s.client.req('POST', `${API}/me/seeker/renew`);
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.seeker.status, 'active');
  assert.equal(n.json.seeker.valid_until, validUntil());
  assert.ok(n.json.seeker.last_activity_at >= s.seeker.last_activity_at);
  const a = await registerVerified('seeker');
  assertError(await a.client.post(`${API}/me/seeker/renew`), 404, 'resource.not_found');
  assertError(await a.client.post(`${API}/me/seeker/pause`), 404, 'resource.not_found');
  const bad = await s.client.post(`${API}/me/seeker/renew`, { status: 'closed' });
  assert.ok((fieldErrors(bad).status || []).includes('status.unknown'), bad.text);
});

test('staff of the prefecture read (audited) and update; others get 403/404', async () => {
  const c13 = await demo('counselor13');
  const r = await c13.get(personPath(tokyo.id));
  assert.equal(r.status, 200, r.text);
  assertSeeker(r.json.seeker);
  assert.deepEqual(r.json.seeker.wishes, tokyo.seeker.wishes);
  const views = await tokyo.client.get(`${API}/me/views`);
  assert.equal(views.status, 200);
  assert.ok(views.json.items.some((v) => v.action === 'read' && v.actor_role === 'counselor'), 'the read is in /me/views');
  const audit = await c13.get(`${API}/people/${tokyo.id}/audit`);
  assert.ok(audit.json.items.some((x) => x.action === 'read' && x.target === 'seeker'), 'audited with target seeker');

  const u = await c13.req('PUT', personPath(tokyo.id), { json: profile({ contact_hours: '土曜午前', work_status: 'on_leave' }) });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.seeker.contact_hours, '土曜午前');
  const own = await me(tokyo.client);
  assert.equal(own.json.seeker.work_status, 'on_leave', 'the nurse sees the counselor\'s update');
  const audit2 = await c13.get(`${API}/people/${tokyo.id}/audit`);
  assert.ok(audit2.json.items.some((x) => x.action === 'update' && x.target === 'seeker'), 'update audited');
  // Center staff cannot move a seeker to another prefecture's center.
  const move = await c13.req('PUT', personPath(tokyo.id), { json: profile({ prefecture: '27' }) });
  assert.ok((fieldErrors(move).prefecture || []).includes('prefecture.invalid'), move.text);
  assert.equal((await (await demo('admin13')).get(personPath(tokyo.id))).status, 200);
  assert.equal((await (await demo('central')).get(personPath(tokyo.id))).status, 200);

  const before = await me(tokyo.client);
  const c27 = await demo('counselor27');
  const missing = await c27.get(personPath(987654321));
  for (const [who, status] of [['counselor27', 404], ['facility13', 403], ['staff13', 403], ['nurse13', 403], ['nurse27', 403]]) {
    const c = await demo(who);
    const g = await c.get(personPath(tokyo.id));
    assertError(g, status, status === 404 ? 'resource.not_found' : 'auth.forbidden');
    if (status === 404) assert.equal(g.text, missing.text, 'out of scope looks exactly like missing');
    const p = await c.req('PUT', personPath(tokyo.id), { json: profile({ contact_hours: who }) });
    assertError(p, status, status === 404 ? 'resource.not_found' : 'auth.forbidden');
  }
  const other = await newSeeker('13');
  assertError(await other.client.get(personPath(tokyo.id)), 403, 'auth.forbidden');
  assertError(await client().get(personPath(tokyo.id)), 401, 'auth.required');
  assertError(await client().get(`${API}/me/seeker`), 401, 'auth.required');
  assertError(await (await demo('facility13')).get(`${API}/me/seeker`), 403, 'auth.forbidden');
  assertError(await (await demo('counselor13')).get(`${API}/me/seeker`), 403, 'auth.forbidden');
  const after = await me(tokyo.client);
  assert.deepEqual(after.json.seeker, before.json.seeker, 'denied writes changed nothing');
  // Another nurse's /me/seeker is their own, never tokyo's.
  const o = await me(other.client);
  assert.equal(o.json.seeker.user_id, other.id);
});

test('counselor registers a nurse at the counter (channel center, no password)', async () => {
  const c13 = await demo('counselor13');
  const body = {
    name: '窓口 一子', name_kana: 'まどぐち いちこ', ...profile(),
    licences: [{ type: 'kangoshi', number: '555555', registered_on: '2005-04-01' }],
  };
  const r = await c13.post(`${API}/seekers`, body);
  assert.equal(r.status, 201, r.text);
  assert.ok(Number.isInteger(r.json.id));
  const s = r.json.seeker;
  assertSeeker(s);
  assert.equal(s.user_id, r.json.id);
  assert.equal(s.channel, 'center');
  assert.equal(s.name_kana, 'マドグチ イチコ');
  assert.match(s.email, /@center\.invalid$/, 'a placeholder address when none was given');
  const person = await c13.get(`${API}/people/${r.json.id}`);
  assert.equal(person.status, 200, person.text);
  assert.equal(person.json.person.channel, 'center');
  assert.equal(person.json.person.role, 'seeker');
  assert.deepEqual(person.json.person.licences, [{ type: 'kangoshi', number: '555555', registered_on: '2005-04-01' }]);
  const audit = await c13.get(`${API}/people/${r.json.id}/audit`);
  assert.ok(audit.json.items.some((x) => x.action === 'create' && x.target === 'seeker'), 'registration audited');
  assertError(await (await demo('counselor27')).get(personPath(r.json.id)), 404, 'resource.not_found');

  // With an e-mail address: a password-set link is mailed.
  const email = uniqueEmail('counter');
  const since = Date.now() - 5;
  const w = await c13.post(`${API}/seekers`, { ...body, email: email.toUpperCase() });
  assert.equal(w.status, 201, w.text);
  assert.equal(w.json.seeker.email, email);
  const m = await waitMail({ to: email, since, textIncludes: 'token=' });
  assert.match(m.text, /password-reset\?token=/);
  const taken = await c13.post(`${API}/seekers`, { ...body, email });
  assert.ok((fieldErrors2(taken).email || []).includes('email.duplicate'), taken.text);
  const other = await c13.post(`${API}/seekers`, { ...body, prefecture: '27' });
  assert.ok((fieldErrors(other).prefecture || []).includes('prefecture.invalid'), other.text);
  const c27 = await (await demo('counselor27')).post(`${API}/seekers`, { ...body, prefecture: '27' });
  assert.equal(c27.status, 201, c27.text);
  for (const who of ['central', 'sysadmin', 'facility13', 'nurse13']) {
    assertError(await (await demo(who)).post(`${API}/seekers`, body), 403, 'auth.forbidden');
  }
});

// fieldErrors without the documented-reason check (email.duplicate is documented in API.md but not
// in the shared helper's list).
function fieldErrors2(r) {
  const e = assertError(r, 422, 'validation.failed');
  const out = {};
  for (const f of e.fields) {
    assert.match(f.message, JP_RE);
    (out[f.field] ||= []).push(f.code);
  }
  return out;
}

// ---- bad input ----------------------------------------------------------------------------------

// Serialises `body`, replacing the string value MARK by raw bytes.
function withRaw(body, replacement) {
  const s = JSON.stringify(body);
  const i = s.indexOf(`"${MARK}"`);
  assert.ok(i >= 0);
  return Buffer.concat([Buffer.from(s.slice(0, i)), Buffer.from(replacement), Buffer.from(s.slice(i + MARK.length + 2))]);
}
const set = (path, value) => {
  const b = profile();
  const keys = path.split('.');
  let o = b;
  for (const k of keys.slice(0, -1)) o = o[k];
  if (value === undefined) delete o[keys.at(-1)];
  else o[keys.at(-1)] = value;
  return b;
};

// [what, body (object) or raw (Buffer/string), status, field?, reasons?]
const CASES = [
  ['truncated JSON', JSON.stringify(profile()).slice(0, -3), 400],
  ['not JSON', 'work_status=employed', 400],
  ['duplicate key', JSON.stringify(profile()).replace(/^\{/, '{"work_status":"student",'), 400],
  ['top-level array', JSON.stringify([profile()]), 400],
  ['invalid UTF-8 in skills', withRaw(set('experience.skills', MARK), Buffer.from([0x22, 0x61, 0xff, 0xc3, 0x28, 0x22])), 400],
  ['NUL in contact hours', withRaw(set('contact_hours', MARK), '"a\\u0000b"'), [400, 422]],
  ['lone surrogate in skills', withRaw(set('experience.skills', MARK), '"a\\ud800b"'), [400, 422]],
  ['huge number as years', withRaw(set('experience.years', MARK), '1e400'), [400, 422]],
  ['huge integer as wage', withRaw(set('wishes.wage.min', MARK), '123456789012345678901234567890'), [400, 422]],
  ['empty body object', {}, 422, 'work_status', ['missing']],
  ['unknown key', { ...profile(), zzz: 1 }, 422, 'zzz', ['unknown']],
  ['privilege key status', { ...profile(), status: 'active' }, 422, 'status', ['unknown']],
  ['privilege key valid_until', { ...profile(), valid_until: '2099-01-01' }, 422, 'valid_until', ['unknown']],
  ['forbidden field birthplace', { ...profile(), birthplace: '東京都' }, 422, 'birthplace', ['unknown']],
  ['nested unknown key', set('wishes.religion', 'x'), 422, 'wishes.religion', ['unknown']],
  ['missing work_status', set('work_status', undefined), 422, 'work_status', ['missing']],
  ['missing experience', set('experience', undefined), 422, 'experience', ['missing']],
  ['missing years', set('experience.years', undefined), 422, 'experience.years', ['missing']],
  ['missing email_consent', set('email_consent', undefined), 422, 'email_consent', ['missing']],
  ['work_status unknown code', set('work_status', 'retired'), 422, 'work_status', ['invalid']],
  ['work_status as number', set('work_status', 1), 422, 'work_status', ['type']],
  ['prefecture 48', set('prefecture', '48'), 422, 'prefecture', ['invalid']],
  ['prefecture SQL', set('prefecture', SQL), 422, 'prefecture', ['invalid']],
  ['email_consent as string', set('email_consent', 'yes'), 422, 'email_consent', ['type']],
  ['phone with letters', set('phone', 'call me'), 422, 'phone', ['invalid']],
  ['contact hours 10,000 chars', set('contact_hours', LONG), [413, 422], 'contact_hours', ['too_long']],
  ['skills 10,000 chars', set('experience.skills', LONG), [413, 422], 'experience.skills', ['too_long']],
  ['skills as array', set('experience.skills', ['a']), 422, 'experience.skills', ['type']],
  ['years negative', set('experience.years', -1), 422, 'experience.years', ['out_of_range']],
  ['years huge', set('experience.years', 99999999999), 422, 'experience.years', ['out_of_range']],
  ['years as string', set('experience.years', '7'), 422, 'experience.years', ['type']],
  ['years fractional', set('experience.years', 7.5), 422, 'experience.years', ['type']],
  ['experience as string', set('experience', 'lots'), 422, 'experience', ['type']],
  ['department unknown', set('experience.departments', ['internal', 'astrology']), 422, 'experience.departments[1]', ['invalid']],
  ['department HTML', set('wishes.departments', [HTML]), 422, 'wishes.departments[0]', ['invalid']],
  ['last facility type unknown', set('experience.last_facility_type', 'casino'), 422, 'experience.last_facility_type', ['invalid']],
  ['career break huge', set('experience.career_break_months', 1e12), 422, 'experience.career_break_months', ['out_of_range']],
  ['wish prefectures as string', set('wishes.prefectures', '13'), 422, 'wishes.prefectures', ['type']],
  ['wish prefecture 00', set('wishes.prefectures', ['00']), 422, 'wishes.prefectures[0]', ['invalid']],
  ['municipality of 4 digits', set('wishes.municipalities', ['1310']), 422, 'wishes.municipalities[0]', ['invalid']],
  ['municipality unknown', set('wishes.municipalities', ['13999']), 422, 'wishes.municipalities[0]', ['invalid']],
  ['municipality SQL', set('wishes.municipalities', [SQL]), 422, 'wishes.municipalities[0]', ['invalid']],
  ['municipality as number', set('wishes.municipalities', [13101]), 422, 'wishes.municipalities[0]', ['type']],
  ['51 municipalities', set('wishes.municipalities', Array.from({ length: 51 }, (_, i) => String(13101 + i))), 422, 'wishes.municipalities', ['too_long']],
  ['employment form unknown', set('wishes.employment_forms', ['slave']), 422, 'wishes.employment_forms[0]', ['invalid']],
  ['shift pattern JS', set('wishes.shift_patterns', [JS]), 422, 'wishes.shift_patterns[0]', ['invalid']],
  ['night shifts 32', set('wishes.max_night_shifts', 32), 422, 'wishes.max_night_shifts', ['out_of_range']],
  ['wage type annual', set('wishes.wage', { type: 'annual', min: 4000000 }), 422, 'wishes.wage.type', ['invalid']],
  ['wage without amount', set('wishes.wage', { type: 'monthly' }), 422, 'wishes.wage.min', ['missing']],
  ['wage zero', set('wishes.wage', { type: 'monthly', min: 0 }), 422, 'wishes.wage.min', ['out_of_range']],
  ['wage huge', set('wishes.wage', { type: 'monthly', min: 9007199254740991 }), 422, 'wishes.wage.min', ['out_of_range']],
  ['hourly wage of a monthly amount', set('wishes.wage', { type: 'hourly', min: 300000 }), 422, 'wishes.wage.min', ['out_of_range']],
  ['wage as number', set('wishes.wage', 250000), 422, 'wishes.wage', ['type']],
  ['facility type unknown', set('wishes.facility_types', ['casino']), 422, 'wishes.facility_types[0]', ['invalid']],
  ['start date 2027-02-30', set('wishes.start_date', '2027-02-30'), 422, 'wishes.start_date', ['invalid']],
  ['start date SQL', set('wishes.start_date', SQL), 422, 'wishes.start_date', ['invalid', 'too_long']],
  ['childcare as number', set('wishes.childcare', 1), 422, 'wishes.childcare', ['type']],
  ['commute 601 minutes', set('wishes.commute_minutes', 601), 422, 'wishes.commute_minutes', ['out_of_range']],
  ['licences empty', { ...profile(), licences: [] }, 422, 'licences', ['missing']],
  ['licence number SQL', { ...profile(), licences: [{ type: 'kangoshi', number: SQL, registered_on: '2015-04-01' }] }, 422, 'licences[0].number', ['invalid']],
  ['licence in the future', { ...profile(), licences: [{ type: 'kangoshi', number: '1', registered_on: '2999-04-01' }] }, 422, 'licences[0].registered_on', ['out_of_range']],
];

// Sends every case with `send(opts)`; checks status, error shape and that neither the DB counts nor
// the stored profile (read with `read()`) changed.
async function runCases(send, read, extraCases = []) {
  await stableCounts();
  const problems = [];
  for (const [what, body, status, field, reasons] of [...CASES, ...extraCases]) {
    const opts = typeof body === 'object' && !Buffer.isBuffer(body)
      ? { json: body }
      : { body, headers: { 'content-type': 'application/json' } };
    const before = await counts();
    const stored = await read();
    const r = await send(opts);
    const after = await counts();
    const storedAfter = await read();
    const want = [].concat(status);
    const p = [];
    if (!want.includes(r.status)) p.push(`status ${r.status}, want ${want}`);
    try {
      if (r.status === 400) assertError(r, 400, 'request.malformed_json');
      else if (r.status === 413) assertError(r, 413, 'request.too_large');
      else if (r.status === 422) {
        const fe = fieldErrors(r);
        if (field && !(fe[field] || []).some((c) => reasons.some((x) => c.endsWith('.' + x)))) p.push(`lacks ${field}.{${reasons}}: ${JSON.stringify(fe)}`);
      } else assertError(r, r.status);
    } catch (e) {
      p.push(e.message.split('\n')[0]);
    }
    const d = diffCounts(before, after);
    if (Object.keys(d).length) p.push(`database changed: ${JSON.stringify(d)}`);
    if (JSON.stringify(stored) !== JSON.stringify(storedAfter)) p.push('stored profile changed');
    if (p.length) problems.push(`${what}: ${p.join('; ')} — ${r.text.slice(0, 160)}`);
  }
  assert.deepEqual(problems, []);
}

test('bad input: PUT /me/seeker', async () => {
  const s = await newSeeker('13');
  const read = async () => (await me(s.client)).json;
  await runCases((opts) => s.client.req('PUT', `${API}/me/seeker`, opts), read);
});

test('bad input: PUT /people/{id}/seeker (counselor of the prefecture)', async () => {
  const s = await newSeeker('13');
  const c13 = await demo('counselor13');
  const read = async () => (await me(s.client)).json; // the nurse's own read is not audited
  await runCases((opts) => c13.req('PUT', personPath(s.id), opts), read,
    [['another prefecture', set('prefecture', '27'), 422, 'prefecture', ['invalid']]]);
});

test('bad input: POST /seekers (counter registration)', async () => {
  const c13 = await demo('counselor13');
  const extra = { name: '窓口 二子', name_kana: 'マドグチ フタコ', licences: [{ type: 'kangoshi', number: '1', registered_on: '2015-04-01' }] };
  const read = async () => (await counts()).users;
  const send = (opts) => {
    if (opts.json && !Array.isArray(opts.json) && Object.keys(opts.json).length) opts = { json: { ...extra, ...opts.json } };
    return c13.req('POST', `${API}/seekers`, opts);
  };
  await runCases(send, read, [
    ['name missing', { ...profile(), name: null, name_kana: 'マドグチ', licences: extra.licences }, 422, 'name', ['missing']],
    ['kana with kanji', { ...profile(), name_kana: '窓口', name: '窓口' }, 422, 'name_kana', ['not_katakana']],
    ['email invalid', { ...profile(), email: `${HTML}@x` }, 422, 'email', ['invalid']],
    ['email 10,000 chars', { ...profile(), email: LONG }, [413, 422], 'email', ['too_long']],
    ['licences as string', { ...profile(), licences: 'kangoshi' }, 422, 'licences', ['type']],
  ]);
});

test('bad input: renew and pause take no body', async () => {
  const s = await newSeeker('13');
  const read = async () => (await me(s.client)).json;
  for (const action of ['renew', 'pause']) {
    const before = await counts();
    const stored = await read();
    for (const [body, status] of [[{ zzz: 1 }, 422], ['[]', 400], ['{"a":', 400], [Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 400]]) {
      const opts = typeof body === 'object' && !Buffer.isBuffer(body) ? { json: body } : { body, headers: { 'content-type': 'application/json' } };
      const r = await s.client.req('POST', `${API}/me/seeker/${action}`, opts);
      assertError(r, status);
    }
    assert.deepEqual(diffCounts(before, await counts()), {});
    assert.deepEqual(await read(), stored, `${action}: profile unchanged`);
  }
});

test('SQL, HTML and JS in free text are stored and returned verbatim', async () => {
  const s = await newSeeker('13');
  for (const t of [SQL, HTML, JS, '"><img src=x onerror=alert(1)>', '𠮷野 🍣 \\ " &amp;']) {
    const r = await putMe(s.client, profile({ contact_hours: t, experience: { ...profile().experience, skills: `${t}\n${t}` } }));
    assert.equal(r.status, 200, r.text);
    const g = await me(s.client);
    assert.equal(g.json.seeker.contact_hours, t);
    assert.equal(g.json.seeker.experience.skills, `${t}\n${t}`);
    assert.doesNotMatch(g.text, /&lt;|&gt;|&quot;/);
  }
  assert.ok((await counts()).seekers > 0, 'seekers table still there');
});
