// SQL for saved views of the case list: a user's own views and those shared with their teams.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type ViewRow = {
  id: string; name: string; filters: Record<string, string>; owner_id: string; owner_name: string;
  team_id: string | null; team_name: string | null; created_at: Date; updated_at: Date;
};

const base = (db: Executor, officeId: string) =>
  db.selectFrom('case_views as v')
    .innerJoin('users as u', (j) => j.onRef('u.office_id', '=', 'v.office_id').onRef('u.id', '=', 'v.owner_id'))
    .leftJoin('teams as t', (j) => j.onRef('t.office_id', '=', 'v.office_id').onRef('t.id', '=', 'v.team_id'))
    .select(['v.id', 'v.name', 'v.filters', 'v.owner_id', 'u.display_name as owner_name', 'v.team_id', 't.name as team_name', 'v.created_at', 'v.updated_at'])
    .where('v.office_id', '=', officeId);

/** The views a user sees: their own, and those shared with a team they are in. */
const visibleTo = (userId: string) => sql<boolean>`(v.owner_id = ${userId} OR v.team_id IN (
  SELECT m.team_id FROM team_members m WHERE m.office_id = v.office_id AND m.user_id = ${userId}))`;

export const listVisible = (db: Executor, officeId: string, userId: string) =>
  base(db, officeId).where(visibleTo(userId)).orderBy(sql`v.team_id IS NOT NULL`).orderBy(sql`lower(v.name)`).orderBy('v.id').limit(500).execute() as Promise<ViewRow[]>;

export const getVisible = (db: Executor, officeId: string, userId: string, id: string) =>
  base(db, officeId).where('v.id', '=', id).where(visibleTo(userId)).executeTakeFirst() as Promise<ViewRow | undefined>;

/** The teams the user is in, and whether they manage each. */
export const memberships = async (db: Executor, officeId: string, userId: string) =>
  new Map((await db.selectFrom('team_members').select(['team_id', 'is_manager']).where('office_id', '=', officeId).where('user_id', '=', userId).execute()).map((m) => [m.team_id, m.is_manager]));

export const insert = (db: Executor, officeId: string, v: { owner_id: string; team_id: string | null; name: string; filters: Record<string, string> }) =>
  db.insertInto('case_views').values({ ...v, filters: JSON.stringify(v.filters), office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, v: { team_id?: string | null | undefined; name?: string | undefined; filters?: Record<string, string> | undefined }) =>
  db.updateTable('case_views').set({
    ...(v.name !== undefined ? { name: v.name } : {}), ...(v.team_id !== undefined ? { team_id: v.team_id } : {}),
    ...(v.filters !== undefined ? { filters: JSON.stringify(v.filters) } : {}), updated_at: new Date(),
  }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const remove = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('case_views').where('office_id', '=', officeId).where('id', '=', id).execute();

/** Whether the user already has a view of this name (names are unique per owner, ignoring case). */
export const nameTaken = async (db: Executor, officeId: string, ownerId: string, name: string, exceptId: string | null) =>
  (await db.selectFrom('case_views').select('id').where('office_id', '=', officeId).where('owner_id', '=', ownerId)
    .where(sql<boolean>`lower(name) = lower(${name})`).where('id', '<>', exceptId ?? '00000000-0000-0000-0000-000000000000').executeTakeFirst()) !== undefined;

export const countOwned = async (db: Executor, officeId: string, ownerId: string) =>
  Number((await db.selectFrom('case_views').select((eb) => eb.fn.countAll<string>().as('n')).where('office_id', '=', officeId).where('owner_id', '=', ownerId).executeTakeFirstOrThrow()).n);
