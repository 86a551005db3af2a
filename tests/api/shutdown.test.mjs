// SIGTERM: in-flight requests complete, then the server exits 0. Also checks
// that `serve --listen 127.0.0.1:0` prints the port it really listens on.
// Runs its own stack so that the shared test server stays up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rawHttp } from '../support/client.mjs';
import { startStack, startServer, stopServer, ARTIFACTS_DIR } from '../support/stack.mjs';
import { API, BACKEND, BIN, DEMO, DEMO_PASSWORD, sleep } from './_lib.mjs';

let stack;
before(async () => { stack = await startStack({ backend: BACKEND, bin: BIN }); });
after(async () => { if (stack) await stack.stop(); });

test('serve --listen 127.0.0.1:0 prints the real port and exits 0 on SIGTERM', async () => {
  const logFile = path.join(ARTIFACTS_DIR, `server-shutdown-port0-${process.pid}.log`);
  const s = await startServer({ bin: BIN, dbUrl: stack.dbUrl, listen: '127.0.0.1:0', logFile, env: {
    NCCS_TRUST_PROXY: '1', NCCS_SMTP_URL: stack.smtp.url, NCCS_MAIL_FROM: 'nccs-test@example.jp', NCCS_BASE_URL: stack.baseUrl,
  } });
  assert.ok(s.port > 0, `printed port ${s.port}`);
  const r = await fetch(`${s.baseUrl}/healthz`);
  assert.equal(r.status, 200);
  await stopServer(s, { logFile });
});

test('SIGTERM while requests are in flight: they complete, exit code 0', async () => {
  const body = JSON.stringify({ email: DEMO.nurse13, password: DEMO_PASSWORD });
  const head = `POST ${API}/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  // Request 1: headers and half the body sent before SIGTERM, the rest after.
  const half = Math.floor(body.length / 2);
  const partial = rawHttp(stack.baseUrl, null, { chunks: [head + body.slice(0, half), 600, body.slice(half)], timeoutMs: 15000 });
  // Request 2: a complete login (argon2id takes a while) sent just before SIGTERM.
  await sleep(200);
  const full = rawHttp(stack.baseUrl, head + body, { timeoutMs: 15000 });
  await sleep(15);
  stack.server.terminate();
  const [a, b] = await Promise.all([partial, full]);
  for (const [what, r] of [['half-sent request', a], ['complete request', b]]) {
    assert.equal(r.status, 200, `${what}: status ${r.status} ${r.socketError || ''} ${r.timedOut ? 'timed out' : ''} ${r.text.slice(0, 200)}`);
    assert.equal(r.json?.user?.email, DEMO.nurse13, `${what}: full answer body`);
  }
  await stack.stop(); // asserts exit code 0
  stack = null;
});
