// Public job search: short keywords, kana/width folding, filters and facets, sorts including the
// prefecture-level "nearest", and bad parameters (400 with the parameter named, nothing else).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API, assertError, client } from './_lib.mjs';

const anon = () => client();
const search = async (qs) => {
  const r = await anon().get(`${API}/offers?${qs}`);
  assert.equal(r.status, 200, `${qs}: ${r.text.slice(0, 300)}`);
  return r.json;
};

test('one- and two-character keywords match; kana and width variants fold', async () => {
  // The Osaka demo offer is 「訪問看護師（日勤・オンコールあり）」.
  for (const kw of ['訪問', '訪', 'オンコール', 'おんこーる', 'ｵﾝｺｰﾙ', 'オン', 'オンコ']) {
    const d = await search(`q=${encodeURIComponent(kw)}`);
    assert.ok(d.total >= 1, `${kw} finds the Osaka visiting-nursing offer`);
    assert.ok(d.items.some((i) => i.prefecture === '27' && i.title.includes('オンコール')), kw);
  }
  const none = await search(`q=${encodeURIComponent('オンコール 病棟看護師')}`);
  assert.ok(none.items.every((i) => !i.title.includes('訪問看護師')), 'terms are ANDed');
  const both = await search(`q=${encodeURIComponent('看護 中央')}`);
  assert.ok(both.total >= 1, 'two terms that occur in one offer');
});

test('facets cover every code; a prefecture filter keeps its own facet open', async () => {
  const d = await search('prefecture=13');
  assert.equal(Object.keys(d.facets.prefecture).length, 47);
  assert.ok(d.facets.prefecture['27'] >= 1, 'other prefectures still counted while 13 is chosen');
  assert.ok(d.items.every((i) => i.prefecture === '13'));
  for (const k of ['licence', 'employment_form', 'shift', 'facility_type', 'flags']) assert.equal(typeof d.facets[k], 'object', k);
  assert.equal(d.facets.licence.kangoshi >= d.total, true);
});

test('sort=distance orders by the prefecture-level distance from near', async () => {
  const osaka = await search('sort=distance&near=27128&per_page=100');
  const prefs = osaka.items.map((i) => i.prefecture);
  const firstTokyo = prefs.indexOf('13'), lastOsaka = prefs.lastIndexOf('27');
  assert.ok(lastOsaka >= 0 && firstTokyo >= 0);
  assert.ok(lastOsaka < firstTokyo, `Osaka offers come before Tokyo ones from 27128: ${prefs.join(',')}`);
  const tokyo = await search('sort=distance&near=13101&per_page=100');
  const p2 = tokyo.items.map((i) => i.prefecture);
  assert.ok(p2.lastIndexOf('13') < p2.indexOf('27'), `Tokyo first from 13101: ${p2.join(',')}`);
});

test('sort by monthly wage is descending', async () => {
  const d = await search('sort=wage_monthly&per_page=100');
  const wages = d.items.filter((i) => i.wage_type === 'monthly').map((i) => i.wage_min);
  assert.deepEqual(wages, [...wages].sort((a, b) => b - a));
});

test('bad parameters: 400 request.bad_parameter naming the parameter', async () => {
  const cases = {
    prefecture: ['99', '13,', 'tokyo', "13' OR 1=1 --"],
    municipality: ['1310', '13101,abcde', '99999'.repeat(3)],
    licence: ['doctor', 'kangoshi,doctor'],
    employment_form: ['full'],
    shift: ['midnight'],
    facility_type: ['castle'],
    flags: ['<script>'],
    wage_monthly_min: ['-1', 'abc', '1e9', '99999999999999999999'],
    wage_hourly_min: ['1.5'],
    sort: ['random'],
    near: ['x'],
    page: ['0', '-1', 'x'],
    per_page: ['0', '101'],
  };
  for (const [param, values] of Object.entries(cases)) {
    for (const v of values) {
      const extra = param === 'near' ? 'sort=distance&' : '';
      const r = await anon().get(`${API}/offers?${extra}${param}=${encodeURIComponent(v)}`);
      assertError(r, 400, 'request.bad_parameter');
      assert.equal(r.json.error.field, param === 'per_page' || param === 'page' ? param : param, `${param}=${v}`);
    }
  }
  assertError(await anon().get(`${API}/offers?sort=distance`), 400, 'request.bad_parameter');
  assertError(await anon().get(`${API}/offers?q=${'看'.repeat(101)}`), 400, 'request.bad_parameter');
  assertError(await anon().get(`${API}/offers?q=${encodeURIComponent('a b c d e f g h i')}`), 400, 'request.bad_parameter');
  assertError(await anon().get(`${API}/offers?page=500&per_page=100`), 400, 'request.bad_parameter');
  assertError(await anon().get(`${API}/offers/13-2026-99999x`), 404, 'resource.not_found');
});
