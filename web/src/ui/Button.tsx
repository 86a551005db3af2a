import type { ComponentChildren, JSX } from 'preact';

type Props = Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'class'> & {
  type?: 'button' | 'submit';
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  busy?: boolean;
  /** Label read while busy; the visible label stays so the layout holds. */
  busyLabel?: string;
  children?: ComponentChildren;
  class?: string;
};

/**
 * A button with a busy state. While busy it stays focusable (so the focus is
 * not lost) but ignores activation, shows a spinner and sets aria-busy.
 */
export function Button({ type = 'button', variant = 'primary', busy = false, busyLabel = '処理中です', children, onClick, class: cls, ...rest }: Props) {
  const click = (e: JSX.TargetedMouseEvent<HTMLButtonElement>) => {
    if (busy) { e.preventDefault(); return; }
    if (onClick) (onClick as any)(e);
  };
  return (
    <button
      {...rest}
      type={type}
      class={`btn btn-${variant}${busy ? ' is-busy' : ''}${cls ? ' ' + cls : ''}`}
      aria-disabled={busy || rest.disabled ? 'true' : undefined}
      aria-busy={busy ? 'true' : undefined}
      onClick={click}
    >
      {busy && <span class="spinner" aria-hidden="true" />}
      <span>{children}</span>
      {busy && <span class="visually-hidden">（{busyLabel}）</span>}
    </button>
  );
}
