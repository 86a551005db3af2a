#!/usr/bin/env node
// API test runner.
//
//   node tests/api/run.mjs [--backend sqlite|pg|both] [--bin PATH] [name-filter ...]
//
// For each backend: starts a stack (SMTP sink, PostgreSQL if asked, fresh
// migrated and seeded database, `nccs serve`), runs tests/api/*.test.mjs with
// node's test runner (TAP), stops the stack (the server must exit 0 on
// SIGTERM), and finally prints exactly one line `api: N passed, N failed`.
// Exit status is non-zero when anything failed. Server logs and TAP output
// go to test-artifacts/.
import { spawn } from 'node:child_process';
import { readdir, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack, resolveBin, ARTIFACTS_DIR } from '../support/stack.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// Slow or disruptive files last: the load test leaves a mail backlog and the
// shutdown test runs its own server.
const LAST = ['sessions.test.mjs', 'concurrency.test.mjs', 'shutdown.test.mjs'];

function usage() {
  console.error('usage: node tests/api/run.mjs [--backend sqlite|pg|both] [--bin PATH] [name-filter ...]');
  process.exit(2);
}

const args = process.argv.slice(2);
let backendArg = 'sqlite', bin, filters = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--backend') backendArg = args[++i];
  else if (args[i] === '--bin') bin = args[++i];
  else if (args[i].startsWith('-')) usage();
  else filters.push(args[i]);
}
const backends = backendArg === 'both' ? ['sqlite', 'pg'] : [backendArg];
if (!backends.every((b) => b === 'sqlite' || b === 'pg')) usage();

async function testFiles() {
  let files = (await readdir(HERE)).filter((f) => f.endsWith('.test.mjs')).sort();
  files = [...files.filter((f) => !LAST.includes(f)), ...LAST.filter((f) => files.includes(f))];
  if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
  return files.map((f) => path.join(HERE, f));
}

// Runs one test file in its own `node --test` (so that the order is ours:
// node sorts the files it is given) and returns its TAP summary counts. With
// `echo` the output goes to our stdout as it comes; otherwise the caller
// prints it (backends running side by side print whole files, prefixed).
function runFile(file, env, echo) {
  return new Promise((resolve) => {
    // The timeout only stops a hung file; it is no speed assertion.
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', '--test-timeout=600000', file],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (echo) process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; if (echo) process.stderr.write(d); });
    child.on('close', (code) => {
      const pass = /^# pass (\d+)$/m.exec(out);
      const fail = /^# fail (\d+)$/m.exec(out);
      const cancelled = /^# cancelled (\d+)$/m.exec(out);
      const parsed = !!(pass && fail);
      resolve({
        out, code, parsed,
        pass: pass ? Number(pass[1]) : 0,
        fail: (parsed ? Number(fail[1]) : 1) + (cancelled ? Number(cancelled[1]) : 0),
      });
    });
  });
}

async function runTests(files, env, tapFile, log, echo) {
  const total = { pass: 0, fail: 0, parsed: true };
  let tap = '';
  for (const f of files) {
    log(`# file ${path.basename(f)}`);
    const r = await runFile(f, env, echo);
    if (!echo) log(r.out.trimEnd());
    tap += `# file ${path.basename(f)}\n${r.out}`;
    if (!r.parsed) log(`# ${path.basename(f)}: no TAP summary; counted as a failure`);
    total.pass += r.pass;
    total.fail += r.fail;
  }
  await writeFile(tapFile, tap);
  return total;
}

let passed = 0, failed = 0;
const running = new Set(); // the running stacks, stopped on Ctrl-C
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    console.log(`# ${sig}: stopping the stack`);
    try { await Promise.all([...running].map((s) => s.stop())); } catch { /* exiting anyway */ }
    process.exit(130);
  });
}
await mkdir(ARTIFACTS_DIR, { recursive: true });
const files = await testFiles();
if (!files.length) { console.error('no test files match'); process.exit(2); }
bin = resolveBin(bin);

// The backends have separate stacks (server, database, mail directory), so they run side by
// side; NCCS_TEST_SERIAL=1 runs them one after the other. Side by side, each file's TAP is
// printed whole when it ends, every line suffixed with the backend (so that filters on the
// start of TAP lines keep working).
const parallel = backends.length > 1 && !process.env.NCCS_TEST_SERIAL;

async function runBackend(backend) {
  const t0 = Date.now();
  const log = parallel
    ? (text) => console.log(text.split('\n').map((l) => (l.trim() ? `${l} [${backend}]` : l)).join('\n'))
    : (text) => console.log(text);
  let ok = 0, bad = 0;
  log(`# backend ${backend}: ${path.relative(process.cwd(), bin)}`);
  let stack;
  try {
    stack = await startStack({ backend, bin, logFile: path.join(ARTIFACTS_DIR, `api-${backend}-server.log`) });
  } catch (e) {
    log(`not ok - start stack (${backend}): ${e.message.split('\n').join(' | ')}`);
    return { pass: 0, fail: 1 };
  }
  running.add(stack);
  log(`# server ${stack.baseUrl} db ${stack.dbUrl} log ${path.relative(process.cwd(), stack.logFile)}`);
  const r = await runTests(files, {
    NCCS_TEST_BASE_URL: stack.baseUrl,
    NCCS_TEST_DB_URL: stack.dbUrl,
    NCCS_TEST_MAILDIR: stack.maildir,
    NCCS_TEST_BACKEND: backend,
    NCCS_BIN: bin,
  }, path.join(ARTIFACTS_DIR, `api-${backend}.tap`), log, !parallel);
  ok += r.pass;
  bad += r.fail;
  running.delete(stack);
  try {
    await stack.stop();
    log(`ok - server (${backend}) exited 0 on SIGTERM`);
    ok++;
  } catch (e) {
    log(`not ok - server (${backend}) shutdown: ${e.message.split('\n')[0]}`);
    bad++;
  }
  log(`# backend ${backend}: ${r.pass} passed, ${r.fail} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { pass: ok, fail: bad };
}

const results = [];
if (parallel) results.push(...await Promise.all(backends.map(runBackend)));
else for (const b of backends) results.push(await runBackend(b));
for (const r of results) { passed += r.pass; failed += r.fail; }

console.log(`api: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
