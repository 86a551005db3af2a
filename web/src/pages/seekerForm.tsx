// The job-seeker profile (求職者情報と希望条件) as form values and back: the nurse's own form
// (Seeker.tsx) and the counselor's counter registration (Applications.tsx) share the fields.
// Field names are the API's (docs/API.md "Job seekers"), so each 422 error sits next to its field.
import { useEffect, useState } from 'preact/hooks';
import { loadMunicipalities, type Code, type FieldError, type Ref } from '../api';
import { toWareki, todayJst } from '../format';
import { Checker, nfkc } from '../validate';
import { CheckboxGroup, RadioGroup, SelectField, TextArea, TextField } from '../ui/Field';

export type Licence = { type: string; number: string; registered_on: string };
export const emptyLicence = (): Licence => ({ type: '', number: '', registered_on: '' });

export type Seeker = {
  user_id: number; name: string; name_kana: string; email: string; channel: string; phone: string | null;
  prefecture: string; work_status: string; contact_hours: string | null; email_consent: boolean;
  licences: Licence[];
  experience: { years?: number | null; departments?: string[]; skills?: string | null; last_facility_type?: string | null; career_break_months?: number | null };
  wishes: {
    prefectures?: string[]; municipalities?: string[]; employment_forms?: string[]; shift_patterns?: string[];
    max_night_shifts?: number | null; wage?: { type: string; min: number } | null; facility_types?: string[];
    departments?: string[]; start_date?: string | null; childcare?: boolean | null; commute_minutes?: number | null;
  };
  status: 'active' | 'paused' | 'closed'; valid_until: string; expired: boolean;
  last_activity_at: number; created_at: number; updated_at: number;
};

export const WORK_STATUS = [
  { value: 'employed', label: '就業中' },
  { value: 'not_working', label: '離職中' },
  { value: 'on_leave', label: '休職中' },
  { value: 'student', label: '学生' },
];
export const SEEKER_STATUS_LABEL: Record<string, string> = { active: '求職中', paused: '休止中', closed: '登録終了' };

export type ProfileValues = {
  work_status: string; prefecture: string; phone: string; contact_hours: string; email_consent: string;
  licences: Licence[];
  years: string; exp_departments: string[]; skills: string; last_facility_type: string; career_break_months: string;
  w_prefectures: string[]; w_municipalities: string[]; employment_forms: string[]; shift_patterns: string[];
  max_night_shifts: string; wage_type: string; wage_min: string; facility_types: string[]; departments: string[];
  start_date: string; childcare: string; commute_minutes: string;
};

export const EMPTY_PROFILE: ProfileValues = {
  work_status: '', prefecture: '', phone: '', contact_hours: '', email_consent: '',
  licences: [],
  years: '', exp_departments: [], skills: '', last_facility_type: '', career_break_months: '',
  w_prefectures: [], w_municipalities: [], employment_forms: [], shift_patterns: [],
  max_night_shifts: '', wage_type: '', wage_min: '', facility_types: [], departments: [],
  start_date: '', childcare: '', commute_minutes: '',
};

const str = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function toValues(s: Seeker): ProfileValues {
  const e = s.experience ?? {};
  const w = s.wishes ?? {};
  return {
    work_status: s.work_status ?? '', prefecture: s.prefecture ?? '', phone: s.phone ?? '',
    contact_hours: s.contact_hours ?? '', email_consent: s.email_consent === true ? 'yes' : s.email_consent === false ? 'no' : '',
    licences: (s.licences ?? []).map((l) => ({ type: l.type, number: l.number ?? '', registered_on: l.registered_on ?? '' })),
    years: str(e.years), exp_departments: e.departments ?? [], skills: e.skills ?? '',
    last_facility_type: e.last_facility_type ?? '', career_break_months: str(e.career_break_months),
    w_prefectures: w.prefectures ?? [], w_municipalities: w.municipalities ?? [],
    employment_forms: w.employment_forms ?? [], shift_patterns: w.shift_patterns ?? [],
    max_night_shifts: str(w.max_night_shifts), wage_type: w.wage?.type ?? '', wage_min: str(w.wage?.min),
    facility_types: w.facility_types ?? [], departments: w.departments ?? [], start_date: w.start_date ?? '',
    childcare: w.childcare === true ? 'yes' : w.childcare === false ? 'no' : '', commute_minutes: str(w.commute_minutes),
  };
}

/** An integer typed with full- or half-width digits and separators, or the text as typed. */
function int(v: string): number | string | undefined {
  const t = nfkc(v).replace(/[,，\s円分回年か月]/g, '');
  if (!t) return undefined;
  return /^-?\d+$/.test(t) ? parseInt(t, 10) : v;
}

/** The SeekerProfile body. Licences are sent only when the form has any. */
export function toBody(v: ProfileValues): Record<string, unknown> {
  const experience: Record<string, unknown> = {};
  const put = (o: Record<string, unknown>, k: string, x: unknown) => { if (x !== undefined && x !== '' && x !== null) o[k] = x; };
  put(experience, 'years', int(v.years));
  if (v.exp_departments.length) experience.departments = v.exp_departments;
  put(experience, 'skills', v.skills.trim());
  put(experience, 'last_facility_type', v.last_facility_type);
  put(experience, 'career_break_months', int(v.career_break_months));
  const wishes: Record<string, unknown> = {};
  if (v.w_prefectures.length) wishes.prefectures = v.w_prefectures;
  if (v.w_municipalities.length) wishes.municipalities = v.w_municipalities;
  if (v.employment_forms.length) wishes.employment_forms = v.employment_forms;
  if (v.shift_patterns.length) wishes.shift_patterns = v.shift_patterns;
  put(wishes, 'max_night_shifts', int(v.max_night_shifts));
  if (v.wage_type || v.wage_min.trim()) wishes.wage = { type: v.wage_type, min: int(v.wage_min) ?? null };
  if (v.facility_types.length) wishes.facility_types = v.facility_types;
  if (v.departments.length) wishes.departments = v.departments;
  put(wishes, 'start_date', v.start_date);
  if (v.childcare) wishes.childcare = v.childcare === 'yes';
  put(wishes, 'commute_minutes', int(v.commute_minutes));
  const body: Record<string, unknown> = {
    work_status: v.work_status,
    prefecture: v.prefecture,
    email_consent: v.email_consent === 'yes' ? true : v.email_consent === 'no' ? false : null,
    experience,
    wishes,
  };
  if (!v.work_status) delete body.work_status;
  if (!v.prefecture) delete body.prefecture;
  if (body.email_consent === null) delete body.email_consent;
  put(body, 'phone', v.phone.trim());
  put(body, 'contact_hours', v.contact_hours.trim());
  if (v.licences.length) {
    body.licences = v.licences.map((l) => ({ type: l.type, number: nfkc(l.number).trim(), registered_on: l.registered_on }));
  }
  return body;
}

/** Client checks: only what is plainly missing or not a number; ranges are the server's. */
export function checkProfile(v: ProfileValues, c: Checker = new Checker()): FieldError[] {
  c.select('work_status', v.work_status, '現在の就業状況');
  c.select('prefecture', v.prefecture, '登録するナースセンター');
  c.phone('phone', v.phone);
  if (!v.email_consent) c.add('email_consent', 'email_consent.missing', 'メールでの求人案内を受け取るかどうかを選択してください');
  const num = (field: string, value: string, label: string, required = false) => {
    const x = int(value);
    if (x === undefined) { if (required) c.add(field, `${field}.missing`, `${label}を入力してください`); return; }
    if (typeof x !== 'number') c.add(field, `${field}.type`, `${label}は数字で入力してください`);
  };
  num('experience.years', v.years, '看護職としての経験年数', true);
  num('experience.career_break_months', v.career_break_months, '離職期間（月数）');
  num('wishes.max_night_shifts', v.max_night_shifts, '月の夜勤回数の上限');
  num('wishes.commute_minutes', v.commute_minutes, '通勤時間の上限');
  if (v.wage_min.trim() && !v.wage_type) c.add('wishes.wage.type', 'wishes.wage.type.missing', '希望賃金の種類（月給・時給）を選択してください');
  if (v.wage_type) num('wishes.wage.min', v.wage_min, '希望賃金の下限', true);
  v.licences.forEach((l, i) => {
    c.select(`licences[${i}].type`, l.type, '資格');
    c.licenceNumber(`licences[${i}].number`, l.number);
    c.pastDate(`licences[${i}].registered_on`, l.registered_on, '登録年月日');
  });
  return c.errors;
}

/** API field names that have no input of their own, mapped onto the input that shows them. */
export function fieldOf(name: string): string {
  if (/^wishes\.municipalities(\[|$)/.test(name)) return 'wishes.municipalities';
  if (name === 'wishes.wage') return 'wishes.wage.min';
  if (/^experience\.departments\[/.test(name)) return 'experience.departments';
  if (/^wishes\.(prefectures|employment_forms|shift_patterns|facility_types|departments)\[/.test(name)) return name.replace(/\[.*$/, '');
  return name;
}

/** Labels for the error summary. */
export const PROFILE_LABELS: Record<string, string> = {
  work_status: '現在の就業状況', prefecture: '登録するナースセンター', phone: '電話番号', contact_hours: '連絡を希望する時間帯',
  email_consent: 'メールでの求人案内', 'experience.years': '経験年数', 'experience.departments': '経験した診療科',
  'experience.skills': '得意な分野・スキル', 'experience.last_facility_type': '直近の勤務先', 'experience.career_break_months': '離職期間',
  'wishes.prefectures': '希望する都道府県', 'wishes.municipalities': '希望する市区町村', 'wishes.employment_forms': '雇用形態',
  'wishes.shift_patterns': '勤務形態', 'wishes.max_night_shifts': '夜勤回数', 'wishes.wage.type': '希望賃金の種類',
  'wishes.wage.min': '希望賃金', 'wishes.facility_types': '施設の種類', 'wishes.departments': '希望する診療科',
  'wishes.start_date': '就業開始の希望日', 'wishes.childcare': '託児所', 'wishes.commute_minutes': '通勤時間',
};

const opts = (list: Code[] | undefined) => (list ?? []).map((c) => ({ value: c.code, label: c.name }));

type Props = {
  v: ProfileValues;
  set: (patch: Partial<ProfileValues> | ((v: ProfileValues) => ProfileValues)) => void;
  error: (name: string) => string | null;
  ref_: Ref;
  /** Counter registration: licences are required and the prefecture is fixed. */
  counter?: boolean;
  /** Shown next to the licence section when the form has none (the registration's licences stay). */
  licenceNote?: string;
};

/** Municipality names of the chosen codes, loaded per prefecture. */
function useMuniNames(codes: string[]) {
  const [names, setNames] = useState<Record<string, string>>({});
  const prefs = [...new Set(codes.map((c) => c.slice(0, 2)))].join(',');
  useEffect(() => {
    let live = true;
    for (const p of prefs ? prefs.split(',') : []) {
      loadMunicipalities(p).then((list) => {
        if (!live) return;
        setNames((n) => ({ ...n, ...Object.fromEntries(list.map((m) => [m.code, m.name])) }));
      }, () => {});
    }
    return () => { live = false; };
  }, [prefs]);
  return names;
}

export function ProfileFields({ v, set, error, ref_: ref, counter, licenceNote }: Props) {
  const today = todayJst();
  const muniNames = useMuniNames(v.w_municipalities);
  const [muniPref, setMuniPref] = useState(v.w_prefectures[0] ?? v.prefecture ?? '');
  const [muniList, setMuniList] = useState<Code[]>([]);
  const [muniPick, setMuniPick] = useState('');
  const [allPrefs, setAllPrefs] = useState(false);
  useEffect(() => {
    setMuniList([]); setMuniPick('');
    if (!muniPref) return;
    let live = true;
    loadMunicipalities(muniPref).then((l) => { if (live) setMuniList(l); }, () => {});
    return () => { live = false; };
  }, [muniPref]);
  const prefName = (code: string) => ref.prefectures.find((p) => p.code === code)?.name ?? code;

  const setLic = (i: number, patch: Partial<Licence>) =>
    set((s) => ({ ...s, licences: s.licences.map((l, j) => (j === i ? { ...l, ...patch } : l)) }));
  const addLic = () => {
    const n = v.licences.length;
    set((s) => ({ ...s, licences: [...s.licences, emptyLicence()] }));
    setTimeout(() => document.getElementById(`f-licences-${n}-type`)?.focus(), 0);
  };
  const removeLic = (i: number) => {
    set((s) => ({ ...s, licences: s.licences.filter((_, j) => j !== i) }));
    setTimeout(() => document.getElementById('add-licence')?.focus(), 0);
  };
  const addMuni = () => {
    if (!muniPick || v.w_municipalities.includes(muniPick)) return;
    set((s) => ({ ...s, w_municipalities: [...s.w_municipalities, muniPick] }));
    setMuniPick('');
  };
  const removeMuni = (code: string) => {
    set((s) => ({ ...s, w_municipalities: s.w_municipalities.filter((c) => c !== code) }));
    setTimeout(() => document.getElementById('f-muni-pick')?.focus(), 0);
  };
  const muniError = error('wishes.municipalities');

  return (
    <>
      <fieldset class="form-section">
        <legend>現在の状況と連絡先</legend>
        <RadioGroup name="work_status" label="現在の就業状況" required value={v.work_status} onValue={(x) => set({ work_status: x })}
          error={error('work_status')} options={WORK_STATUS} />
        <SelectField name="prefecture" label="登録するナースセンター（都道府県）" required value={v.prefecture}
          onValue={(x) => set({ prefecture: x })} error={error('prefecture')} options={opts(ref.prefectures)}
          disabled={counter} hint={counter ? '窓口での登録は、あなたのナースセンターの都道府県になります。' : 'この都道府県のナースセンターが、あなたの求職活動を担当します。'} />
        <TextField name="phone" label="電話番号" type="tel" value={v.phone} onValue={(x) => set({ phone: x })} error={error('phone')}
          autocomplete="tel" inputMode="tel" maxLength={20} hint="例：090-1234-5678" />
        <TextField name="contact_hours" label="連絡を希望する時間帯" value={v.contact_hours} onValue={(x) => set({ contact_hours: x })}
          error={error('contact_hours')} maxLength={100} hint="例：平日 10時〜16時" />
        <RadioGroup name="email_consent" label="メールでの求人案内" required value={v.email_consent} onValue={(x) => set({ email_consent: x })}
          error={error('email_consent')} hint="希望条件に合う新しい求人を、メールでお知らせします。"
          options={[{ value: 'yes', label: '受け取る' }, { value: 'no', label: '受け取らない' }]} />
      </fieldset>

      <fieldset class="form-section">
        <legend>免許（資格）</legend>
        <p class="field-hint">{counter ? 'お持ちの免許をすべて登録してください（1〜4件）。' : 'お持ちの免許をすべて登録してください（4つまで）。'}</p>
        {!v.licences.length && licenceNote && <p class="field-hint">{licenceNote}</p>}
        {error('licences') && <p class="field-error" id="f-licences" tabIndex={-1}>{error('licences')}</p>}
        {v.licences.map((l, i) => (
          <div class="licence" key={i} role="group" aria-labelledby={`lic-h-${i}`}>
            <h3 class="licence-title" id={`lic-h-${i}`}>免許 {i + 1}</h3>
            <SelectField name={`licences[${i}].type`} label="資格" value={l.type} onValue={(x) => setLic(i, { type: x })}
              error={error(`licences[${i}].type`)} required options={opts(ref.licence_types)} />
            <TextField name={`licences[${i}].number`} label="登録番号（籍番号）" value={l.number} onValue={(x) => setLic(i, { number: x })}
              error={error(`licences[${i}].number`)} required inputMode="numeric" maxLength={10} hint="数字のみ、10桁以内" autocomplete="off" />
            <TextField name={`licences[${i}].registered_on`} label="登録年月日" type="date" value={l.registered_on}
              onValue={(x) => setLic(i, { registered_on: x })} error={error(`licences[${i}].registered_on`)} required
              max={today} min="1900-01-01"
              hint={l.registered_on && toWareki(l.registered_on) ? `和暦：${toWareki(l.registered_on)}` : '例：2015-04-01'} />
            {(v.licences.length > 1 || !counter) && (
              <button type="button" class="btn btn-link" onClick={() => removeLic(i)}>免許 {i + 1} を削除する</button>
            )}
          </div>
        ))}
        {v.licences.length < 4 && (
          <button type="button" id="add-licence" class="btn btn-secondary" onClick={addLic}>免許を追加する</button>
        )}
      </fieldset>

      <fieldset class="form-section">
        <legend>経験</legend>
        <TextField name="experience.years" label="看護職としての経験年数" required value={v.years} onValue={(x) => set({ years: x })}
          error={error('experience.years')} inputMode="numeric" maxLength={3} class="field-num" hint="年数を数字で（例：8）。経験がない場合は 0" />
        <CheckboxGroup name="experience.departments" label="経験した診療科・部署" value={v.exp_departments}
          onValue={(x) => set({ exp_departments: x })} error={error('experience.departments')} options={opts(ref.departments)} />
        <TextArea name="experience.skills" label="得意な分野・スキル" value={v.skills} onValue={(x) => set({ skills: x })}
          error={error('experience.skills')} maxLength={1000} rows={3} hint="例：手術室での器械出し、急変対応（1000文字以内）" />
        <SelectField name="experience.last_facility_type" label="直近の勤務先の種類" value={v.last_facility_type}
          onValue={(x) => set({ last_facility_type: x })} error={error('experience.last_facility_type')} options={opts(ref.facility_types)}
          placeholder="選択しない" />
        <TextField name="experience.career_break_months" label="離職期間（月数）" value={v.career_break_months}
          onValue={(x) => set({ career_break_months: x })} error={error('experience.career_break_months')} inputMode="numeric" maxLength={3}
          class="field-num" hint="看護職から離れている期間。例：18（1年6か月）" />
      </fieldset>

      <fieldset class="form-section">
        <legend>希望条件</legend>
        <p class="field-hint">指定しない項目は「こだわらない」として扱います。希望条件に合う求人を「おすすめ求人」でお知らせします。</p>
        <CheckboxGroup name="wishes.prefectures" label="希望する勤務地（都道府県）" value={v.w_prefectures}
          onValue={(x) => set({ w_prefectures: x })} error={error('wishes.prefectures')}
          options={opts(ref.prefectures).filter((o) => allPrefs || o.value === v.prefecture || v.w_prefectures.includes(o.value) || isNeighbour(v.prefecture, o.value))}
          hint={allPrefs ? undefined : '登録するナースセンターの都道府県と、その近隣を表示しています。'} />
        {!allPrefs && (
          <p class="after-checks"><button type="button" class="btn btn-link" onClick={() => setAllPrefs(true)}>すべての都道府県から選ぶ</button></p>
        )}
        <fieldset class={`field fieldset${muniError ? ' has-error' : ''}`} id="f-wishes-municipalities" tabIndex={-1}
          aria-describedby={muniError ? 'f-wishes-municipalities-error' : 'f-wishes-municipalities-hint'}>
          <legend class="field-label">希望する市区町村<span class="opt">任意</span></legend>
          <p class="field-hint" id="f-wishes-municipalities-hint">50件まで選べます。</p>
          {muniError && <p class="field-error" id="f-wishes-municipalities-error"><span aria-hidden="true">⚠ </span><span class="visually-hidden">エラー：</span>{muniError}</p>}
          {v.w_municipalities.length > 0 && (
            <ul class="munis" aria-label="選んだ市区町村">
              {v.w_municipalities.map((c) => (
                <li key={c}>
                  <button type="button" class="chip" onClick={() => removeMuni(c)} aria-label={`${prefName(c.slice(0, 2))}${muniNames[c] ?? c}を外す`}>
                    <span>{prefName(c.slice(0, 2))}{muniNames[c] ?? c}</span><span class="chip-x" aria-hidden="true">×</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div class="muni-add">
            <div class="field">
              <label class="field-label" for="f-muni-pref">都道府県</label>
              <select id="f-muni-pref" value={muniPref} onChange={(e) => setMuniPref((e.currentTarget as HTMLSelectElement).value)}>
                <option value="">選択してください</option>
                {ref.prefectures.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
              </select>
            </div>
            <div class="field">
              <label class="field-label" for="f-muni-pick">市区町村</label>
              <select id="f-muni-pick" value={muniPick} disabled={!muniList.length}
                onChange={(e) => setMuniPick((e.currentTarget as HTMLSelectElement).value)}>
                <option value="">{muniPref ? (muniList.length ? '選択してください' : '読み込み中です') : '先に都道府県を選んでください'}</option>
                {muniList.filter((m) => !v.w_municipalities.includes(m.code)).map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
              </select>
            </div>
            <button type="button" class="btn btn-secondary" onClick={addMuni} disabled={!muniPick || v.w_municipalities.length >= 50}>追加する</button>
          </div>
        </fieldset>
        <CheckboxGroup name="wishes.employment_forms" label="雇用形態" value={v.employment_forms}
          onValue={(x) => set({ employment_forms: x })} error={error('wishes.employment_forms')} options={opts(ref.employment_forms)} />
        <CheckboxGroup name="wishes.shift_patterns" label="勤務形態" value={v.shift_patterns}
          onValue={(x) => set({ shift_patterns: x })} error={error('wishes.shift_patterns')} options={opts(ref.shift_patterns)} />
        <TextField name="wishes.max_night_shifts" label="月の夜勤回数の上限" value={v.max_night_shifts}
          onValue={(x) => set({ max_night_shifts: x })} error={error('wishes.max_night_shifts')} inputMode="numeric" maxLength={2}
          class="field-num" hint="回数を数字で（0〜31）。夜勤を希望しない場合は 0" />
        <RadioGroup name="wishes.wage.type" label="希望賃金の種類" value={v.wage_type} onValue={(x) => set({ wage_type: x })}
          error={error('wishes.wage.type')} options={[{ value: 'monthly', label: '月給' }, { value: 'hourly', label: '時給' }]} />
        <TextField name="wishes.wage.min" label={v.wage_type === 'hourly' ? '希望する時給の下限（円）' : '希望する月給の下限（円）'}
          value={v.wage_min} onValue={(x) => set({ wage_min: x })} error={error('wishes.wage.min')} inputMode="numeric" maxLength={9}
          class="field-num" hint={v.wage_type === 'hourly' ? '例：1800' : '例：250000'} />
        <CheckboxGroup name="wishes.facility_types" label="施設の種類" value={v.facility_types}
          onValue={(x) => set({ facility_types: x })} error={error('wishes.facility_types')} options={opts(ref.facility_types)} />
        <CheckboxGroup name="wishes.departments" label="希望する診療科・部署" value={v.departments}
          onValue={(x) => set({ departments: x })} error={error('wishes.departments')} options={opts(ref.departments)} />
        <TextField name="wishes.start_date" label="就業開始の希望日" type="date" value={v.start_date} onValue={(x) => set({ start_date: x })}
          error={error('wishes.start_date')} min={today} hint="いつから働けるか。未定の場合は空欄のまま" />
        <RadioGroup name="wishes.childcare" label="院内保育所・託児所" value={v.childcare} onValue={(x) => set({ childcare: x })}
          error={error('wishes.childcare')}
          options={[{ value: 'yes', label: '必要' }, { value: 'no', label: '不要' }, { value: '', label: 'こだわらない' }]} />
        <TextField name="wishes.commute_minutes" label="通勤時間の上限（分）" value={v.commute_minutes}
          onValue={(x) => set({ commute_minutes: x })} error={error('wishes.commute_minutes')} inputMode="numeric" maxLength={3}
          class="field-num" hint="片道の分数を数字で（例：45）" />
      </fieldset>
    </>
  );
}

// Neighbouring prefectures (by land or a main bridge/ferry), so the list of 47 stays short.
const NEIGHBOURS: Record<string, string[]> = {
  '01': ['02'], '02': ['01', '03', '05'], '03': ['02', '04', '05'], '04': ['03', '05', '06', '07'], '05': ['02', '03', '04', '06'],
  '06': ['04', '05', '07', '15'], '07': ['04', '06', '08', '09', '10', '15'], '08': ['07', '09', '11', '12'],
  '09': ['07', '08', '10', '11'], '10': ['07', '09', '11', '15', '20'], '11': ['08', '09', '10', '12', '13', '19', '20'],
  '12': ['08', '11', '13'], '13': ['11', '12', '14', '19'], '14': ['13', '19', '22'], '15': ['06', '07', '10', '16', '20'],
  '16': ['15', '17', '20', '21'], '17': ['16', '18', '21'], '18': ['17', '21', '25', '26'], '19': ['11', '13', '14', '20', '22'],
  '20': ['10', '11', '15', '16', '19', '21', '22', '23'], '21': ['16', '17', '18', '20', '23', '24', '25'],
  '22': ['14', '19', '20', '23'], '23': ['20', '21', '22', '24'], '24': ['21', '23', '25', '26', '29', '30'],
  '25': ['18', '21', '24', '26'], '26': ['18', '24', '25', '27', '28', '29'], '27': ['26', '28', '29', '30'],
  '28': ['26', '27', '31', '33', '36'], '29': ['24', '26', '27', '30'], '30': ['24', '27', '29'], '31': ['28', '32', '33', '34'],
  '32': ['31', '34', '35'], '33': ['28', '31', '34', '37'], '34': ['31', '32', '33', '35', '38'], '35': ['32', '34', '40'],
  '36': ['28', '37', '38', '39'], '37': ['33', '36', '38'], '38': ['34', '36', '37', '39'], '39': ['36', '38'],
  '40': ['35', '41', '43', '44'], '41': ['40', '42'], '42': ['41'], '43': ['40', '44', '45', '46'], '44': ['40', '43', '45'],
  '45': ['43', '44', '46'], '46': ['43', '45', '47'], '47': ['46'],
};
function isNeighbour(home: string, code: string) {
  if (!home) return true;
  return (NEIGHBOURS[home] ?? []).includes(code);
}
