// SQL for staff notifications.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type NewNotification = { userId: string; kind: string; caseId: string | null; body: string; dedupeKey: string };

/** Inserts notifications, skipping any whose (user, dedupe key) exists; returns those written. */
export async function insertOnce(db: Executor, officeId: string, items: NewNotification[]): Promise<{ id: string; user_id: string }[]> {
  if (items.length === 0) return [];
  return db
    .insertInto('notifications')
    .values(items.map((n) => ({ office_id: officeId, user_id: n.userId, kind: n.kind, case_id: n.caseId, body: n.body, dedupe_key: n.dedupeKey })))
    .onConflict((oc) => oc.columns(['office_id', 'user_id', 'dedupe_key']).doNothing())
    .returning(['id', 'user_id'])
    .execute();
}

export function list(db: Executor, officeId: string, userId: string, opts: { unread: boolean; afterId: string | undefined; limit: number }) {
  let q = db
    .selectFrom('notifications')
    .select(['id', 'kind', 'case_id', 'body', 'created_at', 'read_at'])
    .where('office_id', '=', officeId)
    .where('user_id', '=', userId);
  if (opts.unread) q = q.where('read_at', 'is', null);
  if (opts.afterId) q = q.where('id', '<', opts.afterId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

export const countUnread = async (db: Executor, officeId: string, userId: string): Promise<number> =>
  (await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('office_id', '=', officeId).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow()).n;

/** Marks one of the user's notifications read (keeping the first read time); undefined when not theirs. */
export const markRead = (db: Executor, officeId: string, userId: string, id: string) =>
  db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where('office_id', '=', officeId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .returning(['id', 'kind', 'case_id', 'body', 'created_at', 'read_at'])
    .executeTakeFirst();

export const markAllRead = async (db: Executor, officeId: string, userId: string): Promise<number> =>
  Number((await db.updateTable('notifications').set({ read_at: sql`now()` }).where('office_id', '=', officeId).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst()).numUpdatedRows);
