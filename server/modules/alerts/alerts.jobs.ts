// Area alerts' job: alerts.send every minute (immediate alerts, daily digests when due at 07:00
// office time, and the clean-up of expired pending subscriptions and old sign-up counters).
// One run at a time across processes (singleton); a redelivered run finds nothing new to send.
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import { runAlerts } from './alerts.send.js';

type Log = { info(obj: object | string, msg?: string): void };

export const ALERTS_SEND_JOB = 'alerts.send';

export function defineAlertJobs(jobs: Jobs, database: Database, config: Config, log: Log): void {
  jobs.define({
    name: ALERTS_SEND_JOB,
    data: z.object({}).passthrough(),
    cron: '* * * * *',
    policy: 'singleton',
    retryLimit: 1,
    expireInSeconds: 5 * 60,
    handler: async () => {
      const r = await runAlerts(database, config.publicUrl);
      if (r.sent || r.pruned) log.info({ job: ALERTS_SEND_JOB, ...r }, `${r.sent} area alert email(s) queued`);
    },
  });
}
