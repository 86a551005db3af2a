// Public job search (求人を探す) and the public offer page, as an anonymous
// visitor: keyword search, filters with facet counts, offer details, Back,
// empty state, API errors inline, unknown offer; axe and screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, checkScreen, waitTitle } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Offer numbers carry the fiscal year (April–March, JST) of first publication.
function fiscalYear() {
  const jst = new Date(Date.now() + 9 * 3600 * 1000);
  return jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
}
const FY = fiscalYear();
const TOKYO = { no: `13-${FY}-000001`, title: '病棟看護師（二交代）' };
const OSAKA = { no: `27-${FY}-000001`, title: '訪問看護師（日勤・オンコールあり）' };

const cards = (page) => page.locator('.job-card');
async function waitResults(page, n) {
  await page.waitForFunction((n) => {
    const sec = document.querySelector('.results');
    return sec && sec.getAttribute('aria-busy') === 'false' && document.querySelectorAll('.job-card').length === n;
  }, n, { timeout: 10000 });
}

test('phone: keyword search, offer page, filter with facet counts, Back, empty state', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await page.goto('/jobs');
    await waitTitle(page, '求人を探す');
    await waitResults(page, 2);
    assert.match(await page.locator('.result-count').innerText(), /2件/);
    assert.equal(await page.locator('#f-keyword').getAttribute('placeholder'), '例：夜勤なし 透析 東京');

    // A two-character keyword finds the Osaka offer only.
    await page.locator('#f-keyword').fill('訪問');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.waitForURL(/\/jobs\?keyword=%E8%A8%AA%E5%95%8F$/);
    await waitResults(page, 1);
    const card = cards(page).first();
    assert.match(await card.innerText(), new RegExp(OSAKA.title.replace(/[（）]/g, '.')));
    assert.match(await card.innerText(), /なにわ訪問看護ステーション/);
    assert.match(await card.innerText(), /月給 280,000円〜/);
    assert.match(await card.innerText(), /大阪府大阪市中央区/);
    assert.match(await card.innerText(), /常勤/);
    assert.match(await card.innerText(), /ブランク可/);
    assert.match(await card.innerText(), /掲載期限/);
    assert.match(await page.locator('.result-count').innerText(), /1件の求人票が見つかりました/);
    await checkScreen(page, 'jobs-keyword');

    // Open it: the offer page shows the wage, the offer number and the disclosure items.
    await card.getByRole('link', { name: OSAKA.title }).click();
    await waitTitle(page, OSAKA.title);
    assert.equal(new URL(page.url()).pathname, `/offers/${OSAKA.no}`);
    await page.waitForFunction((t) => document.title.startsWith(t), OSAKA.title);
    const body = await page.locator('main').innerText();
    assert.match(body, /280,000円〜340,000円/);
    assert.ok(body.includes(OSAKA.no), 'offer number shown');
    for (const item of ['業務内容', '契約期間', '試用期間', '就業場所', '就業時間', '休憩時間', '夜勤回数', '年間休日',
      '基本給', '手当', '固定残業代', '加入保険', '受動喫煙対策', '年齢制限', '応募資格', '診療科', '募集人数', '求人者', '掲載期限']) {
      assert.ok(body.includes(item), `offer page shows ${item}`);
    }
    // Codes are rendered as Japanese names.
    assert.match(body, /看護師、准看護師/);
    assert.match(body, /在宅・訪問/); // departments: home_care
    assert.match(body, /敷地内禁煙/);
    assert.match(body, /訪問看護ステーション/);
    assert.doesNotMatch(body, /kangoshi|premises_ban|visiting_nursing|blank_ok|day_only|on_call|home_care/);
    await checkScreen(page, 'offer');

    // Back returns to the same results.
    await page.goBack();
    await waitTitle(page, '求人を探す');
    assert.match(page.url(), /keyword=%E8%A8%AA%E5%95%8F/);
    await waitResults(page, 1);
    assert.equal(await page.locator('#f-keyword').inputValue(), '訪問');
    // The focus returns to the offer that was opened.
    await page.waitForFunction((no) => document.activeElement?.getAttribute('data-offer') === no, OSAKA.no, { timeout: 5000 });

    // Without the keyword both offers; 都道府県=東京都 narrows to Tokyo; counts are shown.
    await page.locator('#f-keyword').fill('');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.waitForURL(/\/jobs$/);
    await waitResults(page, 2);
    const toggle = page.getByRole('button', { name: /絞り込み条件/ });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.locator('summary', { hasText: '都道府県' }).click();
    const tokyo = page.getByRole('checkbox', { name: '東京都 (1)', exact: true });
    assert.ok(await tokyo.isVisible(), 'facet count 東京都 (1) visible');
    assert.ok(await page.getByRole('checkbox', { name: '大阪府 (1)', exact: true }).isVisible(), 'facet count 大阪府 (1) visible');
    assert.ok(await page.getByRole('checkbox', { name: '看護師 (2)', exact: true }).isVisible(), 'licence facet count');
    await tokyo.check();
    await page.waitForURL(/\/jobs\?prefecture=13$/);
    await waitResults(page, 1);
    assert.match(await cards(page).first().innerText(), new RegExp(TOKYO.title.replace(/[（）]/g, '.')));
    assert.match(await cards(page).first().innerText(), /月給 260,000円〜/);
    // Counts of the other dimensions follow the filter; the prefecture facet keeps the others.
    assert.ok(await page.getByRole('checkbox', { name: '看護師 (1)', exact: true }).isVisible(), 'licence count follows the filter');
    assert.ok(await page.getByRole('checkbox', { name: '大阪府 (1)', exact: true }).isVisible());
    assert.ok(await page.getByRole('checkbox', { name: '東京都 (1)', exact: true }).isChecked());
    // One prefecture chosen: its municipalities can be chosen.
    await page.locator('#f-municipality option', { hasText: '千代田区' }).waitFor({ state: 'attached' });
    assert.ok(await page.getByRole('button', { name: '東京都の条件を外す' }).isVisible(), 'chosen condition chip');
    await checkScreen(page, 'jobs-filtered');

    await page.locator('#f-municipality').selectOption({ label: '千代田区' });
    await page.waitForURL(/\/jobs\?prefecture=13&municipality=13101$/);
    await waitResults(page, 1);
    assert.ok(await page.getByRole('button', { name: '千代田区の条件を外す' }).isVisible(), 'municipality chip by name');

    // Back undoes the filters one by one.
    await page.goBack();
    await page.waitForURL(/\/jobs\?prefecture=13$/);
    await waitResults(page, 1);
    await page.goBack();
    await page.waitForURL(/\/jobs$/);
    await waitResults(page, 2);

    // A keyword without hits: a helpful empty state.
    await page.locator('#f-keyword').fill('該当なしの言葉');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await waitResults(page, 0);
    await page.getByText('条件に合う求人票は見つかりませんでした').waitFor();
    assert.match(await page.locator('.result-count').innerText(), /0件/);
    assert.ok(await page.getByRole('link', { name: 'キーワードを外して探す' }).isVisible());
    await checkScreen(page, 'jobs-empty');
    await page.getByRole('link', { name: 'キーワードを外して探す' }).click();
    await waitResults(page, 2);
  } finally { await ctx.close(); }
});

test('state in the URL: shared link, sort, API 400 inline, unknown offer, top page search', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    // A shared link reproduces the search.
    await page.goto('/jobs?prefecture=27&licence=kangoshi');
    await waitTitle(page, '求人を探す');
    await waitResults(page, 1);
    assert.match(await cards(page).first().innerText(), /なにわ訪問看護ステーション/);
    assert.ok(await page.getByRole('checkbox', { name: /^大阪府 \(1\)$/ }).isChecked());
    assert.ok(await page.getByRole('checkbox', { name: /^看護師 \(1\)$/ }).isChecked());

    // Sort by monthly wage: Osaka (280,000) before Tokyo (260,000).
    await page.goto('/jobs?sort=wage_monthly');
    await waitResults(page, 2);
    assert.match(await cards(page).nth(0).innerText(), /月給 280,000円〜/);
    assert.match(await cards(page).nth(1).innerText(), /月給 260,000円〜/);
    await page.locator('#f-sort').selectOption('newest');
    await page.waitForURL(/\/jobs$/);
    await checkScreen(page, 'jobs-sorted');

    // A too long keyword: the API's 400 is shown inline in Japanese.
    await page.goto('/jobs?keyword=' + encodeURIComponent('あ'.repeat(101)));
    await waitTitle(page, '求人を探す');
    const alert = page.locator('.results [role="alert"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /キーワードは100文字以内で入力してください/);
    assert.match(await page.locator('#f-keyword-error').innerText(), /100文字以内/);
    assert.equal(await page.locator('#f-keyword').getAttribute('aria-invalid'), 'true');
    await checkScreen(page, 'jobs-bad-keyword');
    // A code outside the lists in a hand-edited link.
    await page.goto('/jobs?prefecture=99');
    await page.locator('.results [role="alert"]').waitFor();
    assert.match(await page.locator('.results [role="alert"]').innerText(), /「都道府県」の指定が正しくありません/);

    // Direct load of an offer page: the server puts the offer's title and
    // JSON-LD into the HTML; the app then sets the same document title.
    const res = await page.goto(`/offers/${TOKYO.no}`);
    assert.equal(res.status(), 200);
    const html = await res.text();
    assert.ok(html.includes(`<title>${TOKYO.title}｜東京中央総合病院`), 'server-rendered <title>');
    assert.ok(html.includes('application/ld+json'), 'server-rendered JSON-LD');
    await waitTitle(page, TOKYO.title);
    await page.waitForFunction((t) => document.title.startsWith(t), TOKYO.title);
    assert.equal(await page.title(), /<title>([^<]*)<\/title>/.exec(html)[1], 'same title as the server put in');
    const body = await page.locator('main').innerText();
    assert.ok(body.includes(TOKYO.no));
    assert.match(body, /東京中央総合病院/);
    assert.match(body, /260,000円/);
    await checkScreen(page, 'offer-direct');

    // An offer that is not (or no longer) published.
    await page.goto(`/offers/13-${FY}-999999`);
    await waitTitle(page, 'この求人票は掲載が終了したか、見つかりません');
    assert.ok(await page.getByRole('link', { name: '求人を探す' }).last().isVisible());
    await checkScreen(page, 'offer-not-found');

    // The top page's search form submits into the job search.
    await page.goto('/');
    await page.locator('#f-prefecture option').nth(47).waitFor({ state: 'attached' });
    await page.locator('#f-keyword').fill('東京');
    await page.getByRole('button', { name: 'この条件で検索する' }).click();
    await waitTitle(page, '求人を探す');
    await waitResults(page, 1);
    assert.match(await cards(page).first().innerText(), /東京中央総合病院/);
    assert.equal(await page.locator('#f-keyword').inputValue(), '東京');
  } finally { await ctx.close(); }
});
