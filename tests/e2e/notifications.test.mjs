// Notifications (届出) and casework in the browser:
//  1. facility13 uploads a CSV of proxy notifications (施設代行届出の一括登録): a dry run, then the
//     real upload — 2 rows accepted, 1 rejected with its row error — and downloads the report CSV.
//  2. the nurse of one accepted row opens the confirmation link from the mail, sets a password
//     and confirms; she logs in, sees the notification and files a 変更届 (its version history
//     shows what changed).
//  3. counselor13 finds the first-contact task of that notification in the 対応キュー, opens the
//     nurse's timeline and marks the task 連絡済 (contacted); it leaves the open queue.
//  4. the other new screens (the public form, the center's notification list and detail,
//     consultations, settings) pass axe at both sizes.
// (The demo database is fresh for each e2e run.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { waitForMailIn, extractToken } from '../support/smtp.mjs';
import { launch, newPage, checkScreen, waitTitle, loginUi, maildir, uniqueEmail } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const dialog = (page) => page.getByRole('dialog');
const toastText = (page, text) => page.locator('.toast', { hasText: text }).first().waitFor();

function jstDate(days = 0) {
  return new Date(Date.now() + 9 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10);
}
const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ';
const kana = (n = 5) => Array.from({ length: n }, () => KANA[randomInt(0, KANA.length)]).join('');
const licNo = () => String(randomInt(1_000_000_000, 9_999_999_999));

async function apiJson(page, path, init) {
  return page.evaluate(async ([p, i]) => {
    const r = await fetch('/api/v1' + p, i);
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [path, init ?? {}]);
}

const COLUMNS = ['氏名', 'フリガナ', '生年月日', '郵便番号', '住所都道府県', '住所', '電話番号', 'メールアドレス',
  '免許種別', '籍登録番号', '登録年月日', '届出事由', '事由発生日', '離職前の就業場所', '就業状況'];
function csvRow(o) {
  return COLUMNS.map((c) => {
    const v = String(o[c] ?? '');
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');
}
function person(name, email, over = {}) {
  return {
    氏名: name, フリガナ: `ダイコウ ${kana()}`, 生年月日: '1990-05-01', 郵便番号: '160-0023', 住所都道府県: '東京都',
    住所: '新宿区西新宿1-1-1', 電話番号: '090-1234-5678', メールアドレス: email, 免許種別: '看護師', 籍登録番号: licNo(),
    登録年月日: '2012-04-01', 届出事由: '病院等を離職した', 事由発生日: jstDate(-20), 離職前の就業場所: '病院', 就業状況: '未就業',
    ...over,
  };
}

test('bulk proxy filing, confirmation by the nurse, 変更届, first contact by the counselor', async () => {
  const facility = await newPage(browser);
  const nurse = await newPage(browser, { phone: true });
  const counselor = await newPage(browser);
  const suffix = String(randomInt(1000, 9999));
  const name1 = `代行 一郎${suffix}`;
  const name2 = `代行 二郎${suffix}`;
  const email1 = uniqueEmail('proxy-a');
  const email2 = uniqueEmail('proxy-b');
  const password = 'confirm-pass-2026';
  try {
    // 1. The facility uploads the file: a dry run first, then the real upload.
    const f = facility.page;
    await loginUi(f, 'facility13@example.jp');
    await f.goto('/facility/notifications');
    await waitTitle(f, '届出（施設代行）');
    await f.locator('.table-wrap, .empty').first().waitFor();
    assert.equal(await f.locator('.nav-list a[aria-current="page"]').innerText(), '届出（施設代行）');
    await checkScreen(f, 'facility-notifications');

    await f.getByRole('link', { name: 'ファイルで一括登録' }).click();
    await f.locator('#f-upload-file').waitFor();
    await f.locator('.table-wrap, .empty').last().waitFor();
    await checkScreen(f, 'facility-notification-upload');

    // A file without the required columns is refused as a whole, with a message.
    await f.locator('#f-upload-file').setInputFiles({ name: 'wrong.csv', mimeType: 'text/csv', buffer: Buffer.from('氏名,フリガナ\r\n山田 花子,ヤマダ ハナコ\r\n') });
    await f.getByRole('button', { name: '確認のみ（登録しない）' }).click();
    assert.match(await f.locator('#upload-fail').innerText(), /列/);

    const csv = '\uFEFF' + [COLUMNS.join(','),
      csvRow(person(name1, email1)),
      csvRow(person(name2, email2)),
      csvRow(person(`代行 三郎${suffix}`, uniqueEmail('proxy-c'), { 生年月日: '1990-02-30' })),
    ].join('\r\n') + '\r\n';
    await f.locator('#f-upload-file').setInputFiles({ name: '代行届出.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

    await f.getByRole('button', { name: '確認のみ（登録しない）' }).click();
    const result = f.locator('.nt-result');
    await result.locator('h3', { hasText: '確認の結果' }).waitFor();
    const dryText = await result.innerText();
    assert.match(dryText, /データ行\s*3行/, dryText);
    assert.match(dryText, /登録できる件数\s*2件/, dryText);
    assert.match(dryText, /エラーのある行\s*1件/, dryText);
    assert.equal(await result.getByRole('link', { name: /レポート/ }).count(), 0, 'no report on a dry run');
    const before = await apiJson(f, '/me');
    const fid = before.body.user.facility_id;
    const listBefore = await apiJson(f, `/facilities/${fid}/notifications?per_page=100`);
    assert.equal(listBefore.status, 200);

    const since = Date.now() - 1000;
    await f.getByRole('button', { name: '登録する', exact: true }).click();
    await result.locator('h3', { hasText: '登録の結果' }).waitFor();
    const text = await result.innerText();
    assert.match(text, /2件を登録しました。1件は誤りがあるため登録していません/, text);
    assert.match(text, /登録した件数\s*2件/, text);
    assert.match(text, /エラーのある行\s*1件/, text);
    // The row error: row 4 (the header is row 1), column 生年月日, a Japanese message.
    const errRow = result.locator('tbody tr').first();
    const cells = await errRow.locator('td').allInnerTexts();
    assert.match(cells[0], /4行目/, cells.join(' | '));
    assert.equal(cells[1].trim().replace(/^列\s*/, ''), '生年月日', cells.join(' | '));
    assert.match(cells[2], /[ぁ-んァ-ン一-龥]/, cells.join(' | '));
    await checkScreen(f, 'facility-notification-upload-result');

    // The report: a CSV download with the documented header.
    const [download] = await Promise.all([
      f.waitForEvent('download'),
      result.getByRole('link', { name: 'エラー行のレポート（CSV）をダウンロード' }).click(),
    ]);
    const reportPath = await download.path();
    const report = await readFile(reportPath, 'utf8');
    assert.match(report.replace(/^\uFEFF/, ''), /^行,列,コード,内容,値\r?\n/, report.slice(0, 200));
    assert.match(report, /生年月日/);
    const href = await result.getByRole('link', { name: 'エラー行のレポート（CSV）をダウンロード' }).getAttribute('href');
    const head = await f.evaluate(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get('content-type') };
    }, href);
    assert.equal(head.status, 200);
    assert.match(head.type, /^text\/csv/, head.type);

    // The list shows both filings, waiting for the nurses' confirmation.
    await f.getByRole('link', { name: '代行届出の一覧' }).click();
    const row1 = f.locator('tr', { hasText: name1 });
    await row1.waitFor();
    assert.match(await row1.innerText(), /本人確認待ち/);
    await f.locator('tr', { hasText: name2 }).waitFor();
    await row1.getByRole('link', { name: name1 }).click();
    await waitTitle(f, `代行届出（${name1} さん）`);
    await checkScreen(f, 'facility-notification');

    // 2. The nurse confirms through the mailed link and sets her password.
    const mail = await waitForMailIn(maildir(), { to: email1, since, timeoutMs: 20000 });
    assert.match(mail.text, /\/notify\/confirm\?token=/, mail.text.slice(0, 400));
    const token = extractToken(mail.text);
    assert.ok(token, 'confirmation mail has a token');
    const n = nurse.page;
    await n.goto('/notify/confirm?token=' + encodeURIComponent(token));
    await waitTitle(n, '届出の内容の確認');
    await n.getByText(name1).first().waitFor();
    await n.getByText('施設代行届出').first().waitFor();
    await checkScreen(n, 'notify-confirm');
    // Too short a password is refused at the field.
    await n.locator('#f-password').fill('short');
    await n.getByRole('button', { name: '届出を確定する' }).click();
    await n.locator('#f-password-error').waitFor();
    await n.locator('#f-password').fill(password);
    await n.getByRole('button', { name: '届出を確定する' }).click();
    await waitTitle(n, '届出を受け付けました');
    await checkScreen(n, 'notify-confirmed');
    // The link is single use.
    await n.goto('/notify/confirm?token=' + encodeURIComponent(token));
    await n.getByText('この確認のリンクは無効か、有効期限').waitFor();
    await checkScreen(n, 'notify-confirm-invalid');

    // She logs in, sees the accepted notification and files a 変更届 (a new phone number).
    await n.getByRole('link', { name: 'ログインする' }).click();
    await loginUi(n, email1, password, { expectTitle: '届出の状況・変更届' });
    const card = n.locator('.app-card').first();
    await card.waitFor();
    assert.match(await card.innerText(), /受付済/);
    await checkScreen(n, 'seeker-notifications');
    await card.getByRole('link').first().click();
    await n.locator('h1', { hasText: '届出（受付番号' }).waitFor();
    await n.getByRole('button', { name: '変更届を出す' }).click();
    assert.equal(await n.locator('#f-holder-name').inputValue(), name1, 'the change form is prefilled');
    await n.locator('#f-holder-phone').fill('080-2222-3333');
    await checkScreen(n, 'seeker-notification-change');
    await n.locator('form[aria-label="変更届"]').getByRole('button', { name: '変更届を出す' }).click();
    await toastText(n, '変更届を受け付けました');
    const versions = n.locator('.nt-versions');
    await versions.locator('li', { hasText: '第2版' }).waitFor();
    const vtext = await versions.innerText();
    assert.match(vtext, /電話番号[\s\S]*090-1234-5678[\s\S]*080-2222-3333/, vtext);
    await checkScreen(n, 'seeker-notification');

    // 3. The counselor finds the first-contact task and marks it 連絡済 from the timeline.
    const c = counselor.page;
    await loginUi(c, 'counselor13@example.jp');
    await c.goto('/center/queue');
    await waitTitle(c, '対応キュー');
    const taskRow = c.locator('tr', { hasText: name1 });
    await taskRow.first().waitFor();
    assert.match(await taskRow.first().innerText(), /新規届出への初回連絡/);
    assert.equal(await c.locator('.nav-list a[aria-current="page"]').innerText(), '対応キュー');
    await c.locator('.cw-side-card').first().waitFor();
    await checkScreen(c, 'center-queue');

    await taskRow.first().getByRole('link', { name: name1 }).click();
    await waitTitle(c, `${name1} さんの経過`);
    await c.locator('.cw-timeline .timeline-item').first().waitFor();
    await c.locator('.cw-task').waitFor();
    await c.locator('#duplicates').waitFor();
    await checkScreen(c, 'center-timeline');
    await c.locator('.cw-task').getByRole('button', { name: '連絡済にする' }).click();
    await dialog(c).waitFor();
    assert.equal(await dialog(c).getByRole('radio', { name: '連絡済' }).isChecked(), true, 'contacted is the default');
    await dialog(c).locator('#f-note').fill('電話で復職支援研修を案内した');
    await checkScreen(c, 'center-task-done-dialog');
    await dialog(c).getByRole('button', { name: '記録する' }).click();
    await dialog(c).waitFor({ state: 'hidden' });
    await c.locator('.cw-task .app-state', { hasText: '連絡済' }).waitFor();
    // The timeline now has the contact.
    await c.locator('.cw-timeline .cw-tl-task_done').first().waitFor();

    // A consultation recorded from the timeline shows in it and opens as a record.
    await c.getByRole('radio', { name: '電話' }).check();
    await c.locator('#f-category').selectOption('return');
    await c.locator('#f-summary').fill('復職の時期について相談。研修の案内を希望。');
    await c.getByRole('button', { name: '相談を記録する' }).click();
    await toastText(c, '相談を記録しました');
    const item = c.locator('.cw-timeline .cw-tl-consultation').first();
    await item.waitFor();
    await item.getByRole('link').first().click();
    await c.locator('h1', { hasText: '相談記録（' }).waitFor();
    assert.match(await c.locator('main').innerText(), /復職の時期について相談/);
    await checkScreen(c, 'center-consultation');

    // It left the open queue.
    await c.goto('/center/queue');
    await waitTitle(c, '対応キュー');
    await c.locator('.table-wrap, .empty').first().waitFor();
    assert.equal(await c.locator('tr', { hasText: name1 }).count(), 0, 'the task left the open queue');
    const open = await apiJson(c, '/tasks?status=open&per_page=100');
    assert.equal(open.status, 200);
    assert.ok(!open.body.items.some((t) => t.person?.name === name1), 'no open task for the nurse');
    const done = await apiJson(c, '/tasks?status=done&per_page=100');
    const mine = done.body.items.find((t) => t.person?.name === name1);
    assert.ok(mine, 'the task is done');
    assert.equal(mine.outcome, 'contacted');

    // The other nurse has not confirmed yet: no task for her.
    assert.ok(!open.body.items.some((t) => t.person?.name === name2), 'no task before the confirmation');
  } finally {
    await facility.ctx.close();
    await nurse.ctx.close();
    await counselor.ctx.close();
  }
});

test('a signed-in nurse files a notification as herself, with the opt-in', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await loginUi(page, 'nurse27@example.jp');
    await page.locator('main').getByRole('link', { name: /届出をする/ }).click();
    await waitTitle(page, '看護職の届出');
    await page.locator('#f-holder-name').waitFor();
    assert.notEqual(await page.locator('#f-holder-name').inputValue(), '', 'the name is prefilled from /me');
    assert.match(await page.locator('#f-holder-email').inputValue(), /nurse27@example\.jp/);
    assert.equal(await page.locator('#f-password').count(), 0, 'no password when signed in');
    await page.getByLabel('看護職として業務に従事しなくなった').check();
    await page.locator('#f-event_date').fill(jstDate(-10));
    await page.locator('#f-last_workplace').selectOption('clinic');
    await page.getByLabel('就学中').check();
    await page.locator('#f-holder-name_kana').fill('カンゴ オオサカ');
    await page.locator('#f-holder-birth_date').fill('1988-07-07');
    await page.locator('#f-holder-postal_code').fill('５３０－０００１');
    await page.locator('#f-holder-address_prefecture').selectOption('27');
    await page.locator('#f-holder-address').fill('大阪市北区梅田1-1-1');
    await page.locator('#f-licences-0-type').selectOption('kangoshi');
    await page.locator('#f-licences-0-number').fill(licNo());
    await page.locator('#f-licences-0-registered_on').fill('2010-04-01');
    await page.getByLabel('求職者としても登録する（届出連携）').check();
    await page.locator('#f-seeker_opt_in-experience_years').fill('12');
    await page.getByRole('button', { name: 'この内容で届け出る' }).click();
    await waitTitle(page, '届出を受け付けました');
    assert.match(await page.locator('main').innerText(), /求職者としても登録しました/);
    await checkScreen(page, 'notify-filed');
    const mine = await apiJson(page, '/me/notifications');
    assert.equal(mine.status, 200);
    assert.equal(mine.body.items[0].status, 'active');
    assert.equal(mine.body.items[0].holder.postal_code, '530-0001');
  } finally { await ctx.close(); }
});

test('public notification form, center notifications, consultations and settings pass axe', async () => {
  const anon = await newPage(browser, { phone: true });
  const admin = await newPage(browser);
  try {
    const a = anon.page;
    await a.goto('/');
    await a.getByRole('link', { name: /看護職の届出/ }).first().click();
    await waitTitle(a, '看護職の届出');
    await a.locator('#f-holder-name').waitFor();
    await checkScreen(a, 'notify');
    // A client-side error is shown at the field; the last workplace hides for "not practising".
    await a.getByRole('button', { name: '確認メールを送信する' }).click();
    await a.locator('.error-summary').waitFor();
    assert.equal(await a.locator('#f-holder-email').getAttribute('aria-invalid'), 'true');
    await a.getByLabel('免許取得後ただちに業務に従事しない').check();
    assert.equal(await a.locator('#f-last_workplace').count(), 0);
    await checkScreen(a, 'notify-errors');

    // Filed without login: 202, the confirmation mail, and a confirmation that needs no password
    // (the password was given with the filing).
    const email = uniqueEmail('anon-notify');
    await a.getByLabel('病院等を離職した').check();
    await a.locator('#f-event_date').fill(jstDate(-5));
    await a.locator('#f-last_workplace').selectOption('hospital');
    await a.getByLabel('未就業').check();
    await a.locator('#f-holder-name').fill('届出 匿子');
    await a.locator('#f-holder-name_kana').fill(`とどけ ${kana(4)}`.replace(/[ァ-ン]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60)));
    await a.locator('#f-holder-birth_date').fill('1995-01-15');
    await a.locator('#f-holder-postal_code').fill('1000001');
    await a.locator('#f-holder-address_prefecture').selectOption('13');
    await a.locator('#f-holder-address').fill('千代田区千代田1-1');
    await a.locator('#f-holder-email').fill(email);
    await a.locator('#f-licences-0-type').selectOption('hokenshi');
    await a.locator('#f-licences-0-number').fill(licNo());
    await a.locator('#f-licences-0-registered_on').fill('2018-04-01');
    await a.locator('#f-password').fill('anon-pass-2026x');
    const since = Date.now() - 1000;
    await a.getByRole('button', { name: '確認メールを送信する' }).click();
    await waitTitle(a, '確認メールを送信しました');
    assert.match(await a.locator('main').innerText(), new RegExp(email.replace(/[.]/g, '\\.')));
    await checkScreen(a, 'notify-sent');
    const mail = await waitForMailIn(maildir(), { to: email, since, timeoutMs: 20000 });
    await a.goto('/notify/confirm?token=' + encodeURIComponent(extractToken(mail.text)));
    await waitTitle(a, '届出の内容の確認');
    await a.getByText('届出 匿子').first().waitFor();
    assert.equal(await a.locator('#f-password').count(), 0, 'no password asked: it was set with the filing');
    await a.getByRole('button', { name: '届出を確定する' }).click();
    await waitTitle(a, '届出を受け付けました');

    const m = admin.page;
    await loginUi(m, 'admin13@example.jp');
    await m.goto('/center/notifications');
    await waitTitle(m, '届出の一覧');
    await m.locator('.table-wrap, .empty').first().waitFor();
    await checkScreen(m, 'center-notifications');
    const first = m.locator('tbody tr a').first();
    if (await first.count()) {
      await first.click();
      await m.locator('h1', { hasText: '届出（' }).waitFor();
      await m.locator('.nt-versions, .empty').first().waitFor();
      await checkScreen(m, 'center-notification');
    }
    await m.goto('/center/notifications/new');
    await waitTitle(m, '窓口での届出の入力');
    await checkScreen(m, 'center-notification-new');
    await m.goto('/center/consultations');
    await waitTitle(m, '相談記録');
    await m.locator('.table-wrap, .empty').first().waitFor();
    await checkScreen(m, 'center-consultations');
    await m.goto('/center/settings');
    await waitTitle(m, 'センターの設定');
    await m.locator('#f-first_contact_days').waitFor();
    await m.locator('.table-wrap, .empty').first().waitFor();
    await checkScreen(m, 'center-settings');
    // The admin grants herself the mental_health grant; the consultation form then offers the sensitive note.
    const meRow = m.locator('tr', { hasText: '（あなた）' });
    await meRow.getByRole('button', { name: /権限を付与する/ }).click();
    await meRow.locator('.badge', { hasText: '付与済' }).waitFor();
    await m.locator('#f-first_contact_days').fill('5');
    await m.getByRole('button', { name: '保存する' }).click();
    await toastText(m, '5営業日');
    assert.equal((await apiJson(m, '/center-settings')).body.first_contact_days, 5);
    await m.locator('#f-first_contact_days').fill('3');
    await m.getByRole('button', { name: '保存する' }).click();
    await toastText(m, '3営業日');
  } finally {
    await anon.ctx.close();
    await admin.ctx.close();
  }
});
