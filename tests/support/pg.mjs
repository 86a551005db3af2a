// Throw-away PostgreSQL 15 server for tests.
//
// startPostgres() -> {url, port, dir, stop()}
//   Runs Debian's PostgreSQL server binaries in a fresh temporary directory,
//   listening on 127.0.0.1 only, at a free port, with trust authentication,
//   and creates one database. When the current process is root (PostgreSQL
//   refuses to run as root), the server runs as the `postgres` OS user.
//   stop() shuts the server down (fast mode) and removes the directory.
//
// Environment: NCCS_PG_BINDIR overrides the binary directory
// (default /usr/lib/postgresql/15/bin, else whatever is on PATH).

import { spawn } from 'node:child_process';
import { mkdtemp, rm, chmod, chown, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports.mjs';

const DEFAULT_BINDIR = '/usr/lib/postgresql/15/bin';

async function exists(p) {
  try { await access(p); return true; } catch { return false; }
}

async function pgBin(name) {
  const dir = process.env.NCCS_PG_BINDIR || DEFAULT_BINDIR;
  const p = path.join(dir, name);
  if (await exists(p)) return p;
  return name; // fall back to PATH
}

// Runs a command (as the postgres user when we are root); resolves with
// {code, stdout, stderr}; rejects when it exits non-zero.
function run(cmd, args, { asPostgres, cwd } = {}) {
  let file = cmd, argv = args;
  if (asPostgres) {
    file = 'runuser';
    argv = ['-u', 'postgres', '--', cmd, ...args];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ code, stdout, stderr });
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stdout}${stderr}`));
    });
  });
}

export async function startPostgres({ database = 'nccs_test', port } = {}) {
  const asPostgres = typeof process.getuid === 'function' && process.getuid() === 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'nccs-pg-'));
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  const log = path.join(dir, 'postgres.log');
  await run('mkdir', ['-p', data, sock]);
  if (asPostgres) {
    // Let the postgres user own the whole temporary tree.
    await run('chown', ['-R', 'postgres:', dir]);
    await chmod(dir, 0o700);
  }
  const initdb = await pgBin('initdb');
  const pgCtl = await pgBin('pg_ctl');
  const createdb = await pgBin('createdb');
  await run(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8',
    '--locale=C', '--no-sync'], { asPostgres, cwd: dir });

  port = port || await freePort();
  // Listen on loopback TCP only; keep the Unix socket inside our directory.
  const opts = [
    `-c listen_addresses=127.0.0.1`,
    `-c port=${port}`,
    `-c unix_socket_directories=${sock}`,
    `-c fsync=off`, `-c synchronous_commit=off`, `-c full_page_writes=off`,
    `-c max_connections=200`,
  ].join(' ');
  await run(pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', '-o', opts, 'start'],
    { asPostgres, cwd: dir });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await run(pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'], { asPostgres, cwd: dir });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  try {
    await run(createdb, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database],
      { asPostgres, cwd: dir });
  } catch (e) {
    await stop().catch(() => {});
    throw e;
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/${database}`,
    port,
    dir,
    stop,
    // Creates another database on the same server and returns its URL.
    async createDatabase(name) {
      await run(createdb, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name],
        { asPostgres, cwd: dir });
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
