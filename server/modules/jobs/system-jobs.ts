// Platform housekeeping jobs that run on a schedule.
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import { purgeIdempotencyKeys } from '../../platform/http/idempotency.js';
import { purgeExpired } from '../auth/auth.service.js';

export function defineSystemJobs(jobs: Jobs, database: Database): void {
  jobs.define({
    name: 'sessions.purge',
    data: z.object({}).passthrough(),
    cron: '17 * * * *',
    retryLimit: 2,
    handler: async () => {
      // Keep a day of expired sessions for investigations, then delete them.
      const dayAgo = new Date(Date.now() - 24 * 3600_000);
      await purgeExpired(database.db, dayAgo);
      await purgeIdempotencyKeys(database.db, dayAgo);
    },
  });
}
