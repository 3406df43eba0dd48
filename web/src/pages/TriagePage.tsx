// Settings → Triage: what triage did over a period (totals), its settings (the auto-apply
// threshold with its trade-off, the automatic reply, the on-duty person), the classifier's
// models with "Retrain now", and how its suggestions fared per category.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TriageModel, TriageOverview } from '../../../contract/triage.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorText } from '../components/ErrorText.js';
import { Fact } from '../components/Fact.js';
import { SelectField, StatusMessage } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { percent, triageKeys, useTriageOverview } from './TriageQueries.js';
import { TriageSettingsForm } from './TriageSettingsForm.js';

const PERIODS = [30, 90, 365];
/** After "Retrain now", the page looks for the new model every 5 s for this long. */
const POLL_MS = 60_000;

const newestOf = (models: TriageModel[]) => models.reduce<TriageModel | undefined>((a, m) => (!a || m.version > a.version ? m : a), undefined);

const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

export function TriagePage() {
  const queryClient = useQueryClient();
  const [days, setDays] = useState(90);
  const [pollUntil, setPollUntil] = useState(0);
  const [status, setStatus] = useState('');
  const overview = useTriageOverview(days, pollUntil);
  const data = overview.data;
  return (
    <Page title="Triage" lead="How new messages are categorised, prioritised and answered automatically: by the office's rules first, then by the classifier trained on its own resolved cases.">
      <StatusMessage>{status}</StatusMessage>
      <QueryStatus query={overview} loading="Loading triage…" />
      {data ? (
        <>
          <Totals data={data} days={days} onDays={setDays} />
          <TriageSettingsForm
            key={JSON.stringify(data.settings)}
            settings={data.settings}
            curve={data.curve}
            newest={newestOf(data.models)}
            onSaved={() => {
              void queryClient.invalidateQueries({ queryKey: triageKeys.all });
              setStatus(`Triage settings saved at ${new Date().toLocaleTimeString()}.`);
            }}
          />
          <Models models={data.models} onQueued={() => { setPollUntil(Date.now() + POLL_MS); void overview.refetch(); }} onRefresh={() => void overview.refetch()} />
          <Categories data={data} days={days} />
        </>
      ) : null}
    </Page>
  );
}

function Totals({ data, days, onDays }: { data: TriageOverview; days: number; onDays: (d: number) => void }) {
  const t = data.totals;
  return (
    <section aria-labelledby="triage-totals-heading">
      <h2 id="triage-totals-heading">The last {days} days</h2>
      <SelectField id="triage-days" label="Period" value={String(days)} onChange={(e) => onDays(Number(e.target.value))}>
        {PERIODS.map((d) => <option key={d} value={d}>The last {d} days</option>)}
      </SelectField>
      <dl className="facts">
        <Fact label="Messages triaged">{t.decisions}</Fact>
        <Fact label="Urgent">{t.urgent}</Fact>
        <Fact label="Spam">{t.spam}</Fact>
        <Fact label="Categorised automatically">{t.autoApplied}</Fact>
        <Fact label="Answered automatically">{t.autoReplied}</Fact>
      </dl>
    </section>
  );
}

function Models({ models, onQueued, onRefresh }: { models: TriageModel[]; onQueued: () => void; onRefresh: () => void }) {
  const [message, setMessage] = useState('');
  const retrain = useMutation({
    mutationFn: () => api.post('/api/v1/triage/models'),
    onSuccess: () => {
      setMessage('Training queued; the new version appears here when it is done.');
      onQueued();
    },
  });
  return (
    <section aria-labelledby="triage-models-heading">
      <h2 id="triage-models-heading">Models</h2>
      <p>The classifier is retrained every night from the office's resolved cases; each version is tested on the newest fifth of them, held out from its training.</p>
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={() => retrain.mutate()} disabled={retrain.isPending}>{retrain.isPending ? 'Queuing…' : 'Retrain now'}</button>
        <button type="button" className="button" onClick={onRefresh}>Refresh</button>
      </div>
      <StatusMessage>{message}</StatusMessage>
      {retrain.error ? <ErrorText error={retrain.error} /> : null}
      {models.length === 0 ? <p>No model yet: one is trained once the office has enough resolved cases with a category.</p> : (
        <DataTable id="triage-models" caption="Models, newest first"
          columns={['Version', 'Trained', 'Trigger', 'Cases', 'Categories', 'Held-out accuracy', 'Automatic at 90% precision', 'Automatic at 95% precision', 'Training time']}>
          {models.map((m) => (
            <tr key={m.version}>
              <th scope="row">v{m.version}</th>
              <td>{formatDateTime(m.createdAt)}</td>
              <td>{m.trigger === 'manual' ? 'Retrained by hand' : 'Nightly'}</td>
              <td>{m.trainedOn}</td>
              <td>{m.classes}</td>
              <td>{percent(m.metrics.accuracy)} <span className="hint">of {m.metrics.heldOut}</span></td>
              <td>{percent(m.metrics.coverageAt90)}</td>
              <td>{percent(m.metrics.coverageAt95)}</td>
              <td>{seconds(m.metrics.trainMs)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function Categories({ data, days }: { data: TriageOverview; days: number }) {
  return (
    <section aria-labelledby="triage-categories-heading">
      <h2 id="triage-categories-heading">Per category</h2>
      {data.categories.length === 0 ? <p>Nothing was triaged in the last {days} days.</p> : (
        <DataTable id="triage-categories" caption={`Per category, the last ${days} days`}
          columns={['Category', 'Messages', 'Categorised automatically', 'Suggestions checked', 'Right', 'Accuracy']}>
          {data.categories.map((c) => (
            <tr key={c.category.id}>
              <th scope="row">{c.category.name}</th>
              <td>{c.volume}</td>
              <td>{c.autoApplied}</td>
              <td>{c.suggested}</td>
              <td>{c.correct}</td>
              <td>{c.suggested ? percent(c.correct / c.suggested) : '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
