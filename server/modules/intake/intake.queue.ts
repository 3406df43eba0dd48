// The processing job's name and data, so storing an item can queue it in the same
// transaction without importing the job's handler (bound in intake.jobs.ts).
import { z } from 'zod';
import type { Executor } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';

export const PROCESS_JOB = 'intake.process';
export const ZProcess = z.object({ officeId: z.uuid(), id: z.uuid() });
// Batches of up to 100, two workers per process, fetching again after half a second: a burst
// of mail is processed as fast as the database allows (pg-boss waits out the polling
// interval after every fetch, so one job per fetch would cap a worker at one every 2 s).
export const PROCESS_SPEC = {
  name: PROCESS_JOB, data: ZProcess, retryLimit: 3, retryDelaySeconds: 5, expireInSeconds: 5 * 60, batchSize: 100, concurrency: 2, pollingIntervalSeconds: 0.5,
} as const;

const SEND_ONLY: JobDefinition<typeof ZProcess> = {
  ...PROCESS_SPEC,
  handler: async () => {
    throw new Error('intake.process runs through the definition made by defineIntakeJobs');
  },
};

/** Queues processing in the caller's transaction. Without a queue (a CLI), the sweep picks the item up. */
export async function enqueueProcessing(jobs: Jobs | undefined, db: Executor, data: z.infer<typeof ZProcess>): Promise<void> {
  if (jobs) await jobs.send(SEND_ONLY, data, db);
}
