// SQL for API tokens (only hashes are stored).
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

const base = (db: Executor) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', (j) => j.onRef('u.office_id', '=', 't.office_id').onRef('u.id', '=', 't.user_id'))
    .select(['t.id', 't.name', 't.token_prefix', 't.scopes', 't.user_id', 'u.display_name', 't.created_at', 't.expires_at', 't.last_used_at', 't.revoked_at']);

export type TokenRow = NonNullable<Awaited<ReturnType<typeof get>>>;

export const get = (db: Executor, officeId: string, id: string) => base(db).where('t.office_id', '=', officeId).where('t.id', '=', id).executeTakeFirst();

export const list = (db: Executor, officeId: string, includeRevoked: boolean) => {
  let q = base(db).where('t.office_id', '=', officeId);
  if (!includeRevoked) q = q.where('t.revoked_at', 'is', null);
  return q.orderBy('t.created_at', 'desc').limit(500).execute();
};

export const insert = (
  db: Executor,
  v: { officeId: string; userId: string; name: string; prefix: string; hash: string; scopes: string[]; expiresAt: Date | null },
) =>
  db
    .insertInto('api_tokens')
    .values({ office_id: v.officeId, user_id: v.userId, name: v.name, token_prefix: v.prefix, token_hash: v.hash, scopes: v.scopes, expires_at: v.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();

export const revoke = (db: Executor, officeId: string, id: string) =>
  db.updateTable('api_tokens').set({ revoked_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
