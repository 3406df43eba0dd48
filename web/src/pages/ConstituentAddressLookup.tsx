// Filling in an address from the office's address register (offline geocoding): search by
// street or postcode, then choose a match to fill the lines, postcode and coordinates.
import { useQuery } from '@tanstack/react-query';
import { useState, type KeyboardEvent } from 'react';
import type { RegisterAddress } from '../../../contract/geo.js';
import { api } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';
import { addressLine } from './ConstituentQueries.js';

export function ConstituentAddressLookup({ id, onChoose }: { id: string; onChoose: (a: RegisterAddress) => void }) {
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState('');
  const results = useQuery({
    queryKey: ['geo', 'addresses', q],
    enabled: q.length >= 2,
    queryFn: async () => (await api.get<{ items: RegisterAddress[] }>('/api/v1/geo/addresses', { q, limit: 8 })).items,
  });
  function search() {
    setChosen('');
    setQ(draft.trim());
  }
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    // Enter looks up here instead of submitting the whole form.
    if (e.key === 'Enter') {
      e.preventDefault();
      search();
    }
  }
  const items = results.data ?? [];
  let status = chosen;
  if (!status && q.length >= 2) status = results.isPending ? 'Searching the register…' : results.isSuccess ? (items.length ? `${items.length} found in the register.` : 'No matching address in the register.') : '';
  if (!status && q && q.length < 2) status = 'Type at least 2 characters.';
  return (
    <div className="address-lookup">
      <div className="picker-search">
        <div className="field">
          <label htmlFor={id}>Find in the address register (optional)</label>
          <input id={id} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} autoComplete="off" />
        </div>
        <button type="button" className="button" onClick={search}>
          Look up<span className="visually-hidden"> address</span>
        </button>
      </div>
      <p role="status" className="hint">{status}</p>
      {results.isError ? <ErrorText error={results.error} /> : null}
      {items.length && !chosen ? (
        <ul className="lookup-results">
          {items.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="button button-small"
                onClick={() => {
                  onChoose(a);
                  setChosen(`Filled in ${addressLine(a)}.`);
                }}
              >
                Use {addressLine(a)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
