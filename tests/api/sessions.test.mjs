// Configurable limits, on servers of their own: session idle and absolute
// timeouts (NCCS_SESSION_IDLE / NCCS_SESSION_ABSOLUTE, docs/OPERATIONS.md)
// and login throttling thresholds (NCCS_LOGIN_IP_MAX / NCCS_LOGIN_ACCOUNT_MAX).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Client, DEMO_PASSWORD } from '../support/client.mjs';
import { startStack, startServer, stopServer, ARTIFACTS_DIR } from '../support/stack.mjs';
import { API, BACKEND, BIN, nextIp, assertError, sleep } from './_lib.mjs';

let stack;   // idle timeout 10 s, throttling at 3 per IP / 2 per account
let second;  // same database, absolute lifetime 10 s
const secondLog = path.join(ARTIFACTS_DIR, `server-sessions-absolute-${process.pid}.log`);

before(async () => {
  stack = await startStack({
    backend: BACKEND, bin: BIN,
    env: { NCCS_SESSION_IDLE: '10', NCCS_SESSION_ABSOLUTE: '3600', NCCS_LOGIN_IP_MAX: '3', NCCS_LOGIN_ACCOUNT_MAX: '2' },
  });
  second = await startServer({
    bin: BIN, dbUrl: stack.dbUrl, listen: '127.0.0.1:0', logFile: secondLog,
    env: {
      NCCS_TRUST_PROXY: '1', NCCS_SMTP_URL: stack.smtp.url, NCCS_MAIL_FROM: 'nccs-test@example.jp',
      NCCS_BASE_URL: stack.baseUrl, NCCS_SESSION_IDLE: '3600', NCCS_SESSION_ABSOLUTE: '10',
    },
  });
});
after(async () => {
  if (second) await stopServer(second, { logFile: secondLog });
  if (stack) await stack.stop();
});

test('idle sessions end after NCCS_SESSION_IDLE; any session ends after NCCS_SESSION_ABSOLUTE', async () => {
  const idle = new Client(stack.baseUrl, { ip: nextIp() });
  await idle.login('nurse13@example.jp', DEMO_PASSWORD);
  const busy = new Client(second.baseUrl, { ip: nextIp() });
  await busy.login('nurse27@example.jp', DEMO_PASSWORD);
  assert.equal((await idle.me()).status, 200);
  // Keep `busy` active: it still has to end at its absolute lifetime.
  for (let i = 0; i < 4; i++) {
    await sleep(2000);
    assert.equal((await busy.me()).status, 200, `active session alive at ${2 * (i + 1)} s`);
  }
  await sleep(3500); // 11.5 s after login
  assertError(await idle.me(), 401, 'auth.required');
  assertError(await busy.me(), 401, 'auth.required');
  // Fresh logins work again.
  const again = new Client(stack.baseUrl, { ip: nextIp() });
  await again.login('nurse13@example.jp', DEMO_PASSWORD);
  assert.equal((await again.me()).status, 200);
});

test('NCCS_LOGIN_ACCOUNT_MAX and NCCS_LOGIN_IP_MAX are honoured', async () => {
  const acct = 'nurse27@example.jp';
  for (let i = 0; i < 2; i++) {
    assertError(await new Client(stack.baseUrl, { ip: nextIp() }).post(`${API}/auth/login`, { email: acct, password: `wrong-${i}-password` }), 401, 'auth.invalid_credentials');
  }
  const locked = await new Client(stack.baseUrl, { ip: nextIp() }).post(`${API}/auth/login`, { email: acct, password: DEMO_PASSWORD });
  assertError(locked, 429, 'auth.throttled');
  assert.ok(Number(locked.headers.get('retry-after')) > 0, 'Retry-After');

  const ip = nextIp();
  for (let i = 0; i < 3; i++) {
    assertError(await new Client(stack.baseUrl, { ip }).post(`${API}/auth/login`, { email: `ghost-${i}@example.jp`, password: 'wrong-password-1' }), 401, 'auth.invalid_credentials');
  }
  const r = await new Client(stack.baseUrl, { ip }).post(`${API}/auth/login`, { email: 'nurse13@example.jp', password: DEMO_PASSWORD });
  assertError(r, 429, ['auth.throttled', 'request.rate_limited']);
  assert.equal((await new Client(stack.baseUrl, { ip: nextIp() }).login('nurse13@example.jp', DEMO_PASSWORD, { expect: null })).status, 200,
    'other IPs are not affected');
});
