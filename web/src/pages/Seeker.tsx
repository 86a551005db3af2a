// The nurse's (求職者) screens: 求職者情報・希望条件 with the registration validity (renew,
// pause), 応募・紹介状況 (my applications). Recommendations and saved searches are in
// SeekerMatch.tsx.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, loadRef, post, type FieldError, type Ref } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { formatDate, formatDateTime } from '../format';
import { Checker } from '../validate';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { Pager } from '../ui/Table';
import { useForm } from '../ui/form';
import {
  checkProfile, EMPTY_PROFILE, fieldOf, PROFILE_LABELS, ProfileFields, SEEKER_STATUS_LABEL, toBody, toValues,
  type ProfileValues, type Seeker,
} from './seekerForm';
import {
  errText, LetterLink, put, StateBadge, useCodes, type AppList, type AppSummary,
} from './placementParts';

// ---- 求職者情報・希望条件 (/seeker/profile) -------------------------------------------------------

const DRAFT_KEY = 'nccs.draft.seeker-profile';
function readDraft(): ProfileValues | null {
  try { const s = sessionStorage.getItem(DRAFT_KEY); return s ? { ...EMPTY_PROFILE, ...JSON.parse(s) } : null; } catch { return null; }
}
function writeDraft(v: ProfileValues | null) {
  try { if (v) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(v)); else sessionStorage.removeItem(DRAFT_KEY); } catch { /* memory only */ }
}

export function SeekerProfile() {
  const session = useSession();
  const user = session.status === 'user' ? session.user : null;
  const [ref, setRef] = useState<Ref | null>(null);
  const [seeker, setSeeker] = useState<Seeker | null>(null);
  const [isNew, setIsNew] = useState(false);
  const [v, setV] = useState<ProfileValues | null>(null);
  const [restored, setRestored] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const f = useForm();

  const load = () => {
    setError(null);
    Promise.all([
      loadRef(),
      get<{ seeker: Seeker }>('/me/seeker').then((r) => r.seeker, (e) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    ]).then(([r, s]) => {
      setRef(r);
      setSeeker(s);
      setIsNew(!s);
      const draft = readDraft();
      if (draft) { setV(draft); setRestored(true); }
      else setV(s ? toValues(s) : { ...EMPTY_PROFILE, prefecture: user?.prefecture ?? '', w_prefectures: user?.prefecture ? [user.prefecture] : [] });
    }, (e) => setError(errText(e)));
  };
  useEffect(load, []);

  const set = (patch: Partial<ProfileValues> | ((x: ProfileValues) => ProfileValues)) => {
    setV((cur) => {
      const base = cur ?? EMPTY_PROFILE;
      const next = typeof patch === 'function' ? patch(base) : { ...base, ...patch };
      writeDraft(next);
      return next;
    });
  };
  const discard = () => {
    writeDraft(null);
    setRestored(false);
    setV(seeker ? toValues(seeker) : { ...EMPTY_PROFILE, prefecture: user?.prefecture ?? '' });
    f.clear();
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (!v) return;
    f.run(async () => {
      try {
        const r = await put<{ seeker: Seeker }>('/me/seeker', toBody(v));
        writeDraft(null);
        setRestored(false);
        setSeeker(r.seeker);
        setV(toValues(r.seeker));
        toast(isNew ? '求職者情報を登録しました。' : '求職者情報と希望条件を保存しました。');
        setIsNew(false);
      } catch (err) {
        if (err instanceof ApiError) err.fields = err.fields.map((x: FieldError) => ({ ...x, field: fieldOf(x.field) }));
        throw err;
      }
    }, () => checkProfile(v, new Checker()));
  };

  const labels: Record<string, string> = { ...PROFILE_LABELS };
  v?.licences.forEach((_, i) => {
    labels[`licences[${i}].type`] = `免許${i + 1}の資格`;
    labels[`licences[${i}].number`] = `免許${i + 1}の登録番号`;
    labels[`licences[${i}].registered_on`] = `免許${i + 1}の登録年月日`;
  });

  return (
    <Page title="求職者情報・希望条件" lead="あなたの経験と、希望する働き方を登録してください。ナースセンターの相談員が、希望に合う求人の紹介に使います。">
      {error ? <LoadError message={error} onRetry={load} /> : !ref || !v ? <Spinner /> : (
        <>
          {seeker ? <Validity seeker={seeker} onChange={setSeeker} /> : (
            <div class="notice notice-info"><p>求職者情報はまだ登録されていません。次の項目を入力して「登録する」を押してください。登録すると、求人への紹介を依頼できるようになります。</p></div>
          )}
          {restored && (
            <div class="notice notice-info" role="status">
              <p>保存していない入力内容を復元しました。</p>
              <p><button type="button" class="btn btn-secondary btn-small" onClick={discard}>登録済みの内容に戻す</button></p>
            </div>
          )}
          <form class="form profile-form" onSubmit={submit} noValidate aria-label="求職者情報と希望条件">
            <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={labels} />
            <ProfileFields v={v} set={set} error={f.error} ref_={ref}
              licenceNote="免許を登録していない場合は、新規登録のときに入力した免許が使われます。" />
            <div class="save-bar">
              <p>保存すると、登録の有効期限が延長されます。</p>
              <Button type="submit" busy={f.busy} busyLabel="保存しています" class="btn-wide">{isNew ? '登録する' : '保存する'}</Button>
            </div>
          </form>
        </>
      )}
    </Page>
  );
}

/** Registration validity with one-click renewal and pause. */
function Validity({ seeker, onChange }: { seeker: Seeker; onChange: (s: Seeker) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [pausing, setPausing] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const act = async (what: 'renew' | 'pause') => {
    if (busy) return;
    setBusy(what); setErr(null);
    try {
      const r = await post<{ seeker: Seeker }>(`/me/seeker/${what}`);
      onChange(r.seeker);
      toast(what === 'renew' ? `登録を更新しました。有効期限は${formatDate(r.seeker.valid_until)}までです。` : '求職活動を休止しました。再開するときは「求職活動を再開する」を押してください。');
      setPausing(false);
    } catch (e) { setErr(errText(e)); } finally { setBusy(null); }
  };
  const s = seeker;
  const expired = s.status === 'active' && s.expired;
  return (
    <section class={`card${expired ? ' card-alert' : ''}`} aria-labelledby="validity-h">
      <div class="status-line">
        <h2 id="validity-h">登録の状況</h2>
        <span class={`badge app-state ${s.status === 'active' && !expired ? 'app-state-good' : 'app-state-wait'}`}>
          {expired ? '有効期限切れ' : SEEKER_STATUS_LABEL[s.status] ?? s.status}
        </span>
      </div>
      {err && <div class="notice notice-error" role="alert"><p>{err}</p></div>}
      <div class="validity">
        <div>
          {s.status === 'active' && !expired && <p class="validity-until">有効期限：{formatDate(s.valid_until)}まで</p>}
          {expired && <p class="validity-until">有効期限（{formatDate(s.valid_until)}）が過ぎています。</p>}
          {s.status === 'paused' && <p>求職活動を休止しています。紹介の依頼と求人のお知らせは止まっています。</p>}
          {s.status === 'closed' && <p>登録は終了しています。求職活動を再開する場合は「登録を再開する」を押してください。</p>}
          <p class="muted">登録は、最後のご利用（求職者情報の保存・登録の更新）から6か月間有効です。最終利用：{formatDateTime(s.last_activity_at)}</p>
        </div>
        <div class="actions">
          <Button busy={busy === 'renew'} busyLabel="更新しています" onClick={() => act('renew')}>
            {s.status === 'paused' ? '求職活動を再開する' : s.status === 'closed' ? '登録を再開する' : expired ? '登録を更新する' : '有効期限を延長する'}
          </Button>
          {s.status === 'active' && <Button variant="secondary" onClick={() => setPausing(true)}>求職活動を休止する</Button>}
        </div>
      </div>
      <Dialog open={pausing} title="求職活動を休止しますか？" onClose={() => setPausing(false)}
        actions={<>
          <Button variant="secondary" onClick={() => setPausing(false)}>キャンセル</Button>
          <Button busy={busy === 'pause'} busyLabel="休止しています" onClick={() => act('pause')}>休止する</Button>
        </>}>
        <p>休止中は、求人への紹介の依頼と、希望に合う求人のメールでのお知らせが止まります。登録した情報はそのまま残り、いつでも再開できます。</p>
      </Dialog>
    </section>
  );
}

// ---- 応募・紹介状況 (/seeker/applications) -------------------------------------------------------

const PER_PAGE = 20;

export function MyApplications() {
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const open = params.get('state') === 'open';
  const codes = useCodes();
  const [data, setData] = useState<AppList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const head = useRef<HTMLHeadingElement>(null);
  const load = () => {
    setError(null);
    get<AppList>('/applications', { page, per_page: PER_PAGE, state: open ? 'open' : undefined })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [page, open]);
  const go = (p: number, o = open) => {
    const q = new URLSearchParams();
    if (o) q.set('state', 'open');
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    navigate('/seeker/applications' + (s ? '?' + s : ''));
  };
  return (
    <Page title="応募・紹介状況" lead="紹介を依頼した求人と、ナースセンターから提案された求人の状況です。新しく動きのあったものから並んでいます。">
      <ul class="tabs" aria-label="表示する案件">
        <li><Link href="/seeker/applications" aria-current={!open ? 'page' : undefined}>すべて</Link></li>
        <li><Link href="/seeker/applications?state=open" aria-current={open ? 'page' : undefined}>進行中のみ</Link></li>
      </ul>
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : data.items.length === 0 ? (
        <EmptyState title={open ? '進行中の案件はありません' : 'まだ紹介を依頼した求人はありません'}>
          <p>「求人を探す」で求人票を開き、「紹介を依頼する」を押すと、ここに表示されます。</p>
          <p><Link class="btn btn-primary" href="/jobs">求人を探す</Link></p>
        </EmptyState>
      ) : (
        <>
          <h2 class="visually-hidden" ref={head} tabIndex={-1}>案件の一覧</h2>
          <ul class="app-list">
            {data.items.map((a) => <MyAppCard key={a.id} a={a} place={codes.name('prefectures', a.offer.prefecture) + (a.offer.municipality_name ?? '')} />)}
          </ul>
          <Pager page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => { go(p); head.current?.focus(); }} />
        </>
      )}
    </Page>
  );
}

function MyAppCard({ a, place }: { a: AppSummary; place: string }) {
  return (
    <li class="app-card">
      <h3 class="app-card-title"><Link href={`/seeker/applications/${a.id}`}>{a.offer.title}</Link></h3>
      <p class="app-card-sub">{a.offer.facility_name}（{place}）</p>
      <p class="status-line"><span class="visually-hidden">状況：</span><StateBadge state={a.state} label={a.state_label} /></p>
      <dl class="facts">
        {a.referral_no && <div><dt>紹介番号</dt><dd>{a.referral_no}</dd></div>}
        {a.interview_date && <div><dt>面接日</dt><dd>{formatDate(a.interview_date)}</dd></div>}
        {a.start_date && <div><dt>就職日</dt><dd>{formatDate(a.start_date)}</dd></div>}
        <div><dt>最終更新</dt><dd>{formatDateTime(a.updated_at)}</dd></div>
      </dl>
      <p class="card-links">
        <Link href={`/seeker/applications/${a.id}`}>詳しい状況と経過<span class="visually-hidden">（{a.offer.title}）</span></Link>
        {a.referral_no && <LetterLink app={a} class="" />}
      </p>
    </li>
  );
}
