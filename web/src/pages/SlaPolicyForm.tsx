// Adding an SLA policy (inline) or editing one (in a dialog). Targets are entered in hours
// and sent in minutes; the server's messages appear beside the fields.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { SLA_PRIORITIES, type SlaPolicy } from '../../../contract/sla.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { caseKeys, categoryLabel, PRIORITY_LABELS, useCategories } from './CaseQueries.js';

const FIELDS = {
  categoryId: { id: 'sla-category', label: 'Category' },
  priority: { id: 'sla-priority', label: 'Priority' },
  firstResponseMinutes: { id: 'sla-first', label: 'First response within' },
  resolutionMinutes: { id: 'sla-resolution', label: 'Resolved within' },
  clock: { id: 'sla-clock', label: 'Clock' },
  warnPercent: { id: 'sla-warn', label: 'Warn at' },
};

const toMinutes = (hours: string) => (hours.trim() === '' ? Number.NaN : Math.round(Number(hours) * 60 * 1000) / 1000);

export function SlaPolicyForm({ policy, onDone }: { policy?: SlaPolicy; onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const categories = useCategories();
  const [v, setV] = useState({
    categoryId: policy?.categoryId ?? '',
    priority: policy?.priority ?? 'normal',
    first: policy ? String(policy.firstResponseMinutes / 60) : '8',
    resolution: policy ? String(policy.resolutionMinutes / 60) : '40',
    clock: policy?.clock ?? 'business',
    pauseWhileWaiting: policy?.pauseWhileWaiting ?? true,
    warnPercent: String(policy?.warnPercent ?? 80),
  });
  const edit = (change: Partial<typeof v>) => setV({ ...v, ...change });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        firstResponseMinutes: toMinutes(v.first), resolutionMinutes: toMinutes(v.resolution), clock: v.clock,
        pauseWhileWaiting: v.pauseWhileWaiting, warnPercent: Number(v.warnPercent),
      };
      return policy
        ? api.patch(`/api/v1/sla/policies/${policy.id}`, body)
        : api.post('/api/v1/sla/policies', { ...body, categoryId: v.categoryId || null, priority: v.priority });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: caseKeys.slaPolicies });
      onDone(policy ? 'Policy saved.' : 'Policy added.');
    },
  });
  const errors = fieldErrorsOf(save.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  const form = (
    <form className="form card" onSubmit={submit} noValidate aria-label={policy ? undefined : 'Add a policy'}>
      <ErrorSummary error={save.error} fields={FIELDS} />
      {policy ? null : (
        <>
          <SelectField id={FIELDS.categoryId.id} label="Category" value={v.categoryId} onChange={(e) => edit({ categoryId: e.target.value })} error={errors.categoryId}>
            <option value="">Office default (any category without its own policy)</option>
            {(categories.data ?? []).map((c) => <option key={c.id} value={c.id}>{categoryLabel(c)}</option>)}
          </SelectField>
          <SelectField id={FIELDS.priority.id} label="Priority" value={v.priority} onChange={(e) => edit({ priority: e.target.value as typeof v.priority })} error={errors.priority}>
            {SLA_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
          </SelectField>
        </>
      )}
      <TextField id={FIELDS.firstResponseMinutes.id} label="First response within (hours)" inputMode="decimal" value={v.first} onChange={(e) => edit({ first: e.target.value })} error={errors.firstResponseMinutes} />
      <TextField id={FIELDS.resolutionMinutes.id} label="Resolved within (hours)" inputMode="decimal" value={v.resolution} onChange={(e) => edit({ resolution: e.target.value })} error={errors.resolutionMinutes} />
      <SelectField id={FIELDS.clock.id} label="Clock" value={v.clock} onChange={(e) => edit({ clock: e.target.value as typeof v.clock })} error={errors.clock}>
        <option value="business">Business hours (skips nights, weekends and holidays)</option>
        <option value="calendar">Calendar (around the clock)</option>
      </SelectField>
      <TextField id={FIELDS.warnPercent.id} label="Warn the assignee at (% of the time used)" inputMode="numeric" value={v.warnPercent} onChange={(e) => edit({ warnPercent: e.target.value })} error={errors.warnPercent} />
      <label className="check">
        <input type="checkbox" checked={v.pauseWhileWaiting} onChange={(e) => edit({ pauseWhileWaiting: e.target.checked })} /> Pause the clock while waiting on the resident
      </label>
      <FormActions label={policy ? 'Save policy' : 'Add policy'} busyLabel="Saving…" isBusy={save.isPending} onCancel={() => onDone('')} />
    </form>
  );
  if (!policy) return form;
  return <Modal title={`Edit the policy for ${policy.categoryName ?? 'the office default'}, ${PRIORITY_LABELS[policy.priority].toLowerCase()} priority`} onClose={() => onDone('')}>{form}</Modal>;
}
