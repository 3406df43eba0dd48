// SQL for internal notes on cases.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

const COLUMNS = ['id', 'case_id', 'author_id', 'author_label', 'body', 'mentions', 'created_at', 'edited_at'] as const;

export const insert = (db: Executor, officeId: string, v: { case_id: string; author_id: string | null; author_label: string; body: string; mentions: string[] }) =>
  db.insertInto('case_notes').values({ ...v, office_id: officeId }).returning(COLUMNS).executeTakeFirstOrThrow();

export type NoteRow = Awaited<ReturnType<typeof insert>>;

export const list = (db: Executor, officeId: string, caseId: string, beforeId: string | undefined, limit: number) => {
  let q = db.selectFrom('case_notes').select(COLUMNS).where('office_id', '=', officeId).where('case_id', '=', caseId).where('deleted_at', 'is', null);
  if (beforeId) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
};

export const lock = (db: Executor, officeId: string, caseId: string, id: string) =>
  db.selectFrom('case_notes').select(COLUMNS).where('office_id', '=', officeId).where('case_id', '=', caseId).where('id', '=', id).where('deleted_at', 'is', null)
    .forUpdate().executeTakeFirst();

export const update = (db: Executor, officeId: string, id: string, v: { body: string; mentions: string[] }) =>
  db.updateTable('case_notes').set({ ...v, edited_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow();

export const softDelete = (db: Executor, officeId: string, id: string) =>
  db.updateTable('case_notes').set({ deleted_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

/** Moves the case's notes to another case of the office (a merge of two cases). */
export const moveToCase = (db: Executor, officeId: string, fromCaseId: string, intoCaseId: string) =>
  db.updateTable('case_notes').set({ case_id: intoCaseId }).where('office_id', '=', officeId).where('case_id', '=', fromCaseId).execute();
