// The central help desk (ヘルプデスク): prefectural nurse centers ask the central nurse center,
// central staff answer (docs/API.md "Help desk"). One module for both sides:
//   /center/helpdesk, /center/helpdesk/:id    counselor, center_admin (their prefecture's inquiries;
//                                             they open new ones)
//   /central/helpdesk, /central/helpdesk/:id  central (answers), sysadmin (reads)
// The list has filters (status, category; prefecture for the national view); an inquiry shows
// its thread with a reply box and a close button while it is open.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../api';
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
import { errText } from './placementParts';
import { opts, useNRef, type NRef, type Paged } from './NotifyParts';
import type { FieldError } from '../api';
import './helpdesk.css';

type CodeLabel = { code: string; label: string | null };
type Named = { id: number; name: string };
export type TicketSummary = {
  id: number; prefecture: { code: string; name: string }; category: CodeLabel; subject: string; status: CodeLabel;
  opened_at: number; opened_by: Named | null; updated_at: number; closed_at: number | null; reply_count: number; imported: boolean;
};
export type Reply = { id: number; author: Named | null; side: 'center' | 'central'; body: string; at: number };
export type Ticket = TicketSummary & { description: string; replies: Reply[]; can_reply: boolean; can_close: boolean };
type HdRef = NRef & { helpdesk_categories?: { code: string; name: string }[]; helpdesk_statuses?: { code: string; name: string }[] };

const SUBJECT_MAX = 100;
const TEXT_MAX = 4000;
const PER_PAGE = 20;

/** Which side the signed-in user is on, and the base path of their screens. */
function useSide() {
  const session = useSession();
  const role = session.status === 'user' ? session.user.role : null;
  const center = role === 'counselor' || role === 'center_admin';
  return { center, base: center ? '/center/helpdesk' : '/central/helpdesk', role };
}

const STATUS_CLASS: Record<string, string> = { open: 'hd-status-open', answered: 'hd-status-answered', closed: 'hd-status-closed' };
const STATUS_FALLBACK: Record<string, string> = { open: '回答待ち', answered: '回答済み', closed: '完了' };

function StatusBadge({ s }: { s: CodeLabel }) {
  return <span class={`badge hd-status ${STATUS_CLASS[s.code] ?? ''}`}>{s.label ?? STATUS_FALLBACK[s.code] ?? s.code}</span>;
}

const sideName = (side: string, pref: string) => (side === 'central' ? '中央ナースセンター' : `${pref}ナースセンター`);

function withQuery(path: string, q: Record<string, string | number | null | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== null && v !== undefined && v !== '' && !(k === 'page' && +v <= 1)) p.set(k, String(v));
  const s = p.toString();
  return path + (s ? '?' + s : '');
}

const len = (s: string) => [...s].length;

// ---- the new-inquiry form (center staff) ------------------------------------------------------------

function NewTicketForm({ ref_, onCancel, base }: { ref_: HdRef | null; onCancel: () => void; base: string }) {
  const [v, setV] = useState({ category: '', subject: '', description: '' });
  const f = useForm();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []); // opened by a button: move there
  const set = (k: keyof typeof v) => (x: string) => setV((o) => ({ ...o, [k]: x }));
  const labels = { category: '問い合わせの分類', subject: '件名', description: '問い合わせの内容' };
  const check = (): FieldError[] => {
    const out: FieldError[] = [];
    if (!v.category) out.push({ field: 'category', code: 'category.missing', message: '問い合わせの分類を選択してください' });
    if (!v.subject.trim()) out.push({ field: 'subject', code: 'subject.missing', message: '件名を入力してください' });
    else if (len(v.subject.trim()) > SUBJECT_MAX) out.push({ field: 'subject', code: 'subject.too_long', message: `件名は${SUBJECT_MAX}文字以内で入力してください` });
    if (!v.description.trim()) out.push({ field: 'description', code: 'description.missing', message: '問い合わせの内容を入力してください' });
    else if (len(v.description) > TEXT_MAX) out.push({ field: 'description', code: 'description.too_long', message: `問い合わせの内容は${TEXT_MAX}文字以内で入力してください` });
    return out;
  };
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const r = await post<{ ticket: Ticket }>('/helpdesk/tickets', { category: v.category, subject: v.subject, description: v.description });
      toast('問い合わせを送信しました。中央ナースセンターから回答があると、メールでお知らせします。');
      navigate(`${base}/${r.ticket.id}`);
    }, check);
  };
  return (
    <section class="card" aria-labelledby="hd-new-h">
      <h2 id="hd-new-h" ref={heading} tabIndex={-1}>新しい問い合わせ</h2>
      <p class="muted">中央ナースセンターのヘルプデスクに問い合わせます。回答があると、メールでお知らせします。個人が特定できる情報（氏名・免許番号など）は書かないでください。</p>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="hd-new-h">
        <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={labels} />
        <SelectField name="category" label={labels.category} required value={v.category} onValue={set('category')}
          error={f.error('category')} options={opts(ref_?.helpdesk_categories)} />
        <TextField name="subject" label={labels.subject} required value={v.subject} onValue={set('subject')}
          error={f.error('subject')} maxLength={SUBJECT_MAX} hint={`${SUBJECT_MAX}文字以内。内容がひと目でわかる件名にしてください。`} autocomplete="off" />
        <TextArea name="description" label={labels.description} required value={v.description} onValue={set('description')}
          error={f.error('description')} rows={8} maxLength={TEXT_MAX}
          hint={`${TEXT_MAX}文字以内。起きていること、操作した画面と手順、いつからか、を書いてください。`} />
        <div class="hd-actions">
          <Button type="submit" busy={f.busy} busyLabel="送信しています">問い合わせを送信する</Button>
          <Button variant="secondary" onClick={onCancel}>閉じる</Button>
        </div>
      </form>
    </section>
  );
}

// ---- /center/helpdesk, /central/helpdesk -----------------------------------------------------------

export function HelpDeskList() {
  const { center, base, role } = useSide();
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const status = params.get('status') ?? '';
  const category = params.get('category') ?? '';
  const prefecture = center ? '' : params.get('prefecture') ?? '';
  const { ref: nref } = useNRef();
  const ref = nref as HdRef | null;
  const [data, setData] = useState<Paged<TicketSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const load = () => {
    setError(null);
    get<Paged<TicketSummary>>('/helpdesk/tickets', { page, per_page: PER_PAGE, status, category, prefecture })
      .then((r) => setData({ ...r, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [page, status, category, prefecture]);
  const go = (patch: Record<string, string | number>) => navigate(withQuery(base, { status, category, prefecture, page: 1, ...patch }));
  const filtered = !!(status || category || prefecture);
  const lead = center
    ? 'システムの操作や業務の進め方について、中央ナースセンターに問い合わせができます。あなたのナースセンターの問い合わせが、新しい動きのあったものから並んでいます。'
    : role === 'sysadmin'
      ? '都道府県ナースセンターからの問い合わせです（閲覧のみ）。新しい動きのあったものから並んでいます。'
      : '都道府県ナースセンターからの問い合わせです。「回答待ち」のものに回答してください。新しい動きのあったものから並んでいます。';
  const statusOpts = (ref?.helpdesk_statuses ?? []).map((c) => ({ value: c.code, label: c.name }));
  return (
    <Page title="ヘルプデスク" wide lead={lead}>
      {center && !creating && (
        <p class="hd-actions">
          <Button onClick={() => setCreating(true)}>新しい問い合わせ</Button>
        </p>
      )}
      {center && creating && <NewTicketForm ref_={ref} base={base} onCancel={() => setCreating(false)} />}
      <form class="filter-bar" aria-label="問い合わせの絞り込み" onSubmit={(e) => e.preventDefault()}>
        <SelectField name="status" plain label="状態" value={status} onValue={(x) => go({ status: x })} class="narrow-field"
          options={statusOpts.length ? statusOpts : Object.entries(STATUS_FALLBACK).map(([value, label]) => ({ value, label }))} placeholder="すべて" />
        <SelectField name="filter-category" plain label="分類" value={category} onValue={(x) => go({ category: x })} class="narrow-field"
          options={opts(ref?.helpdesk_categories)} placeholder="すべて" />
        {!center && (
          <SelectField name="prefecture" plain label="都道府県" value={prefecture} onValue={(x) => go({ prefecture: x })} class="narrow-field"
            options={opts(ref?.prefectures)} placeholder="すべて" />
        )}
      </form>
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<TicketSummary>
          caption="問い合わせの一覧"
          rows={data.items} rowKey={(t) => t.id}
          page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => go({ page: p })}
          columns={[
            { key: 'subject', label: '件名', render: (t) => (
              <div>
                <Link href={`${base}/${t.id}`} class="hd-subject">{t.subject}</Link>
                <br /><span class="muted">受付番号 {t.id}・{formatDateTime(t.opened_at)}</span>
              </div>
            ) },
            ...(center ? [] : [{ key: 'prefecture', label: '都道府県', render: (t: TicketSummary) => t.prefecture.name }]),
            { key: 'category', label: '分類', render: (t) => t.category.label ?? t.category.code },
            { key: 'status', label: '状態', render: (t) => <StatusBadge s={t.status} /> },
            { key: 'replies', label: '返信', class: 'hd-count', render: (t) => `${t.reply_count}件` },
            { key: 'opened_by', label: '問い合わせた人', render: (t) => t.opened_by?.name ?? (t.imported ? '（移行データ）' : '—') },
            { key: 'updated_at', label: '最終更新', class: 'col-nowrap', render: (t) => formatDateTime(t.updated_at) },
          ]}
          empty={<EmptyState title={filtered ? '該当する問い合わせはありません' : 'まだ問い合わせはありません'}>
            {filtered ? '条件を変えてお試しください。' : center ? '「新しい問い合わせ」から中央ナースセンターに問い合わせができます。' : null}
          </EmptyState>}
        />
      )}
    </Page>
  );
}

// ---- /center/helpdesk/:id, /central/helpdesk/:id ------------------------------------------------------

export function HelpDeskTicket({ params }: { params: { id: string } }) {
  const { center, base } = useSide();
  const [t, setT] = useState<Ticket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [confirmClose, setConfirmClose] = useState(false);
  const [closing, setClosing] = useState(false);
  const f = useForm();
  const load = () => {
    setError(null);
    get<{ ticket: Ticket }>(`/helpdesk/tickets/${encodeURIComponent(params.id)}`).then((r) => setT(r.ticket), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);

  const send = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const r = await post<{ ticket: Ticket }>(`/helpdesk/tickets/${encodeURIComponent(params.id)}/replies`, { body: text });
      setT(r.ticket);
      setText('');
      toast(center ? '返信を送信しました。' : '回答を送信しました。問い合わせたナースセンターにメールでお知らせします。');
    }, () => (!text.trim() ? [{ field: 'body', code: 'body.missing', message: center ? '返信の内容を入力してください' : '回答の内容を入力してください' }]
      : len(text) > TEXT_MAX ? [{ field: 'body', code: 'body.too_long', message: `${TEXT_MAX}文字以内で入力してください` }] : []));
  };
  const close = async () => {
    if (closing) return;
    setClosing(true);
    try {
      const r = await post<{ ticket: Ticket }>(`/helpdesk/tickets/${encodeURIComponent(params.id)}/close`);
      setT(r.ticket);
      setConfirmClose(false);
      toast('問い合わせを完了にしました。');
    } catch (e) {
      setConfirmClose(false);
      toast(errText(e), 'error', 9000);
      load();
    } finally {
      setClosing(false);
    }
  };

  const pref = t?.prefecture.name ?? '';
  return (
    <Page title={t ? `問い合わせ（受付番号 ${t.id}）` : '問い合わせ'}>
      <p class="hd-links"><Link href={base}>問い合わせの一覧へ戻る</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !t ? <Spinner /> : (
        <>
          <section class="card" aria-labelledby="hd-q-h">
            <div class="hd-head">
              <h2 id="hd-q-h">{t.subject}</h2>
              <StatusBadge s={t.status} />
            </div>
            <dl class="dl">
              <dt>分類</dt><dd>{t.category.label ?? t.category.code}</dd>
              <dt>問い合わせ元</dt><dd>{pref}ナースセンター{t.opened_by ? `（${t.opened_by.name}）` : ''}</dd>
              <dt>受付日時</dt><dd>{formatDateTime(t.opened_at)}</dd>
              <dt>最終更新</dt><dd>{formatDateTime(t.updated_at)}</dd>
              {t.closed_at !== null && <><dt>完了日時</dt><dd>{formatDateTime(t.closed_at)}</dd></>}
            </dl>
          </section>
          <section class="card" aria-labelledby="hd-thread-h">
            <h2 id="hd-thread-h">やりとり</h2>
            <ol class="hd-thread">
              <li class="hd-msg hd-msg-center">
                <p class="hd-msg-meta"><strong>{sideName('center', pref)}</strong><span>{t.opened_by?.name ?? ''}</span><span>{formatDateTime(t.opened_at)}</span><span>問い合わせ</span></p>
                <p class="hd-msg-body hd-pre">{t.description}</p>
              </li>
              {t.replies.map((m) => (
                <li key={m.id} class={`hd-msg hd-msg-${m.side}`}>
                  <p class="hd-msg-meta"><strong>{sideName(m.side, pref)}</strong><span>{m.author?.name ?? ''}</span><span>{formatDateTime(m.at)}</span><span>{m.side === 'central' ? '回答' : '返信'}</span></p>
                  <p class="hd-msg-body hd-pre">{m.body}</p>
                </li>
              ))}
            </ol>
            {t.replies.length === 0 && <p class="muted mt">{center ? 'まだ回答はありません。回答があると、メールでお知らせします。' : 'まだ回答していません。'}</p>}
            {t.status.code === 'closed' && <p class="notice notice-info hd-closed-note" role="status">この問い合わせは完了しています。続けて質問がある場合は、新しい問い合わせをしてください。</p>}
          </section>
          {t.can_reply && (
            <section class="card" aria-labelledby="hd-reply-h">
              <h2 id="hd-reply-h">{center ? '返信する' : '回答する'}</h2>
              <form class="form" onSubmit={send} noValidate aria-labelledby="hd-reply-h">
                <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={{ body: center ? '返信の内容' : '回答の内容' }} />
                <TextArea name="body" label={center ? '返信の内容' : '回答の内容'} required value={text} onValue={setText} error={f.error('body')}
                  rows={6} maxLength={TEXT_MAX} hint={`${TEXT_MAX}文字以内。${center ? '返信すると状態が「回答待ち」に戻ります。' : '回答すると状態が「回答済み」になり、問い合わせた人にメールでお知らせします。'}`} />
                <div class="hd-actions">
                  <Button type="submit" busy={f.busy} busyLabel="送信しています">{center ? '返信を送信する' : '回答を送信する'}</Button>
                </div>
              </form>
            </section>
          )}
          {t.can_close && (
            <section class="card" aria-labelledby="hd-close-h">
              <h2 id="hd-close-h">問い合わせの完了</h2>
              <p class="muted">解決したら完了にしてください。完了にすると、返信はできなくなります。</p>
              <Button variant="secondary" onClick={() => setConfirmClose(true)}>この問い合わせを完了にする</Button>
            </section>
          )}
          <Dialog open={confirmClose} title="この問い合わせを完了にしますか？" onClose={() => setConfirmClose(false)}
            actions={<>
              <Button variant="secondary" onClick={() => setConfirmClose(false)}>キャンセル</Button>
              <Button busy={closing} busyLabel="完了にしています" onClick={close}>完了にする</Button>
            </>}>
            <p>「{t?.subject}」を完了にします。完了にすると、返信はできなくなります。</p>
          </Dialog>
        </>
      )}
    </Page>
  );
}
