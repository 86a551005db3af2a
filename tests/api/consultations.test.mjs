// Consultations (相談, docs/API.md "Casework"): records for a nurse, a facility or another
// client; outreach places; the sensitive note (要配慮個人情報) only with the mental_health grant,
// each read audited (read_sensitive), never for central staff, never in lists or the export;
// staff grants (center admin, own prefecture); scope by prefecture; follow-up tasks; the CSV
// export (BOM, formula cells neutralised); lists and their filters; hostile text verbatim.
//
// counselor13 holds the mental_health grant for this file (granted by admin13 in before());
// one test revokes it to see the refusals and grants it again.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { API, demo, assertError, counts, stableCounts, diffCounts, JP_RE } from './_lib.mjs';
import {
  FORMULAS, HTML, JS, notifBody, assertField, allPages, findIn, jstDate, licNo, kanaName, parseCsv, hasBom, formulaCells, pick,
} from './_notif.mjs';

const SQL = "'; DROP TABLE consultations;--";
const CONS_KEYS = ['id', 'prefecture', 'counselor', 'person', 'facility', 'client_kind', 'client_name', 'channel',
  'channel_label', 'outreach_place', 'category', 'category_label', 'consulted_on', 'summary', 'has_sensitive',
  'sensitive_note', 'sensitive_hidden', 'follow_up_on', 'follow_up_note', 'campaign', 'created_at'];

let c13, c27, a13, central, sysadmin, fac13, fac27, nurse13, nurse27, fid13, fid27;

const grant = (who, on) => a13.req('PUT', `${API}/staff/${who}/grants`, { json: { mental_health: on } });

before(async () => {
  [c13, c27, a13, central, sysadmin, fac13, fac27, nurse13, nurse27] = await Promise.all(
    ['counselor13', 'counselor27', 'admin13', 'central', 'sysadmin', 'facility13', 'facility27', 'nurse13', 'nurse27'].map((n) => demo(n)));
  fid13 = fac13.user.facility_id;
  fid27 = fac27.user.facility_id;
  const g = await grant(c13.user.id, true);
  assert.equal(g.status, 200, `grant mental_health to counselor13: ${g.text.slice(0, 300)}`);
  assert.deepEqual(g.json.grants || g.json.staff?.grants, ['mental_health']);
});

// A nurse's record at the center of `pref`, from a paper notification (no account to register).
async function nurse(pref = '13') {
  const name = `相談 ${kanaName('').trim()}`;
  const r = await (pref === '13' ? c13 : c27).post(`${API}/center/notifications`, notifBody({
    holder: { name, name_kana: kanaName('ソウダン'), address_prefecture: pref },
  }));
  assert.equal(r.status, 201, `paper notification for a consultation client: ${r.text.slice(0, 300)}`);
  return { id: r.json.notification.person_id, name };
}
const body = (over = {}) => ({
  client_kind: 'nurse', channel: 'phone', category: 'employment', consulted_on: jstDate(), summary: '就業先の相談。', ...over,
});
const create = (c, json) => c.post(`${API}/consultations`, json);
async function createOk(c, json) {
  const r = await create(c, json);
  assert.equal(r.status, 201, `consultation: ${r.text.slice(0, 400)}`);
  return assertConsultation(r.json.consultation);
}
const get = (c, id) => c.get(`${API}/consultations/${id}`);
function assertConsultation(x) {
  for (const k of CONS_KEYS) assert.ok(k in x, `Consultation has ${k}: ${JSON.stringify(x).slice(0, 300)}`);
  assert.match(x.channel_label, JP_RE);
  assert.match(x.category_label, JP_RE);
  assert.equal(typeof x.has_sensitive, 'boolean');
  assert.equal(typeof x.sensitive_hidden, 'boolean');
  return x;
}
// Audit entries of person `id` with action `action` (read by the center admin).
async function auditOf(id, action) {
  const r = await a13.get(`${API}/people/${id}/audit`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  return r.json.items.filter((x) => x.action === action);
}

test('create for a nurse, a facility and another client: members, labels, counselor and prefecture', async () => {
  const n = await nurse();
  const a = await createOk(c13, body({ person_id: n.id }));
  assert.equal(a.client_kind, 'nurse');
  assert.equal(a.person.id, n.id);
  assert.equal(a.person.name, n.name);
  assert.equal(a.facility, null);
  assert.equal(a.prefecture, '13');
  assert.equal(a.counselor.id, c13.user.id);
  assert.equal(a.channel_label, '電話');
  assert.equal(a.category_label, '就業');
  assert.equal(a.has_sensitive, false);
  assert.equal(a.sensitive_note, null);
  const f = await createOk(a13, body({ client_kind: 'facility', facility_id: fid13, channel: 'visit', category: 'conditions', summary: '求人条件の相談' }));
  assert.equal(f.facility.id, fid13);
  assert.equal(f.person, null);
  assert.equal(f.counselor.id, a13.user.id);
  const o = await createOk(c13, body({ client_kind: 'other', client_name: '匿名の相談者', channel: 'online', category: 'career', summary: '進路について\n複数行の記録' }));
  assert.equal(o.client_name, '匿名の相談者');
  assert.equal(o.person, null);
  assert.equal(o.summary, '進路について\n複数行の記録', 'newlines allowed in the summary');
  const g = await get(c13, a.id);
  assert.equal(g.status, 200);
  assert.equal(g.json.consultation.summary, '就業先の相談。');
  for (const c of [central, sysadmin, fac13, nurse13]) assertError(await create(c, body({ person_id: n.id })), 403, 'auth.forbidden');
});

test('outreach needs outreach_place, which only goes with outreach', async () => {
  const n = await nurse();
  const before = pick(await stableCounts(), ['consultations']);
  assertField(await create(c13, body({ person_id: n.id, channel: 'outreach' })), 'outreach_place', 'outreach_place.missing');
  assertField(await create(c13, body({ person_id: n.id, channel: 'phone', outreach_place: 'hello_work' })), 'outreach_place', ['not_allowed', 'invalid']);
  assertField(await create(c13, body({ person_id: n.id, channel: 'outreach', outreach_place: 'beach' })), 'outreach_place', 'outreach_place.invalid');
  assert.deepEqual(pick(await counts(), ['consultations']), before);
  const o = await createOk(c13, body({ person_id: n.id, channel: 'outreach', outreach_place: 'hello_work' }));
  assert.equal(o.outreach_place, 'hello_work');
  assert.equal(o.channel_label, '出張相談');
});

test('client and date rules: the person or facility must be in scope; consulted_on not in the future; follow_up_on not in the past', async () => {
  const n27 = await nurse('27');
  const n = await nurse();
  const cases = [
    [body({}), 'person_id', ['missing']],
    [body({ person_id: n27.id }), 'person_id', ['invalid']],
    [body({ person_id: 987654321 }), 'person_id', ['invalid']],
    [body({ person_id: 'abc' }), 'person_id', ['type']],
    [body({ client_kind: 'facility' }), 'facility_id', ['missing']],
    [body({ client_kind: 'facility', facility_id: fid27 }), 'facility_id', ['invalid']],
    [body({ client_kind: 'other' }), 'client_name', ['missing']],
    [body({ client_kind: 'other', client_name: 'あ'.repeat(101) }), 'client_name', ['too_long']],
    [body({ client_kind: 'robot', person_id: n.id }), 'client_kind', ['invalid']],
    [body({ person_id: n.id, channel: 'fax' }), 'channel', ['invalid']],
    [body({ person_id: n.id, category: 'gossip' }), 'category', ['invalid']],
    [body({ person_id: n.id, consulted_on: jstDate(2) }), 'consulted_on', ['out_of_range', 'invalid']],
    [body({ person_id: n.id, consulted_on: '2026-02-30' }), 'consulted_on', ['invalid']],
    [body({ person_id: n.id, summary: '' }), 'summary', ['missing', 'too_short']],
    [body({ person_id: n.id, summary: 'あ'.repeat(4001) }), 'summary', ['too_long']],
    [body({ person_id: n.id, sensitive_note: 'あ'.repeat(4001) }), 'sensitive_note', ['too_long']],
    [body({ person_id: n.id, follow_up_on: jstDate(-2) }), 'follow_up_on', ['out_of_range', 'invalid']],
    [body({ person_id: n.id, follow_up_on: jstDate(3), follow_up_note: 'あ'.repeat(1001) }), 'follow_up_note', ['too_long']],
    [body({ person_id: n.id, counselor_id: c27.user.id }), 'counselor_id', ['unknown']],
  ];
  const before = pick(await stableCounts(), ['consultations', 'consultation_sensitive', 'tasks']);
  const problems = [];
  for (const [json, field, reasons] of cases) {
    const r = await create(c13, json);
    try { assertField(r, field, reasons); } catch (e) { problems.push(`${JSON.stringify(json).slice(0, 120)}: ${e.message.split('\n')[0]}`); }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(pick(await counts(), ['consultations', 'consultation_sensitive', 'tasks']), before, 'nothing written');
  // counselor27 may record for its own nurse.
  assert.equal((await createOk(c27, body({ person_id: n27.id }))).prefecture, '27');
});

test('sensitive note: returned only with the mental_health grant, each read audited as read_sensitive; central staff never get it', async () => {
  const n = await nurse();
  const mark = `SENSITIVE-${Date.now()}`;
  const x = await createOk(c13, body({ person_id: n.id, category: 'mental_health', sensitive_note: `${mark} 不眠が続いている` }));
  assert.equal(x.has_sensitive, true);
  const before = (await auditOf(n.id, 'read_sensitive')).length;
  const g = await get(c13, x.id);
  assert.equal(g.status, 200, g.text.slice(0, 300));
  assert.equal(g.json.consultation.sensitive_note, `${mark} 不眠が続いている`);
  assert.equal(g.json.consultation.sensitive_hidden, false);
  const after = await auditOf(n.id, 'read_sensitive');
  assert.equal(after.length, before + 1, 'one read_sensitive audit row per read');
  assert.ok(after.some((e) => String(e.actor_id) === String(c13.user.id) && e.actor_role === 'counselor'), 'by counselor13');
  for (const c of [central, sysadmin]) {
    const r = await get(c, x.id);
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r.json.consultation.sensitive_note, null, 'central staff never get the note');
    assert.equal(r.json.consultation.sensitive_hidden, true);
    assert.equal(r.json.consultation.has_sensitive, true);
    assert.ok(!r.text.includes(mark));
  }
  // Lists never carry the note, not even for the grant holder.
  for (const c of [c13, central]) {
    const l = await c.get(`${API}/consultations?person_id=${n.id}`);
    assert.equal(l.status, 200, l.text.slice(0, 200));
    assert.ok(l.json.items.some((y) => y.id === x.id));
    assert.ok(!l.text.includes(mark), 'no sensitive note in the list');
  }
  // Without the grant: hidden, and writing one is refused.
  const rv = await grant(c13.user.id, false);
  assert.equal(rv.status, 200, rv.text.slice(0, 200));
  try {
    const h = await get(c13, x.id);
    assert.equal(h.json.consultation.sensitive_note, null);
    assert.equal(h.json.consultation.sensitive_hidden, true);
    assert.ok(!h.text.includes(mark));
    const cb = pick(await stableCounts(), ['consultations', 'consultation_sensitive', 'tasks']);
    assertError(await create(c13, body({ person_id: n.id, sensitive_note: '書けないはず' })), 403, 'consultation.sensitive_forbidden');
    assert.deepEqual(pick(await counts(), ['consultations', 'consultation_sensitive', 'tasks']), cb, 'nothing written');
    assert.equal((await createOk(c13, body({ person_id: n.id }))).has_sensitive, false, 'without a note it is fine');
    const staff = (await c13.get(`${API}/staff`)).json.items.find((s) => s.id === c13.user.id);
    assert.deepEqual(staff.grants, []);
  } finally {
    assert.equal((await grant(c13.user.id, true)).status, 200, 'grant restored');
  }
  const again = await get(c13, x.id);
  assert.equal(again.json.consultation.sensitive_note, `${mark} 不眠が続いている`);
  assert.equal((await auditOf(n.id, 'read_sensitive')).length, before + 2);
});

test('staff and grants: GET /staff lists the caller\'s center; grants by the center admin of that prefecture only', async () => {
  const l = await c13.get(`${API}/staff`);
  assert.equal(l.status, 200, l.text.slice(0, 300));
  const ids = l.json.items.map((s) => s.id);
  assert.ok(ids.includes(c13.user.id) && ids.includes(a13.user.id), 'Tokyo staff listed');
  assert.ok(!ids.includes(c27.user.id), 'not Osaka staff');
  for (const s of l.json.items) {
    assert.deepEqual(Object.keys(s).sort(), ['grants', 'id', 'name', 'role']);
    assert.ok(['counselor', 'center_admin'].includes(s.role));
  }
  assert.deepEqual(l.json.items.find((s) => s.id === c13.user.id).grants, ['mental_health']);
  assert.ok(!(await c27.get(`${API}/staff`)).json.items.some((s) => s.id === c13.user.id));
  for (const c of [central, sysadmin, fac13, nurse13]) assertError(await c.get(`${API}/staff`), 403, 'auth.forbidden');
  const put = (c, id, json) => c.req('PUT', `${API}/staff/${id}/grants`, { json });
  assertError(await put(c13, c13.user.id, { mental_health: true }), 403, 'auth.forbidden');
  assertError(await put(central, c13.user.id, { mental_health: true }), 403, 'auth.forbidden');
  assertError(await put(a13, c27.user.id, { mental_health: true }), 404, 'resource.not_found');
  assertError(await put(a13, nurse13.user.id, { mental_health: true }), 404, 'resource.not_found');
  assertError(await put(a13, fac13.user.id, { mental_health: true }), 404, 'resource.not_found');
  assertError(await put(a13, 987654321, { mental_health: true }), 404, 'resource.not_found');
  const before = pick(await stableCounts(), ['staff_grants']);
  assertField(await put(a13, c13.user.id, { mental_health: 'yes' }), 'mental_health', 'mental_health.type');
  assertField(await put(a13, c13.user.id, {}), 'mental_health', 'mental_health.missing');
  assertField(await put(a13, c13.user.id, { mental_health: true, admin: true }), 'admin', 'admin.unknown');
  assert.deepEqual(pick(await counts(), ['staff_grants']), before);
  const same = await put(a13, c13.user.id, { mental_health: true });
  assert.equal(same.status, 200, 'granting again is idempotent');
  assert.deepEqual(pick(await counts(), ['staff_grants']), before);
});

test('another prefecture: counselor27 gets 404 on a Tokyo consultation and does not list it', async () => {
  const n = await nurse();
  const x = await createOk(c13, body({ person_id: n.id, summary: `東京の相談 ${Date.now()}` }));
  assertError(await get(c27, x.id), 404, 'resource.not_found');
  assertError(await get(fac13, x.id), 403, 'auth.forbidden');
  assertError(await get(nurse13, x.id), 403, 'auth.forbidden');
  const l = await allPages(c27, `${API}/consultations`);
  assert.ok(!l.items.some((y) => y.id === x.id), 'not in Osaka\'s list');
  assert.ok(l.items.every((y) => y.prefecture === '27'));
  const byPerson = await c27.get(`${API}/consultations?person_id=${n.id}`);
  assert.ok(byPerson.status === 404 || (byPerson.status === 200 && byPerson.json.total === 0), `filtering by a Tokyo nurse reveals nothing: ${byPerson.status}`);
  assert.ok((await allPages(central, `${API}/consultations?person_id=${n.id}`)).items.some((y) => y.id === x.id), 'central lists it');
});

test('follow_up_on opens a follow_up task due that day', async () => {
  const n = await nurse();
  const due = jstDate(10);
  const x = await createOk(c13, body({ person_id: n.id, follow_up_on: due, follow_up_note: '求人票を送付して再連絡' }));
  assert.equal(x.follow_up_on, due);
  const t = await findIn(c13, `${API}/tasks?kind=follow_up`, (y) => y.consultation_id === x.id);
  assert.ok(t, 'follow_up task in the queue');
  assert.equal(t.due_on, due);
  assert.equal(t.prefecture, '13');
  assert.equal(t.person.id, n.id);
  assert.equal(t.overdue, false);
  const today = await createOk(c13, body({ client_kind: 'other', client_name: '家族からの相談', follow_up_on: jstDate() }));
  const t2 = await findIn(c13, `${API}/tasks?kind=follow_up`, (y) => y.consultation_id === today.id);
  assert.ok(t2, 'a follow-up today is allowed');
  assert.equal(t2.person, null);
  const none = await createOk(c13, body({ person_id: n.id }));
  assert.equal(await findIn(c13, `${API}/tasks?kind=follow_up`, (y) => y.consultation_id === none.id), undefined, 'no task without follow_up_on');
});

test('CSV export: BOM, formula cells neutralised, never the sensitive note; scoped to the prefecture', async () => {
  const n = await nurse();
  const mark = `NOEXPORT-${Date.now()}`;
  const tagged = `相談-${Date.now()}`;
  await createOk(c13, body({ person_id: n.id, summary: FORMULAS[0] }));
  await createOk(c13, body({ client_kind: 'other', client_name: FORMULAS[3], summary: `${FORMULAS[1]} ${tagged}` }));
  await createOk(c13, body({ client_kind: 'other', client_name: FORMULAS[2], summary: tagged }));
  await createOk(c13, body({ person_id: n.id, category: 'mental_health', summary: `要配慮 ${tagged}`, sensitive_note: mark }));
  const osaka = await createOk(c27, body({ client_kind: 'other', client_name: '大阪の相談者', summary: `大阪 ${tagged}` }));
  const r = await c13.get(`${API}/exports/consultations.csv`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.ok(hasBom(r.buffer), 'UTF-8 BOM');
  const rows = parseCsv(r.buffer.toString('utf8'));
  assert.match(rows[0].join(','), JP_RE, 'Japanese header');
  const cells = new Set(rows.flat());
  for (const f of [FORMULAS[0], FORMULAS[3], FORMULAS[2]]) assert.ok(cells.has(`'${f}`), `${f} exported as '${f}`);
  assert.ok(cells.has(`'${FORMULAS[1]} ${tagged}`));
  assert.deepEqual(formulaCells(rows), [], 'no cell starts with = + - @');
  assert.ok(!r.text.includes(mark), 'no sensitive note in the export');
  assert.ok(!r.text.includes(`大阪 ${tagged}`), 'not another prefecture\'s');
  const cr = await central.get(`${API}/exports/consultations.csv?from=${jstDate(-1)}&to=${jstDate()}`);
  assert.equal(cr.status, 200);
  assert.ok(cr.text.includes(`大阪 ${tagged}`) && !cr.text.includes(mark), 'central: every prefecture, no note');
  assert.ok(osaka.id);
  const old = await central.get(`${API}/exports/consultations.csv?from=2001-04-01&to=2001-04-30`);
  assert.equal(old.status, 200);
  assert.ok(!old.text.includes(tagged), 'the period filter applies');
  for (const q of ['from=abc', 'to=2026-13-01']) assertError(await c13.get(`${API}/exports/consultations.csv?${q}`), 400, 'request.bad_parameter');
  for (const c of [fac13, nurse13]) assertError(await c.get(`${API}/exports/consultations.csv`), 403, 'auth.forbidden');
});

test('list: newest first; person_id, facility_id, category, from/to filters; parameters checked', async () => {
  const n = await nurse();
  const a = await createOk(c13, body({ person_id: n.id, category: 'return', consulted_on: jstDate(-3) }));
  const b = await createOk(c13, body({ person_id: n.id, category: 'workplace' }));
  const l = await c13.get(`${API}/consultations?person_id=${n.id}`);
  assert.deepEqual(l.json.items.map((x) => x.id), [b.id, a.id], 'newest first');
  assert.equal(l.json.total, 2);
  assert.deepEqual((await c13.get(`${API}/consultations?person_id=${n.id}&category=return`)).json.items.map((x) => x.id), [a.id]);
  assert.deepEqual((await c13.get(`${API}/consultations?person_id=${n.id}&from=${jstDate(-1)}`)).json.items.map((x) => x.id), [b.id]);
  assert.deepEqual((await c13.get(`${API}/consultations?person_id=${n.id}&to=${jstDate(-2)}`)).json.items.map((x) => x.id), [a.id]);
  const f = await createOk(c13, body({ client_kind: 'facility', facility_id: fid13 }));
  assert.ok((await allPages(c13, `${API}/consultations?facility_id=${fid13}`)).items.some((x) => x.id === f.id));
  for (const q of ['person_id=abc', 'facility_id=-1', 'category=bogus', 'from=2026-02-30', 'to=yesterday', 'page=0', 'per_page=1000']) {
    assertError(await c13.get(`${API}/consultations?${q}`), 400, 'request.bad_parameter');
  }
});

test('hostile text (SQL, HTML, JavaScript) is stored and returned verbatim; the table survives', async () => {
  const n = await nurse();
  const before = await stableCounts();
  const x = await createOk(c13, body({ person_id: n.id, summary: `${SQL}\n${HTML}\n${JS}`, sensitive_note: HTML, follow_up_on: jstDate(1), follow_up_note: SQL, campaign: HTML.slice(0, 40) }));
  const g = await get(c13, x.id);
  assert.equal(g.json.consultation.campaign, HTML.slice(0, 40), 'the campaign tag is stored verbatim');
  assert.equal(g.json.consultation.summary, `${SQL}\n${HTML}\n${JS}`);
  assert.equal(g.json.consultation.sensitive_note, HTML);
  assert.equal(g.json.consultation.follow_up_note, SQL);
  assert.doesNotMatch(g.text, /&lt;|&gt;|&#/);
  const after = await counts();
  assert.equal(after.consultations, before.consultations + 1, 'consultations table intact');
  assert.deepEqual(diffCounts(before, after, ['consultations', 'consultation_sensitive', 'tasks', 'audit_log', 'jobs', 'sessions']), {});
});
