// Public job search (求人を探す, /jobs) and the public offer page
// (/offers/:offerNo). Anonymous; all search state lives in the URL so a
// result list can be shared and Back works.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get, loadMunicipalities, MSG, type Code } from '../api';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { formatDate, formatDateTime } from '../format';
import { Page } from '../ui/Page';
import { TextField } from '../ui/Field';
import { EmptyState, LoadError, Spinner } from '../ui/Feedback';
import {
  AGE_EXCEPTION_LABEL, apiQuery, CONTRACT_LABEL, FACET_TITLE, filterCount, FLAG_CODES, FLAG_LABEL, formatWage,
  HOURLY_MIN_OPTIONS, lastSearchUrl, minLabel, MONTHLY_MIN_OPTIONS, parseSearch, PER_PAGE, rememberSearch,
  RENEWAL_LABEL, searchString, SMOKING_LABEL, SORT_OPTIONS, WAGE_TYPE_LABEL, yen,
  type FacetKey, type Names, type OfferItem, type PublicOffer, type SearchResult, type SearchState, useNames,
} from './jobParts';
import { ApplyShortcut, OfferApply, SaveSearchButton } from './jobsSeeker';
import { describeQuery, toSavedQuery } from './matchModel';
import './jobs.css';

// ---- helpers ---------------------------------------------------------------

function useWide(query = '(min-width: 960px)') {
  const mq = useMemo(() => matchMedia(query), [query]);
  const [wide, setWide] = useState(mq.matches);
  useEffect(() => {
    const fn = () => setWide(mq.matches);
    mq.addEventListener('change', fn);
    return () => mq.removeEventListener('change', fn);
  }, [mq]);
  return wide;
}

/** Municipalities of the one chosen prefecture ([] otherwise). */
function useMunis(s: SearchState): Code[] {
  const onePref = s.lists.prefecture.length === 1 ? s.lists.prefecture[0] : '';
  const [munis, setMunis] = useState<Code[]>([]);
  useEffect(() => {
    setMunis([]);
    if (!onePref) return;
    let live = true;
    loadMunicipalities(onePref).then((m) => { if (live) setMunis(m); }, () => {});
    return () => { live = false; };
  }, [onePref]);
  return munis;
}

const REGIONS: [string, number, number][] = [
  ['北海道・東北', 1, 7], ['関東', 8, 14], ['中部', 15, 23], ['近畿', 24, 30],
  ['中国', 31, 35], ['四国', 36, 39], ['九州・沖縄', 40, 47],
];

// Results of the last searches, so Back shows the list at once.
const cache = new Map<string, SearchResult>();
let openedNo: string | null = null;
let openedFromSearch = false;

function badParamMessage(e: ApiError): string {
  const f = e.field || '';
  if (f === 'q') return 'キーワードは100文字以内で入力してください。';
  const t = (FACET_TITLE as Record<string, string>)[f];
  return t ? `「${t}」の指定が正しくありません。条件を選び直してください。` : '検索条件を見直してください。';
}

// ---- 求人を探す -------------------------------------------------------------

export function JobSearch() {
  const loc = useLocation();
  const s = useMemo(() => parseSearch(loc.search), [loc.search]);
  const names = useNames();
  const munis = useMunis(s);
  const wide = useWide();
  const key = JSON.stringify(apiQuery(s));
  const [data, setData] = useState<SearchResult | null>(() => cache.get(key) ?? null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!cache.has(key));
  const [retry, setRetry] = useState(0);
  const [kw, setKw] = useState(s.keyword);
  const [open, setOpen] = useState(false);
  const resultsH = useRef<HTMLHeadingElement>(null);
  const focusResults = useRef(false);

  useEffect(() => { setKw(s.keyword); }, [s.keyword]);
  useEffect(() => { rememberSearch('/jobs' + loc.search); }, [loc.search]);

  useEffect(() => {
    const ctl = new AbortController();
    const hit = cache.get(key);
    if (hit) { setData(hit); setError(null); setLoading(false); }
    else setLoading(true);
    get<SearchResult>('/offers', apiQuery(s), { signal: ctl.signal }).then((r) => {
      cache.set(key, r);
      if (cache.size > 30) cache.delete(cache.keys().next().value as string);
      setData(r); setError(null); setLoading(false);
    }, (e: ApiError) => {
      if (e.code === 'aborted') return;
      setError(e); setLoading(false);
    });
    return () => ctl.abort();
  }, [key, retry]);

  // After paging, move to the top of the results; after Back from an offer,
  // return to the card that was opened.
  useEffect(() => {
    if (loading || !data) return;
    if (focusResults.current) {
      focusResults.current = false;
      resultsH.current?.focus();
      resultsH.current?.scrollIntoView({ block: 'start' });
    } else if (openedNo) {
      const a = document.querySelector<HTMLAnchorElement>(`a[data-offer="${openedNo}"]`);
      openedNo = null;
      a?.focus();
    }
  }, [loading, data]);

  const go = (next: SearchState, opts: { focus?: boolean } = {}) => {
    if (opts.focus) focusResults.current = true;
    navigate('/jobs' + searchString(next));
  };
  const change = (fn: (n: SearchState) => void) => {
    const n: SearchState = { ...s, lists: { ...s.lists }, page: 1 };
    fn(n);
    go(n);
  };
  const toggle = (k: FacetKey, code: string, on: boolean) => change((n) => {
    const set = new Set(n.lists[k]);
    if (on) set.add(code); else set.delete(code);
    n.lists[k] = [...set];
    if (k === 'prefecture') n.municipality = '';
  });
  const clearAll = () => go({ ...parseSearch(''), keyword: s.keyword, sort: s.sort });

  const submit = (e: Event) => {
    e.preventDefault();
    setOpen(false);
    go({ ...s, keyword: kw.trim(), page: 1 });
  };

  const n = filterCount(s);
  const total = data?.total ?? 0;
  const qError = error?.status === 400 && error.field === 'q';
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));

  const filterBody = (
    <Filters s={s} data={data} names={names} munis={munis} toggle={toggle} change={change} />
  );

  return (
    <Page title="求人を探す" wide lead="全国のナースセンターに寄せられた看護職の求人票を検索できます。">
      <form role="search" aria-label="求人票のキーワード検索" class="job-search" onSubmit={submit}>
        <TextField name="keyword" label="キーワード" type="search" plain value={kw} onValue={setKw}
          placeholder="例：夜勤なし 透析 東京" maxLength={100} autocomplete="off" enterkeyhint="search"
          hint="複数の言葉をスペースで区切ると、すべてを含む求人票を探します。"
          error={qError ? badParamMessage(error!) : null} />
        <button type="submit" class="btn btn-primary">検索</button>
      </form>

      <div class="jobs-layout">
        <section class="filters card" aria-labelledby="filters-h">
          {wide ? (
            <h2 id="filters-h" class="filters-title">絞り込み条件{n > 0 && <span class="badge">{n}件指定中</span>}</h2>
          ) : (
            <h2 id="filters-h" class="filters-title">
              <button type="button" class="filters-toggle" aria-expanded={open ? 'true' : 'false'} aria-controls="filters-body"
                onClick={() => setOpen(!open)}>
                <span>絞り込み条件</span>
                {n > 0 && <span class="badge">{n}件指定中</span>}
                <span class="chevron" aria-hidden="true">{open ? '▲' : '▼'}</span>
              </button>
            </h2>
          )}
          <div id="filters-body" class="filters-body" hidden={!wide && !open}>
            {filterBody}
            <div class="filters-actions">
              {!wide && (
                <button type="button" class="btn btn-primary" onClick={() => {
                  setOpen(false);
                  resultsH.current?.focus();
                  resultsH.current?.scrollIntoView({ block: 'start' });
                }}>検索結果を見る（{total.toLocaleString('ja-JP')}件）</button>
              )}
              {n > 0 && <button type="button" class="btn btn-secondary" onClick={clearAll}>条件をすべて解除</button>}
            </div>
          </div>
        </section>

        <section class="results" aria-labelledby="results-h" aria-busy={loading ? 'true' : 'false'}>
          <div class="results-head">
            <h2 id="results-h" tabIndex={-1} ref={resultsH}>検索結果</h2>
            <div class="results-tools">
              <SaveSearchButton apiQuery={apiQuery(s)} suggest={describeQuery(toSavedQuery(apiQuery(s)), names.ref) || 'すべての求人'} />
              <div class="sort">
                <label for="f-sort">並び順</label>
                <select id="f-sort" value={s.sort || 'newest'}
                  onChange={(e) => change((x) => { x.sort = (e.currentTarget as HTMLSelectElement).value; })}>
                  {SORT_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                </select>
              </div>
            </div>
          </div>
          <p class="result-count" role="status">
            {loading ? '検索しています…'
              : error ? ''
                : data ? <><strong>{total.toLocaleString('ja-JP')}件</strong>の求人票が見つかりました{total > 0 && `（${(s.page - 1) * PER_PAGE + 1}〜${Math.min(total, s.page * PER_PAGE)}件目を表示）`}</> : ''}
          </p>
          <Chosen s={s} names={names} munis={munis} toggle={toggle} change={change} />

          {error ? (
            error.status === 400 ? (
              <div class="notice notice-error" role="alert">
                <p><strong>{error.message}</strong></p>
                <p>{badParamMessage(error)}</p>
                {!qError && <p><Link href="/jobs">条件を指定せずに探す</Link></p>}
              </div>
            ) : <LoadError message={error.message} onRetry={() => setRetry(retry + 1)} />
          ) : !data ? (
            <Spinner label="求人票を検索しています" />
          ) : data.items.length === 0 ? (
            <EmptyState title="条件に合う求人票は見つかりませんでした">
              <p>次のことをお試しください。</p>
              <ul class="empty-tips">
                {s.keyword && <li>キーワードを減らすか、別の言葉（例：「病棟」「訪問」「クリニック」）に変える</li>}
                {n > 0 && <li>絞り込み条件を減らす</li>}
                <li>勤務地を近隣の都道府県に広げる</li>
              </ul>
              <p class="empty-actions">
                {n > 0 && <button type="button" class="btn btn-secondary" onClick={clearAll}>絞り込み条件を解除する</button>}
                {s.keyword && <Link class="btn btn-secondary" href={'/jobs' + searchString({ ...s, keyword: '', page: 1 })}>キーワードを外して探す</Link>}
              </p>
              <p>希望に合う求人が見つからないときは、<Link href="/centers">お近くのナースセンター</Link>にご相談ください。求職者登録をすると、新しい求人をお知らせします。</p>
            </EmptyState>
          ) : (
            <>
              <ul class="job-list">
                {data.items.map((it) => <JobCard key={it.offer_no} it={it} names={names} />)}
              </ul>
              {pages > 1 && (
                <nav class="pager" aria-label="検索結果のページ送り">
                  <p class="pager-status">{s.page}/{pages}ページ</p>
                  <div class="pager-buttons">
                    {s.page > 1 && <Link class="btn btn-secondary" href={'/jobs' + searchString({ ...s, page: s.page - 1 })}
                      onClick={() => { focusResults.current = true; }}>前のページ</Link>}
                    {s.page < pages && <Link class="btn btn-secondary" href={'/jobs' + searchString({ ...s, page: s.page + 1 })}
                      onClick={() => { focusResults.current = true; }}>次のページ</Link>}
                  </div>
                </nav>
              )}
            </>
          )}
        </section>
      </div>
    </Page>
  );
}

function optLabel(name: string, count: number | undefined) {
  return `${name} (${(count ?? 0).toLocaleString('ja-JP')})`;
}

function Checks({ k, options, s, counts, toggle }: {
  k: FacetKey; options: Code[]; s: SearchState; counts?: Record<string, number>;
  toggle: (k: FacetKey, code: string, on: boolean) => void;
}) {
  return (
    <div class="checks facet-checks">
      {options.map((o) => {
        const c = counts?.[o.code] ?? 0;
        const on = s.lists[k].includes(o.code);
        return (
          <label class={`checkbox${!c && !on ? ' is-zero' : ''}`} key={o.code}>
            <input type="checkbox" name={k} value={o.code} checked={on}
              onChange={(e) => toggle(k, o.code, (e.currentTarget as HTMLInputElement).checked)} />
            <span>{optLabel(o.name, c)}</span>
          </label>
        );
      })}
    </div>
  );
}

function Group({ title, id, children, open, count }: { title: string; id: string; children: ComponentChildren; open?: boolean; count?: number }) {
  // Open at first as asked; afterwards the visitor's toggling rules (a
  // controlled `open` would snap shut when the last choice is removed).
  const [initial] = useState(!!open);
  return (
    <details class="facet" open={initial}>
      <summary id={id + '-s'}>{title}{count ? <span class="badge">{count}</span> : null}</summary>
      <fieldset class="facet-set">
        <legend class="visually-hidden">{title}</legend>
        {children}
      </fieldset>
    </details>
  );
}

function Filters({ s, data, names, munis, toggle, change }: {
  s: SearchState; data: SearchResult | null; names: Names; munis: Code[];
  toggle: (k: FacetKey, code: string, on: boolean) => void;
  change: (fn: (n: SearchState) => void) => void;
}) {
  const f = data?.facets ?? {};
  const prefs = names.options('prefectures');
  const onePref = s.lists.prefecture.length === 1 ? s.lists.prefecture[0] : '';
  const flagOpts = FLAG_CODES.map((c) => ({ code: c, name: FLAG_LABEL[c] }));
  const selectOpts = (list: number[], cur: string) => {
    const vals = list.map(String);
    if (cur && !vals.includes(cur)) vals.push(cur);
    return vals;
  };
  return (
    <>
      <Group title="都道府県" id="g-prefecture" open={s.lists.prefecture.length > 0} count={s.lists.prefecture.length}>
        {REGIONS.map(([region, from, to]) => (
          <div class="region" role="group" aria-labelledby={`region-${from}`} key={region}>
            <p class="region-name" id={`region-${from}`}>{region}</p>
            <Checks k="prefecture" s={s} counts={f.prefecture} toggle={toggle}
              options={prefs.filter((p) => +p.code >= from && +p.code <= to)} />
          </div>
        ))}
      </Group>
      {onePref && (
        <div class="field facet-field">
          <label class="field-label" for="f-municipality">市区町村（{names.name('prefectures', onePref)}）</label>
          <select id="f-municipality" value={s.municipality}
            onChange={(e) => change((n) => { n.municipality = (e.currentTarget as HTMLSelectElement).value; })}>
            <option value="">すべての市区町村</option>
            {s.municipality && !munis.some((m) => m.code === s.municipality) && <option value={s.municipality}>{s.municipality}</option>}
            {munis.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
          </select>
        </div>
      )}
      <Group title="資格" id="g-licence" open count={s.lists.licence.length}>
        <Checks k="licence" s={s} counts={f.licence} toggle={toggle} options={names.options('licence_types')} />
      </Group>
      <Group title="雇用形態" id="g-employment" open count={s.lists.employment_form.length}>
        <Checks k="employment_form" s={s} counts={f.employment_form} toggle={toggle} options={names.options('employment_forms')} />
      </Group>
      <Group title="勤務形態" id="g-shift" open count={s.lists.shift.length}>
        <Checks k="shift" s={s} counts={f.shift} toggle={toggle} options={names.options('shift_patterns')} />
      </Group>
      <Group title="施設の種類" id="g-ftype" open={s.lists.facility_type.length > 0} count={s.lists.facility_type.length}>
        <Checks k="facility_type" s={s} counts={f.facility_type} toggle={toggle} options={names.options('facility_types')} />
      </Group>
      <Group title="特徴" id="g-flags" open count={s.lists.flags.length}>
        <Checks k="flags" s={s} counts={f.flags} toggle={toggle} options={flagOpts} />
      </Group>
      <div class="grid-2 wage-mins">
        <div class="field facet-field">
          <label class="field-label" for="f-wage_monthly_min">月給の下限</label>
          <select id="f-wage_monthly_min" value={s.wage_monthly_min}
            onChange={(e) => change((n) => { n.wage_monthly_min = (e.currentTarget as HTMLSelectElement).value; })}>
            <option value="">指定なし</option>
            {selectOpts(MONTHLY_MIN_OPTIONS, s.wage_monthly_min).map((v) => <option key={v} value={v}>{/^\d+$/.test(v) ? minLabel(+v) : v}</option>)}
          </select>
        </div>
        <div class="field facet-field">
          <label class="field-label" for="f-wage_hourly_min">時給の下限</label>
          <select id="f-wage_hourly_min" value={s.wage_hourly_min}
            onChange={(e) => change((n) => { n.wage_hourly_min = (e.currentTarget as HTMLSelectElement).value; })}>
            <option value="">指定なし</option>
            {selectOpts(HOURLY_MIN_OPTIONS, s.wage_hourly_min).map((v) => <option key={v} value={v}>{/^\d+$/.test(v) ? minLabel(+v) : v}</option>)}
          </select>
        </div>
      </div>
    </>
  );
}

/** The chosen conditions as removable chips. */
function Chosen({ s, names, munis, toggle, change }: {
  s: SearchState; names: Names; munis: Code[];
  toggle: (k: FacetKey, code: string, on: boolean) => void;
  change: (fn: (n: SearchState) => void) => void;
}) {
  const chips: { label: string; remove: () => void }[] = [];
  const list: Record<FacetKey, (c: string) => string> = {
    prefecture: (c) => names.name('prefectures', c),
    licence: (c) => names.name('licence_types', c),
    employment_form: (c) => names.name('employment_forms', c),
    shift: (c) => names.name('shift_patterns', c),
    facility_type: (c) => names.name('facility_types', c),
    flags: (c) => FLAG_LABEL[c] ?? c,
  };
  for (const k of Object.keys(list) as FacetKey[]) {
    for (const c of s.lists[k]) chips.push({ label: list[k](c), remove: () => toggle(k, c, false) });
    if (k === 'prefecture' && s.municipality) {
      chips.push({ label: munis.find((m) => m.code === s.municipality)?.name ?? `市区町村（${s.municipality}）`, remove: () => change((n) => { n.municipality = ''; }) });
    }
  }
  if (s.wage_monthly_min) chips.push({ label: `月給 ${/^\d+$/.test(s.wage_monthly_min) ? minLabel(+s.wage_monthly_min) : s.wage_monthly_min}`, remove: () => change((n) => { n.wage_monthly_min = ''; }) });
  if (s.wage_hourly_min) chips.push({ label: `時給 ${/^\d+$/.test(s.wage_hourly_min) ? minLabel(+s.wage_hourly_min) : s.wage_hourly_min}`, remove: () => change((n) => { n.wage_hourly_min = ''; }) });
  if (!chips.length) return null;
  return (
    <ul class="chips" aria-label="指定中の絞り込み条件">
      {chips.map((c) => (
        <li key={c.label}>
          <button type="button" class="chip" onClick={c.remove} aria-label={`${c.label}の条件を外す`}>
            <span>{c.label}</span><span aria-hidden="true" class="chip-x">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function Flags({ codes }: { codes: string[] | undefined }) {
  if (!codes?.length) return null;
  return (
    <ul class="flag-list" aria-label="特徴">
      {codes.map((c) => <li key={c} class={`badge flag flag-${c}`}>{FLAG_LABEL[c] ?? c}</li>)}
    </ul>
  );
}

function JobCard({ it, names }: { it: OfferItem; names: Names }) {
  const shifts = it.shift_patterns.map((c) => names.name('shift_patterns', c)).join('・');
  return (
    <li class="job-card">
      <h3 class="job-title">
        <Link href={`/offers/${encodeURIComponent(it.offer_no)}`} data-offer={it.offer_no}
          onClick={() => { openedNo = it.offer_no; openedFromSearch = true; }}>{it.title}</Link>
      </h3>
      <p class="job-facility">{it.facility_name}</p>
      <p class="job-wage">{formatWage(it.wage_type, it.wage_min)}</p>
      <dl class="job-facts">
        <div><dt>勤務地</dt><dd>{names.name('prefectures', it.prefecture)}{it.municipality_name}</dd></div>
        <div><dt>雇用形態</dt><dd>{names.name('employment_forms', it.employment_form) || '—'}</dd></div>
        {shifts && <div><dt>勤務形態</dt><dd>{shifts}</dd></div>}
        <div><dt>施設の種類</dt><dd>{names.name('facility_types', it.facility_type)}</dd></div>
        <div><dt>掲載期限</dt><dd>{formatDate(it.valid_until)}まで</dd></div>
      </dl>
      <Flags codes={it.flags} />
    </li>
  );
}

// ---- 求人票 (/offers/:offerNo) ---------------------------------------------

function Row({ label, children }: { label: string; children?: ComponentChildren }) {
  if (children === undefined || children === null || children === '' || children === false) return null;
  return <><dt>{label}</dt><dd>{children}</dd></>;
}

function Section({ title, id, children }: { title: string; id: string; children: ComponentChildren }) {
  return (
    <section class="card offer-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <dl class="dl">{children}</dl>
    </section>
  );
}

const txt = (s: string | undefined | null) => (s && s.trim() ? <span class="pre">{s}</span> : undefined);
const num = (n: number | undefined | null, unit: string) => (n === undefined || n === null ? undefined : `${n.toLocaleString('ja-JP')}${unit}`);

export function OfferPage({ params }: { params: { offerNo: string } }) {
  const no = params.offerNo;
  const names = useNames();
  const [offer, setOffer] = useState<PublicOffer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [retry, setRetry] = useState(0);
  const fromSearch = useRef(openedFromSearch);
  const signedIn = useSession().status === 'user';
  openedFromSearch = false;

  useEffect(() => {
    const ctl = new AbortController();
    setError(null);
    get<{ offer: PublicOffer }>('/offers/' + encodeURIComponent(no), undefined, { signal: ctl.signal })
      .then((r) => setOffer(r.offer), (e: ApiError) => { if (e.code !== 'aborted') setError(e); });
    return () => ctl.abort();
  }, [no, retry]);

  const back = (
    <p class="offer-back">
      <Link href={lastSearchUrl()} onClick={(e) => {
        if (fromSearch.current) { e.preventDefault(); history.back(); }
      }}>← 検索結果に戻る</Link>
    </p>
  );

  if (error?.status === 404) {
    return (
      <Page title="この求人票は掲載が終了したか、見つかりません">
        <p>求人番号「{no}」の求人票は、募集が終了したか、掲載期限を過ぎたため表示できません。求人番号に誤りがないかもご確認ください。</p>
        <p>ほかの求人票は「求人を探す」から検索できます。</p>
        <p><Link class="btn btn-primary" href="/jobs">求人を探す</Link></p>
        <p>この求人についてのお問い合わせは、<Link href="/centers">お近くのナースセンター</Link>へどうぞ。</p>
      </Page>
    );
  }
  if (error) {
    return (
      <Page title="求人票">
        <LoadError message={error.message || MSG.generic} onRetry={() => setRetry(retry + 1)} />
        {back}
      </Page>
    );
  }
  // Wait for the code names too: the document title names the prefecture.
  if (!offer || !names.done) {
    return <Page title="求人票"><Spinner label="求人票を読み込んでいます" /></Page>;
  }

  const b = offer.body;
  const fac = offer.facility;
  const wp = b.workplace ?? {};
  const pref = (wp.municipality_code || '').slice(0, 2) || fac.prefecture;
  const place = `${names.name('prefectures', pref)}${fac.municipality_name || ''}`;
  const c = b.contract ?? {};
  const pr = b.probation ?? {};
  const hr = b.hours ?? {};
  const hol = b.holidays ?? {};
  const w = b.wage ?? {};
  const ins = b.insurance ?? {};
  const age = b.age ?? {};
  const title = b.title || '求人票';
  const list = (codes: string[] | undefined, l: Parameters<Names['name']>[0]) =>
    codes?.length ? codes.map((x) => names.name(l, x)).join('、') : undefined;
  const insured = ([['employment', '雇用保険'], ['health', '健康保険'], ['pension', '厚生年金'], ['workers_comp', '労災保険']] as const)
    .filter(([k]) => (ins as Record<string, boolean | undefined>)[k]).map(([, l]) => l);

  return (
    <Page title={title} docTitle={`${title}｜${fac.name}（${place}）｜ナースセンター`}>
      {back}
      <section class="card offer-summary" aria-label="求人の概要">
        <p class="offer-facility">{fac.name}</p>
        <p class="offer-wage">{formatWage(w.type, w.base_min, w.base_max)}</p>
        <dl class="job-facts">
          <div><dt>勤務地</dt><dd>{place}</dd></div>
          <div><dt>雇用形態</dt><dd>{names.name('employment_forms', b.employment_form) || '—'}</dd></div>
          {hr.shift_patterns?.length ? <div><dt>勤務形態</dt><dd>{list(hr.shift_patterns, 'shift_patterns')}</dd></div> : null}
          <div><dt>求人番号</dt><dd class="offer-no">{offer.offer_no}</dd></div>
          <div><dt>掲載期限</dt><dd>{formatDate(offer.valid_until)}まで</dd></div>
          <div><dt>掲載開始</dt><dd>{formatDateTime(offer.published_at)}</dd></div>
        </dl>
        <Flags codes={b.flags} />
        {b.pr && <p class="offer-pr pre">{b.pr}</p>}
        <ApplyShortcut target="sec-how" />
      </section>

      <Section title="仕事の内容と契約" id="sec-duties">
        <Row label="業務内容">{txt(b.duties?.description)}</Row>
        <Row label="業務内容の変更の範囲">{txt(b.duties?.change_scope)}</Row>
        <Row label="契約期間">{c.type ? (CONTRACT_LABEL[c.type] ?? c.type) + (c.type === 'fixed' && (c.start || c.end) ? `（${c.start ? formatDate(c.start) : ''}〜${c.end ? formatDate(c.end) : ''}）` : '') : undefined}</Row>
        {c.type === 'fixed' && <>
          <Row label="契約の更新">{c.renewal ? RENEWAL_LABEL[c.renewal] ?? c.renewal : undefined}</Row>
          <Row label="更新の判断基準">{txt(c.renewal_criteria)}</Row>
          <Row label="更新の上限">{c.renewal_cap === undefined ? undefined : c.renewal_cap
            ? ['あり', c.max_renewals ? `更新${c.max_renewals}回まで` : '', c.max_total_months ? `通算${c.max_total_months}か月まで` : ''].filter(Boolean).join('・')
            : 'なし'}</Row>
        </>}
        <Row label="試用期間">{pr.present === undefined ? undefined : pr.present
          ? `あり${pr.months ? `（${pr.months}か月）` : ''}・${pr.conditions_differ ? '試用期間中の労働条件は異なります' : '試用期間中の労働条件は本採用と同じです'}`
          : 'なし'}</Row>
        {pr.present && pr.conditions_differ && <Row label="試用期間中の労働条件">{txt(pr.conditions)}</Row>}
      </Section>

      <Section title="就業場所" id="sec-place">
        <Row label="所在地">{`${place}${wp.address ? (wp.address.startsWith(fac.municipality_name || '\u0000') ? wp.address.slice(fac.municipality_name.length) : wp.address) : ''}`}</Row>
        <Row label="最寄り駅">{wp.station}</Row>
        <Row label="交通アクセス">{txt(wp.access)}</Row>
        <Row label="就業場所の変更の範囲">{txt(wp.change_scope)}</Row>
      </Section>

      <Section title="就業時間と休日" id="sec-hours">
        <Row label="就業時間">{hr.start || hr.end ? `${hr.start ?? ''}〜${hr.end ?? ''}` : undefined}</Row>
        <Row label="勤務形態">{list(hr.shift_patterns, 'shift_patterns')}</Row>
        <Row label="休憩時間">{num(hr.break_minutes, '分')}</Row>
        <Row label="時間外労働">{hr.overtime === undefined ? undefined : hr.overtime
          ? `あり${hr.overtime_avg_hours !== undefined ? `（月平均${hr.overtime_avg_hours}時間）` : ''}` : 'なし'}</Row>
        <Row label="夜勤回数">{hr.night_shifts_per_month === undefined ? undefined : hr.night_shifts_per_month ? `月${hr.night_shifts_per_month}回程度` : 'なし'}</Row>
        <Row label="年間休日">{num(hol.annual_days, '日')}</Row>
        <Row label="休日">{txt(hol.pattern)}</Row>
      </Section>

      <Section title="賃金" id="sec-wage">
        <Row label="賃金形態">{w.type ? WAGE_TYPE_LABEL[w.type] ?? w.type : undefined}</Row>
        <Row label="基本給">{w.base_min !== undefined || w.base_max !== undefined
          ? `${w.base_min !== undefined ? yen(w.base_min) : ''}${w.base_max && w.base_max !== w.base_min ? `〜${yen(w.base_max)}` : ''}` : undefined}</Row>
        <Row label="手当">{txt(w.allowances)}</Row>
        <Row label="固定残業代">{w.fixed_overtime === undefined ? undefined : w.fixed_overtime
          ? `あり（${[w.fixed_overtime_hours !== undefined ? `時間外労働${w.fixed_overtime_hours}時間分` : '', w.fixed_overtime_amount !== undefined ? yen(w.fixed_overtime_amount) : ''].filter(Boolean).join('・')}。超える時間外労働の割増賃金は追加で支給します）`
          : 'なし'}</Row>
      </Section>

      <Section title="社会保険・受動喫煙対策・年齢制限" id="sec-other">
        <Row label="加入保険">{b.insurance ? (insured.length ? insured.join('、') : 'なし') : undefined}</Row>
        <Row label="受動喫煙対策">{b.smoking?.measure ? <>{SMOKING_LABEL[b.smoking.measure] ?? b.smoking.measure}{b.smoking.note ? <><br /><span class="pre">{b.smoking.note}</span></> : null}</> : undefined}</Row>
        <Row label="年齢制限">{age.max ? <>{`${age.max}歳以下`}{age.exception && <><br />{AGE_EXCEPTION_LABEL[age.exception] ?? age.exception}</>}{age.reason && <><br /><span class="pre">{age.reason}</span></>}</> : 'なし'}</Row>
      </Section>

      <Section title="応募資格と募集内容" id="sec-apply">
        <Row label="応募資格">{list(b.licences, 'licence_types')}</Row>
        <Row label="診療科">{list(b.departments, 'departments')}</Row>
        <Row label="特徴">{b.flags?.length ? b.flags.map((x) => FLAG_LABEL[x] ?? x).join('、') : undefined}</Row>
        <Row label="募集人数">{num(b.positions, '名')}</Row>
        <Row label="求人者">{b.employer?.name}</Row>
      </Section>

      <Section title="施設の情報" id="sec-facility">
        <Row label="施設名">{fac.name}</Row>
        <Row label="施設の種類">{names.name('facility_types', fac.facility_type)}</Row>
        <Row label="所在地">{`${names.name('prefectures', fac.prefecture)}${fac.municipality_name || ''}`}</Row>
        <Row label="病床数">{fac.beds ? `${fac.beds.toLocaleString('ja-JP')}床` : undefined}</Row>
        <Row label="診療科">{list(fac.departments, 'departments')}</Row>
      </Section>

      <section class="card offer-section offer-how" aria-labelledby="sec-how">
        <h2 id="sec-how">応募するには</h2>
        <p>ナースセンターがこの求人への紹介を無料で行います。求職者登録のうえ、ナースセンターに紹介を依頼してください。お問い合わせの際は、求人番号 <strong class="offer-no">{offer.offer_no}</strong> をお伝えください。</p>
        <OfferApply offerId={(offer as PublicOffer & { id?: number }).id} offerNo={offer.offer_no} title={title} />
        <p class="actions-row">
          {!signedIn && <Link class="btn btn-primary" href="/register/nurse">求職者として登録する</Link>}
          <Link class="btn btn-secondary" href="/centers">ナースセンターに相談する</Link>
        </p>
        <dl class="dl">
          <Row label="求人番号">{offer.offer_no}</Row>
          <Row label="掲載期限">{`${formatDate(offer.valid_until)}まで`}</Row>
        </dl>
      </section>
      {back}
    </Page>
  );
}
