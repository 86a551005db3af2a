import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { API_BASE, getCsrfToken, setUnauthorizedHandler } from './api';
import { here, matchPath, navigate, useLocation, type Params } from './router';
import { initSession, markSignedOut, useSession } from './session';
import { routes, type RouteDef } from './routes';
import { Layout } from './ui/Layout';
import { Page } from './ui/Page';
import { Spinner } from './ui/Feedback';
import { Link } from './router';

// On 401 the user goes to the login page, which brings them back here.
setUnauthorizedHandler(() => {
  markSignedOut();
  if (location.pathname === '/login') return;
  navigate('/login?reason=expired&next=' + encodeURIComponent(here()));
});

// Access statistics without third-party trackers (docs/API.md "Access statistics"): each
// route view is reported once the session is known, so a signed-in view carries the CSRF
// header and counts for the user's role. Fire and forget: keepalive, errors ignored, never
// awaited by rendering.
function reportView(path: string) {
  initSession().then(() => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const csrf = getCsrfToken();
    if (csrf) headers['X-CSRF-Token'] = csrf;
    fetch(API_BASE + '/views', {
      method: 'POST', headers, body: JSON.stringify({ path: path.slice(0, 512) }),
      credentials: 'same-origin', keepalive: true, cache: 'no-store',
    }).catch(() => { /* statistics only */ });
  });
}

const loaded = new Map<RouteDef, ComponentType<any>>();

function Lazy({ route, params }: { route: RouteDef; params: Params }) {
  const [C, setC] = useState<ComponentType<any> | null>(() => loaded.get(route) ?? null);
  const [failed, setFailed] = useState(false);
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const have = loaded.get(route);
    if (have) { setC(() => have); return; }
    setC(null); setFailed(false); setSlow(false);
    let live = true;
    const t = setTimeout(() => live && setSlow(true), 200);
    route.load().then(
      (m) => { loaded.set(route, m.default); if (live) setC(() => m.default); },
      () => { if (live) setFailed(true); },
    ).finally(() => clearTimeout(t));
    return () => { live = false; clearTimeout(t); };
  }, [route]);
  if (failed) {
    return (
      <Page title="画面を読み込めませんでした">
        <div class="notice notice-error" role="alert">
          <p>通信できなかったか、サービスが更新されました。ページを再読み込みしてください。</p>
          <button type="button" class="btn btn-primary" onClick={() => location.reload()}>再読み込み</button>
        </div>
      </Page>
    );
  }
  if (!C) return slow ? <Spinner /> : null;
  return <C params={params} />;
}

function NotFound() {
  return (
    <Page title="ページが見つかりません">
      <p>お探しのページは移動または削除された可能性があります。アドレスをご確認ください。</p>
      <p><Link href="/">トップページへ戻る</Link></p>
    </Page>
  );
}

function Forbidden() {
  return (
    <Page title="このページを表示する権限がありません">
      <p>お使いのアカウントでは、このページを利用できません。</p>
      <p><Link href="/home">ホームへ戻る</Link></p>
    </Page>
  );
}

function Guard({ route, params }: { route: RouteDef; params: Params }) {
  const session = useSession();
  const needsLogin = route.auth !== undefined;
  useEffect(() => {
    if (needsLogin && session.status === 'anon') {
      navigate('/login?next=' + encodeURIComponent(here()), { replace: true });
    }
  }, [needsLogin, session.status]);
  if (!needsLogin) return <Lazy route={route} params={params} />;
  if (session.status !== 'user') return <Spinner />;
  if (Array.isArray(route.auth) && !route.auth.includes(session.user.role)) return <Forbidden />;
  return <Lazy route={route} params={params} />;
}

export function App() {
  const loc = useLocation();
  useEffect(() => { initSession(); }, []);
  useEffect(() => { reportView(loc.path); }, [loc.path]);
  let match: { route: RouteDef; params: Params } | null = null;
  for (const r of routes) {
    const p = matchPath(r.path, loc.path);
    if (p) { match = { route: r, params: p }; break; }
  }
  return (
    <Layout>
      {match ? <Guard key={match.route.path + JSON.stringify(match.params)} route={match.route} params={match.params} /> : <NotFound />}
    </Layout>
  );
}
