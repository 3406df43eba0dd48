// Choosing another constituent: a search box (the list API's search, so typos and phone
// formats work) and the matches as radio buttons. Plain form controls rather than a
// combobox, so it works the same with every screen reader and by keyboard alone.
import { useQuery } from '@tanstack/react-query';
import { useState, type KeyboardEvent } from 'react';
import type { ConstituentSummary } from '../../../contract/constituents.js';
import type { Page as ApiPage } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';
import { FieldError } from '../components/FormFields.js';
import { constituentKeys } from './ConstituentQueries.js';

export function ConstituentPicker({
  id,
  legend,
  excludeIds,
  value,
  onChange,
  error,
}: {
  id: string;
  legend: string;
  excludeIds: readonly string[];
  value: ConstituentSummary | null;
  onChange: (c: ConstituentSummary | null) => void;
  error?: string | undefined;
}) {
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const results = useQuery({
    queryKey: constituentKeys.search(q),
    enabled: q.length > 0,
    queryFn: () => api.get<ApiPage<ConstituentSummary>>('/api/v1/constituents', { q, limit: 8 }),
  });
  const items = (results.data?.items ?? []).filter((c) => !excludeIds.includes(c.id));
  function search() {
    onChange(null);
    setQ(draft.trim());
  }
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    // Enter searches here instead of submitting the surrounding form.
    if (e.key === 'Enter') {
      e.preventDefault();
      search();
    }
  }
  return (
    <fieldset className={error ? 'picker field-invalid' : 'picker'} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
      <div className="picker-search">
        <div className="field">
          <label htmlFor={`${id}-q`}>Find by name, email, phone or postcode</label>
          <input id={`${id}-q`} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} aria-invalid={error ? true : undefined} />
        </div>
        <button type="button" className="button" onClick={search}>
          Find<span className="visually-hidden"> constituents for “{legend}”</span>
        </button>
      </div>
      <p role="status" className="hint">
        {!q ? '' : results.isPending ? 'Searching…' : results.isSuccess ? (items.length ? `${items.length} found. Choose one below.` : 'Nobody found. Try another search.') : ''}
      </p>
      {results.isError ? <ErrorText error={results.error} /> : null}
      {items.length ? (
        <div className="picker-results">
          {items.map((c) => (
            <label key={c.id} className="check">
              <input type="radio" name={`${id}-choice`} value={c.id} checked={value?.id === c.id} onChange={() => onChange(c)} />
              <span>
                {c.displayName || 'Unnamed'}
                <span className="hint"> {[c.primaryEmail, c.postcode].filter(Boolean).join(' · ')}</span>
              </span>
            </label>
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}
