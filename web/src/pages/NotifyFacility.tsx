// The facility's 施設代行届出 (proxy notifications of nurses who left): the list of its filings,
// one filing with the shared form, the bulk upload of a CSV/XLSX file (dry run, result, error
// rows, the report CSV, a template) and one filing's content as filed.
import type { RefObject } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { API_BASE, ApiError, get, post, upload } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { formatDateTime } from '../format';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import { errText } from './placementParts';
import {
  EMPTY_NOTIFY, NotificationContent, NotificationMeta, NotifyForm, NStatusBadge, useNRef,
  type Notification, type NotificationSummary, type Paged,
} from './NotifyParts';

const PER_PAGE = 20;
const MAX_BYTES = 16 * 1024 * 1024;

function useFacilityId() {
  const session = useSession();
  return session.status === 'user' ? session.user.facility_id ?? null : null;
}
const fpath = (fid: number | string, rest = '') => `/facilities/${encodeURIComponent(String(fid))}${rest}`;

function Tabs({ current }: { current: string }) {
  const tabs = [
    { href: '/facility/notifications', label: '代行届出の一覧' },
    { href: '/facility/notifications/upload', label: 'ファイルで一括登録' },
    { href: '/facility/notifications/new', label: '1件ずつ届出' },
  ];
  return (
    <ul class="tabs" aria-label="施設代行届出の画面の切り替え">
      {tabs.map((t) => <li key={t.href}><Link href={t.href} aria-current={t.href === current ? 'page' : undefined}>{t.label}</Link></li>)}
    </ul>
  );
}

const LEAD = '退職した看護職員に代わって、施設から都道府県ナースセンターへの届出（離職時等の届出）ができます。届出は、ご本人がメールのリンクで内容を確認するか、ナースセンターが書面で同意を確認すると受け付けられます。';

function NoFacility() {
  return <Page title="届出（施設代行）"><LoadError message="このアカウントには施設が登録されていません。ナースセンターにお問い合わせください。" /></Page>;
}

// ---- /facility/notifications -------------------------------------------------------------------

export function FacilityNotifications() {
  const fid = useFacilityId();
  const loc = useLocation();
  const page = Math.max(1, parseInt(new URLSearchParams(loc.search).get('page') || '1', 10) || 1);
  const [data, setData] = useState<Paged<NotificationSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    if (!fid) return;
    setError(null);
    get<Paged<NotificationSummary>>(fpath(fid, '/notifications'), { page, per_page: PER_PAGE })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [fid, page]);
  if (!fid) return <NoFacility />;
  return (
    <Page title="届出（施設代行）" wide lead={LEAD}>
      <Tabs current="/facility/notifications" />
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<NotificationSummary>
          caption="施設が代行した届出の一覧"
          rows={data.items} rowKey={(r) => r.id}
          page={page} perPage={PER_PAGE} total={data.total}
          onPage={(p) => navigate('/facility/notifications' + (p > 1 ? `?page=${p}` : ''))}
          columns={[
            { key: 'name', label: '氏名', render: (r) => <Link href={`/facility/notifications/${r.id}`}>{r.name}</Link> },
            { key: 'name_kana', label: 'フリガナ' },
            { key: 'reason', label: '届出の事由', render: (r) => r.reason_label || r.reason },
            { key: 'status', label: '状況', render: (r) => <NStatusBadge status={r.status} label={r.status_label} /> },
            { key: 'filed_at', label: '届出日時', render: (r) => formatDateTime(r.filed_at) },
          ]}
          empty={<EmptyState title="代行した届出はまだありません">
            <p>退職した職員の届出は「1件ずつ届出」から、複数の職員の分は「ファイルで一括登録」からできます。</p>
          </EmptyState>}
        />
      )}
    </Page>
  );
}

// ---- /facility/notifications/new ----------------------------------------------------------------

export function FacilityNotificationNew() {
  const fid = useFacilityId();
  const { ref, error, load } = useNRef();
  if (!fid) return <NoFacility />;
  return (
    <Page title="届出（施設代行）" lead={LEAD}>
      <Tabs current="/facility/notifications/new" />
      <h2>1件ずつ届出</h2>
      {error ? <LoadError message={error} onRetry={load} /> : !ref ? <Spinner /> : (
        <NotifyForm mode="facility" initial={EMPTY_NOTIFY} draftKey={`notify-facility-${fid}`} ref_={ref} label="施設代行届出"
          submitLabel="代行して届け出る" busyLabel="届け出ています"
          note="届け出ると、メールアドレスを入力した場合はご本人に確認メールが届きます。ご本人の確認後に受け付けられます。"
          onSubmit={async (body) => {
            const r = await post<{ notification: Notification }>(fpath(fid, '/notifications'), body);
            toast(`${r.notification.holder?.name ?? ''} さんの届出を代行しました。ご本人の確認を待っています。`);
            navigate(`/facility/notifications/${r.notification.id}`);
          }} />
      )}
    </Page>
  );
}

// ---- /facility/notifications/:id ----------------------------------------------------------------

export function FacilityNotification({ params }: { params: { id: string } }) {
  const { ref } = useNRef();
  const [n, setN] = useState<Notification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ notification: Notification }>(`/notifications/${encodeURIComponent(params.id)}`).then((r) => setN(r.notification), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);
  return (
    <Page title={n ? `代行届出（${n.holder?.name ?? ''} さん）` : '代行届出'}>
      <p><Link href="/facility/notifications">代行届出の一覧へ戻る</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !n ? <Spinner /> : (
        <>
          <section class="card" aria-labelledby="fn-status-h">
            <div class="status-line"><h2 id="fn-status-h">状況</h2><NStatusBadge status={n.status} label={n.status_label} /></div>
            <p>{n.status === 'active' ? 'ご本人の確認が済み、届出は受け付けられています。'
              : n.holder?.email ? 'ご本人に確認メールを送りました。ご本人が確認すると受け付けられます。'
                : 'メールアドレスがないため、ナースセンターがご本人の同意を書面で確認すると受け付けられます。'}</p>
            <NotificationMeta n={n} />
          </section>
          <section class="card" aria-labelledby="fn-content-h">
            <h2 id="fn-content-h">届け出た内容</h2>
            <NotificationContent n={n} codes={ref} />
          </section>
        </>
      )}
    </Page>
  );
}

// ---- /facility/notifications/upload --------------------------------------------------------------

export type UploadError = { row: number; column: string | null; code: string; message: string };
export type Upload = {
  id?: number; filename: string; format: string; rows: number; accepted: number; rejected: number;
  errors: UploadError[]; created_at: number;
};

const FORMAT_LABEL: Record<string, string> = { csv_utf8: 'CSV（UTF-8）', csv_sjis: 'CSV（Shift_JIS）', xlsx: 'Excel（.xlsx）' };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The columns of the upload file (docs/API.md "Bulk upload"), in the template's order. */
export const UPLOAD_COLUMNS: [string, boolean, string][] = [
  ['氏名', true, '例：看護 花子'],
  ['フリガナ', true, 'カタカナ。例：カンゴ ハナコ'],
  ['生年月日', true, '例：1990-05-01 または 1990/05/01'],
  ['郵便番号', true, '7桁。例：160-0023'],
  ['住所都道府県', true, '都道府県名（例：東京都）またはコード（例：13）'],
  ['住所', true, '市区町村以降。例：新宿区西新宿1-1-1'],
  ['電話番号', false, '電話番号とメールアドレスの少なくともどちらかが必要です'],
  ['メールアドレス', false, '入力すると、ご本人に届出の確認メールが届きます'],
  ['免許種別', true, '保健師・助産師・看護師・准看護師'],
  ['籍登録番号', true, '数字10桁以内'],
  ['登録年月日', true, '例：2012-04-01'],
  ['免許種別2', false, '2つ目の免許がある場合'],
  ['籍登録番号2', false, '2つ目の免許がある場合'],
  ['登録年月日2', false, '2つ目の免許がある場合'],
  ['届出事由', true, ''],
  ['事由発生日', true, '退職日など。例：2026-03-31'],
  ['離職前の就業場所', false, ''],
  ['就業状況', true, ''],
];

function contentType(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.csv')) return 'text/csv';
  if (file.type && !/json/i.test(file.type)) return file.type;
  return 'application/octet-stream';
}

function templateUrl(): string {
  const header = UPLOAD_COLUMNS.map(([c]) => c).join(',');
  return URL.createObjectURL(new Blob(['\uFEFF' + header + '\r\n'], { type: 'text/csv;charset=utf-8' }));
}

export const reportHref = (fid: number | string, id: number) =>
  `${API_BASE}/facilities/${encodeURIComponent(String(fid))}/notification-uploads/${id}/report.csv`;

export function FacilityNotificationUpload() {
  const fid = useFacilityId();
  const { ref } = useNRef();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'dry' | 'real' | null>(null);
  const [result, setResult] = useState<{ upload: Upload; dry: boolean } | null>(null);
  const [fail, setFail] = useState<string | null>(null);
  const [history, setHistory] = useState<Upload[] | null>(null);
  const [histError, setHistError] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const tpl = useMemo(templateUrl, []);
  useEffect(() => () => URL.revokeObjectURL(tpl), [tpl]);

  const loadHistory = () => {
    if (!fid) return;
    setHistError(null);
    get<{ items: Upload[] }>(fpath(fid, '/notification-uploads')).then((r) => setHistory(r.items || []), (e) => setHistError(errText(e)));
  };
  useEffect(loadHistory, [fid]);

  if (!fid) return <NoFacility />;

  const send = async (dry: boolean) => {
    if (busy) return;
    setFail(null);
    if (!file) { setFail('ファイルを選んでください。'); document.getElementById('f-upload-file')?.focus(); return; }
    if (file.size > MAX_BYTES) { setFail('ファイルが大きすぎます（16MBまで）。ファイルを分けて登録してください。'); return; }
    if (file.size === 0) { setFail('ファイルが空です。'); return; }
    setBusy(dry ? 'dry' : 'real');
    setResult(null);
    try {
      const r = await upload<{ upload: Upload }>(fpath(fid, '/notification-uploads'), file, contentType(file),
        { dry_run: dry ? 1 : undefined, filename: file.name });
      setResult({ upload: r.upload, dry });
      if (!dry) {
        toast(`${r.upload.accepted}件の届出を登録しました。`);
        loadHistory();
      }
      setTimeout(() => resultRef.current?.focus(), 0);
    } catch (e) {
      let msg = errText(e);
      if (e instanceof ApiError && e.code === 'upload.columns' && e.field && !msg.includes(e.field)) msg += `（列：${e.field}）`;
      setFail(msg);
      setTimeout(() => document.getElementById('upload-fail')?.focus(), 0);
    } finally {
      setBusy(null);
    }
  };

  const codes = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name).join('・');
  const desc = (col: string, d: string) => col === '届出事由' ? codes(ref?.notification_reasons)
    : col === '離職前の就業場所' ? `${codes(ref?.last_workplaces)}（届出事由が「免許取得後ただちに業務に従事しない」以外のときは必須）`
      : col === '就業状況' ? codes(ref?.notification_work_statuses) : d;

  return (
    <Page title="届出（施設代行）" wide lead={LEAD}>
      <Tabs current="/facility/notifications/upload" />
      <div class="nt-upload-layout">
        <section class="card" aria-labelledby="up-h">
          <h2 id="up-h">ファイルで一括登録</h2>
          <p>複数の職員の届出を、CSVファイルまたはExcelファイル（.xlsx）でまとめて登録できます。1行目に列名、2行目から1人1行で入力してください（10,000行・16MBまで）。</p>
          <p>まず「確認のみ（登録しない）」で誤りがないかを確かめてから、「登録する」を押してください。誤りのある行は登録されず、ほかの行だけが登録されます。</p>
          <p><a class="btn btn-secondary" href={tpl} download="施設代行届出_ひな形.csv">ひな形（CSV）をダウンロード</a></p>
          <div class="field">
            <label class="field-label" for="f-upload-file">登録するファイル<span class="req">必須</span></label>
            <p class="field-hint" id="f-upload-file-hint">CSV（UTF-8 または Shift_JIS）、Excel（.xlsx）</p>
            <input type="file" id="f-upload-file" class="nt-file" aria-describedby="f-upload-file-hint"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => { setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null); setResult(null); setFail(null); }} />
          </div>
          {fail && <div class="notice notice-error" role="alert" id="upload-fail" tabIndex={-1}><p>{fail}</p></div>}
          <div class="actions">
            <Button variant="secondary" busy={busy === 'dry'} busyLabel="確認しています" onClick={() => send(true)}>確認のみ（登録しない）</Button>
            <Button busy={busy === 'real'} busyLabel="登録しています" onClick={() => send(false)}>登録する</Button>
          </div>
          {result && <UploadResult fid={fid} upload={result.upload} dry={result.dry} focusRef={resultRef} />}
        </section>

        <section class="card" aria-labelledby="cols-h">
          <h2 id="cols-h">列の説明</h2>
          <p class="muted">列の順番は自由です。これ以外の列は読み飛ばします。コードの列は、名前（例：看護師）でもコード（例：kangoshi）でも入力できます。「=」「+」「-」「@」で始まる値は入力できません。</p>
          <dl class="nt-cols">
            {UPLOAD_COLUMNS.map(([c, req, d]) => (
              <div key={c}>
                <dt>{c}{req ? <span class="req">必須</span> : <span class="opt">任意</span>}</dt>
                <dd>{desc(c, d) || '—'}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>

      <section class="section" aria-labelledby="hist-h">
        <h2 id="hist-h">これまでの一括登録</h2>
        {histError ? <LoadError message={histError} onRetry={loadHistory} /> : !history ? <Spinner /> : (
          <DataTable<Upload>
            caption="これまでの一括登録"
            rows={history} rowKey={(r, i) => r.id ?? i}
            columns={[
              { key: 'created_at', label: '登録日時', render: (r) => formatDateTime(r.created_at) },
              { key: 'filename', label: 'ファイル', render: (r) => r.filename || '—' },
              { key: 'rows', label: '行数', render: (r) => `${r.rows}行` },
              { key: 'accepted', label: '登録', render: (r) => `${r.accepted}件` },
              { key: 'rejected', label: 'エラー', render: (r) => `${r.rejected}件` },
              { key: 'report', label: 'レポート', render: (r) => (r.rejected > 0 && r.id
                ? <a href={reportHref(fid, r.id)} download>エラー行のレポート<span class="visually-hidden">（{formatDateTime(r.created_at)}の登録）</span></a> : '—') },
            ]}
            empty={<EmptyState title="一括登録はまだありません" />}
          />
        )}
      </section>
    </Page>
  );
}

function UploadResult({ fid, upload: u, dry, focusRef }: { fid: number | string; upload: Upload; dry: boolean; focusRef: RefObject<HTMLDivElement> }) {
  const ok = u.rejected === 0;
  return (
    <div class="nt-result" aria-labelledby="up-result-h" role="region" tabIndex={-1} ref={focusRef}>
      <h3 id="up-result-h">{dry ? '確認の結果（まだ登録していません）' : '登録の結果'}</h3>
      <div class={`notice ${ok ? 'notice-success' : 'notice-error'}`} role="status">
        <p>
          {dry
            ? ok ? `${u.accepted}件すべて登録できます。「登録する」を押すと登録されます。`
              : `${u.rows}行のうち${u.accepted}件は登録できますが、${u.rejected}件に誤りがあります。誤りを直すか、このまま「登録する」を押すと誤りのない行だけが登録されます。`
            : ok ? `${u.accepted}件の届出を登録しました。` : `${u.accepted}件を登録しました。${u.rejected}件は誤りがあるため登録していません。`}
        </p>
      </div>
      <dl class="nt-counts">
        <div><dt>データ行</dt><dd>{u.rows}行</dd></div>
        <div><dt>{dry ? '登録できる件数' : '登録した件数'}</dt><dd>{u.accepted}件</dd></div>
        <div><dt>エラーのある行</dt><dd>{u.rejected}件</dd></div>
        <div><dt>ファイル</dt><dd>{u.filename || '—'}（{FORMAT_LABEL[u.format] ?? u.format}）</dd></div>
      </dl>
      {u.errors?.length > 0 && (
        <>
          <h4>エラーの内容</h4>
          {u.errors.length < u.rejected && <p class="muted">最初の{u.errors.length}件を表示しています。</p>}
          <DataTable<UploadError>
            caption="エラーの内容"
            rows={u.errors} rowKey={(r, i) => `${r.row}-${r.column}-${i}`} perPage={50}
            columns={[
              { key: 'row', label: '行', class: 'col-nowrap', render: (r) => `${r.row}行目` },
              { key: 'column', label: '列', class: 'col-nowrap', render: (r) => r.column || '—' },
              { key: 'message', label: '内容' },
            ]}
          />
          <p class="muted">行の番号は、列名の行を1行目として数えています。</p>
        </>
      )}
      {!dry && u.id && u.rejected > 0 && (
        <p><a class="btn btn-secondary" href={reportHref(fid, u.id)} download>エラー行のレポート（CSV）をダウンロード</a></p>
      )}
    </div>
  );
}
