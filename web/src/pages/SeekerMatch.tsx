// Matching (docs/API.md "Matching" and "Saved searches"): the nurse's おすすめ求人 and 保存した
// 検索条件, and the center's 求人の候補者 (candidates for a published offer, with 紹介を提案).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get, loadRef, post, type Code, type Ref } from '../api';
import { Link, navigate, useLocation } from '../router';
import { formatDate, formatDateTime } from '../format';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, TextArea } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable, Pager } from '../ui/Table';
import { useForm } from '../ui/form';
import { errText, licenceNames, useCodes, type Applicant } from './placementParts';
import { describeQuery, jobsUrl, offerOf, reasonTexts, type MatchItem, type MatchOffer, type SavedSearch } from './matchModel';
import './placement.css';

const PER_PAGE = 20;

function useRef_() {
  const [ref, setRef] = useState<Ref | null>(null);
  useEffect(() => { loadRef().then(setRef, () => {}); }, []);
  return ref;
}
const nameIn = (list: Code[] | undefined, code: string | null | undefined) => (code && list?.find((c) => c.code === code)?.name) || code || '';

const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
const WAGE_LABEL: Record<string, string> = { monthly: '月給', hourly: '時給', daily: '日給', annual: '年収' };

// ---- おすすめ求人 (/seeker/matches) -----------------------------------------------------------------

type MatchList = { total: number; page: number; per_page: number; items: MatchItem[] };

export function Matches() {
  const loc = useLocation();
  const page = Math.max(1, parseInt(new URLSearchParams(loc.search).get('page') || '1', 10) || 1);
  const ref = useRef_();
  const [data, setData] = useState<MatchList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = () => {
    setError(null);
    get<MatchList>('/me/matches', { page, per_page: PER_PAGE })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(e));
  };
  useEffect(load, [page]);
  const noProfile = error && (error.status === 404 || error.status === 409);
  return (
    <Page title="おすすめ求人" lead="登録した希望条件に合う掲載中の求人です。条件によく合うものから並んでいます。">
      <p class="muted">希望条件を変えると、おすすめも変わります。<Link href="/seeker/profile">希望条件を見直す</Link></p>
      {noProfile ? (
        <EmptyState title="希望条件が登録されていないか、求職活動を休止しています">
          <p>{error!.message}</p>
          <p><Link class="btn btn-primary" href="/seeker/profile">求職者情報・希望条件を登録する</Link></p>
        </EmptyState>
      ) : error ? <LoadError message={error.message} onRetry={load} /> : !data ? <Spinner label="おすすめの求人を探しています" /> : data.items.length === 0 ? (
        <EmptyState title="いまは希望条件に合う求人がありません">
          <p>条件をゆるめる（勤務地を広げる、雇用形態や勤務形態を増やす）と、見つかることがあります。</p>
          <p><Link class="btn btn-secondary" href="/seeker/profile">希望条件を見直す</Link> <Link class="btn btn-secondary" href="/jobs">求人を探す</Link></p>
        </EmptyState>
      ) : (
        <>
          <p role="status"><strong>{data.total.toLocaleString('ja-JP')}件</strong>の求人が希望条件に合っています。</p>
          <ul class="app-list">
            {data.items.map((m, i) => <MatchCard key={(offerOf(m).offer_no ?? '') + i} m={m} ref_={ref} />)}
          </ul>
          <Pager page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => navigate('/seeker/matches' + (p > 1 ? `?page=${p}` : ''))} />
        </>
      )}
    </Page>
  );
}

function MatchCard({ m, ref_: ref }: { m: MatchItem; ref_: Ref | null }) {
  const o: MatchOffer = offerOf(m);
  const reasons = reasonTexts(m.reasons);
  const place = `${nameIn(ref?.prefectures, o.prefecture)}${o.municipality_name ?? ''}`;
  return (
    <li class="app-card">
      <h2 class="app-card-title">
        {o.offer_no ? <Link href={`/offers/${encodeURIComponent(o.offer_no)}`}>{o.title ?? '求人票'}</Link> : (o.title ?? '求人票')}
      </h2>
      <p class="app-card-sub">{o.facility_name}{place ? `（${place}）` : ''}</p>
      <dl class="facts">
        {typeof m.score === 'number' && <div><dt>合う度合い</dt><dd class="score">{Math.round(m.score)}点<span class="muted">／100点</span></dd></div>}
        {o.wage_min ? <div><dt>給与</dt><dd>{WAGE_LABEL[o.wage_type ?? ''] ?? '給与'} {yen(o.wage_min)}〜</dd></div> : null}
        {o.employment_form && <div><dt>雇用形態</dt><dd>{nameIn(ref?.employment_forms, o.employment_form)}</dd></div>}
        {o.valid_until && <div><dt>掲載期限</dt><dd>{formatDate(o.valid_until)}まで</dd></div>}
      </dl>
      {reasons.length > 0 && (
        <>
          <h3 class="reasons-h">この求人があなたの条件に合う理由</h3>
          <ul class="reasons reasons-ok">{reasons.map((r) => <li key={r}>{r}</li>)}</ul>
        </>
      )}
    </li>
  );
}

// ---- 保存した検索条件 (/seeker/saved-searches) -------------------------------------------------------

export function SavedSearches() {
  const ref = useRef_();
  const [items, setItems] = useState<SavedSearch[] | null>(null);
  const [mailOk, setMailOk] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<SavedSearch | null>(null);
  const [delBusy, setDelBusy] = useState(false);
  const load = () => {
    setError(null);
    get<{ items: SavedSearch[]; mail_enabled?: boolean }>('/me/saved-searches').then((r) => {
      setItems(r.items || []);
      setMailOk(r.mail_enabled !== false);
    }, (e) => setError(errText(e)));
  };
  useEffect(load, []);

  const toggle = async (s: SavedSearch, on: boolean) => {
    if (busy) return;
    setBusy(s.id);
    // The box shows the new choice at once and goes back if the server refuses it.
    const put = (x: SavedSearch) => setItems((list) => (list ?? []).map((y) => (y.id === s.id ? x : y)));
    put({ ...s, notify: on });
    try {
      const r = await api<{ saved_search?: SavedSearch }>(`/me/saved-searches/${s.id}`, { method: 'PATCH', body: { notify: on } });
      put(r?.saved_search ?? { ...s, notify: on });
      toast(on ? `「${s.name}」の新着求人を毎週メールでお知らせします。` : `「${s.name}」のメール配信を停止しました。`);
    } catch (e) { put(s); toast(errText(e), 'error'); } finally { setBusy(null); }
  };
  const remove = async () => {
    if (!deleting || delBusy) return;
    setDelBusy(true);
    try {
      await api(`/me/saved-searches/${deleting.id}`, { method: 'DELETE' });
      setItems((list) => (list ?? []).filter((x) => x.id !== deleting.id));
      toast(`保存した検索条件「${deleting.name}」を削除しました。`);
      setDeleting(null);
      setTimeout(() => document.querySelector<HTMLElement>('h1')?.focus(), 0);
    } catch (e) { toast(errText(e), 'error'); } finally { setDelBusy(false); }
  };

  return (
    <Page title="保存した検索条件" lead="「求人を探す」で保存した条件です。条件に合う新しい求人を、毎週メールでお知らせすることもできます。">
      {!mailOk && items && items.some((x) => x.notify) && (
        <div class="notice notice-info">
          <p>いまはメールが届きません。「メールでの求人案内」を「受け取る」にしていないか、求職活動を休止しているか、登録の有効期限が切れています。</p>
          <p><Link href="/seeker/profile">求職者情報・希望条件を確認する</Link></p>
        </div>
      )}
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : items.length === 0 ? (
        <EmptyState title="保存した検索条件はありません">
          <p>「求人を探す」で条件を指定して「この条件を保存」を押すと、ここに表示されます。</p>
          <p><Link class="btn btn-primary" href="/jobs">求人を探す</Link></p>
        </EmptyState>
      ) : (
        <ul class="app-list">
          {items.map((s) => (
            <li class="app-card" key={s.id}>
              <h2 class="app-card-title">{s.name}</h2>
              <p class="app-card-sub">{describeQuery(s.query, ref) || '条件の指定なし（すべての求人）'}</p>
              {s.created_at ? <p class="muted">保存日時：{formatDateTime(s.created_at)}</p> : null}
              <label class="checkbox">
                <input type="checkbox" checked={!!s.notify} disabled={busy === s.id}
                  onChange={(e) => toggle(s, (e.currentTarget as HTMLInputElement).checked)} />
                <span>新着求人を毎週メールで受け取る<span class="visually-hidden">（{s.name}）</span></span>
              </label>
              <p class="card-links">
                <Link href={jobsUrl(s.query)}>この条件で探す<span class="visually-hidden">（{s.name}）</span></Link>
                <button type="button" class="btn btn-link" onClick={() => setDeleting(s)}>削除する<span class="visually-hidden">（{s.name}）</span></button>
              </p>
            </li>
          ))}
        </ul>
      )}
      <Dialog open={!!deleting} title="保存した検索条件を削除しますか？" onClose={() => setDeleting(null)}
        actions={<>
          <Button variant="secondary" onClick={() => setDeleting(null)}>キャンセル</Button>
          <Button variant="danger" busy={delBusy} busyLabel="削除しています" onClick={remove}>削除する</Button>
        </>}>
        <p>「{deleting?.name}」を削除します。新着求人のメールも届かなくなります。</p>
      </Dialog>
    </Page>
  );
}

// ---- 求人の候補者 (center) ---------------------------------------------------------------------------

type OfferRow = { id: number; title: string; status: string; offer_no: string | null; facility_id: number; facility_name: string; prefecture: string; updated_at: number };

/** /center/matching: published offers of the prefecture, each with a way to its candidates. */
export function MatchingOffers() {
  const loc = useLocation();
  const page = Math.max(1, parseInt(new URLSearchParams(loc.search).get('page') || '1', 10) || 1);
  const [data, setData] = useState<{ total: number; items: OfferRow[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ total: number; items: OfferRow[] }>('/job-offers', { status: 'published', page, per_page: PER_PAGE })
      .then((r) => setData({ total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [page]);
  return (
    <Page title="求人の候補者" wide lead="掲載中の求人票です。「候補者を見る」で、その求人の条件に合う求職者を合う度合いの高い順に確認し、紹介を提案できます。">
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<OfferRow>
          caption="掲載中の求人票"
          rows={data.items} rowKey={(r) => r.id}
          page={page} perPage={PER_PAGE} total={data.total}
          onPage={(p) => navigate('/center/matching' + (p > 1 ? `?page=${p}` : ''))}
          columns={[
            { key: 'title', label: '求人', render: (r) => (r.offer_no ? <Link href={`/offers/${encodeURIComponent(r.offer_no)}`}>{r.title}</Link> : r.title) },
            { key: 'facility_name', label: '施設名' },
            { key: 'offer_no', label: '求人番号', class: 'col-nowrap', render: (r) => r.offer_no ?? '—' },
            { key: 'go', label: '候補者', render: (r) => <Link class="btn btn-secondary btn-small" href={`/center/offers/${r.id}/candidates`}>候補者を見る<span class="visually-hidden">（{r.title}）</span></Link> },
          ]}
          empty={<EmptyState title="掲載中の求人票はありません" />}
        />
      )}
    </Page>
  );
}

type Candidate = Applicant & {
  seeker_id?: number; id?: number; user_id?: number; score?: number; reasons?: unknown; experience_years?: number | null;
  work_status?: string; application?: { id: number; state: string; state_label?: string } | null;
};
type CandidateList = { total?: number; items: Candidate[]; offer?: MatchOffer };
const WORK_LABEL: Record<string, string> = { employed: '就業中', not_working: '離職中', on_leave: '休職中', student: '学生' };
const candId = (c: Candidate) => c.seeker_id ?? c.user_id ?? c.id;

/** /center/offers/:id/candidates */
export function Candidates({ params }: { params: { id: string } }) {
  const loc = useLocation();
  const page = Math.max(1, parseInt(new URLSearchParams(loc.search).get('page') || '1', 10) || 1);
  const codes = useCodes();
  const [offer, setOffer] = useState<{ title: string; facility_name: string; offer_no: string | null; status: string } | null>(null);
  const [data, setData] = useState<CandidateList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [proposing, setProposing] = useState<Candidate | null>(null);
  const [proposed, setProposed] = useState<Record<string, number>>({});
  const load = () => {
    setError(null);
    get<{ offer: { body?: { title?: string }; facility_name: string; offer_no: string | null; status: string } }>(`/job-offers/${encodeURIComponent(params.id)}`)
      .then((r) => setOffer({ title: r.offer.body?.title ?? '求人票', facility_name: r.offer.facility_name, offer_no: r.offer.offer_no, status: r.offer.status }), () => {});
    get<CandidateList>(`/offers/${encodeURIComponent(params.id)}/candidates`, { page, per_page: PER_PAGE })
      .then((r) => setData({ ...r, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id, page]);

  return (
    <Page title={offer ? `候補者：${offer.title}` : '求人の候補者'} wide
      lead="この求人の条件（資格・勤務地・雇用形態など）に合う、求職活動中の求職者です。条件によく合う順に並んでいます。">
      <p><Link href="/center/matching">掲載中の求人票の一覧へ戻る</Link></p>
      {offer && (
        <p class="muted">{offer.facility_name}{offer.offer_no ? `／求人番号 ${offer.offer_no}` : ''}{offer.offer_no ? <> ／ <Link href={`/offers/${encodeURIComponent(offer.offer_no)}`}>求人票を見る</Link></> : null}</p>
      )}
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner label="候補者を探しています" /> : data.items.length === 0 ? (
        <EmptyState title="条件に合う求職者はいません">求職者が希望条件を登録・変更すると、候補者が見つかることがあります。</EmptyState>
      ) : (
        <>
          <ul class="app-list">
            {data.items.map((c) => {
              const id = candId(c);
              const reasons = reasonTexts(c.reasons);
              const done = id !== undefined ? proposed[String(id)] : undefined;
              const app = c.application ?? null;
              return (
                <li class="app-card" key={String(id)}>
                  <h2 class="app-card-title">
                    {id !== undefined ? <Link href={`/people/${encodeURIComponent(String(id))}`}>{c.name ?? '求職者'}</Link> : c.name ?? '求職者'}
                    {c.name_kana ? <span class="muted">（{c.name_kana}）</span> : null}
                  </h2>
                  <dl class="facts">
                    {typeof c.score === 'number' && <div><dt>合う度合い</dt><dd class="score">{Math.round(c.score)}点／100点</dd></div>}
                    <div><dt>資格</dt><dd>{licenceNames(c, codes) || '—'}</dd></div>
                    {(c.experience_years ?? c.experience?.years ?? null) !== null && <div><dt>経験年数</dt><dd>{c.experience_years ?? c.experience?.years}年</dd></div>}
                    {c.work_status && <div><dt>就業状況</dt><dd>{WORK_LABEL[c.work_status] ?? c.work_status}</dd></div>}
                  </dl>
                  {reasons.length > 0 && (
                    <>
                      <h3 class="reasons-h">条件に合う理由</h3>
                      <ul class="reasons reasons-ok">{reasons.map((r) => <li key={r}>{r}</li>)}</ul>
                    </>
                  )}
                  <p class="card-links">
                    {done ? <Link href={`/center/applications/${done}`}>紹介を提案しました（案件を開く）</Link>
                      : app ? <Link href={`/center/applications/${app.id}`}>この求人の案件があります（{app.state_label ?? app.state}）</Link>
                        : <Button variant="secondary" class="btn-small" onClick={() => setProposing(c)}>紹介を提案<span class="visually-hidden">（{c.name}）</span></Button>}
                  </p>
                </li>
              );
            })}
          </ul>
          {typeof data.total === 'number' && <Pager page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => navigate(`/center/offers/${params.id}/candidates` + (p > 1 ? `?page=${p}` : ''))} />}
        </>
      )}
      <ProposeDialog offerId={params.id} offerTitle={offer?.title ?? ''} cand={proposing} onClose={() => setProposing(null)}
        onDone={(c, appId) => { setProposing(null); const id = candId(c); if (id !== undefined) setProposed((p) => ({ ...p, [String(id)]: appId })); }} />
    </Page>
  );
}

function ProposeDialog({ offerId, offerTitle, cand, onClose, onDone }: {
  offerId: string; offerTitle: string; cand: Candidate | null; onClose: () => void; onDone: (c: Candidate, appId: number) => void;
}) {
  const [note, setNote] = useState('');
  const form = useForm();
  useEffect(() => { if (cand) { setNote(''); form.clear(); } }, [cand]);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!cand) return;
    form.run(async () => {
      const body: Record<string, unknown> = { offer_id: Number(offerId), seeker_id: candId(cand) };
      if (note.trim()) body.note = note.trim();
      const r = await post<{ application: { id: number } }>('/applications', body);
      toast(`${cand.name ?? '求職者'} さんに「${offerTitle}」への紹介を提案しました。求職者が同意すると、紹介依頼の確認に表示されます。`);
      onDone(cand, r.application.id);
    });
  };
  return (
    <Dialog open={!!cand} title="紹介を提案しますか？" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="propose-form" busy={form.busy} busyLabel="提案しています">紹介を提案する</Button>
      </>}>
      <form id="propose-form" onSubmit={submit} noValidate>
        <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} />
        <p>{cand?.name ?? '求職者'} さんに「{offerTitle}」への紹介を提案します。求職者が「応募・紹介状況」で同意すると、紹介の手続きに進みます。</p>
        <TextArea name="note" label="求職者へのひとこと" value={note} onValue={setNote} maxLength={1000} rows={3}
          error={form.error('note')} hint="提案の理由など（任意、1000文字以内）" />
      </form>
    </Dialog>
  );
}
