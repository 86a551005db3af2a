// 対応キュー (/center/queue): everything due on one screen — the center's open tasks (first
// contact after a notification or a registration, consultation follow-ups, hand-overs) with
// filters, assignment and 連絡済, beside the application follow-ups (referral requests to
// review, retention checks due).
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api';
import { Link, navigate, useLocation } from '../router';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { SelectField } from '../ui/Field';
import { EmptyState, LoadError, Spinner } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import { errText, nextCheckText, overdue, type AppList } from './placementParts';
import { opts, useNRef } from './NotifyParts';
import { AssignDialog, DoneDialog, DueDate, OverdueBadge, type Task, type TaskList } from './CaseworkParts';
import { DuplicatesBadge } from './NotifyCenter';

const PER_PAGE = 20;
const ASSIGNED = [
  { value: 'all', label: 'すべて' },
  { value: 'me', label: '自分の担当' },
  { value: 'none', label: '未割当' },
];

function withQuery(q: Record<string, string | number | null | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === null || v === undefined || v === '' || (k === 'page' && +v <= 1) || (k === 'assigned' && v === 'all')) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return '/center/queue' + (s ? '?' + s : '');
}

export function TaskQueue() {
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const page = Math.max(1, parseInt(params.get('page') || '1', 10) || 1);
  const assigned = ASSIGNED.some((a) => a.value === params.get('assigned')) ? params.get('assigned')! : 'all';
  const kind = params.get('kind') ?? '';
  const over = params.get('overdue') === '1';
  const { ref } = useNRef();
  const [data, setData] = useState<TaskList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [assigning, setAssigning] = useState<Task | null>(null);
  const [closing, setClosing] = useState<Task | null>(null);
  const head = useRef<HTMLHeadingElement>(null);

  const load = () => {
    setError(null);
    get<TaskList>('/tasks', { status: 'open', assigned: assigned === 'all' ? undefined : assigned, kind, overdue: over ? 1 : undefined, page, per_page: PER_PAGE })
      .then((r) => setData({ ...r, total: r.total ?? r.items?.length ?? 0, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [page, assigned, kind, over]);
  const go = (patch: Record<string, string | number>) => navigate(withQuery({ assigned, kind, overdue: over ? 1 : '', page: 1, ...patch }));

  const overdueCount = data?.items.filter((t) => t.overdue).length ?? 0;
  return (
    <Page title="対応キュー" wide lead="連絡や対応が必要なものの一覧です。期限の古い順に並んでいます。対象者の名前を開くと、その方の経過（タイムライン）を確認して対応を記録できます。">
      <div class="cw-queue-layout">
        <div class="cw-queue-main">
          <ul class="tabs" aria-label="担当者で絞り込み">
            {ASSIGNED.map((a) => (
              <li key={a.value}><Link href={withQuery({ assigned: a.value, kind, overdue: over ? 1 : '' })} aria-current={a.value === assigned ? 'page' : undefined}>{a.label}</Link></li>
            ))}
          </ul>
          <form class="filter-bar" aria-label="対応の絞り込み" onSubmit={(e) => e.preventDefault()}>
            <SelectField name="kind" plain label="種類" value={kind} onValue={(x) => go({ kind: x })} class="narrow-field"
              options={opts(ref?.task_kinds)} placeholder="すべての種類" />
            <label class="checkbox cw-overdue-filter" for="f-overdue">
              <input type="checkbox" id="f-overdue" checked={over} onChange={(e) => go({ overdue: (e.currentTarget as HTMLInputElement).checked ? 1 : '' })} />
              <span>期限超過のみ</span>
            </label>
          </form>
          <h2 class="visually-hidden" ref={head} tabIndex={-1}>対応が必要なもの</h2>
          {error ? <LoadError message={error} onRetry={load} /> : !data ? <Spinner /> : (
            <>
              {overdueCount > 0 && !over && (
                <p class="cw-over-note" role="status"><OverdueBadge /> このページに期限を過ぎたものが{overdueCount}件あります。</p>
              )}
              <DataTable<Task>
                caption="対応が必要なものの一覧"
                rows={data.items} rowKey={(t) => t.id}
                page={page} perPage={PER_PAGE} total={data.total} onPage={(p) => { go({ page: p }); head.current?.focus(); }}
                columns={[
                  { key: 'kind', label: '種類', render: (t) => <div>{t.kind_label ?? t.kind}{t.duplicates ? <><br /><DuplicatesBadge n={t.duplicates} personId={t.person?.id ?? null} /></> : null}</div> },
                  { key: 'person', label: '対象者', render: (t) => (t.person
                    ? <div><Link href={`/center/people/${t.person.id}/timeline?task=${t.id}`}>{t.person.name}</Link>{t.person.name_kana && <><br /><span class="muted">{t.person.name_kana}</span></>}</div>
                    : '—') },
                  { key: 'due_on', label: '期限', class: 'col-nowrap', render: (t) => <DueDate t={t} /> },
                  { key: 'assigned_to', label: '担当者', render: (t) => (
                    <div class="cw-assignee">
                      <span>{t.assigned_to ? t.assigned_to.name : <span class="muted">未割当</span>}</span>
                      <span class="cw-assign-actions">
                        <Button variant="secondary" class="btn-small" onClick={() => setAssigning(t)}>
                          担当を設定<span class="visually-hidden">（{t.person?.name ?? t.kind_label}）</span>
                        </Button>
                      </span>
                    </div>
                  ) },
                  { key: 'actions', label: '操作', render: (t) => (
                    <Button class="btn-small" data-task={t.id} onClick={() => setClosing(t)}>
                      連絡済にする<span class="visually-hidden">（{t.person?.name ?? t.kind_label}）</span>
                    </Button>
                  ) },
                ]}
                empty={<EmptyState title={over ? '期限を過ぎたものはありません' : '対応が必要なものはありません'}>
                  {assigned !== 'all' || kind ? <p>絞り込みの条件を変えると、ほかのものが表示されることがあります。</p> : null}
                </EmptyState>}
              />
            </>
          )}
        </div>
        <aside class="cw-queue-side" aria-label="応募・紹介の対応">
          <FollowUps />
        </aside>
      </div>
      <AssignDialog task={assigning} onClose={() => setAssigning(null)} onDone={() => { setAssigning(null); load(); }} />
      <DoneDialog task={closing} codes={ref} onClose={() => setClosing(null)} onDone={() => { setClosing(null); load(); }} />
    </Page>
  );
}

/** The application follow-ups of GET /applications?task=review and ?task=retention. */
function FollowUps() {
  const [review, setReview] = useState<AppList | null>(null);
  const [retention, setRetention] = useState<AppList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    Promise.all([
      get<AppList>('/applications', { task: 'review', per_page: 5 }),
      get<AppList>('/applications', { task: 'retention', per_page: 5 }),
    ]).then(([a, b]) => { setReview(a); setRetention(b); }, (e) => setError(errText(e)));
  };
  useEffect(load, []);
  if (error) return <LoadError message={error} onRetry={load} />;
  if (!review || !retention) return <Spinner />;
  const count = (l: AppList) => l.total ?? l.items?.length ?? 0;
  return (
    <>
      <section class="card cw-side-card" aria-labelledby="fu-review-h">
        <h2 id="fu-review-h">紹介依頼の確認 <span class="badge">{count(review)}件</span></h2>
        {review.items?.length ? (
          <ul class="cw-mini-list">
            {review.items.map((a) => (
              <li key={a.id}>
                <Link href={`/center/applications/${a.id}`}>{a.applicant?.name ?? `案件 ${a.id}`}</Link>
                <span class="muted">{a.offer.title}</span>
              </li>
            ))}
          </ul>
        ) : <p class="muted">確認を待っている紹介依頼はありません。</p>}
        {count(review) > (review.items?.length ?? 0) && <p><Link href="/center/referral-requests">すべての紹介依頼を見る</Link></p>}
      </section>
      <section class="card cw-side-card" aria-labelledby="fu-ret-h">
        <h2 id="fu-ret-h">定着確認 <span class="badge">{count(retention)}件</span></h2>
        {retention.items?.length ? (
          <ul class="cw-mini-list">
            {retention.items.map((a) => (
              <li key={a.id}>
                <Link href={`/center/applications/${a.id}`}>{a.applicant?.name ?? `案件 ${a.id}`}</Link>
                <span class="muted">{nextCheckText(a.next_check)}{overdue(a.next_check) && <> <OverdueBadge /></>}</span>
              </li>
            ))}
          </ul>
        ) : <p class="muted">期日の近い定着確認はありません。</p>}
        {count(retention) > (retention.items?.length ?? 0) && <p><Link href="/center/retention">すべての定着確認を見る</Link></p>}
      </section>
    </>
  );
}
