// The geo module's background job: recomputing every address's areas after boundaries change.
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { recomputeAll } from './geo.areas.js';

export const ZRecomputeAreas = z.object({ officeId: z.uuid() });
type RecomputeJob = JobDefinition<typeof ZRecomputeAreas>;

type Log = { info(obj: object, msg?: string): void };

const SPEC = {
  name: 'geo.recompute-areas',
  data: ZRecomputeAreas,
  retryLimit: 3,
  retryDelaySeconds: 30,
  // A million addresses take minutes on a small machine; leave ample room.
  expireInSeconds: 2 * 3600,
} as const;

export function recomputeAreasJob(database: Database, log: Log): RecomputeJob {
  return {
    ...SPEC,
    handler: async ({ officeId }, { jobId }) => {
      const r = await recomputeAll(database.db, officeId, (p) =>
        log.info({ job: SPEC.name, jobId, officeId, ...p }, `recomputing address areas of office ${officeId}: ${p.done}/${p.total} (${p.seconds}s)`),
      );
      log.info({ job: SPEC.name, jobId, officeId, ...r }, `address areas of office ${officeId} recomputed: ${r.done} addresses, ${r.located} with coordinates, ${r.changed} changed, in ${r.seconds}s`);
    },
  };
}

export function defineGeoJobs(jobs: Jobs, database: Database, log: Log): void {
  jobs.define(recomputeAreasJob(database, log));
}

// Enqueueing needs only the name and the data schema; the handler is bound where the job
// is defined (defineGeoJobs), which has the database.
const SEND_ONLY: RecomputeJob = {
  ...SPEC,
  handler: async () => {
    throw new Error('geo.recompute-areas runs through the definition made by defineGeoJobs');
  },
};

/** Enqueues the recompute of an office's areas, in the caller's transaction. */
export async function enqueueRecompute(jobs: Jobs | undefined, db: Executor, officeId: string): Promise<string | null> {
  if (!jobs) return null;
  return jobs.send(SEND_ONLY, { officeId }, db);
}

export const RECOMPUTE_AREAS_JOB = SPEC.name;
