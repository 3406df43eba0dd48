// The insights module's background job: every minute, fold every office's pending case
// changes and inbound items into the summaries (insights.refresh.ts). A singleton queue, so
// runs never overlap; the per-office lock of the refresh makes an overlap harmless anyway.
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { refreshAll } from './insights.refresh.js';

type Log = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

export const INSIGHTS_REFRESH_JOB = 'insights.refresh';

const ZRefresh = z.object({}).passthrough();

export function refreshJob(database: Database, log: Log): JobDefinition<typeof ZRefresh> {
  return {
    name: INSIGHTS_REFRESH_JOB,
    data: ZRefresh,
    cron: '* * * * *',
    policy: 'singleton',
    retryLimit: 1,
    expireInSeconds: 30 * 60,
    handler: async () => {
      const r = await refreshAll(database);
      if (r.processed) log.info({ job: INSIGHTS_REFRESH_JOB, ...r }, `Insights: ${r.processed} changed case(s) of ${r.offices} office(s) folded into the summaries`);
    },
  };
}

export function defineInsightsJobs(jobs: Jobs, database: Database, log: Log): void {
  jobs.define(refreshJob(database, log));
}
