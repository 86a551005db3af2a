// Landing pages of links in mails to nurses, usable without logging in: stop a saved search's
// weekly mail (/unsubscribe?token=…) and renew the registration (/seeker/renew?token=…). Each
// POSTs its token once on arrival and shows the result.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, MSG, post } from '../api';
import { Link, queryParam } from '../router';
import { useSession } from '../session';
import { formatDate } from '../format';
import { Page } from '../ui/Page';
import { Spinner } from '../ui/Feedback';
import './placement.css';

type State<T> = { kind: 'working' } | { kind: 'done'; data: T } | { kind: 'invalid' } | { kind: 'error'; message: string };

function useTokenPost<T>(path: string) {
  const token = queryParam('token');
  const [state, setState] = useState<State<T>>(token ? { kind: 'working' } : { kind: 'invalid' });
  const once = useRef(false);
  const run = () => {
    if (!token) return;
    setState({ kind: 'working' });
    post<T>(path, { token }, { noAuthRedirect: true }).then((data) => setState({ kind: 'done', data: (data ?? {}) as T }), (e) => {
      if (e instanceof ApiError && [400, 404, 410, 422].includes(e.status)) setState({ kind: 'invalid' });
      else setState({ kind: 'error', message: e instanceof ApiError ? e.message : MSG.generic });
    });
  };
  useEffect(() => { if (!once.current) { once.current = true; run(); } }, []);
  return { state, run };
}

function Retry({ message, run }: { message: string; run: () => void }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>{message}</p>
      <button type="button" class="btn btn-primary" onClick={run}>もう一度試す</button>
    </div>
  );
}

/** /unsubscribe?token=… */
export function Unsubscribe() {
  const session = useSession();
  const { state, run } = useTokenPost<{ name?: string; saved_search?: { name?: string } }>('/unsubscribe');
  const name = state.kind === 'done' ? state.data.name ?? state.data.saved_search?.name : undefined;
  return (
    <Page title="新着求人メールの配信停止">
      <div class="token-result">
        {state.kind === 'working' && <Spinner label="配信を停止しています" />}
        {state.kind === 'done' && (
          <div class="notice notice-success" role="status">
            <p>{name ? `保存した検索条件「${name}」の` : ''}新着求人メールの配信を停止しました。</p>
            <p>保存した検索条件そのものは残っています。配信を再開するときは、ログインして「保存した検索条件」から設定してください。</p>
            <p><Link href={session.status === 'user' ? '/seeker/saved-searches' : '/login?next=%2Fseeker%2Fsaved-searches'}>保存した検索条件を開く</Link></p>
          </div>
        )}
        {state.kind === 'invalid' && (
          <div class="notice notice-error" role="alert">
            <p>この配信停止のリンクは無効か、有効期限が切れています。</p>
            <p>ログインして「保存した検索条件」から、メールの配信を止めることができます。</p>
            <p><Link href="/login?next=%2Fseeker%2Fsaved-searches">ログインして設定する</Link></p>
          </div>
        )}
        {state.kind === 'error' && <Retry message={state.message} run={run} />}
      </div>
    </Page>
  );
}

/** /seeker/renew?token=… */
export function RenewByToken() {
  const session = useSession();
  const { state, run } = useTokenPost<{ valid_until?: string; seeker?: { valid_until?: string } }>('/seeker-renewal');
  const until = state.kind === 'done' ? state.data.valid_until ?? state.data.seeker?.valid_until : undefined;
  return (
    <Page title="求職者登録の更新">
      <div class="token-result">
        {state.kind === 'working' && <Spinner label="登録を更新しています" />}
        {state.kind === 'done' && (
          <div class="notice notice-success" role="status">
            <p>求職者登録を更新しました。{until ? `有効期限は${formatDate(until)}までです。` : ''}</p>
            <p>希望条件が変わったときは、ログインして「求職者情報・希望条件」を更新してください。</p>
            <p><Link href={session.status === 'user' ? '/seeker/profile' : '/login?next=%2Fseeker%2Fprofile'}>求職者情報・希望条件を開く</Link></p>
          </div>
        )}
        {state.kind === 'invalid' && (
          <div class="notice notice-error" role="alert">
            <p>この更新用のリンクは無効か、有効期限が切れているか、すでに使用されています。</p>
            <p>ログインして「求職者情報・希望条件」の「有効期限を延長する」から更新できます。</p>
            <p><Link href="/login?next=%2Fseeker%2Fprofile">ログインして更新する</Link></p>
          </div>
        )}
        {state.kind === 'error' && <Retry message={state.message} run={run} />}
      </div>
    </Page>
  );
}
