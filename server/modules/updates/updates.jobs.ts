// The resident updates' jobs: sending each update after its change committed (or at 08:00
// when quiet hours deferred a text), and a sweep every five minutes for updates whose job
// went missing.
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import { registerUpdateHooks } from './updates.hooks.js';
import { configureUpdates, SEND_UPDATE_SPEC } from './updates.queue.js';
import { sendUpdate, sweepUpdates } from './updates.send.js';

type Log = { info(obj: object | string, msg?: string): void };

export const UPDATES_SWEEP_JOB = 'updates.sweep';

export function defineUpdateJobs(jobs: Jobs, database: Database, config: Config, log: Log): void {
  configureUpdates(() => jobs);
  registerUpdateHooks();
  jobs.define({
    ...SEND_UPDATE_SPEC,
    handler: async (data) => {
      const r = await sendUpdate(database, data.officeId, data.id, config.publicUrl);
      log.info({ job: SEND_UPDATE_SPEC.name, update: data.id, result: r }, `resident update ${r}`);
    },
  });
  jobs.define({
    name: UPDATES_SWEEP_JOB,
    data: z.object({}).passthrough(),
    cron: '*/5 * * * *',
    retryLimit: 1,
    handler: async () => {
      const n = await sweepUpdates(database, config.publicUrl);
      if (n) log.info({ job: UPDATES_SWEEP_JOB, sent: n }, `${n} resident update(s) sent by the sweep`);
    },
  });
}
