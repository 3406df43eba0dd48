// The purge job: removes the stored bytes of deleted attachments whose removal right after
// the delete did not happen (storage unavailable, process stopped in between).
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { purgeRemoved } from './attachments.service.js';

type Log = { info(obj: object, msg?: string): void };

export const ATTACHMENTS_PURGE_JOB = 'attachments.purge';

const ZPurge = z.object({}).passthrough();

export function purgeJob(database: Database, log: Log): JobDefinition<typeof ZPurge> {
  return {
    name: ATTACHMENTS_PURGE_JOB,
    data: ZPurge,
    cron: '*/15 * * * *',
    retryLimit: 1,
    expireInSeconds: 30 * 60,
    handler: async () => {
      const r = await purgeRemoved(database.db);
      if (r.purged || r.failed) log.info({ job: ATTACHMENTS_PURGE_JOB, ...r }, `attachments purge: ${r.purged} file(s) removed, ${r.failed} failed`);
    },
  };
}

export function defineAttachmentJobs(jobs: Jobs, database: Database, log: Log): void {
  jobs.define(purgeJob(database, log));
}
