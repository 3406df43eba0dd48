// The "Possible duplicates" settings of the Case workflow page: how near (metres) and how
// recent (days) an open case of the same category must be to be offered as possibly the same
// problem. Values are checked against the contract schema in the browser, and the server's
// refusal is shown beside the same field.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ZUpdateRelatedSettings, type RelatedSettings } from '../../../contract/case-links.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, TextField } from '../components/FormFields.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useFormMutation } from '../hooks/useFormMutation.js';

const settingsKey = ['case-settings', 'related'] as const;
const FIELDS = {
  radiusM: { id: 'related-radius', label: 'Radius (metres)' },
  windowDays: { id: 'related-window', label: 'Time window (days)' },
};

/** An empty box is NaN, so the schema reports it as not a number rather than as 0. */
const toNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

export function CaseRelatedSettingsForm({ onNotice }: { onNotice: (m: string) => void }) {
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => api.get<RelatedSettings>('/api/v1/case-settings/related') });
  return (
    <section aria-labelledby="wf-related">
      <h2 id="wf-related">Possible duplicates</h2>
      <p>When a case is opened, open cases of the same category this near and this recent are offered as possibly the same problem.</p>
      <QueryStatus query={settings} loading="Loading the settings…" />
      {settings.data ? <SettingsForm initial={settings.data} onNotice={onNotice} /> : null}
    </section>
  );
}

function SettingsForm({ initial, onNotice }: { initial: RelatedSettings; onNotice: (m: string) => void }) {
  const queryClient = useQueryClient();
  const [radius, setRadius] = useState(String(initial.radiusM));
  const [windowDays, setWindowDays] = useState(String(initial.windowDays));
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => {
      const body = validate(ZUpdateRelatedSettings, { radiusM: toNumber(radius), windowDays: toNumber(windowDays) });
      return api.patch<RelatedSettings>('/api/v1/case-settings/related', body);
    },
    onMutate: () => onNotice(''),
    onSuccess: (s) => {
      queryClient.setQueryData(settingsKey, s);
      onNotice(`Possible duplicates: within ${s.radiusM} m and ${s.windowDays} days.`);
    },
  });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="wf-related">
      <ErrorSummary error={save.error} fields={FIELDS} />
      <TextField id={FIELDS.radiusM.id} label={FIELDS.radiusM.label} hint="From 1 to 5000." type="number" inputMode="numeric" min={1} max={5000} step={1} value={radius} onChange={(e) => setRadius(e.target.value)} error={errors.radiusM} />
      <TextField id={FIELDS.windowDays.id} label={FIELDS.windowDays.label} hint="Cases opened in this many past days; from 1 to 365." type="number" inputMode="numeric" min={1} max={365} step={1} value={windowDays} onChange={(e) => setWindowDays(e.target.value)} error={errors.windowDays} />
      <FormActions label="Save settings" busyLabel="Saving…" isBusy={save.isPending} />
    </form>
  );
}
