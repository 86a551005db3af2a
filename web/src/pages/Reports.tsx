// The statistics screens (統計・年報): /central/reports (central, sysadmin: 全国 or any
// prefecture) and /center/reports (counselor, center_admin: their own prefecture).
// One report table at a time (docs/API.md "Reports"): pickers for the table, the fiscal
// year and the scope (or the period and tag of the campaign table), then the table's
// heading, note, an SVG chart and the table itself, links to save it as CSV or Excel,
// builds of all tables as one file (a job with progress) and the published-offers workbook.
// The choices live in the address (?table=&fiscal_year=&prefecture=&from=&to=&campaign=),
// so the back button and a shared link show the same table.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { API_BASE, ApiError, MSG, get, loadRef, post, type Code, type FieldError } from '../api';
import { navigate, useLocation } from '../router';
import { todayJst } from '../format';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { ErrorSummary, TextField, fieldId } from '../ui/Field';
import { EmptyState, LoadError, Spinner } from '../ui/Feedback';
import { Chart, type ChartSeries } from '../ui/Chart';
import './reports.css';

// ---- API shapes ---------------------------------------------------------------------------------

type TableDef = { name: string; title: string; national_only: boolean; prefecture_required: boolean; personal: boolean; campaign: boolean };
type Catalog = { tables: TableDef[]; current_fiscal_year: number; national: boolean; prefecture: string | null };
type ColType = 'text' | 'int' | 'real' | 'percent';
type Column = { key: string; label: string; group: string; type: ColType };
type Cell = string | number | null;
export type ReportData = {
  name: string; title: string; scope: string; period: string; note: string;
  columns: Column[]; rows: Cell[][]; foot: number;
  chart: { type: 'line' | 'bar'; series: string[] } | null;
};
type Build = {
  id: number; fiscal_year: number; prefecture: string | null; format: 'xlsx' | 'zip';
  state: 'queued' | 'running' | 'done' | 'failed'; progress: number; total: number;
  file_name: string | null; error: string | null;
};

const LABELS: Record<string, string> = {
  table: '集計表', fiscal_year: '年度', prefecture: '集計の範囲', from: '開始日', to: '終了日', campaign: 'キャンペーンのタグ',
};

// ---- formatting -----------------------------------------------------------------------------------

const int = new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 0 });
const dec2 = new Intl.NumberFormat('ja-JP', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** One cell as shown: ints with separators (averages in an int column to 2 decimals), reals to
 * 2 decimals, ratios as 12.3%, null as empty. */
export function formatCell(v: Cell, type: ColType): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  if (type === 'percent') return `${(v * 100).toFixed(1)}%`;
  if (type === 'int') return Number.isInteger(v) ? int.format(v) : dec2.format(v);
  if (type === 'real') return dec2.format(v);
  return String(v);
}

function qs(q: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? '?' + s : '';
}

const errText = (e: unknown) => (e instanceof ApiError ? e.message : MSG.generic);

// ---- small pieces -----------------------------------------------------------------------------------

/** A labelled <select> without a placeholder option (a value is always chosen). */
function Picker({ name, label, value, options, onValue, error, hint, disabled, wide }: {
  name: string; label: string; value: string; options: { value: string; label: string }[];
  onValue: (v: string) => void; error?: string | null; hint?: string; disabled?: boolean; wide?: boolean;
}) {
  const id = fieldId(name);
  const desc = [hint ? id + '-hint' : '', error ? id + '-error' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}${wide ? ' rp-wide' : ''}`}>
      <label class="field-label" for={id}>{label}</label>
      {hint && <p class="field-hint" id={id + '-hint'}>{hint}</p>}
      {error && <p class="field-error" id={id + '-error'}><span aria-hidden="true">⚠ </span><span class="visually-hidden">エラー：</span>{error}</p>}
      <select id={id} name={name} value={value} disabled={disabled} aria-invalid={error ? 'true' : undefined} aria-describedby={desc}
        onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

/** Group headings as a first header row when any column has a group. */
function HeaderRows({ columns }: { columns: Column[] }) {
  const grouped = columns.some((c) => c.group);
  if (!grouped) {
    return <tr>{columns.map((c, i) => <th key={c.key} scope="col" class={i > 0 && c.type !== 'text' ? 'rp-num' : undefined}>{c.label}</th>)}</tr>;
  }
  const top: JSX.Element[] = [];
  const second: JSX.Element[] = [];
  for (let i = 0; i < columns.length;) {
    const c = columns[i];
    if (!c.group) {
      top.push(<th key={c.key} scope="col" rowSpan={2} class={i > 0 && c.type !== 'text' ? 'rp-num' : undefined}>{c.label}</th>);
      i++;
      continue;
    }
    let j = i;
    while (j < columns.length && columns[j].group === c.group) j++;
    top.push(<th key={'g-' + c.key} scope="colgroup" colSpan={j - i} class="rp-group">{c.group}</th>);
    for (let k = i; k < j; k++) {
      second.push(<th key={columns[k].key} scope="col" class={columns[k].type !== 'text' ? 'rp-num' : undefined}>{columns[k].label}</th>);
    }
    i = j;
  }
  return <><tr>{top}</tr><tr>{second}</tr></>;
}

const PAGE_ROWS = 200;

function ReportTable({ data }: { data: ReportData }) {
  const [shown, setShown] = useState(PAGE_ROWS);
  useEffect(() => setShown(PAGE_ROWS), [data]);
  const bodyCount = Math.max(0, data.rows.length - data.foot);
  const body = data.rows.slice(0, Math.min(bodyCount, shown));
  const foot = data.rows.slice(bodyCount);
  const cols = data.columns;
  const row = (r: Cell[], i: number, cls?: string) => (
    <tr key={i} class={cls}>
      {cols.map((c, k) => (k === 0
        ? <th key={c.key} scope="row">{formatCell(r[k], c.type)}</th>
        : <td key={c.key} class={c.type === 'text' ? undefined : 'rp-num'}>{formatCell(r[k], c.type)}</td>))}
    </tr>
  );
  const caption = `${data.title}（${data.scope}・${data.period}）`;
  return (
    <>
      <div class="rp-table-wrap" role="region" aria-label={`表：${data.title}`} tabIndex={0}>
        <table class="rp-table">
          <caption class="visually-hidden">{caption}{data.foot > 0 ? <span class="visually-hidden">。最後の{data.foot}行は合計などの集計行です。</span> : null}</caption>
          <thead><HeaderRows columns={cols} /></thead>
          <tbody>{body.map((r, i) => row(r, i))}</tbody>
          {foot.length > 0 && <tfoot>{foot.map((r, i) => row(r, bodyCount + i, 'rp-foot'))}</tfoot>}
        </table>
      </div>
      {bodyCount > shown && (
        <p class="rp-more">
          <span>全{int.format(bodyCount)}行のうち{int.format(shown)}行を表示しています。すべての行はExcel・CSVで保存して確認できます。</span>
          <button type="button" class="btn btn-secondary btn-small" onClick={() => setShown((n) => n + PAGE_ROWS)}>さらに{PAGE_ROWS}行を表示</button>
        </p>
      )}
    </>
  );
}

function ReportChart({ data }: { data: ReportData }) {
  if (!data.chart || !data.chart.series.length) return null;
  const body = data.rows.slice(0, Math.max(0, data.rows.length - data.foot));
  if (!body.length) return null;
  const series: ChartSeries[] = [];
  for (const key of data.chart.series) {
    const k = data.columns.findIndex((c) => c.key === key);
    if (k < 0) continue;
    const c = data.columns[k];
    series.push({
      label: c.group ? `${c.label}（${c.group}）` : c.label,
      values: body.map((r) => (typeof r[k] === 'number' ? (r[k] as number) : null)),
    });
  }
  if (!series.length) return null;
  return <Chart type={data.chart.type} title={data.title} categories={body.map((r) => String(r[0] ?? ''))} series={series} />;
}

// ---- all-tables builds --------------------------------------------------------------------------------

function BuildPanel({ fy, prefecture, nameOf }: { fy: number; prefecture: string; nameOf: (code: string) => string }) {
  const scopeName = prefecture ? nameOf(prefecture) : '全国';
  const [build, setBuild] = useState<Build | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState<'xlsx' | 'zip' | null>(null);
  const [said, setSaid] = useState('');
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);

  // Polls the build once a second until it is done or failed.
  useEffect(() => {
    if (!build || build.state === 'done' || build.state === 'failed') return;
    const t = window.setTimeout(() => {
      get<Build>(`/report-builds/${build.id}`).then((b) => {
        if (!alive.current) return;
        setBuild(b);
        if (b.state === 'done') setSaid(`作成が終わりました。「作成したファイルを保存」から保存できます。`);
        if (b.state === 'failed') setSaid(b.error || '集計表を作成できませんでした。');
      }, (e) => { if (alive.current) { setError(errText(e)); setBuild(null); } });
    }, 1000);
    return () => window.clearTimeout(t);
  }, [build]);

  const start = async (format: 'xlsx' | 'zip') => {
    if (starting || (build && (build.state === 'queued' || build.state === 'running'))) return;
    setStarting(format);
    setError(null);
    try {
      const b = await post<Build>('/report-builds', { fiscal_year: fy, format, ...(prefecture ? { prefecture } : {}) });
      if (!alive.current) return;
      setBuild(b);
      setSaid(`${fy}年度・${scopeName}の全表の作成を始めました。`);
    } catch (e) {
      if (alive.current) setError(errText(e));
    } finally {
      if (alive.current) setStarting(null);
    }
  };

  const running = !!build && (build.state === 'queued' || build.state === 'running');
  const kind = (f: string) => (f === 'zip' ? 'CSV（ZIP）' : 'Excel');
  return (
    <section class="card rp-build" aria-labelledby="rp-build-h">
      <h2 id="rp-build-h">全表の一括作成</h2>
      <p>{fy}年度・{scopeName}のすべての集計表を、1つのファイル（Excelは表ごとのシート、CSVは表ごとのファイルをZIPにまとめたもの）に作成します。作成には少し時間がかかることがあります。</p>
      <div class="rp-actions">
        <Button variant="secondary" busy={starting === 'xlsx'} disabled={running} onClick={() => start('xlsx')}>全表をExcelで作成</Button>
        <Button variant="secondary" busy={starting === 'zip'} disabled={running} onClick={() => start('zip')}>全表をCSV（ZIP）で作成</Button>
      </div>
      <p class="visually-hidden" role="status" aria-live="polite">{said}</p>
      {error && <div class="notice notice-error" role="alert"><p>{error}</p></div>}
      {build && (
        <div class="rp-build-state">
          <p class="rp-build-title">{build.fiscal_year}年度・{build.prefecture ? nameOf(build.prefecture) : '全国'}の全表（{kind(build.format)}）</p>
          {running && (
            <>
              <label class="rp-progress-label" for="rp-progress">
                {build.state === 'queued' ? '作成の順番を待っています' : '作成しています'}（{build.total}表中{build.progress}表）
              </label>
              <progress id="rp-progress" class="rp-progress" max={Math.max(1, build.total)} value={build.progress} />
            </>
          )}
          {build.state === 'done' && (
            <p class="rp-done">
              <span class="rp-done-text">作成が終わりました（{build.total}表）。</span>
              <a class="btn btn-primary" href={`${API_BASE}/report-builds/${build.id}/file`} download={build.file_name || undefined}>
                作成したファイルを保存<span class="visually-hidden">（{build.file_name}）</span>
              </a>
            </p>
          )}
          {build.state === 'failed' && <div class="notice notice-error"><p>{build.error || '集計表を作成できませんでした。'}もう一度お試しください。</p></div>}
        </div>
      )}
    </section>
  );
}

// ---- the page ---------------------------------------------------------------------------------------------

export function Reports() {
  const loc = useLocation();
  const central = loc.path.startsWith('/central');
  const base = central ? '/central/reports' : '/center/reports';
  const q = new URLSearchParams(loc.search);

  const [cat, setCat] = useState<Catalog | null>(null);
  const [prefs, setPrefs] = useState<Code[] | null>(null);
  const [loadErr, setLoadErr] = useState<string | null>(null);
  const loadMeta = () => {
    setLoadErr(null);
    get<Catalog>('/reports').then(setCat, (e) => setLoadErr(errText(e)));
    loadRef().then((r) => setPrefs(r.prefectures), (e) => setLoadErr(errText(e)));
  };
  useEffect(loadMeta, []);

  const cur = cat?.current_fiscal_year ?? 0;
  const def = cat ? cat.tables.find((t) => t.name === q.get('table')) ?? cat.tables[0] : undefined;
  const fy = q.get('fiscal_year') || (cur ? String(cur) : '');
  const national = !!cat?.national;
  const pref = national ? q.get('prefecture') || '' : cat?.prefecture || '';
  const scopePref = def?.national_only ? '' : pref;
  const from = q.get('from') || (cur ? `${cur}-04-01` : '');
  const to = q.get('to') || todayJst();
  const campaign = q.get('campaign') || '';

  // The table's API query, or null while nothing can be asked yet.
  const query: Record<string, string> | null = !def ? null
    : def.campaign ? (campaign ? { from, to, campaign, prefecture: scopePref } : null)
      : { fiscal_year: fy, prefecture: scopePref };
  const queryKey = def && query ? def.name + qs(query) : '';

  const [data, setData] = useState<ReportData | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<{ message: string; fields: FieldError[]; key: number } | null>(null);
  const errKey = useRef(0);
  useEffect(() => {
    setData(null);
    setErr(null);
    if (!queryKey || !def || !query) return;
    const ac = new AbortController();
    setBusy(true);
    get<ReportData>(`/reports/${encodeURIComponent(def.name)}`, query, { signal: ac.signal }).then((d) => {
      setData(d);
      setBusy(false);
    }, (e) => {
      if (e instanceof ApiError && e.code === 'aborted') return;
      errKey.current++;
      setErr({ message: errText(e), fields: e instanceof ApiError ? e.fields : [], key: errKey.current });
      setBusy(false);
    });
    return () => ac.abort();
  }, [queryKey]);

  // Campaign inputs are applied with their button; the selects apply at once.
  const [draft, setDraft] = useState({ from, to, campaign });
  useEffect(() => setDraft({ from, to, campaign }), [from, to, campaign]);
  const go = (patch: Record<string, string>) => {
    const next = {
      table: def?.name ?? '', fiscal_year: q.get('fiscal_year') || '', prefecture: national ? q.get('prefecture') || '' : '',
      from: q.get('from') || '', to: q.get('to') || '', campaign: q.get('campaign') || '', ...patch,
    };
    navigate(base + qs(next));
  };

  const title = central ? '統計・年報' : '統計';
  const fieldErr = (name: string) => err?.fields.find((f) => f.field === name)?.message ?? null;
  const prefName = (code: string) => prefs?.find((p) => p.code === code)?.name ?? code;

  if (loadErr) return <Page title={title}><LoadError message={loadErr} onRetry={loadMeta} /></Page>;
  if (!cat || !prefs) return <Page title={title}><Spinner /></Page>;
  if (!def) return <Page title={title}><EmptyState title="表示できる集計表がありません" /></Page>;

  const years: { value: string; label: string }[] = [];
  for (let y = cur; y >= 2000; y--) years.push({ value: String(y), label: `${y}年度` });
  const fileQuery = query ? qs(query) : '';
  const tableHref = (ext: 'csv' | 'xlsx') => `${API_BASE}/reports/${encodeURIComponent(def.name)}/${ext}${fileQuery}`;

  return (
    <Page title={title} wide
      lead={central
        ? '全国または都道府県ごとに、年度の実績と年報の集計表を確認できます。表はExcel・CSVで保存でき、全表をまとめて作成することもできます。'
        : `${prefName(cat.prefecture || '')}の実績と求人・求職管理簿を年度ごとに確認できます。表はExcel・CSVで保存でき、全表をまとめて作成することもできます。`}>
      <form class="card rp-pickers" aria-label="集計表の選択" onSubmit={(e) => {
        e.preventDefault();
        go({ from: draft.from, to: draft.to, campaign: draft.campaign.trim() });
      }}>
        <Picker name="table" label={LABELS.table} value={def.name} wide onValue={(v) => go({ table: v })}
          options={cat.tables.map((t) => ({ value: t.name, label: t.title }))} />
        {!def.campaign && (
          <Picker name="fiscal_year" label={LABELS.fiscal_year} value={fy} onValue={(v) => go({ fiscal_year: v })}
            options={years.some((y) => y.value === fy) ? years : [{ value: fy, label: `${fy}年度` }, ...years]}
            error={fieldErr('fiscal_year')} />
        )}
        {national ? (
          <Picker name="prefecture" label={LABELS.prefecture} value={scopePref} onValue={(v) => go({ prefecture: v })}
            options={[{ value: '', label: '全国' }, ...prefs.map((p) => ({ value: p.code, label: p.name }))]}
            disabled={def.national_only} error={fieldErr('prefecture')}
            hint={def.national_only ? 'この表はサイト全体（全国）の集計です。' : def.prefecture_required ? 'この表は都道府県ナースセンターごとに作成します。都道府県を選んでください。' : undefined} />
        ) : (
          <dl class="field rp-fixed">
            <dt class="field-label">{LABELS.prefecture}</dt>
            <dd>{prefName(cat.prefecture || '')}<span class="rp-fixed-note">（あなたのナースセンター）</span></dd>
          </dl>
        )}
        {def.campaign && (
          <>
            <TextField name="from" plain label={LABELS.from} type="date" value={draft.from} error={fieldErr('from')}
              onValue={(v) => setDraft((d) => ({ ...d, from: v }))} />
            <TextField name="to" plain label={LABELS.to} type="date" value={draft.to} error={fieldErr('to')}
              onValue={(v) => setDraft((d) => ({ ...d, to: v }))} />
            <TextField name="campaign" plain label={LABELS.campaign} value={draft.campaign} error={fieldErr('campaign')} maxLength={40}
              class="rp-wide" hint="相談の記録に付けたキャンペーンのタグ（40文字以内）" onValue={(v) => setDraft((d) => ({ ...d, campaign: v }))} />
            <div class="rp-submit"><button type="submit" class="btn btn-primary">集計する</button></div>
          </>
        )}
      </form>

      {err && err.fields.length > 0 && (
        <ErrorSummary message={err.message} fields={err.fields} focusKey={err.key} labels={LABELS} />
      )}

      <section class="rp-result" aria-labelledby="rp-table-h" aria-busy={busy ? 'true' : undefined}>
        {err && !err.fields.length ? (
          <>
            <h2 id="rp-table-h">{def.title}</h2>
            <LoadError message={err.message} />
          </>
        ) : def.campaign && !campaign ? (
          <>
            <h2 id="rp-table-h">{def.title}</h2>
            <p class="notice notice-info">期間とキャンペーンのタグを入力して「集計する」を押してください。</p>
          </>
        ) : err ? (
          <h2 id="rp-table-h">{def.title}</h2>
        ) : !data ? (
          <>
            <h2 id="rp-table-h">{def.title}</h2>
            <Spinner label="集計しています" />
          </>
        ) : (
          <>
            <h2 id="rp-table-h">{data.title}</h2>
            <dl class="rp-meta">
              <div><dt>範囲</dt><dd>{data.scope}</dd></div>
              <div><dt>期間</dt><dd>{data.period}</dd></div>
            </dl>
            {data.note && <p class="rp-note">{data.note}</p>}
            <p class="rp-actions">
              <a class="btn btn-secondary btn-small" href={tableHref('csv')} download>CSVで保存<span class="visually-hidden">（{data.title}）</span></a>
              <a class="btn btn-secondary btn-small" href={tableHref('xlsx')} download>Excelで保存<span class="visually-hidden">（{data.title}）</span></a>
            </p>
            {data.rows.length === 0 ? (
              <EmptyState title="該当するデータはありません">この年度・範囲には集計の対象となる記録がありません。</EmptyState>
            ) : (
              <>
                <ReportChart data={data} />
                <ReportTable data={data} />
              </>
            )}
          </>
        )}
      </section>

      <BuildPanel fy={parseInt(fy, 10) || cur} prefecture={scopePref} nameOf={prefName} />

      <section class="card" aria-labelledby="rp-offers-h">
        <h2 id="rp-offers-h">求人票の出力</h2>
        <p>{central ? '全国' : prefName(cat.prefecture || '')}で公開中の求人票を、1件1行のExcelファイルで保存します。</p>
        <p class="rp-actions"><a class="btn btn-secondary" href={`${API_BASE}/exports/offers.xlsx`} download>公開中の求人票をExcelで保存</a></p>
      </section>
    </Page>
  );
}
