// The notification (届出) form and views shared by every screen that files or shows one: the
// nurse's /notify and 変更届, the facility's 施設代行届出, the center's paper entry and detail
// (docs/API.md "Notifications"). Field names are the API's (holder.name, licences[0].number …),
// so every 422 error sits next to its field.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, loadRef, type Code, type FieldError, type Ref } from '../api';
import { useDraft } from '../draft';
import { formatDate, formatDateTime, toWareki, todayJst } from '../format';
import { Checker, nfkc, PASSWORD_MIN } from '../validate';
import { ErrorSummary, PasswordField, RadioGroup, SelectField, TextField } from '../ui/Field';
import { Button } from '../ui/Button';
import { useForm } from '../ui/form';
import { EmptyState, toast } from '../ui/Feedback';
import { Link } from '../router';
import { errText, put } from './placementParts';
import './notify.css';

// ---- Types (docs/API.md) -------------------------------------------------------------------

export type Licence = { type: string; number: string; registered_on: string };
export type Holder = {
  name: string; name_kana: string; birth_date: string; postal_code: string;
  address_prefecture: string; address: string; phone?: string | null; email?: string | null;
};
export type NotificationBody = {
  reason: string; event_date: string; last_workplace?: string | null; last_workplace_name?: string | null;
  work_status: string; holder: Holder; licences: Licence[]; center_prefecture?: string | null;
  /** The body's opt-in; a filed Notification answers a boolean. */
  seeker_opt_in?: { experience_years: number } | boolean | null;
};
export type NVersion = { version: number; changed_at: number; changed_by_kind: string; body: NotificationBody };
export type Notification = NotificationBody & {
  id: number; status: string; status_label?: string; channel: string; channel_label?: string;
  prefecture: string; center_name?: string | null; person_id: number | null;
  facility?: { id: number; name: string } | null; upload_id?: number | null; version: number;
  filed_at: number; confirmed_at?: number | null; confirmed_how?: string | null;
  reason_label?: string; last_workplace_label?: string | null; work_status_label?: string;
  versions?: NVersion[];
};
export type NotificationSummary = {
  id: number; status: string; status_label?: string; channel: string; channel_label?: string; prefecture: string;
  person_id: number | null; name: string; name_kana: string; reason: string; reason_label?: string;
  event_date: string; filed_at: number; confirmed_at?: number | null; version: number; duplicates?: number;
};
export type Paged<T> = { total: number; page: number; per_page: number; items: T[] };

export type NRef = Ref & {
  notification_reasons?: Code[]; last_workplaces?: Code[]; notification_work_statuses?: Code[];
  notification_channels?: Code[]; notification_statuses?: Code[]; consultation_channels?: Code[];
  consultation_categories?: Code[]; outreach_places?: Code[]; task_kinds?: Code[]; task_outcomes?: Code[];
  consent_methods?: Code[];
};

/** /api/v1/ref with the notification and casework lists. */
export function useNRef() {
  const [ref, setRef] = useState<NRef | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => { setError(null); loadRef().then((r) => setRef(r as NRef), (e) => setError(errText(e))); };
  useEffect(load, []);
  return { ref, error, load };
}

export const codeName = (list: Code[] | undefined, code: string | null | undefined) =>
  (code ? list?.find((c) => c.code === code)?.name ?? code : '');
export const opts = (list: Code[] | undefined) => (list ?? []).map((c) => ({ value: c.code, label: c.name }));

export const NOT_PRACTISING = 'not_practising_after_licensing';
export const CONFIRMED_HOW: Record<string, string> = {
  link: 'ご本人がメールのリンクで確認', paper: '書面で確認（ナースセンター）', self: 'ご本人がログインして届出',
};
export const CHANGED_BY: Record<string, string> = { nurse: 'ご本人', staff: 'ナースセンター', facility: '施設（代行）' };

export function NStatusBadge({ status, label }: { status: string; label?: string | null }) {
  const kind = status === 'active' ? 'good' : 'wait';
  return <span class={`badge app-state app-state-${kind}`}>{label || (status === 'active' ? '受付済' : '本人確認待ち')}</span>;
}

/** "123-4567" from 7 digits typed any way. */
export function formatPostal(p: string | null | undefined): string {
  const d = nfkc(p ?? '').replace(/\D/g, '');
  return d.length === 7 ? `${d.slice(0, 3)}-${d.slice(3)}` : (p ?? '');
}

// ---- Form values ---------------------------------------------------------------------------

/**
 * public: a nurse without login (password, e-mail required, opt-in); nurse: a signed-in nurse
 * (opt-in); facility: 施設代行届出 (no opt-in); center: a paper form at the counter (opt-in, the
 * caller's center); change: 変更届 (only the NotificationBody items that may change).
 */
export type NotifyMode = 'public' | 'nurse' | 'facility' | 'center' | 'change';

export type NotifyValues = {
  reason: string; event_date: string; last_workplace: string; last_workplace_name: string; work_status: string;
  name: string; name_kana: string; birth_date: string; postal_code: string; address_prefecture: string;
  address: string; phone: string; email: string;
  licences: Licence[]; center_prefecture: string; opt_in: boolean; experience_years: string; password: string;
};

export const emptyLicence = (): Licence => ({ type: '', number: '', registered_on: '' });
export const EMPTY_NOTIFY: NotifyValues = {
  reason: '', event_date: '', last_workplace: '', last_workplace_name: '', work_status: '',
  name: '', name_kana: '', birth_date: '', postal_code: '', address_prefecture: '', address: '', phone: '', email: '',
  licences: [emptyLicence()], center_prefecture: '', opt_in: false, experience_years: '', password: '',
};

/** Form values from a notification's current content (for a 変更届). */
export function toNotifyValues(n: NotificationBody): NotifyValues {
  const h = n.holder ?? ({} as Holder);
  return {
    ...EMPTY_NOTIFY,
    reason: n.reason ?? '', event_date: n.event_date ?? '', last_workplace: n.last_workplace ?? '',
    last_workplace_name: n.last_workplace_name ?? '', work_status: n.work_status ?? '',
    name: h.name ?? '', name_kana: h.name_kana ?? '', birth_date: h.birth_date ?? '', postal_code: h.postal_code ?? '',
    address_prefecture: h.address_prefecture ?? '', address: h.address ?? '', phone: h.phone ?? '', email: h.email ?? '',
    licences: (n.licences ?? []).length ? n.licences.map((l) => ({ type: l.type, number: l.number ?? '', registered_on: l.registered_on ?? '' })) : [emptyLicence()],
    center_prefecture: n.center_prefecture ?? '',
  };
}

const hasPassword = (m: NotifyMode) => m === 'public';
const hasOptIn = (m: NotifyMode) => m === 'public' || m === 'nurse' || m === 'center';
const hasCenter = (m: NotifyMode) => m === 'public' || m === 'nurse' || m === 'facility';

/** The NotificationBody (plus `password` for a filing without login). Empty optional items are left out. */
export function toNotifyBody(v: NotifyValues, mode: NotifyMode): Record<string, unknown> {
  const t = (s: string) => s.trim();
  const holder: Record<string, unknown> = {};
  const put = (o: Record<string, unknown>, k: string, x: string) => { if (x) o[k] = x; };
  put(holder, 'name', t(v.name));
  put(holder, 'name_kana', t(v.name_kana));
  put(holder, 'birth_date', v.birth_date);
  put(holder, 'postal_code', t(v.postal_code));
  put(holder, 'address_prefecture', v.address_prefecture);
  put(holder, 'address', t(v.address));
  put(holder, 'phone', t(v.phone));
  put(holder, 'email', t(v.email));
  const body: Record<string, unknown> = {};
  put(body, 'reason', v.reason);
  put(body, 'event_date', v.event_date);
  if (v.reason !== NOT_PRACTISING) {
    put(body, 'last_workplace', v.last_workplace);
    put(body, 'last_workplace_name', t(v.last_workplace_name));
  }
  put(body, 'work_status', v.work_status);
  body.holder = holder;
  body.licences = v.licences.map((l) => ({ type: l.type, number: nfkc(l.number).trim(), registered_on: l.registered_on }));
  if (hasCenter(mode) && v.center_prefecture) body.center_prefecture = v.center_prefecture;
  if (hasOptIn(mode) && v.opt_in) {
    const y = nfkc(v.experience_years).replace(/[年\s]/g, '');
    body.seeker_opt_in = { experience_years: /^\d+$/.test(y) ? parseInt(y, 10) : v.experience_years };
  }
  if (hasPassword(mode)) body.password = v.password;
  return body;
}

/** Client checks mirroring the server's (the server stays the authority). */
export function checkNotify(v: NotifyValues, mode: NotifyMode): FieldError[] {
  const c = new Checker();
  c.select('reason', v.reason, '届出の事由');
  if (v.event_date && v.event_date < '1950-01-01') c.add('event_date', 'event_date.out_of_range', '事由が生じた日は1950年以降の日付を入力してください');
  else c.pastDate('event_date', v.event_date, '事由が生じた日');
  if (v.reason !== NOT_PRACTISING) c.select('last_workplace', v.last_workplace, '離職前の就業場所');
  c.select('work_status', v.work_status, '現在の就業状況');
  c.required('holder.name', v.name, '氏名');
  c.kana('holder.name_kana', v.name_kana);
  c.pastDate('holder.birth_date', v.birth_date, '生年月日');
  if (c.required('holder.postal_code', v.postal_code, '郵便番号') && !/^\d{7}$/.test(nfkc(v.postal_code).replace(/[-‐−ー\s]/g, ''))) {
    c.add('holder.postal_code', 'holder.postal_code.invalid', '郵便番号は7桁の数字で入力してください（例：160-0023）');
  }
  c.select('holder.address_prefecture', v.address_prefecture, '住所の都道府県');
  c.required('holder.address', v.address, '住所');
  c.phone('holder.phone', v.phone);
  if (mode === 'public') c.email('holder.email', v.email);
  else if (v.email.trim()) c.email('holder.email', v.email);
  if (!v.phone.trim() && !v.email.trim()) c.add('holder.phone', 'holder.phone.missing', '電話番号とメールアドレスの少なくともどちらかを入力してください');
  if (!v.licences.length) c.add('licences', 'licences.missing', '免許を1件以上入力してください');
  v.licences.forEach((l, i) => {
    c.select(`licences[${i}].type`, l.type, '資格');
    c.licenceNumber(`licences[${i}].number`, l.number);
    c.pastDate(`licences[${i}].registered_on`, l.registered_on, '登録年月日');
  });
  const types = v.licences.map((l) => l.type).filter(Boolean);
  v.licences.forEach((l, i) => {
    if (l.type && types.indexOf(l.type) !== i) c.add(`licences[${i}].type`, 'licences.type.duplicate', '同じ資格が重複しています');
  });
  if (hasOptIn(mode) && v.opt_in) {
    const y = nfkc(v.experience_years).replace(/[年\s]/g, '');
    if (!y) c.add('seeker_opt_in.experience_years', 'seeker_opt_in.experience_years.missing', '看護職としての経験年数を入力してください');
    else if (!/^\d+$/.test(y) || +y > 70) c.add('seeker_opt_in.experience_years', 'seeker_opt_in.experience_years.invalid', '経験年数は0〜70の数字で入力してください');
  }
  if (hasPassword(mode)) c.password('password', v.password);
  return c.errors;
}

/** API field names without an input of their own, mapped onto the input that shows them. */
export function notifyFieldOf(name: string): string {
  if (name === 'holder') return 'holder.name';
  if (/^licences\[\d+\]$/.test(name)) return `${name}.type`;
  if (name === 'seeker_opt_in') return 'seeker_opt_in';
  return name;
}
export const mapNotifyFields = (fields: FieldError[]) => fields.map((f) => ({ ...f, field: notifyFieldOf(f.field) }));

/** Labels for the error summary. */
export function notifyLabels(v: NotifyValues): Record<string, string> {
  const l: Record<string, string> = {
    reason: '届出の事由', event_date: '事由が生じた日', last_workplace: '離職前の就業場所', last_workplace_name: '就業場所の名称',
    work_status: '現在の就業状況', 'holder.name': '氏名', 'holder.name_kana': 'フリガナ', 'holder.birth_date': '生年月日',
    'holder.postal_code': '郵便番号', 'holder.address_prefecture': '住所の都道府県', 'holder.address': '住所',
    'holder.phone': '電話番号', 'holder.email': 'メールアドレス', licences: '免許', center_prefecture: '届出先のナースセンター',
    seeker_opt_in: '求職者としての登録', 'seeker_opt_in.experience_years': '経験年数', password: 'パスワード',
  };
  v.licences.forEach((_, i) => {
    l[`licences[${i}].type`] = `免許${i + 1}の資格`;
    l[`licences[${i}].number`] = `免許${i + 1}の登録番号`;
    l[`licences[${i}].registered_on`] = `免許${i + 1}の登録年月日`;
  });
  return l;
}

// ---- The form fields -------------------------------------------------------------------------

type FieldsProps = {
  v: NotifyValues;
  set: (patch: Partial<NotifyValues> | ((v: NotifyValues) => NotifyValues)) => void;
  error: (name: string) => string | null;
  ref_: NRef;
  mode: NotifyMode;
  /** The caller's center (paper entry): shown instead of the center choice. */
  centerName?: string;
};

export function NotificationFields({ v, set, error, ref_: ref, mode, centerName }: FieldsProps) {
  const today = todayJst();
  const proxy = mode === 'facility';
  const who = proxy ? '職員' : mode === 'center' ? '届出者' : 'あなた';
  const prefName = (code: string) => codeName(ref.prefectures, code);
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
  const reasonHint = v.reason === 'left_job' ? '退職した日（退職日）を入力してください。'
    : v.reason === 'stopped_practising' ? '看護職としての業務に従事しなくなった日を入力してください。'
      : v.reason === NOT_PRACTISING ? '免許を取得した日（または業務に従事しないと決めた日）を入力してください。' : '届出の事由が生じた日を入力してください。';
  const optErr = error('seeker_opt_in');

  return (
    <>
      <fieldset class="form-section">
        <legend>届出の内容</legend>
        <RadioGroup name="reason" label="届出の事由" required value={v.reason} onValue={(x) => set({ reason: x })}
          error={error('reason')} options={opts(ref.notification_reasons)} />
        <TextField name="event_date" label="事由が生じた日" type="date" required value={v.event_date}
          onValue={(x) => set({ event_date: x })} error={error('event_date')} min="1950-01-01" max={today}
          hint={reasonHint} />
        {v.reason !== NOT_PRACTISING && (
          <>
            <SelectField name="last_workplace" label="離職前の就業場所" required value={v.last_workplace}
              onValue={(x) => set({ last_workplace: x })} error={error('last_workplace')} options={opts(ref.last_workplaces)} />
            <TextField name="last_workplace_name" label="就業場所の名称" value={v.last_workplace_name}
              onValue={(x) => set({ last_workplace_name: x })} error={error('last_workplace_name')} maxLength={100}
              hint="例：○○病院（100文字以内）" autocomplete="off" />
          </>
        )}
        <RadioGroup name="work_status" label="現在の就業状況" required value={v.work_status} onValue={(x) => set({ work_status: x })}
          error={error('work_status')} options={opts(ref.notification_work_statuses)} />
      </fieldset>

      <fieldset class="form-section">
        <legend>{proxy ? '届出の対象となる職員（退職した方）' : mode === 'center' ? '届出者（看護職の方）' : 'あなたの情報'}</legend>
        <TextField name="holder.name" label="氏名" required value={v.name} onValue={(x) => set({ name: x })}
          error={error('holder.name')} maxLength={50} autocomplete={proxy || mode === 'center' ? 'off' : 'name'}
          hint="例：看護 花子（姓と名の間にスペース）" />
        <TextField name="holder.name_kana" label="フリガナ" required value={v.name_kana} onValue={(x) => set({ name_kana: x })}
          error={error('holder.name_kana')} maxLength={50} autocomplete="off" hint="カタカナで入力してください。例：カンゴ ハナコ" />
        <TextField name="holder.birth_date" label="生年月日" type="date" required value={v.birth_date}
          onValue={(x) => set({ birth_date: x })} error={error('holder.birth_date')} min="1920-01-01" max={today}
          autocomplete={proxy || mode === 'center' ? 'off' : 'bday'}
          hint={v.birth_date && toWareki(v.birth_date) ? `和暦：${toWareki(v.birth_date)}` : '例：1990-05-01'} />
        <TextField name="holder.postal_code" label="郵便番号" required value={v.postal_code} onValue={(x) => set({ postal_code: x })}
          error={error('holder.postal_code')} inputMode="numeric" maxLength={8} class="field-num"
          autocomplete={proxy || mode === 'center' ? 'off' : 'postal-code'} hint="7桁の数字（例：160-0023）" />
        <SelectField name="holder.address_prefecture" label="住所（都道府県）" required value={v.address_prefecture}
          onValue={(x) => set({ address_prefecture: x })} error={error('holder.address_prefecture')} options={opts(ref.prefectures)}
          autocomplete={proxy || mode === 'center' ? 'off' : 'address-level1'} />
        <TextField name="holder.address" label="住所（市区町村以降）" required value={v.address} onValue={(x) => set({ address: x })}
          error={error('holder.address')} maxLength={200} autocomplete={proxy || mode === 'center' ? 'off' : 'address-line1'}
          hint="例：新宿区西新宿1-1-1 ○○マンション101" />
        <TextField name="holder.phone" label="電話番号" type="tel" value={v.phone} onValue={(x) => set({ phone: x })}
          error={error('holder.phone')} inputMode="tel" maxLength={20} autocomplete={proxy || mode === 'center' ? 'off' : 'tel'}
          hint={mode === 'public' ? '例：090-1234-5678' : '例：090-1234-5678（電話番号とメールアドレスの少なくともどちらかが必要です）'} />
        <TextField name="holder.email" label="メールアドレス" type="email" required={mode === 'public'} value={v.email}
          onValue={(x) => set({ email: x })} error={error('holder.email')} inputMode="email" spellcheck={false} autocapitalize="off"
          autocomplete={proxy || mode === 'center' ? 'off' : 'email'}
          hint={mode === 'public' ? '届出の内容を確認するためのメールをお送りします。'
            : proxy ? `入力すると、${who}ご本人に届出の内容を確認するメールが届きます。ご本人が確認すると届出が受け付けられます。`
              : undefined} />
      </fieldset>

      <fieldset class="form-section">
        <legend>免許（資格）</legend>
        <p class="field-hint">お持ちの免許をすべて入力してください（1〜4件）。登録番号と登録年月日は免許証に記載されています。</p>
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
            {v.licences.length > 1 && (
              <button type="button" class="btn btn-link" onClick={() => removeLic(i)}>免許 {i + 1} を削除する</button>
            )}
          </div>
        ))}
        {v.licences.length < 4 && (
          <button type="button" id="add-licence" class="btn btn-secondary" onClick={addLic}>免許を追加する</button>
        )}
      </fieldset>

      {hasCenter(mode) && (
        <fieldset class="form-section">
          <legend>届出先</legend>
          <SelectField name="center_prefecture" label="届出先のナースセンター" value={v.center_prefecture}
            onValue={(x) => set({ center_prefecture: x })} error={error('center_prefecture')}
            placeholder={v.address_prefecture ? `住所と同じ都道府県（${prefName(v.address_prefecture)}）` : '住所と同じ都道府県'}
            options={(ref.prefectures ?? []).map((p) => ({ value: p.code, label: `${p.name}ナースセンター` }))}
            hint="通常は住所のある都道府県のナースセンターが担当します。働きたい地域が別の場合などは選んでください。" />
        </fieldset>
      )}
      {mode === 'center' && centerName && (
        <p class="notice notice-info">この届出は{centerName}が窓口で受け付けたもの（書面）として記録され、すぐに受付済になります。</p>
      )}

      {hasOptIn(mode) && (
        <fieldset class={`form-section nt-optin${optErr ? ' has-error' : ''}`} id="f-seeker_opt_in" tabIndex={-1}>
          <legend>求職者としての登録（任意）</legend>
          {optErr && <p class="field-error"><span aria-hidden="true">⚠ </span><span class="visually-hidden">エラー：</span>{optErr}</p>}
          <label class="checkbox" for="f-opt-in">
            <input type="checkbox" id="f-opt-in" checked={v.opt_in}
              onChange={(e) => set({ opt_in: (e.currentTarget as HTMLInputElement).checked })} aria-describedby="f-opt-in-hint" />
            <span>求職者としても登録する（届出連携）</span>
          </label>
          <p class="field-hint" id="f-opt-in-hint">
            {mode === 'center'
              ? '届出用紙で求職者登録の希望に印がある場合に選んでください。'
              : '届出の内容を使って、ナースセンターの求職者として登録します。求人の紹介や就業の相談を受けられます（入力し直す必要はありません）。'}
          </p>
          {v.opt_in && (
            <TextField name="seeker_opt_in.experience_years" label="看護職としての経験年数" required value={v.experience_years}
              onValue={(x) => set({ experience_years: x })} error={error('seeker_opt_in.experience_years')}
              inputMode="numeric" maxLength={2} class="field-num" hint="年数を数字で（例：8）。経験がない場合は 0" />
          )}
        </fieldset>
      )}

      {hasPassword(mode) && (
        <fieldset class="form-section">
          <legend>ログインのためのパスワード</legend>
          <p class="field-hint">届出の状況の確認や変更届に使います。このメールアドレスで登録済みの方は、登録済みのパスワードのままでログインできます。</p>
          <PasswordField name="password" label="パスワード" value={v.password} onValue={(x) => set({ password: x })}
            error={error('password')} required autocomplete="new-password" hint={`${PASSWORD_MIN}文字以上で入力してください。`} />
        </fieldset>
      )}
    </>
  );
}

// ---- Views ------------------------------------------------------------------------------------

const licenceText = (l: Licence, ref: NRef | null) =>
  `${codeName(ref?.licence_types, l.type)}　登録番号 ${l.number || '—'}　登録年月日 ${formatDate(l.registered_on)}`;

/** The content of a notification (its current version). */
export function NotificationContent({ n, codes: ref }: { n: NotificationBody & Partial<Notification>; codes: NRef | null }) {
  const h = n.holder ?? ({} as Holder);
  const lastWp = n.last_workplace_label || codeName(ref?.last_workplaces, n.last_workplace);
  return (
    <dl class="dl">
      <dt>届出の事由</dt><dd>{n.reason_label || codeName(ref?.notification_reasons, n.reason)}</dd>
      <dt>事由が生じた日</dt><dd>{formatDate(n.event_date)}</dd>
      {n.reason !== NOT_PRACTISING && (
        <><dt>離職前の就業場所</dt><dd>{lastWp || '—'}{n.last_workplace_name ? `（${n.last_workplace_name}）` : ''}</dd></>
      )}
      <dt>現在の就業状況</dt><dd>{n.work_status_label || codeName(ref?.notification_work_statuses, n.work_status)}</dd>
      <dt>氏名</dt><dd>{h.name}{h.name_kana ? `（${h.name_kana}）` : ''}</dd>
      <dt>生年月日</dt><dd>{formatDate(h.birth_date)}</dd>
      <dt>住所</dt><dd>〒{formatPostal(h.postal_code)}<br />{codeName(ref?.prefectures, h.address_prefecture)}{h.address}</dd>
      <dt>電話番号</dt><dd>{h.phone || '—'}</dd>
      <dt>メールアドレス</dt><dd>{h.email && !h.email.endsWith('.invalid') ? h.email : '—'}</dd>
      <dt>免許</dt>
      <dd>
        <ul class="plain-list">{(n.licences ?? []).map((l, i) => <li key={i}>{licenceText(l, ref)}</li>)}</ul>
      </dd>
      <dt>届出先</dt>
      <dd>{n.center_name || (n.center_prefecture ? `${codeName(ref?.prefectures, n.center_prefecture)}ナースセンター`
        : n.prefecture ? `${codeName(ref?.prefectures, n.prefecture)}ナースセンター` : '住所の都道府県のナースセンター')}</dd>
      {n.seeker_opt_in && (
        <><dt>求職者としての登録</dt>
          <dd>希望する{typeof n.seeker_opt_in === 'object' && n.seeker_opt_in.experience_years !== undefined ? `（経験年数 ${n.seeker_opt_in.experience_years}年）` : ''}</dd></>
      )}
    </dl>
  );
}

/** Status, channel and dates of a filed notification. */
export function NotificationMeta({ n }: { n: Notification }) {
  return (
    <dl class="dl">
      <dt>受付番号</dt><dd>{n.id}</dd>
      <dt>届出の方法</dt><dd>{n.channel_label || n.channel}{n.facility ? `（${n.facility.name}）` : ''}</dd>
      <dt>届出日時</dt><dd>{formatDateTime(n.filed_at)}</dd>
      <dt>確認</dt>
      <dd>{n.confirmed_at ? `${formatDateTime(n.confirmed_at)}　${n.confirmed_how ? CONFIRMED_HOW[n.confirmed_how] ?? n.confirmed_how : ''}` : 'まだ確認されていません'}</dd>
      <dt>版</dt><dd>第{n.version}版{n.version > 1 ? `（変更届 ${n.version - 1}回）` : ''}</dd>
    </dl>
  );
}

// ---- Versions -----------------------------------------------------------------------------------

type DiffRow = { label: string; from: string; to: string };

function get(b: NotificationBody, path: string): unknown {
  if (path.startsWith('holder.')) return (b.holder as any)?.[path.slice(7)];
  return (b as any)[path];
}

/** Which items changed between two versions' bodies, with both values as text. */
export function diffBodies(a: NotificationBody, b: NotificationBody, ref: NRef | null): DiffRow[] {
  const items: [string, string, (x: unknown) => string][] = [
    ['reason', '届出の事由', (x) => codeName(ref?.notification_reasons, x as string)],
    ['event_date', '事由が生じた日', (x) => formatDate(x as string)],
    ['last_workplace', '離職前の就業場所', (x) => codeName(ref?.last_workplaces, x as string)],
    ['last_workplace_name', '就業場所の名称', (x) => String(x ?? '')],
    ['work_status', '現在の就業状況', (x) => codeName(ref?.notification_work_statuses, x as string)],
    ['holder.name', '氏名', (x) => String(x ?? '')],
    ['holder.name_kana', 'フリガナ', (x) => String(x ?? '')],
    ['holder.birth_date', '生年月日', (x) => formatDate(x as string)],
    ['holder.postal_code', '郵便番号', (x) => formatPostal(x as string)],
    ['holder.address_prefecture', '住所（都道府県）', (x) => codeName(ref?.prefectures, x as string)],
    ['holder.address', '住所', (x) => String(x ?? '')],
    ['holder.phone', '電話番号', (x) => String(x ?? '')],
    ['holder.email', 'メールアドレス', (x) => String(x ?? '')],
    ['licences', '免許', (x) => ((x as Licence[] | undefined) ?? []).map((l) => licenceText(l, ref)).join('／')],
    ['center_prefecture', '届出先', (x) => (x ? `${codeName(ref?.prefectures, x as string)}ナースセンター` : '住所の都道府県')],
  ];
  const out: DiffRow[] = [];
  for (const [path, label, fmt] of items) {
    const x = get(a, path), y = get(b, path);
    const same = JSON.stringify(x ?? null) === JSON.stringify(y ?? null) || ((x ?? '') === '' && (y ?? '') === '');
    if (!same) out.push({ label, from: fmt(x) || '（なし）', to: fmt(y) || '（なし）' });
  }
  return out;
}

/** The versions (届出 and each 変更届), oldest first, each with the items it changed. */
export function VersionHistory({ versions, codes: ref }: { versions: NVersion[] | undefined; codes: NRef | null }) {
  const list = [...(versions ?? [])].sort((a, b) => a.version - b.version);
  if (!list.length) return <EmptyState title="変更の記録はありません" />;
  return (
    <ol class="timeline nt-versions">
      {list.map((ver, i) => {
        const prev = i > 0 ? list[i - 1] : null;
        const changes = prev ? diffBodies(prev.body, ver.body, ref) : [];
        return (
          <li key={ver.version} class="timeline-item timeline-info">
            <p class="timeline-head"><strong>第{ver.version}版　{prev ? '変更届' : '届出'}</strong></p>
            <p class="timeline-meta">
              <time dateTime={new Date(ver.changed_at * 1000).toISOString()}>{formatDateTime(ver.changed_at)}</time>
              <span>{CHANGED_BY[ver.changed_by_kind] ?? ver.changed_by_kind}</span>
            </p>
            {prev && (changes.length ? (
              <ul class="nt-changes" aria-label={`第${ver.version}版で変更した項目`}>
                {changes.map((c) => (
                  <li key={c.label}>
                    <span class="nt-change-field">{c.label}</span>
                    <span class="nt-change-values">
                      <span class="nt-change-old"><span class="visually-hidden">変更前：</span>{c.from}</span>
                      <span class="nt-change-arrow" aria-hidden="true">→</span>
                      <span><span class="visually-hidden">変更後：</span>{c.to}</span>
                    </span>
                  </li>
                ))}
              </ul>
            ) : <p class="muted">内容に変更はありません。</p>)}
          </li>
        );
      })}
    </ol>
  );
}

/** A notification as a card in a list (the nurse's, the facility's). */
export function NotificationCard({ n, href, codes: ref }: { n: NotificationSummary | Notification; href: string; codes: NRef | null }) {
  const name = 'name' in n ? n.name : (n as Notification).holder?.name;
  return (
    <li class="app-card">
      <h3 class="app-card-title"><Link href={href}>{n.reason_label || codeName(ref?.notification_reasons, n.reason)}</Link></h3>
      <p class="status-line"><span class="visually-hidden">状況：</span><NStatusBadge status={n.status} label={n.status_label} /></p>
      <dl class="facts">
        {name && <div><dt>氏名</dt><dd>{name}</dd></div>}
        <div><dt>事由が生じた日</dt><dd>{formatDate(n.event_date)}</dd></div>
        <div><dt>届出日時</dt><dd>{formatDateTime(n.filed_at)}</dd></div>
        <div><dt>届出の方法</dt><dd>{n.channel_label || n.channel}</dd></div>
        {n.version > 1 && <div><dt>変更届</dt><dd>{n.version - 1}回</dd></div>}
      </dl>
    </li>
  );
}


// ---- The whole form -----------------------------------------------------------------------------

/**
 * The notification form with its error summary and submit button. The input is kept as a
 * draft (never the password) until it was sent. `onSubmit` gets the body; an ApiError it
 * throws is shown at the fields.
 */
export function NotifyForm({ mode, initial, draftKey, ref_, submitLabel, busyLabel = '送信しています', onSubmit, centerName, label, note }: {
  mode: NotifyMode;
  initial: NotifyValues;
  draftKey: string;
  ref_: NRef;
  submitLabel: string;
  busyLabel?: string;
  onSubmit: (body: Record<string, unknown>) => Promise<void>;
  centerName?: string;
  label: string;
  note?: ComponentChildren;
}) {
  const [v, set, clear] = useDraft<NotifyValues>(draftKey, initial, ['password']);
  const f = useForm();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      try {
        await onSubmit(toNotifyBody(v, mode));
        clear();
      } catch (err) {
        if (err instanceof ApiError) err.fields = mapNotifyFields(err.fields);
        throw err;
      }
    }, () => checkNotify(v, mode));
  };
  return (
    <form class="form profile-form nt-form" onSubmit={submit} noValidate aria-label={label}>
      <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={notifyLabels(v)} />
      <NotificationFields v={v} set={set} error={f.error} ref_={ref_} mode={mode} centerName={centerName} />
      <div class="save-bar">
        {note && <p>{note}</p>}
        <Button type="submit" busy={f.busy} busyLabel={busyLabel} class="btn-wide">{submitLabel}</Button>
      </div>
    </form>
  );
}

/** 変更届: the whole current content, prefilled; PUT /notifications/{id}. */
export function ChangeForm({ n, ref_, onDone, onCancel, staff }: {
  n: Notification; ref_: NRef; onDone: (n: Notification) => void; onCancel: () => void; staff?: boolean;
}) {
  return (
    <>
      <p class="muted">{staff
        ? '書面で提出された変更届の内容を入力してください。変更前の内容は履歴に残ります。'
        : '変わった項目を直して「変更届を出す」を押してください。変更前の内容は履歴に残ります。'}</p>
      <NotifyForm mode="change" initial={toNotifyValues(n)} draftKey={`notify-change-${n.id}`} ref_={ref_} label="変更届"
        submitLabel="変更届を出す" busyLabel="届け出ています"
        onSubmit={async (body) => {
          const r = await put<{ notification: Notification }>(`/notifications/${n.id}`, body);
          toast(`変更届を受け付けました（第${r.notification.version}版）。`);
          onDone(r.notification);
        }} />
      <p><button type="button" class="btn btn-link" onClick={onCancel}>変更届をやめる</button></p>
    </>
  );
}
