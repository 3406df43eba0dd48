// The intake module's jobs: processing each stored item, and a sweep every five minutes that
// re-queues items left 'received' (their job lost in a crash, or stored where no queue ran).
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { describeError } from '../messages/messages.deliver.js';
import { readEmail } from './intake.email-reader.js';
import { enqueueProcessing, PROCESS_SPEC } from './intake.queue.js';
import { registerReader } from './intake.readers.js';
import * as repo from './intake.repo.js';
import { markFailed, processItem } from './intake.service.js';

type Log = { info(obj: object | string, msg?: string): void; error(obj: object, msg?: string): void };

export const INTAKE_SWEEP_JOB = 'intake.sweep';
const MAX_ATTEMPTS = PROCESS_SPEC.retryLimit + 1;

/** The readers of the channels built in; called by the runtime and the app. */
export function registerIntakeReaders(): void {
  registerReader('email', readEmail);
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

export async function requeueStaleItems(database: Database, jobs: Jobs, olderThanMs = 10 * 60_000): Promise<number> {
  const stale = await repo.stale(database.db, new Date(Date.now() - olderThanMs), 500);
  for (const s of stale) {
    await database.db.transaction().execute(async (trx) => {
      await repo.update(trx, s.office_id, s.id, {});
      await enqueueProcessing(jobs, trx, { officeId: s.office_id, id: s.id });
    });
  }
  return stale.length;
}

export function defineIntakeJobs(jobs: Jobs, database: Database, log: Log): void {
  registerIntakeReaders();
  jobs.define({ ...PROCESS_SPEC, handler: (data, { attempt }) => runProcessing(database, data, attempt, log) });
  jobs.define({
    name: INTAKE_SWEEP_JOB,
    data: z.object({}).passthrough(),
    cron: '*/5 * * * *',
    retryLimit: 1,
    handler: async () => {
      const n = await requeueStaleItems(database, jobs);
      if (n) log.info({ job: INTAKE_SWEEP_JOB, requeued: n }, `${n} unprocessed inbound item(s) re-queued`);
    },
  });
}
