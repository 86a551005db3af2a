// 16 parallel clients for 10 s: registrations, logins and reads. No 5xx, and
// every 202 registration is in the database afterwards (no lost writes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API, client, seekerBody, DEMO, DEMO_PASSWORD, stableCounts, counts, BACKEND } from './_lib.mjs';

const CLIENTS = 16;
const DURATION_MS = Number(process.env.NCCS_TEST_CONCURRENCY_MS || 10000);

test(`${CLIENTS} clients for ${DURATION_MS / 1000} s (${BACKEND}): no 5xx, no lost registrations`, async (t) => {
  const before = await stableCounts();
  assert.equal(typeof before.users, 'number', 'db-counts has a users table');
  const stats = { registered: 0, unverified: 0, logins: 0, reads: 0 };
  const failures = [];
  const readMs = [];
  const deadline = Date.now() + DURATION_MS;
  const demoNames = ['nurse13', 'nurse27', 'counselor13', 'central'];

  async function worker(i) {
    const c = client();
    let n = 0;
    while (Date.now() < deadline) {
      n++;
      try {
        if (i % 4 === 3) {
          // Readers: log in to a demo account once, then read.
          if (!c.session) {
            const r = await c.req('POST', `${API}/auth/login`, { json: { email: DEMO[demoNames[i % demoNames.length]], password: DEMO_PASSWORD } });
            if (r.status !== 200) failures.push(`login ${r.status} ${r.text.slice(0, 120)}`);
            else stats.logins++;
          }
          for (const p of [`${API}/me`, `${API}/ref/municipalities?prefecture=13`, `${API}/version`]) {
            const t0 = performance.now();
            const r = await c.get(p);
            readMs.push(performance.now() - t0);
            if (r.status !== 200) failures.push(`GET ${p} ${r.status} ${r.text.slice(0, 120)}`);
            else stats.reads++;
          }
        } else {
          const body = seekerBody({ email: `t-conc-${process.pid}-${i}-${n}-${Date.now()}@example.jp` });
          const r = await c.req('POST', `${API}/auth/register`, { json: body });
          if (r.status !== 202) { failures.push(`register ${r.status} ${r.text.slice(0, 120)}`); continue; }
          stats.registered++;
          const l = await c.req('POST', `${API}/auth/login`, { json: { email: body.email, password: body.password } });
          if (l.status === 403 && l.json?.error?.code === 'auth.unverified') stats.unverified++;
          else failures.push(`login unverified ${l.status} ${l.text.slice(0, 120)}`);
        }
      } catch (e) {
        failures.push(`request failed: ${e.cause?.code || e.message}`);
      }
    }
  }

  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => worker(i)));
  const after = await counts();
  const gained = after.users - before.users;
  readMs.sort((a, b) => a - b);
  const pct = (q) => (readMs.length ? readMs[Math.min(readMs.length - 1, Math.floor(q * readMs.length))].toFixed(0) : '-');
  const summary = `${JSON.stringify(stats)}; users +${gained}; read latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`;
  t.diagnostic(summary);
  assert.deepEqual(failures.slice(0, 20), [], `unexpected answers (${failures.length}) — ${summary}`);
  assert.ok(stats.registered >= CLIENTS, `some real load was generated: ${summary}`);
  assert.equal(gained, stats.registered, `every 202 registration is stored: ${summary}`);
  assert.equal(stats.unverified, stats.registered, 'every fresh account is unverified');
  const health = await client().get('/healthz');
  assert.equal(health.status, 200, 'still healthy afterwards');
});
