// The intake module's jobs: processing each stored item, and a sweep every five minutes that
// re-queues items left 'received' (their job lost in a crash, or stored where no queue ran)
// and forgets the public form's per-address counts of windows that have ended.
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { describeError } from '../messages/messages.deliver.js';
import { registerReplyAddress } from '../messages/messages.outbox.js';
import { replyAddress } from './intake.addresses.js';
import { readEmail } from './intake.email-reader.js';
import { readSms } from '../sms/sms.reader.js';
import { enqueueProcessing, PROCESS_SPEC } from './intake.queue.js';
import { registerReader } from './intake.readers.js';
import { readOpen311 } from '../open311/open311.reader.js';
import * as repo from './intake.repo.js';
import { markFailed, processItem } from './intake.service.js';
import { readCapture, readSocial, readWebhook, readWebRequest } from './intake.web-readers.js';
import { ADDRESS_WINDOW_SECONDS, purgeFormHits } from './intake.web-repo.js';

type Log = { info(obj: object | string, msg?: string): void; error(obj: object, msg?: string): void };

export const INTAKE_SWEEP_JOB = 'intake.sweep';
const MAX_ATTEMPTS = PROCESS_SPEC.retryLimit + 1;

/** The readers of the channels built in; called by the runtime and the app. */
export function registerIntakeReaders(): void {
  // The office's mail about a case names an intake address as its Reply-To.
  registerReplyAddress(replyAddress);
  registerReader('email', readEmail);
  registerReader('sms', readSms);
  registerReader('web', readWebRequest);
  for (const channel of ['phone', 'voicemail', 'walk_in', 'event'] as const) registerReader(channel, readCapture);
  registerReader('social', readSocial);
  registerReader('webhook', readWebhook);
  registerReader('open311', readOpen311);
}

/**
 * Runs one item. A failure that retrying cannot fix (bad data, a rule refusing it) goes to
 * 'needs attention' at once; anything else is retried, and after the last try it goes there too.
 */
export async function runProcessing(database: Database, data: { officeId: string; id: string }, attempt: number, log: Log): Promise<void> {
  try {
    await processItem(database.db, data.officeId, data.id);
  } catch (err) {
    // PostgreSQL's data exceptions (22…) and constraint violations (23…) will not pass on a retry either.
    const sqlState = String((err as { code?: unknown })?.code ?? '');
    const isPermanent = err instanceof DomainError || err instanceof SyntaxError || err instanceof TypeError || err instanceof RangeError || /^2[23]/.test(sqlState);
    const reason = describeError(err);
    log.error({ job: PROCESS_SPEC.name, officeId: data.officeId, itemId: data.id, attempt, err: reason }, 'inbound item failed');
    if (isPermanent || attempt >= MAX_ATTEMPTS) {
      await markFailed(database.db, data.officeId, data.id, reason);
      return;
    }
    throw err;
  }
}

/**
 * Re-queues items left 'received' for olderThanMs whose job no longer waits in the queue:
 * lost with a crashed worker (its job stays 'active' until it expires) or stored where no
 * queue ran. A second job for an item being processed elsewhere waits on the item's row
 * lock and then does nothing, so re-queueing never processes anything twice.
 */
export async function requeueStaleItems(database: Database, jobs: Jobs, olderThanMs = 10 * 60_000): Promise<number> {
  const before = new Date(Date.now() - olderThanMs);
  const waiting = await jobs.waitingKeys(PROCESS_SPEC.name, 'id');
  let requeued = 0;
  for (let after: { at: Date; id: string } | undefined; ;) {
    const page = await repo.stale(database.db, before, 500, after);
    for (const s of page.filter((p) => !waiting.has(p.id))) {
      await database.db.transaction().execute(async (trx) => {
        await repo.update(trx, s.office_id, s.id, {});
        await enqueueProcessing(jobs, trx, { officeId: s.office_id, id: s.id });
      });
      requeued++;
    }
    if (page.length < 500) return requeued;
    const last = page[page.length - 1]!;
    after = { at: last.updated_at, id: last.id };
  }
}

export function defineIntakeJobs(jobs: Jobs, database: Database, log: Log): void {
  registerIntakeReaders();
  jobs.define({
    ...PROCESS_SPEC,
    handler: (data, { attempt }) => runProcessing(database, data, attempt, log),
    // A worker starting after a crash picks up at once what the crashed one held.
    onStart: async () => {
      const n = await requeueStaleItems(database, jobs, 0);
      if (n) log.info({ job: PROCESS_SPEC.name, requeued: n }, `${n} unprocessed inbound item(s) re-queued at start-up`);
    },
  });
  jobs.define({
    name: INTAKE_SWEEP_JOB,
    data: z.object({}).passthrough(),
    cron: '*/5 * * * *',
    retryLimit: 1,
    handler: async () => {
      const n = await requeueStaleItems(database, jobs);
      if (n) log.info({ job: INTAKE_SWEEP_JOB, requeued: n }, `${n} unprocessed inbound item(s) re-queued`);
      await purgeFormHits(database.db, ADDRESS_WINDOW_SECONDS);
    },
  });
}
