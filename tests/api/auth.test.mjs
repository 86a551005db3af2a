// Accounts: registration, verification, login, sessions, CSRF, password reset,
// password and e-mail change, channels, throttling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSetCookie, SESSION_COOKIE, UA_PC, UA_PHONE, UA_ANDROID } from '../support/client.mjs';
import {
  API, client, demo, seekerBody, facilityBody, uniqueEmail, registerVerified, tokenFromMail, mailsTo,
  assertError, assertFieldError, counts, sleep, waitMail, DEMO, DEMO_PASSWORD,
} from './_lib.mjs';

const USER_KEYS = ['id', 'email', 'role', 'name', 'name_kana', 'prefecture', 'facility_id', 'channel', 'created_at'];

function assertUser(u, what) {
  assert.ok(u && typeof u === 'object', `${what}: user object`);
  for (const k of USER_KEYS) assert.ok(k in u, `${what}: user.${k} present (${JSON.stringify(u)})`);
  for (const k of Object.keys(u)) assert.doesNotMatch(k, /pass|hash|secret|totp|token/i, `${what}: user has no secret field ${k}`);
}

test('register seeker: 202, mail with link, 403 before verify, verify, login', async () => {
  const c = client({ userAgent: UA_PHONE });
  const body = seekerBody();
  const since = Date.now() - 5;
  const r = await c.post(`${API}/auth/register`, body);
  assert.equal(r.status, 202, r.text);
  assert.deepEqual(r.json, { status: 'verification_sent' });
  assert.equal(c.session, null, 'registration does not sign in');

  const { token, mail } = await tokenFromMail(body.email, since);
  assert.match(mail.text, /https?:\/\/[^\s]+[?&]token=/, 'mail contains an absolute link with the token');
  assert.match(mail.subject, /[\u3040-\u30ff\u4e00-\u9fff]/, 'Japanese subject');

  assertError(await c.post(`${API}/auth/login`, { email: body.email, password: body.password }), 403, 'auth.unverified');
  assertError(await c.post(`${API}/auth/login`, { email: body.email, password: 'wrong-password-9' }), 401, 'auth.invalid_credentials',
  );

  const v = await c.post(`${API}/auth/verify`, { token });
  assert.equal(v.status, 200, v.text);
  assert.deepEqual(v.json, { status: 'verified' });
  assertError(await c.post(`${API}/auth/verify`, { token }), 410, 'auth.token_invalid');

  const l = await c.login(body.email, body.password);
  assert.equal(typeof l.json.csrf_token, 'string');
  assert.ok(l.json.csrf_token.length >= 20, 'csrf token is long');
  const u = l.json.user;
  assertUser(u, 'login');
  assert.equal(u.email, body.email);
  assert.equal(u.role, 'seeker');
  assert.equal(u.name, body.name);
  assert.equal(u.name_kana, body.name_kana);
  assert.equal(u.prefecture, '13');
  assert.equal(u.facility_id, null);
  assert.equal(u.channel, 'smartphone', 'registered from an iPhone');
  assert.equal(typeof u.created_at, 'number', 'created_at is Unix seconds');
  assert.ok(Math.abs(u.created_at - Date.now() / 1000) < 600, 'created_at is now');

  const me = await c.me();
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.json.user, u);
  assert.equal(me.json.csrf_token, l.json.csrf_token, '/me returns the same csrf token');
});

test('register facility: 202, verify, first login is facility_admin with a facility, channel pc', async () => {
  const { client: c, user } = await registerVerified('facility', {}, { userAgent: UA_PC });
  assertUser(user, 'facility login');
  assert.equal(user.role, 'facility_admin');
  assert.ok(user.facility_id !== null && user.facility_id !== undefined, 'facility_id set');
  assert.equal(user.channel, 'pc');
  assert.equal((await c.me()).status, 200);
});

test('channel: Android is smartphone, desktop is pc', async () => {
  const a = await registerVerified('seeker', {}, { userAgent: UA_ANDROID });
  assert.equal(a.user.channel, 'smartphone');
  const b = await registerVerified('seeker', {}, { userAgent: UA_PC });
  assert.equal(b.user.channel, 'pc');
});

test('unknown or malformed verification token: 410', async () => {
  const c = client();
  assertError(await c.post(`${API}/auth/verify`, { token: 'x'.repeat(43) }), 410, 'auth.token_invalid');
  assertError(await c.post(`${API}/auth/verify`, { token: 'nope' }), 410, 'auth.token_invalid');
});

test('tokens only work for their purpose', async () => {
  // A fresh unverified account: its verification token must not reset the password.
  const body = seekerBody();
  const since = Date.now() - 5;
  assert.equal((await client().post(`${API}/auth/register`, body)).status, 202);
  const { token: verifyToken } = await tokenFromMail(body.email, since);
  assertError(await client().post(`${API}/auth/password-reset/complete`, { token: verifyToken, password: 'hijacked-pass-1' }), 410, 'auth.token_invalid');
  assert.equal((await client().post(`${API}/auth/verify`, { token: verifyToken })).status, 200, 'verification token still good');

  // A reset token must not verify anything.
  const since2 = Date.now() - 5;
  assert.equal((await client().post(`${API}/auth/password-reset`, { email: body.email })).status, 202);
  const { token: resetToken } = await tokenFromMail(body.email, since2);
  assertError(await client().post(`${API}/auth/verify`, { token: resetToken }), 410, 'auth.token_invalid');
  assert.equal((await client().post(`${API}/auth/password-reset/complete`, { token: resetToken, password: 'rightful-pass-2' })).status, 204,
    'reset token still good');
  assert.equal((await client().login(body.email, 'rightful-pass-2', { expect: null })).status, 200);
});

test('logout ends only that session', async () => {
  const a = client();
  const b = client();
  await a.login(DEMO.nurse27);
  await b.login(DEMO.nurse27);
  assert.notEqual(a.session, b.session, 'each login gets its own session');
  assert.notEqual(a.csrf, b.csrf, 'each session has its own CSRF token');
  assert.equal((await a.logout()).status, 204);
  assert.equal((await b.me()).status, 200, 'the other session lives on');
});

test('an address that differs only in case is the same account', async () => {
  const before = await counts();
  const r = await client().post(`${API}/auth/register`, seekerBody({ email: 'Nurse13@Example.JP' }));
  assert.equal(r.status, 202);
  const after = await counts();
  assert.equal(after.users, before.users, 'no second account for NURSE13@…');
  assert.equal((await client().login('NURSE13@example.jp', DEMO_PASSWORD, { expect: null })).status, 200, 'login ignores case');
});

test('session cookie attributes', async () => {
  const c = client();
  const r = await c.login(DEMO.nurse13);
  const cookies = r.setCookies.map(parseSetCookie).filter((x) => x.name === SESSION_COOKIE);
  assert.equal(cookies.length, 1, `one ${SESSION_COOKIE} cookie: ${r.setCookies}`);
  const { value, attrs } = cookies[0];
  assert.ok(value.length >= 43, `session token carries >= 256 bits: ${value.length} chars`);
  assert.equal(attrs.httponly, true, 'HttpOnly');
  assert.equal(attrs.secure, true, 'Secure');
  assert.equal(String(attrs.samesite).toLowerCase(), 'lax', 'SameSite=Lax');
  assert.equal(attrs.path, '/', 'Path=/');
  assert.equal(attrs.domain, undefined, '__Host- cookie has no Domain');
  // Only the session cookie; nothing else identifies the user.
  for (const l of r.setCookies) assert.ok(parseSetCookie(l).name.startsWith('__Host-'), `cookie ${l} has the __Host- prefix`);
});

test('CSRF: missing, wrong or foreign token is 403 auth.csrf and changes nothing', async () => {
  const a = await registerVerified('seeker');
  const other = await demo('nurse27');
  const body = { current_password: a.password, new_password: 'another-pass-42' };
  assertError(await a.client.req('POST', `${API}/me/password`, { json: body, csrf: false }), 403, 'auth.csrf');
  assertError(await a.client.req('POST', `${API}/me/password`, { json: body, csrf: 'wrong' }), 403, 'auth.csrf');
  assertError(await a.client.req('POST', `${API}/me/password`, { json: body, csrf: other.csrf }), 403, 'auth.csrf');
  assertError(await a.client.req('POST', `${API}/me/password`, { json: body, csrf: '' }), 403, 'auth.csrf');
  assertError(await a.client.req('POST', `${API}/auth/logout`, { csrf: false }), 403, 'auth.csrf');
  // Still signed in with the old password.
  assert.equal((await a.client.me()).status, 200);
  assert.equal((await client().login(a.email, a.password, { expect: null })).status, 200, 'password unchanged');
  // Public POSTs with a session need it too.
  assertError(await a.client.req('POST', `${API}/auth/password-reset`, { json: { email: a.email }, csrf: false }), 403, 'auth.csrf');
});

test('logout: 204, cookie cleared, session gone server-side', async () => {
  const c = client();
  await c.login(DEMO.nurse27);
  const copy = c.clone();
  const r = await c.logout();
  assert.equal(r.status, 204, r.text);
  const cleared = r.setCookies.map(parseSetCookie).find((x) => x.name === SESSION_COOKIE);
  assert.ok(cleared, 'logout sends a Set-Cookie for the session');
  assert.ok(cleared.value === '' || cleared.attrs['max-age'] === '0' || Date.parse(cleared.attrs.expires) < Date.now(), 'cookie expired');
  assert.equal(cleared.attrs.path, '/', 'clearing cookie keeps Path=/ (else browsers keep a __Host- cookie)');
  assert.equal(cleared.attrs.secure, true, 'clearing cookie keeps Secure');
  assertError(await c.me(), 401, 'auth.required');
  assertError(await copy.me(), 401, 'auth.required');
  assertError(await copy.req('POST', `${API}/auth/logout`), 401, 'auth.required');
});

test('garbage session cookies are just anonymous', async () => {
  for (const v of ['x', 'A'.repeat(43), '%00', 'a'.repeat(4000)]) {
    const c = client();
    c.jar.set(SESSION_COOKIE, v);
    assertError(await c.me(), 401, 'auth.required');
    const pub = await c.get(`${API}/version`);
    assert.equal(pub.status, 200, `public route with a bad cookie ${v.slice(0, 10)}`);
  }
});

test('password reset by mail; 202 for unknown addresses without mail', async () => {
  const a = await registerVerified('seeker');
  const stranger = uniqueEmail('nobody');
  const anon = client();
  const since = Date.now() - 5;
  const r1 = await anon.post(`${API}/auth/password-reset`, { email: a.email });
  assert.equal(r1.status, 202, r1.text);
  const r2 = await anon.post(`${API}/auth/password-reset`, { email: stranger });
  assert.equal(r2.status, 202, r2.text);
  assert.deepEqual(r1.json, r2.json, 'same answer for known and unknown addresses');

  const { token, mail } = await tokenFromMail(a.email, since);
  assert.match(mail.text, /\/password-reset\?token=/, 'link to /password-reset?token=');

  const other = client();
  await other.login(a.email, a.password);

  // A weak password is rejected and does not use up the token.
  const weak = await anon.post(`${API}/auth/password-reset/complete`, { token, password: 'short' });
  assertFieldError(weak, 'password', ['weak', 'too_short']);

  const newPass = 'reset-pass-2031';
  const done = await anon.post(`${API}/auth/password-reset/complete`, { token, password: newPass });
  assert.equal(done.status, 204, done.text);
  assertError(await other.me(), 401, 'auth.required', { field: undefined });
  assertError(await a.client.me(), 401, 'auth.required');
  assertError(await client().post(`${API}/auth/login`, { email: a.email, password: a.password }), 401, 'auth.invalid_credentials');
  assert.equal((await client().login(a.email, newPass, { expect: null })).status, 200, 'new password works');
  assertError(await anon.post(`${API}/auth/password-reset/complete`, { token, password: 'third-pass-2032' }), 410, 'auth.token_invalid');

  await sleep(1500); // the known address got its mail long ago; give the unknown one time to (wrongly) get one
  assert.deepEqual((await mailsTo(stranger)).map((m) => m.subject), [], 'no mail to an unknown address');
});

test('change password: 204, other sessions end, this one stays', async () => {
  const a = await registerVerified('seeker');
  const b = client();
  await b.login(a.email, a.password);
  const wrong = await a.client.post(`${API}/me/password`, { current_password: 'not-my-password', new_password: 'brand-new-pass-1' });
  assert.ok([401, 403, 422].includes(wrong.status), `wrong current password rejected: ${wrong.status} ${wrong.text}`);
  assertError(wrong, wrong.status);
  const weak = await a.client.post(`${API}/me/password`, { current_password: a.password, new_password: 'abc' });
  assertFieldError(weak, 'new_password', ['weak', 'too_short']);
  assert.equal((await b.me()).status, 200, 'rejected changes end no session');

  const r = await a.client.post(`${API}/me/password`, { current_password: a.password, new_password: 'brand-new-pass-1' });
  assert.equal(r.status, 204, r.text);
  assert.equal((await a.client.me()).status, 200, 'the changing session stays');
  assertError(await b.me(), 401, 'auth.required');
  assertError(await client().post(`${API}/auth/login`, { email: a.email, password: a.password }), 401, 'auth.invalid_credentials');
  assert.equal((await client().login(a.email, 'brand-new-pass-1', { expect: null })).status, 200);
});

test('change e-mail: applies only after the new address is verified', async () => {
  const a = await registerVerified('seeker');
  const newEmail = uniqueEmail('moved');
  const bad = await a.client.post(`${API}/me/email`, { email: newEmail, password: 'not-my-password' });
  assert.ok([401, 403, 422].includes(bad.status), `wrong password rejected: ${bad.status} ${bad.text}`);

  const since = Date.now() - 5;
  const r = await a.client.post(`${API}/me/email`, { email: newEmail, password: a.password });
  assert.equal(r.status, 202, r.text);
  const { token } = await tokenFromMail(newEmail, since);

  assertError(await client().post(`${API}/auth/login`, { email: newEmail, password: a.password }), 401, 'auth.invalid_credentials');
  assert.equal((await client().login(a.email, a.password, { expect: null })).status, 200, 'old address still works before verification');
  assert.equal((await a.client.me()).json.user.email, a.email);

  const v = await client().post(`${API}/auth/verify`, { token });
  assert.equal(v.status, 200, v.text);
  const l = await client().login(newEmail, a.password, { expect: null });
  assert.equal(l.status, 200, l.text);
  assert.equal(l.json.user.email, newEmail);
  assertError(await client().post(`${API}/auth/login`, { email: a.email, password: a.password }), 401, 'auth.invalid_credentials');
  assertError(await client().post(`${API}/auth/verify`, { token }), 410, 'auth.token_invalid');
});

test('registering an existing address: 202, owner is told by mail, account untouched', async () => {
  const a = await registerVerified('seeker');
  const before = await counts();
  const since = Date.now() - 5;
  const again = seekerBody({ email: a.email, password: 'intruder-pass-77', name: '別人 太郎', name_kana: 'ベツジン タロウ' });
  const r = await client().post(`${API}/auth/register`, again);
  assert.equal(r.status, 202, r.text);
  assert.deepEqual(r.json, { status: 'verification_sent' }, 'same answer as for a new address');
  const mail = await waitMail({ to: a.email, since });
  assert.ok(mail.subject || mail.text, 'owner got a mail');
  const after = await counts();
  if ('users' in before) assert.equal(after.users, before.users, 'no new user row');
  assertError(await client().post(`${API}/auth/login`, { email: a.email, password: 'intruder-pass-77' }), 401, 'auth.invalid_credentials');
  const l = await client().login(a.email, a.password, { expect: null });
  assert.equal(l.status, 200);
  assert.equal(l.json.user.name, a.body.name, 'name unchanged');
  // A demo account gets the same treatment.
  const d = await client().post(`${API}/auth/register`, seekerBody({ email: DEMO.nurse13 }));
  assert.equal(d.status, 202, d.text);
  assert.equal((await client().login(DEMO.nurse13, DEMO_PASSWORD, { expect: null })).status, 200);
});

test('account throttling: 5 wrong passwords, then 429 even with the right one (from any IP)', async () => {
  const a = await registerVerified('seeker');
  for (let i = 0; i < 5; i++) {
    const r = await client().post(`${API}/auth/login`, { email: a.email, password: `wrong-password-${i}` });
    assertError(r, 401, 'auth.invalid_credentials');
  }
  const r = await client().post(`${API}/auth/login`, { email: a.email, password: a.password });
  assertError(r, 429, 'auth.throttled');
  const ra = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(ra) && ra > 0 && ra <= 900, `Retry-After in seconds (1..900): ${r.headers.get('retry-after')}`);
  assertError(await client().post(`${API}/auth/login`, { email: a.email, password: a.password }), 429, 'auth.throttled');
  // The existing session is not affected; another account is not affected.
  assert.equal((await a.client.me()).status, 200);
  const b = await registerVerified('seeker');
  assert.equal(b.user.role, 'seeker');
});

test('login for an unknown address costs about as much as a wrong password (no enumeration by timing)', async () => {
  const a = await registerVerified('seeker');
  const time = async (email) => {
    const t = process.hrtime.bigint();
    const r = await client().post(`${API}/auth/login`, { email, password: 'wrong-password-1' });
    assert.equal(r.status, 401);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const known = [], unknown = [];
  for (let i = 0; i < 4; i++) { // 4 < the per-account limit
    known.push(await time(a.email));
    unknown.push(await time(uniqueEmail('ghost')));
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const k = median(known), u = median(unknown);
  assert.ok(u >= k * 0.4, `unknown address ${u.toFixed(1)} ms vs known ${k.toFixed(1)} ms: a password hash is computed either way`);
});

test('IP throttling: 30 failed logins from one IP (default NCCS_LOGIN_IP_MAX), then 429', async () => {
  const victim = await registerVerified('seeker');
  const ip = client().ip; // a fresh simulated IP
  for (let i = 0; i < 30; i++) {
    const r = await client({ ip }).post(`${API}/auth/login`, { email: uniqueEmail('ghost'), password: 'wrong-password-1' });
    assertError(r, 401, 'auth.invalid_credentials');
  }
  const r = await client({ ip }).post(`${API}/auth/login`, { email: victim.email, password: victim.password });
  assertError(r, 429, ['auth.throttled', 'request.rate_limited']);
  assert.ok(Number(r.headers.get('retry-after')) > 0, `Retry-After: ${r.headers.get('retry-after')}`);
  // Another IP is fine; the account itself is not locked by someone else's IP.
  assert.equal((await client().login(victim.email, victim.password, { expect: null })).status, 200);
});
