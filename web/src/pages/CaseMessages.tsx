// The case's messages (emails, texts and letters, newest first, with delivery status and the
// reason a delivery failed; a letter with its PDF), the reply composer for staff who can write,
// and the resident's satisfaction rating.
import { useState } from 'react';
import type { Case } from '../../../contract/cases.js';
import type { OutboundMessage } from '../../../contract/messages.js';
import { StatusMessage } from '../components/FormFields.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useCan } from '../session.js';
import { CaseReplyComposer } from './CaseReplyComposer.js';
import { letterPdfUrl, messageStatusLabel, recipientName, useCaseMessages, useCaseRating } from './ReplyQueries.js';

const SCORE_LABELS = ['', 'Very poor', 'Poor', 'Fair', 'Good', 'Excellent'];
const STATUS_BADGE = { queued: 'badge-paused', sent: 'badge-active', failed: 'badge-disabled' } as const;
const sentNotice = (m: OutboundMessage) =>
  m.channel === 'letter' ? `Letter to ${recipientName(m)} added to the print queue.` : `${m.channel === 'sms' ? 'Text message' : 'Email'} to ${m.to} queued for sending.`;

export function CaseMessages({ kase }: { kase: Case }) {
  const can = useCan();
  const messages = useCaseMessages(kase.id);
  const rating = useCaseRating(kase.id);
  const [notice, setNotice] = useState('');
  const r = rating.data;
  return (
    <section aria-labelledby="case-messages" className="case-panel case-messages">
      <h2 id="case-messages">Messages</h2>
      {r ? (
        <p className="case-rating">
          <strong>Satisfaction: {r.score} out of 5 ({SCORE_LABELS[r.score]})</strong>
          {r.comment ? <> · “{r.comment}”</> : null}
          <span className="hint"> · rated <time dateTime={r.updatedAt}>{formatDateTime(r.updatedAt)}</time></span>
        </p>
      ) : null}
      <StatusMessage>{notice}</StatusMessage>
      {can('case.write') ? <CaseReplyComposer kase={kase} onSent={(m) => setNotice(sentNotice(m))} /> : null}
      <h3>Sent from this case</h3>
      <QueryStatus query={messages} loading="Loading messages…" isEmpty={messages.data?.length === 0} empty="No messages sent from this case yet." />
      {messages.data?.length ? (
        <ol className="message-list" aria-label="Messages, newest first">
          {messages.data.map((m) => (
            <li key={m.id}>
              <p>
                <span className={`badge ${STATUS_BADGE[m.status]}`}>{messageStatusLabel(m)}</span> <strong>{m.subject}</strong>
              </p>
              <p className="hint">
                {m.channel === 'letter' ? 'Letter to' : 'To'} {recipientName(m)} · {m.kind === 'closure' ? 'closure message' : m.kind} · by {m.createdBy} · <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                {m.sentAt ? <> · {m.channel === 'letter' ? 'posted' : 'sent'} <time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time></> : null}
              </p>
              {m.channel === 'letter' ? <p><a href={letterPdfUrl([m.id])} download>Download the letter (PDF)<span className="visually-hidden"> “{m.subject}”</span></a></p> : null}
              {m.status === 'failed' || (m.status === 'queued' && m.lastError) ? (
                <p className="field-error">{m.status === 'failed' ? 'Not delivered' : `Retrying (attempt ${m.attempts})`}: {m.lastError}</p>
              ) : null}
              <details>
                <summary>Show the message<span className="visually-hidden"> “{m.subject}”</span></summary>
                <pre className="pre-wrap">{m.body}</pre>
              </details>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
