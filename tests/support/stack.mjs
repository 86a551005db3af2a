// A complete nccs test stack: SMTP sink, optional PostgreSQL, fresh database
// (migrated and seeded with the demo data), and `nccs serve` on a free port.
//
//   const s = await startStack({backend: 'sqlite' | 'pg', bin, env, web, threads});
//   s.baseUrl  http://127.0.0.1:PORT        s.dbUrl   sqlite:/tmp/... or postgresql://...
//   s.maildir  directory of received mails  s.bin     server binary used
//   s.smtp     the SMTP sink (see smtp.mjs)  s.logFile server stdout/stderr log
//   await s.dbCounts()  -> {table: rows}    await s.stop()  (SIGTERM, asserts exit 0)
//
// The binary is `bin`, else env NCCS_BIN, else build-asan/nccs, else build/nccs
// (relative to the repository root). Server output goes to a log file under
// test-artifacts/ (option logFile), never to the console.
//
// CLI for humans:  node tests/support/stack.mjs --backend sqlite [--web web/dist] [--port 8080]

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSmtp } from './smtp.mjs';
import { startPostgres } from './pg.mjs';
import { freePort } from './ports.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

export function resolveBin(bin) {
  const candidates = [bin, process.env.NCCS_BIN,
    path.join(REPO_ROOT, 'build-asan', 'nccs'), path.join(REPO_ROOT, 'build', 'nccs')].filter(Boolean);
  for (const c of candidates) {
    const p = path.resolve(REPO_ROOT, c);
    if (existsSync(p)) return p;
  }
  throw new Error(`nccs binary not found (tried ${candidates.join(', ')}); build it first`);
}

// Runs `bin args...` to completion; resolves {code, signal, stdout, stderr};
// rejects when it does not exit 0 unless allowFail.
export function runNccs(bin, args, { env, allowFail = false, timeoutMs = 120000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const r = { code, signal, stdout, stderr };
      if (code !== 0 && !allowFail) {
        reject(new Error(`${path.basename(bin)} ${args.join(' ')} exited ${code ?? signal}\n${stderr.slice(-4000)}`));
      } else resolve(r);
    });
    if (input !== undefined) child.stdin.end(input); else child.stdin.end();
  });
}

// `nccs db-counts --db URL` -> {table: count}
export async function dbCounts(bin, dbUrl) {
  const r = await runNccs(bin, ['db-counts', '--db', dbUrl]);
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`db-counts printed no JSON: ${r.stdout.slice(0, 500)}`);
  }
}

// `nccs routes` -> [{method, path, roles}]
export async function routeTable(bin) {
  const r = await runNccs(bin, ['routes']);
  return JSON.parse(r.stdout);
}

const LISTEN_RE = /nccs: listening on (http:\/\/127\.0\.0\.1:(\d+))/;

// Starts `nccs serve`; resolves {child, baseUrl, port, exited} once the
// listening line was printed. `exited` is a promise of {code, signal}.
// Under ASan the server's exit-time leak check ignores fontconfig's process-lifetime caches
// (tests/support/lsan.supp); GLib's slice allocator is switched to malloc so leaks of GLib
// objects stay visible to LeakSanitizer. No effect on a build without sanitizers.
const SANITIZER_ENV = {
  LSAN_OPTIONS: `suppressions=${path.join(REPO_ROOT, 'tests', 'support', 'lsan.supp')}${process.env.LSAN_OPTIONS ? ':' + process.env.LSAN_OPTIONS : ''}`,
  G_SLICE: 'always-malloc',
};

export async function startServer({ bin, dbUrl, listen, env = {}, args = [], logFile, timeoutMs = 60000 }) {
  await mkdir(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const argv = ['serve', '--db', dbUrl, '--listen', listen, ...args];
  log.write(`# ${new Date().toISOString()} ${path.basename(bin)} ${argv.join(' ')}\n`);
  const child = spawn(bin, argv, { env: { ...process.env, ...SANITIZER_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      log.write(`# ${new Date().toISOString()} exited code=${code} signal=${signal}\n`);
      log.end(() => resolve({ code, signal }));
    });
  });
  child.stderr.on('data', (d) => log.write(d));
  let outBuf = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server printed no listening line within ${timeoutMs} ms (log: ${logFile})`)), timeoutMs);
    child.stdout.on('data', (d) => {
      log.write(d);
      if (outBuf === null) return;
      outBuf += d;
      const m = LISTEN_RE.exec(outBuf);
      if (m) { clearTimeout(timer); outBuf = null; resolve({ baseUrl: m[1], port: Number(m[2]) }); }
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening; see ${logFile}`));
    });
  });
  const { baseUrl, port } = await ready;
  const server = { child, baseUrl, port, exited, termSent: false };
  // Sends SIGTERM (once); use stopServer() to wait for the exit.
  server.terminate = () => { if (!server.termSent) { server.termSent = true; child.kill('SIGTERM'); } };
  exited.then(({ code, signal }) => { if (!server.termSent) process.stderr.write(`nccs serve exited unexpectedly (code ${code}, signal ${signal}); log ${logFile}\n`); });
  return server;
}

// Sends SIGTERM and waits; throws unless the process exits with code 0.
export async function stopServer(server, { timeoutMs = 30000, logFile } = {}) {
  // Send SIGTERM once (a test may already have sent it; a second one could
  // legitimately mean "stop now").
  if (server.child.exitCode === null && server.child.signalCode === null && !server.termSent) {
    server.termSent = true;
    server.child.kill('SIGTERM');
  }
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    // Exited before we asked: that is a crash or an outside kill.
    const res = await server.exited;
    if (!server.termSent) throw new Error(`server had already exited (code ${res.code}, signal ${res.signal}) before stop()`);
  }
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs); });
  let res = await Promise.race([server.exited, timeout]);
  clearTimeout(timer);
  if (res === null) {
    server.child.kill('SIGKILL');
    await server.exited;
    throw new Error(`server did not exit within ${timeoutMs} ms of SIGTERM (killed)`);
  }
  if (res.code !== 0) {
    let tail = '';
    if (logFile) tail = (await readFile(logFile, 'utf8').catch(() => '')).slice(-3000);
    throw new Error(`server exited with code ${res.code} signal ${res.signal} after SIGTERM (expected 0)\n${tail}`);
  }
  return res;
}

export async function startStack({
  backend = 'sqlite', bin, env = {}, web, threads, port, logFile, seed = 'demo', keep = false,
} = {}) {
  bin = resolveBin(bin);
  const cleanups = [];
  const cleanup = async () => {
    for (const f of cleanups.reverse()) { try { await f(); } catch { /* best effort */ } }
  };
  try {
    const tmp = await mkdtemp(path.join(tmpdir(), 'nccs-stack-'));
    if (!keep) cleanups.push(() => rm(tmp, { recursive: true, force: true }));
    const maildir = path.join(tmp, 'mail');
    const smtp = await startSmtp({ maildir });
    cleanups.push(() => smtp.stop());

    let dbUrl, pg = null;
    if (backend === 'pg' || backend === 'postgresql') {
      pg = await startPostgres();
      cleanups.push(() => pg.stop());
      dbUrl = pg.url;
    } else if (backend === 'sqlite') {
      dbUrl = `sqlite:${path.join(tmp, 'nccs.db')}`;
    } else {
      throw new Error(`unknown backend ${backend}`);
    }

    await runNccs(bin, ['migrate', '--db', dbUrl]);
    if (seed) await runNccs(bin, ['seed', '--db', dbUrl, '--scale', seed]);

    logFile = logFile || path.join(ARTIFACTS_DIR,
      `server-${backend}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
    const args = [];
    if (threads) args.push('--threads', String(threads));
    if (web) args.push('--web', path.resolve(REPO_ROOT, web));

    let server, lastErr;
    for (let attempt = 0; attempt < 3 && !server; attempt++) {
      // Pick the port first so that NCCS_BASE_URL (used in mail links) is right.
      const p = port || await freePort();
      const origin = `http://127.0.0.1:${p}`;
      try {
        server = await startServer({
          bin, dbUrl, listen: `127.0.0.1:${p}`, logFile, args,
          env: {
            NCCS_SMTP_URL: smtp.url,
            NCCS_MAIL_FROM: 'nccs-test@example.jp',
            NCCS_BASE_URL: origin,
            NCCS_TRUST_PROXY: '1',
            ...env,
          },
        });
        if (server.port !== p) throw new Error(`server listens on ${server.port}, asked for ${p}`);
      } catch (e) {
        lastErr = e;
        if (port) break;
      }
    }
    if (!server) throw lastErr;
    cleanups.push(async () => { if (server.child.exitCode === null) server.child.kill('SIGKILL'); });

    let stopped = false;
    return {
      backend,
      baseUrl: server.baseUrl,
      dbUrl,
      maildir,
      bin,
      smtp,
      logFile,
      server,
      pg,
      dbCounts: () => dbCounts(bin, dbUrl),
      // Stops everything; throws if the server does not exit 0 on SIGTERM
      // (cleanup of SMTP, PostgreSQL and temp files happens in any case).
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await stopServer(server, { logFile });
        } finally {
          await cleanup();
        }
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

// CLI: start a stack and print its URLs until Ctrl-C.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const opt = { backend: 'sqlite' };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--backend') opt.backend = a[++i];
    else if (a[i] === '--bin') opt.bin = a[++i];
    else if (a[i] === '--web') opt.web = a[++i];
    else if (a[i] === '--port') opt.port = Number(a[++i]);
    else if (a[i] === '--threads') opt.threads = Number(a[++i]);
    else if (a[i] === '--keep') opt.keep = true;
    else { console.error(`usage: node tests/support/stack.mjs [--backend sqlite|pg] [--bin PATH] [--web DIR] [--port N] [--threads N] [--keep]`); process.exit(2); }
  }
  const s = await startStack(opt);
  console.log(`base URL   ${s.baseUrl}`);
  console.log(`database   ${s.dbUrl}`);
  console.log(`SMTP       ${s.smtp.url}`);
  console.log(`mail dir   ${s.maildir}`);
  console.log(`server log ${s.logFile}`);
  console.log(`demo accounts: *@example.jp, password demo-pass-2026. Ctrl-C to stop.`);
  let seen = 0;
  const tick = setInterval(() => {
    const m = s.smtp.messages();
    for (; seen < m.length; seen++) console.log(`mail to ${m[seen].to.join(', ')}: ${m[seen].subject}`);
  }, 500);
  const shut = async () => {
    clearInterval(tick);
    try { await s.stop(); console.log('stopped'); process.exit(0); } catch (e) { console.error(e.message); process.exit(1); }
  };
  process.once('SIGINT', shut);
  process.once('SIGTERM', shut);
}
