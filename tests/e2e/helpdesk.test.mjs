// The central help desk (ヘルプデスク) in the browser:
//  counselor13 on a phone opens an inquiry to the central nurse center (an empty form is
//  refused in Japanese first); central finds it in the list (filtered to 回答待ち), answers it;
//  the opener is mailed a link, follows it, sees the answer and closes the inquiry, after which
//  no reply is possible; sysadmin reads it without a reply box. axe (no serious or critical
//  violations) on every screen, at phone and desktop width.
// (The demo database is fresh for each e2e run.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, waitTitle, loginUi, axe, maildir, PHONE, DESKTOP } from './lib.mjs';
import { readMailbox } from '../support/smtp.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const toastText = (page, text) => page.locator('.toast', { hasText: text }).first().waitFor();

/** axe at phone and desktop width; fails with the violations (and uncaught page errors). */
async function a11y(page, name) {
  const original = page.viewportSize();
  const found = [];
  for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50);
    const v = await axe(page);
    if (v.length) found.push(`[${label}] ${v.join('\n')}`);
  }
  if (original) await page.setViewportSize(original);
  const bad = (page.problems || []).filter((p) => /^pageerror|Content Security Policy/.test(p));
  if (bad.length) found.push(`[browser] ${bad.join('\n')}`);
  assert.deepEqual(found, [], `accessibility of ${name}`);
}

async function waitMailTo(to, text, since, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const m = (await readMailbox(maildir())).find((x) => x.to.includes(to) && x.receivedAt >= since && x.text.includes(text));
    if (m) return m;
    if (Date.now() > end) throw new Error(`no mail to ${to} with ${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('counselor13 asks, central answers, counselor13 reads the answer and closes the inquiry', async () => {
  const subject = `紹介状の印刷がずれる件 ${Date.now().toString(36)}`;
  const answer = '印刷の設定で「実際のサイズ」を選んでください。';
  const center = await newPage(browser, { phone: true });
  const central = await newPage(browser);
  const since = Date.now() - 1000;
  let ticketPath;
  try {
    // 1. The center opens an inquiry (phone).
    const p = center.page;
    await loginUi(p, 'counselor13@example.jp');
    await p.locator('.link-cards a[href="/center/helpdesk"]').click(); // the home page's cards

    await waitTitle(p, 'ヘルプデスク');
    await p.locator('.table-block, .empty').first().waitFor();
    await a11y(p, 'center help desk list');
    await p.getByRole('button', { name: '新しい問い合わせ' }).click();
    await p.getByRole('heading', { name: '新しい問い合わせ' }).waitFor();
    await p.getByRole('button', { name: '問い合わせを送信する' }).click();
    await p.locator('.error-summary').waitFor();
    assert.match(await p.locator('.error-summary').innerText(), /問い合わせの分類を選択してください/);
    assert.match(await p.locator('#f-subject-error').innerText(), /件名を入力してください/);
    await a11y(p, 'new inquiry form with errors');
    await p.locator('#f-category').selectOption({ label: '応募・紹介' });
    await p.locator('#f-subject').fill(subject);
    await p.locator('#f-description').fill('紹介状のPDFを印刷すると、右端が切れてしまいます。\n対処方法を教えてください。');
    await p.getByRole('button', { name: '問い合わせを送信する' }).click();
    await waitTitle(p, '問い合わせ（受付番号');
    await toastText(p, '問い合わせを送信しました');
    ticketPath = new URL(p.url()).pathname;
    assert.match(ticketPath, /^\/center\/helpdesk\/\d+$/);
    const id = ticketPath.split('/').pop();
    assert.equal(await p.locator('.hd-head .hd-status').innerText(), '回答待ち');
    assert.match(await p.locator('.hd-thread').innerText(), /右端が切れてしまいます/);
    await a11y(p, 'inquiry (open)');

    // 2. Central finds it among the open inquiries and answers (desktop).
    const c = central.page;
    await loginUi(c, 'central@example.jp');
    await c.locator('.link-cards a[href="/central/helpdesk"]').click();
    await waitTitle(c, 'ヘルプデスク');
    await c.locator('#f-status').selectOption('open');
    await c.waitForURL(/status=open/);
    const row = c.locator('tr', { hasText: subject });
    await row.waitFor();
    assert.match(await row.innerText(), /東京都/);
    assert.match(await row.innerText(), /回答待ち/);
    await a11y(c, 'central help desk list');
    await row.getByRole('link', { name: subject }).click();
    await waitTitle(c, `問い合わせ（受付番号 ${id}）`);
    assert.match(await c.locator('.dl').innerText(), /東京都ナースセンター/);
    await a11y(c, 'inquiry seen by central');
    await c.getByRole('button', { name: '回答を送信する' }).click();
    assert.match(await c.locator('#f-body-error').innerText(), /回答の内容を入力してください/);
    await c.locator('#f-body').fill(answer);
    await c.getByRole('button', { name: '回答を送信する' }).click();
    await toastText(c, '回答を送信しました');
    await c.locator('.hd-msg-central', { hasText: answer }).waitFor();
    assert.equal(await c.locator('.hd-head .hd-status').innerText(), '回答済み');

    // 3. The opener gets a mail with the link, opens it, reads the answer and closes.
    const mail = await waitMailTo('counselor13@example.jp', subject, since);
    const link = mail.text.match(/https?:\/\/\S+(\/center\/helpdesk\/\d+)/);
    assert.ok(link, `the mail links the inquiry: ${mail.text}`);
    assert.equal(link[1], ticketPath);
    await p.goto(link[1]);
    await waitTitle(p, `問い合わせ（受付番号 ${id}）`);
    await p.locator('.hd-msg-central', { hasText: answer }).waitFor();
    assert.equal(await p.locator('.hd-head .hd-status').innerText(), '回答済み');
    await a11y(p, 'inquiry answered (center)');
    await p.getByRole('button', { name: 'この問い合わせを完了にする' }).click();
    const dlg = p.getByRole('dialog');
    await dlg.waitFor();
    await a11y(p, 'close dialog');
    await dlg.getByRole('button', { name: '完了にする' }).click();
    await dlg.waitFor({ state: 'hidden' });
    await toastText(p, '問い合わせを完了にしました');
    assert.equal(await p.locator('.hd-head .hd-status').innerText(), '完了');
    await p.getByText('この問い合わせは完了しています').waitFor();
    assert.equal(await p.locator('#f-body').count(), 0, 'no reply box on a closed inquiry');
    assert.equal(await p.getByRole('button', { name: 'この問い合わせを完了にする' }).count(), 0);
    await a11y(p, 'inquiry closed');

    // The list shows it as closed.
    await p.goto('/center/helpdesk?status=closed');
    await waitTitle(p, 'ヘルプデスク');
    await p.locator('tr', { hasText: subject }).waitFor();
    assert.match(await p.locator('tr', { hasText: subject }).innerText(), /完了/);
  } finally {
    await center.ctx.close();
    await central.ctx.close();
  }

  // sysadmin reads the inquiry (national view) without a reply box or close button.
  const admin = await newPage(browser);
  try {
    const a = admin.page;
    await loginUi(a, 'sysadmin@example.jp');
    const id = ticketPath.split('/').pop();
    await a.goto(`/central/helpdesk/${id}`);
    await waitTitle(a, `問い合わせ（受付番号 ${id}）`);
    await a.locator('.hd-msg-central', { hasText: answer }).waitFor();
    assert.equal(await a.locator('#f-body').count(), 0);
    await a11y(a, 'inquiry read by sysadmin');
  } finally {
    await admin.ctx.close();
  }
});

test('pages of the other side are refused: a nurse and a facility cannot open the help desk', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    await loginUi(page, 'facility13@example.jp');
    await page.goto('/center/helpdesk');
    await waitTitle(page, 'このページを表示する権限がありません');
    await page.goto('/central/helpdesk');
    await waitTitle(page, 'このページを表示する権限がありません');
  } finally {
    await ctx.close();
  }
});
