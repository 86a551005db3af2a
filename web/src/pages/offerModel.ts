// The offer form's values (flat, keyed by the API's field names) and their conversion to
// and from the OfferBody of docs/API.md. Hidden conditional items are left out of the body.
import { nfkc } from '../validate';
import type { FieldError } from '../api';
import type { OfferBody } from './offerParts';

export type FormValues = Record<string, string | string[]>;

export const TEXTS = ['title', 'pr', 'employer.name', 'duties.description', 'duties.change_scope', 'contract.type',
  'contract.start', 'contract.end', 'contract.renewal', 'contract.renewal_criteria', 'probation.conditions',
  'workplace.municipality_code', 'workplace.address', 'workplace.station', 'workplace.access', 'workplace.change_scope',
  'hours.start', 'hours.end', 'holidays.pattern', 'wage.type', 'wage.allowances', 'smoking.measure', 'smoking.note',
  'age.exception', 'age.reason', 'employment_form'];
export const INTS: Record<string, [number, number]> = {
  'contract.max_renewals': [0, 99], 'contract.max_total_months': [1, 600], 'probation.months': [0, 24],
  'hours.night_shifts_per_month': [0, 31], 'hours.overtime_avg_hours': [0, 200], 'hours.break_minutes': [0, 600],
  'holidays.annual_days': [0, 366], 'wage.base_min': [0, 100000000], 'wage.base_max': [0, 100000000],
  'wage.fixed_overtime_hours': [0, 200], 'wage.fixed_overtime_amount': [0, 10000000], 'age.max': [15, 99],
  positions: [0, 9999],
};
export const BOOLS = ['contract.renewal_cap', 'probation.present', 'probation.conditions_differ', 'hours.overtime',
  'wage.fixed_overtime', 'insurance.employment', 'insurance.health', 'insurance.pension', 'insurance.workers_comp'];
export const ARRAYS = ['hours.shift_patterns', 'licences', 'departments', 'flags'];

function getPath(o: any, path: string): unknown {
  return path.split('.').reduce((x, k) => (x && typeof x === 'object' ? x[k] : undefined), o);
}
function setPath(o: any, path: string, v: unknown) {
  const ks = path.split('.');
  let x = o;
  for (const k of ks.slice(0, -1)) x = x[k] ??= {};
  x[ks[ks.length - 1]] = v;
}

export function emptyForm(): FormValues {
  const v: FormValues = {};
  for (const k of [...TEXTS, ...Object.keys(INTS), ...BOOLS]) v[k] = '';
  for (const k of ARRAYS) v[k] = [];
  v['age.limit'] = 'no';
  return v;
}

export function toForm(b: OfferBody): FormValues {
  const v = emptyForm();
  for (const k of TEXTS) { const x = getPath(b, k); if (typeof x === 'string') v[k] = x; }
  for (const k of Object.keys(INTS)) { const x = getPath(b, k); if (typeof x === 'number') v[k] = String(x); }
  for (const k of BOOLS) { const x = getPath(b, k); if (typeof x === 'boolean') v[k] = x ? 'yes' : 'no'; }
  for (const k of ARRAYS) { const x = getPath(b, k); if (Array.isArray(x)) v[k] = x.map(String); }
  v['age.limit'] = typeof b.age?.max === 'number' || b.age?.exception ? 'yes' : 'no';
  return v;
}

const s = (v: FormValues, k: string) => String(v[k] ?? '');

/** Which items are shown (and sent) for the current answers. */
export function visible(v: FormValues, k: string): boolean {
  const fixed = s(v, 'contract.type') === 'fixed';
  const renews = ['auto', 'possible'].includes(s(v, 'contract.renewal'));
  switch (k) {
    case 'contract.start': case 'contract.end': case 'contract.renewal': return fixed;
    case 'contract.renewal_criteria': case 'contract.renewal_cap': return fixed && renews;
    case 'contract.max_renewals': case 'contract.max_total_months': return fixed && renews && s(v, 'contract.renewal_cap') === 'yes';
    case 'probation.months': case 'probation.conditions_differ': return s(v, 'probation.present') === 'yes';
    case 'probation.conditions': return s(v, 'probation.present') === 'yes' && s(v, 'probation.conditions_differ') === 'yes';
    case 'hours.overtime_avg_hours': return s(v, 'hours.overtime') === 'yes';
    case 'wage.fixed_overtime_hours': case 'wage.fixed_overtime_amount': return s(v, 'wage.fixed_overtime') === 'yes';
    case 'age.max': case 'age.exception': case 'age.reason': return s(v, 'age.limit') === 'yes';
    default: return true;
  }
}

/** "8:30" / "８：３０" / "0830" → "08:30"; anything else unchanged. */
export function normTime(x: string): string {
  const t = nfkc(x).trim().replace(/[：]/g, ':');
  let m = /^(\d{1,2}):(\d{2})$/.exec(t) || /^(\d{2})(\d{2})$/.exec(t);
  if (!m) return t;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

/** The body for the API, and the client-side errors of items it left out. */
export function toBody(v: FormValues): { body: OfferBody; errors: FieldError[] } {
  const body: OfferBody = {};
  const errors: FieldError[] = [];
  for (const k of TEXTS) {
    if (!visible(v, k)) continue;
    let x = s(v, k).trim();
    if (k === 'hours.start' || k === 'hours.end') x = x ? normTime(x) : x;
    if (x) setPath(body, k, x);
  }
  for (const [k, [lo, hi]] of Object.entries(INTS)) {
    if (!visible(v, k)) continue;
    const raw = nfkc(s(v, k)).trim().replace(/[,，円人回日分時間か月歳\s]/g, '');
    if (!raw) continue;
    if (!/^\d+$/.test(raw)) { errors.push({ field: k, code: `${k}.type`, message: '半角または全角の数字で入力してください' }); continue; }
    const n = parseInt(raw, 10);
    if (n < lo || n > hi) { errors.push({ field: k, code: `${k}.out_of_range`, message: `${lo.toLocaleString('ja-JP')}〜${hi.toLocaleString('ja-JP')}の範囲で入力してください` }); continue; }
    setPath(body, k, n);
  }
  for (const k of BOOLS) {
    if (!visible(v, k)) continue;
    const x = s(v, k);
    if (x === 'yes' || x === 'no') setPath(body, k, x === 'yes');
  }
  for (const k of ARRAYS) {
    const x = v[k];
    if (Array.isArray(x) && x.length) setPath(body, k, x);
  }
  return { body, errors };
}
