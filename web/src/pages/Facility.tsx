// The facility's own screen (施設情報): profile and review state, the edit form
// and logins for the facility admin, read-only for facility staff.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, loadMunicipalities, patch, post, type Code, type FieldError, type Ref } from '../api';
import { useSession } from '../session';
import { hasDraft, useDraft } from '../draft';
import { formatDateTime } from '../format';
import { Checker, nfkc } from '../validate';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { CheckboxGroup, ErrorSummary, fieldId, RadioGroup, SelectField, TextArea, TextField } from '../ui/Field';
import { LoadError, Spinner, toast } from '../ui/Feedback';
import { useForm } from '../ui/form';
import {
  errText, FIELD_LABEL, HistorySection, LoginsTable, StatusBadge, ProfileView, useRefData,
  formatPostal, type Facility, type Login,
} from './facilityParts';

const opts = (list: Code[] | undefined) => (list ?? []).map((c) => ({ value: c.code, label: c.name }));

const STATUS_TEXT: Record<string, string> = {
  pending_review: '所在地の都道府県ナースセンターが登録内容を審査しています。審査が終わると、メールでお知らせします。',
  approved: 'ナースセンターの審査が完了し、承認されています。',
  returned: 'ナースセンターから施設情報の修正をお願いしています。理由を確認して施設情報を修正し、再審査を依頼してください。',
  closed: 'この施設の利用は終了しています。',
};

export function FacilityProfile() {
  const session = useSession();
  const user = session.status === 'user' ? session.user : null;
  const id = user?.facility_id;
  const isAdmin = user?.role === 'facility_admin';
  const { ref, error: refError, load: loadRefData } = useRefData();
  const [f, setF] = useState<Facility | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(() => !!id && hasDraft(`facility-${id}`));
  const [version, setVersion] = useState(0);
  const [submitting, setSubmitting] = useState(false);

  const load = () => {
    if (!id) return;
    setError(null);
    get<{ facility: Facility }>(`/facilities/${encodeURIComponent(String(id))}`)
      .then((r) => setF(r.facility), (e) => setError(errText(e)));
  };
  useEffect(load, [id]);

  if (!user) return null;
  if (!id) {
    return (
      <Page title="施設情報">
        <LoadError message="このアカウントには施設が登録されていません。ナースセンターにお問い合わせください。" />
      </Page>
    );
  }

  const saved = (nf: Facility) => {
    setF(nf);
    setEditing(false);
    setVersion((v) => v + 1);
    setTimeout(() => document.getElementById('edit-profile')?.focus(), 0);
  };

  const resubmit = async () => {
    if (submitting) return;
    setSubmitting(true);
    try {
      const r = await post<{ facility: Facility }>(`/facilities/${encodeURIComponent(String(id))}/submit`);
      setF(r.facility);
      setVersion((v) => v + 1);
      toast('再審査を依頼しました。審査が終わると、メールでお知らせします。');
    } catch (e) {
      toast(errText(e), 'error');
      if (e instanceof ApiError && e.status === 409) load();
    } finally {
      setSubmitting(false);
    }
  };

  const pageErr = error || refError;
  return (
    <Page title="施設情報" lead={isAdmin
      ? '施設の情報とナースセンターの審査の状況です。施設情報の変更と、担当者アカウントの追加ができます。'
      : '施設の情報とナースセンターの審査の状況です。変更は施設管理者が行います。'}>
      {pageErr ? <LoadError message={pageErr} onRetry={() => { load(); loadRefData(); }} /> : !f || !ref ? <Spinner /> : (
        <>
          <section class="card" aria-labelledby="status-h">
            <div class="status-line">
              <h2 id="status-h">審査の状況</h2>
              <StatusBadge status={f.status} />
            </div>
            <p>{STATUS_TEXT[f.status] ?? ''}</p>
            {f.status === 'returned' && f.review_reason && (
              <div class="reason">
                <p class="reason-title">差し戻しの理由</p>
                <p class="pre">{f.review_reason}</p>
              </div>
            )}
            {f.reviewed_at && f.status !== 'pending_review' && <p class="muted">審査日時：{formatDateTime(f.reviewed_at)}</p>}
            {f.status === 'returned' && isAdmin && (
              <div class="actions">
                <Button onClick={resubmit} busy={submitting} busyLabel="依頼しています">再審査を依頼する</Button>
                <span class="muted">施設情報を修正してから依頼してください。</span>
              </div>
            )}
            {f.status === 'returned' && !isAdmin && <p class="muted">再審査の依頼は施設管理者が行います。</p>}
          </section>

          <section class="card" aria-labelledby="profile-h">
            <div class="card-head">
              <h2 id="profile-h">施設の情報</h2>
              {isAdmin && !editing && (
                <button type="button" id="edit-profile" class="btn btn-secondary btn-small" onClick={() => setEditing(true)}>
                  施設情報を変更する
                </button>
              )}
            </div>
            {editing && isAdmin
              ? <ProfileForm f={f} refData={ref} onSaved={saved} onCancel={() => { setEditing(false); setTimeout(() => document.getElementById('edit-profile')?.focus(), 0); }} />
              : <ProfileView f={f} codes={ref} />}
          </section>

          {isAdmin && <Logins id={id} version={version} onInvited={() => setVersion((v) => v + 1)} />}

          <HistorySection id={id} codes={ref} version={version} />
        </>
      )}
    </Page>
  );
}

// ---- the edit form ---------------------------------------------------------------------

type FormValues = {
  name: string; name_kana: string; corporation: string; prefecture: string; municipality: string;
  postal_code: string; address: string; facility_type: string; beds: string; departments: string[];
  station: string; access: string; phone: string; contact_name: string;
};

const TEXT_KEYS = ['name', 'name_kana', 'corporation', 'prefecture', 'municipality', 'postal_code', 'address',
  'facility_type', 'station', 'access', 'phone', 'contact_name'] as const;

function toForm(f: Facility): FormValues {
  return {
    name: f.name ?? '', name_kana: f.name_kana ?? '', corporation: f.corporation ?? '',
    prefecture: f.prefecture ?? '', municipality: f.municipality ?? '',
    postal_code: formatPostal(f.postal_code), address: f.address ?? '', facility_type: f.facility_type ?? '',
    beds: f.beds === null || f.beds === undefined ? '' : String(f.beds), departments: f.departments ?? [],
    station: f.station ?? '', access: f.access ?? '', phone: f.phone ?? '', contact_name: f.contact_name ?? '',
  };
}

/** Only what changed, in the API's shape. */
function changes(v: FormValues, f: Facility): Record<string, unknown> {
  const before = toForm(f);
  const out: Record<string, unknown> = {};
  for (const k of TEXT_KEYS) {
    const now = v[k].trim();
    if (now !== before[k].trim()) out[k] = now;
  }
  // The server stores the postal code as 7 digits; "100-0005" is no change to "1000005".
  if ('postal_code' in out && nfkc(String(out.postal_code)).replace(/[-‐ー−\s]/g, '') === (f.postal_code ?? '')) delete out.postal_code;
  const beds = nfkc(v.beds).trim();
  if (beds !== before.beds) out.beds = /^\d+$/.test(beds) ? parseInt(beds, 10) : beds;
  if (v.departments.join(',') !== (f.departments ?? []).join(',')) out.departments = v.departments;
  return out;
}

const REQUIRED: Partial<Record<keyof FormValues, string>> = {
  name: '施設名', prefecture: '都道府県', municipality: '市区町村', facility_type: '施設の種類', phone: '電話番号',
};

function ProfileForm({ f, refData, onSaved, onCancel }: {
  f: Facility; refData: Ref; onSaved: (f: Facility) => void; onCancel: () => void;
}) {
  const [v, set, clear] = useDraft<FormValues>(`facility-${f.id}`, toForm(f));
  const [munis, setMunis] = useState<Code[] | null>(null);
  const [muniError, setMuniError] = useState<string | null>(null);
  const [nothing, setNothing] = useState(false);
  const form = useForm();

  useEffect(() => { document.getElementById(fieldId('name'))?.focus(); }, []);
  useEffect(() => {
    setMunis(null); setMuniError(null);
    if (!v.prefecture) return;
    let live = true;
    loadMunicipalities(v.prefecture).then((m) => {
      if (!live) return;
      setMunis(m);
      if (v.municipality && !m.some((x) => x.code === v.municipality)) set({ municipality: '' });
    }, (e) => live && setMuniError(errText(e)));
    return () => { live = false; };
  }, [v.prefecture]);

  const check = (): FieldError[] => {
    const c = new Checker();
    for (const [k, label] of Object.entries(REQUIRED)) {
      const val = String(v[k as keyof FormValues] ?? '');
      if (k === 'prefecture' || k === 'municipality' || k === 'facility_type') c.select(k, val, label);
      else c.required(k, val, label);
    }
    c.kana('name_kana', v.name_kana, 'フリガナ');
    c.phone('phone', v.phone, true);
    const beds = nfkc(v.beds).trim();
    if (beds && (!/^\d+$/.test(beds) || parseInt(beds, 10) > 10000)) {
      c.add('beds', 'beds.out_of_range', '病床数は0〜10000の数字で入力してください');
    }
    // The API keeps an optional item when it is sent empty, so it cannot be cleared here.
    const before = toForm(f);
    for (const k of [...TEXT_KEYS, 'beds'] as const) {
      if (before[k].trim() && !String(v[k]).trim()) {
        c.add(k, `${k}.missing`, `${FIELD_LABEL[k]}は空欄にできません。変更する場合は新しい内容を入力してください`);
      }
    }
    if (before.departments.length && !v.departments.length) {
      c.add('departments', 'departments.missing', '診療科は1つ以上選んでください');
    }
    return c.errors;
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setNothing(false);
    form.run(async () => {
      const body = changes(v, f);
      if (!Object.keys(body).length) { setNothing(true); return; }
      try {
        const r = await patch<{ facility: Facility }>(`/facilities/${encodeURIComponent(String(f.id))}`, body);
        clear();
        toast('施設情報を保存しました。');
        onSaved(r.facility);
      } catch (err) {
        // "departments[3]" → the checkbox group.
        if (err instanceof ApiError) {
          err.fields = err.fields.map((x) => (x.field.startsWith('departments[') ? { ...x, field: 'departments' } : x));
        }
        throw err;
      }
    }, check);
  };

  const cancel = () => { clear(); onCancel(); };

  return (
    <form class="form" onSubmit={submit} noValidate aria-labelledby="profile-h">
      <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} />
      {nothing && <div class="notice notice-info" role="status"><p>変更された項目はありません。</p></div>}
      <fieldset class="form-section">
        <legend>基本情報</legend>
        <TextField name="name" label="施設名" value={v.name} onValue={(x) => set({ name: x })}
          error={form.error('name')} required autocomplete="organization" maxLength={100} hint="例：東京中央総合病院" />
        <TextField name="name_kana" label="フリガナ" value={v.name_kana} onValue={(x) => set({ name_kana: x })}
          error={form.error('name_kana')} required maxLength={100} hint="施設名の読みをカタカナで入力してください。" />
        <TextField name="corporation" label="法人名" value={v.corporation} onValue={(x) => set({ corporation: x })}
          error={form.error('corporation')} maxLength={100} hint="例：医療法人○○会" />
        <SelectField name="facility_type" label="施設の種類" value={v.facility_type} onValue={(x) => set({ facility_type: x })}
          error={form.error('facility_type')} required options={opts(refData.facility_types)} />
        <TextField name="beds" label="病床数" value={v.beds} onValue={(x) => set({ beds: x })}
          error={form.error('beds')} inputMode="numeric" maxLength={5} hint="数字のみ（0〜10000）。病床のない施設は 0 と入力してください。" autocomplete="off" />
        <CheckboxGroup name="departments" label="診療科" value={v.departments} onValue={(x) => set({ departments: x })}
          error={form.error('departments')} options={opts(refData.departments)} hint="看護職が勤務する診療科・部門をすべて選んでください。" />
      </fieldset>
      <fieldset class="form-section">
        <legend>所在地と交通</legend>
        <div class="grid-2">
          <SelectField name="prefecture" label="都道府県" value={v.prefecture} onValue={(x) => { if (x !== v.prefecture) set({ prefecture: x, municipality: '' }); }}
            error={form.error('prefecture')} required options={opts(refData.prefectures)} autocomplete="address-level1" />
          <SelectField name="municipality" label="市区町村" value={v.municipality} onValue={(x) => set({ municipality: x })}
            error={form.error('municipality') || muniError} required disabled={!v.prefecture || !munis}
            placeholder={!v.prefecture ? '先に都道府県を選んでください' : !munis ? '読み込み中です' : '選択してください'}
            options={opts(munis ?? [])} autocomplete="address-level2" />
        </div>
        <TextField name="postal_code" label="郵便番号" value={v.postal_code} onValue={(x) => set({ postal_code: x })}
          error={form.error('postal_code')} inputMode="numeric" maxLength={8} autocomplete="postal-code" hint="7桁の数字。例：100-0005" />
        <TextField name="address" label="住所（町名・番地以降）" value={v.address} onValue={(x) => set({ address: x })}
          error={form.error('address')} maxLength={200} autocomplete="address-line1" hint="例：丸の内1-1-1 ○○ビル3階" />
        <TextField name="station" label="最寄り駅" value={v.station} onValue={(x) => set({ station: x })}
          error={form.error('station')} maxLength={100} hint="例：JR東京駅" />
        <TextArea name="access" label="交通アクセス" value={v.access} onValue={(x) => set({ access: x })}
          error={form.error('access')} maxLength={500} hint="例：東京駅丸の内北口から徒歩5分（500文字以内）" />
      </fieldset>
      <fieldset class="form-section">
        <legend>連絡先</legend>
        <TextField name="phone" label="電話番号" type="tel" value={v.phone} onValue={(x) => set({ phone: x })}
          error={form.error('phone')} required autocomplete="tel" inputMode="tel" maxLength={20} hint="市外局番から。例：03-1234-5678" />
        <TextField name="contact_name" label="担当者名" value={v.contact_name} onValue={(x) => set({ contact_name: x })}
          error={form.error('contact_name')} maxLength={100} hint="ナースセンターからの連絡先となる方のお名前です。" />
      </fieldset>
      <div class="actions">
        <Button type="submit" busy={form.busy} busyLabel="保存しています">変更を保存する</Button>
        <Button variant="secondary" onClick={cancel}>変更をやめる</Button>
      </div>
    </form>
  );
}

// ---- logins -------------------------------------------------------------------------------

const ROLE_OPTIONS = [
  { value: 'facility_staff', label: '施設担当者（求人票と紹介の管理）' },
  { value: 'facility_admin', label: '施設管理者（施設情報とアカウントの管理も可能）' },
];
const INVITE_INIT = { email: '', name: '', name_kana: '', role: 'facility_staff' };

function Logins({ id, version, onInvited }: { id: number | string; version: number; onInvited: () => void }) {
  const [items, setItems] = useState<Login[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [v, set, clear] = useDraft(`facility-invite-${id}`, INVITE_INIT);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm();
  const load = () => {
    setError(null);
    get<{ items: Login[] }>(`/facilities/${encodeURIComponent(String(id))}/staff`)
      .then((r) => setItems(r.items || []), (e) => setError(errText(e)));
  };
  useEffect(load, [id, version]);

  const submit = (e: Event) => {
    e.preventDefault();
    setSentTo(null);
    form.run(async () => {
      const to = nfkc(v.email).trim();
      try {
        await post(`/facilities/${encodeURIComponent(String(id))}/staff`, {
          email: to, name: v.name.trim(), name_kana: v.name_kana.trim(), role: v.role,
        });
      } catch (err) {
        // The profile form on the same page uses the plain names; these fields are "invite.*".
        if (err instanceof ApiError) err.fields = err.fields.map((x) => ({ ...x, field: 'invite.' + x.field }));
        throw err;
      }
      clear();
      setSentTo(to);
      toast('招待メールを送信しました。');
      onInvited();
    }, () => {
      const c = new Checker();
      c.email('invite.email', v.email);
      c.required('invite.name', v.name, '氏名');
      c.kana('invite.name_kana', v.name_kana, 'フリガナ');
      c.select('invite.role', v.role, '権限');
      return c.errors;
    });
  };

  return (
    <section class="card" aria-labelledby="logins-h">
      <h2 id="logins-h">担当者アカウント</h2>
      <p class="muted">この施設としてログインできるアカウントです。</p>
      {error ? <LoadError message={error} onRetry={load} /> : !items ? <Spinner /> : <LoginsTable items={items} />}
      <div class="subsection">
        <h3 id="invite-h">担当者を招待する</h3>
        <p class="muted">入力したメールアドレスに、パスワードを設定するためのリンク（有効期限72時間）をお送りします。</p>
        {sentTo && (
          <div class="notice notice-success" role="status">
            <p>{sentTo} 宛に招待メールを送信しました。メールのリンクからパスワードを設定すると、ログインできるようになります。（すでに登録済みのメールアドレスの場合は、新しいアカウントは作成されず、その旨をお知らせするメールが届きます）</p>
          </div>
        )}
        <form class="form" onSubmit={submit} noValidate aria-labelledby="invite-h">
          <ErrorSummary message={form.message} fields={form.fields} focusKey={form.focusKey} />
          <TextField name="invite.email" label="メールアドレス" type="email" value={v.email} onValue={(x) => set({ email: x })}
            error={form.error('invite.email')} required autocomplete="off" inputMode="email" spellcheck={false} autocapitalize="off" maxLength={254} />
          <div class="grid-2">
            <TextField name="invite.name" label="氏名" value={v.name} onValue={(x) => set({ name: x })}
              error={form.error('invite.name')} required autocomplete="off" maxLength={100} hint="例：看護 太郎" />
            <TextField name="invite.name_kana" label="フリガナ" value={v.name_kana} onValue={(x) => set({ name_kana: x })}
              error={form.error('invite.name_kana')} required autocomplete="off" maxLength={100} hint="カタカナで入力してください。" />
          </div>
          <RadioGroup name="invite.role" label="権限" value={v.role} onValue={(x) => set({ role: x })}
            error={form.error('invite.role')} required options={ROLE_OPTIONS} />
          <Button type="submit" busy={form.busy} busyLabel="送信しています">招待メールを送る</Button>
        </form>
      </div>
    </section>
  );
}
