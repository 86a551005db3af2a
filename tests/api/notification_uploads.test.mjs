// Bulk upload of proxy notifications (docs/API.md "Bulk upload (施設代行届出の一括登録)"): CSV in
// UTF-8 (with and without BOM) and Shift_JIS, XLSX (shared and inline strings, date cells);
// row-level validation with file row numbers, the rejected-row report (report.csv), only valid
// rows written, dry runs; file-level defects (encoding, columns, format, size, row count) that
// write nothing; formula cells; who may upload and read reports.
//
// Files are generated in code: CSV text, Shift_JIS bytes from _notif.mjs's encoder, XLSX from
// _xlsx.mjs. Counts are checked with the facility's list total and `nccs db-counts`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  API, BASE, client, demo, uniqueEmail, assertError, counts, stableCounts, tokenFromMail, JP_RE,
} from './_lib.mjs';
import { rawHttp, SESSION_COOKIE } from '../support/client.mjs';
import {
  P, FORMULAS, kanaName, licNo, jstDate, toCsv, parseCsv, hasBom, formulaCells, sjis, pick, NOTIF_TABLES,
  assertNotification, allPages,
} from './_notif.mjs';
import { xlsx, zip } from './_xlsx.mjs';

const HEADER = ['氏名', 'フリガナ', '生年月日', '郵便番号', '住所都道府県', '住所', '電話番号', 'メールアドレス',
  '免許種別', '籍登録番号', '登録年月日', '届出事由', '事由発生日', '離職前の就業場所', '就業状況'];
const UP_TABLES = [...NOTIF_TABLES, 'notification_uploads'];

let fac13, staff13, fac27, c13, c27, a13, central, nurse13, fid13, fid27;

before(async () => {
  [fac13, staff13, fac27, c13, c27, a13, central, nurse13] = await Promise.all(
    ['facility13', 'staff13', 'facility27', 'counselor13', 'counselor27', 'admin13', 'central', 'nurse13'].map((n) => demo(n)));
  fid13 = fac13.user.facility_id;
  fid27 = fac27.user.facility_id;
});

// One data row as an object keyed by header; `over` replaces cells.
function rowObj(over = {}) {
  return {
    氏名: '代行 花子', フリガナ: kanaName('ダイコウ'), 生年月日: '1990-05-01', 郵便番号: '160-0023', 住所都道府県: '東京都',
    住所: '新宿区西新宿1-1-1', 電話番号: '090-1234-5678', メールアドレス: '', 免許種別: '看護師', 籍登録番号: licNo(),
    登録年月日: '2012/04/01', 届出事由: '病院等を離職した', 事由発生日: jstDate(-30), 離職前の就業場所: '病院', 就業状況: '未就業',
    ...over,
  };
}
const cells = (o, header = HEADER) => header.map((h) => (o[h] === undefined ? '' : o[h]));
// A CSV file (UTF-8 Buffer) of the header and row objects.
const csv = (rows, header = HEADER) => Buffer.from(toCsv([header, ...rows.map((r) => cells(r, header))]), 'utf8');

function upload(c, fid, body, { filename = 'taishoku.csv', dry = false, ct = 'text/csv' } = {}) {
  const q = new URLSearchParams({ filename });
  if (dry) q.set('dry_run', '1');
  return c.req('POST', `${P.uploads(fid)}?${q}`, { body, headers: { 'content-type': ct } });
}
// Uploads and asserts the status; returns the Upload.
async function uploadOk(c, fid, body, opts = {}) {
  const r = await upload(c, fid, body, opts);
  assert.equal(r.status, opts.dry ? 200 : 201, `upload ${opts.filename || ''}: ${r.text.slice(0, 800)}`);
  const u = r.json.upload;
  for (const k of ['filename', 'format', 'rows', 'accepted', 'rejected', 'errors', ...(opts.dry ? [] : ['created_at'])]) {
    assert.ok(k in u, `Upload has ${k}: ${r.text.slice(0, 300)}`);
  }
  if (opts.dry) assert.ok(!('id' in u) || u.id === null, 'no id on a dry run');
  else assert.ok(Number.isInteger(u.id) && u.id > 0, 'upload id');
  assert.equal(u.rows, u.accepted + u.rejected, 'rows = accepted + rejected');
  assert.ok(Array.isArray(u.errors) && u.errors.length <= 100);
  for (const e of u.errors) {
    assert.ok(Number.isInteger(e.row) && e.row >= 2, `error row ${JSON.stringify(e)}`);
    assert.equal(typeof e.column, 'string');
    assert.equal(typeof e.code, 'string');
    assert.match(e.message, JP_RE, `Japanese message: ${JSON.stringify(e)}`);
  }
  return u;
}
const facTotal = async (fid = fid13) => {
  const r = await fac13.get(`${P.facility(fid)}?per_page=1`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  return r.json.total;
};
// Snapshot of what an upload may write: the facility's list total and the table counts.
async function snapshot() {
  return { total: await facTotal(), tables: pick(await stableCounts(), UP_TABLES) };
}
// The facility's notification whose reading is `kana`, with its full Notification (facility view).
async function byKana(kana) {
  const q = encodeURIComponent(kana.split(' ')[1]);
  const l = await central.get(`${API}/notifications?q=${q}`);
  assert.equal(l.status, 200, l.text.slice(0, 300));
  if (l.json.items.length !== 1) return l.json.items.length ? l.json.items : null;
  const g = await fac13.get(P.one(l.json.items[0].id));
  assert.equal(g.status, 200, g.text.slice(0, 300));
  return assertNotification(g.json.notification, { forFacility: true });
}

// Sends a big body over a raw connection (the server may answer before reading it all).
async function rawUpload(c, fid, buf, ct = 'text/csv') {
  const head = `POST ${P.uploads(fid)}?filename=big.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${ct}\r\n`
    + `Content-Length: ${buf.length}\r\nCookie: ${SESSION_COOKIE}=${c.session}\r\nX-CSRF-Token: ${c.csrf}\r\n`
    + `X-Forwarded-For: ${c.ip}\r\nConnection: close\r\n\r\n`;
  return rawHttp(BASE, Buffer.concat([Buffer.from(head), buf]), { timeoutMs: 120000 });
}

// ---- accepted files --------------------------------------------------------------------------

test('UTF-8 CSV: each valid row becomes a pending proxy notification with its holder; a row with an address is mailed', async () => {
  const email = uniqueEmail('bulk');
  const rows = [
    rowObj({ メールアドレス: email }),
    // Codes instead of labels.
    rowObj({ 住所都道府県: '13', 免許種別: 'kangoshi', 届出事由: 'left_job', 離職前の就業場所: 'hospital', 就業状況: 'not_working', 登録年月日: '2012-04-01' }),
    rowObj({ 氏名: '代行 三郎', 届出事由: '免許取得後ただちに業務に従事しない', 離職前の就業場所: '', 就業状況: '就学中', 免許種別: '准看護師' }),
  ];
  const before = await snapshot();
  const since = Date.now() - 5;
  const u = await uploadOk(fac13, fid13, csv(rows), { filename: '退職者一覧.csv' });
  assert.equal(u.filename, '退職者一覧.csv');
  assert.equal(u.format, 'csv_utf8');
  assert.equal(u.rows, 3);
  assert.equal(u.accepted, 3, JSON.stringify(u.errors));
  assert.equal(u.rejected, 0);
  assert.deepEqual(u.errors, []);
  assert.ok(Math.abs(u.created_at - Date.now() / 1000) < 300);
  const after = await snapshot();
  assert.equal(after.total - before.total, 3, 'facility list total +3');
  assert.equal(after.tables.notifications - before.tables.notifications, 3);
  assert.equal(after.tables.notification_uploads - before.tables.notification_uploads, 1);
  assert.equal(after.tables.users - before.tables.users, 3, 'one holder account per row');
  assert.equal(after.tables.tasks, before.tables.tasks, 'pending notifications open no task');

  const n = await byKana(rows[0].フリガナ);
  assert.equal(n.upload_id, u.id);
  assert.equal(n.channel, 'proxy');
  assert.equal(n.status, 'pending_confirmation');
  assert.equal(n.facility.id, fid13);
  assert.equal(n.holder.name, '代行 花子');
  assert.equal(n.holder.address_prefecture, '13');
  assert.equal(n.licences[0].type, 'kangoshi');
  assert.equal(n.licences[0].number, rows[0].籍登録番号);
  assert.equal(n.licences[0].registered_on, '2012-04-01', 'YYYY/MM/DD read as a date');
  assert.equal(n.reason, 'left_job');
  assert.equal(n.last_workplace, 'hospital');
  assert.equal(n.work_status, 'not_working');
  const n3 = await byKana(rows[2].フリガナ);
  assert.equal(n3.reason, 'not_practising_after_licensing');
  assert.equal(n3.work_status, 'studying');
  assert.equal(n3.licences[0].type, 'junkangoshi');
  // The row with an address gets the confirmation link.
  const { token } = await tokenFromMail(email, since);
  const lk = await client().post(P.lookup, { token });
  assert.equal(lk.status, 200);
  assert.equal(lk.json.notification.id, n.id);
  // The uploads list, newest first.
  for (const c of [fac13, staff13, c13, central]) {
    const l = await c.get(P.uploads(fid13));
    assert.equal(l.status, 200, l.text.slice(0, 300));
    assert.equal(l.json.items[0].id, u.id, 'newest first');
    assert.equal(l.json.items[0].accepted, 3);
    assert.ok(l.json.items.length <= 50);
  }
});

test('UTF-8 with BOM, columns in any order, unknown columns ignored, leading blank line', async () => {
  const header = ['備考', ...HEADER].reverse();
  const r = rowObj({ 備考: 'メモ' });
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\r\n'), csv([r], header)]);
  const u = await uploadOk(fac13, fid13, body);
  assert.equal(u.format, 'csv_utf8');
  assert.equal(u.accepted, 1, JSON.stringify(u.errors));
  const n = await byKana(r.フリガナ);
  assert.equal(n.holder.name, '代行 花子', 'no BOM in the first cell');
});

test('Shift_JIS CSV: decoded to the same text', async () => {
  const rows = [rowObj({ 氏名: '看護師 代行', 住所: '千代田区丸の内一丁目' }), rowObj({ 氏名: '届出 次郎', 住所都道府県: '神奈川県', 住所: '横浜市中区' })];
  const text = toCsv([HEADER, ...rows.map((x) => cells(x))]);
  const u = await uploadOk(fac13, fid13, sjis(text), { filename: 'sjis.csv' });
  assert.equal(u.format, 'csv_sjis');
  assert.equal(u.accepted, 2, JSON.stringify(u.errors));
  const a = await byKana(rows[0].フリガナ);
  assert.equal(a.holder.name, '看護師 代行');
  assert.equal(a.holder.address, '千代田区丸の内一丁目');
  const b = await byKana(rows[1].フリガナ);
  assert.equal(b.holder.address_prefecture, '14');
  assert.equal(b.holder.address, '横浜市中区');
});

test('Shift_JIS as Excel on Windows writes it (CP932 characters such as 髙 and 﨑)', async () => {
  const r = rowObj({ 氏名: '髙﨑 花子' });
  const u = await uploadOk(fac13, fid13, sjis(toCsv([HEADER, cells(r)])), { filename: 'cp932.csv' });
  assert.equal(u.format, 'csv_sjis');
  assert.equal(u.accepted, 1, JSON.stringify(u.errors));
  assert.equal((await byKana(r.フリガナ)).holder.name, '髙﨑 花子');
});

test('XLSX: shared strings, inline strings and date cells', async () => {
  const r1 = rowObj();
  const r2 = rowObj({ 氏名: 'エクセル 花子' });
  const sheet = [
    HEADER,
    cells({ ...r1, 生年月日: { date: '1985-07-15' }, 事由発生日: { date: jstDate(-10) }, 登録年月日: { date: '2008-04-01' } }),
    cells({ ...r2, 氏名: { inline: 'エクセル 花子' } }),
  ];
  const u = await uploadOk(fac13, fid13, xlsx(sheet), {
    filename: '退職者.xlsx', ct: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  assert.equal(u.format, 'xlsx');
  assert.equal(u.accepted, 2, JSON.stringify(u.errors));
  const a = await byKana(r1.フリガナ);
  assert.equal(a.holder.birth_date, '1985-07-15', 'date cell read as a date');
  assert.equal(a.event_date, jstDate(-10));
  assert.equal(a.licences[0].registered_on, '2008-04-01');
  assert.equal((await byKana(r2.フリガナ)).holder.name, 'エクセル 花子');
});

// ---- row-level errors ------------------------------------------------------------------------

// Rows 2..12 of the mixed file (row 1 is the header); `ok` rows are valid.
function mixedRows(email) {
  const lic = licNo();
  return [
    { row: 2, ok: true, o: rowObj({ 籍登録番号: lic, メールアドレス: email || '' }) },
    { row: 3, col: 'フリガナ', code: 'not_katakana', o: rowObj({ フリガナ: '看護 花子' }) },
    { row: 4, ok: true, o: rowObj() },
    { row: 5, col: '氏名', code: 'formula', o: rowObj({ 氏名: FORMULAS[0] }) },
    { row: 6, col: '氏名', code: 'missing', o: rowObj({ 氏名: '' }) },
    { row: 7, col: '生年月日', code: 'invalid', o: rowObj({ 生年月日: '1990-02-30' }) },
    { row: 8, code: 'duplicate', o: rowObj({ 籍登録番号: lic }) },
    { row: 9, col: '住所', code: 'formula', o: rowObj({ 住所: FORMULAS[1] }) },
    { row: 10, col: '氏名', code: 'formula', o: rowObj({ 氏名: FORMULAS[3] }) },
    { row: 11, col: '住所', code: 'formula', o: rowObj({ 住所: FORMULAS[2] }) },
    { row: 12, col: '住所都道府県', code: 'invalid', o: rowObj({ 住所都道府県: '火星' }) },
    { row: 13, ok: true, o: rowObj() },
  ];
}

function checkMixed(u, rows) {
  assert.equal(u.rows, rows.length);
  assert.equal(u.accepted, rows.filter((x) => x.ok).length, JSON.stringify(u.errors));
  assert.equal(u.rejected, rows.filter((x) => !x.ok).length);
  for (const x of rows) {
    const es = u.errors.filter((e) => e.row === x.row);
    if (x.ok) { assert.deepEqual(es, [], `row ${x.row} is valid`); continue; }
    assert.ok(es.length, `row ${x.row} has an error: ${JSON.stringify(u.errors)}`);
    const e = es.find((y) => y.code.endsWith(`.${x.code}`));
    assert.ok(e, `row ${x.row}: a .${x.code} error in ${JSON.stringify(es)}`);
    if (x.col) assert.equal(e.column, x.col, `row ${x.row} column`);
  }
  assert.ok(u.errors.find((e) => e.row === 8).code.endsWith('licences.duplicate') || u.errors.find((e) => e.row === 8).code === 'licences.duplicate',
    'the later row of a repeated licence is rejected with licences.duplicate');
}

test('valid and invalid rows: counts, errors with file row numbers, only valid rows written, the report CSV', async () => {
  const email = uniqueEmail('mixed');
  const rows = mixedRows(email);
  const before = await snapshot();
  const since = Date.now() - 5;
  const u = await uploadOk(fac13, fid13, csv(rows.map((x) => x.o)), { filename: 'mixed.csv' });
  checkMixed(u, rows);
  const after = await snapshot();
  assert.equal(after.total - before.total, 3, 'only the three valid rows are listed');
  assert.equal(after.tables.notifications - before.tables.notifications, 3, 'only the valid rows are written');
  assert.equal(after.tables.users - before.tables.users, 3, 'no holder account for a rejected row');
  for (const x of rows) {
    const found = await byKana(x.o.フリガナ);
    if (x.ok) assert.ok(found && !Array.isArray(found), `row ${x.row} written`);
    else if (x.code !== 'not_katakana') assert.equal(found, null, `row ${x.row} not written`);
  }
  await tokenFromMail(email, since);

  const rep = await fac13.get(P.report(fid13, u.id));
  assert.equal(rep.status, 200, rep.text.slice(0, 300));
  assert.match(rep.headers.get('content-type'), /^text\/csv;\s*charset=utf-8/i);
  assert.ok(hasBom(rep.buffer), 'report has a BOM');
  const table = parseCsv(rep.buffer.toString('utf8'));
  assert.deepEqual(table[0], ['行', '列', 'コード', '内容', '値']);
  const body = table.slice(1).filter((r) => r.length > 1);
  assert.ok(body.length >= u.rejected, 'a line per error');
  for (const x of rows.filter((y) => !y.ok)) {
    const line = body.find((r) => r[0] === String(x.row) && r[2].endsWith(`.${x.code}`));
    assert.ok(line, `report line for row ${x.row}: ${JSON.stringify(body)}`);
    assert.match(line[3], JP_RE);
    if (x.col) assert.equal(line[1], x.col);
    if (x.code === 'formula') {
      const v = x.o[x.col];
      assert.equal(line[4], `'${v}`, `formula value neutralised in the report: ${line[4]}`);
    }
  }
  assert.deepEqual(formulaCells(table), [], 'no report cell starts with = + - @');
  // Staff of the prefecture read it; the list shows the counts.
  assert.equal((await c13.get(P.report(fid13, u.id))).status, 200);
  const l = await fac13.get(P.uploads(fid13));
  const it = l.json.items.find((x) => x.id === u.id);
  assert.equal(it.rejected, u.rejected);
  assert.equal(it.accepted, 3);
});

test('the Upload lists the first 100 errors; the report has every rejected row', async () => {
  const rows = Array.from({ length: 150 }, (_, i) => rowObj({ 生年月日: `1990-02-${30 + (i % 2)}` }));
  const before = await snapshot();
  const u = await uploadOk(fac13, fid13, csv(rows), { filename: 'many-errors.csv' });
  assert.equal(u.rows, 150);
  assert.equal(u.rejected, 150);
  assert.equal(u.accepted, 0);
  assert.equal(u.errors.length, 100, 'the first 100 errors');
  assert.deepEqual(u.errors.map((e) => e.row), Array.from({ length: 100 }, (_, i) => i + 2), 'in file order');
  const after = await snapshot();
  assert.equal(after.tables.notifications, before.tables.notifications, 'no notification written');
  assert.equal(after.tables.users, before.tables.users, 'no account written');
  const rep = await fac13.get(P.report(fid13, u.id));
  assert.equal(rep.status, 200);
  const lines = parseCsv(rep.buffer.toString('utf8')).slice(1).filter((r) => r.length > 1);
  assert.deepEqual([...new Set(lines.map((r) => Number(r[0])))].sort((a, b) => a - b), Array.from({ length: 150 }, (_, i) => i + 2), 'every rejected row in the report');
  assert.ok(lines.every((r) => r[1] === '生年月日' && /^1990-02-3[01]$/.test(r[4])), 'column and value of each error');
});

test('dry_run=1: 200 with the same findings, no id, nothing written, no mail token', async () => {
  const rows = mixedRows(uniqueEmail('dry'));
  const before = await snapshot();
  const listBefore = (await fac13.get(P.uploads(fid13))).json.items.map((x) => x.id);
  const u = await uploadOk(fac13, fid13, csv(rows.map((x) => x.o)), { dry: true, filename: 'dry.csv' });
  checkMixed(u, rows);
  const after = await snapshot();
  assert.deepEqual(after, before, 'a dry run writes nothing (no notification, account, token or upload)');
  assert.deepEqual((await fac13.get(P.uploads(fid13))).json.items.map((x) => x.id), listBefore);
  for (const x of rows.filter((y) => y.ok)) assert.equal(await byKana(x.o.フリガナ), null);
  assert.ok('created_at' in u, 'created_at is documented without exception (only id is absent on a dry run)');
});

test('XLSX formula cell: the row is rejected (<column>.formula), the others written', async () => {
  const r1 = rowObj();
  const r2 = rowObj();
  const sheet = [HEADER, cells(r1), cells({ ...r2, 住所: { formula: 'CONCATENATE("新宿区","1-1")', value: '新宿区1-1' } })];
  const before = await snapshot();
  const u = await uploadOk(fac13, fid13, xlsx(sheet), { filename: 'formula.xlsx', ct: 'application/octet-stream' });
  assert.equal(u.accepted, 1, JSON.stringify(u.errors));
  assert.equal(u.rejected, 1);
  const e = u.errors.find((x) => x.row === 3);
  assert.ok(e && e.code.endsWith('.formula'), JSON.stringify(u.errors));
  assert.equal(e.column, '住所');
  assert.equal((await snapshot()).total - before.total, 1);
  assert.equal(await byKana(r2.フリガナ), null, 'the formula row is not written');
});

test('cells that are Japanese labels or codes, full-width digits; a wrong label is that cell\'s error', async () => {
  const ok = rowObj({ 郵便番号: '１６００００４', 籍登録番号: licNo().replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))), 免許種別: '保健師' });
  const bad = rowObj({ 免許種別: '医師' });
  const u = await uploadOk(fac13, fid13, csv([ok, bad]), { dry: true });
  assert.equal(u.accepted, 1, JSON.stringify(u.errors));
  const e = u.errors.find((x) => x.row === 3);
  assert.ok(e && e.column === '免許種別' && e.code.endsWith('.invalid'), JSON.stringify(u.errors));
});

// ---- file-level defects ----------------------------------------------------------------------

const validCsv = () => csv([rowObj()]);
const CASES = [
  ['bytes invalid in UTF-8 and Shift_JIS (0xFF)', () => Buffer.concat([csv([], HEADER), Buffer.from('Caf'), Buffer.from([0xff, 0xfd]), Buffer.from(',x\r\n')]), 'upload.encoding'],
  ['Latin-1 text', () => Buffer.from(`${HEADER.join(',')}\r\n`.replace(/[^\x00-\x7f]/g, 'x') + 'Ren\xe9e M\xfcller,\xff\r\n', 'latin1'), 'upload.encoding'],
  ['UTF-16LE with BOM', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(toCsv([HEADER, cells(rowObj())]), 'utf16le')]), 'upload.encoding'],
  ['UTF-16BE with BOM', () => { const le = Buffer.from(toCsv([HEADER, cells(rowObj())]), 'utf16le'); return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]); }, 'upload.encoding'],
  ['NUL bytes', () => Buffer.concat([csv([], HEADER), Buffer.from('代行 花子\0,'), Buffer.from(toCsv([cells(rowObj()).slice(1)]))]), 'upload.encoding'],
  ['missing required column 氏名', () => csv([rowObj()], HEADER.filter((h) => h !== '氏名')), 'upload.columns', '氏名'],
  ['missing required column 籍登録番号', () => csv([rowObj()], HEADER.filter((h) => h !== '籍登録番号')), 'upload.columns', '籍登録番号'],
  ['empty file', () => Buffer.alloc(0), 'upload.empty'],
  ['blank lines only', () => Buffer.from('\r\n\r\n  \r\n'), 'upload.empty'],
  ['header only', () => csv([]), 'upload.empty'],
  ['unterminated quote', () => Buffer.concat([csv([], HEADER), Buffer.from(`"代行 花子,${cells(rowObj()).slice(1).join(',')}\r\n`)]), 'upload.format'],
  ['corrupt XLSX (PK header + garbage)', () => Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('garbage'.repeat(200))]), 'upload.format'],
  ['ZIP that is no workbook', () => zip([['hello.txt', 'こんにちは']]), 'upload.format'],
  ['XLSX with a truncated central directory', () => xlsx([HEADER, cells(rowObj())]).subarray(0, 600), 'upload.format'],
  ['.xls (OLE compound file)', () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4088)]), 'upload.format'],
  ['a cell over 1,000 characters', () => csv([rowObj({ 住所: 'あ'.repeat(1001) })]), 'upload.too_large'],
  ['65 columns', () => csv([rowObj()], [...HEADER, ...Array.from({ length: 50 }, (_, i) => `列${i}`)]), 'upload.too_large'],
];

test('file-level defects: 422 with the right code, nothing written', async () => {
  const before = await snapshot();
  const problems = [];
  for (const [what, make, code, field] of CASES) {
    const r = await upload(fac13, fid13, make(), { filename: 'bad.csv', ct: 'application/octet-stream' });
    try {
      const e = assertError(r, 422, code);
      if (field) assert.equal(e.field, field, 'field names the missing column');
    } catch (err) { problems.push(`${what}: ${err.message.split('\n')[0]}`); }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(await snapshot(), before, 'nothing written');
  // The same valid file goes through afterwards (the server is fine).
  assert.equal((await uploadOk(fac13, fid13, validCsv(), { dry: true })).accepted, 1);
});

// A compact valid row repeated `n` times (licences repeat: the file is refused before rows count).
function manyRows(n) {
  const line = `代行 花子,ダイコウ ハナコ,1990-05-01,1600023,13,新宿区1,09012345678,,kangoshi,1,2012-04-01,left_job,${jstDate(-30)},hospital,not_working\r\n`;
  return Buffer.from(HEADER.join(',') + '\r\n' + line.repeat(n), 'utf8');
}

test('row count: 10,000 data rows pass a dry run; 10,001 is upload.too_many_rows; 100,000 is a JSON error; nothing written', async () => {
  const before = await snapshot();
  // Exactly 10,000 rows with distinct licence numbers (dry run: nothing written).
  const lines = [HEADER.join(',')];
  const base = 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000);
  for (let i = 0; i < 10000; i++) lines.push(`代行 花子,ダイコウ ハナコ,1990-05-01,1600023,13,新宿区1,09012345678,,kangoshi,${base + i},2012-04-01,left_job,${jstDate(-30)},hospital,not_working`);
  const u = await uploadOk(fac13, fid13, Buffer.from(lines.join('\r\n') + '\r\n'), { dry: true });
  assert.equal(u.rows, 10000);
  assert.equal(u.accepted, 10000, JSON.stringify(u.errors.slice(0, 3)));

  assertError(await upload(fac13, fid13, manyRows(10001)), 422, 'upload.too_many_rows');
  const big = manyRows(100000);
  const r = await rawUpload(fac13, fid13, big);
  assert.ok(!r.timedOut, 'answered');
  const e = assertError(r, r.status === 413 ? 413 : 422, r.status === 413 ? 'request.too_large' : 'upload.too_many_rows');
  assert.ok(e.code);
  assert.deepEqual(await snapshot(), before, 'nothing written');
});

test('size: a declared 40 MiB body (far over the 16 MiB cap) is 413 request.too_large at once; application/json is 415; nothing written', async () => {
  const before = await snapshot();
  const head = `POST ${P.uploads(fid13)}?filename=big.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n`
    + `Content-Length: ${40 * 1024 * 1024}\r\nCookie: ${SESSION_COOKIE}=${fac13.session}\r\nX-CSRF-Token: ${fac13.csrf}\r\n`
    + `X-Forwarded-For: ${fac13.ip}\r\nConnection: close\r\n\r\n`;
  const declared = await rawHttp(BASE, head, { timeoutMs: 10000 });
  assert.ok(!declared.timedOut, 'answers without waiting for the body');
  assertError(declared, 413, 'request.too_large');
  assertError(await upload(fac13, fid13, validCsv(), { ct: 'application/json' }), 415, 'request.unsupported_media_type');
  assertError(await upload(fac13, fid13, Buffer.from('{"rows":[]}'), { ct: 'application/json; charset=utf-8' }), 415, 'request.unsupported_media_type');
  assert.deepEqual(await snapshot(), before, 'nothing written');
  assert.equal((await client().get('/healthz')).status, 200, 'server still serves');
});

// ---- who may upload and read -----------------------------------------------------------------

test('another facility\'s upload and report: 404; counselors, center admins, central and nurses cannot upload', async () => {
  const u = await uploadOk(staff13, fid13, csv([rowObj({ 氏名: FORMULAS[0] })]), { filename: 'staff.csv' });
  assert.equal(u.rejected, 1);
  assertError(await fac27.get(P.report(fid13, u.id)), 404, 'resource.not_found');
  assertError(await fac27.get(P.report(fid27, u.id)), 404, 'resource.not_found');
  assertError(await fac13.get(P.report(fid13, 987654321)), 404, 'resource.not_found');
  assertError(await c27.get(P.report(fid13, u.id)), 404, 'resource.not_found');
  assertError(await fac27.get(P.uploads(fid13)), 404, 'resource.not_found');
  assert.ok(!(await fac27.get(P.uploads(fid27))).json.items.some((x) => x.id === u.id), 'not in the other facility\'s list');
  for (const c of [fac13, staff13, c13, a13, central]) assert.equal((await c.get(P.report(fid13, u.id))).status, 200);
  assertError(await nurse13.get(P.report(fid13, u.id)), 403, 'auth.forbidden');
  assertError(await client().get(P.report(fid13, u.id)), 401, 'auth.required');

  const before = await snapshot();
  assertError(await upload(fac27, fid13, validCsv()), 404, 'resource.not_found');
  for (const c of [c13, a13, central, nurse13]) assertError(await upload(c, fid13, validCsv()), 403, 'auth.forbidden');
  assertError(await upload(client(), fid13, validCsv()), 401, 'auth.required');
  assertError(await fac13.req('POST', P.uploads(fid13), { body: validCsv(), headers: { 'content-type': 'text/csv' }, csrf: false }), 403, 'auth.csrf');
  assert.deepEqual(await snapshot(), before, 'nothing written');
  const all = await allPages(c13, `${API}/notifications?channel=proxy`);
  assert.ok(all.items.every((x) => x.channel === 'proxy'));
});

test('query parameters of the upload are checked', async () => {
  const before = await snapshot();
  for (const q of ['dry_run=maybe', 'dry_run=2']) {
    const r = await fac13.req('POST', `${P.uploads(fid13)}?${q}`, { body: validCsv(), headers: { 'content-type': 'text/csv' } });
    assertError(r, 400, 'request.bad_parameter');
  }
  assert.deepEqual(await snapshot(), before);
});

test('size: a 17 MiB file sent in full gets the 413 answer (not a connection reset); nothing written', async () => {
  const before = await snapshot();
  const big = Buffer.concat([csv([rowObj()]), Buffer.alloc(17 * 1024 * 1024, 0x41)]);
  let r;
  try {
    r = await fac13.req('POST', `${P.uploads(fid13)}?filename=big.csv`, { body: big, headers: { 'content-type': 'text/csv' } });
  } catch (e) {
    assert.fail(`the client got no answer but ${e.cause?.code || e.message} (the server closed the connection without letting the 413 through)`);
  }
  assertError(r, 413, 'request.too_large');
  assert.deepEqual(await snapshot(), before, 'nothing written');
});
