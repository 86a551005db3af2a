// A nurse registers, reads the verification mail from the loopback SMTP
// server, verifies, logs in, sees "who viewed my record", changes the
// password, logs out and logs in again with the new password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitForMailIn, extractToken } from '../support/smtp.mjs';
import { launch, newPage, checkScreen, waitTitle, loginUi, maildir, uniqueEmail } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('nurse registration, verification, login, password and e-mail change, logout', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  const email = uniqueEmail('nurse');
  const password = 'kango-pass-2026';
  const newPassword = 'kango-pass-2027-new';
  try {
    await page.goto('/register');
    await waitTitle(page, '新規登録');
    await page.getByRole('link', { name: /看護職の方/ }).click();
    await waitTitle(page, '求職者登録');
    await page.locator('#f-prefecture option[value="13"]').waitFor({ state: 'attached' });
    await checkScreen(page, 'register-nurse');

    await page.locator('#f-email').fill(email);
    await page.locator('#f-password').fill(password);
    await page.locator('#f-name').fill('看護 花子');
    await page.locator('#f-name_kana').fill('カンゴ ハナコ');
    await page.locator('#f-prefecture').selectOption('13');
    await page.locator('#f-phone').fill('090-1234-5678');
    await page.locator('#f-licences-0-type').selectOption('kangoshi');
    await page.locator('#f-licences-0-number').fill('１２３４５６'); // full-width digits are accepted
    await page.locator('#f-licences-0-registered_on').fill('2015-04-01');
    assert.match(await page.locator('#f-licences-0-registered_on-hint').innerText(), /平成27年4月1日/);
    // A second licence can be added and removed again.
    await page.getByRole('button', { name: '免許を追加する' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'f-licences-1-type', null, { timeout: 5000 });
    await page.getByRole('button', { name: '免許 2 を削除する' }).click();
    assert.equal(await page.locator('#f-licences-1-type').count(), 0);

    const since = Date.now() - 1000;
    await page.getByRole('button', { name: '登録する' }).click();
    await waitTitle(page, '確認メールを送信しました');
    assert.match(await page.locator('main').innerText(), new RegExp(email.replace(/[.]/g, '\\.')));
    await checkScreen(page, 'register-sent');

    const mail = await waitForMailIn(maildir(), { to: email, since, timeoutMs: 20000 });
    const token = extractToken(mail.text);
    assert.ok(token, `verification mail has a token link: ${mail.text.slice(0, 300)}`);
    assert.match(mail.text, /\/verify\?token=/);

    // Logging in before verifying is refused with a Japanese message.
    await page.goto('/login');
    await page.locator('#f-email').fill(email);
    await page.locator('#f-password').fill(password);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.locator('.error-summary').waitFor();
    assert.match(await page.locator('.error-summary').innerText(), /[ぁ-んァ-ン一-龥]/);

    await page.goto('/verify?token=' + encodeURIComponent(token));
    await page.getByText('メールアドレスの確認が完了しました。').waitFor();
    await checkScreen(page, 'verify-done');
    // The token is single-use.
    await page.goto('/verify?token=' + encodeURIComponent(token));
    await page.getByText('この確認用リンクは無効か').waitFor();

    await page.goto('/login');
    await loginUi(page, email, password);
    assert.match(await page.locator('.role-line').innerText(), /求職者/);
    await checkScreen(page, 'home-seeker');

    // Who viewed my record: nobody yet.
    await page.getByRole('link', { name: '閲覧履歴' }).first().click().catch(async () => {
      await page.locator('.menu-btn').click();
      await page.getByRole('link', { name: '閲覧履歴' }).first().click();
    });
    await waitTitle(page, '閲覧履歴');
    await page.getByText('閲覧された記録はありません').waitFor();
    await checkScreen(page, 'my-views-empty');

    // Change the password: a wrong current password is reported next to the form.
    await page.goto('/settings');
    await waitTitle(page, 'アカウント設定');
    await checkScreen(page, 'settings');
    await page.locator('#f-current_password').fill('not-my-password-1');
    await page.locator('#f-new_password').fill(newPassword);
    await page.locator('#f-confirm').fill(newPassword);
    await page.getByRole('button', { name: 'パスワードを変更する' }).click();
    const pwForm = page.locator('form', { has: page.locator('#f-new_password') });
    await pwForm.locator('.error-summary').waitFor();
    assert.match(await pwForm.locator('.error-summary').innerText(), /パスワード/);
    // The server's 422 names the field; the message sits next to it.
    await page.locator('#f-current_password-error').waitFor();
    assert.equal(await page.locator('#f-current_password').getAttribute('aria-invalid'), 'true');
    await checkScreen(page, 'settings-password-error');
    await page.locator('#f-current_password').fill(password);
    await page.getByRole('button', { name: 'パスワードを変更する' }).click();
    await page.getByText('パスワードを変更しました。ほかの端末').waitFor();
    assert.equal(await page.locator('#f-new_password').inputValue(), '', 'password fields are cleared');

    // Change the e-mail address: it applies once the new address is verified.
    const newEmail = uniqueEmail('nurse-new');
    const since2 = Date.now() - 1000;
    await page.locator('#f-email').fill(newEmail);
    await page.locator('#f-password').fill(newPassword);
    await page.getByRole('button', { name: '確認メールを送る' }).click();
    await page.getByText('宛に確認メールをお送りしました').waitFor();
    const mail2 = await waitForMailIn(maildir(), { to: newEmail, since: since2, timeoutMs: 20000 });
    const token2 = extractToken(mail2.text);
    assert.ok(token2, 'e-mail change mail has a token');
    await page.goto('/verify?token=' + encodeURIComponent(token2));
    await page.getByText('メールアドレスの確認が完了しました。').waitFor();
    // The server ends the sessions on an address change: log in with the new one.
    if (await page.getByText('新しいメールアドレスで、もう一度ログインしてください').isVisible()) {
      await checkScreen(page, 'verify-email-changed');
      await page.goto('/login?next=%2Fsettings');
      await loginUi(page, newEmail, newPassword, { expectTitle: 'アカウント設定' });
    } else {
      await page.goto('/settings');
    }
    await page.locator('.dl dd', { hasText: newEmail }).waitFor();

    // Log out through the confirmation dialog.
    if (!(await page.getByRole('button', { name: 'ログアウト', exact: true }).isVisible())) await page.locator('.menu-btn').click();
    await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
    await page.getByRole('dialog', { name: 'ログアウトしますか？' }).waitFor();
    await checkScreen(page, 'logout-dialog');
    await page.getByRole('button', { name: 'ログアウトする' }).click();
    await waitTitle(page, '看護職のための無料職業紹介');
    await page.getByText('ログアウトしました。').waitFor();
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
    assert.equal(me, 401, 'the session is gone');

    // The old password no longer works; the new one does (with the new address).
    await page.goto('/login');
    await page.locator('#f-email').fill(newEmail);
    await page.locator('#f-password').fill(password);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.locator('.error-summary').waitFor();
    await page.locator('#f-password').fill(newPassword);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await waitTitle(page, 'ホーム');
  } finally { await ctx.close(); }
});

test('password reset: request, mail, new password, login', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    const since = Date.now() - 1000;
    await page.goto('/password-reset');
    await page.locator('#f-email').fill('nurse27@example.jp');
    await page.getByRole('button', { name: '再設定の案内を送る' }).click();
    await page.getByText('パスワード再設定のご案内をお送りしました').waitFor();
    await checkScreen(page, 'password-reset-sent');
    const mail = await waitForMailIn(maildir(), { to: 'nurse27@example.jp', since, timeoutMs: 20000 });
    const token = extractToken(mail.text);
    assert.ok(token, 'reset mail has a token');
    assert.match(mail.text, /\/password-reset\?token=/);
    await page.goto('/password-reset?token=' + encodeURIComponent(token));
    await waitTitle(page, '新しいパスワードの設定');
    await page.locator('#f-password').fill('reset-pass-2026');
    await page.locator('#f-confirm').fill('reset-pass-2099');
    await page.getByRole('button', { name: 'パスワードを設定する' }).click();
    await page.getByText('確認用のパスワードが一致しません').first().waitFor();
    await page.locator('#f-confirm').fill('reset-pass-2026');
    await page.getByRole('button', { name: 'パスワードを設定する' }).click();
    await page.getByText('パスワードを再設定しました。').waitFor();
    await page.goto('/login');
    await loginUi(page, 'nurse27@example.jp', 'reset-pass-2026');
  } finally { await ctx.close(); }
});
