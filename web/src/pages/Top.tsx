// Public top page: kept in the entry chunk, so it stays lean.
import { useEffect, useState } from 'preact/hooks';
import { loadRef, type Ref } from '../api';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { Page } from '../ui/Page';
import { SelectField, TextField } from '../ui/Field';

export function Top() {
  const session = useSession();
  const [ref, setRef] = useState<Ref | null>(null);
  const [q, setQ] = useState({ keyword: '', prefecture: '', licence: '' });
  useEffect(() => { loadRef().then(setRef, () => setRef(null)); }, []);

  const search = (e: Event) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (q.keyword.trim()) p.set('keyword', q.keyword.trim());
    if (q.prefecture) p.set('prefecture', q.prefecture);
    if (q.licence) p.set('licence', q.licence);
    const s = p.toString();
    navigate('/jobs' + (s ? '?' + s : ''));
  };

  return (
    <Page title="看護職のための無料職業紹介 ナースセンター" docTitle="ナースセンター｜看護職の無料職業紹介" lead={<>保健師・助産師・看護師・准看護師の方の就職・復職を、各都道府県のナースセンターが無料でお手伝いします。求人検索から相談、研修まで、すべて無料でご利用いただけます。</>}>
      <section class="card search-card" aria-labelledby="search-h">
        <h2 id="search-h">求人を探す</h2>
        <form role="search" aria-label="求人検索" onSubmit={search} class="search-form">
          <TextField name="keyword" label="キーワード" value={q.keyword} onValue={(v) => setQ({ ...q, keyword: v })}
            plain hint="例：夜勤なし 透析 東京（スペースで区切ると、すべてを含む求人を探します）" maxLength={100} autocomplete="off" enterkeyhint="search" />
          <div class="grid-2">
            <SelectField name="prefecture" plain label="勤務地（都道府県）" value={q.prefecture} onValue={(v) => setQ({ ...q, prefecture: v })}
              placeholder="すべての都道府県" options={(ref?.prefectures ?? []).map((p) => ({ value: p.code, label: p.name }))} />
            <SelectField name="licence" plain label="資格" value={q.licence} onValue={(v) => setQ({ ...q, licence: v })}
              placeholder="すべての資格" options={(ref?.licence_types ?? []).map((p) => ({ value: p.code, label: p.name }))} />
          </div>
          <button type="submit" class="btn btn-primary btn-wide">この条件で検索する</button>
          <p class="mt"><Link href="/jobs">勤務形態・施設の種類・給与などの詳しい条件で探す</Link></p>
        </form>
      </section>

      <section aria-labelledby="start-h" class="section">
        <h2 id="start-h">はじめての方へ</h2>
        {session.status === 'user' ? (
          <p><Link href="/home">ホームへ進む</Link></p>
        ) : (
          <div class="grid-2">
            <div class="card">
              <h3>看護職の方（求職者）</h3>
              <p>求職者登録をすると、求人への紹介の依頼や、希望に合う求人のお知らせ、就業相談をご利用いただけます。</p>
              <Link href="/register/nurse" class="btn btn-primary">求職者として登録する</Link>
            </div>
            <div class="card">
              <h3>医療機関・施設の方</h3>
              <p>施設を登録すると、ナースセンターの審査の後に求人票を掲載できます。掲載・紹介の手数料はかかりません。</p>
              <Link href="/register/facility" class="btn btn-secondary">施設を登録する</Link>
            </div>
          </div>
        )}
        {session.status !== 'user' && <p class="mt">登録済みの方は <Link href="/login">ログイン</Link> してください。</p>}
      </section>

      <section aria-labelledby="links-h" class="section">
        <h2 id="links-h">ナースセンターのご案内</h2>
        <ul class="link-cards">
          <li><Link href="/events"><strong>イベント</strong><span>就職相談会・施設見学会などの日程をご案内します。</span></Link></li>
          <li><Link href="/trainings"><strong>研修</strong><span>ブランクのある方向けの復職支援研修などをご案内します。</span></Link></li>
          <li><Link href="/centers"><strong>ナースセンター一覧</strong><span>お近くのナースセンターの所在地・電話番号をご覧いただけます。</span></Link></li>
          <li><Link href="/notify"><strong>看護職の届出</strong><span>病院などを離職したときの届出（看護師等の届出制度）を、インターネットでできます。</span></Link></li>
        </ul>
      </section>
    </Page>
  );
}
