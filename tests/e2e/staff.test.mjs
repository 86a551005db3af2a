// Staff and role homes: a counselor logs in and sees their home, the person
// list, a person's record and its audit trail; the nurse then sees the view in
// "who viewed my record"; every role's home renders; role checks hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, checkScreen, waitTitle, loginUi } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function myId(page) {
  return page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()).then((j) => j.user.id));
}

test('counselor home, person list, record and audit trail; nurse sees the view', async () => {
  const nurse = await newPage(browser, { phone: true });
  const staff = await newPage(browser);
  try {
    await loginUi(nurse.page, 'nurse13@example.jp');
    const nurseId = await myId(nurse.page);

    const { page } = staff;
    await loginUi(page, 'counselor13@example.jp');
    // The prefecture name arrives with the reference data.
    await page.locator('.role-line', { hasText: '東京都ナースセンター' }).waitFor();
    assert.match(await page.locator('.role-line').innerText(), /相談員/);
    assert.ok(await page.getByRole('link', { name: /求職者一覧/ }).first().isVisible());
    await checkScreen(page, 'home-counselor');

    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '求職者一覧' }).click();
    await waitTitle(page, '求職者一覧');
    await page.locator('table tbody tr').first().waitFor();
    assert.match(await page.locator('.pager-status').innerText(), /全\d[\d,]*件中/);
    // Sorting by フリガナ marks the column.
    await page.getByRole('button', { name: /フリガナ/ }).click();
    assert.equal(await page.locator('th', { hasText: 'フリガナ' }).getAttribute('aria-sort'), 'ascending');
    await checkScreen(page, 'people');

    await page.goto(`/people/${nurseId}`);
    await page.locator('h1', { hasText: 'さんの記録' }).waitFor();
    await checkScreen(page, 'person');
    await page.getByRole('link', { name: 'この記録の監査記録を見る' }).click();
    await waitTitle(page, '監査記録');
    await page.locator('table tbody tr').first().waitFor();
    assert.match(await page.locator('table').innerText(), /閲覧|read/);
    await checkScreen(page, 'person-audit');

    // Out of scope: a counselor of Tokyo does not see an Osaka person.
    await page.goto('/people/999999999');
    await page.locator('.notice-error').waitFor();

    // The nurse sees that the record was viewed, by whom (role) and when.
    await nurse.page.goto('/me/views');
    await waitTitle(nurse.page, '閲覧履歴');
    await nurse.page.locator('table tbody tr').first().waitFor();
    assert.match(await nurse.page.locator('table').innerText(), /相談員/);
    await checkScreen(nurse.page, 'my-views');

    // A seeker is not allowed on staff pages.
    await nurse.page.goto('/people');
    await waitTitle(nurse.page, 'このページを表示する権限がありません');
    await checkScreen(nurse.page, 'forbidden');
  } finally {
    await nurse.ctx.close();
    await staff.ctx.close();
  }
});

test('every role has a home with its navigation', async () => {
  const accounts = [
    ['admin13@example.jp', 'home-center-admin', /ナースセンター管理者/],
    ['central@example.jp', 'home-central', /中央ナースセンター/],
    ['sysadmin@example.jp', 'home-sysadmin', /システム管理者/],
    ['facility13@example.jp', 'home-facility-admin', /施設管理者/],
    ['staff13@example.jp', 'home-facility-staff', /施設担当者/],
  ];
  for (const [email, shot, badge] of accounts) {
    const { ctx, page } = await newPage(browser);
    try {
      await loginUi(page, email);
      assert.match(await page.locator('.role-line').innerText(), badge, email);
      await checkScreen(page, shot);
      if (shot === 'home-central') {
        await page.getByRole('link', { name: /研修管理/ }).first().click();
        await page.getByText('この機能は準備中です').waitFor();
        await checkScreen(page, 'soon');
      }
    } finally { await ctx.close(); }
  }
});
