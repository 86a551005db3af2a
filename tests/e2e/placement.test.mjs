// Job seekers, matching and the placement flow (紹介・採否・就職・定着確認), in the browser:
//  1. nurse13 on a phone: 求職者情報・希望条件 — a value the server refuses is shown next to
//     its field in Japanese, then the profile is saved; renewal and pause/resume of the
//     registration.
//  2. the whole flow: nurse13 opens a published Tokyo offer of 東京中央総合病院 (facility13's)
//     and requests a referral (紹介依頼); counselor13 refers it from the review queue and the
//     紹介状 link answers a PDF; facility13 sees the applicant for the offer, enters the interview
//     date, then 採用; the nurse sees 採用; staff13 records 就職; the counselor finds the
//     placement in the list and in the 定着確認 tasks and records the 1-month check.
//  3. the counselor registers a nurse at the counter, finds her among the offer's candidates
//     and proposes the offer (紹介提案).
//  4. saved searches and the unsubscribe page.
// (The demo database is fresh for each e2e run.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, checkScreen, waitTitle, loginUi } from './lib.mjs';

const OFFER_TITLE = '病棟看護師（二交代）';
const FACILITY = '東京中央総合病院';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const toastText = (page, text) => page.locator('.toast', { hasText: text }).first().waitFor();
const stateBadge = (page) => page.locator('.status-line .app-state').first();
const dialog = (page) => page.getByRole('dialog');

/** YYYY-MM-DD in JST, `days` from today. */
function jstDate(days = 0) {
  return new Date(Date.now() + 9 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10);
}

async function apiJson(page, path, init) {
  return page.evaluate(async ([p, i]) => {
    const r = await fetch('/api/v1' + p, i);
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [path, init ?? {}]);
}

/** Clicks an action button (from the application's `actions`) and confirms its dialog. */
async function act(page, action, confirm, fill) {
  await page.locator(`button[data-action="${action}"]`).click();
  await dialog(page).waitFor();
  if (fill) await fill(dialog(page));
  await dialog(page).getByRole('button', { name: confirm }).click();
  await dialog(page).waitFor({ state: 'hidden' });
}

test('nurse profile: a refused value is shown in Japanese next to its field, then saved; renew, pause, resume', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await loginUi(page, 'nurse13@example.jp');
    await page.goto('/seeker/profile');
    await waitTitle(page, '求職者情報・希望条件');
    await page.locator('#f-experience-years').waitFor();
    await page.getByText('有効期限：').waitFor();
    await checkScreen(page, 'seeker-profile');

    // The server checks the range (0–70 years) and answers 422 with the field.
    await page.locator('#f-experience-years').fill('100');
    await page.locator('#f-wishes-commute_minutes').fill('30');
    await page.getByRole('button', { name: '保存する' }).click();
    await page.locator('#f-experience-years-error').waitFor();
    const msg = await page.locator('#f-experience-years-error').innerText();
    assert.match(msg, /経験年数/, msg);
    assert.match(msg, /[ぁ-んァ-ン一-龥]/);
    assert.equal(await page.locator('#f-experience-years').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('.error-summary').innerText(), /経験年数/);
    await checkScreen(page, 'seeker-profile-error');

    // A reload keeps what was typed (draft) and offers to go back to the saved values.
    await page.reload();
    await waitTitle(page, '求職者情報・希望条件');
    await page.getByText('保存していない入力内容を復元しました').waitFor();
    assert.equal(await page.locator('#f-experience-years').inputValue(), '100');

    await page.locator('#f-experience-years').fill('9');
    await page.getByRole('button', { name: '保存する' }).click();
    await toastText(page, '求職者情報と希望条件を保存しました');
    assert.equal(await page.locator('#f-experience-years-error').count(), 0);
    const saved = await apiJson(page, '/me/seeker');
    assert.equal(saved.body.seeker.experience.years, 9);
    assert.equal(saved.body.seeker.wishes.commute_minutes, 30);

    // One-click renewal, then pause and resume.
    await page.getByRole('button', { name: '有効期限を延長する' }).click();
    await toastText(page, '登録を更新しました');
    await page.getByRole('button', { name: '求職活動を休止する' }).click();
    await dialog(page).getByRole('button', { name: '休止する' }).click();
    await page.locator('.status-line .app-state', { hasText: '休止中' }).first().waitFor();
    await checkScreen(page, 'seeker-profile-paused');
    await page.getByRole('button', { name: '求職活動を再開する' }).click();
    await page.locator('.status-line .app-state', { hasText: '求職中' }).first().waitFor();
    assert.equal((await apiJson(page, '/me/seeker')).body.seeker.status, 'active');

    // Recommendations follow the saved wishes (a list, or the empty state saying why).
    await page.goto('/seeker/matches');
    await waitTitle(page, 'おすすめ求人');
    await page.locator('.app-card, .empty').first().waitFor();
    await checkScreen(page, 'seeker-matches');
  } finally { await ctx.close(); }
});

test('placement flow: referral request, referral with letter, interview, hire, placement, retention check', async () => {
  const nurse = await newPage(browser, { phone: true });
  const counselor = await newPage(browser);
  const facility = await newPage(browser);
  const staff = await newPage(browser);
  try {
    // 1. The nurse opens a published Tokyo offer and asks for a referral.
    const n = nurse.page;
    await loginUi(n, 'nurse13@example.jp');
    await n.goto('/jobs?prefecture=13&keyword=' + encodeURIComponent(OFFER_TITLE));
    await waitTitle(n, '求人を探す');
    await n.locator('.job-card', { hasText: FACILITY }).getByRole('link', { name: OFFER_TITLE }).click();
    await waitTitle(n, OFFER_TITLE);
    await n.getByRole('button', { name: '紹介を依頼する' }).waitFor();
    // nurse13 wishes 日勤のみ; this ward offer is 二交代, so the page says why it does not fit.
    await n.getByText('条件に合わない理由').waitFor({ timeout: 5000 }).catch(() => {});
    await checkScreen(n, 'offer-apply');
    await n.getByRole('button', { name: '紹介を依頼する' }).click();
    await dialog(n).getByRole('button', { name: '紹介を依頼する' }).click();
    await n.getByText('この求人には紹介を依頼済みです').waitFor();
    await toastText(n, '紹介を依頼しました');

    await n.getByRole('link', { name: '応募・紹介状況を見る' }).click();
    await n.locator('h1', { hasText: OFFER_TITLE }).waitFor();
    assert.match(await stateBadge(n).innerText(), /紹介依頼/);
    await n.locator('.timeline-item').first().waitFor();
    await checkScreen(n, 'seeker-application-requested');
    const appId = n.url().split('/').pop();
    await n.goto('/seeker/applications');
    await waitTitle(n, '応募・紹介状況');
    await n.locator('.app-card', { hasText: OFFER_TITLE }).waitFor();
    await checkScreen(n, 'seeker-applications');

    // 2. The counselor refers it from the review queue; the letter is a PDF.
    const c = counselor.page;
    await loginUi(c, 'counselor13@example.jp');
    await c.goto('/center/referral-requests');
    await waitTitle(c, '紹介依頼の確認');
    const row = c.locator('tr', { hasText: '看護 花子' }).filter({ hasText: OFFER_TITLE });
    await row.first().waitFor();
    await checkScreen(c, 'center-review-queue');
    await row.first().getByRole('link', { name: /確認する/ }).click();
    await c.locator('h1', { hasText: '看護 花子' }).waitFor();
    assert.equal(c.url().split('/').pop(), appId);
    await c.locator('button[data-action="refer"]').waitFor();
    await checkScreen(c, 'center-application-requested');
    await act(c, 'refer', '紹介する（紹介状を発行）');
    await toastText(c, 'を登録しました');
    await stateBadge(c).filter({ hasText: '紹介済' }).waitFor();
    const letter = c.locator('a[data-letter]').first();
    await letter.waitFor();
    const res = await c.context().request.get(new URL(await letter.getAttribute('href'), c.url()).href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /application\/pdf/);
    assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');
    await checkScreen(c, 'center-application-referred');

    // 3. The facility sees the applicant for its offer, sets the interview, then hires.
    const f = facility.page;
    await loginUi(f, 'facility13@example.jp');
    await f.goto('/facility/applicants');
    await waitTitle(f, '紹介された求職者');
    await f.locator('#f-offer_id option', { hasText: OFFER_TITLE }).first().waitFor({ state: 'attached' });
    const offerValue = await f.locator('#f-offer_id option', { hasText: OFFER_TITLE }).first().getAttribute('value');
    await f.locator('#f-offer_id').selectOption(offerValue);
    await waitTitle(f, `紹介された求職者（${OFFER_TITLE}）`);
    const frow = f.locator('tr', { hasText: '看護 花子' });
    await frow.first().waitFor();
    // A facility never sees the nurse's contact data.
    const listText = await f.locator('main').innerText();
    assert.doesNotMatch(listText, /nurse13@example\.jp|090-1234-5678/);
    await checkScreen(f, 'facility-applicants');
    await frow.first().getByRole('link', { name: '看護 花子' }).click();
    await f.locator('h1', { hasText: '看護 花子' }).waitFor();
    assert.doesNotMatch(await f.locator('main').innerText(), /nurse13@example\.jp|090-1234-5678/);
    await f.locator('a[data-letter]').first().waitFor();
    await checkScreen(f, 'facility-application-referred');
    const interview = jstDate(7);
    await act(f, 'schedule', '面接日を登録する', (d) => d.locator('#f-interview_date').fill(interview));
    await stateBadge(f).filter({ hasText: '面接予定' }).waitFor();
    // 採用 needs no input; 不採用 would ask for a reason from the list.
    await f.locator('button[data-action="reject"]').click();
    await dialog(f).getByRole('button', { name: '不採用を登録する' }).click();
    await dialog(f).locator('#f-reason_code-error').waitFor();
    assert.ok(await dialog(f).locator('#f-reason_code input[value="other"]').count(), 'reason list from /ref');
    await checkScreen(f, 'facility-reject-dialog');
    await dialog(f).getByRole('button', { name: 'キャンセル' }).click();
    await act(f, 'hire', '採用を登録する');
    await stateBadge(f).filter({ hasText: '採用' }).waitFor();
    await checkScreen(f, 'facility-application-hired');

    // 4. The nurse sees 採用.
    await n.goto('/seeker/applications');
    await n.locator('.app-card', { hasText: OFFER_TITLE }).locator('.app-state', { hasText: '採用' }).waitFor();
    await n.goto(`/seeker/applications/${appId}`);
    await stateBadge(n).filter({ hasText: '採用' }).waitFor();
    assert.match(await n.locator('.timeline').innerText(), /面接/);
    await checkScreen(n, 'seeker-application-hired');

    // 5. The facility's staff records 就職 (started five weeks ago, so the 1-month check is due).
    const s = staff.page;
    await loginUi(s, 'staff13@example.jp');
    await s.goto(`/facility/applicants/${appId}`);
    await s.locator('h1', { hasText: '看護 花子' }).waitFor();
    const start = jstDate(-35);
    await act(s, 'place', '就職を登録する', async (d) => {
      await d.locator('#f-start_date').fill(start);
      await d.locator('#f-employment_form input[value="jokin"]').check();
      await d.locator('#f-permanent input[value="yes"]').check();
    });
    await stateBadge(s).filter({ hasText: '就職' }).waitFor();

    // 6. The counselor finds the placement in the list and in the retention tasks.
    await c.goto('/center/applications?state=placed');
    await waitTitle(c, '応募・紹介の一覧');
    await c.locator('tr', { hasText: '看護 花子' }).filter({ hasText: OFFER_TITLE }).first().waitFor();
    await checkScreen(c, 'center-applications');
    await c.goto('/center/retention');
    await waitTitle(c, '定着確認');
    const rrow = c.locator('tr', { hasText: '看護 花子' }).filter({ hasText: OFFER_TITLE });
    await rrow.first().waitFor();
    assert.match(await rrow.first().innerText(), /1か月定着確認/);
    await checkScreen(c, 'center-retention');
    await rrow.first().getByRole('link', { name: '看護 花子' }).click();
    await c.locator('h1', { hasText: '看護 花子' }).waitFor();
    await act(c, 'check_1m', '確認結果を登録する', (d) => d.locator('#f-result input[value="still_employed"]').check());
    await stateBadge(c).filter({ hasText: '1か月定着確認済' }).waitFor();
    assert.match(await c.locator('.timeline').innerText(), /在職/);
    await checkScreen(c, 'center-application-checked');
  } finally {
    for (const x of [nurse, counselor, facility, staff]) await x.ctx.close();
  }
});

test('counter registration of a nurse without internet, candidates of an offer and a proposal', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    await loginUi(page, 'counselor13@example.jp');
    await page.goto('/center/seekers/new');
    await waitTitle(page, '窓口での求職者登録');
    await page.locator('#f-licences-0-type option[value="kangoshi"]').waitFor({ state: 'attached' });
    await checkScreen(page, 'center-counter-registration');
    // Missing items are reported in Japanese before anything is sent.
    await page.getByRole('button', { name: '求職者として登録する' }).click();
    await page.locator('.error-summary').waitFor();
    assert.match(await page.locator('.error-summary').innerText(), /氏名/);
    const suffix = Date.now().toString(36).slice(-4);
    const name = `窓口 花子${suffix}`;
    await page.locator('#f-name').fill(name);
    await page.locator('#f-name_kana').fill('まどぐち はなこ'); // hiragana is accepted
    await page.locator('#f-work_status input[value="not_working"]').check();
    await page.locator('#f-email_consent input[value="no"]').check();
    await page.locator('#f-licences-0-type').selectOption('kangoshi');
    await page.locator('#f-licences-0-number').fill(String(700000 + Math.floor(Math.random() * 99999)));
    await page.locator('#f-licences-0-registered_on').fill('2010-04-01');
    await page.locator('#f-experience-years').fill('15');
    await page.getByRole('button', { name: '求職者として登録する' }).click();
    await page.locator('h1', { hasText: `${name} さんの記録` }).waitFor();
    assert.match(await page.locator('main').innerText(), /ナースセンター窓口/);

    // Candidates of the Tokyo ward offer: the new nurse has no wishes, so every condition holds.
    await page.goto('/center/matching');
    await waitTitle(page, '求人の候補者');
    const orow = page.locator('tr', { hasText: OFFER_TITLE }).filter({ hasText: FACILITY });
    await orow.first().waitFor();
    await checkScreen(page, 'center-matching');
    await orow.first().getByRole('link', { name: /候補者を見る/ }).click();
    await page.locator('h1', { hasText: `候補者：${OFFER_TITLE}` }).waitFor();
    const card = page.locator('.app-card', { hasText: name });
    await card.waitFor();
    await checkScreen(page, 'center-candidates');
    await card.getByRole('button', { name: /紹介を提案/ }).click();
    await dialog(page).locator('#f-note').fill('ブランクがあっても教育体制が整っている病院です。');
    await dialog(page).getByRole('button', { name: '紹介を提案する' }).click();
    await card.getByRole('link', { name: /紹介を提案しました/ }).click();
    await page.locator('h1', { hasText: name }).waitFor();
    assert.match(await stateBadge(page).innerText(), /紹介提案/);
  } finally { await ctx.close(); }
});

test('saved search: save from the job search, weekly mail toggle, delete; unsubscribe page', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await loginUi(page, 'nurse13@example.jp');
    await page.goto('/jobs?prefecture=13&employment_form=jokin');
    await waitTitle(page, '求人を探す');
    await page.getByRole('button', { name: 'この条件を保存' }).click();
    await dialog(page).waitFor();
    assert.match(await page.locator('#f-name').inputValue(), /東京都/);
    await checkScreen(page, 'saved-search-dialog');
    await page.locator('#f-name').fill('東京の常勤');
    await dialog(page).getByRole('button', { name: '保存する' }).click();
    await toastText(page, '検索条件「東京の常勤」を保存しました');
    await page.getByRole('link', { name: '保存した検索条件を見る' }).click();
    await waitTitle(page, '保存した検索条件');
    const item = page.locator('.app-card', { hasText: '東京の常勤' });
    await item.waitFor();
    assert.match(await item.innerText(), /東京都・常勤/);
    assert.ok(await item.getByRole('checkbox').isChecked(), 'weekly mail on');
    await checkScreen(page, 'saved-searches');
    await item.getByRole('checkbox').uncheck();
    await toastText(page, 'メール配信を停止しました');
    const list = await apiJson(page, '/me/saved-searches');
    assert.equal(list.body.items.find((x) => x.name === '東京の常勤').notify, false);
    // "この条件で探す" opens the search with the same conditions.
    await item.getByRole('link', { name: /この条件で探す/ }).click();
    await waitTitle(page, '求人を探す');
    assert.match(page.url(), /prefecture=13/);
    assert.match(page.url(), /employment_form=jokin/);
    await page.goBack();
    await waitTitle(page, '保存した検索条件');
    await page.locator('.app-card', { hasText: '東京の常勤' }).getByRole('button', { name: /削除する/ }).click();
    await dialog(page).getByRole('button', { name: '削除する' }).click();
    await page.getByText('保存した検索条件はありません').waitFor();

    // The unsubscribe and renewal links of mails work without logging in; unknown tokens say so.
    const anon = await newPage(browser, { phone: true });
    try {
      await anon.page.goto('/unsubscribe?token=not-a-valid-token-000000000000');
      await waitTitle(anon.page, '新着求人メールの配信停止');
      await anon.page.getByText('この配信停止のリンクは無効か').waitFor();
      await checkScreen(anon.page, 'unsubscribe-invalid');
      await anon.page.goto('/seeker/renew?token=not-a-valid-token-000000000000');
      await waitTitle(anon.page, '求職者登録の更新');
      await anon.page.getByText('この更新用のリンクは無効か').waitFor();
      await checkScreen(anon.page, 'renew-invalid');
    } finally { await anon.ctx.close(); }
  } finally { await ctx.close(); }
});
