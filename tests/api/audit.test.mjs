// Audit of staff reads: the nurse sees who viewed the record; staff see the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API, client, demo, DEMO, DEMO_PASSWORD, assertError, sleep } from './_lib.mjs';

async function findPerson(email) {
  const central = await demo('central');
  for (let page = 1; page <= 20; page++) {
    const r = await central.get(`${API}/people?page=${page}&per_page=100`);
    assert.equal(r.status, 200, r.text.slice(0, 200));
    const p = r.json.items.find((x) => x.email === email);
    if (p) return p;
    if (!r.json.items.length) break;
  }
  throw new Error(`person ${email} not in GET /people`);
}

test('a counselor read shows up for the nurse (/me/views) and for staff (/people/{id}/audit)', async () => {
  const person = await findPerson(DEMO.nurse13);
  const ip = '10.250.13.77';
  // The server trusts only the last X-Forwarded-For entry (added by our proxy);
  // the first one is whatever the client claims.
  const counselor = client({ ip: `203.0.113.9, ${ip}` });
  const login = await counselor.login(DEMO.counselor13, DEMO_PASSWORD);
  const counselorUser = login.json.user;
  const nurse = await demo('nurse13');

  const before = await nurse.get(`${API}/me/views`);
  assert.equal(before.status, 200, before.text);
  assert.ok(Array.isArray(before.json.items), 'items array');

  const t0 = Math.floor(Date.now() / 1000);
  const read = await counselor.get(`${API}/people/${encodeURIComponent(person.id)}`);
  assert.equal(read.status, 200, read.text);
  await sleep(50);

  const views = await nurse.get(`${API}/me/views`);
  assert.equal(views.status, 200, views.text);
  const items = views.json.items;
  assert.ok(items.length > 0, 'the read is listed');
  const v = items[0];
  assert.equal(v.action, 'read', `newest entry first and it is the read: ${JSON.stringify(v)}`);
  assert.equal(v.actor_role, 'counselor');
  assert.equal(typeof v.actor_org, 'string');
  assert.match(v.actor_org, /東京/, `actor_org names the Tokyo center: ${v.actor_org}`);
  assert.ok(typeof v.at === 'number' && v.at >= t0 - 2 && v.at <= t0 + 60, `at is now in Unix seconds: ${v.at}`);
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].at >= items[i].at, 'newest first');
  // The nurse learns the organisation, not the staff member or where they sat.
  for (const k of Object.keys(v)) assert.ok(!['actor_id', 'actor_name', 'ip', 'actor_email'].includes(k), `no ${k} in /me/views`);

  for (const who of ['central', 'counselor13', 'admin13', 'sysadmin']) {
    const staff = await demo(who);
    const a = await staff.get(`${API}/people/${encodeURIComponent(person.id)}/audit`);
    assert.equal(a.status, 200, `${who}: ${a.text.slice(0, 200)}`);
    const e = a.json.items.find((x) => x.action === 'read' && x.ip === ip);
    assert.ok(e, `${who} sees the read from ${ip} (last X-Forwarded-For entry): ${JSON.stringify(a.json.items.slice(0, 3))}`);
    assert.equal(String(e.actor_id), String(counselorUser.id));
    assert.equal(e.actor_role, 'counselor');
    assert.equal(e.actor_prefecture, '13');
    assert.equal(typeof e.actor_name, 'string');
    assert.ok(e.actor_name.length > 0);
    assert.ok(e.at >= t0 - 2, 'at');
  }
});

test('counselor27 sees neither the record nor its audit; nurse27 does not see nurse13\'s views', async () => {
  const person = await findPerson(DEMO.nurse13);
  const c27 = await demo('counselor27');
  assertError(await c27.get(`${API}/people/${encodeURIComponent(person.id)}`), 404, 'resource.not_found');
  assertError(await c27.get(`${API}/people/${encodeURIComponent(person.id)}/audit`), 404, 'resource.not_found');

  const counselor = await demo('counselor13');
  assert.equal((await counselor.get(`${API}/people/${encodeURIComponent(person.id)}`)).status, 200);
  const nurse27 = await demo('nurse27');
  const before = (await nurse27.get(`${API}/me/views`)).json.items;
  const other = await findPerson(DEMO.nurse27);
  const central = await demo('central');
  const a27 = (await central.get(`${API}/people/${encodeURIComponent(other.id)}/audit`)).json.items;
  assert.ok(!a27.some((x) => x.actor_role === 'counselor' && x.actor_prefecture === '13'),
    'counselor13 reads of nurse13 are not in nurse27\'s audit');
  assert.ok(before.every((x) => x.actor_org === undefined || !/東京/.test(x.actor_org) || x.actor_role !== 'counselor'),
    'nurse27 has no views by the Tokyo counselor');
});

test('a failed (out of scope) read is not shown to the nurse as a view', async () => {
  const person = await findPerson(DEMO.nurse13);
  const nurse = await demo('nurse13');
  const before = (await nurse.get(`${API}/me/views`)).json.items.length;
  const c27 = await demo('counselor27');
  assert.equal((await c27.get(`${API}/people/${encodeURIComponent(person.id)}`)).status, 404);
  const after = (await nurse.get(`${API}/me/views`)).json.items;
  assert.equal(after.length, before, 'no view entry for a denied read');
});
