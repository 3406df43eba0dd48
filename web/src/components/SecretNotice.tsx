// A secret (generated password, API token) shown exactly once, with a copy button. It takes
// focus when it appears so nobody misses it; dismissing it forgets the secret.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export function SecretNotice({ title, secret, label, onDismiss, children }: { title: string; secret: string; label: string; onDismiss: () => void; children?: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const titleId = useId();
  const [copyState, setCopyState] = useState('');
  useEffect(() => {
    ref.current?.focus();
  }, [secret]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopyState('Copied to the clipboard.');
    } catch {
      setCopyState('Could not copy automatically: select the text and copy it.');
    }
  }

  return (
    <section className="notice notice-secret" aria-labelledby={titleId} tabIndex={-1} ref={ref}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <p className="secret-line">
        <span className="secret-label">{label}:</span> <code className="secret" data-secret="">{secret}</code>
      </p>
      <p>This is shown only once. Store it safely before you dismiss this message.</p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy {label.toLowerCase()}
        </button>
        <button type="button" className="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <p className="copy-state" role="status">
        {copyState}
      </p>
    </section>
  );
}
