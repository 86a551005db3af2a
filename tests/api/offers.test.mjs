// Job offers (求人票): creation, the compliance checker, the lifecycle (submit, review, publish,
// versions, copy, close, extend, expiry), the review queue, offer numbers and bad input.
//
// Only offers created here change state: the demo offers of fac13/fac27 stay published because
// the authorisation matrix relies on them. Every rejected request is checked with
// `nccs db-counts` before and after.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  API, client, demo, waitMail, assertError, counts, stableCounts, diffCounts, assertCountsUnchanged,
  sleep, DB_URL, BACKEND, DEMO, DEMO_PASSWORD, JP_RE,
} from './_lib.mjs';

const SQL = "'; DROP TABLE offers; --";
const HTML = '<script>alert(1)</script>';
const MARK = '__NCCS_MARK__';
const OFFER_KEYS = ['id', 'facility_id', 'facility_name', 'status', 'offer_no', 'version', 'body', 'prefecture',
  'valid_until', 'published_at', 'review_reason', 'refusal_ground', 'close_reason', 'created_at', 'updated_at'];
const FAC_LIST_KEYS = ['id', 'title', 'status', 'offer_no', 'version', 'valid_until', 'published_at', 'updated_at'];
const QUEUE_KEYS = ['id', 'title', 'status', 'offer_no', 'facility_id', 'facility_name', 'prefecture', 'updated_at'];
const REASONS = /\.(missing|type|invalid|too_long|too_short|unknown|not_katakana|out_of_range|duplicate)$/;

const tag = () => randomBytes(4).toString('hex');

// A complete, compliant offer body with every OfferBody item, full-width characters included
// (the server stores text NFKC-normalised and trimmed). Monthly 300,000 yen for 7 h 45 min a day
// and 120 holidays is about 1,896 yen an hour, well above Tokyo's minimum wage.
function fullBody(t = tag(), over = {}) {
  return {
    title: `病棟看護師（二交代）　${t}`,
    pr: '教育体制が整っています。\nブランクのある方も歓迎します。',
    employer: { name: '医療法人社団　東京中央会' },
    duties: { description: `病棟での看護業務全般（夜勤あり）\n受け持ち患者７名程度 ${t}`, change_scope: '法人内の看護業務全般' },
    contract: {
      type: 'fixed', start: '2027-04-01', end: '2028-03-31', renewal: 'possible',
      renewal_criteria: '勤務成績、態度、能力、業務量により判断します', renewal_cap: true, max_renewals: 4, max_total_months: 60,
    },
    probation: { present: true, months: 3, conditions_differ: true, conditions: '試用期間中は基本給２９０，０００円' },
    workplace: {
      municipality_code: '13101', address: '千代田区丸の内１－１－１', station: 'ＪＲ東京駅',
      access: '東京駅丸の内口から徒歩５分', change_scope: '法人の定める事業所',
    },
    hours: {
      start: '08:30', end: '17:15', shift_patterns: ['two_shift', 'on_call'], night_shifts_per_month: 4,
      overtime: true, overtime_avg_hours: 10, break_minutes: 60,
    },
    holidays: { annual_days: 120, pattern: '４週８休' },
    wage: {
      type: 'monthly', base_min: 300000, base_max: 380000, allowances: '夜勤手当 １回１０，０００円',
      fixed_overtime: true, fixed_overtime_hours: 10, fixed_overtime_amount: 20000,
    },
    insurance: { employment: true, health: true, pension: true, workers_comp: true },
    smoking: { measure: 'other', note: '敷地内禁煙（屋外に喫煙場所あり）' },
    age: { max: 59, exception: '3ro', reason: '看護職の年齢構成の維持のため' },
    licences: ['kangoshi', 'junkangoshi'],
    employment_form: 'jokin',
    departments: ['internal', 'surgery'],
    flags: ['blank_ok', 'takuji', 'ryo'],
    positions: 2,
    ...over,
  };
}

// Deep copy with every string NFKC-normalised and trimmed (what the server stores).
function nfkc(v) {
  if (typeof v === 'string') return v.normalize('NFKC').trim();
  if (Array.isArray(v)) return v.map(nfkc);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nfkc(x)]));
  return v;
}

const clone = (o) => JSON.parse(JSON.stringify(o));
const without = (body, path) => {
  const b = clone(body);
  const ks = path.split('.');
  let o = b;
  for (const k of ks.slice(0, -1)) o = o[k];
  delete o[ks[ks.length - 1]];
  return b;
};

// JST dates.
function jstParts(ms = Date.now()) {
  const d = new Date(ms + 9 * 3600 * 1000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}
const pad = (n, w = 2) => String(n).padStart(w, '0');
function todayJst() {
  const { y, m, d } = jstParts();
  return `${y}-${pad(m)}-${pad(d)}`;
}
// The last day of the month after next (JST).
function expectedValidUntil() {
  const { y, m } = jstParts();
  const last = new Date(Date.UTC(y, m + 2, 0)); // month index m+2 day 0 = last day of month m+2 (1-based)
  return `${last.getUTCFullYear()}-${pad(last.getUTCMonth() + 1)}-${pad(last.getUTCDate())}`;
}
function fiscalYear() {
  const { y, m } = jstParts();
  return m >= 4 ? y : y - 1;
}

const opath = (id, sub = '') => `${API}/job-offers/${id}${sub}`;
const fpath = (fid, sub = '') => `${API}/facilities/${fid}${sub}`;
const put = (c, id, json, opts = {}) => c.req('PUT', opath(id), { json, ...opts });

function assertOffer(o) {
  assert.ok(o && typeof o === 'object', 'offer object');
  assert.deepEqual(Object.keys(o).sort(), [...OFFER_KEYS].sort(), `Offer has exactly the documented keys: ${Object.keys(o)}`);
  assert.ok(['draft', 'submitted', 'published', 'returned', 'refused', 'closed', 'expired'].includes(o.status), o.status);
  assert.ok(Number.isInteger(o.id) && Number.isInteger(o.version) && o.version >= 1);
  assert.ok(o.body && typeof o.body === 'object' && !Array.isArray(o.body), 'body is an object');
  return o;
}

function assertFindings(list) {
  assert.ok(Array.isArray(list), 'findings is an array');
  for (const f of list) {
    assert.deepEqual(Object.keys(f).sort(), ['code', 'field', 'message', 'severity'], JSON.stringify(f));
    assert.ok(['error', 'warning'].includes(f.severity), JSON.stringify(f));
    assert.match(f.code, /^offer\./, JSON.stringify(f));
    assert.equal(typeof f.field, 'string');
    assert.match(f.message, JP_RE, `finding message is Japanese: ${JSON.stringify(f)}`);
  }
  return list;
}
const errorsOf = (list) => list.filter((f) => f.severity === 'error');
const warningsOf = (list) => list.filter((f) => f.severity === 'warning');
const has = (list, code, field, severity) => list.some((f) => f.code === code && (!field || f.field === field) && (!severity || f.severity === severity));

// 422 validation.failed → {field: [codes]} after checking every entry's shape.
function fieldsOf(r) {
  const e = assertError(r, 422, 'validation.failed');
  assert.ok(Array.isArray(e.fields) && e.fields.length > 0, `422 lists fields: ${r.text.slice(0, 400)}`);
  const out = {};
  for (const f of e.fields) {
    assert.equal(typeof f.field, 'string', JSON.stringify(f));
    assert.equal(typeof f.code, 'string', JSON.stringify(f));
    assert.match(f.message, JP_RE, `field message Japanese: ${JSON.stringify(f)}`);
    (out[f.field] ||= []).push(f.code);
  }
  return out;
}
// Asserts a 422 names field with code `code` (exact) or one ending in .<reason> for reasons.
function assertField(r, field, codeOrReasons) {
  const fe = fieldsOf(r);
  const codes = fe[field];
  assert.ok(codes, `422 names ${field}; got ${JSON.stringify(fe)}`);
  if (typeof codeOrReasons === 'string') assert.ok(codes.includes(codeOrReasons), `${field}: ${codes} includes ${codeOrReasons}`);
  else assert.ok(codes.some((c) => codeOrReasons.some((x) => c.endsWith('.' + x))), `${field}: ${codes} ends in one of ${codeOrReasons}`);
  return fe;
}

// Sends a request that must be rejected and leave the database exactly as it was.
async function rejected(c, method, path, opts, what) {
  const before = await stableCounts();
  const r = await c.req(method, path, opts);
  assertCountsUnchanged(before, await counts(), [], `(${what}: ${r.status} ${r.text.slice(0, 300)})`);
  return r;
}

async function getOffer(c, id) {
  const r = await c.get(opath(id));
  assert.equal(r.status, 200, `GET offer ${id}: ${r.text.slice(0, 300)}`);
  assertOffer(r.json.offer);
  assertFindings(r.json.findings);
  return r.json;
}

async function history(c, id) {
  const r = await c.get(opath(id, '/history'));
  assert.equal(r.status, 200, `history ${id}: ${r.text.slice(0, 300)}`);
  for (const e of r.json.items) {
    assert.deepEqual(Object.keys(e).sort(), ['action', 'actor_name', 'actor_role', 'at', 'detail'], JSON.stringify(e));
    assert.equal(typeof e.at, 'number');
    assert.ok(e.detail && typeof e.detail === 'object');
  }
  return r.json.items;
}

async function create(c, fid, body, status = 201) {
  const r = await c.post(fpath(fid, '/offers'), body);
  assert.equal(r.status, status, `create offer: ${r.text.slice(0, 600)}`);
  assertOffer(r.json.offer);
  assertFindings(r.json.findings);
  return r.json;
}

async function submit(c, id) {
  const r = await c.post(opath(id, '/submit'));
  assert.equal(r.status, 200, `submit ${id}: ${r.text.slice(0, 600)}`);
  assert.equal(assertOffer(r.json.offer).status, 'submitted');
  return r.json.offer;
}

async function review(c, id, body, status = 200) {
  const r = await c.post(opath(id, '/review'), body);
  assert.equal(r.status, status, `review ${id} ${JSON.stringify(body)}: ${r.text.slice(0, 600)}`);
  if (status === 200) assertOffer(r.json.offer);
  return r;
}

// Every item of GET /job-offers?<qs> over all pages, checking the paging fields.
async function listAll(c, qs) {
  const items = [];
  let total = null;
  for (let page = 1; page <= 200; page++) {
    const r = await c.get(`${API}/job-offers?${qs}&page=${page}&per_page=100`);
    assert.equal(r.status, 200, `list ${qs}: ${r.text.slice(0, 300)}`);
    assert.equal(r.json.page, page);
    assert.equal(r.json.per_page, 100);
    total ??= r.json.total;
    for (const it of r.json.items) assert.deepEqual(Object.keys(it).sort(), [...QUEUE_KEYS].sort(), `queue item keys ${JSON.stringify(it)}`);
    items.push(...r.json.items);
    if (r.json.items.length < 100) break;
  }
  assert.equal(items.length, total, `total ${total} equals the items listed for ${qs}`);
  return items;
}

async function check(c, body) {
  const r = await c.post(`${API}/job-offers/check`, body);
  assert.equal(r.status, 200, `check: ${r.text.slice(0, 600)}`);
  assert.deepEqual(Object.keys(r.json).sort(), ['errors', 'findings', 'warnings']);
  assertFindings(r.json.findings);
  assert.equal(r.json.errors, errorsOf(r.json.findings).length, 'errors counts the error findings');
  assert.equal(r.json.warnings, warningsOf(r.json.findings).length, 'warnings counts the warning findings');
  return r.json;
}

// Runs an SQL statement directly on the test database (sqlite3 CLI / psql).
function sql(stmt) {
  const [cmd, args] = DB_URL.startsWith('sqlite:')
    ? ['sqlite3', ['-cmd', '.timeout 10000', DB_URL.replace(/^sqlite:(\/\/)?/, ''), stmt]]
    : ['psql', [DB_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-c', stmt]];
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message} ${stderr}`)) : resolve(stdout)));
  });
}

let fac13, fac27, staff13, c13, c27, a13, central, pending;
let fid13, fid27, fidPending;

before(async () => {
  // Sign everyone in before any db-counts comparison (a login adds a session).
  [fac13, fac27, staff13, c13, c27, a13, central] = await Promise.all(
    ['facility13', 'facility27', 'staff13', 'counselor13', 'counselor27', 'admin13', 'central'].map((n) => demo(n)));
  fid13 = fac13.user.facility_id;
  fid27 = fac27.user.facility_id;
  pending = client();
  const l = await pending.login('pending13@example.jp', DEMO_PASSWORD);
  fidPending = l.json.user.facility_id;
  assert.ok(Number.isInteger(fid13) && Number.isInteger(fid27) && Number.isInteger(fidPending));
  assert.equal(staff13.user.facility_id, fid13);
});

// ---- creation -----------------------------------------------------------------------------

test('a complete compliant offer: 201 draft without error findings; GET gives the NFKC body; history "created"', async () => {
  const t = tag();
  const body = fullBody(t);
  const created = await create(fac13, fid13, body);
  const o = created.offer;
  assert.deepEqual(errorsOf(created.findings), [], `no error findings: ${JSON.stringify(created.findings)}`);
  assert.deepEqual(created.findings, [], 'no warnings either for this body');
  assert.equal(o.status, 'draft');
  assert.equal(o.offer_no, null);
  assert.equal(o.version, 1);
  assert.equal(o.facility_id, fid13);
  assert.equal(o.facility_name, '東京中央総合病院');
  assert.equal(o.prefecture, '13');
  for (const k of ['valid_until', 'published_at', 'review_reason', 'refusal_ground', 'close_reason']) assert.equal(o[k], null, k);
  assert.ok(Math.abs(o.created_at - Date.now() / 1000) < 600 && o.updated_at === o.created_at, 'created_at/updated_at are now');
  const want = nfkc(body);
  assert.deepEqual(o.body, want, 'answer body is the NFKC-normalised body');
  assert.equal(o.body.title, `病棟看護師(二交代) ${t}`);
  assert.equal(o.body.workplace.address, '千代田区丸の内1-1-1');
  assert.equal(o.body.workplace.station, 'JR東京駅');

  const g = await getOffer(fac13, o.id);
  assert.deepEqual(g.offer.body, want, 'GET returns the stored NFKC body');
  assert.deepEqual(g.findings, []);
  // Staff of the facility and center staff in scope can read it; others get 404.
  assert.deepEqual((await getOffer(staff13, o.id)).offer.body, want);
  assert.deepEqual((await getOffer(c13, o.id)).offer.body, want);
  assert.deepEqual((await getOffer(central, o.id)).offer.body, want);
  assertError(await c27.get(opath(o.id)), 404, 'resource.not_found');
  assertError(await fac27.get(opath(o.id)), 404, 'resource.not_found');
  assertError(await fac13.get(opath(999999999)), 404, 'resource.not_found');

  const h = await history(fac13, o.id);
  assert.deepEqual(h.map((e) => e.action), ['created']);
  assert.equal(h[0].actor_name, fac13.user.name);
  assert.equal(h[0].actor_role, 'facility_admin');

  const list = await fac13.get(fpath(fid13, '/offers'));
  assert.equal(list.status, 200);
  const item = list.json.items.find((x) => x.id === o.id);
  assert.ok(item, 'listed in the facility\'s offers');
  assert.deepEqual(Object.keys(item).sort(), [...FAC_LIST_KEYS].sort());
  assert.deepEqual(item, { id: o.id, title: want.title, status: 'draft', offer_no: null, version: 1, valid_until: null, published_at: null, updated_at: o.updated_at });
  assert.ok(!(await fac27.get(fpath(fid27, '/offers'))).json.items.some((x) => x.id === o.id), 'not in Osaka\'s list');
});

test('employer.name defaults to the facility\'s corporation or name; staff may create drafts; incomplete drafts are fine', async () => {
  const f = (await fac13.get(fpath(fid13))).json.facility;
  const r = await create(staff13, fid13, { title: `下書き ${tag()}` });
  assert.equal(r.offer.body.employer.name, f.corporation ?? f.name);
  assert.equal(r.offer.status, 'draft');
  assert.ok(errorsOf(r.findings).length >= 20, 'an almost empty draft has many error findings');
  assert.ok(!has(r.findings, 'offer.employer.name.missing'), 'employer name was filled in');
  const h = await history(fac13, r.offer.id);
  assert.equal(h[0].actor_role, 'facility_staff');
  // Another facility cannot create offers for fac13.
  assertError(await rejected(fac27, 'POST', fpath(fid13, '/offers'), { json: fullBody() }, 'fac27 creates for fac13'), 404, 'resource.not_found');
  assertError(await rejected(c13, 'POST', fpath(fid13, '/offers'), { json: fullBody() }, 'counselor creates'), 403, 'auth.forbidden');
});

// ---- the checker --------------------------------------------------------------------------

test('checker: an empty body reports every missing disclosure item as an error; nothing is stored', async () => {
  const before = await stableCounts();
  const r = await check(fac13, {});
  assertCountsUnchanged(before, await counts(), [], '(check stores nothing)');
  const errs = errorsOf(r.findings);
  assert.ok(errs.length >= 20, `at least 20 missing items, got ${errs.length}`);
  assert.equal(r.warnings, 0);
  for (const f of errs) {
    assert.match(f.code, /^offer\.[a-z_.]+\.missing$/, JSON.stringify(f));
    assert.equal(f.code, `offer.${f.field}.missing`, `code names its field: ${JSON.stringify(f)}`);
  }
  const fields = errs.map((f) => f.field);
  assert.equal(new Set(fields).size, fields.length, 'one finding per item');
  for (const f of ['title', 'employer.name', 'duties.description', 'duties.change_scope', 'contract.type', 'probation.present',
    'workplace.municipality_code', 'workplace.address', 'workplace.change_scope', 'hours.start', 'hours.end',
    'hours.shift_patterns', 'hours.overtime', 'hours.break_minutes', 'holidays.annual_days', 'wage.type', 'wage.base_min',
    'wage.fixed_overtime', 'insurance.employment', 'insurance.health', 'insurance.pension', 'insurance.workers_comp',
    'smoking.measure', 'licences', 'employment_form']) {
    assert.ok(fields.includes(f), `${f} reported missing; got ${fields}`);
  }
  // The complete body passes; staff (counselors) may use the checker too.
  const ok = await check(fac13, fullBody());
  assert.equal(ok.errors, 0, JSON.stringify(ok.findings));
  assert.equal((await check(c13, fullBody())).errors, 0);
  assertError(await client().post(`${API}/job-offers/check`, {}), 401, 'auth.required');
});

test('checker: wage below the minimum wage (hourly 900 / low monthly pay in Tokyo) is an error', async () => {
  const low = await check(fac13, fullBody(tag(), { wage: { type: 'hourly', base_min: 900, fixed_overtime: false } }));
  assert.ok(has(low.findings, 'offer.wage.below_minimum', 'wage.base_min', 'error'), JSON.stringify(low.findings));
  assert.equal(low.errors, 1, JSON.stringify(errorsOf(low.findings)));
  const fine = await check(fac13, fullBody(tag(), { wage: { type: 'hourly', base_min: 2000, fixed_overtime: false } }));
  assert.equal(fine.errors, 0, JSON.stringify(fine.findings));
  // 150,000 yen a month for 245 days × 7.75 h ÷ 12 ≈ 948 yen an hour.
  const monthly = await check(fac13, fullBody(tag(), { wage: { type: 'monthly', base_min: 150000, fixed_overtime: false } }));
  assert.ok(has(monthly.findings, 'offer.wage.below_minimum', 'wage.base_min', 'error'), JSON.stringify(monthly.findings));
  // The workplace's prefecture counts: Osaka's counselor checking a Tokyo body still gets Tokyo's minimum.
  const osaka = await check(c27, fullBody(tag(), { wage: { type: 'hourly', base_min: 1200, fixed_overtime: false } }));
  assert.ok(has(osaka.findings, 'offer.wage.below_minimum', 'wage.base_min', 'error'), `1,200 yen is below Tokyo's minimum: ${JSON.stringify(osaka.findings)}`);
});

test('checker: the hourly equivalent is exact at the minimum-wage boundary (monthly, daily, annual, overnight)', async () => {
  // Tokyo 1,226 yen; 08:30–17:15 with 60 min break = 7.75 h a day, 365 − 120 = 245 working days.
  const mw = (type, base, hours) => {
    const b = fullBody(tag(), { wage: { type, base_min: base, fixed_overtime: false } });
    if (hours) b.hours = { ...b.hours, ...hours };
    return b;
  };
  const below = async (body) => has((await check(fac13, body)).findings, 'offer.wage.below_minimum', 'wage.base_min', 'error');
  const cases = [
    ['hourly 1,226', mw('hourly', 1226), false], ['hourly 1,225', mw('hourly', 1225), true],
    // 1,226 × 245 × 7.75 ÷ 12 = 193,988.96
    ['monthly 193,989', mw('monthly', 193989), false], ['monthly 193,988', mw('monthly', 193988), true],
    // 1,226 × 7.75 = 9,501.5
    ['daily 9,502', mw('daily', 9502), false], ['daily 9,501', mw('daily', 9501), true],
    // 1,226 × 245 × 7.75 = 2,327,867.5
    ['annual 2,327,868', mw('annual', 2327868), false], ['annual 2,327,867', mw('annual', 2327867), true],
    // 16:30–09:00 next day with 120 min break = 14.5 h: 1,226 × 14.5 = 17,777
    ['overnight daily 17,777', mw('daily', 17777, { start: '16:30', end: '09:00', break_minutes: 120 }), false],
    ['overnight daily 17,776', mw('daily', 17776, { start: '16:30', end: '09:00', break_minutes: 120 }), true],
  ];
  const wrong = [];
  for (const [what, body, want] of cases) if ((await below(body)) !== want) wrong.push(`${what}: below_minimum ${!want}, want ${want}`);
  assert.deepEqual(wrong, []);
});

test('checker: fixed overtime pay without hours or amount is an error', async () => {
  const b = fullBody();
  delete b.wage.fixed_overtime_hours;
  delete b.wage.fixed_overtime_amount;
  const r = await check(fac13, b);
  assert.ok(has(r.findings, 'offer.wage.fixed_overtime_hours.missing', 'wage.fixed_overtime_hours', 'error'), JSON.stringify(r.findings));
  assert.ok(has(r.findings, 'offer.wage.fixed_overtime_amount.missing', 'wage.fixed_overtime_amount', 'error'), JSON.stringify(r.findings));
  assert.equal(r.errors, 2);
  const onlyHours = await check(fac13, without(fullBody(), 'wage.fixed_overtime_amount'));
  assert.deepEqual(errorsOf(onlyHours.findings).map((f) => f.code), ['offer.wage.fixed_overtime_amount.missing']);
});

test('checker: fixed-term contract without renewal rule or cap statement is an error', async () => {
  const r = await check(fac13, without(fullBody(), 'contract.renewal'));
  assert.ok(has(r.findings, 'offer.contract.renewal.missing', 'contract.renewal', 'error'), JSON.stringify(r.findings));
  const cap = await check(fac13, without(fullBody(), 'contract.renewal_cap'));
  assert.ok(has(cap.findings, 'offer.contract.renewal_cap.missing', 'contract.renewal_cap', 'error'), JSON.stringify(cap.findings));
  const dates = await check(fac13, without(without(fullBody(), 'contract.start'), 'contract.end'));
  assert.ok(has(dates.findings, 'offer.contract.start.missing', 'contract.start', 'error'));
  assert.ok(has(dates.findings, 'offer.contract.end.missing', 'contract.end', 'error'));
  const none = fullBody();
  none.contract = { type: 'fixed', start: '2027-04-01', end: '2028-03-31', renewal: 'none' };
  assert.equal((await check(fac13, none)).errors, 0, 'renewal "none" needs no cap');
  assert.equal((await check(fac13, fullBody(tag(), { contract: { type: 'indefinite' } }))).errors, 0);
});

test('checker: no passive-smoking measure is an error', async () => {
  const r = await check(fac13, without(fullBody(), 'smoking'));
  assert.ok(has(r.findings, 'offer.smoking.measure.missing', 'smoking.measure', 'error'), JSON.stringify(r.findings));
  assert.equal(r.errors, 1);
  const other = await check(fac13, fullBody(tag(), { smoking: { measure: 'other' } }));
  assert.ok(has(other.findings, 'offer.smoking.note.missing', 'smoking.note', 'error'), 'measure "other" needs a note');
  assert.equal((await check(fac13, fullBody(tag(), { smoking: { measure: 'premises_ban' } }))).errors, 0);
});

test('checker: an age limit without a cited exception is a warning (issue 4), shown at review', async () => {
  const r = await check(fac13, fullBody(tag(), { age: { max: 35 } }));
  const f = r.findings.find((x) => x.field === 'age.exception');
  assert.ok(f, `age.exception finding: ${JSON.stringify(r.findings)}`);
  assert.equal(f.severity, 'warning');
  assert.match(f.code, /^offer\.age\.exception/);
  assert.equal(r.errors, 0);
  assert.equal(r.warnings, 1);
  assert.equal((await check(fac13, fullBody(tag(), { age: { max: 35, exception: '3i' }, contract: { type: 'indefinite' } }))).errors, 0);
  assert.equal((await check(fac13, without(fullBody(), 'age'))).errors, 0, 'no age limit (年齢不問) is fine');
});

test('checker: gender-specific wording (看護婦, 女性のみ) in title or duties is a warning', async () => {
  const r = await check(fac13, fullBody(tag(), { title: '看護婦募集（日勤）' }));
  assert.ok(has(r.findings, 'offer.wording.gender', 'title', 'warning'), JSON.stringify(r.findings));
  assert.equal(r.errors, 0, 'wording does not block');
  const b = fullBody();
  b.duties.description = '外来での診療補助。女性のみ募集します。';
  const d = await check(fac13, b);
  assert.ok(has(d.findings, 'offer.wording.gender', 'duties.description', 'warning'), JSON.stringify(d.findings));
  assert.equal(d.errors, 0);
  // Full-width / half-width spellings are matched after NFKC as well (ｶﾝｺﾞﾌ is not 看護婦; use the kanji).
  const both = await check(fac13, fullBody(tag(), { title: '女性のみ 看護婦' }));
  assert.ok(warningsOf(both.findings).filter((f) => f.field === 'title' && f.code === 'offer.wording.gender').length >= 2, JSON.stringify(both.findings));
  assert.ok(!has((await check(fac13, fullBody())).findings, 'offer.wording.gender'), '看護師 is fine');
});

test('checker: 日勤のみ together with night shifts is a warning', async () => {
  const b = fullBody();
  b.hours.shift_patterns = ['day_only'];
  b.hours.night_shifts_per_month = 4;
  const r = await check(fac13, b);
  assert.ok(has(r.findings, 'offer.hours.night_shifts.day_only', 'hours.night_shifts_per_month', 'warning'), JSON.stringify(r.findings));
  assert.equal(r.errors, 0);
  b.hours.night_shifts_per_month = 0;
  assert.ok(!has((await check(fac13, b)).findings, 'offer.hours.night_shifts.day_only'), 'zero night shifts is consistent');
});

// ---- lifecycle ----------------------------------------------------------------------------

test('lifecycle: submit blocked by findings, return with reason and mail, refuse needs a ground, publish, versions, copy, close', async () => {
  const t = tag();
  const full = fullBody(t);
  // An incomplete draft: no smoking measure, no minimum pay, no probation statement.
  let inc = without(without(without(full, 'smoking'), 'wage.base_min'), 'probation');
  const { offer: o0 } = await create(fac13, fid13, inc);
  const id = o0.id;

  // Submit → 422, `fields` one per blocking finding, `findings` all of them.
  const sub = await rejected(fac13, 'POST', opath(id, '/submit'), {}, 'submit incomplete');
  const e = assertError(sub, 422, 'validation.failed');
  assert.ok(Array.isArray(e.fields) && Array.isArray(e.findings), `fields and findings: ${sub.text.slice(0, 300)}`);
  assertFindings(e.findings);
  const blocking = errorsOf(e.findings);
  assert.deepEqual(e.fields.map((f) => `${f.field}:${f.code}`).sort(), blocking.map((f) => `${f.field}:${f.code}`).sort(),
    'fields lists exactly the blocking findings');
  for (const [field, code] of [['smoking.measure', 'offer.smoking.measure.missing'], ['wage.base_min', 'offer.wage.base_min.missing'],
    ['probation.present', 'offer.probation.present.missing']]) {
    assert.ok(e.fields.some((f) => f.field === field && f.code === code), `${field} blocks: ${JSON.stringify(e.fields)}`);
  }
  assert.equal(e.fields.length, 3, JSON.stringify(e.fields));
  assert.equal((await getOffer(fac13, id)).offer.status, 'draft');

  // Complete it with PUT (a draft stays version 1), then submit.
  const upd = await put(fac13, id, full);
  assert.equal(upd.status, 200, upd.text.slice(0, 400));
  assertOffer(upd.json.offer);
  assert.equal(upd.json.offer.version, 1);
  assert.equal(upd.json.offer.status, 'draft');
  assert.deepEqual(upd.json.offer.body, nfkc(full));
  assert.deepEqual(errorsOf(upd.json.findings), []);
  await submit(fac13, id);
  // A submitted offer cannot be edited or submitted again; the facility cannot review it.
  assertError(await rejected(fac13, 'PUT', opath(id), { json: full }, 'PUT while submitted'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(id, '/submit'), {}, 'second submit'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(id, '/review'), { json: { decision: 'publish' } }, 'facility reviews'), 403, 'auth.forbidden');

  // Wrong reviewers.
  assertError(await rejected(c27, 'POST', opath(id, '/review'), { json: { decision: 'publish' } }, 'counselor27 reviews'), 404, 'resource.not_found');
  assertError(await rejected(central, 'POST', opath(id, '/review'), { json: { decision: 'publish' } }, 'central reviews'), 403, 'auth.forbidden');
  // Return without a reason (absent, empty, blank).
  for (const body of [{ decision: 'return' }, { decision: 'return', reason: '' }, { decision: 'return', reason: '  　 ' }, { decision: 'return', reason: null }]) {
    const r = await rejected(c13, 'POST', opath(id, '/review'), { json: body }, `return ${JSON.stringify(body)}`);
    assertField(r, 'reason', 'reason.missing');
  }
  // Return with a reason → returned, the facility's admin is mailed the reason.
  const reason = `夜勤の回数と手当の金額を明記してください（${t}）。`;
  const since = Date.now() - 5;
  const ret = await review(c13, id, { decision: 'return', reason });
  assert.equal(ret.json.offer.status, 'returned');
  assert.equal(ret.json.offer.review_reason, nfkc(reason));
  const mail = await waitMail({ to: DEMO.facility13, since, textIncludes: t });
  assert.ok(mail.text.includes(`夜勤の回数と手当の金額を明記してください`), `return mail carries the reason: ${mail.text}`);
  assert.match(mail.text, /差し戻/);
  assert.ok(!(await waitMail({ to: DEMO.facility13, since, textIncludes: t })).to.includes(DEMO.staff13), 'staff (not admin) is not mailed');
  assertError(await rejected(c13, 'POST', opath(id, '/review'), { json: { decision: 'publish' } }, 'review while returned'), 409, 'state.invalid_transition');

  // The facility edits and submits again.
  const full2 = fullBody(t, { positions: 3 });
  const upd2 = await put(fac13, id, full2);
  assert.equal(upd2.status, 200, upd2.text.slice(0, 300));
  assert.equal(upd2.json.offer.status, 'returned', 'a PUT keeps the returned status');
  await submit(fac13, id);

  // Refuse without a ground; unknown ground; publish with a ground.
  assertField(await rejected(c13, 'POST', opath(id, '/review'), { json: { decision: 'refuse', reason: 'x' } }, 'refuse without ground'), 'ground', 'ground.missing');
  assertField(await rejected(c13, 'POST', opath(id, '/review'), { json: { decision: 'refuse', ground: 'dislike' } }, 'unknown ground'), 'ground', ['invalid']);
  assertField(await rejected(c13, 'POST', opath(id, '/review'), { json: { decision: 'approve' } }, 'facility decision'), 'decision', ['invalid']);
  assertField(await rejected(c13, 'POST', opath(id, '/review'), { json: {} }, 'no decision'), 'decision', ['missing']);

  // Publish → offer number PP-YYYY-NNNNNN, valid until the end of the month after next.
  const since2 = Date.now() - 5;
  const pub = await review(c13, id, { decision: 'publish' });
  const p = pub.json.offer;
  assert.equal(p.status, 'published');
  assert.match(p.offer_no, /^13-\d{4}-\d{6}$/);
  assert.equal(p.offer_no.slice(3, 7), String(fiscalYear()), 'offer number carries the fiscal year (JST)');
  assert.equal(p.valid_until, expectedValidUntil());
  assert.ok(Math.abs(p.published_at - Date.now() / 1000) < 600, 'published_at is now');
  assert.equal(p.refusal_ground, null);
  assert.equal(p.version, 1);
  await waitMail({ to: DEMO.facility13, since: since2, textIncludes: '公開しました' });
  // A second publish → 409.
  assertError(await rejected(c13, 'POST', opath(id, '/review'), { json: { decision: 'publish' } }, 'second publish'), 409, 'state.invalid_transition');
  assertError(await rejected(a13, 'POST', opath(id, '/review'), { json: { decision: 'refuse', ground: 'illegal_content' } }, 'refuse published'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(id, '/submit'), {}, 'submit published'), 409, 'state.invalid_transition');

  // A compliant change of the published offer: version 2, still published, same number.
  const full3 = fullBody(t, { positions: 4, pr: '新しいPR文です。' });
  const before3 = await stableCounts();
  const v2 = await put(fac13, id, full3);
  assert.equal(v2.status, 200, v2.text.slice(0, 400));
  const o2 = assertOffer(v2.json.offer);
  assert.equal(o2.version, 2);
  assert.equal(o2.status, 'published');
  assert.equal(o2.offer_no, p.offer_no);
  assert.equal(o2.valid_until, p.valid_until);
  assert.equal(o2.published_at, p.published_at);
  assert.deepEqual(o2.body, nfkc(full3));
  const d3 = diffCounts(before3, await counts());
  assert.deepEqual(d3.offer_versions, [before3.offer_versions, before3.offer_versions + 1], `a new version row is kept: ${JSON.stringify(d3)}`);

  // A non-compliant change of the published offer: 422 with findings, nothing changed.
  const beforeBad = (await getOffer(fac13, id));
  const bad = await rejected(fac13, 'PUT', opath(id), { json: without(full3, 'smoking') }, 'non-compliant PUT on published');
  const be = assertError(bad, 422, 'validation.failed');
  assert.ok(be.fields.some((f) => f.field === 'smoking.measure' && f.code === 'offer.smoking.measure.missing'), JSON.stringify(be.fields));
  assertFindings(be.findings);
  assert.ok(has(be.findings, 'offer.smoking.measure.missing', 'smoking.measure', 'error'));
  const lowWage = await rejected(fac13, 'PUT', opath(id), { json: fullBody(t, { wage: { type: 'hourly', base_min: 900, fixed_overtime: false } }) }, 'PUT below minimum');
  assert.ok(assertError(lowWage, 422, 'validation.failed').fields.some((f) => f.code === 'offer.wage.below_minimum'), lowWage.text.slice(0, 400));
  assert.deepEqual(await getOffer(fac13, id), beforeBad, 'GET before and after the rejected PUT are equal');

  // Copy → a new draft with the same content, no number.
  const cp = await fac13.post(opath(id, '/copy'));
  assert.equal(cp.status, 201, cp.text.slice(0, 300));
  const c = assertOffer(cp.json.offer);
  assert.notEqual(c.id, id);
  assert.equal(c.status, 'draft');
  assert.equal(c.offer_no, null);
  assert.equal(c.version, 1);
  assert.equal(c.valid_until, null);
  assert.equal(c.published_at, null);
  assert.equal(c.facility_id, fid13);
  assert.deepEqual(c.body, o2.body, 'same body');
  const ch = await history(fac13, c.id);
  assert.deepEqual(ch.map((x) => x.action), ['created']);
  assert.equal(ch[0].detail.copied_from, id);

  // Close (filled) → closed; again → 409; extend a closed offer → 409; edit → 409.
  const cl = await fac13.post(opath(id, '/close'), { reason: 'filled' });
  assert.equal(cl.status, 200, cl.text.slice(0, 300));
  assert.equal(assertOffer(cl.json.offer).status, 'closed');
  assert.equal(cl.json.offer.close_reason, 'filled');
  assert.equal(cl.json.offer.offer_no, p.offer_no, 'the number stays');
  assertError(await rejected(fac13, 'POST', opath(id, '/close'), { json: { reason: 'filled' } }, 'close again'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(id, '/close'), { json: { reason: 'withdrawn' } }, 'close again (withdrawn)'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(id, '/extend'), {}, 'extend closed'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'PUT', opath(id), { json: full3 }, 'PUT closed'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(id, '/submit'), {}, 'submit closed'), 409, 'state.invalid_transition');

  // The history has every step, newest first, with actors.
  const h = await history(c13, id);
  assert.deepEqual(h.map((x) => x.action),
    ['closed', 'updated', 'published', 'submitted', 'updated', 'returned', 'submitted', 'updated', 'created'], JSON.stringify(h.map((x) => x.action)));
  const byAction = Object.fromEntries([...h].reverse().map((x) => [x.action, x]));
  assert.equal(byAction.returned.actor_role, 'counselor');
  assert.equal(byAction.returned.detail.reason, nfkc(reason));
  assert.equal(byAction.published.actor_role, 'counselor');
  assert.equal(byAction.closed.actor_role, 'facility_admin');
  assert.equal(byAction.closed.detail.reason, 'filled');
  for (let i = 1; i < h.length; i++) assert.ok(h[i - 1].at >= h[i].at, 'newest first');
});

test('offer numbers: the next publication in the same prefecture gets the next sequence number; extend', async () => {
  const A = (await create(fac13, fid13, fullBody())).offer;
  const B = (await create(staff13, fid13, fullBody())).offer;
  await submit(fac13, A.id);
  await submit(staff13, B.id);
  const pa = (await review(c13, A.id, { decision: 'publish' })).json.offer;
  const pb = (await review(a13, B.id, { decision: 'publish', reason: '問題ありません' })).json.offer;
  assert.match(pa.offer_no, /^13-\d{4}-\d{6}$/);
  assert.match(pb.offer_no, /^13-\d{4}-\d{6}$/);
  assert.equal(pb.offer_no.slice(0, 8), pa.offer_no.slice(0, 8), 'same prefecture and fiscal year');
  assert.equal(Number(pb.offer_no.slice(8)), Number(pa.offer_no.slice(8)) + 1, `${pa.offer_no} then ${pb.offer_no}`);
  // The Osaka sequence is separate.
  const O = (await create(fac27, fid27, fullBody(tag(), { workplace: { ...fullBody().workplace, municipality_code: '27128', address: '大阪市中央区本町1-1-1' } }))).offer;
  await submit(fac27, O.id);
  assertError(await rejected(c13, 'POST', opath(O.id, '/review'), { json: { decision: 'publish' } }, 'counselor13 on Osaka'), 404, 'resource.not_found');
  const po = (await review(c27, O.id, { decision: 'publish' })).json.offer;
  assert.match(po.offer_no, new RegExp(`^27-${fiscalYear()}-\\d{6}$`));
  assert.equal(po.prefecture, '27');
  // Facility lists show number, version, validity.
  const list = (await fac13.get(fpath(fid13, '/offers'))).json.items;
  const ia = list.find((x) => x.id === A.id);
  assert.equal(ia.offer_no, pa.offer_no);
  assert.equal(ia.status, 'published');
  assert.equal(ia.valid_until, expectedValidUntil());
  assert.equal(ia.published_at, pa.published_at);
  // Extend: sets the validity to the end of the month after next (from today) again.
  await sql(`UPDATE offers SET valid_until = '${todayJst()}' WHERE id = ${A.id}`);
  assert.equal((await getOffer(fac13, A.id)).offer.valid_until, todayJst());
  const ex = await fac13.post(opath(A.id, '/extend'));
  assert.equal(ex.status, 200, ex.text.slice(0, 300));
  assert.equal(ex.json.offer.valid_until, expectedValidUntil());
  assert.equal(ex.json.offer.status, 'published');
  assert.equal(ex.json.offer.offer_no, pa.offer_no);
  assert.ok((await history(fac13, A.id)).some((x) => x.action === 'extended'), 'extension is in the history');
  // A draft cannot be extended.
  const D = (await create(fac13, fid13, { title: `延長不可 ${tag()}` })).offer;
  assertError(await rejected(fac13, 'POST', opath(D.id, '/extend'), {}, 'extend draft'), 409, 'state.invalid_transition');
  // Withdraw the Osaka one (ours).
  const w = await fac27.post(opath(O.id, '/close'), { reason: 'withdrawn' });
  assert.equal(w.status, 200, w.text.slice(0, 200));
  assert.equal(w.json.offer.close_reason, 'withdrawn');
});

test('an offer of a facility still pending review can be drafted but not submitted (409, field facility)', async () => {
  const { offer, findings } = await create(pending, fidPending, fullBody(tag(), {
    workplace: { ...fullBody().workplace, municipality_code: '13104', address: '新宿区西新宿2-8-1' },
  }));
  assert.deepEqual(errorsOf(findings), [], JSON.stringify(findings));
  assert.equal(offer.status, 'draft');
  assert.equal(offer.facility_id, fidPending);
  const r = await rejected(pending, 'POST', opath(offer.id, '/submit'), {}, 'submit of a pending facility');
  assertError(r, 409, 'state.invalid_transition', { field: 'facility' });
  assert.equal((await getOffer(pending, offer.id)).offer.status, 'draft');
  assertError(await fac13.get(opath(offer.id)), 404, 'resource.not_found');
});

test('refuse: with a legal ground → refused, ground stored, mail; then no edit, submit or close', async () => {
  const t = tag();
  const { offer } = await create(fac13, fid13, fullBody(t));
  await submit(fac13, offer.id);
  const since = Date.now() - 5;
  const r = await review(a13, offer.id, { decision: 'refuse', ground: 'illegal_content', reason: `法令違反の記載があります ${t}` });
  const o = r.json.offer;
  assert.equal(o.status, 'refused');
  assert.equal(o.refusal_ground, 'illegal_content');
  assert.equal(o.offer_no, null);
  assert.equal(o.valid_until, null);
  const g = await getOffer(fac13, offer.id);
  assert.equal(g.offer.refusal_ground, 'illegal_content');
  assert.equal(g.offer.review_reason, `法令違反の記載があります ${t}`);
  const mail = await waitMail({ to: DEMO.facility13, since, textIncludes: t });
  assert.match(mail.text, /受理できませんでした/);
  assertError(await rejected(fac13, 'PUT', opath(offer.id), { json: fullBody(t) }, 'PUT refused'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(offer.id, '/submit'), {}, 'submit refused'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(offer.id, '/close'), { json: { reason: 'withdrawn' } }, 'close refused'), 409, 'state.invalid_transition');
  assertError(await rejected(c13, 'POST', opath(offer.id, '/review'), { json: { decision: 'publish' } }, 'publish refused'), 409, 'state.invalid_transition');
  const h = await history(fac13, offer.id);
  assert.equal(h[0].action, 'refused');
  assert.equal(h[0].detail.ground, 'illegal_content');
  // Every documented ground is accepted.
  for (const ground of ['unsuitable_terms', 'labour_law_sanction', 'missing_disclosure', 'organised_crime', 'no_self_declaration']) {
    const x = (await create(fac13, fid13, fullBody())).offer;
    await submit(fac13, x.id);
    assert.equal((await review(c13, x.id, { decision: 'refuse', ground })).json.offer.refusal_ground, ground);
  }
});

test('review queue: status=submitted lists own prefecture only, oldest first; bad status → 400', async () => {
  const t = tag();
  const A = (await create(fac13, fid13, fullBody(t))).offer;
  const O = (await create(fac27, fid27, fullBody(t, { workplace: { ...fullBody().workplace, municipality_code: '27128', address: '大阪市中央区本町1-1-1' } }))).offer;
  await submit(fac13, A.id);
  await sleep(1100); // a later updated_at second
  await submit(fac27, O.id);
  const q13 = await listAll(c13, 'status=submitted');
  const mine = q13.find((x) => x.id === A.id);
  assert.ok(mine, 'counselor13 sees the submitted Tokyo offer');
  assert.deepEqual(mine, {
    id: A.id, title: nfkc(fullBody(t)).title, status: 'submitted', offer_no: null, facility_id: fid13,
    facility_name: '東京中央総合病院', prefecture: '13', updated_at: mine.updated_at,
  });
  assert.ok(q13.every((x) => x.status === 'submitted' && x.prefecture === '13'), 'submitted Tokyo offers only');
  assert.ok(!q13.some((x) => x.id === O.id), 'no Osaka offer');
  for (let i = 1; i < q13.length; i++) assert.ok(q13[i - 1].updated_at <= q13[i].updated_at, 'oldest first');
  assert.deepEqual((await listAll(a13, 'status=submitted')).map((x) => x.id), q13.map((x) => x.id), 'admin13 has the same queue');
  const q27 = await listAll(c27, 'status=submitted');
  assert.ok(!q27.some((x) => x.id === A.id), 'counselor27 does not see the Tokyo offer');
  assert.ok(q27.some((x) => x.id === O.id) && q27.every((x) => x.prefecture === '27'));
  const qc = await listAll(central, 'status=submitted');
  assert.ok(qc.some((x) => x.id === A.id) && qc.some((x) => x.id === O.id), 'central sees every prefecture');
  const ia = qc.findIndex((x) => x.id === A.id);
  const io = qc.findIndex((x) => x.id === O.id);
  assert.ok(ia < io, 'the older submission first');
  // Other statuses filter; no filter lists all of the prefecture.
  const pub = await listAll(c13, 'status=published');
  assert.ok(pub.length >= 1 && pub.every((x) => x.status === 'published' && x.prefecture === '13' && /^13-/.test(x.offer_no)));
  const all = await listAll(c13, 'status=');
  assert.ok(all.some((x) => x.id === A.id) && all.every((x) => x.prefecture === '13'));
  for (const s of ['foo', 'SUBMITTED', "submitted'--", 'submitted%00']) {
    assertError(await c13.get(`${API}/job-offers?status=${encodeURIComponent(s)}`), 400, 'request.bad_parameter');
  }
  assertError(await c13.get(`${API}/job-offers?page=0`), 400, 'request.bad_parameter');
  assertError(await fac13.get(`${API}/job-offers?status=submitted`), 403, 'auth.forbidden');
  // Withdraw our Osaka submission (submitted → closed).
  const w = await fac27.post(opath(O.id, '/close'), { reason: 'withdrawn' });
  assert.equal(w.status, 200, w.text.slice(0, 200));
});

// ---- bad input ----------------------------------------------------------------------------

function withRaw(body, replacement) {
  const s = JSON.stringify(body);
  const i = s.indexOf(`"${MARK}"`);
  assert.ok(i >= 0);
  return Buffer.concat([Buffer.from(s.slice(0, i)), Buffer.from(replacement), Buffer.from(s.slice(i + MARK.length + 2))]);
}
const setIn = (body, path, value) => {
  const b = clone(body);
  const ks = path.split('.');
  let o = b;
  for (const k of ks.slice(0, -1)) o = o[k] ??= {};
  o[ks[ks.length - 1]] = value;
  return b;
};

// Cases for an offer body: {what, json | raw, status, field?, reasons? | code?}
function bodyCases() {
  const v = () => fullBody('bad');
  const c = [];
  c.push({ what: 'truncated JSON', raw: JSON.stringify(v()).slice(0, -3), status: 400 });
  c.push({ what: 'not JSON', raw: 'title=x', status: 400 });
  c.push({ what: 'duplicate key', raw: JSON.stringify(v()).replace(/^\{/, '{"title":"dup",'), status: 400 });
  c.push({ what: 'top-level array', raw: JSON.stringify([v()]), status: 400 });
  c.push({ what: 'invalid UTF-8 in title', raw: withRaw(setIn(v(), 'title', MARK), Buffer.from([0x22, 0x61, 0xff, 0xc3, 0x28, 0x22])), status: 400 });
  c.push({ what: 'invalid UTF-8 in duties.description', raw: withRaw(setIn(v(), 'duties.description', MARK), Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])), status: 400 });
  c.push({ what: 'huge integer literal', raw: withRaw(setIn(v(), 'positions', MARK), '123456789012345678901234567890'), status: [400, 422] });
  const t = (what, path, value, reasons, field = path) => c.push({ what, json: setIn(v(), path, value), status: 422, field, reasons });
  t('positions: string', 'positions', '3', ['type']);
  t('wage.base_min: string', 'wage.base_min', '300000', ['type']);
  t('hours.break_minutes: float', 'hours.break_minutes', 60.5, ['type']);
  t('insurance.health: number', 'insurance.health', 1, ['type']);
  t('hours.overtime: string', 'hours.overtime', 'true', ['type']);
  t('licences: object', 'licences', { kangoshi: true }, ['type']);
  t('licences: string', 'licences', 'kangoshi', ['type']);
  t('hours.shift_patterns: object', 'hours.shift_patterns', {}, ['type']);
  t('title: number', 'title', 5, ['type']);
  t('title: array', 'title', ['x'], ['type']);
  t('wage: string', 'wage', '300000', ['type']);
  t('hours: array', 'hours', [], ['type']);
  t('unknown top-level key', 'zzz_unknown', 1, ['unknown']);
  t('privilege key status', 'status', 'published', ['unknown']);
  t('privilege key offer_no', 'offer_no', '13-2026-999999', ['unknown']);
  t('campaign_tags (not in the API)', 'campaign_tags', ['x'], ['unknown']);
  c.push({ what: 'unknown nested key hours.foo', json: setIn(v(), 'hours.foo', 1), status: 422, field: 'hours.foo', code: 'hours.foo.unknown' });
  c.push({ what: 'unknown nested key wage.bonus', json: setIn(v(), 'wage.bonus', 1), status: 422, field: 'wage.bonus', code: 'wage.bonus.unknown' });
  t('positions -1', 'positions', -1, ['out_of_range']);
  t('positions 10000', 'positions', 10000, ['out_of_range']);
  t('break_minutes 601', 'hours.break_minutes', 601, ['out_of_range']);
  t('break_minutes -1', 'hours.break_minutes', -1, ['out_of_range']);
  t('wage.base_min 1e30', 'wage.base_min', 1e30, ['out_of_range', 'type']);
  t('positions 1e30', 'positions', 1e30, ['out_of_range', 'type']);
  t('wage.base_min 2^53', 'wage.base_min', 2 ** 53, ['out_of_range']);
  t('holidays.annual_days 367', 'holidays.annual_days', 367, ['out_of_range']);
  t('age.max 14', 'age.max', 14, ['out_of_range']);
  t('night_shifts 32', 'hours.night_shifts_per_month', 32, ['out_of_range']);
  c.push({ what: 'licences ["doctor"]', json: setIn(v(), 'licences', ['doctor']), status: 422, field: 'licences[0]', reasons: ['invalid'] });
  c.push({ what: 'licences duplicate', json: setIn(v(), 'licences', ['kangoshi', 'kangoshi']), status: 422, field: 'licences[1]', reasons: ['duplicate'] });
  c.push({ what: 'licences [5]', json: setIn(v(), 'licences', [5]), status: 422, field: 'licences[0]', reasons: ['invalid', 'type'] });
  c.push({ what: 'departments unknown', json: setIn(v(), 'departments', ['internal', 'astrology']), status: 422, field: 'departments[1]', reasons: ['invalid'] });
  c.push({ what: 'flags duplicate', json: setIn(v(), 'flags', ['ryo', 'kyubo', 'ryo']), status: 422, field: 'flags[2]', reasons: ['duplicate'] });
  c.push({ what: 'shift_patterns unknown', json: setIn(v(), 'hours.shift_patterns', ['four_shift']), status: 422, field: 'hours.shift_patterns[0]', reasons: ['invalid'] });
  c.push({ what: 'shift_patterns duplicate', json: setIn(v(), 'hours.shift_patterns', ['day_only', 'day_only']), status: 422, field: 'hours.shift_patterns[1]', reasons: ['duplicate'] });
  t('licences: 5 entries', 'licences', ['hokenshi', 'josanshi', 'kangoshi', 'junkangoshi', 'kangoshi'], ['too_long', 'duplicate'], 'licences');
  t('contract.type unknown', 'contract.type', 'forever', ['invalid']);
  t('wage.type unknown', 'wage.type', 'weekly', ['invalid']);
  t('smoking.measure unknown', 'smoking.measure', 'anywhere', ['invalid']);
  t('age.exception unknown', 'age.exception', '4', ['invalid']);
  t('employment_form unknown', 'employment_form', 'volunteer', ['invalid']);
  t('municipality_code letters', 'workplace.municipality_code', 'abcde', ['invalid']);
  t('duties.description 5,000 chars', 'duties.description', 'あ'.repeat(5000), ['too_long']);
  t('duties.description 2,001 ASCII chars', 'duties.description', 'a'.repeat(2001), ['too_long']);
  t('title 101 chars', 'title', '看'.repeat(101), ['too_long']);
  t('title with a control character', 'title', 'a\u0007b', ['invalid']);
  t('title with a newline (single-line field)', 'title', 'a\nb', ['invalid']);
  return c;
}

// Sends one case; returns null or a problem description (DB must be unchanged).
async function sendCase(c, method, path, k) {
  const opts = k.raw !== undefined ? { body: k.raw, headers: { 'content-type': 'application/json' } } : { json: k.json };
  const before = await counts();
  const r = await c.req(method, path, opts);
  const after = await counts();
  const problems = [];
  const want = [].concat(k.status);
  if (!want.includes(r.status)) problems.push(`status ${r.status}, want ${want.join('|')}`);
  try {
    if (r.status === 400) assertError(r, 400, 'request.malformed_json');
    else if (r.status === 422) {
      const fe = fieldsOf(r);
      for (const codes of Object.values(fe)) for (const code of codes) if (!REASONS.test(code)) problems.push(`undocumented reason in ${code}`);
      if (k.field) {
        const codes = fe[k.field] || [];
        const ok = k.code ? codes.includes(k.code) : codes.some((code) => k.reasons.some((x) => code.endsWith('.' + x)));
        if (!ok) problems.push(`field errors ${JSON.stringify(fe)} lack ${k.field} ${k.code || k.reasons}`);
      }
    } else if (r.status >= 400) assertError(r, r.status);
  } catch (e) {
    problems.push(e.message.split('\n')[0]);
  }
  const d = diffCounts(before, after);
  if (Object.keys(d).length) problems.push(`database changed: ${JSON.stringify(d)}`);
  return problems.length ? `${k.what}: ${problems.join('; ')} — answer ${r.status} ${r.text.slice(0, 200)}` : null;
}

let badDraft; // a draft of fac13 for PUT cases
test('bad input: POST /job-offers/check, POST /facilities/{id}/offers, PUT /job-offers/{id} — status, code, DB unchanged', async () => {
  badDraft = (await create(fac13, fid13, fullBody('draft-for-put'))).offer;
  const draftBefore = await getOffer(fac13, badDraft.id);
  await stableCounts();
  const problems = [];
  for (const [method, path] of [['POST', `${API}/job-offers/check`], ['POST', fpath(fid13, '/offers')], ['PUT', opath(badDraft.id)]]) {
    for (const k of bodyCases()) {
      const p = await sendCase(fac13, method, path, k);
      if (p) problems.push(`${method} ${path.replace(API, '')} ${p}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(await getOffer(fac13, badDraft.id), draftBefore, 'the draft is unchanged by the rejected PUTs');
});

test('bad input: every field error is reported at once', async () => {
  const before = await stableCounts();
  const r = await fac13.post(fpath(fid13, '/offers'), {
    ...fullBody(), positions: -1, zzz: 1, licences: ['doctor'], hours: { ...fullBody().hours, break_minutes: 601, foo: 1 },
    duties: { description: 'あ'.repeat(5000) }, insurance: { health: 1 },
  });
  const fe = fieldsOf(r);
  for (const f of ['positions', 'zzz', 'licences[0]', 'hours.break_minutes', 'hours.foo', 'duties.description', 'insurance.health']) {
    assert.ok(fe[f], `${f} reported; got ${JSON.stringify(fe)}`);
  }
  assertCountsUnchanged(before, await counts());
});

test('bad input: review, close, submit/extend/copy bodies — status, code, DB unchanged', async () => {
  const sub = (await create(fac13, fid13, fullBody())).offer;
  await submit(fac13, sub.id);
  await stableCounts();
  const problems = [];
  const reviewCases = [
    { what: 'truncated JSON', raw: '{"decision":"publish"', status: 400 },
    { what: 'top-level string', raw: '"publish"', status: 400 },
    { what: 'invalid UTF-8 reason', raw: Buffer.concat([Buffer.from('{"decision":"return","reason":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), status: 400 },
    { what: 'decision number', json: { decision: 1 }, status: 422, field: 'decision', reasons: ['type'] },
    { what: 'decision unknown', json: { decision: 'approve' }, status: 422, field: 'decision', reasons: ['invalid'] },
    { what: 'decision missing', json: { reason: 'x' }, status: 422, field: 'decision', reasons: ['missing'] },
    { what: 'reason object', json: { decision: 'return', reason: { a: 1 } }, status: 422, field: 'reason', reasons: ['type'] },
    { what: 'reason 1,001 chars', json: { decision: 'return', reason: 'あ'.repeat(1001) }, status: 422, field: 'reason', reasons: ['too_long'] },
    { what: 'ground unknown', json: { decision: 'refuse', ground: 'because' }, status: 422, field: 'ground', reasons: ['invalid'] },
    { what: 'ground array', json: { decision: 'refuse', ground: ['illegal_content'] }, status: 422, field: 'ground', reasons: ['type'] },
    { what: 'unknown key', json: { decision: 'publish', zzz: 1 }, status: 422, field: 'zzz', reasons: ['unknown'] },
    { what: 'privilege key offer_no', json: { decision: 'publish', offer_no: '13-2026-000001' }, status: 422, field: 'offer_no', reasons: ['unknown'] },
  ];
  for (const k of reviewCases) {
    const p = await sendCase(c13, 'POST', opath(sub.id, '/review'), k);
    if (p) problems.push(`review ${p}`);
  }
  const closeCases = [
    { what: 'malformed', raw: '{reason:filled}', status: 400 },
    { what: 'empty body', raw: '', status: [400, 422] },
    { what: 'reason missing', json: {}, status: 422, field: 'reason', reasons: ['missing'] },
    { what: 'reason unknown', json: { reason: 'sold' }, status: 422, field: 'reason', reasons: ['invalid'] },
    { what: 'reason number', json: { reason: 5 }, status: 422, field: 'reason', reasons: ['type'] },
    { what: 'reason bool', json: { reason: true }, status: 422, field: 'reason', reasons: ['type'] },
    { what: 'unknown key', json: { reason: 'filled', note: 'x' }, status: 422, field: 'note', reasons: ['unknown'] },
  ];
  for (const k of closeCases) {
    const p = await sendCase(fac13, 'POST', opath(sub.id, '/close'), k);
    if (p) problems.push(`close ${p}`);
  }
  for (const action of ['submit', 'extend', 'copy']) {
    for (const k of [{ what: 'malformed body', raw: '{x', status: 400 }, { what: 'array body', raw: '[]', status: 400 }, { what: 'invalid UTF-8', raw: Buffer.from([0x7b, 0xff, 0x7d]), status: 400 }]) {
      const p = await sendCase(fac13, 'POST', opath(sub.id, `/${action}`), k);
      if (p) problems.push(`${action} ${p}`);
    }
  }
  // Bad ids.
  for (const id of ['abc', '-1', '1.5', '99999999999999999999999']) {
    const r = await fac13.get(opath(id));
    if (![400, 404].includes(r.status)) problems.push(`GET /job-offers/${id}: ${r.status}`);
    else assertError(r, r.status, r.status === 400 ? 'request.bad_parameter' : ['resource.not_found', 'request.not_found']);
  }
  assert.deepEqual(problems, []);
  assert.equal((await getOffer(fac13, sub.id)).offer.status, 'submitted', 'still submitted after all that');
  assert.equal((await fac13.post(opath(sub.id, '/close'), { reason: 'withdrawn' })).status, 200, 'withdrawn (cleanup)');
});

test('bad input: a CSRF-less or anonymous write changes nothing', async () => {
  const b = fullBody();
  assertError(await rejected(fac13, 'POST', fpath(fid13, '/offers'), { json: b, csrf: false }, 'no CSRF'), 403, 'auth.csrf');
  assertError(await rejected(fac13, 'POST', fpath(fid13, '/offers'), { json: b, csrf: 'wrong' }, 'wrong CSRF'), 403, 'auth.csrf');
  assertError(await rejected(client(), 'POST', fpath(fid13, '/offers'), { json: b }, 'anonymous'), 401, 'auth.required');
  assertError(await rejected(fac13, 'POST', fpath(fid13, '/offers'), { body: JSON.stringify(b), headers: { 'content-type': 'text/plain' } }, 'text/plain'), 415, 'request.unsupported_media_type');
});

test('HTML and SQL in text fields are stored and returned verbatim', async () => {
  const b = fullBody(tag(), {
    title: HTML,
    pr: `${SQL}\n"><img src=x onerror=alert(1)>`,
  });
  b.duties.description = `${SQL} ${HTML} &amp; &#x3c; \\ "quoted"`;
  b.employer.name = "O'Reilly & <Sons>";
  const before = await stableCounts();
  const { offer } = await create(fac13, fid13, b);
  const after = await counts();
  assert.equal(after.offers, before.offers + 1);
  const g = await fac13.get(opath(offer.id));
  assert.doesNotMatch(g.text, /&lt;|&gt;|&quot;/, 'not HTML-escaped in JSON');
  assert.equal(g.json.offer.body.title, HTML);
  assert.equal(g.json.offer.body.pr, b.pr);
  assert.equal(g.json.offer.body.duties.description, b.duties.description);
  assert.equal(g.json.offer.body.employer.name, b.employer.name);
  const list = (await fac13.get(fpath(fid13, '/offers'))).json.items;
  assert.equal(list.find((x) => x.id === offer.id).title, HTML);
  const c = await counts();
  assert.ok(c.offers > 0 && c.users > 0, 'tables still there');
});

test('no-body routes: unknown keys in a body are rejected (422 <key>.unknown)', async () => {
  const o = (await create(fac13, fid13, fullBody())).offer;
  const r = await rejected(fac13, 'POST', opath(o.id, '/copy'), { json: { zzz: 1 } }, 'copy with unknown key');
  assertField(r, 'zzz', ['unknown']);
});

test('review: a ground is only for refusals (publish with a ground → 422, DB unchanged)', async () => {
  const { offer } = await create(fac13, fid13, fullBody());
  await submit(fac13, offer.id);
  const r = await rejected(c13, 'POST', opath(offer.id, '/review'), { json: { decision: 'publish', ground: 'illegal_content' } }, 'publish with ground');
  assertField(r, 'ground', ['not_allowed', 'invalid']);
  assert.equal((await getOffer(fac13, offer.id)).offer.status, 'submitted');
  assert.equal((await fac13.post(opath(offer.id, '/close'), { reason: 'withdrawn' })).status, 200, 'withdrawn (cleanup)');
});

test('review: returning with a ground does not store a refusal ground on a returned offer', async () => {
  const { offer } = await create(fac13, fid13, fullBody());
  await submit(fac13, offer.id);
  const r = await c13.post(opath(offer.id, '/review'), { decision: 'return', reason: '修正してください', ground: 'illegal_content' });
  if (r.status === 422) { assertField(r, 'ground', ['not_allowed', 'invalid']); return; }
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.json.offer.status, 'returned');
  assert.equal(r.json.offer.refusal_ground, null, 'a returned offer has no refusal ground');
});

// ---- expiry -------------------------------------------------------------------------------

test('expiry: a published offer whose validity has passed is expired by the job worker within ~70 s', async () => {
  const t = tag();
  const { offer } = await create(fac13, fid13, fullBody(t));
  await submit(fac13, offer.id);
  const p = (await review(c13, offer.id, { decision: 'publish' })).json.offer;
  assert.equal(p.status, 'published');
  await sql(`UPDATE offers SET valid_until = '2020-01-31' WHERE id = ${offer.id}`);
  const deadline = Date.now() + 75000;
  let o;
  for (;;) {
    o = (await getOffer(fac13, offer.id)).offer;
    if (o.status !== 'published' || Date.now() > deadline) break;
    await sleep(2000);
  }
  assert.equal(o.status, 'expired', `expired within 75 s (${BACKEND})`);
  assert.equal(o.offer_no, p.offer_no);
  const h = await history(fac13, offer.id);
  assert.equal(h[0].action, 'expired');
  assertError(await rejected(fac13, 'POST', opath(offer.id, '/extend'), {}, 'extend expired'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'PUT', opath(offer.id), { json: fullBody(t) }, 'PUT expired'), 409, 'state.invalid_transition');
  assertError(await rejected(fac13, 'POST', opath(offer.id, '/close'), { json: { reason: 'filled' } }, 'close expired'), 409, 'state.invalid_transition');
  // Copy still works (re-post an expired offer as a new draft).
  const cp = await fac13.post(opath(offer.id, '/copy'));
  assert.equal(cp.status, 201);
  assert.equal(cp.json.offer.status, 'draft');
  // The demo offers were not touched.
  const demoList = (await fac13.get(fpath(fid13, '/offers'))).json.items;
  assert.ok(demoList.some((x) => x.status === 'published' && x.offer_no && x.id !== offer.id), 'fac13 still has a published offer');
});
