// A modal dialog on the native <dialog> element: focus is kept inside,
// Escape closes it, and the focus returns to the opener when it closes.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

let seq = 0;

export function Dialog({ open, title, onClose, children, actions }: {
  open: boolean;
  title: string;
  onClose: () => void;
  children?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const idRef = useRef(`dlg-${++seq}`);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const onCloseEv = () => {
      if (opener.current instanceof HTMLElement) opener.current.focus();
      onClose();
    };
    d.addEventListener('close', onCloseEv);
    return () => d.removeEventListener('close', onCloseEv);
  }, [onClose]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={idRef.current + '-t'}>
      <h2 id={idRef.current + '-t'} class="dialog-title">{title}</h2>
      <div class="dialog-body">{children}</div>
      <div class="dialog-actions">{actions}</div>
    </dialog>
  );
}
