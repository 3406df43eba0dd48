// Bulk actions on the selected cases: assign, change status or add a tag. Each case is
// checked on its own by the server; the answer lists what changed and why others did not.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { BulkCaseAction, BulkCaseResult } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { useAllUsers } from '../api/queries.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextAreaField, TextField } from '../components/FormFields.js';
import { useCan } from '../session.js';
import { caseKeys, useTeams, useWorkflow } from './CaseQueries.js';

type Kind = BulkCaseAction['action'];

export function CaseBulkActions({ selectedIds, references, onDone }: { selectedIds: string[]; references: Record<string, string>; onDone: () => void }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const workflow = useWorkflow();
  const users = useAllUsers(can('user.read') && can('case.assign'));
  const teams = useTeams(can('team.read') && can('case.assign'));
  const [kind, setKind] = useState<Kind>(can('case.assign') ? 'assign' : 'status');
  const [v, setV] = useState({ assigneeId: '', teamId: '', status: '', resolutionCode: '', resolutionSummary: '', tag: '' });
  const [result, setResult] = useState<BulkCaseResult | null>(null);
  const edit = (change: Partial<typeof v>) => setV({ ...v, ...change });
  const target = workflow.data?.statuses.find((s) => s.key === v.status);
  const needsResolution = target?.category === 'resolved' || target?.category === 'closed';
  const run = useMutation({
    mutationFn: () => {
      const ids = selectedIds;
      const body: BulkCaseAction = kind === 'assign'
        ? { action: 'assign', ids, assigneeId: v.assigneeId || null, teamId: v.teamId || null }
        : kind === 'status'
          ? { action: 'status', ids, status: v.status, ...(needsResolution && v.resolutionCode ? { resolutionCode: v.resolutionCode } : {}), ...(needsResolution && v.resolutionSummary.trim() ? { resolutionSummary: v.resolutionSummary.trim() } : {}) }
          : { action: 'addTag', ids, tag: v.tag };
      return api.post<BulkCaseResult>('/api/v1/cases/bulk', body);
    },
    onSuccess: (r) => {
      setResult(r);
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      onDone();
    },
  });
  const errors = fieldErrorsOf(run.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    run.mutate();
  }
  const refused = result?.results.filter((r) => !r.ok) ?? [];
  return (
    <section aria-labelledby="bulk-heading">
      <h2 id="bulk-heading" className="visually-hidden">Bulk actions</h2>
      <form className="bulk-bar" onSubmit={submit} noValidate>
        <p className="hint" role="status">{selectedIds.length ? `${selectedIds.length} selected` : 'Select cases below to act on several at once.'}</p>
        <SelectField id="bulk-action" label="Action" value={kind} onChange={(e) => setKind(e.target.value as Kind)} error={errors.action}>
          {can('case.assign') ? <option value="assign">Assign</option> : null}
          <option value="status">Change status</option>
          <option value="addTag">Add a tag</option>
        </SelectField>
        {kind === 'assign' ? (
          <>
            <SelectField id="bulk-assignee" label="Assignee" value={v.assigneeId} onChange={(e) => edit({ assigneeId: e.target.value })} error={errors.assigneeId}>
              <option value="">Nobody</option>
              {(users.data ?? []).filter((u) => u.status === 'active').map((u) => <option key={u.id} value={u.id}>{u.displayName}</option>)}
            </SelectField>
            <SelectField id="bulk-team" label="Team" value={v.teamId} onChange={(e) => edit({ teamId: e.target.value })} error={errors.teamId}>
              <option value="">No team</option>
              {(teams.data?.items ?? []).map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
            </SelectField>
          </>
        ) : null}
        {kind === 'status' ? (
          <>
            <SelectField id="bulk-status" label="New status" value={v.status} onChange={(e) => edit({ status: e.target.value })} error={errors.status}>
              <option value="">Choose a status</option>
              {(workflow.data?.statuses ?? []).filter((s) => !s.retired).map((s) => <option key={s.key} value={s.key}>{s.label}</option>)}
            </SelectField>
            {needsResolution ? (
              <>
                <SelectField id="bulk-code" label="Resolution" value={v.resolutionCode} onChange={(e) => edit({ resolutionCode: e.target.value })} error={errors.resolutionCode}>
                  <option value="">Choose a resolution</option>
                  {(workflow.data?.resolutionCodes ?? []).filter((c) => !c.retired).map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
                </SelectField>
                <TextAreaField id="bulk-summary" label="Resolution summary" rows={1} value={v.resolutionSummary} onChange={(e) => edit({ resolutionSummary: e.target.value })} error={errors.resolutionSummary} />
              </>
            ) : null}
          </>
        ) : null}
        {kind === 'addTag' ? <TextField id="bulk-tag" label="Tag" value={v.tag} onChange={(e) => edit({ tag: e.target.value })} error={errors.tag} /> : null}
        <button type="submit" className="button button-primary" disabled={run.isPending || selectedIds.length === 0}>
          {run.isPending ? 'Working…' : `Apply to ${selectedIds.length} ${selectedIds.length === 1 ? 'case' : 'cases'}`}
        </button>
      </form>
      <ErrorSummary error={run.error} />
      {result ? (
        <div className="notice">
          <StatusMessage>{`${result.succeeded} changed, ${result.refused} refused.`}</StatusMessage>
          {refused.length ? (
            <ul aria-label="Cases not changed">
              {refused.map((r) => (r.ok ? null : <li key={r.id}><strong>{references[r.id] ?? r.id}</strong>: {r.reason}</li>))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
