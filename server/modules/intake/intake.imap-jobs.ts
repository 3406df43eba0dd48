// The job that reads office mailboxes over IMAP. Every minute the cron run queues one poll per
// enabled mailbox (of every office); saving a mailbox queues one for it at once. A poll that
// finds the mailbox held by another (its lease) does nothing, so duplicate jobs are harmless.
// A failed poll is recorded on the mailbox and the job ends normally: the next minute retries,
// and the dead-letter view is not filled with one failure a minute.
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { pollMailbox } from './intake.imap.js';
import * as mailboxes from './intake.mailboxes-repo.js';

type Log = { info(obj: object | string, msg?: string): void; error(obj: object, msg?: string): void };

export const IMAP_POLL_JOB = 'intake.imap-poll';
// Without ids: the cron run, which queues one job per enabled mailbox.
const ZPoll = z.object({ officeId: z.uuid().optional(), mailboxId: z.uuid().optional() });
// A poll stops after ten minutes (the backlog goes on in the next one), well within the expiry.
const POLL_SPEC = { name: IMAP_POLL_JOB, data: ZPoll, retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: 20 * 60, concurrency: 2 } as const;

const SEND_ONLY: JobDefinition<typeof ZPoll> = {
  ...POLL_SPEC,
  handler: async () => {
    throw new Error('intake.imap-poll runs through the definition made by defineImapJobs');
  },
};

/** Queues a poll of one mailbox, in the caller's transaction. */
export async function queuePoll(jobs: Jobs | undefined, db: Executor, officeId: string, mailboxId: string): Promise<void> {
  if (jobs) await jobs.send(SEND_ONLY, { officeId, mailboxId }, db);
}

/** One run of the job: the cron run (no ids) queues a poll per enabled mailbox; a run with ids polls that one. */
export async function runImapPollJob(database: Database, jobs: Jobs, data: z.infer<typeof ZPoll>, opts: { maxBytes: number }, log: Log): Promise<void> {
  if (data.officeId && data.mailboxId) {
    const r = await pollMailbox(database.db, jobs, data.officeId, data.mailboxId, { maxBytes: opts.maxBytes }, log);
    if (r.outcome === 'done' && (r.stored || r.tooLarge)) log.info({ job: IMAP_POLL_JOB, mailboxId: data.mailboxId, ...r }, 'IMAP poll stored messages');
    return;
  }
  for (const m of await mailboxes.enabled(database.db)) await queuePoll(jobs, database.db, m.office_id, m.id);
}

export function defineImapJobs(jobs: Jobs, database: Database, opts: { maxBytes: number }, log: Log): void {
  jobs.define({ ...POLL_SPEC, cron: '* * * * *', handler: (data) => runImapPollJob(database, jobs, data, opts, log) });
}
