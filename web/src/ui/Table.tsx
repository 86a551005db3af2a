// A data table with sortable columns and a pager. Sorting and paging are
// either controlled by the caller (server-side) or done here on `rows`.
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export type Column<T> = {
  key: string;
  label: string;
  sortable?: boolean;
  /** Value used for client-side sorting; defaults to row[key]. */
  sortValue?: (row: T) => string | number | null | undefined;
  render?: (row: T) => ComponentChildren;
  class?: string;
};

export type Sort = { key: string; dir: 'asc' | 'desc' };

type Props<T> = {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, i: number) => string | number;
  /** Controlled sort; without onSort the table sorts `rows` itself. */
  sort?: Sort | null;
  onSort?: (s: Sort) => void;
  initialSort?: Sort | null;
  /** Server-side paging when total and onPage are given; else client-side. */
  page?: number;
  perPage?: number;
  total?: number;
  onPage?: (page: number) => void;
  empty?: ComponentChildren;
};

function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'ja');
}

export function DataTable<T>(props: Props<T>) {
  const { caption, columns, rows, rowKey, empty } = props;
  const [localSort, setLocalSort] = useState<Sort | null>(props.initialSort ?? null);
  const [localPage, setLocalPage] = useState(1);
  const sort = props.onSort ? props.sort ?? null : localSort;
  const perPage = props.perPage ?? 20;
  const serverPaged = props.onPage !== undefined && props.total !== undefined;
  const page = serverPaged ? props.page ?? 1 : localPage;
  const total = serverPaged ? props.total! : rows.length;

  const sorted = useMemo(() => {
    if (props.onSort || !sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    const val = col?.sortValue ?? ((r: T) => (r as any)[sort.key]);
    const out = [...rows].sort((a, b) => cmp(val(a), val(b)));
    return sort.dir === 'desc' ? out.reverse() : out;
  }, [rows, sort, props.onSort]);

  const shown = serverPaged ? sorted : sorted.slice((page - 1) * perPage, page * perPage);

  const toggle = (key: string) => {
    const next: Sort = sort?.key === key && sort.dir === 'asc' ? { key, dir: 'desc' } : { key, dir: 'asc' };
    if (props.onSort) props.onSort(next); else { setLocalSort(next); setLocalPage(1); }
  };
  const go = (p: number) => { if (serverPaged) props.onPage!(p); else setLocalPage(p); };

  if (!rows.length) return <>{empty}</>;

  const sortable = columns.filter((c) => c.sortable);
  const sortId = `sort-${caption.length}-${columns.length}`;
  const choose = (v: string) => {
    const [key, dir] = v.split(':');
    if (!key) return;
    const next: Sort = { key, dir: dir === 'desc' ? 'desc' : 'asc' };
    if (props.onSort) props.onSort(next); else { setLocalSort(next); setLocalPage(1); }
  };

  return (
    <div class="table-block">
      {sortable.length > 0 && (
        // On phones the rows become cards and the header is hidden, so the
        // sort order is chosen here instead.
        <div class="table-sort-mobile">
          <label for={sortId}>並べ替え</label>
          <select id={sortId} value={sort ? `${sort.key}:${sort.dir}` : ''} onChange={(e) => choose((e.currentTarget as HTMLSelectElement).value)}>
            {!sort && <option value="">指定なし</option>}
            {sortable.flatMap((c) => [
              <option key={c.key + 'a'} value={`${c.key}:asc`}>{c.label}（昇順）</option>,
              <option key={c.key + 'd'} value={`${c.key}:desc`}>{c.label}（降順）</option>,
            ])}
          </select>
        </div>
      )}
      <div class="table-wrap" role="region" aria-label={caption} tabIndex={0}>
        <table class="table">
          <caption class="visually-hidden">{caption}{sort ? `（${columns.find((c) => c.key === sort.key)?.label}の${sort.dir === 'asc' ? '昇順' : '降順'}で並んでいます）` : ''}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c.key} class={c.class}
                  aria-sort={sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {c.sortable ? (
                    <button type="button" class="sort-btn" onClick={() => toggle(c.key)}>
                      {c.label}
                      <span class="sort-icon" aria-hidden="true">
                        {sort?.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : '⇅'}
                      </span>
                      <span class="visually-hidden">（並べ替え）</span>
                    </button>
                  ) : c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => (
              <tr key={rowKey(r, i)}>
                {columns.map((c) => <td key={c.key} class={c.class} data-label={c.label}>{c.render ? c.render(r) : String((r as any)[c.key] ?? '—')}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} perPage={perPage} total={total} onPage={go} />
    </div>
  );
}

export function Pager({ page, perPage, total, onPage }: { page: number; perPage: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = Math.min(total, page * perPage);
  return (
    <nav class="pager" aria-label="ページ送り">
      <p class="pager-status" aria-live="polite">全{total.toLocaleString('ja-JP')}件中 {from}〜{to}件を表示（{page}/{pages}ページ）</p>
      {pages > 1 && (
        <div class="pager-buttons">
          <button type="button" class="btn btn-secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>前のページ</button>
          <button type="button" class="btn btn-secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>次のページ</button>
        </div>
      )}
    </nav>
  );
}
