// A value people paste somewhere else (a webhook URL, an embed snippet): shown in full, with
// a button that copies it and a status line that says whether that worked.
import { useCopy } from '../hooks/useCopy.js';

export function CopyText({ label, value, isBlock = false }: { label: string; value: string; isBlock?: boolean }) {
  const { copyState, copy } = useCopy();
  return (
    <div className="copy-text">
      <p className="copy-text-label">{label}</p>
      {isBlock ? <pre className="copy-text-value">{value}</pre> : <p><code className="copy-text-value">{value}</code></p>}
      <button type="button" className="button button-small" onClick={() => void copy(value)}>
        Copy<span className="visually-hidden"> {label.toLowerCase()}</span>
      </button>
      <p className="copy-state" role="status">
        {copyState}
      </p>
    </div>
  );
}
