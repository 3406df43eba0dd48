// The email channel's reader: parses the stored MIME, finds the case a reply belongs to from
// its headers, and turns bounces and complaint reports into changes to contact points.
import * as audit from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as senders from '../constituents/constituents.intake.js';
import { caseOfThread, outboundByMessageId } from '../messages/messages.outbox.js';
import { unsubscribe, UNSUBSCRIBE_SUBJECT } from '../messages/unsubscribe.service.js';
import { parseEmail, type ParsedEmail } from './intake.email.js';
import type { Reading } from './intake.readers.js';
import type { ItemRow } from './intake.repo.js';

async function bounceEffects(trx: Executor, scope: Scope, p: ParsedEmail): Promise<void> {
  const original = p.bounce?.originalMessageId ? await outboundByMessageId(trx, scope.officeId, p.bounce.originalMessageId) : undefined;
  for (const r of p.bounce?.recipients ?? []) {
    // Only "failed" and "delayed" reports say something about the address.
    if (r.action !== 'failed' && r.action !== 'delayed') continue;
    await senders.recordBounce(trx, scope, r.address, r.action === 'failed' ? r : { ...r, isHard: false });
  }
  if (original?.case_id) {
    const failed = p.bounce?.recipients.filter((r) => r.action === 'failed') ?? [];
    await audit.record(trx, scope, {
      entity: 'message', id: original.id, action: 'bounced', caseId: original.case_id, constituentId: original.constituent_id,
      after: { summary: `Email to ${original.to_address} ${failed.length ? 'bounced' : 'delayed'}${failed[0]?.status ? ` (${failed[0].status})` : ''}`, recipients: p.bounce?.recipients ?? [] },
    });
  }
}

async function complaintEffects(trx: Executor, scope: Scope, p: ParsedEmail): Promise<void> {
  const original = p.complaint?.originalMessageId ? await outboundByMessageId(trx, scope.officeId, p.complaint.originalMessageId) : undefined;
  const address = original?.to_address ?? p.complaint?.recipient;
  if (address) await senders.recordComplaint(trx, scope, address);
}

/** A bulk email's List-Unsubscribe mailto: the token in the subject records the withdrawal; a bad token changes nothing. */
async function unsubscribeEffects(trx: Executor, scope: Scope, p: ParsedEmail, token: string): Promise<void> {
  const evidence = `Unsubscribe email (List-Unsubscribe mailto) from ${p.senderAddress ?? 'an unknown sender'}, Message-ID ${p.messageId ?? 'none'}`;
  await unsubscribe(trx, token, evidence, scope.officeId).catch((err: unknown) => {
    if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
  });
}

export async function readEmail(item: ItemRow, db: Executor): Promise<Reading> {
  // Only the headers of a message over the size limit were kept (intake.imap.ts): nothing to file.
  if (item.raw_type === 'text/rfc822-headers') throw new DomainError('validation_failed', { message: item.error ?? 'Only the headers of this email were stored: it was over the size limit' });
  const p = await parseEmail(item.raw);
  const thread = await caseOfThread(db, item.office_id, [...p.references, ...(p.inReplyTo ? [p.inReplyTo] : [])]);
  const unsubscribeToken = p.kind === 'message' ? UNSUBSCRIBE_SUBJECT.exec(p.subject ?? '')?.[1] : undefined;
  return {
    kind: p.kind,
    senderName: p.senderName,
    senderAddress: p.senderAddress,
    senderEmail: p.senderAddress,
    senderPhone: null,
    subject: p.subject,
    text: p.text,
    html: p.html,
    replyText: p.replyText,
    messageId: p.messageId,
    inReplyTo: p.inReplyTo,
    references: p.references,
    threadCaseId: thread?.caseId ?? null,
    details: {
      attachments: p.attachments, kindReason: p.kindReason, date: p.date,
      ...(p.bounce ? { bounce: p.bounce } : {}), ...(p.complaint ? { complaint: p.complaint } : {}),
    },
    onNoise: p.kind === 'bounce' ? (trx, scope) => bounceEffects(trx, scope, p) : p.kind === 'complaint' ? (trx, scope) => complaintEffects(trx, scope, p) : undefined,
    // An unsubscribe by mail (the List-Unsubscribe mailto) is kept, never filed on a case.
    ...(unsubscribeToken ? { isControl: true, threadCaseId: null, onNoise: (trx: Executor, scope: Scope) => unsubscribeEffects(trx, scope, p, unsubscribeToken) } : {}),
  };
}
