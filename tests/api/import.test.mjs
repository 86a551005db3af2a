// `nccs import KIND --db URL [--dry-run] FILE` (docs/IMPORT.md): historical accounts, offers,
// notifications, help-desk tickets and placements, imported into the runner's database and read
// back through the API as staff, like live records. Every file is built in code with a random
// tag (unique licence numbers, names), in 徳島県 (36, which no other test file uses) and
// FY2012–FY2014, so that other tests' data never meets it. A file with one bad row writes
// nothing (db-counts unchanged) and names the row; hostile, malformed and oversize input is
// refused the same way; the same file is never imported twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { runNccs, routeTable } from '../support/stack.mjs';
import { API, BIN, DB_URL, client, demo, uniqueEmail } from './_lib.mjs';
import { sjis, toCsv, sql, HTML, SQL_NOTIF } from './_notif.mjs';
import { xlsx } from './_xlsx.mjs';

const P = '36';
const tag = randomBytes(4).toString('hex');
let seq = randomInt(1000, 9000) * 100000;
const lic = () => String(1_000_000_000 + seq++ * 7 + randomInt(0, 7)); // 10 digits, unique
const jstMidnight = (date) => Date.parse(`${date}T00:00:00+09:00`) / 1000;
// Unique readings: katakana from the tag's hex digits.
const KANA = 'アイウエオカキクケコサシスセソタ';
const kana = (s) => [...s].map((c) => KANA[parseInt(c, 16)]).join('');
const KT = kana(tag);

let dir;
let fileNo = 0;
before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'nccs-import-')); });
after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

const nccs = (args, opts = {}) => runNccs(BIN, args, { allowFail: true, ...opts });
// Runs `nccs import kind` on content (string or Buffer); returns {code, stdout, stderr, out}
// with out = the JSON summary.
async function importFile(kind, content, { dry = false, name } = {}) {
  const file = path.join(dir, name || `f${fileNo++}.csv`);
  await writeFile(file, content);
  const r = await nccs(['import', kind, '--db', DB_URL, ...(dry ? ['--dry-run'] : []), file]);
  let out = null;
  try { out = JSON.parse(r.stdout.trim().split('\n').pop()); } catch { out = null; }
  return { ...r, out, file };
}
async function importOk(kind, content, opts) {
  const r = await importFile(kind, content, opts);
  assert.equal(r.code, 0, `import ${kind}: ${r.stderr}\n${r.stdout}`);
  assert.equal(r.out.status, opts?.dry ? 'checked' : 'imported', r.stdout);
  assert.equal(r.out.invalid_rows, 0);
  return r;
}
const BOM = '\ufeff';
const csv = (rows) => BOM + toCsv(rows);
// Counts of the tables an import writes (sessions, audit etc. change with every API call).
const TABLES = ['users', 'seekers', 'licences', 'facilities', 'facility_events', 'offers', 'offer_versions',
  'offer_events', 'offer_numbers', 'notifications', 'notification_versions', 'tasks', 'jobs',
  'helpdesk_tickets', 'helpdesk_replies', 'applications', 'application_events', 'referral_numbers',
  'import_runs'];
async function counts() {
  const all = JSON.parse((await nccs(['db-counts', '--db', DB_URL])).stdout);
  return Object.fromEntries(TABLES.map((t) => [t, all[t]]));
}
function assertRejected(r, { line, column, code }) {
  assert.equal(r.code, 1, `exit 1 expected: ${r.stdout}\n${r.stderr}`);
  assert.equal(r.out?.status, 'invalid', r.stdout);
  const hit = r.out.errors.find((e) => e.line === line && (column === undefined || e.column === column)
    && (code === undefined || e.code === code));
  assert.ok(hit, `error at line ${line} ${column ?? ''} ${code ?? ''}: ${JSON.stringify(r.out.errors)}`);
  assert.match(hit.message, /[\u3040-\u30ff\u4e00-\u9fff]/, 'a Japanese message');
  assert.match(r.stderr, new RegExp(`^${line}行目\\t`, 'm'), 'printed on stderr');
  return hit;
}
async function assertNothingWritten(before, r) {
  assert.deepEqual(await counts(), before, `nothing written: ${r.stdout}`);
}

// A counselor of prefecture 36, made with `nccs user add` and its one-time link.
let staff36 = null;
async function counselor36() {
  if (staff36) return staff36;
  const email = uniqueEmail('c36');
  const r = await nccs(['user', 'add', '--db', DB_URL, '--role', 'counselor', '--email', email, '--prefecture', P,
    '--name', '徳島 相談員']);
  assert.equal(r.code, 0, r.stderr);
  const token = /token=([A-Za-z0-9_-]+)/.exec(r.stdout)[1];
  const c = client();
  const set = await c.post(`${API}/auth/password-reset/complete`, { token, password: 'counselor-pass-36' });
  assert.equal(set.status, 204, set.text);
  await c.login(email, 'counselor-pass-36');
  staff36 = c;
  return c;
}

// ---- file contents ---------------------------------------------------------------------------

const ACC_HEAD = ['種別', '氏名', 'フリガナ', '生年月日', 'メールアドレス', '電話番号', '都道府県', '登録経路', '登録日',
  '免許種別', '免許番号', '免許登録日', '免許種別2', '免許番号2', '免許登録日2', '就業状況', '経験年数', '希望賃金区分',
  '希望賃金下限', '希望勤務形態', '希望施設種別', '有効期限', '施設名', '市区町村コード', '施設種別'];
function seekerRow(o = {}) {
  const r = {
    種別: '求職者', 氏名: `阿波 ${tag}${o.n ?? ''}`, フリガナ: `アワ ${KT}`, 生年月日: '1985-06-12', メールアドレス: '',
    電話番号: '', 都道府県: '徳島県', 登録経路: 'センターで登録', 登録日: '2013-05-20', 免許種別: '看護師', 免許番号: lic(),
    免許登録日: '2007-04-20', 就業状況: '離職中', 経験年数: '6', 希望賃金区分: '月給', 希望賃金下限: '250000',
    希望勤務形態: '二交代・日勤のみ', 希望施設種別: '病院|その他の介護・福祉施設', ...o,
  };
  return ACC_HEAD.map((h) => r[h] ?? '');
}
function facilityRow(o = {}) {
  const r = { 種別: '施設', 施設名: `徳島${tag}病院`, フリガナ: 'トクシマビョウイン', 都道府県: '36', 市区町村コード: '36201',
    施設種別: '病院', 電話番号: '088-621-1000', 登録日: '2012-04-02', ...o };
  return ACC_HEAD.map((h) => r[h] ?? '');
}
const OFF_HEAD = ['施設名', '都道府県', '求人番号', '職種', '雇用形態', '賃金区分', '賃金下限', '賃金上限', '勤務形態', '応募資格',
  '求人数', '受付日', '公開日', '終了日', '終了理由'];
function offerRow(o = {}) {
  const r = { 施設名: `徳島${tag}病院`, 都道府県: '徳島県', 職種: '病棟看護師（二交代）', 雇用形態: '常勤', 賃金区分: '月給',
    賃金下限: '230000', 賃金上限: '280000', 勤務形態: '二交代', 応募資格: '看護師・准看護師', 求人数: '3', 受付日: '2013-04-10',
    公開日: '2013-04-15', 終了日: '2013-09-30', 終了理由: '充足', ...o };
  return OFF_HEAD.map((h) => r[h] ?? '');
}
const NOT_HEAD = ['氏名', 'フリガナ', '生年月日', '郵便番号', '住所都道府県', '住所', '電話番号', 'メールアドレス', '免許種別',
  '免許番号', '免許登録日', '届出経路', '届出日', '届出事由', '事由発生日', '就業状況', '離職前の就業場所',
  '離職前の就業先の名称', '届出先都道府県', '代行施設名'];
function notifRow(o = {}) {
  const r = { 氏名: `眉山 ${tag}`, フリガナ: `ビザン ${KT}`, 生年月日: '1970-09-09', 住所都道府県: '徳島県', 免許種別: '看護師',
    免許番号: lic(), 免許登録日: '1992-05-01', 届出経路: 'center', 届出日: '2013-10-01', 届出事由: '病院等を離職した',
    事由発生日: '2013-09-30', 就業状況: '未就業', 離職前の就業場所: '病院', ...o };
  return NOT_HEAD.map((h) => r[h] ?? '');
}
const HD_HEAD = ['都道府県', '分類', '件名', '内容', '受付日時', '状態', '完了日', '回答', '回答日時'];
function ticketRow(o = {}) {
  const r = { 都道府県: '徳島県', 分類: '求職者', 件名: `重複登録 ${tag}`, 内容: '同じ免許番号で2件あります。\n手順を教えてください。',
    受付日時: '2013-06-03 10:20', 状態: 'closed', 完了日: '2013-06-05', 回答: '統合画面から行えます。',
    回答日時: '2013-06-04 15:00', ...o };
  return HD_HEAD.map((h) => r[h] ?? '');
}
const PL_HEAD = ['免許種別', '免許番号', '求人番号', '取扱都道府県', '紹介日', '紹介番号', '採否決定日', '就職日', '雇用形態',
  '無期雇用', '6か月以内離職', '離職日'];
function placementRow(o = {}) {
  const r = { 免許種別: '看護師', 取扱都道府県: '', 紹介日: '2013-06-10', 採否決定日: '2013-06-20', 就職日: '2013-07-01',
    雇用形態: '常勤', 無期雇用: '1', '6か月以内離職': '0', ...o };
  return PL_HEAD.map((h) => r[h] ?? '');
}

// ---- the whole history -----------------------------------------------------------------------

const H = {}; // what the first test imported, for the later ones

test('accounts, offers, notifications, help desk and placements import in order and read like live records', async () => {
  const c36 = await counselor36();
  const before = await counts();
  H.licA = lic(); H.licB = lic(); H.licB2 = lic(); H.licC = lic();
  H.email = uniqueEmail('imp');
  H.fac = `徳島${tag}病院`;
  // accounts: three seekers (counter / PC with e-mail and two licences / smartphone with labels and
  // hiragana reading and slashed dates) and two facilities
  const acc = await importOk('accounts', csv([ACC_HEAD,
    seekerRow({ n: 'A', 免許番号: H.licA }),
    seekerRow({ n: 'B', 免許番号: H.licB, 登録経路: 'インターネット（PC）', 登録日: '2013-08-01', メールアドレス: H.email,
      免許種別: '保健師', 免許種別2: '看護師', 免許番号2: H.licB2, 免許登録日2: '2003-05-01', 有効期限: '2014-07-31',
      就業状況: 'employed', 希望賃金区分: 'hourly', 希望賃金下限: '1,800', 希望勤務形態: '日勤のみ', 希望施設種別: '' }),
    seekerRow({ n: 'C', 免許番号: H.licC, フリガナ: `なると ${KT}`, 登録経路: 'smartphone', 登録日: '2014/1/15',
      免許種別: '准看護師', 免許登録日: '2010/4/1', 就業状況: '休職中', 希望賃金区分: '', 希望賃金下限: '', 希望勤務形態: '',
      希望施設種別: '', 都道府県: '36' }),
    facilityRow(),
    facilityRow({ 施設名: `阿波${tag}クリニック`, フリガナ: 'アワクリニック', 市区町村コード: '', 施設種別: 'clinic',
      電話番号: '', 登録日: '2012-10-01' }),
  ]));
  assert.deepEqual(acc.out.imported, { seekers: 3, licences: 4, facilities: 2 });
  assert.equal(acc.out.rows, 5);
  assert.equal(acc.out.format, 'csv_utf8');

  // the seekers through the staff API
  const people = await c36.get(`${API}/people?q=${encodeURIComponent(`阿波 ${tag}`)}`);
  assert.equal(people.status, 200, people.text);
  const byName = Object.fromEntries(people.json.items.map((p) => [p.name, p]));
  const pa = byName[`阿波 ${tag}A`], pb = byName[`阿波 ${tag}B`], pc = byName[`阿波 ${tag}C`];
  assert.ok(pa && pb && pc, JSON.stringify(people.json.items));
  assert.equal(pa.channel, 'center');
  assert.equal(pb.channel, 'pc');
  assert.equal(pc.channel, 'smartphone');
  assert.equal(pa.created_at, jstMidnight('2013-05-20'));
  assert.equal(pc.created_at, jstMidnight('2014-01-15'));
  assert.match(pa.email, /^imp-[0-9a-f]{16}@import\.invalid$/, 'placeholder address');
  assert.equal(pb.email, H.email);
  assert.equal(pc.name_kana, `ナルト ${KT}`, 'hiragana reading as katakana');
  H.seekerA = pa.id; H.seekerB = pb.id;
  const sa = await c36.get(`${API}/people/${pa.id}/seeker`);
  assert.equal(sa.status, 200, sa.text);
  const s = sa.json.seeker;
  assert.equal(s.prefecture, P);
  assert.equal(s.work_status, 'not_working');
  assert.equal(s.experience.years, 6);
  assert.deepEqual(s.wishes.shift_patterns, ['two_shift', 'day_only']);
  assert.deepEqual(s.wishes.facility_types, ['hospital', 'care_other'], 'a label holding ・ is one item');
  assert.deepEqual(s.wishes.wage, { type: 'monthly', min: 250000 });
  assert.equal(s.valid_until, '2013-11-20', 'registration + the live validity');
  assert.equal(s.status, 'closed', 'past its validity: closed as the expiry job closes it');
  assert.equal(s.created_at, jstMidnight('2013-05-20'));
  assert.equal(s.updated_at, jstMidnight('2013-05-20'));
  assert.deepEqual(s.licences, [{ type: 'kangoshi', number: H.licA, registered_on: '2007-04-20' }]);
  const sb = (await c36.get(`${API}/people/${pb.id}/seeker`)).json.seeker;
  assert.equal(sb.valid_until, '2014-07-31');
  assert.deepEqual(sb.wishes.wage, { type: 'hourly', min: 1800 });
  assert.deepEqual(sb.licences.map((l) => l.type), ['hokenshi', 'kangoshi']);
  // other prefectures' staff do not see them
  const c13 = await demo('counselor13');
  assert.equal((await c13.get(`${API}/people/${pa.id}/seeker`)).status, 404);

  // the facilities: approved, dated, with the registration and approval events
  const facs = await c36.get(`${API}/facilities?status=approved`);
  assert.equal(facs.status, 200, facs.text);
  const f = facs.json.items.find((x) => x.name === H.fac);
  assert.ok(f, JSON.stringify(facs.json.items));
  H.facId = f.id;
  const fr = await c36.get(`${API}/facilities/${f.id}`);
  assert.equal(fr.status, 200, fr.text);
  assert.equal(fr.json.facility.status, 'approved');
  assert.equal(fr.json.facility.municipality, '36201');
  assert.equal(fr.json.facility.facility_type, 'hospital');
  assert.equal(await sql(`SELECT created_at FROM facilities WHERE id = ${f.id}`), String(jstMidnight('2012-04-02')));
  assert.equal(await sql(`SELECT COUNT(*) FROM facility_events WHERE facility_id = ${f.id} AND action IN ('registered', 'approved') AND at = ${jstMidnight('2012-04-02')}`), '2');
  assert.equal((await c13.get(`${API}/facilities/${f.id}`)).status, 404);

  // offers: a generated number and a given one
  H.givenNo = `${P}-2013-${String(900000 + randomInt(0, 99999)).padStart(6, '0')}`;
  const off = await importOk('offers', csv([OFF_HEAD,
    offerRow(),
    offerRow({ 都道府県: '36', 求人番号: H.givenNo, 職種: '外来看護師', 雇用形態: '非常勤', 賃金区分: '時給', 賃金下限: '1500',
      賃金上限: '', 勤務形態: '日勤のみ|当直', 応募資格: 'kangoshi', 求人数: '1', 受付日: '2013-06-01', 公開日: '2013-06-03',
      終了日: '2014-03-31', 終了理由: '' }),
  ]));
  assert.deepEqual(off.out.imported, { offers: 2 });
  const offers = await c36.get(`${API}/job-offers?status=closed&per_page=100`);
  assert.equal(offers.status, 200, offers.text);
  const mine = offers.json.items.filter((o) => o.facility_id === H.facId);
  assert.equal(mine.length, 2, JSON.stringify(offers.json.items));
  const given = mine.find((o) => o.offer_no === H.givenNo), gen = mine.find((o) => o.offer_no !== H.givenNo);
  assert.ok(given && gen);
  assert.match(gen.offer_no, /^36-2013-\d{6}$/);
  assert.ok(Number(gen.offer_no.slice(-6)) > Number(H.givenNo.slice(-6)), 'generated numbers never meet given ones');
  H.offerNo = H.givenNo; H.offerId = given.id;
  const og = await c36.get(`${API}/job-offers/${gen.id}`);
  assert.equal(og.status, 200, og.text);
  const o = og.json.offer;
  assert.equal(o.status, 'closed');
  assert.equal(o.close_reason, 'filled');
  assert.equal(o.published_at, jstMidnight('2013-04-15'));
  assert.equal(o.created_at, jstMidnight('2013-04-10'));
  assert.equal(o.updated_at, jstMidnight('2013-09-30'));
  assert.equal(o.body.title, '病棟看護師(二交代)', 'NFKC like the live validator');
  assert.deepEqual(o.body.wage, { type: 'monthly', base_min: 230000, base_max: 280000 });
  assert.deepEqual(o.body.licences, ['kangoshi', 'junkangoshi']);
  assert.deepEqual(o.body.hours.shift_patterns, ['two_shift']);
  assert.equal(o.body.employer.name, H.fac);
  assert.equal(o.body.workplace.municipality_code, '36201');
  assert.equal(o.body.positions, 3);
  assert.ok(Array.isArray(og.json.findings), 'the checker reads the body');
  // the search/ledger columns as store/offers.c fills them
  assert.equal(await sql(`SELECT licence_mask || ',' || shift_mask || ',' || wage_type || ',' || wage_min || ',' || positions || ',' || employment_form FROM offers WHERE id = ${given.id}`),
    '4,20,hourly,1500,1,hijokin');
  assert.equal(await sql(`SELECT action || '@' || at FROM offer_events WHERE offer_id = ${gen.id} ORDER BY id`),
    [`created@${jstMidnight('2013-04-10')}`, `published@${jstMidnight('2013-04-15')}`, `closed@${jstMidnight('2013-09-30')}`].join('\n'));
  assert.equal((await c13.get(`${API}/job-offers/${gen.id}`)).status, 404);

  // notifications: the counter filing of seeker A (found by licence), a proxy filing by the
  // facility for a new holder without e-mail, an online filing with e-mail (a new holder)
  H.licN = lic();
  H.emailN = uniqueEmail('notif');
  const not = await importOk('notifications', csv([NOT_HEAD,
    notifRow({ 氏名: `阿波 ${tag}A`, フリガナ: `アワ ${KT}`, 生年月日: '1985-06-12', 免許番号: H.licA, 免許登録日: '2007-04-20',
      郵便番号: '770-0001', 住所: '徳島市南末広町1-1', 電話番号: '088-621-0001', 届出日: '2013-05-20', 事由発生日: '2013-03-31',
      離職前の就業先の名称: '徳島の病院' }),
    notifRow({ 免許番号: H.licN, 届出経路: '施設による代行届出', 届出日: '2014-04-08 10:15', 事由発生日: '2014-03-31',
      就業状況: 'other', 離職前の就業場所: 'hospital', 届出先都道府県: '36', 代行施設名: H.fac }),
    notifRow({ 氏名: `新町 ${tag}`, フリガナ: `シンマチ ${KT}`, 生年月日: '1990-12-24', 免許番号: lic(), 免許登録日: '2013-05-10',
      メールアドレス: H.emailN, 電話番号: '090-3600-0102', 郵便番号: '7700002', 住所: '徳島市新町1-2',
      届出経路: 'インターネット（スマートフォン）', 届出日: '2013-05-20', 届出事由: 'not_practising_after_licensing',
      事由発生日: '2013-04-01', 就業状況: '就学中', 離職前の就業場所: '' }),
  ]));
  assert.deepEqual(not.out.imported, { notifications: 3, holders_created: 2 });
  const list = await c36.get(`${API}/notifications?fiscal_year=2013&per_page=100`);
  assert.equal(list.status, 200, list.text);
  const nA = list.json.items.find((n) => n.person_id === H.seekerA);
  assert.ok(nA, JSON.stringify(list.json.items));
  const na = await c36.get(`${API}/notifications/${nA.id}`);
  assert.equal(na.status, 200, na.text);
  const n1 = na.json.notification ?? na.json;
  assert.equal(n1.status, 'active');
  assert.equal(n1.channel, 'center');
  assert.equal(n1.version, 1);
  assert.equal(n1.versions.length, 1);
  assert.equal(n1.filed_at, jstMidnight('2013-05-20'));
  assert.equal(n1.confirmed_at, jstMidnight('2013-05-20'));
  assert.equal(n1.reason, 'left_job');
  assert.equal(n1.last_workplace, 'hospital');
  assert.equal(n1.holder.postal_code, '770-0001');
  assert.equal(n1.prefecture, P);
  assert.equal(list.json.items.find((n) => n.channel === 'proxy'), undefined, 'the proxy filing of FY2014 is not in FY2013');
  const l14 = await c36.get(`${API}/notifications?fiscal_year=2014&channel=proxy&per_page=100`);
  const np = l14.json.items.find((n) => n.name === `眉山 ${tag}`);
  assert.ok(np, JSON.stringify(l14.json.items));
  const npr = (await c36.get(`${API}/notifications/${np.id}`)).json;
  const n2 = npr.notification ?? npr;
  assert.equal(n2.facility.id, H.facId);
  assert.equal(n2.filed_at, jstMidnight('2014-04-08') + 10 * 3600 + 15 * 60);
  assert.equal(n2.holder.postal_code, null, 'not in the old record: null like an empty optional');
  const holder = (await c36.get(`${API}/people/${n2.person_id}`));
  assert.equal(holder.status, 200, holder.text);
  assert.equal(await sql(`SELECT channel || ',' || role || ',' || created_at FROM users WHERE id = ${n2.person_id}`),
    `notification,seeker,${n2.filed_at}`);
  assert.equal(await sql(`SELECT COUNT(*) FROM tasks WHERE notification_id IN (${nA.id}, ${np.id})`), '0', 'no tasks');
  assert.equal((await demo('counselor27').then((c) => c.get(`${API}/notifications/${np.id}`))).status, 404);
  assert.equal(await sql(`SELECT COUNT(*) FROM jobs WHERE payload LIKE '%${H.emailN}%'`), '0', 'no mail');

  // help desk: two tickets, one answered
  const hd = await importOk('helpdesk', csv([HD_HEAD,
    ticketRow(),
    ticketRow({ 分類: 'mail', 件名: `予約の取消し ${tag}`, 状態: '回答待ち', 完了日: '', 回答: '', 回答日時: '', 受付日時: '2014-02-03' }),
  ]));
  assert.deepEqual(hd.out.imported, { tickets: 2, replies: 1 });
  const routes = await routeTable(BIN);
  if (routes.some((r) => r.path === '/api/v1/helpdesk/tickets')) {
    const central = await demo('central');
    const tl = await central.get(`${API}/helpdesk/tickets?prefecture=${P}&per_page=100`);
    assert.equal(tl.status, 200, tl.text);
    const t = tl.json.items.find((x) => x.subject === `重複登録 ${tag}`);
    assert.ok(t, JSON.stringify(tl.json.items));
    const td = (await central.get(`${API}/helpdesk/tickets/${t.id}`)).json.ticket;
    assert.equal(td.status.code, 'closed');
    assert.equal(td.category.code, 'job_seekers');
    assert.equal(td.opened_at, jstMidnight('2013-06-03') + 10 * 3600 + 20 * 60);
    assert.equal(td.closed_at, jstMidnight('2013-06-05'));
    assert.equal(td.opened_by, null);
    assert.equal(td.imported, true);
    assert.equal(td.description, '同じ免許番号で2件あります。\n手順を教えてください。');
    assert.equal(td.replies.length, 1);
    assert.equal(td.replies[0].side, 'central');
    assert.equal(td.replies[0].author, null);
    assert.equal(td.replies[0].at, jstMidnight('2013-06-04') + 15 * 3600);
  }

  // placements: seeker A stayed (three checks), seeker B left within 6 months (given number)
  H.refNo = `${P}-2013-${String(800000 + randomInt(0, 99999)).padStart(6, '0')}`;
  const pl = await importOk('placements', csv([PL_HEAD,
    placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, 雇用形態: '非常勤', 無期雇用: '0' }),
    placementRow({ 免許種別: '保健師', 免許番号: H.licB, 求人番号: H.offerNo, 取扱都道府県: '36', 紹介日: '2013-08-05',
      紹介番号: H.refNo, 採否決定日: '2013-08-20', 就職日: '2013-09-01', 雇用形態: 'hijokin', 無期雇用: 'はい',
      '6か月以内離職': '1', 離職日: '2013-10-31' }),
  ]));
  assert.deepEqual(pl.out.imported, { applications: 2, events: 13 });
  const apA = await c36.get(`${API}/applications?seeker_id=${H.seekerA}`);
  assert.equal(apA.status, 200, apA.text);
  assert.equal(apA.json.items.length, 1, apA.text);
  const aA = (await c36.get(`${API}/applications/${apA.json.items[0].id}`)).json.application;
  assert.equal(aA.state, 'closed');
  assert.match(aA.referral_no, /^36-2013-\d{6}$/);
  assert.equal(aA.referred_at, jstMidnight('2013-06-10'));
  assert.equal(aA.start_date, '2013-07-01');
  assert.equal(aA.permanent, false);
  assert.equal(aA.left_within_6m, false);
  assert.deepEqual(aA.checks, { m1: 'still_employed', m3: 'still_employed', m6: 'still_employed' });
  assert.deepEqual(aA.events.map((e) => `${e.action}:${e.from}>${e.to}`), ['request:none>requested',
    'refer:requested>referred', 'hire:referred>hired', 'place:hired>placed', 'check_1m:placed>checked_1m',
    'check_3m:checked_1m>checked_3m', 'check_6m:checked_3m>closed']);
  assert.deepEqual(aA.events.map((e) => e.at), [jstMidnight('2013-06-10'), jstMidnight('2013-06-10'),
    jstMidnight('2013-06-20'), jstMidnight('2013-07-01'), jstMidnight('2013-08-01'), jstMidnight('2013-10-01'),
    jstMidnight('2014-01-01')]);
  assert.equal(aA.events[1].detail.referral_no, aA.referral_no);
  assert.deepEqual(aA.events[3].detail, { start_date: '2013-07-01', employment_form: 'hijokin', permanent: false });
  H.appA = aA.id;
  const apB = await c36.get(`${API}/applications?seeker_id=${H.seekerB}`);
  const aB = (await c36.get(`${API}/applications/${apB.json.items[0].id}`)).json.application;
  assert.equal(aB.referral_no, H.refNo);
  assert.equal(aB.state, 'closed');
  assert.equal(aB.left_date, '2013-10-31');
  assert.equal(aB.left_within_6m, true);
  assert.deepEqual(aB.checks, { m1: 'still_employed', m3: 'left', m6: null });
  assert.deepEqual(aB.events.at(-1).detail, { result: 'left', left_date: '2013-10-31' });
  assert.equal(await sql(`SELECT is_open || ',' || origin || ',' || COALESCE(decided_at, 0) FROM applications WHERE id = ${aB.id}`),
    `0,request,${jstMidnight('2013-08-20')}`);
  assert.equal((await c13.get(`${API}/applications/${aA.id}`)).status, 404);

  // what was written in all
  const after = await counts();
  const d = Object.fromEntries(TABLES.map((t) => [t, after[t] - before[t]]));
  assert.deepEqual(d, {
    users: 5, seekers: 3, licences: 6, facilities: 2, facility_events: 4, offers: 2, offer_versions: 2,
    offer_events: 6, offer_numbers: d.offer_numbers, notifications: 3, notification_versions: 3, tasks: 0, jobs: 0,
    helpdesk_tickets: 2, helpdesk_replies: 1, applications: 2, application_events: 13,
    referral_numbers: d.referral_numbers, import_runs: 5,
  });
  assert.ok(d.offer_numbers <= 1 && d.referral_numbers <= 1);
  H.accountsFile = acc.file;
});

test('the same file is never imported twice; a dry run writes nothing and does not count as an import', async () => {
  assert.ok(H.accountsFile, 'runs after the first test');
  const before = await counts();
  const again = await nccs(['import', 'accounts', '--db', DB_URL, H.accountsFile]);
  assert.equal(again.code, 1);
  const out = JSON.parse(again.stdout);
  assert.equal(out.status, 'refused');
  assert.equal(out.error.code, 'file.already_imported');
  assert.match(out.error.message, /既に取り込まれています/);
  // a dry run of a new file: checked, nothing written, and the real import then works
  const content = csv([ACC_HEAD, seekerRow({ n: 'D' }), facilityRow({ 施設名: `鳴門${tag}病院` })]);
  const dry = await importOk('accounts', content, { dry: true });
  assert.equal(dry.out.dry_run, true);
  assert.deepEqual(await counts(), before);
  const real = await importOk('accounts', content);
  assert.deepEqual(real.out.imported, { seekers: 1, licences: 1, facilities: 1 });
});

// ---- one bad row among good rows -------------------------------------------------------------

test('one bad row among good rows: every kind writes nothing and names the row and column', async () => {
  const cases = [
    ['accounts', [ACC_HEAD, seekerRow({ n: 'E' }), seekerRow({ n: 'F', フリガナ: 'Awa Hanako' }), facilityRow({ 施設名: `板野${tag}病院` })],
      { line: 3, column: 'フリガナ', code: 'name_kana.not_katakana' }],
    ['offers', [OFF_HEAD, offerRow(), offerRow({ 施設名: `存在しない${tag}病院` })],
      { line: 3, column: '施設名', code: 'facility_name.not_found' }],
    ['notifications', [NOT_HEAD, notifRow(), notifRow({ 届出日: '2099-04-01' })],
      { line: 3, column: '届出日', code: 'filed_at.future' }],
    ['helpdesk', [HD_HEAD, ticketRow({ 件名: `良い ${tag}` }), ticketRow({ 件名: `悪い ${tag}`, 分類: '天気' })],
      { line: 3, column: '分類', code: 'category.invalid' }],
    ['placements', [PL_HEAD, placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, 紹介日: '2013-07-01', 採否決定日: '2013-07-02', 就職日: '2013-07-03' }),
      placementRow({ 免許番号: lic(), 求人番号: H.offerNo })],
      { line: 3, column: '免許番号', code: 'licence.not_found' }],
  ];
  for (const [kind, rows, want] of cases) {
    const before = await counts();
    const r = await importFile(kind, csv(rows));
    assertRejected(r, want);
    assert.equal(r.out.invalid_rows, 1, `${kind}: ${JSON.stringify(r.out.errors)}`);
    assert.match(r.stderr, /nothing was written/);
    await assertNothingWritten(before, r);
  }
});

test('rows are checked against the database and the file: duplicates, references, dates out of order', async () => {
  const before = await counts();
  const dupLic = lic(), dupMail = uniqueEmail('dup');
  const r = await importFile('accounts', csv([ACC_HEAD,
    seekerRow({ n: 'G', 免許番号: H.licA }),                                      // 2: licence already registered
    seekerRow({ n: 'H', 免許番号: dupLic, メールアドレス: dupMail }),             // 3
    seekerRow({ n: 'I', 免許番号: dupLic }),                                       // 4: same licence as line 3
    seekerRow({ n: 'J', メールアドレス: dupMail.toUpperCase() }),                  // 5: same address (case folded)
    seekerRow({ n: 'K', メールアドレス: 'central@example.jp' }),                   // 6: address taken
    facilityRow(),                                                                 // 7: facility exists
    seekerRow({ n: 'L', 免許登録日: '2014-01-01' }),                               // 8: licence after registration
    seekerRow({ n: 'M', 希望賃金区分: '時給', 希望賃金下限: '250000' }),            // 9: hourly too high
    seekerRow({ n: 'N', 生年月日: '2010-01-01' }),                                 // 10: 3 years old
    facilityRow({ 施設名: `吉野${tag}病院`, 市区町村コード: '13101' }),             // 11: municipality of Tokyo
    seekerRow({ n: 'O', 希望勤務形態: '二交代・二交代' }),                          // 12: repeated item
  ]));
  assertRejected(r, { line: 2, column: '免許番号', code: 'licences.number.duplicate' });
  assert.match(assertRejected(r, { line: 4, column: '免許番号', code: 'licences.number.duplicate' }).message, /3行目/);
  assertRejected(r, { line: 5, column: 'メールアドレス', code: 'email.duplicate' });
  assertRejected(r, { line: 6, column: 'メールアドレス', code: 'email.duplicate' });
  assertRejected(r, { line: 7, column: '施設名', code: 'facility_name.duplicate' });
  assertRejected(r, { line: 8, column: '免許登録日', code: 'licences.registered_on.after_registration' });
  assertRejected(r, { line: 9, column: '希望賃金下限', code: 'wage_min.out_of_range' });
  assertRejected(r, { line: 10, column: '生年月日', code: 'birth_date.out_of_range' });
  assertRejected(r, { line: 11, column: '市区町村コード', code: 'municipality.invalid' });
  assertRejected(r, { line: 12, column: '希望勤務形態', code: 'shift_patterns.duplicate' });
  assert.equal(r.out.invalid_rows, 10, JSON.stringify(r.out.errors));
  await assertNothingWritten(before, r);

  const o = await importFile('offers', csv([OFF_HEAD,
    offerRow({ 求人番号: H.offerNo }),                                     // 2: number taken
    offerRow({ 求人番号: '13-2013-000001' }),                              // 3: another prefecture's number
    offerRow({ 求人番号: '36-2014-000001' }),                              // 4: not the publication's year
    offerRow({ 公開日: '2013-04-01' }),                                    // 5: published before received
    offerRow({ 終了日: '2013-04-01' }),                                    // 6: closed before published
    offerRow({ 賃金上限: '1000' }),                                        // 7: max below min
    offerRow({ 求人数: '0' }),                                             // 8
    offerRow({ 雇用形態: 'パート' }),                                      // 9
    offerRow({ 終了日: '' }),                                              // 10: still open is not importable
  ]));
  for (const [line, column, code] of [[2, '求人番号', 'offer_no.duplicate'], [3, '求人番号', 'offer_no.invalid'],
    [4, '求人番号', 'offer_no.invalid'], [5, '公開日', 'published_on.out_of_range'], [6, '終了日', 'closed_on.out_of_range'],
    [7, '賃金上限', 'wage.base_max.out_of_range'], [8, '求人数', 'positions.out_of_range'], [9, '雇用形態', 'employment_form.invalid'],
    [10, '終了日', 'closed_on.missing']])
    assertRejected(o, { line, column, code });
  await assertNothingWritten(before, o);

  const n = await importFile('notifications', csv([NOT_HEAD,
    notifRow({ 届出経路: 'proxy' }),                                       // 2: proxy without facility
    notifRow({ 代行施設名: H.fac }),                                       // 3: facility on a counter filing
    notifRow({ 届出経路: 'proxy', 代行施設名: `無い${tag}病院` }),          // 4: unknown facility
    notifRow({ 事由発生日: '2013-10-02' }),                                // 5: event after filing
    notifRow({ 届出事由: 'not_practising_after_licensing' }),              // 6: workplace not allowed
    notifRow({ 免許番号: H.licA, 届出日: '2013-05-21', 事由発生日: '2013-03-31' }), // 7
    notifRow({ 免許番号: H.licA, 届出日: '2013-05-21', 事由発生日: '2013-03-31' }), // 8: same licence, same day as 7
    notifRow({ メールアドレス: 'central@example.jp' }),                    // 9: staff address
    notifRow({ 生年月日: '1900-01-01' }),                                  // 10: 113 on the filing day
  ]));
  for (const [line, column, code] of [[2, '代行施設名', 'facility_name.missing'], [3, '代行施設名', 'facility_name.not_allowed'],
    [4, '代行施設名', 'facility_name.not_found'], [5, '事由発生日', 'event_date.after_filing'],
    [6, '離職前の就業場所', 'last_workplace.not_allowed'], [8, '免許番号', 'licences.number.duplicate'],
    [9, 'メールアドレス', 'holder.email.invalid'], [10, '生年月日', 'holder.birth_date.out_of_range']])
    assertRejected(n, { line, column, code });
  await assertNothingWritten(before, n);

  const h = await importFile('helpdesk', csv([HD_HEAD,
    ticketRow(),                                                           // 2: already imported
    ticketRow({ 件名: `完了日なし ${tag}`, 完了日: '' }),                  // 3
    ticketRow({ 件名: `開いている ${tag}`, 状態: 'open' }),                // 4: open with an answer, and a closing day
    ticketRow({ 件名: `回答日時なし ${tag}`, 回答日時: '' }),              // 5
    ticketRow({ 件名: `逆順 ${tag}`, 完了日: '2013-06-01' }),              // 6: closed before opened
    ticketRow({ 件名: 'x'.repeat(101) }),                                  // 7: too long
    ticketRow({ 件名: `日時 ${tag}`, 受付日時: '2013-06-03 25:00' }),      // 8
  ]));
  for (const [line, column, code] of [[2, '件名', 'subject.duplicate'], [3, '完了日', 'closed_at.missing'],
    [4, '状態', 'status.invalid'], [4, '完了日', 'closed_at.not_allowed'], [5, '回答日時', 'replied_at.missing'],
    [6, '完了日', 'closed_at.out_of_range'], [7, '件名', 'subject.too_long'], [8, '受付日時', 'opened_at.invalid']])
    assertRejected(h, { line, column, code });
  await assertNothingWritten(before, h);

  const p = await importFile('placements', csv([PL_HEAD,
    placementRow({ 免許番号: H.licA, 求人番号: `${P}-2013-999999` }),                                   // 2: no offer
    placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, 紹介日: '2013-05-01', 採否決定日: '2013-05-02', 就職日: '2013-05-03' }), // 3: before publication
    placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, 採否決定日: '2013-06-01' }),                  // 4: decided before referral
    placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, '6か月以内離職': '1' }),                      // 5: left without a day
    placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, '6か月以内離職': '0', 離職日: '2013-08-15' }), // 6: inconsistent
    placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, 紹介番号: '36-2012-000001' }),                 // 7: FY of the number
    placementRow({ 免許種別: '准看護師', 免許番号: H.licC, 求人番号: H.offerNo }),                       // 8: registered 2014-01-15
    placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, 無期雇用: 'たぶん' }),                         // 9
  ]));
  for (const [line, column, code] of [[2, '求人番号', 'offer_no.not_found'], [3, '紹介日', 'referred_on.before_publication'],
    [4, '採否決定日', 'decided_on.out_of_range'], [5, '離職日', 'left_date.missing'], [6, '6か月以内離職', 'left_within_6m.inconsistent'],
    [7, '紹介番号', 'referral_no.invalid'], [8, '紹介日', 'referred_on.before_registration'], [9, '無期雇用', 'permanent.invalid']])
    assertRejected(p, { line, column, code });
  await assertNothingWritten(before, p);
});

// ---- hostile and malformed input --------------------------------------------------------------

test('hostile cells: formulas, control characters, SQL and HTML text, huge numbers, wrong types, impossible dates', async () => {
  const before = await counts();
  const formulas = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)', ' =1+1'];
  const rows = [ACC_HEAD];
  formulas.forEach((f, i) => rows.push(seekerRow({ n: `F${i}`, 氏名: f })));
  rows.push(seekerRow({ n: 'X1', 氏名: `阿波\u0001${tag}` }));                         // control character
  rows.push(seekerRow({ n: 'X2', フリガナ: SQL_NOTIF }));                               // SQL text in the reading
  rows.push(seekerRow({ n: 'X3', 経験年数: '99999999999999999999999' }));               // huge number
  rows.push(seekerRow({ n: 'X4', 経験年数: 'abc' }));                                   // wrong type
  rows.push(seekerRow({ n: 'X5', 登録日: '2013-02-30' }));                              // no such day
  rows.push(seekerRow({ n: 'X6', 登録日: '1989-12-31' }));                              // before the system
  rows.push(seekerRow({ n: 'X7', 免許番号: '12345678901' }));                           // 11 digits
  rows.push(seekerRow({ n: 'X8', 都道府県: '99' }));
  rows.push(seekerRow({ n: 'X9', 種別: '<script>' }));
  rows.push(seekerRow({ n: 'XA', 希望勤務形態: HTML }));
  const r = await importFile('accounts', csv(rows));
  formulas.forEach((_, i) => assertRejected(r, { line: 2 + i, column: '氏名', code: 'name.formula' }));
  const L = 2 + formulas.length;
  assertRejected(r, { line: L, column: '氏名', code: 'name.invalid' });
  assertRejected(r, { line: L + 1, column: 'フリガナ', code: 'name_kana.not_katakana' });
  assertRejected(r, { line: L + 2, column: '経験年数', code: 'experience_years.out_of_range' });
  assertRejected(r, { line: L + 3, column: '経験年数', code: 'experience_years.invalid' });
  assertRejected(r, { line: L + 4, column: '登録日', code: 'registered_on.invalid' });
  assertRejected(r, { line: L + 5, column: '登録日', code: 'registered_on.out_of_range' });
  assertRejected(r, { line: L + 6, column: '免許番号', code: 'licences.number.invalid' });
  assertRejected(r, { line: L + 7, column: '都道府県', code: 'prefecture.invalid' });
  assertRejected(r, { line: L + 8, column: '種別', code: 'kind.invalid' });
  assertRejected(r, { line: L + 9, column: '希望勤務形態', code: 'shift_patterns.invalid' });
  assert.equal(r.out.invalid_rows, rows.length - 1);
  await assertNothingWritten(before, r);

  // huge and wrong-typed numbers elsewhere
  const o = await importFile('offers', csv([OFF_HEAD, offerRow({ 賃金下限: '1e30' }), offerRow({ 求人数: '10000000000000000000000' }),
    offerRow({ 賃金下限: '100000001' })]));
  assertRejected(o, { line: 2, column: '賃金下限', code: 'wage.base_min.invalid' });
  assertRejected(o, { line: 3, column: '求人数', code: 'positions.out_of_range' });
  assertRejected(o, { line: 4, column: '賃金下限', code: 'wage.base_min.out_of_range' });
  await assertNothingWritten(before, o);

  // a formula cell in an XLSX (its cached value looks harmless)
  const x = await importFile('helpdesk', xlsx([HD_HEAD, [P, '求職者', { formula: 'A1&B1', value: '普通の件名' }, '内容', '2013-06-03',
    'open']]), { name: 'formula.xlsx' });
  assertRejected(x, { line: 2, column: '件名', code: 'subject.formula' });
  await assertNothingWritten(before, x);

  // SQL and HTML text where text is allowed is data: stored verbatim, nothing else happens
  const subject = `${SQL_NOTIF} ${HTML} ${tag}`;
  const ok = await importOk('helpdesk', csv([HD_HEAD, ticketRow({ 件名: subject.slice(0, 100), 内容: `${HTML}\n${SQL_NOTIF}` })]));
  assert.deepEqual(ok.out.imported, { tickets: 1, replies: 1 });
  assert.equal(await sql(`SELECT COUNT(*) FROM helpdesk_tickets WHERE imported = 1 AND description = '${`${HTML}\n${SQL_NOTIF}`.replace(/'/g, "''")}'`), '1');
  assert.ok((await counts()).notifications >= before.notifications, 'the table is still there');
});

test('every kind: hostile, oversize and wrong-type cells, and bytes that are no text, write nothing', async () => {
  const CTRL = `x\u0007y`;
  const kinds = [
    ['accounts', ACC_HEAD, seekerRow, [
      [{ 氏名: '=HYPERLINK("http://example.com")' }, '氏名', 'name.formula'],
      [{ フリガナ: HTML }, 'フリガナ', 'name_kana.not_katakana'],
      [{ 経験年数: '1'.repeat(30) }, '経験年数', 'experience_years.out_of_range'],
      [{ 登録日: 'きのう' }, '登録日', 'registered_on.invalid'],
      [{ 氏名: 'あ'.repeat(101) }, '氏名', 'name.too_long'],
      [{ 登録経路: SQL_NOTIF }, '登録経路', 'channel.invalid'],
    ]],
    ['offers', OFF_HEAD, offerRow, [
      [{ 職種: '@SUM(A1)' }, '職種', 'title.formula'],
      [{ 施設名: 'x'.repeat(101) }, '施設名', 'facility_name.too_long'],
      [{ 求人数: '9'.repeat(25) }, '求人数', 'positions.out_of_range'],
      [{ 公開日: '2013-13-01' }, '公開日', 'published_on.invalid'],
      [{ 賃金区分: HTML }, '賃金区分', 'wage.type.invalid'],
      [{ 職種: CTRL }, '職種', 'title.invalid'],
    ]],
    ['notifications', NOT_HEAD, notifRow, [
      [{ 氏名: '+81' }, '氏名', 'holder.name.formula'],
      [{ フリガナ: SQL_NOTIF }, 'フリガナ', 'holder.name_kana.not_katakana'],
      [{ 免許番号: '9'.repeat(30) }, '免許番号', 'licences.number.invalid'],
      [{ 届出日: '2013-04-31' }, '届出日', 'filed_at.invalid'],
      [{ 届出事由: HTML }, '届出事由', 'reason.invalid'],
      [{ 住所: 'あ'.repeat(201) }, '住所', 'holder.address.too_long'],
    ]],
    ['helpdesk', HD_HEAD, ticketRow, [
      [{ 件名: '-1' }, '件名', 'subject.formula'],
      [{ 内容: 'あ'.repeat(4001) }, '内容', 'description.too_long'],
      [{ 受付日時: '99999999999' }, '受付日時', 'opened_at.invalid'],
      [{ 状態: SQL_NOTIF }, '状態', 'status.invalid'],
      [{ 件名: CTRL }, '件名', 'subject.invalid'],
    ]],
    ['placements', PL_HEAD, (o) => placementRow({ 免許番号: H.licA, 求人番号: H.offerNo, 紹介日: '2013-07-01',
      採否決定日: '2013-07-02', 就職日: '2013-07-03', ...o }), [
      [{ 求人番号: '=1+1' }, '求人番号', 'offer_no.formula'],
      [{ 免許番号: SQL_NOTIF }, '免許番号', 'licence.number.invalid'],
      [{ 紹介日: '2013/02/29' }, '紹介日', 'referred_on.invalid'],
      [{ 雇用形態: HTML }, '雇用形態', 'employment_form.invalid'],
      [{ '6か月以内離職': '99999999999999999999' }, '6か月以内離職', 'left_within_6m.invalid'],
      [{ 求人番号: 'x'.repeat(33) }, '求人番号', 'offer_no.invalid'],
    ]],
  ];
  for (const [kind, head, row, bad] of kinds) {
    const good = kind === 'helpdesk' ? row({ 件名: `正常 ${tag}` }) : row();
    const before = await counts();
    const r = await importFile(kind, csv([head, good, ...bad.map(([o]) => row(o))]));
    bad.forEach(([, column, code], i) => assertRejected(r, { line: 3 + i, column, code }));
    assert.equal(r.out.invalid_rows, bad.length, `${kind}: ${JSON.stringify(r.out.errors)}`);
    await assertNothingWritten(before, r);
    // bytes that are neither UTF-8 nor Shift_JIS
    const enc = await importFile(kind, Buffer.concat([Buffer.from(toCsv([head, good])), Buffer.from([0xff, 0xfe, 0x41, 0x0d, 0x0a])]));
    assert.equal(enc.code, 1);
    assert.equal(enc.out.error.code, 'file.encoding', enc.stdout);
    await assertNothingWritten(before, enc);
  }
});

test('file-level refusals: encoding, format, size, columns, empty files, usage', async () => {
  const before = await counts();
  const refused = async (kind, content, code, opts) => {
    const r = await importFile(kind, content, opts);
    assert.equal(r.code, 1, `${code}: ${r.stdout} ${r.stderr}`);
    assert.equal(r.out?.status, 'refused', r.stdout);
    assert.equal(r.out.error.code, code, r.stdout);
    assert.match(r.out.error.message, /[\u3040-\u30ff\u4e00-\u9fff]/);
    assert.ok(r.stderr.length > 0);
  };
  const head = toCsv([HD_HEAD]);
  const good = toCsv([ticketRow({ 件名: `不正 ${tag}` })]);
  await refused('helpdesk', Buffer.concat([Buffer.from(head), Buffer.from('36,求職者,Caf'), Buffer.from([0xff, 0xfd]), Buffer.from(',x,2013-06-03,open\r\n')]), 'file.encoding');
  await refused('helpdesk', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(head, 'utf16le')]), 'file.encoding');
  await refused('helpdesk', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), 'file.format', { name: 'old.xls' });
  await refused('helpdesk', head + '36,求職者,"unterminated,x\r\n', 'file.format');
  await refused('helpdesk', head + `36,求職者,${'あ'.repeat(7000)},x,2013-06-03,open\r\n`, 'file.too_large');
  await refused('helpdesk', head + `${'x,'.repeat(70)}y\r\n`, 'file.too_large');
  await refused('helpdesk', '', 'file.empty');
  await refused('helpdesk', head, 'file.empty');
  await refused('helpdesk', toCsv([HD_HEAD.filter((h) => h !== '件名')]) + good, 'file.columns');
  await refused('helpdesk', toCsv([[...HD_HEAD, '件名']]) + good, 'file.columns');
  await refused('helpdesk', 'PK\u0003\u0004 not really a zip', 'file.format', { name: 'bad.xlsx' });
  // over 64 MiB: refused before it is read
  const big = path.join(dir, 'big.csv');
  const fh = await open(big, 'w');
  await fh.write(head);
  await fh.truncate(64 * 1024 * 1024 + 1);
  await fh.close();
  const r = await nccs(['import', 'helpdesk', '--db', DB_URL, big]);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).error.code, 'file.too_large');
  const missing = await nccs(['import', 'helpdesk', '--db', DB_URL, path.join(dir, 'no-such-file.csv')]);
  assert.equal(missing.code, 1);
  assert.equal(JSON.parse(missing.stdout).error.code, 'file.unreadable');
  for (const args of [['import'], ['import', 'people', big], ['import', 'helpdesk'], ['import', 'helpdesk', '--force', big],
    ['import', 'helpdesk', big, big]]) {
    const u = await nccs([...args.slice(0, 1), '--db', DB_URL, ...args.slice(1)]);
    assert.equal(u.code, 2, `${args.join(' ')}: ${u.stderr}`);
    assert.match(u.stderr, /usage: nccs import/);
  }
  await assertNothingWritten(before, { stdout: 'file-level refusals' });
});

test('Shift_JIS CSV and XLSX (date cells, numbers) import the same text', async () => {
  const c36 = await counselor36();
  const licS = lic(), licX = lic();
  // Shift_JIS as Excel on Windows writes it, CP932 characters included (髙, 﨑)
  const s = await importOk('accounts', sjis(toCsv([ACC_HEAD, seekerRow({ n: 'S', 氏名: `髙﨑 ${tag}S`, 免許番号: licS })])),
    { name: 'sjis.csv' });
  assert.equal(s.out.format, 'csv_sjis');
  assert.deepEqual(s.out.imported, { seekers: 1, licences: 1, facilities: 0 });
  const ps = await c36.get(`${API}/people?q=${encodeURIComponent(`髙﨑 ${tag}S`)}`);
  assert.equal(ps.json.items.length, 1, ps.text);
  assert.equal(ps.json.items[0].name, `髙﨑 ${tag}S`);
  // XLSX: dates as date cells, numbers as numbers, prefecture code as the number 36
  const row = seekerRow({ n: 'X', 免許番号: licX });
  const cells = ACC_HEAD.map((h, i) => {
    if (['生年月日', '登録日', '免許登録日'].includes(h)) return { date: row[i] };
    if (['経験年数', '希望賃金下限', '免許番号'].includes(h)) return Number(row[i]);
    if (h === '都道府県') return 36;
    return row[i] === '' ? null : row[i];
  });
  const x = await importOk('accounts', xlsx([ACC_HEAD, cells]), { name: 'accounts.xlsx' });
  assert.equal(x.out.format, 'xlsx');
  const px = await c36.get(`${API}/people?q=${encodeURIComponent(`阿波 ${tag}X`)}`);
  assert.equal(px.json.items.length, 1, px.text);
  assert.equal(px.json.items[0].created_at, jstMidnight('2013-05-20'));
  const sx = (await c36.get(`${API}/people/${px.json.items[0].id}/seeker`)).json.seeker;
  assert.deepEqual(sx.licences, [{ type: 'kangoshi', number: licX, registered_on: '2007-04-20' }]);
  assert.equal(sx.experience.years, 6);
});
