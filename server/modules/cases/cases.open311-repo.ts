// The cases module's public feed for Open311: the requests (cases) that came in through
// Open311 under the categories an office publishes as services, and their public history
// (opened, status changes, reopenings, updates posted by Open311 clients). Cases from any
// other channel (emails, SMS, calls) are private correspondence and never appear, whatever
// their category; nor do sensitive cases. Staff notes and status-change comments are never
// part of it.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type FeedRow = {
  id: string; reference: string; subject: string; description: string; category_id: string;
  status_label: string; status_category: string; address: string | null; lat: number | null; lng: number | null;
  created_at: Date; updated_at: Date; resolution_due_at: Date | null; resolution_summary: string | null;
};

export type FeedFilter = {
  categoryIds: readonly string[];
  references?: readonly string[] | undefined;
  statusCategories?: readonly string[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  offset: number;
};

// Which cases the public may see at all: the single rule every query here applies.
const visible = (officeId: string, categoryIds: readonly string[]) =>
  sql`c.office_id = ${officeId} AND c.channel = 'open311' AND NOT c.is_sensitive AND c.category_id = ANY(${[...categoryIds]}::uuid[])`;

const COLUMNS = sql`c.id, c.reference, c.subject, c.description, c.category_id, s.label AS status_label, s.category AS status_category,
  c.address, c.lat, c.lng, c.created_at, c.updated_at, c.resolution_due_at, c.resolution_summary`;

/** Requests newest first; with references, just those (still only visible ones: Open311, published, non-sensitive). */
export async function requests(db: Executor, officeId: string, f: FeedFilter): Promise<FeedRow[]> {
  if (!f.categoryIds.length || (f.references && !f.references.length)) return [];
  const conditions = [
    visible(officeId, f.categoryIds),
    ...(f.references ? [sql`c.reference = ANY(${[...f.references]}::text[])`] : []),
    ...(f.statusCategories ? [sql`s.category = ANY(${[...f.statusCategories]}::text[])`] : []),
    ...(f.from ? [sql`c.created_at >= ${f.from}`] : []),
    ...(f.to ? [sql`c.created_at <= ${f.to}`] : []),
  ];
  const r = await sql<FeedRow>`SELECT ${COLUMNS} FROM cases c
    JOIN case_statuses s ON s.office_id = c.office_id AND s.key = c.status
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY c.created_at DESC, c.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return r.rows;
}

export type HistoryRow = {
  event_id: string; case_id: string; reference: string; occurred_at: Date; entity_type: string; entity_id: string; action: string;
  after: Record<string, unknown> | null; status_category: string;
};

// The events that make a request's public history: its own changes, and the updates its channel threaded into it.
const publicEvents = (channel: string) => sql`((e.entity_type = 'case' AND e.action IN ('created', 'status_changed', 'reopened'))
  OR (e.entity_type = 'inbound_item' AND e.action = 'received' AND e.after->>'channel' = ${channel} AND e.after->>'how' = 'thread'))`;
const PUBLIC_EVENTS = publicEvents('open311');

/** The events of cases with the status category each event left the case in. */
const HISTORY_FROM = sql`SELECT e.id::text AS event_id, e.case_id, c.reference, e.occurred_at, e.entity_type, e.entity_id, e.action, e.after,
      coalesce(st.category, cs.category) AS status_category
    FROM events e JOIN cases c ON c.office_id = e.office_id AND c.id = e.case_id
    JOIN case_statuses cs ON cs.office_id = c.office_id AND cs.key = c.status
    LEFT JOIN case_statuses st ON st.office_id = e.office_id AND st.key = e.after->>'status'`;

/** The public history of some cases, oldest first; `channel`: whose threaded updates it shows (the resident portal's are 'web'). */
export async function history(db: Executor, officeId: string, caseIds: readonly string[], channel = 'open311'): Promise<HistoryRow[]> {
  if (!caseIds.length) return [];
  const r = await sql<HistoryRow>`${HISTORY_FROM}
    WHERE e.office_id = ${officeId} AND e.case_id = ANY(${[...caseIds]}::uuid[]) AND ${publicEvents(channel)}
    ORDER BY e.id LIMIT 10000`.execute(db);
  return r.rows;
}

/** Changes to visible requests (Open311, published, non-sensitive) in a time window, oldest first (FixMyStreet's updates feed). */
export async function updates(db: Executor, officeId: string, f: { categoryIds: readonly string[]; from: Date; to: Date; limit: number; offset: number }): Promise<HistoryRow[]> {
  if (!f.categoryIds.length) return [];
  const r = await sql<HistoryRow>`${HISTORY_FROM}
    WHERE e.office_id = ${officeId} AND e.occurred_at >= ${f.from} AND e.occurred_at <= ${f.to}
      AND ${visible(officeId, f.categoryIds)}
      AND ${PUBLIC_EVENTS} AND NOT (e.entity_type = 'case' AND e.action = 'created')
    ORDER BY e.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return r.rows;
}

/** The reference of one case if the public may see it (the same rule as the feed), else null. */
export async function visibleReference(db: Executor, officeId: string, categoryIds: readonly string[], caseId: string): Promise<string | null> {
  if (!categoryIds.length) return null;
  const r = await sql<{ reference: string }>`SELECT c.reference FROM cases c WHERE ${visible(officeId, categoryIds)} AND c.id = ${caseId}`.execute(db);
  return r.rows[0]?.reference ?? null;
}
