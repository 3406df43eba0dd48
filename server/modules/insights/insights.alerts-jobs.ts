// The emerging-issue detector's hourly job: every office with alerts enabled, one after the
// other. The queue is a pg-boss singleton, so a run never overlaps the previous one (on any
// process); a "scan now" of one office waits for the job's transaction on that office's
// settings row instead of interleaving with it.
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import { systemScope } from '../../platform/scope.js';
import { scanOffice } from './insights.alerts.js';
import { enabledOffices } from './insights.alerts-repo.js';

type Log = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

export const INSIGHT_ALERTS_JOB = 'insights.alerts';

/** Scans every enabled office; one office's failure is logged and does not stop the others (the job fails at the end so it is seen). */
export async function scanAllOffices(database: Database, log: Log, now: Date = new Date()): Promise<{ offices: number; raised: number; updated: number; failed: number }> {
  const totals = { offices: 0, raised: 0, updated: 0, failed: 0 };
  for (const officeId of await enabledOffices(database.db)) {
    try {
      const r = await scanOffice(systemScope(database.db, officeId, 'emerging-issue detector'), now);
      totals.offices++;
      totals.raised += r.raised.length;
      totals.updated += r.updated.length;
    } catch (err) {
      totals.failed++;
      log.error({ job: INSIGHT_ALERTS_JOB, officeId, err }, `emerging-issue scan of office ${officeId} failed`);
    }
  }
  return totals;
}

export function defineInsightAlertJobs(jobs: Jobs, database: Database, log: Log): void {
  jobs.define({
    name: INSIGHT_ALERTS_JOB,
    data: z.object({}).passthrough(),
    cron: '7 * * * *',
    policy: 'singleton',
    retryLimit: 0,
    expireInSeconds: 3600,
    handler: async () => {
      const r = await scanAllOffices(database, log);
      log.info({ job: INSIGHT_ALERTS_JOB, ...r }, `emerging issues: ${r.offices} office(s) scanned, ${r.raised} alert(s) raised, ${r.updated} updated, ${r.failed} failed`);
      if (r.failed) throw new Error(`emerging-issue scan failed for ${r.failed} office(s)`);
    },
  });
}
