// The messages module's jobs: delivery of each queued message, and a sweep every five minutes
// that re-queues messages whose delivery job went missing (nothing queued is ever dropped).
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import { mailerFromConfig, type Mailer } from '../../platform/mail.js';
import { registerClosureHook } from './messages.closure-hook.js';
import { deliverJob, requeueStale } from './messages.deliver.js';
import { configureOutbox } from './messages.outbox.js';

type Log = { info(obj: object | string, msg?: string): void; error(obj: object, msg?: string): void };

export const MESSAGES_SWEEP_JOB = 'messages.sweep';

export function defineMessageJobs(jobs: Jobs, database: Database, config: Config, log: Log, mailer: Mailer = mailerFromConfig(config)): void {
  configureOutbox({ jobs: () => jobs, from: config.mailFrom, publicUrl: config.publicUrl });
  registerClosureHook(config.publicUrl);
  // Said once at start-up, so a bare-machine install knows where its mail goes.
  const signed = config.dkim ? ` (DKIM-signed: d=${config.dkim.domain}, s=${config.dkim.selector})` : '';
  log.info(config.smtpUrl ? `outbound mail: ${mailer.describe}${signed}` : `outbound mail: SMTP_URL is not set, so messages are written as .eml files to ${mailer.describe.replace(/^files in /, '')}${signed}`);
  jobs.define(deliverJob(database, mailer, () => config.mailFrom));
  jobs.define({
    name: MESSAGES_SWEEP_JOB,
    data: z.object({}).passthrough(),
    cron: '*/5 * * * *',
    retryLimit: 1,
    handler: async () => {
      const n = await requeueStale(database, jobs);
      if (n) log.info({ job: MESSAGES_SWEEP_JOB, requeued: n }, `${n} stale outbound message(s) re-queued`);
    },
  });
}
