// Registration for nurses (求職者) and facilities (求人施設).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, loadMunicipalities, loadRef, MSG, post, type Code, type Ref } from '../api';
import { Link } from '../router';
import { useDraft } from '../draft';
import { toWareki, todayJst } from '../format';
import { Checker, nfkc, PASSWORD_MIN } from '../validate';
import { Page } from '../ui/Page';
import { Button } from '../ui/Button';
import { ErrorSummary, PasswordField, SelectField, TextField } from '../ui/Field';
import { LoadError, Spinner } from '../ui/Feedback';
import { useForm } from '../ui/form';

export function RegisterChoice() {
  return (
    <Page title="新規登録" lead="ご利用になる方にあわせて、登録の種類を選んでください。登録は無料です。">
      <ul class="link-cards">
        <li>
          <Link href="/register/nurse">
            <strong>看護職の方（求職者登録）</strong>
            <span>保健師・助産師・看護師・准看護師の方。求人への紹介の依頼や就業相談をご利用いただけます。</span>
          </Link>
        </li>
        <li>
          <Link href="/register/facility">
            <strong>医療機関・施設の方（施設登録）</strong>
            <span>病院・診療所・訪問看護ステーション・介護施設など。ナースセンターの審査の後、求人票を掲載できます。</span>
          </Link>
        </li>
      </ul>
      <p class="after-form">登録済みの方は <Link href="/login">ログイン</Link> してください。</p>
    </Page>
  );
}

function useRef_() {
  const [ref, setRef] = useState<Ref | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setError(null);
    loadRef().then(setRef, (e) => setError(e instanceof ApiError ? e.message : MSG.generic));
  };
  useEffect(load, []);
  return { ref, error, load };
}

const opts = (list: Code[] | undefined) => (list ?? []).map((c) => ({ value: c.code, label: c.name }));

function Sent({ email }: { email: string }) {
  return (
    <Page title="確認メールを送信しました">
      <div class="notice notice-success" role="status">
        <p><strong>{email}</strong> 宛に、メールアドレス確認のためのメールをお送りしました。</p>
        <p>メールに記載のリンクを開くと登録が完了し、ログインできるようになります。</p>
      </div>
      <p>メールが届かない場合は、迷惑メールフォルダをご確認ください。入力したアドレスに誤りがあった場合は、<Link href="/register">もう一度登録</Link>してください。</p>
    </Page>
  );
}

type Licence = { type: string; number: string; registered_on: string };
const emptyLicence = (): Licence => ({ type: '', number: '', registered_on: '' });

const NURSE_INIT = {
  email: '', password: '', name: '', name_kana: '', prefecture: '', phone: '',
  licences: [emptyLicence()] as Licence[],
};

export function RegisterNurse() {
  const { ref, error, load } = useRef_();
  const [v, set, clear] = useDraft('register-nurse', NURSE_INIT, ['password']);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const f = useForm();
  const today = todayJst();

  const setLic = (i: number, patch: Partial<Licence>) =>
    set((s) => ({ ...s, licences: s.licences.map((l, j) => (j === i ? { ...l, ...patch } : l)) }));
  const addLic = () => {
    set((s) => ({ ...s, licences: [...s.licences, emptyLicence()] }));
    setTimeout(() => document.getElementById(`f-licences-${v.licences.length}-type`)?.focus(), 0);
  };
  const removeLic = (i: number) => {
    set((s) => ({ ...s, licences: s.licences.filter((_, j) => j !== i) }));
    setTimeout(() => document.getElementById('add-licence')?.focus(), 0);
  };

  const check = () => {
    const c = new Checker();
    c.email('email', v.email);
    c.password('password', v.password);
    c.required('name', v.name, '氏名');
    c.kana('name_kana', v.name_kana);
    c.select('prefecture', v.prefecture, 'お住まいの都道府県');
    c.phone('phone', v.phone);
    v.licences.forEach((l, i) => {
      c.select(`licences[${i}].type`, l.type, '資格');
      c.licenceNumber(`licences[${i}].number`, l.number);
      c.pastDate(`licences[${i}].registered_on`, l.registered_on, '登録年月日');
    });
    const types = v.licences.map((l) => l.type).filter(Boolean);
    v.licences.forEach((l, i) => {
      if (l.type && types.indexOf(l.type) !== i) c.add(`licences[${i}].type`, 'licences.type.duplicate', '同じ資格が重複しています');
    });
    return c.errors;
  };

  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const body: Record<string, unknown> = {
        kind: 'seeker',
        email: v.email.trim(),
        password: v.password,
        name: v.name.trim(),
        name_kana: v.name_kana.trim(),
        prefecture: v.prefecture,
        licences: v.licences.map((l) => ({ type: l.type, number: nfkc(l.number).trim(), registered_on: l.registered_on })),
      };
      if (v.phone.trim()) body.phone = v.phone.trim();
      await post('/auth/register', body, { noAuthRedirect: true });
      setSentTo(v.email.trim());
      clear();
    }, check);
  };

  if (sentTo) return <Sent email={sentTo} />;
  return (
    <Page title="求職者登録（看護職の方）" lead="ご登録いただくと、求人への紹介の依頼や、希望に合う求人のお知らせ、就業相談をご利用いただけます。">
      {error ? <LoadError message={error} onRetry={load} /> : !ref ? <Spinner /> : (
        <form class="form" onSubmit={submit} noValidate>
          <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} />
          <fieldset class="form-section">
            <legend>ログイン情報</legend>
            <TextField name="email" label="メールアドレス" type="email" value={v.email} onValue={(x) => set({ email: x })}
              error={f.error('email')} required autocomplete="email" inputMode="email" spellcheck={false} autocapitalize="off"
              hint="確認のためのメールをお送りします。" />
            <PasswordField name="password" label="パスワード" value={v.password} onValue={(x) => set({ password: x })}
              error={f.error('password')} required autocomplete="new-password" hint={`${PASSWORD_MIN}文字以上で入力してください。`} />
          </fieldset>
          <fieldset class="form-section">
            <legend>ご本人の情報</legend>
            <TextField name="name" label="氏名" value={v.name} onValue={(x) => set({ name: x })}
              error={f.error('name')} required autocomplete="name" hint="例：看護 花子（姓と名の間にスペース）" maxLength={100} />
            <TextField name="name_kana" label="フリガナ" value={v.name_kana} onValue={(x) => set({ name_kana: x })}
              error={f.error('name_kana')} required hint="カタカナで入力してください。例：カンゴ ハナコ" maxLength={100} />
            <SelectField name="prefecture" label="お住まいの都道府県" value={v.prefecture} onValue={(x) => set({ prefecture: x })}
              error={f.error('prefecture')} required options={opts(ref.prefectures)} autocomplete="address-level1" />
            <TextField name="phone" label="電話番号" type="tel" value={v.phone} onValue={(x) => set({ phone: x })}
              error={f.error('phone')} autocomplete="tel" inputMode="tel" hint="例：090-1234-5678（ナースセンターからご連絡する場合があります）" maxLength={20} />
          </fieldset>
          <fieldset class="form-section">
            <legend>免許（資格）</legend>
            <p class="field-hint">お持ちの免許をすべて登録してください（4つまで）。登録番号と登録年月日は免許証に記載されています。</p>
            {f.error('licences') && <p class="field-error" id="f-licences">{f.error('licences')}</p>}
            {v.licences.map((l, i) => (
              <div class="licence" key={i} role="group" aria-labelledby={`lic-h-${i}`}>
                <h3 class="licence-title" id={`lic-h-${i}`}>免許 {i + 1}</h3>
                <SelectField name={`licences[${i}].type`} label="資格" value={l.type} onValue={(x) => setLic(i, { type: x })}
                  error={f.error(`licences[${i}].type`)} required options={opts(ref.licence_types)} />
                <TextField name={`licences[${i}].number`} label="登録番号（籍番号）" value={l.number} onValue={(x) => setLic(i, { number: x })}
                  error={f.error(`licences[${i}].number`)} required inputMode="numeric" maxLength={10} hint="数字のみ、10桁以内" autocomplete="off" />
                <TextField name={`licences[${i}].registered_on`} label="登録年月日" type="date" value={l.registered_on}
                  onValue={(x) => setLic(i, { registered_on: x })} error={f.error(`licences[${i}].registered_on`)} required
                  max={today} min="1900-01-01"
                  hint={l.registered_on && toWareki(l.registered_on) ? `和暦：${toWareki(l.registered_on)}` : '例：2015-04-01'} />
                {v.licences.length > 1 && (
                  <button type="button" class="btn btn-link" onClick={() => removeLic(i)}>免許 {i + 1} を削除する</button>
                )}
              </div>
            ))}
            {v.licences.length < 4 && (
              <button type="button" id="add-licence" class="btn btn-secondary" onClick={addLic}>免許を追加する</button>
            )}
          </fieldset>
          <p class="muted">登録することで、<Link href="/privacy">個人情報の取り扱い</Link>に同意したものとします。</p>
          <Button type="submit" busy={f.busy} busyLabel="登録しています" class="btn-wide">登録する</Button>
        </form>
      )}
    </Page>
  );
}

const FACILITY_INIT = {
  email: '', password: '', name: '', name_kana: '',
  facility: { name: '', name_kana: '', prefecture: '', municipality: '', facility_type: '', phone: '' },
};

export function RegisterFacility() {
  const { ref, error, load } = useRef_();
  const [v, set, clear] = useDraft('register-facility', FACILITY_INIT, ['password']);
  const [munis, setMunis] = useState<Code[] | null>(null);
  const [muniError, setMuniError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const f = useForm();
  const fac = v.facility;
  const setFac = (patch: Partial<typeof fac>) => set((s) => ({ ...s, facility: { ...s.facility, ...patch } }));

  useEffect(() => {
    setMunis(null); setMuniError(null);
    if (!fac.prefecture) return;
    let live = true;
    loadMunicipalities(fac.prefecture).then((m) => {
      if (!live) return;
      setMunis(m);
      if (fac.municipality && !m.some((x) => x.code === fac.municipality)) setFac({ municipality: '' });
    }, (e) => live && setMuniError(e instanceof ApiError ? e.message : MSG.generic));
    return () => { live = false; };
  }, [fac.prefecture]);

  const check = () => {
    const c = new Checker();
    c.required('facility.name', fac.name, '施設名');
    c.kana('facility.name_kana', fac.name_kana, '施設名のフリガナ');
    c.select('facility.prefecture', fac.prefecture, '都道府県');
    c.select('facility.municipality', fac.municipality, '市区町村');
    c.select('facility.facility_type', fac.facility_type, '施設の種類');
    c.phone('facility.phone', fac.phone, true);
    c.required('name', v.name, '担当者の氏名');
    c.kana('name_kana', v.name_kana, '担当者のフリガナ');
    c.email('email', v.email);
    c.password('password', v.password);
    return c.errors;
  };

  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      await post('/auth/register', {
        kind: 'facility',
        email: v.email.trim(),
        password: v.password,
        name: v.name.trim(),
        name_kana: v.name_kana.trim(),
        facility: {
          name: fac.name.trim(), name_kana: fac.name_kana.trim(), prefecture: fac.prefecture,
          municipality: fac.municipality, facility_type: fac.facility_type, phone: fac.phone.trim(),
        },
      }, { noAuthRedirect: true });
      setSentTo(v.email.trim());
      clear();
    }, check);
  };

  if (sentTo) return <Sent email={sentTo} />;
  return (
    <Page title="施設登録（医療機関・施設の方）" lead="登録後、所在地の都道府県ナースセンターが内容を確認します。確認が済むと求人票を掲載できます。">
      {error ? <LoadError message={error} onRetry={load} /> : !ref ? <Spinner /> : (
        <form class="form" onSubmit={submit} noValidate>
          <ErrorSummary message={f.message} fields={f.fields} focusKey={f.focusKey} />
          <fieldset class="form-section">
            <legend>施設の情報</legend>
            <TextField name="facility.name" label="施設名" value={fac.name} onValue={(x) => setFac({ name: x })}
              error={f.error('facility.name')} required autocomplete="organization" hint="例：医療法人○○会 ○○病院" maxLength={200} />
            <TextField name="facility.name_kana" label="施設名のフリガナ" value={fac.name_kana} onValue={(x) => setFac({ name_kana: x })}
              error={f.error('facility.name_kana')} required hint="カタカナで入力してください。" maxLength={200} />
            <div class="grid-2">
              <SelectField name="facility.prefecture" label="都道府県" value={fac.prefecture} onValue={(x) => setFac({ prefecture: x, municipality: '' })}
                error={f.error('facility.prefecture')} required options={opts(ref.prefectures)} />
              <SelectField name="facility.municipality" label="市区町村" value={fac.municipality} onValue={(x) => setFac({ municipality: x })}
                error={f.error('facility.municipality') || muniError} required disabled={!fac.prefecture || !munis}
                placeholder={!fac.prefecture ? '先に都道府県を選んでください' : !munis ? '読み込み中です' : '選択してください'}
                options={opts(munis ?? [])} />
            </div>
            <SelectField name="facility.facility_type" label="施設の種類" value={fac.facility_type} onValue={(x) => setFac({ facility_type: x })}
              error={f.error('facility.facility_type')} required options={opts(ref.facility_types)} />
            <TextField name="facility.phone" label="施設の電話番号" type="tel" value={fac.phone} onValue={(x) => setFac({ phone: x })}
              error={f.error('facility.phone')} required autocomplete="tel" inputMode="tel" hint="例：03-1234-5678" maxLength={20} />
          </fieldset>
          <fieldset class="form-section">
            <legend>ご担当者の情報（ログインに使います）</legend>
            <TextField name="name" label="担当者の氏名" value={v.name} onValue={(x) => set({ name: x })}
              error={f.error('name')} required autocomplete="name" maxLength={100} />
            <TextField name="name_kana" label="担当者のフリガナ" value={v.name_kana} onValue={(x) => set({ name_kana: x })}
              error={f.error('name_kana')} required hint="カタカナで入力してください。" maxLength={100} />
            <TextField name="email" label="メールアドレス" type="email" value={v.email} onValue={(x) => set({ email: x })}
              error={f.error('email')} required autocomplete="email" inputMode="email" spellcheck={false} autocapitalize="off" />
            <PasswordField name="password" label="パスワード" value={v.password} onValue={(x) => set({ password: x })}
              error={f.error('password')} required autocomplete="new-password" hint={`${PASSWORD_MIN}文字以上で入力してください。`} />
          </fieldset>
          <p class="muted">登録することで、<Link href="/privacy">個人情報の取り扱い</Link>に同意したものとします。</p>
          <Button type="submit" busy={f.busy} busyLabel="登録しています" class="btn-wide">登録する</Button>
        </form>
      )}
    </Page>
  );
}
