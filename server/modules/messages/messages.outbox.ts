// The outbox: the one way any module sends an email (enqueueEmail), a text message
// (enqueueSms) or a letter (enqueueLetter: printed and posted by staff, so no job). Each writes the message in the caller's transaction and queues its delivery
// job in the same transaction, so a message exists if and only if the change that caused it
// committed. Delivery (messages.deliver.ts) is
// idempotent and retried; the message's status (queued → sent | failed) and its audit events
// put it on the case timeline. An email to a constituent about a case carries the case token
// in its subject ([C-2026-00042], once) and, when the office has an intake address, a Reply-To
// with the token as a +tag, so an answer finds its case even without threading headers (staff
// notifications about a case, which have no constituent, get neither). Bulk mail
// (outreach, surveys) carries List-Unsubscribe with a one-click link (RFC 8058); casework
// mail never does.
import { z } from 'zod';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { Jobs } from '../../platform/jobs.js';
import { addressDomain } from '../../platform/mail.js';
import * as audit from '../../platform/audit/audit.js';
import type { Scope } from '../../platform/scope.js';
import { caseById } from '../cases/cases.intake.js';
import { enqueueDelivery } from './messages.deliver.js';
import * as repo from './messages.repo.js';
import { listUnsubscribeHeaders } from './unsubscribe.service.js';

/** An email to queue (the Message-ID and threading headers are added here). */
export type EmailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  caseId?: string | null;
  constituentId?: string | null;
  kind: string;
  dedupeKey?: string;
  /** The approved template version the text came from, if any (replies). */
  template?: repo.TemplateRef | null;
  /**
   * Bulk mail (a mailing to many, for outreach or surveys): sent with List-Unsubscribe and
   * Precedence: bulk, and needs the constituent it goes to. Unset: transactional mail.
   */
  bulk?: { purpose: BulkPurpose } | null;
  /**
   * A subscription's own one-click unsubscribe link (area alerts, which go to an address, not
   * to a constituent): sent as List-Unsubscribe with List-Unsubscribe-Post (RFC 8058).
   */
  listUnsubscribeUrl?: string;
};

export type BulkPurpose = 'outreach' | 'surveys';

type OutboxSettings = { jobs: () => Jobs | undefined; from: string; publicUrl?: string };

let settings: Required<OutboxSettings> = { jobs: () => undefined, from: 'Civitas <no-reply@localhost>', publicUrl: 'http://localhost:3000' };

/** Set by the app (routes) and the job runtime from the config; the last call wins (a publicUrl left out stays). */
export function configureOutbox(s: OutboxSettings): void {
  settings = { ...settings, ...s };
}

/** The public address (PUBLIC_URL) that links in messages start with, as configured. */
export const messagesPublicUrl = (): string => settings.publicUrl;

/** The address replies to an office's mail should go to (an intake address, without a tag), or null. */
export type ReplyAddressOf = (db: Executor, officeId: string) => Promise<string | null>;
let replyAddressOf: ReplyAddressOf = async () => null;

/** Registered by the intake module, which owns the office's intake addresses. */
export function registerReplyAddress(fn: ReplyAddressOf): void {
  replyAddressOf = fn;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The subject with the case token in it once: kept when "[C-2026-00042]" is there already (a
 * "Re: Re:" chain included), bracketed where the bare reference is, else put in front.
 */
export function withCaseToken(subject: string, reference: string): string {
  const ref = escapeRegExp(reference);
  if (new RegExp(`\\[${ref}\\]`, 'i').test(subject)) return subject;
  const bare = new RegExp(`(?<![\\w-])${ref}(?![\\w-])`, 'i');
  // Subjects are at most 300 characters: the end gives way to the token.
  if (bare.test(subject)) return subject.replace(bare, `[${reference}]`).slice(0, 300).trimEnd();
  return `[${reference}] ${subject}`.slice(0, 300).trimEnd();
}

/** `help@town.example` → `help+c-2026-00042@town.example`; null when the tag would make the local part too long (RFC 5321: 64). */
export function taggedAddress(address: string, reference: string): string | null {
  const at = address.lastIndexOf('@');
  const local = `${address.slice(0, at)}+${reference.toLowerCase()}`;
  return at > 0 && local.length <= 64 ? `${local}${address.slice(at)}` : null;
}


const ZEmail = z.object({
  to: z.email('must be an email address').max(320),
  // Header values: one line each.
  subject: z.string().trim().min(1, 'must not be empty').max(300).refine((s) => !/[\r\n]/.test(s), 'must be one line'),
  text: z.string().min(1, 'must not be empty').max(100_000).refine((s) => s.trim().length > 0, 'must not be empty'),
  html: z.string().max(200_000).optional(),
  kind: z.string().regex(/^[a-z][a-z0-9_.]{0,39}$/, 'must be a lower-case word such as reply or task_reminder'),
  dedupeKey: z.string().min(1).max(200).optional(),
  bulk: z.object({ purpose: z.enum(['outreach', 'surveys']) }).nullish(),
});

/** The message checked, or a validation problem naming the first bad field. */
function valid<T extends z.ZodTypeAny>(schema: T, msg: unknown): z.infer<T> {
  const parsed = schema.safeParse(msg);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'message', message: i.message }));
  throw new DomainError('validation_failed', { message: `${issues[0]!.field} ${issues[0]!.message}`, field: issues[0]!.field, issues });
}

/** The stable root of a case's thread: every email about the case references it. */
export const caseThreadRoot = (caseId: string, from: string = settings.from): string => `<case-${caseId}@${addressDomain(from)}>`;

/**
 * Queues an email. With dedupeKey, a second call with the same key (a job run twice) queues
 * nothing and returns the first message's id.
 */
export async function enqueueEmail(
  trx: Executor,
  scope: Scope,
  msg: EmailMessage,
): Promise<{ id: string }> {
  const m = valid(ZEmail, msg);
  const domain = addressDomain(settings.from);
  const id = uuidv7();
  const caseId = msg.caseId ?? null;
  const constituentId = msg.constituentId ?? null;
  if (m.bulk && (caseId || !constituentId)) {
    throw new DomainError('validation_failed', { field: 'bulk', message: 'Bulk mail goes to a constituent (for the unsubscribe link) and is not about one case' });
  }
  // A stable chain per case: the root first, then the latest messages (bounded).
  let inReplyTo: string | null = null;
  let references: string[] = [];
  let subject = m.subject;
  let replyTo: string | null = null;
  if (caseId) {
    const root = caseThreadRoot(caseId);
    const previous = await repo.threadIds(trx, scope.officeId, caseId, 9);
    references = [root, ...previous];
    inReplyTo = previous.at(-1) ?? root;
    // Mail to a person on the case (not staff notifications about it): answers should find the case.
    const c = constituentId ? await caseById(trx, scope.officeId, caseId) : undefined;
    if (c) {
      subject = withCaseToken(subject, c.reference);
      const base = await replyAddressOf(trx, scope.officeId);
      replyTo = base ? taggedAddress(base, c.reference) ?? base : null;
    }
  }
  const headers = m.bulk ? await listUnsubscribeHeaders(trx, scope.officeId, constituentId!, m.bulk.purpose, settings.publicUrl, await replyAddressOf(trx, scope.officeId))
    : msg.listUnsubscribeUrl ? { 'List-Unsubscribe': `<${msg.listUnsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' } : {};
  const r = await repo.insertOnce(trx, scope.officeId, {
    id, caseId, constituentId, template: msg.template ?? null, kind: m.kind, to: m.to, replyTo,
    subject, text: m.text, html: m.html ?? null, messageId: `<${id}@${domain}>`, inReplyTo, references, dedupeKey: m.dedupeKey ?? null,
    createdBy: scope.actor.id, createdByLabel: scope.actor.label, headers, bulkPurpose: m.bulk?.purpose ?? null,
  });
  if (!r.created) return { id: r.id };
  await audit.record(trx, scope, {
    entity: 'message', id, action: 'queued', caseId, constituentId,
    after: { summary: `Email queued to ${m.to}: ${subject}`, kind: m.kind, to: m.to, subject, status: 'queued' },
  });
  await enqueueDelivery(settings.jobs(), trx, { officeId: scope.officeId, id });
  return { id };
}

/** A text message to queue; delivered by the sender the SMS module registers (messages.channels). */
export type SmsMessage = {
  /** E.164 */
  to: string;
  text: string;
  caseId?: string | null;
  constituentId?: string | null;
  kind: string;
  dedupeKey?: string;
  template?: repo.TemplateRef | null;
};

/** The longest text one provider request takes (Twilio's limit); the provider cuts it into segments. */
export const SMS_MAX_CHARS = 1600;

const ZSms = z.object({
  to: z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be a phone number in E.164 form'),
  text: z.string().max(SMS_MAX_CHARS, `must be at most ${SMS_MAX_CHARS} characters for a text message`).refine((s) => s.trim().length > 0, 'must not be empty'),
  kind: ZEmail.shape.kind,
  dedupeKey: ZEmail.shape.dedupeKey,
});

/** Queues a text message in the caller's transaction, like enqueueEmail (a dedupeKey queues it once). */
export async function enqueueSms(trx: Executor, scope: Scope, msg: SmsMessage): Promise<{ id: string }> {
  const m = valid(ZSms, msg);
  const id = uuidv7();
  const caseId = msg.caseId ?? null;
  // Texts have no subject: the start of the text stands for one in lists and on the timeline.
  const subject = m.text.replace(/\s+/g, ' ').trim().slice(0, 80);
  const r = await repo.insertOnce(trx, scope.officeId, {
    id, channel: 'sms', caseId, constituentId: msg.constituentId ?? null, template: msg.template ?? null, kind: m.kind, to: m.to, replyTo: null,
    subject, text: m.text, html: null, messageId: `<sms-${id}@civitas.invalid>`, inReplyTo: null, references: [], dedupeKey: m.dedupeKey ?? null,
    createdBy: scope.actor.id, createdByLabel: scope.actor.label,
  });
  if (!r.created) return { id: r.id };
  await audit.record(trx, scope, {
    entity: 'message', id, action: 'queued', caseId, constituentId: msg.constituentId ?? null,
    after: { summary: `Text message queued to ${m.to}: ${subject}`, kind: m.kind, to: m.to, channel: 'sms', status: 'queued' },
  });
  await enqueueDelivery(settings.jobs(), trx, { officeId: scope.officeId, id });
  return { id };
}

/** A letter to queue for printing: the address block (name, then the postal address, one line each). */
export type LetterMessage = { to: string; subject: string; text: string; caseId: string; constituentId: string; kind: string; template?: repo.TemplateRef | null };

/** The addressee of a letter: the first line of its address block. */
export const addresseeOf = (block: string) => block.split('\n')[0]!.trim();

const ZLetterMessage = z.object({
  to: z.string().max(1000).refine((s) => s.split('\n').filter((l) => l.trim()).length >= 2, 'must be a name and at least one address line'),
  subject: ZEmail.shape.subject,
  text: ZEmail.shape.text,
  kind: ZEmail.shape.kind,
});

/**
 * Queues a letter in the caller's transaction. It waits in the print queue (status 'queued')
 * until someone marks it posted (letters.service); no delivery job runs for it.
 */
export async function enqueueLetter(trx: Executor, scope: Scope, msg: LetterMessage): Promise<{ id: string }> {
  const m = valid(ZLetterMessage, msg);
  const id = uuidv7();
  await repo.insertOnce(trx, scope.officeId, {
    id, channel: 'letter', caseId: msg.caseId, constituentId: msg.constituentId, template: msg.template ?? null, kind: m.kind, to: m.to, replyTo: null,
    subject: m.subject, text: m.text, html: null, messageId: `<letter-${id}@civitas.invalid>`, inReplyTo: null, references: [], dedupeKey: null,
    createdBy: scope.actor.id, createdByLabel: scope.actor.label,
  });
  const name = addresseeOf(m.to);
  await audit.record(trx, scope, {
    entity: 'message', id, action: 'queued', caseId: msg.caseId, constituentId: msg.constituentId,
    after: { summary: `Letter to ${name} queued for printing: ${m.subject}`, kind: m.kind, to: m.to, channel: 'letter', subject: m.subject, status: 'queued' },
  });
  return { id };
}

const THREAD_ROOT = /^<case-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@[^>]+>$/i;

/**
 * The case a reply belongs to, from its In-Reply-To and References: one of our messages on a
 * case, or a case's thread root. Ids are checked against this office's rows only.
 */
export async function caseOfThread(db: Executor, officeId: string, messageIds: string[]): Promise<{ caseId: string; constituentId: string | null } | null> {
  const ids = messageIds.filter((m) => m.length <= 300).slice(-50);
  if (!ids.length) return null;
  const hit = await repo.caseOfMessageIds(db, officeId, ids);
  if (hit?.case_id) return { caseId: hit.case_id, constituentId: hit.constituent_id };
  for (const id of [...ids].reverse()) {
    const root = THREAD_ROOT.exec(id);
    if (root) return { caseId: root[1]!.toLowerCase(), constituentId: null };
  }
  return null;
}

/** Which of our messages a bounce or complaint is about. */
export const outboundByMessageId = (db: Executor, officeId: string, messageId: string) => repo.byMessageId(db, officeId, messageId);
