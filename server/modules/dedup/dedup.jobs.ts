// The scan as a background job: POST /api/v1/dedup/scan queues it, a worker runs it.
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import * as repo from './dedup.repo.js';
import { runScan } from './dedup.scan.js';

export const ZScanJob = z.object({ officeId: z.uuid(), scanId: z.uuid() });

export function scanJob(database: Database): JobDefinition<typeof ZScanJob> {
  return {
    name: 'dedup.scan',
    data: ZScanJob,
    // A retry only helps when the process died mid-scan (the scan is still "running");
    // a scan that failed is marked failed and stays so: staff start a new one.
    retryLimit: 2,
    expireInSeconds: 30 * 60,
    handler: async ({ officeId, scanId }) => {
      const scan = await repo.getScan(database.db, officeId, scanId);
      if (!scan || scan.status === 'completed' || scan.status === 'failed') return;
      await runScan(database.db, officeId, scanId);
    },
  };
}

export function defineDedupJobs(jobs: Jobs, database: Database): void {
  jobs.define(scanJob(database));
}
