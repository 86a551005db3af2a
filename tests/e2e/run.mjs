#!/usr/bin/env node
// Browser tests runner. Builds nothing: it expects web/dist (npm --prefix web
// run build) and the server binary (build/ or build-asan/, or NCCS_BIN).
//
//   node tests/e2e/run.mjs [--backend sqlite|pg] [--web DIR] [FILE.test.mjs ...]
//   node tests/e2e/run.mjs --base-url http://127.0.0.1:8080 --maildir DIR   (an already running stack)
//
// Starts a stack (SMTP sink, fresh seeded database, `nccs serve --web web/dist`),
// measures the top page's budget (JS+CSS compressed bytes, first contentful
// paint) into test-artifacts/budget.json, runs tests/e2e/*.test.mjs with node's
// test runner (TAP), and prints exactly one final line `e2e: N passed, N failed`.
// Exits non-zero when any test failed or the stack did not stop cleanly.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS, REPO_ROOT, launch, writeJson } from './lib.mjs';

const here = path.join(REPO_ROOT, 'tests', 'e2e');
const opt = { backend: 'sqlite', web: 'web/dist', baseUrl: null, maildir: null, files: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--backend') opt.backend = argv[++i];
  else if (a === '--web') opt.web = argv[++i];
  else if (a === '--base-url') opt.baseUrl = argv[++i];
  else if (a === '--maildir') opt.maildir = argv[++i];
  else if (a.endsWith('.mjs')) opt.files.push(path.resolve(a));
  else {
    console.error('usage: node tests/e2e/run.mjs [--backend sqlite|pg] [--web DIR] [--base-url URL --maildir DIR] [FILE ...]');
    process.exit(2);
  }
}

function finish(passed, failed, code) {
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(code);
}

const webDir = path.resolve(REPO_ROOT, opt.web);
if (!opt.baseUrl && !existsSync(path.join(webDir, 'index.html'))) {
  console.error(`e2e: ${webDir}/index.html not found; build the web app first (npm --prefix web install && npm --prefix web run build)`);
  finish(0, 1, 1);
}

// Budget of the public top page, measured in a fresh browser context per run.
async function measureBudget(base) {
  const browser = await launch();
  const runs = [];
  try {
    for (let i = 0; i < 3; i++) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
      const page = await ctx.newPage();
      const encodings = {};
      page.on('response', (r) => {
        const u = new URL(r.url());
        if (/\.(js|css)$/.test(u.pathname)) encodings[u.pathname] = r.headers()['content-encoding'] || 'identity';
      });
      await page.goto(base + '/', { waitUntil: 'load' });
      await page.locator('h1').first().waitFor();
      await page.waitForTimeout(300);
      const m = await page.evaluate(() => {
        const res = performance.getEntriesByType('resource')
          .filter((e) => /\.(js|css)(\?|$)/.test(new URL(e.name).pathname))
          .map((e) => ({ path: new URL(e.name).pathname, encoded: e.encodedBodySize, decoded: e.decodedBodySize, transfer: e.transferSize }));
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          resources: res,
          fcp_ms: fcp ? Math.round(fcp.startTime) : null,
          dom_content_loaded_ms: nav ? Math.round(nav.domContentLoadedEventEnd) : null,
          load_ms: nav ? Math.round(nav.loadEventEnd) : null,
        };
      });
      for (const r of m.resources) r.encoding = encodings[r.path] || 'unknown';
      runs.push(m);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  const first = runs[0];
  const bytes = first.resources.reduce((n, r) => n + r.encoded, 0);
  const transfer = first.resources.reduce((n, r) => n + r.transfer, 0);
  const fcps = runs.map((r) => r.fcp_ms).filter((x) => x !== null).sort((a, b) => a - b);
  // The same files' precompressed sizes on disk, as a cross-check.
  let distBr = 0, distGz = 0;
  for (const r of first.resources) {
    const f = path.join(webDir, r.path);
    distBr += await stat(f + '.br').then((s) => s.size, () => 0);
    distGz += await stat(f + '.gz').then((s) => s.size, () => 0);
  }
  return {
    measured_at: new Date().toISOString(),
    page: '/',
    viewport: '390x844',
    target_bytes: 120 * 1024,
    js_css_bytes_compressed: bytes,
    js_css_bytes_transferred_with_headers: transfer,
    js_css_bytes_uncompressed: first.resources.reduce((n, r) => n + r.decoded, 0),
    dist_brotli_bytes: distBr,
    dist_gzip_bytes: distGz,
    files: first.resources,
    fcp_ms_median: fcps.length ? fcps[Math.floor(fcps.length / 2)] : null,
    fcp_ms_runs: runs.map((r) => r.fcp_ms),
    dom_content_loaded_ms: first.dom_content_loaded_ms,
    load_ms: first.load_ms,
  };
}

function runTests(env) {
  return new Promise(async (resolve) => {
    const files = opt.files.length ? opt.files
      : (await readdir(here)).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
    const child = spawn(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=1', ...files], {
      env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], cwd: REPO_ROOT,
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('close', async (code) => {
      await writeFile(path.join(ARTIFACTS, 'e2e.tap'), out).catch(() => {});
      const num = (k) => Number((new RegExp(`^# ${k} (\\d+)`, 'm').exec(out) || [])[1] || 0);
      resolve({ code, pass: num('pass'), fail: num('fail') + num('cancelled') });
    });
  });
}

let stack = null;
let base = opt.baseUrl, maildir = opt.maildir;
let stopFailed = false;
let result = { pass: 0, fail: 0, code: 1 };
try {
  if (!base) {
    const { startStack } = await import('../support/stack.mjs');
    stack = await startStack({ backend: opt.backend, web: opt.web, env: { NCCS_WEB_DIR: webDir } });
    base = stack.baseUrl;
    maildir = stack.maildir;
  }
  if (!maildir) throw new Error('--maildir is required with --base-url');
  console.log(`# e2e against ${base} (mail in ${maildir})`);

  try {
    const budget = await measureBudget(base);
    await writeJson(path.join(ARTIFACTS, 'budget.json'), budget);
    const enc = [...new Set(budget.files.map((f) => f.encoding))].join(',');
    console.log(`# budget: top page JS+CSS ${budget.js_css_bytes_compressed} bytes compressed (${enc}; ` +
      `${budget.js_css_bytes_uncompressed} uncompressed, ${budget.files.length} files; on disk br ${budget.dist_brotli_bytes}, gz ${budget.dist_gzip_bytes}), ` +
      `target ${budget.target_bytes}; first contentful paint ${budget.fcp_ms_median} ms (median of ${budget.fcp_ms_runs.join('/')})`);
  } catch (e) {
    console.log(`# budget: not measured: ${e.message.split('\n')[0]}`);
  }

  result = await runTests({ E2E_BASE_URL: base, E2E_MAILDIR: maildir });
} catch (e) {
  console.log(`# e2e: ${e.stack || e.message}`.split('\n').join('\n# '));
  result.fail = Math.max(result.fail, 1);
} finally {
  if (stack) {
    try { await stack.stop(); } catch (e) {
      stopFailed = true;
      console.log(`# e2e: stack did not stop cleanly: ${e.message.split('\n')[0]}`);
      if (stack.logFile) {
        const tail = (await readFile(stack.logFile, 'utf8').catch(() => '')).slice(-1500);
        console.log(tail.split('\n').map((l) => '# ' + l).join('\n'));
      }
    }
  }
}
const failed = result.fail + (stopFailed ? 1 : 0) + (result.code !== 0 && result.fail === 0 ? 1 : 0);
finish(result.pass, failed, failed > 0 || result.code !== 0 ? 1 : 0);
