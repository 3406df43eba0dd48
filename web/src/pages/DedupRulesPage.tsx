// The office's match rules: each rule on or off with its weight, how similar names must be,
// and the score at which a pair becomes a possible duplicate. Applies to the next scan and
// to the check when someone is added.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { DEDUP_RULE_LABELS, DEDUP_RULES, ZDedupRules, type DedupRules, type DedupSettings } from '../../../contract/index.js';
import { api, validate } from '../api/client.js';
import { ErrorSummary, FieldError, StatusMessage, TextField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useFormMutation } from '../hooks/useFormMutation.js';

const RULE_HINTS: Record<(typeof DEDUP_RULES)[number], string> = {
  exactEmail: 'The same email address on both records.',
  exactPhone: 'The same phone number. Households share landlines, so by default this only adds to other evidence.',
  nameAddress: 'Similar names at the same address (“12 High St.” and “12 high street” count as the same).',
  namePostcode: 'Similar names with the same postcode.',
  nameDob: 'Similar names with the same date of birth.',
};

const KEY = ['dedup', 'rules'] as const;

export function DedupRulesPage() {
  const settings = useQuery({ queryKey: KEY, queryFn: () => api.get<DedupSettings>('/api/v1/dedup/rules') });
  return (
    <Page title="Match rules" lead="What makes two records a possible duplicate. Each rule a pair meets adds its weight; pairs reaching the threshold go to the review queue.">
      <p><Link to="/constituents/duplicates">Back to duplicates</Link></p>
      <QueryStatus query={settings} loading="Loading the rules…" />
      {settings.data ? <RulesForm settings={settings.data} /> : null}
    </Page>
  );
}

type Draft = { rules: Record<string, { enabled: boolean; weight: string }>; nameSimilarity: string; scoreThreshold: string };

const toDraft = (r: DedupRules): Draft => ({
  rules: Object.fromEntries(DEDUP_RULES.map((k) => [k, { enabled: r.rules[k].enabled, weight: String(r.rules[k].weight) }])),
  nameSimilarity: String(r.nameSimilarity),
  scoreThreshold: String(r.scoreThreshold),
});

const fromDraft = (d: Draft) => ({
  rules: Object.fromEntries(DEDUP_RULES.map((k) => [k, { enabled: d.rules[k]!.enabled, weight: Number(d.rules[k]!.weight) }])),
  nameSimilarity: Number(d.nameSimilarity),
  scoreThreshold: Number(d.scoreThreshold),
});

function RulesForm({ settings }: { settings: DedupSettings }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings.rules));
  const [status, setStatus] = useState('');
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: async () => {
      setStatus('');
      // The contract's own schema checks the form in the browser first, with the same messages.
      return api.put<DedupSettings>('/api/v1/dedup/rules', validate(ZDedupRules, fromDraft(draft)));
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(KEY, saved);
      setDraft(toDraft(saved.rules));
      setStatus('Match rules saved. They apply to the next scan and when someone is added.');
    },
  });
  const setRule = (k: string, v: Partial<{ enabled: boolean; weight: string }>) => setDraft({ ...draft, rules: { ...draft.rules, [k]: { ...draft.rules[k]!, ...v } } });
  const fields = Object.fromEntries([
    ...DEDUP_RULES.map((k) => [`rules.${k}.weight`, { id: `rule-${k}-weight`, label: `${DEDUP_RULE_LABELS[k]}: weight` }]),
    ['nameSimilarity', { id: 'rules-similarity', label: 'Name similarity' }],
    ['scoreThreshold', { id: 'rules-threshold', label: 'Score threshold' }],
    ['rules', { id: `rule-${DEDUP_RULES[0]}-enabled`, label: 'Rules' }],
  ]);

  return (
    <form className="form" onSubmit={submit} noValidate>
      <StatusMessage>{status}</StatusMessage>
      <ErrorSummary error={mutation.error} fields={fields} />
      <p className="hint">{settings.isDefault ? 'These are the default rules.' : `Last changed ${formatDateTime(settings.updatedAt)}.`}</p>
      {errors.rules ? <FieldError id="rules-error">{errors.rules}</FieldError> : null}
      {DEDUP_RULES.map((k) => (
        <fieldset key={k}>
          <legend>{DEDUP_RULE_LABELS[k]}</legend>
          <p className="hint" id={`rule-${k}-hint`}>{RULE_HINTS[k]}</p>
          <label className="check">
            <input type="checkbox" id={`rule-${k}-enabled`} checked={draft.rules[k]!.enabled} onChange={(e) => setRule(k, { enabled: e.target.checked })} />
            Use this rule
          </label>
          <TextField
            id={`rule-${k}-weight`} label="Weight (1–100)" inputMode="numeric" value={draft.rules[k]!.weight}
            onChange={(e) => setRule(k, { weight: e.target.value })} error={errors[`rules.${k}.weight`]}
          />
        </fieldset>
      ))}
      <TextField
        id="rules-similarity" label="Name similarity (0.2–1)" inputMode="decimal" value={draft.nameSimilarity} error={errors.nameSimilarity}
        hint="How alike two names must be (trigram similarity of the full names). 0.5 tolerates one typo in most names; higher is stricter."
        onChange={(e) => setDraft({ ...draft, nameSimilarity: e.target.value })}
      />
      <TextField
        id="rules-threshold" label="Score threshold" inputMode="numeric" value={draft.scoreThreshold} error={errors.scoreThreshold}
        hint="A pair whose rule weights add up to this or more is a possible duplicate."
        onChange={(e) => setDraft({ ...draft, scoreThreshold: e.target.value })}
      />
      <p className="hint">
        Guards: emails and phones shared by more than {settings.limits.exactBlockCap} records, and addresses, postcodes or birth dates shared by more than{' '}
        {settings.limits.fuzzyBlockCap.toLocaleString()}, are too common to say anything and are left out of scans.
      </p>
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>{mutation.isPending ? 'Saving…' : 'Save rules'}</button>
        <button type="button" className="button" onClick={() => setDraft(toDraft(settings.rules))}>Undo changes</button>
      </div>
    </form>
  );
}
