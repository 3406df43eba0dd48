// SQL for reply templates (the template itself: name, category, default language, retired).
// Their text is in templates.versions-repo.ts. Office first in every function.
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { ReplyTemplatesTable } from '../../platform/db/schema.js';

export type TemplateRow = Selectable<ReplyTemplatesTable>;

export const list = (db: Executor, officeId: string, includeRetired: boolean) => {
  let q = db.selectFrom('reply_templates').selectAll().where('office_id', '=', officeId);
  if (!includeRetired) q = q.where('retired', '=', false);
  return q.orderBy(sql`lower(name)`).orderBy('id').limit(1000).execute();
};

export const get = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('reply_templates').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** The template, locked until the transaction ends: every change to its versions takes this lock first. */
export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('reply_templates').selectAll().where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export const insert = (db: Executor, officeId: string, v: { name: string; categoryId: string | null; defaultLanguage: string }) =>
  db
    .insertInto('reply_templates')
    .values({ office_id: officeId, name: v.name, category_id: v.categoryId, default_language: v.defaultLanguage })
    .returningAll()
    .executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, v: Partial<{ name: string; category_id: string | null; default_language: string; retired: boolean }>) =>
  db
    .updateTable('reply_templates')
    .set({ ...v, updated_at: sql`now()` })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

/** A live template with this name (case-insensitive), other than `exceptId`. */
export const liveByName = (db: Executor, officeId: string, name: string, exceptId?: string) => {
  let q = db.selectFrom('reply_templates').select('id').where('office_id', '=', officeId).where('retired', '=', false).where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
};

/** The office's template for a message Civitas sends by itself (a resident update), retired or not. */
export const bySystemKey = (db: Executor, officeId: string, key: string) =>
  db.selectFrom('reply_templates').selectAll().where('office_id', '=', officeId).where('system_key', '=', key).executeTakeFirst();

/** Creates it unless another process just did (then undefined: read it with bySystemKey). */
export const insertSystem = (db: Executor, officeId: string, v: { name: string; key: string; defaultLanguage: string }) =>
  db.insertInto('reply_templates').values({ office_id: officeId, name: v.name, system_key: v.key, default_language: v.defaultLanguage })
    .onConflict((oc) => oc.columns(['office_id', 'system_key']).where('system_key', 'is not', null).doNothing())
    .returningAll().executeTakeFirst();
