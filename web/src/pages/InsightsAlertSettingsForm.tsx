// How emerging issues are detected: on or off, the recent window, the history it is compared
// with, the fewest reports and the probability below which an alert is raised.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ZUpdateAlertSettings, type AlertSettings } from '../../../contract/insights.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldTargets, StatusMessage, TextField } from '../components/FormFields.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { INSIGHTS_API, insightKeys } from './InsightsQueries.js';

const FIELDS = fieldTargets('alert-settings', {
  windowDays: 'Recent window (days)', historyWeeks: 'History (weeks)', minCount: 'Fewest reports', pValue: 'Probability below',
});

type Draft = { enabled: boolean; windowDays: string; historyWeeks: string; minCount: string; pValue: string };
const toDraft = (s: AlertSettings): Draft => ({ enabled: s.enabled, windowDays: String(s.windowDays), historyWeeks: String(s.historyWeeks), minCount: String(s.minCount), pValue: String(s.pValue) });
/** A number typed in a field; empty or not a number fails the contract's check (NaN) with the field named. */
const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

export function InsightsAlertSettingsForm() {
  const client = useQueryClient();
  const settings = useQuery({ queryKey: insightKeys.alertSettings, queryFn: () => api.get<AlertSettings>(`${INSIGHTS_API}/alert-settings`) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [isSaved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data) setDraft(toDraft(settings.data));
  }, [settings.data]);
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => {
      const d = draft!;
      const body = validate(ZUpdateAlertSettings, { enabled: d.enabled, windowDays: num(d.windowDays), historyWeeks: num(d.historyWeeks), minCount: num(d.minCount), pValue: num(d.pValue) });
      return api.put<AlertSettings>(`${INSIGHTS_API}/alert-settings`, body);
    },
    onMutate: () => setSaved(false),
    onSuccess: (saved) => {
      client.setQueryData(insightKeys.alertSettings, saved);
      setSaved(true);
    },
  });
  const edit = (change: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...change } : d));
  return (
    <section aria-labelledby="alert-settings-heading" className="card">
      <h2 id="alert-settings-heading">Detection settings</h2>
      <QueryStatus query={settings} loading="Loading the settings…" />
      {draft ? (
        <form className="form" onSubmit={submit} noValidate aria-labelledby="alert-settings-heading">
          <ErrorSummary error={save.error} fields={FIELDS} />
          <p>
            <label className="check">
              <input type="checkbox" checked={draft.enabled} onChange={(e) => edit({ enabled: e.target.checked })} /> Look for emerging issues automatically
            </label>
          </p>
          <TextField id={FIELDS.windowDays.id} label={FIELDS.windowDays.label} type="number" min={1} max={14} inputMode="numeric" value={draft.windowDays}
            hint="The recent days compared with history (1 to 14)." onChange={(e) => edit({ windowDays: e.target.value })} error={errors.windowDays} />
          <TextField id={FIELDS.historyWeeks.id} label={FIELDS.historyWeeks.label} type="number" min={4} max={104} inputMode="numeric" value={draft.historyWeeks}
            hint="Weeks of history the expected number is learnt from (4 to 104)." onChange={(e) => edit({ historyWeeks: e.target.value })} error={errors.historyWeeks} />
          <TextField id={FIELDS.minCount.id} label={FIELDS.minCount.label} type="number" min={2} max={1000} inputMode="numeric" value={draft.minCount}
            hint="An alert needs at least this many reports in the window (2 to 1000)." onChange={(e) => edit({ minCount: e.target.value })} error={errors.minCount} />
          <TextField id={FIELDS.pValue.id} label={FIELDS.pValue.label} type="number" min={0.000000001} max={0.05} step="any" inputMode="decimal" value={draft.pValue}
            hint="Raise an alert when so many reports would happen by chance less often than this (for example 0.001, once in a thousand; at most 0.05)."
            onChange={(e) => edit({ pValue: e.target.value })} error={errors.pValue} />
          <FormActions label="Save detection settings" busyLabel="Saving…" isBusy={save.isPending} />
          {isSaved ? <StatusMessage>Detection settings saved.</StatusMessage> : null}
        </form>
      ) : null}
    </section>
  );
}
