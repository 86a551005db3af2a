// Form fields that show the API's 422 field errors next to the field.
// Each field's id is derived from its API field name (e.g. "licences[0].number"),
// so the error summary can link to it.
import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { FieldError } from '../api';

export function fieldId(name: string): string {
  return 'f-' + name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '');
}

type Common = {
  name: string;
  label: string;
  error?: string | null;
  hint?: ComponentChildren;
  required?: boolean;
  /** No 必須/任意 marker (search and filter forms). */
  plain?: boolean;
  class?: string;
};

function Label({ id, label, required, plain }: { id: string; label: string; required?: boolean; plain?: boolean }) {
  return (
    <label class="field-label" for={id}>
      {label}
      {plain ? null : required ? <span class="req">必須</span> : <span class="opt">任意</span>}
    </label>
  );
}

function describedBy(id: string, hint: unknown, error: unknown) {
  const ids = [];
  if (hint) ids.push(id + '-hint');
  if (error) ids.push(id + '-error');
  return ids.length ? ids.join(' ') : undefined;
}

function Messages({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string | null }) {
  return (
    <>
      {hint && <p class="field-hint" id={id + '-hint'}>{hint}</p>}
      {error && (
        <p class="field-error" id={id + '-error'}>
          <span aria-hidden="true">⚠ </span>
          <span class="visually-hidden">エラー：</span>
          {error}
        </p>
      )}
    </>
  );
}

type InputProps = Common & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'label' | 'name' | 'type' | 'class'> & {
  value: string;
  onValue: (v: string) => void;
  type?: string;
};

export function TextField({ name, label, error, hint, required, plain, value, onValue, type = 'text', class: cls, ...rest }: InputProps) {
  const id = fieldId(name);
  return (
    <div class={`field${error ? ' has-error' : ''}${cls ? ' ' + cls : ''}`}>
      <Label id={id} label={label} required={required} plain={plain} />
      <Messages id={id} hint={hint} error={error} />
      <input
        {...rest}
        id={id}
        name={name}
        type={type}
        value={value}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
      />
    </div>
  );
}

export type Option = { value: string; label: string };

type SelectProps = Common & {
  value: string;
  onValue: (v: string) => void;
  options: Option[];
  placeholder?: string;
  disabled?: boolean;
  autocomplete?: string;
};

export function SelectField({ name, label, error, hint, required, plain, value, onValue, options, placeholder = '選択してください', disabled, autocomplete, class: cls }: SelectProps) {
  const id = fieldId(name);
  return (
    <div class={`field${error ? ' has-error' : ''}${cls ? ' ' + cls : ''}`}>
      <Label id={id} label={label} required={required} plain={plain} />
      <Messages id={id} hint={hint} error={error} />
      <select
        id={id}
        name={name}
        value={value}
        required={required}
        disabled={disabled}
        autocomplete={autocomplete}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
      >
        <option value="">{placeholder}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

type AreaProps = Common & Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onInput' | 'label' | 'name' | 'class'> & {
  value: string;
  onValue: (v: string) => void;
};

export function TextArea({ name, label, error, hint, required, plain, value, onValue, class: cls, rows = 4, ...rest }: AreaProps) {
  const id = fieldId(name);
  return (
    <div class={`field${error ? ' has-error' : ''}${cls ? ' ' + cls : ''}`}>
      <Label id={id} label={label} required={required} plain={plain} />
      <Messages id={id} hint={hint} error={error} />
      <textarea
        {...rest}
        id={id}
        name={name}
        rows={rows}
        value={value}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
      />
    </div>
  );
}

type CheckProps = Common & { value: string[]; onValue: (v: string[]) => void; options: Option[] };

/** A group of checkboxes (several choices); the value keeps the options' order. */
export function CheckboxGroup({ name, label, error, hint, required, value, onValue, options, class: cls }: CheckProps) {
  const id = fieldId(name);
  const toggle = (v: string, on: boolean) => {
    const set = new Set(value);
    if (on) set.add(v); else set.delete(v);
    onValue(options.map((o) => o.value).filter((x) => set.has(x)));
  };
  return (
    <fieldset
      class={`field fieldset${error ? ' has-error' : ''}${cls ? ' ' + cls : ''}`}
      id={id}
      tabIndex={-1}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend class="field-label">
        {label}
        {required ? <span class="req">必須</span> : <span class="opt">任意</span>}
      </legend>
      <Messages id={id} hint={hint} error={error} />
      <div class="checks">
        {options.map((o) => (
          <label class="checkbox" key={o.value}>
            <input type="checkbox" name={name} value={o.value} checked={value.includes(o.value)}
              onChange={(e) => toggle(o.value, (e.currentTarget as HTMLInputElement).checked)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

type RadioProps = Common & { value: string; onValue: (v: string) => void; options: Option[] };

export function RadioGroup({ name, label, error, hint, required, value, onValue, options }: RadioProps) {
  const id = fieldId(name);
  return (
    <fieldset
      class={`field fieldset${error ? ' has-error' : ''}`}
      id={id}
      tabIndex={-1}
      aria-describedby={describedBy(id, hint, error)}
      aria-invalid={error ? 'true' : undefined}
    >
      <legend class="field-label">
        {label}
        {required ? <span class="req">必須</span> : <span class="opt">任意</span>}
      </legend>
      <Messages id={id} hint={hint} error={error} />
      <div class="radios">
        {options.map((o) => (
          <label class="radio" key={o.value}>
            <input type="radio" name={name} value={o.value} checked={value === o.value}
              onChange={() => onValue(o.value)} required={required} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * The error box at the top of a form. It announces itself (role="alert"),
 * takes the focus when `focusKey` changes, and links every field error to
 * its field.
 */
export function ErrorSummary({ message, fields, focusKey, labels }: {
  message: string | null;
  fields: FieldError[];
  focusKey: number;
  labels?: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (focusKey && (message || fields.length)) ref.current?.focus();
  }, [focusKey]);
  if (!message && !fields.length) return <div class="error-summary-slot" />;
  const jump = (e: Event, name: string) => {
    const el = document.getElementById(fieldId(name));
    if (el) { e.preventDefault(); el.focus(); el.scrollIntoView({ block: 'center' }); }
  };
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <p class="error-summary-title">{message || '入力内容に誤りがあります。各項目をご確認ください。'}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field + f.code}>
              <a href={'#' + fieldId(f.field)} onClick={(e) => jump(e, f.field)}>
                {labels?.[f.field] ? `${labels[f.field]}：` : ''}{f.message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A password input with a "show password" toggle. */
export function PasswordField(props: Omit<InputProps, 'type'> & { autocomplete: 'current-password' | 'new-password' }) {
  const [shown, setShown] = useState(false);
  const id = fieldId(props.name);
  return (
    <div class="password-field">
      <TextField {...props} type={shown ? 'text' : 'password'} spellcheck={false} autocapitalize="off" />
      <label class="checkbox small" for={id + '-show'}>
        <input type="checkbox" id={id + '-show'} checked={shown} onChange={(e) => setShown((e.currentTarget as HTMLInputElement).checked)} />
        <span>パスワードを表示する</span>
      </label>
    </div>
  );
}
