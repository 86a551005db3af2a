// Pieces shared by the facility's own screen (Facility.tsx) and the center's
// review screens (FacilityReview.tsx): types, labels, the profile, the change
// history and the list of logins. Loaded only with those chunks.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, loadMunicipalities, loadRef, MSG, type Code, type Ref } from '../api';
import { formatDateTime, ROLE_LABEL, telHref } from '../format';
import { EmptyState, LoadError, Spinner } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import './facility.css';

export type FacilityStatus = 'pending_review' | 'approved' | 'returned' | 'closed';

export type Facility = {
  id: number;
  name: string;
  name_kana: string;
  corporation: string | null;
  prefecture: string;
  municipality: string | null;
  municipality_name: string;
  postal_code: string | null;
  address: string | null;
  facility_type: string;
  beds: number | null;
  departments: string[];
  station: string | null;
  access: string | null;
  phone: string | null;
  contact_name: string | null;
  status: FacilityStatus;
  review_reason: string | null;
  reviewed_at: number | null;
  created_at: number;
  updated_at: number;
};

export type HistoryItem = {
  at: number;
  action: string;
  actor_name: string;
  actor_role: string;
  detail: Record<string, unknown>;
};

export type Login = {
  id: number;
  email: string;
  name: string;
  name_kana: string;
  role: string;
  active: boolean;
  created_at: number;
};

export const STATUS_LABEL: Record<string, string> = {
  pending_review: '審査中',
  approved: '承認済み',
  returned: '差し戻し',
  closed: '利用終了',
};

export const STATUS_OPTIONS = (['pending_review', 'returned', 'approved', 'closed'] as const)
  .map((s) => ({ value: s, label: STATUS_LABEL[s] }));

/** Labels of the profile fields (the API's names), used in forms and the history. */
export const FIELD_LABEL: Record<string, string> = {
  name: '施設名',
  name_kana: 'フリガナ',
  corporation: '法人名',
  prefecture: '都道府県',
  municipality: '市区町村',
  postal_code: '郵便番号',
  address: '住所（町名・番地以降）',
  facility_type: '施設の種類',
  beds: '病床数',
  departments: '診療科',
  station: '最寄り駅',
  access: '交通アクセス',
  phone: '電話番号',
  contact_name: '担当者名',
};
const FIELD_ORDER = Object.keys(FIELD_LABEL);

export const ACTION_LABEL: Record<string, string> = {
  registered: '施設登録',
  updated: '施設情報の変更',
  submitted: '再審査の依頼',
  approved: '承認',
  returned: '差し戻し',
  staff_invited: '担当者アカウントの招待',
};

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status status-${status}`}>{STATUS_LABEL[status] ?? status}</span>;
}

export function errText(e: unknown) { return e instanceof ApiError ? e.message : MSG.generic; }

export const nameOf = (list: Code[] | undefined, code: string | null | undefined) =>
  (code && list?.find((x) => x.code === code)?.name) || code || '';

export function useRefData() {
  const [ref, setRef] = useState<Ref | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => { setError(null); loadRef().then(setRef, (e) => setError(errText(e))); };
  useEffect(load, []);
  return { ref, error, load };
}

/** "1000005" → "100-0005" */
export function formatPostal(p: string | null | undefined): string {
  if (!p) return '';
  return /^\d{7}$/.test(p) ? `${p.slice(0, 3)}-${p.slice(3)}` : p;
}

const NONE = <span class="muted">未登録</span>;

/** The profile as a description list. */
export function ProfileView({ f, codes: ref }: { f: Facility; codes: Ref | null }) {
  const deps = f.departments?.length ? f.departments.map((d) => nameOf(ref?.departments, d)).join('、') : '';
  const text = (v: string | null | undefined) => (v ? v : NONE);
  return (
    <dl class="dl">
      <dt>施設名</dt><dd>{f.name}</dd>
      <dt>フリガナ</dt><dd>{text(f.name_kana)}</dd>
      <dt>法人名</dt><dd>{text(f.corporation)}</dd>
      <dt>施設の種類</dt><dd>{text(nameOf(ref?.facility_types, f.facility_type))}</dd>
      <dt>病床数</dt><dd>{f.beds === null || f.beds === undefined ? NONE : `${f.beds.toLocaleString('ja-JP')}床`}</dd>
      <dt>診療科</dt><dd>{text(deps)}</dd>
      <dt>所在地</dt>
      <dd>
        {f.postal_code && <>〒{formatPostal(f.postal_code)}<br /></>}
        {nameOf(ref?.prefectures, f.prefecture)}{f.municipality_name}{f.address ?? ''}
      </dd>
      <dt>最寄り駅</dt><dd>{text(f.station)}</dd>
      <dt>交通アクセス</dt><dd class="pre">{text(f.access)}</dd>
      <dt>電話番号</dt><dd>{f.phone ? <a href={telHref(f.phone)}>{f.phone}</a> : NONE}</dd>
      <dt>担当者名</dt><dd>{text(f.contact_name)}</dd>
      <dt>登録日時</dt><dd>{formatDateTime(f.created_at)}</dd>
      <dt>最終更新</dt><dd>{formatDateTime(f.updated_at)}</dd>
    </dl>
  );
}

/** Municipality names for the codes in the history (the first two digits are the prefecture). */
function useMuniNames(codes: string[]) {
  const [names, setNames] = useState<Record<string, string>>({});
  const prefs = [...new Set(codes.filter((c) => /^\d{5}$/.test(c)).map((c) => c.slice(0, 2)))].sort().join(',');
  useEffect(() => {
    if (!prefs) return;
    let live = true;
    Promise.all(prefs.split(',').map((p) => loadMunicipalities(p).catch(() => [] as Code[]))).then((lists) => {
      if (!live) return;
      const out: Record<string, string> = {};
      for (const l of lists) for (const m of l) out[m.code] = m.name;
      setNames(out);
    });
    return () => { live = false; };
  }, [prefs]);
  return names;
}

function valueText(key: string, v: unknown, ref: Ref | null, munis: Record<string, string>): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)) return '（未入力）';
  switch (key) {
    case 'prefecture': return nameOf(ref?.prefectures, String(v));
    case 'municipality': return munis[String(v)] ?? String(v);
    case 'facility_type': return nameOf(ref?.facility_types, String(v));
    case 'departments': return Array.isArray(v) ? v.map((d) => nameOf(ref?.departments, String(d))).join('、') : String(v);
    case 'beds': return `${v}床`;
    case 'postal_code': return formatPostal(String(v));
    default: return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

function Changes({ detail, codes: ref, munis }: { detail: Record<string, unknown>; codes: Ref | null; munis: Record<string, string> }) {
  const keys = Object.keys(detail).sort((a, b) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b));
  return (
    <ul class="changes">
      {keys.map((k) => {
        const pair = Array.isArray(detail[k]) ? detail[k] as unknown[] : [null, detail[k]];
        return (
          <li key={k}>
            <span class="change-field">{FIELD_LABEL[k] ?? k}</span>
            <span class="change-values">
              <span class="change-old"><span class="visually-hidden">変更前：</span>{valueText(k, pair[0], ref, munis)}</span>
              <span class="change-arrow" aria-hidden="true">→</span>
              <span class="change-new"><span class="visually-hidden">変更後：</span>{valueText(k, pair[1], ref, munis)}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** The change history (変更履歴), newest first. */
export function History({ items, codes: ref }: { items: HistoryItem[]; codes: Ref | null }) {
  const codes: string[] = [];
  for (const it of items) {
    const m = it.action === 'updated' ? it.detail?.municipality : null;
    if (Array.isArray(m)) m.forEach((c) => typeof c === 'string' && codes.push(c));
  }
  const munis = useMuniNames(codes);
  if (!items.length) return <EmptyState title="記録はまだありません" />;
  return (
    <ol class="history">
      {items.map((it, i) => {
        const d = it.detail || {};
        return (
          <li key={`${it.at}-${i}`} class={`history-item history-${it.action}`}>
            <p class="history-head">
              <strong>{ACTION_LABEL[it.action] ?? it.action}</strong>
              <span class="history-meta">
                <time>{formatDateTime(it.at)}</time>
                <span>{it.actor_name ? `${it.actor_name}（${ROLE_LABEL[it.actor_role] ?? it.actor_role}）` : 'システム'}</span>
              </span>
            </p>
            {it.action === 'updated' && <Changes detail={d} codes={ref} munis={munis} />}
            {it.action === 'returned' && typeof d.reason === 'string' && (
              <p class="history-reason"><span class="change-field">差し戻しの理由</span><span class="pre">{d.reason}</span></p>
            )}
            {it.action === 'staff_invited' && typeof d.email === 'string' && (
              <p class="history-reason"><span class="change-field">招待したアカウント</span><span>{d.email}（{ROLE_LABEL[String(d.role)] ?? String(d.role)}）</span></p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** Loads and shows the history of facility `id`; `version` reloads it. */
export function HistorySection({ id, codes: ref, version = 0 }: { id: number | string; codes: Ref | null; version?: number }) {
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ items: HistoryItem[] }>(`/facilities/${encodeURIComponent(String(id))}/history`)
      .then((r) => setItems(r.items || []), (e) => setError(errText(e)));
  };
  useEffect(load, [id, version]);
  return (
    <section class="card" aria-labelledby="history-h">
      <h2 id="history-h">変更履歴</h2>
      <p class="muted">施設情報の変更と審査の記録です。新しいものから順に表示しています。</p>
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : <History items={items} codes={ref} />}
    </section>
  );
}

/** The facility's logins as a table. */
export function LoginsTable({ items }: { items: Login[] }) {
  return (
    <DataTable<Login>
      caption="担当者アカウントの一覧"
      rows={items}
      rowKey={(r) => r.id}
      columns={[
        { key: 'name', label: '氏名', sortable: true, sortValue: (r) => r.name_kana || r.name },
        { key: 'name_kana', label: 'フリガナ', sortable: true },
        { key: 'email', label: 'メールアドレス', sortable: true },
        { key: 'role', label: '権限', sortable: true, render: (r) => ROLE_LABEL[r.role] ?? r.role },
        { key: 'active', label: '状態', sortable: true, sortValue: (r) => (r.active ? 1 : 0),
          render: (r) => (r.active ? '利用中' : 'パスワード設定待ち') },
        { key: 'created_at', label: '登録日時', sortable: true, render: (r) => formatDateTime(r.created_at) },
      ]}
      empty={<EmptyState title="担当者アカウントはありません" />}
    />
  );
}
