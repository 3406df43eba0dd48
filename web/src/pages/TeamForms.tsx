// Team dialogs: name and description, and the member picker (with a manager flag per member).
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ZCreateTeam, ZSetMembers, ZUpdateTeam, type Team } from '../../../contract/index.js';
import { api, errorMessage, validate } from '../api/client.js';
import { useAllUsers } from '../api/queries.js';
import { ErrorSummary, fieldErrorsOf, TextAreaField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';

/** Create (team undefined) or rename/describe a team. */
export function TeamDetailsForm({ team, idPrefix, onSaved, onCancel }: { team?: Team; idPrefix: string; onSaved: (team: Team) => void; onCancel: () => void }) {
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const save = useMutation({
    mutationFn: () =>
      team
        ? api.patch<Team>(`/api/v1/teams/${team.id}`, validate(ZUpdateTeam, { name, description }))
        : api.post<Team>('/api/v1/teams', validate(ZCreateTeam, { name, description })),
    onSuccess: onSaved,
  });
  const errors = fieldErrorsOf(save.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary
        error={save.error}
        fields={{ name: { id: `${idPrefix}-name`, label: 'Name' }, description: { id: `${idPrefix}-description`, label: 'Description' } }}
      />
      <TextField id={`${idPrefix}-name`} label="Name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <TextAreaField id={`${idPrefix}-description`} label="Description (optional)" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : team ? 'Save changes' : 'Create team'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
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

type Membership = Record<string, { isMember: boolean; isManager: boolean }>;

export function TeamMembersDialog({ team, onSaved, onClose }: { team: Team; onSaved: (team: Team) => void; onClose: () => void }) {
  const users = useAllUsers();
  const [membership, setMembership] = useState<Membership>(() =>
    Object.fromEntries(team.members.map((m) => [m.userId, { isMember: true, isManager: m.isManager }])),
  );
  const save = useMutation({
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
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  const count = Object.values(membership).filter((m) => m.isMember).length;
  return (
    <Modal title={`Members of ${team.name}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={save.error} />
        {users.isPending ? <p role="status">Loading users…</p> : null}
        {users.isError ? <p role="alert" className="error-text">{errorMessage(users.error)}</p> : null}
        {users.data ? (
          <div className="table-wrap table-wrap-tall" role="region" aria-labelledby="members-caption" tabIndex={0}>
            <table className="table table-compact">
              <caption id="members-caption">
                Choose members ({count} selected)
              </caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Member</th>
                  <th scope="col">Manager</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((u) => {
                  const m = membership[u.id];
                  return (
                    <tr key={u.id}>
                      <th scope="row">
                        {u.displayName}
                        {u.status === 'disabled' ? ' (disabled)' : ''}
                        <span className="hint block">{u.email}</span>
                      </th>
                      <td>
                        <label className="check-only">
                          <input type="checkbox" checked={m?.isMember ?? false} onChange={(e) => toggle(u.id, { isMember: e.target.checked })} />
                          <span className="visually-hidden">{u.displayName} is a member</span>
                        </label>
                      </td>
                      <td>
                        <label className="check-only">
                          <input type="checkbox" checked={m?.isManager ?? false} onChange={(e) => toggle(u.id, { isManager: e.target.checked })} />
                          <span className="visually-hidden">{u.displayName} manages the team</span>
                        </label>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={save.isPending || !users.data}>
            {save.isPending ? 'Saving…' : 'Save members'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
