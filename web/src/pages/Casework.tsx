// The center's consultation records (相談記録: list with filters and CSV export, one record with
// its sensitive note for staff holding the grant) and the center admin's settings (the days
// until the first contact after a notification, the staff's mental_health grants).
import { useEffect, useState } from 'preact/hooks';
import { API_BASE, api, get } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { formatDate, formatDateTime, ROLE_LABEL } from '../format';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { ErrorSummary, SelectField, TextField } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import { useForm } from '../ui/form';
import { nfkc } from '../validate';
import { errText } from './placementParts';
import { codeName, opts, useNRef, type Paged } from './NotifyParts';
import { loadStaff, type Staff } from './CaseworkParts';

type Named = { id: number; name: string };
export type Consultation = {
  id: number; prefecture: string; client_kind: 'nurse' | 'facility' | 'other'; person_id?: number | null;
  facility_id?: number | null; client_name?: string | null; channel: string; channel_label?: string;
  outreach_place?: string | null; category: string; category_label?: string; consulted_on: string; summary: string;
  sensitive_note?: string | null; sensitive_hidden?: boolean; has_sensitive?: boolean;
  follow_up_on?: string | null; follow_up_note?: string | null;
  counselor?: Named | null; person?: Named | null; facility?: Named | null; created_at: number;
};

const CLIENT_KIND: Record<string, string> = { nurse: '看護職', facility: '施設', other: 'その他' };

function ClientCell({ c }: { c: Consultation }) {
  if (c.person) return <Link href={`/center/people/${c.person.id}/timeline`}>{c.person.name}</Link>;
  if (c.facility) return <Link href={`/facilities/${c.facility.id}`}>{c.facility.name}</Link>;
  return <>{c.client_name || '—'}</>;
}

function withQuery(path: string, q: Record<string, string | number | null | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== null && v !== undefined && v !== '' && !(k === 'page' && +v <= 1)) p.set(k, String(v));
  const s = p.toString();
  return path + (s ? '?' + s : '');
}

const PER_PAGE = 20;

// ---- /center/consultations ---------------------------------------------------------------------

export function Consultations() {
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const category = params.get('category') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [range, setRange] = useState({ from, to });
  useEffect(() => setRange({ from, to }), [from, to]);
  const { ref } = useNRef();
  const [data, setData] = useState<Paged<Consultation> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<Paged<Consultation>>('/consultations', { page, per_page: PER_PAGE, category, from, to })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [page, category, from, to]);
  const go = (patch: Record<string, string | number>) => navigate(withQuery('/center/consultations', { category, from, to, page: 1, ...patch }));
  const exportHref = withQuery(`${API_BASE}/exports/consultations.csv`, { from, to });
  return (
    <Page title="相談記録" wide lead="あなたのナースセンターの相談の記録です。新しいものから並んでいます。看護職の方の相談は、その方の経過（タイムライン）から記録します。要配慮情報のメモは一覧とCSVには含まれません。">
      <p class="actions">
        <a class="btn btn-secondary" href={exportHref} download>{from || to ? 'この期間の' : ''}相談記録をCSVでダウンロード</a>
      </p>
      <form class="filter-bar" aria-label="相談記録の絞り込み" onSubmit={(e) => { e.preventDefault(); go({ from: range.from, to: range.to }); }}>
        <SelectField name="category" plain label="相談の区分" value={category} onValue={(x) => go({ category: x })} class="narrow-field"
          options={opts(ref?.consultation_categories)} placeholder="すべて" />
        <TextField name="from" plain label="相談日（から）" type="date" value={range.from} onValue={(x) => setRange((r) => ({ ...r, from: x }))} class="narrow-field" />
        <TextField name="to" plain label="相談日（まで）" type="date" value={range.to} onValue={(x) => setRange((r) => ({ ...r, to: x }))} class="narrow-field" />
        <button type="submit" class="btn btn-primary">期間で絞り込む</button>
      </form>
      {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
        <DataTable<Consultation>
          caption="相談記録の一覧"
          rows={data.items} rowKey={(c) => c.id}
          page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => go({ page: p })}
          columns={[
            { key: 'consulted_on', label: '相談日', class: 'col-nowrap', render: (c) => <Link href={`/center/consultations/${c.id}`}>{formatDate(c.consulted_on)}<span class="visually-hidden">の相談（{c.person?.name ?? c.facility?.name ?? c.client_name ?? ''}）</span></Link> },
            { key: 'client', label: '相談者', render: (c) => <div><ClientCell c={c} /><br /><span class="muted">{CLIENT_KIND[c.client_kind] ?? c.client_kind}</span></div> },
            { key: 'category', label: '区分', render: (c) => c.category_label || codeName(ref?.consultation_categories, c.category) },
            { key: 'channel', label: '方法', render: (c) => c.channel_label || codeName(ref?.consultation_channels, c.channel) },
            { key: 'summary', label: '内容', render: (c) => <span class="cw-summary">{c.summary}</span> },
            { key: 'counselor', label: '相談員', render: (c) => c.counselor?.name ?? '—' },
            { key: 'sensitive', label: '要配慮', render: (c) => (c.has_sensitive ? <span class="badge cw-sensitive">要配慮情報あり</span> : '—') },
          ]}
          empty={<EmptyState title="該当する相談記録はありません">{category || from || to ? '条件を変えてお試しください。' : null}</EmptyState>}
        />
      )}
    </Page>
  );
}

// ---- /center/consultations/:id -------------------------------------------------------------------

export function ConsultationDetail({ params }: { params: { id: string } }) {
  const { ref } = useNRef();
  const [c, setC] = useState<Consultation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ consultation: Consultation }>(`/consultations/${encodeURIComponent(params.id)}`).then((r) => setC(r.consultation), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);
  const who = c ? c.person?.name ?? c.facility?.name ?? c.client_name ?? '' : '';
  return (
    <Page title={c ? `相談記録（${formatDate(c.consulted_on)}　${who}）` : '相談記録'}>
      <p class="card-links">
        <Link href="/center/consultations">相談記録の一覧へ戻る</Link>
        {c?.person && <Link href={`/center/people/${c.person.id}/timeline`}>{c.person.name} さんの経過を開く</Link>}
      </p>
      {error ? <LoadError message={error} onRetry={load} /> : !c ? <Spinner /> : (
        <>
          <section class="card" aria-labelledby="c-h">
            <h2 id="c-h">相談の内容</h2>
            <dl class="dl">
              <dt>相談日</dt><dd>{formatDate(c.consulted_on)}</dd>
              <dt>相談者</dt><dd><ClientCell c={c} />（{CLIENT_KIND[c.client_kind] ?? c.client_kind}）</dd>
              <dt>方法</dt><dd>{c.channel_label || codeName(ref?.consultation_channels, c.channel)}{c.outreach_place ? `（${codeName(ref?.outreach_places, c.outreach_place)}）` : ''}</dd>
              <dt>区分</dt><dd>{c.category_label || codeName(ref?.consultation_categories, c.category)}</dd>
              <dt>内容</dt><dd class="pre">{c.summary}</dd>
              {c.follow_up_on && <><dt>フォローアップ</dt><dd>{formatDate(c.follow_up_on)}{c.follow_up_note ? <><br /><span class="pre">{c.follow_up_note}</span></> : null}</dd></>}
              <dt>相談員</dt><dd>{c.counselor?.name ?? '—'}</dd>
              <dt>記録日時</dt><dd>{formatDateTime(c.created_at)}</dd>
            </dl>
          </section>
          {(c.has_sensitive || c.sensitive_note) && (
            <section class="card cw-sensitive-card" aria-labelledby="cs-h">
              <h2 id="cs-h">要配慮情報のメモ</h2>
              {c.sensitive_note ? (
                <>
                  <p class="pre">{c.sensitive_note}</p>
                  <p class="muted">この閲覧は記録されています。内容を外部に持ち出さないでください。</p>
                </>
              ) : (
                <p class="cw-hidden"><span aria-hidden="true">🔒 </span>要配慮情報のため表示できません。閲覧には、ナースセンター管理者による権限の付与が必要です。</p>
              )}
            </section>
          )}
        </>
      )}
    </Page>
  );
}

// ---- /center/settings -------------------------------------------------------------------------------

type Settings = { prefecture: string; first_contact_days: number };

export function CenterSettings() {
  const session = useSession();
  const me = session.status === 'user' ? session.user : null;
  const { ref } = useNRef();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [days, setDays] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [staff, setStaff] = useState<Staff[] | null>(null);
  const [staffError, setStaffError] = useState<string | null>(null);
  const [granting, setGranting] = useState<number | null>(null);
  const f = useForm();
  const load = () => {
    setError(null);
    get<Settings>('/center-settings').then((s) => { setSettings(s); setDays(String(s.first_contact_days)); }, (e) => setError(errText(e)));
  };
  const loadStaffList = () => {
    setStaffError(null);
    loadStaff(true).then(setStaff, (e) => setStaffError(errText(e)));
  };
  useEffect(() => { load(); loadStaffList(); }, []);

  const save = (e: Event) => {
    e.preventDefault();
    const n = nfkc(days).trim();
    f.run(async () => {
      const r = await api<Settings>('/center-settings', { method: 'PUT', body: { first_contact_days: /^\d+$/.test(n) ? parseInt(n, 10) : n } });
      setSettings(r);
      setDays(String(r.first_contact_days));
      toast(`初回連絡の期限を${r.first_contact_days}営業日にしました。`);
    }, () => (!/^\d+$/.test(n) || +n < 1 || +n > 20
      ? [{ field: 'first_contact_days', code: 'first_contact_days.out_of_range', message: '1〜20の数字で入力してください' }] : []));
  };

  const toggle = async (s: Staff) => {
    if (granting !== null) return;
    const on = !s.grants?.includes('mental_health');
    setGranting(s.id);
    try {
      const r = await api<Staff | { staff: Staff }>(`/staff/${s.id}/grants`, { method: 'PUT', body: { mental_health: on } });
      const item = (r && 'staff' in r ? r.staff : r) as Staff;
      setStaff((list) => (list ?? []).map((x) => (x.id === s.id ? { ...x, ...item, grants: item?.grants ?? (on ? ['mental_health'] : []) } : x)));
      loadStaff(true).catch(() => {});
      toast(on ? `${s.name}さんに要配慮情報の閲覧権限を付与しました。` : `${s.name}さんの要配慮情報の閲覧権限を外しました。`);
    } catch (e) {
      toast(errText(e), 'error', 9000);
    } finally {
      setGranting(null);
    }
  };

  const prefName = settings ? codeName(ref?.prefectures, settings.prefecture) : codeName(ref?.prefectures, me?.prefecture);
  return (
    <Page title="センターの設定" lead={`${prefName ? prefName + 'ナースセンター' : 'ナースセンター'}の業務の設定です。`}>
      <section class="card" aria-labelledby="fc-h">
        <h2 id="fc-h">初回連絡の期限</h2>
        {error ? <LoadError message={error} onRetry={load} /> : !settings ? <Spinner /> : (
          <form class="form narrow" onSubmit={save} noValidate aria-labelledby="fc-h">
            <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={{ first_contact_days: '初回連絡の期限' }} />
            <TextField name="first_contact_days" label="届出を受け付けてから初回連絡までの日数（営業日）" required value={days} onValue={setDays}
              error={f.error('first_contact_days')} inputMode="numeric" maxLength={2} class="field-num"
              hint="1〜20。土日・祝日・年末年始（12月29日〜1月3日）を除いた日数です。新しく受け付けた届出から適用されます。" />
            <Button type="submit" busy={f.busy} busyLabel="保存しています">保存する</Button>
          </form>
        )}
      </section>
      <section class="card" aria-labelledby="grants-h">
        <h2 id="grants-h">要配慮情報（メンタルヘルス等）の閲覧権限</h2>
        <p class="muted">権限を持つ職員だけが、相談記録の要配慮情報のメモを記録・閲覧できます。閲覧はすべて記録されます。必要な職員に限って付与してください。</p>
        {staffError ? <LoadError message={staffError} onRetry={loadStaffList} /> : !staff ? <Spinner /> : (
          <DataTable<Staff>
            caption="職員と要配慮情報の閲覧権限"
            rows={staff} rowKey={(s) => s.id}
            columns={[
              { key: 'name', label: '職員', render: (s) => <span>{s.name}{String(s.id) === String(me?.id) ? '（あなた）' : ''}</span> },
              { key: 'role', label: '役割', render: (s) => ROLE_LABEL[s.role] ?? s.role },
              { key: 'grant', label: '閲覧権限', render: (s) => (s.grants?.includes('mental_health')
                ? <span class="badge app-state app-state-good">付与済</span> : <span class="badge badge-muted">なし</span>) },
              { key: 'action', label: '操作', render: (s) => {
                const on = s.grants?.includes('mental_health');
                return (
                  <Button variant="secondary" class={`btn-small${on ? ' btn-danger-outline' : ''}`} busy={granting === s.id} busyLabel="変更しています"
                    onClick={() => toggle(s)}>
                    {on ? '権限を外す' : '権限を付与する'}<span class="visually-hidden">（{s.name}）</span>
                  </Button>
                );
              } },
            ]}
            empty={<EmptyState title="職員が登録されていません" />}
          />
        )}
      </section>
    </Page>
  );
}
