// The command-line contract: `nccs user add` (staff accounts with a one-time password-set link),
// `nccs migrate` (idempotent), `nccs backup` (online copy; PostgreSQL refused with guidance),
// `nccs seed` (deterministic for a given --seed) and configuration from a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runNccs } from '../support/stack.mjs';
import { API, BACKEND, BIN, DB_URL, client, uniqueEmail, assertError } from './_lib.mjs';

const nccs = (args, opts = {}) => runNccs(BIN, args, { allowFail: true, ...opts });
const counts = async (db) => JSON.parse((await nccs(['db-counts', '--db', db])).stdout);
const stable = (c) => { const { jobs, login_attempts, sessions, audit_log, tokens, ...rest } = c; return rest; };

test('user add: counselor with a prefecture gets a one-time link that sets the password', async () => {
  const email = uniqueEmail('staff');
  const r = await nccs(['user', 'add', '--db', DB_URL, '--role', 'counselor', '--email', email,
    '--prefecture', '27', '--name', '難波 相談員']);
  assert.equal(r.code, 0, r.stderr);
  const token = /password-reset\?token=([A-Za-z0-9_-]+)/.exec(r.stdout)?.[1];
  assert.ok(token, `link printed: ${r.stdout}`);

  const c = client();
  // No password yet: login fails like any wrong password.
  assertError(await c.req('POST', `${API}/auth/login`, { json: { email, password: 'whatever-123' } }), 401, 'auth.invalid_credentials');
  const set = await c.req('POST', `${API}/auth/password-reset/complete`, { json: { token, password: 'counselor-pass-27' } });
  assert.equal(set.status, 204, set.text);
  const again = await c.req('POST', `${API}/auth/password-reset/complete`, { json: { token, password: 'counselor-pass-28' } });
  assertError(again, 410, 'auth.token_invalid');
  const login = await c.req('POST', `${API}/auth/login`, { json: { email, password: 'counselor-pass-27' } });
  assert.equal(login.status, 200, login.text);
  assert.equal(login.json.user.role, 'counselor');
  assert.equal(login.json.user.prefecture, '27');
  assert.equal(login.json.user.channel, 'center');
  assert.equal(login.json.user.name, '難波 相談員');
});

test('user add: bad arguments are refused and write nothing', async () => {
  const before = stable(await counts(DB_URL));
  const cases = [
    [['--email', uniqueEmail('x')], 2],                                            // no role
    [['--role', 'wizard', '--email', uniqueEmail('x')], 2],                          // unknown role
    [['--role', 'counselor', '--email', uniqueEmail('x')], 2],                       // no prefecture
    [['--role', 'counselor', '--email', uniqueEmail('x'), '--prefecture', '99'], 2], // bad prefecture
    [['--role', 'central', '--email', 'not-an-address'], 2],                         // bad e-mail
    [['--role', 'facility_staff', '--email', uniqueEmail('x')], 2],                  // no facility
    [['--role', 'facility_staff', '--email', uniqueEmail('x'), '--facility', 'abc'], 2],
    [['--role', 'central', '--email', 'central@example.jp'], 1],                     // taken
    [['--role', 'central', '--email', "x'; DROP TABLE users; --@example.jp"], 2],
  ];
  for (const [args, code] of cases) {
    const r = await nccs(['user', 'add', '--db', DB_URL, ...args]);
    assert.equal(r.code, code, `${args.join(' ')} → ${r.code}: ${r.stderr}`);
    assert.ok(r.stderr.length > 0, 'an explanation on stderr');
  }
  assert.deepEqual(stable(await counts(DB_URL)), before);
});

test('migrate is idempotent on a live database', async () => {
  const r = await nccs(['migrate', '--db', DB_URL]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\(0 migration\(s\) applied\)/);
});

test('backup: a consistent online copy (SQLite); PostgreSQL is pointed to pg_dump', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'nccs-backup-'));
  try {
    const out = path.join(dir, 'copy.db');
    const r = await nccs(['backup', '--db', DB_URL, '--out', out]);
    if (BACKEND === 'pg') {
      assert.equal(r.code, 2);
      assert.match(r.stderr, /pg_dump/);
      return;
    }
    assert.equal(r.code, 0, r.stderr);
    const live = await counts(DB_URL), copy = await counts(`sqlite:${out}`);
    for (const t of ['users', 'facilities', 'licences', 'prefectures', 'municipalities', 'nurse_centers', 'schema_migrations'])
      assert.equal(copy[t], live[t], t);
    assert.equal((await nccs(['backup', '--db', DB_URL])).code, 2, 'missing --out is a usage error');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('seed: the same --seed gives the same data; a second run does nothing', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'nccs-seed-'));
  try {
    const dump = (file) => execFileSync('sqlite3', [file,
      'SELECT email, role, name, name_kana, COALESCE(prefecture_code, ""), channel FROM users ORDER BY id;' +
      'SELECT user_id, type, number, registered_on FROM licences ORDER BY id;'], { encoding: 'utf8' });
    const files = [];
    for (const name of ['a.db', 'b.db']) {
      const db = `sqlite:${path.join(dir, name)}`;
      assert.equal((await nccs(['migrate', '--db', db])).code, 0);
      const s = await nccs(['seed', '--db', db, '--scale', 'demo', '--seed', '7']);
      assert.equal(s.code, 0, s.stderr);
      files.push(path.join(dir, name));
    }
    const a = dump(files[0]);
    assert.ok(a.split('\n').length > 90, 'demo data has users and licences');
    assert.equal(dump(files[1]), a);
    const again = await nccs(['seed', '--db', `sqlite:${files[0]}`, '--scale', 'demo', '--seed', '7']);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already seeded/);
    assert.equal(dump(files[0]), a);
    const bad = await nccs(['seed', '--db', `sqlite:${files[0]}`, '--scale', 'galactic']);
    assert.equal(bad.code, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('configuration from a file (--config) and its errors', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'nccs-conf-'));
  try {
    const good = path.join(dir, 'good.conf'), bad = path.join(dir, 'bad.conf');
    await writeFile(good, `# nccs configuration\nNCCS_DB=${DB_URL}\nNCCS_THREADS=3\n`);
    await writeFile(bad, 'NCCS_DB=sqlite:x.db\nNCCS_NO_SUCH_KEY=1\n');
    const r = await nccs(['db-counts', '--config', good]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).prefectures, 47);
    const b = await nccs(['db-counts', '--config', bad]);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /NCCS_NO_SUCH_KEY/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
