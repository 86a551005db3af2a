// Matching (マッチング): a nurse's ranked offers with reasons (GET /me/matches), one offer
// explained with its exclusions (GET /me/matches/{id}), a counselor's view of a nurse's matches
// (GET /people/{id}/matches, scoped, audited) and an offer's candidates (GET
// /offers/{id}/candidates: center staff see only their prefecture's nurses). A just-saved
// profile and a just-published offer are reflected at once; bad input is 400 with the
// parameter; access follows the router's scopes.
//
// Offers are created by the demo facilities and published by their prefectures' counselors;
// seekers are registered here. Other test files create offers too, so the assertions look at
// this file's offers (presence, absence, relative order), never at global totals.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { API, client, demo, registerVerified, assertError, JP_RE } from './_lib.mjs';

const tag = () => randomBytes(4).toString('hex');
const ITEM_KEYS = ['offer_id', 'offer', 'score', 'breakdown', 'reasons'];
const EXPLAIN_KEYS = [...ITEM_KEYS, 'matches', 'exclusions'];
const CANDIDATE_KEYS = ['id', 'name', 'name_kana', 'licences', 'experience_years', 'work_status', 'prefecture',
  'score', 'breakdown', 'reasons'];
const SUMMARY_KEYS = ['offer_no', 'title', 'facility_name', 'prefecture', 'municipality_name', 'employment_form',
  'wage_type', 'wage_min', 'published_at', 'valid_until', 'flags', 'shift_patterns', 'licences', 'facility_type'];
const COMPONENTS = { wage: 25, distance: 20, shift: 15, facility_type: 10, department: 15, freshness: 15 };

// A compliant offer body (as in offers.test.mjs) with the matching-relevant members overridable.
function offerBody(t, { muni = '13101', shifts = ['day_only'], nights = 0, wage = 300000, wageType = 'monthly',
  flags = ['takuji'], departments = ['dialysis'], emp = 'jokin', licences = ['kangoshi', 'junkangoshi'] } = {}) {
  return {
    title: `透析室看護師 ${t}`,
    pr: '日勤のみの職場です。',
    employer: { name: '医療法人社団 テスト会' },
    duties: { description: `透析室での看護業務 ${t}`, change_scope: '法人内の看護業務全般' },
    contract: { type: 'indefinite' },
    probation: { present: false },
    workplace: { municipality_code: muni, address: '丸の内1-1-1', station: '東京駅', change_scope: '法人の定める事業所' },
    hours: { start: '08:30', end: '17:15', shift_patterns: shifts, night_shifts_per_month: nights, overtime: false, break_minutes: 60 },
    holidays: { annual_days: 120, pattern: '4週8休' },
    wage: { type: wageType, base_min: wage, base_max: wageType === 'monthly' ? wage + 50000 : wage + 200, fixed_overtime: false },
    insurance: { employment: true, health: true, pension: true, workers_comp: true },
    smoking: { measure: 'premises_ban' },
    licences,
    employment_form: emp,
    departments,
    flags,
    positions: 1,
  };
}

// Creates, submits and publishes an offer of facility `fac` (facility13 / facility27); returns its id.
async function publish(fac, counselor, over = {}) {
  const f = await demo(fac);
  const fid = (await f.me()).json.user.facility_id;
  const c = await f.post(`${API}/facilities/${fid}/offers`, offerBody(tag(), over));
  assert.equal(c.status, 201, `create: ${c.text.slice(0, 500)}`);
  const id = c.json.offer.id;
  const s = await f.post(`${API}/job-offers/${id}/submit`);
  assert.equal(s.status, 200, `submit: ${s.text.slice(0, 800)}`);
  const p = await (await demo(counselor)).post(`${API}/job-offers/${id}/review`, { decision: 'publish' });
  assert.equal(p.status, 200, `publish: ${p.text.slice(0, 500)}`);
  return id;
}

async function draft(fac, over = {}) {
  const f = await demo(fac);
  const fid = (await f.me()).json.user.facility_id;
  const c = await f.post(`${API}/facilities/${fid}/offers`, offerBody(tag(), over));
  assert.equal(c.status, 201, c.text.slice(0, 300));
  return c.json.offer.id;
}

function profile(pref, wishes = {}, over = {}) {
  return {
    work_status: 'not_working', prefecture: pref, email_consent: true,
    experience: { years: 6, departments: ['dialysis', 'internal'], last_facility_type: 'hospital', career_break_months: 24 },
    wishes: {
      prefectures: ['13'], municipalities: ['13101'], employment_forms: ['jokin'], shift_patterns: ['day_only'],
      max_night_shifts: 0, wage: { type: 'monthly', min: 250000 }, facility_types: ['hospital'],
      departments: ['dialysis'], childcare: true, ...wishes,
    },
    ...over,
  };
}

async function newSeeker(pref = '13', wishes = {}) {
  const a = await registerVerified('seeker', { prefecture: pref });
  const r = await a.client.req('PUT', `${API}/me/seeker`, { json: profile(pref, wishes) });
  assert.equal(r.status, 201, r.text.slice(0, 400));
  return { client: a.client, id: a.user.id, name: a.body.name };
}

const matches = (c, qs = '') => c.get(`${API}/me/matches${qs}`);
const explain = (c, id) => c.get(`${API}/me/matches/${id}`);
const candidates = (c, id, qs = '') => c.get(`${API}/offers/${id}/candidates${qs}`);

// All items of /me/matches (or /people/{id}/matches) over the pages.
async function allMatches(c, path = `${API}/me/matches`) {
  const items = [];
  for (let page = 1; page <= 10; page++) {
    const r = await c.get(`${path}?page=${page}&per_page=100`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    items.push(...r.json.items);
    if (items.length >= r.json.total || !r.json.items.length) break;
  }
  return items;
}

function assertEval(x) {
  assert.equal(typeof x.score, 'number');
  assert.ok(Number.isInteger(x.score) && x.score >= 0 && x.score <= 100, `score ${x.score}`);
  assert.deepEqual(Object.keys(x.breakdown).sort(), Object.keys(COMPONENTS).sort());
  let sum = 0;
  for (const [k, max] of Object.entries(COMPONENTS)) {
    assert.equal(x.breakdown[k].max, max, k);
    assert.ok(x.breakdown[k].points >= 0 && x.breakdown[k].points <= max, `${k} ${x.breakdown[k].points}`);
    sum += x.breakdown[k].points;
  }
  assert.ok(Math.abs(sum - x.score) <= 3, `breakdown ${sum} adds up to the score ${x.score} (rounding)`);
  assert.ok(Array.isArray(x.reasons));
  for (const r of x.reasons) {
    assert.match(r.code, /^[a-z_]+(\.[a-z_]+)?$/, r.code);
    assert.match(r.label, JP_RE, `label in Japanese: ${r.label}`);
  }
}

function assertItem(it) {
  assert.deepEqual(Object.keys(it).sort(), [...ITEM_KEYS].sort());
  assert.deepEqual(Object.keys(it.offer).sort(), [...SUMMARY_KEYS].sort(), 'offer summary as the search returns it');
  assertEval(it);
}

let seeker; // a Tokyo seeker whose wishes fit the offers published below
let good, better, other; // published offer ids
before(async () => {
  seeker = await newSeeker('13');
});

test('a just-published offer and a just-saved profile are reflected at once', async () => {
  const t0 = (await allMatches(seeker.client)).map((i) => i.offer_id);
  good = await publish('facility13', 'counselor13', { wage: 280000 });
  assert.ok(!t0.includes(good));
  const items = await allMatches(seeker.client);
  const it = items.find((i) => i.offer_id === good);
  assert.ok(it, 'the new offer is matched right after publication');
  assertItem(it);
  const codes = it.reasons.map((r) => r.code);
  for (const c of ['licence', 'distance.same_municipality', 'wage.above', 'shift.wished', 'night_shifts.within',
    'facility_type.wished', 'department.wished', 'department.experience', 'childcare', 'freshness.new']) {
    assert.ok(codes.includes(c), `reason ${c} in ${codes}`);
  }
  assert.equal(it.breakdown.distance.points, 20);
  assert.equal(it.breakdown.freshness.points, 15);
  assert.match(it.reasons.find((r) => r.code === 'wage.above').label, /30,000円/);

  // the nurse changes a wish: the offer drops out immediately
  const put = await seeker.client.req('PUT', `${API}/me/seeker`, { json: profile('13', { departments: ['psychiatry'] }) });
  assert.equal(put.status, 200, put.text.slice(0, 300));
  assert.ok(!(await allMatches(seeker.client)).some((i) => i.offer_id === good), 'no longer matched');
  const ex = await explain(seeker.client, good);
  assert.equal(ex.status, 200, ex.text.slice(0, 300));
  assert.equal(ex.json.matches, false);
  assert.deepEqual(ex.json.exclusions.map((e) => e.code), ['department']);
  assert.match(ex.json.exclusions[0].label, /診療科/);
  // and back
  const back = await seeker.client.req('PUT', `${API}/me/seeker`, { json: profile('13') });
  assert.equal(back.status, 200);
  assert.ok((await allMatches(seeker.client)).some((i) => i.offer_id === good));
});

test('ranking: higher wage margin first; the answer is the documented shape', async () => {
  better = await publish('facility13', 'counselor13', { wage: 330000 });
  const items = await allMatches(seeker.client);
  const ib = items.findIndex((i) => i.offer_id === better);
  const ig = items.findIndex((i) => i.offer_id === good);
  assert.ok(ib >= 0 && ig >= 0, 'both matched');
  assert.ok(ib < ig, 'the better-paid offer ranks first');
  assert.ok(items[ib].score > items[ig].score);
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].score >= items[i].score, 'sorted by score');
  const r = await matches(seeker.client, '?per_page=1');
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json).sort(), ['items', 'page', 'per_page', 'total']);
  assert.equal(r.json.per_page, 1);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.total, items.length);
});

test('explain: score breakdown and every failed hard condition in Japanese', async () => {
  // An Osaka offer with night shifts, hourly pay below the wish, another facility type and
  // department, no childcare, part-time and only for 准看護師.
  other = await publish('facility27', 'counselor27', {
    muni: '27128', shifts: ['two_shift'], nights: 6, wageType: 'hourly', wage: 1200, flags: [],
    departments: ['home_care'], emp: 'hijokin', licences: ['junkangoshi'],
  });
  const r = await explain(seeker.client, other);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.deepEqual(Object.keys(r.json).sort(), [...EXPLAIN_KEYS].sort());
  assertEval(r.json);
  assert.equal(r.json.matches, false);
  const codes = r.json.exclusions.map((e) => e.code);
  assert.deepEqual(codes, ['licence', 'prefecture', 'employment_form', 'shift_pattern', 'night_shifts', 'wage',
    'facility_type', 'department', 'childcare']);
  for (const e of r.json.exclusions) assert.match(e.label, JP_RE);
  const label = Object.fromEntries(r.json.exclusions.map((e) => [e.code, e.label]));
  assert.match(label.prefecture, /大阪府/);
  assert.match(label.wage, /192,000円/, 'hourly 1,200 yen is 192,000 yen a month (160 hours)');
  assert.match(label.licence, /准看護師/);
  assert.match(label.night_shifts, /6回/);
  // a matching one explains with matches = true and no exclusions
  const ok = await explain(seeker.client, good);
  assert.equal(ok.json.matches, true);
  assert.deepEqual(ok.json.exclusions, []);
  assert.equal(ok.json.offer_id, good);
  // municipality: Tokyo is wished only through 13101
  const shinjuku = await publish('facility13', 'counselor13', { muni: '13104' });
  const m = await explain(seeker.client, shinjuku);
  assert.deepEqual(m.json.exclusions.map((e) => e.code), ['municipality']);
  assert.match(m.json.exclusions[0].label, /新宿区/);
});

test('candidates: ranked active nurses; center staff see only their prefecture', async () => {
  // an Osaka nurse who also wishes Chiyoda-ku
  const osaka = await newSeeker('27', { prefectures: ['27'], municipalities: ['13101'] });
  const c13 = await demo('counselor13');
  const r = await candidates(c13, good, '?per_page=100');
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.deepEqual(Object.keys(r.json).sort(), ['items', 'page', 'per_page', 'total']);
  const mine = r.json.items.find((i) => i.id === seeker.id);
  assert.ok(mine, 'the Tokyo seeker is a candidate');
  assert.deepEqual(Object.keys(mine).sort(), [...CANDIDATE_KEYS].sort(), 'only what a counselor needs');
  assertEval(mine);
  assert.deepEqual(mine.licences, ['kangoshi']);
  assert.equal(mine.prefecture, '13');
  assert.equal(mine.work_status, 'not_working');
  assert.equal(mine.experience_years, 6);
  for (const i of r.json.items) assert.equal(i.prefecture, '13', 'counselor13 sees Tokyo nurses only');
  assert.ok(!r.json.items.some((i) => i.id === osaka.id), 'not the Osaka nurse');
  for (let i = 1; i < r.json.items.length; i++) assert.ok(r.json.items[i - 1].score >= r.json.items[i].score);

  const central = await candidates(await demo('central'), good, '?per_page=100');
  assert.equal(central.status, 200);
  const ids = central.json.items.map((i) => i.id);
  assert.ok(ids.includes(seeker.id) && ids.includes(osaka.id), 'central sees both prefectures');
  assert.ok(central.json.total >= r.json.total);
  const admin = await candidates(await demo('admin13'), good, '?per_page=100');
  assert.deepEqual(admin.json.items.map((i) => i.id), r.json.items.map((i) => i.id), 'center admin = counselor');

  // another prefecture's counselor: the offer is out of scope (404 like a missing one)
  const c27 = await demo('counselor27');
  assertError(await candidates(c27, good), 404, 'resource.not_found');
  assertError(await candidates(c27, 987654321), 404, 'resource.not_found');
  assertError(await candidates(await demo('facility13'), good), 403, 'auth.forbidden');
  assertError(await candidates(seeker.client, good), 403, 'auth.forbidden');
  assertError(await candidates(client(), good), 401, 'auth.required');

  // a paused registration is not a candidate; renewal brings it back
  assert.equal((await seeker.client.post(`${API}/me/seeker/pause`)).status, 200);
  assert.ok(!(await candidates(c13, good, '?per_page=100')).json.items.some((i) => i.id === seeker.id));
  assert.equal((await seeker.client.post(`${API}/me/seeker/renew`)).status, 200);
  assert.ok((await candidates(c13, good, '?per_page=100')).json.items.some((i) => i.id === seeker.id));

  // an offer that is not published has no candidates
  const d = await draft('facility13');
  assertError(await candidates(c13, d), 409, 'match.offer_not_published');
});

test('staff view of a nurse\'s matches: scoped and audited', async () => {
  const c13 = await demo('counselor13');
  const views0 = (await seeker.client.get(`${API}/me/views`)).json.items.length;
  const staff = await allMatches(c13, `${API}/people/${seeker.id}/matches`);
  const own = await allMatches(seeker.client);
  assert.deepEqual(staff.map((i) => i.offer_id), own.map((i) => i.offer_id), 'same as the nurse sees');
  const views1 = (await seeker.client.get(`${API}/me/views`)).json.items.length;
  assert.ok(views1 > views0, 'the read appears in the nurse\'s /me/views');
  assertError(await (await demo('counselor27')).get(`${API}/people/${seeker.id}/matches`), 404, 'resource.not_found');
  assertError(await (await demo('facility13')).get(`${API}/people/${seeker.id}/matches`), 403, 'auth.forbidden');
  assertError(await (await demo('nurse13')).get(`${API}/people/${seeker.id}/matches`), 403, 'auth.forbidden');
  assert.equal((await (await demo('central')).get(`${API}/people/${seeker.id}/matches`)).status, 200);
});

test('a nurse only sees their own matches; no profile → 409', async () => {
  const n13 = await demo('nurse13');
  const a = await allMatches(n13);
  const b = await allMatches(seeker.client);
  assert.notDeepEqual(a.map((i) => i.offer_id), b.map((i) => i.offer_id), 'different nurses, different answers');
  const fresh = await registerVerified('seeker', { prefecture: '13' });
  assertError(await matches(fresh.client), 409, 'match.no_profile');
  assertError(await explain(fresh.client, good), 409, 'match.no_profile');
  assertError(await matches(client()), 401, 'auth.required');
  assertError(await matches(await demo('counselor13')), 403, 'auth.forbidden');
  assertError(await explain(await demo('facility13'), good), 403, 'auth.forbidden');
});

test('bad input: paging, malformed and huge ids, methods', async () => {
  const c = seeker.client;
  for (const qs of ['?page=abc', '?page=0', '?page=-1', '?page=1.5', '?page=99999999999999999999', '?per_page=0',
    '?per_page=101', '?per_page=1e2', '?page=11&per_page=100', '?page=51&per_page=20', '?page=1001']) {
    const r = await matches(c, qs);
    assertError(r, 400, 'request.bad_parameter');
    assert.ok(['page', 'per_page'].includes(r.json.error.field), `${qs}: field ${r.json.error.field}`);
    assertError(await candidates(await demo('counselor13'), good, qs), 400, 'request.bad_parameter');
  }
  // the last page of the window is fine, and empty beyond the results
  const last = await matches(c, '?page=50&per_page=20');
  assert.equal(last.status, 200);
  assert.deepEqual(last.json.items, []);
  assert.ok(last.json.total > 0);
  for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999', '1.0', '%20', '0x10']) {
    assertError(await explain(c, id), 400, 'request.bad_parameter', { field: 'id' });
    assertError(await candidates(await demo('counselor13'), id), 400, 'request.bad_parameter', { field: 'id' });
    assertError(await (await demo('counselor13')).get(`${API}/people/${id}/matches`), 400, 'request.bad_parameter');
  }
  assertError(await explain(c, '987654321'), 404, 'resource.not_found');
  assertError(await explain(c, '9223372036854775807'), 404, 'resource.not_found');
  // a draft (not published) offer looks like a missing one to a nurse
  assertError(await explain(c, await draft('facility13')), 404, 'resource.not_found');
  for (const m of ['POST', 'PUT', 'DELETE']) {
    const r = await c.req(m, `${API}/me/matches`, { json: {} });
    assert.equal(r.status, 405, `${m} /me/matches`);
  }
});
