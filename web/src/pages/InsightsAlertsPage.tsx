// Emerging issues: the alerts the job raised when a category grew unusually in a ward
// (open, acknowledged or all, page by page), "Scan now", and the detection settings for
// people who may manage insights.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { InsightAlert } from '../../../contract/insights.js';
import { api } from '../api/client.js';
import { ErrorSummary, SelectField, StatusMessage } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { formatDateTime } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useCan } from '../session.js';
import { InsightsAlertSettingsForm } from './InsightsAlertSettingsForm.js';
import { DownloadLink, InsightsNav } from './InsightsControls.js';
import { formatCount, formatLocalDate, formatRate } from './InsightsFormat.js';
import { apiHref, INSIGHTS_API, insightKeys, useInsightParams } from './InsightsQueries.js';

const STATUS_FILTERS = { open: 'Open', acknowledged: 'Acknowledged', all: 'All' } as const;
type StatusFilter = keyof typeof STATUS_FILTERS;

export const ALERT_STATUS_LABELS: Record<InsightAlert['status'], string> = { open: 'Open', acknowledged: 'Acknowledged' };

/** "Flooding in Kestrel Ward" */
export const alertTitle = (a: Pick<InsightAlert, 'categoryName' | 'wardName'>) => `${a.categoryName} in ${a.wardName}`;

export function InsightsAlertsPage() {
  const can = useCan();
  const client = useQueryClient();
  const { values, update } = useInsightParams(['status'] as const);
  const status: StatusFilter = values.status in STATUS_FILTERS ? (values.status as StatusFilter) : 'open';
  const list = useCursorList<InsightAlert>(insightKeys.alerts(status), `${INSIGHTS_API}/alerts`, { status, limit: 25 });
  const [scanned, setScanned] = useState(false);
  const scan = useMutation({
    mutationFn: () => api.post<unknown>(`${INSIGHTS_API}/alerts/scan`),
    onMutate: () => setScanned(false),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['insights', 'alerts'] });
      setScanned(true);
    },
  });
  return (
    <Page title="Emerging issues" lead="Alerts raised when a category grows unusually in a ward compared with its own history, with the cases behind each one.">
      <InsightsNav />
      <div className="button-row">
        <SelectField id="insights-alert-status" label="Show" value={status} onChange={(e) => update({ status: e.target.value === 'open' ? '' : e.target.value })}>
          {Object.entries(STATUS_FILTERS).map(([k, label]) => <option key={k} value={k}>{label} alerts</option>)}
        </SelectField>
      </div>
      <ul className="inline-list">
        <li><DownloadLink href={apiHref('/alerts.csv', { status })} what="these alerts">Download CSV</DownloadLink></li>
        {can('insights.manage') ? (
          <li>
            <button type="button" className="button button-small" onClick={() => scan.mutate()} disabled={scan.isPending}>
              {scan.isPending ? 'Scanning…' : 'Scan now'}
            </button>
          </li>
        ) : null}
      </ul>
      <ErrorSummary error={scan.error} />
      {scanned ? <StatusMessage>Scan finished: the list shows what it found.</StatusMessage> : null}
      <PagedTable
        list={list}
        noun="alerts"
        loading="Loading alerts…"
        empty={status === 'open' ? 'No open alerts: nothing is growing unusually.' : 'No alerts.'}
        id="insights-alerts"
        caption={`${STATUS_FILTERS[status]} alerts`}
        columns={['Alert', 'Window', 'Reports', 'Expected', 'Raised', 'Status']}
        renderRow={(a) => (
          <tr key={a.id}>
            <th scope="row"><Link to={`/insights/emerging/${a.id}`}>{alertTitle(a)}</Link></th>
            <td className="nowrap">{formatLocalDate(a.windowFrom)} to {formatLocalDate(a.windowTo)}</td>
            <td>{formatCount(a.observed)}</td>
            <td>{formatRate(a.expected)}</td>
            <td className="nowrap">{formatDateTime(a.raisedAt)}</td>
            <td>{ALERT_STATUS_LABELS[a.status]}{a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}</td>
          </tr>
        )}
      />
      {can('insights.manage') ? <InsightsAlertSettingsForm /> : null}
    </Page>
  );
}
