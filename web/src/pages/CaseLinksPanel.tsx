// The case page's links: what this case is a duplicate of / merged into, its duplicates and
// related cases (with undo), possibly related open cases (same category nearby, same people)
// with "duplicate of" and "merge" actions, and marking a duplicate by reference.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { CaseLink, RelatedCases } from '../../../contract/case-links.js';
import type { Case, CaseSummary } from '../../../contract/cases.js';
import type { Page as ListPage } from '../../../contract/common.js';
import { api, ApiError } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, StatusMessage, TextField } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { useCan } from '../session.js';
import { caseKeys } from './CaseQueries.js';

const LINK_TEXT: Record<CaseLink['kind'], Record<CaseLink['direction'], string>> = {
  duplicate_of: { outgoing: 'Duplicate of', incoming: 'Duplicate' },
  merged_into: { outgoing: 'Merged into', incoming: 'Merged from' },
  related: { outgoing: 'Related', incoming: 'Related' },
};

type Action = { kind: 'duplicate'; other: { id: string; reference: string } } | { kind: 'merge'; other: { id: string; reference: string } } | { kind: 'unmark' } | { kind: 'unlink'; other: { id: string; reference: string } };

async function caseByReference(reference: string): Promise<string> {
  const ref = reference.trim().toUpperCase();
  const found = (await api.get<ListPage<CaseSummary>>('/api/v1/cases', { q: ref, limit: 5 })).items.find((c) => c.reference === ref);
  if (!found) throw new ApiError({ type: 'about:blank', title: 'No such case', status: 400, code: 'validation_failed', detail: `No case ${ref} in this office`, field: 'originalId' });
  return found.id;
}

export function CaseLinksPanel({ kase }: { kase: Case }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const links = useQuery({ queryKey: [...caseKeys.one(kase.id), 'links'], queryFn: () => api.get<{ items: CaseLink[] }>(`/api/v1/cases/${kase.id}/links`) });
  const related = useQuery({ queryKey: [...caseKeys.one(kase.id), 'related'], queryFn: () => api.get<RelatedCases>(`/api/v1/cases/${kase.id}/related`) });
  const [action, setAction] = useState<Action | null>(null);
  const [reference, setReference] = useState('');
  const [notice, setNotice] = useState('');
  const act = useMutation({
    mutationFn: async (a: Action) => {
      if (a.kind === 'duplicate') return api.post<Case>(`/api/v1/cases/${kase.id}/duplicate-of`, { originalId: a.other.id });
      if (a.kind === 'merge') return api.post<Case>(`/api/v1/cases/${kase.id}/merge`, { fromCaseId: a.other.id });
      if (a.kind === 'unmark') return api.delete<Case>(`/api/v1/cases/${kase.id}/duplicate-of`);
      return api.delete(`/api/v1/cases/${kase.id}/links/${a.other.id}`);
    },
    onSuccess: (_r, a) => {
      setAction(null);
      setReference('');
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      setNotice(a.kind === 'duplicate' ? `Closed as a duplicate of ${a.other.reference}.` : a.kind === 'merge' ? `${a.other.reference} merged into this case.` : a.kind === 'unmark' ? 'No longer a duplicate; the case is open again.' : `Link to ${a.other.reference} removed.`);
    },
  });
  const byReference = useMutation({ mutationFn: () => caseByReference(reference), onSuccess: (id) => setAction({ kind: 'duplicate', other: { id, reference: reference.trim().toUpperCase() } }) });
  const isOpen = kase.status.category !== 'closed';
  const canWrite = can('case.write');
  const items = links.data?.items ?? [];
  // A case both nearby and of the same person is listed once, with both reasons.
  const suggestions: { c: CaseSummary; why: string[]; samePerson: boolean }[] = [];
  for (const c of related.data?.nearby ?? []) suggestions.push({ c, why: [`${Math.round(c.distanceM)} m away, same category`], samePerson: false });
  for (const c of related.data?.samePeople ?? []) {
    const seen = suggestions.find((s) => s.c.id === c.id);
    if (seen) Object.assign(seen, { why: [...seen.why, 'same person'], samePerson: true });
    else suggestions.push({ c, why: ['same person'], samePerson: true });
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    byReference.mutate();
  }
  return (
    <section aria-labelledby="case-links" className="case-panel">
      <h2 id="case-links">Linked and related cases</h2>
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      {items.length ? (
        <ul>
          {items.map((l) => (
            <li key={`${l.kind}-${l.direction}-${l.case.id}`}>
              {LINK_TEXT[l.kind][l.direction]}: <Link to={`/cases/${l.case.id}`}>{l.case.reference}</Link> {l.case.subject} ({l.case.status.label})
              {canWrite && l.kind === 'duplicate_of' && l.direction === 'outgoing' ? (
                <> <button type="button" className="button button-small" onClick={() => setAction({ kind: 'unmark' })}>Not a duplicate: reopen</button></>
              ) : null}
              {canWrite && l.kind === 'related' ? (
                <> <button type="button" className="button button-small" onClick={() => setAction({ kind: 'unlink', other: l.case })}>Remove link<span className="visually-hidden"> to {l.case.reference}</span></button></>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p>No linked cases.</p>}
      <h3>Possibly related open cases</h3>
      {suggestions.length ? (
        <ul>
          {suggestions.map(({ c, why, samePerson }) => (
            <li key={c.id}>
              <Link to={`/cases/${c.id}`}>{c.reference}</Link> {c.subject} ({why.join('; ')})
              {/* The hidden words start with a space: Chrome sets a visually hidden span apart, so ": X" would be named " : X". */}
              {canWrite && isOpen ? (
                <> <button type="button" className="button button-small" onClick={() => setAction({ kind: 'duplicate', other: c })}>Mark this case a duplicate<span className="visually-hidden"> of {c.reference}</span></button></>
              ) : null}
              {canWrite && samePerson ? (
                <> <button type="button" className="button button-small" onClick={() => setAction({ kind: 'merge', other: c })}>Merge into this case<span className="visually-hidden"> from {c.reference}</span></button></>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p>{related.isPending ? 'Looking for related cases…' : 'None found.'}</p>}
      {canWrite && isOpen ? (
        <form className="form" onSubmit={submit} noValidate aria-label="Mark this case a duplicate">
          <ErrorSummary error={byReference.error} fields={{ originalId: { id: 'dup-reference', label: 'Duplicate of' } }} />
          <TextField id="dup-reference" label="Duplicate of (case reference)" hint="Such as C-2026-00042." value={reference} onChange={(e) => setReference(e.target.value)} error={fieldErrorsOf(byReference.error).originalId} />
          <FormActions label="Mark as duplicate…" busyLabel="Finding…" isBusy={byReference.isPending} />
        </form>
      ) : null}
      {action ? (
        <ConfirmDialog
          title={action.kind === 'duplicate' ? `Close ${kase.reference} as a duplicate of ${action.other.reference}?` : action.kind === 'merge' ? `Merge ${action.other.reference} into ${kase.reference}?` : action.kind === 'unmark' ? `Reopen ${kase.reference}?` : `Remove the link to ${action.other.reference}?`}
          confirmLabel={action.kind === 'duplicate' ? 'Close as duplicate' : action.kind === 'merge' ? 'Merge' : action.kind === 'unmark' ? 'Not a duplicate: reopen' : 'Remove link'}
          isBusy={act.isPending}
          error={act.error}
          onConfirm={() => act.mutate(action)}
          onCancel={() => { setAction(null); act.reset(); }}
        >
          <p>
            {action.kind === 'duplicate' ? 'The case is closed with the resolution “Duplicate”, and both cases show the link. You can undo it.'
              : action.kind === 'merge' ? `Its people, watchers and tags join this case, and ${action.other.reference} is closed as merged.`
                : action.kind === 'unmark' ? 'The link is removed and the case goes back to where it was.' : 'Both cases stop showing the link.'}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
