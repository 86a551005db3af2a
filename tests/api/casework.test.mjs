// Casework (相談員の業務, docs/API.md "Casework"): the work queue (GET /tasks: open by default,
// oldest due first; filters; assignment within the prefecture; outcomes; overdue), the center
// settings (first-contact deadline, center admin only), one timeline per licence holder (staff
// and the nurse's own), duplicate records (shown, merged only by hand; conflicts), and the
// hand-over of a nurse to another prefecture's center with consent.
//
// Every nurse here is registered by this file with a unique licence number and reading, so the
// duplicate candidates are exactly the records a test creates. An overdue task is made by moving
// its due date into the past directly in the test database, as saved_searches.test.mjs moves
// registration dates.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  API, client, demo, registerVerified, assertError, counts, stableCounts, JP_RE,
} from './_lib.mjs';
import {
  P, notifBody, assertNotification, assertField, allPages, findIn, jstDate, addDays, fiscalYear, addBusinessDays,
  isBusinessDay, holidaysKnown, licNo, kanaName, sql, pick,
} from './_notif.mjs';

let c13, c27, a13, central, sysadmin, fac13, nurse13, nurse27;
let off13; // the demo Tokyo offer (public)

const TASK_KEYS = ['id', 'kind', 'kind_label', 'prefecture', 'person', 'notification_id', 'consultation_id', 'due_on',
  'overdue', 'assigned_to', 'status', 'outcome', 'outcome_label', 'note', 'done_at', 'done_by', 'created_at', 'duplicates'];

before(async () => {
  [c13, c27, a13, central, sysadmin, fac13, nurse13, nurse27] = await Promise.all(
    ['counselor13', 'counselor27', 'admin13', 'central', 'sysadmin', 'facility13', 'nurse13', 'nurse27'].map((n) => demo(n)));
  const p = await client().get(`${API}/offers/13-${fiscalYear()}-000001`);
  assert.equal(p.status, 200, p.text.slice(0, 200));
  off13 = p.json.offer;
});

// A verified nurse of `pref` with a unique licence and reading; returns {client, id, email, lic, kana}.
async function nurse(pref = '13') {
  const lic = licNo();
  const kana = kanaName('ケース');
  const a = await registerVerified('seeker', {
    prefecture: pref, name_kana: kana, licences: [{ type: 'kangoshi', number: lic, registered_on: '2015-04-01' }],
  });
  return { client: a.client, id: a.user.id, email: a.email, password: a.password, lic, kana, user: a.user };
}
function profile(pref = '13') {
  return {
    work_status: 'not_working', prefecture: pref, email_consent: false,
    experience: { years: 5, departments: ['internal'] }, wishes: { prefectures: [pref], employment_forms: ['jokin'] },
  };
}
async function withProfile(n, pref = '13') {
  const r = await n.client.req('PUT', `${API}/me/seeker`, { json: profile(pref) });
  assert.equal(r.status, 201, `profile: ${r.text.slice(0, 300)}`);
}
// Files a notification as the nurse; returns it.
async function file(n, over = {}) {
  const r = await n.client.post(P.file, notifBody({ licences: [{ type: 'kangoshi', number: n.lic, registered_on: '2015-04-01' }], ...over }));
  assert.equal(r.status, 201, `filing: ${r.text.slice(0, 400)}`);
  return assertNotification(r.json.notification);
}
// A paper notification at center 13 (no e-mail: a record of its own); returns it.
async function paper(over = {}, c = c13) {
  const r = await c.post(P.center, notifBody(over));
  assert.equal(r.status, 201, `paper filing: ${r.text.slice(0, 400)}`);
  return assertNotification(r.json.notification);
}
// The first task in the queue of `c` (query `q`, e.g. '&kind=handover') that satisfies pred.
const taskOf = (c, pred, q = '') => findIn(c, `${API}/tasks${q ? `?${q.replace(/^&/, '')}` : ''}`, pred);
async function notifTask(c, notifId, q = '') {
  const t = await taskOf(c, (x) => x.notification_id === notifId, `&kind=notification${q}`);
  return t;
}
// A new open notification task in Tokyo (from a paper filing: no account to register).
async function freshTask() {
  const a = await paper();
  const t = await notifTask(c13, a.id);
  assert.ok(t, 'notification task of a paper filing');
  return { a, t };
}
const assign = (c, id, assignee) => c.post(`${API}/tasks/${id}/assign`, { assignee_id: assignee });
const done = (c, id, body) => c.post(`${API}/tasks/${id}/done`, body);

function assertTask(t) {
  for (const k of TASK_KEYS) assert.ok(k in t, `Task has ${k}: ${JSON.stringify(t).slice(0, 300)}`);
  assert.ok(['notification', 'registration', 'follow_up', 'handover'].includes(t.kind), t.kind);
  assert.match(t.kind_label, JP_RE);
  assert.match(t.due_on, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(typeof t.overdue, 'boolean');
  assert.ok(['open', 'done'].includes(t.status));
  return t;
}

// ---- the queue -------------------------------------------------------------------------------

test('GET /tasks: open tasks by default, oldest due first, the caller\'s prefecture; done ones newest first', async () => {
  await freshTask();
  await freshTask();
  const t0 = jstDate();
  const list = await allPages(c13, `${API}/tasks`);
  assert.ok([t0, jstDate()].includes(list.today), `today ${list.today} is the JST date`);
  assert.ok(list.items.length >= 2);
  let prev = '';
  for (const t of list.items) {
    assertTask(t);
    assert.equal(t.status, 'open', 'open by default');
    assert.equal(t.prefecture, '13');
    assert.ok(t.due_on >= prev, `oldest due first: ${t.due_on} after ${prev}`);
    assert.equal(t.overdue, t.due_on < list.today, `overdue flag of a task due ${t.due_on}`);
    prev = t.due_on;
  }
  const kinds = await c13.get(`${API}/tasks?kind=notification&per_page=100`);
  assert.ok(kinds.json.items.every((t) => t.kind === 'notification'));
  // Done tasks: newest first.
  const a = await freshTask();
  const b = await freshTask();
  assert.equal((await done(c13, a.t.id, { outcome: 'contacted' })).status, 200);
  assert.equal((await done(c13, b.t.id, { outcome: 'not_needed' })).status, 200);
  const d = await c13.get(`${API}/tasks?status=done&per_page=100`);
  assert.equal(d.status, 200);
  assert.ok(d.json.items.every((t) => t.status === 'done'));
  const ids = d.json.items.map((t) => t.id);
  assert.ok(ids.includes(a.t.id) && ids.includes(b.t.id), 'both listed as done');
  const [da, db] = [a, b].map((x) => d.json.items.find((y) => y.id === x.t.id).done_at);
  if (da !== db) assert.ok(ids.indexOf(b.t.id) < ids.indexOf(a.t.id), 'the last done first');
  for (let i = 1; i < d.json.items.length; i++) assert.ok(d.json.items[i - 1].done_at >= d.json.items[i].done_at);
  // Staff of another prefecture and central.
  const osaka = await c27.get(`${API}/tasks?per_page=100`);
  assert.ok(osaka.json.items.every((t) => t.prefecture === '27'));
  const cen = await central.get(`${API}/tasks?prefecture=27&per_page=100`);
  assert.equal(cen.status, 200);
  assert.ok(cen.json.items.every((t) => t.prefecture === '27'));
  const wide = await c13.get(`${API}/tasks?prefecture=27&per_page=100`);
  if (wide.status === 200) assert.ok(wide.json.items.every((t) => t.prefecture === '13'), 'a counselor never sees another prefecture\'s tasks');
  else assertError(wide, wide.status);
  for (const q of ['status=bogus', 'kind=bogus', 'assigned=everyone', 'overdue=2', 'page=0', 'per_page=1000', 'assigned=-1']) {
    assertError(await c13.get(`${API}/tasks?${q}`), 400, 'request.bad_parameter');
  }
  assertError(await central.get(`${API}/tasks?prefecture=99`), 400, 'request.bad_parameter');
  for (const c of [fac13, nurse13]) assertError(await c.get(`${API}/tasks`), 403, 'auth.forbidden');
});

test('assign: a counselor or center admin of the task\'s prefecture; 422 assignee_id.invalid otherwise; null unassigns; assigned= filters', async () => {
  const { t } = await freshTask();
  const r = await assign(c13, t.id, c13.user.id);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assertTask(r.json.task);
  assert.equal(r.json.task.assigned_to.id, c13.user.id);
  assert.equal(typeof r.json.task.assigned_to.name, 'string');
  const mine = await allPages(c13, `${API}/tasks?assigned=me`);
  assert.ok(mine.items.some((x) => x.id === t.id), 'assigned=me');
  assert.ok(mine.items.every((x) => x.assigned_to && x.assigned_to.id === c13.user.id));
  assert.ok(!(await allPages(a13, `${API}/tasks?assigned=me`)).items.some((x) => x.id === t.id));
  assert.ok((await allPages(a13, `${API}/tasks?assigned=${c13.user.id}`)).items.some((x) => x.id === t.id), 'assigned=<id>');
  assert.ok(!(await allPages(a13, `${API}/tasks?assigned=none`)).items.some((x) => x.id === t.id));

  const tc = pick(await stableCounts(), ['tasks']);
  for (const bad of [c27.user.id, nurse13.user.id, fac13.user.id, central.user.id, 987654321]) {
    assertField(await assign(c13, t.id, bad), 'assignee_id', 'assignee_id.invalid');
  }
  assertField(await assign(c13, t.id, 'me'), 'assignee_id', ['type', 'invalid']);
  assertField(await c13.post(`${API}/tasks/${t.id}/assign`, {}), 'assignee_id', 'assignee_id.missing');
  assert.equal((await c13.get(`${API}/tasks/${t.id}`)).json.task.assigned_to.id, c13.user.id, 'unchanged by refused assignments');
  assert.deepEqual(pick(await counts(), ['tasks']), tc);

  const ra = await assign(c13, t.id, a13.user.id);
  assert.equal(ra.status, 200);
  assert.equal(ra.json.task.assigned_to.id, a13.user.id, 'a center admin may be assigned');
  const rn = await assign(a13, t.id, null);
  assert.equal(rn.status, 200);
  assert.equal(rn.json.task.assigned_to, null);
  assert.ok((await allPages(c13, `${API}/tasks?assigned=none`)).items.some((x) => x.id === t.id), 'assigned=none');

  assertError(await assign(c27, t.id, c27.user.id), 404, 'resource.not_found');
  assertError(await assign(central, t.id, c13.user.id), 403, 'auth.forbidden');
  assertError(await assign(c13, 987654321, c13.user.id), 404, 'resource.not_found');
});

test('done: the outcome is recorded; a second time 409 task.done; bad outcomes 422; another prefecture 404', async () => {
  const { t } = await freshTask();
  assertError(await done(c27, t.id, { outcome: 'contacted' }), 404, 'resource.not_found');
  assertError(await c27.get(`${API}/tasks/${t.id}`), 404, 'resource.not_found');
  assertError(await done(central, t.id, { outcome: 'contacted' }), 403, 'auth.forbidden');
  assertField(await done(c13, t.id, { outcome: 'maybe' }), 'outcome', 'outcome.invalid');
  assertField(await done(c13, t.id, {}), 'outcome', 'outcome.missing');
  assertField(await done(c13, t.id, { outcome: 'contacted', note: 'あ'.repeat(1001) }), 'note', 'note.too_long');
  assert.equal((await c13.get(`${API}/tasks/${t.id}`)).json.task.status, 'open', 'still open after refusals');
  const note = '電話で状況を確認。来月来所予定。';
  const r = await done(c13, t.id, { outcome: 'contacted', note });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const d = assertTask(r.json.task);
  assert.equal(d.status, 'done');
  assert.equal(d.outcome, 'contacted');
  assert.equal(d.outcome_label, '連絡済');
  assert.equal(d.note, note);
  assert.equal(d.done_by.id, c13.user.id);
  assert.ok(Number.isInteger(d.done_at) && Math.abs(d.done_at - Date.now() / 1000) < 300);
  assertError(await done(c13, t.id, { outcome: 'unreachable' }), 409, 'task.done');
  assertError(await done(a13, t.id, { outcome: 'contacted' }), 409, 'task.done');
  const g = await c13.get(`${API}/tasks/${t.id}`);
  assert.equal(g.json.task.outcome, 'contacted', 'the first outcome stays');
  assert.ok(!(await allPages(c13, `${API}/tasks`)).items.some((x) => x.id === t.id), 'no longer in the open queue');
});

test('overdue: a task whose due date has passed is flagged and listed by overdue=1', async () => {
  const { t } = await freshTask();
  const { t: fresh } = await freshTask();
  const past = jstDate(-7);
  await sql(`UPDATE tasks SET due_on = '${past}' WHERE id = ${Number(t.id)}`);
  const g = await c13.get(`${API}/tasks/${t.id}`);
  assert.equal(g.json.task.due_on, past);
  assert.equal(g.json.task.overdue, true);
  const od = await allPages(c13, `${API}/tasks?overdue=1`);
  assert.ok(od.items.some((x) => x.id === t.id), 'listed by overdue=1');
  assert.ok(!od.items.some((x) => x.id === fresh.id), 'a task due later is not');
  for (const x of od.items) {
    assert.equal(x.overdue, true);
    assert.ok(x.due_on < od.today, `${x.due_on} before today ${od.today}`);
  }
  const queue = (await allPages(c13, `${API}/tasks`)).items.map((x) => x.id);
  assert.ok(queue.indexOf(t.id) >= 0 && queue.indexOf(t.id) < queue.indexOf(fresh.id), 'an overdue task comes before later ones');
  // Done tasks are never overdue.
  assert.equal((await done(c13, t.id, { outcome: 'unreachable' })).status, 200);
  assert.ok(!(await allPages(c13, `${API}/tasks?overdue=1`)).items.some((x) => x.id === t.id));
});

test('registration task: when a nurse saves a profile for the first time themself; not again, not for a counter registration', async () => {
  const X = await nurse();
  await withProfile(X);
  const reg = (c, id) => taskOf(c, (t) => t.person && t.person.id === id, '&kind=registration');
  const t = await reg(c13, X.id);
  assert.ok(t, 'registration task in Tokyo');
  assert.equal(t.kind_label, '新規求職登録への初回連絡');
  const day = jstDate(0, t.created_at * 1000);
  const days = (await c13.get(`${API}/center-settings`)).json.first_contact_days;
  if (holidaysKnown(day)) assert.equal(t.due_on, addBusinessDays(day, days));
  const again = await X.client.req('PUT', `${API}/me/seeker`, { json: profile('13') });
  assert.equal(again.status, 200);
  const all = (await allPages(c13, `${API}/tasks?kind=registration`)).items.filter((x) => x.person && x.person.id === X.id);
  assert.equal(all.length, 1, 'a second save opens no second task');
  const counter = await c13.post(`${API}/seekers`, {
    name: '窓口 登録', name_kana: kanaName('マドグチ'), ...profile('13'),
    licences: [{ type: 'kangoshi', number: licNo(), registered_on: '2010-04-01' }],
  });
  assert.equal(counter.status, 201, counter.text.slice(0, 300));
  assert.equal(await reg(c13, counter.json.id), undefined, 'no task for a counter registration');
});

// ---- center settings -------------------------------------------------------------------------

test('center settings: default 3; the center admin changes it (1–20), counselors may not; new deadlines follow', async () => {
  const g = await c13.get(`${API}/center-settings`);
  assert.equal(g.status, 200, g.text.slice(0, 200));
  assert.deepEqual(g.json, { prefecture: '13', first_contact_days: 3 });
  assert.deepEqual((await c27.get(`${API}/center-settings`)).json, { prefecture: '27', first_contact_days: 3 });
  for (const c of [central, sysadmin, fac13, nurse13]) assertError(await c.get(`${API}/center-settings`), 403, 'auth.forbidden');
  const put = (c, json) => c.req('PUT', `${API}/center-settings`, { json });
  assertError(await put(c13, { first_contact_days: 5 }), 403, 'auth.forbidden');
  assertError(await put(central, { first_contact_days: 5 }), 403, 'auth.forbidden');
  const before = await stableCounts();
  for (const [v, reasons] of [[0, ['out_of_range']], [21, ['out_of_range']], [-1, ['out_of_range']], ['5', ['type']], [5.5, ['type', 'invalid']], [null, ['type', 'missing', 'invalid']], [1e308, ['out_of_range', 'type']]]) {
    assertField(await put(a13, { first_contact_days: v }), 'first_contact_days', reasons);
  }
  assertField(await put(a13, {}), 'first_contact_days', 'first_contact_days.missing');
  assertField(await put(a13, { first_contact_days: 5, prefecture: '27' }), 'prefecture', 'prefecture.unknown');
  assert.deepEqual((await counts()).center_settings, before.center_settings);
  assert.equal((await c13.get(`${API}/center-settings`)).json.first_contact_days, 3, 'unchanged');
  try {
    const r = await put(a13, { first_contact_days: 5 });
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.deepEqual(r.json, { prefecture: '13', first_contact_days: 5 });
    assert.equal((await c13.get(`${API}/center-settings`)).json.first_contact_days, 5);
    assert.equal((await c27.get(`${API}/center-settings`)).json.first_contact_days, 3, 'other centers unaffected');
    const { t } = await freshTask();
    const day = jstDate(0, t.created_at * 1000);
    assert.ok(isBusinessDay(t.due_on));
    if (holidaysKnown(day)) assert.equal(t.due_on, addBusinessDays(day, 5), `due 5 business days after ${day}`);
    else assert.ok(t.due_on >= addDays(day, 5));
    for (const v of [1, 20]) assert.equal((await put(a13, { first_contact_days: v })).status, 200, `${v} allowed`);
  } finally {
    const r = await put(a13, { first_contact_days: 3 });
    assert.equal(r.status, 200, 'restored to 3');
  }
});

// ---- timeline --------------------------------------------------------------------------------

test('timeline: notification, change, consultation, application and task events of one nurse, newest first; /me/timeline without staff notes', async () => {
  const n = await nurse();
  const a = await file(n, { seeker_opt_in: { experience_years: 6 } });
  const full = (await n.client.get(P.one(a.id))).json.notification;
  const chg = await n.client.req('PUT', P.one(a.id), { json: {
    reason: full.reason, event_date: full.event_date, last_workplace: full.last_workplace,
    last_workplace_name: full.last_workplace_name, work_status: 'studying', holder: Object.fromEntries(Object.entries(full.holder).filter(([, v]) => v !== null)),
    licences: full.licences.map(({ type, number, registered_on }) => ({ type, number, registered_on })),
  } });
  assert.equal(chg.status, 200, chg.text.slice(0, 300));
  const mark = `TL${Date.now()}`;
  const con = await c13.post(`${API}/consultations`, {
    client_kind: 'nurse', person_id: n.id, channel: 'phone', category: 'return', consulted_on: jstDate(),
    summary: `復職の相談 ${mark}`, follow_up_on: jstDate(7), follow_up_note: `STAFFFOLLOW ${mark}`,
  });
  assert.equal(con.status, 201, con.text.slice(0, 300));
  const app = await n.client.post(`${API}/applications`, { offer_id: off13.id });
  assert.equal(app.status, 201, `application: ${app.text.slice(0, 300)}`);
  const t = await notifTask(c13, a.id);
  assert.equal((await done(c13, t.id, { outcome: 'contacted', note: `TASKNOTE ${mark}` })).status, 200);

  const viewsBefore = (await n.client.get(`${API}/me/views`)).json.items.length;
  const r = await c13.get(`${API}/people/${n.id}/timeline`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const p = r.json.person;
  assert.equal(p.id, n.id);
  assert.equal(p.prefecture, '13');
  assert.deepEqual(p.merged, []);
  const items = r.json.items;
  for (const it of items) {
    assert.ok(Number.isInteger(it.at), 'at in Unix seconds');
    assert.match(it.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(it.label, JP_RE, `Japanese label: ${JSON.stringify(it)}`);
    assert.ok(it.ref && typeof it.ref.type === 'string', 'ref');
  }
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].at >= items[i].at, 'newest first');
  const kinds = new Set(items.map((x) => x.kind));
  for (const k of ['notification', 'notification_change', 'consultation', 'application', 'task_done']) {
    assert.ok(kinds.has(k), `timeline has ${k}: ${[...kinds]}`);
  }
  const nItem = items.find((x) => x.kind === 'notification');
  assert.equal(nItem.ref.id, a.id);
  assert.ok(items.find((x) => x.kind === 'consultation').ref.id === con.json.consultation.id);
  assert.ok(items.filter((x) => x.kind === 'notification_change').length === 1, 'one change (version 2)');
  // Times across kinds: the filing, then the change, then the consultation, then the application.
  const at = (k) => items.find((x) => x.kind === k).at;
  assert.ok(at('notification') <= at('notification_change') && at('notification_change') <= at('consultation')
    && at('consultation') <= at('application'), 'event times in the order things happened');
  assert.ok(Math.abs(at('notification') - a.filed_at) <= 1, 'the filing at its filing time');
  const viewsAfter = (await n.client.get(`${API}/me/views`)).json.items.length;
  assert.ok(viewsAfter > viewsBefore, 'the staff read of the timeline is audited');

  const me = await n.client.get(`${API}/me/timeline`);
  assert.equal(me.status, 200, me.text.slice(0, 300));
  assert.equal(me.json.person.id, n.id);
  const mk = new Set(me.json.items.map((x) => x.kind));
  for (const k of ['notification', 'notification_change', 'application']) assert.ok(mk.has(k), `own timeline has ${k}`);
  for (let i = 1; i < me.json.items.length; i++) assert.ok(me.json.items[i - 1].at >= me.json.items[i].at, 'newest first');
  assert.ok(!me.text.includes(`TASKNOTE ${mark}`), 'no task note for the nurse');
  assert.ok(!me.text.includes(`STAFFFOLLOW ${mark}`), 'no follow-up note for the nurse');

  assertError(await c27.get(`${API}/people/${n.id}/timeline`), 404, 'resource.not_found');
  assertError(await nurse13.get(`${API}/people/${n.id}/timeline`), 403, 'auth.forbidden');
  assert.equal((await central.get(`${API}/people/${n.id}/timeline`)).status, 200);
  for (const c of [c13, fac13]) assertError(await c.get(`${API}/me/timeline`), 403, 'auth.forbidden');
});

// ---- duplicates and merges -------------------------------------------------------------------

const dupIds = async (c, id) => {
  const r = await c.get(`${API}/people/${id}/duplicates`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  for (const it of r.json.items) {
    for (const k of ['id', 'name', 'name_kana', 'birth_date', 'prefecture', 'email_masked']) assert.ok(k in it.person, `duplicate person has ${k}`);
    assert.ok(it.reasons.length && it.reasons.every((x) => ['licence', 'name_birth'].includes(x)), JSON.stringify(it.reasons));
  }
  return r.json.items;
};

test('duplicates: the same licence, or the same reading and birth date; shown to staff, never merged by themselves', async () => {
  const A = await nurse();
  const other = await nurse();
  const B = await paper({ holder: { name: '別人 記録', name_kana: kanaName('ベツ') }, licences: [{ type: 'kangoshi', number: A.lic, registered_on: '2015-04-01' }] });
  assert.notEqual(B.person_id, A.id, 'a paper filing without e-mail is a record of its own');
  const da = await dupIds(c13, A.id);
  const hit = da.find((x) => x.person.id === B.person_id);
  assert.ok(hit, `B is a candidate of A: ${JSON.stringify(da)}`);
  assert.deepEqual(hit.reasons, ['licence']);
  assert.ok(!da.some((x) => x.person.id === other.id), 'an unrelated nurse is not a candidate');
  assert.ok((await dupIds(c13, B.person_id)).some((x) => x.person.id === A.id), 'symmetric');
  if (hit.person.email_masked) assert.ok(!hit.person.email_masked.includes(A.email), 'e-mail masked');
  // Reading (spaces ignored) and birth date.
  const kana = kanaName('ドウメイ');
  const D = await paper({ holder: { name_kana: kana, birth_date: '1985-01-02' } });
  const E = await paper({ holder: { name_kana: kana, birth_date: '1985-01-02' } });
  const F = await paper({ holder: { name_kana: kana, birth_date: '1985-01-03' } });
  const dd = await dupIds(c13, D.person_id);
  const e = dd.find((x) => x.person.id === E.person_id);
  assert.ok(e, `same reading and birth date: ${JSON.stringify(dd)}`);
  assert.deepEqual(e.reasons, ['name_birth']);
  assert.ok(!dd.some((x) => x.person.id === F.person_id), 'another birth date is not a candidate');
  // Spaces in the reading are ignored: ドウメイ ＸＸ and ドウメイＸＸ (and a full-width space) match.
  const G = await paper({ holder: { name_kana: kana.replace(' ', ''), birth_date: '1985-01-02' } });
  const H = await paper({ holder: { name_kana: kana.replace(' ', '\u3000'), birth_date: '1985-01-02' } });
  const dg = await dupIds(c13, D.person_id);
  assert.ok(dg.some((x) => x.person.id === G.person_id), `reading without the space is a candidate (spaces ignored): ${JSON.stringify(dg.map((x) => x.person))}`);
  assert.ok(dg.some((x) => x.person.id === H.person_id), 'reading with a full-width space is a candidate');
  // Counts in the lists.
  const l = await c13.get(`${API}/notifications?q=${encodeURIComponent(B.holder.name_kana.split(' ')[1])}`);
  assert.ok(l.json.items[0].duplicates >= 1, 'the summary counts the candidate');
  const tk = await notifTask(c13, B.id);
  assert.ok(tk.duplicates >= 1, 'the task counts the candidate');
  // Not merged by themselves.
  assert.ok(!(await A.client.get(P.mine)).json.items.some((x) => x.id === B.id));
  assertError(await A.client.get(P.one(B.id)), 404, 'resource.not_found');
  assertError(await c27.get(`${API}/people/${A.id}/duplicates`), 404, 'resource.not_found');
  assertError(await nurse13.get(`${API}/people/${A.id}/duplicates`), 403, 'auth.forbidden');
  assert.ok((await dupIds(central, A.id)).some((x) => x.person.id === B.person_id), 'central sees the candidates');
});

test('merge: the duplicate is disabled and points at the survivor; both histories in the survivor\'s timeline and /me/notifications', async () => {
  const A = await nurse();
  const NA = await file(A);
  const B = await paper({ holder: { name: '統合 元記録', name_kana: kanaName('トウゴウ') }, licences: [{ type: 'kangoshi', number: A.lic, registered_on: '2015-04-01' }] });
  const C = await nurse();
  const before = pick(await stableCounts(), ['person_merges', 'users']);
  assertError(await c27.post(`${API}/people/${A.id}/merge`, { duplicate_id: B.person_id }), 404, 'resource.not_found');
  for (const c of [nurse13, fac13, sysadmin]) assertError(await c.post(`${API}/people/${A.id}/merge`, { duplicate_id: B.person_id }), 403, 'auth.forbidden');
  assertField(await c13.post(`${API}/people/${A.id}/merge`, { duplicate_id: C.id }), 'duplicate_id', 'duplicate_id.invalid');
  assertField(await c13.post(`${API}/people/${A.id}/merge`, { duplicate_id: A.id }), 'duplicate_id', 'duplicate_id.invalid');
  assertField(await c13.post(`${API}/people/${A.id}/merge`, { duplicate_id: 987654321 }), 'duplicate_id', 'duplicate_id.invalid');
  assertField(await c13.post(`${API}/people/${A.id}/merge`, {}), 'duplicate_id', 'duplicate_id.missing');
  assert.deepEqual(pick(await counts(), ['person_merges', 'users']), before, 'refused merges wrote nothing');

  const r = await c13.post(`${API}/people/${A.id}/merge`, { duplicate_id: B.person_id, note: '免許番号が一致し本人確認済み' });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.deepEqual(r.json, { person_id: A.id, merged_id: B.person_id });
  assert.equal((await counts()).person_merges - before.person_merges, 1);

  const tl = await c13.get(`${API}/people/${A.id}/timeline`);
  assert.equal(tl.status, 200);
  assert.deepEqual(tl.json.person.merged, [B.person_id]);
  const refs = tl.json.items.filter((x) => x.kind === 'notification').map((x) => x.ref.id);
  assert.ok(refs.includes(NA.id) && refs.includes(B.id), `both filings in the survivor's timeline: ${refs}`);
  assert.ok(tl.json.items.some((x) => x.kind === 'merge'), 'the merge is an event');
  const mine = (await A.client.get(P.mine)).json.items.map((x) => x.id);
  assert.ok(mine.includes(B.id) && mine.includes(NA.id), `/me/notifications includes the merged record's: ${mine}`);
  assert.equal((await A.client.get(P.one(B.id))).status, 200, 'the survivor reads the merged notification');
  assert.ok(!(await dupIds(c13, A.id)).some((x) => x.person.id === B.person_id), 'a merged record is no longer a candidate');
  assertField(await c13.post(`${API}/people/${A.id}/merge`, { duplicate_id: B.person_id }), 'duplicate_id', 'duplicate_id.invalid');
});

test('merge conflict: both records have a seeker profile → 409 merge.conflict, nothing changed', async () => {
  const A = await nurse();
  await withProfile(A);
  const B = await paper({ holder: { name_kana: kanaName('ソウホウ') }, licences: [{ type: 'kangoshi', number: A.lic, registered_on: '2015-04-01' }], seeker_opt_in: { experience_years: 2 } });
  assert.equal((await c13.get(`${API}/people/${B.person_id}/seeker`)).status, 200, 'B has a profile');
  assert.ok((await dupIds(c13, A.id)).some((x) => x.person.id === B.person_id));
  const before = pick(await stableCounts(), ['person_merges', 'users', 'seekers']);
  assertError(await c13.post(`${API}/people/${A.id}/merge`, { duplicate_id: B.person_id }), 409, 'merge.conflict');
  assertError(await central.post(`${API}/people/${A.id}/merge`, { duplicate_id: B.person_id }), 409, 'merge.conflict');
  assert.deepEqual(pick(await counts(), ['person_merges', 'users', 'seekers']), before);
  assert.ok((await dupIds(c13, A.id)).some((x) => x.person.id === B.person_id), 'still a candidate');
});

// ---- hand-over -------------------------------------------------------------------------------

test('hand-over 13 → 27 with consent: the nurse, the profile and the open tasks move; a handover task at the new center', async () => {
  const X = await nurse();
  await withProfile(X);
  const a = await file(X);
  const t = await notifTask(c13, a.id);
  assert.ok(t, 'open notification task in Tokyo');
  const path = `${API}/people/${X.id}/handover`;
  const body = (over = {}) => ({ to_prefecture: '27', consent: { method: 'written', on: jstDate() }, note: '大阪へ転居', ...over });
  const before = pick(await stableCounts(), ['handovers', 'tasks']);
  assertField(await c13.post(path, body({ to_prefecture: '13' })), 'to_prefecture', 'to_prefecture.invalid');
  assertField(await c13.post(path, body({ to_prefecture: '48' })), 'to_prefecture', 'to_prefecture.invalid');
  assertField(await c13.post(path, body({ consent: { method: 'written', on: jstDate(2) } })), 'consent.on', ['out_of_range', 'invalid']);
  assertField(await c13.post(path, body({ consent: { method: 'telepathy', on: jstDate() } })), 'consent.method', 'consent.method.invalid');
  assertField(await c13.post(path, body({ consent: undefined })), 'consent', 'consent.missing');
  assertError(await c27.post(path, body()), 404, 'resource.not_found');
  for (const c of [nurse13, fac13, sysadmin]) assertError(await c.post(path, body()), 403, 'auth.forbidden');
  assert.deepEqual(pick(await counts(), ['handovers', 'tasks']), before, 'refusals wrote nothing');

  const r = await c13.post(path, body());
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.deepEqual(r.json, { person_id: X.id, prefecture: '27' });
  assert.equal((await c27.get(`${API}/people/${X.id}`)).status, 200, 'now in Osaka\'s scope');
  assertError(await c13.get(`${API}/people/${X.id}`), 404, 'resource.not_found');
  assert.equal((await X.client.get(`${API}/me/seeker`)).json.seeker.prefecture, '27', 'the profile moved');
  const ho = await taskOf(c27, (x) => x.person && x.person.id === X.id, '&kind=handover');
  assert.ok(ho, 'a handover task at the new center');
  assert.equal(ho.prefecture, '27');
  assert.ok(!(await taskOf(c13, (x) => x.person && x.person.id === X.id, '&kind=handover')), 'not in Tokyo\'s queue');
  const moved = await notifTask(c27, a.id);
  assert.ok(moved, 'the open notification task moved to Osaka');
  assert.equal(moved.id, t.id);
  assert.equal(await notifTask(c13, a.id), undefined);
  const tl = await c27.get(`${API}/people/${X.id}/timeline`);
  assert.ok(tl.json.items.some((x) => x.kind === 'handover'), 'the hand-over is in the timeline');
  assertError(await c13.get(`${API}/people/${X.id}/timeline`), 404, 'resource.not_found');
});
