// Public screens: top page, directory of the 47 centers, information pages,
// registration choice, login, password reset request, 404; keyboard use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, checkScreen, waitTitle } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('top page explains the service and links to search, events, trainings, directory', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    const res = await page.goto('/');
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await waitTitle(page, 'ナースセンター');
    await page.locator('#f-prefecture option').nth(47).waitFor({ state: 'attached' });
    assert.equal(await page.locator('#f-prefecture option').count(), 48, '47 prefectures + placeholder from /api/v1/ref');
    for (const name of ['イベント', '研修', 'ナースセンター一覧']) {
      assert.ok(await page.getByRole('link', { name: new RegExp(name) }).first().isVisible(), `link ${name}`);
    }
    await checkScreen(page, 'top');
    // The placeholder search leads to the job search page with the query.
    await page.locator('#f-keyword').fill('夜勤なし');
    await page.locator('#f-prefecture').selectOption('13');
    await page.getByRole('button', { name: 'この条件で検索する' }).click();
    await waitTitle(page, '求人を探す');
    assert.match(page.url(), /\/jobs\?keyword=.*&prefecture=13/);
    await checkScreen(page, 'jobs');
  } finally { await ctx.close(); }
});

test('directory lists the 47 prefectural nurse centers with address, tel: link and site', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    await page.goto('/centers');
    await waitTitle(page, 'ナースセンター一覧');
    await page.locator('.center').first().waitFor();
    assert.equal(await page.locator('.center').count(), 47);
    const tel = page.locator('.center a[href^="tel:"]').first();
    assert.match(await tel.getAttribute('href'), /^tel:\+?\d{9,12}$/);
    await checkScreen(page, 'centers');
    await page.locator('#f-center-filter').fill('大阪');
    await page.waitForFunction(() => document.querySelectorAll('.center').length === 1);
    assert.match(await page.locator('.center').first().innerText(), /大阪府/);
  } finally { await ctx.close(); }
});

test('information pages, registration choice, login, reset request and 404 pass axe', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    const screens = [
      ['/events', 'イベント', 'events'],
      ['/trainings', '研修', 'trainings'],
      ['/register', '新規登録', 'register-choice'],
      ['/login', 'ログイン', 'login'],
      ['/password-reset', 'パスワードの再設定', 'password-reset-request'],
      ['/verify', 'メールアドレスの確認', 'verify-invalid'],
      ['/password-reset?token=not-a-real-token', '新しいパスワードの設定', 'password-reset-complete'],
      ['/privacy', '個人情報の取り扱い', 'privacy'],
      ['/no-such-page', 'ページが見つかりません', 'not-found'],
    ];
    for (const [url, title, name] of screens) {
      await page.goto(url);
      await waitTitle(page, title);
      await checkScreen(page, name);
    }
  } finally { await ctx.close(); }
});

test('keyboard only: skip link, menu on the phone, focus moves to the new page heading', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await page.goto('/');
    await waitTitle(page, 'ナースセンター');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), '本文へスキップ');
    assert.ok(await page.locator('.skip-link').isVisible(), 'skip link visible when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    // The phone menu opens with the keyboard and lists the public areas
    // (once the session check has answered, it starts with ログイン).
    await page.locator('.nav-account a').first().waitFor({ state: 'attached' });
    await page.locator('.menu-btn').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.menu-btn').getAttribute('aria-expanded'), 'true');
    await checkScreen(page, 'menu-open');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'ログイン');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.menu-btn').getAttribute('aria-expanded'), 'false');
    // Follow the directory link with the keyboard: the focus lands on the new h1.
    await page.getByRole('link', { name: /ナースセンター一覧/ }).last().focus();
    await page.keyboard.press('Enter');
    await waitTitle(page, 'ナースセンター一覧');
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 5000 });
    assert.match(await page.title(), /ナースセンター一覧/);
  } finally { await ctx.close(); }
});
