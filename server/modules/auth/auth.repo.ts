// SQL for sessions, API-token lookups and sign-in throttling.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export const insertSession = (
  db: Executor,
  v: { officeId: string; userId: string; tokenHash: string; csrfToken: string; ip: string; userAgent: string | null; expiresAt: Date },
) =>
  db
    .insertInto('sessions')
    .values({
      office_id: v.officeId,
      user_id: v.userId,
      token_hash: v.tokenHash,
      csrf_token: v.csrfToken,
      ip: v.ip,
      user_agent: v.userAgent,
      expires_at: v.expiresAt,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();

export const findSessionByHash = (db: Executor, tokenHash: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (j) => j.onRef('u.office_id', '=', 's.office_id').onRef('u.id', '=', 's.user_id'))
    .select([
      's.office_id', 's.id', 's.user_id', 's.csrf_token', 's.expires_at', 's.last_seen_at', 's.revoked_at',
      'u.role', 'u.status', 'u.display_name', 'u.email',
    ])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const touchSession = (db: Executor, officeId: string, id: string) =>
  db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const revokeSession = (db: Executor, officeId: string, id: string) =>
  db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();

export const revokeUserSessions = async (db: Executor, officeId: string, userId: string): Promise<number> => {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('office_id', '=', officeId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
};

export const findTokenByHash = (db: Executor, tokenHash: string) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', (j) => j.onRef('u.office_id', '=', 't.office_id').onRef('u.id', '=', 't.user_id'))
    .select(['t.office_id', 't.id', 't.user_id', 't.name', 't.scopes', 't.expires_at', 't.revoked_at', 't.last_used_at', 'u.role', 'u.status', 'u.display_name'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const touchToken = (db: Executor, officeId: string, id: string) =>
  db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const recordLoginFailure = (db: Executor, email: string, ip: string) =>
  db.insertInto('login_failures').values({ email, ip }).execute();

export const countRecentFailures = async (db: Executor, email: string, ip: string, since: Date) => {
  const row = await db
    .selectFrom('login_failures')
    .select([
      sql<number>`count(*) FILTER (WHERE email = ${email})::int`.as('by_email'),
      sql<number>`count(*) FILTER (WHERE ip = ${ip})::int`.as('by_ip'),
      sql<Date | null>`min(failed_at) FILTER (WHERE email = ${email})`.as('oldest_email'),
      sql<Date | null>`min(failed_at) FILTER (WHERE ip = ${ip})`.as('oldest_ip'),
    ])
    .where('failed_at', '>', since)
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  return row;
};

export const clearLoginFailures = (db: Executor, email: string) =>
  db.deleteFrom('login_failures').where('email', '=', email).execute();

/** Housekeeping: expired sessions and old throttling rows. */
export const purgeExpired = async (db: Executor, olderThan: Date) => {
  const s = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', olderThan), eb('revoked_at', '<', olderThan)]))
    .executeTakeFirst();
  const f = await db.deleteFrom('login_failures').where('failed_at', '<', olderThan).executeTakeFirst();
  return { sessions: Number(s.numDeletedRows), loginFailures: Number(f.numDeletedRows) };
};

export const revokeOtherSessions = (db: Executor, officeId: string, userId: string, keepSessionId: string | null) => {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('office_id', '=', officeId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keepSessionId) q = q.where('id', '<>', keepSessionId);
  return q.execute();
};
