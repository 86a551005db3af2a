import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link, navigate, useLocation } from '../router';
import { logout, useSession } from '../session';
import { PUBLIC_NAV, ROLE_NAV } from '../nav';
import { ROLE_LABEL } from '../format';
import { Dialog } from './Dialog';
import { Button } from './Button';
import { GlobalProgress, Toaster, toast } from './Feedback';

function isCurrent(href: string, path: string) {
  return path === href || (href !== '/' && href !== '/home' && path.startsWith(href + '/'));
}

export function Layout({ children }: { children: ComponentChildren }) {
  const session = useSession();
  const loc = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const menuBtn = useRef<HTMLButtonElement>(null);

  useEffect(() => { setMenuOpen(false); }, [loc.path]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') { setMenuOpen(false); menuBtn.current?.focus(); }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const user = session.status === 'user' ? session.user : null;
  const items = user ? ROLE_NAV[user.role] ?? [] : PUBLIC_NAV;

  const doLogout = async () => {
    setBusy(true);
    try {
      await logout();
      toast('ログアウトしました。');
    } catch {
      toast('ログアウトしました。（サーバーとの通信に失敗したため、この端末の表示のみ切り替えました）', 'info');
    } finally {
      setBusy(false);
      setConfirm(false);
      navigate('/');
    }
  };

  return (
    <>
      <a class="skip-link" href="#main">本文へスキップ</a>
      <GlobalProgress />
      <header class="site-header">
        <div class="wrap header-inner">
          <Link href={user ? '/home' : '/'} class="brand">
            <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="6" fill="currentColor" /><path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" /></svg>
            <span class="brand-text">
              <span class="brand-name">ナースセンター</span>
              <span class="brand-sub">看護職の無料職業紹介</span>
            </span>
          </Link>
          <button ref={menuBtn} type="button" class="menu-btn" aria-expanded={menuOpen ? 'true' : 'false'}
            aria-controls="site-menu" onClick={() => setMenuOpen(!menuOpen)}>
            <span class="menu-icon" aria-hidden="true" />
            メニュー
          </button>
          <div id="site-menu" class={`site-menu${menuOpen ? ' is-open' : ''}`}>
            <div class="nav-account">
              {user ? (
                <>
                  <span class="nav-user"><span class="badge">{ROLE_LABEL[user.role] ?? user.role}</span> {user.name} さん</span>
                  <button type="button" class="btn btn-secondary btn-small" onClick={() => setConfirm(true)}>ログアウト</button>
                </>
              ) : session.status === 'anon' ? (
                <>
                  <Link href="/login" class="btn btn-secondary btn-small" aria-current={loc.path === '/login' ? 'page' : undefined}>ログイン</Link>
                  <Link href="/register" class="btn btn-primary btn-small" aria-current={loc.path.startsWith('/register') ? 'page' : undefined}>新規登録</Link>
                </>
              ) : null}
            </div>
            <nav class="site-nav" aria-label="メインメニュー">
              <ul class="nav-list">
                {items.map((it) => (
                  <li key={it.href}>
                    <Link href={it.href} aria-current={isCurrent(it.href, loc.path) ? 'page' : undefined}>{it.label}</Link>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </div>
      </header>
      <main id="main" class="wrap main" tabIndex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        <div class="wrap">
          <ul class="footer-links">
            <li><Link href="/centers">ナースセンター一覧</Link></li>
            <li><Link href="/jobs">求人を探す</Link></li>
            <li><Link href="/privacy">個人情報の取り扱い</Link></li>
            <li><Link href="/accessibility">アクセシビリティ</Link></li>
          </ul>
          <p class="footer-note">ナースセンターは、看護師等の人材確保の促進に関する法律に基づき、各都道府県に設置されている無料職業紹介の窓口です。</p>
        </div>
      </footer>
      <Toaster />
      <Dialog open={confirm} title="ログアウトしますか？" onClose={() => setConfirm(false)}
        actions={<>
          <Button variant="secondary" onClick={() => setConfirm(false)}>キャンセル</Button>
          <Button busy={busy} onClick={doLogout} busyLabel="ログアウトしています">ログアウトする</Button>
        </>}>
        <p>共用の端末をお使いの場合は、必ずログアウトしてください。</p>
      </Dialog>
    </>
  );
}
