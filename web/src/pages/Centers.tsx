import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, get, MSG } from '../api';
import { telHref } from '../format';
import { Page } from '../ui/Page';
import { EmptyState, LoadError, Spinner } from '../ui/Feedback';
import { TextField } from '../ui/Field';

type Center = { prefecture: string; prefecture_name: string; name: string; postal_code?: string; address?: string; phone?: string; url?: string };

export function Centers() {
  const [items, setItems] = useState<Center[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const load = () => {
    setError(null);
    get<{ items: Center[] }>('/centers').then((r) => setItems(r.items || []),
      (e) => setError(e instanceof ApiError ? e.message : MSG.generic));
  };
  useEffect(load, []);
  const shown = useMemo(() => {
    const f = filter.normalize('NFKC').trim();
    if (!items || !f) return items ?? [];
    return items.filter((c) => (c.prefecture_name + c.name + (c.address ?? '')).normalize('NFKC').includes(f));
  }, [items, filter]);

  return (
    <Page title="ナースセンター一覧" lead="全国47都道府県のナースセンターの所在地と連絡先です。お住まいの地域のナースセンターで、就業相談や求人の紹介を受けられます。">
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : (
        <>
          <div class="filter-bar">
            <TextField name="center-filter" plain label="都道府県名・地名で絞り込む" value={filter} onValue={setFilter} autocomplete="off" />
            <p class="muted" aria-live="polite">{shown.length}件を表示しています</p>
          </div>
          {shown.length === 0 ? <EmptyState title="該当するナースセンターはありません">別の地名でお試しください。</EmptyState> : (
            <ul class="center-list">
              {shown.map((c) => (
                <li class="card center" key={c.prefecture}>
                  <h2 class="center-name"><span class="badge">{c.prefecture_name}</span> {c.name}</h2>
                  <dl class="dl">
                    <dt>所在地</dt>
                    <dd>{c.postal_code ? `〒${c.postal_code} ` : ''}{c.address || '—'}</dd>
                    <dt>電話</dt>
                    <dd>{c.phone ? <a href={telHref(c.phone)}>{c.phone}<span class="visually-hidden">（{c.name}に電話をかける）</span></a> : '—'}</dd>
                    <dt>ウェブサイト</dt>
                    <dd>{c.url ? <a href={c.url} target="_blank" rel="noopener noreferrer">{c.url.replace(/^https?:\/\//, '').replace(/\/$/, '')}<span class="visually-hidden">（{c.name}のサイト、新しいタブで開きます）</span></a> : '—'}</dd>
                  </dl>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}
