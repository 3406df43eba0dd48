// SQL for cases: references, the row and its people and watchers, the case page in one
// query, and the set-based re-categorisation behind a category merge.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CasesTable } from '../../platform/db/schema.js';
import type { Scope } from '../../platform/scope.js';

/**
 * The next human reference of the office for the current year in its time zone, e.g.
 * C-2026-00042. The counter row stays locked until the caller's transaction ends, so
 * concurrent creators queue on it and references are distinct and gap-free.
 */
export async function nextReference(db: Executor, officeId: string): Promise<string> {
  const r = await sql<{ year: number; value: number }>`
    INSERT INTO reference_counters (office_id, kind, year, last_value)
    SELECT id, 'case', extract(year FROM now() AT TIME ZONE time_zone)::int, 1 FROM offices WHERE id = ${officeId}
    ON CONFLICT (office_id, kind, year) DO UPDATE SET last_value = reference_counters.last_value + 1
    RETURNING year, last_value AS value`.execute(db);
  const row = r.rows[0]!;
  return `C-${row.year}-${String(row.value).padStart(5, '0')}`;
}

export const insert = (db: Executor, officeId: string, values: Omit<Insertable<CasesTable>, 'office_id'>) =>
  db.insertInto('cases').values({ ...values, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

/** The case row, locked for the rest of the transaction. */
export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('cases').selectAll().where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export type CaseRow = NonNullable<Awaited<ReturnType<typeof lock>>>;

export const update = (db: Executor, officeId: string, id: string, values: Updateable<CasesTable>) =>
  db.updateTable('cases').set({ ...values, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

export type LinkRow = { constituent_id: string; role: string };

export const constituentsOf = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('case_constituents').select(['constituent_id', 'role']).where('office_id', '=', officeId).where('case_id', '=', caseId)
    .orderBy('position').orderBy('added_at').execute();

export async function replaceConstituents(db: Executor, officeId: string, caseId: string, rows: LinkRow[]): Promise<void> {
  await db.deleteFrom('case_constituents').where('office_id', '=', officeId).where('case_id', '=', caseId).execute();
  if (rows.length) await db.insertInto('case_constituents').values(rows.map((r, i) => ({ ...r, office_id: officeId, case_id: caseId, position: i }))).execute();
}

export const watchersOf = async (db: Executor, officeId: string, caseId: string) =>
  (await db.selectFrom('case_watchers').select('user_id').where('office_id', '=', officeId).where('case_id', '=', caseId).orderBy('user_id').execute()).map((r) => r.user_id);

export async function replaceWatchers(db: Executor, officeId: string, caseId: string, userIds: string[]): Promise<void> {
  await db.deleteFrom('case_watchers').where('office_id', '=', officeId).where('case_id', '=', caseId).execute();
  if (userIds.length) await db.insertInto('case_watchers').values(userIds.map((u) => ({ office_id: officeId, case_id: caseId, user_id: u }))).execute();
}

// ---------------------------------------------------------------- who may be on a case

/** Staff of the office among these ids, with what decides whether they can work a case. */
const STAFF = ['id', 'display_name', 'email', 'role', 'status'] as const;

export const staff = (db: Executor, officeId: string, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('users').select(STAFF).where('office_id', '=', officeId).where('id', 'in', ids).execute();

export type StaffRow = Awaited<ReturnType<typeof staff>>[number];

/** Bounded: an office's staff list is small, and the pickers filter it in the browser. */
export const activeStaff = (db: Executor, officeId: string) =>
  db.selectFrom('users').select(STAFF).where('office_id', '=', officeId).where('status', '=', 'active').orderBy('display_name').orderBy('id').limit(2000).execute();

export const team = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('teams').select(['id', 'name']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const isTeamMember = async (db: Executor, officeId: string, teamId: string, userId: string) =>
  (await db.selectFrom('team_members').select('user_id').where('office_id', '=', officeId).where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst()) !== undefined;

/** Which of these ids are active constituents of the office. */
export const activeConstituents = async (db: Executor, officeId: string, ids: string[]) =>
  ids.length === 0 ? [] : (await db.selectFrom('constituents').select('id').where('office_id', '=', officeId)
    .where('id', 'in', ids).where('status', '=', 'active').execute()).map((r) => r.id);

// ---------------------------------------------------------------- the case page

/** The names from the root down to a case's category (taxonomies are shallow). */
export const categoryPath = (c: string) => sql<string[] | null>`(WITH RECURSIVE cat_up(id, parent_id, name, d) AS (
    SELECT cat_self.id, cat_self.parent_id, cat_self.name, 0 FROM categories cat_self
      WHERE cat_self.office_id = ${sql.ref(`${c}.office_id`)} AND cat_self.id = ${sql.ref(`${c}.category_id`)}
    UNION ALL SELECT cat_parent.id, cat_parent.parent_id, cat_parent.name, cat_up.d + 1 FROM categories cat_parent
      JOIN cat_up ON cat_parent.office_id = ${sql.ref(`${c}.office_id`)} AND cat_parent.id = cat_up.parent_id WHERE cat_up.d < 10)
  SELECT array_agg(cat_up.name ORDER BY cat_up.d DESC) FROM cat_up)`;

/** What a list row shows besides the case's own columns: names of what it points at. */
export const SUMMARY_JOINS = (c: string) => sql`
  JOIN case_statuses s ON s.office_id = ${sql.ref(`${c}.office_id`)} AND s.key = ${sql.ref(`${c}.status`)}
  LEFT JOIN categories cat ON cat.office_id = ${sql.ref(`${c}.office_id`)} AND cat.id = ${sql.ref(`${c}.category_id`)}
  LEFT JOIN users au ON au.office_id = ${sql.ref(`${c}.office_id`)} AND au.id = ${sql.ref(`${c}.assignee_id`)}
  LEFT JOIN teams tm ON tm.office_id = ${sql.ref(`${c}.office_id`)} AND tm.id = ${sql.ref(`${c}.team_id`)}
  LEFT JOIN boundaries wd ON wd.office_id = ${sql.ref(`${c}.office_id`)} AND wd.id = ${sql.ref(`${c}.ward_id`)}
  LEFT JOIN constituents rq ON rq.office_id = ${sql.ref(`${c}.office_id`)} AND rq.id = ${sql.ref(`${c}.requester_id`)}`;

export const SUMMARY_COLUMNS = (c: string) => sql`
  ${sql.ref(`${c}.id`)}, ${sql.ref(`${c}.reference`)}, ${sql.ref(`${c}.subject`)}, ${sql.ref(`${c}.status`)}, s.label AS status_label, s.category AS status_category,
  ${sql.ref(`${c}.priority`)}, ${sql.ref(`${c}.channel`)}, ${sql.ref(`${c}.category_id`)}, cat.name AS category_name, ${categoryPath(c)} AS category_path,
  ${sql.ref(`${c}.assignee_id`)}, au.display_name AS assignee_name, ${sql.ref(`${c}.team_id`)}, tm.name AS team_name,
  ${sql.ref(`${c}.ward_id`)}, wd.name AS ward_name, ${sql.ref(`${c}.requester_id`)}, rq.display_name AS requester_name,
  ${sql.ref(`${c}.tags`)}, ${sql.ref(`${c}.is_sensitive`)}, ${sql.ref(`${c}.created_at`)}, ${sql.ref(`${c}.updated_at`)},
  ${sql.ref(`${c}.resolved_at`)}, ${sql.ref(`${c}.closed_at`)},
  ${sql.ref(`${c}.first_response_due_at`)}, ${sql.ref(`${c}.resolution_due_at`)}, ${sql.ref(`${c}.first_responded_at`)}`;

export type SummaryRow = {
  id: string; reference: string; subject: string; status: string; status_label: string; status_category: string;
  priority: string; channel: string; category_id: string | null; category_name: string | null; category_path: string[] | null;
  assignee_id: string | null; assignee_name: string | null; team_id: string | null; team_name: string | null;
  ward_id: string | null; ward_name: string | null; requester_id: string | null; requester_name: string | null;
  tags: string[]; is_sensitive: boolean; created_at: Date; updated_at: Date; resolved_at: Date | null; closed_at: Date | null;
  first_response_due_at: Date | null; resolution_due_at: Date | null; first_responded_at: Date | null;
};

export type PageRow = SummaryRow & {
  description: string; address: string | null; lat: number | null; lng: number | null;
  resolution_code: string | null; resolution_label: string | null; resolution_summary: string | null;
  constituents: { id: string; displayName: string; role: string }[];
  watchers: { id: string; name: string }[];
  next_statuses: { key: string; label: string; category: string }[];
  sla_policy_id: string | null; sla_paused_at: Date | null; sla_paused_minutes: number;
  first_response_breached_at: Date | null; resolution_breached_at: Date | null;
};

/** Everything the case page header shows, in one query. */
export async function page(db: Executor, officeId: string, id: string): Promise<PageRow | undefined> {
  const r = await sql<PageRow>`SELECT ${SUMMARY_COLUMNS('c')},
      c.description, c.address, c.lat, c.lng, c.resolution_code, rc.label AS resolution_label, c.resolution_summary,
      c.sla_policy_id, c.sla_paused_at, c.sla_paused_minutes, c.first_response_breached_at, c.resolution_breached_at,
      (SELECT coalesce(json_agg(json_build_object('id', k.constituent_id, 'displayName', coalesce(p.display_name, ''), 'role', k.role) ORDER BY k.position, k.added_at), '[]'::json)
        FROM case_constituents k JOIN constituents p ON p.office_id = k.office_id AND p.id = k.constituent_id
        WHERE k.office_id = c.office_id AND k.case_id = c.id) AS constituents,
      (SELECT coalesce(json_agg(json_build_object('id', w.user_id, 'name', u.display_name) ORDER BY u.display_name, u.id), '[]'::json)
        FROM case_watchers w JOIN users u ON u.office_id = w.office_id AND u.id = w.user_id
        WHERE w.office_id = c.office_id AND w.case_id = c.id) AS watchers,
      (SELECT coalesce(json_agg(json_build_object('key', n.key, 'label', n.label, 'category', n.category) ORDER BY n.position, n.key), '[]'::json)
        FROM case_status_transitions t JOIN case_statuses n ON n.office_id = t.office_id AND n.key = t.to_status
        WHERE t.office_id = c.office_id AND t.from_status = c.status AND NOT n.retired) AS next_statuses
    FROM cases c ${SUMMARY_JOINS('c')}
    LEFT JOIN case_resolution_codes rc ON rc.office_id = c.office_id AND rc.code = c.resolution_code
    WHERE c.office_id = ${officeId} AND c.id = ${id}`.execute(db);
  return r.rows[0];
}

// ---------------------------------------------------------------- category merges

/**
 * Moves every case of category `fromId` to `toId` and writes one audit event per moved case,
 * in one statement: a merge may move hundreds of thousands of cases, and each case's
 * timeline must show it.
 */
export async function recategorise(db: Executor, scope: Scope, fromId: string, toId: string): Promise<number> {
  const r = await sql<{ n: number }>`WITH moved AS (
      UPDATE cases SET category_id = ${toId}, updated_at = now() WHERE office_id = ${scope.officeId} AND category_id = ${fromId} RETURNING id),
    logged AS (
      INSERT INTO events (office_id, actor_type, actor_id, actor_label, entity_type, entity_id, action, before, after, request_id, case_id)
      SELECT ${scope.officeId}::uuid, ${scope.actor.type}::text, ${scope.actor.id}::uuid, ${scope.actor.label}::text, 'case', moved.id::text, 'recategorised',
        ${JSON.stringify({ categoryId: fromId })}::jsonb, ${JSON.stringify({ categoryId: toId, reason: 'category_merged', summary: 'Category changed: its category was merged into another' })}::jsonb,
        ${scope.requestId ?? null}::text, moved.id
      FROM moved RETURNING 1)
    SELECT count(*)::int AS n FROM logged`.execute(db);
  return r.rows[0]!.n;
}

// ---------------------------------------------------------------- the timeline

export type TimelineRow = {
  id: number; occurred_at: Date; actor_label: string; entity_type: string; entity_id: string; action: string; before: unknown; after: unknown;
};

/**
 * Events of one case, newest first. `filter.types` limits the entity types; the case's own
 * reads ("viewed") are included only when `filter.reads` is true, and are all it returns then.
 */
export function timeline(db: Executor, officeId: string, caseId: string, filter: { types?: string[]; reads: boolean }, beforeId: number | undefined, limit: number) {
  let q = db.selectFrom('events').select(['id', 'occurred_at', 'actor_label', 'entity_type', 'entity_id', 'action', 'before', 'after'])
    .where('office_id', '=', officeId).where('case_id', '=', caseId);
  if (filter.reads) q = q.where('entity_type', '=', 'case').where('action', '=', 'viewed');
  else {
    q = q.where((eb) => eb.or([eb('entity_type', '<>', 'case'), eb('action', '<>', 'viewed')]));
    if (filter.types) q = q.where('entity_type', 'in', filter.types);
  }
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit + 1).execute() as Promise<TimelineRow[]>;
}

/** The few columns access checks need, without a lock. */
export const visibility = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('cases').select(['id', 'reference', 'subject', 'is_sensitive']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

// ---------------------------------------------------------------- intake lookups

export const byReference = (db: Executor, officeId: string, reference: string) =>
  db.selectFrom('cases').select(['id', 'reference', 'closed_at']).where('office_id', '=', officeId).where('reference', '=', reference).executeTakeFirst();

export const caseState = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('cases').select(['id', 'reference', 'closed_at', 'is_sensitive']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** The person's cases that are neither resolved nor closed, newest first. */
export const openCasesOf = (db: Executor, officeId: string, constituentId: string, limit: number) =>
  db.selectFrom('cases as k').innerJoin('case_constituents as cc', (j) => j.onRef('cc.office_id', '=', 'k.office_id').onRef('cc.case_id', '=', 'k.id'))
    .select(['k.id', 'k.reference', 'k.subject']).where('k.office_id', '=', officeId).where('cc.constituent_id', '=', constituentId)
    .where('k.resolved_at', 'is', null).where('k.closed_at', 'is', null).orderBy('k.created_at', 'desc').limit(limit).execute();

export const isOnCase = async (db: Executor, officeId: string, caseId: string, constituentId: string) =>
  !!(await db.selectFrom('case_constituents').select('case_id').where('office_id', '=', officeId).where('case_id', '=', caseId).where('constituent_id', '=', constituentId).executeTakeFirst());
