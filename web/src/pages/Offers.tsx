// The facility's job offers (求人票): the list with its actions (編集, コピーして新規作成,
// 掲載終了, 掲載期限の延長) and one offer's page with its status, review result, findings
// and history.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { formatDate, formatDateTime } from '../format';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, RadioGroup } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import { useForm } from '../ui/form';
import { useRefData } from './facilityParts';
import {
  CLOSE_REASON_LABEL, errText, extendedUntil, FindingsPanel, OFFER_STATUS_TEXT, OfferFacts, OfferHistory,
  OfferStatusBadge, OfferView, ReviewNote, type OfferAnswer,
} from './offerParts';

type Row = {
  id: number; title: string; status: string; offer_no: string | null; version: number;
  valid_until: string | null; published_at: number | null; updated_at: number;
};

const EDITABLE = ['draft', 'returned', 'published'];
type Target = { id: number; title: string; status: string };

/** Copy, close and extend, with their confirmations; shared by the list and the offer page. */
function useOfferActions(onChanged: () => void) {
  const [closing, setClosing] = useState<Target | null>(null);
  const [extending, setExtending] = useState<Target | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const copy = async (t: Target) => {
    if (busy) return;
    setBusy('copy-' + t.id);
    try {
      const r = await post<OfferAnswer>(`/job-offers/${t.id}/copy`);
      toast(`「${t.title || '（タイトル未入力）'}」をコピーして、新しい下書きを作成しました。`);
      navigate(`/facility/offers/${r.offer.id}/edit`);
    } catch (e) { toast(errText(e), 'error'); } finally { setBusy(null); }
  };
  const dialogs = (
    <>
      <CloseDialog target={closing} onClose={() => setClosing(null)} onDone={() => { setClosing(null); onChanged(); }} />
      <ExtendDialog target={extending} onClose={() => setExtending(null)} onDone={() => { setExtending(null); onChanged(); }} />
    </>
  );
  return { copy, close: setClosing, extend: setExtending, busy, dialogs };
}

/** /facility/offers */
export function OfferList() {
  const session = useSession();
  const fid = session.status === 'user' ? session.user.facility_id : null;
  const [items, setItems] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    if (!fid) return;
    setError(null);
    get<{ items: Row[] }>(`/facilities/${encodeURIComponent(String(fid))}/offers`).then((r) => setItems(r.items || []), (e) => setError(errText(e)));
  };
  useEffect(load, [fid]);
  const act = useOfferActions(load);
  const hidden = (r: Row) => <span class="visually-hidden">（{r.title || 'タイトル未入力'}）</span>;
  return (
    <Page title="求人票" wide lead="施設の求人票の一覧です。新しい順に並んでいます。求人票はナースセンターの審査を経て公開されます。">
      <div class="actions page-actions">
        <Link href="/facility/offers/new" class="btn btn-primary">求人票を作成</Link>
      </div>
      {!fid ? <LoadError message="このアカウントには施設が登録されていません。ナースセンターにお問い合わせください。" />
        : error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : (
          <DataTable<Row>
            caption="求人票の一覧"
            rows={items}
            rowKey={(r) => r.id}
            columns={[
              { key: 'title', label: 'タイトル', sortable: true,
                render: (r) => <Link href={`/facility/offers/${r.id}`}>{r.title || '（タイトル未入力）'}</Link> },
              { key: 'status', label: '状態', sortable: true, render: (r) => <OfferStatusBadge status={r.status} /> },
              { key: 'offer_no', label: '求人番号', sortable: true, class: 'col-nowrap', render: (r) => r.offer_no ?? '—' },
              { key: 'valid_until', label: '掲載期限', sortable: true, class: 'col-nowrap', render: (r) => (r.valid_until ? formatDate(r.valid_until) : '—') },
              { key: 'updated_at', label: '最終更新', sortable: true, render: (r) => formatDateTime(r.updated_at) },
              { key: 'actions', label: '操作', class: 'col-actions', render: (r) => (
                <div class="row-actions">
                  {EDITABLE.includes(r.status) && <Link href={`/facility/offers/${r.id}/edit`} class="btn btn-secondary btn-small">編集{hidden(r)}</Link>}
                  <Button variant="secondary" class="btn-small" busy={act.busy === 'copy-' + r.id} busyLabel="コピーしています" onClick={() => act.copy(r)}>コピーして新規作成{hidden(r)}</Button>
                  {r.status === 'published' && <Button variant="secondary" class="btn-small" onClick={() => act.extend(r)}>掲載期限の延長{hidden(r)}</Button>}
                  {r.status === 'published' && <Button variant="secondary" class="btn-small btn-danger-outline" onClick={() => act.close(r)}>掲載終了{hidden(r)}</Button>}
                </div>
              ) },
            ]}
            empty={<EmptyState title="求人票はまだありません">「求人票を作成」から最初の求人票を作成してください。</EmptyState>}
          />
        )}
      {act.dialogs}
    </Page>
  );
}

/** /facility/offers/:id */
export function OfferDetail({ params }: { params: { id: string } }) {
  const { ref } = useRefData();
  const [a, setA] = useState<OfferAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [blocked, setBlocked] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<OfferAnswer>(`/job-offers/${encodeURIComponent(params.id)}`).then((r) => { setA(r); setVersion((x) => x + 1); }, (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);
  const act = useOfferActions(load);
  const o = a?.offer;

  const submit = async () => {
    if (!o || submitting) return;
    setSubmitting(true);
    setBlocked(null);
    try {
      await post(`/job-offers/${o.id}/submit`);
      toast('審査を依頼しました。ナースセンターの審査が終わると、メールでお知らせします。');
      load();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.field === 'facility') {
        setBlocked('施設情報の審査が完了していないため、求人票の審査を依頼できません。施設が承認されてから依頼してください。');
      } else if (e instanceof ApiError && e.status === 422) {
        navigate(`/facility/offers/${o.id}/edit?check=1`);
      } else toast(errText(e), 'error');
    } finally { setSubmitting(false); }
  };

  return (
    <Page title={o ? (o.body?.title || '（タイトル未入力）') : '求人票'} wide>
      <p><Link href="/facility/offers">求人票の一覧へ戻る</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !a || !o ? <Spinner /> : (
        <div class="offer-layout">
          <div>
            <section class="card" aria-labelledby="offer-status-h">
              <div class="status-line">
                <h2 id="offer-status-h">状態</h2>
                <OfferStatusBadge status={o.status} />
              </div>
              <p>{OFFER_STATUS_TEXT[o.status] ?? ''}</p>
              <ReviewNote offer={o} />
              <OfferFacts offer={o} />
              {blocked && <div class="notice notice-error" role="alert"><p>{blocked} <Link href="/facility/profile">施設情報を確認する</Link></p></div>}
              <div class="actions">
                {(o.status === 'draft' || o.status === 'returned') && (
                  <Button onClick={submit} busy={submitting} busyLabel="依頼しています">審査を依頼する</Button>
                )}
                {EDITABLE.includes(o.status) && <Link class="btn btn-secondary" href={`/facility/offers/${o.id}/edit`}>編集</Link>}
                <Button variant="secondary" busy={act.busy === 'copy-' + o.id} busyLabel="コピーしています" onClick={() => act.copy({ id: o.id, title: o.body?.title ?? '', status: o.status })}>コピーして新規作成</Button>
                {o.status === 'published' && <Button variant="secondary" onClick={() => act.extend({ id: o.id, title: o.body?.title ?? '', status: o.status })}>掲載期限の延長</Button>}
                {o.status === 'published' && <Button variant="secondary" class="btn-danger-outline" onClick={() => act.close({ id: o.id, title: o.body?.title ?? '', status: o.status })}>掲載終了</Button>}
              </div>
            </section>
            <section class="card" aria-labelledby="offer-content-h">
              <h2 id="offer-content-h">求人票の内容</h2>
              <OfferView body={o.body ?? {}} codes={ref} findings={a.findings} />
            </section>
            <OfferHistory id={o.id} version={version} />
          </div>
          {(o.status === 'draft' || o.status === 'returned') && (
            <aside class="offer-aside" aria-label="法令チェック">
              <FindingsPanel findings={a.findings} linkable={false}
                note={<p class="muted">「修正が必要な項目」があると審査を依頼できません。「編集」から修正してください。</p>} />
            </aside>
          )}
        </div>
      )}
      {act.dialogs}
    </Page>
  );
}

function CloseDialog({ target, onClose, onDone }: { target: Target | null; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const form = useForm();
  useEffect(() => { if (target) { setReason(''); form.clear(); } }, [target]);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!target) return;
    form.run(async () => {
      await post(`/job-offers/${target.id}/close`, { reason });
      toast(`「${target.title}」の掲載を終了しました（${CLOSE_REASON_LABEL[reason]}）。`);
      onDone();
    }, () => (reason ? [] : [{ field: 'close.reason', code: 'reason.missing', message: '終了の理由を選んでください' }]));
  };
  return (
    <Dialog open={!!target} title="求人票の掲載を終了しますか？" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="close-form" variant="danger" busy={form.busy} busyLabel="終了しています">掲載を終了する</Button>
      </>}>
      <form id="close-form" onSubmit={submit} noValidate>
        <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} />
        <p>「{target?.title}」の掲載を終了すると、求職者は検索・閲覧できなくなります。終了した求人票は元に戻せません（同じ内容で募集する場合は「コピーして新規作成」を使います）。</p>
        <RadioGroup name="close.reason" label="終了の理由" value={reason} onValue={setReason} required error={form.error('close.reason')}
          options={[{ value: 'filled', label: '採用済み（募集人数を採用した）' }, { value: 'withdrawn', label: '取り下げ（募集をやめる）' }]} />
      </form>
    </Dialog>
  );
}

function ExtendDialog({ target, onClose, onDone }: { target: Target | null; onClose: () => void; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => { if (target) setErr(null); }, [target]);
  const until = extendedUntil();
  const extend = async () => {
    if (!target || busy) return;
    setBusy(true);
    try {
      const r = await post<OfferAnswer>(`/job-offers/${target.id}/extend`);
      toast(`掲載期限を${formatDate(r.offer.valid_until ?? until)}まで延長しました。`);
      onDone();
    } catch (e) { setErr(errText(e)); } finally { setBusy(false); }
  };
  return (
    <Dialog open={!!target} title="掲載期限を延長しますか？" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button busy={busy} busyLabel="延長しています" onClick={extend}>延長する</Button>
      </>}>
      {err && <div class="notice notice-error" role="alert"><p>{err}</p></div>}
      <p>「{target?.title}」の掲載期限を、{formatDate(until)}（翌々月の末日）まで延長します。</p>
    </Dialog>
  );
}

