// One emerging-issue alert: what grew, against what was expected, the map and the list of its
// cases, and (for people who may manage insights) acknowledging it with a note, with undo.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { InsightAlert, InsightAlertDetail } from '../../../contract/insights.js';
import { ZAcknowledgeAlert } from '../../../contract/insights.js';
import { api, validate } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { Fact } from '../components/Fact.js';
import { ErrorSummary, fieldErrorsOf, StatusMessage, TextAreaField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useCan } from '../session.js';
import { ALERT_STATUS_LABELS, alertTitle } from './InsightsAlertsPage.js';
import { InsightsCaseMap } from './InsightsCaseMap.js';
import { InsightsNav } from './InsightsControls.js';
import { formatCount, formatLocalDate, formatRate } from './InsightsFormat.js';
import { INSIGHTS_API, insightKeys } from './InsightsQueries.js';

/** A probability in plain words: "about 1 in 2,000". */
function chance(p: number): string {
  if (p <= 0) return 'practically never';
  const oneIn = Math.round(1 / p);
  return oneIn <= 1 ? 'likely' : `about 1 in ${formatCount(oneIn)}`;
}

function AcknowledgeForm({ alert }: { alert: InsightAlertDetail }) {
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [done, setDone] = useState<'acknowledged' | 'reopened' | null>(null);
  const apply = (next: InsightAlert, what: 'acknowledged' | 'reopened') => {
    client.setQueryData<InsightAlertDetail>(insightKeys.alert(alert.id), (old) => (old ? { ...old, ...next } : old));
    void client.invalidateQueries({ queryKey: ['insights', 'alerts'] });
    setDone(what);
  };
  const acknowledge = useMutation({
    mutationFn: () => api.post<InsightAlert>(`${INSIGHTS_API}/alerts/${alert.id}/acknowledge`, validate(ZAcknowledgeAlert, note.trim() ? { note } : {})),
    onMutate: () => setDone(null),
    onSuccess: (next) => {
      setNote('');
      apply(next, 'acknowledged');
    },
  });
  const reopen = useMutation({
    mutationFn: () => api.post<InsightAlert>(`${INSIGHTS_API}/alerts/${alert.id}/reopen`),
    onMutate: () => setDone(null),
    onSuccess: (next) => apply(next, 'reopened'),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    acknowledge.mutate();
  }
  if (alert.status === 'acknowledged') {
    return (
      <div className="card">
        {done === 'acknowledged' ? <StatusMessage>Alert acknowledged.</StatusMessage> : null}
        <ErrorSummary error={reopen.error} />
        <button type="button" className="button" onClick={() => reopen.mutate()} disabled={reopen.isPending}>
          {reopen.isPending ? 'Reopening…' : done === 'acknowledged' ? 'Undo' : 'Reopen'}
          {done === 'acknowledged' ? <span className="visually-hidden"> the acknowledgement</span> : <span className="visually-hidden"> this alert</span>}
        </button>
      </div>
    );
  }
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="insights-ack-heading">
      <h2 id="insights-ack-heading">Acknowledge</h2>
      {done === 'reopened' ? <StatusMessage>Alert reopened.</StatusMessage> : null}
      <ErrorSummary error={acknowledge.error} fields={{ note: { id: 'insights-ack-note', label: 'Note' } }} />
      <TextAreaField id="insights-ack-note" label="Note (optional)" hint="What the office is doing about it; shown with the alert." rows={3} maxLength={2000}
        value={note} onChange={(e) => setNote(e.target.value)} error={fieldErrorsOf(acknowledge.error).note} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={acknowledge.isPending}>{acknowledge.isPending ? 'Acknowledging…' : 'Acknowledge'}</button>
      </div>
    </form>
  );
}

export function InsightsAlertPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const alert = useQuery({ queryKey: insightKeys.alert(id), queryFn: () => api.get<InsightAlertDetail>(`${INSIGHTS_API}/alerts/${encodeURIComponent(id)}`) });
  const a = alert.data;
  return (
    <Page title={a ? `Alert: ${alertTitle(a)}` : 'Alert'}>
      <InsightsNav />
      <p><Link to="/insights/emerging">All emerging issues</Link></p>
      <QueryStatus query={alert} loading="Loading the alert…" />
      {a ? (
        <>
          <dl className="facts">
            <Fact label="Status">{ALERT_STATUS_LABELS[a.status]}{a.acknowledgedBy ? ` by ${a.acknowledgedBy}, ${formatDateTime(a.acknowledgedAt)}` : ''}</Fact>
            <Fact label="Window">{formatLocalDate(a.windowFrom)} to {formatLocalDate(a.windowTo)}</Fact>
            <Fact label="Reports">{formatCount(a.observed)}, where about {formatRate(a.expected)} were expected</Fact>
            <Fact label="How often so many would come by chance">{chance(a.pValue)}</Fact>
            <Fact label="Raised">{formatDateTime(a.raisedAt)}</Fact>
            <Fact label="Last seen growing">{formatDateTime(a.updatedAt)}</Fact>
            {a.note ? <Fact label="Note">{a.note}</Fact> : null}
          </dl>
          {can('insights.manage') ? <AcknowledgeForm alert={a} /> : null}
          <h2>Cases</h2>
          <InsightsCaseMap cases={a.cases} bbox={a.bbox} label={`Map of the ${formatCount(a.cases.length)} cases of this alert.`} />
          <DataTable id="insights-alert-cases" caption={`The ${formatCount(a.cases.length)} cases of this alert`} columns={['Number on the map', 'Case', 'Subject', 'Status', 'Opened']}>
            {a.cases.map((c, i) => (
              <tr key={c.id}>
                <td>{c.lat !== null ? i + 1 : 'Not on the map'}</td>
                <th scope="row"><Link to={`/cases/${c.id}`}>{c.reference}</Link></th>
                <td>{c.subject}</td>
                <td>{c.status}</td>
                <td className="nowrap">{formatDateTime(c.createdAt)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </Page>
  );
}
