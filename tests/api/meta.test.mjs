// Health, version, security headers and the generic HTTP error contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rawHttp } from '../support/client.mjs';
import { BASE, API, JP_RE, client, demo, assertError } from './_lib.mjs';

const SAFE_REFERRER = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];

function header(r, name) {
  return r.headers.get ? r.headers.get(name) : r.headers[name.toLowerCase()];
}

function assertSecurityHeaders(r, what) {
  const csp = header(r, 'content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy present`);
  assert.match(csp, /frame-ancestors\s+('none'|'self')/, `${what}: CSP has frame-ancestors: ${csp}`);
  assert.equal(header(r, 'x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  const rp = header(r, 'referrer-policy');
  assert.ok(rp && rp.split(',').map((s) => s.trim()).every((v) => SAFE_REFERRER.includes(v)),
    `${what}: Referrer-Policy is a safe value: ${rp}`);
}

test('GET /healthz answers ok with the DB state', async () => {
  const r = await client().get('/healthz');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { status: 'ok', db: 'ok' });
  assert.match(header(r, 'content-type'), /^application\/json/);
  assertSecurityHeaders(r, '/healthz');
});

test('GET /api/v1/version', async () => {
  const r = await client().get(`${API}/version`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { name: 'nccs', version: '0.1.0', api: 'v1' });
  assertSecurityHeaders(r, 'version');
});

test('security headers on every kind of response', async () => {
  const c = client();
  const counselor = await demo('counselor13');
  const cases = [
    ['200 public', await c.get(`${API}/ref`)],
    ['200 signed in', await counselor.get(`${API}/me`)],
    ['401', await c.get(`${API}/me`)],
    ['403', await (await demo('nurse13')).get(`${API}/people`)],
    ['404 route', await c.get(`${API}/no-such-thing`)],
    ['404 outside api', await c.get('/no-such-file-here.txt')],
    ['405', await c.req('DELETE', `${API}/version`)],
    ['400', await c.req('POST', `${API}/auth/login`, { body: '{', headers: { 'content-type': 'application/json' } })],
    ['415', await c.req('POST', `${API}/auth/login`, { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
    ['422', await c.post(`${API}/auth/register`, {})],
  ];
  for (const [what, r] of cases) assertSecurityHeaders(r, what);
  const s = client();
  await s.login('nurse27@example.jp');
  const out = await s.logout();
  assert.equal(out.status, 204, out.text);
  assertSecurityHeaders(out, '204 logout');
  const tooLong = await rawHttp(BASE, `GET ${API}/version?p=${'a'.repeat(3000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  assertSecurityHeaders(tooLong, '414');
});

test('unknown route: 404 request.not_found as JSON', async () => {
  const c = client();
  for (const p of [`${API}/nope`, `${API}/people/1/nope`, `${API}`, '/api/v2/version']) {
    const r = await c.get(p);
    assertError(r, 404, 'request.not_found');
  }
  const r = await c.req('POST', `${API}/nope`, { json: {} });
  assertError(r, 404, 'request.not_found');
});

test('wrong method: 405 with Allow', async () => {
  const c = client();
  for (const [m, p, allow] of [
    ['DELETE', `${API}/version`, 'GET'],
    ['POST', `${API}/ref`, 'GET'],
    ['PUT', `${API}/auth/login`, 'POST'],
    ['GET', `${API}/auth/login`, 'POST'],
    ['POST', '/healthz', 'GET'],
  ]) {
    const r = await c.req(m, p, m === 'GET' ? {} : { json: {} });
    assertError(r, 405, 'request.method_not_allowed');
    const a = header(r, 'allow');
    assert.ok(a, `${m} ${p}: Allow header`);
    assert.ok(a.split(',').map((s) => s.trim()).includes(allow), `${m} ${p}: Allow ${a} includes ${allow}`);
    assert.ok(!a.split(',').map((s) => s.trim()).includes(m), `${m} ${p}: Allow ${a} must not include ${m}`);
  }
});

test('URL over 2048 bytes: 414; a long but allowed URL works', async () => {
  const c = client();
  const ok = await c.get(`${API}/version?pad=${'a'.repeat(1900)}`);
  assert.equal(ok.status, 200, `1.9 kB URL: ${ok.status}`);
  const problems = [];
  for (const u of [`${API}/version?pad=${'a'.repeat(3000)}`, `${API}/${'x'.repeat(3000)}`, `${API}/ref/municipalities?prefecture=13&pad=${'%E3%81%82'.repeat(1000)}`]) {
    const r = await c.get(u);
    try { assertError(r, 414, 'request.uri_too_long'); } catch { problems.push(`${u.slice(0, 40)}… (${u.length} bytes): ${r.status} ${r.text.slice(0, 100)}`); }
  }
  assert.deepEqual(problems, []);
  assert.equal((await c.get('/healthz')).status, 200, 'server still serves');
});

test('body over 1 MiB: 413 request.too_large (declared length, real body, chunked)', async () => {
  const big = Buffer.alloc(1024 * 1024 + 100, 0x61);
  const json = Buffer.concat([Buffer.from('{"email":"'), big, Buffer.from('","password":"x"}')]);
  const head = (extra) => `POST ${API}/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Forwarded-For: 10.255.0.1\r\nConnection: close\r\n${extra}\r\n`;

  // Declared length only: the server must not wait for the body.
  const declared = await rawHttp(BASE, head(`Content-Length: ${50 * 1024 * 1024}\r\n`), { timeoutMs: 5000 });
  assert.ok(!declared.timedOut, 'answers a 50 MB Content-Length without reading the body');
  assertError(declared, 413, 'request.too_large');

  const full = await rawHttp(BASE, Buffer.concat([Buffer.from(head(`Content-Length: ${json.length}\r\n`)), json]));
  assertError(full, 413, 'request.too_large');

  const chunk = (b) => Buffer.concat([Buffer.from(b.length.toString(16) + '\r\n'), b, Buffer.from('\r\n')]);
  const chunked = await rawHttp(BASE, Buffer.concat([Buffer.from(head('Transfer-Encoding: chunked\r\n')),
    chunk(json.subarray(0, 600000)), chunk(json.subarray(600000)), Buffer.from('0\r\n\r\n')]));
  assertError(chunked, 413, 'request.too_large');

  assert.equal((await client().get('/healthz')).status, 200, 'server still serves');
});

test('wrong content type: 415', async () => {
  const c = client();
  const body = JSON.stringify({ email: 'nobody@example.jp', password: 'whatever-123' });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
    const r = await c.req('POST', `${API}/auth/login`, { body, headers: { 'content-type': ct } });
    assertError(r, 415, 'request.unsupported_media_type');
  }
  // application/json with a charset parameter is fine.
  const ok = await c.req('POST', `${API}/auth/login`, { body, headers: { 'content-type': 'application/json; charset=utf-8' } });
  assertError(ok, 401, 'auth.invalid_credentials');
});

test('malformed bodies: 400 request.malformed_json', async () => {
  const c = client();
  const bodies = {
    'truncated': '{"email":"a@example.jp",',
    'not json': 'hello',
    'empty': '',
    'trailing garbage': '{"email":"a@example.jp","password":"x"} x',
    'duplicate keys': '{"email":"a@example.jp","email":"b@example.jp","password":"whatever-123"}',
    'nested duplicate keys': '{"kind":"seeker","licences":[{"type":"kangoshi","type":"hokenshi","number":"1","registered_on":"2015-04-01"}]}',
    'top-level array': '[{"email":"a@example.jp","password":"x"}]',
    'top-level string': '"a@example.jp"',
    'top-level number': '42',
    'top-level null': 'null',
    'invalid UTF-8': Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('@example.jp","password":"whatever-123"}')]),
    'overlong UTF-8': Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('@example.jp","password":"whatever-123"}')]),
    'UTF-16 surrogate bytes': Buffer.concat([Buffer.from('{"email":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('@example.jp","password":"whatever-123"}')]),
    'single quotes': "{'email':'a@example.jp'}",
    'comment': '{"email":"a@example.jp" /* c */, "password":"x"}',
  };
  const problems = [];
  for (const path of [`${API}/auth/login`, `${API}/auth/register`]) {
    for (const [what, body] of Object.entries(bodies)) {
      const r = await c.req('POST', path, { body, headers: { 'content-type': 'application/json' } });
      try {
        assertError(r, 400, 'request.malformed_json');
      } catch (e) {
        problems.push(`${path} ${what}: ${r.status} ${r.text.slice(0, 160)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('error bodies have the documented shape and a Japanese message', async () => {
  const c = client();
  const answers = [
    await c.get(`${API}/me`),
    await c.get(`${API}/nope`),
    await c.post(`${API}/auth/login`, { email: 'nobody@example.jp', password: 'wrong-password-1' }),
    await c.post(`${API}/auth/register`, { kind: 'seeker' }),
  ];
  for (const r of answers) {
    const e = r.json && r.json.error;
    assert.ok(e, `error body: ${r.text}`);
    assert.deepEqual(Object.keys(e).filter((k) => k !== 'fields').sort(), ['code', 'field', 'message']);
    assert.match(e.code, /^[a-z_]+(\.[a-z_0-9]+)+$/, `code is dotted lower-case: ${e.code}`);
    assert.match(e.message, JP_RE);
    assert.doesNotMatch(e.message, /sqlite|postgres|SELECT|INSERT|\.c:\d+|errno|NULL/i, 'no internals in the message');
  }
  assertError(answers[0], 401, 'auth.required');
  assertError(answers[2], 401, 'auth.invalid_credentials');
  assertError(answers[3], 422, 'validation.failed');
});

test('bad query and path parameters: 400 request.bad_parameter', async () => {
  const c = client();
  const problems = [];
  for (const q of ['prefecture=abc', 'prefecture=99', 'prefecture=', 'prefecture=%FF', '']) {
    const r = await c.get(`${API}/ref/municipalities?${q}`);
    try { assertError(r, 400, 'request.bad_parameter'); } catch { problems.push(`municipalities?${q}: ${r.status} ${r.text.slice(0, 160)}`); }
  }
  const central = await demo('central');
  const bad = [`${API}/people?page=abc`, `${API}/people?per_page=x`, `${API}/people?page=1.5`];
  const list = await central.get(`${API}/people?per_page=1`);
  assert.equal(list.status, 200, list.text);
  const id = list.json.items[0] && list.json.items[0].id;
  if (typeof id === 'number' || /^\d+$/.test(String(id))) {
    // Numeric ids: a non-numeric or overflowing id is a malformed path parameter.
    bad.push(`${API}/people/abc`, `${API}/people/1e3`, `${API}/people/99999999999999999999999`);
  }
  for (const p of bad) {
    const r = await central.get(p);
    try { assertError(r, 400, 'request.bad_parameter'); } catch { problems.push(`${p}: ${r.status} ${r.text.slice(0, 160)}`); }
  }
  assert.deepEqual(problems, []);
});

test('hostile requests get a 4xx and the server keeps serving', async () => {
  const c = client();
  const problems = [];
  const json = { 'content-type': 'application/json' };
  const cases = [
    ['array nested 100,000 deep', () => c.req('POST', `${API}/auth/register`, { body: '['.repeat(100000) + ']'.repeat(100000), headers: json }), [400, 413]],
    ['object nested 50,000 deep', () => c.req('POST', `${API}/auth/register`, { body: '{"a":'.repeat(50000) + '1' + '}'.repeat(50000), headers: json }), [400, 413]],
    ['10,000 licences', () => c.post(`${API}/auth/register`, { kind: 'seeker', licences: Array.from({ length: 10000 }, () => ({ type: 'kangoshi', number: '1', registered_on: '2015-04-01' })) }), [413, 422]],
    ['100 kB header', () => rawHttp(BASE, `GET ${API}/version HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(100000)}\r\nConnection: close\r\n\r\n`), [400, 413, 414, 431]],
    ['path traversal', () => rawHttp(BASE, 'GET /../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), [400, 404]],
    ['encoded path traversal', () => rawHttp(BASE, `GET ${API}/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), [400, 404]],
    ['NUL in path', () => rawHttp(BASE, `GET ${API}/version%00.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), [400, 404]],
  ];
  for (const [what, send, ok] of cases) {
    const r = await send();
    if (!ok.includes(r.status)) problems.push(`${what}: ${r.status} ${r.socketError || ''} ${String(r.text).slice(0, 120)}`);
    if (String(r.text).includes('root:')) problems.push(`${what}: leaked a file`);
    const h = await client().get('/healthz');
    if (h.status !== 200) { problems.push(`${what}: server unhealthy afterwards (${h.status})`); break; }
  }
  const garbage = await rawHttp(BASE, 'GARBAGE\r\n\r\n');
  if (garbage.status >= 500) problems.push(`garbage request line: ${garbage.status}`);
  assert.equal((await client().get('/healthz')).status, 200, 'healthy after a garbage request line');
  assert.deepEqual(problems, []);
});
