// Access statistics from the web app (docs/API.md "Access statistics"): every route view is
// reported to POST /api/v1/views on the same origin (no third-party tracker), once per path,
// after the session is known, with the CSRF header when signed in; the server answers 204.
// What the server counts is tested in tests/api/access.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, waitTitle, loginUi, baseUrl } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Records the page's view reports and any request to another origin.
function record(page) {
  const rec = { views: [], foreign: [] };
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.origin !== baseUrl()) rec.foreign.push(req.url());
    else if (u.pathname === '/api/v1/views') {
      rec.views.push({ method: req.method(), body: JSON.parse(req.postData() || 'null'), csrf: req.headers()['x-csrf-token'] || null, req });
    }
  });
  return rec;
}

async function waitViews(rec, n, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  while (rec.views.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.ok(rec.views.length >= n, `${n} view reports, got ${JSON.stringify(rec.views.map((v) => v.body))}`);
  for (const v of rec.views) {
    const res = await v.req.response();
    assert.equal(res?.status(), 204, `POST /views ${JSON.stringify(v.body)} answered 204`);
  }
}

test('anonymous: one report per route view, same origin only, no CSRF header', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    const rec = record(page);
    await page.goto('/?utm_source=mail');
    await waitTitle(page, 'ナースセンター');
    await waitViews(rec, 1);
    await page.getByRole('link', { name: /ナースセンター一覧/ }).first().click();
    await waitTitle(page, 'ナースセンター一覧');
    await waitViews(rec, 2);
    await page.waitForTimeout(300); // nothing more comes
    assert.deepEqual(rec.views.map((v) => [v.method, v.body, v.csrf]),
      [['POST', { path: '/' }, null], ['POST', { path: '/centers' }, null]]);
    assert.deepEqual(rec.foreign, [], 'no request leaves the origin');
    assert.deepEqual(page.problems, []);
  } finally { await ctx.close(); }
});

test('signed in: the report after login carries the CSRF header and is accepted', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    const rec = record(page);
    await page.goto('/login');
    await waitViews(rec, 1);
    await loginUi(page, 'nurse13@example.jp');
    await waitViews(rec, 2);
    const home = rec.views.find((v) => v.body?.path === '/home');
    assert.ok(home, `a report of /home: ${JSON.stringify(rec.views.map((v) => v.body))}`);
    assert.ok(home.csrf && home.csrf.length >= 20, 'X-CSRF-Token sent');
    assert.equal(rec.views[0].body.path, '/login');
    assert.deepEqual(rec.foreign, []);
    assert.deepEqual(page.problems, []);
  } finally { await ctx.close(); }
});
