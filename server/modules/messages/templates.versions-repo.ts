// SQL for the versions of reply templates' text, one row per version of one language. Office
// first in every function; callers hold the template's lock (templates.repo lock()) for writes.
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { DB, ReplyTemplateVersionsTable } from '../../platform/db/schema.js';

export type VersionRow = Selectable<ReplyTemplateVersionsTable>;
type Key = { templateId: string; language: string; version: number };

const isKey = (officeId: string, k: Key) => (eb: ExpressionBuilder<DB, 'reply_template_versions'>) =>
  eb.and({ office_id: officeId, template_id: k.templateId, language: k.language, version: k.version });

const versions = (db: Executor, officeId: string, templateId: string) =>
  db.selectFrom('reply_template_versions').selectAll().where('office_id', '=', officeId).where('template_id', '=', templateId);

/** The approved versions and open drafts of these templates. */
export const current = (db: Executor, officeId: string, templateIds: string[]) =>
  templateIds.length === 0
    ? Promise.resolve([] as VersionRow[])
    : db.selectFrom('reply_template_versions').selectAll().where('office_id', '=', officeId).where('template_id', 'in', templateIds).where('status', 'in', ['approved', 'draft'])
      .orderBy('template_id').orderBy('language').execute();

/** Every version of the template (of one language when given), newest first within each language. */
export const history = (db: Executor, officeId: string, templateId: string, language: string | undefined) => {
  let q = versions(db, officeId, templateId);
  if (language) q = q.where('language', '=', language);
  return q.orderBy('language').orderBy('version', 'desc').limit(5000).execute();
};

export const get = (db: Executor, officeId: string, k: Key) =>
  db.selectFrom('reply_template_versions').selectAll().where(isKey(officeId, k)).executeTakeFirst();

/** The version of the language in this status (at most one is approved and one a draft). */
export const inStatus = (db: Executor, officeId: string, templateId: string, language: string, status: 'approved' | 'draft') =>
  versions(db, officeId, templateId).where('language', '=', language).where('status', '=', status).executeTakeFirst();

/** The template's approved versions, one per language. */
export const approved = (db: Executor, officeId: string, templateId: string) =>
  versions(db, officeId, templateId).where('status', '=', 'approved').orderBy('language').execute();

export async function insertDraft(db: Executor, officeId: string, v: { templateId: string; language: string; subject: string; body: string; createdBy: string | null; createdByLabel: string }) {
  // Numbers are never reused (discarded drafts keep theirs); the template's lock serialises this.
  const next = sql<number>`(SELECT coalesce(max(version), 0) + 1 FROM reply_template_versions WHERE office_id = ${officeId} AND template_id = ${v.templateId} AND language = ${v.language})`;
  return db
    .insertInto('reply_template_versions')
    .values({
      office_id: officeId, template_id: v.templateId, language: v.language, version: next, subject: v.subject, body: v.body,
      created_by: v.createdBy, created_by_label: v.createdByLabel,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const updateDraft = (db: Executor, officeId: string, k: Key, v: { subject: string; body: string }) =>
  db
    .updateTable('reply_template_versions')
    .set({ subject: v.subject, body: v.body, revision: sql`revision + 1`, updated_at: sql`now()` })
    .where(isKey(officeId, k)).where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirstOrThrow();

/** Closes a version: a draft discarded, or the approved one superseded. */
export const close = (db: Executor, officeId: string, k: Key, status: 'superseded' | 'discarded') =>
  db
    .updateTable('reply_template_versions')
    .set({ status, closed_at: sql`now()`, updated_at: sql`now()` })
    .where(isKey(officeId, k))
    .returningAll()
    .executeTakeFirstOrThrow();

export const approve = (db: Executor, officeId: string, k: Key, by: { userId: string | null; label: string }) =>
  db
    .updateTable('reply_template_versions')
    .set({ status: 'approved', approved_by: by.userId, approved_by_label: by.label, approved_at: sql`now()`, updated_at: sql`now()` })
    .where(isKey(officeId, k)).where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirstOrThrow();
