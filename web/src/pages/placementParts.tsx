// Pieces shared by the placement screens of every role (Seeker.tsx, Applications.tsx):
// the application types of docs/API.md "Applications and referrals", state badges, the
// history timeline, the referral letter link and the action dialog. Everything a user may do
// comes from the application's `actions` ({action, label, needs}); the state machine itself
// (src/domain/placement.h) is never repeated here.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, API_BASE, api, get, loadRef, MSG, post, type Code, type Ref } from '../api';
import { formatDate, formatDateTime, todayJst } from '../format';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, RadioGroup, TextArea, TextField } from '../ui/Field';
import { EmptyState, toast } from '../ui/Feedback';
import { useForm } from '../ui/form';
import './placement.css';

// ---- Types -----------------------------------------------------------------------------------

export type AppOffer = {
  id: number; offer_no: string | null; title: string; facility_name: string;
  prefecture: string; municipality_name: string;
};
export type Applicant = {
  name?: string; name_kana?: string; licences?: (string | { type: string })[];
  experience?: { years?: number | null; departments?: string[]; skills?: string | null } | null;
  // Counselors may get more (the contract leaves it open); shown only when present.
  [k: string]: unknown;
};
export type NextCheck = { action: string; due: string } | null;
export type AppSummary = {
  id: number;
  state: string;
  state_label: string;
  origin: 'request' | 'proposal';
  offer: AppOffer;
  applicant?: Applicant | null;
  referral_no: string | null;
  interview_date: string | null;
  start_date: string | null;
  next_check: NextCheck;
  created_at: number;
  updated_at: number;
};
export type AppEvent = {
  id: number; at: number; action: string; action_label: string; from: string | null; to: string | null;
  actor_kind: string | null; actor_name: string | null; detail: Record<string, unknown> | string | null;
};
export type AppAction = { action: string; label: string; needs: string[] };
export type Application = AppSummary & {
  events: AppEvent[];
  actions: AppAction[];
  decision_reason: string | null;
  employment_form: string | null;
  permanent: boolean | null;
  due: { m1: string | null; m3: string | null; m6: string | null } | null;
  checks: { m1: string | null; m3: string | null; m6: string | null } | null;
  left_date: string | null;
  left_within_6m: boolean | null;
};
export type AppList = { total: number; page: number; per_page: number; items: AppSummary[] };

export const errText = (e: unknown) => (e instanceof ApiError ? e.message : MSG.generic);
export const put = <T,>(path: string, body: unknown) => api<T>(path, { method: 'PUT', body });

// ---- Labels ----------------------------------------------------------------------------------

/** Japanese names of the states, for filters (the API's `state_label` is shown on every case). */
export const STATE_LABEL: Record<string, string> = {
  requested: '紹介依頼',
  proposed: '紹介提案',
  referred: '紹介済（紹介状発行）',
  interview: '面接予定',
  hired: '採用',
  placed: '就職',
  checked_1m: '1か月定着確認済',
  checked_3m: '3か月定着確認済',
  closed: '完了',
  withdrawn: '取下げ',
  refused: '紹介見送り',
  rejected: '不採用',
  declined: '辞退',
  cancelled: '取消',
};
export const STATE_CODES = Object.keys(STATE_LABEL);

export const ACTOR_LABEL: Record<string, string> = {
  nurse: '求職者', facility: '求人施設', counselor: '相談員', central: '中央ナースセンター',
};
export const CHECK_RESULT_LABEL: Record<string, string> = { still_employed: '在職', left: '離職', unreachable: '連絡不能' };
export const CHECK_LABEL: Record<string, string> = { check_1m: '1か月定着確認', check_3m: '3か月定着確認', check_6m: '6か月定着確認' };
export const ORIGIN_LABEL: Record<string, string> = { request: '求職者からの紹介依頼', proposal: '相談員からの紹介提案' };
const EMPLOYMENT_FALLBACK: Record<string, string> = { jokin: '常勤', hijokin: '非常勤', rinji: '臨時' };

/** Field names of the action inputs (the API's) with their Japanese labels. */
export const INPUT_LABEL: Record<string, string> = {
  interview_date: '面接日',
  reason_code: '理由',
  note: '理由・メモ',
  start_date: '就職日（勤務開始日）',
  employment_form: '雇用形態',
  permanent: '常用・常用以外',
  result: '確認結果',
  left_date: '離職日（最後の勤務日）',
  referral_no: '紹介番号',
};

const TERMINAL_BAD = ['refused', 'rejected', 'declined', 'withdrawn', 'cancelled'];

export function StateBadge({ state, label }: { state: string; label?: string | null }) {
  const kind = TERMINAL_BAD.includes(state) ? 'bad'
    : ['hired', 'placed', 'checked_1m', 'checked_3m', 'closed'].includes(state) ? 'good'
      : ['requested', 'proposed'].includes(state) ? 'wait' : 'info';
  return <span class={`badge app-state app-state-${kind}`}>{label || STATE_LABEL[state] || state}</span>;
}

// ---- Reference data ----------------------------------------------------------------------------

export type Reason = { code: string; name: string; needs_note: boolean };
export type PlacementRef = Ref & { reject_reasons?: unknown; decline_reasons?: unknown };

function reasonList(v: unknown): Reason[] {
  if (!Array.isArray(v)) return [];
  return v.filter((x) => x && typeof x.code === 'string').map((x: any) => ({
    code: x.code,
    name: String(x.name ?? x.label ?? x.code),
    needs_note: typeof x.needs_note === 'boolean' ? x.needs_note : x.code === 'other',
  }));
}

export type Codes = {
  ref: PlacementRef | null;
  name: (list: 'prefectures' | 'licence_types' | 'departments' | 'facility_types' | 'employment_forms', code: string | null | undefined) => string;
  reasons: (action: string) => Reason[];
  reasonName: (code: string | null | undefined) => string;
};

/** /api/v1/ref with lookups, including the 不採用 / 辞退 reason lists. */
export function useCodes(): Codes {
  const [ref, setRef] = useState<PlacementRef | null>(null);
  useEffect(() => { let live = true; loadRef().then((r) => { if (live) setRef(r as PlacementRef); }, () => {}); return () => { live = false; }; }, []);
  const name: Codes['name'] = (list, code) => {
    if (!code) return '';
    const hit = ((ref?.[list] as Code[] | undefined) ?? []).find((c) => c.code === code);
    return hit?.name ?? (list === 'employment_forms' ? EMPLOYMENT_FALLBACK[code] : undefined) ?? code;
  };
  const reasons = (action: string) => reasonList(action === 'reject' ? ref?.reject_reasons : action === 'decline' ? ref?.decline_reasons : null);
  const reasonName = (code: string | null | undefined) => {
    if (!code) return '';
    const hit = [...reasonList(ref?.reject_reasons), ...reasonList(ref?.decline_reasons)].find((r) => r.code === code);
    return hit?.name ?? code;
  };
  return { ref, name, reasons, reasonName };
}

// ---- Small pieces ------------------------------------------------------------------------------

export const letterHref = (id: number | string) => `${API_BASE}/applications/${encodeURIComponent(String(id))}/letter.pdf`;

/** The referral letter (紹介状) download, once the case was referred. */
export function LetterLink({ app, class: cls = 'btn btn-secondary' }: { app: AppSummary; class?: string }) {
  if (!app.referral_no) return null;
  return (
    <a class={cls} href={letterHref(app.id)} download={`紹介状_${app.referral_no}.pdf`} data-letter="1">
      紹介状（PDF）をダウンロード
      <span class="visually-hidden">（紹介番号 {app.referral_no}）</span>
    </a>
  );
}

export function licenceNames(a: Applicant | null | undefined, codes: Codes): string {
  const l = a?.licences ?? [];
  return l.map((x) => codes.name('licence_types', typeof x === 'string' ? x : x?.type)).filter(Boolean).join('・');
}

/** The next retention check as text, e.g. "1か月定着確認（2026年5月1日まで）". */
export function nextCheckText(n: NextCheck): string {
  if (!n) return '—';
  return `${CHECK_LABEL[n.action] ?? n.action}（${formatDate(n.due)}まで）`;
}
export const overdue = (n: NextCheck) => !!n && n.due < todayJst();

/** The applicant's data a facility or counselor sees (only what the API returned). */
export function ApplicantFacts({ a, codes }: { a: Applicant | null | undefined; codes: Codes }) {
  if (!a) return <p>応募者の情報はありません。</p>;
  const exp = a.experience ?? null;
  const str = (k: string) => (typeof a[k] === 'string' && a[k] ? String(a[k]) : null);
  return (
    <dl class="dl">
      {a.name && <><dt>氏名</dt><dd>{a.name}{a.name_kana ? `（${a.name_kana}）` : ''}</dd></>}
      <dt>資格</dt><dd>{licenceNames(a, codes) || '—'}</dd>
      {exp && <>
        <dt>経験年数</dt><dd>{exp.years === null || exp.years === undefined ? '—' : `${exp.years}年`}</dd>
        <dt>経験した診療科</dt><dd>{exp.departments?.length ? exp.departments.map((d) => codes.name('departments', d)).join('、') : '—'}</dd>
        <dt>得意な分野・スキル</dt><dd class="pre">{exp.skills || '—'}</dd>
      </>}
      {str('email') && !String(a.email).endsWith('.invalid') && <><dt>メールアドレス</dt><dd>{str('email')}</dd></>}
      {str('phone') && <><dt>電話番号</dt><dd>{str('phone')}</dd></>}
    </dl>
  );
}

/** The history (経過) of a case, oldest first. */
export function Timeline({ events, codes }: { events: AppEvent[]; codes: Codes }) {
  if (!events.length) return <EmptyState title="経過の記録はまだありません" />;
  return (
    <ol class="timeline">
      {events.map((e) => {
        const d = typeof e.detail === 'object' && e.detail ? e.detail : {};
        const lines = detailLines(d, codes);
        return (
          <li key={e.id} class={`timeline-item timeline-${e.to && TERMINAL_BAD.includes(e.to) ? 'bad' : e.to && ['hired', 'placed', 'closed'].includes(e.to) ? 'good' : 'info'}`}>
            <p class="timeline-head">
              <strong>{e.action_label || e.action}</strong>
              {e.to && <StateBadge state={e.to} />}
            </p>
            <p class="timeline-meta">
              <time dateTime={new Date(e.at * 1000).toISOString()}>{formatDateTime(e.at)}</time>
              {(e.actor_kind || e.actor_name) && (
                <span>{[e.actor_kind ? ACTOR_LABEL[e.actor_kind] ?? '' : '', e.actor_name ?? ''].filter(Boolean).join('　')}</span>
              )}
            </p>
            {lines.length > 0 && (
              <dl class="timeline-detail">
                {lines.map(([k, v]) => <div key={k}><dt>{k}</dt><dd class="pre">{v}</dd></div>)}
              </dl>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function detailLines(d: Record<string, unknown>, codes: Codes): [string, string][] {
  const out: [string, string][] = [];
  const s = (k: string) => (typeof d[k] === 'string' && d[k] ? String(d[k]) : null);
  if (s('referral_no')) out.push(['紹介番号', s('referral_no')!]);
  if (s('interview_date')) out.push(['面接日', formatDate(s('interview_date'))]);
  if (s('reason_code')) out.push(['理由', codes.reasonName(s('reason_code'))]);
  if (s('start_date') && !s('result')) out.push(['就職日', formatDate(s('start_date'))]);
  if (s('employment_form')) out.push(['雇用形態', codes.name('employment_forms', s('employment_form'))]);
  if (typeof d.permanent === 'boolean') out.push(['常用', d.permanent ? '常用' : '常用以外']);
  if (s('result')) out.push(['確認結果', CHECK_RESULT_LABEL[s('result')!] ?? s('result')!]);
  if (s('left_date')) out.push(['離職日', formatDate(s('left_date'))]);
  if (s('note')) out.push(['メモ', s('note')!]);
  return out;
}

// ---- Actions -----------------------------------------------------------------------------------

const DANGER = ['withdraw', 'refuse', 'reject', 'decline', 'cancel'];

/** Extra words under an action's dialog title. */
const ACTION_HELP: Record<string, string> = {
  accept: 'ナースセンターからの紹介の提案に同意します。ナースセンターが内容を確認し、施設に紹介します。',
  withdraw: 'この求人への紹介の依頼（または提案）を取り下げます。取り下げた後は元に戻せません。',
  refer: '紹介状を発行し、求人施設に紹介します。紹介番号が付き、施設と求職者が紹介状をダウンロードできるようになります。',
  refuse: 'この紹介依頼を見送ります。理由は求職者にも表示されます。',
  schedule: '面接の日程を登録します。変更するときも、もう一度登録してください。',
  hire: '採用（内定）を登録します。',
  reject: '不採用を登録します。理由は職務に関係するものから選んでください。',
  decline: '辞退を登録します。',
  place: '就職（勤務開始）を登録します。就職日から1か月・3か月・6か月後に定着確認を行います。',
  check_1m: '就職から1か月の定着の状況を記録します。',
  check_3m: '就職から3か月の定着の状況を記録します。',
  check_6m: '就職から6か月の定着の状況を記録します。記録すると、この案件は完了します。',
  cancel: 'この案件を取り消します。取り消した後は元に戻せません。',
};

/** The confirming button's words; other actions get "<label>を登録する". */
const CONFIRM_LABEL: Record<string, string> = {
  accept: '提案に同意する',
  withdraw: '取り下げる',
  refer: '紹介する（紹介状を発行）',
  refuse: '紹介を見送る',
  schedule: '面接日を登録する',
  hire: '採用を登録する',
  reject: '不採用を登録する',
  decline: '辞退を登録する',
  place: '就職を登録する',
  check_1m: '確認結果を登録する',
  check_3m: '確認結果を登録する',
  check_6m: '確認結果を登録する',
  cancel: '取り消す',
};

/** The buttons of the actions the API allows now, and their dialogs. */
export function ActionPanel({ app, codes, onDone, intro }: {
  app: Application; codes: Codes; onDone: (a: Application) => void; intro?: ComponentChildren;
}) {
  const [open, setOpen] = useState<AppAction | null>(null);
  if (!app.actions?.length) return null;
  return (
    <section class="card app-actions" aria-labelledby="app-actions-h">
      <h2 id="app-actions-h">手続き</h2>
      {intro}
      <div class="actions">
        {app.actions.map((a) => (
          <Button key={a.action} variant={DANGER.includes(a.action) ? 'secondary' : 'primary'}
            class={DANGER.includes(a.action) ? 'btn-danger-outline' : undefined}
            data-action={a.action} onClick={() => setOpen(a)}>{a.label}</Button>
        ))}
      </div>
      <ActionDialog app={app} action={open} codes={codes} onClose={() => setOpen(null)}
        onDone={(x) => { setOpen(null); onDone(x); }} />
    </section>
  );
}

type Values = Record<string, string>;

function ActionDialog({ app, action, codes, onClose, onDone }: {
  app: Application; action: AppAction | null; codes: Codes; onClose: () => void; onDone: (a: Application) => void;
}) {
  const [v, setV] = useState<Values>({});
  const form = useForm();
  useEffect(() => {
    if (!action) return;
    form.clear();
    const init: Values = {};
    if (action.needs.includes('start_date') && app.start_date) init.start_date = app.start_date;
    if (action.needs.includes('interview_date') && app.interview_date) init.interview_date = app.interview_date;
    setV(init);
  }, [action]);
  const a = action;
  const needs = a?.needs ?? [];
  const has = (f: string) => needs.includes(f);
  const reasons = a ? codes.reasons(a.action) : [];
  const reason = reasons.find((r) => r.code === v.reason_code);
  const withReason = has('reason_code');
  const noteRequired = withReason ? !!reason?.needs_note : has('note');
  const showNote = has('note') || withReason;
  const showLeft = has('left_date') && (!has('result') || v.result === 'left');
  const set = (k: string) => (x: string) => setV((s) => ({ ...s, [k]: x }));

  const noteLabel = a?.action === 'refuse' ? '紹介を見送る理由' : a?.action === 'cancel' ? '取り消す理由'
    : withReason ? (noteRequired ? '理由の内容' : '補足（任意）') : 'メモ';

  const check = () => {
    const errs: { field: string; code: string; message: string }[] = [];
    const req = (f: string, msg: string) => { if (!(v[f] ?? '').trim()) errs.push({ field: f, code: `${f}.missing`, message: msg }); };
    for (const f of needs) {
      if (f === 'note' || f === 'left_date') continue;
      if (f === 'interview_date') req(f, '面接日を入力してください。');
      else if (f === 'start_date') req(f, '就職日（勤務開始日）を入力してください。');
      else if (f === 'reason_code') req(f, '理由を選択してください。');
      else if (f === 'employment_form') req(f, '雇用形態を選択してください。');
      else if (f === 'permanent') req(f, '常用かどうかを選択してください。');
      else if (f === 'result') req(f, '確認結果を選択してください。');
      else req(f, `${INPUT_LABEL[f] ?? f}を入力してください。`);
    }
    if (showNote && noteRequired) req('note', '理由を入力してください。');
    if (showLeft) req('left_date', '離職日を入力してください。');
    return errs;
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (!a) return;
    form.run(async () => {
      const body: Record<string, unknown> = { action: a.action };
      for (const f of needs) {
        if (f === 'permanent') { if (v.permanent) body.permanent = v.permanent === 'yes'; continue; }
        if (f === 'left_date' && !showLeft) continue;
        if (f === 'note' && !(v.note ?? '').trim()) continue;
        if (v[f] !== undefined && v[f] !== '') body[f] = v[f].trim();
      }
      if (showNote && !has('note') && (v.note ?? '').trim()) body.note = v.note.trim();
      try {
        const r = await post<{ application: Application }>(`/applications/${app.id}/events`, body);
        toast(`「${a.label}」を登録しました。`);
        onDone(r.application);
      } catch (err) {
        // A 409 means someone else moved the case: show the fresh state.
        if (err instanceof ApiError && err.status === 409) {
          get<{ application: Application }>(`/applications/${app.id}`).then((r) => onDone(r.application), () => {});
          toast(err.message, 'error', 9000);
          return;
        }
        throw err;
      }
    }, check);
  };

  const today = todayJst();
  return (
    <Dialog open={!!a} title={a ? `${a.label}` : ''} onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="app-action-form" variant={a && DANGER.includes(a.action) ? 'danger' : 'primary'}
          busy={form.busy} busyLabel="登録しています">{a ? CONFIRM_LABEL[a.action] ?? `${a.label}を登録する` : '登録する'}</Button>
      </>}>
      <form id="app-action-form" onSubmit={submit} noValidate>
        <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} labels={INPUT_LABEL} />
        {a && ACTION_HELP[a.action] && <p>{ACTION_HELP[a.action]}</p>}
        <p class="muted">求人：{app.offer.title}（{app.offer.facility_name}）{app.applicant?.name ? `／応募者：${app.applicant.name}` : ''}</p>
        {has('interview_date') && (
          <TextField name="interview_date" label="面接日" type="date" required value={v.interview_date ?? ''} onValue={set('interview_date')}
            error={form.error('interview_date')} min="2000-01-01" />
        )}
        {withReason && (
          <RadioGroup name="reason_code" label={a?.action === 'reject' ? '不採用の理由' : a?.action === 'decline' ? '辞退の理由' : '理由'}
            required value={v.reason_code ?? ''} onValue={set('reason_code')} error={form.error('reason_code')}
            options={reasons.map((r) => ({ value: r.code, label: r.name }))}
            hint={a?.action === 'reject' ? '年齢・性別など、職務に関係のない理由は選べません。' : undefined} />
        )}
        {has('start_date') && (
          <TextField name="start_date" label="就職日（勤務開始日）" type="date" required value={v.start_date ?? ''} onValue={set('start_date')}
            error={form.error('start_date')} min="2000-01-01" />
        )}
        {has('employment_form') && (
          <RadioGroup name="employment_form" label="雇用形態" required value={v.employment_form ?? ''} onValue={set('employment_form')}
            error={form.error('employment_form')}
            options={((codes.ref?.employment_forms as Code[] | undefined) ?? Object.entries(EMPLOYMENT_FALLBACK).map(([code, name]) => ({ code, name })))
              .map((c) => ({ value: c.code, label: c.name }))} />
        )}
        {has('permanent') && (
          <RadioGroup name="permanent" label="常用・常用以外" required value={v.permanent ?? ''} onValue={set('permanent')}
            error={form.error('permanent')} hint="常用とは、期間の定めのない雇用、または4か月以上の期間を定めた雇用のことです。"
            options={[{ value: 'yes', label: '常用' }, { value: 'no', label: '常用以外（4か月未満の雇用）' }]} />
        )}
        {has('result') && (
          <RadioGroup name="result" label="確認結果" required value={v.result ?? ''} onValue={set('result')} error={form.error('result')}
            options={Object.entries(CHECK_RESULT_LABEL).map(([value, label]) => ({ value, label }))} />
        )}
        {showLeft && (
          <TextField name="left_date" label="離職日（最後の勤務日）" type="date" required value={v.left_date ?? ''} onValue={set('left_date')}
            error={form.error('left_date')} max={today} min={app.start_date ?? '2000-01-01'} />
        )}
        {needs.filter((f) => !['interview_date', 'reason_code', 'note', 'start_date', 'employment_form', 'permanent', 'result', 'left_date'].includes(f)).map((f) => (
          <TextField key={f} name={f} label={INPUT_LABEL[f] ?? '入力項目'} required value={v[f] ?? ''} onValue={set(f)} error={form.error(f)} />
        ))}
        {showNote && (
          <TextArea name="note" label={noteLabel} required={noteRequired} value={v.note ?? ''} onValue={set('note')}
            error={form.error('note')} maxLength={1000} rows={3}
            hint={a?.action === 'refuse' || a?.action === 'cancel' ? '1000文字以内。求職者・施設に関係する事情を具体的に記入してください。' : '1000文字以内'} />
        )}
      </form>
    </Dialog>
  );
}
