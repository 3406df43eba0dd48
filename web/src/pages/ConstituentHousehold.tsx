// The household (people grouped at an address): its members, creating one, adding a member,
// leaving it, and deleting it (members stay, only the grouping goes).
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ZCreateHousehold, type Constituent, type ConstituentSummary } from '../../../contract/constituents.js';
import { api, validate } from '../api/client.js';
import { ErrorSummary, fieldErrorsOf, TextField } from '../components/FormFields.js';
import { FormActions } from '../components/FormActions.js';
import { ConfirmDialog } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { ConstituentPicker } from './ConstituentPicker.js';
import { formProblem } from './ConstituentQueries.js';

type Household = NonNullable<Constituent['household']>;
type Props = { c: Constituent; canWrite: boolean; onChanged: (message: string) => void };

export function ConstituentHousehold({ c, canWrite, onChanged }: Props) {
  const [isCreating, setCreating] = useState(false);
  const leave = useConfirmedAction({
    mutationFn: () => api.patch<Constituent>(`/api/v1/constituents/${c.id}`, { householdId: null }),
    onSuccess: (_r) => onChanged(`${c.displayName} left the household.`),
  });
  const remove = useConfirmedAction({
    mutationFn: (h: Household) => api.delete<void>(`/api/v1/households/${h.id}`),
    onSuccess: (_r, h) => onChanged(`Household “${h.name}” deleted.`),
  });
  const h = c.household;
  return (
    <>
      <h3>Household</h3>
      {h ? (
        <div className="card">
          <p><strong>{h.name}</strong></p>
          <ul className="member-list" aria-label={`Members of ${h.name}`}>
            {h.members.map((m) => (
              <li key={m.id}>{m.id === c.id ? `${m.displayName} (this record)` : <Link to={`/constituents/${m.id}`}>{m.displayName}</Link>}</li>
            ))}
          </ul>
          {canWrite ? (
            <>
              <AddMemberForm household={h} onAdded={(name) => onChanged(`${name} joined the household.`)} />
              <div className="button-row">
                <button type="button" className="button" onClick={() => leave.ask(true)}>Leave household</button>
                <button type="button" className="button button-danger" onClick={() => remove.ask(h)}>Delete household</button>
              </div>
            </>
          ) : null}
        </div>
      ) : (
        <p className="hint">Not in a household.</p>
      )}
      {canWrite && !h && !isCreating ? <OpenFormButton onClick={() => setCreating(true)}>Create a household</OpenFormButton> : null}
      {canWrite && !h && isCreating ? (
        <CreateHouseholdForm
          c={c}
          onCancel={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            onChanged(`Household “${name}” created.`);
          }}
        />
      ) : null}
      {leave.target ? (
        <ConfirmDialog title={`Remove ${c.displayName} from “${h?.name ?? 'the household'}”?`} confirmLabel="Leave household" {...leave.confirmProps}>
          <p>The household and its other members stay as they are.</p>
        </ConfirmDialog>
      ) : null}
      {remove.target ? (
        <ConfirmDialog title={`Delete the household “${remove.target.name}”?`} confirmLabel="Delete household" isDanger {...remove.confirmProps}>
          <p>Its {remove.target.members.length} members keep their records; only the grouping is removed.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function CreateHouseholdForm({ c, onCreated, onCancel }: { c: Constituent; onCreated: (name: string) => void; onCancel: () => void }) {
  const [name, setName] = useState(c.familyName ? `${c.familyName} household` : '');
  const [other, setOther] = useState<ConstituentSummary | null>(null);
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: () => api.post(`/api/v1/households`, validate(ZCreateHousehold, { name, memberIds: other ? [c.id, other.id] : [c.id] })),
    onSuccess: () => onCreated(name.trim()),
  });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="create-household-heading">
      <h4 id="create-household-heading">Create a household</h4>
      <ErrorSummary error={mutation.error} fields={{ name: { id: 'household-name', label: 'Household name' }, memberIds: { id: 'household-other-q', label: 'Members' } }} />
      <TextField id="household-name" label="Household name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <ConstituentPicker id="household-other" legend="Also add (optional)" excludeIds={[c.id]} value={other} onChange={setOther} error={errors.memberIds} />
      <FormActions label="Create household" busyLabel="Creating…" isBusy={mutation.isPending} onCancel={onCancel} />
    </form>
  );
}

function AddMemberForm({ household, onAdded }: { household: Household; onAdded: (name: string) => void }) {
  const [other, setOther] = useState<ConstituentSummary | null>(null);
  const [isOpen, setOpen] = useState(false);
  const add = useMutation({
    mutationFn: () => {
      if (!other) throw formProblem([{ field: 'member', message: 'Find and choose the person to add' }]);
      return api.patch<Constituent>(`/api/v1/constituents/${other.id}`, { householdId: household.id });
    },
    onSuccess: (added) => {
      setOpen(false);
      setOther(null);
      onAdded(added.displayName);
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate();
  }
  if (!isOpen) return <OpenFormButton onClick={() => setOpen(true)}>Add a member</OpenFormButton>;
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="add-member-heading">
      <h4 id="add-member-heading">Add a member to {household.name}</h4>
      <ErrorSummary error={add.error} fields={{ member: { id: 'household-member-q', label: 'Member' } }} />
      <ConstituentPicker id="household-member" legend="Member" excludeIds={household.members.map((m) => m.id)} value={other} onChange={setOther} error={fieldErrorsOf(add.error).member} />
      <FormActions label="Add to household" busyLabel="Adding…" isBusy={add.isPending} onCancel={() => setOpen(false)} />
    </form>
  );
}
