// Several app processes on one database: an offer published through the shared test server is
// found by a second `nccs serve` process (its own in-memory index) within a few seconds, through
// the offer change sequence; closing it removes it there too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, stopServer, ARTIFACTS_DIR } from '../support/stack.mjs';
import { API, BIN, DB_URL, demo, sleep } from './_lib.mjs';

let other, logFile;
before(async () => {
  logFile = path.join(ARTIFACTS_DIR, `server-indexsync-${process.pid}.log`);
  other = await startServer({ bin: BIN, dbUrl: DB_URL, listen: '127.0.0.1:0', logFile });
});
after(async () => { if (other) await stopServer(other, { logFile }); });

async function findIn(baseUrl, keyword) {
  const r = await fetch(`${baseUrl}${API}/offers?q=${encodeURIComponent(keyword)}`);
  assert.equal(r.status, 200);
  return (await r.json()).items.map((i) => i.offer_no);
}

async function eventually(fn, timeoutMs = 8000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await sleep(200);
  }
}

test('an offer published through one process is searchable in another', async () => {
  const fac = await demo('facility13');
  const counselor = await demo('counselor13');
  const fid = (await fac.me()).json.user.facility_id;
  const list = await fac.get(`${API}/facilities/${fid}/offers`);
  const published = list.json.items.find((o) => o.status === 'published');
  const base = (await fac.get(`${API}/job-offers/${published.id}`)).json.offer.body;
  const tag = `同期確認${Date.now().toString(36)}`;
  const created = await fac.req('POST', `${API}/facilities/${fid}/offers`, { json: { ...base, title: `病棟看護師 ${tag}` } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.offer.id;
  assert.equal((await fac.req('POST', `${API}/job-offers/${id}/submit`)).status, 200);
  const pub = await counselor.req('POST', `${API}/job-offers/${id}/review`, { json: { decision: 'publish' } });
  assert.equal(pub.status, 200, pub.text);
  const no = pub.json.offer.offer_no;
  // The writing process answers from an index that already has it.
  assert.deepEqual(await findIn(process.env.NCCS_TEST_BASE_URL, tag), [no]);
  // The other process catches up through the change sequence.
  assert.ok(await eventually(async () => (await findIn(other.baseUrl, tag)).includes(no)), 'found in the other process');
  const close = await fac.req('POST', `${API}/job-offers/${id}/close`, { json: { reason: 'withdrawn' } });
  assert.equal(close.status, 200);
  assert.deepEqual(await findIn(process.env.NCCS_TEST_BASE_URL, tag), []);
  assert.ok(await eventually(async () => (await findIn(other.baseUrl, tag)).length === 0), 'gone in the other process');
});
