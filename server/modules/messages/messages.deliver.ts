// Delivers one queued message. Idempotent: the worker claims the message before sending (a
// committed claim_until), so a message already sent, or being sent by another worker (a job
// queued twice by the sweep, or retried while a slow SMTP call outlives its expiry), is never
// sent again; a retry reuses the message's Message-ID, so a receiver that did get an earlier
// attempt can drop the copy. The window in which a crash between the SMTP "250 OK" and the
// status update sends twice is unavoidable with SMTP; the stable Message-ID is the mitigation.
import { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import type { Database, Executor } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import type { Mailer } from '../../platform/mail.js';
import { systemScope } from '../../platform/scope.js';
import { applyParkedReports, CHANNEL_LABEL, PermanentDeliveryError, senderFor } from './messages.channels.js';
import * as repo from './messages.repo.js';

export const DELIVER_JOB = 'messages.deliver';
export const ZDeliver = z.object({ officeId: z.uuid(), id: z.uuid() });
export type DeliverData = z.infer<typeof ZDeliver>;

/** Five attempts over about eight minutes (30 s doubling), then the message is failed. */
// Batches of 10 by two workers, fetching again after half a second: a reply or an outreach
// run goes out in seconds, not at one message per polling interval.
export const DELIVER_SPEC = {
  name: DELIVER_JOB, data: ZDeliver, retryLimit: 4, retryDelaySeconds: 30, expireInSeconds: 5 * 60, batchSize: 10, concurrency: 2, pollingIntervalSeconds: 0.5,
} as const;
export const MAX_ATTEMPTS = DELIVER_SPEC.retryLimit + 1;

/** Error text safe to store and show: one line, no credentials from a URL. */
export function describeError(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; response?: string; code?: string };
  const text = e?.response ?? e?.message ?? String(err);
  return `${e?.responseCode ? `${e.responseCode} ` : ''}${text}`.replace(/\/\/[^/@\s]+@/g, '//[redacted]@').replace(/\s+/g, ' ').trim().slice(0, 2000);
}

export type DeliverOutcome = 'sent' | 'already_sent' | 'in_flight' | 'by_hand' | 'retrying' | 'failed' | 'gone';

export async function deliver(database: Database, mailer: Mailer, from: string, data: DeliverData, attempt: number, maxAttempts = MAX_ATTEMPTS): Promise<DeliverOutcome> {
  const { db } = database;
  const m = await repo.claim(db, data.officeId, data.id);
  if (!m) {
    const now = await repo.get(db, data.officeId, data.id);
    if (!now) return 'gone';
    if (now.status === 'sent') return 'already_sent';
    // Failed for good: only a new message (or a person re-queuing it) sends it.
    if (now.status === 'failed') return 'failed';
    // Letters are printed and posted by people (letters.service), never by this job.
    if (now.channel === 'letter') return 'by_hand';
    // Another worker holds it and records the outcome; if that worker died, the claim lapses
    // and the sweep queues the message again.
    return 'in_flight';
  }
  const scope = systemScope(db, data.officeId, 'mail delivery');
  const label = CHANNEL_LABEL[m.channel] ?? m.channel;
  const what = m.channel === 'email' ? `: ${m.subject}` : '';
  const sendEmail = async () => {
    const r = await mailer.send({
      from, to: m.to_address, replyTo: m.reply_to, subject: m.subject, text: m.body_text, html: m.body_html, messageId: m.message_id,
      inReplyTo: m.in_reply_to, references: m.references,
      headers: { ...(m.headers as Record<string, string>), ...(m.case_id ? { 'X-Civitas-Case': m.case_id } : {}) },
    });
    return { providerId: null, response: r.response };
  };
  try {
    // Email goes out through the mailer; other channels through the sender they registered.
    const r = m.channel === 'email' ? await sendEmail() : await senderFor(m.channel)(db, m);
    await db.transaction().execute(async (trx) => {
      const row = await repo.markSent(trx, data.officeId, m.id, r.response, r.providerId);
      if (row) await audit.record(trx, scope, { entity: 'message', id: m.id, action: 'sent', caseId: m.case_id, constituentId: m.constituent_id, after: { summary: `${label} sent to ${m.to_address}${what}`, status: 'sent', attempts: row.attempts } });
      // A delivery report that raced ahead of this commit was parked; it applies now.
      if (row && r.providerId) await applyParkedReports(trx, data.officeId, r.providerId);
    });
    return 'sent';
  } catch (err) {
    const reason = describeError(err);
    // A refusal retrying cannot change fails the message now.
    const final = attempt >= maxAttempts || err instanceof PermanentDeliveryError;
    await db.transaction().execute(async (trx) => {
      const row = await repo.markAttemptFailed(trx, data.officeId, m.id, reason, final);
      if (row && final) {
        await audit.record(trx, scope, { entity: 'message', id: m.id, action: 'failed', caseId: m.case_id, constituentId: m.constituent_id, after: { summary: `${label} to ${m.to_address} failed: ${reason}`, status: 'failed', attempts: row.attempts, error: reason } });
      }
    });
    // The final failure is recorded on the message and the case; nothing more for the queue to do.
    if (final) return 'failed';
    throw err;
  }
}

export function deliverJob(database: Database, mailer: Mailer, from: () => string): JobDefinition<typeof ZDeliver> {
  return { ...DELIVER_SPEC, handler: async (data, { attempt }) => void (await deliver(database, mailer, from(), data, attempt)) };
}

// Enqueueing needs only the name and the data schema; the handler is bound by defineMessageJobs.
const SEND_ONLY: JobDefinition<typeof ZDeliver> = {
  ...DELIVER_SPEC,
  handler: async () => {
    throw new Error('messages.deliver runs through the definition made by defineMessageJobs');
  },
};

/** Queues delivery in the caller's transaction. Without a job queue (a CLI), the sweep picks the message up later. */
export async function enqueueDelivery(jobs: Jobs | undefined, db: Executor, data: DeliverData): Promise<void> {
  if (jobs) await jobs.send(SEND_ONLY, data, db);
}

/** Re-queues messages left queued for a while (their job lost, or queued where no queue ran). */
export async function requeueStale(database: Database, jobs: Jobs, now = new Date()): Promise<number> {
  const stale = await repo.staleQueued(database.db, new Date(now.getTime() - 15 * 60_000), 200);
  for (const s of stale) {
    await database.db.transaction().execute(async (trx) => {
      await repo.touch(trx, s.office_id, s.id);
      await enqueueDelivery(jobs, trx, { officeId: s.office_id, id: s.id });
    });
  }
  return stale.length;
}
