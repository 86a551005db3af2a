// The nurse center's notification (届出) screens: the list of the notifications routed to the
// center (filters, duplicate candidates, CSV export), the paper entry at the counter, and one
// notification with its versions, the paper consent to a proxy filing and a paper 変更届.
import { useEffect, useState } from 'preact/hooks';
import { API_BASE, ApiError, get, post } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { formatDate, formatDateTime, todayJst } from '../format';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, SelectField, TextArea, TextField } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import { useForm } from '../ui/form';
import { errText } from './placementParts';
import {
  ChangeForm, codeName, EMPTY_NOTIFY, NotificationContent, NotificationMeta, NotifyForm, NStatusBadge, opts, useNRef, VersionHistory,
  type Notification, type NotificationSummary, type NRef, type Paged,
} from './NotifyParts';

const PER_PAGE = 20;

/** The fiscal year (April–March) of today in JST. */
export function currentFiscalYear(): number {
  const [y, m] = todayJst().split('-').map(Number);
  return m >= 4 ? y : y - 1;
}
const fyOptions = () => {
  const fy = currentFiscalYear();
  return Array.from({ length: 5 }, (_, i) => fy - i).map((y) => ({ value: String(y), label: `${y}年度（${y}年4月〜${y + 1}年3月）` }));
};

function withQuery(path: string, q: Record<string, string | number | null | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== null && v !== undefined && v !== '' && !(k === 'page' && +v <= 1)) p.set(k, String(v));
  const s = p.toString();
  return path + (s ? '?' + s : '');
}

export function useCenterName(ref: NRef | null): string {
  const session = useSession();
  const pref = session.status === 'user' ? session.user.prefecture : null;
  return pref ? `${codeName(ref?.prefectures, pref)}ナースセンター` : 'ナースセンター';
}

export function DuplicatesBadge({ n, personId }: { n: number | undefined; personId: number | null }) {
  if (!n) return null;
  const badge = <span class="badge nt-dup"><span aria-hidden="true">⚠ </span>重複候補 {n}件</span>;
  return personId ? <Link href={`/center/people/${personId}/timeline#duplicates`} class="nt-dup-link">{badge}<span class="visually-hidden">（記録を確認する）</span></Link> : badge;
}

// ---- /center/notifications ----------------------------------------------------------------------

export function CenterNotifications() {
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const status = params.get('status') ?? '';
  const channel = params.get('channel') ?? '';
  const fy = params.get('fiscal_year') ?? '';
  const q = params.get('q') ?? '';
  const [input, setInput] = useState(q);
  useEffect(() => setInput(q), [q]);
  const { ref } = useNRef();
  const [data, setData] = useState<Paged<NotificationSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<Paged<NotificationSummary>>('/notifications', { page, per_page: PER_PAGE, status, channel, fiscal_year: fy, q })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [page, status, channel, fy, q]);
  const go = (patch: Record<string, string | number>) =>
    navigate(withQuery('/center/notifications', { status, channel, fiscal_year: fy, q, page: 1, ...patch }));
  const exportHref = `${API_BASE}/exports/notifications.csv${fy ? `?fiscal_year=${encodeURIComponent(fy)}` : ''}`;

  return (
    <Page title="届出の一覧" wide lead="あなたのナースセンターに届いた届出（離職時等の届出）です。新しいものから並んでいます。重複候補は、同じ免許または同じ氏名・生年月日の記録がほかにあることを示します。">
      <p class="actions">
        <Link class="btn btn-primary" href="/center/notifications/new">窓口で受け付けた届出（書面）を入力する</Link>
        <a class="btn btn-secondary" href={exportHref} download>{fy ? `${fy}年度の` : '今年度の'}届出をCSVでダウンロード</a>
      </p>
      <form class="filter-bar" role="search" aria-label="届出の絞り込み" onSubmit={(e) => { e.preventDefault(); go({ q: input.trim() }); }}>
        <SelectField name="status" plain label="状況" value={status} onValue={(x) => go({ status: x })} class="narrow-field"
          options={opts(ref?.notification_statuses)} placeholder="すべて" />
        <SelectField name="channel" plain label="届出の方法" value={channel} onValue={(x) => go({ channel: x })} class="narrow-field"
          options={opts(ref?.notification_channels)} placeholder="すべて" />
        <SelectField name="fiscal_year" plain label="年度" value={fy} onValue={(x) => go({ fiscal_year: x })} class="narrow-field"
          options={fyOptions()} placeholder="すべての年度" />
        <TextField name="q" plain label="氏名・フリガナ" value={input} onValue={setInput} autocomplete="off" maxLength={100} />
        <button type="submit" class="btn btn-primary">検索する</button>
      </form>
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<NotificationSummary>
          caption="届出の一覧"
          rows={data.items} rowKey={(r) => r.id}
          page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => go({ page: p })}
          columns={[
            { key: 'name', label: '氏名', render: (r) => <div><Link href={`/center/notifications/${r.id}`}>{r.name}</Link><br /><span class="muted">{r.name_kana}</span></div> },
            { key: 'reason', label: '届出の事由', render: (r) => r.reason_label || codeName(ref?.notification_reasons, r.reason) },
            { key: 'event_date', label: '事由が生じた日', class: 'col-nowrap', render: (r) => formatDate(r.event_date) },
            { key: 'channel', label: '届出の方法', render: (r) => r.channel_label || codeName(ref?.notification_channels, r.channel) },
            { key: 'status', label: '状況', render: (r) => <div><NStatusBadge status={r.status} label={r.status_label} />{r.version > 1 && <><br /><span class="muted">変更届 {r.version - 1}回</span></>}</div> },
            { key: 'filed_at', label: '届出日時', render: (r) => formatDateTime(r.filed_at) },
            { key: 'duplicates', label: '重複候補', render: (r) => (r.duplicates ? <DuplicatesBadge n={r.duplicates} personId={r.person_id} /> : 'なし') },
          ]}
          empty={<EmptyState title="該当する届出はありません">{status || channel || q || fy ? '条件を変えてお試しください。' : null}</EmptyState>}
        />
      )}
    </Page>
  );
}

// ---- /center/notifications/new ----------------------------------------------------------------------

export function CenterNotificationNew() {
  const { ref, error, load } = useNRef();
  const centerName = useCenterName(ref);
  return (
    <Page title="窓口での届出の入力" lead="窓口や郵送で受け付けた届出用紙（書面）の内容を入力します。届出の方法は「ナースセンター窓口」として記録され、すぐに受付済になります。">
      <p><Link href="/center/notifications">届出の一覧へ戻る</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !ref ? <Spinner /> : (
        <NotifyForm mode="center" initial={EMPTY_NOTIFY} draftKey="notify-center" ref_={ref} label="窓口での届出の入力"
          centerName={centerName} submitLabel="届出を登録する" busyLabel="登録しています"
          note="メールアドレスが登録済みの方の届出は、その方の記録に追加されます。"
          onSubmit={async (body) => {
            const r = await post<{ notification: Notification }>('/center/notifications', body);
            toast(`${r.notification.holder?.name ?? ''} さんの届出を登録しました。`);
            navigate(`/center/notifications/${r.notification.id}`);
          }} />
      )}
    </Page>
  );
}

// ---- /center/notifications/:id ----------------------------------------------------------------------

export function CenterNotification({ params }: { params: { id: string } }) {
  const { ref, error: refError, load: loadRefData } = useNRef();
  const [n, setN] = useState<Notification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const [consent, setConsent] = useState(false);
  const load = () => {
    setError(null);
    get<{ notification: Notification }>(`/notifications/${encodeURIComponent(params.id)}`).then((r) => setN(r.notification), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);
  const err = error || refError;
  const closeChange = () => { setChanging(false); setTimeout(() => document.getElementById('change-btn')?.focus(), 0); };
  return (
    <Page title={n ? `届出（${n.holder?.name ?? ''} さん）` : '届出'} wide>
      <p><Link href="/center/notifications">届出の一覧へ戻る</Link></p>
      {err ? <LoadError message={err} onRetry={() => { load(); loadRefData(); }} /> : !n || !ref ? <Spinner /> : (
        <div class="app-layout">
          <section class="card app-main" aria-labelledby="cn-status-h">
            <div class="status-line"><h2 id="cn-status-h">状況</h2><NStatusBadge status={n.status} label={n.status_label} /></div>
            {n.status === 'pending_confirmation' && (
              <p>{n.channel === 'proxy'
                ? `${n.facility?.name ?? '施設'}による代行届出です。ご本人がメールのリンクで確認するか、ご本人の同意を書面で確認すると受け付けられます。`
                : 'ご本人がメールのリンクで確認すると受け付けられます。'}</p>
            )}
            <NotificationMeta n={n} />
            {n.person_id && (
              <p class="card-links">
                <Link href={`/center/people/${n.person_id}/timeline`}>この方の経過（タイムライン）を開く</Link>
              </p>
            )}
          </section>
          <div class="app-side">
            <section class="card" aria-labelledby="cn-actions-h">
              <h2 id="cn-actions-h">手続き</h2>
              {n.status === 'pending_confirmation' && n.channel === 'proxy' && (
                <>
                  <p class="muted">ご本人から書面（同意書など）で同意を得たときに記録します。</p>
                  <Button onClick={() => setConsent(true)}>紙の同意を記録</Button>
                </>
              )}
              {n.status === 'active' && !changing && (
                <>
                  <p class="muted">書面で提出された変更届を入力できます。</p>
                  <Button id="change-btn" variant="secondary" onClick={() => setChanging(true)}>変更届（書面）を入力する</Button>
                </>
              )}
              {n.status === 'active' && changing && <p class="muted">変更届を入力しています。</p>}
              {n.status === 'pending_confirmation' && n.channel !== 'proxy' && <p>ご本人の確認を待っています。</p>}
            </section>
          </div>
          <div class="app-rest">
            <section class="card" aria-labelledby="cn-content-h">
              <h2 id="cn-content-h">{changing ? '変更届の入力' : '届出の内容（最新）'}</h2>
              {changing
                ? <ChangeForm n={n} ref_={ref} staff onCancel={closeChange} onDone={(x) => { setN(x); closeChange(); }} />
                : <NotificationContent n={n} codes={ref} />}
            </section>
            <section class="card" aria-labelledby="cn-versions-h">
              <h2 id="cn-versions-h">変更の履歴</h2>
              <VersionHistory versions={n.versions} codes={ref} />
            </section>
          </div>
          <ConsentDialog n={n} open={consent} onClose={() => setConsent(false)} onDone={(x) => { setConsent(false); setN(x); }} />
        </div>
      )}
    </Page>
  );
}

function ConsentDialog({ n, open, onClose, onDone }: { n: Notification; open: boolean; onClose: () => void; onDone: (n: Notification) => void }) {
  const [note, setNote] = useState('');
  const f = useForm();
  useEffect(() => { if (open) { setNote(''); f.clear(); } }, [open]);
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      try {
        const body: Record<string, unknown> = { method: 'paper' };
        if (note.trim()) body.note = note.trim();
        const r = await post<{ notification: Notification }>(`/notifications/${n.id}/consent`, body);
        toast('書面での同意を記録しました。届出は受付済になりました。');
        onDone(r.notification);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          get<{ notification: Notification }>(`/notifications/${n.id}`).then((r) => onDone(r.notification), () => {});
          toast(err.message, 'error', 9000);
          return;
        }
        throw err;
      }
    });
  };
  return (
    <Dialog open={open} title="紙の同意を記録" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="consent-form" busy={f.busy} busyLabel="記録しています">同意を記録する</Button>
      </>}>
      <form id="consent-form" onSubmit={submit} noValidate>
        <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={{ note: 'メモ' }} />
        <p>{n.holder?.name} さんが、{n.facility?.name ?? '施設'}による代行届出の内容に書面で同意したことを記録します。記録すると届出は受付済になります。</p>
        <TextArea name="note" label="メモ" value={note} onValue={setNote} error={f.error('note')} rows={3} maxLength={1000}
          hint="例：同意書を郵送で受領（1000文字以内）" />
      </form>
    </Dialog>
  );
}
