// The imports.run job: runs an uploaded import from its stored chunks. A retry (after a
// crash or an expired attempt) resumes after the last committed batch; a cancelled or
// finished import is left alone; an import running in another worker stops this one.
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import { ImportStopped } from './imports.runner.js';
import { runQueued } from './imports.execute.js';

export const ZImportJob = z.object({ officeId: z.uuid(), importId: z.uuid() });
type ImportJob = JobDefinition<typeof ZImportJob>;

type Log = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

const SPEC = {
  name: 'imports.run',
  data: ZImportJob,
  retryLimit: 3,
  retryDelaySeconds: 15,
  // A million rows take a minute or two; an attempt that dies is retried (and resumes) after this.
  expireInSeconds: 3600,
} as const;

export function importJob(database: Database, log: Log): ImportJob {
  return {
    ...SPEC,
    handler: async (data, { jobId, attempt }) => {
      try {
        await runQueued(database, data, { isLastAttempt: attempt > SPEC.retryLimit, log: (p) => log.info({ job: SPEC.name, jobId, ...data, ...p }, `import ${data.importId}: ${p.rows} rows`) });
      } catch (err) {
        if (err instanceof ImportStopped) return; // cancelled, or another worker has it
        throw err;
      }
    },
  };
}

export function defineImportJobs(jobs: Jobs, database: Database, log: Log): void {
  jobs.define(importJob(database, log));
}

// Enqueueing needs only the name and the data schema (the handler is bound in defineImportJobs).
const SEND_ONLY: ImportJob = {
  ...SPEC,
  handler: async () => {
    throw new Error('imports.run runs through the definition made by defineImportJobs');
  },
};

export const enqueueImport = (jobs: Jobs, db: Executor, data: z.infer<typeof ZImportJob>) => jobs.send(SEND_ONLY, data, db);
