// The classifier's training jobs: one office on demand (the triage page's "Retrain now"), and
// every night each office with enough resolved cases, one after another so two cores are
// never both busy training.
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { MIN_TRAINING_CASES, trainOffice } from './triage.models.js';
import { officesToTrain } from './triage.models-repo.js';

type Log = { info(obj: object, msg?: string): void };

const ZTrain = z.object({ officeId: z.uuid(), trigger: z.enum(['manual', 'nightly']) });
const TRAIN_SPEC = { name: 'triage.train', data: ZTrain, retryLimit: 1, retryDelaySeconds: 60, expireInSeconds: 3600 } as const;
const NIGHTLY_SPEC = { name: 'triage.nightly', data: z.object({}), cron: '23 2 * * *', retryLimit: 0, expireInSeconds: 6 * 3600 } as const;

async function trainLogged(database: Database, log: Log, officeId: string, trigger: 'manual' | 'nightly'): Promise<void> {
  try {
    const r = await trainOffice(database.db, officeId, trigger);
    log.info({ job: TRAIN_SPEC.name, officeId, version: r.version, trainedOn: r.trainedOn, accuracy: r.metrics.accuracy, coverageAt90: r.metrics.coverageAt90, trainMs: r.metrics.trainMs },
      `triage model v${r.version} of office ${officeId}: ${r.trainedOn} cases, held-out accuracy ${(r.metrics.accuracy * 100).toFixed(1)}%, ${(r.metrics.coverageAt90 * 100).toFixed(1)}% automatic at 90% precision, ${r.metrics.trainMs} ms`);
  } catch (err) {
    // Too few cases is a state, not a failure to retry.
    if (err instanceof DomainError && err.code === 'validation_failed') log.info({ job: TRAIN_SPEC.name, officeId, skipped: true }, err.message);
    else throw err;
  }
}

export function defineTriageJobs(jobs: Jobs, database: Database, log: Log): void {
  jobs.define({ ...TRAIN_SPEC, handler: async ({ officeId, trigger }) => trainLogged(database, log, officeId, trigger) });
  jobs.define({
    ...NIGHTLY_SPEC,
    handler: async () => {
      for (const officeId of await officesToTrain(database.db, MIN_TRAINING_CASES)) await trainLogged(database, log, officeId, 'nightly');
    },
  });
}

const SEND_ONLY: JobDefinition<typeof ZTrain> = {
  ...TRAIN_SPEC,
  handler: async () => {
    throw new Error('triage.train runs through the definition made by defineTriageJobs');
  },
};

/** Queues a training of the office's model; a second request within the same minute queues nothing (pg-boss throttling by key). */
export async function enqueueTraining(jobs: Jobs, db: Executor, officeId: string): Promise<string | null> {
  return jobs.send(SEND_ONLY, { officeId, trigger: 'manual' }, db, { singletonKey: `triage-train:${officeId}`, singletonSeconds: 60 });
}

export const TRAIN_JOB = TRAIN_SPEC.name;
