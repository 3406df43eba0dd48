// SQL for resident accounts: sign-in links and portal sessions, both found by the SHA-256
// hash of their token and always within one office.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export const insertLink = (db: Executor, officeId: string, v: { token_hash: string; email: string; language: string; expires_at: Date }) =>
  db.insertInto('portal_sign_in_links').values({ ...v, office_id: officeId }).execute();

/** Links asked for this address since `since` (the per-email limit counts them, used or not). */
export const linksSince = async (db: Executor, officeId: string, email: string, since: Date): Promise<number> =>
  Number((await db.selectFrom('portal_sign_in_links').select(sql<string>`count(*)`.as('n'))
    .where('office_id', '=', officeId).where('email', '=', email).where('created_at', '>=', since).executeTakeFirstOrThrow()).n);

/** Links and sessions of the office that ended more than a day ago (kept that long for the limits). */
export async function prune(db: Executor, officeId: string): Promise<void> {
  const before = sql<Date>`now() - interval '1 day'`;
  await db.deleteFrom('portal_sign_in_links').where('office_id', '=', officeId).where('expires_at', '<', before).execute();
  await db.deleteFrom('portal_sessions').where('office_id', '=', officeId).where('expires_at', '<', before).execute();
}

export const linkByHash = (db: Executor, officeId: string, tokenHash: string) =>
  db.selectFrom('portal_sign_in_links').select(['email', 'language', 'expires_at', 'used_at'])
    .where('office_id', '=', officeId).where('token_hash', '=', tokenHash).executeTakeFirst();

/** Marks an unused, unexpired link used; its address, or undefined when it was not (a race loses here). */
export const consumeLink = async (db: Executor, officeId: string, tokenHash: string): Promise<string | undefined> =>
  (await db.updateTable('portal_sign_in_links').set({ used_at: sql`now()` })
    .where('office_id', '=', officeId).where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', sql<Date>`now()`)
    .returning('email').executeTakeFirst())?.email;

export const insertSession = (db: Executor, officeId: string, v: { token_hash: string; email: string; expires_at: Date }) =>
  db.insertInto('portal_sessions').values({ ...v, office_id: officeId }).execute();

/** A live session: before its absolute expiry and used within the idle limit. */
export const sessionByHash = (db: Executor, officeId: string, tokenHash: string, idleSince: Date) =>
  db.selectFrom('portal_sessions').select(['id', 'email', 'last_seen_at'])
    .where('office_id', '=', officeId).where('token_hash', '=', tokenHash)
    .where('expires_at', '>', sql<Date>`now()`).where('last_seen_at', '>', idleSince).executeTakeFirst();

export const touchSession = (db: Executor, officeId: string, id: string) =>
  db.updateTable('portal_sessions').set({ last_seen_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const deleteSession = (db: Executor, officeId: string, tokenHash: string) =>
  db.deleteFrom('portal_sessions').where('office_id', '=', officeId).where('token_hash', '=', tokenHash).execute();
