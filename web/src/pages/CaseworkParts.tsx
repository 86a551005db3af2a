// Pieces of the counselor's casework screens (docs/API.md "Casework"): task and staff types,
// the center's staff list (with the caller's own grants), the overdue badge, and the dialogs
// that assign a task and mark it done — used by the queue and by a person's timeline.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { useSession } from '../session';
import { formatDate, ROLE_LABEL } from '../format';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, RadioGroup, SelectField, TextArea } from '../ui/Field';
import { toast } from '../ui/Feedback';
import { useForm } from '../ui/form';
import { errText } from './placementParts';
import { opts, type NRef } from './NotifyParts';
import './casework.css';

export type Ref_ = { id: number; name: string };
export type Task = {
  id: number; kind: string; kind_label?: string; prefecture: string;
  person: { id: number; name: string; name_kana?: string } | null;
  notification_id: number | null; consultation_id: number | null;
  due_on: string; overdue: boolean; assigned_to: Ref_ | null; status: 'open' | 'done';
  outcome: string | null; outcome_label?: string | null; note: string | null;
  done_at: number | null; done_by: Ref_ | null; created_at: number; duplicates?: number;
};
export type TaskList = { total: number; page: number; per_page: number; today?: string; items: Task[] };
export type Staff = { id: number; name: string; role: string; grants: string[] };

let staffPromise: Promise<Staff[]> | null = null;
/** GET /staff: the active staff of the caller's center, loaded once per page. */
export function loadStaff(force = false): Promise<Staff[]> {
  if (!staffPromise || force) {
    staffPromise = get<{ items: Staff[] }>('/staff').then((r) => r.items || []).catch((e) => { staffPromise = null; throw e; });
  }
  return staffPromise;
}

export function useStaff() {
  const session = useSession();
  const me = session.status === 'user' ? session.user : null;
  const [staff, setStaff] = useState<Staff[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { let live = true; loadStaff().then((s) => live && setStaff(s), (e) => live && setError(errText(e))); return () => { live = false; }; }, []);
  const mine = staff?.find((s) => String(s.id) === String(me?.id ?? ''));
  return { staff, error, me, mentalHealth: !!mine?.grants?.includes('mental_health') };
}

export const staffLabel = (s: Staff) => `${s.name}（${ROLE_LABEL[s.role] ?? s.role}）`;

/** 期限超過 as text and icon, not only colour. */
export function OverdueBadge() {
  return <span class="badge badge-overdue cw-overdue"><span aria-hidden="true">⚠ </span>期限超過</span>;
}

export function DueDate({ t }: { t: Task }) {
  return (
    <span class={t.overdue && t.status === 'open' ? 'cw-due cw-due-over' : 'cw-due'}>
      {formatDate(t.due_on)}{t.overdue && t.status === 'open' && <> <OverdueBadge /></>}
    </span>
  );
}

// ---- Assign -------------------------------------------------------------------------------------

export function AssignDialog({ task, onClose, onDone }: { task: Task | null; onClose: () => void; onDone: (t: Task) => void }) {
  const { staff, error } = useStaff();
  const [value, setValue] = useState('');
  const f = useForm();
  useEffect(() => { if (task) { setValue(task.assigned_to ? String(task.assigned_to.id) : ''); f.clear(); } }, [task]);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!task) return;
    f.run(async () => {
      const r = await post<{ task: Task }>(`/tasks/${task.id}/assign`, { assignee_id: value ? Number(value) : null });
      toast(r.task.assigned_to ? `担当者を${r.task.assigned_to.name}さんにしました。` : '担当者を未割当にしました。');
      onDone(r.task);
    });
  };
  return (
    <Dialog open={!!task} title="担当者の設定" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="assign-form" busy={f.busy} busyLabel="設定しています">設定する</Button>
      </>}>
      <form id="assign-form" onSubmit={submit} noValidate>
        <ErrorSummary message={f.message || error} fields={f.fields} focusKey={f.focusKey} labels={{ assignee_id: '担当者' }} />
        {task && <p>{task.kind_label ?? task.kind}{task.person ? `（${task.person.name} さん）` : ''}の担当者を選んでください。</p>}
        <SelectField name="assignee_id" label="担当者" plain value={value} onValue={setValue} error={f.error('assignee_id')}
          placeholder="未割当" options={(staff ?? []).map((s) => ({ value: String(s.id), label: staffLabel(s) }))} />
      </form>
    </Dialog>
  );
}

// ---- Done ---------------------------------------------------------------------------------------

export function DoneDialog({ task, codes: ref, onClose, onDone }: { task: Task | null; codes: NRef | null; onClose: () => void; onDone: (t: Task | null) => void }) {
  const [outcome, setOutcome] = useState('contacted');
  const [note, setNote] = useState('');
  const f = useForm();
  useEffect(() => { if (task) { setOutcome('contacted'); setNote(''); f.clear(); } }, [task]);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!task) return;
    f.run(async () => {
      try {
        const body: Record<string, unknown> = { outcome };
        if (note.trim()) body.note = note.trim();
        const r = await post<{ task: Task }>(`/tasks/${task.id}/done`, body);
        toast(`「${task.kind_label ?? task.kind}」を${r.task.outcome_label ?? '対応済'}にしました。`);
        onDone(r.task);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) { toast(err.message, 'error', 9000); onDone(null); return; }
        throw err;
      }
    }, () => (outcome ? [] : [{ field: 'outcome', code: 'outcome.missing', message: '対応の結果を選択してください' }]));
  };
  const outcomes = opts(ref?.task_outcomes);
  return (
    <Dialog open={!!task} title="連絡済にする" onClose={onClose}
      actions={<>
        <Button variant="secondary" onClick={onClose}>キャンセル</Button>
        <Button type="submit" form="done-form" busy={f.busy} busyLabel="記録しています">記録する</Button>
      </>}>
      <form id="done-form" onSubmit={submit} noValidate>
        <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={{ outcome: '対応の結果', note: 'メモ' }} />
        {task && <p>{task.kind_label ?? task.kind}{task.person ? `（${task.person.name} さん）` : ''}の対応の結果を記録します。記録すると対応キューから外れます。</p>}
        <RadioGroup name="outcome" label="対応の結果" required value={outcome} onValue={setOutcome} error={f.error('outcome')}
          options={outcomes.length ? outcomes : [{ value: 'contacted', label: '連絡済' }, { value: 'unreachable', label: '連絡がつかない' }, { value: 'not_needed', label: '対応不要' }]} />
        <TextArea name="note" label="メモ" value={note} onValue={setNote} error={f.error('note')} rows={3} maxLength={1000}
          hint="例：電話で復職支援研修を案内（1000文字以内）" />
      </form>
    </Dialog>
  );
}
