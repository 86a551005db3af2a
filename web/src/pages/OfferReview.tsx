// Center screens for job offers: 求人票の審査 (the queue of submitted offers, oldest first)
// and the review of one offer with its findings: 公開する, 差し戻す, 不受理.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { formatDateTime } from '../format';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, SelectField, TextArea } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import { useForm } from '../ui/form';
import { useRefData } from './facilityParts';
import {
  errText, FindingsPanel, OfferFacts, OfferHistory, OfferStatusBadge, OfferView, REFUSAL_GROUNDS, ReviewNote,
  type Offer, type OfferAnswer,
} from './offerParts';

type Row = { id: number; title: string; status: string; offer_no: string | null; facility_id: number; facility_name: string; prefecture: string; updated_at: number };
type ListAnswer = { total: number; page: number; per_page: number; items: Row[] };
const PER_PAGE = 20;
const REVIEWERS = ['counselor', 'center_admin'];

/** /center/offers */
export function OfferQueue() {
  const loc = useLocation();
  const page = Math.max(1, parseInt(new URLSearchParams(loc.search).get('page') || '1', 10) || 1);
  const [data, setData] = useState<ListAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<ListAnswer>('/job-offers', { status: 'submitted', page, per_page: PER_PAGE })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [page]);
  return (
    <Page title="求人票の審査" wide lead="求人施設から審査の依頼があった求人票です。依頼の古い順に並んでいます。タイトルを開いて内容と法令チェックの結果を確認し、公開・差し戻し・不受理を決めてください。">
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<Row>
          caption="審査待ちの求人票"
          rows={data.items}
          rowKey={(r) => r.id}
          page={page}
          perPage={PER_PAGE}
          total={data.total}
          onPage={(p) => navigate('/center/offers' + (p > 1 ? `?page=${p}` : ''))}
          columns={[
            { key: 'title', label: 'タイトル', render: (r) => <Link href={`/center/offers/${r.id}`}>{r.title || '（タイトル未入力）'}</Link> },
            { key: 'facility_name', label: '施設名' },
            { key: 'updated_at', label: '依頼日時', render: (r) => formatDateTime(r.updated_at) },
          ]}
          empty={<EmptyState title="審査を待っている求人票はありません">施設から審査の依頼があると、ここに表示されます。</EmptyState>}
        />
      )}
      <p class="mt"><Link href="/center/reviews">施設の審査へ</Link></p>
    </Page>
  );
}

type Decision = 'publish' | 'return' | 'refuse';

/** /center/offers/:id */
export function OfferReviewPage({ params }: { params: { id: string } }) {
  const session = useSession();
  const canReview = session.status === 'user' && REVIEWERS.includes(session.user.role);
  const { ref } = useRefData();
  const [a, setA] = useState<OfferAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<Decision | null>(null);
  const load = () => {
    setError(null);
    get<OfferAnswer>(`/job-offers/${encodeURIComponent(params.id)}`).then((r) => { setA(r); setVersion((x) => x + 1); }, (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);
  const o = a?.offer;
  const errors = (a?.findings ?? []).filter((f) => f.severity === 'error').length;
  const warnings = (a?.findings ?? []).filter((f) => f.severity === 'warning').length;
  const done = (text: string) => { setDialog(null); toast(text); load(); };
  const stale = () => { setDialog(null); load(); toast('この求人票はすでに審査されています。最新の状態を表示しました。', 'error'); };

  return (
    <Page title={o ? (o.body?.title || '（タイトル未入力）') : '求人票の審査'} wide>
      <p><Link href="/center/offers">求人票の審査へ戻る</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !a || !o ? <Spinner /> : (
        <div class="offer-layout">
          <div>
            <section class="card" aria-labelledby="offer-status-h">
              <div class="status-line">
                <h2 id="offer-status-h">審査の状況</h2>
                <OfferStatusBadge status={o.status} />
              </div>
              <dl class="dl">
                <dt>求人施設</dt><dd><Link href={`/facilities/${o.facility_id}?from=${encodeURIComponent(`/center/offers/${o.id}`)}`}>{o.facility_name}</Link></dd>
              </dl>
              <OfferFacts offer={o} />
              <ReviewNote offer={o} />
              {o.status === 'submitted' && canReview && (
                <>
                  <p>内容と法令チェックの結果を確認してください。{warnings > 0 && <strong class="warn-text">確認をおすすめする点が{warnings}件あります（内容の中で黄色で示しています）。</strong>}</p>
                  {errors > 0 && <div class="notice notice-error"><p>修正が必要な項目が{errors}件あるため、公開できません。差し戻して修正を依頼してください。</p></div>}
                  <div class="actions">
                    <Button onClick={() => setDialog('publish')} disabled={errors > 0} aria-describedby={errors > 0 ? 'findings' : undefined}>公開する</Button>
                    <Button variant="secondary" onClick={() => setDialog('return')}>差し戻す</Button>
                    <Button variant="secondary" class="btn-danger-outline" onClick={() => setDialog('refuse')}>不受理</Button>
                  </div>
                </>
              )}
              {o.status === 'submitted' && !canReview && <p class="muted">審査は、求人施設の所在地の都道府県ナースセンターが行います。</p>}
            </section>
            <section class="card" aria-labelledby="offer-content-h">
              <h2 id="offer-content-h">求人票の内容</h2>
              <OfferView body={o.body ?? {}} codes={ref} findings={a.findings} />
            </section>
            <OfferHistory id={o.id} version={version} />
          </div>
          <aside class="offer-aside" aria-label="法令チェック">
            <FindingsPanel findings={a.findings} linkable={false}
              note={<p class="muted">現在の内容に対するチェックの結果です。警告（性別を限定する表現など）は、内容を読んで判断してください。</p>} />
          </aside>
          {canReview && <ReviewDialog offer={o} decision={dialog} onClose={() => setDialog(null)} onDone={done} onStale={stale} />}
        </div>
      )}
    </Page>
  );
}

const TITLES: Record<Decision, string> = {
  publish: 'この求人票を公開しますか？',
  return: '求人票を差し戻す',
  refuse: '求人票を不受理にする',
};

function ReviewDialog({ offer: o, decision, onClose, onDone, onStale }: {
  offer: Offer; decision: Decision | null; onClose: () => void; onDone: (text: string) => void; onStale: () => void;
}) {
  const [reason, setReason] = useState('');
  const [ground, setGround] = useState('');
  const form = useForm();
  useEffect(() => { if (decision) { form.clear(); setReason(''); setGround(''); } }, [decision]);
  const title = o.body?.title || '（タイトル未入力）';
  const submit = (e: Event) => {
    e.preventDefault();
    if (!decision) return;
    form.run(async () => {
      const body: Record<string, string> = { decision };
      if (reason.trim()) body.reason = reason.trim();
      if (decision === 'refuse') body.ground = ground;
      try {
        const r = await post<OfferAnswer>(`/job-offers/${o.id}/review`, body);
        onDone(decision === 'publish'
          ? `「${title}」を公開しました（求人番号 ${r.offer.offer_no ?? ''}）。施設にメールでお知らせしました。`
          : decision === 'return' ? `「${title}」を差し戻しました。施設に理由をメールでお知らせしました。`
            : `「${title}」を不受理にしました。施設にメールでお知らせしました。`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) { onStale(); return; }
        if (err instanceof ApiError && err.status === 422 && err.fields.some((f) => f.field !== 'reason' && f.field !== 'ground')) {
          throw new ApiError(422, err.code, '修正が必要な項目があるため公開できません。差し戻して修正を依頼してください。');
        }
        throw err;
      }
    }, () => {
      if (decision === 'return' && !reason.trim()) return [{ field: 'review.reason', code: 'reason.missing', message: '差し戻しの理由を入力してください' }];
      if (decision === 'refuse' && !ground) return [{ field: 'review.ground', code: 'ground.missing', message: '不受理の根拠を選んでください' }];
      return [];
    });
  };
  const err = (k: string) => form.error('review.' + k) || form.error(k);
  return (
    <Dialog open={!!decision} title={decision ? TITLES[decision] : ''} onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="review-form" variant={decision === 'publish' ? 'primary' : 'danger'} busy={form.busy} busyLabel="処理しています">
          {decision === 'publish' ? '公開する' : decision === 'return' ? '差し戻す' : '不受理にする'}
        </Button>
      </>}>
      <form id="review-form" onSubmit={submit} noValidate>
        <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} />
        {decision === 'publish' && (
          <p>「{title}」を公開すると、求人番号が付き、求職者が検索・閲覧できるようになります。掲載期限は翌々月の末日です。施設には公開をお知らせするメールが届きます。</p>
        )}
        {decision === 'return' && (
          <TextArea name="review.reason" label="差し戻しの理由" value={reason} onValue={setReason} error={err('reason')} required maxLength={1000} rows={5}
            hint="修正してほしい点を具体的に書いてください。施設にメールで届き、求人票の画面にも表示されます（1000文字以内）。" />
        )}
        {decision === 'refuse' && (
          <>
            <p>職業安定法5条の6に基づき、求人の申込みを受理しません。施設にはメールでお知らせします。</p>
            <SelectField name="review.ground" label="不受理の根拠（職業安定法5条の6第1項）" value={ground} onValue={setGround}
              options={REFUSAL_GROUNDS} required error={err('ground')} />
            <TextArea name="review.reason" label="理由" value={reason} onValue={setReason} error={err('reason')} maxLength={1000} rows={4}
              hint="施設に伝える補足です（1000文字以内）。" />
          </>
        )}
      </form>
    </Dialog>
  );
}
