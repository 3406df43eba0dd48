// Queuing a resident update: recorded in the caller's transaction (once per case and event)
// with its sending job, so it exists if and only if the change committed, and is sent after
// the commit by the job (updates.send), never inside the staff request.
import { z } from 'zod';
import type { Executor } from '../../platform/db/database.js';
import type { JobDefinition, Jobs } from '../../platform/jobs.js';
import * as repo from './updates.repo.js';

const SEND_UPDATE_JOB = 'updates.send';
const ZSendUpdate = z.object({ officeId: z.uuid(), id: z.uuid() });
export const SEND_UPDATE_SPEC = { name: SEND_UPDATE_JOB, data: ZSendUpdate, retryLimit: 4, retryDelaySeconds: 30, expireInSeconds: 5 * 60 } as const;

const SEND_ONLY: JobDefinition<typeof ZSendUpdate> = {
  ...SEND_UPDATE_SPEC,
  handler: async () => {
    throw new Error('updates.send runs through the definition made by defineUpdateJobs');
  },
};

let jobsOf: () => Jobs | undefined = () => undefined;

/** Set by the app (routes) and the job runtime; without a queue (a CLI) the sweep sends updates later. */
export function configureUpdates(jobs: () => Jobs | undefined): void {
  jobsOf = jobs;
}

/** Queues the job that sends the update, in `db`'s transaction; `startAfter` defers it (quiet hours). */
export async function enqueueSend(db: Executor, data: z.infer<typeof ZSendUpdate>, startAfter?: Date): Promise<void> {
  const jobs = jobsOf();
  if (jobs) await jobs.send(SEND_ONLY, data, db, startAfter ? { startAfter } : {});
}

/** `requesterTold`: the change told the requester itself (a closure message); only followers are told. */
export type NewUpdate = { caseId: string; kind: repo.UpdateKind; eventKey: string; noteId?: string | null; residentStatus?: string | null; requesterTold?: boolean };

/** Records the update and queues its job; a second call for the same case and event does nothing. */
export async function queueUpdate(trx: Executor, officeId: string, u: NewUpdate): Promise<void> {
  const row = await repo.insertOnce(trx, officeId, { caseId: u.caseId, kind: u.kind, eventKey: u.eventKey, noteId: u.noteId ?? null, residentStatus: u.residentStatus ?? null, requesterTold: u.requesterTold ?? false });
  if (row) await enqueueSend(trx, { officeId, id: row.id });
}
