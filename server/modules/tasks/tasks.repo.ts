// SQL for follow-up tasks on cases. Dates are read as 'YYYY-MM-DD' text: a calendar date is
// not an instant, and a JS Date would shift it by the process's time zone.
import { sql, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CaseTasksTable } from '../../platform/db/schema.js';

const dueText = sql<string | null>`to_char(t.due_on, 'YYYY-MM-DD')`;

function base(db: Executor, officeId: string) {
  return db.selectFrom('case_tasks as t')
    .innerJoin('cases as c', (j) => j.onRef('c.office_id', '=', 't.office_id').onRef('c.id', '=', 't.case_id'))
    .leftJoin('users as a', (j) => j.onRef('a.office_id', '=', 't.office_id').onRef('a.id', '=', 't.assignee_id'))
    .leftJoin('users as d', (j) => j.onRef('d.office_id', '=', 't.office_id').onRef('d.id', '=', 't.completed_by'))
    .select([
      't.id', 't.case_id', 'c.reference', 'c.subject', 'c.is_sensitive', 't.title', 't.notes', dueText.as('due_on'), 't.assignee_id', 'a.display_name as assignee_name',
      't.status', 't.completed_at', 'd.display_name as completed_by_name', 't.created_at', 't.updated_at',
    ])
    .where('t.office_id', '=', officeId)
    .where('t.deleted_at', 'is', null);
}

export type TaskRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

export const get = (db: Executor, officeId: string, caseId: string, id: string) =>
  base(db, officeId).where('t.case_id', '=', caseId).where('t.id', '=', id).executeTakeFirst();

/** A case's tasks: open first, then by due date (undated last) and creation. */
export const ofCase = (db: Executor, officeId: string, caseId: string, limit: number) =>
  base(db, officeId).where('t.case_id', '=', caseId)
    .orderBy(sql`t.status = 'done'`).orderBy(sql`coalesce(t.due_on, 'infinity'::date)`).orderBy('t.id').limit(limit).execute();

/** One user's tasks by due date (undated last), keyset on (due, id). */
export function ofAssignee(db: Executor, officeId: string, userId: string, q: { status?: 'open' | 'done' | undefined; includeSensitive: boolean; after?: [string, string] | undefined; limit: number }) {
  let query = base(db, officeId).where('t.assignee_id', '=', userId);
  if (q.status) query = query.where('t.status', '=', q.status);
  if (!q.includeSensitive) query = query.where('c.is_sensitive', '=', false);
  if (q.after) query = query.where(sql<boolean>`(coalesce(t.due_on, 'infinity'::date), t.id) > (${q.after[0]}::date, ${q.after[1]}::uuid)`);
  return query.orderBy(sql`coalesce(t.due_on, 'infinity'::date)`).orderBy('t.id').limit(q.limit).execute();
}

export const lock = (db: Executor, officeId: string, caseId: string, id: string) =>
  db.selectFrom('case_tasks').select(['id', 'status', 'assignee_id']).where('office_id', '=', officeId).where('case_id', '=', caseId).where('id', '=', id)
    .where('deleted_at', 'is', null).forUpdate().executeTakeFirst();

export const insert = (db: Executor, officeId: string, v: { case_id: string; title: string; notes: string; due_on: string | null; assignee_id: string | null; created_by: string | null }) =>
  db.insertInto('case_tasks').values({ ...v, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, v: Updateable<CaseTasksTable>) =>
  db.updateTable('case_tasks').set({ ...v, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const softDelete = (db: Executor, officeId: string, id: string) =>
  db.updateTable('case_tasks').set({ deleted_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

// ---------------------------------------------------------------- reminders (all offices)

/**
 * Open, assigned tasks whose due date (in their office's time zone) is within `leadDays`
 * of today and whose assignee has not been reminded of that date.
 */
export const dueForReminder = (db: Executor, now: Date, leadDays: number, limit: number) =>
  db.selectFrom('case_tasks as t')
    .innerJoin('offices as o', 'o.id', 't.office_id')
    .select(['t.office_id', 't.id'])
    .where('t.deleted_at', 'is', null).where('t.status', '=', 'open').where('t.assignee_id', 'is not', null).where('t.due_on', 'is not', null)
    .where(sql<boolean>`t.reminded_for IS DISTINCT FROM t.due_on`)
    .where(sql<boolean>`t.due_on <= (${now}::timestamptz AT TIME ZONE o.time_zone)::date + ${leadDays}::int`)
    .orderBy('t.due_on').limit(limit)
    .execute();

/** The task if it still needs its reminder, locked (a concurrent sweep skips it). */
export const lockForReminder = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('case_tasks as t')
    .innerJoin('cases as c', (j) => j.onRef('c.office_id', '=', 't.office_id').onRef('c.id', '=', 't.case_id'))
    .select(['t.id', 't.case_id', 'c.reference', 'c.subject', 'c.is_sensitive', 't.title', 't.assignee_id', dueText.as('due_on')])
    .where('t.office_id', '=', officeId).where('t.id', '=', id)
    .where('t.deleted_at', 'is', null).where('t.status', '=', 'open').where('t.assignee_id', 'is not', null).where('t.due_on', 'is not', null)
    .where(sql<boolean>`t.reminded_for IS DISTINCT FROM t.due_on`)
    .forUpdate('t').skipLocked()
    .executeTakeFirst();

export const markReminded = (db: Executor, officeId: string, id: string, dueOn: string) =>
  db.updateTable('case_tasks').set({ reminded_for: dueOn }).where('office_id', '=', officeId).where('id', '=', id).execute();

/** Moves the case's tasks to another case of the office (a merge of two cases). */
export const moveToCase = (db: Executor, officeId: string, fromCaseId: string, intoCaseId: string) =>
  db.updateTable('case_tasks').set({ case_id: intoCaseId }).where('office_id', '=', officeId).where('case_id', '=', fromCaseId).execute();
