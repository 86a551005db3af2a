// The report tables' acceptance test (docs/REPORTS.md, docs/API.md "Reports"): deterministic
// records of FY2008–FY2009 (April 2008 – March 2010) in 徳島県 (36) and 香川県 (37), generated here
// with a seeded PRNG and fed through the historical importer (`nccs import accounts | offers |
// notifications | helpdesk | placements`, `nccs import access-log`), plus campaign consultations
// recorded through the API by counselors created with `nccs user add`. Every table is computed
// again here, in JavaScript, from the generated records by the documented rules, and compared
// whole-row (labels and every cell) with the API's answer for fiscal year 2009, national and per
// prefecture; the same tables through CSV, XLSX, `nccs report` and all-tables builds; scope
// (counselors, sysadmin) and bad input (documented 4xx JSON errors, database unchanged).
//
// No other test file uses FY2008–FY2009 (import: FY2012–FY2014, access: 2024, everything else
// today), so the national tables hold exactly these records. Labels of code lists (prefectures,
// facility types, shift patterns, licences, employment forms, notification reasons and channels,
// help-desk categories, municipalities) come from GET /api/v1/ref; no number is copied from the
// server. Needs a fresh stack (the runner gives one): importing the same files twice is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { runNccs } from '../support/stack.mjs';
import {
  API, BIN, DB_URL, JP_RE, client, demo, assertError, stableCounts, assertCountsUnchanged, sleep,
} from './_lib.mjs';

const FY = 2009;
const PREFS = ['36', '37'];
const TAG = '報告検証2009緊急確保';   // the campaign of the campaign table
const TAG_OTHER = '報告検証2009別施策'; // another campaign in the same period (never counted)
const CAMPAIGN_FROM = '2009-07-01';
const CAMPAIGN_TO = '2010-01-31';
const COUNSELOR_PASSWORD = 'report-check-2009';

const nccs = (args, opts = {}) => runNccs(BIN, args, { allowFail: true, timeoutMs: 300000, ...opts });

// ---- deterministic randomness ---------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(20090401);
const ri = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;
function sample(a, n) {
  const c = [...a], out = [];
  while (out.length < n && c.length) out.push(c.splice(Math.floor(rnd() * c.length), 1)[0]);
  return out;
}
const pad = (n, w = 2) => String(n).padStart(w, '0');

// ---- calendar (dates are 'YYYY-MM-DD'; times JST 'YYYY-MM-DD HH:MM') --------------------------

const dayNo = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;
const dayStr = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
const addDays = (s, k) => dayStr(dayNo(s) + k);
const randDate = (a, b) => dayStr(ri(dayNo(a), dayNo(b)));
const maxDate = (...d) => d.reduce((x, y) => (x > y ? x : y));
const minDate = (...d) => d.reduce((x, y) => (x < y ? x : y));
const daysInMonth = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
// The same day k months later (earlier), clamped to the month's last day.
function addMonths(s, k) {
  const t = +s.slice(0, 4) * 12 + (+s.slice(5, 7) - 1) + k;
  const y = Math.floor(t / 12), m = t - y * 12 + 1;
  return `${y}-${pad(m)}-${pad(Math.min(+s.slice(8, 10), daysInMonth(y, m)))}`;
}
// The last day of the month after next (an offer's validity from its publication).
function endOfMonthAfterNext(s) {
  const t = +s.slice(0, 4) * 12 + (+s.slice(5, 7) - 1) + 2;
  const y = Math.floor(t / 12), m = t - y * 12 + 1;
  return `${y}-${pad(m)}-${pad(daysInMonth(y, m))}`;
}
const fyOf = (s) => (+s.slice(5, 7) >= 4 ? +s.slice(0, 4) : +s.slice(0, 4) - 1);
const monthIdx = (s) => (+s.slice(5, 7) + 8) % 12; // April = 0 … March = 11
const fyRange = (fy) => [`${fy}-04-01`, `${fy + 1}-04-01`];
const inFy = (s, fy) => s.slice(0, 10) >= `${fy}-04-01` && s.slice(0, 10) < `${fy + 1}-04-01`;
function ageOn(birth, on) {
  const [by, bm, bd] = birth.split('-').map(Number), [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
// A date cell as people write them: ISO or with slashes.
const dateCell = (s) => (chance(0.2) ? `${+s.slice(0, 4)}/${+s.slice(5, 7)}/${+s.slice(8, 10)}` : s);
const timeAt = (day) => `${day} ${pad(ri(8, 18))}:${pad(ri(0, 59))}`;
const minutes = (t) => dayNo(t.slice(0, 10)) * 1440 + (t.length > 10 ? +t.slice(11, 13) * 60 + +t.slice(14, 16) : 0);
const timeStr = (n) => `${dayStr(Math.floor(n / 1440))} ${pad(Math.floor((n % 1440) / 60))}:${pad(n % 60)}`;

// The server's rounding of reals (2 decimals) and ratios (4 decimals) in JSON.
const r2 = (v) => Math.round(v * 100) / 100;
const r4 = (v) => Math.round(v * 10000) / 10000;
const ratio = (num, den) => (den ? r4(num / den) : null);

const MONTHS = ['4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月', '1月', '2月', '3月'];

// ---- the generated records ------------------------------------------------------------------

const FAM = [['阿波', 'アワ'], ['吉野', 'ヨシノ'], ['鳴門', 'ナルト'], ['眉山', 'ビザン'], ['讃岐', 'サヌキ'],
  ['琴平', 'コトヒラ'], ['屋島', 'ヤシマ'], ['小豆', 'ショウズ'], ['祖谷', 'イヤ'], ['勝浦', 'カツウラ'],
  ['池田', 'イケダ'], ['丸亀', 'マルガメ']];
const GIV = [['花子', 'ハナコ'], ['一郎', 'イチロウ'], ['さくら', 'サクラ'], ['良子', 'リョウコ'], ['健', 'ケン'],
  ['美咲', 'ミサキ'], ['翔', 'ショウ'], ['由美', 'ユミ'], ['直樹', 'ナオキ'], ['恵', 'メグミ']];
const STEM = { 36: ['徳島', 'トクシマ'], 37: ['香川', 'カガワ'] };
const NUMK = ['イチ', 'ニ', 'サン', 'ヨン', 'ゴ', 'ロク', 'ナナ', 'ハチ', 'キュウ', 'ジュウ'];
const WAGE_LABEL = { monthly: '月給', hourly: '時給', daily: '日給', annual: '年俸' };

// Generates every record from the reference lists (labels) and municipalities of 36 and 37.
// Returns the model (what the database will hold) and the import files.
function generate(ref, munis) {
  const L = (list) => Object.fromEntries(ref[list].map((x) => [x.code, x.name]));
  const lab = {
    pref: L('prefectures'), ft: L('facility_types'), sh: L('shift_patterns'), lic: L('licence_types'),
    emp: L('employment_forms'), reason: L('notification_reasons'), wp: L('last_workplaces'),
    nws: L('notification_work_statuses'), hd: L('helpdesk_categories'),
  };
  const FT = ref.facility_types.map((x) => x.code), SH = ref.shift_patterns.map((x) => x.code);
  const LIC = ref.licence_types.map((x) => x.code), EMP = ref.employment_forms.map((x) => x.code);
  const HD = ref.helpdesk_categories.map((x) => x.code);
  const either = (code, labels) => (chance(0.5) ? code : labels[code]);
  const prefCell = (p) => pick([p, lab.pref[p], lab.pref[p].replace(/[都道府県]$/, '')]);
  const listCell = (codes, labels) => codes.map((c) => either(c, labels)).join('|');

  // Facilities: 9 per prefecture, some registered before FY2008, some on the years' edges.
  const facilities = [];
  const FAC_PLAN = ['hospital', 'hospital', 'clinic', 'visiting_nursing', 'geriatric_health', 'nursing_home',
    'care_other', null, null];
  const SUFFIX = { hospital: ['病院', 'ビョウイン'], clinic: ['クリニック', 'クリニック'],
    visiting_nursing: ['訪問看護ステーション', 'ホウモンカンゴステーション'] };
  const FAC_REG = { '36:4': '2009-04-01', '36:6': '2009-03-31', '37:5': '2010-03-31', '37:7': '2008-04-01' };
  for (const p of PREFS) {
    for (let i = 0; i < FAC_PLAN.length; i++) {
      const type = FAC_PLAN[i] ?? pick(FT);
      const [suf, sufk] = SUFFIX[type] || ['施設', 'シセツ'];
      facilities.push({
        idx: facilities.length, pref: p, type,
        reg: FAC_REG[`${p}:${i}`] ?? (i < 4 ? randDate('2006-04-01', '2008-03-31') : randDate('2008-04-01', '2010-03-31')),
        name: `報告検証${STEM[p][0]}第${i + 1}${suf}`, kana: `ホウコクケンショウ${STEM[p][1]}ダイ${NUMK[i]}${sufk}`,
        muni: chance(0.6) ? pick(munis[p]) : null,
        phone: chance(0.7) ? `0${p === '36' ? '88' : '87'}-${ri(200, 899)}-${ri(1000, 9999)}` : null,
      });
    }
  }

  // Job seekers: 50 per prefecture, registered FY2007–FY2009 (some on the edges of FY2009).
  const seekers = [];
  const REG = ['2009-04-01', '2010-03-31', '2009-03-31', '2008-04-01', '2009-05-20', '2009-08-08', '2009-10-10',
    '2009-06-15', '2008-10-01', '2008-11-11'];
  const LIC_W = ['kangoshi', 'kangoshi', 'kangoshi', 'kangoshi', 'kangoshi', 'kangoshi', 'junkangoshi', 'junkangoshi',
    'hokenshi', 'josanshi'];
  const CH_W = ['pc', 'pc', 'pc', 'pc', 'smartphone', 'smartphone', 'smartphone', 'center', 'center', 'notification'];
  for (const p of PREFS) {
    for (let k = 0; k < 50; k++) {
      const r = rnd();
      const reg = REG[k] ?? (r < 0.12 ? randDate('2007-06-01', '2008-03-31')
        : r < 0.5 ? randDate('2008-04-01', '2009-03-31') : randDate('2009-04-01', '2010-03-31'));
      let birth;
      if (k === 4) birth = addMonths(reg, -12 * 25); // 25 on the registration day
      else if (k === 5) birth = addDays(addMonths(reg, -12 * 25), 1); // 24 for one more day
      else if (k === 6) birth = addMonths(reg, -12 * 65);
      else if (k === 7 || chance(0.08)) birth = null;
      else birth = addDays(addMonths(reg, -12 * ri(19, 70)), -ri(0, 300));
      const type = pick(LIC_W);
      const lics = [{ type, number: `20090${p}${pad(k, 3)}` }];
      if (chance(0.12)) lics.push({ type: type === 'kangoshi' ? 'hokenshi' : 'kangoshi', number: `20091${p}${pad(k, 3)}` });
      for (const l of lics) {
        l.date = addDays(reg, -ri(30, 6000));
        if (birth && l.date < addMonths(birth, 240)) l.date = minDate(addMonths(birth, 240), reg);
      }
      let wageType = null, wageMin = null;
      const w = rnd();
      if (w < 0.45) { wageType = 'monthly'; wageMin = chance(0.25) ? pick([199999, 200000, 250000, 300000, 350000]) : ri(30, 80) * 5000; }
      else if (w < 0.7) { wageType = 'hourly'; wageMin = chance(0.25) ? pick([1499, 1500, 2000, 2500]) : ri(20, 60) * 50; }
      let valid = chance(0.7) ? addDays(reg, ri(0, 540)) : null;
      if (k === 8) valid = '2009-03-31'; // ends the day before FY2009
      if (k === 9) valid = '2009-04-01'; // valid on FY2009's first day
      const fam = pick(FAM), giv = pick(GIV);
      seekers.push({
        idx: seekers.length, k, pref: p, reg, birth, lics, wageType, wageMin,
        shifts: sample(SH, pick([0, 0, 1, 1, 2, 3])), ftypes: sample(FT, pick([0, 0, 1, 1, 2, 3])),
        valid, validFinal: valid ?? addMonths(reg, 6), channel: pick(CH_W),
        name: `${fam[0]} ${giv[0]}`, kana: `${fam[1]} ${giv[1]}`,
        email: k < 10 || chance(0.9) ? `rpt09.s${p}.${k}@example.jp` : null,
        phone: chance(0.5) ? `090-${ri(1000, 9999)}-${ri(1000, 9999)}` : null,
        work: pick(['就業中', '離職中', '休職中', '学生', 'employed', 'not_working', 'on_leave']), years: ri(0, 30),
      });
    }
  }
  for (const s of seekers) s.birthFinal = s.birth;

  // Notifications: of registered seekers (found by licence), of new holders (accounts created
  // by the import: channel 'center' for counter filings, else 'notification'), some filed twice.
  const notifications = [], holders = [];
  const licDay = new Set();
  const CH_N = ['pc', 'smartphone', 'center', 'proxy'];
  const NOTIF_TIMES = ['2009-04-01 00:00', '2009-03-31 23:59', '2010-03-31 23:59', '2010-04-01 00:00'];
  const other = (p) => (p === '36' ? '37' : '36');
  function notify({ holder, seeker, channel, filed, birth }) {
    const h = holder || seeker;
    const l = holder ? holder.lic : seeker.lics[0];
    while (licDay.has(`${l.type}:${l.number}@${filed.slice(0, 10)}`)) filed = timeAt(addDays(filed.slice(0, 10), 1));
    licDay.add(`${l.type}:${l.number}@${filed.slice(0, 10)}`);
    const home = holder ? holder.route : seeker.pref;
    let addr = home, center = null;
    if (channel === 'proxy' || chance(0.3)) center = home;
    if (!holder && !center && chance(0.15)) addr = other(home); // routed by the address
    const route = center ?? addr;
    const reason = pick(['left_job', 'left_job', 'left_job', 'stopped_practising', 'stopped_practising', 'not_practising_after_licensing']);
    const proxyFac = channel === 'proxy' ? pick(facilities.filter((f) => f.pref === route)) : null;
    const n = {
      idx: notifications.length, holder, seeker, channel, filed, route, reason,
      row: {
        氏名: h.name, フリガナ: h.kana, 生年月日: dateCell(birth), 郵便番号: chance(0.5) ? `770${pad(ri(0, 9999), 4)}` : '',
        住所都道府県: prefCell(addr), 住所: chance(0.5) ? `${lab.pref[addr]}報告検証町${ri(1, 9)}-${ri(1, 20)}` : '',
        電話番号: chance(0.5) ? `090-${ri(1000, 9999)}-${ri(1000, 9999)}` : '', メールアドレス: holder?.email ?? '',
        免許種別: either(l.type, lab.lic), 免許番号: l.number, 免許登録日: dateCell(l.date),
        届出経路: channel, 届出日: filed, 届出事由: either(reason, lab.reason),
        事由発生日: addDays(filed.slice(0, 10), -ri(0, 120)),
        就業状況: either(pick(Object.keys(lab.nws)), lab.nws),
        離職前の就業場所: reason === 'not_practising_after_licensing' ? '' : either(pick(Object.keys(lab.wp)), lab.wp),
        離職前の就業先の名称: reason !== 'not_practising_after_licensing' && chance(0.5) ? '報告検証記念病院' : '',
        届出先都道府県: center ? prefCell(center) : '', 代行施設名: proxyFac ? proxyFac.name : '',
      },
    };
    n.row.届出経路 = { pc: pick(['pc', 'PC', 'インターネット（PC）']), smartphone: pick(['smartphone', 'スマートフォン']),
      center: pick(['center', '窓口', 'ナースセンター窓口']), proxy: pick(['proxy', '代行', '施設による代行届出']) }[channel];
    notifications.push(n);
    return n;
  }
  const withBirth = seekers.filter((s) => s.birth);
  for (let j = 0; j < 16; j++) {
    const s = pick(j < 2 ? withBirth.filter((x) => x.lics[0].date < '2009-03-31') : withBirth); // licensed before filing
    const lo = maxDate(s.lics[0].date, '2008-04-01');
    notify({ seeker: s, channel: pick(CH_N), filed: j < 2 ? NOTIF_TIMES[j] : timeAt(randDate(lo, '2010-03-31')), birth: s.birth });
  }
  // Registered seekers without a birth date: the notification's birth date fills it in
  // (store_holder_sync), so the age table reads it.
  for (const s of [seekers.find((x) => x.pref === '36' && x.k === 7), seekers.find((x) => x.pref === '37' && !x.birth && x.k !== 7)].filter(Boolean)) {
    const filed = timeAt(randDate(maxDate(s.lics[0].date, s.reg, '2009-04-01'), '2010-03-31'));
    s.birthFinal = addDays(addMonths(filed.slice(0, 10), -12 * ri(30, 50)), -ri(0, 300));
    notify({ seeker: s, channel: pick(CH_N), filed, birth: s.birthFinal });
  }
  for (let j = 0; j < 24; j++) {
    const route = PREFS[j % 2], fam = pick(FAM), giv = pick(GIV);
    const filedDay = j < 2 ? NOTIF_TIMES[2 + j].slice(0, 10) : randDate('2008-04-01', '2010-03-31');
    const h = {
      j, route, name: `${fam[0]} ${giv[0]}`, kana: `${fam[1]} ${giv[1]}`,
      email: chance(0.75) || j < 8 ? `rpt09.h${route}.${j}@example.jp` : null,
      lic: { type: pick(['kangoshi', 'kangoshi', 'junkangoshi']), number: `20092${route}${pad(j, 3)}`, date: randDate('1995-04-01', addDays(filedDay, -1)) },
    };
    h.birth = addDays(addMonths(filedDay, -12 * ri(24, 60)), -ri(0, 300));
    const channel = j < 8 ? CH_N[j % 4] : pick(CH_N);
    const first = notify({ holder: h, channel, filed: j < 2 ? NOTIF_TIMES[2 + j] : timeAt(filedDay), birth: h.birth });
    h.channel = channel === 'center' ? 'center' : 'notification';
    h.created = first.filed;
    holders.push(h);
  }
  for (const h of [holders[3], holders[6]]) { // a second filing on a later day: the same account
    const lo = addDays(h.created.slice(0, 10), 1);
    notify({ holder: h, channel: pick(['pc', 'smartphone', 'center']), filed: timeAt(randDate(lo, maxDate(lo, '2010-03-31'))), birth: h.birth });
  }

  // Help-desk tickets of 36 and 37, every category, on the edges of the years too.
  const tickets = [];
  const HD_TIMES = ['2009-04-01 00:00', '2010-03-31 23:59', '2009-03-31 23:59', '2010-04-01 00:00', '2009-06-15'];
  for (let i = 0; i < 90; i++) {
    const pref = chance(0.55) ? '36' : '37';
    const opened = HD_TIMES[i] ?? timeAt(randDate('2008-04-01', '2010-03-31'));
    const cat = i < HD.length ? HD[(i * 5) % HD.length] : pick(HD);
    const st = pick(['open', 'answered', 'answered', 'closed']);
    const row = { 都道府県: prefCell(pref), 分類: either(cat, lab.hd), 件名: `報告検証の問い合わせ${i + 1}`,
      内容: `報告検証の問い合わせです。\n番号 ${i + 1}`, 受付日時: opened,
      状態: { open: pick(['open', '回答待ち', '未回答']), answered: pick(['answered', '回答済み', '回答済']), closed: pick(['closed', '完了', '対応済']) }[st],
      完了日: '', 回答: '', 回答日時: '' };
    const t0 = minutes(opened);
    if (st === 'answered' || (st === 'closed' && chance(0.5))) { row.回答 = '確認しました。手順をお送りします。'; row.回答日時 = timeStr(t0 + ri(1, 600)); }
    if (st === 'closed') row.完了日 = addDays(opened.slice(0, 10), ri(2, 10));
    tickets.push({ pref, cat, opened, row });
  }

  // Job offers: 30 per prefecture, published FY2007–FY2010, closed 3 days to 14 months later;
  // the edges of FY2009 on both sides; a daily and an annual wage in 36.
  const offers = [];
  const JOBS = ['病棟看護師', '外来看護師', '訪問看護師', '夜勤専従看護師', '健診看護師', '施設看護職'];
  let offerSeq = 0;
  for (const p of PREFS) {
    for (let k = 0; k < 30; k++) {
      let published, closed;
      const FIXED = [['2010-03-31', '2010-05-31'], ['2010-04-01', '2010-06-30'], ['2008-12-01', '2009-03-31'], ['2008-12-15', '2009-04-01']];
      if (FIXED[k]) [published, closed] = FIXED[k];
      else if (p === '36' && (k === 4 || k === 5)) { published = randDate('2009-05-01', '2009-12-31'); closed = addDays(published, 60); }
      else {
        const r = rnd();
        published = r < 0.15 ? randDate('2007-10-01', '2008-03-31') : r < 0.5 ? randDate('2008-04-01', '2009-03-31')
          : r < 0.9 ? randDate('2009-04-01', '2010-03-31') : randDate('2010-04-01', '2010-09-30');
        closed = addDays(published, ri(3, 420));
      }
      const cands = facilities.filter((f) => f.pref === p && f.reg <= published);
      const fac = cands.length ? pick(cands) : facilities.find((f) => f.pref === p);
      const w = rnd();
      let wageType = w < 0.6 ? 'monthly' : w < 0.88 ? 'hourly' : w < 0.95 ? 'daily' : 'annual';
      if (p === '36' && k === 4) wageType = 'daily';
      if (p === '36' && k === 5) wageType = 'annual';
      const [wageMin, step] = {
        monthly: [chance(0.3) ? pick([200000, 250000, 300000, 350000]) : ri(17, 38) * 10000, 10000],
        hourly: [chance(0.3) ? pick([1500, 2000, 2500]) : ri(11, 29) * 100, 100],
        daily: [ri(9, 20) * 1000, 1000], annual: [ri(30, 60) * 100000, 100000],
      }[wageType];
      offers.push({
        idx: offers.length, pref: p, fac, published, closed, received: addDays(published, -ri(0, 14)),
        valid: maxDate(endOfMonthAfterNext(published), closed),
        no: `${p}-${fyOf(published)}-${pad(800001 + offerSeq++, 6)}`, title: `${pick(JOBS)}（報告検証${k + 1}）`.normalize('NFKC'), // stored NFKC-normalised: （） → ()
        emp: pick(EMP), wageType, wageMin, wageMax: chance(0.5) ? wageMin + step * ri(1, 5) : null,
        shifts: sample(SH, pick([0, 1, 1, 1, 2, 2])), licences: sample(LIC, pick([0, 1, 1, 2])),
        positions: pick([1, 1, 1, 2, 2, 3, 5, 10]), reason: pick(['充足', '取下げ', 'filled', 'withdrawn', '']),
      });
    }
  }

  // Placements (referral → hire → start → retention checks), mostly FY2008–FY2009.
  const placements = [];
  const usedPairs = new Set();
  let refSeq = 0;
  function findPair(sf, of, lo0, hi0) {
    const ss = seekers.filter(sf), os = offers.filter(of);
    for (let t = 0; t < 2000; t++) {
      const s = pick(ss), o = pick(os);
      const lo = maxDate(s.reg, o.published, lo0), hi = minDate(o.closed, hi0);
      if (lo <= hi && !usedPairs.has(`${s.idx}:${o.idx}`)) return { s, o, lo, hi };
    }
    throw new Error('generator: no seeker/offer pair fits');
  }
  function place({ s, o, r, decided, start, hpref }) {
    usedPairs.add(`${s.idx}:${o.idx}`);
    decided ??= addDays(r, ri(0, 21));
    start ??= addDays(decided, ri(0, 45));
    const u = rnd();
    const outcome = u < 0.3 ? 'unknown' : u < 0.6 ? 'stayed' : u < 0.82 ? 'left_within' : 'left_after';
    const left = outcome === 'left_within' ? addDays(start, ri(10, 150)) : outcome === 'left_after' ? addDays(start, ri(200, 400)) : null;
    const perm = pick(['1', '0', 'はい', 'いいえ', '無期', '有期']);
    const handling = hpref ?? s.pref;
    const a = {
      idx: placements.length, s, o, referred: r, decided, start, pref: handling, emp: pick(EMP),
      permanent: ['1', 'はい', '無期'].includes(perm), left,
      left6: outcome === 'unknown' ? null : outcome === 'left_within' ? 1 : 0,
      no: `${handling}-${fyOf(r)}-${pad(700001 + refSeq++, 6)}`,
    };
    a.row = {
      免許種別: either(s.lics[0].type, lab.lic), 免許番号: s.lics[0].number, 求人番号: o.no,
      取扱都道府県: hpref ? prefCell(hpref) : '', 紹介日: dateCell(r), 紹介番号: a.no, 採否決定日: dateCell(decided),
      就職日: dateCell(start), 雇用形態: either(a.emp, lab.emp), 無期雇用: perm,
      '6か月以内離職': { unknown: pick(['', '不明']), stayed: pick(['0', 'いいえ', 'なし']), left_within: pick(['1', 'はい', 'あり']), left_after: pick(['0', '']) }[outcome],
      離職日: left ? dateCell(left) : '',
    };
    placements.push(a);
  }
  // One nurse of 36 referred twice in FY2009, once by each center (national applicants distinct).
  {
    const { s, o } = findPair((x) => x.pref === '36' && x.reg <= '2009-09-30', (x) => x.pref === '36', '2009-04-01', '2010-02-28');
    const lo1 = maxDate(s.reg, o.published, '2009-04-01');
    place({ s, o, r: randDate(lo1, minDate(o.closed, '2010-02-28')) });
    const o2 = pick(offers.filter((x) => x.pref === '37' && maxDate(s.reg, x.published, '2009-04-01') <= minDate(x.closed, '2010-02-28')));
    place({ s, o: o2, r: randDate(maxDate(s.reg, o2.published, '2009-04-01'), minDate(o2.closed, '2010-02-28')), hpref: '37' });
  }
  { // referred in FY2009, starts in FY2010
    const { s, o } = findPair((x) => x.pref === '36', (x) => x.pref === '36', '2010-03-20', '2010-03-20');
    place({ s, o, r: '2010-03-20', decided: '2010-03-25', start: '2010-04-05' });
  }
  { // referred in FY2008, starts on FY2009's first day
    const { s, o } = findPair((x) => x.pref === '36', (x) => x.pref === '36', '2009-03-10', '2009-03-10');
    place({ s, o, r: '2009-03-10', decided: '2009-03-20', start: '2009-04-01' });
  }
  while (placements.length < 48) {
    const same = chance(0.75);
    const pref = pick(PREFS);
    const { s, o, lo, hi } = findPair((x) => x.pref === pref, (x) => (same ? x.pref === pref : x.pref !== pref), '2008-04-01', '2010-03-31');
    place({ s, o, r: randDate(lo, hi), hpref: chance(0.2) ? pick(PREFS) : null });
  }

  // Campaign consultations (recorded through the API after the import).
  const consultations = [];
  const hasApps = (s) => placements.some((a) => a.s === s);
  const c36 = seekers.filter((s) => s.pref === '36' && s.email);
  const withApps = c36.filter(hasApps), noApps = c36.filter((s) => !hasApps(s));
  const nurses36 = [...sample(withApps, 4), ...sample(noApps, 1)];
  const rest = withApps.filter((s) => !nurses36.includes(s));
  const inRange = () => randDate(CAMPAIGN_FROM, CAMPAIGN_TO);
  for (const s of nurses36) consultations.push({ pref: '36', kind: 'nurse', seeker: s, on: inRange(), tag: TAG });
  consultations.push({ pref: '36', kind: 'nurse', seeker: nurses36[0], on: inRange(), tag: TAG }); // twice
  consultations.push({ pref: '36', kind: 'nurse', holder: holders.find((h) => h.route === '36' && h.email), on: inRange(), tag: TAG });
  consultations.push({ pref: '36', kind: 'nurse', seeker: rest[0], on: '2009-05-12', tag: TAG }); // before the range
  consultations.push({ pref: '36', kind: 'nurse', seeker: rest[1], on: inRange(), tag: TAG_OTHER }); // another tag
  const f36 = facilities.filter((f) => f.pref === '36');
  const campFac = sample(f36, 3);
  consultations.push({ pref: '36', kind: 'facility', facility: campFac[0], on: inRange(), tag: TAG });
  consultations.push({ pref: '36', kind: 'facility', facility: campFac[0], on: inRange(), tag: TAG });
  consultations.push({ pref: '36', kind: 'facility', facility: campFac[1], on: inRange(), tag: TAG });
  consultations.push({ pref: '36', kind: 'facility', facility: campFac[2], on: '2010-02-15', tag: TAG }); // after
  consultations.push({ pref: '36', kind: 'other', name: '報告検証 市役所保健課', on: inRange(), tag: TAG });
  consultations.push({ pref: '36', kind: 'other', name: '報告検証 看護学校', on: CAMPAIGN_TO, tag: TAG }); // last day
  consultations.push({ pref: '36', kind: 'other', name: '報告検証 個人', on: inRange(), tag: TAG_OTHER });
  for (const s of sample(seekers.filter((x) => x.pref === '37' && x.email && hasApps(x)), 2)) {
    consultations.push({ pref: '37', kind: 'nurse', seeker: s, on: inRange(), tag: TAG });
  }
  consultations.push({ pref: '37', kind: 'facility', facility: pick(facilities.filter((f) => f.pref === '37')), on: CAMPAIGN_FROM, tag: TAG });
  consultations.push({ pref: '37', kind: 'other', name: '報告検証 香川の相談者', on: inRange(), tag: TAG });

  const access = generateAccess();

  // ---- the import files ----
  const ACC_H = ['種別', '氏名', 'フリガナ', '生年月日', 'メールアドレス', '電話番号', '都道府県', '登録経路', '登録日',
    '免許種別', '免許番号', '免許登録日', '免許種別2', '免許番号2', '免許登録日2', '就業状況', '経験年数', '希望賃金区分',
    '希望賃金下限', '希望勤務形態', '希望施設種別', '有効期限', '施設名', '市区町村コード', '施設種別'];
  const CH_CELL = { pc: ['pc', 'インターネット（PC）', 'PC'], smartphone: ['smartphone', 'インターネット（スマートフォン）', 'スマートフォン'],
    center: ['center', 'センターで登録'], notification: ['notification', '届出から作成'] };
  const accRows = [
    ...facilities.map((f) => ({ 種別: pick(['施設', 'facility']), フリガナ: f.kana, 電話番号: f.phone ?? '', 都道府県: prefCell(f.pref),
      登録日: dateCell(f.reg), 施設名: f.name, 市区町村コード: f.muni?.code ?? '', 施設種別: either(f.type, lab.ft) })),
    ...seekers.map((s) => ({
      種別: pick(['求職者', 'seeker']), 氏名: s.name, フリガナ: s.kana, 生年月日: s.birth ? dateCell(s.birth) : '',
      メールアドレス: s.email ?? '', 電話番号: s.phone ?? '', 都道府県: prefCell(s.pref), 登録経路: pick(CH_CELL[s.channel]),
      登録日: dateCell(s.reg), 免許種別: either(s.lics[0].type, lab.lic), 免許番号: s.lics[0].number, 免許登録日: dateCell(s.lics[0].date),
      免許種別2: s.lics[1] ? either(s.lics[1].type, lab.lic) : '', 免許番号2: s.lics[1]?.number ?? '',
      免許登録日2: s.lics[1] ? dateCell(s.lics[1].date) : '', 就業状況: s.work, 経験年数: String(s.years),
      希望賃金区分: s.wageType ? either(s.wageType, { monthly: '月給', hourly: '時給' }) : '',
      希望賃金下限: s.wageMin === null ? '' : chance(0.3) ? s.wageMin.toLocaleString('en-US') : String(s.wageMin),
      希望勤務形態: listCell(s.shifts, lab.sh), 希望施設種別: listCell(s.ftypes, lab.ft), 有効期限: s.valid ? dateCell(s.valid) : '',
    })),
  ];
  const OFF_H = ['施設名', '都道府県', '求人番号', '職種', '雇用形態', '賃金区分', '賃金下限', '賃金上限', '勤務形態', '応募資格',
    '求人数', '受付日', '公開日', '終了日', '終了理由'];
  const offRows = offers.map((o) => ({
    施設名: o.fac.name, 都道府県: prefCell(o.pref), 求人番号: o.no, 職種: o.title, 雇用形態: either(o.emp, lab.emp),
    賃金区分: either(o.wageType, WAGE_LABEL), 賃金下限: String(o.wageMin), 賃金上限: o.wageMax === null ? '' : String(o.wageMax),
    勤務形態: listCell(o.shifts, lab.sh), 応募資格: listCell(o.licences, lab.lic), 求人数: String(o.positions),
    受付日: dateCell(o.received), 公開日: dateCell(o.published), 終了日: dateCell(o.closed), 終了理由: o.reason,
  }));
  const NOT_H = ['氏名', 'フリガナ', '生年月日', '郵便番号', '住所都道府県', '住所', '電話番号', 'メールアドレス', '免許種別', '免許番号',
    '免許登録日', '届出経路', '届出日', '届出事由', '事由発生日', '就業状況', '離職前の就業場所', '離職前の就業先の名称', '届出先都道府県',
    '代行施設名'];
  const HD_H = ['都道府県', '分類', '件名', '内容', '受付日時', '状態', '完了日', '回答', '回答日時'];
  const PL_H = ['免許種別', '免許番号', '求人番号', '取扱都道府県', '紹介日', '紹介番号', '採否決定日', '就職日', '雇用形態', '無期雇用',
    '6か月以内離職', '離職日'];
  const csv = (head, rows) => toCsv([head, ...rows.map((r) => head.map((h) => r[h] ?? ''))]);
  return {
    lab, FT, SH, LIC, EMP, HD, facilities, seekers, holders, notifications, tickets, offers, placements, consultations, access,
    files: {
      accounts: csv(ACC_H, accRows), offers: csv(OFF_H, offRows), notifications: csv(NOT_H, notifications.map((n) => n.row)),
      helpdesk: csv(HD_H, tickets.map((t) => t.row)), placements: csv(PL_H, placements.map((a) => a.row)),
    },
  };
}

function toCsv(rows) {
  return '\ufeff' + rows.map((r) => r.map((c) => {
    const s = c === null || c === undefined ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',')).join('\r\n') + '\r\n';
}

// ---- access logs ----------------------------------------------------------------------------

const UAS = [
  'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/532.0 (KHTML, like Gecko) Chrome/3.0.195 Safari/532.0',
  'Mozilla/5.0 (iPhone; U; CPU iPhone OS 3_1 like Mac OS X; ja-jp) AppleWebKit/528.18 (KHTML, like Gecko) Version/4.0 Mobile/7C144 Safari/528.16',
  'Mozilla/5.0 (Linux; U; Android 2.1; ja-jp; SO-01B Build/2.0.B.0.138) AppleWebKit/530.17 (KHTML, like Gecko) Version/4.0 Mobile Safari/530.17',
  'Mozilla/5.0 (iPad; U; CPU OS 3_2 like Mac OS X; ja-jp) AppleWebKit/531.21.10 (KHTML, like Gecko) Version/4.0.4 Mobile/7B334b Safari/531.21.10',
  'Mozilla/5.0 (Linux; U; Android 3.0; ja-jp; Xoom Build/HRI39) AppleWebKit/534.13 (KHTML, like Gecko) Version/4.0 Safari/534.13',
  'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)',
  'Opera/9.80 (J2ME/MIDP; Opera Mini/5.0.18635/1030; U; ja) Presto/2.4.15',
  'DoCoMo/2.0 N905i(c100;TB;W24H16)',
  'Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0)',
];
const BOT_UAS = ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'Mozilla/5.0 (compatible; Yahoo! Slurp)',
  'msnbot-media/1.1', 'Baiduspider', 'SomeCrawler/1.0', '-'];
const JOB_PATHS = ['/', '/', '/', '/', '/', '/?from=mail', '/old/index.do', '/home', '/home', '/offers/36-2009-800001', '/offers/37-2009-800040',
  '/search?q=%E7%9C%8B%E8%AD%B7', '/old/staff.do', '/old/staff.do', '/old/mypage.do', '/old/mypage.do', '/old/facility.do',
  '/old/help.html', '/old/todoke/form.do', '/old/staffroom'];
const NOTIFY_PATHS = ['/notify', '/notify', '/notify', '/notify/', '/notify?utm=mail', '/seeker/notifications', '/seeker/notifications',
  '/seeker/notifications/', '/facility/notifications', '/facility/notifications', '/center/notifications', '/center/notifications',
  '/center/notifications/12', '/notify/confirm?token=abc', '/notifyx', 'https://todoke.example.jp/notify'];
const MAP_TEXT = '# 旧システムのURL\n=/old/index.do\tjob\ttop_public\n=/old/staff.do\tjob\ttop_staff\n'
  + '=/old/mypage.do/\tjob\ttop_seeker\n=/old/facility.do\tjob\ttop_facility\n\n/old/todoke/\tnotify\tother\n';
const MAP = { exact: { '/old/index.do': ['job', 'top_public'], '/old/staff.do': ['job', 'top_staff'],
  '/old/mypage.do': ['job', 'top_seeker'], '/old/facility.do': ['job', 'top_facility'] }, prefix: [['/old/todoke/', 'notify', 'other']] };

const jstEpoch = (day, secs) => dayNo(day) * 86400 - 9 * 3600 + secs;
const jstDay = (t) => dayStr(Math.floor((t + 9 * 3600) / 86400));
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function timeLocal(t, offMin) {
  const d = new Date((t + offMin * 60) * 1000), a = Math.abs(offMin);
  return `${pad(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:`
    + `${pad(d.getUTCSeconds())} ${offMin < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

// Visits of clients (IP × User-Agent; two share an IP) to both sites, spread over FY2009 and the
// months either side, 08:00–22:00 JST; gaps inside a visit up to 25 minutes or exactly 30
// (continues), a new visit 30 minutes and 1 second later; plus lines that never count.
function generateAccess() {
  const clients = UAS.concat(UAS).map((ua, i) => ({ ip: i === 1 ? '203.0.113.10' : `203.0.113.${10 + i}`, ua }));
  const reqs = [], used = new Set();
  const months = [['2009-03', 4]];
  for (let m = 0; m < 12; m++) months.push([`${FY + (m >= 9 ? 1 : 0)}-${pad(((m + 3) % 12) + 1)}`, ri(8, 14)]);
  months.push(['2010-04', 4]);
  for (const [ym, n] of months) {
    const dim = daysInMonth(+ym.slice(0, 4), +ym.slice(5, 7));
    for (let v = 0; v < n; v++) {
      const ci = ri(0, clients.length - 1), c = clients[ci], site = chance(0.6) ? 'job' : 'notify';
      const day = `${ym}-${pad(ri(1, dim))}`;
      if (used.has(`${ci}|${site}|${day}`)) continue;
      used.add(`${ci}|${site}|${day}`);
      let t = jstEpoch(day, ri(8 * 60, 19 * 60) * 60 + ri(0, 59));
      const paths = site === 'job' ? JOB_PATHS : NOTIFY_PATHS;
      const nreq = ri(1, 6);
      for (let q = 0; q < nreq; q++) {
        if (q > 0) t += chance(0.15) ? 1800 : ri(60, 1500);
        reqs.push({ t, ip: c.ip, ua: c.ua, method: chance(0.06) ? 'HEAD' : 'GET', target: pick(paths), status: pick([200, 200, 200, 200, 304, 302]) });
      }
      if (chance(0.2)) reqs.push({ t: t + 1801, ip: c.ip, ua: c.ua, method: 'GET', target: pick(paths), status: 200 });
    }
  }
  const noise = [];
  for (let i = 0; i < 60; i++) {
    const day = randDate('2009-03-25', '2010-04-10'), t = jstEpoch(day, ri(0, 86399)), c = pick(clients);
    noise.push(pick([
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/api/v1/offers?page=2', status: 200 },
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/api', status: 200 },
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/assets/index-3f2a.js', status: 200 },
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/favicon.ico', status: 200 },
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/old/style.CSS', status: 200 },
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/old/manual.pdf', status: 200 },
      { t, ip: c.ip, ua: c.ua, method: 'POST', target: '/notify', status: 200 },
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/notify', status: 404 },
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/', status: 500 },
      { t, ip: c.ip, ua: c.ua, method: 'GET', target: '/healthz', status: 200 },
      { t, ip: c.ip, ua: pick(BOT_UAS), method: 'GET', target: '/', status: 200 },
      { t, ip: c.ip, ua: pick(BOT_UAS), method: 'GET', target: '/notify', status: 200 },
    ]));
  }
  const all = [...reqs, ...noise].sort((a, b) => a.t - b.t);
  const lines = all.map((r) => `${r.ip} - - [${timeLocal(r.t, chance(0.3) ? 0 : 540)}] "${r.method} ${r.target} HTTP/1.1" ${r.status} ${ri(200, 9000)} "-" "${r.ua}"`);
  lines.splice(Math.floor(lines.length / 2), 0, 'this line is not in the combined format');
  return { reqs: all, text: lines.join('\n') + '\n' };
}

// The documented rules (docs/API.md "Access statistics"), implemented independently.
const STATIC_EXT = new Set('js mjs css map png jpg jpeg gif svg ico webp avif bmp woff woff2 ttf otf eot txt xml json pdf zip gz br webmanifest csv xlsx mp4 webm mp3 wasm'.split(' '));
function normPath(target) {
  let p = target.replace(/^https?:\/\/[^/]*/i, '') || '/';
  p = p.replace(/[?#].*$/, '');
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}
const under = (p, root) => p === root || p.startsWith(root + '/');
function countable(r) {
  if (!['GET', 'HEAD'].includes(r.method) || r.status < 200 || r.status > 399) return false;
  const p = normPath(r.target);
  if (under(p, '/api') || under(p, '/assets') || p === '/healthz') return false;
  const last = p.slice(p.lastIndexOf('/') + 1), dot = last.lastIndexOf('.');
  if (dot > 0 && STATIC_EXT.has(last.slice(dot + 1).toLowerCase())) return false;
  return !(r.ua === '-' || r.ua === '' || /bot|crawler|spider|slurp/i.test(r.ua));
}
function classify(p) {
  if (MAP.exact[p]) return MAP.exact[p];
  const rule = MAP.prefix.filter(([x]) => p.startsWith(x)).sort((a, b) => b[0].length - a[0].length)[0];
  if (rule) return [rule[1], rule[2]];
  const roots = { '/notify': 'top_public', '/seeker/notifications': 'top_seeker', '/facility/notifications': 'top_facility',
    '/center/notifications': 'top_staff' };
  if (Object.keys(roots).some((r) => under(p, r))) return ['notify', roots[p] ?? 'other'];
  return ['job', p === '/' ? 'top_public' : 'other'];
}
const device = (ua) => (/iPad|Tablet/.test(ua) ? 'pc' : /iPhone|iPod|Windows Phone|BlackBerry|Opera Mini|Mobile/.test(ua) ? 'sp' : 'pc');

// Every counted page view of the log: {day (JST), site, page, sp, visit (it starts a visit)}.
function accessViews(M) {
  const out = [], last = new Map();
  for (const r of M.access.reqs) {
    if (!countable(r)) continue;
    const [site, page] = classify(normPath(r.target));
    const key = `${site}|${r.ip}|${r.ua}`, prev = last.get(key);
    out.push({ day: jstDay(r.t), site, page, sp: device(r.ua) === 'sp', visit: prev === undefined || r.t - prev > 1800 });
    last.set(key, Math.max(prev ?? r.t, r.t));
  }
  return out;
}

function expAccess(M, site, fy) {
  const rows = MONTHS.map((m) => [m, 0, 0, 0, 0, 0, 0, 0, 0]);
  for (const v of accessViews(M)) {
    if (v.site !== site || !inFy(v.day, fy)) continue;
    const row = rows[monthIdx(v.day)];
    if (v.visit) row[1]++;
    row[2]++;
    const col = { top_public: v.sp ? 4 : 3, top_staff: 5, top_seeker: v.sp ? 7 : 6, top_facility: 8 }[v.page];
    if (col) row[col]++;
  }
  let total = 0;
  rows.forEach((row, m) => {
    const y = fy + (m >= 9 ? 1 : 0), days = daysInMonth(y, ((m + 3) % 12) + 1);
    total += days;
    row.push(days, r2(row[1] / days), r2(row[2] / days));
  });
  const sum = ['合計'];
  for (let c = 1; c <= 9; c++) sum.push(rows.reduce((a, r) => a + r[c], 0));
  sum.push(r2(sum[1] / total), r2(sum[2] / total));
  const avg = ['月平均', ...sum.slice(1, 10).map((v) => r2(v / 12)), null, null];
  const day = ['日平均', ...sum.slice(1, 9).map((v) => r2(v / total)), null, null, null];
  return [...rows, sum, avg, day];
}

// ---- expected tables --------------------------------------------------------------------------

const prefOk = (p, P) => !P || p === P;
const offerOpen = (o, [a, b]) => o.published < b && o.closed >= a;
const activeSeeker = (s, fy) => s.reg < `${fy + 1}-04-01` && s.validFinal >= `${fy}-04-01`;

function expNewIds(M, P, fy) {
  const fill = (fy2, rows, into) => {
    const at = (d) => rows[into ?? monthIdx(d)];
    for (const s of M.seekers) {
      if (!inFy(s.reg, fy2) || !prefOk(s.pref, P)) continue;
      at(s.reg)[{ pc: 1, smartphone: 2, center: 3, notification: 4 }[s.channel]]++;
    }
    // counter (paper) filings create 'center' holder accounts: no job-site ID without a profile
    for (const f of M.facilities) if (inFy(f.reg, fy2) && prefOk(f.pref, P)) at(f.reg)[6]++;
    for (const n of M.notifications) {
      const col = { pc: 7, smartphone: 8, proxy: 9 }[n.channel];
      if (col && inFy(n.filed, fy2) && prefOk(n.route, P)) at(n.filed)[col]++;
    }
  };
  const rows = MONTHS.map((m) => [m, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  fill(fy, rows);
  const prev = [['前年度計', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]];
  fill(fy - 1, prev, 0);
  const total = ['合計', ...Array(10).fill(0)];
  for (const r of rows) for (let c = 1; c <= 10; c++) total[c] += r[c];
  for (const r of [...rows, prev[0]]) { r[5] = r[1] + r[2] + r[3] + r[4]; r[10] = r[7] + r[8] + r[9]; }
  total[5] = rows.reduce((a, r) => a + r[5], 0);
  total[10] = rows.reduce((a, r) => a + r[10], 0);
  return [...rows, total, prev[0]];
}

function expHelpdesk(M, P, fy) {
  const rows = MONTHS.map((m) => [m, ...M.HD.map(() => 0), 0]);
  for (const t of M.tickets) {
    if (!inFy(t.opened, fy) || !prefOk(t.pref, P)) continue;
    const r = rows[monthIdx(t.opened)];
    r[1 + M.HD.indexOf(t.cat)]++;
    r[r.length - 1]++;
  }
  const total = ['合計', ...rows[0].slice(1).map((_, c) => rows.reduce((a, r) => a + r[c + 1], 0))];
  return [...rows, total];
}

function expFlows(M, ref, fy) {
  const range = fyRange(fy);
  const row = Object.fromEntries(ref.prefectures.map((p) => [p.code, [p.name, 0, new Set(), 0, 0, new Set(), 0, 0]]));
  for (const o of M.offers) if (offerOpen(o, range)) { row[o.pref][1] += o.positions; row[o.pref][2].add(o.fac.idx); }
  for (const s of M.seekers) {
    if (inFy(s.reg, fy)) row[s.pref][3]++;
    if (activeSeeker(s, fy)) row[s.pref][4]++;
  }
  const applicants = new Set();
  for (const a of M.placements) {
    if (inFy(a.referred, fy)) { row[a.pref][5].add(a.s.idx); row[a.pref][6]++; applicants.add(a.s.idx); }
    if (inFy(a.start, fy)) row[a.pref][7]++;
  }
  const rows = ref.prefectures.map((p) => row[p.code]).map((r) => [r[0], r[1], r[2].size, r[3], r[4], r[5].size, r[6], r[7]]);
  const nat = ['全国', ...[1, 2, 3, 4, 5, 6, 7].map((c) => rows.reduce((a, r) => a + r[c], 0))];
  nat[5] = applicants.size;
  return [...rows, nat];
}

const bandOf = (type, v) => (type === 'monthly' ? (v < 200000 ? 0 : v < 250000 ? 1 : v < 300000 ? 2 : v < 350000 ? 3 : 4)
  : type === 'hourly' ? (v < 1500 ? 5 : v < 2000 ? 6 : v < 2500 ? 7 : 8) : -1);
function supply(M, P, fy) {
  const range = fyRange(fy);
  const s = { typePos: M.FT.map(() => 0), shiftPos: M.SH.map(() => 0), wagePos: Array(9).fill(0),
    typeSeek: M.FT.map(() => 0), shiftSeek: M.SH.map(() => 0), wageSeek: Array(9).fill(0),
    typeAny: 0, shiftAny: 0, wageAny: 0, seekers: 0 };
  for (const o of M.offers) {
    if (!offerOpen(o, range) || !prefOk(o.pref, P)) continue;
    s.typePos[M.FT.indexOf(o.fac.type)] += o.positions;
    for (const sh of o.shifts) s.shiftPos[M.SH.indexOf(sh)] += o.positions;
    const b = bandOf(o.wageType, o.wageMin);
    if (b >= 0) s.wagePos[b] += o.positions;
  }
  for (const k of M.seekers) {
    if (!activeSeeker(k, fy) || !prefOk(k.pref, P)) continue;
    s.seekers++;
    for (const t of k.ftypes) s.typeSeek[M.FT.indexOf(t)]++;
    if (!k.ftypes.length) s.typeAny++;
    for (const t of k.shifts) s.shiftSeek[M.SH.indexOf(t)]++;
    if (!k.shifts.length) s.shiftAny++;
    const b = k.wageType ? bandOf(k.wageType, k.wageMin) : -1;
    if (b >= 0) s.wageSeek[b]++; else s.wageAny++;
  }
  return s;
}

function expRatio(M, P, fy) {
  const s = supply(M, P, fy);
  const rows = M.FT.map((t, k) => [M.lab.ft[t], s.typePos[k], s.typeSeek[k], s.typeSeek[k] ? r2(s.typePos[k] / s.typeSeek[k]) : null]);
  const pos = s.typePos.reduce((a, b) => a + b, 0);
  return [...rows, ['希望なし（問わない）', null, s.typeAny, null], ['全体', pos, s.seekers, s.seekers ? r2(pos / s.seekers) : null]];
}

// The wage bands of docs/REPORTS.md: monthly from 20万 in steps of 5万, hourly from 1,500 in
// steps of 500 (labels as the table prints them).
const WAGE_BANDS = ['月給 20万円未満', '月給 20万〜25万円未満', '月給 25万〜30万円未満', '月給 30万〜35万円未満', '月給 35万円以上',
  '時給 1,500円未満', '時給 1,500〜2,000円未満', '時給 2,000〜2,500円未満', '時給 2,500円以上'];
function expConditions(M, P, fy) {
  const s = supply(M, P, fy), none = '希望なし・未記入';
  return [
    ...WAGE_BANDS.map((b, k) => ['賃金', b, s.wageSeek[k], s.wagePos[k]]), ['賃金', none, s.wageAny, null],
    ...M.SH.map((c, k) => ['勤務形態', M.lab.sh[c], s.shiftSeek[k], s.shiftPos[k]]), ['勤務形態', none, s.shiftAny, null],
    ...M.FT.map((c, k) => ['施設種別', M.lab.ft[c], s.typeSeek[k], s.typePos[k]]), ['施設種別', none, s.typeAny, null],
  ];
}

function expAges(M, P, fy) {
  const BANDS = ['24歳以下', '25〜29歳', '30〜34歳', '35〜39歳', '40〜44歳', '45〜49歳', '50〜54歳', '55〜59歳', '60〜64歳', '65歳以上', '不明'];
  const n = BANDS.map(() => 0);
  for (const s of M.seekers) {
    if (!inFy(s.reg, fy) || !prefOk(s.pref, P)) continue;
    const age = s.birthFinal ? ageOn(s.birthFinal, s.reg) : null;
    n[age === null ? 10 : age <= 24 ? 0 : age >= 65 ? 9 : 1 + Math.floor((age - 25) / 5)]++;
  }
  const all = n.reduce((a, b) => a + b, 0);
  return [...BANDS.map((b, k) => [b, n[k], ratio(n[k], all)]), ['合計', all, ratio(all, all)]];
}

function expReasons(M, ref, P, fy) {
  const CH = ref.notification_channels.map((c) => c.code);
  const rows = ref.notification_reasons.map((r) => [r.name, 0, null, ...CH.map(() => 0)]);
  const R = ref.notification_reasons.map((r) => r.code);
  for (const n of M.notifications) {
    if (!inFy(n.filed, fy) || !prefOk(n.route, P)) continue;
    rows[R.indexOf(n.reason)][1]++;
    rows[R.indexOf(n.reason)][3 + CH.indexOf(n.channel)]++;
  }
  const all = rows.reduce((a, r) => a + r[1], 0);
  for (const r of rows) r[2] = ratio(r[1], all);
  const total = ['合計', all, ratio(all, all), ...CH.map((_, k) => rows.reduce((a, r) => a + r[3 + k], 0))];
  return [...rows, total];
}

function expPlacementReport(M, ref, P, fy) {
  const row = Object.fromEntries(ref.prefectures.map((p) => [p.code, [p.name, 0, 0, 0, 0]]));
  for (const a of M.placements) {
    if (!inFy(a.start, fy)) continue;
    const r = row[a.pref];
    r[1]++;
    if (a.permanent) { r[2]++; if (a.left6 === 1) r[3]++; if (a.left6 === null) r[4]++; }
  }
  if (P) return [row[P]];
  const rows = ref.prefectures.map((p) => row[p.code]);
  return [...rows, ['全国', ...[1, 2, 3, 4].map((c) => rows.reduce((a, r) => a + r[c], 0))]];
}

const LEDGER_OFFER_KEYS = ['offer_no', 'employer', 'location', 'phone', 'accepted', 'valid_until', 'job', 'employment', 'wage',
  'positions', 'referred', 'referral_no', 'seeker', 'decision', 'decided'];
function expLedgerOffers(M, P, fy) {
  const range = fyRange(fy), out = [];
  const os = M.offers.filter((o) => o.pref === P && offerOpen(o, range))
    .sort((a, b) => (a.published < b.published ? -1 : a.published > b.published ? 1 : a.idx - b.idx));
  for (const o of os) {
    const head = [o.no, o.fac.name, M.lab.pref[o.fac.pref] + (o.fac.muni?.name ?? ''), o.fac.phone, o.received, o.valid, o.title,
      M.lab.emp[o.emp], `${WAGE_LABEL[o.wageType]} ${o.wageMin}円`, o.positions];
    const apps = M.placements.filter((a) => a.o === o && inFy(a.referred, fy))
      .sort((a, b) => (a.referred < b.referred ? -1 : a.referred > b.referred ? 1 : a.idx - b.idx));
    if (!apps.length) out.push([...head, null, null, null, null, null]);
    for (const a of apps) out.push([...head, a.referred, a.no, a.s.name, '採用', a.decided]);
  }
  return out;
}
const LEDGER_SEEKER_KEYS = ['name', 'kana', 'licences', 'accepted', 'valid_until', 'referred', 'referral_no', 'employer', 'offer_no',
  'decision', 'decided'];
function expLedgerSeekers(M, ref, P, fy) {
  const out = [];
  const order = ref.licence_types.map((l) => l.code);
  const ss = M.seekers.filter((s) => s.pref === P && activeSeeker(s, fy))
    .sort((a, b) => (a.reg < b.reg ? -1 : a.reg > b.reg ? 1 : a.idx - b.idx));
  for (const s of ss) {
    const lic = [...s.lics].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type)).map((l) => M.lab.lic[l.type]).join('・');
    const head = [s.name, s.kana, lic, s.reg, s.validFinal];
    const apps = M.placements.filter((a) => a.s === s && inFy(a.referred, fy))
      .sort((a, b) => (a.referred < b.referred ? -1 : a.referred > b.referred ? 1 : a.idx - b.idx));
    if (!apps.length) out.push([...head, null, null, null, null, null, null]);
    for (const a of apps) out.push([...head, a.referred, a.no, a.o.fac.name, a.o.no, '採用', a.decided]);
  }
  return out;
}

function expCampaign(M, P, from, to, tag) {
  const cs = M.consultations.filter((c) => c.tag === tag && c.on >= from && c.on <= to && prefOk(c.pref, P));
  const kinds = ['nurse', 'facility', 'other'].map((k) => cs.filter((c) => c.kind === k).length);
  const nurses = new Set(cs.filter((c) => c.kind === 'nurse').map((c) => c.seeker ?? c.holder));
  const facs = new Set(cs.filter((c) => c.kind === 'facility').map((c) => c.facility));
  const end = addDays(to, 1);
  const seekersN = [...nurses].filter((x) => M.seekers.includes(x)).length;
  const positions = M.offers.filter((o) => facs.has(o.fac) && offerOpen(o, [from, end])).reduce((a, o) => a + o.positions, 0);
  const ours = (a) => nurses.has(a.s) || facs.has(a.o.fac);
  const referrals = M.placements.filter((a) => ours(a) && a.referred >= from && a.referred < end).length;
  const placed = M.placements.filter((a) => ours(a) && a.start >= from && a.start < end);
  return [
    ['相談件数（看護職）', kinds[0]], ['相談件数（施設）', kinds[1]], ['相談件数（その他）', kinds[2]],
    ['相談件数（計）', kinds[0] + kinds[1] + kinds[2]], ['求職者数', seekersN], ['求人数（人）', positions],
    ['紹介件数', referrals], ['就職件数', placed.length],
    ...M.FT.map((t) => [`就職先：${M.lab.ft[t]}`, placed.filter((a) => a.o.fac.type === t).length]),
  ];
}

// ---- comparing ------------------------------------------------------------------------------

// Whole-row comparison listing every differing row (index, first cell, expected, got).
function sameRows(got, exp, what) {
  const diffs = [];
  for (let i = 0; i < Math.max(got.length, exp.length); i++) {
    try { assert.deepStrictEqual(got[i], exp[i]); } catch {
      diffs.push(`  row ${i} ${JSON.stringify((exp[i] ?? got[i])?.[0])}:\n    expected ${JSON.stringify(exp[i])}\n    got      ${JSON.stringify(got[i])}`);
    }
  }
  assert.ok(diffs.length === 0, `${what}: ${diffs.length} row(s) differ (of ${exp.length} expected, ${got.length} got)\n${diffs.slice(0, 12).join('\n')}`);
}

// The table's rows projected on the given column keys (all must exist).
function project(t, keys) {
  const idx = keys.map((k) => t.columns.findIndex((c) => c.key === k));
  assert.ok(idx.every((i) => i >= 0), `${t.name} has the columns ${keys}: ${t.columns.map((c) => c.key)}`);
  return t.rows.map((r) => idx.map((i) => r[i]));
}

async function getTable(c, name, query) {
  const r = await c.get(`${API}/reports/${name}?${query}`);
  assert.equal(r.status, 200, `GET reports/${name}?${query}: ${r.status} ${r.text.slice(0, 400)}`);
  assert.equal(r.json.name, name);
  return r.json;
}

// A 422 naming field with code.
function assert422(r, field, code, what = '') {
  const e = assertError(r, 422, 'validation.failed');
  assert.ok(Array.isArray(e.fields) && e.fields.some((f) => f.field === field && f.code === code),
    `${what}: 422 lists ${field} ${code}: ${r.text.slice(0, 400)}`);
  for (const f of e.fields) assert.match(f.message, JP_RE, `${what}: Japanese message for ${f.code}`);
}

// ---- CSV and ZIP readers ----------------------------------------------------------------------

function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') q = false; else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// The entries of a ZIP file from its central directory: [{name, data (Buffer)}].
function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  assert.ok(eocd >= 0, 'ZIP end of central directory found');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let k = 0; k < n; k++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const off = buf.readUInt32LE(p + 42), name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    const start = off + 30 + buf.readUInt16LE(off + 26) + buf.readUInt16LE(off + 28);
    const raw = buf.subarray(start, start + csize);
    out.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

// ---- setup: generate, import, consult ----------------------------------------------------------

let dir;
after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

async function counselor(pref) {
  const email = `rpt09.counselor${pref}.${Date.now().toString(36)}@example.jp`;
  const r = await nccs(['user', 'add', '--db', DB_URL, '--role', 'counselor', '--email', email, '--prefecture', pref,
    '--name', `報告検証 相談員${pref}`]);
  assert.equal(r.code, 0, `user add: ${r.stderr}`);
  const token = /password-reset\?token=([A-Za-z0-9_-]+)/.exec(r.stdout)?.[1];
  assert.ok(token, `password link printed: ${r.stdout}`);
  const c = client();
  const set = await c.post(`${API}/auth/password-reset/complete`, { token, password: COUNSELOR_PASSWORD });
  assert.equal(set.status, 204, set.text);
  await c.login(email, COUNSELOR_PASSWORD);
  return c;
}

async function importKind(kind, text) {
  const file = path.join(dir, `${kind}.csv`);
  await writeFile(file, text);
  const r = await nccs(['import', kind, '--db', DB_URL, file]);
  assert.equal(r.code, 0, `nccs import ${kind}: exit ${r.code}\n${r.stderr.slice(0, 3000)}\n${r.stdout.slice(0, 2000)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.equal(out.status, 'imported', r.stdout);
  assert.equal(out.invalid_rows, 0, r.stdout);
  return out;
}

let setupPromise;
const ready = () => (setupPromise ||= setup());

async function setup() {
  dir = await mkdtemp(path.join(tmpdir(), 'nccs-reports-'));
  const anon = client();
  const ref = (await anon.get(`${API}/ref`)).json;
  assert.ok(ref && Array.isArray(ref.prefectures) && ref.prefectures.length === 47, 'GET /ref prefectures');
  const munis = {};
  for (const p of PREFS) {
    const m = await anon.get(`${API}/ref/municipalities?prefecture=${p}`);
    assert.equal(m.status, 200, m.text);
    munis[p] = m.json.items;
    assert.ok(munis[p].length > 5, `municipalities of ${p}`);
  }
  const M = generate(ref, munis);
  M.ref = ref;

  const acc = await importKind('accounts', M.files.accounts);
  assert.deepEqual(acc.imported, { seekers: M.seekers.length, licences: M.seekers.reduce((a, s) => a + s.lics.length, 0), facilities: M.facilities.length });
  assert.deepEqual((await importKind('offers', M.files.offers)).imported, { offers: M.offers.length });
  assert.deepEqual((await importKind('notifications', M.files.notifications)).imported,
    { notifications: M.notifications.length, holders_created: M.holders.length });
  assert.deepEqual((await importKind('helpdesk', M.files.helpdesk)).imported,
    { tickets: M.tickets.length, replies: M.tickets.filter((t) => t.row.回答).length });
  assert.equal((await importKind('placements', M.files.placements)).imported.applications, M.placements.length);

  const logFile = path.join(dir, 'access-2009.log'), mapFile = path.join(dir, 'old-system.map');
  await writeFile(logFile, M.access.text);
  await writeFile(mapFile, MAP_TEXT);
  const ar = await nccs(['import', 'access-log', '--db', DB_URL, '--map', mapFile, logFile]);
  assert.equal(ar.code, 0, `nccs import access-log: ${ar.stderr}\n${ar.stdout}`);
  assert.match(ar.stdout, /^malformed lines: 1 /m, ar.stdout);
  M.accessSummary = ar.stdout;

  // The campaign's consultations, by counselors of 36 and 37 created for this test.
  const cons = { '36': await counselor('36'), '37': await counselor('37') };
  const ids = new Map();
  async function personId(c, email) {
    if (ids.has(email)) return ids.get(email);
    const r = await c.get(`${API}/people?q=${encodeURIComponent(email)}&per_page=50`);
    assert.equal(r.status, 200, r.text);
    const p = r.json.items.find((x) => x.email === email);
    assert.ok(p, `person ${email} listed for the counselor`);
    ids.set(email, p.id);
    return p.id;
  }
  async function facilityId(c, name) {
    const r = await c.get(`${API}/facilities?q=${encodeURIComponent(name)}&per_page=50`);
    assert.equal(r.status, 200, r.text);
    const f = r.json.items.find((x) => x.name === name);
    assert.ok(f, `facility ${name} listed for the counselor`);
    return f.id;
  }
  for (const c of M.consultations) {
    const who = cons[c.pref];
    const body = { client_kind: c.kind, channel: 'phone', category: 'employment', consulted_on: c.on,
      summary: '報告検証：緊急確保キャンペーンの相談', campaign: c.tag };
    if (c.kind === 'nurse') body.person_id = await personId(who, (c.seeker ?? c.holder).email);
    if (c.kind === 'facility') body.facility_id = await facilityId(who, c.facility.name);
    if (c.kind === 'other') body.client_name = c.name;
    const r = await who.post(`${API}/consultations`, body);
    assert.equal(r.status, 201, `consultation ${JSON.stringify(body)}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.json.consultation.campaign, c.tag);
    assert.equal(r.json.consultation.prefecture, c.pref);
  }
  M.counselors = cons;
  return M;
}

const Q = `fiscal_year=${FY}`;
const SCOPES = [null, '36', '37'];
const scopeQ = (P) => (P ? `${Q}&prefecture=${P}` : Q);
const scopeName = (M, P) => (P ? M.lab.pref[P] : '全国');

// ---- the tables ------------------------------------------------------------------------------

test('generated FY2008–FY2009 records import cleanly: every kind exits 0 with every row', async () => {
  const M = await ready();
  // the counts the access-log summary prints agree with the generated log
  const views = accessViews(M);
  assert.match(M.accessSummary, new RegExp(`^page views: ${views.length}$`, 'm'), M.accessSummary);
  assert.match(M.accessSummary, new RegExp(`^visits: ${views.filter((v) => v.visit).length}$`, 'm'), M.accessSummary);
  assert.match(M.accessSummary, new RegExp(`^not counted: ${M.access.reqs.length - views.length} `, 'm'), M.accessSummary);
});

test('new_ids: national and 徳島県, months, 合計 and 前年度計 (FY2008)', async () => {
  const M = await ready();
  const central = await demo('central');
  for (const P of [null, '36']) {
    const t = await getTable(central, 'new_ids', scopeQ(P));
    assert.deepEqual(t.columns.map((c) => c.key), ['month', 'pc', 'smartphone', 'center', 'notification', 'persons', 'facilities',
      'n_pc', 'n_smartphone', 'n_proxy', 'n_total']);
    assert.equal(t.scope, scopeName(M, P));
    assert.equal(t.foot, 2);
    const exp = expNewIds(M, P, FY);
    assert.ok(exp[12][5] > 0 && exp[13][5] > 0 && exp[12][10] > 0, 'the data gives non-zero totals in both years');
    // counter filings of new holders create 'center' accounts (users.role = 'seeker'), online
    // and proxy filings 'notification' accounts: neither counts without a seeker profile
    assert.ok(M.holders.some((h) => h.channel === 'center' && inFy(h.created, FY) && prefOk(h.route, P)));
    assert.ok(M.holders.some((h) => h.channel === 'notification' && inFy(h.created, FY) && prefOk(h.route, P)));
    sameRows(t.rows, exp, `new_ids ${scopeName(M, P)}`);
  }
});

test('access_job and access_notify: visits, page views per top page, days and averages from the nginx logs', async () => {
  const M = await ready();
  const central = await demo('central');
  for (const site of ['job', 'notify']) {
    const t = await getTable(central, `access_${site}`, Q);
    assert.deepEqual(t.columns.map((c) => c.key), ['month', 'visits', 'views', 'top_public_pc', 'top_public_sp', 'top_staff',
      'top_seeker_pc', 'top_seeker_sp', 'top_facility', 'days', 'visits_per_day', 'views_per_day']);
    assert.equal(t.foot, 3);
    const exp = expAccess(M, site, FY);
    assert.ok(exp[12].slice(1, 9).every((v) => v > 0), `every column of ${site} has counts: ${exp[12]}`);
    sameRows(t.rows, exp, `access_${site}`);
  }
});

test('helpdesk: national and 徳島県 by month and the 13 categories (labels from /ref)', async () => {
  const M = await ready();
  const central = await demo('central');
  for (const P of [null, '36']) {
    const t = await getTable(central, 'helpdesk', scopeQ(P));
    assert.deepEqual(t.columns.slice(1, -1).map((c) => [c.key, c.label]), M.ref.helpdesk_categories.map((c) => [c.code, c.name]));
    assert.equal(t.foot, 1);
    sameRows(t.rows, expHelpdesk(M, P, FY), `helpdesk ${scopeName(M, P)}`);
  }
});

test('flows: 47 prefectures and 全国 (applicants distinct nationally)', async () => {
  const M = await ready();
  const central = await demo('central');
  const t = await getTable(central, 'flows', Q);
  assert.deepEqual(t.columns.map((c) => c.key), ['prefecture', 'positions', 'facilities', 'new_seekers', 'seekers', 'applicants',
    'referrals', 'placements']);
  assert.equal(t.rows.length, 48);
  const exp = expFlows(M, M.ref, FY);
  assert.ok(exp[47][5] < exp[35][5] + exp[36][5], 'a nurse applied through both centers: 全国 is distinct');
  sameRows(t.rows, exp, 'flows');
  const one = await getTable(central, 'flows', scopeQ('36'));
  sameRows(one.rows, [exp[35]], 'flows 徳島県');
});

test('ratio_by_type and conditions: national, 徳島県 and 香川県 (labels from /ref)', async () => {
  const M = await ready();
  const central = await demo('central');
  for (const P of SCOPES) {
    sameRows((await getTable(central, 'ratio_by_type', scopeQ(P))).rows, expRatio(M, P, FY), `ratio_by_type ${scopeName(M, P)}`);
    sameRows((await getTable(central, 'conditions', scopeQ(P))).rows, expConditions(M, P, FY), `conditions ${scopeName(M, P)}`);
  }
});

test('seekers_by_age and leave_reasons: national, 徳島県 and 香川県', async () => {
  const M = await ready();
  const central = await demo('central');
  for (const P of SCOPES) {
    sameRows((await getTable(central, 'seekers_by_age', scopeQ(P))).rows, expAges(M, P, FY), `seekers_by_age ${scopeName(M, P)}`);
    const t = await getTable(central, 'leave_reasons', scopeQ(P));
    assert.deepEqual(t.columns.slice(3).map((c) => [c.key, c.label]), M.ref.notification_channels.map((c) => [c.code, c.name]));
    sameRows(t.rows, expReasons(M, M.ref, P, FY), `leave_reasons ${scopeName(M, P)}`);
  }
});

test('placement_report: placements, permanent, left within 6 months, unknown per prefecture and 全国', async () => {
  const M = await ready();
  const central = await demo('central');
  sameRows((await getTable(central, 'placement_report', Q)).rows, expPlacementReport(M, M.ref, null, FY), 'placement_report');
  sameRows((await getTable(central, 'placement_report', scopeQ('36'))).rows, expPlacementReport(M, M.ref, '36', FY),
    'placement_report 徳島県');
});

test('ledger_offers of 徳島県: every column, every row, in order (daily and annual wages too)', async () => {
  const M = await ready();
  const central = await demo('central');
  const lo = await getTable(central, 'ledger_offers', scopeQ('36'));
  const expO = expLedgerOffers(M, '36', FY);
  assert.ok(expO.some((r) => r[10]) && expO.some((r) => !r[10]), 'offers with and without referrals');
  assert.deepEqual(lo.columns.map((c) => c.key), LEDGER_OFFER_KEYS);
  sameRows(project(lo, LEDGER_OFFER_KEYS), expO, 'ledger_offers 徳島県');
});

test('ledger_seekers of 徳島県: every column, every row, in order', async () => {
  const M = await ready();
  const central = await demo('central');
  const ls = await getTable(central, 'ledger_seekers', scopeQ('36'));
  assert.deepEqual(ls.columns.map((c) => c.key), LEDGER_SEEKER_KEYS);
  sameRows(project(ls, LEDGER_SEEKER_KEYS), expLedgerSeekers(M, M.ref, '36', FY), 'ledger_seekers 徳島県');
});

test('campaign: consultations by requester, their seekers, positions, referrals, placements by workplace type', async () => {
  const M = await ready();
  const central = await demo('central');
  const q = `from=${CAMPAIGN_FROM}&to=${CAMPAIGN_TO}&campaign=${encodeURIComponent(TAG)}`;
  for (const P of [null, '36']) {
    const t = await getTable(central, 'campaign', P ? `${q}&prefecture=${P}` : q);
    assert.equal(t.period, `${CAMPAIGN_FROM}〜${CAMPAIGN_TO}（${TAG}）`);
    const exp = expCampaign(M, P, CAMPAIGN_FROM, CAMPAIGN_TO, TAG);
    assert.ok(exp[4][1] > 0 && exp[5][1] > 0 && exp[6][1] > 0 && exp[7][1] > 0, `the campaign has results: ${JSON.stringify(exp.slice(0, 8))}`);
    sameRows(t.rows, exp, `campaign ${scopeName(M, P)}`);
  }
  // the counselor of 36 gets the same without naming the prefecture
  const own = await getTable(M.counselors['36'], 'campaign', q);
  sameRows(own.rows, expCampaign(M, '36', CAMPAIGN_FROM, CAMPAIGN_TO, TAG), 'campaign as the counselor of 36');
});

test('scope: counselors read their own prefecture only, not the access tables; sysadmin not the ledgers', async () => {
  const M = await ready();
  const c36 = M.counselors['36'];
  const central = await demo('central');
  const mine = await getTable(c36, 'helpdesk', Q);
  assert.equal(mine.scope, M.lab.pref['36']);
  sameRows(mine.rows, expHelpdesk(M, '36', FY), 'helpdesk as the counselor of 36');
  sameRows(project(await getTable(c36, 'ledger_seekers', Q), LEDGER_SEEKER_KEYS),
    expLedgerSeekers(M, M.ref, '36', FY), 'ledger_seekers as the counselor of 36');
  assertError(await c36.get(`${API}/reports/new_ids?${scopeQ('37')}`), 403, 'auth.forbidden');
  assertError(await c36.get(`${API}/reports/access_job?${Q}`), 403, 'auth.forbidden');
  const c13 = await demo('counselor13');
  for (const name of ['new_ids', 'flows', 'ledger_offers', 'ledger_seekers', 'helpdesk']) {
    assertError(await c13.get(`${API}/reports/${name}?${scopeQ('36')}`), 403, 'auth.forbidden');
    assertError(await c13.get(`${API}/reports/${name}/csv?${scopeQ('36')}`), 403, 'auth.forbidden');
  }
  const c13campaign = await c13.get(`${API}/reports/campaign?from=${CAMPAIGN_FROM}&to=${CAMPAIGN_TO}&campaign=${encodeURIComponent(TAG)}&prefecture=36`);
  assertError(c13campaign, 403, 'auth.forbidden');
  // counselor13's own prefecture has none of these records
  const own13 = await getTable(c13, 'helpdesk', Q);
  assert.ok(own13.rows.every((r) => r.slice(1).every((v) => v === 0)), 'Tokyo FY2009 help desk is empty');
  const sys = await demo('sysadmin');
  assertError(await sys.get(`${API}/reports/ledger_offers?${scopeQ('36')}`), 403, 'auth.forbidden');
  sameRows((await getTable(sys, 'flows', Q)).rows, (await getTable(central, 'flows', Q)).rows, 'flows as sysadmin');
  const cat = (await c36.get(`${API}/reports`)).json;
  assert.equal(cat.prefecture, '36');
  assert.ok(!cat.tables.some((t) => t.national_only), 'no access tables in a counselor catalog');
  assert.ok(cat.tables.some((t) => t.name === 'ledger_offers'), 'the ledgers are in a counselor catalog');
  const sysCat = (await sys.get(`${API}/reports`)).json;
  assert.ok(!sysCat.tables.some((t) => t.personal), 'no ledgers in the sysadmin catalog');
  assert.ok(sysCat.tables.some((t) => t.name === 'access_job'), 'the access tables are in the sysadmin catalog');
});

test('CSV (BOM, group・label header, a row equal to the JSON row) and XLSX (a workbook) of one table', async () => {
  const M = await ready();
  const central = await demo('central');
  const t = await getTable(central, 'flows', Q);
  const r = await central.get(`${API}/reports/flows/csv?${Q}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.deepEqual([...r.buffer.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const rows = parseCsv(r.buffer.subarray(3).toString('utf8'));
  assert.deepEqual(rows[0], t.columns.map((c) => (c.group ? `${c.group}・${c.label}` : c.label)));
  assert.equal(rows.length, 1 + t.rows.length);
  for (const i of [35, 36, 47]) assert.deepEqual(rows[1 + i], t.rows[i].map(String), `CSV row ${t.rows[i][0]}`);

  // percent cells are written as percentages
  const ages = await getTable(central, 'seekers_by_age', scopeQ('36'));
  const ac = parseCsv((await central.get(`${API}/reports/seekers_by_age/csv?${scopeQ('36')}`)).buffer.subarray(3).toString('utf8'));
  ages.rows.forEach((row, i) => {
    assert.equal(ac[1 + i][0], row[0]);
    assert.equal(ac[1 + i][1], String(row[1]));
    if (row[2] === null) assert.equal(ac[1 + i][2], '');
    else {
      assert.match(ac[1 + i][2], /^\d+\.\d%$/);
      assert.ok(Math.abs(parseFloat(ac[1 + i][2]) - row[2] * 100) <= 0.0501, `${ac[1 + i][2]} ≈ ${row[2]}`);
    }
  });

  const x = await central.get(`${API}/reports/flows/xlsx?${Q}`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal(x.buffer.subarray(0, 2).toString('latin1'), 'PK');
  const entries = unzip(x.buffer);
  const wb = entries.find((e) => e.name === 'xl/workbook.xml');
  assert.ok(wb, 'xl/workbook.xml');
  assert.equal((wb.data.toString('utf8').match(/<sheet /g) || []).length, 1);
  assert.ok(entries.some((e) => e.data.toString('utf8').includes(t.title)), 'the title is in the workbook');
  assert.equal(M.lab.pref['36'], t.rows[35][0]);
});

test('nccs report --fy 2009 --table NAME --format json equals the API answer (flows, access_job, seekers_by_age, ledger_offers)', async () => {
  const M = await ready();
  const central = await demo('central');
  for (const [table, extra, q] of [['flows', [], Q], ['access_job', [], Q], ['seekers_by_age', ['--prefecture', '36'], scopeQ('36')],
    ['ledger_offers', ['--prefecture', '36'], scopeQ('36')]]) {
    const r = await nccs(['report', '--db', DB_URL, '--fy', String(FY), '--table', table, ...extra, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), await getTable(central, table, q), `${table}: CLI = API`);
  }
  assert.ok(M.offers.length > 0);
});

async function runBuild(c, body) {
  const r = await c.post(`${API}/report-builds`, body);
  assert.equal(r.status, 202, `POST report-builds ${JSON.stringify(body)}: ${r.status} ${r.text}`);
  assert.equal(r.json.fiscal_year, body.fiscal_year);
  assert.equal(r.json.format, body.format);
  let b = r.json;
  const deadline = Date.now() + 150000;
  while (b.state !== 'done' && b.state !== 'failed' && Date.now() < deadline) {
    await sleep(300);
    const g = await c.get(`${API}/report-builds/${r.json.id}`);
    assert.equal(g.status, 200, g.text);
    b = g.json;
  }
  assert.equal(b.state, 'done', `build finished: ${JSON.stringify(b)}`);
  assert.equal(b.progress, b.total);
  const f = await c.get(`${API}/report-builds/${b.id}/file`);
  assert.equal(f.status, 200, f.text.slice(0, 200));
  return { build: b, file: f };
}

test('all-tables builds: the national workbook and the 徳島県 ZIP of CSVs', async () => {
  const M = await ready();
  const central = await demo('central');
  const nat = await runBuild(central, { fiscal_year: FY, format: 'xlsx' });
  assert.equal(nat.file.buffer.subarray(0, 2).toString('latin1'), 'PK');
  assert.equal(nat.build.prefecture, null);
  const wb = unzip(nat.file.buffer).find((e) => e.name === 'xl/workbook.xml').data.toString('utf8');
  const national = ['new_ids', 'access_job', 'access_notify', 'helpdesk', 'flows', 'ratio_by_type', 'seekers_by_age', 'leave_reasons',
    'conditions', 'placement_report'];
  assert.equal(nat.build.total, national.length);
  assert.equal((wb.match(/<sheet /g) || []).length, national.length);

  const pre = await runBuild(central, { fiscal_year: FY, prefecture: '36', format: 'zip' });
  assert.equal(pre.file.buffer.subarray(0, 2).toString('latin1'), 'PK');
  const entries = unzip(pre.file.buffer);
  const names = entries.map((e) => e.name);
  const tables = ['new_ids', 'helpdesk', 'flows', 'ratio_by_type', 'seekers_by_age', 'leave_reasons', 'conditions',
    'placement_report', 'ledger_offers', 'ledger_seekers'];
  assert.deepEqual(names, tables.map((n, i) => `${pad(i + 1)}_${n}.csv`));
  for (const e of entries) assert.deepEqual([...e.data.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${e.name} has a BOM`);
  const flows = parseCsv(entries.find((e) => e.name.endsWith('_flows.csv')).data.subarray(3).toString('utf8'));
  assert.deepEqual(flows[1], expFlows(M, M.ref, FY)[35].map(String), 'flows.csv in the ZIP: 徳島県');
  const ledger = parseCsv(entries.find((e) => e.name.endsWith('_ledger_offers.csv')).data.subarray(3).toString('utf8'));
  assert.equal(ledger.length - 1, expLedgerOffers(M, '36', FY).length, 'ledger_offers.csv rows');
  // another user cannot read the build
  const other = await demo('counselor13');
  assertError(await other.get(`${API}/report-builds/${pre.build.id}`), 404);
  assertError(await other.get(`${API}/report-builds/${pre.build.id}/file`), 404);
});

test('any past fiscal year: FY2008 from the same records by the same rules', async () => {
  const M = await ready();
  const central = await demo('central');
  const q = 'fiscal_year=2008';
  sameRows((await getTable(central, 'flows', q)).rows, expFlows(M, M.ref, 2008), 'flows FY2008');
  sameRows((await getTable(central, 'helpdesk', q)).rows, expHelpdesk(M, null, 2008), 'helpdesk FY2008');
  sameRows((await getTable(central, 'access_notify', q)).rows, expAccess(M, 'notify', 2008), 'access_notify FY2008');
  for (const P of [null, '37']) {
    const pq = P ? `${q}&prefecture=${P}` : q;
    sameRows((await getTable(central, 'ratio_by_type', pq)).rows, expRatio(M, P, 2008), `ratio_by_type FY2008 ${scopeName(M, P)}`);
    sameRows((await getTable(central, 'conditions', pq)).rows, expConditions(M, P, 2008), `conditions FY2008 ${scopeName(M, P)}`);
    sameRows((await getTable(central, 'seekers_by_age', pq)).rows, expAges(M, P, 2008), `seekers_by_age FY2008 ${scopeName(M, P)}`);
    sameRows((await getTable(central, 'leave_reasons', pq)).rows, expReasons(M, M.ref, P, 2008), `leave_reasons FY2008 ${scopeName(M, P)}`);
    sameRows((await getTable(central, 'placement_report', pq)).rows, expPlacementReport(M, M.ref, P, 2008), `placement_report FY2008 ${scopeName(M, P)}`);
  }
  sameRows(project(await getTable(central, 'ledger_seekers', `${q}&prefecture=37`), LEDGER_SEEKER_KEYS),
    expLedgerSeekers(M, M.ref, '37', 2008), 'ledger_seekers FY2008 香川県');
});

// ---- bad input --------------------------------------------------------------------------------

test('bad report parameters: documented 4xx JSON errors with Japanese messages', async () => {
  await ready();
  const central = await demo('central');
  const cur = (await central.get(`${API}/reports`)).json.current_fiscal_year;
  const camp = (from, to, tag) => `campaign?from=${from}&to=${to}${tag === undefined ? '' : `&campaign=${tag}`}`;
  const cases = [
    ['new_ids?fiscal_year=abc', 'fiscal_year', 'fiscal_year.invalid'],
    ['new_ids?fiscal_year=1999', 'fiscal_year', 'fiscal_year.invalid'],
    [`new_ids?fiscal_year=${cur + 2}`, 'fiscal_year', 'fiscal_year.invalid'],
    ['new_ids?fiscal_year=99999999999999999999', 'fiscal_year', 'fiscal_year.invalid'],
    ['new_ids?fiscal_year=-2009', 'fiscal_year', 'fiscal_year.invalid'],
    ['flows?fiscal_year=2009&prefecture=99', 'prefecture', 'prefecture.invalid'],
    ['flows?fiscal_year=2009&prefecture=00', 'prefecture', 'prefecture.invalid'],
    [`flows?fiscal_year=2009&prefecture=${encodeURIComponent("1'; DROP TABLE users;--")}`, 'prefecture', 'prefecture.invalid'],
    [`helpdesk?fiscal_year=2009&prefecture=${encodeURIComponent('<script>alert(1)</script>')}`, 'prefecture', 'prefecture.invalid'],
    ['access_job?fiscal_year=2009&prefecture=36', 'prefecture', 'prefecture.not_applicable'],
    ['ledger_offers?fiscal_year=2009', 'prefecture', 'prefecture.required'],
    [camp('2010-01-31', '2009-07-01', 'x'), 'to', 'to.before_from'],
    [camp('2005-04-01', '2009-07-01', 'x'), 'to', 'to.too_long'],
    [camp('2009-13-01', '2010-01-31', 'x'), 'from', 'from.invalid'],
    [camp('2009-07-01', 'tomorrow', 'x'), 'to', 'to.invalid'],
    [camp('2009-07-01', '2010-01-31', encodeURIComponent('長'.repeat(41))), 'campaign', 'campaign.invalid'],
    [camp('2009-07-01', '2010-01-31', '%FF'), 'campaign', 'campaign.invalid'],
    [camp('2009-07-01', '2010-01-31', ''), 'campaign', 'campaign.invalid'],
    [camp('2009-07-01', '2010-01-31'), 'campaign', 'campaign.invalid'],
  ];
  for (const [q, field, code] of cases) {
    for (const suffix of ['', '/csv', '/xlsx']) {
      const [name, rest] = q.split('?');
      assert422(await central.get(`${API}/reports/${name}${suffix}?${rest}`), field, code, `${name}${suffix}?${rest}`);
    }
  }
  for (const p of ['no_such_table', 'NEW_IDS', 'new_ids%00', encodeURIComponent("flows'--")]) {
    const r = await central.get(`${API}/reports/${p}?fiscal_year=2009`);
    assert.ok([400, 404].includes(r.status), `${p}: ${r.status}`);
    assertError(r, r.status);
  }
  assertError(await central.get(`${API}/reports/no_such_table?fiscal_year=2009`), 404, 'report.unknown');
  assertError(await central.get(`${API}/reports/no_such_table/csv?fiscal_year=2009`), 404, 'report.unknown');
  assertError(await client().get(`${API}/reports/flows?fiscal_year=2009`), 401, 'auth.required');
  assertError(await (await demo('nurse13')).get(`${API}/reports/flows?fiscal_year=2009`), 403, 'auth.forbidden');
});

test('bad report-build requests: 4xx, and no build, job or other row is written', async () => {
  await ready();
  const central = await demo('central');
  const c13 = await demo('counselor13');
  const before = await stableCounts();
  const raw = (text) => central.req('POST', `${API}/report-builds`, { body: text, headers: { 'content-type': 'application/json' } });
  assertError(await raw('{"fiscal_year":'), 400, 'request.malformed_json');
  assertError(await raw('{"fiscal_year":2009,"fiscal_year":2009,"format":"zip"}'), 400, 'request.malformed_json');
  assertError(await raw(Buffer.from([0xff, 0xfe, 0x7b, 0x7d])), 400);
  for (const text of ['[2009,"zip"]', '"zip"', '{"fiscal_year":1e400,"format":"zip"}', '{"fiscal_year":99999999999999999999999,"format":"zip"}',
    '{"fiscal_year":2009.5,"format":"zip"}', '{"fiscal_year":-1,"format":"zip"}']) {
    const r = await raw(text);
    assert.ok([400, 422].includes(r.status), `${text}: ${r.status} ${r.text}`);
    assertError(r, r.status);
  }
  const cases = [
    [{}, 'fiscal_year', 'fiscal_year.missing'],
    [{ fiscal_year: 2009 }, 'format', 'format.missing'],
    [{ fiscal_year: '2009', format: 'zip' }, 'fiscal_year', 'fiscal_year.type'],
    [{ fiscal_year: null, format: 'zip' }, 'fiscal_year', null],
    [{ fiscal_year: 1999, format: 'zip' }, 'fiscal_year', null],
    [{ fiscal_year: 2009, format: 'pdf' }, 'format', null],
    [{ fiscal_year: 2009, format: '<script>alert(1)</script>' }, 'format', null],
    [{ fiscal_year: 2009, format: 'zip', prefecture: '99' }, 'prefecture', 'prefecture.invalid'],
    [{ fiscal_year: 2009, format: 'zip', prefecture: 36 }, 'prefecture', 'prefecture.type'],
    [{ fiscal_year: 2009, format: 'zip', prefecture: "1'; DROP TABLE users;--" }, 'prefecture', null],
    [{ fiscal_year: 2009, format: 'zip', table: 'flows' }, 'table', 'table.unknown'],
    [{ fiscal_year: 2009, format: ['zip'] }, 'format', 'format.type'],
  ];
  for (const [body, field, code] of cases) {
    const r = await central.post(`${API}/report-builds`, body);
    const e = assertError(r, 422, 'validation.failed');
    assert.ok(e.fields.some((f) => f.field === field && (!code || f.code === code)), `${JSON.stringify(body)}: ${r.text}`);
  }
  assertError(await c13.post(`${API}/report-builds`, { fiscal_year: 2009, format: 'zip', prefecture: '36' }), 403, 'auth.forbidden');
  const after = await stableCounts();
  assertCountsUnchanged(before, after);
  assert.equal(after.report_builds, before.report_builds);
  assert.equal(after.jobs, before.jobs);
});
