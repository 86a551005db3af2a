// Public information pages and placeholders that later issues replace.
import { Link, useLocation } from '../router';
import { Page } from '../ui/Page';
import { EmptyState } from '../ui/Feedback';
import { useSession } from '../session';
import { ROLE_NAV } from '../nav';

export function Events() {
  return (
    <Page title="イベント" lead="各地のナースセンターが開く就職相談会・施設見学会・説明会のご案内です。">
      <EmptyState title="現在ご案内できるイベントはありません">
        <p>イベントの情報は、各ナースセンターのサイトでもご覧いただけます。</p>
        <p><Link href="/centers">ナースセンター一覧を見る</Link></p>
      </EmptyState>
    </Page>
  );
}

export function Trainings() {
  return (
    <Page title="研修" lead="ブランクのある看護職の方の復職支援研修や、スキルアップの研修のご案内です。">
      <EmptyState title="現在ご案内できる研修はありません">
        <p>研修の日程は、お近くのナースセンターにお問い合わせください。</p>
        <p><Link href="/centers">ナースセンター一覧を見る</Link></p>
      </EmptyState>
    </Page>
  );
}

export function Privacy() {
  return (
    <Page title="個人情報の取り扱い">
      <p>ご登録いただいた個人情報は、職業紹介と就業支援、法令に基づく届出の受付と統計の作成のためにのみ利用します。</p>
      <p>本籍・出生地、人種、思想・信条、労働組合への加入状況、家族の収入、容姿など、職業紹介に必要のない情報はお預かりしません。</p>
      <p>ナースセンターの職員があなたの記録を閲覧すると、その日時と閲覧した職員の所属が記録されます。求職者の方はログイン後、「閲覧履歴」でご確認いただけます。</p>
    </Page>
  );
}

export function Accessibility() {
  return (
    <Page title="アクセシビリティ">
      <p>このサイトは、JIS X 8341-3:2016 の適合レベル AA に準拠することを目標に制作しています。キーボードだけで操作でき、画面読み上げソフトにも対応しています。</p>
      <p>ご利用の中でお気づきの点がありましたら、お近くのナースセンターまでお知らせください。</p>
    </Page>
  );
}

/** Placeholder for role areas that later issues fill. */
export function Soon() {
  const loc = useLocation();
  const session = useSession();
  const items = session.status === 'user' ? ROLE_NAV[session.user.role] ?? [] : [];
  const item = items.find((i) => i.href === loc.path);
  return (
    <Page title={item?.label ?? '準備中'}>
      <EmptyState title="この機能は準備中です">
        {item?.desc && <p>{item.desc}</p>}
        <p>ご利用いただけるようになるまで、しばらくお待ちください。</p>
        <p><Link href="/home">ホームへ戻る</Link></p>
      </EmptyState>
    </Page>
  );
}
