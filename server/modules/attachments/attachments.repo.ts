// SQL for case attachments (metadata; the bytes are in the storage platform).
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

const COLUMNS = ['id', 'case_id', 'file_name', 'content_type', 'size', 'sha256', 'storage_key', 'uploaded_by_label', 'created_at'] as const;

export type NewAttachment = {
  case_id: string; file_name: string; content_type: string; size: number; sha256: string; storage_key: string; uploaded_by: string | null; uploaded_by_label: string;
};

export const insert = (db: Executor, officeId: string, v: NewAttachment) =>
  db.insertInto('case_attachments').values({ ...v, office_id: officeId }).returning(COLUMNS).executeTakeFirstOrThrow();

export type AttachmentRow = Awaited<ReturnType<typeof insert>>;

/** Live attachments of a case, newest first, keyset on id (v7: creation order). */
export const list = (db: Executor, officeId: string, caseId: string, beforeId: string | undefined, limit: number) => {
  let q = db.selectFrom('case_attachments').select(COLUMNS).where('office_id', '=', officeId).where('case_id', '=', caseId).where('deleted_at', 'is', null);
  if (beforeId) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
};

export const get = (db: Executor, officeId: string, caseId: string, id: string) =>
  db.selectFrom('case_attachments').select(COLUMNS).where('office_id', '=', officeId).where('case_id', '=', caseId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();

export const softDelete = (db: Executor, officeId: string, caseId: string, id: string, byLabel: string) =>
  db.updateTable('case_attachments').set({ deleted_at: sql`now()`, deleted_by_label: byLabel })
    .where('office_id', '=', officeId).where('case_id', '=', caseId).where('id', '=', id).where('deleted_at', 'is', null)
    .returning(COLUMNS).executeTakeFirst();

export const markBlobRemoved = (db: Executor, officeId: string, id: string) =>
  db.updateTable('case_attachments').set({ blob_removed_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

/** Deleted attachments whose bytes are still stored (all offices: the purge job). */
export const pendingPurge = (db: Executor, limit: number) =>
  db.selectFrom('case_attachments').select(['office_id', 'id', 'storage_key'])
    .where('deleted_at', 'is not', null).where('blob_removed_at', 'is', null).orderBy('deleted_at').limit(limit).execute();

/** Moves the case's attachments to another case of the office (a merge of two cases). */
export const moveToCase = (db: Executor, officeId: string, fromCaseId: string, intoCaseId: string) =>
  db.updateTable('case_attachments').set({ case_id: intoCaseId }).where('office_id', '=', officeId).where('case_id', '=', fromCaseId).execute();

/** Which of these storage keys already have an attachment row (on any case of the office, deleted or not). */
export const keysInUse = async (db: Executor, officeId: string, keys: readonly string[]) =>
  new Set(keys.length ? (await db.selectFrom('case_attachments').select('storage_key').where('office_id', '=', officeId).where('storage_key', 'in', keys).execute()).map((r) => r.storage_key) : []);

/** The case's live attachments stored under any of these keys (files that came with an inbound item). */
export const liveByKeys = (db: Executor, officeId: string, caseId: string, keys: readonly string[]) =>
  db.selectFrom('case_attachments').select(COLUMNS).where('office_id', '=', officeId).where('case_id', '=', caseId)
    .where('storage_key', 'in', keys).where('deleted_at', 'is', null).execute();
