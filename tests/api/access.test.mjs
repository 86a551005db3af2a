// Access statistics (docs/API.md "Access statistics"): POST /api/v1/views counts page views and
// visits per (JST day, site, page type, device class) in memory and writes them to access_daily
// at shutdown and every NCCS_ACCESS_FLUSH_SECONDS; `nccs import access-log` reads nginx logs
// into the same counters; `nccs access-counts` reads them back.
//
// The live tests run their own servers on the shared database (sessions are in the database,
// so demo logins work there too): one that never flushes by time (NCCS_ACCESS_FLUSH_SECONDS=
// 3600), so that its shutdown flush writes exactly what it counted, and one that flushes every
// second. The shared test server receives no views from this file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, UA_PC, UA_PHONE, UA_ANDROID } from '../support/client.mjs';
import { runNccs, startServer, stopServer, ARTIFACTS_DIR } from '../support/stack.mjs';
import { startSmtp } from '../support/smtp.mjs';
import {
  API, BASE, BIN, DB_URL, DEMO, DEMO_PASSWORD, MAILDIR, nextIp, assertError, fieldErrors, counts, sleep,
} from './_lib.mjs';

const UA_IPAD = 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const UA_BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

const nccs = (args, opts = {}) => runNccs(BIN, args, { allowFail: true, ...opts });

// The JST calendar day of a time, YYYY-MM-DD.
const jstDay = (ms) => new Date(ms + 9 * 3600e3).toISOString().slice(0, 10);

// access_daily rows of [from, to] as {"day|site|page|device": {views, visits}}.
async function rows(from, to) {
  const r = await nccs(['access-counts', '--db', DB_URL, '--from', from, '--to', to]);
  assert.equal(r.code, 0, r.stderr);
  const out = {};
  for (const x of JSON.parse(r.stdout)) out[`${x.day}|${x.site}|${x.page}|${x.device}`] = { views: x.views, visits: x.visits };
  return out;
}

// Today's counters (yesterday..tomorrow, in case the run crosses midnight JST) summed per
// "site|page|device".
async function todayTotals() {
  const now = Date.now();
  const all = await rows(jstDay(now - 86400e3), jstDay(now + 86400e3));
  const out = {};
  for (const [k, v] of Object.entries(all)) {
    const key = k.split('|').slice(1).join('|');
    out[key] ||= { views: 0, visits: 0 };
    out[key].views += v.views;
    out[key].visits += v.visits;
  }
  return out;
}

function delta(before, after) {
  const d = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[k] || { views: 0, visits: 0 }, a = after[k] || { views: 0, visits: 0 };
    if (a.views !== b.views || a.visits !== b.visits) d[k] = { views: a.views - b.views, visits: a.visits - b.visits };
  }
  return d;
}

// Our servers' job workers share the database's job queue with the shared server, so they get an
// SMTP sink that delivers into the same mailbox directory.
let smtp;
async function ownServer(flushSeconds, tag) {
  const logFile = path.join(ARTIFACTS_DIR, `server-access-${tag}-${process.pid}.log`);
  smtp ||= await startSmtp({ maildir: MAILDIR });
  const s = await startServer({ bin: BIN, dbUrl: DB_URL, listen: '127.0.0.1:0', logFile, env: {
    NCCS_TRUST_PROXY: '1', NCCS_ACCESS_FLUSH_SECONDS: String(flushSeconds), NCCS_SMTP_URL: smtp.url,
    NCCS_MAIL_FROM: 'nccs-test@example.jp', NCCS_BASE_URL: BASE,
  } });
  s.logFile = logFile;
  return s;
}

let A; // the server that flushes only at shutdown
let baseline;
const expected = {}; // "site|page|device" -> {views, visits}
const seenVisit = new Set();

// Sends one view and records what it must count. counted=false: answered 204, never counted.
async function view(c, p, site, page, { counted = true } = {}) {
  const r = await c.post(`${API}/views`, { path: p });
  assert.equal(r.status, 204, `${p} (${c.userAgent.slice(0, 30)}): ${r.status} ${r.text}`);
  assert.equal(r.text, '');
  if (!counted) return;
  const device = /iPhone|Mobile/.test(c.userAgent) && !/iPad/.test(c.userAgent) ? 'sp' : 'pc';
  const key = `${site}|${page}|${device}`;
  expected[key] ||= { views: 0, visits: 0 };
  expected[key].views++;
  const client = `${c.ip}|${c.userAgent}|${site}`;
  if (!seenVisit.has(client)) { seenVisit.add(client); expected[key].visits++; }
}

async function signedIn(name, userAgent) {
  const c = new Client(A.baseUrl, { ip: nextIp(), userAgent });
  await c.login(DEMO[name], DEMO_PASSWORD);
  return c;
}

before(async () => {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  baseline = await todayTotals();
  A = await ownServer(3600, 'live');
});

after(async () => {
  if (A && A.child.exitCode === null) await stopServer(A, { logFile: A.logFile });
  if (smtp) await smtp.stop();
});

test('views of anonymous and signed-in users of every role land on their (site, page, device)', async () => {
  const anonPc = new Client(A.baseUrl, { ip: nextIp(), userAgent: UA_PC });
  await view(anonPc, '/', 'job', 'top_public');
  await view(anonPc, '/jobs?prefecture=13', 'job', 'other');
  await view(anonPc, '/notify', 'notify', 'top_public');
  await view(anonPc, '/notify/confirm', 'notify', 'other');
  await view(anonPc, '/home', 'job', 'other'); // no session: no role top
  await view(anonPc, '/offers/13-2025-000001#apply', 'job', 'other');
  const anonPhone = new Client(A.baseUrl, { ip: nextIp(), userAgent: UA_PHONE });
  await view(anonPhone, '/', 'job', 'top_public');
  await view(anonPhone, '/?utm_source=mail', 'job', 'top_public');
  await view(anonPhone, '/notify/', 'notify', 'top_public');
  const tablet = new Client(A.baseUrl, { ip: nextIp(), userAgent: UA_IPAD });
  await view(tablet, '/', 'job', 'top_public'); // tablets count as PC

  const nurse = await signedIn('nurse13', UA_ANDROID);
  await view(nurse, '/home', 'job', 'top_seeker');
  await view(nurse, '/seeker/notifications', 'notify', 'top_seeker');
  await view(nurse, '/seeker/notifications/5', 'notify', 'other');
  await view(nurse, '/seeker/profile', 'job', 'other');
  await view(nurse, '/', 'job', 'top_public');
  await view(await signedIn('nurse27', UA_PC), '/home/', 'job', 'top_seeker');
  const facility = await signedIn('facility13', UA_PC);
  await view(facility, '/home', 'job', 'top_facility');
  await view(facility, '/facility/notifications', 'notify', 'top_facility');
  await view(await signedIn('staff13', UA_PHONE), '/home', 'job', 'top_facility');
  const counselor = await signedIn('counselor13', UA_PC);
  await view(counselor, '/home', 'job', 'top_staff');
  await view(counselor, '/center/notifications', 'notify', 'top_staff');
  await view(await signedIn('admin13', UA_PC), '/home?tab=queue', 'job', 'top_staff');
  await view(await signedIn('central', UA_PC), '/home', 'job', 'top_staff');
  await view(await signedIn('sysadmin', UA_PC), '/home', 'job', 'top_staff');

  // Robots get the same answer and are not counted.
  const bot = new Client(A.baseUrl, { ip: nextIp(), userAgent: UA_BOT });
  await view(bot, '/', 'job', 'top_public', { counted: false });
  await view(bot, '/home', 'job', 'other', { counted: false });

  // A signed-in view without the CSRF header is refused (and not counted).
  const r = await nurse.req('POST', `${API}/views`, { json: { path: '/home' }, csrf: false });
  assertError(r, 403, 'auth.csrf');
});

test('bad input on POST /views: a 4xx JSON error, nothing counted', async () => {
  const c = new Client(A.baseUrl, { ip: nextIp(), userAgent: UA_PC });
  const send = (body, headers = { 'content-type': 'application/json' }) =>
    c.req('POST', `${API}/views`, { body, headers });
  assertError(await send('{"path": "/"'), 400, 'request.malformed_json');
  assertError(await send('{"path": "/", "path": "/home"}'), 400, 'request.malformed_json');
  assertError(await send('["/"]'), 400, 'request.malformed_json');
  assertError(await send(''), 400, 'request.malformed_json');
  assertError(await send(Buffer.from([0x7b, 0x22, 0x70, 0x61, 0x74, 0x68, 0x22, 0x3a, 0x22, 0x2f, 0xff, 0xc3, 0x28, 0x22, 0x7d])), 400, 'request.malformed_json');
  assertError(await send('{"path": "/\\u0000x"}'), 400, 'request.malformed_json');
  assertError(await send('{"path": 1e400}'), 400, 'request.malformed_json');
  assertError(await send('{"path": "/"}', { 'content-type': 'text/plain' }), 415);
  assertError(await send(JSON.stringify({ path: '/' + 'a'.repeat(3000) })), 413, 'request.too_large');
  const cases = [
    [{}, 'path', 'missing'],
    [{ path: '' }, 'path', 'missing'],
    [{ path: 42 }, 'path', 'type'],
    [{ path: 123456789012345678901234567890 }, 'path', 'type'],
    [{ path: null }, 'path', 'missing'],
    [{ path: ['/'] }, 'path', 'type'],
    [{ path: { p: '/' } }, 'path', 'type'],
    [{ path: true }, 'path', 'type'],
    [{ path: '/' + 'a'.repeat(512) }, 'path', 'too_long'],
    [{ path: '/', extra: 1 }, 'extra', 'unknown'],
    [{ path: '/', role: 'sysadmin' }, 'role', 'unknown'],
    [{ path: 'home' }, 'path', 'invalid'],
    [{ path: "' OR 1=1; DROP TABLE access_daily; --" }, 'path', 'invalid'],
    [{ path: '<script>alert(1)</script>' }, 'path', 'invalid'],
    [{ path: 'https://example.jp/' }, 'path', 'invalid'],
    [{ path: '/x\ny' }, 'path', 'invalid'],
  ];
  for (const [body, field, reason] of cases) {
    const r = await c.post(`${API}/views`, body);
    const fe = fieldErrors(r);
    assert.ok((fe[field] || []).some((code) => code === `${field}.${reason}`), `${JSON.stringify(body).slice(0, 60)}: ${JSON.stringify(fe)}`);
  }
  // The longest accepted path: 512 characters (counted; the page type is "other").
  await view(c, '/' + 'a'.repeat(511), 'job', 'other');
  // SQL or HTML after a leading slash is just an unknown page.
  await view(c, "/'; DROP TABLE access_daily; --", 'job', 'other');
  await view(c, '/<script>alert(1)</script>', 'job', 'other');
});

test('at shutdown the server writes exactly what it counted (bad input counted nothing)', async () => {
  assert.ok(Object.keys(expected).length >= 10, 'the views above cover many counters');
  await stopServer(A, { logFile: A.logFile });
  const d = delta(baseline, await todayTotals());
  assert.deepEqual(d, expected);
});

test('the job worker writes the counts every NCCS_ACCESS_FLUSH_SECONDS while serving', async () => {
  const before = await todayTotals();
  const B = await ownServer(1, 'flush');
  try {
    const c = new Client(B.baseUrl, { ip: nextIp(), userAgent: UA_PHONE });
    const r = await c.post(`${API}/views`, { path: '/notify' });
    assert.equal(r.status, 204, r.text);
    const want = { 'notify|top_public|sp': { views: 1, visits: 1 } };
    let got;
    for (let i = 0; i < 60; i++) { // the flush runs within about a second; wait up to 30 s
      got = delta(before, await todayTotals());
      if (Object.keys(got).length) break;
      await sleep(500);
    }
    assert.deepEqual(got, want, 'written while the server runs');
  } finally {
    await stopServer(B, { logFile: B.logFile });
  }
  // Nothing left for the shutdown flush: the counts are not written twice.
  assert.deepEqual(delta(before, await todayTotals()), { 'notify|top_public|sp': { views: 1, visits: 1 } });
});

// ---- nccs import access-log ----------------------------------------------------------------

const PC = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const line = (ip, time, req, status, ua, bytes = 512) => `${ip} - - [${time}] "${req}" ${status} ${bytes} "-" "${ua}"`;

// Hand-computed: client A (PC), B (phone), C (PC); one visit per client and site unless a gap
// exceeds 30 minutes; a visit counts on the (day, site, page, device) of its first request.
const LOG1 = [
  /* 1 */ line('192.0.2.11', '31/May/2024:14:50:00 +0000', 'GET /home HTTP/2.0', 200, UA_PHONE), // 23:50 JST 5/31, visit
  /* 2 */ line('192.0.2.11', '01/Jun/2024:00:10:00 +0900', 'GET /home/ HTTP/2.0', 200, UA_PHONE), // same visit, next day
  /* 3 */ line('192.0.2.11', '31/May/2024:15:30:00 +0000', 'GET / HTTP/2.0', 200, UA_PHONE), // 00:30 JST 6/1
  /* 4 */ 'garbage that is not a log line',
  /* 5 */ line('192.0.2.10', '01/Jun/2024:09:00:00 +0900', 'GET / HTTP/1.1', 200, PC), // A visit
  /* 6 */ line('192.0.2.10', '01/Jun/2024:09:10:00 +0900', 'GET /jobs?prefecture=13 HTTP/1.1', 200, PC),
  /* 7 */ line('192.0.2.10', '01/Jun/2024:09:10:01 +0900', 'GET /assets/index-8f3a.js HTTP/1.1', 200, PC),
  /* 8 */ line('192.0.2.10', '01/Jun/2024:09:10:02 +0900', 'GET /api/v1/offers?q=x HTTP/1.1', 200, PC),
  /* 9 */ line('66.249.66.1', '01/Jun/2024:09:20:00 +0900', 'GET / HTTP/1.1', 200, UA_BOT),
  /* 10 */ line('192.0.2.99', '01/Jun/2024:09:20:00 +0900', 'GET / HTTP/1.1', 200, '-'),
  /* 11 */ line('192.0.2.10', '01/Jun/2024:09:40:00 +0900', 'GET /notify HTTP/1.1', 200, PC), // A notify visit
  /* 12 */ line('192.0.2.10', '01/Jun/2024:09:40:00 +0900', 'GET /jobs HTTP/1.1', 200, PC), // gap 30:00: same visit
  /* 13 */ line('192.0.2.10', '32/Jun/2024:09:41:00 +0900', 'GET /jobs HTTP/1.1', 200, PC), // malformed date
  /* 14 */ line('192.0.2.12', '01/Jun/2024:09:45:00 +0900', 'HEAD / HTTP/1.1', 200, PC), // C visit
  /* 15 */ line('192.0.2.12', '01/Jun/2024:09:45:01 +0900', 'POST /api/v1/auth/login HTTP/1.1', 200, PC),
  /* 16 */ line('192.0.2.12', '01/Jun/2024:09:45:02 +0900', 'GET /nothing HTTP/1.1', 404, PC),
  /* 17 */ line('192.0.2.12', '01/Jun/2024:09:46:00 +0900', 'GET /jobs HTTP/1.1', 304, PC),
  /* 18 */ line('192.0.2.10', '01/Jun/2024:10:10:01 +0900', 'GET /jobs HTTP/1.1', 200, PC), // gap 30:01: new visit
  /* 19 */ line('192.0.2.10', '01/Jun/2024:10:10:02 +0900', 'GET /favicon.ico HTTP/1.1', 200, PC),
  /* 20 */ '192.0.2.10 - - [01/Jun/2024:10:11:00 +0900] "GET / HTTP/1.1" 200',
].join('\n') + '\n';
const LOG1_EXPECT = {
  '2024-05-31|job|other|sp': { views: 1, visits: 1 },
  '2024-06-01|job|other|sp': { views: 1, visits: 0 },
  '2024-06-01|job|top_public|sp': { views: 1, visits: 0 },
  '2024-06-01|job|top_public|pc': { views: 2, visits: 2 },
  '2024-06-01|job|other|pc': { views: 4, visits: 1 },
  '2024-06-01|notify|top_public|pc': { views: 1, visits: 1 },
};

// An older system's URLs, with a map (client D, PC).
const MAP = [
  '# URLs of the previous system',
  '=/old/top.do\tjob\ttop_staff',
  '/old/notify/\tnotify\tother',
  '=/home\tjob\ttop_seeker',
  '',
].join('\n');
const LOG2 = [
  line('192.0.2.20', '02/Jun/2024:10:00:00 +0900', 'GET /old/top.do HTTP/1.1', 200, PC),
  line('192.0.2.20', '02/Jun/2024:10:01:00 +0900', 'GET /old/notify/form.do?id=1 HTTP/1.1', 200, PC),
  line('192.0.2.20', '02/Jun/2024:10:02:00 +0900', 'GET /home HTTP/1.1', 200, PC),
  line('192.0.2.20', '02/Jun/2024:10:03:00 +0900', 'GET /old/search.do HTTP/1.1', 200, PC),
  line('192.0.2.20', '02/Jun/2024:10:04:00 +0900', 'GET /old/style.css HTTP/1.1', 200, PC),
].join('\r\n'); // CRLF line ends and no final newline
const LOG2_EXPECT = {
  '2024-06-02|job|top_staff|pc': { views: 1, visits: 1 },
  '2024-06-02|notify|other|pc': { views: 1, visits: 1 },
  '2024-06-02|job|top_seeker|pc': { views: 1, visits: 0 },
  '2024-06-02|job|other|pc': { views: 1, visits: 0 },
};

// A separate notification-site host (--site-default notify; client E, phone).
const LOG3 = [
  line('192.0.2.30', '03/Jun/2024:08:00:00 +0900', 'GET / HTTP/1.1', 200, UA_PHONE),
  line('192.0.2.30', '03/Jun/2024:08:01:00 +0900', 'GET /form HTTP/1.1', 200, UA_PHONE),
].join('\n') + '\n';
const LOG3_EXPECT = {
  '2024-06-03|notify|top_public|sp': { views: 1, visits: 1 },
  '2024-06-03|notify|other|sp': { views: 1, visits: 0 },
};

let dir;
before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'nccs-access-')); });
after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

const summary = (out, key) => {
  const m = new RegExp(`^${key}: (\\d+)`, 'm').exec(out);
  assert.ok(m, `summary has "${key}": ${out}`);
  return Number(m[1]);
};

test('import access-log: hand-computed views and visits, malformed lines reported', async () => {
  const f1 = path.join(dir, 'access-1.log');
  await writeFile(f1, LOG1);
  const before = await rows('2024-05-01', '2024-06-30');
  const c0 = await counts();
  const r = await nccs(['import', 'access-log', '--db', DB_URL, f1]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(summary(r.stdout, 'lines read'), 20);
  assert.equal(summary(r.stdout, 'page views'), 10);
  assert.equal(summary(r.stdout, 'visits'), 5);
  assert.equal(summary(r.stdout, 'not counted'), 7);
  assert.equal(summary(r.stdout, 'malformed lines'), 3);
  assert.match(r.stdout, /malformed lines: 3 \(access-1\.log:4, access-1\.log:13, access-1\.log:20\)/);
  assert.match(r.stdout, /days: 2 \(2024-05-31 to 2024-06-01, JST\)/);
  assert.deepEqual(delta(before, await rows('2024-05-01', '2024-06-30')), LOG1_EXPECT);
  assert.equal((await counts()).import_runs, c0.import_runs + 1);
});

test('import access-log: the same file (by content) is refused, nothing written', async () => {
  const f1 = path.join(dir, 'access-1.log');
  const copy = path.join(dir, 'renamed.log');
  await writeFile(copy, LOG1);
  const before = await rows('2024-05-01', '2024-06-30');
  const c0 = await counts();
  for (const f of [f1, copy]) {
    const r = await nccs(['import', 'access-log', '--db', DB_URL, f]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /already imported \(SHA-256 [0-9a-f]{64}\); nothing imported/);
  }
  // A new file together with an imported one: the whole command is refused.
  const f4 = path.join(dir, 'access-4.log');
  await writeFile(f4, line('192.0.2.40', '05/Jun/2024:10:00:00 +0900', 'GET / HTTP/1.1', 200, PC) + '\n');
  let r = await nccs(['import', 'access-log', '--db', DB_URL, f4, f1]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /access-1\.log was already imported/);
  // The same content twice in one command.
  r = await nccs(['import', 'access-log', '--db', DB_URL, f4, f4]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /same content/);
  assert.deepEqual(delta(before, await rows('2024-05-01', '2024-06-30')), {});
  assert.equal((await counts()).import_runs, c0.import_runs);
});

test('import access-log --map: an older system\'s URLs; --site-default notify', async () => {
  const f2 = path.join(dir, 'old-system.log');
  const map = path.join(dir, 'old.map');
  await writeFile(f2, LOG2);
  await writeFile(map, MAP);
  const before = await rows('2024-06-02', '2024-06-03');
  let r = await nccs(['import', 'access-log', '--db', DB_URL, '--map', map, f2]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(summary(r.stdout, 'lines read'), 5);
  assert.equal(summary(r.stdout, 'page views'), 4);
  assert.equal(summary(r.stdout, 'visits'), 2);
  assert.equal(summary(r.stdout, 'malformed lines'), 0);
  const f3 = path.join(dir, 'notify-host.log');
  await writeFile(f3, LOG3);
  r = await nccs(['import', 'access-log', '--db', DB_URL, '--site-default', 'notify', f3]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(delta(before, await rows('2024-06-02', '2024-06-03')), { ...LOG2_EXPECT, ...LOG3_EXPECT });
});

test('import access-log: bad arguments, bad maps and unreadable files write nothing', async () => {
  const good = path.join(dir, 'access-5.log');
  await writeFile(good, line('192.0.2.50', '06/Jun/2024:10:00:00 +0900', 'GET / HTTP/1.1', 200, PC) + '\n');
  const badMap = path.join(dir, 'bad.map');
  await writeFile(badMap, '/ok\tjob\tother\n/x\tjobsite\tother\n');
  const before = await rows('2024-06-01', '2024-06-30');
  const c0 = await counts();
  const cases = [
    [[], 2, /usage/],
    [['--site-default', 'mail', good], 2, /usage/],
    [['--bogus', good], 2, /unknown option/],
    [['--map', badMap, good], 2, /bad\.map:2: SITE must be/],
    [['--map', path.join(dir, 'missing.map'), good], 2, /cannot open the map/],
    [[good, path.join(dir, 'missing.log')], 1, /cannot open .*missing\.log/],
    [[good, dir], 1, /cannot read/], // a directory: the read fails
  ];
  for (const [args, code, re] of cases) {
    const r = await nccs(['import', 'access-log', '--db', DB_URL, ...args]);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  assert.deepEqual(delta(before, await rows('2024-06-01', '2024-06-30')), {});
  assert.equal((await counts()).import_runs, c0.import_runs);
  const r = await nccs(['access-counts', '--db', DB_URL, '--day', '2024-13-01']);
  assert.equal(r.code, 2);
});
