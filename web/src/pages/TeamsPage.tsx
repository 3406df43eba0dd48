// Teams of the office: create, rename/describe, choose members, delete (the server refuses
// while cases refer to the team, and its message is shown).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Team } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { keys } from '../api/queries.js';
import { StatusMessage } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useCan } from '../session.js';
import { EditTeamDialog, TeamDetailsForm, TeamMembersDialog } from './TeamForms.js';

type Dialog = { kind: 'edit' | 'members'; team: Team } | null;

export function TeamsPage() {
  const can = useCan();
  const canManage = can('team.manage');
  const queryClient = useQueryClient();
  const [isCreating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [status, setStatus] = useState('');
  const teams = useQuery({ queryKey: keys.teams, queryFn: () => api.get<{ items: Team[] }>('/api/v1/teams') });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.teams });

  const remove = useConfirmedAction({
    mutationFn: (team: Team) => api.delete<void>(`/api/v1/teams/${team.id}`),
    onSuccess: (_r, team) => {
      queryClient.setQueryData<{ items: Team[] }>(keys.teams, (old) => old && { items: old.items.filter((t) => t.id !== team.id) });
      setStatus(`Team ${team.name} deleted.`);
      void refresh();
    },
  });

  function saved(message: string) {
    setDialog(null);
    setStatus(message);
    void refresh();
    void queryClient.invalidateQueries({ queryKey: ['users'] });
  }

  return (
    <Page title="Teams" lead="Groups of staff that cases can be assigned to.">
      <StatusMessage>{status}</StatusMessage>
      {canManage && !isCreating ? <OpenFormButton onClick={() => setCreating(true)}>Add a team</OpenFormButton> : null}
      {canManage && isCreating ? (
        <section className="card" aria-labelledby="create-team-heading">
          <h2 id="create-team-heading">Add a team</h2>
          <TeamDetailsForm
            idPrefix="new-team"
            onCancel={() => setCreating(false)}
            onSaved={(team) => {
              setCreating(false);
              saved(`Team ${team.name} created.`);
            }}
          />
        </section>
      ) : null}

      <QueryStatus query={teams} loading="Loading teams…" isEmpty={teams.data?.items.length === 0} empty="There are no teams yet." />
      {teams.data && teams.data.items.length > 0 ? (
        <ul className="card-list" aria-label="Teams">
          {teams.data.items.map((team) => (
            <li key={team.id} className="card team-card">
              <h2>{team.name}</h2>
              {team.description ? <p>{team.description}</p> : null}
              <p className="hint">
                {team.members.length === 0 ? 'No members' : `${team.members.length} member${team.members.length === 1 ? '' : 's'}`}
              </p>
              {team.members.length ? (
                <ul className="member-list" aria-label={`Members of ${team.name}`}>
                  {team.members.map((m) => (
                    <li key={m.userId}>
                      {m.displayName}
                      {m.isManager ? <span className="badge badge-info">Manager</span> : null}
                    </li>
                  ))}
                </ul>
              ) : null}
              {canManage ? (
                <div className="button-row">
                  <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'edit', team })}>
                    Rename<span className="visually-hidden"> {team.name}</span>
                  </button>
                  <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'members', team })}>
                    Edit members<span className="visually-hidden"> of {team.name}</span>
                  </button>
                  <button type="button" className="button button-small button-danger" onClick={() => remove.ask(team)}>
                    Delete<span className="visually-hidden"> {team.name}</span>
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}

      {dialog?.kind === 'edit' ? <EditTeamDialog team={dialog.team} onClose={() => setDialog(null)} onSaved={(t) => saved(`Team ${t.name} saved.`)} /> : null}
      {dialog?.kind === 'members' ? (
        <TeamMembersDialog team={dialog.team} onClose={() => setDialog(null)} onSaved={(t) => saved(`Members of ${t.name} saved.`)} />
      ) : null}
      {remove.target ? (
        <ConfirmDialog title={`Delete team ${remove.target.name}?`} confirmLabel="Delete team" isDanger {...remove.confirmProps}>
          <p>This cannot be undone. A team that cases are assigned to cannot be deleted.</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
