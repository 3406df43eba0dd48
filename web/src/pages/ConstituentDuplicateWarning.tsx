// Shown when a new record looks like someone already on record (409 possible_duplicate):
// the matches with why they matched, links to open them, and "Create anyway". It takes
// focus when it appears, so its heading is announced.
import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import type { PossibleDuplicate } from './ConstituentQueries.js';

export function ConstituentDuplicateWarning({ matches, isBusy, onCreateAnyway, onDismiss }: { matches: PossibleDuplicate[]; isBusy: boolean; onCreateAnyway: () => void; onDismiss: () => void }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [matches]);
  return (
    <section className="notice notice-warn" aria-labelledby="duplicate-heading" tabIndex={-1} ref={ref}>
      <h2 id="duplicate-heading">This may be someone already on record</h2>
      <p>
        {matches.length === 1 ? 'One existing record matches' : `${matches.length} existing records match`} what you entered. Open a record to check it, or create a new one anyway.
      </p>
      <ul className="duplicate-list">
        {matches.map((m) => (
          <li key={m.id}>
            <Link to={`/constituents/${m.id}`}>{m.displayName || 'Unnamed'}</Link>
            {m.reasons.length ? <span className="hint"> ({m.reasons.join('; ')})</span> : null}
          </li>
        ))}
      </ul>
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={onCreateAnyway} disabled={isBusy}>
          {isBusy ? 'Creating…' : 'Create anyway'}
        </button>
        <button type="button" className="button" onClick={onDismiss}>
          Back to the form
        </button>
      </div>
    </section>
  );
}
