// Notifications (届出, docs/API.md "Notifications"): filing without a session (confirmation
// link by mail, also for an address that is already registered), by the nurse (active at once,
// seeker_opt_in), at the center counter (paper), by the facility the nurse left (proxy, with
// the nurse's link or the counselor's paper consent); routing to a prefecture's center and the
// first-contact task it opens; change notifications (変更届) with every version kept; who may
// see what; the CSV export (BOM, formula cells neutralised); the rules of NotificationBody and
// hostile text stored verbatim.
//
// Every notification here is filed for accounts registered by this file or new holders with
// unique licence numbers and readings, so duplicate detection never links them to other data.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  API, client, demo, registerVerified, uniqueEmail, assertError, counts, stableCounts, diffCounts,
  tokenFromMail, JP_RE,
} from './_lib.mjs';
import { UA_PHONE } from '../support/client.mjs';
import {
  P, SQL_NOTIF, HTML, JS, FORMULAS, notifBody, assertNotification, fieldErrs, assertField, allPages, findIn,
  jstDate, addDays, fiscalYear, addBusinessDays, isBusinessDay, holidaysKnown, parseCsv, hasBom, formulaCells,
  pick, NOTIF_TABLES, SUMMARY_KEYS, OPTIONAL_KEYS, licNo, kanaName,
} from './_notif.mjs';

const PW = 'correct-horse-7';
let c13, c27, a13, fac13, staff13, fac27, central, sysadmin, nurse13, nurse27;
let fid13, fid27;
let S; // a nurse shared by the tests that do not look at the nurse's own list

before(async () => {
  [c13, c27, a13, fac13, staff13, fac27, central, sysadmin, nurse13, nurse27] = await Promise.all(
    ['counselor13', 'counselor27', 'admin13', 'facility13', 'staff13', 'facility27', 'central', 'sysadmin',
      'nurse13', 'nurse27'].map((n) => demo(n)));
  fid13 = fac13.user.facility_id;
  fid27 = fac27.user.facility_id;
  assert.ok(fid13 && fid27 && fid13 !== fid27, 'demo facilities');
  S = await registerVerified('seeker');
});

// Files `body` as the signed-in nurse `c`; returns the Notification.
async function fileAsSeeker(c, body) {
  const r = await c.post(P.file, body);
  assert.equal(r.status, 201, `seeker filing: ${r.text.slice(0, 600)}`);
  return assertNotification(r.json.notification);
}
async function fileProxy(c, fid, body) {
  const r = await c.post(P.facility(fid), body);
  assert.equal(r.status, 201, `proxy filing: ${r.text.slice(0, 600)}`);
  return assertNotification(r.json.notification, { forFacility: true });
}
async function fileCenter(c, body) {
  const r = await c.post(P.center, body);
  assert.equal(r.status, 201, `center filing: ${r.text.slice(0, 600)}`);
  return assertNotification(r.json.notification);
}
// The open notification task of notification `id` in the queue of `c` (undefined if none).
const notifTask = (c, id, q = '') => findIn(c, `${API}/tasks?kind=notification${q}`, (t) => t.notification_id === id);

// The body without the members a change notification may not carry.
function changeBody(n, over = {}) {
  const b = {
    reason: n.reason, event_date: n.event_date, last_workplace: n.last_workplace,
    last_workplace_name: n.last_workplace_name, work_status: n.work_status,
    holder: { ...n.holder }, licences: n.licences.map((l) => ({ type: l.type, number: l.number, registered_on: l.registered_on })),
    ...over,
  };
  for (const [k, v] of Object.entries(b)) if (v === null || v === undefined) delete b[k];
  for (const [k, v] of Object.entries(b.holder)) if (v === null || v === undefined) delete b.holder[k];
  return b;
}

// ---- filing without a session ------------------------------------------------------------------

test('anonymous filing: 202, confirmation mail, lookup shows the content, the link activates once and opens the task', async () => {
  const email = uniqueEmail('anon');
  const body = notifBody({ holder: { email } });
  const before = pick(await stableCounts(), NOTIF_TABLES);
  const since = Date.now() - 5;
  const r = await client().post(P.file, { ...body, password: PW });
  assert.equal(r.status, 202, r.text.slice(0, 400));
  assert.deepEqual(r.json, { status: 'pending_confirmation' });
  const after = pick(await counts(), NOTIF_TABLES);
  assert.equal(after.notifications - before.notifications, 1, 'one notification written');
  assert.equal(after.users - before.users, 1, 'the holder account is created');

  const { token, mail } = await tokenFromMail(email, since);
  assert.match(mail.subject + mail.text, JP_RE, 'Japanese mail');
  const lk = await client().post(P.lookup, { token });
  assert.equal(lk.status, 200, lk.text.slice(0, 400));
  assert.equal(lk.json.needs_password, false, 'the account got the password sent with the filing');
  const n = assertNotification(lk.json.notification, { versionsOptional: true });
  assert.equal(n.status, 'pending_confirmation');
  assert.equal(n.channel, 'pc');
  assert.equal(n.holder.name, body.holder.name);
  assert.equal(n.holder.name_kana, body.holder.name_kana);
  assert.equal(n.holder.email, email);
  assert.equal(n.licences[0].number, body.licences[0].number);
  assert.equal(n.reason, 'left_job');
  assert.equal(n.event_date, body.event_date);
  assert.equal(n.prefecture, '13');
  assert.equal(n.confirmed_at, null);
  // Not used up by the lookup; no first-contact task while pending.
  assert.equal((await client().post(P.lookup, { token })).status, 200, 'lookup does not use the token');
  assert.equal(await notifTask(c13, n.id), undefined, 'no task for a pending notification');

  const cf = await client().post(P.confirm, { token });
  assert.equal(cf.status, 200, cf.text.slice(0, 400));
  const a = assertNotification(cf.json.notification);
  assert.equal(a.id, n.id);
  assert.equal(a.status, 'active');
  assert.equal(a.confirmed_how, 'link');
  assert.ok(Number.isInteger(a.confirmed_at) && a.confirmed_at >= a.filed_at);
  assertError(await client().post(P.confirm, { token }), 410, 'auth.token_invalid');
  assertError(await client().post(P.lookup, { token }), 410, 'auth.token_invalid');
  assertError(await client().post(P.lookup, { token: token.slice(0, -2) + 'xx' }), 410, 'auth.token_invalid');

  // The e-mail counts as verified: the nurse logs in with the filing's password.
  const me = client();
  const l = await me.login(email, PW, { expect: null });
  assert.equal(l.status, 200, `login after confirmation: ${l.text.slice(0, 300)}`);
  const mine = await me.get(P.mine);
  assert.equal(mine.status, 200, mine.text.slice(0, 300));
  const m = mine.json.items.find((x) => x.id === n.id);
  assert.ok(m, '/me/notifications lists it');
  assert.equal(m.status, 'active');
  assert.ok(await notifTask(c13, n.id), 'confirmation opened the first-contact task');
  const person = await c13.get(`${API}/people/${n.person_id}`);
  assert.equal(person.status, 200, person.text.slice(0, 300));
  assert.equal(person.json.person.channel, 'notification', 'the account of a filing without a session has channel notification');
  assert.equal(person.json.person.email, email);
});

test('anonymous filing with a registered address: the same 202, the owner is mailed, it is attached to that account; the password sent changes nothing', async () => {
  const owner = await registerVerified('seeker');
  const fresh = await client().post(P.file, { ...notifBody({ holder: { email: uniqueEmail('anon') } }), password: PW });
  const before = pick(await stableCounts(), NOTIF_TABLES);
  const since = Date.now() - 5;
  const body = notifBody({ holder: { email: owner.email } });
  const r = await client().post(P.file, { ...body, password: 'another-password-99' });
  assert.equal(r.status, fresh.status, r.text.slice(0, 300));
  assert.equal(r.status, 202);
  assert.equal(r.text, fresh.text, 'the answer does not reveal that the address is registered');
  const after = pick(await counts(), NOTIF_TABLES);
  assert.equal(after.users, before.users, 'no second account for the address');
  assert.equal(after.notifications - before.notifications, 1);

  const { token } = await tokenFromMail(owner.email, since);
  const lk = await client().post(P.lookup, { token });
  assert.equal(lk.status, 200, lk.text.slice(0, 300));
  assert.equal(lk.json.needs_password, false, 'the owner has a password');
  assert.equal(lk.json.notification.person_id, owner.user.id, 'attached to the owner');
  const cf = await client().post(P.confirm, { token });
  assert.equal(cf.status, 200, cf.text.slice(0, 300));
  const id = cf.json.notification.id;
  const mine = await owner.client.get(P.mine);
  assert.equal(mine.status, 200);
  const m = mine.json.items.find((x) => x.id === id);
  assert.ok(m, 'the owner sees the confirmed notification');
  assert.equal(m.status, 'active');
  const one = await owner.client.get(P.one(id));
  assert.equal(one.status, 200, one.text.slice(0, 200));
  assert.equal(one.json.notification.holder.name, body.holder.name);
  // The password of the anonymous filing did not replace the owner's.
  assert.equal((await client().login(owner.email, owner.password, { expect: null })).status, 200, 'old password still works');
  assert.equal((await client().login(owner.email, 'another-password-99', { expect: null })).status, 401, 'filing password is not a login');
});

// ---- filing as the nurse ---------------------------------------------------------------------

test('seeker filing: 201 active at once (channel from the User-Agent, confirmed_how self), listed in /me/notifications', async () => {
  const n = await registerVerified('seeker');
  const body = notifBody({ holder: { postal_code: '１６０－００２３' } });
  const before = pick(await stableCounts(), NOTIF_TABLES);
  const a = await fileAsSeeker(n.client, body);
  assert.equal(a.status, 'active');
  assert.equal(a.channel, 'pc');
  assert.equal(a.confirmed_how, 'self');
  assert.ok(Number.isInteger(a.confirmed_at));
  assert.equal(a.person_id, n.user.id);
  assert.equal(a.facility, null);
  assert.equal(a.upload_id, null);
  assert.equal(a.version, 1);
  assert.equal(a.versions[0].changed_by_kind, 'nurse');
  assert.equal(a.prefecture, '13');
  assert.equal(a.holder.postal_code, '160-0023', 'full-width postal code stored as NNN-NNNN');
  assert.equal(a.last_workplace_label, '病院');
  assert.equal(a.reason_label, '病院等を離職した');
  assert.equal(a.work_status_label, '未就業');
  const after = pick(await counts(), NOTIF_TABLES);
  assert.equal(after.notifications - before.notifications, 1);
  assert.equal(after.users, before.users, 'no new account: the notification is the caller\'s');
  const mine = await n.client.get(P.mine);
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.json.items.map((x) => x.id), [a.id]);
  assertNotification(mine.json.items[0]);

  const phone = await registerVerified('seeker', {}, { userAgent: UA_PHONE });
  const s = await fileAsSeeker(phone.client, notifBody());
  assert.equal(s.channel, 'smartphone', 'a mobile User-Agent files as smartphone');
  // Newest first once there are two.
  const b = await fileAsSeeker(n.client, notifBody({ reason: 'stopped_practising' }));
  const mine2 = await n.client.get(P.mine);
  assert.deepEqual(mine2.json.items.map((x) => x.id), [b.id, a.id], 'newest first');
  // With a session, no password; other roles may not file here.
  assertField(await n.client.post(P.file, { ...notifBody(), password: PW }), 'password', ['unknown', 'not_allowed']);
  for (const c of [fac13, c13, a13, central, sysadmin]) {
    assertError(await c.post(P.file, notifBody()), 403, 'auth.forbidden');
  }
});

test('seeker_opt_in: the nurse becomes a registered job seeker of the routed center without a separate registration task', async () => {
  const n = await registerVerified('seeker', { prefecture: '13' });
  assertError(await n.client.get(`${API}/me/seeker`), 404, 'resource.not_found');
  const a = await fileAsSeeker(n.client, notifBody({
    holder: { address_prefecture: '13' }, center_prefecture: '14', seeker_opt_in: { experience_years: 8 },
  }));
  assert.equal(a.prefecture, '14', 'routed to center_prefecture');
  const s = await n.client.get(`${API}/me/seeker`);
  assert.equal(s.status, 200, `profile created: ${s.text.slice(0, 300)}`);
  const sk = s.json.seeker;
  assert.equal(sk.prefecture, '14', 'profile prefecture = the routed center');
  assert.deepEqual(sk.wishes.prefectures, ['14'], 'wish area = that prefecture');
  assert.equal(sk.email_consent, false);
  assert.equal(sk.status, 'active');
  assert.equal(sk.experience.years, 8);
  assert.ok(sk.valid_until > addDays(jstDate(), 150), `valid about 6 months: ${sk.valid_until}`);
  // One task: the notification's first contact (at the routed center), no registration task.
  const t = await notifTask(central, a.id, '&prefecture=14');
  assert.ok(t, 'notification task at center 14');
  assert.equal(t.prefecture, '14');
  const reg = await findIn(central, `${API}/tasks?kind=registration&prefecture=14`, (x) => x.person && x.person.id === n.user.id);
  assert.equal(reg, undefined, 'no registration task when the registration came with a notification');
  assert.equal(await notifTask(c13, a.id), undefined, 'not in the address prefecture\'s queue');
});

test('routing: the address prefecture by default, center_prefecture when given; another prefecture sees nothing', async () => {
  const n = S;
  const byAddr = await fileAsSeeker(n.client, notifBody({ holder: { address_prefecture: '13' } }));
  const byCenter = await fileAsSeeker(n.client, notifBody({ holder: { address_prefecture: '13' }, center_prefecture: '27' }));
  assert.equal(byAddr.prefecture, '13');
  assert.equal(byCenter.prefecture, '27');
  assert.match(byCenter.center_name, /大阪/, `center name of Osaka: ${byCenter.center_name}`);
  const t0 = Math.floor(Date.now() / 1000);
  const views = async () => (await n.client.get(`${API}/me/views`)).json.items.filter((v) => v.at >= t0 && v.actor_role === 'counselor').length;
  const v0 = await views();
  assert.equal((await c13.get(P.one(byAddr.id))).status, 200);
  assert.equal(await views(), v0 + 1, 'a staff read of the notification is audited (visible in /me/views)');
  assertError(await c13.get(P.one(byCenter.id)), 404, 'resource.not_found');
  assert.equal((await c27.get(P.one(byCenter.id))).status, 200);
  assertError(await c27.get(P.one(byAddr.id)), 404, 'resource.not_found');
  assertError(await nurse27.get(P.one(byAddr.id)), 404, 'resource.not_found');
  assertError(await fac13.get(P.one(byAddr.id)), 404, 'resource.not_found');
  const q = encodeURIComponent(byAddr.holder.name_kana.split(' ')[1]);
  const l13 = await c13.get(`${API}/notifications?q=${q}`);
  assert.equal(l13.status, 200, l13.text.slice(0, 300));
  assert.deepEqual(l13.json.items.map((x) => x.id), [byAddr.id], 'q matches the reading');
  for (const k of SUMMARY_KEYS) assert.ok(k in l13.json.items[0], `summary has ${k}`);
  const q2 = encodeURIComponent(byCenter.holder.name_kana.split(' ')[1]);
  assert.equal((await c13.get(`${API}/notifications?q=${q2}`)).json.total, 0, 'Tokyo does not list the Osaka filing');
  assert.deepEqual((await c27.get(`${API}/notifications?q=${q2}`)).json.items.map((x) => x.id), [byCenter.id]);
  assert.deepEqual((await central.get(`${API}/notifications?q=${q2}&prefecture=27`)).json.items.map((x) => x.id), [byCenter.id]);
  assert.equal((await central.get(`${API}/notifications?q=${q2}&prefecture=13`)).json.total, 0);
});

test('a notification task opens at the routed center, due first_contact_days business days later; not in another queue', async () => {
  const days = (await c13.get(`${API}/center-settings`)).json.first_contact_days;
  assert.ok(Number.isInteger(days), 'center settings readable');
  const n = S;
  const a = await fileAsSeeker(n.client, notifBody());
  const t = await notifTask(c13, a.id);
  assert.ok(t, 'task in the Tokyo queue');
  assert.equal(t.kind, 'notification');
  assert.match(t.kind_label, JP_RE);
  assert.equal(t.status, 'open');
  assert.equal(t.prefecture, '13');
  assert.equal(t.person.id, n.user.id);
  assert.equal(t.overdue, false);
  assert.equal(t.assigned_to, null);
  const day = jstDate(0, t.created_at * 1000);
  assert.ok(isBusinessDay(t.due_on), `due on a business day: ${t.due_on}`);
  if (holidaysKnown(day)) assert.equal(t.due_on, addBusinessDays(day, days), `due ${days} business days after ${day}`);
  else {
    let weekdays = 0;
    for (let d = addDays(day, 1); d <= t.due_on; d = addDays(d, 1)) if (isBusinessDay(d)) weekdays++;
    assert.ok(weekdays >= days, `at least ${days} weekdays until ${t.due_on}`);
  }
  assert.equal(await notifTask(c27, a.id), undefined, 'not in Osaka\'s queue');
  assertError(await c27.get(`${API}/tasks/${t.id}`), 404, 'resource.not_found');
  const g = await c13.get(`${API}/tasks/${t.id}`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json.task, t);
});

// ---- change notifications ----------------------------------------------------------------------

test('change notification (PUT): version + 1, every earlier version kept; the nurse and the center may change it', async () => {
  const n = await registerVerified('seeker');
  const orig = await fileAsSeeker(n.client, notifBody());
  const b2 = changeBody(orig, { holder: { ...changeBody(orig).holder, address: '渋谷区渋谷2-2-2', postal_code: '1500002' } });
  const r = await n.client.req('PUT', P.one(orig.id), { json: b2 });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  const v2 = assertNotification(r.json.notification);
  assert.equal(v2.id, orig.id);
  assert.equal(v2.version, 2);
  assert.equal(v2.holder.address, '渋谷区渋谷2-2-2');
  assert.equal(v2.holder.postal_code, '150-0002');
  assert.equal(v2.versions.length, 2);
  assert.equal(v2.versions[0].body.holder.address, orig.holder.address, 'versions[0] is the original');
  assert.equal(v2.versions[1].body.holder.address, '渋谷区渋谷2-2-2');
  assert.equal(v2.versions[1].changed_by_kind, 'nurse');
  assert.equal(v2.status, 'active');
  // A paper change form at the counter.
  const r3 = await c13.req('PUT', P.one(orig.id), { json: changeBody(v2, { work_status: 'studying' }) });
  assert.equal(r3.status, 200, r3.text.slice(0, 300));
  const v3 = r3.json.notification;
  assert.equal(v3.version, 3);
  assert.equal(v3.work_status, 'studying');
  assert.equal(v3.versions[2].changed_by_kind, 'staff');
  assert.equal(v3.versions[0].body.work_status, 'not_working');
  assert.equal((await n.client.get(P.mine)).json.items.find((x) => x.id === orig.id).version, 3);
  // Members a change may not carry; callers who may not change it.
  const vers = pick(await stableCounts(), ['notification_versions', 'notifications']);
  assertField(await n.client.req('PUT', P.one(orig.id), { json: { ...changeBody(v3), center_prefecture: '13' } }), 'center_prefecture', ['unknown', 'not_allowed']);
  assertField(await n.client.req('PUT', P.one(orig.id), { json: { ...changeBody(v3), seeker_opt_in: { experience_years: 1 } } }), 'seeker_opt_in', ['unknown', 'not_allowed']);
  assertField(await n.client.req('PUT', P.one(orig.id), { json: { ...changeBody(v3), password: PW } }), 'password', ['unknown', 'not_allowed']);
  assertError(await nurse27.req('PUT', P.one(orig.id), { json: changeBody(v3) }), 404, 'resource.not_found');
  assertError(await c27.req('PUT', P.one(orig.id), { json: changeBody(v3) }), 404, 'resource.not_found');
  assertError(await fac13.req('PUT', P.one(orig.id), { json: changeBody(v3) }), 403, 'auth.forbidden');
  assertError(await central.req('PUT', P.one(orig.id), { json: changeBody(v3) }), 403, 'auth.forbidden');
  assert.deepEqual(pick(await counts(), ['notification_versions', 'notifications']), vers, 'rejected changes wrote nothing');
  const g = await n.client.get(P.one(orig.id));
  assert.equal(g.json.notification.version, 3);
});

test('PUT on a notification still pending confirmation: 409 notification.not_active, nothing written', async () => {
  const p = await fileProxy(fac13, fid13, notifBody({ holder: { email: uniqueEmail('pend') } }));
  assert.equal(p.status, 'pending_confirmation');
  const before = pick(await stableCounts(), ['notification_versions', 'notifications']);
  const full = (await c13.get(P.one(p.id))).json.notification;
  assertError(await c13.req('PUT', P.one(p.id), { json: changeBody(full, { work_status: 'studying' }) }), 409, 'notification.not_active');
  assert.deepEqual(pick(await counts(), ['notification_versions', 'notifications']), before);
});

// ---- center paper entry ----------------------------------------------------------------------

test('center paper entry: active at once, channel center, confirmed_how paper; a holder without e-mail gets a record; registered address attached', async () => {
  const body = notifBody({ holder: { phone: '03-1111-2222' } });
  const a = await fileCenter(c13, body);
  assert.equal(a.status, 'active');
  assert.equal(a.channel, 'center');
  assert.equal(a.confirmed_how, 'paper');
  assert.equal(a.prefecture, '13');
  assert.equal(a.versions[0].changed_by_kind, 'staff');
  assert.ok(Number.isInteger(a.person_id));
  const p = await c13.get(`${API}/people/${a.person_id}`);
  assert.equal(p.status, 200, `the holder is a person of center 13: ${p.text.slice(0, 300)}`);
  assert.equal(p.json.person.name, body.holder.name);
  assert.equal(p.json.person.channel, 'center');
  assert.match(p.json.person.email, /\.invalid$/, 'a placeholder address (reserved domain) for a holder without e-mail');
  assert.ok(p.json.person.licences.some((l) => l.number === body.licences[0].number), 'the licence of the form');
  assert.ok(await notifTask(c13, a.id), 'first-contact task opened');
  // The center admin may enter one too; another center's prefecture is refused.
  const b = await fileCenter(a13, notifBody({ center_prefecture: '13' }));
  assert.equal(b.channel, 'center');
  const before = pick(await stableCounts(), NOTIF_TABLES);
  assertField(await c13.post(P.center, notifBody({ center_prefecture: '27' })), 'center_prefecture', 'center_prefecture.invalid');
  assertField(await c27.post(P.center, notifBody({ holder: { address_prefecture: '13' }, center_prefecture: '13' })), 'center_prefecture', 'center_prefecture.invalid');
  assert.deepEqual(pick(await counts(), NOTIF_TABLES), before);
  // seeker_opt_in ticked on paper: a profile at center 13.
  const o = await fileCenter(c13, notifBody({ seeker_opt_in: { experience_years: 3 } }));
  const s = await c13.get(`${API}/people/${o.person_id}/seeker`);
  assert.equal(s.status, 200, `profile from the paper form: ${s.text.slice(0, 300)}`);
  assert.equal(s.json.seeker.prefecture, '13');
  assert.equal(s.json.seeker.experience.years, 3);
  // A registered address: the notification is that nurse's.
  const nurse = await registerVerified('seeker');
  const w = await fileCenter(c13, notifBody({ holder: { email: nurse.email } }));
  assert.equal(w.person_id, nurse.user.id);
  assert.ok((await nurse.client.get(P.mine)).json.items.some((x) => x.id === w.id), 'the nurse sees the paper filing');
  // Other roles may not use the counter route.
  for (const c of [fac13, nurse13, central]) assertError(await c.post(P.center, notifBody()), 403, 'auth.forbidden');
  assertError(await client().post(P.center, notifBody()), 401, 'auth.required');
});

// ---- proxy filing by the facility --------------------------------------------------------------

test('proxy filing: pending, the nurse is mailed a link, the facility lists it; another facility gets 404; the nurse sets a password and confirms', async () => {
  const email = uniqueEmail('proxy');
  const body = notifBody({ holder: { email }, last_workplace_name: '施設代行テスト病院' });
  const since = Date.now() - 5;
  const p = await fileProxy(fac13, fid13, body);
  assert.equal(p.status, 'pending_confirmation');
  assert.equal(p.channel, 'proxy');
  assert.equal(p.facility.id, fid13);
  assert.equal(typeof p.facility.name, 'string');
  const { token } = await tokenFromMail(email, since);

  for (const c of [fac13, staff13]) {
    const l = await c.get(P.facility(fid13));
    assert.equal(l.status, 200, l.text.slice(0, 300));
    const it = l.json.items.find((x) => x.id === p.id);
    assert.ok(it, 'the facility lists its proxy filing');
    assert.equal(it.status, 'pending_confirmation');
    assert.equal(it.duplicates, 0, 'duplicates is 0 for facilities');
    assert.equal(l.json.items[0].id >= p.id, true, 'newest first');
  }
  assert.equal((await fac13.get(P.one(p.id))).status, 200);
  assertError(await fac27.get(P.one(p.id)), 404, 'resource.not_found');
  assertError(await fac27.get(P.facility(fid13)), 404, 'resource.not_found');
  assertError(await fac13.get(P.facility(fid27)), 404, 'resource.not_found');
  assertError(await fac27.post(P.facility(fid13), notifBody()), 404, 'resource.not_found');
  assert.ok((await c13.get(P.facility(fid13))).json.items.some((x) => x.id === p.id), 'center 13 sees the facility\'s filings');
  assertError(await c27.get(P.facility(fid13)), 404, 'resource.not_found');
  assertField(await fac13.post(P.facility(fid13), notifBody({ seeker_opt_in: { experience_years: 2 } })), 'seeker_opt_in', 'seeker_opt_in.not_allowed');
  for (const c of [c13, nurse13, central]) assertError(await c.post(P.facility(fid13), notifBody()), 403, 'auth.forbidden');

  const lk = await client().post(P.lookup, { token });
  assert.equal(lk.status, 200, lk.text.slice(0, 300));
  assert.equal(lk.json.needs_password, true, 'a new holder has no password yet');
  assert.equal(lk.json.notification.facility.id, fid13);
  assertField(await client().post(P.confirm, { token, password: 'short' }), 'password', ['too_short', 'weak', 'invalid']);
  const cf = await client().post(P.confirm, { token, password: PW });
  assert.equal(cf.status, 200, cf.text.slice(0, 300));
  assert.equal(cf.json.notification.status, 'active');
  assert.equal(cf.json.notification.confirmed_how, 'link');
  const nurse = client();
  assert.equal((await nurse.login(email, PW, { expect: null })).status, 200, 'the password set through the link works');
  assert.ok((await nurse.get(P.mine)).json.items.some((x) => x.id === p.id));
  // A later change is the nurse's; the facility keeps seeing what it filed.
  const full = (await nurse.get(P.one(p.id))).json.notification;
  const ch = await nurse.req('PUT', P.one(p.id), { json: changeBody(full, { holder: { ...changeBody(full).holder, address: '中野区中野4-4-4' } }) });
  assert.equal(ch.status, 200, ch.text.slice(0, 300));
  const fv = await fac13.get(P.one(p.id));
  assert.equal(fv.status, 200);
  assertNotification(fv.json.notification, { forFacility: true });
  assert.equal(fv.json.notification.holder.address, body.holder.address, 'the facility sees the content as filed');
  assert.ok(!fv.text.includes('中野区中野4-4-4'), 'no later version for the facility');
});

test('paper consent to a proxy filing: active (confirmed_how paper); twice 409 notification.not_pending; another prefecture 404', async () => {
  const p = await fileProxy(staff13, fid13, notifBody());
  assert.equal(p.status, 'pending_confirmation');
  assertError(await c27.post(P.consent(p.id), { method: 'paper' }), 404, 'resource.not_found');
  for (const c of [fac13, central, nurse13]) assertError(await c.post(P.consent(p.id), { method: 'paper' }), 403, 'auth.forbidden');
  const r = await c13.post(P.consent(p.id), { method: 'paper', note: '窓口で本人の署名を確認' });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const a = assertNotification(r.json.notification);
  assert.equal(a.status, 'active');
  assert.equal(a.confirmed_how, 'paper');
  assertError(await c13.post(P.consent(p.id), { method: 'paper' }), 409, 'notification.not_pending');
  assertError(await a13.post(P.consent(p.id), { method: 'paper' }), 409, 'notification.not_pending');
  assert.ok(await notifTask(c13, p.id), 'activation opened the first-contact task');
  // Consent to a notification that was active from the start is not possible either.
  const own = await fileCenter(c13, notifBody());
  assertError(await c13.post(P.consent(own.id), { method: 'paper' }), 409, 'notification.not_pending');
  // Only paper consent is recorded here.
  const q = await fileProxy(fac13, fid13, notifBody());
  assertField(await c13.post(P.consent(q.id), { method: 'phone' }), 'method', 'method.invalid');
  assertField(await c13.post(P.consent(q.id), {}), 'method', 'method.missing');
  assert.equal((await c13.get(P.one(q.id))).json.notification.status, 'pending_confirmation');
});

// ---- lists and export ------------------------------------------------------------------------

test('GET /notifications: filters by status and channel, newest first, checked parameters', async () => {
  const n = S;
  const kana = kanaName('フィルタ');
  const body = () => notifBody({ holder: { name_kana: kana } });
  const s = await fileAsSeeker(n.client, body());
  const p = await fileProxy(fac13, fid13, body());
  const q = encodeURIComponent(kana.split(' ')[1]);
  const all = await c13.get(`${API}/notifications?q=${q}`);
  assert.deepEqual(all.json.items.map((x) => x.id), [p.id, s.id], 'newest first');
  assert.equal(all.json.total, 2);
  assert.deepEqual((await c13.get(`${API}/notifications?q=${q}&status=pending_confirmation`)).json.items.map((x) => x.id), [p.id]);
  assert.deepEqual((await c13.get(`${API}/notifications?q=${q}&status=active`)).json.items.map((x) => x.id), [s.id]);
  assert.deepEqual((await c13.get(`${API}/notifications?q=${q}&channel=proxy`)).json.items.map((x) => x.id), [p.id]);
  assert.deepEqual((await c13.get(`${API}/notifications?q=${q}&fiscal_year=${fiscalYear()}`)).json.total, 2);
  assert.deepEqual((await c13.get(`${API}/notifications?q=${q}&fiscal_year=2001`)).json.total, 0);
  for (const it of all.json.items) assert.ok(Number.isInteger(it.duplicates), 'duplicates is a count');
  const page = await c13.get(`${API}/notifications?page=1&per_page=1`);
  assert.equal(page.json.items.length, 1);
  assert.equal(page.json.per_page, 1);
  for (const bad of ['status=bogus', 'channel=fax', 'fiscal_year=abc', 'fiscal_year=99999', 'page=0', 'per_page=1000', 'page=-1', 'prefecture=99']) {
    assertError(await central.get(`${API}/notifications?${bad}`), 400, 'request.bad_parameter');
  }
  for (const c of [fac13, nurse13]) assertError(await c.get(`${API}/notifications`), 403, 'auth.forbidden');
  assertError(await client().get(`${API}/notifications`), 401, 'auth.required');
});

test('CSV export: BOM, the fiscal year\'s filings of the caller\'s prefecture, formula cells neutralised', async () => {
  const n = S;
  const marks = [];
  for (const f of FORMULAS) {
    const a = await fileAsSeeker(n.client, notifBody({ holder: { name: f, address: `${f} 新宿区` } }));
    marks.push({ f, id: a.id });
  }
  const osaka = await fileAsSeeker(n.client, notifBody({ holder: { name: '大阪 輸出確認' }, center_prefecture: '27' }));
  const r = await c13.get(P.export);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.ok(hasBom(r.buffer), 'UTF-8 BOM');
  const rows = parseCsv(r.buffer.toString('utf8'));
  assert.ok(rows.length >= 1 + FORMULAS.length, 'header and rows');
  assert.match(rows[0].join(','), JP_RE, 'Japanese header');
  const cells = new Set(rows.flat());
  for (const { f } of marks) {
    assert.ok(cells.has(`'${f}`), `${f} exported as '${f}`);
    assert.ok(!cells.has(f), `${f} never as a bare formula`);
  }
  assert.deepEqual(formulaCells(rows), [], 'no cell starts with = + - @');
  assert.ok(!r.text.includes('大阪 輸出確認'), 'another prefecture\'s filing is not in center 13\'s export');
  const cr = await central.get(`${P.export}?fiscal_year=${fiscalYear()}`);
  assert.equal(cr.status, 200);
  assert.ok(cr.text.includes('大阪 輸出確認') && cr.text.includes(`'${FORMULAS[0]}`), 'central exports every prefecture');
  assert.ok(osaka.id > 0);
  const old = await central.get(`${P.export}?fiscal_year=2001`);
  assert.equal(old.status, 200);
  assert.ok(!old.text.includes('大阪 輸出確認'), 'another fiscal year has none of this year\'s');
  assertError(await central.get(`${P.export}?fiscal_year=abc`), 400, 'request.bad_parameter');
  for (const c of [fac13, nurse13]) assertError(await c.get(P.export), 403, 'auth.forbidden');
});

// ---- NotificationBody rules ------------------------------------------------------------------

const FUTURE = jstDate(2);
function birthForAge(age) { // birth date making the holder `age` today (JST)
  const t = jstDate();
  return `${Number(t.slice(0, 4)) - age}${t.slice(4)}`;
}
const RULES = [
  ['event date in the future', { event_date: FUTURE }, 'event_date', ['out_of_range', 'invalid']],
  ['event date before 1950', { event_date: '1949-12-31' }, 'event_date', ['out_of_range', 'invalid']],
  ['event date not a real date', { event_date: '2023-02-30' }, 'event_date', ['invalid']],
  ['event date with slashes', { event_date: '2023/02/01' }, 'event_date', ['invalid']],
  ['unknown reason', { reason: 'bored' }, 'reason', ['invalid']],
  ['last workplace missing when leaving a job', { last_workplace: undefined }, 'last_workplace', ['missing']],
  ['last workplace after licensing only', { reason: 'not_practising_after_licensing' }, 'last_workplace', ['not_allowed']],
  ['unknown last workplace', { last_workplace: 'casino' }, 'last_workplace', ['invalid']],
  ['last workplace name of 101 characters', { last_workplace_name: 'あ'.repeat(101) }, 'last_workplace_name', ['too_long']],
  ['last workplace name on two lines', { last_workplace_name: '一行目\n二行目' }, 'last_workplace_name', ['invalid']],
  ['unknown work status', { work_status: 'employed' }, 'work_status', ['invalid']],
  ['name of 51 characters', { holder: { name: 'あ'.repeat(51) } }, 'holder.name', ['too_long']],
  ['reading with kanji', { holder: { name_kana: '看護 ハナコ' } }, 'holder.name_kana', ['not_katakana']],
  ['holder aged 14', { holder: { birth_date: birthForAge(14) } }, 'holder.birth_date', ['out_of_range', 'invalid']],
  ['holder aged 101', { holder: { birth_date: birthForAge(101) } }, 'holder.birth_date', ['out_of_range', 'invalid']],
  ['birth date not a real date', { holder: { birth_date: '1990-02-30' } }, 'holder.birth_date', ['invalid']],
  ['postal code of 6 digits', { holder: { postal_code: '160-002' } }, 'holder.postal_code', ['invalid']],
  ['postal code with letters', { holder: { postal_code: 'ABC-DEFG' } }, 'holder.postal_code', ['invalid']],
  ['unknown address prefecture', { holder: { address_prefecture: '48' } }, 'holder.address_prefecture', ['invalid']],
  ['address of 201 characters', { holder: { address: 'あ'.repeat(201) } }, 'holder.address', ['too_long']],
  ['address on two lines', { holder: { address: '新宿区\r\n西新宿' } }, 'holder.address', ['invalid']],
  ['phone with letters', { holder: { phone: 'call me' } }, 'holder.phone', ['invalid']],
  ['neither phone nor e-mail', { holder: { phone: undefined } }, 'holder.phone', ['missing']],
  ['e-mail without @', { holder: { email: 'nope' } }, 'holder.email', ['invalid']],
  ['no licence', { licences: [] }, 'licences', ['too_short', 'missing', 'invalid', 'out_of_range']],
  ['five licences', { licences: ['hokenshi', 'josanshi', 'kangoshi', 'junkangoshi', 'kangoshi'].map((t) => ({ type: t, number: licNo(), registered_on: '2015-04-01' })) }, 'licences', ['too_long', 'invalid', 'out_of_range']],
  ['licence number with letters', { licences: [{ type: 'kangoshi', number: '12a45', registered_on: '2015-04-01' }] }, 'licences[0].number', ['invalid']],
  ['unknown licence type', { licences: [{ type: 'doctor', number: '12345', registered_on: '2015-04-01' }] }, 'licences[0].type', ['invalid']],
  ['licence registered in the future', { licences: [{ type: 'kangoshi', number: '12345', registered_on: FUTURE }] }, 'licences[0].registered_on', ['out_of_range', 'invalid']],
  ['unknown center prefecture', { center_prefecture: '99' }, 'center_prefecture', ['invalid']],
  ['experience of 71 years', { seeker_opt_in: { experience_years: 71 } }, 'seeker_opt_in.experience_years', ['out_of_range']],
  ['experience years missing', { seeker_opt_in: {} }, 'seeker_opt_in.experience_years', ['missing']],
  ['seeker_opt_in not an object', { seeker_opt_in: true }, 'seeker_opt_in', ['type']],
  ['unknown holder member', { holder: { zzz: 1 } }, 'holder.zzz', ['unknown']],
  ['unknown top-level member', { status: 'active' }, 'status', ['unknown']],
];

test('NotificationBody rules: each bad member is a 422 naming it; nothing written', async () => {
  const n = S;
  const before = pick(await stableCounts(), NOTIF_TABLES);
  const problems = [];
  for (const [what, over, field, reasons] of RULES) {
    const r = await n.client.post(P.file, notifBody(over));
    try { assertField(r, field, reasons); } catch (e) { problems.push(`${what}: ${e.message.split('\n')[0]} — ${r.status} ${r.text.slice(0, 200)}`); }
  }
  // The same licence type twice.
  const dup = await n.client.post(P.file, notifBody({ licences: [
    { type: 'kangoshi', number: licNo(), registered_on: '2012-04-01' }, { type: 'kangoshi', number: licNo(), registered_on: '2013-04-01' }] }));
  try {
    const fe = fieldErrs(dup);
    assert.ok(Object.entries(fe).some(([f, cs]) => f.startsWith('licences') && cs.some((c) => c.endsWith('.duplicate'))), JSON.stringify(fe));
  } catch (e) { problems.push(`licence type twice: ${e.message.split('\n')[0]}`); }
  assert.deepEqual(problems, []);
  assert.deepEqual(pick(await counts(), NOTIF_TABLES), before, 'nothing written');
  // not_practising_after_licensing without a last workplace is fine.
  const ok = await n.client.post(P.file, notifBody({ reason: 'not_practising_after_licensing', last_workplace: undefined, last_workplace_name: undefined }));
  assert.equal(ok.status, 201, ok.text.slice(0, 300));
  assert.equal(ok.json.notification.last_workplace ?? null, null);
});

test('a Notification carries every documented member: empty optional ones are null, not left out', async () => {
  const a = await fileAsSeeker(S.client, notifBody({ reason: 'not_practising_after_licensing', last_workplace: undefined, last_workplace_name: undefined }));
  const b = await fileProxy(fac13, fid13, notifBody({ last_workplace_name: undefined }));
  const missing = [];
  for (const [what, n] of [['seeker filing', a], ['proxy filing (facility view)', b]]) {
    for (const k of OPTIONAL_KEYS) if (!(k in n)) missing.push(`${what}: ${k}`);
  }
  assert.deepEqual(missing, [], 'documented Notification members absent from the answer');
  assert.equal(a.last_workplace, null);
  assert.equal(a.last_workplace_label, null);
  assert.equal(a.last_workplace_name, null);
  assert.equal(b.last_workplace_name, null);
  assert.equal(b.last_workplace, 'hospital');
});

test('missing members are all reported at once; a filing without a session needs password and holder.email', async () => {
  const before = pick(await stableCounts(), NOTIF_TABLES);
  const fe = fieldErrs(await client().post(P.file, {}));
  for (const f of ['reason', 'event_date', 'work_status', 'holder', 'licences', 'password']) {
    assert.ok((fe[f] || []).some((c) => c.endsWith('.missing')), `${f}.missing in ${JSON.stringify(fe)}`);
  }
  const fh = fieldErrs(await (await demo('nurse13')).post(P.file, notifBody({ holder: { name: undefined, name_kana: undefined, birth_date: undefined, postal_code: undefined, address_prefecture: undefined, address: undefined } })));
  for (const f of ['holder.name', 'holder.name_kana', 'holder.birth_date', 'holder.postal_code', 'holder.address_prefecture', 'holder.address']) {
    assert.ok((fh[f] || []).some((c) => c.endsWith('.missing')), `${f}.missing in ${JSON.stringify(fh)}`);
  }
  assertField(await client().post(P.file, notifBody({ holder: { email: uniqueEmail('x') } })), 'password', 'password.missing');
  assertField(await client().post(P.file, { ...notifBody(), password: PW }), 'holder.email', 'holder.email.missing');
  assertField(await client().post(P.file, { ...notifBody({ holder: { email: uniqueEmail('x') } }), password: 'short' }), 'password', ['too_short', 'weak']);
  assert.deepEqual(pick(await counts(), NOTIF_TABLES), before, 'nothing written');
});

test('hostile text (SQL, HTML, JavaScript) is stored and returned verbatim; the table survives', async () => {
  const n = S;
  const before = await stableCounts();
  const a = await fileAsSeeker(n.client, notifBody({
    holder: { name: SQL_NOTIF, address: `${HTML} ${JS}` }, last_workplace_name: '"><img src=x onerror=alert(1)>',
  }));
  assert.equal(a.holder.name, SQL_NOTIF);
  assert.equal(a.holder.address, `${HTML} ${JS}`);
  assert.equal(a.last_workplace_name, '"><img src=x onerror=alert(1)>');
  const g = await n.client.get(P.one(a.id));
  assert.match(g.headers.get('content-type'), /^application\/json/);
  assert.equal(g.json.notification.holder.name, SQL_NOTIF);
  assert.equal(g.json.notification.holder.address, `${HTML} ${JS}`);
  assert.doesNotMatch(g.text, /&lt;|&gt;|&quot;|&#/, 'not HTML-escaped inside JSON');
  const l = await c13.get(`${API}/notifications?q=${encodeURIComponent(a.holder.name_kana.split(' ')[1])}`);
  assert.equal(l.json.items[0].name, SQL_NOTIF);
  const after = await counts();
  assert.equal(after.notifications, before.notifications + 1, 'notifications table intact, one row more');
  assert.deepEqual(diffCounts(before, after, ['notifications', 'notification_versions', 'tasks', 'audit_log', 'jobs', 'sessions']), {});
});

test('confirmation links: unknown tokens are 410 (malformed ones 410 or 422 token.invalid, as /auth/verify); the lookup needs a token', async () => {
  for (const token of ['bogus', 'A'.repeat(43)]) {
    assertError(await client().post(P.lookup, { token }), 410, 'auth.token_invalid');
    assertError(await client().post(P.confirm, { token, password: PW }), 410, 'auth.token_invalid');
  }
  for (const token of ['../../etc/passwd', SQL_NOTIF, '<script>']) {
    for (const r of [await client().post(P.lookup, { token }), await client().post(P.confirm, { token, password: PW })]) {
      if (r.status === 410) assertError(r, 410, 'auth.token_invalid');
      else assertField(r, 'token', 'token.invalid');
    }
  }
  assertField(await client().post(P.lookup, {}), 'token', 'token.missing');
  assertField(await client().post(P.confirm, {}), 'token', 'token.missing');
});
