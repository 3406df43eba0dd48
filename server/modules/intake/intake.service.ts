// Intake: everything that arrives is stored raw with its idempotency key in one transaction
// (receive), then processed by a job (processItem): the channel's reader parses it, the
// sender is identified (or a provisional record made; details typed into an anonymous channel
// only suggest a record, see Reading.senderUnverified), the item is threaded into its case
// or opens one, the case is reopened when a resolved case hears from its resident, and an
// acknowledgement is queued. Processing an item twice does nothing the second time (the row
// is locked and must still be 'received'); a failure leaves it in 'needs_attention' with the
// reason, and a retry after a fix runs it again.
import type { InboundChannel, InboundStatus } from '../../../contract/intake.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { withDb, type Scope } from '../../platform/scope.js';
import * as cases from '../cases/cases.service.js';
import * as caseLookup from '../cases/cases.intake.js';
import * as senders from '../constituents/constituents.intake.js';
import * as triage from '../triage/triage.engine.js';
import { acknowledge } from './intake.acknowledge.js';
import { enqueueProcessing } from './intake.queue.js';
import { caseChannelOf, readerFor, type Reading } from './intake.readers.js';
import * as repo from './intake.repo.js';

export type Receive = {
  channel: InboundChannel;
  source: string;
  /** Message-ID, provider message id or client token; a redelivery carries the same key. */
  key: string;
  raw: Buffer;
  rawType: string;
  recipient?: string | null;
  details?: Record<string, unknown>;
};

/** Stores the item and queues its processing, in one transaction. A known key stores nothing again. */
export async function receive(db: Executor, jobs: Jobs | undefined, officeId: string, r: Receive): Promise<{ id: string; duplicate: boolean; status: InboundStatus }> {
  if (!r.raw.length) throw new DomainError('validation_failed', { message: 'The message is empty' });
  return inTransaction(db, async (trx) => {
    const row = await repo.insertOnce(trx, officeId, {
      channel: r.channel, source: r.source, idempotency_key: r.key.slice(0, 500), raw: r.raw, raw_type: r.rawType.slice(0, 200),
      raw_size: r.raw.length, recipient: r.recipient?.slice(0, 320) ?? null, details: JSON.stringify(r.details ?? {}),
    });
    if (row.created) await enqueueProcessing(jobs, trx, { officeId, id: row.id });
    return { id: row.id, duplicate: !row.created, status: row.status as InboundStatus };
  });
}

// Cases opened by intake are opened by the system, which may open sensitive ones.
const INTAKE_VIEWER: cases.Viewer = { userId: '00000000-0000-0000-0000-000000000000', canSeeSensitive: true };

const CASE_TOKEN = /\[?\b(C-\d{4}-\d{5,})\b\]?/i;

/** Where an item belongs: a case its headers or token name, if the case may take it. */
async function threadOf(trx: Executor, officeId: string, reading: Reading, recipient: string | null, constituentId: string | null): Promise<{ caseId: string; closed: boolean } | null> {
  if (reading.threadCaseId) {
    const c = await caseLookup.caseById(trx, officeId, reading.threadCaseId);
    if (c) return { caseId: c.id, closed: c.closed_at !== null };
  }
  // A token in the subject or in the recipient's +tag threads only mail from the case's own people:
  // anyone can type a reference.
  const token = CASE_TOKEN.exec(reading.subject ?? '')?.[1] ?? /\+(c-\d{4}-\d{5,})@/i.exec(recipient ?? '')?.[1];
  if (token && constituentId) {
    const c = await caseLookup.caseByReference(trx, officeId, token.toUpperCase());
    if (c && (await caseLookup.isOnCase(trx, officeId, c.id, constituentId))) return { caseId: c.id, closed: c.closed_at !== null };
  }
  return null;
}

const describe = (reading: Reading, channel: string) => {
  const who = reading.senderName ?? reading.senderAddress ?? 'unknown sender';
  const label = channel === 'email' ? 'Email' : channel === 'sms' ? 'Text message' : `${channel.replace('_', ' ')} message`;
  return `${label} from ${who}${reading.subject ? `: ${reading.subject}` : ''}`;
};

async function fileOnCase(trx: Executor, scope: Scope, item: repo.ItemRow, reading: Reading, caseId: string, how: string): Promise<void> {
  await repo.update(trx, scope.officeId, item.id, { status: 'filed', case_id: caseId, suggested_case_id: null });
  await audit.record(trx, scope, {
    entity: 'inbound_item', id: item.id, action: 'received', caseId, constituentId: item.constituent_id,
    after: { summary: describe(reading, item.channel), channel: item.channel, kind: reading.kind, how, text: reading.replyText?.slice(0, 2000) ?? null },
  });
  await reading.onFiled?.(trx, scope, caseId);
}

async function openCase(trx: Executor, scope: Scope, item: repo.ItemRow, reading: Reading, constituentId: string | null, plan: triage.Plan | null): Promise<string> {
  const proposal = reading.newCase ?? {};
  const fields = plan?.fields ?? {};
  const subject = (proposal.subject ?? reading.subject ?? reading.replyText?.split('\n')[0] ?? `${item.channel} message`).trim().slice(0, 300) || `${item.channel} message`;
  return cases.createId(scope, INTAKE_VIEWER, {
    subject,
    description: (proposal.description ?? reading.replyText ?? reading.text ?? '').slice(0, 20_000),
    channel: proposal.channel ?? caseChannelOf(item.channel),
    constituents: constituentId ? [{ constituentId, role: 'requester' }] : [],
    categoryId: fields.categoryId ?? proposal.categoryId ?? null,
    priority: fields.priority ?? proposal.priority ?? 'normal',
    location: proposal.location ?? null,
    tags: fields.tags ?? [],
    teamId: fields.teamId ?? null,
    assigneeId: fields.assigneeId ?? null,
  }, { triaged: true });
}

/** The sender was on file before this item: a record the channel vouches for, or found by a verified address. */
const knownSender = (reading: Reading, foundId: string | null) => Boolean(reading.constituentId ?? (reading.senderUnverified ? null : foundId));

function arrivalOf(item: repo.ItemRow, reading: Reading, known: boolean): triage.Arrival {
  const attachments = (reading.details as { attachments?: unknown }).attachments ?? (item.details as { attachments?: unknown } | null)?.attachments;
  return {
    itemId: item.id, channel: item.channel, receivedAt: item.received_at, senderAddress: reading.senderEmail ?? reading.senderPhone ?? reading.senderAddress,
    subject: reading.subject, text: reading.replyText ?? reading.text, constituentId: item.constituent_id, knownSender: known,
    hasAttachment: Array.isArray(attachments) && attachments.length > 0, location: reading.newCase?.location ?? null, categoryId: reading.newCase?.categoryId ?? null,
  };
}

/** Processes one stored item; does nothing unless it is still 'received'. */
export async function processItem(db: Executor, officeId: string, id: string): Promise<{ status: string }> {
  return inTransaction(db, async (trx) => {
    const item = await repo.lock(trx, officeId, id);
    if (!item) throw new DomainError('not_found', { message: 'No such inbound item' });
    if (item.status !== 'received') return { status: item.status };
    const scope = withDb({ db: trx, officeId, actor: { type: 'system', id: null, label: `intake (${item.channel})` }, requestId: undefined }, trx);
    const reading = await readerFor(item.channel)(item, trx);
    const base = {
      kind: reading.kind, sender_name: reading.senderName, sender_address: reading.senderAddress, subject: reading.subject,
      body_text: reading.text, body_html: reading.html, reply_text: reading.replyText, message_id: reading.messageId,
      in_reply_to: reading.inReplyTo, references: reading.references, processed_at: new Date(), attempts: item.attempts + 1, error: null,
      details: JSON.stringify({ ...(item.details as object), ...reading.details }),
    };

    // What was read is written with the item's next state, in one update each way.
    // A control message (an SMS keyword) is only applied when it has no thread to go on; on
    // a thread it is applied and filed, so staff see the "Yes" or the STOP on the case.
    if (reading.kind === 'bounce' || reading.kind === 'complaint' || (reading.isControl && !reading.threadCaseId)) {
      await reading.onNoise?.(trx, scope);
      await repo.update(trx, officeId, id, { ...base, status: 'ignored' });
      return { status: 'ignored' };
    }
    if (reading.isControl) await reading.onNoise?.(trx, scope);

    // Who sent it: a known record, else a provisional one (not for automatic mail). Details
    // typed into an anonymous channel only suggest the record holding them: anyone can type
    // anyone's email, and the item must not land on that person's record or cases.
    const known = reading.constituentId ? null : await senders.findSender(trx, officeId, { email: reading.senderEmail, phone: reading.senderPhone });
    let constituentId = reading.constituentId ?? (reading.senderUnverified ? null : known?.id) ?? null;
    const suggestedSender = reading.senderUnverified ? (known?.id ?? null) : null;
    const isNewSender = !constituentId && reading.kind === 'message' && Boolean(reading.senderEmail || reading.senderPhone);
    if (isNewSender) {
      constituentId = await senders.createProvisional(trx, scope, reading.senderName, { email: reading.senderEmail, phone: reading.senderPhone }, item.channel);
    }
    if (constituentId) await reading.onIdentified?.(trx, scope, constituentId, isNewSender);
    const identified = { constituent_id: constituentId, suggested_constituent_id: suggestedSender };
    await repo.update(trx, officeId, id, { ...base, ...identified });
    const current = { ...item, ...base, ...identified } as repo.ItemRow;

    // Triage: language, urgency, the classifier's suggestion and the office's rules.
    const plan = reading.kind === 'message' ? await triage.assess(trx, scope, arrivalOf(current, reading, knownSender(reading, known?.id ?? null))) : null;
    const thread = await threadOf(trx, officeId, reading, item.recipient, constituentId);
    // A reply on a resident's own case is never spam, whatever a rule says.
    if (plan?.spam && !thread) {
      await repo.update(trx, officeId, id, { status: 'spam' });
      await triage.recordSpam(trx, scope, id, plan);
      return { status: 'spam' };
    }

    if (reading.kind === 'auto_reply') {
      // Kept on the case it answers, never answered and never reopening anything.
      if (thread) await fileOnCase(trx, scope, current, reading, thread.caseId, 'thread');
      else await repo.update(trx, officeId, id, { status: 'ignored' });
      return { status: thread ? 'filed' : 'ignored' };
    }
    if (thread && !thread.closed) {
      await fileOnCase(trx, scope, current, reading, thread.caseId, 'thread');
      await cases.reopenOnMessage(scope, thread.caseId);
      if (plan) await triage.settle(trx, scope, plan, thread.caseId, false);
      return { status: 'filed' };
    }
    // New mail from someone with an open case: staff decide whether it belongs there.
    const open = constituentId ? await caseLookup.openCasesOf(trx, officeId, constituentId, 1) : [];
    if ((open.length || !constituentId) && !reading.alwaysNewCase) {
      await repo.update(trx, officeId, id, { status: 'new', suggested_case_id: open[0]?.id ?? null });
      if (plan) await triage.settle(trx, scope, plan, null, false);
      return { status: 'new' };
    }
    const caseId = await openCase(trx, scope, current, reading, constituentId, plan);
    await fileOnCase(trx, scope, current, reading, caseId, thread?.closed ? 'after_closure' : 'new_case');
    const filed = { ...current, case_id: caseId };
    const reply = plan ? await triage.settle(trx, scope, plan, caseId, true) : null;
    if (reply && plan && constituentId) await triage.sendReply(trx, scope, plan, reply, filed, reading, constituentId);
    else await acknowledge(trx, scope, filed, reading, caseId);
    return { status: 'filed' };
  });
}

/** Records a processing failure: the item waits in 'needs_attention' with the reason. */
export async function markFailed(db: Executor, officeId: string, id: string, reason: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const item = await repo.lock(trx, officeId, id);
    if (!item || item.status !== 'received') return;
    await repo.update(trx, officeId, id, { status: 'needs_attention', error: reason.slice(0, 2000), attempts: item.attempts + 1 });
  });
}
