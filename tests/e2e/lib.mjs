// Shared helpers for the browser tests: Chromium via playwright-core (Debian's
// /usr/bin/chromium, never a downloaded browser), axe-core checks, screenshots
// at phone and desktop size.
//
// The tests read the stack from the environment set by tests/e2e/run.mjs:
//   E2E_BASE_URL  server origin (http://127.0.0.1:PORT)
//   E2E_MAILDIR   directory of the loopback SMTP sink's mails

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
export const SCREENS = path.join(ARTIFACTS, 'screens');
export const AXE_PATH = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
export const DEMO_PASSWORD = 'demo-pass-2026';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 768 };

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function baseUrl() {
  const u = process.env.E2E_BASE_URL;
  if (!u) throw new Error('E2E_BASE_URL is not set; run the tests through tests/e2e/run.mjs');
  return u.replace(/\/$/, '');
}
export function maildir() {
  const d = process.env.E2E_MAILDIR;
  if (!d) throw new Error('E2E_MAILDIR is not set; run the tests through tests/e2e/run.mjs');
  return d;
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A new browser context with Japanese locale and JST. `phone` selects a
 * mobile user agent and touch, so the server records the smartphone channel.
 */
export async function newPage(browser, { phone = false } = {}) {
  const ctx = await browser.newContext({
    baseURL: baseUrl(),
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: phone ? PHONE : DESKTOP,
    isMobile: phone,
    hasTouch: phone,
    userAgent: phone
      ? 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36'
      : undefined,
  });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (401|403|404|410|422|429)/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.problems = problems;
  return { ctx, page };
}

/** Waits for the page's <h1> to read `title` (after a client-side route change). */
export async function waitTitle(page, title, timeout = 10000) {
  await page.locator('h1', { hasText: title }).first().waitFor({ timeout });
}

/**
 * Runs axe-core on the page; returns the serious and critical violations as
 * readable strings (empty when the page passes).
 */
export async function axe(page) {
  const has = await page.evaluate(() => typeof window.axe === 'object');
  if (!has) {
    const seen = page.problems ? page.problems.length : 0;
    try {
      if (cspBlocksInline) throw new Error('Content Security Policy (known)');
      await page.addScriptTag({ path: AXE_PATH });
    } catch (e) {
      // The server's Content-Security-Policy forbids inline scripts (as it
      // should); evaluate axe through the DevTools protocol instead, which
      // CSP does not govern, rather than turning CSP off for the tests.
      if (!/Content Security Policy/.test(e.message)) throw e;
      cspBlocksInline = true;
      // Our own blocked injection is not a problem of the app.
      if (page.problems) {
        await page.waitForTimeout(20);
        page.problems.splice(seen);
      }
      axeSource ??= await readFile(AXE_PATH, 'utf8');
      await page.evaluate(axeSource + '\n;0');
    }
  }
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(0, 3).join(' ')}`),
    }));
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`);
}

const axeLog = [];
let axeSource;
let cspBlocksInline = false;
/** Collected axe findings of all screens of this test file (for the report). */
export function axeFindings() { return axeLog; }

/**
 * Checks a screen at phone and desktop size: axe (no serious/critical
 * violations) and a full-page screenshot at each size into
 * test-artifacts/screens/<name>-phone.png and -desktop.png. The viewport is
 * restored afterwards. Throws with the violations when there are any.
 */
export async function checkScreen(page, name) {
  await mkdir(SCREENS, { recursive: true });
  const original = page.viewportSize();
  const failures = [];
  for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50);
    await page.screenshot({ path: path.join(SCREENS, `${name}-${label}.png`), fullPage: true });
    const v = await axe(page);
    if (v.length) failures.push(`[${label}] ${v.join('\n')}`);
  }
  if (original) await page.setViewportSize(original);
  // Uncaught exceptions and CSP violations fail the screen too.
  const bad = (page.problems || []).filter((p) => /^pageerror|Content Security Policy/.test(p));
  if (bad.length) failures.push(`[browser] ${bad.join('\n')}`);
  axeLog.push({ screen: name, violations: failures });
  if (failures.length) throw new Error(`serious/critical accessibility violations or browser errors on ${name}:\n${failures.join('\n')}`);
}

export async function writeJson(file, data) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(data, null, 2) + '\n');
}

/** Logs in through the UI; resolves once the home page (or `next`) is shown. */
export async function loginUi(page, email, password = DEMO_PASSWORD, { expectTitle = 'ホーム' } = {}) {
  if (!page.url().includes('/login')) await page.goto('/login');
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(password);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  if (expectTitle) await waitTitle(page, expectTitle);
}

/** A unique address for this run. */
export function uniqueEmail(prefix) {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.jp`;
}

