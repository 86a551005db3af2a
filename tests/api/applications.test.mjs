// Applications and referrals (応募・紹介): the placement flow over the API — the nurse's referral
// request, the counselor's review and referral (紹介番号), the facility's interview date and 採否,
// the placement and the retention checks; the counselor's proposal and the nurse's consent; who
// may see and do what (a facility never sees a nurse who was not referred to it, a nurse never
// sees another nurse, another prefecture's counselor gets 404); every transition an event with
// actor and time; transitions not allowed rejected with a clear error and no change; bad input.
//
// Every case is opened by nurses registered by this file, on the demo offers (Tokyo 13-…-000001
// of facility13, Osaka 27-…-000001 of facility27).
import { test, before } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
  API, client, demo, registerVerified, assertError, fieldErrors, counts, stableCounts, diffCounts,
  waitMail, JP_RE,
} from './_lib.mjs';

const SQL = "'; DROP TABLE applications; --";
const HTML = '<script>alert(1)</script>';

function fiscalYear(d = new Date()) {
  const jst = new Date(d.getTime() + 9 * 3600e3);
  return jst.getUTCMonth() + 1 >= 4 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
}
// YYYY-MM-DD in JST, shifted by whole days / months (months clamped to the month end).
function jstDate(days = 0, months = 0) {
  const t = new Date(Date.now() + 9 * 3600e3 + days * 86400e3);
  let y = t.getUTCFullYear(), m = t.getUTCMonth() + months, d = t.getUTCDate();
  y += Math.floor(m / 12); m = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return `${y}-${String(m + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function profile(pref = '13') {
  return {
    work_status: 'not_working', prefecture: pref, phone: '090-3333-4444', contact_hours: '平日午後',
    email_consent: true,
    experience: { years: 8, departments: ['internal'], skills: '急変対応', last_facility_type: 'hospital', career_break_months: 6 },
    wishes: { prefectures: [pref], employment_forms: ['jokin'], wage: { type: 'monthly', min: 240000 } },
  };
}

// A verified nurse with an active job-seeker profile in prefecture `pref`.
async function nurse(pref = '13') {
  const a = await registerVerified('seeker', { prefecture: pref });
  const r = await a.client.req('PUT', `${API}/me/seeker`, { json: profile(pref) });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  return a;
}

const create = (c, json) => c.post(`${API}/applications`, json);
const get = (c, id) => c.get(`${API}/applications/${id}`);
const act = (c, id, json) => c.post(`${API}/applications/${id}/events`, json);

let off13, off27; // public offers {id, offer_no, ...}
let c13, c27, a13, fac13, staff13, fac27, central, nurse13;

before(async () => {
  [c13, c27, a13, fac13, staff13, fac27, central, nurse13] = await Promise.all(
    ['counselor13', 'counselor27', 'admin13', 'facility13', 'staff13', 'facility27', 'central', 'nurse13'].map((n) => demo(n)));
  const fy = fiscalYear();
  const p13 = await client().get(`${API}/offers/13-${fy}-000001`);
  const p27 = await client().get(`${API}/offers/27-${fy}-000001`);
  assert.equal(p13.status, 200, p13.text.slice(0, 200));
  assert.equal(p27.status, 200, p27.text.slice(0, 200));
  off13 = p13.json.offer;
  off27 = p27.json.offer;
  assert.ok(Number.isInteger(off13.id) && Number.isInteger(off27.id), 'public offer has its id');
});

function assertApplication(a) {
  for (const k of ['id', 'state', 'state_label', 'origin', 'offer', 'applicant', 'referral_no', 'interview_date',
    'start_date', 'next_check', 'created_at', 'updated_at', 'events', 'actions', 'due', 'checks']) {
    assert.ok(k in a, `application has ${k}: ${JSON.stringify(a).slice(0, 300)}`);
  }
  assert.match(a.state_label, JP_RE);
  for (const e of a.events) {
    assert.ok(Number.isInteger(e.at) && e.at > 1.7e9, 'event time');
    assert.ok(['nurse', 'facility', 'counselor', 'central'].includes(e.actor_kind), `actor kind ${e.actor_kind}`);
    assert.match(e.action_label, JP_RE);
  }
}

const actionsOf = (a) => a.actions.map((x) => x.action).sort();

test('full flow: request → refer → interview → 採用 → 就職 → 1-month check, with events and scope at each step', async () => {
  const n = await nurse('13');
  const before = await stableCounts();
  const r = await create(n.client, { offer_id: off13.id });
  assert.equal(r.status, 201, r.text.slice(0, 400));
  let a = r.json.application;
  assertApplication(a);
  assert.equal(a.state, 'requested');
  assert.equal(a.origin, 'request');
  assert.equal(a.offer.id, off13.id);
  assert.equal(a.events.length, 1);
  assert.equal(a.events[0].action, 'request');
  assert.equal(a.events[0].actor_kind, 'nurse');
  assert.deepEqual(actionsOf(a), ['withdraw'], 'the nurse may only withdraw a pending request');
  const after = await counts();
  assert.equal(after.applications - before.applications, 1);
  assert.equal(after.application_events - before.application_events, 1);
  const id = a.id;

  // One open case per nurse and offer.
  assertError(await create(n.client, { offer_id: off13.id }), 409, 'application.duplicate');

  // Not referred yet: the facility does not see it (list or detail), nor another prefecture.
  assertError(await get(fac13, id), 404, 'resource.not_found');
  assertError(await get(staff13, id), 404, 'resource.not_found');
  assertError(await get(c27, id), 404, 'resource.not_found');
  assertError(await get(nurse13, id), 404, 'resource.not_found');
  const fl = await fac13.get(`${API}/applications?offer_id=${off13.id}&per_page=100`);
  assert.equal(fl.status, 200);
  assert.ok(!fl.json.items.some((x) => x.id === id), 'facility list hides unreferred cases');

  // The counselor's review queue has it; the counselor sees contact data.
  const q = await c13.get(`${API}/applications?task=review&per_page=100`);
  assert.equal(q.status, 200);
  const inQueue = q.json.items.find((x) => x.id === id);
  assert.ok(inQueue, 'in the review queue');
  assert.equal(inQueue.applicant.email, n.email);
  assert.ok(!(await c27.get(`${API}/applications?task=review&per_page=100`)).json.items.some((x) => x.id === id),
    'not in another prefecture\'s queue');

  // The nurse cannot refer themself; the facility cannot act on it.
  assertError(await act(n.client, id, { action: 'refer' }), 403, 'placement.forbidden');
  assertError(await act(fac13, id, { action: 'hire' }), 404, 'resource.not_found');

  // Refer: referral number, mail to the nurse and to the facility's admins.
  const since = Date.now() - 5;
  const ref = await act(c13, id, { action: 'refer' });
  assert.equal(ref.status, 200, ref.text.slice(0, 400));
  a = ref.json.application;
  assert.equal(a.state, 'referred');
  assert.match(a.referral_no, new RegExp(`^13-${fiscalYear()}-\\d{6}$`));
  assert.equal(a.events.at(-1).action, 'refer');
  assert.equal(a.events.at(-1).actor_kind, 'counselor');
  assert.equal(a.events.at(-1).detail.referral_no, a.referral_no);
  await waitMail({ to: n.email, since, textIncludes: '紹介状' });
  await waitMail({ to: 'facility13@example.jp', since, textIncludes: a.referral_no });

  // Now the facility sees the applicant — only what it needs, and the case from the referral on.
  const fv = await get(fac13, id);
  assert.equal(fv.status, 200, fv.text.slice(0, 300));
  const fa = fv.json.application;
  assert.deepEqual(Object.keys(fa.applicant).sort(), ['experience', 'licences', 'name', 'name_kana']);
  assert.deepEqual(fa.applicant.licences, ['kangoshi']);
  assert.ok(!fv.text.includes(n.email) && !fv.text.includes('090-3333-4444'), 'no contact data for the facility');
  assert.deepEqual(fa.events.map((e) => e.action), ['refer'], 'facility history starts at the referral');
  assert.deepEqual(actionsOf(fa), ['hire', 'reject', 'schedule']);
  assertError(await get(fac27, id), 404, 'resource.not_found');
  const fl2 = await fac13.get(`${API}/applications?offer_id=${off13.id}&per_page=100`);
  assert.ok(fl2.json.items.some((x) => x.id === id), 'facility list shows the referred case');

  // A referral cannot be issued twice.
  const c0 = await stableCounts();
  assertError(await act(c13, id, { action: 'refer' }), 409, 'placement.bad_transition');
  assert.deepEqual(diffCounts(c0, await counts()), {}, 'rejected transition changed nothing');

  // Interview date, then 採用 by the facility staff.
  const interview = jstDate(7);
  const s = await act(staff13, id, { action: 'schedule', interview_date: interview });
  assert.equal(s.status, 200, s.text.slice(0, 300));
  assert.equal(s.json.application.interview_date, interview);
  const h = await act(fac13, id, { action: 'hire' });
  assert.equal(h.status, 200, h.text.slice(0, 300));
  assert.equal(h.json.application.state, 'hired');

  // The nurse sees 採用 in their list.
  const mine = await n.client.get(`${API}/applications`);
  assert.equal(mine.status, 200);
  const m = mine.json.items.find((x) => x.id === id);
  assert.equal(m.state, 'hired');
  assert.equal(m.state_label, '採用');

  // 就職: start date a month and a day ago, so the 1-month check is due now.
  assertFieldErrorCode(await act(fac13, id, { action: 'place', employment_form: 'jokin', permanent: true }), 'start_date', 'placement.start_date_required');
  const start = jstDate(-1, -1);
  const p = await act(fac13, id, { action: 'place', start_date: start, employment_form: 'jokin', permanent: true });
  assert.equal(p.status, 200, p.text.slice(0, 300));
  a = p.json.application;
  assert.equal(a.state, 'placed');
  assert.equal(a.permanent, true);
  assert.equal(a.employment_form, 'jokin');
  assert.ok(a.due.m1 > start && a.due.m1 <= jstDate(0), `1-month check due (${a.due.m1}) after the start and by today`);
  assert.ok(a.due.m3 > a.due.m1 && a.due.m6 > a.due.m3, 'due dates in order');
  assert.equal(a.next_check.action, 'check_1m');

  // The placement appears among the counselor's retention tasks, not another prefecture's.
  const t = await c13.get(`${API}/applications?task=retention&per_page=100`);
  assert.ok(t.json.items.some((x) => x.id === id), 'retention task listed');
  assert.ok(!(await c27.get(`${API}/applications?task=retention&per_page=100`)).json.items.some((x) => x.id === id));

  // Checks are the counselor's; a facility may not record them.
  assertError(await act(fac13, id, { action: 'check_1m', result: 'still_employed' }), 403, 'placement.forbidden');
  assertError(await act(c13, id, { action: 'check_3m', result: 'still_employed' }), 409, 'placement.bad_transition');
  const ck = await act(c13, id, { action: 'check_1m', result: 'still_employed' });
  assert.equal(ck.status, 200, ck.text.slice(0, 300));
  a = ck.json.application;
  assert.equal(a.state, 'checked_1m');
  assert.equal(a.checks.m1, 'still_employed');
  assert.equal(a.next_check.action, 'check_3m');
  // The 3-month check is not due yet.
  assertFieldErrorCode(await act(c13, id, { action: 'check_3m', result: 'still_employed' }), 'result', 'placement.check_not_due');

  // The full history, in order, with actors.
  const full = (await get(c13, id)).json.application;
  assert.deepEqual(full.events.map((e) => [e.action, e.actor_kind]),
    [['request', 'nurse'], ['refer', 'counselor'], ['schedule', 'facility'], ['hire', 'facility'],
      ['place', 'facility'], ['check_1m', 'counselor']]);
  for (let i = 1; i < full.events.length; i++) {
    assert.equal(full.events[i].from, full.events[i - 1].to, 'events chain from state to state');
    assert.ok(full.events[i].at >= full.events[i - 1].at);
  }
});

// A 422 naming `field`; `code` is either the field code (e.g. seeker_id.invalid) or the placement
// module's code, which the API sends as error.placement_code next to the <field>.<reason> code.
function assertFieldErrorCode(r, field, code) {
  const fe = fieldErrors(r);
  assert.ok(fe[field], `422 names ${field}: ${JSON.stringify(fe)}`);
  if (code.startsWith('placement.')) assert.equal(r.json.error.placement_code, code);
  else assert.ok(fe[field].includes(code), `422 ${field} ${code}: ${JSON.stringify(fe)}`);
}

test('proposal by the counselor needs the nurse\'s consent; another prefecture\'s counselor cannot propose', async () => {
  const n = await nurse('13');
  const people = await c13.get(`${API}/people?q=${encodeURIComponent(n.email)}`);
  const sid = people.json.items.find((x) => x.email === n.email).id;
  assertFieldErrorCode(await create(c27, { offer_id: off13.id, seeker_id: sid }), 'seeker_id', 'seeker_id.invalid');
  assertFieldErrorCode(await create(c13, { offer_id: off13.id }), 'seeker_id', 'seeker_id.missing');
  const since = Date.now() - 5;
  const r = await create(c13, { offer_id: off27.id, seeker_id: sid, note: '夜勤なしの希望に合います' });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  const a = r.json.application;
  assert.equal(a.state, 'proposed');
  assert.equal(a.origin, 'proposal');
  assert.equal(a.events[0].detail.note, '夜勤なしの希望に合います');
  await waitMail({ to: n.email, since, textIncludes: '提案' });
  // The offer's facility (Osaka) does not see a proposal.
  assertError(await get(fac27, a.id), 404, 'resource.not_found');
  // The counselor cannot refer before the nurse agrees.
  assertError(await act(c13, a.id, { action: 'refer' }), 409, 'placement.bad_transition');
  const mine = await get(n.client, a.id);
  assert.deepEqual(actionsOf(mine.json.application), ['accept', 'withdraw']);
  const acc = await act(n.client, a.id, { action: 'accept' });
  assert.equal(acc.status, 200, acc.text.slice(0, 300));
  assert.equal(acc.json.application.state, 'requested');
  // Handled by the nurse's center (Tokyo) even though the offer is in Osaka.
  assertError(await get(c27, a.id), 404, 'resource.not_found');
  const ref = await act(c13, a.id, { action: 'refer' });
  assert.equal(ref.status, 200);
  assert.match(ref.json.application.referral_no, /^13-/);
  const fv = await get(fac27, a.id);
  assert.equal(fv.status, 200, 'the Osaka facility sees the referred applicant');
  // 辞退 by the nurse with a reason; "other" needs a note.
  assertFieldErrorCode(await act(n.client, a.id, { action: 'decline', reason_code: 'other' }), 'note', 'placement.note_required');
  assertFieldErrorCode(await act(n.client, a.id, { action: 'decline', reason_code: 'bogus' }), 'reason_code', 'placement.reason_invalid');
  const d = await act(n.client, a.id, { action: 'decline', reason_code: 'hours' });
  assert.equal(d.status, 200, d.text.slice(0, 300));
  assert.equal(d.json.application.state, 'declined');
  assert.equal(d.json.application.decision_reason, 'hours');
  assert.deepEqual(d.json.application.actions, [], 'nothing leaves a terminal state');
  // Once closed, the nurse may ask again for the same offer.
  const again = await create(n.client, { offer_id: off27.id });
  assert.equal(again.status, 201, again.text.slice(0, 200));
});

test('不採用 with reason, refusal by the counselor with a note, withdrawal, cancellation by central staff only', async () => {
  const n = await nurse('13');
  const r1 = (await create(n.client, { offer_id: off13.id })).json.application;
  assertFieldErrorCode(await act(c13, r1.id, { action: 'refuse' }), 'note', 'placement.note_required');
  const rf = await act(c13, r1.id, { action: 'refuse', note: '求人の条件（夜勤）と希望が合わないため' });
  assert.equal(rf.status, 200);
  assert.equal(rf.json.application.state, 'refused');
  const r2 = (await create(n.client, { offer_id: off13.id })).json.application;
  const w = await act(n.client, r2.id, { action: 'withdraw' });
  assert.equal(w.json.application.state, 'withdrawn');
  const r3 = (await create(n.client, { offer_id: off13.id })).json.application;
  await act(c13, r3.id, { action: 'refer' });
  assertError(await act(central, r3.id, { action: 'hire' }), 403, 'placement.forbidden');
  const rj = await act(fac13, r3.id, { action: 'reject', reason_code: 'filled' });
  assert.equal(rj.status, 200, rj.text.slice(0, 300));
  assert.equal(rj.json.application.state, 'rejected');
  const r4 = (await create(n.client, { offer_id: off13.id })).json.application;
  const cn = await act(central, r4.id, { action: 'cancel', note: '重複登録のため取消' });
  assert.equal(cn.status, 200, cn.text.slice(0, 300));
  assert.equal(cn.json.application.state, 'cancelled');
  assert.equal(cn.json.application.events.at(-1).actor_kind, 'central');
  // The nurse's list has all four, each with its Japanese state.
  const mine = await n.client.get(`${API}/applications?per_page=100`);
  assert.deepEqual(mine.json.items.map((x) => x.state).sort(), ['cancelled', 'refused', 'rejected', 'withdrawn']);
  const open = await n.client.get(`${API}/applications?state=open`);
  assert.equal(open.json.total, 0);
});

test('a nurse never sees another nurse; lists are scoped by role', async () => {
  const n1 = await nurse('13');
  const n2 = await nurse('27');
  const a1 = (await create(n1.client, { offer_id: off13.id })).json.application;
  assertError(await get(n2.client, a1.id), 404, 'resource.not_found');
  assertError(await act(n2.client, a1.id, { action: 'withdraw' }), 404, 'resource.not_found');
  const l2 = await n2.client.get(`${API}/applications?per_page=100`);
  assert.ok(!l2.json.items.some((x) => x.id === a1.id));
  // A nurse's filter by another seeker's id does not widen the list.
  const l3 = await n2.client.get(`${API}/applications?seeker_id=${n1.user.id}`);
  assert.equal(l3.json.total, 0);
  // Central staff see every prefecture.
  const cl = await central.get(`${API}/applications?seeker_id=${n1.user.id}`);
  assert.equal(cl.status, 200);
  assert.ok(cl.json.items.some((x) => x.id === a1.id));
  // Counselors of the prefecture see it, with the nurse's contact data.
  const c = await c13.get(`${API}/applications?seeker_id=${n1.user.id}`);
  assert.equal(c.json.items[0].applicant.email, n1.email);
  // Reading a case as staff is audited and visible to the nurse.
  await get(a13, a1.id);
  const views = await n1.client.get(`${API}/me/views`);
  assert.ok(views.json.items.some((v) => v.actor_role === 'center_admin'), JSON.stringify(views.json).slice(0, 300));
});

test('refusals before any case: unpublished offer, no active profile, nurse naming a seeker, unknown offer', async () => {
  const plain = await registerVerified('seeker', { prefecture: '13' });
  const b = await stableCounts();
  assertError(await create(plain.client, { offer_id: off13.id }), 409, 'seeker.not_active');
  const n = await nurse('13');
  // The demo draft offer of facility13 (not published).
  const drafts = await fac13.get(`${API}/facilities/${fac13.user.facility_id}/offers?status=draft`);
  const draft = drafts.json.items.find((o) => o.status === 'draft');
  assert.ok(draft, 'demo draft offer');
  assertError(await create(n.client, { offer_id: draft.id }), 409, 'offer.not_open');
  assertFieldErrorCode(await create(n.client, { offer_id: 2147483000 }), 'offer_id', 'offer_id.invalid');
  assertFieldErrorCode(await create(n.client, { offer_id: off13.id, seeker_id: n.user.id }), 'seeker_id', 'seeker_id.unknown');
  // (a nurse's own first registration also opens a first-contact task, hence tasks)
  assert.deepEqual(diffCounts(b, await counts(), ['sessions', 'users', 'seekers', 'licences', 'tokens', 'jobs', 'audit_log', 'tasks']), {});
});

test('bad input: POST /applications and POST /applications/{id}/events answer JSON errors and change nothing', async () => {
  const n = await nurse('13');
  const a = (await create(n.client, { offer_id: off13.id })).json.application;
  await act(c13, a.id, { action: 'refer' });
  const cases = [
    // [client, path, body (object or raw string/Buffer), status]
    [n.client, '/applications', {}, 422],
    [n.client, '/applications', { offer_id: 'abc' }, 422],
    [n.client, '/applications', { offer_id: -1 }, 422],
    [n.client, '/applications', { offer_id: 0 }, 422],
    [n.client, '/applications', { offer_id: 1.5 }, 422],
    [n.client, '/applications', { offer_id: true }, 422],
    [n.client, '/applications', { offer_id: [1] }, 422],
    [n.client, '/applications', { offer_id: null }, 422],
    [n.client, '/applications', '{"offer_id":123456789012345678901234567890}', 400],
    [n.client, '/applications', '{"offer_id":1e400}', 400],
    [n.client, '/applications', { offer_id: 99999999999 }, 422],
    [n.client, '/applications', { offer_id: `1; ${SQL}` }, 422],
    [n.client, '/applications', { offer_id: off13.id, zzz: 1 }, 422],
    [n.client, '/applications', { offer_id: off13.id, role: 'sysadmin' }, 422],
    [n.client, '/applications', '{"offer_id":', 400],
    [n.client, '/applications', '[]', 400],
    [n.client, '/applications', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 400],
    [c13, '/applications', { offer_id: off13.id, seeker_id: 'x' }, 422],
    [c13, '/applications', { offer_id: off13.id, seeker_id: n.user.id, note: 'あ'.repeat(1001) }, 422],
    [c13, '/applications', { offer_id: off13.id, seeker_id: n.user.id, note: 12 }, 422],
    [fac13, `/applications/${a.id}/events`, {}, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'explode' }, 422],
    [fac13, `/applications/${a.id}/events`, { action: SQL }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'schedule' }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'schedule', interview_date: '2026-02-30' }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'schedule', interview_date: HTML }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'schedule', interview_date: 20270101 }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'reject' }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'reject', reason_code: 'other', note: 'あ'.repeat(1001) }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'reject', reason_code: 'x'.repeat(100) }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'hire', extra: true }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'hire', permanent: 'yes' }, 422],
    [fac13, `/applications/${a.id}/events`, { action: 'check_1m', result: 'maybe' }, 422],
    [fac13, `/applications/${a.id}/events`, Buffer.from('{"action":"hire","note":"\xff\xfe"}', 'latin1'), 400],
    [fac13, `/applications/${a.id}/events`, '{"action":"hire","action":"reject"}', 400],
    [fac13, `/applications/99999999999/events`, { action: 'hire' }, 404],
    [fac13, `/applications/99999999999999999999999/events`, { action: 'hire' }, 400],
    [fac13, `/applications/abc/events`, { action: 'hire' }, 400],
    [fac13, `/applications/0/events`, { action: 'hire' }, 400],
  ];
  const before = await stableCounts();
  const problems = [];
  for (const [c, path, body, status] of cases) {
    const opts = typeof body === 'object' && !Buffer.isBuffer(body)
      ? { json: body } : { body, headers: { 'content-type': 'application/json' } };
    const r = await c.req('POST', `${API}${path}`, opts);
    if (r.status !== status) problems.push(`${path} ${String(body).slice(0, 60)} ${JSON.stringify(body).slice(0, 80)}: ${r.status} want ${status}: ${r.text.slice(0, 200)}`);
    else if (status === 422) fieldErrors(r);
    else assertError(r, status);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(diffCounts(before, await counts()), {}, 'database unchanged');
  // Hostile text is stored and returned verbatim (as JSON data, never markup).
  const rj = await act(fac13, a.id, { action: 'reject', reason_code: 'other', note: `${HTML} ${SQL}` });
  assert.equal(rj.status, 200, rj.text.slice(0, 300));
  assert.equal(rj.json.application.events.at(-1).detail.note, `${HTML} ${SQL}`);
});

test('query parameters of GET /applications are checked', async () => {
  for (const q of ['state=bogus', 'state=none', 'task=all', 'offer_id=abc', 'offer_id=-1', 'seeker_id=1e3',
    'offer_id=99999999999999999999', 'page=0', 'per_page=1000']) {
    assertError(await c13.get(`${API}/applications?${q}`), 400, 'request.bad_parameter');
  }
  const ok = await c13.get(`${API}/applications?state=open&page=2&per_page=5`);
  assert.equal(ok.status, 200);
  assert.equal(ok.json.page, 2);
});

test('/ref lists the placement codes with Japanese names', async () => {
  const r = await client().get(`${API}/ref`);
  for (const k of ['work_statuses', 'application_states', 'application_actions', 'reject_reasons', 'decline_reasons', 'check_results']) {
    assert.ok(Array.isArray(r.json[k]) && r.json[k].length > 0, k);
    for (const it of r.json[k]) assert.match(it.name, JP_RE, `${k} ${it.code}`);
  }
  assert.ok(r.json.reject_reasons.find((x) => x.code === 'other').needs_note);
  assert.equal(r.json.application_states.find((x) => x.code === 'hired').name, '採用');
});

// pdftotext (poppler-utils, installed by scripts/deps.sh test) of a PDF answer.
async function pdfText(r) {
  const dir = await mkdtemp(path.join(tmpdir(), 'nccs-letter-'));
  try {
    const f = path.join(dir, 'letter.pdf');
    await writeFile(f, r.buffer);
    return await new Promise((resolve, reject) => execFile('pdftotext', ['-layout', f, '-'], { timeout: 30000 },
      (err, out, stderr) => (err ? reject(new Error(`pdftotext: ${err.message} ${stderr}`)) : resolve(out))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('referral letter (紹介状) PDF: only once referred; states the offer\'s wage and hours; the nurse, the facility and the center may read it', async () => {
  const n = await nurse('13');
  const a = (await create(n.client, { offer_id: off13.id })).json.application;
  assertError(await n.client.get(`${API}/applications/${a.id}/letter.pdf`), 409, 'application.not_referred');
  const ref = (await act(c13, a.id, { action: 'refer' })).json.application;
  for (const c of [n.client, fac13, staff13, c13, central]) {
    const r = await c.get(`${API}/applications/${a.id}/letter.pdf`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/pdf/);
    assert.match(r.headers.get('cache-control') || '', /no-store/);
    assert.match(r.headers.get('content-disposition') || '', new RegExp(ref.referral_no));
    const text = await pdfText(r);
    const flat = text.replace(/\s+/g, '');
    assert.ok(flat.includes('紹介状'), 'title');
    assert.ok(flat.includes(ref.referral_no), 'referral number');
    assert.ok(flat.includes('看護花子'), `applicant name (看護 花子) in: ${flat.slice(0, 300)}`);
    assert.ok(flat.includes('260,000円'), `wage 260,000円 in the letter: ${flat.slice(0, 600)}`);
    assert.ok(flat.includes('320,000円'), 'wage range upper bound');
    assert.ok(flat.includes('8:30') && flat.includes('17:15'), 'working hours 8:30–17:15');
    assert.ok(flat.includes(off13.offer_no), 'offer number');
  }
  for (const c of [fac27, c27]) {
    assertError(await c.get(`${API}/applications/${a.id}/letter.pdf`), 404, 'resource.not_found');
  }
});
