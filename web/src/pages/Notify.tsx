// The nurse's notification (届出) screens: the public form /notify (without login: password and a
// confirmation mail; signed in as a nurse: filed as oneself at once), the confirmation landing
// /notify/confirm?token=…, and the nurse's own list /seeker/notifications with each one's
// versions and the 変更届 form.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, MSG, post, type User } from '../api';
import { Link, queryParam } from '../router';
import { useSession } from '../session';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { ErrorSummary, PasswordField } from '../ui/Field';
import { EmptyState, LoadError, Spinner } from '../ui/Feedback';
import { useForm } from '../ui/form';
import { Checker, PASSWORD_MIN } from '../validate';
import { errText } from './placementParts';
import {
  ChangeForm, EMPTY_NOTIFY, NotificationCard, NotificationContent, NotificationMeta, NotifyForm, NStatusBadge,
  useNRef, VersionHistory, type Notification, type NotifyValues,
} from './NotifyParts';

const LAW = '看護師等の人材確保の促進に関する法律 第16条の3';

const LEAD = (
  <>
    保健師・助産師・看護師・准看護師の方は、病院などを離職したときなどに、住所・氏名・免許などを都道府県ナースセンターに届け出ることとされています（{LAW}）。
    届出をいただくと、ナースセンターから復職や再就業についてのご案内・ご相談のご連絡をします。
  </>
);

// ---- /notify ------------------------------------------------------------------------------------

function initialFor(user: User | null): NotifyValues {
  if (!user) return EMPTY_NOTIFY;
  return {
    ...EMPTY_NOTIFY,
    name: user.name ?? '',
    name_kana: user.name_kana ?? '',
    email: user.email && !user.email.endsWith('.invalid') ? user.email : '',
  };
}

export function NotifyPage() {
  const session = useSession();
  const { ref, error, load } = useNRef();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [filed, setFiled] = useState<{ n: Notification; optIn: boolean } | null>(null);
  if (session.status === 'loading') return <Spinner />;
  const user = session.status === 'user' ? session.user : null;

  if (user && user.role !== 'seeker') {
    const facility = user.role === 'facility_admin' || user.role === 'facility_staff';
    const center = user.role === 'counselor' || user.role === 'center_admin';
    return (
      <Page title="看護職の届出" lead={LEAD}>
        <div class="notice notice-info">
          <p>このページは、看護職の方がご自身で届出をするためのものです。</p>
          {facility && <p><Link href="/facility/notifications">退職した職員の届出を施設が代行する（施設代行届出）</Link></p>}
          {center && <p><Link href="/center/notifications/new">窓口で受け付けた届出（書面）を入力する</Link></p>}
        </div>
      </Page>
    );
  }

  if (sentTo) {
    return (
      <Page title="確認メールを送信しました">
        <div class="notice notice-success" role="status">
          <p><strong>{sentTo}</strong> 宛に、届出の内容を確認するためのメールをお送りしました。</p>
          <p>メールに記載のリンク（14日間有効）を開き、内容を確認して「届出を確定する」を押すと、届出が受け付けられます。</p>
        </div>
        <p>メールが届かない場合は、迷惑メールフォルダをご確認ください。メールアドレスに誤りがあった場合は、<Link href="/notify" onClick={() => setSentTo(null)}>もう一度届出</Link>をしてください。</p>
      </Page>
    );
  }

  if (filed) {
    return (
      <Page title="届出を受け付けました">
        <div class="notice notice-success" role="status">
          <p>届出を受け付けました（受付番号 {filed.n.id}）。{filed.n.center_name ? `${filed.n.center_name}から` : 'ナースセンターから'}ご連絡することがあります。</p>
          {filed.optIn && <p>求職者としても登録しました。希望する働き方は「求職者情報・希望条件」で登録できます。</p>}
        </div>
        <section class="card" aria-labelledby="filed-h">
          <div class="status-line"><h2 id="filed-h">届出の内容</h2><NStatusBadge status={filed.n.status} label={filed.n.status_label} /></div>
          <NotificationContent n={filed.n} codes={ref} />
        </section>
        <p class="card-links">
          <Link href={`/seeker/notifications/${filed.n.id}`}>届出の状況を見る</Link>
          {filed.optIn && <Link href="/seeker/profile">求職者情報・希望条件を登録する</Link>}
        </p>
      </Page>
    );
  }

  const mode = user ? 'nurse' : 'public';
  return (
    <Page title="看護職の届出" lead={LEAD}>
      {!user && (
        <div class="notice notice-info">
          <p>ナースセンターに登録済みの方は、<Link href="/login?next=%2Fnotify">ログイン</Link>してから届出をすると、確認メールなしですぐに受け付けられます。</p>
        </div>
      )}
      {error ? <LoadError message={error} onRetry={load} /> : !ref ? <Spinner /> : (
        <NotifyForm mode={mode} initial={initialFor(user)} draftKey={`notify-${mode}`} ref_={ref} label="届出"
          submitLabel={user ? 'この内容で届け出る' : '確認メールを送信する'}
          note={user ? undefined : <>送信すると、入力したメールアドレスに確認メールが届きます。メールのリンクから確認すると届出が受け付けられます。<Link href="/privacy">個人情報の取り扱い</Link>をご確認ください。</>}
          onSubmit={async (body) => {
            if (user) {
              const r = await post<{ notification: Notification }>('/notifications', body);
              setFiled({ n: r.notification, optIn: !!body.seeker_opt_in });
            } else {
              await post('/notifications', body, { noAuthRedirect: true });
              setSentTo(String((body.holder as { email?: string }).email ?? ''));
            }
          }} />
      )}
    </Page>
  );
}

// ---- /notify/confirm?token=… ----------------------------------------------------------------------

type Lookup = { notification: Notification; needs_password: boolean };

export function NotifyConfirm() {
  const token = queryParam('token');
  const session = useSession();
  const { ref } = useNRef();
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'ready'; data: Lookup } | { kind: 'invalid' }
    | { kind: 'error'; message: string } | { kind: 'done'; n: Notification }>(token ? { kind: 'loading' } : { kind: 'invalid' });
  const [password, setPassword] = useState('');
  const f = useForm();
  const once = useRef(false);

  const lookup = () => {
    if (!token) return;
    setState({ kind: 'loading' });
    post<Lookup>('/notification-confirmations/lookup', { token }, { noAuthRedirect: true }).then(
      (data) => setState({ kind: 'ready', data }),
      (e) => {
        if (e instanceof ApiError && [400, 404, 410, 422].includes(e.status)) setState({ kind: 'invalid' });
        else setState({ kind: 'error', message: e instanceof ApiError ? e.message : MSG.generic });
      });
  };
  useEffect(() => { if (!once.current) { once.current = true; lookup(); } }, []);

  const confirm = (e: Event) => {
    e.preventDefault();
    if (state.kind !== 'ready') return;
    const needs = state.data.needs_password;
    f.run(async () => {
      try {
        const r = await post<{ notification: Notification }>('/notification-confirmations',
          needs ? { token, password } : { token }, { noAuthRedirect: true });
        setPassword('');
        setState({ kind: 'done', n: r.notification });
      } catch (err) {
        if (err instanceof ApiError && err.status === 410) { setState({ kind: 'invalid' }); return; }
        throw err;
      }
    }, () => {
      const c = new Checker();
      if (needs) c.password('password', password);
      return c.errors;
    });
  };

  const signedIn = session.status === 'user';
  return (
    <Page title={state.kind === 'done' ? '届出を受け付けました' : '届出の内容の確認'}>
      <div class="token-result">
        {state.kind === 'loading' && <Spinner label="届出の内容を読み込んでいます" />}
        {state.kind === 'error' && (
          <div class="notice notice-error" role="alert">
            <p>{state.message}</p>
            <button type="button" class="btn btn-primary" onClick={lookup}>もう一度試す</button>
          </div>
        )}
        {state.kind === 'invalid' && (
          <div class="notice notice-error" role="alert">
            <p>この確認のリンクは無効か、有効期限（メールの送信から14日間）が切れています。すでに確認を済ませた場合も、このリンクは使えません。</p>
            <p>届出の状況は、ログインして「届出の状況・変更届」から確認できます。確認が済んでいない場合は、お手数ですが<Link href="/notify">もう一度届出</Link>をするか、お近くの<Link href="/centers">ナースセンター</Link>にお問い合わせください。</p>
            <p><Link href="/login?next=%2Fseeker%2Fnotifications">ログインする</Link></p>
          </div>
        )}
        {state.kind === 'done' && (
          <>
            <div class="notice notice-success" role="status">
              <p>届出の内容を確認し、届出を受け付けました（受付番号 {state.n.id}）。{state.n.center_name ? `${state.n.center_name}から` : 'ナースセンターから'}ご連絡することがあります。</p>
            </div>
            <p class="card-links">
              {signedIn
                ? <Link class="btn btn-primary" href="/seeker/notifications">届出の状況を見る</Link>
                : <Link class="btn btn-primary" href="/login?next=%2Fseeker%2Fnotifications">ログインして届出の状況を見る</Link>}
            </p>
          </>
        )}
      </div>
      {state.kind === 'ready' && (
        <>
          {state.data.notification.channel === 'proxy' ? (
            <div class="notice notice-info">
              <p>{state.data.notification.facility?.name ?? '以前お勤めの施設'}が、あなたに代わって次の内容で届出をしました（施設代行届出）。内容に誤りがなければ「届出を確定する」を押してください。</p>
              <p>誤りがある場合は、確定した後に「変更届」で直せます。心当たりのない場合は、確定せずにナースセンターにお問い合わせください。</p>
            </div>
          ) : (
            <p>次の内容で届出を受け付けます。内容に誤りがなければ「届出を確定する」を押してください。誤りがある場合は、確定した後に「変更届」で直せます。</p>
          )}
          <section class="card" aria-labelledby="confirm-content-h">
            <div class="status-line"><h2 id="confirm-content-h">届出の内容</h2><NStatusBadge status={state.data.notification.status} label={state.data.notification.status_label} /></div>
            <NotificationContent n={state.data.notification} codes={ref} />
          </section>
          <form class="form" onSubmit={confirm} noValidate aria-label="届出の確定">
            <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} labels={{ password: 'パスワード' }} />
            {state.data.needs_password && (
              <fieldset class="form-section">
                <legend>ログインのためのパスワードの設定</legend>
                <p class="field-hint">届出の状況の確認や変更届をするために、ログインのパスワードを決めてください。ログインには、このメールを受け取ったメールアドレスを使います。</p>
                <PasswordField name="password" label="パスワード" value={password} onValue={setPassword} error={f.error('password')}
                  required autocomplete="new-password" hint={`${PASSWORD_MIN}文字以上で入力してください。`} />
              </fieldset>
            )}
            <Button type="submit" busy={f.busy} busyLabel="確定しています" class="btn-wide">届出を確定する</Button>
          </form>
        </>
      )}
    </Page>
  );
}

// ---- /seeker/notifications --------------------------------------------------------------------------

export function MyNotifications() {
  const { ref } = useNRef();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ items: Notification[] }>('/me/notifications').then((r) => setItems(r.items || []), (e) => setError(errText(e)));
  };
  useEffect(load, []);
  return (
    <Page title="届出の状況・変更届" lead="あなたがナースセンターに出した届出（施設が代行したものを含みます）です。住所や連絡先などが変わったときは、届出を開いて「変更届を出す」から届け出てください。">
      <p><Link class="btn btn-secondary" href="/notify">新しく届出をする</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : items.length === 0 ? (
        <EmptyState title="届出はまだありません">
          <p>病院などを離職したときは、「新しく届出をする」から届け出てください。</p>
        </EmptyState>
      ) : (
        <>
          <h2 class="visually-hidden">届出の一覧</h2>
          <ul class="app-list">
            {items.map((n) => <NotificationCard key={n.id} n={n} codes={ref} href={`/seeker/notifications/${n.id}`} />)}
          </ul>
        </>
      )}
    </Page>
  );
}

export function MyNotification({ params }: { params: { id: string } }) {
  const { ref, error: refError, load: loadRefData } = useNRef();
  const [n, setN] = useState<Notification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const load = () => {
    setError(null);
    get<{ notification: Notification }>(`/notifications/${encodeURIComponent(params.id)}`).then((r) => setN(r.notification), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);
  const close = () => { setChanging(false); setTimeout(() => document.getElementById('change-btn')?.focus(), 0); };
  const err = error || refError;
  return (
    <Page title={n ? `届出（受付番号 ${n.id}）` : '届出'}>
      <p><Link href="/seeker/notifications">届出の一覧へ戻る</Link></p>
      {err ? <LoadError message={err} onRetry={() => { load(); loadRefData(); }} /> : !n || !ref ? <Spinner /> : (
        <>
          <section class="card" aria-labelledby="n-status-h">
            <div class="status-line"><h2 id="n-status-h">状況</h2><NStatusBadge status={n.status} label={n.status_label} /></div>
            {n.status === 'pending_confirmation'
              ? <p>確認メールのリンクから内容を確認すると、届出が受け付けられます。変更届は受付の後に出せます。</p>
              : <p>届出は受け付けられています。住所・連絡先・就業状況などが変わったときは、変更届を出してください。</p>}
            <NotificationMeta n={n} />
          </section>
          <section class="card" aria-labelledby="n-content-h">
            <div class="card-head">
              <h2 id="n-content-h">届出の内容（最新）</h2>
              {n.status === 'active' && !changing && (
                <Button id="change-btn" variant="secondary" class="btn-small" onClick={() => setChanging(true)}>変更届を出す</Button>
              )}
            </div>
            {changing ? (
              <ChangeForm n={n} ref_={ref} onCancel={close} onDone={(x) => { setN(x); close(); }} />
            ) : <NotificationContent n={n} codes={ref} />}
          </section>
          <section class="card" aria-labelledby="n-versions-h">
            <h2 id="n-versions-h">変更の履歴</h2>
            <VersionHistory versions={n.versions} codes={ref} />
          </section>
        </>
      )}
    </Page>
  );
}
