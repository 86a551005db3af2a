#!/usr/bin/env node
// Generates one fiscal year of nginx "combined" access logs for `nccs import access-log`
// (bench/access/run.sh). Deterministic for a given --seed.
//
//   node bench/access/gen-log.mjs --out FILE [--views 1500000] [--fy 2025] [--seed 1]
//
// Visits of a pool of clients (IP, User-Agent; about 40 % phones, a few tablets) with 1–12 page
// views each, 5 s – 10 min apart, over the JST days of the fiscal year (the day's share of the
// page views follows a weekly pattern); every page view brings asset and API requests, and there
// are robots, 404s and POSTs, none of which count. Lines of a day are written in time order.
// Prints to stdout what the import must find: lines, counted page views, and the visits by the
// rules of docs/API.md "Access statistics".
import { createWriteStream } from 'node:fs';

const args = process.argv.slice(2);
const opt = { views: 1500000, fy: 2025, seed: 1, out: null };
for (let i = 0; i < args.length; i++) {
  const k = args[i].replace(/^--/, '');
  if (!(k in opt) || i + 1 >= args.length) {
    console.error('usage: gen-log.mjs --out FILE [--views N] [--fy YEAR] [--seed N]');
    process.exit(2);
  }
  opt[k] = k === 'out' ? args[++i] : Number(args[++i]);
}
if (!opt.out) { console.error('--out FILE is required'); process.exit(2); }

// mulberry32
let st = opt.seed >>> 0;
function rnd() {
  st = (st + 0x6d2b79f5) >>> 0;
  let t = st;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];

const UA_PC = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
];
const UA_TABLET = [
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
];
const UA_SP = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SO-51C) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36',
];
const UA_BOT = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
];

// Page paths of the SPA (weights by repetition); nurses' and staff's pages need no role here.
const PAGES = [
  '/', '/', '/', '/jobs', '/jobs', '/jobs?prefecture=13', '/jobs?q=%E5%A4%9C%E5%8B%A4',
  '/offers/13-2025-000123', '/offers/27-2025-004567', '/offers/01-2025-000042', '/home', '/home',
  '/login', '/register/nurse', '/centers', '/events', '/seeker/profile', '/seeker/matches',
  '/seeker/applications', '/facility/offers', '/center/queue', '/notify', '/notify',
  '/notify/confirm', '/seeker/notifications', '/facility/notifications', '/center/notifications',
];
const ASSETS = ['/assets/index-4f9c2a.js', '/assets/index-91ab3e.css', '/assets/jobs-77d1e0.js', '/favicon.ico'];
const APIS = ['/api/v1/me', '/api/v1/offers?prefecture=13&page=1', '/api/v1/ref', '/api/v1/centers'];

// The client pool: more clients than live at any time, so visits come back across days.
const NCLIENTS = 150000;
const clients = [];
for (let i = 0; i < NCLIENTS; i++) {
  const r = rnd();
  const ua = r < 0.4 ? pick(UA_SP) : r < 0.45 ? pick(UA_TABLET) : pick(UA_PC);
  const ip = `${10 + Math.floor(rnd() * 200)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
  clients.push({ ip, ua, last: -Infinity });
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => String(n).padStart(2, '0');
// $time_local in +0900 for Unix seconds t.
function timeLocal(t) {
  const d = new Date((t + 9 * 3600) * 1000);
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0900`;
}
const line = (ip, t, method, target, status, bytes, ua, ref = '-') =>
  `${ip} - - [${timeLocal(t)}] "${method} ${target} HTTP/1.1" ${status} ${bytes} "${ref}" "${ua}"\n`;

const start = Date.UTC(opt.fy, 3, 1) / 1000 - 9 * 3600; // April 1st 00:00 JST
const days = Math.round((Date.UTC(opt.fy + 1, 3, 1) - Date.UTC(opt.fy, 3, 1)) / 86400000);
// Weekday weights (Sunday .. Saturday): fewer views at weekends.
const WEEK = [0.6, 1.15, 1.1, 1.1, 1.1, 1.05, 0.7];
const weights = [];
for (let d = 0; d < days; d++) weights.push(WEEK[new Date((start + d * 86400 + 9 * 3600) * 1000).getUTCDay()]);
const wsum = weights.reduce((a, b) => a + b, 0);

const out = createWriteStream(opt.out);
const write = (s) => (out.write(s) ? null : new Promise((r) => out.once('drain', r)));

let lines = 0, views = 0, visits = 0, cum = 0;
for (let d = 0; d < days; d++) {
  cum += weights[d];
  const quota = Math.round((opt.views * cum) / wsum) - views;
  const dayStart = start + d * 86400;
  const reqs = []; // [t, text, countedView, client, site]
  let made = 0;
  while (made < quota) {
    const c = clients[Math.floor(rnd() * NCLIENTS)];
    // Visits start between 06:00 and 23:00 JST, more in the day time.
    let t = dayStart + 6 * 3600 + Math.floor(Math.pow(rnd(), 0.8) * 17 * 3600);
    const n = Math.min(quota - made, 1 + Math.floor(Math.pow(rnd(), 2) * 12));
    for (let k = 0; k < n; k++) {
      const p = pick(PAGES);
      const status = rnd() < 0.08 ? 304 : 200;
      reqs.push([t, line(c.ip, t, 'GET', p, status, 2400 + Math.floor(rnd() * 900), c.ua), true, c, p]);
      made++;
      // the page's assets and API calls (not counted)
      if (rnd() < 0.5) reqs.push([t, line(c.ip, t, 'GET', pick(ASSETS), 200, 48000, c.ua, 'https://nccs.example.jp/'), false]);
      if (rnd() < 0.3) reqs.push([t + 1, line(c.ip, t + 1, 'GET', pick(APIS), 200, 1800, c.ua), false]);
      if (rnd() < 0.1) reqs.push([t + 1, line(c.ip, t + 1, 'POST', '/api/v1/views', 204, 0, c.ua), false]);
      t += 5 + Math.floor(Math.pow(rnd(), 3) * 600);
    }
  }
  // robots and errors, not counted
  for (let k = 0; k < 400; k++) {
    const t = dayStart + Math.floor(rnd() * 86400);
    reqs.push([t, line(`66.249.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`, t, 'GET', pick(PAGES), 200, 2600, pick(UA_BOT)), false]);
  }
  for (let k = 0; k < 60; k++) {
    const t = dayStart + Math.floor(rnd() * 86400);
    reqs.push([t, line('203.0.113.7', t, 'GET', '/wp-login.php', 404, 150, pick(UA_PC)), false]);
  }
  reqs.sort((a, b) => a[0] - b[0]);
  // Visits by the rules: per client and site, a gap over 30 minutes starts a new one.
  let buf = '';
  for (const r of reqs) {
    lines++;
    if (r[2]) {
      views++;
      const c = r[3];
      const site = /^\/(notify|seeker\/notifications|facility\/notifications|center\/notifications)(\/|\?|$)/.test(r[4]) ? 'n' : 'j';
      const key = site === 'n' ? 'lastN' : 'last';
      if (c[key] === undefined || r[0] - c[key] > 1800) visits++;
      if (c[key] === undefined || r[0] > c[key]) c[key] = r[0];
    }
    buf += r[1];
    if (buf.length > 1 << 20) { const p = write(buf); buf = ''; if (p) await p; }
  }
  if (buf) { const p = write(buf); if (p) await p; }
}
await new Promise((r) => out.end(r));
console.log(`lines: ${lines}`);
console.log(`page views: ${views}`);
console.log(`visits: ${visits}`);
