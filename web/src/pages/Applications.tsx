// Applications (応募・紹介) for facilities and nurse centers: the facility's 紹介された求職者
// (per offer), the center's 紹介依頼の確認 queue, 定着確認 tasks, the list of every case of the
// prefecture with filters, and 窓口での求職者登録 (a nurse without internet).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, loadRef, post, type FieldError, type Ref } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { formatDate, formatDateTime } from '../format';
import { Checker } from '../validate';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { ErrorSummary, SelectField, TextField } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable, type Column } from '../ui/Table';
import { useForm } from '../ui/form';
import {
  errText, licenceNames, nextCheckText, overdue, STATE_CODES, STATE_LABEL, StateBadge, useCodes,
  type AppList, type AppSummary, type Codes,
} from './placementParts';
import {
  checkProfile, EMPTY_PROFILE, emptyLicence, fieldOf, PROFILE_LABELS, ProfileFields, toBody, type ProfileValues,
} from './seekerForm';

const PER_PAGE = 20;

function useQuery() {
  const loc = useLocation();
  return { path: loc.path, params: new URLSearchParams(loc.search) };
}
const pageOf = (p: URLSearchParams) => Math.max(1, parseInt(p.get('page') || '1', 10) || 1);
function withQuery(path: string, q: Record<string, string | number | null | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== null && v !== undefined && v !== '' && !(k === 'page' && +v <= 1)) p.set(k, String(v));
  const s = p.toString();
  return path + (s ? '?' + s : '');
}

/** Loads one page of GET /applications with the given filter. */
function useApplications(query: Record<string, string | number | undefined>) {
  const [data, setData] = useState<AppList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);
  const load = () => {
    setError(null);
    get<AppList>('/applications', { per_page: PER_PAGE, ...query })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [key]);
  return { data, error, load };
}

const stateOptions = [{ value: 'open', label: '進行中のすべて' }, ...STATE_CODES.map((c) => ({ value: c, label: STATE_LABEL[c] }))];

// ---- Facility: 紹介された求職者 (/facility/applicants) --------------------------------------------

type OfferRow = { id: number; title: string; status: string; offer_no: string | null };

export function FacilityApplicants() {
  const session = useSession();
  const fid = session.status === 'user' ? session.user.facility_id : null;
  const { params } = useQuery();
  const page = pageOf(params);
  const offerId = params.get('offer_id') ?? '';
  const state = params.get('state') ?? '';
  const codes = useCodes();
  const [offers, setOffers] = useState<OfferRow[]>([]);
  useEffect(() => {
    if (!fid) return;
    get<{ items: OfferRow[] }>(`/facilities/${encodeURIComponent(String(fid))}/offers`).then((r) => setOffers((r.items || []).filter((o) => o.offer_no)), () => {});
  }, [fid]);
  const { data, error, load } = useApplications({ page, offer_id: offerId || undefined, state: state || undefined });
  const go = (q: Record<string, string | number>) => navigate(withQuery('/facility/applicants', { offer_id: offerId, state, page: 1, ...q }));
  const offer = offers.find((o) => String(o.id) === offerId);

  return (
    <Page title={offer ? `紹介された求職者（${offer.title}）` : '紹介された求職者'} wide
      lead="ナースセンターから紹介された求職者です。応募者を開いて紹介状を確認し、面接日と採否（採用・不採用）、就職を登録してください。">
      <form class="filter-bar" aria-label="絞り込み" onSubmit={(e) => e.preventDefault()}>
        <SelectField name="offer_id" plain label="求人票" value={offerId} onValue={(x) => go({ offer_id: x })}
          options={offers.map((o) => ({ value: String(o.id), label: `${o.title}（${o.offer_no}）` }))} placeholder="すべての求人票" />
        <SelectField name="state" plain label="状況" value={state} onValue={(x) => go({ state: x })} class="narrow-field"
          options={stateOptions.filter((o) => !['requested', 'proposed', 'withdrawn', 'refused'].includes(o.value))} placeholder="すべて" />
      </form>
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<AppSummary>
          caption={offer ? `「${offer.title}」に紹介された求職者` : '紹介された求職者の一覧'}
          rows={data.items}
          rowKey={(r) => r.id}
          page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => go({ page: p })}
          columns={[
            { key: 'name', label: '応募者', render: (r) => <Link href={`/facility/applicants/${r.id}`}>{r.applicant?.name ?? '応募者'}</Link> },
            { key: 'licences', label: '資格', render: (r) => licenceNames(r.applicant, codes) || '—' },
            { key: 'years', label: '経験年数', render: (r) => (r.applicant?.experience?.years ?? null) === null ? '—' : `${r.applicant!.experience!.years}年` },
            { key: 'offer', label: '求人票', render: (r) => r.offer.title },
            { key: 'state', label: '状況', render: (r) => <StateBadge state={r.state} label={r.state_label} /> },
            { key: 'interview_date', label: '面接日', class: 'col-nowrap', render: (r) => (r.interview_date ? formatDate(r.interview_date) : '—') },
            { key: 'referral_no', label: '紹介番号', class: 'col-nowrap', render: (r) => r.referral_no ?? '—' },
            { key: 'updated_at', label: '最終更新', render: (r) => formatDateTime(r.updated_at) },
          ]}
          empty={<EmptyState title="紹介された求職者はいません">ナースセンターが求職者を紹介すると、ここに表示され、メールでもお知らせします。</EmptyState>}
        />
      )}
    </Page>
  );
}

// ---- Center: lists -----------------------------------------------------------------------------

const CENTER_TABS = [
  { href: '/center/referral-requests', label: '紹介依頼の確認' },
  { href: '/center/retention', label: '定着確認' },
  { href: '/center/applications', label: 'すべての応募・紹介' },
];

function CenterTabs({ current }: { current: string }) {
  return (
    <ul class="tabs" aria-label="応募・紹介の一覧の切り替え">
      {CENTER_TABS.map((t) => <li key={t.href}><Link href={t.href} aria-current={t.href === current ? 'page' : undefined}>{t.label}</Link></li>)}
    </ul>
  );
}

function applicantCell(r: AppSummary) {
  return <Link href={`/center/applications/${r.id}`}>{r.applicant?.name ?? `案件 ${r.id}`}</Link>;
}

function centerColumns(codes: Codes, extra: Column<AppSummary>[] = []): Column<AppSummary>[] {
  return [
    { key: 'name', label: '求職者', render: applicantCell },
    { key: 'licences', label: '資格', render: (r) => licenceNames(r.applicant, codes) || '—' },
    { key: 'offer', label: '求人', render: (r) => <div>{r.offer.title}<br /><span class="muted">{r.offer.facility_name}</span></div> },
    ...extra,
    { key: 'state', label: '状況', render: (r) => <StateBadge state={r.state} label={r.state_label} /> },
  ];
}

/** /center/referral-requests: 紹介依頼の確認 (requested cases). */
export function ReviewQueue() {
  const { params } = useQuery();
  const page = pageOf(params);
  const codes = useCodes();
  const { data, error, load } = useApplications({ task: 'review', page });
  return (
    <Page title="紹介依頼の確認" wide lead="求職者から紹介の依頼があった案件です。求職者と求人の内容を確認し、紹介する（紹介状を発行する）か、見送るかを決めてください。">
      <CenterTabs current="/center/referral-requests" />
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<AppSummary>
          caption="確認を待っている紹介依頼"
          rows={data.items} rowKey={(r) => r.id}
          page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => navigate(withQuery('/center/referral-requests', { page: p }))}
          columns={[
            ...centerColumns(codes, [{ key: 'origin', label: 'きっかけ', render: (r) => (r.origin === 'proposal' ? '提案への同意' : '紹介依頼') }]),
            { key: 'created_at', label: '依頼日時', render: (r) => formatDateTime(r.created_at) },
            { key: 'go', label: '操作', render: (r) => <Link class="btn btn-secondary btn-small" href={`/center/applications/${r.id}`}>確認する<span class="visually-hidden">（{r.applicant?.name}）</span></Link> },
          ]}
          empty={<EmptyState title="確認を待っている紹介依頼はありません">求職者が紹介を依頼すると、ここに表示されます。</EmptyState>}
        />
      )}
    </Page>
  );
}

/** /center/retention: 定着確認 due within 7 days or overdue. */
export function RetentionTasks() {
  const { params } = useQuery();
  const page = pageOf(params);
  const codes = useCodes();
  const { data, error, load } = useApplications({ task: 'retention', page });
  return (
    <Page title="定着確認" wide lead="就職した求職者の定着の確認（就職から1か月・3か月・6か月）のうち、期日が7日以内または過ぎているものです。期日の古い順に並んでいます。">
      <CenterTabs current="/center/retention" />
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<AppSummary>
          caption="定着確認の予定"
          rows={data.items} rowKey={(r) => r.id}
          page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => navigate(withQuery('/center/retention', { page: p }))}
          columns={[
            ...centerColumns(codes, [{ key: 'start_date', label: '就職日', class: 'col-nowrap', render: (r) => (r.start_date ? formatDate(r.start_date) : '—') }]),
            { key: 'next_check', label: '次の確認', render: (r) => <div>{nextCheckText(r.next_check)}{overdue(r.next_check) && <> <span class="badge badge-overdue">期限超過</span></>}</div> },
          ]}
          empty={<EmptyState title="期日の近い定着確認はありません">就職日から1か月・3か月・6か月が近づくと、ここに表示されます。</EmptyState>}
        />
      )}
    </Page>
  );
}

/** /center/applications: every case of the prefecture, with filters. */
export function CenterApplications() {
  const { params } = useQuery();
  const page = pageOf(params);
  const state = params.get('state') ?? '';
  const offerId = params.get('offer_id') ?? '';
  const seekerId = params.get('seeker_id') ?? '';
  const codes = useCodes();
  const { data, error, load } = useApplications({ page, state: state || undefined, offer_id: offerId || undefined, seeker_id: seekerId || undefined });
  const go = (q: Record<string, string | number>) => navigate(withQuery('/center/applications', { state, offer_id: offerId, seeker_id: seekerId, page: 1, ...q }));
  return (
    <Page title="応募・紹介の一覧" wide lead="ナースセンターが担当するすべての応募・紹介の案件です。新しく動きのあったものから並んでいます。">
      <CenterTabs current="/center/applications" />
      <form class="filter-bar" aria-label="絞り込み" onSubmit={(e) => e.preventDefault()}>
        <SelectField name="state" plain label="状況" value={state} onValue={(x) => go({ state: x })} options={stateOptions} placeholder="すべて" class="narrow-field" />
        {(offerId || seekerId) && (
          <p class="filter-note">
            {offerId && <>求人（ID {offerId}）の案件に絞り込んでいます。</>}
            {seekerId && <>求職者（ID {seekerId}）の案件に絞り込んでいます。</>}
            <Link href={withQuery('/center/applications', { state })}>絞り込みを解除</Link>
          </p>
        )}
      </form>
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<AppSummary>
          caption="応募・紹介の一覧"
          rows={data.items} rowKey={(r) => r.id}
          page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => go({ page: p })}
          columns={[
            ...centerColumns(codes, [
              { key: 'referral_no', label: '紹介番号', class: 'col-nowrap', render: (r) => r.referral_no ?? '—' },
              { key: 'dates', label: '面接日・就職日', render: (r) => [r.interview_date ? `面接 ${formatDate(r.interview_date)}` : '', r.start_date ? `就職 ${formatDate(r.start_date)}` : ''].filter(Boolean).join(' / ') || '—' },
            ]),
            { key: 'updated_at', label: '最終更新', render: (r) => formatDateTime(r.updated_at) },
          ]}
          empty={<EmptyState title="該当する案件はありません">{state ? '状況の条件を変えてお試しください。' : null}</EmptyState>}
        />
      )}
    </Page>
  );
}

// ---- Center: 窓口での求職者登録 (/center/seekers/new) ----------------------------------------------

type CounterValues = ProfileValues & { name: string; name_kana: string; email: string };

export function CounterRegistration() {
  const session = useSession();
  const user = session.status === 'user' ? session.user : null;
  const [ref, setRef] = useState<Ref | null>(null);
  const [error, setError] = useState<string | null>(null);
  const init = (): CounterValues => ({
    ...EMPTY_PROFILE, name: '', name_kana: '', email: '', prefecture: user?.prefecture ?? '',
    w_prefectures: user?.prefecture ? [user.prefecture] : [], licences: [emptyLicence()],
  });
  const [v, setV] = useState<CounterValues>(init);
  const f = useForm();
  const load = () => { setError(null); loadRef().then(setRef, (e) => setError(errText(e))); };
  useEffect(load, []);
  const set = (patch: Partial<CounterValues> | ((x: CounterValues) => CounterValues)) =>
    setV((cur) => (typeof patch === 'function' ? patch(cur) : { ...cur, ...patch }));

  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const body: Record<string, unknown> = { ...toBody(v), name: v.name.trim(), name_kana: v.name_kana.trim() };
      if (v.email.trim()) body.email = v.email.trim();
      try {
        const r = await post<{ id: number | string }>('/seekers', body);
        toast(v.email.trim() ? `${v.name.trim()} さんを登録しました。パスワード設定の案内をメールで送りました。` : `${v.name.trim()} さんを登録しました。`);
        setV(init());
        navigate(`/people/${encodeURIComponent(String(r.id))}`);
      } catch (err) {
        if (err instanceof ApiError) err.fields = err.fields.map((x: FieldError) => ({ ...x, field: fieldOf(x.field) }));
        throw err;
      }
    }, () => {
      const c = new Checker();
      c.required('name', v.name, '氏名');
      c.kana('name_kana', v.name_kana);
      if (v.email.trim()) c.email('email', v.email);
      if (!v.licences.length) c.add('licences', 'licences.missing', '免許を1件以上登録してください');
      return checkProfile(v, c);
    });
  };

  const labels: Record<string, string> = { ...PROFILE_LABELS, name: '氏名', name_kana: 'フリガナ', email: 'メールアドレス' };
  return (
    <Page title="窓口での求職者登録" lead="インターネットを利用しない看護職の方を、ナースセンターの窓口で求職者として登録します。登録経路は「ナースセンター窓口」として記録されます。">
      {error ? <LoadError message={error} onRetry={load} /> : !ref ? <Spinner /> : (
        <form class="form profile-form" onSubmit={submit} noValidate aria-label="窓口での求職者登録">
          <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={labels} />
          <fieldset class="form-section">
            <legend>ご本人の情報</legend>
            <TextField name="name" label="氏名" required value={v.name} onValue={(x) => set({ name: x })} error={f.error('name')}
              maxLength={100} hint="例：看護 花子（姓と名の間にスペース）" autocomplete="off" />
            <TextField name="name_kana" label="フリガナ" required value={v.name_kana} onValue={(x) => set({ name_kana: x })}
              error={f.error('name_kana')} maxLength={100} hint="カタカナで入力してください。例：カンゴ ハナコ" autocomplete="off" />
            <TextField name="email" label="メールアドレス" type="email" value={v.email} onValue={(x) => set({ email: x })}
              error={f.error('email')} inputMode="email" spellcheck={false} autocapitalize="off" autocomplete="off"
              hint="お持ちの場合のみ。入力すると、ご本人にパスワード設定の案内（72時間有効）をメールで送ります。" />
          </fieldset>
          <ProfileFields v={v} set={set as any} error={f.error} ref_={ref} counter />
          <div class="save-bar">
            <Button type="submit" busy={f.busy} busyLabel="登録しています" class="btn-wide">求職者として登録する</Button>
          </div>
        </form>
      )}
    </Page>
  );
}
