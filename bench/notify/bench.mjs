// Bulk-upload benchmark of proxy notifications (docs/API.md "Bulk upload"): a fresh demo stack
// on SQLite (tests/support/stack.mjs: migrate, `nccs seed --scale demo`, SMTP sink, `nccs serve`),
// facility13@example.jp logs in, and each run POSTs a freshly generated CSV of N valid rows
// (UTF-8, every column of the contract) to /api/v1/facilities/{id}/notification-uploads, first
// with dry_run=1 (parse + validate), then for real (validate + commit). Wall time = request sent
// to answer read, on the client. Between real runs it waits for the confirmation mails of the
// previous run to be sent (so that the worker's mail sending does not overlap the next run).
//
//   node bench/notify/bench.mjs [--bin build/nccs] [--rows 10000] [--runs 3] [--email-share 60]
//                               [--threads 2] [--csv-out FILE]
// Prints one line per request and the medians; exits 1 when a row is rejected or an answer is
// not the expected one. The requirement is validate + commit ≤ 10 s on SQLite.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, REPO_ROOT } from '../../tests/support/stack.mjs';

const args = process.argv.slice(2);
const opt = { bin: 'build/nccs', rows: 10000, runs: 3, emailShare: 60, threads: 2, csvOut: null, waitMails: false };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--bin') opt.bin = args[++i];
  else if (a === '--rows') opt.rows = Number(args[++i]);
  else if (a === '--runs') opt.runs = Number(args[++i]);
  else if (a === '--email-share') opt.emailShare = Number(args[++i]);
  else if (a === '--threads') opt.threads = Number(args[++i]);
  else if (a === '--csv-out') opt.csvOut = args[++i];
  else if (a === '--wait-mails') opt.waitMails = true;
  else {
    console.error('usage: node bench/notify/bench.mjs [--bin PATH] [--rows N] [--runs N] [--email-share PCT] [--threads N] [--wait-mails] [--csv-out FILE]');
    process.exit(2);
  }
}

// ---- deterministic generator -----------------------------------------------------------------

function rng(seed) { // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = [['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ'], ['田中', 'タナカ'], ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'], ['山本', 'ヤマモト'], ['中村', 'ナカムラ'], ['小林', 'コバヤシ'], ['加藤', 'カトウ'], ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'], ['佐々木', 'ササキ'], ['山口', 'ヤマグチ'], ['松本', 'マツモト'], ['井上', 'イノウエ']];
const GIVEN = [['陽子', 'ヨウコ'], ['美咲', 'ミサキ'], ['恵', 'メグミ'], ['由美', 'ユミ'], ['智子', 'トモコ'], ['裕子', 'ユウコ'],
  ['彩', 'アヤ'], ['千尋', 'チヒロ'], ['香織', 'カオリ'], ['直美', 'ナオミ'], ['翔太', 'ショウタ'], ['大輔', 'ダイスケ']];
// The address municipalities by prefecture (code → [municipality prefix, postal prefix]).
const PLACES = {
  13: [['新宿区西新宿', '160'], ['世田谷区太子堂', '154'], ['江東区東陽', '135'], ['八王子市旭町', '192']],
  11: [['さいたま市浦和区高砂', '330'], ['川口市本町', '332']],
  12: [['千葉市中央区富士見', '260'], ['船橋市本町', '273']],
  14: [['横浜市西区高島', '220'], ['川崎市川崎区駅前本町', '210']],
};
const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';

const pad = (n, w = 2) => String(n).padStart(w, '0');
function dateStr(y, m, d, slash) {
  return slash ? `${y}/${pad(m)}/${pad(d)}` : `${y}-${pad(m)}-${pad(d)}`;
}
function csvCell(v) {
  const s = String(v ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// One file of `rows` valid rows; run makes licence numbers, readings and e-mails unique.
function makeCsv(run, rows, ref) {
  const r = rng(20261121 + run * 7919);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const label = (list, code) => (ref[list].find((x) => x.code === code) || { name: code }).name;
  const today = new Date(Date.now() + 9 * 3600e3);
  const header = ['氏名', 'フリガナ', '生年月日', '郵便番号', '住所都道府県', '住所', '電話番号', 'メールアドレス',
    '免許種別', '籍登録番号', '登録年月日', '免許種別2', '籍登録番号2', '登録年月日2', '届出事由', '事由発生日',
    '離職前の就業場所', '就業状況'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const f = pick(FAMILY), g = pick(GIVEN);
    let tag = '';
    for (let k = 0, x = run * 1_000_000 + i; k < 4; k++, x = Math.floor(x / KANA.length)) tag += KANA[x % KANA.length];
    const age = 23 + Math.floor(r() * 20) + Math.floor(r() * 18);
    const by = today.getUTCFullYear() - age, bm = 1 + Math.floor(r() * 12), bd = 1 + Math.floor(r() * 28);
    const pref = r() < 0.8 ? '13' : pick(['11', '12', '14']);
    const [muni, postal] = pick(PLACES[pref]);
    const phone = r() < 0.9 ? `0${7 + Math.floor(r() * 3)}0-${1000 + Math.floor(r() * 9000)}-${pad(Math.floor(r() * 10000), 4)}` : '';
    const email = !phone || r() * 100 < opt.emailShare ? `upload${run}-${i}@example.jp` : '';
    const lic = r() < 0.9 ? 'kangoshi' : 'junkangoshi';
    const ry = Math.min(by + 22 + Math.floor(r() * 3), today.getUTCFullYear() - 1); // licensed in the past
    const second = lic === 'kangoshi' && r() < 0.05; // 保健師 as well
    const ev = new Date(today.getTime() - (1 + Math.floor(r() * 90)) * 86400e3);
    const slash = r() < 0.3;
    const useLabels = r() < 0.5; // code columns take the code or its Japanese label
    const reason = r() < 0.93 ? 'left_job' : 'stopped_practising';
    const work = pick(['not_working', 'not_working', 'not_working', 'non_nursing', 'studying', 'other']);
    const num = 5_000_000_000 + run * 100_000_000 + i * 7 + (lic === 'kangoshi' ? 0 : 3);
    lines.push([
      `${f[0]} ${g[0]}`, `${f[1]} ${g[1]}${tag}`, dateStr(by, bm, bd, slash), `${postal}-${pad(Math.floor(r() * 10000), 4)}`,
      useLabels ? label('prefectures', pref) : pref, `${muni}${1 + Math.floor(r() * 5)}-${1 + Math.floor(r() * 20)}-${1 + Math.floor(r() * 20)}`,
      phone, email,
      useLabels ? label('licence_types', lic) : lic, String(num), dateStr(ry, 4 + Math.floor(r() * 2), 1 + Math.floor(r() * 28), slash),
      second ? (useLabels ? label('licence_types', 'hokenshi') : 'hokenshi') : '', second ? String(num + 1) : '',
      second ? dateStr(ry, 4, 20, slash) : '',
      useLabels ? label('notification_reasons', reason) : reason,
      dateStr(ev.getUTCFullYear(), ev.getUTCMonth() + 1, ev.getUTCDate(), slash),
      useLabels ? label('last_workplaces', 'hospital') : 'hospital',
      useLabels ? label('notification_work_statuses', work) : work,
    ].map(csvCell).join(','));
  }
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

// ---- server ----------------------------------------------------------------------------------

async function rss(pid) {
  const s = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [])[1] || 0);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

const tmp = await mkdtemp(path.join(tmpdir(), 'nccs-bench-notify-'));
const stack = await startStack({
  backend: 'sqlite', bin: path.resolve(REPO_ROOT, opt.bin), threads: opt.threads,
  logFile: path.join(tmp, 'server.log'),
});
let failed = false;
try {
  const base = stack.baseUrl;
  const pid = stack.server.child.pid;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'facility13@example.jp', password: 'demo-pass-2026' }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { user, csrf_token: csrf } = await login.json();
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const fid = user.facility_id;
  const ref = await (await fetch(`${base}/api/v1/ref`)).json();
  const url = `${base}/api/v1/facilities/${fid}/notification-uploads`;
  const headers = { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv; charset=utf-8' };
  console.log(`machine: ${(await readFile('/proc/cpuinfo', 'utf8')).match(/^processor/gm).length} cores; ` +
    `server: ${opt.threads} worker threads, SQLite; ${opt.rows} rows a file, ${opt.runs} runs; ` +
    `server RSS at start ${(await rss(pid)).rss.toFixed(0)} MB`);

  const times = { dry: [], commit: [] };
  let mailsBefore = stack.smtp.messages().length;
  for (let run = 0; run < opt.runs; run++) {
    const csv = makeCsv(run, opt.rows, ref);
    if (opt.csvOut && run === 0) await writeFile(opt.csvOut, csv);
    for (const dry of [true, false]) {
      const t0 = performance.now();
      const res = await fetch(`${url}?filename=bench${run}.csv${dry ? '&dry_run=1' : ''}`,
        { method: 'POST', headers, body: csv });
      const body = await res.text();
      const ms = performance.now() - t0;
      const m = await rss(pid);
      let up = null;
      try { up = JSON.parse(body).upload; } catch { /* reported below */ }
      const want = dry ? 200 : 201;
      const ok = res.status === want && up && up.accepted === opt.rows && up.rejected === 0;
      console.log(`run ${run + 1} ${dry ? 'dry_run=1      ' : 'validate+commit'} ${fmt(ms)}  ` +
        `status ${res.status}, ${up ? `${up.accepted} accepted, ${up.rejected} rejected` : body.slice(0, 300)}; ` +
        `${(csv.length / 1048576).toFixed(1)} MB; server RSS ${m.rss.toFixed(0)} MB (peak ${m.hwm.toFixed(0)} MB)`);
      if (!ok) {
        failed = true;
        if (up && up.errors) console.log('  first errors:', JSON.stringify(up.errors.slice(0, 5)));
      }
      times[dry ? 'dry' : 'commit'].push(ms);
      if (!dry && ok) {
        const queued = csv.toString('utf8').split('\r\n').filter((l) => /@example\.jp/.test(l)).length;
        const want = mailsBefore + queued;
        const w0 = performance.now();
        while (opt.waitMails && stack.smtp.messages().length < want && performance.now() - w0 < 900e3) {
          await new Promise((r) => setTimeout(r, 250));
        }
        const got = stack.smtp.messages().length - mailsBefore;
        console.log(`      ${queued} confirmation mails queued; ` + (opt.waitMails
          ? `${got} sent, ${fmt(performance.now() - w0)} after the answer`
          : `${got} mails sent since the previous run (not waiting)`));
        mailsBefore = stack.smtp.messages().length;
      }
    }
  }
  console.log(`median of ${opt.runs}: dry_run=1 ${fmt(median(times.dry))}, validate+commit ${fmt(median(times.commit))}` +
    ` (requirement ≤ 10 s); server peak RSS ${(await rss(pid)).hwm.toFixed(0)} MB`);
  if (median(times.commit) > 10000) failed = true;
} catch (e) {
  console.error(e.stack || String(e));
  failed = true;
} finally {
  await stack.stop().catch((e) => { console.error(e.message); failed = true; });
  await rm(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
