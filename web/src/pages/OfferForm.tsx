// 求人票を作成 / 求人票の編集: the offer form, grouped by the disclosure items of
// 職業安定法5条の3, with the live compliance check (POST /job-offers/check) shown in a
// panel and next to the fields, saving as 下書き and 審査を依頼する.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, loadMunicipalities, post, type Code, type FieldError, type Ref } from '../api';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { useDraft } from '../draft';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { CheckboxGroup, ErrorSummary, RadioGroup, SelectField, TextArea, TextField } from '../ui/Field';
import { LoadError, Spinner, toast } from '../ui/Feedback';
import { useForm } from '../ui/form';
import { useRefData, type Facility } from './facilityParts';
import {
  AGE_EXCEPTIONS, CONTRACT_TYPES, errText, FindingsPanel, FLAGS, INSURANCES, OfferStatusBadge, put, RENEWALS,
  SHIFTS, SMOKING, WAGE_TYPES, WAGE_UNIT, type Finding, type Offer, type OfferAnswer,
} from './offerParts';
import { emptyForm, toBody, toForm, visible, type FormValues } from './offerModel';

const opts = (list: Code[] | undefined) => (list ?? []).map((c) => ({ value: c.code, label: c.name }));
const YES_NO = [{ value: 'yes', label: 'あり' }, { value: 'no', label: 'なし' }];
const JOIN = [{ value: 'yes', label: '加入する' }, { value: 'no', label: '加入しない' }];
const EDITABLE = ['draft', 'returned', 'published'];

function useFacility() {
  const session = useSession();
  const fid = session.status === 'user' ? session.user.facility_id : null;
  const [f, setF] = useState<Facility | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    if (!fid) return;
    setError(null);
    get<{ facility: Facility }>(`/facilities/${encodeURIComponent(String(fid))}`).then((r) => setF(r.facility), (e) => setError(errText(e)));
  };
  useEffect(load, [fid]);
  return { fid, facility: f, error: fid ? error : 'このアカウントには施設が登録されていません。ナースセンターにお問い合わせください。', load };
}

/** /facility/offers/new */
export function OfferNew() {
  const { facility, error, load } = useFacility();
  const { ref, error: refError, load: loadRefData } = useRefData();
  return (
    <Page title="求人票を作成" wide lead="職業安定法で明示が必要な労働条件の項目ごとに入力します。入力中も法令チェックの結果が表示されます。途中で「下書きとして保存」もできます。">
      {error || refError ? <LoadError message={(error || refError)!} onRetry={() => { load(); loadRefData(); }} />
        : !facility || !ref ? <Spinner /> : <OfferEditor facility={facility} offer={null} refData={ref} />}
    </Page>
  );
}

/** /facility/offers/:id/edit */
export function OfferEdit({ params }: { params: { id: string } }) {
  const { facility, error, load } = useFacility();
  const { ref, error: refError, load: loadRefData } = useRefData();
  const [a, setA] = useState<OfferAnswer | null>(null);
  const [offerError, setOfferError] = useState<string | null>(null);
  const loadOffer = () => {
    setOfferError(null);
    get<OfferAnswer>(`/job-offers/${encodeURIComponent(params.id)}`).then(setA, (e) => setOfferError(errText(e)));
  };
  useEffect(loadOffer, [params.id]);
  const err = error || refError || offerError;
  const o = a?.offer;
  return (
    <Page title="求人票の編集" wide lead={o ? `「${o.body?.title || '（タイトル未入力）'}」を編集しています。` : undefined}>
      <p><Link href={`/facility/offers/${encodeURIComponent(params.id)}`}>求人票の詳細へ戻る</Link></p>
      {err ? <LoadError message={err} onRetry={() => { load(); loadRefData(); loadOffer(); }} />
        : !facility || !ref || !a ? <Spinner />
        : !EDITABLE.includes(a.offer.status) ? (
          <div class="notice notice-info" role="status">
            <p>この求人票は「<OfferStatusBadge status={a.offer.status} />」のため、変更できません。</p>
            <p>{a.offer.status === 'submitted' ? '審査の結果が出るまでお待ちください。' : '同じ内容で募集する場合は、求人票の一覧から「コピーして新規作成」を使ってください。'}</p>
          </div>
        ) : <OfferEditor facility={facility} offer={a.offer} refData={ref} initialFindings={a.findings} />}
    </Page>
  );
}

function initialValues(facility: Facility, offer: Offer | null): FormValues {
  if (offer) return { ...toForm(offer.body ?? {}), _base: String(offer.updated_at) };
  const v = emptyForm();
  v['employer.name'] = facility.corporation || facility.name || '';
  v['workplace.municipality_code'] = facility.municipality || '';
  v['workplace.address'] = facility.address || '';
  v['workplace.station'] = facility.station || '';
  v['workplace.access'] = facility.access || '';
  v._base = 'new';
  return v;
}

function OfferEditor({ facility, offer, refData, initialFindings }: {
  facility: Facility; offer: Offer | null; refData: Ref; initialFindings?: Finding[];
}) {
  const draftKey = offer ? `offer-${offer.id}` : `offer-new-${facility.id}`;
  const init = initialValues(facility, offer);
  const [v, setV, clearDraft] = useDraft<FormValues>(draftKey, init);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const afterFailedSubmit = new URLSearchParams(location.search).get('check') === '1';
  const [showAll, setShowAll] = useState(!!offer);
  const [findings, setFindings] = useState<Finding[] | null>(initialFindings ?? null);
  const [checking, setChecking] = useState(false);
  const [checkFailed, setCheckFailed] = useState<string | null>(null);
  const [serverFields, setServerFields] = useState<FieldError[]>([]);
  const [munis, setMunis] = useState<Code[] | null>(null);
  const [muniError, setMuniError] = useState<string | null>(null);
  const [facilityBlocked, setFacilityBlocked] = useState(facility.status !== 'approved');
  const form = useForm();
  const [action, setAction] = useState<'save' | 'submit' | null>(null);
  const abort = useRef<AbortController | null>(null);
  const status = offer?.status ?? 'draft';
  const published = status === 'published';

  // A draft kept for an older copy of the offer is dropped.
  useEffect(() => {
    if (String(v._base ?? '') !== String(init._base)) { clearDraft(); }
  }, []);
  useEffect(() => {
    if (afterFailedSubmit) {
      form.fail('審査を依頼できませんでした。「修正が必要な項目」をすべて直してから、もう一度依頼してください。');
      history.replaceState(null, '', location.pathname);
    }
  }, []);

  useEffect(() => {
    let live = true;
    loadMunicipalities(facility.prefecture).then((m) => live && setMunis(m), (e) => live && setMuniError(errText(e)));
    return () => { live = false; };
  }, [facility.prefecture]);

  const built = toBody(v);
  const clientErrors = built.errors;
  const bodyKey = JSON.stringify(built.body);

  // The live check: debounced, the previous request aborted.
  useEffect(() => {
    const t = setTimeout(() => {
      abort.current?.abort();
      const ac = new AbortController();
      abort.current = ac;
      setChecking(true);
      post<{ findings: Finding[] }>('/job-offers/check', built.body, { signal: ac.signal }).then((r) => {
        if (ac.signal.aborted) return;
        setFindings(r.findings || []); setCheckFailed(null); setChecking(false);
      }, (e) => {
        if (ac.signal.aborted || (e instanceof ApiError && e.code === 'aborted')) return;
        setChecking(false);
        if (e instanceof ApiError && e.status === 422 && e.fields.length) {
          setFindings(e.fields.map((f) => ({ severity: 'error', code: f.code, field: f.field, message: f.message })));
          setCheckFailed(null);
        } else setCheckFailed(`法令チェックを実行できませんでした。${errText(e)}`);
      });
    }, findings === null ? 0 : 500);
    return () => clearTimeout(t);
  }, [bodyKey]);
  useEffect(() => () => abort.current?.abort(), []);

  const set = (patch: FormValues) => {
    setTouched((t) => { const n = new Set(t); Object.keys(patch).forEach((k) => n.add(k)); return n; });
    setServerFields((fs) => fs.filter((f) => !(f.field in patch)));
    setV(patch);
  };
  const str = (k: string) => String(v[k] ?? '');
  const arr = (k: string) => (Array.isArray(v[k]) ? v[k] as string[] : []);

  const errorFor = (k: string): string | null => {
    const c = clientErrors.find((e) => e.field === k) || serverFields.find((e) => e.field === k);
    if (c) return c.message;
    const fs = (findings ?? []).filter((f) => f.severity === 'error' && f.field === k
      && (showAll || touched.has(k) || !f.code.endsWith('.missing')));
    return fs.length ? fs.map((f) => f.message).join(' ') : null;
  };
  const hintFor = (k: string, text?: ComponentChildren): ComponentChildren => {
    const ws = (findings ?? []).filter((f) => f.severity === 'warning' && f.field === k);
    if (!ws.length) return text;
    return (
      <>
        {text}
        {ws.map((w, i) => (
          <span key={i} class="field-warning"><span aria-hidden="true">⚠ </span><span class="visually-hidden">注意：</span>{w.message}</span>
        ))}
      </>
    );
  };
  const text = (k: string, label: string, extra: Record<string, any> = {}, hint?: ComponentChildren) => (
    <TextField name={k} label={label} value={str(k)} onValue={(x) => set({ [k]: x })} error={errorFor(k)} hint={hintFor(k, hint)} {...extra} />
  );
  const area = (k: string, label: string, extra: Record<string, any> = {}, hint?: ComponentChildren) => (
    <TextArea name={k} label={label} value={str(k)} onValue={(x) => set({ [k]: x })} error={errorFor(k)} hint={hintFor(k, hint)} {...extra} />
  );
  const int = (k: string, label: string, extra: Record<string, any> = {}, hint?: ComponentChildren) =>
    text(k, label, { inputMode: 'numeric', autocomplete: 'off', maxLength: 12, class: 'field-num', ...extra }, hint);
  const radios = (k: string, label: string, options: { value: string; label: string }[], extra: Record<string, any> = {}, hint?: ComponentChildren) => (
    <RadioGroup name={k} label={label} value={str(k)} onValue={(x) => set({ [k]: x })} options={options} error={errorFor(k)} hint={hintFor(k, hint)} {...extra} />
  );
  const checks = (k: string, label: string, options: { value: string; label: string }[], extra: Record<string, any> = {}, hint?: ComponentChildren) => (
    <CheckboxGroup name={k} label={label} value={arr(k)} onValue={(x) => set({ [k]: x })} options={options} error={errorFor(k)} hint={hintFor(k, hint)} {...extra} />
  );
  const show = (k: string) => visible(v, k);

  const errorsCount = (findings ?? []).filter((f) => f.severity === 'error').length + clientErrors.length;
  const wageUnit = WAGE_UNIT[str('wage.type')] ?? '';

  // ---- saving ----------------------------------------------------------------------------
  const save = async (): Promise<Offer> => {
    const { body } = toBody(v);
    if (!offer) {
      const r = await post<OfferAnswer>(`/facilities/${encodeURIComponent(String(facility.id))}/offers`, body);
      return r.offer;
    }
    const r = await put<OfferAnswer>(`/job-offers/${offer.id}`, body);
    setFindings(r.findings);
    return r.offer;
  };
  const clientCheck = () => {
    if (clientErrors.length) setShowAll(true);
    return clientErrors;
  };
  const onServerError = (e: unknown) => {
    if (e instanceof ApiError && e.status === 422) { setShowAll(true); setServerFields(e.fields); }
    throw e;
  };

  const saveDraft = () => {
    setAction('save');
    form.run(async () => {
      let saved: Offer;
      try { saved = await save(); } catch (e) { onServerError(e); return; }
      if (!offer) {
        clearDraft();
        toast('下書きを保存しました。');
        navigate(`/facility/offers/${saved.id}/edit`, { replace: true });
      } else if (published) {
        clearDraft();
        toast('変更を保存しました。新しい版が公開されています。');
        navigate(`/facility/offers/${saved.id}`);
      } else {
        setV({ _base: String(saved.updated_at) });
        toast('下書きを保存しました。');
      }
    }, clientCheck);
  };

  const submit = () => {
    setAction('submit');
    form.run(async () => {
      let saved: Offer;
      try { saved = await save(); } catch (e) { onServerError(e); return; }
      try {
        await post(`/job-offers/${saved.id}/submit`);
      } catch (e) {
        if (!offer) {
          // The draft exists now: continue on its edit page, which shows what blocks it.
          clearDraft();
          toast(e instanceof ApiError && e.status === 409 && e.field === 'facility'
            ? '下書きを保存しました。施設の審査が完了していないため、審査はまだ依頼できません。' : '下書きを保存しました。', 'info');
          navigate(`/facility/offers/${saved.id}/edit${e instanceof ApiError && e.status === 422 ? '?check=1' : ''}`, { replace: true });
          return;
        }
        setV({ _base: String(saved.updated_at) });
        if (e instanceof ApiError && e.status === 409 && e.field === 'facility') {
          setFacilityBlocked(true);
          throw new ApiError(409, e.code, '施設の審査が完了していないため、求人票の審査を依頼できません。施設情報の審査が完了するまでお待ちください。');
        }
        if (e instanceof ApiError && e.status === 422) {
          setShowAll(true);
          setServerFields(e.fields);
          throw new ApiError(422, e.code, '審査を依頼できませんでした。次の項目を修正してください。', null, e.fields);
        }
        throw e;
      }
      clearDraft();
      toast('審査を依頼しました。ナースセンターの審査が終わると、メールでお知らせします。');
      navigate(`/facility/offers/${saved.id}`);
    }, clientCheck);
  };

  const muniPlaceholder = !munis ? '読み込み中です' : '選択してください';
  return (
    <div class="offer-layout">
      <form class="form offer-form" noValidate onSubmit={(e) => { e.preventDefault(); published ? saveDraft() : submit(); }} aria-label="求人票の入力">
        <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} />
        {offer && (
          <p class="status-line"><span>現在の状態：</span><OfferStatusBadge status={offer.status} />
            {offer.status === 'returned' && offer.review_reason && <span class="muted">差し戻しの理由は求人票の詳細でご確認いただけます。</span>}
          </p>
        )}
        {offer?.status === 'returned' && offer.review_reason && (
          <div class="reason"><p class="reason-title">差し戻しの理由</p><p class="pre">{offer.review_reason}</p></div>
        )}
        {published && (
          <div class="notice notice-info"><p>この求人票は掲載中です。変更を保存すると新しい版として公開され、法令チェックで修正が必要な項目があると保存できません。</p></div>
        )}

        <fieldset class="form-section" id="sec-basic" tabIndex={-1}>
          <legend>求人票の概要</legend>
          {text('title', '求人票のタイトル', { required: true, maxLength: 100 }, '職種と働き方が分かるようにします。例：病棟看護師（二交代・夜勤あり）')}
          {text('employer.name', '求人者の名称', { required: true, maxLength: 100, autocomplete: 'organization' }, '雇用契約を結ぶ法人・事業者の名称です。')}
          <div class="grid-2">
            <SelectField name="employment_form" label="雇用形態" value={str('employment_form')} onValue={(x) => set({ employment_form: x })}
              options={opts(refData.employment_forms)} required error={errorFor('employment_form')} hint={hintFor('employment_form')} />
            {int('positions', '募集人数（人）', {}, '数字のみ。例：2')}
          </div>
        </fieldset>

        <fieldset class="form-section" id="sec-duties" tabIndex={-1}>
          <legend>業務内容</legend>
          {area('duties.description', '仕事の内容', { required: true, maxLength: 2000, rows: 5 }, '配属先、担当する業務、夜勤の有無などを具体的に書いてください（2000文字以内）。')}
          {area('duties.change_scope', '業務の変更の範囲', { required: true, maxLength: 500, rows: 2 }, '雇い入れ後に変更がありうる業務の範囲です。変更がない場合は「変更なし」と書いてください（2024年4月からの明示事項）。')}
        </fieldset>

        <fieldset class="form-section" id="sec-contract" tabIndex={-1}>
          <legend>契約期間</legend>
          {radios('contract.type', '契約期間', CONTRACT_TYPES, { required: true })}
          {show('contract.start') && (
            <div class="grid-2">
              {text('contract.start', '契約の開始日', { type: 'date', required: true })}
              {text('contract.end', '契約の終了日', { type: 'date', required: true })}
            </div>
          )}
          {show('contract.renewal') && radios('contract.renewal', '契約の更新', RENEWALS, { required: true })}
          {show('contract.renewal_criteria') && area('contract.renewal_criteria', '更新の判断基準', { maxLength: 500, rows: 2 }, '例：勤務成績、業務量、経営状況により判断します。')}
          {show('contract.renewal_cap') && radios('contract.renewal_cap', '更新上限（更新回数または通算契約期間の上限）', YES_NO, { required: true })}
          {show('contract.max_renewals') && (
            <div class="grid-2">
              {int('contract.max_renewals', '更新回数の上限（回）', {}, 'どちらか一方で構いません。')}
              {int('contract.max_total_months', '通算契約期間の上限（か月）')}
            </div>
          )}
        </fieldset>

        <fieldset class="form-section" id="sec-probation" tabIndex={-1}>
          <legend>試用期間</legend>
          {radios('probation.present', '試用期間', YES_NO, { required: true })}
          {show('probation.months') && int('probation.months', '試用期間の長さ（か月）', { required: true }, '1〜24か月。例：3')}
          {show('probation.conditions_differ') && radios('probation.conditions_differ', '試用期間中の労働条件', [
            { value: 'no', label: '本採用後と同じ' }, { value: 'yes', label: '本採用後と異なる' }], { required: true })}
          {show('probation.conditions') && area('probation.conditions', '試用期間中の労働条件の内容', { required: true, maxLength: 500, rows: 2 }, '例：試用期間中の基本給は月額25万円')}
        </fieldset>

        <fieldset class="form-section" id="sec-workplace" tabIndex={-1}>
          <legend>就業場所</legend>
          <SelectField name="workplace.municipality_code" label="市区町村" value={str('workplace.municipality_code')}
            onValue={(x) => set({ 'workplace.municipality_code': x })} options={opts(munis ?? [])} required disabled={!munis}
            placeholder={muniPlaceholder} error={errorFor('workplace.municipality_code') || muniError}
            hint={hintFor('workplace.municipality_code', '施設の所在する都道府県の市区町村から選びます。最低賃金は就業場所の都道府県の額で確認します。')} />
          {text('workplace.address', '住所（町名・番地以降）', { required: true, maxLength: 200, autocomplete: 'address-line1' }, '例：丸の内1-1-1')}
          <div class="grid-2">
            {text('workplace.station', '最寄り駅', { maxLength: 100 }, '例：JR東京駅')}
            {text('workplace.access', '交通手段', { maxLength: 500 }, '例：丸の内北口から徒歩5分、マイカー通勤可')}
          </div>
          {area('workplace.change_scope', '就業場所の変更の範囲', { required: true, maxLength: 500, rows: 2 }, '雇い入れ後に変更がありうる就業場所です。変更がない場合は「変更なし」と書いてください。')}
        </fieldset>

        <fieldset class="form-section" id="sec-hours" tabIndex={-1}>
          <legend>就業時間</legend>
          <div class="grid-2">
            {text('hours.start', '始業時刻', { required: true, maxLength: 5, inputMode: 'numeric', autocomplete: 'off', placeholder: '08:30' }, '24時間表記。例：08:30')}
            {text('hours.end', '終業時刻', { required: true, maxLength: 5, inputMode: 'numeric', autocomplete: 'off', placeholder: '17:15' }, '夜勤は翌日の時刻。例：17:15')}
          </div>
          {checks('hours.shift_patterns', '勤務形態', SHIFTS, { required: true }, '当てはまるものをすべて選んでください。')}
          <div class="grid-2">
            {int('hours.night_shifts_per_month', '月の夜勤回数（回）', {}, '夜勤がない場合は 0。')}
            {int('hours.break_minutes', '休憩時間（分）', { required: true }, '例：60')}
          </div>
          {radios('hours.overtime', '時間外労働', YES_NO, { required: true })}
          {show('hours.overtime_avg_hours') && int('hours.overtime_avg_hours', '月平均の時間外労働（時間）', { required: true }, '例：10')}
        </fieldset>

        <fieldset class="form-section" id="sec-holidays" tabIndex={-1}>
          <legend>休日</legend>
          <div class="grid-2">
            {int('holidays.annual_days', '年間休日数（日）', { required: true }, '例：120')}
            {text('holidays.pattern', '休日の形態', { maxLength: 100 }, '例：4週8休、土日祝休み')}
          </div>
        </fieldset>

        <fieldset class="form-section" id="sec-wage" tabIndex={-1}>
          <legend>賃金</legend>
          {radios('wage.type', '賃金の形態', WAGE_TYPES, { required: true })}
          <div class="notice notice-info wage-note" id="wage-note">
            <p>最低賃金と比べる賃金は「基本給」欄の額です。基本給と、毎月決まって支払う手当（職務手当など）の合計を入力してください。通勤手当・家族手当・夜勤手当・時間外手当・賞与は含めません。月給・日給・年俸は、就業時間と年間休日から時間額に換算して確認します。</p>
          </div>
          <div class="grid-2">
            {int('wage.base_min', `基本給の下限（${wageUnit || '金額'}・円）`, { required: true }, '最低賃金の対象となる賃金です。例：260000')}
            {int('wage.base_max', `基本給の上限（${wageUnit || '金額'}・円）`, {}, '経験などにより幅がある場合。')}
          </div>
          {area('wage.allowances', '手当', { maxLength: 1000, rows: 3 }, '例：夜勤手当 1回10,000円、通勤手当 実費（上限3万円）')}
          {radios('wage.fixed_overtime', '固定残業代', YES_NO, { required: true }, '一定時間分の時間外手当を定額で支払う制度です。')}
          {show('wage.fixed_overtime_hours') && (
            <div class="grid-2">
              {int('wage.fixed_overtime_hours', '固定残業代に相当する時間（時間）', { required: true })}
              {int('wage.fixed_overtime_amount', '固定残業代の金額（円）', { required: true }, '超える時間外労働には別途支払う旨を手当欄に記載してください。')}
            </div>
          )}
        </fieldset>

        <fieldset class="form-section" id="sec-insurance" tabIndex={-1}>
          <legend>社会保険</legend>
          <div class="grid-2">
            {INSURANCES.map((i) => radios(`insurance.${i.key}`, i.label, JOIN, { required: true }))}
          </div>
        </fieldset>

        <fieldset class="form-section" id="sec-smoking" tabIndex={-1}>
          <legend>受動喫煙対策</legend>
          {radios('smoking.measure', '受動喫煙を防止するための措置', SMOKING, { required: true })}
          {(str('smoking.measure') === 'other' || str('smoking.note')) && text('smoking.note', '措置の内容', { maxLength: 200, required: str('smoking.measure') === 'other' })}
        </fieldset>

        <fieldset class="form-section" id="sec-age" tabIndex={-1}>
          <legend>年齢制限</legend>
          <RadioGroup name="age.limit" label="年齢制限" value={str('age.limit')} onValue={(x) => set({ 'age.limit': x })} required
            options={[{ value: 'no', label: 'なし' }, { value: 'yes', label: 'あり（例外事由に該当する場合のみ）' }]}
            hint="募集・採用で年齢を制限することは、労働施策総合推進法9条により原則として禁止されています。" />
          {show('age.max') && (
            <>
              {int('age.max', '上限の年齢（歳）', { required: true }, '例：59（定年が60歳の場合）')}
              {radios('age.exception', '例外事由（労働施策総合推進法施行規則1条の3第1項）', AGE_EXCEPTIONS, { required: true })}
              {text('age.reason', '年齢制限の理由', { maxLength: 200 }, '求職者に示す理由です。例：定年が60歳のため')}
            </>
          )}
        </fieldset>

        <fieldset class="form-section" id="sec-applicants" tabIndex={-1}>
          <legend>応募資格と募集内容</legend>
          {checks('licences', '応募できる資格', opts(refData.licence_types), { required: true })}
          {checks('departments', '診療科・部門', opts(refData.departments))}
          {checks('flags', '特徴', FLAGS, {}, '求人検索の条件として使われます。')}
          {area('pr', 'PR', { maxLength: 2000, rows: 4 }, '職場の雰囲気、教育体制、働きやすさなど（2000文字以内）。')}
        </fieldset>

        <div class="offer-actions card">
          {facilityBlocked && !published && (
            <div class="notice notice-info" id="submit-blocked">
              <p>施設情報の審査が完了していないため、求人票の審査はまだ依頼できません（施設の状態：{facility.status === 'pending_review' ? '審査中' : facility.status === 'returned' ? '差し戻し' : facility.status === 'closed' ? '利用終了' : facility.status}）。下書きとして保存しておき、施設が承認されてから依頼してください。<Link href="/facility/profile">施設情報を確認する</Link></p>
            </div>
          )}
          {!published && errorsCount > 0 && !facilityBlocked && (
            <p class="muted" id="submit-note">法令チェックで修正が必要な項目が {errorsCount}件あります。すべて直すと審査を依頼できます。<a href="#findings" onClick={(e) => { e.preventDefault(); const el = document.getElementById('findings'); el?.focus(); el?.scrollIntoView({ block: 'start' }); }}>法令チェックの結果を見る</a></p>
          )}
          <div class="actions">
            {published ? (
              <Button type="submit" busy={form.busy} busyLabel="保存しています">変更を保存して公開する</Button>
            ) : (
              <>
                <Button type="submit" busy={form.busy && action === 'submit'} busyLabel="依頼しています" disabled={facilityBlocked}
                  aria-describedby={facilityBlocked ? 'submit-blocked' : errorsCount ? 'submit-note' : undefined}>審査を依頼する</Button>
                <Button variant="secondary" busy={form.busy && action === 'save'} busyLabel="保存しています" onClick={saveDraft}>下書きとして保存</Button>
              </>
            )}
            <Link href={offer ? `/facility/offers/${offer.id}` : '/facility/offers'} onClick={() => clearDraft()}>保存せずに戻る</Link>
          </div>
        </div>
      </form>
      <aside class="offer-aside" aria-label="法令チェック">
        <FindingsPanel findings={findings} checking={checking} failed={checkFailed}
          note={<p class="muted">入力内容を自動で確認しています。「修正が必要な項目」があると審査を依頼できません。項目名を押すと入力欄へ移動します。</p>} />
      </aside>
    </div>
  );
}
