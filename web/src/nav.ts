// Role-aware navigation. Later issues fill the pages behind these links; until
// then `soon: true` items lead to a "準備中" page (see routes.tsx).
import type { Role } from './api';

export type NavItem = { href: string; label: string; desc?: string; soon?: boolean };

export const PUBLIC_NAV: NavItem[] = [
  { href: '/jobs', label: '求人を探す', desc: '全国の看護職の求人票を検索できます。' },
  { href: '/events', label: 'イベント', desc: '就職説明会・相談会などのご案内です。' },
  { href: '/trainings', label: '研修', desc: '復職支援研修などの研修のご案内です。' },
  { href: '/centers', label: 'ナースセンター一覧', desc: '47都道府県のナースセンターの連絡先です。' },
  { href: '/notify', label: '看護職の届出', desc: '離職したときなどの届出（看護師等の届出制度）をインターネットでできます。' },
];

const SETTINGS: NavItem = { href: '/settings', label: 'アカウント設定', desc: 'メールアドレスとパスワードを変更できます。' };
const HOME: NavItem = { href: '/home', label: 'ホーム' };
const OFFER_REVIEWS: NavItem = { href: '/center/offers', label: '求人票の審査', desc: '施設から審査の依頼があった求人票を確認し、公開・差し戻し・不受理を決めます。' };
const REVIEWS: NavItem = { href: '/center/reviews', label: '施設の審査', desc: '登録された求人施設の情報を審査し、承認または差し戻しをします。' };
const FACILITIES: NavItem = { href: '/facilities', label: '求人施設一覧', desc: '求人施設の情報と審査の状況を、状態で絞り込んで確認できます。' };
const PEOPLE: NavItem = { href: '/people', label: '求職者一覧', desc: '求職者の検索と、記録の閲覧履歴（監査記録）の確認ができます。' };
const QUEUE: NavItem = { href: '/center/queue', label: '対応キュー', desc: '届出・求職登録への初回連絡、相談のフォローアップ、引継ぎ、紹介依頼・定着確認など、対応が必要なものの一覧です。' };
const NOTIFICATIONS: NavItem = { href: '/center/notifications', label: '届出', desc: '届いた届出（離職時等の届出）の確認、重複候補の確認、窓口で受け付けた届出の入力、CSVの出力ができます。' };
const CONSULTATIONS: NavItem = { href: '/center/consultations', label: '相談記録', desc: '相談の記録を参照し、CSVで出力できます。相談の記録は、対象者の経過（タイムライン）から登録します。' };
const HELPDESK: NavItem = { href: '/center/helpdesk', label: 'ヘルプデスク', desc: 'システムの操作や業務の進め方について、中央ナースセンターに問い合わせができます。回答の確認もここで行います。' };
const REPORTS: NavItem = { href: '/center/reports', label: '統計', desc: '都道府県の実績と求人・求職管理簿を年度別に確認し、Excel・CSVで保存できます。' };
const FACILITY_NOTIFY: NavItem = { href: '/facility/notifications', label: '届出（施設代行）', desc: '退職した職員の届出を施設が代行できます（CSV・Excelでの一括登録も可）。' };
const APPLICANTS: NavItem = { href: '/facility/applicants', label: '紹介された求職者', desc: '紹介状の確認と、面接日・採否（採用・不採用）・就職の登録ができます。' };
const PLACEMENT: NavItem[] = [
  { href: '/center/referral-requests', label: '紹介依頼の確認', desc: '求職者からの紹介依頼を確認し、紹介（紹介状の発行）または見送りを決めます。' },
  { href: '/center/applications', label: '応募・紹介', desc: '担当するすべての応募・紹介の状況と経過を確認し、面接日・採否・就職を登録できます。' },
  { href: '/center/retention', label: '定着確認', desc: '就職から1か月・3か月・6か月の定着確認の予定と記録です。' },
  { href: '/center/matching', label: '求人の候補者', desc: '掲載中の求人ごとに、条件に合う求職者を探して紹介を提案できます。' },
  { href: '/center/seekers/new', label: '窓口での求職者登録', desc: 'インターネットを利用しない看護職の方を、窓口で求職者として登録します。' },
];

export const ROLE_NAV: Record<Role, NavItem[]> = {
  seeker: [
    HOME,
    { href: '/jobs', label: '求人を探す', desc: '条件を指定して求人票を検索できます。' },
    { href: '/seeker/profile', label: '求職者情報・希望条件', desc: '経験と希望する勤務地・働き方を登録します。登録の有効期限の延長や休止もここで行えます。' },
    { href: '/seeker/matches', label: 'おすすめ求人', desc: '希望条件に合う求人を、合う理由とあわせてお知らせします。' },
    { href: '/seeker/saved-searches', label: '保存した検索条件', desc: '保存した条件で求人を探し直したり、新着求人のメールを設定したりできます。' },
    { href: '/seeker/applications', label: '応募・紹介状況', desc: '紹介を依頼した求人の状況と経過の確認、紹介状のダウンロードができます。' },
    { href: '/notify', label: '届出をする', desc: '病院などを離職したときの届出（看護師等の届出制度）ができます。' },
    { href: '/seeker/notifications', label: '届出の状況・変更届', desc: '出した届出の状況と変更の履歴の確認、住所などが変わったときの変更届ができます。' },
    { href: '/me/views', label: '閲覧履歴', desc: 'あなたの記録をナースセンターの職員がいつ閲覧したかを確認できます。' },
    SETTINGS,
  ],
  facility_admin: [
    HOME,
    { href: '/facility/offers', label: '求人票', desc: '求人票の作成・変更・公開状況の確認ができます。' },
    APPLICANTS,
    FACILITY_NOTIFY,
    { href: '/facility/profile', label: '施設情報', desc: '施設の情報と審査の状況の確認、情報の変更、担当者アカウントの追加ができます。' },
    SETTINGS,
  ],
  facility_staff: [
    HOME,
    { href: '/facility/offers', label: '求人票', desc: '求人票の作成・変更・公開状況の確認ができます。' },
    APPLICANTS,
    FACILITY_NOTIFY,
    { href: '/facility/profile', label: '施設情報', desc: '施設の情報と審査の状況を確認できます。' },
    SETTINGS,
  ],
  counselor: [
    HOME,
    QUEUE,
    NOTIFICATIONS,
    PEOPLE,
    CONSULTATIONS,
    ...PLACEMENT,
    REVIEWS,
    OFFER_REVIEWS,
    HELPDESK,
    { href: '/center/events', label: 'イベント管理', desc: '相談会・説明会を登録します。', soon: true },
    REPORTS,
    SETTINGS,
  ],
  center_admin: [
    HOME,
    QUEUE,
    NOTIFICATIONS,
    PEOPLE,
    CONSULTATIONS,
    ...PLACEMENT,
    REVIEWS,
    OFFER_REVIEWS,
    HELPDESK,
    { href: '/center/mail', label: 'メール配信', desc: '登録者へのお知らせを配信します。', soon: true },
    REPORTS,
    { href: '/center/settings', label: 'センターの設定', desc: '初回連絡の期限と、職員の要配慮情報の閲覧権限を設定します。' },
    SETTINGS,
  ],
  central: [
    HOME,
    PEOPLE,
    FACILITIES,
    { href: '/central/reports', label: '統計・年報', desc: '全国と都道府県の実績、年報の集計表を年度別に確認し、Excel・CSVで保存できます。' },
    { href: '/central/helpdesk', label: 'ヘルプデスク', desc: '都道府県ナースセンターからの問い合わせに回答します。' },
    { href: '/central/trainings', label: '研修管理', desc: '研修の登録と受講者を管理します。', soon: true },
    { href: '/central/mail', label: '全国メール配信', desc: '全国の登録者へのお知らせを配信します。', soon: true },
    SETTINGS,
  ],
  sysadmin: [
    HOME,
    PEOPLE,
    FACILITIES,
    { href: '/admin/accounts', label: 'アカウント管理', desc: '職員アカウントと権限を管理します。', soon: true },
    { href: '/admin/system', label: 'システム状態', desc: 'サーバーとデータベースの状態を確認します。', soon: true },
    SETTINGS,
  ],
};

export const STAFF_ROLES: Role[] = ['counselor', 'center_admin', 'central', 'sysadmin'];
export const FACILITY_ROLES: Role[] = ['facility_admin', 'facility_staff'];
