// SQL for the case list: equality filters, date ranges and text on reference or subject,
// sorted by a key with the id as tie-breaker and paged by keyset. The page is chosen first
// (a subquery that can walk one of the (office_id, <filter>, created_at DESC, id DESC)
// indexes and stop after limit + 1 rows); only those rows are then joined for their names.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { SUMMARY_COLUMNS, SUMMARY_JOINS, type SummaryRow } from './cases.repo.js';

export type Sort = 'created' | 'updated' | 'priority' | 'resolution_due';

export type Filters = {
  statuses?: string[];
  categoryIds?: string[];
  /** A user id, or null for unassigned. */
  assignee?: string | null;
  team?: string | null;
  ward?: string;
  /** Cases this person is on, in any role. */
  constituent?: string;
  priorities?: string[];
  channels?: string[];
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  reference?: { exact: string } | { prefix: string };
  /** Every word must appear in the subject (case-insensitive; the trigram index serves it). */
  subjectWords?: string[];
  /** Only open cases with a pending target past due (the cases_overdue index). */
  isOverdue?: boolean;
  hideSensitive: boolean;
};

/** The keyset position after which the page starts: the sort key values and the id. */
export type After = { rank?: number; time: string; id: string };

export type ListRow = SummaryRow & { k_time: string; k_rank: number };

/**
 * The moment an open case becomes overdue: its first response due time while none was
 * given, else its resolution due time. Exactly the expression of the cases_overdue index.
 */
/** When an open case `c` becomes overdue: its first-response due time while unanswered, or its resolution due time (the insights figures count the same). */
export const OVERDUE_AT = sql`least(CASE WHEN c.first_responded_at IS NULL THEN c.first_response_due_at END, c.resolution_due_at)`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/** The WHERE conditions of the filters on `cases c` (the case map reuses them). */
export function where(officeId: string, f: Filters): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [sql`c.office_id = ${officeId}`];
  if (f.hideSensitive) out.push(sql`NOT c.is_sensitive`);
  if (f.statuses) out.push(f.statuses.length === 1 ? sql`c.status = ${f.statuses[0]}` : sql`c.status = ANY(${f.statuses}::text[])`);
  if (f.categoryIds) out.push(f.categoryIds.length === 1 ? sql`c.category_id = ${f.categoryIds[0]}` : sql`c.category_id = ANY(${f.categoryIds}::uuid[])`);
  if (f.assignee !== undefined) out.push(f.assignee === null ? sql`c.assignee_id IS NULL` : sql`c.assignee_id = ${f.assignee}`);
  if (f.team !== undefined) out.push(f.team === null ? sql`c.team_id IS NULL` : sql`c.team_id = ${f.team}`);
  if (f.ward) out.push(sql`c.ward_id = ${f.ward}`);
  // Driven from the person's few links (case_constituents_constituent), not by walking the list.
  if (f.constituent) out.push(sql`c.id IN (SELECT cc.case_id FROM case_constituents cc WHERE cc.office_id = ${officeId} AND cc.constituent_id = ${f.constituent})`);
  if (f.priorities) out.push(f.priorities.length === 1 ? sql`c.priority = ${f.priorities[0]}` : sql`c.priority = ANY(${f.priorities}::text[])`);
  if (f.channels) out.push(f.channels.length === 1 ? sql`c.channel = ${f.channels[0]}` : sql`c.channel = ANY(${f.channels}::text[])`);
  if (f.createdFrom) out.push(sql`c.created_at >= ${f.createdFrom}::timestamptz`);
  if (f.createdTo) out.push(sql`c.created_at < ${f.createdTo}::timestamptz`);
  if (f.updatedFrom) out.push(sql`c.updated_at >= ${f.updatedFrom}::timestamptz`);
  if (f.updatedTo) out.push(sql`c.updated_at < ${f.updatedTo}::timestamptz`);
  if (f.reference) out.push('exact' in f.reference ? sql`c.reference = ${f.reference.exact}` : sql`c.reference LIKE ${`${likeEscape(f.reference.prefix)}%`}`);
  for (const w of f.subjectWords ?? []) out.push(sql`c.subject ILIKE ${`%${likeEscape(w)}%`}`);
  if (f.isOverdue) out.push(sql`c.resolved_at IS NULL AND c.closed_at IS NULL AND ${OVERDUE_AT} < now()`);
  return out;
}

/** The sort key expressions of a table alias, in order, before the id. */
function keys(sort: Sort, alias: string): RawBuilder<unknown>[] {
  const a = (col: string) => sql.ref(`${alias}.${col}`);
  if (sort === 'priority') return [sql`civitas_priority_rank(${a('priority')})`, a('created_at')];
  // Cases without a due time sort after every case with one (index cases_by_resolution_due).
  if (sort === 'resolution_due') return [sql`coalesce(${a('resolution_due_at')}, 'infinity'::timestamptz)`];
  return [a(sort === 'updated' ? 'updated_at' : 'created_at')];
}

/** One page (limit + 1 rows) of the list. */
export async function page(db: Executor, officeId: string, f: Filters, sort: Sort, order: 'asc' | 'desc', limit: number, after: After | undefined): Promise<ListRow[]> {
  const conditions = where(officeId, f);
  const dir = order === 'desc' ? sql`DESC` : sql`ASC`;
  if (after) {
    const values = sort === 'priority' ? [sql`${after.rank ?? 0}::smallint`, sql`${after.time}::timestamptz`] : [sql`${after.time}::timestamptz`];
    const left = sql.join([...keys(sort, 'c'), sql`c.id`]);
    const right = sql.join([...values, sql`${after.id}::uuid`]);
    conditions.push(order === 'desc' ? sql`(${left}) < (${right})` : sql`(${left}) > (${right})`);
  }
  const orderBy = (alias: string) => sql.join([...keys(sort, alias), sql.ref(`${alias}.id`)].map((k) => sql`${k} ${dir}`));
  const timeCol = sort === 'updated' ? sql`p.updated_at` : sort === 'resolution_due' ? sql`p.resolution_due_at` : sql`p.created_at`;
  const r = await sql<ListRow>`WITH p AS (
      SELECT c.* FROM cases c WHERE ${sql.join(conditions, sql` AND `)} ORDER BY ${orderBy('c')} LIMIT ${limit + 1})
    SELECT ${SUMMARY_COLUMNS('p')},
      coalesce(to_char(${timeCol} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'infinity') AS k_time, civitas_priority_rank(p.priority)::int AS k_rank
    FROM p ${SUMMARY_JOINS('p')}
    ORDER BY ${orderBy('p')}`.execute(db);
  return r.rows;
}
