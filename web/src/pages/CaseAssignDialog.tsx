// Assigning or reassigning a case: a team and/or a person (a member of that team when one
// is chosen). "Assign to me" is one click.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { AssignCase, Case } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { useAllUsers } from '../api/queries.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { useCan, useSession } from '../session.js';
import { caseKeys, useTeams } from './CaseQueries.js';

const FIELDS = { teamId: { id: 'assign-team', label: 'Team' }, assigneeId: { id: 'assign-user', label: 'Assignee' } };

export function CaseAssignDialog({ kase, onClose, onDone }: { kase: Case; onClose: () => void; onDone: (c: Case) => void }) {
  const queryClient = useQueryClient();
  const can = useCan();
  const session = useSession();
  const teams = useTeams(can('team.read'));
  const users = useAllUsers(can('user.read'));
  const [teamId, setTeamId] = useState(kase.team?.id ?? '');
  const [assigneeId, setAssigneeId] = useState(kase.assignee?.id ?? '');
  const team = teams.data?.items.find((t) => t.id === teamId);
  const people = team
    ? team.members.map((m) => ({ id: m.userId, name: m.displayName }))
    : (users.data ?? []).filter((u) => u.status === 'active').map((u) => ({ id: u.id, name: u.displayName }));
  const assign = useMutation({
    mutationFn: (body: AssignCase) => api.post<Case>(`/api/v1/cases/${kase.id}/assign`, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(caseKeys.one(kase.id), updated);
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      onDone(updated);
    },
  });
  const errors = fieldErrorsOf(assign.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    assign.mutate({ teamId: teamId || null, assigneeId: assigneeId || null });
  }
  return (
    <Modal title={`Assign ${kase.reference}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={assign.error} fields={FIELDS} />
        <SelectField id={FIELDS.teamId.id} label="Team" value={teamId} onChange={(e) => setTeamId(e.target.value)} error={errors.teamId}>
          <option value="">No team</option>
          {(teams.data?.items ?? []).map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </SelectField>
        <SelectField
          id={FIELDS.assigneeId.id}
          label="Assignee"
          hint={team ? `Members of ${team.name}.` : undefined}
          value={assigneeId}
          onChange={(e) => setAssigneeId(e.target.value)}
          error={errors.assigneeId}
        >
          <option value="">Nobody</option>
          {people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          {assigneeId && !people.some((p) => p.id === assigneeId) ? <option value={assigneeId}>{kase.assignee?.name ?? 'Current assignee'}</option> : null}
        </SelectField>
        <FormActions label="Save assignment" busyLabel="Saving…" isBusy={assign.isPending} onCancel={onClose} />
        {kase.assignee?.id !== session.user.id ? (
          <p>
            <button type="button" className="button button-link" onClick={() => assign.mutate({ assigneeId: session.user.id, teamId: teamId || null })}>
              Assign to me
            </button>
          </p>
        ) : null}
      </form>
    </Modal>
  );
}
