// A modal dialog on the native <dialog> element: the browser traps focus and closes it on
// Escape; focus returns to whatever was focused before it opened.
import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { ErrorSummary } from './FormFields.js';

export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal focuses the first control; a dialog may prefer a safer one (Cancel).
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // The opener may be gone (its row was removed): fall back to the page heading.
      const back = opener?.isConnected ? opener : document.querySelector<HTMLElement>('main h1');
      back?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  isDanger?: boolean;
  isBusy?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal title={props.title} onClose={props.onCancel}>
      <div className="modal-body">{props.children}</div>
      <ErrorSummary error={props.error} />
      <div className="button-row">
        <button type="button" className={props.isDanger ? 'button button-danger' : 'button button-primary'} onClick={props.onConfirm} disabled={props.isBusy}>
          {props.isBusy ? 'Working…' : props.confirmLabel}
        </button>
        <button type="button" className="button" onClick={props.onCancel} data-autofocus="">
          Cancel
        </button>
      </div>
    </Modal>
  );
}
