// SQL for cases.access.ts: the case's visibility facts and the office's staff with roles.
import type { Executor } from '../../platform/db/database.js';

export const caseRef = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('cases').select(['id', 'reference', 'subject', 'is_sensitive']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

const STAFF = ['id', 'display_name', 'email', 'role', 'status'] as const;

export const staff = (db: Executor, officeId: string, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('users').select(STAFF).where('office_id', '=', officeId).where('id', 'in', ids).execute();

export type StaffRow = Awaited<ReturnType<typeof staff>>[number];

/** Bounded: an office's staff list is small, and the picker filters it in the browser. */
export const activeStaff = (db: Executor, officeId: string) =>
  db.selectFrom('users').select(STAFF).where('office_id', '=', officeId).where('status', '=', 'active').orderBy('display_name').orderBy('id').limit(2000).execute();
