// SQL for resident updates (what a requester is to be told of, and what was sent). Office first.
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { ResidentUpdatesTable } from '../../platform/db/schema.js';

export type UpdateRow = Selectable<ResidentUpdatesTable>;
export type UpdateKind = 'status_changed' | 'public_note';

/** Records the update once per case and event; null when it was recorded before (a retried change). */
export const insertOnce = (db: Executor, officeId: string, v: { caseId: string; kind: UpdateKind; eventKey: string; noteId: string | null; residentStatus: string | null; requesterTold: boolean }) =>
  db.insertInto('resident_updates')
    .values({ office_id: officeId, case_id: v.caseId, kind: v.kind, event_key: v.eventKey, note_id: v.noteId, resident_status: v.residentStatus, requester_told: v.requesterTold })
    .onConflict((oc) => oc.columns(['office_id', 'case_id', 'event_key']).doNothing())
    .returning(['id', 'not_before']).executeTakeFirst();

/** The update, locked while it is being sent (a second worker waits, then finds it done). */
export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('resident_updates').selectAll().where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export const finish = (db: Executor, officeId: string, id: string, outcome: unknown) =>
  db.updateTable('resident_updates').set({ done_at: sql`now()`, outcome: JSON.stringify(outcome) }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const defer = (db: Executor, officeId: string, id: string, until: Date, outcome: unknown) =>
  db.updateTable('resident_updates').set({ not_before: until, outcome: JSON.stringify(outcome) }).where('office_id', '=', officeId).where('id', '=', id).execute();

/** Updates due and not done whose job may have been lost (older than `before`), any office. */
export const due = (db: Executor, now: Date, before: Date, limit: number) =>
  db.selectFrom('resident_updates').select(['office_id', 'id']).where('done_at', 'is', null).where('not_before', '<=', now)
    .where(sql<boolean>`greatest(not_before, created_at) < ${before}`).orderBy('not_before').limit(limit).execute();
