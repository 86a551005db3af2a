// Staff screens: the person list, a person's record and its audit trail.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, loadRef, MSG, type Ref } from '../api';
import { Link, navigate, useLocation } from '../router';
import { ACTION_LABEL, CHANNEL_LABEL, formatDate, formatDateTime, ROLE_LABEL, toWareki } from '../format';
import { Page } from '../ui/Page';
import { TextField } from '../ui/Field';
import { EmptyState, LoadError, Spinner } from '../ui/Feedback';
import { DataTable } from '../ui/Table';

type Licence = { type: string; number?: string; registered_on?: string };
type Person = {
  id: number | string;
  name: string;
  name_kana?: string;
  email?: string;
  phone?: string | null;
  prefecture?: string | null;
  channel?: string | null;
  created_at?: number | null;
  licences?: Licence[];
  [k: string]: unknown;
};

const PER_PAGE = 20;

function useRefData() {
  const [ref, setRef] = useState<Ref | null>(null);
  useEffect(() => { loadRef().then(setRef, () => {}); }, []);
  return ref;
}
const nameOf = (list: { code: string; name: string }[] | undefined, code: string | null | undefined) =>
  (code && list?.find((x) => x.code === code)?.name) || code || '—';

function errText(e: unknown) { return e instanceof ApiError ? e.message : MSG.generic; }

export function People() {
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const q = params.get('q') ?? '';
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const [input, setInput] = useState(q);
  const [data, setData] = useState<{ total: number; items: Person[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRefData();

  const load = () => {
    setError(null);
    get<{ total: number; items: Person[] }>('/people', { q, page, per_page: PER_PAGE })
      .then((r) => setData({ total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [q, page]);
  useEffect(() => setInput(q), [q]);

  const go = (nq: string, np: number) => {
    const p = new URLSearchParams();
    if (nq) p.set('q', nq);
    if (np > 1) p.set('page', String(np));
    const s = p.toString();
    navigate('/people' + (s ? '?' + s : ''));
  };

  return (
    <Page title="求職者一覧" lead="担当する範囲の求職者を検索できます。記録を開くと、その閲覧は監査記録に残ります。">
      <form role="search" aria-label="求職者の検索" class="filter-bar" onSubmit={(e) => { e.preventDefault(); go(input.trim(), 1); }}>
        <TextField name="q" plain label="氏名・フリガナ・メールアドレスで検索" value={input} onValue={setInput} autocomplete="off" maxLength={100} />
        <button type="submit" class="btn btn-primary">検索する</button>
      </form>
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<Person>
          caption={q ? `「${q}」の検索結果` : '求職者の一覧'}
          rows={data.items}
          rowKey={(r) => String(r.id)}
          page={page}
          perPage={PER_PAGE}
          total={data.total}
          onPage={(p) => go(q, p)}
          columns={[
            { key: 'name', label: '氏名', sortable: true, sortValue: (r) => r.name_kana || r.name,
              render: (r) => <Link href={`/people/${encodeURIComponent(String(r.id))}`}>{r.name}</Link> },
            { key: 'name_kana', label: 'フリガナ', sortable: true },
            { key: 'prefecture', label: '都道府県', sortable: true, render: (r) => nameOf(ref?.prefectures, r.prefecture) },
            { key: 'email', label: 'メールアドレス', sortable: true, render: (r) => r.email || '—' },
            ...(data.items.some((r) => Array.isArray(r.licences))
              ? [{ key: 'licences', label: '資格', render: (r: Person) => (r.licences ?? []).map((l) => nameOf(ref?.licence_types, l.type)).join('・') || '—' }]
              : []),
            { key: 'channel', label: '登録経路', sortable: true, render: (r) => (r.channel && CHANNEL_LABEL[r.channel]) || '—' },
            { key: 'created_at', label: '登録日時', sortable: true, render: (r) => formatDateTime(r.created_at) },
          ]}
          empty={<EmptyState title={q ? '該当する求職者はいません' : '求職者はまだ登録されていません'}>{q ? '検索語を変えてお試しください。' : null}</EmptyState>}
        />
      )}
    </Page>
  );
}

export function Person({ params }: { params: { id: string } }) {
  const [p, setP] = useState<Person | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRefData();
  const load = () => {
    setError(null);
    get<Person | { person: Person }>(`/people/${encodeURIComponent(params.id)}`)
      .then((r) => setP(('person' in r && r.person ? r.person : r) as Person), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);
  return (
    <Page title={p ? `${p.name} さんの記録` : '求職者の記録'}>
      <p><Link href="/people">求職者一覧へ戻る</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !p ? <Spinner /> : (
        <>
          <section class="card" aria-labelledby="basic-h">
            <h2 id="basic-h">基本情報</h2>
            <dl class="dl">
              <dt>氏名</dt><dd>{p.name}</dd>
              <dt>フリガナ</dt><dd>{p.name_kana || '—'}</dd>
              <dt>メールアドレス</dt><dd>{p.email || '—'}</dd>
              <dt>電話番号</dt><dd>{p.phone || '—'}</dd>
              <dt>都道府県</dt><dd>{nameOf(ref?.prefectures, p.prefecture)}</dd>
              <dt>登録経路</dt><dd>{p.channel ? CHANNEL_LABEL[p.channel] ?? p.channel : '—'}</dd>
              <dt>登録日時</dt><dd>{formatDateTime(p.created_at)}</dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="lic-h">
            <h2 id="lic-h">免許</h2>
            {p.licences?.length ? (
              <ul class="plain-list">
                {p.licences.map((l, i) => (
                  <li key={i}>{nameOf(ref?.licence_types, l.type)}　登録番号 {l.number || '—'}　登録年月日 {formatDate(l.registered_on)}{l.registered_on && toWareki(l.registered_on) ? `（${toWareki(l.registered_on)}）` : ''}</li>
                ))}
              </ul>
            ) : <p>登録されている免許はありません。</p>}
          </section>
          <p>
            <Link href={`/center/people/${encodeURIComponent(params.id)}/timeline`} class="btn btn-secondary">経過（タイムライン）・相談記録</Link>{' '}
            <Link href={`/people/${encodeURIComponent(params.id)}/audit`} class="btn btn-secondary">この記録の監査記録を見る</Link>
          </p>
        </>
      )}
    </Page>
  );
}

type Audit = { at: number; action: string; actor_id?: number | string; actor_name?: string; actor_role?: string; actor_prefecture?: string | null; ip?: string };

export function PersonAudit({ params }: { params: { id: string } }) {
  const [items, setItems] = useState<Audit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ref = useRefData();
  const load = () => {
    setError(null);
    get<{ items: Audit[] }>(`/people/${encodeURIComponent(params.id)}/audit`)
      .then((r) => setItems(r.items || []), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);
  return (
    <Page title="監査記録" lead="この求職者の記録を、いつ・だれが・どこから閲覧または変更したかの記録です。">
      <p><Link href={`/people/${encodeURIComponent(params.id)}`}>求職者の記録へ戻る</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : (
        <DataTable<Audit>
          caption="監査記録"
          rows={items}
          rowKey={(r, i) => `${r.at}-${i}`}
          initialSort={{ key: 'at', dir: 'desc' }}
          columns={[
            { key: 'at', label: '日時', sortable: true, render: (r) => formatDateTime(r.at) },
            { key: 'action', label: '操作', sortable: true, render: (r) => ACTION_LABEL[r.action] ?? r.action },
            { key: 'actor_name', label: '職員', sortable: true, render: (r) => r.actor_name || '—' },
            { key: 'actor_role', label: '職員の種類', sortable: true, render: (r) => (r.actor_role && ROLE_LABEL[r.actor_role]) || r.actor_role || '—' },
            { key: 'actor_prefecture', label: '所属', sortable: true, render: (r) => r.actor_prefecture ? nameOf(ref?.prefectures, r.actor_prefecture) : '全国' },
            { key: 'ip', label: '接続元', render: (r) => r.ip || '—' },
          ]}
          empty={<EmptyState title="記録はまだありません" />}
        />
      )}
    </Page>
  );
}
