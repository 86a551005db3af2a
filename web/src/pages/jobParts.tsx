// Pieces of the public job search (Jobs.tsx): types of GET /api/v1/offers,
// the search state in the URL, labels of the offer body's codes and the
// wage formatting. Loaded only with the job search chunk.
import { useEffect, useState } from 'preact/hooks';
import { loadRef, type Code, type Ref } from '../api';

export type OfferItem = {
  offer_no: string;
  title: string;
  facility_name: string;
  prefecture: string;
  municipality_name: string;
  employment_form: string;
  wage_type: string;
  wage_min: number | null;
  published_at: number;
  valid_until: string;
  flags: string[];
  shift_patterns: string[];
  licences: string[];
  facility_type: string;
};

export type FacetKey = 'prefecture' | 'licence' | 'employment_form' | 'shift' | 'facility_type' | 'flags';
export type Facets = Partial<Record<FacetKey, Record<string, number>>>;
export type SearchResult = { total: number; page: number; per_page: number; items: OfferItem[]; facets: Facets };

export type OfferBody = {
  title?: string;
  pr?: string;
  employer?: { name?: string };
  duties?: { description?: string; change_scope?: string };
  contract?: {
    type?: string; start?: string; end?: string; renewal?: string; renewal_criteria?: string;
    renewal_cap?: boolean; max_renewals?: number; max_total_months?: number;
  };
  probation?: { present?: boolean; months?: number; conditions_differ?: boolean; conditions?: string };
  workplace?: { municipality_code?: string; address?: string; station?: string; access?: string; change_scope?: string };
  hours?: {
    start?: string; end?: string; shift_patterns?: string[]; night_shifts_per_month?: number;
    overtime?: boolean; overtime_avg_hours?: number; break_minutes?: number;
  };
  holidays?: { annual_days?: number; pattern?: string };
  wage?: {
    type?: string; base_min?: number; base_max?: number; allowances?: string;
    fixed_overtime?: boolean; fixed_overtime_hours?: number; fixed_overtime_amount?: number;
  };
  insurance?: { employment?: boolean; health?: boolean; pension?: boolean; workers_comp?: boolean };
  smoking?: { measure?: string; note?: string };
  age?: { max?: number; exception?: string; reason?: string };
  licences?: string[];
  employment_form?: string;
  departments?: string[];
  flags?: string[];
  positions?: number;
};

export type PublicOffer = {
  offer_no: string;
  body: OfferBody;
  valid_until: string;
  published_at: number;
  facility: {
    name: string; facility_type: string; prefecture: string; municipality_name: string;
    beds: number | null; departments: string[];
  };
};

// ---- Search state in the URL -------------------------------------------

export const LIST_KEYS: FacetKey[] = ['prefecture', 'licence', 'employment_form', 'shift', 'facility_type', 'flags'];
export const PER_PAGE = 20;

export type SearchState = {
  keyword: string;
  lists: Record<FacetKey, string[]>;
  municipality: string;
  wage_monthly_min: string;
  wage_hourly_min: string;
  sort: string;
  page: number;
};

const splitList = (v: string | null) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** The search state from a query string (`keyword` is the API's `q`; `q` is accepted too). */
export function parseSearch(search: string): SearchState {
  const p = new URLSearchParams(search);
  const lists = {} as Record<FacetKey, string[]>;
  for (const k of LIST_KEYS) lists[k] = [...new Set(splitList(p.get(k)))];
  const page = parseInt(p.get('page') || '1', 10);
  return {
    keyword: p.get('keyword') ?? p.get('q') ?? '',
    lists,
    municipality: p.get('municipality') ?? '',
    wage_monthly_min: p.get('wage_monthly_min') ?? '',
    wage_hourly_min: p.get('wage_hourly_min') ?? '',
    sort: p.get('sort') ?? '',
    page: Number.isFinite(page) && page >= 1 ? page : 1,
  };
}

/** The query string of a search state ("" when nothing is chosen), in a stable order. */
export function searchString(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.keyword.trim()) p.set('keyword', s.keyword.trim());
  for (const k of LIST_KEYS) if (s.lists[k].length) p.set(k, s.lists[k].join(','));
  if (s.municipality) p.set('municipality', s.municipality);
  if (s.wage_monthly_min) p.set('wage_monthly_min', s.wage_monthly_min);
  if (s.wage_hourly_min) p.set('wage_hourly_min', s.wage_hourly_min);
  if (s.sort && s.sort !== 'newest') p.set('sort', s.sort);
  if (s.page > 1) p.set('page', String(s.page));
  const q = p.toString();
  return q ? '?' + q : '';
}

/** The API query of a search state. */
export function apiQuery(s: SearchState): Record<string, string | number> {
  const q: Record<string, string | number> = { per_page: PER_PAGE, page: s.page };
  if (s.keyword.trim()) q.q = s.keyword.trim();
  for (const k of LIST_KEYS) if (s.lists[k].length) q[k] = s.lists[k].join(',');
  if (s.municipality) q.municipality = s.municipality;
  if (s.wage_monthly_min) q.wage_monthly_min = s.wage_monthly_min;
  if (s.wage_hourly_min) q.wage_hourly_min = s.wage_hourly_min;
  if (s.sort) q.sort = s.sort;
  return q;
}

/** How many conditions (besides the keyword and the order) are set. */
export function filterCount(s: SearchState): number {
  let n = LIST_KEYS.reduce((a, k) => a + s.lists[k].length, 0);
  if (s.municipality) n++;
  if (s.wage_monthly_min) n++;
  if (s.wage_hourly_min) n++;
  return n;
}

/** The address of the last search results page, for the offer page's way back. */
let lastSearch = '/jobs';
export function rememberSearch(url: string) { lastSearch = url; }
export function lastSearchUrl() { return lastSearch; }

// ---- Labels --------------------------------------------------------------

export const FLAG_LABEL: Record<string, string> = {
  rito: '離島',
  hekichi: 'へき地',
  hisaichi: '被災地',
  takuji: '託児所あり',
  blank_ok: 'ブランク可',
  ryo: '寮あり',
  kyubo: '急募',
};
export const FLAG_CODES = Object.keys(FLAG_LABEL);

export const SHIFT_LABEL: Record<string, string> = {
  two_shift: '二交代',
  three_shift: '三交代',
  day_only: '日勤のみ',
  night_only: '夜勤のみ',
  on_call: '当直あり',
};

export const EMPLOYMENT_LABEL: Record<string, string> = { jokin: '常勤', hijokin: '非常勤', rinji: '臨時' };

export const WAGE_TYPE_LABEL: Record<string, string> = { monthly: '月給', hourly: '時給', daily: '日給', annual: '年収' };

export const SORT_OPTIONS = [
  { value: 'newest', label: '新着順' },
  { value: 'wage_monthly', label: '月給の高い順' },
  { value: 'wage_hourly', label: '時給の高い順' },
];

export const MONTHLY_MIN_OPTIONS = [200000, 220000, 250000, 280000, 300000, 350000, 400000];
export const HOURLY_MIN_OPTIONS = [1200, 1500, 1800, 2000, 2500, 3000];

export const CONTRACT_LABEL: Record<string, string> = { indefinite: '期間の定めなし', fixed: '期間の定めあり' };
export const RENEWAL_LABEL: Record<string, string> = {
  auto: '自動的に更新する',
  possible: '更新する場合がある',
  none: '契約の更新はしない',
};
export const SMOKING_LABEL: Record<string, string> = {
  premises_ban: '敷地内禁煙',
  indoor_ban: '屋内禁煙',
  smoking_room: '屋内原則禁煙（喫煙専用室あり）',
  other: 'その他',
};
/** 労働施策総合推進法施行規則1条の3第1項の例外事由 */
export const AGE_EXCEPTION_LABEL: Record<string, string> = {
  '1': '例外事由1号（定年年齢を上限として、期間の定めのない労働契約で募集）',
  '2': '例外事由2号（法令の規定により年齢の制限が設けられている）',
  '3i': '例外事由3号イ（長期勤続によるキャリア形成のため若年者等を募集）',
  '3ro': '例外事由3号ロ（技能・ノウハウの継承のため特定の年齢層を募集）',
  '3ha': '例外事由3号ハ（芸術・芸能の分野における表現の真実性等の要請）',
  '3ni': '例外事由3号ニ（高年齢者または特定の年齢層の雇用を促進する国の施策の対象者を募集）',
};

export const FACET_TITLE: Record<FacetKey | 'municipality' | 'wage_monthly_min' | 'wage_hourly_min' | 'q' | 'sort' | 'page' | 'per_page', string> = {
  q: 'キーワード',
  prefecture: '都道府県',
  municipality: '市区町村',
  licence: '資格',
  employment_form: '雇用形態',
  shift: '勤務形態',
  facility_type: '施設の種類',
  flags: '特徴',
  wage_monthly_min: '月給の下限',
  wage_hourly_min: '時給の下限',
  sort: '並び順',
  page: 'ページ',
  per_page: '表示件数',
};

// ---- Formatting ----------------------------------------------------------

export const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;

/** "月給 260,000円〜", "時給 1,500円〜2,000円"; "—" without an amount. */
export function formatWage(type: string | undefined, min: number | null | undefined, max?: number | null): string {
  const label = WAGE_TYPE_LABEL[type || ''] ?? '給与';
  if (min === null || min === undefined) return max ? `${label} 〜${yen(max)}` : '—';
  if (max && max > min) return `${label} ${yen(min)}〜${yen(max)}`;
  if (max === min) return `${label} ${yen(min)}`;
  return `${label} ${yen(min)}〜`;
}

/** "20万円以上" / "1,500円以上" */
export function minLabel(n: number): string {
  return n >= 10000 && n % 10000 === 0 ? `${(n / 10000).toLocaleString('ja-JP')}万円以上` : `${n.toLocaleString('ja-JP')}円以上`;
}

// ---- Reference data --------------------------------------------------------

export type Names = {
  ref: Ref | null;
  /** The reference data has answered (loaded or failed). */
  done: boolean;
  name: (list: keyof Ref, code: string | undefined | null) => string;
  options: (list: keyof Ref) => Code[];
};

/** Reference data (GET /api/v1/ref) with a code → Japanese name lookup. */
export function useNames(): Names {
  const [ref, setRef] = useState<Ref | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    let live = true;
    loadRef().then((r) => { if (live) { setRef(r); setDone(true); } }, () => { if (live) setDone(true); });
    return () => { live = false; };
  }, []);
  const fallback: Partial<Record<keyof Ref, Record<string, string>>> = {
    shift_patterns: SHIFT_LABEL,
    employment_forms: EMPLOYMENT_LABEL,
  };
  const name = (list: keyof Ref, code: string | undefined | null) => {
    if (!code) return '';
    const hit = (ref?.[list] as Code[] | undefined)?.find((c) => c.code === code);
    return hit?.name ?? fallback[list]?.[code] ?? code;
  };
  const options = (list: keyof Ref) => (ref?.[list] as Code[] | undefined) ?? [];
  return { ref, done, name, options };
}
