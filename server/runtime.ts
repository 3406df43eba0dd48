// Opens everything a process needs (database, migrations, jobs) from the config, so the
// server, the worker and CLI commands share one start-up path.
import type { Config } from './config.js';
import { openDatabase, pgliteDataDir, type Database } from './platform/db/database.js';
import { migrate } from './platform/db/migrate.js';
import { Jobs } from './platform/jobs.js';
import { defineSystemJobs } from './modules/jobs/system-jobs.js';
import { defineDedupJobs } from './modules/dedup/dedup.jobs.js';
import { geocoderFromConfig, setGeocoder } from './modules/geo/geo.geocoder.js';
import { defineGeoJobs } from './modules/geo/geo.jobs.js';
import { defineImportJobs } from './modules/imports/imports.job.js';
import { defineSlaJobs } from './modules/sla/sla.jobs.js';
import { defineAttachmentJobs } from './modules/attachments/attachments.jobs.js';
import { defineTaskJobs } from './modules/tasks/tasks.reminders.js';
import { defineMessageJobs } from './modules/messages/messages.jobs.js';
import { defineUpdateJobs } from './modules/updates/updates.jobs.js';
import { defineAlertJobs } from './modules/alerts/alerts.jobs.js';
import { defineTriageJobs } from './modules/triage/triage.jobs.js';
import { defineInsightAlertJobs } from './modules/insights/insights.alerts-jobs.js';
import { defineInsightsJobs } from './modules/insights/insights.jobs.js';
import { loadReportData } from './modules/insights/insights.report-data.js';
import { defineInsightReportJobs } from './modules/insights/insights.report.js';
import { defineIntakeJobs } from './modules/intake/intake.jobs.js';
import { defineImapJobs } from './modules/intake/intake.imap-jobs.js';
import { registerSmsChannel } from './modules/sms/sms.sender.js';
import { registerAssignmentCaseHook } from './modules/assignment/assignment.engine.js';
import { setStorage } from './platform/storage.js';
import { storageFromConfig } from './platform/storage-config.js';

export type Runtime = { config: Config; database: Database; jobs: Jobs; close(): Promise<void> };

type Log = { info(obj: object | string, msg?: string): void; error(obj: object, msg?: string): void };

export const consoleLog: Log = {
  info: (obj, msg) => console.error(typeof obj === 'string' ? obj : (msg ?? JSON.stringify(obj))),
  error: (obj, msg) => console.error(msg ?? 'error', obj),
};

export async function openRuntime(config: Config, log: Log = consoleLog, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: pgliteDataDir(config.dataDir), poolMax: config.poolMax });
  try {
    if (opts.migrate !== false) {
      const r = await migrate(database.pool, (m) => log.info(m));
      if (r.applied.length) log.info(`applied ${r.applied.length} migration(s)`);
    }
  } catch (err) {
    await database.close();
    throw err;
  }
  const jobs = new Jobs(database.pool, log);
  defineSystemJobs(jobs, database);
  defineDedupJobs(jobs, database);
  defineGeoJobs(jobs, database, log);
  defineImportJobs(jobs, database, log);
  defineSlaJobs(jobs, database, log);
  defineAttachmentJobs(jobs, database, log);
  defineTaskJobs(jobs, database, config, log);
  defineMessageJobs(jobs, database, config, log);
  defineUpdateJobs(jobs, database, config, log);
  defineAlertJobs(jobs, database, config, log);
  defineIntakeJobs(jobs, database, log);
  defineTriageJobs(jobs, database, log);
  defineInsightAlertJobs(jobs, database, log);
  defineInsightsJobs(jobs, database, log);
  defineInsightReportJobs(jobs, database, config, log, loadReportData);
  defineImapJobs(jobs, database, { maxBytes: config.intakeMaxBytes }, log); // office mailboxes read over IMAP
  registerSmsChannel(config); // text messages in the outbox are delivered by this process's jobs
  registerAssignmentCaseHook(); // cases opened by jobs (intake) are assigned by the rules too
  setGeocoder(geocoderFromConfig(config, (err) => log.error({ err }, 'geocoder failed')));
  setStorage(storageFromConfig(config));
  return {
    config,
    database,
    jobs,
    close: async () => {
      await jobs.stop();
      await database.close();
    },
  };
}
