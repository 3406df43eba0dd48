// Household and relationships: links to other records (spouse, carer, employee of…), each
// read from this record's side, added with a constituent picker and removed after confirming.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  RELATIONSHIP_KINDS, ZCreateRelationship, type Constituent, type ConstituentSummary, type Relationship,
} from '../../../contract/constituents.js';
import { api, validate } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorSummary, SelectField, StatusMessage, TextField } from '../components/FormFields.js';
import { FormActions } from '../components/FormActions.js';
import { ConfirmDialog } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { ConstituentHousehold } from './ConstituentHousehold.js';
import { ConstituentPicker } from './ConstituentPicker.js';
import { constituentKeys, formProblem, humanize, useRelationships } from './ConstituentQueries.js';

type Kind = (typeof RELATIONSHIP_KINDS)[number];

export function ConstituentRelationships({ c, canWrite }: { c: Constituent; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const relationships = useRelationships(c.id);
  const [isAdding, setAdding] = useState(false);
  const [status, setStatus] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: constituentKeys.one(c.id) });
  const remove = useConfirmedAction({
    mutationFn: (r: Relationship) => api.delete<void>(`/api/v1/constituents/${c.id}/relationships/${r.id}`),
    onSuccess: (_x, r) => {
      setStatus(`Removed the link to ${r.other.displayName}.`);
      void refresh();
    },
  });
  const items = relationships.data ?? [];
  return (
    <section aria-labelledby="relationships" className="constituent-section">
      <h2 id="relationships" tabIndex={-1}>Household and relationships</h2>
      <StatusMessage>{status}</StatusMessage>
      <ConstituentHousehold c={c} canWrite={canWrite} onChanged={(message) => { setStatus(message); void refresh(); }} />
      <h3>Relationships</h3>
      <QueryStatus query={relationships} loading="Loading relationships…" isEmpty={relationships.isSuccess && items.length === 0} empty="No relationships recorded." />
      {items.length ? (
        <DataTable id="relationships-table" caption={`Relationships of ${c.displayName}`} columns={['Relationship', 'With', 'Note', canWrite && 'Actions']} className="table table-compact">
          {items.map((r) => (
            <tr key={r.id}>
              <td>{humanize(r.label)}</td>
              <td><Link to={`/constituents/${r.other.id}`}>{r.other.displayName}</Link></td>
              <td>{r.note || '—'}</td>
              {canWrite ? (
                <td className="actions">
                  <button type="button" className="button button-small" onClick={() => remove.ask(r)}>
                    Remove<span className="visually-hidden"> link to {r.other.displayName}</span>
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      ) : null}
      {canWrite && !isAdding ? <OpenFormButton onClick={() => setAdding(true)}>Add a relationship</OpenFormButton> : null}
      {canWrite && isAdding ? (
        <AddRelationshipForm
          c={c}
          onCancel={() => setAdding(false)}
          onAdded={(r) => {
            setAdding(false);
            setStatus(`${c.displayName} is now linked to ${r.other.displayName} (${humanize(r.label).toLowerCase()}).`);
            void refresh();
          }}
        />
      ) : null}
      {remove.target ? (
        <ConfirmDialog title={`Remove the link to ${remove.target.other.displayName}?`} confirmLabel="Remove link" isDanger {...remove.confirmProps}>
          <p>
            {c.displayName} will no longer be recorded as “{humanize(remove.target.label).toLowerCase()}” {remove.target.other.displayName}. Neither record is deleted.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function AddRelationshipForm({ c, onAdded, onCancel }: { c: Constituent; onAdded: (r: Relationship) => void; onCancel: () => void }) {
  const [other, setOther] = useState<ConstituentSummary | null>(null);
  const [kind, setKind] = useState<Kind>('relative');
  const [note, setNote] = useState('');
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: () => {
      if (!other) throw formProblem([{ field: 'relatedId', message: 'Find and choose the other constituent' }]);
      return api.post<Relationship>(`/api/v1/constituents/${c.id}/relationships`, validate(ZCreateRelationship, { relatedId: other.id, kind, note }));
    },
    onSuccess: onAdded,
  });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="add-relationship-heading">
      <h3 id="add-relationship-heading">Add a relationship</h3>
      <ErrorSummary
        error={mutation.error}
        fields={{
          relatedId: { id: 'rel-other-q', label: 'Related to' },
          kind: { id: 'rel-kind', label: 'Relationship' },
          note: { id: 'rel-note', label: 'Note' },
        }}
      />
      <SelectField id="rel-kind" label={`${c.displayName} is…`} value={kind} onChange={(e) => setKind(e.target.value as Kind)} error={errors.kind}>
        {RELATIONSHIP_KINDS.map((k) => <option key={k} value={k}>{humanize(k)}</option>)}
      </SelectField>
      <ConstituentPicker id="rel-other" legend="Related to" excludeIds={[c.id]} value={other} onChange={setOther} error={errors.relatedId} />
      <TextField id="rel-note" label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} error={errors.note} />
      <FormActions label="Add relationship" busyLabel="Adding…" isBusy={mutation.isPending} onCancel={onCancel} />
    </form>
  );
}
