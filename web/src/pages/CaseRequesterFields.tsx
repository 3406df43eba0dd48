// Who a new case is from, for phone calls and walk-ins: find someone on record, enter a
// new person inline (created together with the case), or nobody (anonymous reports).
import type { ConstituentSummary } from '../../../contract/constituents.js';
import { TextField } from '../components/FormFields.js';
import { ConstituentPicker } from './ConstituentPicker.js';
import type { PossibleDuplicate } from './ConstituentQueries.js';

export type RequesterMode = 'existing' | 'new' | 'none';
export type NewPerson = { givenName: string; familyName: string; email: string; phone: string; line1: string; postcode: string };
export const EMPTY_PERSON: NewPerson = { givenName: '', familyName: '', email: '', phone: '', line1: '', postcode: '' };

export function CaseRequesterFields({
  mode, setMode, picked, setPicked, person, setPerson, errors, matches, onUseMatch,
}: {
  mode: RequesterMode;
  setMode: (m: RequesterMode) => void;
  picked: ConstituentSummary | null;
  setPicked: (c: ConstituentSummary | null) => void;
  person: NewPerson;
  setPerson: (p: NewPerson) => void;
  errors: Record<string, string>;
  matches: PossibleDuplicate[] | null;
  onUseMatch: (m: PossibleDuplicate) => void;
}) {
  const edit = (change: Partial<NewPerson>) => setPerson({ ...person, ...change });
  return (
    <fieldset className="case-requester">
      <legend>Who is the case from?</legend>
      <div className="radio-row">
        <label className="check"><input type="radio" name="requester-mode" checked={mode === 'existing'} onChange={() => setMode('existing')} /> Someone on record</label>
        <label className="check"><input type="radio" name="requester-mode" checked={mode === 'new'} onChange={() => setMode('new')} /> Someone new</label>
        <label className="check"><input type="radio" name="requester-mode" checked={mode === 'none'} onChange={() => setMode('none')} /> Nobody (anonymous)</label>
      </div>
      {mode === 'existing' ? (
        <ConstituentPicker id="case-requester" legend="Find the person" excludeIds={[]} value={picked} onChange={setPicked} error={errors['constituents.0.constituentId'] ?? errors.requester} />
      ) : null}
      {mode === 'new' ? (
        <div className="form-grid">
          <TextField id="new-given" label="Given name" autoComplete="off" value={person.givenName} onChange={(e) => edit({ givenName: e.target.value })} error={errors.givenName} />
          <TextField id="new-family" label="Family name" autoComplete="off" value={person.familyName} onChange={(e) => edit({ familyName: e.target.value })} error={errors.familyName} />
          <TextField id="new-email" label="Email (optional)" type="email" autoComplete="off" value={person.email} onChange={(e) => edit({ email: e.target.value })} error={errors['emails.0.email']} />
          <TextField id="new-phone" label="Phone (optional)" type="tel" autoComplete="off" value={person.phone} onChange={(e) => edit({ phone: e.target.value })} error={errors['phones.0.number']} />
          <TextField id="new-line1" label="Address (optional)" autoComplete="off" value={person.line1} onChange={(e) => edit({ line1: e.target.value })} error={errors['addresses.0.line1']} />
          <TextField id="new-postcode" label="Postcode (optional)" autoComplete="off" value={person.postcode} onChange={(e) => edit({ postcode: e.target.value })} error={errors['addresses.0.postcode']} />
        </div>
      ) : null}
      {mode === 'new' && matches ? (
        <section className="notice notice-warn" aria-labelledby="case-dup-heading">
          <h2 id="case-dup-heading">This may be someone already on record</h2>
          <p>Use one of these records, or press “Create case” again to add a new record anyway.</p>
          <ul className="duplicate-list">
            {matches.map((m) => (
              <li key={m.id}>
                {m.displayName || 'Unnamed'}
                {m.reasons.length ? <span className="hint"> ({m.reasons.join('; ')})</span> : null}{' '}
                <button type="button" className="button button-small" onClick={() => onUseMatch(m)}>
                  Use this record<span className="visually-hidden">: {m.displayName}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </fieldset>
  );
}
