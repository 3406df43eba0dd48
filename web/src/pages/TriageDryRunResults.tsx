// The messages a dry run of a triage rule matched, each with what the rule would have done
// (the form announces how many matched). Nothing was changed.
import type { TriageDryRunResult } from '../../../contract/triage.js';
import { DataTable } from '../components/DataTable.js';
import { formatDateTime } from '../format.js';
import { INBOUND_CHANNEL_LABELS } from './InboxQueries.js';

const channelLabel = (c: string) => INBOUND_CHANNEL_LABELS[c as keyof typeof INBOUND_CHANNEL_LABELS] ?? c;

/** "Matched 3 of 100 recent messages." */
export const dryRunSummary = (r: TriageDryRunResult) => `Matched ${r.matched} of ${r.tried} recent messages. Nothing was changed.`;

export function TriageDryRunResults({ result }: { result: TriageDryRunResult }) {
  if (!result.items.length) return null;
  return (
    <DataTable id="triage-dry-run" caption="Messages the rule matched, newest first" columns={['Received', 'Channel', 'Sender', 'Subject', 'Case', 'What it would do']}>
      {result.items.map((i) => (
        <tr key={i.itemId}>
          <td><time dateTime={i.receivedAt}>{formatDateTime(i.receivedAt)}</time></td>
          <td>{channelLabel(i.channel)}</td>
          <td>{i.sender ?? 'Unknown'}</td>
          <th scope="row">{i.subject ?? '(no subject)'}</th>
          <td>{i.caseReference ?? '—'}</td>
          <td>{i.would.join('; ')}</td>
        </tr>
      ))}
    </DataTable>
  );
}
