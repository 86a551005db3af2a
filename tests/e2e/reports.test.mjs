// Statistics screens (統計・年報): central staff open a table of the current fiscal year with
// its SVG chart, switch the scope to a prefecture, save the table as CSV and build all tables as
// one Excel file through the job with its progress bar; a counselor sees their prefecture fixed,
// no national-only (access) tables, the 求人管理簿 ledger of Tokyo, and no other prefecture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, newPage, checkScreen, waitTitle, loginUi } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const menu = (page) => page.getByRole('navigation', { name: 'メインメニュー' });

async function catalog(page) {
  return page.evaluate(() => fetch('/api/v1/reports').then((r) => r.json()));
}

/** Clicks a link and returns the downloaded file's bytes and the link's href. */
async function download(page, link) {
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await dl.path();
  return { bytes: await readFile(file), name: dl.suggestedFilename(), href: await link.getAttribute('href') };
}

test('central: 新規ID数 with a chart, scope 東京都, CSV download and an all-tables Excel build', async () => {
  const { ctx, page } = await newPage(browser);
  try {
    await loginUi(page, 'central@example.jp');
    await menu(page).getByRole('link', { name: '統計・年報' }).click();
    await waitTitle(page, '統計・年報');
    const cat = await catalog(page);
    const fy = cat.current_fiscal_year;
    assert.equal(cat.national, true);

    // The table and year pickers; 全国 is the default scope.
    await page.locator('#f-table').selectOption('new_ids');
    await page.locator('#f-fiscal_year').selectOption(String(fy));
    assert.equal(await page.locator('#f-fiscal_year option:checked').innerText(), `${fy}年度`);
    assert.equal(await page.locator('#f-prefecture option:checked').innerText(), '全国');
    const table = page.locator('.rp-table');
    await table.locator('caption', { hasText: `${fy}年度` }).waitFor();
    assert.match(await table.locator('caption').innerText(), /新規ID数.*全国/);
    assert.match(await page.locator('.rp-meta').innerText(), /範囲\s*：?\s*全国/);
    // Group headings form the first header row; twelve months; 合計 and 前年度計 rows in bold.
    assert.equal(await table.locator('thead tr').count(), 2);
    assert.ok(await table.locator('thead th[scope="colgroup"]', { hasText: '届出サイト' }).count() === 1);
    assert.equal(await table.locator('tbody tr').count(), 12);
    assert.equal(await table.locator('tbody tr').first().locator('th').innerText(), '4月');
    const totals = table.locator('tfoot tr', { hasText: '合計' });
    assert.equal(await totals.count(), 1);
    assert.equal(await totals.locator('td').first().evaluate((el) => getComputedStyle(el).fontWeight), '700');
    assert.equal(await totals.locator('td').first().evaluate((el) => getComputedStyle(el).textAlign), 'right');
    // Demo accounts were created this fiscal year, so some total is positive.
    const sums = (await totals.locator('td').allInnerTexts()).map((s) => Number(s.replace(/,/g, '')));
    assert.ok(sums.some((n) => n > 0), `合計 row: ${sums.join(' ')}`);

    // The chart: an inline SVG image with a summary, one line per series and a legend.
    const chart = page.locator('figure.chart svg[role="img"]');
    await chart.waitFor();
    assert.match(await chart.getAttribute('aria-label'), /新規ID数.*折れ線グラフ.*4月から3月/);
    assert.match(await chart.locator('title').textContent(), /折れ線グラフ/);
    assert.equal(await chart.locator('path[fill="none"]').count(), 3);
    assert.deepEqual(await page.locator('.chart-legend li').allInnerTexts(),
      ['個人計（求人・求職サイト）', '新規施設（求人・求職サイト）', '計（届出サイト）']);

    // Scope 東京都: the address and the table follow.
    await page.locator('#f-prefecture').selectOption({ label: '東京都' });
    await table.locator('caption', { hasText: '東京都' }).waitFor();
    assert.match(page.url(), /prefecture=13/);
    assert.match(await page.locator('.rp-meta').innerText(), /東京都/);
    await checkScreen(page, 'reports-central');

    // CSV of the table shown: UTF-8 with BOM and the Japanese header.
    const csv = await download(page, page.getByRole('link', { name: /^CSVで保存/ }));
    assert.match(csv.href, /\/api\/v1\/reports\/new_ids\/csv\?/);
    assert.match(csv.href, new RegExp(`fiscal_year=${fy}`));
    assert.match(csv.href, /prefecture=13/);
    assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = csv.bytes.subarray(3).toString('utf8');
    assert.match(text.split(/\r?\n/)[0], /^月,求人・求職サイト・個人：インターネット（PC）/, text.slice(0, 200));
    assert.match(text, /\n4月,/);
    assert.match(text, /合計/);
    // The Excel link of the same table answers a workbook.
    const xlsxHref = await page.getByRole('link', { name: /^Excelで保存/ }).getAttribute('href');
    const head = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const b = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, magic: String.fromCharCode(b[0], b[1]) };
    }, xlsxHref);
    assert.deepEqual(head, { status: 200, magic: 'PK' });

    // All tables as one Excel file: a job with a progress bar, then a download link.
    await page.getByRole('button', { name: '全表をExcelで作成' }).click();
    await page.locator('.rp-build-title', { hasText: `${fy}年度・東京都の全表（Excel）` }).waitFor();
    const save = page.getByRole('link', { name: /^作成したファイルを保存/ });
    await save.waitFor({ timeout: 90000 });
    assert.match(await page.locator('.rp-done-text').innerText(), /作成が終わりました（\d+表）/);
    assert.equal(await page.locator('progress').count(), 0);
    const file = await download(page, save);
    assert.equal(file.bytes.subarray(0, 2).toString('latin1'), 'PK');
    assert.match(file.name, new RegExp(`report-${fy}-13\\.xlsx`));
    await checkScreen(page, 'reports-central-build');

    // A ledger needs a prefecture: with 全国 the API's Japanese error is shown at the scope picker.
    await page.locator('#f-table').selectOption('ledger_offers');
    await page.locator('#f-prefecture').selectOption('');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /都道府県を指定してください/);
    await page.locator('#f-prefecture-error').waitFor();
    assert.equal(await page.locator('#f-prefecture').getAttribute('aria-invalid'), 'true');
  } finally {
    await ctx.close();
  }
});

test('counselor13: 東京都 fixed, no national-only tables, the 求人管理簿 of Tokyo', async () => {
  const { ctx, page } = await newPage(browser, { phone: true });
  try {
    await loginUi(page, 'counselor13@example.jp');
    await page.getByRole('button', { name: /メニュー/ }).click();
    await menu(page).getByRole('link', { name: '統計', exact: true }).click();
    await waitTitle(page, '統計');
    assert.match(page.url(), /\/center\/reports/);
    await page.locator('.rp-fixed dd', { hasText: '東京都' }).waitFor();
    assert.equal(await page.locator('#f-prefecture').count(), 0);

    // The picker holds the catalog without the access tables (national only).
    const cat = await catalog(page);
    assert.equal(cat.national, false);
    assert.equal(cat.prefecture, '13');
    const values = await page.locator('#f-table option').evaluateAll((os) => os.map((o) => o.value));
    const labels = await page.locator('#f-table option').allInnerTexts();
    assert.ok(!values.some((v) => v.startsWith('access_')), values.join(','));
    assert.ok(!labels.some((l) => /アクセス/.test(l)), labels.join(','));
    assert.ok(values.includes('ledger_offers') && values.includes('new_ids'), values.join(','));
    assert.equal(values.length, cat.tables.length);

    // The ledger of Tokyo for the current fiscal year.
    await page.locator('#f-table').selectOption('ledger_offers');
    await page.locator('#rp-table-h', { hasText: '求人管理簿' }).waitFor();
    await page.locator('.rp-meta', { hasText: '東京都' }).waitFor();
    assert.match(await page.locator('.rp-meta').innerText(), new RegExp(`${cat.current_fiscal_year}年度`));
    const ledger = page.locator('.rp-table');
    if (await ledger.count()) {
      assert.match(await ledger.locator('caption').innerText(), /求人管理簿（東京都/);
      assert.ok(await ledger.locator('thead th[scope="colgroup"]', { hasText: '紹介の状況' }).count() === 1);
      // On a phone the table scrolls sideways with the first column kept in view.
      assert.equal(await ledger.locator('tbody th').first().evaluate((el) => getComputedStyle(el).position), 'sticky');
      assert.equal(await page.locator('.rp-table-wrap').evaluate((el) => getComputedStyle(el).overflowX), 'auto');
    } else {
      await page.getByText('該当するデータはありません').waitFor();
    }
    await checkScreen(page, 'reports-center');

    // Another prefecture's figures and the central screen are out of reach.
    const other = await page.evaluate(() => fetch('/api/v1/reports/flows?prefecture=27').then((r) => r.status));
    assert.equal(other, 403);
    await page.goto('/central/reports');
    await waitTitle(page, 'このページを表示する権限がありません');
  } finally {
    await ctx.close();
  }
});
