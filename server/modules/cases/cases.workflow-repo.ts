// SQL for the office's workflow: statuses, allowed transitions and resolution codes (seeded
// for every office by the migration's trigger, extended by admins).
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export const lockWorkflow = (db: Executor, officeId: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.workflow:${officeId}`}))`.execute(db);

export const statuses = (db: Executor, officeId: string) =>
  db.selectFrom('case_statuses').select(['key', 'label', 'category', 'position', 'is_initial', 'retired', 'pauses_sla'])
    .where('office_id', '=', officeId).orderBy('position').orderBy('key').execute();

export type StatusRow = Awaited<ReturnType<typeof statuses>>[number];

export const transitions = (db: Executor, officeId: string) =>
  db.selectFrom('case_status_transitions').select(['from_status', 'to_status'])
    .where('office_id', '=', officeId).orderBy('from_status').orderBy('to_status').execute();

export const transitionAllowed = async (db: Executor, officeId: string, from: string, to: string) =>
  (await db.selectFrom('case_status_transitions').select('to_status').where('office_id', '=', officeId)
    .where('from_status', '=', from).where('to_status', '=', to).executeTakeFirst()) !== undefined;

export const resolutionCodes = (db: Executor, officeId: string) =>
  db.selectFrom('case_resolution_codes').select(['code', 'label', 'position', 'retired'])
    .where('office_id', '=', officeId).orderBy('position').orderBy('code').execute();

export type ResolutionCodeRow = Awaited<ReturnType<typeof resolutionCodes>>[number];

export const insertStatus = (db: Executor, officeId: string, v: { key: string; label: string; category: string; position: number; pausesSla: boolean }) =>
  db.insertInto('case_statuses').values({ key: v.key, label: v.label, category: v.category, position: v.position, pauses_sla: v.pausesSla, office_id: officeId }).execute();

export const updateStatus = (db: Executor, officeId: string, key: string, v: { label?: string | undefined; position?: number | undefined; retired?: boolean | undefined; pausesSla?: boolean | undefined }) =>
  db.updateTable('case_statuses').set({ label: v.label, position: v.position, retired: v.retired, pauses_sla: v.pausesSla }).where('office_id', '=', officeId).where('key', '=', key).execute();

/** The keys of the office's statuses that pause the SLA clock. */
export const pausingStatuses = async (db: Executor, officeId: string) =>
  new Set((await db.selectFrom('case_statuses').select('key').where('office_id', '=', officeId).where('pauses_sla', '=', true).execute()).map((r) => r.key));

export async function replaceTransitions(db: Executor, officeId: string, rows: { from: string; to: string }[]): Promise<void> {
  await db.deleteFrom('case_status_transitions').where('office_id', '=', officeId).execute();
  if (rows.length) await db.insertInto('case_status_transitions').values(rows.map((r) => ({ office_id: officeId, from_status: r.from, to_status: r.to }))).execute();
}

export const insertResolutionCode = (db: Executor, officeId: string, v: { code: string; label: string; position: number }) =>
  db.insertInto('case_resolution_codes').values({ ...v, office_id: officeId }).execute();

export const updateResolutionCode = (db: Executor, officeId: string, code: string, v: { label?: string; position?: number; retired?: boolean }) =>
  db.updateTable('case_resolution_codes').set(v).where('office_id', '=', officeId).where('code', '=', code).execute();
