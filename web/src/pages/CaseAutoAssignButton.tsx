// "Assign by rules": runs automatic assignment on the case now and says what happened.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AutoAssignResult } from '../../../contract/assignment.js';
import { api } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';
import { caseKeys } from './CaseQueries.js';

function describe(r: AutoAssignResult): string {
  const o = r.outcome;
  if (o.reason === 'no_match') return 'No rule matched and there is no default team: nothing changed.';
  const why = o.rule ? ` by rule “${o.rule.name}”` : o.reason === 'default_team' ? ' (the default team)' : '';
  return o.assignee ? `Assigned to ${o.assignee.name} (${o.team?.name})${why}.` : `Sent to ${o.team?.name}${why}; nobody there can take it now, so its managers were told.`;
}

export function CaseAutoAssignButton({ caseId, onDone }: { caseId: string; onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: () => api.post<AutoAssignResult>(`/api/v1/cases/${caseId}/auto-assign`),
    onSuccess: (r) => {
      queryClient.setQueryData(caseKeys.one(caseId), r.case);
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      onDone(describe(r));
    },
  });
  return (
    <>
      <button type="button" className="button" onClick={() => run.mutate()} disabled={run.isPending}>
        {run.isPending ? 'Assigning…' : 'Assign by rules'}
      </button>
      {run.error ? <ErrorText error={run.error} /> : null}
    </>
  );
}
