// Shared helpers of the notification (届出) and casework test files (not a test file itself):
// NotificationBody fixtures with unique licence numbers and readings (so that duplicate
// detection only sees what a test means it to see), JST dates and business days (with the
// Japanese national holidays written out by hand for the years around today), a Shift_JIS
// encoder, CSV building and parsing, paging through lists, and the field-error check of the
// casework codes (which use reasons `_lib.mjs`'s fieldErrors does not know: not_allowed,
// duplicate).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { API, DB_URL, JP_RE, assertError } from './_lib.mjs';

export const SQL_NOTIF = "'; DROP TABLE notifications;--";
export const HTML = '<script>alert(1)</script>';
export const JS = 'javascript:alert(document.cookie)';
export const FORMULAS = ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)'];

export const tag = () => randomBytes(4).toString('hex');

// A licence number nobody else uses: 10 digits.
export const licNo = () => String(randomInt(1_000_000_000, 9_999_999_999));

// A katakana reading nobody else uses (two words, like the registration examples).
const KANA = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ';
export function kanaName(first = 'トドケ') {
  let s = '';
  for (let i = 0; i < 7; i++) s += KANA[randomInt(0, KANA.length)];
  return `${first} ${s}`;
}

// ---- dates ---------------------------------------------------------------------------------

const DAY = 86400e3;
// "YYYY-MM-DD" of the JST day of `ms` (default now), shifted by `days`.
export function jstDate(days = 0, ms = Date.now()) {
  return new Date(ms + 9 * 3600e3 + days * DAY).toISOString().slice(0, 10);
}
export function addDays(date, n) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}
// The fiscal year (April–March) of a JST date.
export function fiscalYear(date = jstDate()) {
  const [y, m] = date.split('-').map(Number);
  return m >= 4 ? y : y - 1;
}

// Japanese national holidays (内閣府「国民の祝日」), substitute holidays and citizens' holidays
// included, written out for the years around the test run. Kept independent of the server's
// computation on purpose.
export const HOLIDAYS = new Set([
  // 2025
  '2025-01-01', '2025-01-13', '2025-02-11', '2025-02-23', '2025-02-24', '2025-03-20', '2025-04-29', '2025-05-03',
  '2025-05-04', '2025-05-05', '2025-05-06', '2025-07-21', '2025-08-11', '2025-09-15', '2025-09-23', '2025-10-13',
  '2025-11-03', '2025-11-23', '2025-11-24',
  // 2026
  '2026-01-01', '2026-01-12', '2026-02-11', '2026-02-23', '2026-03-20', '2026-04-29', '2026-05-03', '2026-05-04',
  '2026-05-05', '2026-05-06', '2026-07-20', '2026-08-11', '2026-09-21', '2026-09-22', '2026-09-23', '2026-10-12',
  '2026-11-03', '2026-11-23',
  // 2027
  '2027-01-01', '2027-01-11', '2027-02-11', '2027-02-23', '2027-03-21', '2027-03-22', '2027-04-29', '2027-05-03',
  '2027-05-04', '2027-05-05', '2027-07-19', '2027-08-11', '2027-09-20', '2027-09-23', '2027-10-11', '2027-11-03',
  '2027-11-23',
  // 2028
  '2028-01-01', '2028-01-10', '2028-02-11', '2028-02-23', '2028-03-20', '2028-04-29', '2028-05-03', '2028-05-04',
  '2028-05-05', '2028-07-17', '2028-08-11', '2028-09-18', '2028-09-22', '2028-10-09', '2028-11-03', '2028-11-23',
]);
export const HOLIDAY_YEARS = [2025, 2026, 2027, 2028];

export function isBusinessDay(date) {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (wd === 0 || wd === 6) return false;
  const md = date.slice(5);
  if (md >= '12-29' || md <= '01-03') return false;
  return !HOLIDAYS.has(date);
}
// `n` business days after `date` (Monday–Friday, not a national holiday, not 12/29–1/3).
export function addBusinessDays(date, n) {
  let d = date;
  for (let i = 0; i < n; i++) {
    do d = addDays(d, 1); while (!isBusinessDay(d));
  }
  return d;
}
export const holidaysKnown = (date) => HOLIDAY_YEARS.includes(Number(date.slice(0, 4)));

// ---- fixtures --------------------------------------------------------------------------------

// A valid NotificationBody; `holder` members of `over.holder` are merged into the default
// holder, the rest of `over` replaces top-level members (a member set to undefined is dropped).
export function notifBody(over = {}) {
  const { holder: h = {}, ...rest } = over;
  const body = {
    reason: 'left_job',
    event_date: jstDate(-30),
    last_workplace: 'hospital',
    last_workplace_name: '届出テスト病院',
    work_status: 'not_working',
    holder: {
      name: '届出 花子', name_kana: kanaName(), birth_date: '1990-05-01', postal_code: '160-0023',
      address_prefecture: '13', address: '新宿区西新宿1-1-1', phone: '090-1234-5678', ...h,
    },
    licences: [{ type: 'kangoshi', number: licNo(), registered_on: '2012-04-01' }],
    ...rest,
  };
  for (const [k, v] of Object.entries(body.holder)) if (v === undefined) delete body.holder[k];
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return body;
}

// Members every Notification carries; OPTIONAL_KEYS are the body members that may be empty (a
// separate test in notifications.test.mjs checks that they are then null rather than absent).
export const NOTIF_KEYS = ['id', 'status', 'status_label', 'channel', 'channel_label', 'prefecture', 'center_name',
  'person_id', 'facility', 'upload_id', 'version', 'filed_at', 'confirmed_at', 'confirmed_how', 'seeker_opt_in',
  'reason', 'reason_label', 'event_date', 'work_status', 'work_status_label', 'holder', 'licences'];
export const OPTIONAL_KEYS = ['last_workplace', 'last_workplace_label', 'last_workplace_name', 'center_prefecture'];
export const SUMMARY_KEYS = ['id', 'status', 'status_label', 'channel', 'channel_label', 'prefecture', 'person_id',
  'name', 'name_kana', 'reason', 'reason_label', 'event_date', 'filed_at', 'confirmed_at', 'version', 'duplicates'];

// Checks the documented Notification members; `versions` must be there unless forFacility (or
// versionsOptional, for the public lookup of a mailed link).
export function assertNotification(n, { forFacility = false, versionsOptional = false } = {}) {
  assert.ok(n && typeof n === 'object', 'notification object');
  for (const k of NOTIF_KEYS) assert.ok(k in n, `Notification has ${k}: ${JSON.stringify(n).slice(0, 400)}`);
  assert.ok(Number.isInteger(n.id) && n.id > 0, 'id');
  assert.ok(['pending_confirmation', 'active'].includes(n.status), `status ${n.status}`);
  assert.match(n.status_label, JP_RE);
  assert.match(n.channel_label, JP_RE);
  assert.match(n.reason_label, JP_RE);
  assert.match(n.work_status_label, JP_RE);
  assert.match(n.center_name, JP_RE, 'center name in Japanese');
  assert.ok(Number.isInteger(n.filed_at) && n.filed_at > 1.7e9, 'filed_at Unix seconds');
  assert.ok(Number.isInteger(n.version) && n.version >= 1, 'version');
  if (forFacility) assert.ok(!('versions' in n), 'no versions for the facility');
  else if (versionsOptional && !('versions' in n)) { /* the public lookup may leave them out */ } else {
    assert.ok(Array.isArray(n.versions) && n.versions.length === n.version, `versions has ${n.version} entries`);
    n.versions.forEach((v, i) => {
      assert.equal(v.version, i + 1, 'versions oldest first');
      assert.ok(['nurse', 'staff', 'facility'].includes(v.changed_by_kind), `changed_by_kind ${v.changed_by_kind}`);
      assert.ok(v.body && typeof v.body === 'object' && v.body.holder, 'version body is a NotificationBody');
    });
  }
  return n;
}

// ---- errors ----------------------------------------------------------------------------------

const REASONS = /\.(missing|type|invalid|too_long|too_short|unknown|not_katakana|out_of_range|duplicate|not_allowed|weak|formula)$/;

// For a 422 validation.failed: {field -> [codes]} after checking every entry's shape.
export function fieldErrs(r) {
  const e = assertError(r, 422, 'validation.failed');
  assert.ok(Array.isArray(e.fields) && e.fields.length > 0, `422 lists fields: ${r.text.slice(0, 400)}`);
  const out = {};
  for (const f of e.fields) {
    assert.equal(typeof f.field, 'string', `fields[].field: ${JSON.stringify(f)}`);
    assert.equal(typeof f.code, 'string');
    assert.match(f.message, JP_RE, `field message Japanese: ${JSON.stringify(f)}`);
    assert.match(f.code, REASONS, `documented reason: ${f.code}`);
    (out[f.field] ||= []).push(f.code);
  }
  return out;
}

// A 422 naming `field` with a code ending in one of `reasons` (or being exactly `code`).
export function assertField(r, field, reasons) {
  const fe = fieldErrs(r);
  const codes = fe[field];
  assert.ok(codes, `422 names ${field}; got ${JSON.stringify(fe)}`);
  const rs = [].concat(reasons);
  assert.ok(codes.some((c) => rs.some((x) => c === x || c.endsWith('.' + x))), `${field}: ${codes} is one of ${rs}`);
  return fe;
}

// ---- lists -----------------------------------------------------------------------------------

// Every item of a paged list (GET path?query&page=&per_page=100), up to `max` pages.
export async function allPages(c, path, { max = 40 } = {}) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  let first;
  for (let page = 1; page <= max; page++) {
    const r = await c.get(`${path}${sep}page=${page}&per_page=100`);
    assert.equal(r.status, 200, `${path} page ${page}: ${r.text.slice(0, 300)}`);
    first ||= r.json;
    items.push(...r.json.items);
    if (!r.json.items.length || items.length >= r.json.total) break;
  }
  return { ...first, items };
}

// The first item of a paged list that satisfies pred, or undefined.
export async function findIn(c, path, pred) {
  return (await allPages(c, path)).items.find(pred);
}

// ---- CSV -------------------------------------------------------------------------------------

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
export const hasBom = (buf) => buf.length >= 3 && buf.subarray(0, 3).equals(BOM);

// Parses RFC 4180 CSV (CRLF or LF) into rows of strings; a leading BOM is dropped.
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], cell = '', q = false, i = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else q = false;
      } else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// Builds CSV text (CRLF) from rows of cells; cells with , " or newlines are quoted.
export function toCsv(rows) {
  return rows.map((r) => r.map((c) => {
    const s = c === null || c === undefined ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',')).join('\r\n') + '\r\n';
}

// No cell of a CSV export may start with a formula character.
export function formulaCells(rows) {
  return rows.flat().filter((c) => /^[=+\-@]/.test(c));
}

// ---- Shift_JIS -------------------------------------------------------------------------------

// An encoder for Shift_JIS (as Windows writes it) built by inverting the runtime's decoder over
// every single- and double-byte code; checked against bytes written out by hand.
let sjisTable = null;
function buildSjis() {
  const dec = new TextDecoder('shift_jis', { fatal: true });
  const t = new Map();
  for (let b = 0; b < 0x80; b++) t.set(String.fromCharCode(b), [b]);
  for (let b = 0xa1; b <= 0xdf; b++) t.set(dec.decode(Uint8Array.of(b)), [b]);
  const leads = [];
  for (let b = 0x81; b <= 0x9f; b++) leads.push(b);
  for (let b = 0xe0; b <= 0xfc; b++) leads.push(b);
  for (const l of leads) {
    for (let tb = 0x40; tb <= 0xfc; tb++) {
      if (tb === 0x7f) continue;
      let s;
      try { s = dec.decode(Uint8Array.of(l, tb)); } catch { continue; }
      if (s.length === 1 && !t.has(s)) t.set(s, [l, tb]);
    }
  }
  return t;
}
export function sjis(str) {
  sjisTable ||= buildSjis();
  const out = [];
  for (const ch of str) {
    const b = sjisTable.get(ch);
    if (!b) throw new Error(`no Shift_JIS code for ${JSON.stringify(ch)}`);
    out.push(...b);
  }
  const buf = Buffer.from(out);
  return buf;
}
// Hand-written check of the table: 看護師 = 8A C5 8C EC 8E 74.
assert.deepEqual([...sjis('看護師')], [0x8a, 0xc5, 0x8c, 0xec, 0x8e, 0x74], 'Shift_JIS encoder');

// ---- database --------------------------------------------------------------------------------

// Runs an SQL statement on the test database (sqlite3 CLI / psql), as saved_searches.test.mjs does.
export function sql(stmt) {
  const [cmd, args] = DB_URL.startsWith('sqlite:')
    ? ['sqlite3', ['-cmd', '.timeout 10000', DB_URL.replace(/^sqlite:(\/\/)?/, ''), stmt]]
    : ['psql', [DB_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-t', '-A', '-c', stmt]];
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message} ${stderr}`)) : resolve(stdout.trim())));
  });
}

// Only the named tables of a db-counts result.
export function pick(counts, tables) {
  const o = {};
  for (const t of tables) o[t] = counts[t];
  return o;
}
export const NOTIF_TABLES = ['notifications', 'notification_versions', 'notification_tokens', 'notification_uploads',
  'users', 'seekers', 'licences', 'tasks'];

// Paths
export const P = {
  file: `${API}/notifications`,
  center: `${API}/center/notifications`,
  facility: (fid) => `${API}/facilities/${fid}/notifications`,
  uploads: (fid) => `${API}/facilities/${fid}/notification-uploads`,
  report: (fid, uid) => `${API}/facilities/${fid}/notification-uploads/${uid}/report.csv`,
  mine: `${API}/me/notifications`,
  one: (id) => `${API}/notifications/${id}`,
  consent: (id) => `${API}/notifications/${id}/consent`,
  lookup: `${API}/notification-confirmations/lookup`,
  confirm: `${API}/notification-confirmations`,
  export: `${API}/exports/notifications.csv`,
};
