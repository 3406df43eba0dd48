// One inbox item: who sent it and what became of it, its new text first (the full message,
// and the sender's formatting in a sandboxed frame, on request), its attachments, who else
// has it open (re-read every 15 s), and the actions on it: attach to the suggested case in
// one click, open a case, attach to another case, spam and back, confirm the sender, retry.
// A sender suggested from details typed on the public form or Open311 is shown as a possible
// match: merging into it says "same person", confirming the sender says "someone else".
// Triage's findings show too: an "Urgent" notice, the language, and the suggested category
// (chosen already when a case is opened from the item).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import type { InboundItem } from '../../../contract/intake.js';
import type { TriageDecision } from '../../../contract/triage.js';
import { api } from '../api/client.js';
import { ErrorText } from '../components/ErrorText.js';
import { Fact } from '../components/Fact.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useCan } from '../session.js';
import { formatBytes } from './CaseWorkQueries.js';
import { AttachDialog, CreateCaseDialog, MergeSenderDialog } from './InboxDialogs.js';
import {
  inboxKeys, INBOUND_CHANNEL_ICONS, INBOUND_CHANNEL_LABELS, INBOUND_STATUS_BADGES, INBOUND_STATUS_LABELS, senderOf, useInboxAction, type InboxAction, type InboxActionResult,
} from './InboxQueries.js';
import { TriageUrgentNotice } from './TriageDecisionFacts.js';
import { languageName, suggestionText, useItemTriage } from './TriageQueries.js';
import './Case.css';
import './Inbox.css';

export function InboxItemPage() {
  const { id = '' } = useParams();
  // Reading the item marks this user as viewing it; reading it again keeps "Also viewing" current.
  const item = useQuery({ queryKey: inboxKeys.one(id), queryFn: () => api.get<InboundItem>(`/api/v1/inbox/${id}`), refetchInterval: 15_000 });
  if (!item.data) {
    return (
      <Page title="Inbox item">
        <QueryStatus query={item} loading="Loading the message…" />
        <BackLink />
      </Page>
    );
  }
  return <ItemView key={item.data.id} item={item.data} />;
}

/** Back to the list with the filters it had (the list passes its query string along). */
function BackLink() {
  const back = (useLocation().state as { back?: string } | null)?.back ?? '';
  return <p><Link to={`/inbox${back}`}>Back to the inbox</Link></p>;
}

type Notice = { text: string; kase?: { id: string; reference: string } };
type Dialog = 'create' | 'attach' | 'merge';

function ItemView({ item }: { item: InboundItem }) {
  const decision = useItemTriage(item.id).data ?? null;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  // The button used may vanish with the item's new status: the outcome takes focus instead.
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  function done(result: InboxActionResult, action: InboxAction) {
    setDialog(null);
    const kase = result?.caseId && result.reference ? { id: result.caseId, reference: result.reference } : undefined;
    setNotice({ text: noticeText(item, result, action), kase });
  }
  const title = item.subject ?? `Message from ${senderOf(item)}`;
  return (
    <Page title={title}>
      <p className="case-badges">
        <span className={`badge ${INBOUND_STATUS_BADGES[item.status]}`}>Status: {INBOUND_STATUS_LABELS[item.status]}</span>
        <span className="badge status-closed"><span aria-hidden="true">{INBOUND_CHANNEL_ICONS[item.channel]} </span>Channel: {INBOUND_CHANNEL_LABELS[item.channel]}</span>
      </p>
      {decision?.urgent ? <TriageUrgentNotice decision={decision} /> : null}
      <BackLink />
      {item.viewers.length ? (
        <p className="inbox-viewers">Also viewing: {item.viewers.map((v) => v.displayName).join(', ')}</p>
      ) : null}
      <p className="status-message" role="status" tabIndex={-1} ref={noticeRef}>
        {notice ? <>{notice.text}{notice.kase ? <> <Link to={`/cases/${notice.kase.id}`}>Open {notice.kase.reference}</Link></> : null}</> : null}
      </p>
      {item.status === 'needs_attention' && item.error ? <p className="error-text">Processing failed: {item.error}</p> : null}
      <ItemActions item={item} onOpen={setDialog} onDone={done} />
      <ItemFacts item={item} decision={decision} />
      <ItemText item={item} />
      {item.attachments.length ? (
        <section aria-labelledby="inbox-attachments">
          <h2 id="inbox-attachments">Attachments</h2>
          <ul>
            {item.attachments.map((a) => (
              <li key={a.index}>
                <a href={`/api/v1/inbox/${item.id}/attachments/${a.index}`} download={a.fileName}>
                  Download {a.fileName}
                </a>{' '}
                <span className="hint">({a.contentType}, {formatBytes(a.size)})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {dialog === 'create' ? (
        <CreateCaseDialog item={item} suggestedCategoryId={decision?.category?.applied.id ?? decision?.model?.suggested?.id ?? null} onClose={() => setDialog(null)} onDone={done} />
      ) : null}
      {dialog === 'attach' ? <AttachDialog item={item} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog === 'merge' && item.constituent ? <MergeSenderDialog item={item} onClose={() => setDialog(null)} onDone={done} /> : null}
    </Page>
  );
}

function noticeText(item: InboundItem, result: InboxActionResult, action: InboxAction): string {
  switch (action.kind) {
    case 'attach': return `Attached to ${result?.reference ?? 'the case'}.`;
    case 'create-case': return `Case ${result?.reference ?? ''} opened from this message.`;
    case 'spam': return 'Marked as spam. Choose “Not spam” to undo.';
    case 'not-spam': return 'Not spam: the message is back in the inbox.';
    case 'confirm-sender': return result?.confirmed === false ? `${item.constituent?.displayName ?? 'The sender'} was already confirmed.` : `${item.constituent?.displayName ?? 'The sender'} confirmed as a constituent.`;
    case 'retry': return 'Sent back for processing.';
    case 'merge-sender': return action.constituentId === item.suggestedSender?.id
      ? `${item.constituent?.displayName ?? 'The sender'} was merged into ${item.suggestedSender.displayName}.`
      : `${item.constituent?.displayName ?? 'The sender'} was merged into the chosen constituent.`;
  }
}

/** What may be done with the item in its status, for staff who may. */
function ItemActions({ item, onOpen, onDone }: { item: InboundItem; onOpen: (d: Dialog) => void; onDone: (result: InboxActionResult, action: InboxAction) => void }) {
  const can = useCan();
  const act = useInboxAction(item, onDone);
  if (!can('inbox.work')) return null;
  const s = item.status;
  const button = (action: InboxAction, label: string, primary = false) => (
    <button type="button" className={primary ? 'button button-primary' : 'button'} disabled={act.isPending} onClick={() => act.mutate(action)}>
      {label}
    </button>
  );
  const canConfirm = item.constituent?.provisional && can('constituent.write') && s !== 'received' && s !== 'needs_attention';
  const canMerge = !!item.constituent && can('constituent.merge') && s !== 'received' && s !== 'needs_attention';
  const match = canMerge ? item.suggestedSender : null;
  return (
    <>
      <div className="button-row case-toolbar" role="group" aria-label="Actions on this message">
        {match ? button({ kind: 'merge-sender', constituentId: match.id }, `Same person: merge into ${match.displayName}`, s !== 'new') : null}
        {s === 'new' && item.suggestedCase ? button({ kind: 'attach', case: item.suggestedCase.id }, `Attach to ${item.suggestedCase.reference}`, true) : null}
        {s === 'new' ? <button type="button" className={item.suggestedCase ? 'button' : 'button button-primary'} onClick={() => onOpen('create')}>Create case…</button> : null}
        {s === 'new' || s === 'ignored' ? <button type="button" className="button" onClick={() => onOpen('attach')}>Attach to a case…</button> : null}
        {s === 'needs_attention' ? button({ kind: 'retry' }, 'Retry', true) : null}
        {canConfirm ? button({ kind: 'confirm-sender' }, `Confirm ${item.constituent!.displayName} as a constituent`) : null}
        {canMerge ? <button type="button" className="button" onClick={() => onOpen('merge')}>Merge sender into…</button> : null}
        {s === 'new' || s === 'needs_attention' || s === 'ignored' ? button({ kind: 'spam' }, 'Mark spam') : null}
        {s === 'spam' ? button({ kind: 'not-spam' }, 'Not spam', true) : null}
      </div>
      {act.error ? <ErrorText error={act.error} /> : null}
    </>
  );
}

function ItemFacts({ item, decision }: { item: InboundItem; decision: TriageDecision | null }) {
  return (
    <dl className="facts">
      <div>
        <dt>From</dt>
        <dd>
          {item.senderName ?? item.senderAddress ?? 'Unknown'}
          {item.senderName && item.senderAddress ? <span className="hint block">{item.senderAddress}</span> : null}
        </dd>
      </div>
      {item.recipient ? <div><dt>To</dt><dd>{item.recipient}</dd></div> : null}
      <div><dt>Received</dt><dd><time dateTime={item.receivedAt}>{formatDateTime(item.receivedAt)}</time></dd></div>
      <div>
        <dt>Constituent</dt>
        <dd>{item.constituent ? <ConstituentRef c={item.constituent} /> : 'Not matched'}</dd>
      </div>
      {item.suggestedSender ? (
        <div>
          <dt>Possible match</dt>
          <dd>
            <SuggestedSender s={item.suggestedSender} />
            <span className="hint block">On record with the email or phone typed here. Typed details are not proof of who sent it: merge if it is the same person, confirm the sender if not.</span>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>{item.case ? 'Filed on' : 'Suggested case'}</dt>
        <dd><CaseRef item={item} /></dd>
      </div>
      {item.handledBy ? <div><dt>Handled by</dt><dd>{item.handledBy}</dd></div> : null}
      {decision ? <Fact label="Language">{languageName(decision.language)}</Fact> : null}
      {decision?.model?.suggested ? <Fact label="Suggested category">{suggestionText(decision.model)}</Fact> : null}
    </dl>
  );
}

export function ConstituentRef({ c }: { c: NonNullable<InboundItem['constituent']> }) {
  return (
    <>
      <Link to={`/constituents/${c.id}`}>{c.displayName}</Link>
      {c.provisional ? <span className="badge status-waiting">Provisional</span> : null}
    </>
  );
}

/** The record on file that the typed details match, linked. */
export function SuggestedSender({ s }: { s: NonNullable<InboundItem['suggestedSender']> }) {
  return <Link to={`/constituents/${s.id}`}>{s.displayName}</Link>;
}

/** The case an item is filed on, else the one suggested for it, linked. */
export function CaseRef({ item }: { item: Pick<InboundItem, 'case' | 'suggestedCase'> }) {
  const c = item.case ?? item.suggestedCase;
  if (!c) return <>—</>;
  return (
    <>
      {item.case ? null : 'Suggested: '}
      <Link to={`/cases/${c.id}`}>{c.reference}</Link> <span className="hint">{c.subject}</span>
    </>
  );
}

/** The new text first; the whole message, and the sender's formatting, on request. */
function ItemText({ item }: { item: InboundItem }) {
  const [showHtml, setShowHtml] = useState(false);
  const first = item.replyText ?? item.bodyText;
  const hasMore = !!item.bodyText && item.bodyText.trim() !== (item.replyText ?? '').trim();
  return (
    <section aria-labelledby="inbox-text">
      <h2 id="inbox-text">Message</h2>
      {first ? <pre className="pre-wrap inbox-text">{first}</pre> : <p>{item.snippet || 'No text.'}</p>}
      {hasMore && item.replyText ? (
        <details>
          <summary>Show the full message, with quoted text</summary>
          <pre className="pre-wrap inbox-text">{item.bodyText}</pre>
        </details>
      ) : null}
      {item.bodyHtml ? (
        <details onToggle={(e) => setShowHtml(e.currentTarget.open)}>
          <summary>Show the message as formatted by the sender</summary>
          {/* Sanitised by the server, and in a sandbox on top: no scripts, no forms, no navigation. */}
          {showHtml ? <iframe className="inbox-html" sandbox="" srcDoc={item.bodyHtml} title={`The message as formatted by ${senderOf(item)}`} /> : null}
        </details>
      ) : null}
    </section>
  );
}
