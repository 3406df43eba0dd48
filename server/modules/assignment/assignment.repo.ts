// SQL for automatic assignment: rules, the default team, team strategies and the rotation,
// staff away, and the two questions assignment asks (which rule matches a case; who in a
// team may take it now). Those two read teams, users, categories and open cases read-only,
// in one query each, so the answer is consistent under the team's rotation lock.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

// ---------------------------------------------------------------- rules

export type RuleRow = {
  id: string; name: string; position: number; category_id: string | null; category_name: string | null; category_path: string[] | null;
  ward_id: string | null; ward_name: string | null; team_id: string; team_name: string;
};

const RULE_SELECT = sql`r.id, r.name, r.position, r.category_id, cat.name AS category_name,
    (WITH RECURSIVE up(id, parent_id, name, d) AS (
       SELECT c0.id, c0.parent_id, c0.name, 0 FROM categories c0 WHERE c0.office_id = r.office_id AND c0.id = r.category_id
       UNION ALL SELECT c1.id, c1.parent_id, c1.name, up.d + 1 FROM categories c1 JOIN up ON c1.office_id = r.office_id AND c1.id = up.parent_id WHERE up.d < 10)
     SELECT array_agg(up.name ORDER BY up.d DESC) FROM up) AS category_path,
    r.ward_id, wd.name AS ward_name, r.team_id, tm.name AS team_name
  FROM assignment_rules r
  JOIN teams tm ON tm.office_id = r.office_id AND tm.id = r.team_id
  LEFT JOIN categories cat ON cat.office_id = r.office_id AND cat.id = r.category_id
  LEFT JOIN boundaries wd ON wd.office_id = r.office_id AND wd.id = r.ward_id`;

export async function rules(db: Executor, officeId: string): Promise<RuleRow[]> {
  return (await sql<RuleRow>`SELECT ${RULE_SELECT} WHERE r.office_id = ${officeId} ORDER BY r.position, r.id`.execute(db)).rows;
}

export async function rule(db: Executor, officeId: string, id: string): Promise<RuleRow | undefined> {
  return (await sql<RuleRow>`SELECT ${RULE_SELECT} WHERE r.office_id = ${officeId} AND r.id = ${id}`.execute(db)).rows[0];
}

/** Serialises edits of the office's rule list (positions). */
export const lockRules = (db: Executor, officeId: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.assignment-rules:${officeId}`}))`.execute(db);

export const nextPosition = async (db: Executor, officeId: string) =>
  (await db.selectFrom('assignment_rules').select(sql<number>`coalesce(max(position), 0) + 10`.as('p')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).p;

export const insertRule = (db: Executor, officeId: string, v: { name: string; category_id: string | null; ward_id: string | null; team_id: string; position: number }) =>
  db.insertInto('assignment_rules').values({ ...v, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const updateRule = (db: Executor, officeId: string, id: string, v: { name?: string | undefined; category_id?: string | null | undefined; ward_id?: string | null | undefined; team_id?: string | undefined; position?: number | undefined }) =>
  db.updateTable('assignment_rules').set({ ...v, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const deleteRule = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('assignment_rules').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/**
 * The first rule (by position) whose category is the case's or an ancestor of it, and whose
 * ward is the case's; a rule leaves out what it does not name.
 */
export async function firstMatch(db: Executor, officeId: string, categoryId: string | null, wardId: string | null): Promise<RuleRow | undefined> {
  const r = await sql<RuleRow>`WITH RECURSIVE lineage(id, parent_id, d) AS (
      SELECT id, parent_id, 0 FROM categories WHERE office_id = ${officeId} AND id = ${categoryId}
      UNION ALL SELECT c.id, c.parent_id, lineage.d + 1 FROM categories c JOIN lineage ON c.office_id = ${officeId} AND c.id = lineage.parent_id WHERE lineage.d < 10)
    SELECT ${RULE_SELECT}
    WHERE r.office_id = ${officeId}
      AND (r.category_id IS NULL OR r.category_id IN (SELECT id FROM lineage))
      AND (r.ward_id IS NULL OR r.ward_id = ${wardId})
    ORDER BY r.position, r.id LIMIT 1`.execute(db);
  return r.rows[0];
}

// ---------------------------------------------------------------- default team, strategies

export const defaultTeam = (db: Executor, officeId: string) =>
  db.selectFrom('assignment_settings as s').innerJoin('teams as t', (j) => j.onRef('t.office_id', '=', 's.office_id').onRef('t.id', '=', 's.default_team_id'))
    .select(['t.id', 't.name']).where('s.office_id', '=', officeId).executeTakeFirst();

export const setDefaultTeam = (db: Executor, officeId: string, teamId: string | null) =>
  db.insertInto('assignment_settings').values({ office_id: officeId, default_team_id: teamId })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ default_team_id: teamId, updated_at: sql`now()` })).execute();

/** Every team of the office with its strategy (round-robin when never set). */
export const teamStrategies = (db: Executor, officeId: string) =>
  db.selectFrom('teams as t').leftJoin('team_assignment as a', (j) => j.onRef('a.office_id', '=', 't.office_id').onRef('a.team_id', '=', 't.id'))
    .select(['t.id', 't.name', sql<string>`coalesce(a.strategy, 'round_robin')`.as('strategy')]).where('t.office_id', '=', officeId).orderBy('t.name').orderBy('t.id').execute();

export const team = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('teams').select(['id', 'name']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const setStrategy = (db: Executor, officeId: string, teamId: string, strategy: string) =>
  db.insertInto('team_assignment').values({ office_id: officeId, team_id: teamId, strategy })
    .onConflict((oc) => oc.columns(['office_id', 'team_id']).doUpdateSet({ strategy, updated_at: sql`now()` })).execute();

/** The team's rotation row, created if missing and locked until the transaction ends. */
export async function lockRotation(db: Executor, officeId: string, teamId: string): Promise<string> {
  await db.insertInto('team_assignment').values({ office_id: officeId, team_id: teamId }).onConflict((oc) => oc.columns(['office_id', 'team_id']).doNothing()).execute();
  const row = await db.selectFrom('team_assignment').select('strategy').where('office_id', '=', officeId).where('team_id', '=', teamId).forUpdate().executeTakeFirstOrThrow();
  return row.strategy;
}

export type Candidate = { user_id: string; display_name: string; open_cases: number };

/**
 * Members of the team who may take a case now: active, of a role that works cases (and sees
 * sensitive ones when the case is), not away today in the office's time zone. In the order
 * the strategy picks them: round-robin by the longest since they last got one of the team's
 * cases; least-loaded by fewest open cases assigned, then the longest since any assignment.
 */
export async function candidates(db: Executor, officeId: string, teamId: string, opts: { roles: string[]; strategy: string }): Promise<Candidate[]> {
  if (opts.roles.length === 0) return [];
  const order = opts.strategy === 'least_loaded'
    ? sql`open_cases, last_any NULLS FIRST, display_name, user_id`
    : sql`last_in_team NULLS FIRST, display_name, user_id`;
  const r = await sql<Candidate>`WITH today AS (SELECT (now() AT TIME ZONE time_zone)::date AS d FROM offices WHERE id = ${officeId}),
    eligible AS (
      SELECT u.id AS user_id, u.display_name,
        (SELECT count(*) FROM cases c WHERE c.office_id = u.office_id AND c.assignee_id = u.id AND c.resolved_at IS NULL AND c.closed_at IS NULL)::int AS open_cases,
        (SELECT s.last_assigned_at FROM team_assignment_members s WHERE s.office_id = u.office_id AND s.team_id = m.team_id AND s.user_id = u.id) AS last_in_team,
        (SELECT max(s.last_assigned_at) FROM team_assignment_members s WHERE s.office_id = u.office_id AND s.user_id = u.id) AS last_any
      FROM team_members m JOIN users u ON u.office_id = m.office_id AND u.id = m.user_id
      WHERE m.office_id = ${officeId} AND m.team_id = ${teamId} AND u.status = 'active' AND u.role IN (${sql.join(opts.roles)})
        AND NOT EXISTS (SELECT 1 FROM staff_away a, today WHERE a.office_id = u.office_id AND a.user_id = u.id
          AND a.from_date <= today.d AND (a.until_date IS NULL OR a.until_date >= today.d)))
    SELECT user_id, display_name, open_cases FROM eligible ORDER BY ${order}`.execute(db);
  return r.rows;
}

/** Records that the member got a case from the team (clock time: several in one transaction stay ordered). */
export const markAssigned = (db: Executor, officeId: string, teamId: string, userId: string) =>
  db.insertInto('team_assignment_members').values({ office_id: officeId, team_id: teamId, user_id: userId, last_assigned_at: sql`clock_timestamp()` })
    .onConflict((oc) => oc.columns(['office_id', 'team_id', 'user_id']).doUpdateSet({ last_assigned_at: sql`clock_timestamp()` })).execute();

/** The team's managers who can still sign in (told when nobody can take a case). */
export const managers = async (db: Executor, officeId: string, teamId: string) =>
  (await db.selectFrom('team_members as m').innerJoin('users as u', (j) => j.onRef('u.office_id', '=', 'm.office_id').onRef('u.id', '=', 'm.user_id'))
    .select('u.id').where('m.office_id', '=', officeId).where('m.team_id', '=', teamId).where('m.is_manager', '=', true).where('u.status', '=', 'active').execute()).map((r) => r.id);

// ---------------------------------------------------------------- away

export const away = (db: Executor, officeId: string, userId: string) =>
  db.selectFrom('staff_away as a').innerJoin('offices as o', 'o.id', 'a.office_id')
    .select(['a.user_id', sql<string>`a.from_date::text`.as('from_date'), sql<string | null>`a.until_date::text`.as('until_date'), 'a.note', 'a.updated_at',
      sql<boolean>`a.from_date <= (now() AT TIME ZONE o.time_zone)::date AND (a.until_date IS NULL OR a.until_date >= (now() AT TIME ZONE o.time_zone)::date)`.as('is_away_now')])
    .where('a.office_id', '=', officeId).where('a.user_id', '=', userId).executeTakeFirst();

export const setAway = (db: Executor, officeId: string, userId: string, v: { from_date: string; until_date: string | null; note: string }) =>
  db.insertInto('staff_away').values({ office_id: officeId, user_id: userId, ...v })
    .onConflict((oc) => oc.columns(['office_id', 'user_id']).doUpdateSet({ ...v, updated_at: sql`now()` })).execute();

export const clearAway = (db: Executor, officeId: string, userId: string) =>
  db.deleteFrom('staff_away').where('office_id', '=', officeId).where('user_id', '=', userId).executeTakeFirst();

export const user = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('users').select(['id', 'display_name']).where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

/** A boundary of the office that rules may name, with whether it is retired. */
export const boundary = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('boundaries').select(['id', 'name', 'retired_at']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** Rules on a category merged into another follow it (the merged one's cases moved there too). */
export const repointCategory = async (db: Executor, officeId: string, fromId: string, toId: string) =>
  (await db.updateTable('assignment_rules').set({ category_id: toId, updated_at: sql`now()` }).where('office_id', '=', officeId).where('category_id', '=', fromId).returning('id').execute()).map((r) => r.id);
