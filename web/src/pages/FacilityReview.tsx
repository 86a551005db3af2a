// Center screens for facilities: the review queue (施設の審査), the list of
// facilities with a status filter, and a facility's detail with approve /
// return. Only the prefecture's counselor and center_admin review; central and
// sysadmin browse without review buttons (the API answers 403 for them).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, type Ref } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { formatDateTime } from '../format';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, SelectField, TextArea, TextField } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import { useForm } from '../ui/form';
import {
  errText, HistorySection, LoginsTable, nameOf, ProfileView, STATUS_OPTIONS, StatusBadge, useRefData,
  type Facility, type Login,
} from './facilityParts';

type Row = {
  id: number; name: string; name_kana: string; prefecture: string; municipality_name: string;
  facility_type: string; status: string; created_at: number;
};
type ListAnswer = { total: number; page: number; per_page: number; items: Row[] };

const PER_PAGE = 20;
const REVIEWERS = ['counselor', 'center_admin'];

function pageParam(search: string) {
  return Math.max(1, parseInt(new URLSearchParams(search).get('page') || '1', 10) || 1);
}

function useList(query: Record<string, string | number>) {
  const [data, setData] = useState<ListAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(query);
  const load = () => {
    setError(null);
    get<ListAnswer>('/facilities', { ...query, per_page: PER_PAGE })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [key]);
  return { data, error, load };
}

function columns(ref: Ref | null, withStatus: boolean, from: string) {
  return [
    { key: 'name', label: '施設名', sortable: true, sortValue: (r: Row) => r.name_kana || r.name,
      render: (r: Row) => <Link href={`/facilities/${r.id}?from=${encodeURIComponent(from)}`}>{r.name}</Link> },
    { key: 'name_kana', label: 'フリガナ', sortable: true },
    ...(withStatus ? [{ key: 'status', label: '状態', sortable: true, render: (r: Row) => <StatusBadge status={r.status} /> }] : []),
    { key: 'facility_type', label: '施設の種類', sortable: true, render: (r: Row) => nameOf(ref?.facility_types, r.facility_type) || '—' },
    { key: 'municipality_name', label: '所在地', sortable: true,
      render: (r: Row) => `${nameOf(ref?.prefectures, r.prefecture)}${r.municipality_name || ''}` },
    { key: 'created_at', label: '登録日時', sortable: true, render: (r: Row) => formatDateTime(r.created_at) },
  ];
}

/** 施設の審査: facilities waiting for review, oldest first. */
export function ReviewQueue() {
  const loc = useLocation();
  const page = pageParam(loc.search);
  const { ref } = useRefData();
  const { data, error, load } = useList({ status: 'pending_review', page });
  const go = (p: number) => navigate('/center/reviews' + (p > 1 ? `?page=${p}` : ''));
  return (
    <Page title="施設の審査" lead="登録または再審査の依頼があり、審査を待っている求人施設です。登録の古い順に並んでいます。施設名を開いて内容を確認し、承認または差し戻しをしてください。">
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<Row>
          caption="審査待ちの求人施設"
          rows={data.items}
          rowKey={(r) => r.id}
          page={page}
          perPage={PER_PAGE}
          total={data.total}
          onPage={go}
          columns={columns(ref, false, loc.path + loc.search)}
          empty={<EmptyState title="審査を待っている施設はありません">新しい登録や再審査の依頼があると、ここに表示されます。</EmptyState>}
        />
      )}
      <p class="mt"><Link href="/facilities">すべての求人施設を見る</Link>　<Link href="/center/offers">求人票の審査へ</Link></p>
    </Page>
  );
}

/** All facilities in scope, filtered by status and name. */
export function FacilityList() {
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const status = params.get('status') ?? '';
  const q = params.get('q') ?? '';
  const page = pageParam(loc.search);
  const [input, setInput] = useState({ q, status });
  const { ref } = useRefData();
  const { data, error, load } = useList({ status, q, page });
  useEffect(() => setInput({ q, status }), [q, status]);

  const go = (nq: string, ns: string, np: number) => {
    const p = new URLSearchParams();
    if (nq) p.set('q', nq);
    if (ns) p.set('status', ns);
    if (np > 1) p.set('page', String(np));
    const s = p.toString();
    navigate('/facilities' + (s ? '?' + s : ''));
  };
  const statusLabel = STATUS_OPTIONS.find((o) => o.value === status)?.label;
  return (
    <Page title="求人施設一覧" lead="担当する範囲の求人施設を、状態と施設名で絞り込めます。新しく登録された順に並んでいます。">
      <form role="search" aria-label="求人施設の検索" class="filter-bar"
        onSubmit={(e) => { e.preventDefault(); go(input.q.trim(), input.status, 1); }}>
        <TextField name="q" plain label="施設名・フリガナで検索" value={input.q} onValue={(x) => setInput({ ...input, q: x })}
          autocomplete="off" maxLength={100} />
        <SelectField name="status" plain label="状態" value={input.status} onValue={(x) => setInput({ ...input, status: x })}
          options={STATUS_OPTIONS} placeholder="すべて" class="status-filter" />
        <button type="submit" class="btn btn-primary">絞り込む</button>
      </form>
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<Row>
          caption={`求人施設の一覧${statusLabel ? `（${statusLabel}）` : ''}${q ? `「${q}」の検索結果` : ''}`}
          rows={data.items}
          rowKey={(r) => r.id}
          page={page}
          perPage={PER_PAGE}
          total={data.total}
          onPage={(p) => go(q, status, p)}
          columns={columns(ref, true, loc.path + loc.search)}
          empty={<EmptyState title="該当する求人施設はありません">{q || status ? '条件を変えてお試しください。' : null}</EmptyState>}
        />
      )}
    </Page>
  );
}

/** A facility seen by center staff: profile, logins, history, and the review. */
export function FacilityDetail({ params }: { params: { id: string } }) {
  const session = useSession();
  const role = session.status === 'user' ? session.user.role : '';
  const canReview = REVIEWERS.includes(role);
  const { ref, error: refError, load: loadRefData } = useRefData();
  const [f, setF] = useState<Facility | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<'approve' | 'return' | null>(null);
  const back = new URLSearchParams(useLocation().search).get('from');
  const backHref = back && back.startsWith('/') && !back.startsWith('//') ? back : canReview ? '/center/reviews' : '/facilities';

  const load = () => {
    setError(null);
    get<{ facility: Facility }>(`/facilities/${encodeURIComponent(params.id)}`)
      .then((r) => setF(r.facility), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);

  const reviewed = (nf: Facility, text: string) => {
    setF(nf);
    setVersion((v) => v + 1);
    setDialog(null);
    toast(text);
  };

  return (
    <Page title={f ? f.name : '求人施設'}>
      <p><Link href={backHref}>{backHref.startsWith('/center/reviews') ? '施設の審査へ戻る' : '求人施設一覧へ戻る'}</Link></p>
      {error || refError ? <LoadError message={(error || refError)!} onRetry={() => { load(); loadRefData(); }} /> : !f || !ref ? <Spinner /> : (
        <>
          <section class="card" aria-labelledby="status-h">
            <div class="status-line">
              <h2 id="status-h">審査の状況</h2>
              <StatusBadge status={f.status} />
            </div>
            {f.status === 'returned' && f.review_reason && (
              <div class="reason">
                <p class="reason-title">差し戻しの理由</p>
                <p class="pre">{f.review_reason}</p>
              </div>
            )}
            {f.reviewed_at && <p class="muted">最後の審査：{formatDateTime(f.reviewed_at)}</p>}
            {f.status === 'pending_review' && canReview && (
              <>
                <p>施設の情報と変更履歴を確認し、承認するか、修正を求めて差し戻してください。結果は施設の管理者にメールで届きます。</p>
                <div class="actions">
                  <Button onClick={() => setDialog('approve')}>承認する</Button>
                  <Button variant="secondary" onClick={() => setDialog('return')}>差し戻す</Button>
                </div>
              </>
            )}
            {f.status === 'pending_review' && !canReview && (
              <p class="muted">審査は、施設の所在地の都道府県ナースセンターが行います。</p>
            )}
            {f.status === 'returned' && <p class="muted">施設が情報を修正して再審査を依頼すると、審査の一覧に戻ります。</p>}
          </section>

          <section class="card" aria-labelledby="profile-h">
            <h2 id="profile-h">施設の情報</h2>
            <ProfileView f={f} codes={ref} />
          </section>

          <StaffSection id={f.id} version={version} />
          <HistorySection id={f.id} codes={ref} version={version} />

          {canReview && (
            <>
              <ApproveDialog f={f} open={dialog === 'approve'} onClose={() => setDialog(null)} onDone={reviewed} onStale={load} />
              <ReturnDialog f={f} open={dialog === 'return'} onClose={() => setDialog(null)} onDone={reviewed} onStale={load} />
            </>
          )}
        </>
      )}
    </Page>
  );
}

function StaffSection({ id, version }: { id: number; version: number }) {
  const [items, setItems] = useState<Login[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ items: Login[] }>(`/facilities/${id}/staff`).then((r) => setItems(r.items || []), (e) => setError(errText(e)));
  };
  useEffect(load, [id, version]);
  return (
    <section class="card" aria-labelledby="logins-h">
      <h2 id="logins-h">担当者アカウント</h2>
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : <LoginsTable items={items} />}
    </section>
  );
}

type ReviewProps = {
  f: Facility; open: boolean; onClose: () => void;
  onDone: (f: Facility, text: string) => void; onStale: () => void;
};

function review(f: Facility, body: { decision: 'approve' | 'return'; reason?: string }) {
  return post<{ facility: Facility }>(`/facilities/${f.id}/review`, body);
}

function ApproveDialog({ f, open, onClose, onDone, onStale }: ReviewProps) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => { if (open) setErr(null); }, [open]);
  const approve = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const r = await review(f, { decision: 'approve' });
      onDone(r.facility, `「${f.name}」を承認しました。施設の管理者にメールでお知らせしました。`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        onClose(); onStale();
        toast('この施設はすでに審査されています。最新の状態を表示しました。', 'error');
      } else setErr(errText(e));
    } finally { setBusy(false); }
  };
  return (
    <Dialog open={open} title="この施設を承認しますか？" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button busy={busy} busyLabel="承認しています" onClick={approve}>承認する</Button>
      </>}>
      {err && <div class="notice notice-error" role="alert"><p>{err}</p></div>}
      <p>「{f.name}」を承認すると、施設は求人票を登録できるようになります。施設の管理者には承認をお知らせするメールが届きます。</p>
    </Dialog>
  );
}

function ReturnDialog({ f, open, onClose, onDone, onStale }: ReviewProps) {
  const [reason, setReason] = useState('');
  const form = useForm();
  useEffect(() => { if (open) form.clear(); }, [open]);
  const submit = (e: Event) => {
    e.preventDefault();
    form.run(async () => {
      try {
        const r = await review(f, { decision: 'return', reason: reason.trim() });
        setReason('');
        onDone(r.facility, `「${f.name}」を差し戻しました。施設の管理者に理由をメールでお知らせしました。`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          onClose(); onStale();
          toast('この施設はすでに審査されています。最新の状態を表示しました。', 'error');
          return;
        }
        throw err;
      }
    }, () => (reason.trim() ? [] : [{ field: 'reason', code: 'reason.missing', message: '差し戻しの理由を入力してください' }]));
  };
  return (
    <Dialog open={open} title="施設を差し戻す" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="return-form" variant="danger" busy={form.busy} busyLabel="差し戻しています">差し戻す</Button>
      </>}>
      <form id="return-form" onSubmit={submit} noValidate>
        <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} />
        <TextArea name="reason" label="差し戻しの理由" value={reason} onValue={setReason} error={form.error('reason')}
          required maxLength={1000} rows={5}
          hint="修正してほしい点を具体的に書いてください。施設の管理者にメールで届き、施設情報の画面にも表示されます（1000文字以内）。" />
      </form>
    </Dialog>
  );
}
