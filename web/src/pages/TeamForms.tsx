// Team dialogs: name and description, and the member picker (with a manager flag per member).
import { useState } from 'react';
import { ZCreateTeam, ZSetMembers, ZUpdateTeam, type Team } from '../../../contract/index.js';
import { api, validate } from '../api/client.js';
import { useAllUsers } from '../api/queries.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, TextAreaField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useFormMutation } from '../hooks/useFormMutation.js';

/** Create (team undefined) or rename/describe a team. */
export function TeamDetailsForm({ team, idPrefix, onSaved, onCancel }: { team?: Team; idPrefix: string; onSaved: (team: Team) => void; onCancel: () => void }) {
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () =>
      team
        ? api.patch<Team>(`/api/v1/teams/${team.id}`, validate(ZUpdateTeam, { name, description }))
        : api.post<Team>('/api/v1/teams', validate(ZCreateTeam, { name, description })),
    onSuccess: onSaved,
  });
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary
        error={save.error}
        fields={{ name: { id: `${idPrefix}-name`, label: 'Name' }, description: { id: `${idPrefix}-description`, label: 'Description' } }}
      />
      <TextField id={`${idPrefix}-name`} label="Name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <TextAreaField id={`${idPrefix}-description`} label="Description (optional)" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} />
      <FormActions label={team ? 'Save changes' : 'Create team'} busyLabel="Saving…" isBusy={save.isPending} onCancel={onCancel} />
    </form>
  );
}

export function EditTeamDialog({ team, onSaved, onClose }: { team: Team; onSaved: (team: Team) => void; onClose: () => void }) {
  return (
    <Modal title={`Edit team ${team.name}`} onClose={onClose}>
      <TeamDetailsForm team={team} idPrefix="edit-team" onSaved={onSaved} onCancel={onClose} />
    </Modal>
  );
}

/** A table cell holding one checkbox, named for screen readers only. */
function CheckCell({ checked, onChange, label }: { checked: boolean; onChange: (checked: boolean) => void; label: string }) {
  return (
    <td>
      <label className="check-only">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        <span className="visually-hidden">{label}</span>
      </label>
    </td>
  );
}

type Membership = Record<string, { isMember: boolean; isManager: boolean }>;

export function TeamMembersDialog({ team, onSaved, onClose }: { team: Team; onSaved: (team: Team) => void; onClose: () => void }) {
  const users = useAllUsers();
  const [membership, setMembership] = useState<Membership>(() =>
    Object.fromEntries(team.members.map((m) => [m.userId, { isMember: true, isManager: m.isManager }])),
  );
  const { mutation: save, submit } = useFormMutation({
    mutationFn: () => {
      const members = Object.entries(membership)
        .filter(([, m]) => m.isMember)
        .map(([userId, m]) => ({ userId, isManager: m.isManager }));
      return api.put<Team>(`/api/v1/teams/${team.id}/members`, validate(ZSetMembers, { members }));
    },
    onSuccess: onSaved,
  });
  function toggle(userId: string, change: Partial<{ isMember: boolean; isManager: boolean }>) {
    setMembership((prev) => {
      const next = { isMember: false, isManager: false, ...prev[userId], ...change };
      if (!next.isMember) next.isManager = false;
      if (next.isManager) next.isMember = true;
      return { ...prev, [userId]: next };
    });
  }
  const count = Object.values(membership).filter((m) => m.isMember).length;
  return (
    <Modal title={`Members of ${team.name}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={save.error} />
        <QueryStatus query={users} loading="Loading users…" />
        {users.data ? (
          <DataTable
            id="members"
            caption={`Choose members (${count} selected)`}
            className="table table-compact"
            wrapClassName="table-wrap table-wrap-tall"
            columns={['User', 'Member', 'Manager']}
          >
            {users.data.map((u) => {
              const m = membership[u.id];
              return (
                <tr key={u.id}>
                  <th scope="row">
                    {u.displayName}
                    {u.status === 'disabled' ? ' (disabled)' : ''}
                    <span className="hint block">{u.email}</span>
                  </th>
                  <CheckCell checked={m?.isMember ?? false} onChange={(isMember) => toggle(u.id, { isMember })} label={`${u.displayName} is a member`} />
                  <CheckCell checked={m?.isManager ?? false} onChange={(isManager) => toggle(u.id, { isManager })} label={`${u.displayName} manages the team`} />
                </tr>
              );
            })}
          </DataTable>
        ) : null}
        <FormActions label="Save members" busyLabel="Saving…" isBusy={save.isPending} isDisabled={!users.data} onCancel={onClose} />
      </form>
    </Modal>
  );
}
