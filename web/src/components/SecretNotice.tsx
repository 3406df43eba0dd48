// A secret (generated password, API token) shown exactly once, with a copy button. It takes
// focus when it appears so nobody misses it; dismissing it forgets the secret.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useCopy } from '../hooks/useCopy.js';

export function SecretNotice({ title, secret, label, onDismiss, children }: { title: string; secret: string; label: string; onDismiss: () => void; children?: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const titleId = useId();
  const { copyState, copy } = useCopy();
  useEffect(() => {
    ref.current?.focus();
  }, [secret]);

  return (
    <section className="notice notice-secret" aria-labelledby={titleId} tabIndex={-1} ref={ref}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <p className="secret-line">
        <span className="secret-label">{label}:</span> <code className="secret" data-secret="">{secret}</code>
      </p>
      <p>This is shown only once. Store it safely before you dismiss this message.</p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void copy(secret)}>
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
