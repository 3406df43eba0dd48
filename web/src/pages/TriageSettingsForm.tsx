// The triage settings: the confidence above which the classifier's category is applied
// without a person (with the trade-off read off the precision/coverage curve, and a table of
// a few of its points), the automatic reply, and who is on duty for urgent messages.
import { useState } from 'react';
import { z } from 'zod';
import { ZUpdateTriageSettings, type TriageModel, type TriageOverview, type TriageSettings } from '../../../contract/triage.js';
import { api, validate } from '../api/client.js';
import { useAllUsers } from '../api/queries.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldTargets, SelectField, TextField } from '../components/FormFields.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { percent, pointAt, type CurvePoint } from './TriageQueries.js';

const FIELDS = fieldTargets('triage', { autoApplyThreshold: 'Confidence needed', onDutyUserId: 'On-duty person' });

// The page offers 50% to 99%; the contract alone would take anything above 0.
const ZSettingsForm = ZUpdateTriageSettings.extend({
  autoApplyThreshold: z.number({ error: 'enter a percentage from 50 to 99' }).min(0.5, 'must be 50% or more').max(0.99, 'must be 99% or less').nullable(),
});

/** Thresholds the table shows the trade-off at (each as the curve's nearest point at or above it). */
const TABLE_THRESHOLDS = [0.99, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5];

/** A threshold as the percentage the input holds: rounded up to a tenth, kept within 50–99. */
const asPercent = (t: number) => String(Math.min(99, Math.max(50, Math.ceil(t * 1000) / 10)));

function curveSource(curve: TriageOverview['curve']): string {
  switch (curve.source) {
    case 'history': return `From your office's last ${curve.n} checked suggestions.`;
    case 'model': return `From the newest model's test on ${curve.n} held-out cases.`;
    case 'none': return 'No model yet: train one first.';
  }
}

/** "At 85%: about 62% of messages would be categorised automatically, and 93% of those would be right." */
function tradeOff(points: CurvePoint[], pct: string): string {
  const value = Number(pct);
  if (!points.length || !pct.trim() || !Number.isFinite(value)) return '';
  const p = pointAt(points, value / 100);
  if (!p) return `At ${value}%: no message would be categorised automatically.`;
  return `At ${value}%: about ${percent(p.coverage)} of messages would be categorised automatically, and ${percent(p.precision)} of those would be right.`;
}

export function TriageSettingsForm({ settings, curve, newest, onSaved }: {
  settings: TriageSettings;
  curve: TriageOverview['curve'];
  newest: TriageModel | undefined;
  onSaved: (s: TriageSettings) => void;
}) {
  const users = useAllUsers();
  const [isAuto, setAuto] = useState(settings.autoApplyThreshold !== null);
  const [pct, setPct] = useState(settings.autoApplyThreshold !== null ? String(Math.round(settings.autoApplyThreshold * 1000) / 10) : '90');
  const [autoReply, setAutoReply] = useState(settings.autoReply);
  const [onDuty, setOnDuty] = useState(settings.onDutyUserId ?? '');
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => {
      const threshold = pct.trim() === '' ? Number.NaN : Number(pct) / 100;
      const body = validate(ZSettingsForm, { autoApplyThreshold: isAuto ? threshold : null, autoReply, onDutyUserId: onDuty || null });
      return api.put<TriageSettings>('/api/v1/triage/settings', body);
    },
    onSuccess: onSaved,
  });
  const use = (t: number) => {
    setAuto(true);
    setPct(asPercent(t));
  };
  const rows = [...new Set(TABLE_THRESHOLDS.map((t) => pointAt(curve.points, t)).filter((p): p is CurvePoint => p !== null))];
  const quick = [
    { label: 'Use the 90% precision threshold', at: newest?.metrics.thresholdAt90 ?? null },
    { label: 'Use the 95% precision threshold', at: newest?.metrics.thresholdAt95 ?? null },
  ].filter((q): q is { label: string; at: number } => q.at !== null);
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="triage-settings-heading">
      <h2 id="triage-settings-heading">Settings</h2>
      <ErrorSummary error={save.error} fields={FIELDS} />
      <p>
        <label className="check">
          <input type="checkbox" checked={isAuto} onChange={(e) => setAuto(e.target.checked)} /> Apply the classifier's category without a person
        </label>
      </p>
      <TextField id={FIELDS.autoApplyThreshold.id} label="Confidence needed (%)" type="number" min={50} max={99} step="any" inputMode="decimal" disabled={!isAuto}
        value={pct} onChange={(e) => setPct(e.target.value)} error={errors.autoApplyThreshold}
        hint={<>{isAuto ? tradeOff(curve.points, pct) : 'Off: a person chooses every category the rules leave open.'} {curveSource(curve)}</>} />
      {quick.length ? (
        <div className="button-row">
          {quick.map((q) => <button key={q.label} type="button" className="button button-small" onClick={() => use(q.at)}>{q.label}</button>)}
        </div>
      ) : null}
      {rows.length ? (
        <DataTable id="triage-curve" caption="The trade-off at some thresholds" columns={['Confidence needed', 'Categorised automatically', 'Right']}>
          {rows.map((p) => (
            <tr key={p.threshold}>
              <th scope="row">{percent(p.threshold)}</th>
              <td>{percent(p.coverage)}</td>
              <td>{percent(p.precision)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <p>
        <label className="check">
          <input type="checkbox" checked={autoReply} onChange={(e) => setAutoReply(e.target.checked)} /> Send a category's approved reply at once when its category is applied automatically or by a rule; never for urgent messages
        </label>
      </p>
      <SelectField id={FIELDS.onDutyUserId.id} label="On-duty person" hint="Alerted at once about urgent messages." value={onDuty} onChange={(e) => setOnDuty(e.target.value)} error={errors.onDutyUserId}>
        <option value="">Nobody (alert managers)</option>
        {(users.data ?? []).filter((u) => u.status === 'active' || u.id === onDuty).map((u) => <option key={u.id} value={u.id}>{u.displayName}</option>)}
      </SelectField>
      <FormActions label="Save triage settings" busyLabel="Saving…" isBusy={save.isPending} />
    </form>
  );
}
