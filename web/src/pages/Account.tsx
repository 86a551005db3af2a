// Signed-in screens shared by every role: home, settings, "who viewed my record".
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, loadRef, MSG, post, type Ref } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import { ROLE_NAV } from '../nav';
import { ACTION_LABEL, CHANNEL_LABEL, formatDateTime, ROLE_LABEL } from '../format';
import { useDraft } from '../draft';
import { Checker, PASSWORD_MIN } from '../validate';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { ErrorSummary, PasswordField, TextField } from '../ui/Field';
import { EmptyState, LoadError, Spinner, toast } from '../ui/Feedback';
import { DataTable } from '../ui/Table';
import { useForm } from '../ui/form';

function usePrefName(code: string | null | undefined) {
  const [ref, setRef] = useState<Ref | null>(null);
  useEffect(() => { if (code) loadRef().then(setRef, () => {}); }, [code]);
  if (!code) return null;
  return ref?.prefectures.find((p) => p.code === code)?.name ?? null;
}

const HOME_LEAD: Record<string, string> = {
  seeker: '求人の検索や紹介の依頼、希望条件の登録はここから行えます。',
  facility_admin: '求人票の管理、紹介された求職者の確認、届出の代行はここから行えます。',
  facility_staff: '求人票の管理と、紹介された求職者の確認はここから行えます。',
  counselor: '求職者・施設への対応と相談の記録はここから行えます。',
  center_admin: 'ナースセンターの業務の管理はここから行えます。',
  central: '全国の実績の確認と、都道府県ナースセンターの支援はここから行えます。',
  sysadmin: 'システムの管理はここから行えます。',
};

export function Home() {
  const session = useSession();
  const user = session.status === 'user' ? session.user : null;
  const pref = usePrefName(user?.prefecture);
  if (!user) return null;
  const items = (ROLE_NAV[user.role] ?? []).filter((i) => i.href !== '/home');
  const staff = ['counselor', 'center_admin'].includes(user.role);
  return (
    <Page title="ホーム" lead={`${user.name} さん、こんにちは。${HOME_LEAD[user.role] ?? ''}`}>
      <p class="role-line">
        <span class="badge">{ROLE_LABEL[user.role] ?? user.role}</span>
        {staff && pref && <span>{pref}ナースセンター</span>}
        {user.role === 'seeker' && pref && <span>お住まい：{pref}</span>}
      </p>
      <h2 class="visually-hidden">メニュー</h2>
      <ul class="link-cards">
        {items.map((it) => (
          <li key={it.href}>
            <Link href={it.href}>
              <strong>{it.label}{it.soon && <span class="badge badge-muted">準備中</span>}</strong>
              {it.desc && <span>{it.desc}</span>}
            </Link>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function Settings() {
  const session = useSession();
  const user = session.status === 'user' ? session.user : null;
  const [emailDraft, setEmailDraft, clearEmail] = useDraft('settings-email', { email: '', password: '' }, ['password']);
  const [pw, setPw] = useState({ current_password: '', new_password: '', confirm: '' });
  const [emailSent, setEmailSent] = useState<string | null>(null);
  const [pwDone, setPwDone] = useState(false);
  const fe = useForm();
  const fp = useForm();
  if (!user) return null;

  const submitEmail = (e: Event) => {
    e.preventDefault();
    fe.run(async () => {
      const to = emailDraft.email.trim();
      await post('/me/email', { email: to, password: emailDraft.password });
      setEmailSent(to);
      clearEmail();
      toast('確認メールを送信しました。');
    }, () => {
      const c = new Checker();
      c.email('email', emailDraft.email);
      if (emailDraft.email.trim() && emailDraft.email.trim().toLowerCase() === user.email.toLowerCase()) {
        c.add('email', 'email.same', '現在と同じメールアドレスです');
      }
      c.required('password', emailDraft.password, '現在のパスワード');
      return c.errors;
    });
  };

  const submitPw = (e: Event) => {
    e.preventDefault();
    fp.run(async () => {
      await post('/me/password', { current_password: pw.current_password, new_password: pw.new_password });
      setPw({ current_password: '', new_password: '', confirm: '' });
      setPwDone(true);
      toast('パスワードを変更しました。');
    }, () => {
      const c = new Checker();
      c.required('current_password', pw.current_password, '現在のパスワード');
      c.password('new_password', pw.new_password, '新しいパスワード');
      if (pw.new_password && pw.confirm !== pw.new_password) c.add('confirm', 'confirm.mismatch', '確認用のパスワードが一致しません');
      return c.errors;
    });
  };

  return (
    <Page title="アカウント設定">
      <section class="card" aria-labelledby="acct-h">
        <h2 id="acct-h">登録内容</h2>
        <dl class="dl">
          <dt>メールアドレス</dt><dd>{user.email}</dd>
          <dt>氏名</dt><dd>{user.name}{user.name_kana ? `（${user.name_kana}）` : ''}</dd>
          <dt>利用者の種類</dt><dd>{ROLE_LABEL[user.role] ?? user.role}</dd>
          {user.channel && <><dt>登録経路</dt><dd>{CHANNEL_LABEL[user.channel] ?? user.channel}</dd></>}
          {user.created_at ? <><dt>登録日時</dt><dd>{formatDateTime(user.created_at)}</dd></> : null}
        </dl>
      </section>

      <section class="card" aria-labelledby="email-h">
        <h2 id="email-h">メールアドレスの変更</h2>
        {emailSent && (
          <div class="notice notice-success" role="status">
            <p>{emailSent} 宛に確認メールをお送りしました。メールに記載のリンクを開くと、変更が完了します。それまでは現在のアドレスでログインしてください。</p>
          </div>
        )}
        <form class="form" onSubmit={submitEmail} noValidate aria-labelledby="email-h">
          <ErrorSummary message={fe.message} fields={fe.fields} focusKey={fe.focusKey} />
          <TextField name="email" label="新しいメールアドレス" type="email" value={emailDraft.email}
            onValue={(x) => setEmailDraft({ email: x })} error={fe.error('email')} required autocomplete="email"
            inputMode="email" spellcheck={false} autocapitalize="off" />
          <PasswordField name="password" label="現在のパスワード" value={emailDraft.password}
            onValue={(x) => setEmailDraft({ password: x })} error={fe.error('password')} required autocomplete="current-password"
            hint="ご本人確認のため入力してください。" />
          <Button type="submit" busy={fe.busy} busyLabel="送信しています">確認メールを送る</Button>
        </form>
      </section>

      <section class="card" aria-labelledby="pw-h">
        <h2 id="pw-h">パスワードの変更</h2>
        {pwDone && (
          <div class="notice notice-success" role="status">
            <p>パスワードを変更しました。ほかの端末でログインしていた場合は、ログアウトされています。</p>
          </div>
        )}
        <form class="form" onSubmit={submitPw} noValidate aria-labelledby="pw-h">
          <ErrorSummary message={fp.message} fields={fp.fields} focusKey={fp.focusKey} />
          <PasswordField name="current_password" label="現在のパスワード" value={pw.current_password}
            onValue={(x) => setPw({ ...pw, current_password: x })} error={fp.error('current_password')} required autocomplete="current-password" />
          <PasswordField name="new_password" label="新しいパスワード" value={pw.new_password}
            onValue={(x) => setPw({ ...pw, new_password: x })} error={fp.error('new_password')} required autocomplete="new-password"
            hint={`${PASSWORD_MIN}文字以上で入力してください。`} />
          <PasswordField name="confirm" label="新しいパスワード（確認）" value={pw.confirm}
            onValue={(x) => setPw({ ...pw, confirm: x })} error={fp.error('confirm')} required autocomplete="new-password" />
          <Button type="submit" busy={fp.busy} busyLabel="変更しています">パスワードを変更する</Button>
        </form>
      </section>
    </Page>
  );
}

type View = { at: number; action: string; actor_role: string; actor_org?: string | null };

export function MyViews() {
  const [items, setItems] = useState<View[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ items: View[] }>('/me/views').then((r) => setItems(r.items || []),
      (e) => setError(e instanceof ApiError ? e.message : MSG.generic));
  };
  useEffect(load, []);
  return (
    <Page title="閲覧履歴" lead="ナースセンターの職員があなたの登録情報を閲覧・更新した記録です。新しいものから順に表示しています。">
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : (
        <DataTable<View>
          caption="あなたの記録の閲覧履歴"
          rows={items}
          rowKey={(r, i) => `${r.at}-${i}`}
          initialSort={{ key: 'at', dir: 'desc' }}
          columns={[
            { key: 'at', label: '日時', sortable: true, render: (r) => formatDateTime(r.at) },
            { key: 'action', label: '操作', sortable: true, render: (r) => ACTION_LABEL[r.action] ?? r.action },
            { key: 'actor_role', label: '職員の種類', sortable: true, render: (r) => ROLE_LABEL[r.actor_role] ?? r.actor_role },
            { key: 'actor_org', label: '所属', sortable: true, render: (r) => r.actor_org || '—' },
          ]}
          empty={<EmptyState title="閲覧された記録はありません">ナースセンターの職員があなたの情報を閲覧すると、ここに表示されます。</EmptyState>}
        />
      )}
    </Page>
  );
}
