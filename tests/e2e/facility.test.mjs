// A facility registers (municipality list follows the prefecture) and gets
// its verification mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitForMailIn, extractToken } from '../support/smtp.mjs';
import { launch, newPage, checkScreen, waitTitle, maildir, uniqueEmail } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('facility registration', async () => {
  const { ctx, page } = await newPage(browser);
  const email = uniqueEmail('facility');
  try {
    await page.goto('/register/facility');
    await waitTitle(page, '施設登録');
    await page.locator('#f-facility-prefecture option[value="13"]').waitFor({ state: 'attached' });
    assert.ok(await page.locator('#f-facility-municipality').isDisabled(), 'municipality waits for the prefecture');
    await checkScreen(page, 'register-facility');

    await page.locator('#f-facility-name').fill('医療法人テスト会 テスト病院');
    await page.locator('#f-facility-name_kana').fill('ｲﾘｮｳﾎｳｼﾞﾝﾃｽﾄｶｲ ﾃｽﾄﾋﾞｮｳｲﾝ'); // half-width kana is fine
    await page.locator('#f-facility-prefecture').selectOption('13');
    await page.locator('#f-facility-municipality:not([disabled])').waitFor();
    const munis = await page.locator('#f-facility-municipality option').allInnerTexts();
    assert.ok(munis.length > 2, 'municipalities of Tokyo loaded');
    await page.locator('#f-facility-municipality').selectOption({ index: 1 });
    const types = await page.locator('#f-facility-facility_type option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    await page.locator('#f-facility-facility_type').selectOption(types.includes('hospital') ? 'hospital' : types[0]);
    await page.locator('#f-facility-phone').fill('03-1234-5678');
    await page.locator('#f-name').fill('採用 担当');
    await page.locator('#f-name_kana').fill('サイヨウ タントウ');
    await page.locator('#f-email').fill(email);
    await page.locator('#f-password').fill('facility-pass-2026');
    const since = Date.now() - 1000;
    await page.getByRole('button', { name: '登録する' }).click();
    await waitTitle(page, '確認メールを送信しました');
    const mail = await waitForMailIn(maildir(), { to: email, since, timeoutMs: 20000 });
    assert.ok(extractToken(mail.text), 'facility verification mail has a token');
  } finally { await ctx.close(); }
});
