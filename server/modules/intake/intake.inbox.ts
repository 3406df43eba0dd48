// The one inbox: what arrived on every channel, newest first, and what staff do with an item
// (open a case from it, attach it to a case, mark it spam and back, merge or confirm its
// sender, retry one that failed). A sender suggested from typed details (the public form,
// Open311) is decided by the same two actions: merge into the suggested record when it is the
// same person, confirm the provisional record when it is someone else. Items on a sensitive
// case show no text to staff who may not see the case, and reading one is logged like
// reading the case.
import { z } from 'zod';
import type { Page } from '../../../contract/common.js';
import { ZAttachItem, ZCreateCaseFromItem, ZInboxQuery, ZMergeSender, type InboundItem, type InboundItemSummary } from '../../../contract/intake.js';
import type { TriageDecision } from '../../../contract/triage.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Jobs } from '../../platform/jobs.js';
import { withDb, type Scope } from '../../platform/scope.js';
import * as cases from '../cases/cases.service.js';
import * as senders from '../constituents/constituents.intake.js';
import * as dedup from '../dedup/dedup.merge.js';
import * as triage from '../triage/triage.service.js';
import { emailAttachment } from './intake.email.js';
import { enqueueProcessing } from './intake.queue.js';
import { caseChannelOf } from './intake.readers.js';
import { photosOnFiling } from './intake.web-readers.js';
import * as repo from './intake.repo.js';

type Viewer = cases.Viewer;
const notFound = () => new DomainError('not_found', { message: 'No such inbox item in this office' });
const HIDDEN = 'Sensitive case: open it to read';

const caseRef = (id: string | null, reference: string | null, subject: string | null, hidden: boolean) =>
  id && reference ? { id, reference, subject: hidden ? HIDDEN : (subject ?? '') } : null;

function summary(r: repo.ListRow, viewer: Viewer): InboundItemSummary {
  const hidden = (!!r.case_sensitive || !!r.suggested_sensitive) && !viewer.canSeeSensitive;
  const details = (r.details ?? {}) as { attachments?: unknown[] };
  return {
    id: r.id, channel: r.channel as InboundItemSummary['channel'], source: r.source, status: r.status as InboundItemSummary['status'],
    kind: (r.kind ?? null) as InboundItemSummary['kind'], receivedAt: r.received_at.toISOString(),
    senderName: r.sender_name, senderAddress: r.sender_address, subject: hidden ? HIDDEN : r.subject, snippet: hidden ? '' : r.snippet,
    constituent: r.constituent_id ? { id: r.constituent_id, displayName: r.constituent_name ?? 'Unnamed', provisional: !!r.constituent_provisional } : null,
    // Only while it waits for a decision: once merged into, or the sender confirmed, it is history.
    suggestedSender: r.awaits_sender_decision && r.suggested_constituent_id ? { id: r.suggested_constituent_id, displayName: r.suggested_sender_name ?? 'Unnamed' } : null,
    case: caseRef(r.case_id, r.case_reference, r.case_subject, !!r.case_sensitive && !viewer.canSeeSensitive),
    suggestedCase: caseRef(r.suggested_case_id, r.suggested_reference, r.suggested_subject, !!r.suggested_sensitive && !viewer.canSeeSensitive),
    error: r.error, attachmentCount: Array.isArray(details.attachments) ? details.attachments.length : 0,
  };
}

// 'open' also takes filed items whose suggested sender waits for a decision.
const STATUS_SETS: Record<string, string[] | null> = { open: ['new', 'needs_attention'], all: null };

export async function list(scope: Scope, viewer: Viewer, query: z.input<typeof ZInboxQuery>): Promise<Page<InboundItemSummary>> {
  const q = ZInboxQuery.parse(query);
  const after = decodeCursor(q.cursor, z.tuple([z.iso.datetime({ offset: true }), z.uuid()]));
  const statuses = q.status in STATUS_SETS ? STATUS_SETS[q.status]! : [q.status];
  const rows = await repo.list(scope.db, scope.officeId, { statuses, orSenderDecision: q.status === 'open', channel: q.channel, ...(after ? { after: { at: new Date(after[0]), id: after[1] } } : {}) }, q.limit + 1);
  const p = page(rows, q.limit, (r) => [r.received_at.toISOString(), r.id]);
  return { items: p.items.map((r) => summary(r, viewer)), nextCursor: p.nextCursor };
}

export async function counts(scope: Scope): Promise<{ new: number; needsAttention: number; received: number; senderMatches: number }> {
  const c = await repo.counts(scope.db, scope.officeId);
  return { new: c.new ?? 0, needsAttention: c.needs_attention ?? 0, received: c.received ?? 0, senderMatches: c.sender_decision ?? 0 };
}

/** The item as the viewer may see it; 404 for an item on a sensitive case they may not see. */
async function visibleRow(db: Executor, scope: Scope, viewer: Viewer, id: string): Promise<repo.ListRow> {
  const row = (await repo.list(db, scope.officeId, { statuses: null, itemId: id }, 1))[0];
  if (!row) throw notFound();
  if (row.case_sensitive && !viewer.canSeeSensitive) throw notFound();
  if (row.case_sensitive && row.case_id) await cases.logSensitiveRead(db, scope, [{ id: row.case_id, reference: row.case_reference ?? '' }], 'inbox item');
  return row;
}

export async function get(scope: Scope, viewer: Viewer, id: string): Promise<InboundItem> {
  const row = await visibleRow(scope.db, scope, viewer, id);
  const full = (await repo.get(scope.db, scope.officeId, id))!;
  await repo.touchViewer(scope.db, scope.officeId, id, viewer.userId);
  const viewers = await repo.viewers(scope.db, scope.officeId, id, viewer.userId, new Date(Date.now() - 30_000));
  const details = (full.details ?? {}) as Record<string, unknown>;
  const attachments = Array.isArray(details.attachments) ? (details.attachments as InboundItem['attachments']) : [];
  return {
    ...summary(row, viewer), recipient: full.recipient, bodyText: full.body_text, bodyHtml: full.body_html, replyText: full.reply_text,
    messageId: full.message_id, attachments, details, attempts: full.attempts, handledBy: full.handled_by_label,
    viewers: viewers.map((v) => ({ userId: v.user_id, displayName: v.display_name })),
  };
}

/** Why triage treated the item as it did (null: it came before triage, or is not a message). */
export async function triageOf(scope: Scope, viewer: Viewer, id: string): Promise<TriageDecision | null> {
  await visibleRow(scope.db, scope, viewer, id);
  return triage.decisionOfItem(scope.db, scope.officeId, id);
}

export async function attachmentOf(scope: Scope, viewer: Viewer, id: string, index: number): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  await visibleRow(scope.db, scope, viewer, id);
  const raw = await repo.raw(scope.db, scope.officeId, id);
  const meta = ((raw?.details as { attachments?: InboundItem['attachments'] } | undefined)?.attachments ?? []).find((a) => a.index === index);
  if (!raw || !meta || raw.raw_type !== 'message/rfc822') throw new DomainError('not_found', { message: 'No such attachment on this item' });
  const part = await emailAttachment(raw.raw, index);
  if (!part) throw new DomainError('not_found', { message: 'No such attachment on this item' });
  return { fileName: meta.fileName, contentType: meta.contentType, content: part.content };
}

/** Locks the item for a staff action and checks it is in a state the action applies to. */
async function lockFor(trx: Trx, scope: Scope, viewer: Viewer, id: string, allowed: string[], action: string): Promise<repo.ItemRow> {
  await visibleRow(trx, scope, viewer, id);
  const item = await repo.lock(trx, scope.officeId, id);
  if (!item) throw notFound();
  if (!allowed.includes(item.status)) {
    throw new DomainError('conflict', { message: `This item is ${item.status.replace('_', ' ')}; it cannot be ${action} now`, extra: { itemStatus: item.status } });
  }
  return item;
}

async function handled(trx: Trx, scope: Scope, item: repo.ItemRow, values: Parameters<typeof repo.update>[3], action: string, summaryText: string, caseId: string | null = null): Promise<void> {
  await repo.update(trx, scope.officeId, item.id, { ...values, handled_by_label: scope.actor.label });
  await audit.record(trx, scope, {
    entity: 'inbound_item', id: item.id, action, caseId, constituentId: item.constituent_id,
    before: { status: item.status }, after: { status: values.status ?? item.status, summary: summaryText },
  });
}

const itemText = (item: repo.ItemRow) => (item.reply_text ?? item.body_text ?? '').slice(0, 20_000);

export async function createCase(scope: Scope, viewer: Viewer, id: string, input: z.input<typeof ZCreateCaseFromItem>): Promise<{ caseId: string; reference: string }> {
  const v = ZCreateCaseFromItem.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const item = await lockFor(trx, scope, viewer, id, ['new'], 'turned into a case');
    const created = await cases.create(withDb(scope, trx), viewer, {
      subject: v.subject ?? item.subject ?? (itemText(item).split('\n')[0]?.slice(0, 300) || `${item.channel} message`),
      description: itemText(item), channel: caseChannelOf(item.channel),
      constituents: item.constituent_id ? [{ constituentId: item.constituent_id, role: 'requester' }] : [],
      categoryId: v.categoryId ?? null, priority: v.priority ?? 'normal',
    }, { triaged: true });
    await handled(trx, scope, item, { status: 'filed', case_id: created.id, suggested_case_id: null }, 'filed', `Opened case ${created.reference} from this ${item.channel} message`, created.id);
    await photosOnFiling(item).onFiled?.(trx, scope, created.id);
    return { caseId: created.id, reference: created.reference };
  });
}

export async function attach(scope: Scope, viewer: Viewer, id: string, input: z.input<typeof ZAttachItem>): Promise<{ caseId: string; reference: string }> {
  const v = ZAttachItem.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const item = await lockFor(trx, scope, viewer, id, ['new', 'ignored'], 'attached to a case');
    const target = await cases.lockVisible(trx, scope, viewer, v.caseId);
    await handled(trx, scope, item, { status: 'filed', case_id: target.id, suggested_case_id: null }, 'filed', `${item.channel === 'email' ? 'Email' : 'Message'} from ${item.sender_name ?? item.sender_address ?? 'unknown sender'} attached to ${target.reference}${item.subject ? `: ${item.subject}` : ''}`, target.id);
    await photosOnFiling(item).onFiled?.(trx, scope, target.id);
    if (item.kind === 'message' || item.kind === null) await cases.reopenOnMessage(withDb(scope, trx), target.id);
    return { caseId: target.id, reference: target.reference };
  });
}

export async function markSpam(scope: Scope, viewer: Viewer, id: string, isSpam: boolean): Promise<{ status: string }> {
  return inTransaction(scope.db, async (trx) => {
    const item = await lockFor(trx, scope, viewer, id, isSpam ? ['new', 'needs_attention', 'ignored'] : ['spam'], isSpam ? 'marked spam' : 'restored');
    const to = isSpam ? 'spam' : 'new';
    await handled(trx, scope, item, { status: to }, isSpam ? 'marked_spam' : 'restored', isSpam ? 'Marked as spam' : 'Not spam: back in the inbox');
    return { status: to };
  });
}

/** Merges the item's (provisional) sender into an existing record, which keeps its values (for a suggested sender: it is them). */
export async function mergeSender(scope: Scope, viewer: Viewer, id: string, input: z.input<typeof ZMergeSender>): Promise<{ constituentId: string }> {
  const v = ZMergeSender.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const item = await lockFor(trx, scope, viewer, id, ['new', 'filed', 'ignored', 'spam'], 'changed');
    if (!item.constituent_id) throw new DomainError('validation_failed', { message: 'This item has no sender record to merge' });
    if (item.constituent_id === v.constituentId) throw new DomainError('validation_failed', { field: 'constituentId', message: 'That is already the sender of this item' });
    await dedup.merge(withDb(scope, trx), v.constituentId, { otherId: item.constituent_id });
    return { constituentId: v.constituentId };
  });
}

/** Confirms the item's provisional sender as a person of their own (for a suggested sender: someone else). */
export async function confirmSender(scope: Scope, viewer: Viewer, id: string): Promise<{ confirmed: boolean }> {
  return inTransaction(scope.db, async (trx) => {
    const item = await lockFor(trx, scope, viewer, id, ['new', 'filed', 'ignored', 'spam'], 'changed');
    if (!item.constituent_id) throw new DomainError('validation_failed', { message: 'This item has no sender record to confirm' });
    return { confirmed: await senders.confirmProvisional(trx, scope, item.constituent_id) };
  });
}

/** Sends an item that failed back to processing (after a fix). */
export async function retry(scope: Scope, viewer: Viewer, jobs: Jobs | undefined, id: string): Promise<{ status: string }> {
  return inTransaction(scope.db, async (trx) => {
    const item = await lockFor(trx, scope, viewer, id, ['needs_attention'], 'retried');
    await handled(trx, scope, item, { status: 'received', error: null }, 'retried', 'Sent back for processing');
    await enqueueProcessing(jobs, trx, { officeId: scope.officeId, id });
    return { status: 'received' };
  });
}

/** What the case has received, oldest first (the conversation on the case page). */
export async function ofCase(scope: Scope, viewer: Viewer, caseId: string): Promise<InboundItemSummary[]> {
  await cases.get(scope, viewer, caseId);
  const rows = await repo.list(scope.db, scope.officeId, { statuses: null, caseId }, 500);
  return rows.reverse().map((r) => summary(r, viewer));
}
