// Matching and saved-search data shared by the nurse's screens (SeekerMatch.tsx) and the job
// search pages (jobsSeeker.tsx): types, reason texts, and a saved search's query ↔ /jobs URL.
import type { Code, Ref } from '../api';

export type MatchOffer = {
  id?: number; offer_no?: string; title?: string; facility_name?: string; prefecture?: string;
  municipality_name?: string; employment_form?: string; wage_type?: string; wage_min?: number | null;
  valid_until?: string; published_at?: number;
};
/** One recommendation: the offer (nested, or its fields at the top level), score and reasons. */
export type MatchItem = { offer_id?: number; offer?: MatchOffer; score?: number; reasons?: unknown } & MatchOffer;
/** GET /me/matches/{offer_id}: whether the offer meets every wish, its score, why it fits, and the wishes it fails. */
export type MatchDetail = { matches?: boolean; score?: number; reasons?: unknown; exclusions?: unknown };

export type SavedSearch = {
  id: number; name: string; query: Record<string, string>; notify: boolean;
  created_at?: number; updated_at?: number; last_mailed_at?: number | null;
};

/** Japanese texts of reasons given as strings or as objects with a text. */
export function reasonTexts(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((x) => {
    if (typeof x === 'string') return x;
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const t = o.text ?? o.label ?? o.message ?? o.name;
      return typeof t === 'string' ? t : '';
    }
    return '';
  }).filter(Boolean);
}

/** The item's offer, whether nested or flat. */
export const offerOf = (m: MatchItem): MatchOffer => m.offer ?? m;

/** The filter parameters of GET /api/v1/offers that a saved search keeps. */
export const QUERY_KEYS = ['q', 'prefecture', 'municipality', 'licence', 'employment_form', 'shift', 'facility_type', 'flags',
  'wage_monthly_min', 'wage_hourly_min'] as const;

/** A saved search's query from the API query of the search page (strings, as in the URL). */
export function toSavedQuery(api: Record<string, string | number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of QUERY_KEYS) if (api[k] !== undefined && api[k] !== '') out[k] = String(api[k]);
  return out;
}

/** The /jobs address of a saved search (the page calls the API's `q` "keyword"). */
export function jobsUrl(q: Record<string, string> | null | undefined): string {
  const p = new URLSearchParams();
  for (const k of QUERY_KEYS) {
    const v = q?.[k];
    if (v) p.set(k === 'q' ? 'keyword' : k, v);
  }
  const s = p.toString();
  return '/jobs' + (s ? '?' + s : '');
}

const FLAG: Record<string, string> = {
  rito: '離島', hekichi: 'へき地', hisaichi: '被災地', takuji: '託児所あり', blank_ok: 'ブランク可', ryo: '寮あり', kyubo: '急募',
};
const man = (n: string) => (/^\d+$/.test(n) ? (+n >= 10000 && +n % 10000 === 0 ? `${+n / 10000}万円以上` : `${(+n).toLocaleString('ja-JP')}円以上`) : n);

/** "看護師・東京都・常勤・月給25万円以上・「透析」" — a short Japanese description of a query. */
export function describeQuery(q: Record<string, string> | null | undefined, ref: Ref | null, muniName?: (code: string) => string | undefined): string {
  if (!q) return '';
  const list = (v: string | undefined, codes: Code[] | undefined, fallback?: Record<string, string>) =>
    (v ? v.split(',').filter(Boolean).map((c) => codes?.find((x) => x.code === c)?.name ?? fallback?.[c] ?? c) : []);
  const parts = [
    ...list(q.prefecture, ref?.prefectures),
    ...(q.municipality ? q.municipality.split(',').map((c) => muniName?.(c) ?? `市区町村 ${c}`) : []),
    ...list(q.licence, ref?.licence_types),
    ...list(q.employment_form, ref?.employment_forms, { jokin: '常勤', hijokin: '非常勤', rinji: '臨時' }),
    ...list(q.shift, ref?.shift_patterns),
    ...list(q.facility_type, ref?.facility_types),
    ...list(q.flags, undefined, FLAG),
    ...(q.wage_monthly_min ? [`月給${man(q.wage_monthly_min)}`] : []),
    ...(q.wage_hourly_min ? [`時給${man(q.wage_hourly_min)}`] : []),
    ...(q.q ? [`「${q.q}」`] : []),
  ];
  return parts.join('・');
}
