// Errors: wrong password, invalid fields (client checks and the API's 422
// fields[] mapped next to each field), network failure keeps the input, and a
// 401 in the middle of a session returns to the same page after login.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, checkScreen, waitTitle, loginUi } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('wrong password shows the Japanese error in the form and takes the focus', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await page.goto('/login');
    await page.locator('#f-email').fill('counselor13@example.jp');
    await page.locator('#f-password').fill('wrong-password-123');
    await page.locator('#f-password').press('Enter'); // keyboard submit
    const summary = page.locator('.error-summary[role="alert"]');
    await summary.waitFor();
    assert.match(await summary.innerText(), /メールアドレスまたはパスワードが正しくありません/);
    await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'), null, { timeout: 5000 });
    assert.equal(await page.locator('#f-email').inputValue(), 'counselor13@example.jp', 'input kept');
    await checkScreen(page, 'login-error');
    // Empty fields are caught before sending, next to each field.
    await page.locator('#f-email').fill('');
    await page.locator('#f-password').fill('');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.locator('#f-email-error').waitFor();
    assert.match(await page.locator('#f-email-error').innerText(), /メールアドレスを入力してください/);
    assert.equal(await page.locator('#f-email').getAttribute('aria-invalid'), 'true');
  } finally { await ctx.close(); }
});

test('invalid registration fields are shown inline, in Japanese, next to each field', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await page.goto('/register/nurse');
    await page.locator('#f-prefecture option[value="13"]').waitFor({ state: 'attached' });
    await page.locator('#f-email').fill('not-an-address');
    await page.locator('#f-password').fill('short');
    await page.locator('#f-name').fill('看護 花子');
    await page.locator('#f-name_kana').fill('kango hanako'); // Latin letters: not katakana (hiragana would be converted)
    await page.locator('#f-licences-0-registered_on').fill('2999-04-01');
    await page.getByRole('button', { name: '登録する' }).click();
    await page.locator('.error-summary').waitFor();
    const expect = {
      email: /メールアドレスの形式が正しくありません/,
      password: /10文字以上/,
      name_kana: /カタカナで入力してください/,
      prefecture: /選択してください/,
      'licences-0-type': /資格を選択してください/,
      'licences-0-number': /登録番号を入力してください/,
      'licences-0-registered_on': /未来の日付/,
    };
    for (const [id, re] of Object.entries(expect)) {
      assert.match(await page.locator(`#f-${id}-error`).innerText(), re, id);
      assert.equal(await page.locator(`#f-${id}`).getAttribute('aria-invalid'), 'true', id);
      const described = await page.locator(`#f-${id}`).getAttribute('aria-describedby');
      assert.ok(described.includes(`f-${id}-error`), `${id} is described by its error`);
    }
    // The summary links to the fields.
    await page.locator('.error-summary a', { hasText: 'カタカナ' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-name_kana');
    await checkScreen(page, 'register-nurse-errors');

    // Errors from the API (422 fields[]) land next to the fields they name.
    await page.locator('#f-email').fill('hanako@example.jp');
    await page.locator('#f-password').fill('long-enough-pass');
    await page.locator('#f-name_kana').fill('カンゴ ハナコ');
    await page.locator('#f-prefecture').selectOption('13');
    await page.locator('#f-licences-0-type').selectOption('kangoshi');
    await page.locator('#f-licences-0-number').fill('123456');
    await page.locator('#f-licences-0-registered_on').fill('2015-04-01');
    await page.route('**/api/v1/auth/register', (route) => route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'validation.failed', message: '入力内容に誤りがあります。各項目をご確認ください。', field: null,
        fields: [
          { field: 'email', code: 'email.invalid', message: 'このメールアドレスは使用できません' },
          { field: 'licences[0].number', code: 'licences.number.invalid', message: '登録番号が正しくありません' },
        ] } }),
    }));
    await page.getByRole('button', { name: '登録する' }).click();
    await page.locator('#f-licences-0-number-error', { hasText: '登録番号が正しくありません' }).waitFor();
    assert.match(await page.locator('#f-email-error').innerText(), /このメールアドレスは使用できません/);
    assert.match(await page.locator('#f-licences-0-number-error').innerText(), /登録番号が正しくありません/);
    assert.equal(await page.locator('#f-name_kana-error').count(), 0, 'fixed fields have no error');

    // A network failure says so and keeps everything typed.
    await page.unroute('**/api/v1/auth/register');
    await page.route('**/api/v1/auth/register', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: '登録する' }).click();
    await page.getByText('通信できませんでした').waitFor();
    assert.equal(await page.locator('#f-email').inputValue(), 'hanako@example.jp');
    assert.equal(await page.locator('#f-password').inputValue(), 'long-enough-pass');
    await checkScreen(page, 'register-network-error');

    // Too many requests: the wait is explained.
    await page.unroute('**/api/v1/auth/register');
    await page.route('**/api/v1/auth/register', (route) => route.fulfill({
      status: 429, contentType: 'application/json', headers: { 'Retry-After': '120' },
      body: JSON.stringify({ error: { code: 'request.rate_limited', message: 'リクエストが多すぎます', field: null } }),
    }));
    await page.getByRole('button', { name: '登録する' }).click();
    await page.getByText(/約2分待ってから/).waitFor();
    // After a reload the draft is still there (the password is not stored).
    await page.unroute('**/api/v1/auth/register');
    await page.reload();
    await page.locator('#f-email').waitFor();
    assert.equal(await page.locator('#f-email').inputValue(), 'hanako@example.jp');
    assert.equal(await page.locator('#f-licences-0-number').inputValue(), '123456');
    assert.equal(await page.locator('#f-password').inputValue(), '');
  } finally { await ctx.close(); }
});

test('a 401 mid-session (cookie gone) returns to the same page after login, input kept', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await loginUi(page, 'nurse13@example.jp');
    await page.goto('/settings');
    await waitTitle(page, 'アカウント設定');
    await page.locator('#f-email').fill('nurse13-new@example.jp');
    await page.locator('#f-password').fill('demo-pass-2026');
    await ctx.clearCookies();
    await page.getByRole('button', { name: '確認メールを送る' }).click();
    await waitTitle(page, 'ログイン');
    assert.match(page.url(), /\/login\?reason=expired&next=%2Fsettings/);
    await page.getByText('ログインの有効期限が切れました').waitFor();
    await checkScreen(page, 'login-expired');
    await loginUi(page, 'nurse13@example.jp', 'demo-pass-2026', { expectTitle: 'アカウント設定' });
    assert.match(page.url(), /\/settings$/);
    assert.equal(await page.locator('#f-email').inputValue(), 'nurse13-new@example.jp', 'typed address kept');
  } finally { await ctx.close(); }
});

test('a 401 after the session was logged out elsewhere returns to the same list page', async () => {
  const a = await newPage(browser);
  const b = await newPage(browser);
  try {
    await loginUi(a.page, 'counselor13@example.jp');
    await a.page.goto('/people?page=1&q=');
    await waitTitle(a.page, '求職者一覧');
    // The same session in another browser context logs out.
    await b.ctx.addCookies(await a.ctx.cookies());
    await b.page.goto('/home');
    await waitTitle(b.page, 'ホーム');
    const status = await b.page.evaluate(async () => {
      const me = await fetch('/api/v1/me').then((r) => r.json());
      const r = await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' }, body: '{}' });
      return r.status;
    });
    assert.equal(status, 204);
    await a.page.locator('#f-q').fill('看護');
    await a.page.getByRole('button', { name: '検索する' }).click();
    await waitTitle(a.page, 'ログイン');
    assert.match(a.page.url(), /next=%2Fpeople%3Fq%3D/);
    await loginUi(a.page, 'counselor13@example.jp', 'demo-pass-2026', { expectTitle: '求職者一覧' });
    assert.match(a.page.url(), /\/people\?q=/);
  } finally {
    await a.ctx.close();
    await b.ctx.close();
  }
});
