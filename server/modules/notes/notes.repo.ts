// SQL for internal notes on cases.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

const COLUMNS = ['id', 'case_id', 'author_id', 'author_label', 'body', 'mentions', 'created_at', 'edited_at', 'is_public', 'published_at'] as const;

export const insert = (db: Executor, officeId: string, v: { case_id: string; author_id: string | null; author_label: string; body: string; mentions: string[]; is_public: boolean }) =>
  db.insertInto('case_notes').values({ ...v, office_id: officeId, published_at: v.is_public ? sql`now()` : null }).returning(COLUMNS).executeTakeFirstOrThrow();

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

/** Shares the note with the resident (from now) or withdraws it. */
export const setPublic = (db: Executor, officeId: string, id: string, isPublic: boolean) =>
  db.updateTable('case_notes').set({ is_public: isPublic, published_at: isPublic ? sql`now()` : null }).where('office_id', '=', officeId).where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow();

/** The case's notes shared with the resident, oldest first (the portal's tracking page). */
export const listPublic = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('case_notes').select(['id', 'body', 'published_at']).where('office_id', '=', officeId).where('case_id', '=', caseId)
    .where('is_public', '=', true).where('deleted_at', 'is', null).orderBy('published_at').limit(200).execute();

/** A note shared with the resident, live (a resident update reads it when it is sent). */
export const getPublic = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('case_notes').select(['id', 'case_id', 'body', 'published_at']).where('office_id', '=', officeId).where('id', '=', id)
    .where('is_public', '=', true).where('deleted_at', 'is', null).executeTakeFirst();

export const softDelete = (db: Executor, officeId: string, id: string) =>
  db.updateTable('case_notes').set({ deleted_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

/** Moves the case's notes to another case of the office (a merge of two cases). */
export const moveToCase = (db: Executor, officeId: string, fromCaseId: string, intoCaseId: string) =>
  db.updateTable('case_notes').set({ case_id: intoCaseId }).where('office_id', '=', officeId).where('case_id', '=', fromCaseId).execute();
