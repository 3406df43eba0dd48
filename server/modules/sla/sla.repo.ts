// SQL of the sla module: holidays, policies, the SLA columns of cases and their pauses.
import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CasesTable, SlaPoliciesTable } from '../../platform/db/schema.js';

/** Serialises changes to an office's SLA configuration. */
export const lockConfig = (db: Executor, officeId: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.sla:${officeId}`}))`.execute(db);

// ---------------------------------------------------------------- holidays

export type HolidayRow = { day: string; name: string; created_at: Date };

const holidayColumns = ['name', 'created_at', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day')] as const;

export function listHolidays(db: Executor, officeId: string, range: { from?: string | undefined; to?: string | undefined } = {}): Promise<HolidayRow[]> {
  let q = db.selectFrom('office_holidays').select(holidayColumns).where('office_id', '=', officeId);
  if (range.from) q = q.where('day', '>=', range.from as never);
  if (range.to) q = q.where('day', '<=', range.to as never);
  return q.orderBy('day').limit(5000).execute();
}

export const getHoliday = (db: Executor, officeId: string, day: string): Promise<HolidayRow | undefined> =>
  db.selectFrom('office_holidays').select(holidayColumns).where('office_id', '=', officeId).where('day', '=', day as never).executeTakeFirst();

export const insertHoliday = (db: Executor, officeId: string, day: string, name: string): Promise<HolidayRow> =>
  db.insertInto('office_holidays').values({ office_id: officeId, day: day as never, name }).returning(holidayColumns).executeTakeFirstOrThrow();

/** The holidays on the given days (an import compares against them in one read). */
export const holidaysOn = (db: Executor, officeId: string, days: string[]): Promise<HolidayRow[]> =>
  days.length === 0 ? Promise.resolve([])
    : db.selectFrom('office_holidays').select(holidayColumns).where('office_id', '=', officeId).where('day', 'in', days as never[]).execute();

/** Adds the holidays, renaming those of a day that exists: one statement for an import. */
export async function upsertHolidays(db: Executor, officeId: string, holidays: { date: string; name: string }[]): Promise<void> {
  if (holidays.length === 0) return;
  await db.insertInto('office_holidays')
    .values(holidays.map((h) => ({ office_id: officeId, day: h.date as never, name: h.name })))
    .onConflict((oc) => oc.columns(['office_id', 'day']).doUpdateSet({ name: (eb) => eb.ref('excluded.name') }))
    .execute();
}

export const renameHoliday = (db: Executor, officeId: string, day: string, name: string) =>
  db.updateTable('office_holidays').set({ name }).where('office_id', '=', officeId).where('day', '=', day as never).execute();

export const deleteHoliday = async (db: Executor, officeId: string, day: string): Promise<boolean> =>
  (await db.deleteFrom('office_holidays').where('office_id', '=', officeId).where('day', '=', day as never).executeTakeFirst()).numDeletedRows > 0n;

/** Deletes the holidays of the given years except the listed days; returns how many went. */
export async function deleteHolidaysOfYearsExcept(db: Executor, officeId: string, years: number[], keep: string[]): Promise<number> {
  if (years.length === 0) return 0;
  let q = db.deleteFrom('office_holidays').where('office_id', '=', officeId).where(sql<number>`extract(year FROM day)::int`, 'in', years);
  if (keep.length) q = q.where(sql<string>`to_char(day, 'YYYY-MM-DD')`, 'not in', keep);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/** Holiday dates from a day on (the calendar needs only what lies ahead of a case). */
export async function holidayDatesFrom(db: Executor, officeId: string, from: string): Promise<string[]> {
  const rows = await db.selectFrom('office_holidays').select(sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day')).where('office_id', '=', officeId).where('day', '>=', from as never).orderBy('day').limit(20_000).execute();
  return rows.map((r) => r.day);
}

// ---------------------------------------------------------------- policies

const policyColumns = (db: Executor) =>
  db
    .selectFrom('sla_policies as p')
    .leftJoin('categories as c', (j) => j.onRef('c.office_id', '=', 'p.office_id').onRef('c.id', '=', 'p.category_id'))
    .selectAll('p')
    .select('c.name as category_name');

export const listPolicies = (db: Executor, officeId: string) =>
  policyColumns(db).where('p.office_id', '=', officeId).orderBy(sql`c.name NULLS FIRST`).orderBy(sql`array_position(array['urgent','high','normal','low'], p.priority)`).execute();

export const getPolicy = (db: Executor, officeId: string, id: string) =>
  policyColumns(db).where('p.office_id', '=', officeId).where('p.id', '=', id).executeTakeFirst();

export const findPolicyFor = (db: Executor, officeId: string, categoryId: string | null, priority: string) =>
  db
    .selectFrom('sla_policies')
    .select('id')
    .where('office_id', '=', officeId)
    .where('priority', '=', priority)
    .where((eb) => (categoryId === null ? eb('category_id', 'is', null) : eb('category_id', '=', categoryId)))
    .executeTakeFirst();

export type NewPolicy = {
  category_id: string | null; priority: string; first_response_minutes: number; resolution_minutes: number;
  clock: string; pause_while_waiting: boolean; warn_percent: number; warn_minutes_before: number | null;
};

export const insertPolicy = (db: Executor, officeId: string, values: NewPolicy) =>
  db.insertInto('sla_policies').values({ ...values, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const updatePolicy = (db: Executor, officeId: string, id: string, values: Updateable<SlaPoliciesTable>) =>
  db.updateTable('sla_policies').set({ ...values, updated_at: new Date() }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const deletePolicy = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('sla_policies').where('office_id', '=', officeId).where('id', '=', id).execute();

/**
 * The policy for a case: its category's, else the nearest ancestor's, else the default
 * (category NULL), for the priority.
 */
export async function policyForCase(db: Executor, officeId: string, categoryId: string | null, priority: string) {
  const { rows } = await sql<Selectable<SlaPoliciesTable>>`
    WITH RECURSIVE chain(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM categories WHERE office_id = ${officeId} AND id = ${categoryId}
      UNION ALL
      SELECT c.id, c.parent_id, chain.depth + 1 FROM categories c JOIN chain ON c.office_id = ${officeId} AND c.id = chain.parent_id WHERE chain.depth < 20
    )
    SELECT p.* FROM sla_policies p LEFT JOIN chain ON chain.id = p.category_id
    WHERE p.office_id = ${officeId} AND p.priority = ${priority} AND (p.category_id IS NULL OR chain.id IS NOT NULL)
    ORDER BY chain.depth NULLS LAST LIMIT 1`.execute(db);
  return rows[0] ?? null;
}

// ---------------------------------------------------------------- cases

const caseSlaColumns = [
  'id', 'office_id', 'reference', 'subject', 'category_id', 'priority', 'status', 'assignee_id', 'team_id', 'created_at', 'resolved_at', 'closed_at',
  'sla_policy_id', 'first_response_due_at', 'resolution_due_at', 'first_response_warn_at', 'resolution_warn_at', 'first_responded_at',
  'sla_paused_at', 'sla_paused_minutes', 'first_response_warned_at', 'first_response_breached_at', 'resolution_warned_at', 'resolution_breached_at', 'sla_next_check_at',
] as const;

/** The case's SLA state, locked for update (callers change it in the same transaction). */
export const lockCase = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('cases').select(caseSlaColumns).where('office_id', '=', officeId).where('id', '=', caseId).forUpdate().executeTakeFirst();

export type CaseSlaRow = NonNullable<Awaited<ReturnType<typeof lockCase>>>;

export type CaseSlaUpdate = Pick<
  Updateable<CasesTable>,
  | 'sla_policy_id' | 'first_response_due_at' | 'resolution_due_at' | 'first_response_warn_at' | 'resolution_warn_at' | 'first_responded_at' | 'sla_paused_at'
  | 'sla_paused_minutes' | 'first_response_warned_at' | 'first_response_breached_at' | 'resolution_warned_at' | 'resolution_breached_at' | 'sla_next_check_at'
>;

export const updateCaseSla = (db: Executor, officeId: string, caseId: string, values: CaseSlaUpdate) =>
  db.updateTable('cases').set(values).where('office_id', '=', officeId).where('id', '=', caseId).execute();

export const listPauses = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('case_sla_pauses').select(['paused_at', 'resumed_at']).where('office_id', '=', officeId).where('case_id', '=', caseId).orderBy('paused_at').execute();

export const insertPause = (db: Executor, officeId: string, caseId: string, at: Date) =>
  db.insertInto('case_sla_pauses').values({ office_id: officeId, case_id: caseId, paused_at: at }).onConflict((oc) => oc.doNothing()).execute();

export const closeOpenPause = (db: Executor, officeId: string, caseId: string, at: Date) =>
  db.updateTable('case_sla_pauses').set({ resumed_at: sql`greatest(paused_at, ${at}::timestamptz)` }).where('office_id', '=', officeId).where('case_id', '=', caseId).where('resumed_at', 'is', null).execute();

export type CheckKey = { at: Date; officeId: string; id: string };

/**
 * Cases whose next SLA moment has come, across offices, in the order of the partial index
 * cases_sla_next_check (which holds only cases with something pending), after a key.
 */
export async function dueForCheck(db: Executor, now: Date, after: CheckKey | undefined, limit: number): Promise<CheckKey[]> {
  let q = db.selectFrom('cases').select(['office_id', 'id', 'sla_next_check_at']).where('sla_next_check_at', 'is not', null).where('sla_next_check_at', '<=', now);
  if (after) q = q.where(sql<boolean>`(sla_next_check_at, office_id, id) > (${after.at}, ${after.officeId}::uuid, ${after.id}::uuid)`);
  const rows = await q.orderBy('sla_next_check_at').orderBy('office_id').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ at: r.sla_next_check_at!, officeId: r.office_id, id: r.id }));
}

/** Open cases of an office after an id (keyset), for recomputing due times. */
export const openCaseIds = async (db: Executor, officeId: string, afterId: string | null, limit: number): Promise<string[]> => {
  let q = db.selectFrom('cases').select('id').where('office_id', '=', officeId).where('resolved_at', 'is', null).where('closed_at', 'is', null);
  if (afterId) q = q.where('id', '>', afterId);
  return (await q.orderBy('id').limit(limit).execute()).map((r) => r.id);
};

/** Who hears of an escalation: the managers of the case's team, else the office's managers, else its admins. */
export async function escalationRecipients(db: Executor, officeId: string, teamId: string | null): Promise<string[]> {
  if (teamId) {
    const managers = await db
      .selectFrom('team_members as m')
      .innerJoin('users as u', (j) => j.onRef('u.office_id', '=', 'm.office_id').onRef('u.id', '=', 'm.user_id'))
      .select('u.id')
      .where('m.office_id', '=', officeId)
      .where('m.team_id', '=', teamId)
      .where('m.is_manager', '=', true)
      .where('u.status', '=', 'active')
      .orderBy('u.id')
      .execute();
    if (managers.length) return managers.map((r) => r.id);
  }
  for (const role of ['manager', 'admin']) {
    const rows = await db.selectFrom('users').select('id').where('office_id', '=', officeId).where('role', '=', role).where('status', '=', 'active').orderBy('id').limit(20).execute();
    if (rows.length) return rows.map((r) => r.id);
  }
  return [];
}

export const isActiveUser = async (db: Executor, officeId: string, userId: string) =>
  (await db.selectFrom('users').select('id').where('office_id', '=', officeId).where('id', '=', userId).where('status', '=', 'active').executeTakeFirst()) !== undefined;
