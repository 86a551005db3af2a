// Pieces shared by the facility's job offer screens (Offers.tsx, OfferForm.tsx) and the
// center's review (OfferReview.tsx): types, Japanese labels of the 職業安定法 disclosure
// items, the findings panel, the offer shown as a description list and its history.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get, loadMunicipalities, MSG, type Code, type Ref } from '../api';
import { formatDate, formatDateTime, ROLE_LABEL } from '../format';
import { fieldId } from '../ui/Field';
import { EmptyState, LoadError, Spinner } from '../ui/Feedback';
import './offers.css';

export type OfferStatus = 'draft' | 'submitted' | 'published' | 'returned' | 'refused' | 'closed' | 'expired';

export type OfferBody = Record<string, any>;

export type Offer = {
  id: number;
  facility_id: number;
  facility_name: string;
  status: OfferStatus;
  offer_no: string | null;
  version: number;
  body: OfferBody;
  prefecture: string;
  valid_until: string | null;
  published_at: number | null;
  review_reason: string | null;
  refusal_ground: string | null;
  close_reason: string | null;
  created_at: number;
  updated_at: number;
};

export type Finding = { severity: 'error' | 'warning'; code: string; field: string; message: string };
export type OfferAnswer = { offer: Offer; findings: Finding[] };

export type HistoryItem = { at: number; action: string; actor_name: string; actor_role: string; detail: Record<string, any> };

export const OFFER_STATUS_LABEL: Record<string, string> = {
  draft: '下書き',
  submitted: '審査中',
  published: '掲載中',
  returned: '差し戻し',
  refused: '不受理',
  closed: '掲載終了',
  expired: '期限切れ',
};

export const OFFER_STATUS_TEXT: Record<string, string> = {
  draft: 'まだ審査を依頼していない下書きです。内容を確認し、「審査を依頼する」を押してください。',
  submitted: 'ナースセンターが内容を審査しています。審査の間は変更できません。結果はメールでお知らせします。',
  published: '求人票が公開され、求職者が検索・閲覧できます。変更すると新しい版として公開されます。',
  returned: 'ナースセンターから修正をお願いしています。理由を確認して修正し、もう一度審査を依頼してください。',
  refused: 'この求人票は受理されませんでした（職業安定法5条の6）。内容をご確認のうえ、ナースセンターにご相談ください。',
  closed: '掲載を終了しました。同じ内容で募集する場合は「コピーして新規作成」を使ってください。',
  expired: '掲載期限を過ぎたため、掲載を終了しました。同じ内容で募集する場合は「コピーして新規作成」を使ってください。',
};

export const CLOSE_REASON_LABEL: Record<string, string> = { filled: '採用済み', withdrawn: '取り下げ' };

export const REFUSAL_GROUNDS: { value: string; label: string }[] = [
  { value: 'illegal_content', label: '法令違反の内容（求人の内容が法令に違反する）' },
  { value: 'unsuitable_terms', label: '著しく不適当な労働条件（賃金・労働時間等が通常の労働条件と比べて著しく不適当）' },
  { value: 'labour_law_sanction', label: '労働関係法令違反で処分・公表された求人者' },
  { value: 'missing_disclosure', label: '労働条件が明示されていない' },
  { value: 'organised_crime', label: '暴力団員等による求人' },
  { value: 'no_self_declaration', label: '自己申告に応じない（求人者が求められた自己申告に応じない）' },
];
export const GROUND_LABEL: Record<string, string> = Object.fromEntries(REFUSAL_GROUNDS.map((g) => [g.value, g.label]));

export const CONTRACT_TYPES = [
  { value: 'indefinite', label: '期間の定めなし' },
  { value: 'fixed', label: '期間の定めあり（有期契約）' },
];
export const RENEWALS = [
  { value: 'auto', label: '自動的に更新する' },
  { value: 'possible', label: '更新する場合がある' },
  { value: 'none', label: '契約の更新はしない' },
];
export const SHIFTS = [
  { value: 'two_shift', label: '二交代' },
  { value: 'three_shift', label: '三交代' },
  { value: 'day_only', label: '日勤のみ' },
  { value: 'night_only', label: '夜勤のみ' },
  { value: 'on_call', label: '当直あり' },
];
export const WAGE_TYPES = [
  { value: 'monthly', label: '月給' },
  { value: 'hourly', label: '時給' },
  { value: 'daily', label: '日給' },
  { value: 'annual', label: '年俸' },
];
export const WAGE_UNIT: Record<string, string> = { monthly: '月額', hourly: '時間額', daily: '日額', annual: '年額' };
export const SMOKING = [
  { value: 'premises_ban', label: '敷地内禁煙' },
  { value: 'indoor_ban', label: '屋内禁煙（屋外に喫煙場所あり）' },
  { value: 'smoking_room', label: '喫煙室あり（屋内の喫煙室以外は禁煙）' },
  { value: 'other', label: 'その他' },
];
export const AGE_EXCEPTIONS = [
  { value: '1', label: '1号：定年年齢を上限として、その上限年齢未満の方を期間の定めのない労働契約で募集する' },
  { value: '2', label: '2号：労働基準法などの法令により、特定の年齢層の就業が制限されている' },
  { value: '3i', label: '3号イ：長期勤続によるキャリア形成のため、若年者等を期間の定めのない労働契約で募集する（新卒者と同等の処遇）' },
  { value: '3ro', label: '3号ロ：技能・ノウハウの継承のため、労働者数が相当程度少ない特定の年齢層に限定し、期間の定めのない労働契約で募集する' },
  { value: '3ha', label: '3号ハ：芸術・芸能の分野における表現の真実性などのため' },
  { value: '3ni', label: '3号ニ：60歳以上の高年齢者、または特定の年齢層の雇用を促進する国の施策の対象となる方に限定して募集する' },
];
export const FLAGS = [
  { value: 'blank_ok', label: 'ブランクのある方歓迎' },
  { value: 'takuji', label: '院内保育所・託児所あり' },
  { value: 'ryo', label: '寮・住宅手当あり' },
  { value: 'kyubo', label: '急募' },
  { value: 'rito', label: '離島' },
  { value: 'hekichi', label: 'へき地' },
  { value: 'hisaichi', label: '被災地' },
];
export const INSURANCES = [
  { key: 'employment', label: '雇用保険' },
  { key: 'health', label: '健康保険' },
  { key: 'pension', label: '厚生年金' },
  { key: 'workers_comp', label: '労災保険' },
];

/** Section of the form (and of the panel's list) for a finding's field. */
export const SECTIONS: { key: string; label: string }[] = [
  { key: 'basic', label: '求人票の概要' },
  { key: 'duties', label: '業務内容' },
  { key: 'contract', label: '契約期間' },
  { key: 'probation', label: '試用期間' },
  { key: 'workplace', label: '就業場所' },
  { key: 'hours', label: '就業時間' },
  { key: 'holidays', label: '休日' },
  { key: 'wage', label: '賃金' },
  { key: 'insurance', label: '社会保険' },
  { key: 'smoking', label: '受動喫煙対策' },
  { key: 'age', label: '年齢制限' },
  { key: 'applicants', label: '応募資格と募集内容' },
];
export function sectionOf(field: string): string {
  const top = field.split(/[.[]/)[0];
  if (['title', 'employer', 'employment_form', 'positions'].includes(top)) return 'basic';
  if (['licences', 'departments', 'flags', 'pr', 'campaign_tags'].includes(top)) return 'applicants';
  return SECTIONS.some((s) => s.key === top) ? top : 'basic';
}
export const SECTION_LABEL: Record<string, string> = Object.fromEntries(SECTIONS.map((s) => [s.key, s.label]));

export const errText = (e: unknown) => (e instanceof ApiError ? e.message : MSG.generic);
export const put = <T,>(path: string, body: unknown) => api<T>(path, { method: 'PUT', body });
export const labelOf = (list: { value: string; label: string }[], v: unknown) =>
  list.find((x) => x.value === v)?.label ?? (v == null ? '' : String(v));
export const nameOf = (list: Code[] | undefined, code: unknown) =>
  (typeof code === 'string' && list?.find((x) => x.code === code)?.name) || (code == null ? '' : String(code));

export function OfferStatusBadge({ status }: { status: string }) {
  return <span class={`badge offer-status offer-${status}`}>{OFFER_STATUS_LABEL[status] ?? status}</span>;
}

/** Today in JST and the validity an extension gives: the last day of the month after next. */
export function extendedUntil(): string {
  const now = new Date(Date.now() + 9 * 3600 * 1000);
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 0));
  return last.toISOString().slice(0, 10);
}

/** Focuses a finding's field, or its section when the field is not on screen. */
export function jumpTo(field: string) {
  const el = document.getElementById(fieldId(field)) || document.getElementById('sec-' + sectionOf(field));
  if (!el) return false;
  (el as HTMLElement).focus();
  el.scrollIntoView({ block: 'center' });
  return true;
}

/**
 * The compliance findings: blocking errors and warnings, each linked to its field.
 * `compact` lists without the explanatory text (the review page).
 */
export function FindingsPanel({ findings, checking, failed, title = '法令チェックの結果', note, linkable = true, id = 'findings' }: {
  findings: Finding[] | null;
  checking?: boolean;
  failed?: string | null;
  title?: string;
  note?: ComponentChildren;
  linkable?: boolean;
  id?: string;
}) {
  const errors = (findings ?? []).filter((f) => f.severity === 'error');
  const warnings = (findings ?? []).filter((f) => f.severity === 'warning');
  const item = (f: Finding, i: number) => (
    <li key={f.code + f.field + i} class={`finding finding-${f.severity}`}>
      <span class="finding-where">{SECTION_LABEL[sectionOf(f.field)]}</span>
      {linkable
        ? <a href={'#' + fieldId(f.field)} onClick={(e) => { if (jumpTo(f.field)) e.preventDefault(); }}>{f.message}</a>
        : <span>{f.message}</span>}
    </li>
  );
  return (
    <section class="card findings" aria-labelledby={id + '-h'} id={id} tabIndex={-1}>
      <h2 id={id + '-h'}>{title}</h2>
      {note}
      <p class="findings-count" role="status">
        {failed ? failed : findings === null ? '確認しています…' : errors.length + warnings.length === 0
          ? '問題は見つかりませんでした。'
          : `修正が必要な項目 ${errors.length}件、確認をおすすめする点 ${warnings.length}件`}
        {checking && findings !== null && <span class="muted">（確認しています…）</span>}
      </p>
      {errors.length > 0 && (
        <>
          <h3 class="findings-h findings-h-error"><span aria-hidden="true">× </span>修正が必要な項目（審査の依頼・公開ができません）</h3>
          <ul class="finding-list">{errors.map(item)}</ul>
        </>
      )}
      {warnings.length > 0 && (
        <>
          <h3 class="findings-h findings-h-warning"><span aria-hidden="true">⚠ </span>確認をおすすめする点</h3>
          <ul class="finding-list">{warnings.map(item)}</ul>
        </>
      )}
    </section>
  );
}

/** Municipality names of a prefecture (for showing a workplace code). */
export function useMuniName(code: unknown) {
  const [name, setName] = useState('');
  useEffect(() => {
    if (typeof code !== 'string' || !/^\d{5}$/.test(code)) { setName(''); return; }
    let live = true;
    loadMunicipalities(code.slice(0, 2)).then((l) => live && setName(l.find((m) => m.code === code)?.name ?? ''), () => {});
    return () => { live = false; };
  }, [code]);
  return name;
}

const yesNo = (v: unknown, yes = 'あり', no = 'なし') => (v === true ? yes : v === false ? no : '');
const num = (v: unknown, unit = '') => (typeof v === 'number' ? `${v.toLocaleString('ja-JP')}${unit}` : '');

/** The offer's content as a description list, grouped by the disclosure items. */
export function OfferView({ body: b, codes: ref, findings = [] }: { body: OfferBody; codes: Ref | null; findings?: Finding[] }) {
  const muni = useMuniName(b.workplace?.municipality_code);
  const pref = typeof b.workplace?.municipality_code === 'string' ? nameOf(ref?.prefectures, b.workplace.municipality_code.slice(0, 2)) : '';
  const of = (prefixes: string[]) => findings.filter((f) => prefixes.some((p) => f.field === p || f.field.startsWith(p + '.')));
  const row = (label: string, value: ComponentChildren, fields: string[] = []) => {
    const fs = of(fields);
    const empty = value === '' || value === null || value === undefined || value === false;
    return [
      <dt key={label + 't'}>{label}</dt>,
      <dd key={label + 'd'} class={fs.some((f) => f.severity === 'warning') ? 'has-warning' : fs.length ? 'has-finding' : undefined}>
        {empty ? <span class="muted">未入力</span> : value}
        {fs.map((f, i) => (
          <span key={i} class={`inline-finding inline-${f.severity}`}>
            <span class="visually-hidden">{f.severity === 'error' ? '修正が必要：' : '注意：'}</span>
            <span aria-hidden="true">{f.severity === 'error' ? '× ' : '⚠ '}</span>{f.message}
          </span>
        ))}
      </dd>,
    ];
  };
  const c = b.contract ?? {}, p = b.probation ?? {}, w = b.workplace ?? {}, h = b.hours ?? {}, hol = b.holidays ?? {};
  const wg = b.wage ?? {}, ins = b.insurance ?? {}, sm = b.smoking ?? {}, age = b.age ?? {};
  const unit = WAGE_UNIT[wg.type] ?? '';
  const contract = c.type === 'fixed' ? (
    <>
      期間の定めあり（{c.start ? formatDate(c.start) : '開始日未入力'}〜{c.end ? formatDate(c.end) : '終了日未入力'}）<br />
      契約の更新：{labelOf(RENEWALS, c.renewal) || '未入力'}
      {c.renewal_criteria && <><br />更新の判断基準：{c.renewal_criteria}</>}
      {c.renewal !== 'none' && c.renewal_cap !== undefined && <><br />更新上限：{c.renewal_cap ? [
        typeof c.max_renewals === 'number' ? `更新${c.max_renewals}回まで` : '',
        typeof c.max_total_months === 'number' ? `通算${c.max_total_months}か月まで` : '',
      ].filter(Boolean).join('・') || 'あり' : 'なし'}</>}
    </>
  ) : labelOf(CONTRACT_TYPES, c.type);
  return (
    <div class="offer-view">
      <h3 class="view-h">求人票の概要</h3>
      <dl class="dl">
        {row('タイトル', b.title, ['title'])}
        {row('求人者の名称', b.employer?.name, ['employer'])}
        {row('雇用形態', nameOf(ref?.employment_forms, b.employment_form), ['employment_form'])}
        {row('募集人数', num(b.positions, '人'), ['positions'])}
      </dl>
      <h3 class="view-h">業務内容</h3>
      <dl class="dl">
        {row('仕事の内容', b.duties?.description && <span class="pre">{b.duties.description}</span>, ['duties.description'])}
        {row('業務の変更の範囲', b.duties?.change_scope && <span class="pre">{b.duties.change_scope}</span>, ['duties.change_scope'])}
      </dl>
      <h3 class="view-h">契約期間・試用期間</h3>
      <dl class="dl">
        {row('契約期間', contract, ['contract'])}
        {row('試用期間', p.present === true ? <>あり（{num(p.months, 'か月') || '期間未入力'}）{p.conditions_differ === true
          ? <><br />試用期間中の労働条件：{p.conditions}</> : p.conditions_differ === false ? '・労働条件は本採用と同じ' : ''}</> : yesNo(p.present), ['probation'])}
      </dl>
      <h3 class="view-h">就業場所</h3>
      <dl class="dl">
        {row('所在地', (pref || muni || w.address) ? `${pref}${muni}${w.address ?? ''}` : '', ['workplace.municipality_code', 'workplace.address'])}
        {row('最寄り駅', w.station, ['workplace.station'])}
        {row('交通手段', w.access && <span class="pre">{w.access}</span>, ['workplace.access'])}
        {row('就業場所の変更の範囲', w.change_scope && <span class="pre">{w.change_scope}</span>, ['workplace.change_scope'])}
      </dl>
      <h3 class="view-h">就業時間・休日</h3>
      <dl class="dl">
        {row('就業時間', h.start || h.end ? `${h.start ?? '—'}〜${h.end ?? '—'}` : '', ['hours.start', 'hours.end'])}
        {row('勤務形態', (h.shift_patterns ?? []).map((s: string) => labelOf(SHIFTS, s)).join('、'), ['hours.shift_patterns'])}
        {row('月の夜勤回数', num(h.night_shifts_per_month, '回'), ['hours.night_shifts_per_month'])}
        {row('時間外労働', h.overtime === true ? `あり（月平均${num(h.overtime_avg_hours, '時間') || '未入力'}）` : yesNo(h.overtime), ['hours.overtime', 'hours.overtime_avg_hours'])}
        {row('休憩時間', num(h.break_minutes, '分'), ['hours.break_minutes'])}
        {row('年間休日数', num(hol.annual_days, '日'), ['holidays.annual_days'])}
        {row('休日の形態', hol.pattern, ['holidays.pattern'])}
      </dl>
      <h3 class="view-h">賃金</h3>
      <dl class="dl">
        {row('賃金形態', labelOf(WAGE_TYPES, wg.type), ['wage.type'])}
        {row(`基本給（${unit || '金額'}）`, typeof wg.base_min === 'number'
          ? `${num(wg.base_min, '円')}${typeof wg.base_max === 'number' ? `〜${num(wg.base_max, '円')}` : '〜'}` : '', ['wage.base_min', 'wage.base_max'])}
        {row('手当', wg.allowances && <span class="pre">{wg.allowances}</span>, ['wage.allowances'])}
        {row('固定残業代', wg.fixed_overtime === true
          ? `あり（${num(wg.fixed_overtime_hours, '時間分') || '時間未入力'}・${num(wg.fixed_overtime_amount, '円') || '金額未入力'}）` : yesNo(wg.fixed_overtime),
        ['wage.fixed_overtime', 'wage.fixed_overtime_hours', 'wage.fixed_overtime_amount'])}
      </dl>
      <h3 class="view-h">社会保険・受動喫煙対策・年齢制限</h3>
      <dl class="dl">
        {row('加入保険', INSURANCES.map((i) => ins[i.key] === undefined ? '' : `${i.label}${ins[i.key] ? 'あり' : 'なし'}`).filter(Boolean).join('、'), ['insurance'])}
        {row('受動喫煙対策', sm.measure ? `${labelOf(SMOKING, sm.measure)}${sm.note ? `（${sm.note}）` : ''}` : '', ['smoking'])}
        {row('年齢制限', typeof age.max === 'number'
          ? <>{age.max}歳以下<br />例外事由：{labelOf(AGE_EXCEPTIONS, age.exception) || '未選択'}{age.reason && <><br />理由：{age.reason}</>}</>
          : 'なし', ['age'])}
      </dl>
      <h3 class="view-h">応募資格と募集内容</h3>
      <dl class="dl">
        {row('応募できる資格', (b.licences ?? []).map((l: string) => nameOf(ref?.licence_types, l)).join('、'), ['licences'])}
        {row('診療科', (b.departments ?? []).map((d: string) => nameOf(ref?.departments, d)).join('、'), ['departments'])}
        {row('特徴', (b.flags ?? []).map((f: string) => labelOf(FLAGS, f)).join('、'), ['flags'])}
        {row('PR', b.pr && <span class="pre">{b.pr}</span>, ['pr'])}
      </dl>
    </div>
  );
}

export const ACTION_LABEL: Record<string, string> = {
  created: '作成',
  updated: '内容の変更',
  submitted: '審査の依頼',
  published: '公開',
  returned: '差し戻し',
  refused: '不受理',
  closed: '掲載終了',
  extended: '掲載期限の延長',
  expired: '期限切れ',
};

export function OfferHistory({ id, version = 0 }: { id: number | string; version?: number }) {
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ items: HistoryItem[] }>(`/job-offers/${encodeURIComponent(String(id))}/history`)
      .then((r) => setItems(r.items || []), (e) => setError(errText(e)));
  };
  useEffect(load, [id, version]);
  return (
    <section class="card" aria-labelledby="offer-history-h">
      <h2 id="offer-history-h">履歴</h2>
      <p class="muted">作成・変更・審査などの記録です。新しいものから順に表示しています。</p>
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : !items.length ? <EmptyState title="記録はまだありません" /> : (
        <ol class="history">
          {items.map((it, i) => {
            const d = it.detail || {};
            return (
              <li key={`${it.at}-${i}`} class={`history-item offer-history-${it.action}`}>
                <p class="history-head">
                  <strong>{ACTION_LABEL[it.action] ?? it.action}</strong>
                  <span class="history-meta">
                    <time>{formatDateTime(it.at)}</time>
                    <span>{it.actor_name ? `${it.actor_name}（${ROLE_LABEL[it.actor_role] ?? it.actor_role}）` : 'システム'}</span>
                  </span>
                </p>
                {typeof d.copied_from === 'number' && <p class="history-reason"><span class="change-field">コピー元</span><span>求人票（管理番号 {d.copied_from}）</span></p>}
                {it.action === 'refused' && typeof d.ground === 'string' && (
                  <p class="history-reason"><span class="change-field">不受理の根拠</span><span>{GROUND_LABEL[d.ground] ?? d.ground}</span></p>
                )}
                {it.action === 'closed' && typeof d.reason === 'string' && (
                  <p class="history-reason"><span class="change-field">終了の理由</span><span>{CLOSE_REASON_LABEL[d.reason] ?? d.reason}</span></p>
                )}
                {(it.action === 'returned' || it.action === 'refused' || it.action === 'published') && typeof d.reason === 'string' && d.reason && (
                  <p class="history-reason"><span class="change-field">{it.action === 'returned' ? '差し戻しの理由' : it.action === 'refused' ? '不受理の理由' : 'コメント'}</span><span class="pre">{d.reason}</span></p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** The review result shown above an offer (returned / refused / closed). */
export function ReviewNote({ offer: o }: { offer: Offer }) {
  if (o.status === 'returned' && o.review_reason) {
    return <div class="reason"><p class="reason-title">差し戻しの理由</p><p class="pre">{o.review_reason}</p></div>;
  }
  if (o.status === 'refused') {
    return (
      <div class="reason">
        <p class="reason-title">不受理の根拠</p>
        <p>{GROUND_LABEL[o.refusal_ground ?? ''] ?? o.refusal_ground ?? '—'}</p>
        {o.review_reason && <><p class="reason-title">理由</p><p class="pre">{o.review_reason}</p></>}
      </div>
    );
  }
  if (o.status === 'closed' && o.close_reason) {
    return <p>終了の理由：{CLOSE_REASON_LABEL[o.close_reason] ?? o.close_reason}</p>;
  }
  return null;
}

/** Key facts of an offer: number, validity, version. */
export function OfferFacts({ offer: o }: { offer: Offer }) {
  return (
    <dl class="dl offer-facts">
      <dt>求人番号</dt><dd>{o.offer_no ?? <span class="muted">公開時に付きます</span>}</dd>
      <dt>掲載期限</dt><dd>{o.valid_until ? formatDate(o.valid_until) : <span class="muted">公開時に決まります</span>}</dd>
      {o.published_at && <><dt>公開日時</dt><dd>{formatDateTime(o.published_at)}</dd></>}
      <dt>版</dt><dd>第{o.version}版</dd>
      <dt>最終更新</dt><dd>{formatDateTime(o.updated_at)}</dd>
    </dl>
  );
}
