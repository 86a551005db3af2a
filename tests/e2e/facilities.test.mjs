// Facility profile and review: a counselor returns the pending facility with a
// reason; its admin sees the reason, edits the profile (a server-side field
// error first, shown inline), invites a login and asks for review again; the
// counselor approves; the admin sees 承認済み and the change history. Facility
// staff see the page read-only; central browses facilities without review
// buttons. (The demo database is fresh for each e2e run.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitForMailIn } from '../support/smtp.mjs';
import { launch, newPage, checkScreen, waitTitle, loginUi, maildir, uniqueEmail } from './lib.mjs';

const PENDING = 'さくら在宅クリニック';
const REASON = '所在地の郵便番号と最寄り駅が未入力です。入力のうえ、再審査を依頼してください。';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const badge = (page) => page.locator('.status-line .status');
const mainNav = (page) => page.getByRole('navigation', { name: 'メインメニュー' });

async function openFacilityFromHome(page) {
  await page.locator('.link-cards').getByRole('link', { name: /施設情報/ }).click();
  await waitTitle(page, '施設情報');
  await badge(page).waitFor();
}

test('review cycle: return with a reason, edit, ask again, approve', async () => {
  const center = await newPage(browser);
  const fac = await newPage(browser, { phone: true });
  try {
    // --- the counselor opens the queue and returns the pending facility
    const cp = center.page;
    await loginUi(cp, 'counselor13@example.jp');
    await mainNav(cp).getByRole('link', { name: '施設の審査' }).click();
    await waitTitle(cp, '施設の審査');
    const row = cp.locator('table tbody tr', { hasText: PENDING });
    await row.waitFor();
    assert.match(await cp.locator('.pager-status').innerText(), /全\d+件中/);
    await checkScreen(cp, 'facility-review-queue');

    await row.getByRole('link', { name: PENDING }).click();
    await waitTitle(cp, PENDING);
    assert.equal((await badge(cp).innerText()).trim(), '審査中');
    await cp.getByRole('heading', { name: '変更履歴' }).waitFor();
    await cp.locator('.history-item').first().waitFor();
    await checkScreen(cp, 'facility-review-detail');
    const detailUrl = cp.url();

    await cp.getByRole('button', { name: '差し戻す' }).click();
    const dlg = cp.getByRole('dialog', { name: '施設を差し戻す' });
    await dlg.waitFor();
    // The reason is required.
    await dlg.getByRole('button', { name: '差し戻す' }).click();
    await dlg.locator('#f-reason-error', { hasText: '差し戻しの理由を入力してください' }).waitFor();
    await checkScreen(cp, 'facility-return-dialog');
    await dlg.locator('#f-reason').fill(REASON);
    const since = Date.now() - 1000;
    await dlg.getByRole('button', { name: '差し戻す' }).click();
    await cp.locator('.toast', { hasText: '差し戻しました' }).waitFor();
    await cp.locator('.status-line .status', { hasText: '差し戻し' }).waitFor();
    assert.ok(await cp.locator('.reason', { hasText: REASON }).isVisible(), 'the reason is shown to the center');
    assert.equal(await cp.getByRole('button', { name: '承認する' }).count(), 0, 'no review buttons after the review');
    // The facility's admin is mailed the reason.
    const mail = await waitForMailIn(maildir(), { to: 'pending13@example.jp', since, timeoutMs: 20000 });
    assert.match(mail.text, /郵便番号と最寄り駅/);

    // --- the facility admin sees the reason and fixes the profile
    const fp = fac.page;
    await loginUi(fp, 'pending13@example.jp');
    await openFacilityFromHome(fp);
    assert.equal((await badge(fp).innerText()).trim(), '差し戻し');
    assert.ok(await fp.locator('.reason', { hasText: REASON }).isVisible(), 'the facility sees the reason');
    await fp.getByRole('heading', { name: '担当者アカウント' }).waitFor();
    await fp.locator('.history-returned').waitFor();
    await checkScreen(fp, 'facility-profile-returned');

    await fp.getByRole('button', { name: '施設情報を変更する' }).click();
    await fp.locator('#f-postal_code').waitFor();
    assert.equal(await fp.locator('#f-departments input[type=checkbox]').count() > 5, true, 'departments from /ref');
    await fp.locator('#f-municipality:not([disabled])').waitFor();
    assert.equal(await fp.locator('#f-prefecture').inputValue(), '13');
    assert.ok(await fp.locator('#f-municipality').inputValue(), 'the municipality is kept');
    // An invalid postal code goes to the server, whose 422 shows next to the field.
    await fp.locator('#f-postal_code').fill('123-45');
    const r422 = fp.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/facilities\/\d+$/.test(r.url()));
    await fp.getByRole('button', { name: '変更を保存する' }).click();
    assert.equal((await r422).status(), 422);
    const err = fp.locator('#f-postal_code-error');
    await err.waitFor();
    assert.match(await err.innerText(), /郵便番号は7桁の数字で入力してください/);
    assert.equal(await fp.locator('#f-postal_code').getAttribute('aria-invalid'), 'true');
    await fp.locator('.error-summary', { hasText: '郵便番号' }).waitFor();
    await checkScreen(fp, 'facility-profile-edit-error');

    await fp.locator('#f-postal_code').fill('100-0005');
    await fp.locator('#f-station').fill('JR東京駅');
    await fp.locator('#f-access').fill('東京駅丸の内北口から徒歩5分');
    await fp.locator('#f-beds').fill('19');
    await fp.locator('#f-departments input[value="home_care"]').check();
    await fp.getByRole('button', { name: '変更を保存する' }).click();
    await fp.locator('.toast', { hasText: '施設情報を保存しました' }).waitFor();
    await fp.getByRole('button', { name: '施設情報を変更する' }).waitFor();
    const profile = fp.locator('section[aria-labelledby="profile-h"] .dl');
    assert.match(await profile.innerText(), /〒100-0005/);
    assert.match(await profile.innerText(), /JR東京駅/);
    assert.match(await profile.innerText(), /19床/);
    // Codes are shown by their names from /ref.
    assert.match(await profile.innerText(), /東京都/);
    assert.match(await profile.innerText(), /診療所/);
    assert.match(await profile.innerText(), /在宅・訪問/);

    // A further login is invited.
    const invitee = uniqueEmail('fac-staff');
    await fp.locator('#f-invite-email').fill(invitee);
    await fp.locator('#f-invite-name').fill('看護 次郎');
    await fp.locator('#f-invite-name_kana').fill('かんご じろう'); // hiragana is accepted
    await fp.getByRole('button', { name: '招待メールを送る' }).click();
    await fp.locator('.toast', { hasText: '招待メールを送信しました' }).waitFor();
    await fp.locator('table tbody tr', { hasText: invitee }).waitFor();
    assert.match(await fp.locator('table tbody tr', { hasText: invitee }).innerText(), /パスワード設定待ち/);

    await fp.getByRole('button', { name: '再審査を依頼する' }).click();
    await fp.locator('.toast', { hasText: '再審査を依頼しました' }).waitFor();
    await fp.locator('.status-line .status', { hasText: '審査中' }).waitFor();
    assert.equal(await fp.getByRole('button', { name: '再審査を依頼する' }).count(), 0);
    await fp.locator('.history-submitted').waitFor();
    await checkScreen(fp, 'facility-profile-admin');

    // --- the counselor approves
    await cp.goto(detailUrl);
    await waitTitle(cp, PENDING);
    await cp.locator('.status-line .status', { hasText: '審査中' }).waitFor();
    await cp.getByRole('button', { name: '承認する' }).click();
    const adlg = cp.getByRole('dialog', { name: 'この施設を承認しますか？' });
    await adlg.waitFor();
    await checkScreen(cp, 'facility-approve-dialog');
    await adlg.getByRole('button', { name: '承認する' }).click();
    await cp.locator('.toast', { hasText: '承認しました' }).waitFor();
    await cp.locator('.status-line .status', { hasText: '承認済み' }).waitFor();
    await cp.locator('.history-approved').waitFor();

    // --- the facility admin sees 承認済み and the history
    await fp.reload();
    await waitTitle(fp, '施設情報');
    await fp.locator('.status-line .status', { hasText: '承認済み' }).waitFor();
    const history = fp.locator('.history');
    await fp.locator('.history-approved').waitFor();
    const h = await history.innerText();
    for (const want of ['承認', '再審査の依頼', '施設情報の変更', '差し戻し', '担当者アカウントの招待',
      '郵便番号', '100-0005', '最寄り駅', 'JR東京駅', '病床数', '19床', '診療科', '在宅・訪問', '（未入力）']) {
      assert.ok(h.includes(want), `history shows ${want}`);
    }
    assert.ok(h.includes(REASON), 'history shows the reason');
    assert.match(h, /桜井 三郎（施設管理者）/);
    assert.match(h, /（相談員）/);
    await checkScreen(fp, 'facility-profile-approved');
  } finally {
    await center.ctx.close();
    await fac.ctx.close();
  }
});

test('facility staff see the profile read-only', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await loginUi(page, 'staff13@example.jp');
    await openFacilityFromHome(page);
    await page.locator('section[aria-labelledby="profile-h"] .dl').waitFor();
    await page.locator('#history-h').waitFor();
    assert.equal(await page.getByRole('button', { name: '施設情報を変更する' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: '招待メールを送る' }).count(), 0);
    assert.equal(await page.getByRole('heading', { name: '担当者アカウント' }).count(), 0);
    assert.equal(await page.locator('form').count(), 0, 'no forms for staff');
    await checkScreen(page, 'facility-profile-staff');
    // Not a center screen.
    await page.goto('/center/reviews');
    await waitTitle(page, 'このページを表示する権限がありません');
  } finally { await ctx.close(); }
});

test('central browses facilities by status without review buttons', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    await loginUi(page, 'central@example.jp');
    await mainNav(page).getByRole('link', { name: '求人施設一覧' }).click();
    await waitTitle(page, '求人施設一覧');
    await page.locator('table tbody tr').first().waitFor();
    await page.locator('#f-status').selectOption('approved');
    await page.getByRole('button', { name: '絞り込む' }).click();
    await page.waitForURL(/status=approved/);
    await page.locator('table tbody tr').first().waitFor();
    const statuses = await page.locator('table tbody td[data-label="状態"]').allInnerTexts();
    assert.ok(statuses.length > 0 && statuses.every((s) => s.trim() === '承認済み'), `only approved: ${statuses}`);
    await checkScreen(page, 'facility-list-central');

    await page.locator('table tbody tr').first().getByRole('link').click();
    await page.locator('.status-line .status').waitFor();
    await page.locator('.history-item').first().waitFor();
    assert.equal(await page.getByRole('button', { name: '承認する' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: '差し戻す' }).count(), 0);
    await checkScreen(page, 'facility-detail-central');

    // The review queue is the prefectural centers' screen.
    await page.goto('/center/reviews');
    await waitTitle(page, 'このページを表示する権限がありません');
  } finally { await ctx.close(); }
});
