// Login, e-mail verification landing and password reset.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, MSG, post } from '../api';
import { Link, navigate, queryParam, safeNext } from '../router';
import { getSession, initSession, login, markSignedOut, useSession } from '../session';
import { refreshSession } from '../api';
import { updateUser } from '../session';
import { useDraft } from '../draft';
import { Checker, PASSWORD_MIN } from '../validate';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { ErrorSummary, PasswordField, TextField } from '../ui/Field';
import { Spinner } from '../ui/Feedback';
import { useForm } from '../ui/form';

export function Login() {
  const session = useSession();
  const next = queryParam('next');
  const expired = queryParam('reason') === 'expired';
  const [v, set] = useDraft('login', { email: '', password: '' }, ['password']);
  const f = useForm();

  useEffect(() => {
    // Already signed in and nowhere particular to go: straight home.
    if (session.status === 'user' && !next && !expired) navigate('/home', { replace: true });
  }, [session.status]);

  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      await login(v.email.trim(), v.password);
      set({ password: '' });
      navigate(safeNext(next), { replace: true });
    }, () => {
      const c = new Checker();
      c.required('email', v.email, 'メールアドレス');
      c.required('password', v.password, 'パスワード');
      return c.errors;
    });
  };

  return (
    <Page title="ログイン">
      {expired && (
        <div class="notice notice-info" role="status">
          <p>{MSG.unauthorized}ログインすると、元のページに戻ります。入力中の内容は保持されています。</p>
        </div>
      )}
      <form class="form narrow" onSubmit={submit} noValidate>
        <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} />
        <TextField name="email" label="メールアドレス" type="email" value={v.email} onValue={(x) => set({ email: x })}
          error={f.error('email')} required autocomplete="username" inputMode="email" spellcheck={false} autocapitalize="off" />
        <PasswordField name="password" label="パスワード" value={v.password} onValue={(x) => set({ password: x })}
          error={f.error('password')} required autocomplete="current-password" />
        <Button type="submit" busy={f.busy} busyLabel="ログインしています" class="btn-wide">ログイン</Button>
      </form>
      <ul class="after-form">
        <li><Link href="/password-reset">パスワードをお忘れの方</Link></li>
        <li><Link href="/register">はじめての方（新規登録）</Link></li>
      </ul>
    </Page>
  );
}

export function Verify() {
  const token = queryParam('token');
  const [state, setState] = useState<'working' | 'done' | 'invalid' | 'error'>(token ? 'working' : 'invalid');
  const [message, setMessage] = useState('');
  const [changed, setChanged] = useState(false);
  const once = useRef(false);
  const session = useSession();

  const run = () => {
    if (!token) return;
    setState('working');
    post('/auth/verify', { token }, { noAuthRedirect: true }).then(async () => {
      // An e-mail change applies now and may end the sessions of the account:
      // show the new address, or ask to log in again with it.
      await initSession();
      const wasSignedIn = getSession().status === 'user';
      const me = await refreshSession();
      if (me) updateUser(me.user);
      else if (wasSignedIn) { markSignedOut(); setChanged(true); }
      setState('done');
    }, (e) => {
      if (e instanceof ApiError && (e.status === 410 || e.status === 404 || e.status === 422 || e.status === 400)) {
        setState('invalid');
      } else {
        setMessage(e instanceof ApiError ? e.message : MSG.generic);
        setState('error');
      }
    });
  };
  useEffect(() => {
    if (once.current) return;
    once.current = true;
    run();
  }, []);

  return (
    <Page title="メールアドレスの確認">
      {state === 'working' && <Spinner label="メールアドレスを確認しています" />}
      {state === 'done' && (
        <div class="notice notice-success" role="status">
          <p>メールアドレスの確認が完了しました。</p>
          {changed && <p>メールアドレスを変更しました。新しいメールアドレスで、もう一度ログインしてください。</p>}
          {session.status === 'user'
            ? <p><Link href="/home">ホームへ進む</Link></p>
            : <p><Link href="/login" class="btn btn-primary">ログインする</Link></p>}
        </div>
      )}
      {state === 'invalid' && (
        <div class="notice notice-error" role="alert">
          <p>この確認用リンクは無効か、有効期限が切れているか、すでに使用されています。</p>
          <p>すでに確認がお済みの場合は、そのままログインしてください。確認がお済みでない場合は、お手数ですが最初から登録し直してください。</p>
          <p><Link href="/login">ログイン</Link>／<Link href="/register">新規登録</Link></p>
        </div>
      )}
      {state === 'error' && (
        <div class="notice notice-error" role="alert">
          <p>{message}</p>
          <button type="button" class="btn btn-primary" onClick={run}>もう一度試す</button>
        </div>
      )}
    </Page>
  );
}

export function PasswordReset() {
  const token = queryParam('token');
  return token ? <ResetComplete token={token} /> : <ResetRequest />;
}

function ResetRequest() {
  const [v, set] = useDraft('reset', { email: '' });
  const [sent, setSent] = useState(false);
  const f = useForm();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      await post('/auth/password-reset', { email: v.email.trim() }, { noAuthRedirect: true });
      setSent(true);
    }, () => { const c = new Checker(); c.email('email', v.email); return c.errors; });
  };
  return (
    <Page title="パスワードの再設定" lead="ご登録のメールアドレスを入力してください。パスワードを再設定するためのリンクをお送りします。">
      {sent ? (
        <div class="notice notice-success" role="status">
          <p>{v.email} が登録されている場合は、パスワード再設定のご案内をお送りしました。メールに記載のリンクから、新しいパスワードを設定してください。</p>
          <p>メールが届かない場合は、迷惑メールフォルダをご確認のうえ、入力したアドレスに誤りがないかお確かめください。</p>
        </div>
      ) : (
        <form class="form narrow" onSubmit={submit} noValidate>
          <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} />
          <TextField name="email" label="メールアドレス" type="email" value={v.email} onValue={(x) => set({ email: x })}
            error={f.error('email')} required autocomplete="email" inputMode="email" spellcheck={false} autocapitalize="off" />
          <Button type="submit" busy={f.busy} busyLabel="送信しています" class="btn-wide">再設定の案内を送る</Button>
        </form>
      )}
      <p class="after-form"><Link href="/login">ログイン画面へ戻る</Link></p>
    </Page>
  );
}

function ResetComplete({ token }: { token: string }) {
  const [v, setV] = useState({ password: '', confirm: '' });
  const [state, setState] = useState<'form' | 'done' | 'invalid'>('form');
  const f = useForm();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      try {
        await post('/auth/password-reset/complete', { token, password: v.password }, { noAuthRedirect: true });
        setState('done');
      } catch (err) {
        if (err instanceof ApiError && err.status === 410) { setState('invalid'); return; }
        throw err;
      }
    }, () => {
      const c = new Checker();
      c.password('password', v.password, '新しいパスワード');
      if (v.password && v.confirm !== v.password) c.add('confirm', 'confirm.mismatch', '確認用のパスワードが一致しません');
      return c.errors;
    });
  };
  return (
    <Page title="新しいパスワードの設定">
      {state === 'done' ? (
        <div class="notice notice-success" role="status">
          <p>パスワードを再設定しました。新しいパスワードでログインしてください。</p>
          <p><Link href="/login" class="btn btn-primary">ログインする</Link></p>
        </div>
      ) : state === 'invalid' ? (
        <div class="notice notice-error" role="alert">
          <p>このリンクは無効か、有効期限が切れているか、すでに使用されています。お手数ですが、もう一度お手続きください。</p>
          <p><Link href="/password-reset">パスワードの再設定をやり直す</Link></p>
        </div>
      ) : (
        <form class="form narrow" onSubmit={submit} noValidate>
          <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} />
          <PasswordField name="password" label="新しいパスワード" value={v.password} onValue={(x) => setV({ ...v, password: x })}
            error={f.error('password')} required autocomplete="new-password" hint={`${PASSWORD_MIN}文字以上で入力してください。`} />
          <PasswordField name="confirm" label="新しいパスワード（確認）" value={v.confirm} onValue={(x) => setV({ ...v, confirm: x })}
            error={f.error('confirm')} required autocomplete="new-password" />
          <Button type="submit" busy={f.busy} busyLabel="設定しています" class="btn-wide">パスワードを設定する</Button>
        </form>
      )}
    </Page>
  );
}
