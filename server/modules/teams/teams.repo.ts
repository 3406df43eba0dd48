// SQL for teams and their members.
import { sql, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { TeamsTable } from '../../platform/db/schema.js';

const withMembers = (db: Executor) =>
  db
    .selectFrom('teams as t')
    .select(['t.office_id', 't.id', 't.name', 't.description', 't.created_at'])
    .select(
      sql<{ userId: string; displayName: string; isManager: boolean }[]>`coalesce((
        SELECT json_agg(json_build_object('userId', u.id, 'displayName', u.display_name, 'isManager', m.is_manager) ORDER BY u.display_name)
        FROM team_members m JOIN users u ON u.office_id = m.office_id AND u.id = m.user_id
        WHERE m.office_id = t.office_id AND m.team_id = t.id), '[]'::json)`.as('members'),
    );

export type TeamRow = NonNullable<Awaited<ReturnType<typeof get>>>;

export const get = (db: Executor, officeId: string, id: string) =>
  withMembers(db).where('t.office_id', '=', officeId).where('t.id', '=', id).executeTakeFirst();

export const list = (db: Executor, officeId: string) => withMembers(db).where('t.office_id', '=', officeId).orderBy('t.name').execute();

/** Locks the team's row so concurrent membership changes serialise. */
export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('teams').select('id').where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export const nameTaken = async (db: Executor, officeId: string, name: string, exceptId?: string) => {
  let q = db.selectFrom('teams').select('id').where('office_id', '=', officeId).where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
};

export const insert = (db: Executor, officeId: string, v: { name: string; description: string }) =>
  db.insertInto('teams').values({ office_id: officeId, ...v }).returning('id').executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, v: Updateable<TeamsTable>) =>
  db.updateTable('teams').set(v).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const remove = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('teams').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const replaceMembers = async (db: Executor, officeId: string, teamId: string, members: { userId: string; isManager: boolean }[]) => {
  await db.deleteFrom('team_members').where('office_id', '=', officeId).where('team_id', '=', teamId).execute();
  if (members.length === 0) return;
  await db
    .insertInto('team_members')
    .values(members.map((m) => ({ office_id: officeId, team_id: teamId, user_id: m.userId, is_manager: m.isManager })))
    .execute();
};

export const existingUserIds = async (db: Executor, officeId: string, ids: string[]) =>
  ids.length === 0
    ? []
    : (await db.selectFrom('users').select('id').where('office_id', '=', officeId).where('id', 'in', ids).execute()).map((r) => r.id);

/** Whether any case refers to the team (it then cannot be deleted, only renamed). */
export const inUse = async (db: Executor, officeId: string, id: string) =>
  (await db.selectFrom('cases').select('id').where('office_id', '=', officeId).where('team_id', '=', id).limit(1).executeTakeFirst()) !== undefined;
