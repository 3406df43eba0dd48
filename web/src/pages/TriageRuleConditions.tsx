// The "when" half of the triage rule form: every condition of the contract's
// ZTriageConditions, each left empty (or "Any") when the rule does not ask it.
import type { FieldErrors } from '../api/client.js';
import { CheckboxGroup } from '../components/CheckboxGroup.js';
import { errorAt, SelectField, TextAreaField, TextField } from '../components/FormFields.js';
import { RULE_CHANNELS, type useRuleChoices } from './TriageQueries.js';
import { RULE_FIELDS, type RuleDraft, type RuleField, type YesNoAny } from './TriageRuleDraft.js';

export type RuleFieldsProps = {
  draft: RuleDraft;
  set: (patch: Partial<RuleDraft>) => void;
  errors: FieldErrors;
  choices: ReturnType<typeof useRuleChoices>;
};

function YesNoAnyField({ field, label, yes, no, value, onChange, error }: {
  field: RuleField; label: string; yes: string; no: string; value: YesNoAny; onChange: (v: YesNoAny) => void; error: string | undefined;
}) {
  return (
    <SelectField id={RULE_FIELDS[field].id} label={label} value={value} onChange={(e) => onChange(e.target.value as YesNoAny)} error={error}>
      <option value="">Any</option>
      <option value="yes">{yes}</option>
      <option value="no">{no}</option>
    </SelectField>
  );
}

export function TriageRuleConditions({ draft, set, errors, choices }: RuleFieldsProps) {
  const at = (field: RuleField) => errorAt(errors, field);
  const id = (field: RuleField) => RULE_FIELDS[field].id;
  return (
    <section aria-labelledby="triage-rule-when">
      <h3 id="triage-rule-when">When</h3>
      <p className="hint">Every condition filled in must hold; a rule without conditions acts on every message.</p>
      <CheckboxGroup id={id('conditions.channels')} legend="Channels" hint="None ticked: any channel." choices={RULE_CHANNELS}
        value={draft.channels} onChange={(channels) => set({ channels })} error={at('conditions.channels')} />
      <TextAreaField id={id('conditions.senders')} label="Senders" hint="Email addresses or phone numbers, one a line." rows={3}
        value={draft.senders} onChange={(e) => set({ senders: e.target.value })} error={at('conditions.senders')} />
      <TextAreaField id={id('conditions.senderDomains')} label="Sender domains" hint="One a line, such as example.org (which also covers mail.example.org)." rows={3}
        value={draft.senderDomains} onChange={(e) => set({ senderDomains: e.target.value })} error={at('conditions.senderDomains')} />
      <YesNoAnyField field="conditions.knownSender" label="Sender on file" yes="Yes: already on file" no="No: new or not identified"
        value={draft.knownSender} onChange={(knownSender) => set({ knownSender })} error={at('conditions.knownSender')} />
      <TextField id={id('conditions.constituentTags')} label="Sender tagged" hint="Any of these tags on the sender's record, separated by commas." autoComplete="off"
        value={draft.constituentTags} onChange={(e) => set({ constituentTags: e.target.value })} error={at('conditions.constituentTags')} />
      <TextAreaField id={id('conditions.words')} label="Words or phrases" hint="Any of these, one a line, as whole words in the subject or the message; capitals and accents are ignored." rows={4}
        value={draft.words} onChange={(e) => set({ words: e.target.value })} error={at('conditions.words')} />
      <TextField id={id('conditions.pattern')} label="Pattern" autoComplete="off" spellCheck={false} className="mono"
        hint="A regular expression tried on the subject and the message, ignoring capitals. Patterns are checked for safety when saved: one that could take too long on some messages is refused."
        value={draft.pattern} onChange={(e) => set({ pattern: e.target.value })} error={at('conditions.pattern')} />
      <TextField id={id('conditions.languages')} label="Languages" hint="Language codes such as en or es, separated by commas." autoComplete="off" spellCheck={false}
        value={draft.languages} onChange={(e) => set({ languages: e.target.value })} error={at('conditions.languages')} />
      <CheckboxGroup id={id('conditions.wardIds')} legend="Wards" hint="Of the report's location or the sender's address. None ticked: anywhere." choices={choices.wards}
        empty="No wards are loaded." value={draft.wardIds} onChange={(wardIds) => set({ wardIds })} error={at('conditions.wardIds')} />
      <CheckboxGroup id={id('conditions.categoryIds')} legend="Categories" hint="The category so far (set by an earlier rule or the classifier), or one below it. None ticked: any."
        choices={choices.categories} empty="There are no categories yet." value={draft.categoryIds} onChange={(categoryIds) => set({ categoryIds })} error={at('conditions.categoryIds')} />
      <div className="form-grid">
        <TextField id={id('conditions.hours')} label="Arrives from" type="time" hint="Office time. Leave both empty for any time."
          value={draft.hoursFrom} onChange={(e) => set({ hoursFrom: e.target.value })} error={errors['conditions.hours'] ?? errors['conditions.hours.from']} />
        <TextField id={id('conditions.hours.to')} label="Until" type="time" hint="Before this time; earlier than the start spans midnight."
          value={draft.hoursTo} onChange={(e) => set({ hoursTo: e.target.value })} error={errors['conditions.hours.to']} />
      </div>
      <YesNoAnyField field="conditions.hasAttachment" label="Attachment" yes="Has an attachment" no="Has no attachment"
        value={draft.hasAttachment} onChange={(hasAttachment) => set({ hasAttachment })} error={at('conditions.hasAttachment')} />
      <YesNoAnyField field="conditions.urgent" label="Urgent content" yes="Urgent or safeguarding content found" no="None found"
        value={draft.urgent} onChange={(urgent) => set({ urgent })} error={at('conditions.urgent')} />
    </section>
  );
}
