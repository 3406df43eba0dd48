// The people on a case (constituents with their roles, linked to their records) and the
// staff watching it. Both lists are replaced as a whole through the API.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { CASE_ROLES, type Case, type CaseRole } from '../../../contract/cases.js';
import type { ConstituentSummary } from '../../../contract/constituents.js';
import { api } from '../api/client.js';
import { useAllUsers } from '../api/queries.js';
import { ErrorSummary, SelectField, StatusMessage } from '../components/FormFields.js';
import { useCan, useSession } from '../session.js';
import { ConstituentPicker } from './ConstituentPicker.js';
import { caseKeys, ROLE_LABELS } from './CaseQueries.js';

function useCaseUpdate(kase: Case, path: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => api.put<Case>(`/api/v1/cases/${kase.id}/${path}`, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(caseKeys.one(kase.id), updated);
      void queryClient.invalidateQueries({ queryKey: caseKeys.timelines(kase.id) });
    },
  });
}

export function CaseConstituents({ kase }: { kase: Case }) {
  const can = useCan();
  const save = useCaseUpdate(kase, 'constituents');
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<ConstituentSummary | null>(null);
  const [role, setRole] = useState<CaseRole>('affected');
  const [notice, setNotice] = useState('');
  const current = kase.constituents.map((c) => ({ constituentId: c.id, role: c.role }));
  function put(list: { constituentId: string; role: CaseRole }[], message: string) {
    save.mutate({ constituents: list }, { onSuccess: () => { setNotice(message); setAdding(false); setPicked(null); } });
  }
  return (
    <section aria-labelledby="case-people" className="case-panel">
      <h2 id="case-people">People</h2>
      {kase.constituents.length ? (
        <ul className="person-list">
          {kase.constituents.map((c) => (
            <li key={c.id}>
              <Link to={`/constituents/${c.id}`}>{c.displayName || 'Unnamed'}</Link> <span className="hint">{ROLE_LABELS[c.role]}</span>
              {can('case.write') ? (
                <button
                  type="button"
                  className="button button-small button-link"
                  onClick={() => put(current.filter((x) => x.constituentId !== c.id), `${c.displayName} removed from the case.`)}
                >
                  Remove<span className="visually-hidden"> {c.displayName}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p>Nobody is linked to this case.</p>}
      <ErrorSummary error={save.error} />
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      {can('case.write') && !adding ? (
        <button type="button" className="button button-small" onClick={() => setAdding(true)}>Add a person</button>
      ) : null}
      {adding ? (
        <div className="case-add-person">
          <ConstituentPicker id="case-add-person" legend="Person to add" excludeIds={kase.constituents.map((c) => c.id)} value={picked} onChange={setPicked} />
          <SelectField id="case-add-role" label="Role" value={role} onChange={(e) => setRole(e.target.value as CaseRole)}>
            {CASE_ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </SelectField>
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              disabled={!picked || save.isPending}
              onClick={() => picked && put([...current, { constituentId: picked.id, role }], `${picked.displayName} added as ${ROLE_LABELS[role].toLowerCase()}.`)}
            >
              Add to case
            </button>
            <button type="button" className="button" onClick={() => setAdding(false)}>Cancel</button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

export function CaseWatchers({ kase }: { kase: Case }) {
  const can = useCan();
  const session = useSession();
  const users = useAllUsers(can('user.read') && can('case.write'));
  const save = useCaseUpdate(kase, 'watchers');
  const [toAdd, setToAdd] = useState('');
  const ids = kase.watchers.map((w) => w.id);
  const isWatching = ids.includes(session.user.id);
  const candidates = (users.data ?? []).filter((u) => u.status === 'active' && !ids.includes(u.id));
  return (
    <section aria-labelledby="case-watchers" className="case-panel">
      <h2 id="case-watchers">Watchers</h2>
      {kase.watchers.length ? (
        <ul className="person-list">
          {kase.watchers.map((w) => (
            <li key={w.id}>
              {w.name}
              {can('case.write') ? (
                <button type="button" className="button button-small button-link" onClick={() => save.mutate({ userIds: ids.filter((x) => x !== w.id) })}>
                  Remove<span className="visually-hidden"> {w.name} from watchers</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p>Nobody is watching this case.</p>}
      <ErrorSummary error={save.error} />
      {can('case.write') ? (
        <>
          <p>
            <button
              type="button"
              className="button button-small"
              onClick={() => save.mutate({ userIds: isWatching ? ids.filter((x) => x !== session.user.id) : [...ids, session.user.id] })}
            >
              {isWatching ? 'Stop watching' : 'Watch this case'}
            </button>
          </p>
          {candidates.length ? (
            <div className="inline-form">
              <SelectField id="case-add-watcher" label="Add a watcher" value={toAdd} onChange={(e) => setToAdd(e.target.value)}>
                <option value="">Choose someone</option>
                {candidates.map((u) => <option key={u.id} value={u.id}>{u.displayName}</option>)}
              </SelectField>
              <button type="button" className="button button-small" disabled={!toAdd || save.isPending} onClick={() => save.mutate({ userIds: [...ids, toAdd] }, { onSuccess: () => setToAdd('') })}>
                Add watcher
              </button>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
