// Date and text formatting in JST. Timestamps from the API are Unix seconds.
const dtf = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit',
});
const eraDf = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  timeZone: 'UTC', era: 'long', year: 'numeric', month: 'long', day: 'numeric',
});
const df = new Intl.DateTimeFormat('ja-JP', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });

/** "2026年11月21日 18:41" (JST) */
export function formatDateTime(unix: number | null | undefined): string {
  if (unix === null || unix === undefined || !Number.isFinite(unix)) return '—';
  return dtf.format(new Date(unix * 1000));
}

function parseYmd(ymd: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
  return d;
}

/** "2015年4月1日" from "2015-04-01" */
export function formatDate(ymd: string | null | undefined): string {
  const d = ymd ? parseYmd(ymd) : null;
  return d ? df.format(d) : (ymd || '—');
}

/** Japanese era form, e.g. "平成27年4月1日"; "" for an invalid date. */
export function toWareki(ymd: string): string {
  const d = parseYmd(ymd);
  if (!d || d.getUTCFullYear() < 1873) return '';
  return eraDf.format(d).replace(/(\D)1年/, '$1元年');
}

/** Today's date in JST as YYYY-MM-DD. */
export function todayJst(): string {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}

export function isRealDate(ymd: string): boolean { return parseYmd(ymd) !== null; }

/** "tel:" target from a displayed phone number. */
export function telHref(phone: string): string {
  return 'tel:' + phone.normalize('NFKC').replace(/[^\d+]/g, '');
}

export const ROLE_LABEL: Record<string, string> = {
  seeker: '求職者',
  facility_admin: '施設管理者',
  facility_staff: '施設担当者',
  counselor: '相談員',
  center_admin: 'ナースセンター管理者',
  central: '中央ナースセンター',
  sysadmin: 'システム管理者',
};

export const CHANNEL_LABEL: Record<string, string> = {
  pc: 'インターネット（パソコン）',
  smartphone: 'インターネット（スマートフォン）',
  center: 'ナースセンター窓口',
  notification: '届出からの登録',
};

export const ACTION_LABEL: Record<string, string> = {
  read: '閲覧',
  view: '閲覧',
  create: '登録',
  update: '更新',
  delete: '削除',
  export: '出力',
  contact: '連絡',
  refer: '紹介',
};
