// Job offers (求人票): the facility admin creates an offer and sees the live compliance
// findings (minimum wage next to 基本給, 看護婦 next to the title), a submission blocked by
// the checker (422 shown inline), completes and submits it; the counselor returns it with a
// reason; the facility fixes and resubmits; the counselor publishes; the facility sees 掲載中
// with a 求人番号; an anonymous visitor on a phone finds it with a two-character keyword; the
// facility extends it, copies it, gets the copy published and closes it (採用済み).
// (The demo database is fresh for each e2e run.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, checkScreen, waitTitle, loginUi } from './lib.mjs';

const TITLE = `外来看護師・日勤のみ・パート${Date.now().toString(36).slice(-4)}`;
const COPY_TITLE = `${TITLE}・2人目`;
const RETURN_REASON = 'PR欄の「ママさん」は性別を限定すると受け取られる表現です。「子育て中の方」などに修正してください。';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const mainNav = (page) => page.getByRole('navigation', { name: 'メインメニュー' });
const badge = (page) => page.locator('.status-line .offer-status').first();
const toastText = (page, text) => page.locator('.toast', { hasText: text }).first().waitFor();
/** Waits until the live check has answered for the current input. */
async function settled(page) {
  await page.waitForTimeout(700);
  await page.waitForFunction(() => {
    const c = document.querySelector('.findings-count');
    return c && !/確認しています/.test(c.textContent || '');
  });
}

async function radio(page, name, value) {
  await page.locator(`#f-${name.replace(/\./g, '-')} input[value="${value}"]`).check();
}

/** Fills every disclosure item with compliant answers. */
async function completeOffer(page) {
  await page.locator('#f-employment_form').selectOption('hijokin');
  await page.locator('#f-positions').fill('1');
  await page.locator('#f-duties-description').fill('外来での診療補助、採血・点滴、検査の介助、患者さんへの説明など');
  await page.locator('#f-duties-change_scope').fill('変更なし');
  await radio(page, 'contract.type', 'indefinite');
  await radio(page, 'probation.present', 'yes');
  await page.locator('#f-probation-months').fill('3');
  await radio(page, 'probation.conditions_differ', 'no');
  await page.locator('#f-workplace-municipality_code:not([disabled])').waitFor();
  await page.locator('#f-workplace-municipality_code').selectOption('13101');
  await page.locator('#f-workplace-address').fill('丸の内1-1-1');
  await page.locator('#f-workplace-station').fill('JR東京駅');
  await page.locator('#f-workplace-change_scope').fill('変更なし');
  await page.locator('#f-hours-start').fill('9:00');
  await page.locator('#f-hours-end').fill('16:00');
  await page.locator('#f-hours-shift_patterns input[value="day_only"]').check();
  await page.locator('#f-hours-night_shifts_per_month').fill('0');
  await page.locator('#f-hours-break_minutes').fill('60');
  await radio(page, 'hours.overtime', 'no');
  await page.locator('#f-holidays-annual_days').fill('120');
  await page.locator('#f-holidays-pattern').fill('土日祝休み');
  await radio(page, 'wage.type', 'hourly');
  await page.locator('#f-wage-base_min').fill('1,600');
  await page.locator('#f-wage-base_max').fill('2000');
  await radio(page, 'wage.fixed_overtime', 'no');
  for (const k of ['employment', 'health', 'pension', 'workers_comp']) await radio(page, `insurance.${k}`, 'yes');
  await radio(page, 'smoking.measure', 'premises_ban');
  await page.locator('#f-licences input[value="kangoshi"]').check();
  await page.locator('#f-licences input[value="junkangoshi"]').check();
  await page.locator('#f-departments input[value="outpatient"]').check();
  await page.locator('#f-flags input[value="blank_ok"]').check();
}

async function publishFromQueue(cp, title) {
  await cp.goto('/center/offers');
  await waitTitle(cp, '求人票の審査');
  await cp.locator('table tbody tr', { hasText: title }).getByRole('link', { name: title }).click();
  await waitTitle(cp, title);
  await cp.getByRole('button', { name: '公開する' }).click();
  const dlg = cp.getByRole('dialog', { name: 'この求人票を公開しますか？' });
  await dlg.waitFor();
  return dlg;
}

test('offer cycle: live findings, return, resubmit, publish, extend, copy, close', async () => {
  const fac = await newPage(browser);
  const center = await newPage(browser);
  const fp = fac.page, cp = center.page;
  try {
    // --- the facility admin opens 求人票 and starts a new offer
    await loginUi(fp, 'facility13@example.jp');
    await mainNav(fp).getByRole('link', { name: '求人票', exact: true }).click();
    await waitTitle(fp, '求人票');
    await fp.locator('table tbody tr', { hasText: '病棟看護師（二交代）' }).waitFor();
    assert.match(await fp.locator('table tbody tr', { hasText: '病棟看護師（二交代）' }).innerText(), /掲載中[\s\S]*13-\d{4}-\d{6}/);
    await checkScreen(fp, 'offer-list');

    await fp.getByRole('link', { name: '求人票を作成' }).click();
    await waitTitle(fp, '求人票を作成');
    await settled(fp);
    // The employer defaults to the facility; nothing is marked red before it is touched.
    assert.ok(await fp.locator('#f-employer-name').inputValue(), 'employer name prefilled');
    assert.equal(await fp.locator('#f-duties-description-error').count(), 0, 'untouched items are not marked');
    assert.match(await fp.locator('.findings-count').innerText(), /修正が必要な項目 \d+件/);

    // Live findings: the old title 看護婦 is a warning next to the title ...
    await fp.locator('#f-title').fill('外来看護婦（日勤のみ）');
    await fp.locator('#f-title-hint .field-warning', { hasText: '看護婦' }).waitFor();
    await fp.locator('.finding-warning', { hasText: '看護婦' }).waitFor();
    // ... and 900 yen an hour is below Tokyo's minimum wage, next to 基本給.
    await radio(fp, 'wage.type', 'hourly');
    await fp.locator('#f-wage-base_min').fill('900');
    await fp.locator('#f-wage-base_min-error', { hasText: '最低賃金' }).waitFor();
    assert.equal(await fp.locator('#f-wage-base_min').getAttribute('aria-invalid'), 'true');
    await fp.locator('.finding-error', { hasText: '最低賃金' }).waitFor();
    await fp.locator('#f-pr').fill('ママさんナース歓迎。子育てと両立できる職場です。');
    await fp.locator('#f-pr-hint .field-warning', { hasText: 'ママさん' }).waitFor();
    await checkScreen(fp, 'offer-form-findings');

    // Saved as 下書き, then a submission is refused by the checker (422 shown inline).
    await fp.getByRole('button', { name: '下書きとして保存' }).click();
    await toastText(fp, '下書きを保存しました');
    await fp.waitForURL(/\/facility\/offers\/\d+\/edit$/);
    await waitTitle(fp, '求人票の編集');
    const offerId = /offers\/(\d+)\/edit/.exec(fp.url())[1];
    await settled(fp);
    const r422 = fp.waitForResponse((r) => r.url().endsWith(`/job-offers/${offerId}/submit`));
    await fp.getByRole('button', { name: '審査を依頼する' }).click();
    assert.equal((await r422).status(), 422);
    await fp.locator('.error-summary', { hasText: '審査を依頼できませんでした' }).waitFor();
    assert.match(await fp.locator('.error-summary').innerText(), /最低賃金/);
    await fp.locator('#f-duties-description-error').waitFor();
    await checkScreen(fp, 'offer-form-blocked');

    // Completed and fixed, it is submitted.
    await fp.locator('#f-title').fill(TITLE);
    await completeOffer(fp);
    await settled(fp);
    assert.match(await fp.locator('.findings-count').innerText(), /修正が必要な項目 0件/);
    assert.equal(await fp.locator('#f-wage-base_min-error').count(), 0);
    await fp.getByRole('button', { name: '審査を依頼する' }).click();
    await toastText(fp, '審査を依頼しました');
    await fp.waitForURL(new RegExp(`/facility/offers/${offerId}$`));
    await waitTitle(fp, TITLE);
    await fp.locator('.status-line .offer-status', { hasText: '審査中' }).waitFor();
    await fp.locator('.offer-history-submitted').waitFor();
    assert.equal(await fp.getByRole('link', { name: '編集', exact: true }).count(), 0, 'no editing while 審査中');
    await checkScreen(fp, 'offer-detail-submitted');

    // --- the counselor finds it in the queue and returns it with a reason
    await loginUi(cp, 'counselor13@example.jp');
    await mainNav(cp).getByRole('link', { name: '求人票の審査' }).click();
    await waitTitle(cp, '求人票の審査');
    const row = cp.locator('table tbody tr', { hasText: TITLE });
    await row.waitFor();
    assert.match(await row.innerText(), /東京中央総合病院/);
    await checkScreen(cp, 'offer-review-queue');
    await row.getByRole('link', { name: TITLE }).click();
    await waitTitle(cp, TITLE);
    assert.equal((await badge(cp).innerText()).trim(), '審査中');
    // The gender wording is highlighted in the content and listed as a warning.
    await cp.locator('.offer-view dd.has-warning', { hasText: 'ママさん' }).waitFor();
    await cp.locator('.findings .finding-warning', { hasText: 'ママさん' }).waitFor();
    await cp.locator('.offer-view', { hasText: '1,600円〜2,000円' }).waitFor();
    await cp.locator('.offer-view', { hasText: '千代田区丸の内1-1-1' }).waitFor();
    await checkScreen(cp, 'offer-review');

    // 不受理 asks for the legal ground (looked at, then cancelled).
    await cp.getByRole('button', { name: '不受理' }).click();
    const rdlg = cp.getByRole('dialog', { name: '求人票を不受理にする' });
    await rdlg.waitFor();
    await rdlg.getByRole('button', { name: '不受理にする' }).click();
    await rdlg.locator('#f-review-ground-error', { hasText: '不受理の根拠を選んでください' }).waitFor();
    const grounds = await rdlg.locator('#f-review-ground option').allInnerTexts();
    for (const g of ['法令違反の内容', '著しく不適当な労働条件', '労働関係法令違反で処分・公表された求人者', '労働条件が明示されていない', '暴力団員等', '自己申告に応じない']) {
      assert.ok(grounds.some((x) => x.includes(g)), `ground ${g}`);
    }
    await checkScreen(cp, 'offer-refuse-dialog');
    await rdlg.getByRole('button', { name: 'キャンセル' }).click();

    await cp.getByRole('button', { name: '差し戻す' }).click();
    const dlg = cp.getByRole('dialog', { name: '求人票を差し戻す' });
    await dlg.waitFor();
    await dlg.getByRole('button', { name: '差し戻す' }).click();
    await dlg.locator('#f-review-reason-error', { hasText: '差し戻しの理由を入力してください' }).waitFor();
    await checkScreen(cp, 'offer-return-dialog');
    await dlg.locator('#f-review-reason').fill(RETURN_REASON);
    await dlg.getByRole('button', { name: '差し戻す' }).click();
    await toastText(cp, '差し戻しました');
    await cp.locator('.status-line .offer-status', { hasText: '差し戻し' }).waitFor();
    assert.ok(await cp.locator('.reason', { hasText: RETURN_REASON }).isVisible());
    assert.equal(await cp.getByRole('button', { name: '公開する' }).count(), 0);

    // --- the facility sees the reason, fixes the PR and asks again
    await fp.reload();
    await waitTitle(fp, TITLE);
    await fp.locator('.status-line .offer-status', { hasText: '差し戻し' }).waitFor();
    assert.ok(await fp.locator('.reason', { hasText: RETURN_REASON }).isVisible(), 'the facility sees the reason');
    await fp.locator('.offer-history-returned', { hasText: RETURN_REASON }).waitFor();
    await checkScreen(fp, 'offer-detail-returned');
    await fp.getByRole('link', { name: '編集', exact: true }).click();
    await waitTitle(fp, '求人票の編集');
    await fp.locator('#f-pr').waitFor();
    assert.equal(await fp.locator('#f-wage-base_min').inputValue(), '1600');
    await fp.locator('#f-pr').fill('子育て中の方も働きやすい職場です。ブランクのある方も歓迎します。');
    await settled(fp);
    assert.equal(await fp.locator('#f-pr-hint .field-warning').count(), 0);
    await fp.getByRole('button', { name: '審査を依頼する' }).click();
    await toastText(fp, '審査を依頼しました');
    await fp.locator('.status-line .offer-status', { hasText: '審査中' }).waitFor();

    // --- the counselor publishes
    const pdlg = await publishFromQueue(cp, TITLE);
    assert.equal(await cp.locator('.offer-view dd.has-warning').count(), 0, 'no warnings left');
    await checkScreen(cp, 'offer-publish-dialog');
    await pdlg.getByRole('button', { name: '公開する' }).click();
    await toastText(cp, '公開しました');
    await cp.locator('.status-line .offer-status', { hasText: '掲載中' }).waitFor();
    assert.match(await cp.locator('.offer-facts').innerText(), /13-\d{4}-\d{6}/);

    // --- an anonymous visitor on a phone finds it at once with a two-character keyword
    {
      const { ctx: vctx, page: vp } = await newPage(browser, { phone: true });
      try {
        await vp.goto('/jobs');
        await waitTitle(vp, '求人を探す');
        await vp.locator('#f-keyword').fill('外来');
        await vp.getByRole('button', { name: '検索', exact: true }).click();
        const found = vp.locator('.job-card', { hasText: TITLE }).first();
        await found.waitFor();
        await found.getByRole('link', { name: TITLE }).click();
        await waitTitle(vp, TITLE);
        assert.match(new URL(vp.url()).pathname, /^\/offers\/13-\d{4}-\d{6}$/);
        assert.match(await vp.locator('main').innerText(), /13-\d{4}-\d{6}/);
        await checkScreen(vp, 'offer-found-by-visitor');
      } finally {
        await vctx.close();
      }
    }

    // --- the facility's list shows 掲載中 with a 求人番号
    await fp.goto('/facility/offers');
    await waitTitle(fp, '求人票');
    const mine = fp.locator('table tbody tr', { hasText: TITLE }).first();
    await mine.waitFor();
    assert.match(await mine.innerText(), /掲載中/);
    assert.match(await mine.locator('td[data-label="求人番号"]').innerText(), /^13-\d{4}-\d{6}$/);
    assert.match(await mine.locator('td[data-label="掲載期限"]').innerText(), /\d{4}年\d{1,2}月\d{1,2}日/);
    await checkScreen(fp, 'offer-list-published');

    // 掲載期限の延長
    await mine.getByRole('button', { name: /掲載期限の延長/ }).click();
    const edlg = fp.getByRole('dialog', { name: '掲載期限を延長しますか？' });
    await edlg.waitFor();
    await edlg.getByRole('button', { name: '延長する' }).click();
    await toastText(fp, '延長しました');

    // コピーして新規作成: a new draft with the same content, published in turn
    await mine.getByRole('button', { name: /コピーして新規作成/ }).click();
    await toastText(fp, '新しい下書きを作成しました');
    await waitTitle(fp, '求人票の編集');
    await fp.locator('#f-title').waitFor();
    assert.equal(await fp.locator('#f-title').inputValue(), TITLE);
    await fp.locator('#f-title').fill(COPY_TITLE);
    await settled(fp);
    await fp.getByRole('button', { name: '審査を依頼する' }).click();
    await toastText(fp, '審査を依頼しました');
    await fp.locator('.status-line .offer-status', { hasText: '審査中' }).waitFor();
    await fp.locator('.offer-history-created', { hasText: 'コピー元' }).waitFor();
    const pdlg2 = await publishFromQueue(cp, COPY_TITLE);
    await pdlg2.getByRole('button', { name: '公開する' }).click();
    await toastText(cp, '公開しました');

    // --- the facility closes the other offer: 掲載終了 (採用済み)
    await fp.goto('/facility/offers');
    await waitTitle(fp, '求人票');
    const other = fp.locator('table tbody tr', { hasText: COPY_TITLE });
    await other.waitFor();
    assert.match(await other.innerText(), /掲載中/);
    await other.getByRole('button', { name: /掲載終了/ }).click();
    const cdlg = fp.getByRole('dialog', { name: '求人票の掲載を終了しますか？' });
    await cdlg.waitFor();
    await cdlg.getByRole('button', { name: '掲載を終了する' }).click();
    await cdlg.locator('#f-close-reason-error', { hasText: '終了の理由を選んでください' }).waitFor();
    await checkScreen(fp, 'offer-close-dialog');
    await cdlg.locator('#f-close-reason input[value="filled"]').check();
    await cdlg.getByRole('button', { name: '掲載を終了する' }).click();
    await toastText(fp, '掲載を終了しました');
    await fp.locator('table tbody tr', { hasText: COPY_TITLE }).locator('.offer-status', { hasText: '掲載終了' }).waitFor();
    assert.match(await fp.locator('table tbody tr', { hasText: TITLE }).filter({ hasNotText: COPY_TITLE }).innerText(), /掲載中/);

    // The closed offer's page: status, reason and history.
    await fp.locator('table tbody tr', { hasText: COPY_TITLE }).getByRole('link', { name: COPY_TITLE }).click();
    await waitTitle(fp, COPY_TITLE);
    await fp.locator('.offer-history-closed', { hasText: '採用済み' }).waitFor();
    const hist = await fp.locator('.history').innerText();
    for (const want of ['掲載終了', '公開', '審査の依頼', '作成', '相談 恵子（相談員）', '人事 一郎（施設管理者）']) assert.ok(hist.includes(want), `history shows ${want}`);
    assert.equal(await fp.getByRole('button', { name: '掲載終了' }).count(), 0);
    await checkScreen(fp, 'offer-detail-closed');

    assert.deepEqual(fp.problems.filter((p) => /^pageerror/.test(p)), []);
    assert.deepEqual(cp.problems.filter((p) => /^pageerror/.test(p)), []);
  } finally {
    await fac.ctx.close();
    await center.ctx.close();
  }
});

test('facility staff use the offer screens on a phone; others cannot', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await loginUi(page, 'staff13@example.jp');
    await page.locator('.link-cards').getByRole('link', { name: /求人票/ }).click();
    await waitTitle(page, '求人票');
    await page.locator('table tbody tr').first().waitFor();
    await page.getByRole('link', { name: '求人票を作成' }).click();
    await waitTitle(page, '求人票を作成');
    await settled(page);
    await page.locator('#f-wage-type input[value="monthly"]').check();
    await page.locator('#f-wage-base_min').fill('260000');
    await page.locator('#f-title').fill('訪問看護師（オンコールあり）');
    await settled(page);
    // Without hours and holidays the monthly wage cannot be converted: no minimum-wage finding.
    assert.equal(await page.locator('#f-wage-base_min-error').count(), 0);
    await checkScreen(page, 'offer-form-phone');
    await page.getByRole('link', { name: '保存せずに戻る' }).click();
    await waitTitle(page, '求人票');
    // The review queue is the center's screen.
    await page.goto('/center/offers');
    await waitTitle(page, 'このページを表示する権限がありません');
  } finally { await ctx.close(); }
});
