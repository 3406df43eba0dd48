// The outbox: the one way any module sends an email. enqueueEmail writes the message in the
// caller's transaction and queues its delivery job in the same transaction, so an email exists
// if and only if the change that caused it committed. Delivery (messages.deliver.ts) is
// idempotent and retried; the message's status (queued → sent | failed) and its audit events
// put it on the case timeline.
import { z } from 'zod';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { Jobs } from '../../platform/jobs.js';
import { addressDomain } from '../../platform/mail.js';
import * as audit from '../../platform/audit/audit.js';
import type { Scope } from '../../platform/scope.js';
import { enqueueDelivery } from './messages.deliver.js';
import * as repo from './messages.repo.js';

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
  /** The approved template the text came from, if any (replies). */
  templateId?: string | null;
};

type OutboxSettings = { jobs: () => Jobs | undefined; from: string };

let settings: OutboxSettings = { jobs: () => undefined, from: 'Civitas <no-reply@localhost>' };

/** Set by the app (routes) and the job runtime from the config; the last call wins. */
export function configureOutbox(s: OutboxSettings): void {
  settings = s;
}


const ZEmail = z.object({
  to: z.email('must be an email address').max(320),
  // Header values: one line each.
  subject: z.string().trim().min(1, 'must not be empty').max(300).refine((s) => !/[\r\n]/.test(s), 'must be one line'),
  text: z.string().min(1, 'must not be empty').max(100_000).refine((s) => s.trim().length > 0, 'must not be empty'),
  html: z.string().max(200_000).optional(),
  kind: z.string().regex(/^[a-z][a-z0-9_.]{0,39}$/, 'must be a lower-case word such as reply or task_reminder'),
  dedupeKey: z.string().min(1).max(200).optional(),
});

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
  const parsed = ZEmail.safeParse(msg);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'message', message: i.message }));
    throw new DomainError('validation_failed', { message: `${issues[0]!.field} ${issues[0]!.message}`, field: issues[0]!.field, issues });
  }
  const m = parsed.data;
  const domain = addressDomain(settings.from);
  const id = uuidv7();
  const caseId = msg.caseId ?? null;
  // A stable chain per case: the root first, then the latest messages (bounded).
  let inReplyTo: string | null = null;
  let references: string[] = [];
  if (caseId) {
    const root = caseThreadRoot(caseId);
    const previous = await repo.threadIds(trx, scope.officeId, caseId, 9);
    references = [root, ...previous];
    inReplyTo = previous.at(-1) ?? root;
  }
  const r = await repo.insertOnce(trx, scope.officeId, {
    id, caseId, constituentId: msg.constituentId ?? null, templateId: msg.templateId ?? null, kind: m.kind, to: m.to, replyTo: null,
    subject: m.subject, text: m.text, html: m.html ?? null, messageId: `<${id}@${domain}>`, inReplyTo, references, dedupeKey: m.dedupeKey ?? null,
    createdBy: scope.actor.id, createdByLabel: scope.actor.label,
  });
  if (!r.created) return { id: r.id };
  await audit.record(trx, scope, {
    entity: 'message', id, action: 'queued', caseId, constituentId: msg.constituentId ?? null,
    after: { summary: `Email queued to ${m.to}: ${m.subject}`, kind: m.kind, to: m.to, subject: m.subject, status: 'queued' },
  });
  await enqueueDelivery(settings.jobs(), trx, { officeId: scope.officeId, id });
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
