// A licence holder's casework page (/center/people/:id/timeline): the timeline of everything
// on record (newest first), the open task the counselor came from (?task=…), 相談を記録,
// the duplicate candidates with 「この記録に統合」, and the hand-over (引継ぎ) to another
// prefecture's center.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { Link, queryParam } from '../router';
import { formatDate, formatDateTime, todayJst } from '../format';
import { Checker } from '../validate';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, RadioGroup, SelectField, TextArea, TextField } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { useForm } from '../ui/form';
import { errText } from './placementParts';
import { codeName, opts, useNRef, type NRef } from './NotifyParts';
import { AssignDialog, DoneDialog, DueDate, useStaff, type Task } from './CaseworkParts';

type TimelinePerson = { id: number; name: string; name_kana?: string; prefecture?: string | null; merged?: number[] };
type TimelineItem = {
  at: number; date: string; kind: string; label: string; detail?: unknown;
  ref?: { type: string; id: number | string } | null;
};
type Timeline = { person: TimelinePerson; items: TimelineItem[] };
type Duplicate = {
  person: { id: number; name: string; name_kana?: string; birth_date?: string | null; prefecture?: string | null; email_masked?: string | null };
  reasons: string[];
};

const KIND_LABEL: Record<string, string> = {
  notification: '届出', notification_change: '変更届', notification_confirmed: '届出の確認', seeker_registered: '求職登録',
  consultation: '相談', application: '応募・紹介', task_done: '対応の記録', handover: '引継ぎ', merge: '記録の統合',
};
const REASON_LABEL: Record<string, string> = { licence: '免許（種類と籍登録番号）が同じ', name_birth: 'フリガナと生年月日が同じ' };

function refHref(r: TimelineItem['ref']): string | null {
  if (!r) return null;
  const id = encodeURIComponent(String(r.id));
  switch (r.type) {
    case 'notification': return `/center/notifications/${id}`;
    case 'consultation': return `/center/consultations/${id}`;
    case 'application': return `/center/applications/${id}`;
    case 'person': return `/center/people/${id}/timeline`;
    default: return null;
  }
}

function detailText(d: unknown): string[] {
  if (d === null || d === undefined || d === '') return [];
  if (typeof d === 'string' || typeof d === 'number') return [String(d)];
  if (Array.isArray(d)) return d.flatMap(detailText);
  if (typeof d === 'object') return Object.values(d as Record<string, unknown>).filter((x) => typeof x === 'string' || typeof x === 'number').map(String).filter(Boolean);
  return [];
}

export function PersonTimeline({ params }: { params: { id: string } }) {
  const id = params.id;
  const taskId = queryParam('task');
  const { ref } = useNRef();
  const [data, setData] = useState<Timeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [handedOver, setHandedOver] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const load = () => {
    setError(null);
    get<Timeline>(`/people/${encodeURIComponent(id)}/timeline`).then((r) => setData({ ...r, items: r.items || [] }), (e) => setError(errText(e)));
  };
  useEffect(load, [id, version]);
  const refresh = () => setVersion((v) => v + 1);
  const p = data?.person;

  if (handedOver) {
    return (
      <Page title="引継ぎが完了しました">
        <div class="notice notice-success" role="status">
          <p>{p?.name ?? ''} さんの記録を{handedOver}に引き継ぎました。未対応の対応も引継ぎ先に移りました。</p>
          <p>これからは引継ぎ先のナースセンターが担当します。あなたのナースセンターからは、この記録を見られなくなることがあります。</p>
        </div>
        <p><Link class="btn btn-primary" href="/center/queue">対応キューへ戻る</Link></p>
      </Page>
    );
  }

  return (
    <Page title={p ? `${p.name} さんの経過` : '経過（タイムライン）'} wide>
      <p class="card-links">
        <Link href="/center/queue">対応キューへ戻る</Link>
        <Link href={`/people/${encodeURIComponent(id)}`}>求職者の記録（基本情報）</Link>
      </p>
      {error ? <LoadError message={error} onRetry={load} /> : !data || !p ? <Spinner /> : (
        <>
          <p class="role-line">
            {p.name_kana && <span>{p.name_kana}</span>}
            {p.prefecture && <span class="badge">{codeName(ref?.prefectures, p.prefecture)}ナースセンター</span>}
            {p.merged && p.merged.length > 0 && <span class="muted">統合した記録：{p.merged.map((m) => `ID ${m}`).join('、')}</span>}
          </p>
          {taskId && <TaskPanel taskId={taskId} codes={ref} onChange={refresh} />}
          <div class="cw-person-layout">
            <section class="card cw-timeline-card" aria-labelledby="tl-h">
              <h2 id="tl-h">経過（新しい順）</h2>
              <TimelineList items={data.items} selfId={p.id} />
            </section>
            <div class="cw-person-side">
              <ConsultationForm personId={id} codes={ref} onSaved={refresh} />
              <Duplicates personId={id} person={p} codes={ref} onMerged={refresh} version={version} />
              <Handover person={p} codes={ref} onDone={(name) => setHandedOver(name)} />
            </div>
          </div>
        </>
      )}
    </Page>
  );
}

const jstDay = (unix: number) => new Date(unix * 1000 + 9 * 3600e3).toISOString().slice(0, 10);

function TimelineList({ items, selfId }: { items: TimelineItem[]; selfId: number }) {
  if (!items.length) return <EmptyState title="記録はまだありません" />;
  const sorted = [...items].sort((a, b) => b.at - a.at);
  return (
    <ol class="timeline cw-timeline">
      {sorted.map((it, i) => {
        const href = it.ref?.type === 'person' && String(it.ref.id) === String(selfId) ? null : refHref(it.ref);
        const lines = detailText(it.detail);
        return (
          <li key={`${it.at}-${i}`} class={`timeline-item cw-tl-${it.kind}`}>
            <p class="timeline-head">
              <span class="badge cw-kind">{KIND_LABEL[it.kind] ?? it.kind}</span>
              <strong>{href ? <Link href={href}>{it.label}</Link> : it.label}</strong>
            </p>
            <p class="timeline-meta">
              {!it.date || it.date === jstDay(it.at)
                ? <time dateTime={new Date(it.at * 1000).toISOString()}>{formatDateTime(it.at)}</time>
                : <><time dateTime={it.date}>{formatDate(it.date)}</time><span>（記録 {formatDateTime(it.at)}）</span></>}
            </p>
            {lines.length > 0 && <p class="pre cw-tl-detail">{lines.join('\n')}</p>}
          </li>
        );
      })}
    </ol>
  );
}

// ---- The task the counselor came from -------------------------------------------------------------

function TaskPanel({ taskId, codes, onChange }: { taskId: string; codes: NRef | null; onChange: () => void }) {
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState<Task | null>(null);
  const [assigning, setAssigning] = useState<Task | null>(null);
  const load = () => {
    setError(null);
    get<{ task: Task }>(`/tasks/${encodeURIComponent(taskId)}`).then((r) => setTask(r.task), (e) => setError(errText(e)));
  };
  useEffect(load, [taskId]);
  if (error) return <LoadError message={error} onRetry={load} />;
  if (!task) return <Spinner label="対応の内容を読み込んでいます" />;
  const open = task.status === 'open';
  return (
    <section class={`card cw-task${open && task.overdue ? ' card-alert' : ''}`} aria-labelledby="task-h">
      <div class="status-line">
        <h2 id="task-h">対応：{task.kind_label ?? task.kind}</h2>
        <span class={`badge app-state ${open ? 'app-state-wait' : 'app-state-good'}`}>{open ? '未対応' : task.outcome_label ?? '対応済'}</span>
      </div>
      <dl class="facts">
        <div><dt>期限</dt><dd><DueDate t={task} /></dd></div>
        <div><dt>担当者</dt><dd>{task.assigned_to?.name ?? '未割当'}</dd></div>
        {task.notification_id && <div><dt>届出</dt><dd><Link href={`/center/notifications/${task.notification_id}`}>届出を開く（受付番号 {task.notification_id}）</Link></dd></div>}
        {task.consultation_id && <div><dt>相談</dt><dd><Link href={`/center/consultations/${task.consultation_id}`}>相談の記録を開く</Link></dd></div>}
        {!open && <div><dt>対応日時</dt><dd>{formatDateTime(task.done_at)}{task.done_by ? `（${task.done_by.name}）` : ''}</dd></div>}
        {task.note && <div><dt>メモ</dt><dd class="pre">{task.note}</dd></div>}
      </dl>
      {open ? (
        <div class="actions mt">
          <Button data-task={task.id} onClick={() => setClosing(task)}>連絡済にする</Button>
          <Button variant="secondary" onClick={() => setAssigning(task)}>担当を設定</Button>
        </div>
      ) : <p class="mt"><Link href="/center/queue">対応キューへ戻る</Link></p>}
      <DoneDialog task={closing} codes={codes} onClose={() => setClosing(null)}
        onDone={(t) => { setClosing(null); if (t) setTask(t); else load(); onChange(); }} />
      <AssignDialog task={assigning} onClose={() => setAssigning(null)} onDone={(t) => { setAssigning(null); setTask(t); }} />
    </section>
  );
}

// ---- 相談を記録 ------------------------------------------------------------------------------------

const EMPTY_CONSULT = {
  channel: '', outreach_place: '', category: '', consulted_on: '', summary: '', sensitive_note: '', follow_up_on: '', follow_up_note: '',
};
const CONSULT_LABELS: Record<string, string> = {
  channel: '相談の方法', outreach_place: '出張相談の会場', category: '相談の区分', consulted_on: '相談日', summary: '相談の内容',
  sensitive_note: '要配慮情報のメモ', follow_up_on: 'フォローアップの予定日', follow_up_note: 'フォローアップの内容', person_id: '相談者',
};

function ConsultationForm({ personId, codes, onSaved }: { personId: string; codes: NRef | null; onSaved: () => void }) {
  const { mentalHealth } = useStaff();
  const [v, setV] = useState({ ...EMPTY_CONSULT, consulted_on: todayJst() });
  const f = useForm();
  const set = (patch: Partial<typeof EMPTY_CONSULT>) => setV((s) => ({ ...s, ...patch }));
  const today = todayJst();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const body: Record<string, unknown> = {
        client_kind: 'nurse', person_id: /^\d+$/.test(personId) ? Number(personId) : personId,
        channel: v.channel, category: v.category, consulted_on: v.consulted_on, summary: v.summary.trim(),
      };
      if (v.channel === 'outreach') body.outreach_place = v.outreach_place;
      if (mentalHealth && v.sensitive_note.trim()) body.sensitive_note = v.sensitive_note.trim();
      if (v.follow_up_on) body.follow_up_on = v.follow_up_on;
      if (v.follow_up_note.trim()) body.follow_up_note = v.follow_up_note.trim();
      await post('/consultations', body);
      toast(v.follow_up_on ? `相談を記録しました。${formatDate(v.follow_up_on)}のフォローアップを対応キューに追加しました。` : '相談を記録しました。');
      setV({ ...EMPTY_CONSULT, consulted_on: todayJst() });
      onSaved();
    }, () => {
      const c = new Checker();
      c.select('channel', v.channel, '相談の方法');
      if (v.channel === 'outreach') c.select('outreach_place', v.outreach_place, '出張相談の会場');
      c.select('category', v.category, '相談の区分');
      c.pastDate('consulted_on', v.consulted_on, '相談日');
      c.required('summary', v.summary, '相談の内容');
      if (v.follow_up_on && v.follow_up_on < today) c.add('follow_up_on', 'follow_up_on.out_of_range', 'フォローアップの予定日は今日以降の日付を入力してください');
      if (!v.follow_up_on && v.follow_up_note.trim()) c.add('follow_up_on', 'follow_up_on.missing', 'フォローアップの予定日を入力してください');
      return c.errors;
    });
  };
  return (
    <section class="card" aria-labelledby="consult-h">
      <h2 id="consult-h">相談を記録</h2>
      <form class="form cw-form" onSubmit={submit} noValidate aria-labelledby="consult-h">
        <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={CONSULT_LABELS} />
        <RadioGroup name="channel" label="相談の方法" required value={v.channel} onValue={(x) => set({ channel: x })}
          error={f.error('channel')} options={opts(codes?.consultation_channels)} />
        {v.channel === 'outreach' && (
          <RadioGroup name="outreach_place" label="出張相談の会場" required value={v.outreach_place} onValue={(x) => set({ outreach_place: x })}
            error={f.error('outreach_place')} options={opts(codes?.outreach_places)} />
        )}
        <SelectField name="category" label="相談の区分" required value={v.category} onValue={(x) => set({ category: x })}
          error={f.error('category')} options={opts(codes?.consultation_categories)} />
        <TextField name="consulted_on" label="相談日" type="date" required value={v.consulted_on} onValue={(x) => set({ consulted_on: x })}
          error={f.error('consulted_on')} max={today} min="2000-01-01" />
        <TextArea name="summary" label="相談の内容" required value={v.summary} onValue={(x) => set({ summary: x })}
          error={f.error('summary')} rows={5} maxLength={4000} hint="4000文字以内。メンタルヘルスなど配慮が必要な内容は、ここには書かないでください。" />
        {mentalHealth && (
          <TextArea name="sensitive_note" label="要配慮情報のメモ" value={v.sensitive_note} onValue={(x) => set({ sensitive_note: x })}
            error={f.error('sensitive_note')} rows={3} maxLength={4000}
            hint="メンタルヘルスなどの要配慮個人情報です。閲覧の権限を持つ職員だけが見られ、閲覧は記録されます（4000文字以内）。" />
        )}
        <fieldset class="form-section cw-followup">
          <legend>フォローアップ（任意）</legend>
          <TextField name="follow_up_on" label="フォローアップの予定日" type="date" value={v.follow_up_on} onValue={(x) => set({ follow_up_on: x })}
            error={f.error('follow_up_on')} min={today} hint="入力すると、その日が期限の対応が対応キューに追加されます。" />
          <TextArea name="follow_up_note" label="フォローアップの内容" value={v.follow_up_note} onValue={(x) => set({ follow_up_note: x })}
            error={f.error('follow_up_note')} rows={2} maxLength={1000} hint="例：研修の申込状況を確認（1000文字以内）" />
        </fieldset>
        <Button type="submit" busy={f.busy} busyLabel="記録しています" class="btn-wide">相談を記録する</Button>
      </form>
    </section>
  );
}

// ---- Duplicates and merge ------------------------------------------------------------------------

function Duplicates({ personId, person, codes, onMerged, version }: {
  personId: string; person: TimelinePerson; codes: NRef | null; onMerged: () => void; version: number;
}) {
  const [items, setItems] = useState<Duplicate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [merging, setMerging] = useState<Duplicate | null>(null);
  const load = () => {
    setError(null);
    get<{ items: Duplicate[] }>(`/people/${encodeURIComponent(personId)}/duplicates`).then((r) => setItems(r.items || []), (e) => setError(errText(e)));
  };
  useEffect(load, [personId, version]);
  return (
    <section class="card" aria-labelledby="duplicates" id="duplicates-section">
      <h2 id="duplicates" tabIndex={-1}>重複候補{items && items.length > 0 && <> <span class="badge nt-dup">{items.length}件</span></>}</h2>
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : items.length === 0 ? (
        <p class="muted">同じ免許、または同じフリガナと生年月日の記録はほかにありません。</p>
      ) : (
        <>
          <p class="muted">同じ方の記録が重複している可能性があります。内容を確かめ、同じ方の場合だけ統合してください（自動では統合しません）。</p>
          <ul class="cw-dups">
            {items.map((d) => (
              <li key={d.person.id} class="cw-dup">
                <p class="cw-dup-name"><Link href={`/center/people/${d.person.id}/timeline`}>{d.person.name}</Link>{d.person.name_kana ? `（${d.person.name_kana}）` : ''}</p>
                <dl class="facts">
                  <div><dt>記録のID</dt><dd>{d.person.id}</dd></div>
                  {d.person.birth_date && <div><dt>生年月日</dt><dd>{formatDate(d.person.birth_date)}</dd></div>}
                  {d.person.prefecture && <div><dt>担当</dt><dd>{codeName(codes?.prefectures, d.person.prefecture)}ナースセンター</dd></div>}
                  {d.person.email_masked && <div><dt>メール</dt><dd>{d.person.email_masked}</dd></div>}
                  <div><dt>一致した項目</dt><dd>{d.reasons.map((r) => REASON_LABEL[r] ?? r).join('、')}</dd></div>
                </dl>
                <Button variant="secondary" class="btn-small mt" onClick={() => setMerging(d)}>
                  この記録に統合<span class="visually-hidden">（{d.person.name} さんの記録 ID {d.person.id} を統合）</span>
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
      <MergeDialog personId={personId} person={person} dup={merging} onClose={() => setMerging(null)}
        onDone={() => { setMerging(null); onMerged(); }} />
    </section>
  );
}

function MergeDialog({ personId, person, dup, onClose, onDone }: {
  personId: string; person: TimelinePerson; dup: Duplicate | null; onClose: () => void; onDone: () => void;
}) {
  const [note, setNote] = useState('');
  const f = useForm();
  useEffect(() => { if (dup) { setNote(''); f.clear(); } }, [dup]);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!dup) return;
    f.run(async () => {
      const body: Record<string, unknown> = { duplicate_id: dup.person.id };
      if (note.trim()) body.note = note.trim();
      try {
        await post(`/people/${encodeURIComponent(personId)}/merge`, body);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'merge.conflict') {
          err.message += '（統合される側の記録に求職登録がある場合は、その記録の経過を開き、そちらにこの記録を統合してください。）';
        }
        throw err;
      }
      toast(`${dup.person.name} さんの記録（ID ${dup.person.id}）を統合しました。`);
      onDone();
    });
  };
  return (
    <Dialog open={!!dup} title="記録を統合しますか？" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="merge-form" variant="danger" busy={f.busy} busyLabel="統合しています">統合する</Button>
      </>}>
      <form id="merge-form" onSubmit={submit} noValidate>
        <ErrorSummary message={f.message} fields={f.fields.map((x) => (x.field === 'duplicate_id' ? { ...x, field: 'note' } : x))} focusKey={f.focusKey} labels={{ note: 'メモ' }} />
        {dup && (
          <>
            <p>「{dup.person.name}」さんの記録（ID {dup.person.id}）を、表示中の「{person.name}」さんの記録（ID {person.id}）に統合します。</p>
            <ul>
              <li>両方の記録の経過（届出・相談・応募など）はすべて残り、統合後はこの記録の経過にまとめて表示されます。</li>
              <li>統合した側の記録（ID {dup.person.id}）は使えなくなり、そのアカウントではログインできなくなります。</li>
              <li>別の方の記録を統合しないよう、免許・生年月日・住所などを必ず確かめてください。</li>
            </ul>
          </>
        )}
        <TextArea name="note" label="メモ" value={note} onValue={setNote} error={f.error('note')} rows={2} maxLength={1000}
          hint="例：電話で本人に確認（1000文字以内）" />
      </form>
    </Dialog>
  );
}

// ---- Hand-over -----------------------------------------------------------------------------------

function Handover({ person, codes, onDone }: { person: TimelinePerson; codes: NRef | null; onDone: (centerName: string) => void }) {
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ to_prefecture: '', method: '', on: '', note: '' });
  const f = useForm();
  const today = todayJst();
  const set = (patch: Partial<typeof v>) => setV((s) => ({ ...s, ...patch }));
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const body: Record<string, unknown> = { to_prefecture: v.to_prefecture, consent: { method: v.method, on: v.on } };
      if (v.note.trim()) body.note = v.note.trim();
      try {
        await post(`/people/${person.id}/handover`, body);
      } catch (err) {
        if (err instanceof ApiError) err.fields = err.fields.map((x) => (x.field === 'consent' ? { ...x, field: 'consent.method' } : x));
        throw err;
      }
      const name = `${codeName(codes?.prefectures, v.to_prefecture)}ナースセンター`;
      toast(`${name}に引き継ぎました。`);
      onDone(name);
    }, () => {
      const c = new Checker();
      c.select('to_prefecture', v.to_prefecture, '引継ぎ先');
      if (v.to_prefecture && v.to_prefecture === person.prefecture) c.add('to_prefecture', 'to_prefecture.invalid', '現在と同じ都道府県には引き継げません');
      c.select('consent.method', v.method, '同意の方法');
      c.pastDate('consent.on', v.on, '同意を得た日');
      return c.errors;
    });
  };
  return (
    <section class="card" aria-labelledby="handover-h">
      <h2 id="handover-h">他県への引継ぎ</h2>
      {!open ? (
        <>
          <p class="muted">転居などで、ほかの都道府県のナースセンターが担当することになったときに使います。ご本人の同意が必要です。</p>
          <Button variant="secondary" id="handover-open" onClick={() => setOpen(true)}>引継ぎの手続きをする</Button>
        </>
      ) : (
        <form class="form cw-form" onSubmit={submit} noValidate aria-labelledby="handover-h">
          <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey}
            labels={{ to_prefecture: '引継ぎ先', 'consent.method': '同意の方法', 'consent.on': '同意を得た日', note: 'メモ' }} />
          <SelectField name="to_prefecture" label="引継ぎ先のナースセンター" required value={v.to_prefecture} onValue={(x) => set({ to_prefecture: x })}
            error={f.error('to_prefecture')}
            options={(codes?.prefectures ?? []).filter((p) => p.code !== person.prefecture).map((p) => ({ value: p.code, label: `${p.name}ナースセンター` }))} />
          <RadioGroup name="consent.method" label="ご本人の同意の方法" required value={v.method} onValue={(x) => set({ method: x })}
            error={f.error('consent.method')} options={opts(codes?.consent_methods)} />
          <TextField name="consent.on" label="同意を得た日" type="date" required value={v.on} onValue={(x) => set({ on: x })}
            error={f.error('consent.on')} max={today} min="2000-01-01" />
          <TextArea name="note" label="引継ぎのメモ" value={v.note} onValue={(x) => set({ note: x })} error={f.error('note')} rows={3}
            maxLength={1000} hint="引継ぎ先に伝えたいこと（1000文字以内）" />
          <p class="muted">引き継ぐと、記録と求職者情報の担当が引継ぎ先に移り、未対応の対応も移ります。引継ぎ先の対応キューに「他県からの引継ぎ」が追加されます。</p>
          <div class="actions">
            <Button type="submit" busy={f.busy} busyLabel="引き継いでいます">引き継ぐ</Button>
            <Button variant="secondary" onClick={() => { setOpen(false); setTimeout(() => document.getElementById('handover-open')?.focus(), 0); }}>やめる</Button>
          </div>
        </form>
      )}
    </section>
  );
}
