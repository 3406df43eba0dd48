// SQL for emerging-issue alerts: the detector's settings, the one grouped count of an office's
// cases over the window and history, and the alerts themselves.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

// ---------------------------------------------------------------- settings

export type SettingsRow = { enabled: boolean; window_days: number; history_weeks: number; min_count: number; p_value: number };
export const DEFAULT_SETTINGS: SettingsRow = { enabled: true, window_days: 2, history_weeks: 12, min_count: 5, p_value: 0.001 };

const SETTINGS_COLUMNS = ['enabled', 'window_days', 'history_weeks', 'min_count', 'p_value'] as const;

export const settings = async (db: Executor, officeId: string): Promise<SettingsRow> =>
  (await db.selectFrom('insight_alert_settings').select(SETTINGS_COLUMNS).where('office_id', '=', officeId).executeTakeFirst()) ?? DEFAULT_SETTINGS;

/** The office's settings row, created with the defaults if missing, locked until the transaction ends (one scan or change at a time). */
export async function lockSettings(trx: Executor, officeId: string): Promise<SettingsRow> {
  await trx.insertInto('insight_alert_settings').values({ office_id: officeId }).onConflict((oc) => oc.column('office_id').doNothing()).execute();
  return trx.selectFrom('insight_alert_settings').select(SETTINGS_COLUMNS).where('office_id', '=', officeId).forUpdate().executeTakeFirstOrThrow();
}

export const saveSettings = (trx: Executor, officeId: string, s: SettingsRow) =>
  trx.updateTable('insight_alert_settings').set({ ...s, updated_at: sql`now()` }).where('office_id', '=', officeId).execute();

/** Offices the hourly job scans: alerts enabled (the default when never configured). */
export const enabledOffices = async (db: Executor): Promise<string[]> =>
  (await db.selectFrom('offices as o').leftJoin('insight_alert_settings as s', 's.office_id', 'o.id').select('o.id')
    .where(sql<boolean>`coalesce(s.enabled, true)`).orderBy('o.id').execute()).map((r) => r.id);

// ---------------------------------------------------------------- counting

export type Clock = { timeZone: string; today: string; todayStart: Date; tomorrowStart: Date };

/** The office-local date at `now` and the instants today starts and ends (23 or 25 hours on DST days). */
export async function clock(db: Executor, officeId: string, now: Date): Promise<Clock | undefined> {
  const { rows } = await sql<{ time_zone: string; today: string; today_start: Date; tomorrow_start: Date }>`
    WITH o AS (SELECT time_zone, (${now}::timestamptz AT TIME ZONE time_zone)::date AS today FROM offices WHERE id = ${officeId})
    SELECT time_zone, today::text AS today, (today::timestamp AT TIME ZONE time_zone) AS today_start,
      ((today + 1)::timestamp AT TIME ZONE time_zone) AS tomorrow_start
    FROM o`.execute(db);
  const r = rows[0];
  return r && { timeZone: r.time_zone, today: r.today, todayStart: r.today_start, tomorrowStart: r.tomorrow_start };
}

export type CountRow = { category_id: string; ward_id: string; day: string; n: number };

/**
 * Cases per category, ward and office-local day from the first history day up to `now`: one
 * grouped query (a hash aggregate over a range of cases_recent). Cases without a category or
 * a ward are not counted.
 */
export async function counts(db: Executor, officeId: string, q: { timeZone: string; historyFrom: string; now: Date }): Promise<CountRow[]> {
  const { rows } = await sql<CountRow>`
    SELECT category_id, ward_id, to_char(day, 'YYYY-MM-DD') AS day, n FROM (
      SELECT c.category_id, c.ward_id, (c.created_at AT TIME ZONE ${q.timeZone})::date AS day, count(*)::int AS n
      FROM cases c
      WHERE c.office_id = ${officeId}
        AND c.created_at >= (${q.historyFrom}::date::timestamp AT TIME ZONE ${q.timeZone})
        AND c.created_at <= ${q.now}::timestamptz
        AND c.category_id IS NOT NULL AND c.ward_id IS NOT NULL
      GROUP BY 1, 2, 3
    ) g`.execute(db);
  return rows;
}

/** The window's cases of the given pairs (only those found unusual), oldest first. */
export async function windowCases(db: Executor, officeId: string, q: { timeZone: string; windowFrom: string; now: Date; pairs: { categoryId: string; wardId: string }[] }): Promise<{ id: string; category_id: string; ward_id: string }[]> {
  if (q.pairs.length === 0) return [];
  const wanted = new Set(q.pairs.map((p) => `${p.categoryId}/${p.wardId}`));
  const { rows } = await sql<{ id: string; category_id: string; ward_id: string }>`
    SELECT c.id, c.category_id, c.ward_id FROM cases c
    WHERE c.office_id = ${officeId}
      AND c.created_at >= (${q.windowFrom}::date::timestamp AT TIME ZONE ${q.timeZone})
      AND c.created_at <= ${q.now}::timestamptz
      AND c.category_id = ANY(${[...new Set(q.pairs.map((p) => p.categoryId))]}::uuid[])
      AND c.ward_id = ANY(${[...new Set(q.pairs.map((p) => p.wardId))]}::uuid[])
    ORDER BY c.created_at, c.id`.execute(db);
  return rows.filter((r) => wanted.has(`${r.category_id}/${r.ward_id}`));
}

export const categoryNames = async (db: Executor, officeId: string, ids: string[]): Promise<Map<string, string>> =>
  new Map(ids.length ? (await db.selectFrom('categories').select(['id', 'name']).where('office_id', '=', officeId).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]) : []);

export const wardNames = async (db: Executor, officeId: string, ids: string[]): Promise<Map<string, string>> =>
  new Map(ids.length ? (await db.selectFrom('boundaries').select(['id', 'name']).where('office_id', '=', officeId).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]) : []);

/** Active managers and admins: told when an alert is raised. */
export const managerIds = async (db: Executor, officeId: string): Promise<string[]> =>
  (await db.selectFrom('users').select('id').where('office_id', '=', officeId).where('status', '=', 'active').where('role', 'in', ['manager', 'admin']).orderBy('id').execute()).map((r) => r.id);

// ---------------------------------------------------------------- alerts

const ALERT_COLUMNS = sql`a.id, a.category_id, a.category_name, a.ward_id, a.ward_name, a.window_from::text AS window_from, a.window_to::text AS window_to,
  a.observed, a.expected, a.p_value, a.status, a.raised_at, a.updated_at, a.acknowledged_at, a.acknowledged_by, a.acknowledged_by_label, a.note, a.case_ids`;

export type AlertRow = {
  id: string; category_id: string; category_name: string; ward_id: string; ward_name: string; window_from: string; window_to: string;
  observed: number; expected: number; p_value: number; status: 'open' | 'acknowledged'; raised_at: Date; updated_at: Date;
  acknowledged_at: Date | null; acknowledged_by: string | null; acknowledged_by_label: string | null; note: string | null; case_ids: string[];
};

/** An alert with its current category and ward names (the raised-time ones if gone) and the bounding box of its cases the viewer may see. */
export type ListedAlertRow = AlertRow & { current_category_name: string | null; current_ward_name: string | null; west: number | null; south: number | null; east: number | null; north: number | null };

function listed(officeId: string, includeSensitive: boolean) {
  return sql`
    SELECT ${ALERT_COLUMNS}, cat.name AS current_category_name, w.name AS current_ward_name, bb.west, bb.south, bb.east, bb.north
    FROM insight_alerts a
    LEFT JOIN categories cat ON cat.office_id = a.office_id AND cat.id = a.category_id
    LEFT JOIN boundaries w ON w.office_id = a.office_id AND w.id = a.ward_id
    LEFT JOIN LATERAL (
      SELECT min(c.lng) AS west, min(c.lat) AS south, max(c.lng) AS east, max(c.lat) AS north
      FROM cases c
      WHERE c.office_id = a.office_id AND c.id = ANY(a.case_ids) AND c.lat IS NOT NULL AND c.lng IS NOT NULL
        AND (${includeSensitive} OR NOT c.is_sensitive)
    ) bb ON true
    WHERE a.office_id = ${officeId}`;
}

export async function list(db: Executor, officeId: string, q: { status: 'open' | 'acknowledged' | 'all'; beforeId: string | undefined; limit: number; includeSensitive: boolean }): Promise<ListedAlertRow[]> {
  const { rows } = await sql<ListedAlertRow>`${listed(officeId, q.includeSensitive)}
    ${q.status === 'all' ? sql`` : sql`AND a.status = ${q.status}`}
    ${q.beforeId ? sql`AND a.id < ${q.beforeId}` : sql``}
    ORDER BY a.id DESC LIMIT ${q.limit}`.execute(db);
  return rows;
}

export async function get(db: Executor, officeId: string, id: string, includeSensitive: boolean): Promise<ListedAlertRow | undefined> {
  const { rows } = await sql<ListedAlertRow>`${listed(officeId, includeSensitive)} AND a.id = ${id}`.execute(db);
  return rows[0];
}

export async function lock(trx: Executor, officeId: string, id: string): Promise<AlertRow | undefined> {
  const { rows } = await sql<AlertRow>`SELECT ${ALERT_COLUMNS} FROM insight_alerts a WHERE a.office_id = ${officeId} AND a.id = ${id} FOR UPDATE`.execute(trx);
  return rows[0];
}

/** The open alert of a pair, and the latest acknowledged one (what a new cluster must exceed). */
export async function pairState(trx: Executor, officeId: string, categoryId: string, wardId: string): Promise<{ open: AlertRow | undefined; acknowledged: AlertRow | undefined }> {
  const { rows } = await sql<AlertRow>`
    (SELECT ${ALERT_COLUMNS} FROM insight_alerts a WHERE a.office_id = ${officeId} AND a.category_id = ${categoryId} AND a.ward_id = ${wardId} AND a.status = 'open')
    UNION ALL
    (SELECT ${ALERT_COLUMNS} FROM insight_alerts a WHERE a.office_id = ${officeId} AND a.category_id = ${categoryId} AND a.ward_id = ${wardId} AND a.status = 'acknowledged'
     ORDER BY a.raised_at DESC, a.id DESC LIMIT 1)`.execute(trx);
  return { open: rows.find((r) => r.status === 'open'), acknowledged: rows.find((r) => r.status === 'acknowledged') };
}

export type Finding = { categoryId: string; categoryName: string; wardId: string; wardName: string; windowFrom: string; windowTo: string; observed: number; expected: number; pValue: number; caseIds: string[] };

export async function insert(trx: Executor, officeId: string, f: Finding): Promise<string> {
  const r = await trx.insertInto('insight_alerts').values({
    office_id: officeId, category_id: f.categoryId, category_name: f.categoryName, ward_id: f.wardId, ward_name: f.wardName,
    window_from: f.windowFrom, window_to: f.windowTo, observed: f.observed, expected: f.expected, p_value: f.pValue, case_ids: f.caseIds,
  }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export const refresh = (trx: Executor, officeId: string, id: string, f: Finding) =>
  trx.updateTable('insight_alerts').set({
    window_from: f.windowFrom, window_to: f.windowTo, observed: f.observed, expected: f.expected, p_value: f.pValue, case_ids: f.caseIds, updated_at: sql`now()`,
  }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const acknowledge = (trx: Executor, officeId: string, id: string, by: { userId: string | null; label: string; note: string | null }) =>
  trx.updateTable('insight_alerts').set({
    status: 'acknowledged', acknowledged_at: sql`now()`, acknowledged_by: by.userId, acknowledged_by_label: by.label, note: by.note,
  }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const reopen = (trx: Executor, officeId: string, id: string) =>
  trx.updateTable('insight_alerts').set({ status: 'open', acknowledged_at: null, acknowledged_by: null, acknowledged_by_label: null, note: null })
    .where('office_id', '=', officeId).where('id', '=', id).execute();

export const openAlertOf = async (trx: Executor, officeId: string, categoryId: string, wardId: string): Promise<string | undefined> =>
  (await trx.selectFrom('insight_alerts').select('id').where('office_id', '=', officeId).where('category_id', '=', categoryId).where('ward_id', '=', wardId).where('status', '=', 'open').executeTakeFirst())?.id;

export type ClusterCaseRow = { id: string; reference: string; subject: string; status: string; created_at: Date; lat: number | null; lng: number | null; is_sensitive: boolean };

export const clusterCases = async (db: Executor, officeId: string, ids: string[]): Promise<ClusterCaseRow[]> =>
  ids.length === 0 ? [] : db.selectFrom('cases').select(['id', 'reference', 'subject', 'status', 'created_at', 'lat', 'lng', 'is_sensitive'])
    .where('office_id', '=', officeId).where('id', 'in', ids).orderBy('created_at').orderBy('id').execute();
