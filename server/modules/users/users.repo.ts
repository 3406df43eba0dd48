// SQL for staff users.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { UsersTable } from '../../platform/db/schema.js';

const COLUMNS = ['office_id', 'id', 'email', 'display_name', 'role', 'status', 'mfa_enabled', 'last_login_at', 'created_at', 'updated_at'] as const;

const withTeams = (db: Executor) =>
  db
    .selectFrom('users as u')
    .select(COLUMNS.map((c) => `u.${c}` as const))
    .select(
      sql<string[]>`coalesce((SELECT array_agg(tm.team_id ORDER BY tm.team_id) FROM team_members tm WHERE tm.office_id = u.office_id AND tm.user_id = u.id), '{}')`.as('team_ids'),
    );

export type UserRow = Awaited<ReturnType<typeof get>> & object;

export const get = (db: Executor, officeId: string, id: string) =>
  withTeams(db).where('u.office_id', '=', officeId).where('u.id', '=', id).executeTakeFirst();

/** Locks the user's row for the rest of the transaction (concurrent edits serialise). */
export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('users').select('id').where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export const emailExists = async (db: Executor, email: string) =>
  (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;

export const list = (
  db: Executor,
  officeId: string,
  f: { q?: string | undefined; role?: string | undefined; status?: string | undefined; after?: [string, string] | undefined; limit: number },
) => {
  let q = withTeams(db).where('u.office_id', '=', officeId);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('u.display_name', 'ilike', like), eb('u.email', 'ilike', like)]));
  }
  if (f.role) q = q.where('u.role', '=', f.role);
  if (f.status) q = q.where('u.status', '=', f.status);
  if (f.after) q = q.where((eb) => eb(eb.refTuple('u.display_name', 'u.id'), '>', eb.tuple(f.after![0], f.after![1])));
  return q.orderBy('u.display_name').orderBy('u.id').limit(f.limit + 1).execute();
};

export const insert = (db: Executor, values: Insertable<UsersTable>) =>
  db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, values: Updateable<UsersTable>) =>
  db.updateTable('users').set(values).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** Locks the office's active admins (so concurrent demotions serialise) and counts them. */
export const lockActiveAdmins = async (db: Executor, officeId: string) =>
  (
    await db
      .selectFrom('users')
      .select('id')
      .where('office_id', '=', officeId)
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .orderBy('id')
      .forUpdate()
      .execute()
  ).length;

export const findByEmail = (db: Executor, email: string) =>
  db.selectFrom('users').select(['office_id', 'id', 'email', 'display_name', 'role', 'status']).where('email', '=', email).executeTakeFirst();

/** Includes the password hash: for the auth module's credential checks only. */
export const findCredentials = (db: Executor, email: string) =>
  db
    .selectFrom('users')
    .select(['office_id', 'id', 'email', 'display_name', 'role', 'status', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();

export const markLogin = (db: Executor, officeId: string, userId: string) =>
  db.updateTable('users').set({ last_login_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', userId).execute();
