// The sla module's background jobs: the sweep (every minute: warnings and escalations) and
// the recompute of an office's open cases after its SLA configuration changed.
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { registerSlaCaseHook } from './sla.case-hook.js';
import { pausingStatuses } from '../cases/cases.workflow.js';
import { reconcileSla, type ClockCache } from './sla.cases.js';
import * as repo from './sla.repo.js';
import { sweep } from './sla.sweep.js';

type Log = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

export const SLA_SWEEP_JOB = 'sla.sweep';
export const SLA_RECOMPUTE_JOB = 'sla.recompute';

export const ZRecomputeSla = z.object({ officeId: z.uuid() });

const ZSweep = z.object({}).passthrough();

export function sweepJob(database: Database, log: Log): JobDefinition<typeof ZSweep> {
  return {
    name: SLA_SWEEP_JOB,
    data: ZSweep,
    cron: '* * * * *',
    retryLimit: 1,
    expireInSeconds: 10 * 60,
    handler: async () => {
      const r = await sweep(database.db, new Date(), { log });
      if (r.checked) log.info({ job: SLA_SWEEP_JOB, ...r }, `SLA sweep: ${r.checked} case(s) checked, ${r.warnings} warning(s), ${r.escalations} escalation(s), ${r.failed} failed`);
    },
  };
}

const RECOMPUTE_SPEC = { name: SLA_RECOMPUTE_JOB, data: ZRecomputeSla, retryLimit: 3, retryDelaySeconds: 30, expireInSeconds: 2 * 3600 } as const;

/** Recomputes the due times (and pauses, after a status's pausesSla changed) of every open case of the office, in batches of one transaction each. */
export async function recomputeOpenCases(database: Database, officeId: string): Promise<number> {
  let after: string | null = null;
  let done = 0;
  const clocks: ClockCache = new Map();
  const pausing = await pausingStatuses(database.db, officeId);
  for (;;) {
    const ids = await repo.openCaseIds(database.db, officeId, after, 500);
    if (ids.length === 0) return done;
    await database.db.transaction().execute(async (trx) => {
      for (const id of ids) await reconcileSla(trx, officeId, id, pausing, new Date(), clocks);
    });
    done += ids.length;
    after = ids[ids.length - 1]!;
  }
}

export function recomputeJob(database: Database, log: Log): JobDefinition<typeof ZRecomputeSla> {
  return {
    ...RECOMPUTE_SPEC,
    handler: async ({ officeId }, { jobId }) => {
      const n = await recomputeOpenCases(database, officeId);
      log.info({ job: SLA_RECOMPUTE_JOB, jobId, officeId, cases: n }, `SLA due times of ${n} open case(s) of office ${officeId} recomputed`);
    },
  };
}

export function defineSlaJobs(jobs: Jobs, database: Database, log: Log): void {
  // Case changes made by jobs (intake reopening a case, ...) keep their SLA state in step too.
  registerSlaCaseHook(() => jobs);
  jobs.define(sweepJob(database, log));
  jobs.define(recomputeJob(database, log));
}

// Enqueueing needs only the name and the data schema; the handler is bound in defineSlaJobs.
const SEND_ONLY: JobDefinition<typeof ZRecomputeSla> = {
  ...RECOMPUTE_SPEC,
  handler: async () => {
    throw new Error('sla.recompute runs through the definition made by defineSlaJobs');
  },
};

/** Queues the recompute of an office's open cases, in the caller's transaction (running it twice is harmless). */
export async function enqueueRecompute(jobs: Jobs | undefined, db: Executor, officeId: string): Promise<string | null> {
  if (!jobs) return null;
  return jobs.send(SEND_ONLY, { officeId }, db);
}
