// What a signed-in nurse (or counselor) gets on the public job pages: on an offer's page the
// referral request (紹介を依頼する) and why the offer fits or not (GET /me/matches/{offer_id}),
// on the search page "この条件を保存". Anonymous visitors see nothing of this.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, MSG, post } from '../api';
import { Link, here } from '../router';
import { useSession } from '../session';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { ErrorSummary, TextField } from '../ui/Field';
import { toast } from '../ui/Feedback';
import { useForm } from '../ui/form';
import { reasonTexts, toSavedQuery, type MatchDetail } from './matchModel';
import './jobsSeeker.css';

type MyApp = { id: number; state: string; state_label: string; offer: { id: number; offer_no: string | null } };

/** The open case of this nurse on the offer, if any. */
function useMyCase(offerId: number | undefined, offerNo: string, enabled: boolean) {
  const [mine, setMine] = useState<MyApp | null | undefined>(undefined);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    get<{ items: MyApp[] }>('/applications', { state: 'open', per_page: 100 }).then((r) => {
      if (!live) return;
      setMine((r.items || []).find((a) => (offerId !== undefined && a.offer?.id === offerId) || a.offer?.offer_no === offerNo) ?? null);
    }, () => { if (live) setMine(null); });
    return () => { live = false; };
  }, [enabled, offerId, offerNo]);
  return [mine, setMine] as const;
}

/** The referral request and the match reasons, on /offers/:offerNo. */
export function OfferApply({ offerId, offerNo, title }: { offerId?: number; offerNo: string; title: string }) {
  const session = useSession();
  const role = session.status === 'user' ? session.user.role : null;
  const seeker = role === 'seeker';
  const [mine, setMine] = useMyCase(offerId, offerNo, seeker);
  const [match, setMatch] = useState<MatchDetail | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<{ message: string; code: string } | null>(null);

  useEffect(() => {
    if (!seeker || offerId === undefined) return;
    let live = true;
    get<MatchDetail>(`/me/matches/${offerId}`).then((r) => { if (live) setMatch(r); }, () => {});
    return () => { live = false; };
  }, [seeker, offerId]);

  if (session.status === 'anon') {
    return (
      <p class="apply-login">
        求職者登録がお済みの方は、<Link href={`/login?next=${encodeURIComponent(here())}`}>ログイン</Link>すると、この求人への紹介を依頼できます。
      </p>
    );
  }
  if (role === 'counselor' || role === 'center_admin') {
    return offerId !== undefined ? (
      <p class="actions-row"><Link class="btn btn-secondary" href={`/center/offers/${offerId}/candidates`}>この求人の候補者を見る</Link></p>
    ) : null;
  }
  if (!seeker) return null;

  const request = async () => {
    if (busy || offerId === undefined) return;
    setBusy(true); setErr(null);
    try {
      const r = await post<{ application: MyApp }>('/applications', { offer_id: offerId });
      setMine(r.application);
      setConfirm(false);
      toast('紹介を依頼しました。ナースセンターが内容を確認し、紹介状を発行します。');
    } catch (e) {
      setErr(e instanceof ApiError ? { message: e.message, code: e.code } : { message: MSG.generic, code: '' });
      setConfirm(false);
    } finally { setBusy(false); }
  };

  const ok = reasonTexts(match?.reasons);
  const ng = reasonTexts(match?.exclusions);
  return (
    <div class="apply-panel">
      {(ok.length > 0 || ng.length > 0) && (
        <div class="match-box">
          {ok.length > 0 && <>
            <h3 class="match-h">この求人があなたの条件に合う理由</h3>
            <ul class="match-list match-ok">{ok.map((r) => <li key={r}>{r}</li>)}</ul>
          </>}
          {ng.length > 0 && <>
            <h3 class="match-h">条件に合わない理由</h3>
            <ul class="match-list match-ng">{ng.map((r) => <li key={r}>{r}</li>)}</ul>
            <p class="muted">条件に合わない求人にも、紹介を依頼できます。</p>
          </>}
        </div>
      )}
      {err && (
        <div class="notice notice-error" role="alert">
          <p>{err.message}</p>
          {(err.code === 'seeker.not_active' || err.code === 'resource.not_found') && (
            <p><Link href="/seeker/profile">求職者情報・希望条件を確認する</Link></p>
          )}
        </div>
      )}
      {mine === undefined ? null : mine ? (
        <div class="notice notice-success" role="status">
          <p>この求人には紹介を依頼済みです（状況：{mine.state_label}）。</p>
          <p><Link href={`/seeker/applications/${mine.id}`}>応募・紹介状況を見る</Link></p>
        </div>
      ) : (
        <p class="actions-row">
          <Button onClick={() => setConfirm(true)} class="btn-wide">紹介を依頼する</Button>
        </p>
      )}
      <Dialog open={confirm} title="この求人への紹介を依頼しますか？" onClose={() => setConfirm(false)}
        actions={<>
          <Button variant="secondary" onClick={() => setConfirm(false)}>キャンセル</Button>
          <Button busy={busy} busyLabel="依頼しています" onClick={request}>紹介を依頼する</Button>
        </>}>
        <p>「{title}」（求人番号 {offerNo}）への紹介を、ナースセンターに依頼します。</p>
        <p>ナースセンターが登録内容を確認し、紹介状を発行して施設に紹介します。進み具合は「応募・紹介状況」で確認できます。</p>
      </Dialog>
    </div>
  );
}

/** For nurses on a phone the request sits far down the offer page: a way there from the top. */
export function ApplyShortcut({ target }: { target: string }) {
  const session = useSession();
  if (session.status !== 'user' || session.user.role !== 'seeker') return null;
  return (
    <p class="apply-shortcut">
      <a class="btn btn-secondary btn-small" href={`#${target}`} onClick={(e) => {
        const el = document.getElementById(target);
        if (!el) return;
        e.preventDefault();
        el.scrollIntoView({ block: 'start' });
        el.setAttribute('tabindex', '-1');
        el.focus({ preventScroll: true });
      }}>紹介の依頼と、条件に合うかどうかを見る</a>
    </p>
  );
}

/** "この条件を保存" on /jobs, for nurses. */
export function SaveSearchButton({ apiQuery, suggest }: { apiQuery: Record<string, string | number>; suggest: string }) {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [notify, setNotify] = useState(true);
  const [saved, setSaved] = useState(false);
  const form = useForm();
  const key = JSON.stringify(toSavedQuery(apiQuery));
  useEffect(() => { setSaved(false); }, [key]);
  if (session.status !== 'user' || session.user.role !== 'seeker') return null;

  const start = () => { setName(suggest.slice(0, 50)); setNotify(true); form.clear(); setOpen(true); };
  const submit = (e: Event) => {
    e.preventDefault();
    form.run(async () => {
      await post('/me/saved-searches', { name: name.trim(), query: toSavedQuery(apiQuery), notify });
      setOpen(false);
      setSaved(true);
      toast(notify ? `検索条件「${name.trim()}」を保存しました。新着求人を毎週メールでお知らせします。` : `検索条件「${name.trim()}」を保存しました。`);
    }, () => (name.trim() ? [] : [{ field: 'name', code: 'name.missing', message: '検索条件の名前を入力してください' }]));
  };
  return (
    <>
      {saved ? <Link class="btn btn-secondary btn-small" href="/seeker/saved-searches">保存した検索条件を見る</Link>
        : <button type="button" class="btn btn-secondary btn-small" onClick={start}>この条件を保存</button>}
      <Dialog open={open} title="この検索条件を保存" onClose={() => setOpen(false)}
        actions={<>
          <Button variant="secondary" onClick={() => setOpen(false)}>キャンセル</Button>
          <Button type="submit" form="save-search-form" busy={form.busy} busyLabel="保存しています">保存する</Button>
        </>}>
        <form id="save-search-form" onSubmit={submit} noValidate>
          <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} />
          <TextField name="name" label="名前" required value={name} onValue={setName} maxLength={50} error={form.error('name')}
            hint="あとで見分けられる名前を付けてください（50文字以内）。" autocomplete="off" />
          <label class="checkbox">
            <input type="checkbox" checked={notify} onChange={(e) => setNotify((e.currentTarget as HTMLInputElement).checked)} />
            <span>この条件に合う新着求人を毎週メールで受け取る</span>
          </label>
        </form>
      </Dialog>
    </>
  );
}
