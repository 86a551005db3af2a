// One application (応募・紹介の案件) for every role: the nurse (/seeker/applications/:id), the
// facility (/facility/applicants/:id) and the center (/center/applications/:id). What is shown
// follows the fields the API returned for the caller; what can be done follows `actions`.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import { formatDate, formatDateTime } from '../format';
import { Page } from '../ui/Page';
import { LoadError, Spinner } from '../ui/Feedback';
import {
  ActionPanel, ApplicantFacts, CHECK_RESULT_LABEL, errText, LetterLink, nextCheckText, ORIGIN_LABEL, overdue,
  StateBadge, Timeline, useCodes, type Application,
} from './placementParts';

type Area = 'seeker' | 'facility' | 'center';

/** What the state means, in the nurse's words. */
const NURSE_HELP: Record<string, string> = {
  requested: 'ナースセンターが紹介の依頼を確認しています。確認が済むと紹介状を発行し、施設に紹介します。',
  proposed: 'ナースセンターから、この求人への紹介を提案しています。求人の内容を確認し、紹介を希望する場合は「提案に同意」を選んでください。',
  referred: '施設に紹介しました。紹介状をダウンロードして、面接の際にお持ちください。面接の日程は施設またはナースセンターからご連絡します。',
  interview: '面接の日程が決まりました。日程を変更したいときは、ナースセンターにご相談ください。',
  hired: '採用が決まりました。勤務開始日が決まりましたら、施設またはナースセンターが就職を登録します。',
  placed: '就職が決まりました。ナースセンターから、就職後の様子を伺うご連絡をすることがあります（定着確認）。',
  checked_1m: '就職後1か月の定着確認が済みました。',
  checked_3m: '就職後3か月の定着確認が済みました。',
  closed: 'この案件は完了しました。',
  withdrawn: '紹介の依頼を取り下げました。',
  refused: 'ナースセンターが、この求人への紹介を見送りました。理由は経過をご覧ください。ほかの求人のご相談は、ナースセンターへどうぞ。',
  rejected: '残念ながら不採用となりました。ほかの求人のご相談は、ナースセンターへどうぞ。',
  declined: '辞退しました。',
  cancelled: 'この案件は取り消されました。',
};

const FACILITY_HELP: Record<string, string> = {
  referred: 'ナースセンターから紹介された求職者です。紹介状をご確認のうえ、面接の日程または採否を登録してください。',
  interview: '面接の後、採否（採用・不採用）を登録してください。',
  hired: '勤務開始日が決まりましたら、就職を登録してください。',
};

export function ApplicationPage({ params }: { params: { id: string } }) {
  const session = useSession();
  const role = session.status === 'user' ? session.user.role : null;
  const area: Area = role === 'seeker' ? 'seeker' : role === 'facility_admin' || role === 'facility_staff' ? 'facility' : 'center';
  const codes = useCodes();
  const [app, setApp] = useState<Application | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    get<{ application: Application }>(`/applications/${encodeURIComponent(params.id)}`).then((r) => setApp(r.application), (e) => setError(errText(e)));
  };
  useEffect(load, [params.id]);

  const back = area === 'seeker' ? { href: '/seeker/applications', label: '応募・紹介状況の一覧へ戻る' }
    : area === 'facility' ? { href: '/facility/applicants', label: '紹介された求職者の一覧へ戻る' }
      : { href: '/center/applications', label: '応募・紹介の一覧へ戻る' };

  const o = app?.offer;
  const title = app ? (area === 'seeker' ? o?.title ?? '応募・紹介' : `${app.applicant?.name ?? '応募者'} さん／${o?.title ?? ''}`) : '応募・紹介の詳細';
  const help = app ? (area === 'seeker' ? NURSE_HELP[app.state] : area === 'facility' ? FACILITY_HELP[app.state] : undefined) : undefined;
  const offerHref = o ? (area === 'facility' ? `/facility/offers/${o.id}` : o.offer_no ? `/offers/${encodeURIComponent(o.offer_no)}` : null) : null;

  return (
    <Page title={title} wide>
      <p><Link href={back.href}>{back.label}</Link></p>
      {error ? <LoadError message={error} onRetry={load} /> : !app || !o ? <Spinner /> : (
        <div class="app-layout">
          <section class="card app-main" aria-labelledby="app-state-h">
              <div class="status-line">
                <h2 id="app-state-h">現在の状況</h2>
                <StateBadge state={app.state} label={app.state_label} />
              </div>
              {help && <p class="app-help">{help}</p>}
              <dl class="dl">
                <dt>求人</dt>
                <dd>{offerHref ? <Link href={offerHref}>{o.title}</Link> : o.title}{o.offer_no ? `（求人番号 ${o.offer_no}）` : ''}</dd>
                <dt>施設</dt><dd>{o.facility_name}（{codes.name('prefectures', o.prefecture)}{o.municipality_name}）</dd>
                <dt>きっかけ</dt><dd>{ORIGIN_LABEL[app.origin] ?? app.origin}</dd>
                <dt>受付日時</dt><dd>{formatDateTime(app.created_at)}</dd>
                {app.referral_no && <><dt>紹介番号</dt><dd class="offer-no">{app.referral_no}</dd></>}
                {app.interview_date && <><dt>面接日</dt><dd>{formatDate(app.interview_date)}</dd></>}
                {app.decision_reason && <><dt>理由</dt><dd>{codes.reasonName(app.decision_reason)}</dd></>}
                {app.start_date && <><dt>就職日</dt><dd>{formatDate(app.start_date)}</dd></>}
                {app.employment_form && <><dt>雇用形態</dt><dd>{codes.name('employment_forms', app.employment_form)}</dd></>}
                {app.permanent !== null && app.permanent !== undefined && <><dt>常用</dt><dd>{app.permanent ? '常用' : '常用以外'}</dd></>}
                {area !== 'facility' && app.next_check && (
                  <><dt>次の定着確認</dt><dd>{nextCheckText(app.next_check)}{overdue(app.next_check) && <> <span class="badge badge-overdue">期限超過</span></>}</dd></>
                )}
                {app.left_date && <><dt>離職日</dt><dd>{formatDate(app.left_date)}{app.left_within_6m ? '（6か月以内の離職）' : ''}</dd></>}
              </dl>
              {app.referral_no && <p class="mt"><LetterLink app={app} /></p>}
          </section>
          <div class="app-side">
            <ActionPanel app={app} codes={codes} onDone={setApp}
              intro={area === 'seeker' ? <p class="muted">次の手続きができます。</p> : undefined} />
            {!app.actions?.length && (
              <section class="card" aria-labelledby="app-actions-h">
                <h2 id="app-actions-h">手続き</h2>
                <p>{area === 'seeker' ? '現在、あなたが行う手続きはありません。' : '現在の状況で行える手続きはありません。'}</p>
              </section>
            )}
          </div>
          <div class="app-rest">

            {area !== 'seeker' && (
              <section class="card" aria-labelledby="app-applicant-h">
                <h2 id="app-applicant-h">応募者</h2>
                <ApplicantFacts a={app.applicant} codes={codes} />
                {area === 'center' && typeof app.applicant?.id === 'number' && (
                  <p class="card-links">
                    <Link href={`/people/${app.applicant.id}`}>求職者の記録を開く</Link>
                    <Link href={`/center/applications?seeker_id=${app.applicant.id}`}>この求職者の応募・紹介</Link>
                  </p>
                )}
                {area === 'facility' && <p class="muted">応募者の連絡先は、紹介状またはナースセンターを通じてご確認ください。</p>}
              </section>
            )}

            {area === 'center' && app.due && (app.due.m1 || app.due.m3 || app.due.m6) && (
              <section class="card" aria-labelledby="app-checks-h">
                <h2 id="app-checks-h">定着確認</h2>
                <dl class="dl">
                  {(['m1', 'm3', 'm6'] as const).map((k) => (
                    <Fragment key={k}><dt>{k === 'm1' ? '1か月' : k === 'm3' ? '3か月' : '6か月'}</dt>
                      <dd>{app.due?.[k] ? `${formatDate(app.due[k])}以降` : '—'}　{app.checks?.[k] ? `確認済（${CHECK_RESULT_LABEL[app.checks[k]!] ?? app.checks[k]}）` : '未確認'}</dd></Fragment>
                  ))}
                </dl>
              </section>
            )}

            <section class="card" aria-labelledby="app-history-h">
              <h2 id="app-history-h">経過</h2>
              <Timeline events={app.events ?? []} codes={codes} />
            </section>
          </div>
        </div>
      )}
    </Page>
  );
}
