// The inbox: what arrived on every channel, newest first, "Open" (new and needing attention)
// unless another status is chosen; status and channel kept in the URL; "Load more". Each
// row says who sent it (and the constituent it was matched to), what it says, and the case
// it was filed on or is suggested for (and the record its typed details match, while that
// waits for a decision); an item opens on its own page.
import { Link, useLocation } from 'react-router-dom';
import { INBOUND_CHANNELS, type InboundChannel, type InboundItemSummary } from '../../../contract/intake.js';
import { useInboxCounts } from '../api/queries.js';
import { FilterForm } from '../components/FilterForm.js';
import { ErrorSummary, fieldErrorsOf, SelectField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { formatDateTime } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useUrlFilters } from '../hooks/useUrlFilters.js';
import { CaseRef, ConstituentRef, SuggestedSender } from './InboxItemPage.js';
import { inboxKeys, INBOUND_CHANNEL_ICONS, INBOUND_CHANNEL_LABELS, INBOUND_STATUS_BADGES, INBOUND_STATUS_LABELS } from './InboxQueries.js';
import './Case.css';
import './Inbox.css';

type InboxFilters = { status: string; channel: string };
const EMPTY: InboxFilters = { status: '', channel: '' };

/** The status filter's choices; '' is the default, Open. */
const STATUS_CHOICES: [string, string][] = [
  ['', 'Open'], ['new', 'New'], ['needs_attention', 'Needs attention'], ['filed', 'Filed'], ['ignored', 'Ignored'], ['spam', 'Spam'], ['all', 'All'],
];
const choiceLabel = (status: string) => STATUS_CHOICES.find(([v]) => v === status)?.[1] ?? status;

const fromParams = (p: URLSearchParams): InboxFilters => ({ status: p.get('status') === 'open' ? '' : (p.get('status') ?? ''), channel: p.get('channel') ?? '' });
/** The URL's (and the API's) parameters: only those set. */
const toUrl = (f: Partial<InboxFilters>): Record<string, string> => Object.fromEntries(Object.entries(f).filter(([, v]) => v));

export function InboxPage() {
  const f = useUrlFilters<InboxFilters>({ empty: EMPTY, fromParams, toUrl });
  const list = useCursorList<InboundItemSummary>(inboxKeys.list(f.apiQuery), '/api/v1/inbox', { ...f.apiQuery, limit: 25 });
  const counts = useInboxCounts().data;
  const search = useLocation().search;
  const errors = fieldErrorsOf(list.query.error);
  const isOpen = !f.applied.status;
  const channel = INBOUND_CHANNEL_LABELS[f.applied.channel as InboundChannel] as string | undefined;
  return (
    <Page title="Inbox" lead="Everything that arrived on any channel, newest first. File each message on a case, open a new one, or mark it spam.">
      {counts ? (
        <p>
          {counts.new} new · {counts.needsAttention} needing attention{counts.senderMatches ? ` · ${counts.senderMatches} with a possible sender match to check` : ''}
          {counts.received ? ` · ${counts.received} still being processed` : ''}
        </p>
      ) : null}
      <FilterForm label="Filter the inbox" onApply={f.apply} onClear={f.clear}>
        <SelectField id="inbox-status" label="Status" hint="Open is what waits for someone: new messages, those needing attention, and filed ones whose sender may be someone on record." value={f.draft.status} onChange={(e) => f.edit({ status: e.target.value })} error={errors.status}>
          {STATUS_CHOICES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
        </SelectField>
        <SelectField id="inbox-channel" label="Channel" value={f.draft.channel} onChange={(e) => f.edit({ channel: e.target.value })} error={errors.channel}>
          <option value="">Any channel</option>
          {INBOUND_CHANNELS.map((c) => <option key={c} value={c}>{INBOUND_CHANNEL_LABELS[c]}</option>)}
        </SelectField>
      </FilterForm>
      <ErrorSummary error={list.query.error} />
      <PagedTable
        list={list}
        noun="messages"
        loading="Loading the inbox…"
        showError={false}
        empty={isOpen && !channel ? 'Nothing waits: every message is filed.' : 'No message matches these filters.'}
        id="inbox"
        caption={`${choiceLabel(f.applied.status)} messages${channel ? ` (${channel})` : ''}, newest first`}
        columns={['Received', 'Channel', 'From', 'Message', 'Status', 'Case']}
        renderRow={(i) => (
          <tr key={i.id}>
            <td className="nowrap"><time dateTime={i.receivedAt}>{formatDateTime(i.receivedAt)}</time></td>
            <td className="nowrap"><span aria-hidden="true">{INBOUND_CHANNEL_ICONS[i.channel]} </span>{INBOUND_CHANNEL_LABELS[i.channel]}</td>
            <td>
              {i.senderName ?? i.senderAddress ?? 'Unknown'}
              {i.senderName && i.senderAddress ? <span className="hint block">{i.senderAddress}</span> : null}
              {i.constituent ? <span className="block"><ConstituentRef c={i.constituent} /></span> : null}
              {i.suggestedSender ? <span className="block">Possible match: <SuggestedSender s={i.suggestedSender} /></span> : null}
            </td>
            <th scope="row" className="inbox-message">
              <Link to={`/inbox/${i.id}`} state={{ back: search }}>{i.subject || 'No subject'}</Link>
              {i.snippet ? <span className="hint block">{i.snippet}</span> : null}
              {i.attachmentCount ? <span className="hint block">{i.attachmentCount === 1 ? '1 attachment' : `${i.attachmentCount} attachments`}</span> : null}
            </th>
            <td>
              <span className={`badge ${INBOUND_STATUS_BADGES[i.status]}`}>{INBOUND_STATUS_LABELS[i.status]}</span>
              {i.status === 'needs_attention' && i.error ? <p className="error-cell error-text">{i.error}</p> : null}
            </td>
            <td><CaseRef item={i} /></td>
          </tr>
        )}
      />
    </Page>
  );
}
