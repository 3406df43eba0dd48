// The "then" half of the triage rule form: every action of the contract's ZTriageActions.
// A rule needs at least one; an error about the actions as a whole shows under the heading.
import { CASE_PRIORITIES } from '../../../contract/cases.js';
import { errorAt, FieldError, SelectField, TextField } from '../components/FormFields.js';
import { PRIORITY_LABELS } from './CaseQueries.js';
import type { Choice } from '../components/CheckboxGroup.js';
import type { RuleFieldsProps } from './TriageRuleConditions.js';
import { RULE_FIELDS, type RuleDraft, type RuleField } from './TriageRuleDraft.js';

type Flag = 'spam' | 'escalate' | 'stop';
const FLAGS: { flag: Flag; label: string }[] = [
  { flag: 'spam', label: 'Mark spam: no case and no reply' },
  { flag: 'escalate', label: 'Escalate: priority urgent, and the on-duty person (else the managers) alerted at once' },
  { flag: 'stop', label: 'Stop: try no later rule' },
];

const options = (choices: Choice[]) => choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>);

export function TriageRuleActions({ draft, set, errors, choices }: RuleFieldsProps) {
  const at = (field: RuleField) => errorAt(errors, field);
  const id = (field: RuleField) => RULE_FIELDS[field].id;
  const pick = (field: RuleField, key: keyof RuleDraft, label: string, none: string, list: Choice[], hint?: string) => (
    <SelectField id={id(field)} label={label} hint={hint} value={draft[key] as string} onChange={(e) => set({ [key]: e.target.value })} error={at(field)}>
      <option value="">{none}</option>
      {options(list)}
    </SelectField>
  );
  const whole = errors.actions;
  return (
    <section aria-labelledby={RULE_FIELDS.actions.id} aria-describedby={whole ? `${RULE_FIELDS.actions.id}-error` : undefined}>
      <h3 id={RULE_FIELDS.actions.id} tabIndex={-1}>Then</h3>
      {whole ? <FieldError id={`${RULE_FIELDS.actions.id}-error`}>{whole}</FieldError> : null}
      {pick('actions.categoryId', 'categoryId', 'Set the category', 'Leave as it is', choices.categories)}
      <TextField id={id('actions.tags')} label="Add tags" hint="Separated by commas." autoComplete="off"
        value={draft.tags} onChange={(e) => set({ tags: e.target.value })} error={at('actions.tags')} />
      {pick('actions.priority', 'priority', 'Set the priority', 'Leave as it is', CASE_PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] })))}
      {pick('actions.teamId', 'teamId', 'Send to team', 'No team', choices.teams, 'The team shares it out its own way (in turn or by load).')}
      {pick('actions.assigneeId', 'assigneeId', 'Assign to', 'Nobody in particular', choices.users, 'A person named here takes it, whatever the team would choose.')}
      {pick('actions.replyTemplateId', 'replyTemplateId', 'Send an approved reply', 'No reply', choices.templates, "Sent at once on the resident's own channel.")}
      {FLAGS.map(({ flag, label }) => (
        <div key={flag} className={at(`actions.${flag}`) ? 'field field-invalid' : 'field'}>
          {at(`actions.${flag}`) ? <FieldError id={`${id(`actions.${flag}`)}-error`}>{at(`actions.${flag}`)}</FieldError> : null}
          <label className="check">
            <input id={id(`actions.${flag}`)} type="checkbox" checked={draft[flag]} onChange={(e) => set({ [flag]: e.target.checked })}
              aria-invalid={at(`actions.${flag}`) ? true : undefined} aria-describedby={at(`actions.${flag}`) ? `${id(`actions.${flag}`)}-error` : undefined} /> {label}
          </label>
        </div>
      ))}
    </section>
  );
}
