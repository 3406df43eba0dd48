// The triage rule form (a new rule, or one being edited): its name, conditions and actions,
// a dry run over the office's recent messages, and saving. Both the browser (the contract's
// schemas) and the server (safety of the pattern, records named) put errors beside the field.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ZCreateTriageRule, ZTriageDryRun, ZUpdateTriageRule, type TriageDryRunResult, type TriageRule } from '../../../contract/triage.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextField } from '../components/FormFields.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { dryRunSummary, TriageDryRunResults } from './TriageDryRunResults.js';
import type { useRuleChoices } from './TriageQueries.js';
import { TriageRuleActions } from './TriageRuleActions.js';
import { TriageRuleConditions } from './TriageRuleConditions.js';
import { actionsOf, conditionsOf, draftOf, EMPTY_DRAFT, RULE_FIELDS, type RuleDraft } from './TriageRuleDraft.js';

export function TriageRuleForm({ rule, choices, onCancel, onSaved }: {
  /** The rule being edited; null for a new one. */
  rule: TriageRule | null;
  choices: ReturnType<typeof useRuleChoices>;
  onCancel: () => void;
  onSaved: (rule: TriageRule) => void;
}) {
  const [draft, setDraft] = useState<RuleDraft>(rule ? draftOf(rule) : EMPTY_DRAFT);
  const [isEnabledNow, setEnabledNow] = useState(false);
  const [last, setLast] = useState('100');
  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const { mutation: save, submit } = useFormMutation({
    mutationFn: () => {
      const rest = { name: draft.name, conditions: conditionsOf(draft), actions: actionsOf(draft) };
      return rule
        ? api.patch<TriageRule>(`/api/v1/triage/rules/${rule.id}`, validate(ZUpdateTriageRule, rest))
        : api.post<TriageRule>('/api/v1/triage/rules', validate(ZCreateTriageRule, { ...rest, enabled: isEnabledNow }));
    },
    onSuccess: onSaved,
  });
  const dryRun = useMutation({
    mutationFn: () => api.post<TriageDryRunResult>('/api/v1/triage/rules/dry-run', validate(ZTriageDryRun, { conditions: conditionsOf(draft), actions: actionsOf(draft), last: Number(last) })),
  });
  // One error at a time: each of saving and the dry run clears the other's.
  const error = save.error ?? dryRun.error;
  const errors = fieldErrorsOf(error);
  const headingId = 'triage-rule-form-heading';
  return (
    <form className="form card" onSubmit={(e) => { dryRun.reset(); submit(e); }} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>{rule ? `Edit the rule ${rule.name}` : 'Add a rule'}</h2>
      <ErrorSummary error={error} fields={RULE_FIELDS} />
      <TextField id={RULE_FIELDS.name.id} label="Name" hint="Shown on the case when the rule acts." autoComplete="off" autoFocus
        value={draft.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} />
      <TriageRuleConditions draft={draft} set={set} errors={errors} choices={choices} />
      <TriageRuleActions draft={draft} set={set} errors={errors} choices={choices} />
      <section aria-labelledby="triage-rule-try">
        <h3 id="triage-rule-try">Try it first</h3>
        <p className="hint">A dry run tries the rule on recent messages and lists what it would have done. Nothing is changed.</p>
        <div className="inline-form">
          <SelectField id="triage-rule-last" label="Messages to try it on" value={last} onChange={(e) => setLast(e.target.value)} error={errors.last}>
            <option value="100">The last 100</option>
            <option value="500">The last 500</option>
          </SelectField>
          <div className="field">
            <button type="button" className="button" onClick={() => { save.reset(); dryRun.mutate(); }} disabled={dryRun.isPending}>
              {dryRun.isPending ? 'Trying…' : 'Dry run'}
            </button>
          </div>
        </div>
        <StatusMessage>{dryRun.data ? dryRunSummary(dryRun.data) : ''}</StatusMessage>
        {dryRun.data ? <TriageDryRunResults result={dryRun.data} /> : null}
      </section>
      {rule ? null : (
        <p>
          <label className="check">
            <input type="checkbox" checked={isEnabledNow} onChange={(e) => setEnabledNow(e.target.checked)} /> Enable now (otherwise the rule is saved switched off, to try first)
          </label>
        </p>
      )}
      <FormActions label={rule ? 'Save rule' : 'Add rule'} busyLabel="Saving…" isBusy={save.isPending} onCancel={onCancel} />
    </form>
  );
}
