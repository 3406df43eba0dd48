// SQL for the issue taxonomy (the `categories` table). An office's taxonomy is small (a few
// hundred rows), so the service loads it whole and reasons about the tree in memory.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

/** Serialises edits of one office's taxonomy (tree checks read, then write). */
export const lockTaxonomy = (db: Executor, officeId: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.categories:${officeId}`}))`.execute(db);

export const all = (db: Executor, officeId: string) =>
  db.selectFrom('categories').select(['id', 'parent_id', 'name', 'retired', 'merged_into_id', 'requires_privacy_release', 'location_is_private', 'created_at', 'updated_at'])
    .where('office_id', '=', officeId).orderBy('name').orderBy('id').execute();

export type CategoryRow = Awaited<ReturnType<typeof all>>[number];

export const names = (db: Executor, officeId: string, ids: readonly string[]) =>
  ids.length ? db.selectFrom('categories').select(['id', 'name']).where('office_id', '=', officeId).where('id', 'in', ids).execute() : Promise.resolve([]);

export const get = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('categories').select(['id', 'parent_id', 'name', 'retired', 'merged_into_id', 'requires_privacy_release', 'location_is_private', 'created_at', 'updated_at'])
    .where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const insert = (db: Executor, officeId: string, v: { parent_id: string | null; name: string; requires_privacy_release?: boolean; location_is_private?: boolean }) =>
  db.insertInto('categories').values({ ...v, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, ids: string[], v: { name?: string; parent_id?: string | null; retired?: boolean; merged_into_id?: string | null; requires_privacy_release?: boolean; location_is_private?: boolean }) =>
  ids.length === 0
    ? Promise.resolve()
    : db.updateTable('categories').set({ ...v, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', 'in', ids).execute().then(() => undefined);

/** The category and every category below it (for list filters), at most 10 levels down. */
export async function withDescendants(db: Executor, officeId: string, id: string): Promise<string[]> {
  const r = await sql<{ id: string }>`WITH RECURSIVE t(id, depth) AS (
      SELECT id, 0 FROM categories WHERE office_id = ${officeId} AND id = ${id}
      UNION ALL SELECT c.id, t.depth + 1 FROM categories c JOIN t ON c.office_id = ${officeId} AND c.parent_id = t.id WHERE t.depth < 10)
    SELECT id FROM t`.execute(db);
  return r.rows.map((x) => x.id);
}
