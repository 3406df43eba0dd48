// SQL of the insights module: the dirty queue, facts, rollups, item days, and the reads the
// figures are made from. Every function takes the office id explicitly.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { COUNTERS, MEASURE_SHIFT, type CaseInput, type Fact, type HistogramRow } from './insights.facts.js';
import type { CoverPart } from './insights.days.js';
import { rollUpMapCells } from './insights.points-repo.js';

const rows = async <T>(db: Executor, q: RawBuilder<T>): Promise<T[]> => (await q.execute(db)).rows;

/** One refresh of an office at a time (deltas are read-modify-write); false when another holds it. */
export const tryLockOffice = async (db: Executor, officeId: string): Promise<boolean> =>
  (await rows(db, sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${`civitas.insights:${officeId}`})) AS ok`))[0]!.ok;
export const lockOffice = (db: Executor, officeId: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.insights:${officeId}`}))`.execute(db);

/**
 * Takes (deletes) up to `limit` marks. The batch is picked once, in a materialised CTE: as
 * `case_id IN (SELECT … LIMIT …)` the planner may run the subquery again per row it deletes
 * (seen with fresh statistics on an empty queue), and then LIMIT no longer bounds the batch.
 */
export const takeDirty = async (db: Executor, officeId: string, limit: number): Promise<string[]> =>
  (await rows(db, sql<{ case_id: string }>`
    WITH batch AS MATERIALIZED (
      SELECT case_id FROM insight_dirty_cases WHERE office_id = ${officeId} ORDER BY case_id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    DELETE FROM insight_dirty_cases d USING batch WHERE d.office_id = ${officeId} AND d.case_id = batch.case_id
    RETURNING d.case_id`)).map((r) => r.case_id);

/** Dirty cases waiting, counted up to `cap`. */
export const pendingCount = async (db: Executor, officeId: string, cap: number): Promise<number> =>
  (await rows(db, sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM insight_dirty_cases WHERE office_id = ${officeId} LIMIT ${cap}) x`))[0]!.n;

/** Clears the queue's dead rows (VACUUM cannot run in a transaction). */
export const vacuumQueue = (db: Executor) => sql`VACUUM (ANALYZE) insight_dirty_cases`.execute(db);

export const markAllDirty = (db: Executor, officeId: string) =>
  sql`INSERT INTO insight_dirty_cases (office_id, case_id) SELECT office_id, id FROM cases WHERE office_id = ${officeId} ON CONFLICT DO NOTHING`.execute(db);

export async function clearSummaries(db: Executor, officeId: string): Promise<void> {
  for (const table of ['insight_case_facts', 'insight_counts', 'insight_histograms', 'insight_map_cells', 'insight_item_days', 'insight_item_handlers', 'insight_dirty_items']) {
    await sql`DELETE FROM ${sql.table(table)} WHERE office_id = ${officeId}`.execute(db);
  }
  await sql`UPDATE insight_office_state SET items_through = NULL WHERE office_id = ${officeId}`.execute(db);
}

export const loadCases = (db: Executor, officeId: string, ids: string[]) => rows(db, sql<CaseInput>`
  SELECT c.id, c.created_at, c.category_id, c.team_id, c.assignee_id, c.channel, c.ward_id, c.requester_id, c.resolved_at, c.closed_at,
    c.first_responded_at, c.first_response_due_at, c.resolution_due_at, c.status, c.lat, c.lng, c.is_sensitive,
    (SELECT min(r.resolved_at) FROM insight_case_reopens r WHERE r.office_id = c.office_id AND r.case_id = c.id) AS first_reopened_resolution,
    CASE WHEN c.requester_id IS NULL THEN NULL ELSE EXISTS (
      SELECT 1 FROM cases e WHERE e.office_id = c.office_id AND e.requester_id = c.requester_id AND (e.created_at < c.created_at OR (e.created_at = c.created_at AND e.id < c.id))
    ) END AS is_returning,
    cr.score AS rating, cr.rated_at
  FROM cases c LEFT JOIN case_ratings cr ON cr.office_id = c.office_id AND cr.case_id = c.id
  WHERE c.office_id = ${officeId} AND c.id = ANY(${ids}::uuid[])`);

/** Cases whose new-or-returning flag may change with these requesters: each one's first case, and those counted as new. */
export const requesterNeighbours = async (db: Executor, officeId: string, requesters: string[]): Promise<string[]> =>
  (await rows(db, sql<{ id: string }>`
    (SELECT DISTINCT ON (requester_id) id FROM cases WHERE office_id = ${officeId} AND requester_id = ANY(${requesters}::uuid[]) ORDER BY requester_id, created_at, id)
    UNION
    SELECT case_id FROM insight_case_facts WHERE office_id = ${officeId} AND requester_id = ANY(${requesters}::uuid[]) AND is_returning = false`)).map((r) => r.id);

/** Every column of a fact with its SQL type: the one list loadFacts and saveFacts are built from. */
const FACT_FIELDS: readonly (readonly [keyof Fact, string])[] = [
  ['case_id', 'uuid'], ['created_day', 'date'], ['first_response_day', 'date'], ['resolved_day', 'date'], ['rating_day', 'date'],
  ['category_id', 'uuid'], ['team_id', 'uuid'], ['assignee_id', 'uuid'], ['channel', 'text'], ['ward_id', 'uuid'], ['requester_id', 'uuid'],
  ['is_returning', 'boolean'], ['fr_calendar', 'int'], ['fr_business', 'int'], ['res_calendar', 'int'], ['res_business', 'int'],
  ['fr_met', 'boolean'], ['res_met', 'boolean'], ['is_reopened', 'boolean'], ['rating', 'smallint'],
  ['status', 'text'], ['lat', 'float8'], ['lng', 'float8'], ['is_sensitive', 'boolean'],
];
// Days travel as YYYY-MM-DD text, as facts hold them.
const FACT_SELECT = sql.raw(FACT_FIELDS.map(([c, t]) => (t === 'date' ? `to_char(${c}, 'YYYY-MM-DD') AS ${c}` : c)).join(', '));
const FACT_INSERT = sql.raw(FACT_FIELDS.map(([c]) => c).join(', '));
const FACT_UPDATE = sql.raw(FACT_FIELDS.filter(([c]) => c !== 'case_id').map(([c]) => `${c} = EXCLUDED.${c}`).join(', '));

export const loadFacts = (db: Executor, officeId: string, ids: string[]) =>
  rows(db, sql<Fact>`SELECT ${FACT_SELECT} FROM insight_case_facts WHERE office_id = ${officeId} AND case_id = ANY(${ids}::uuid[])`);

export async function saveFacts(db: Executor, officeId: string, facts: Fact[]): Promise<void> {
  if (facts.length === 0) return;
  const arrays = sql.join(FACT_FIELDS.map(([c, t]) => sql`${facts.map((f) => f[c])}::${sql.raw(t)}[]`));
  await sql`
    INSERT INTO insight_case_facts (office_id, ${FACT_INSERT})
    SELECT ${officeId}::uuid, * FROM unnest(${arrays})
    ON CONFLICT (office_id, case_id) DO UPDATE SET ${FACT_UPDATE}`.execute(db);
}

/** Facts and reopen records of cases that no longer exist. */
export async function forgetCases(db: Executor, officeId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`DELETE FROM insight_case_facts WHERE office_id = ${officeId} AND case_id = ANY(${ids}::uuid[])`.execute(db);
  await sql`DELETE FROM insight_case_reopens WHERE office_id = ${officeId} AND case_id = ANY(${ids}::uuid[])`.execute(db);
}

export async function applyCounts(db: Executor, officeId: string, deltas: { dimension: string; grain: string; period: string; key: string; values: number[] }[]): Promise<void> {
  if (deltas.length === 0) return;
  const arrays = COUNTERS.map((_, i) => sql`${deltas.map((d) => d.values[i]!)}::int[]`);
  const names = sql.raw(COUNTERS.join(', '));
  const updates = sql.raw(COUNTERS.map((c) => `${c} = insight_counts.${c} + EXCLUDED.${c}`).join(', '));
  await sql`
    INSERT INTO insight_counts (office_id, dimension, grain, period, key, ${names})
    SELECT ${officeId}::uuid, * FROM unnest(${deltas.map((d) => d.dimension)}::text[], ${deltas.map((d) => d.grain)}::text[], ${deltas.map((d) => d.period)}::date[],
      ${deltas.map((d) => d.key)}::text[], ${sql.join(arrays)})
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (office_id, dimension, grain, period, key) DO UPDATE SET ${updates}`.execute(db);
  // Rows a change emptied (a merged category, a deleted case) go, so a rebuild makes the same rows.
  if (deltas.some((d) => d.values.some((v) => v < 0))) await deleteEmptied(db, officeId, 'insight_counts', deltas, sql.raw(COUNTERS.map((c) => `t.${c} = 0`).join(' AND ')));
}

/**
 * Adds each row's sparse delta to its histogram row, all rows in one statement: the deltas go
 * in flattened (row number, bin, count), are regrouped per row, and an existing row is summed
 * with insight_histogram_add. Rows left empty are removed, so reads meet only rows with data.
 */
export async function applyHistograms(db: Executor, officeId: string, deltas: HistogramRow[]): Promise<void> {
  if (deltas.length === 0) return;
  const row: number[] = [];
  const bins: number[] = [];
  const counts: number[] = [];
  deltas.forEach((d, i) => d.bins.forEach((b, j) => (row.push(i + 1), bins.push(b), counts.push(d.counts[j]!))));
  await sql`
    INSERT INTO insight_histograms (office_id, dimension, grain, period, key, bins, counts)
    SELECT ${officeId}::uuid, r.dimension, r.grain, r.period, r.key, x.bins, x.counts
    FROM unnest(${deltas.map((x) => x.dimension)}::text[], ${deltas.map((x) => x.grain)}::text[], ${deltas.map((x) => x.period)}::date[], ${deltas.map((x) => x.key)}::text[])
      WITH ORDINALITY AS r(dimension, grain, period, key, i)
    JOIN (SELECT i, array_agg(bin ORDER BY bin) AS bins, array_agg(n ORDER BY bin) AS counts
          FROM unnest(${row}::bigint[], ${bins}::smallint[], ${counts}::int[]) AS u(i, bin, n) GROUP BY i) AS x ON x.i = r.i
    ORDER BY 2, 3, 4, 5
    ON CONFLICT (office_id, dimension, grain, period, key) DO UPDATE SET (bins, counts) =
      (SELECT m.bins, m.counts FROM insight_histogram_add(insight_histograms.bins, insight_histograms.counts, EXCLUDED.bins, EXCLUDED.counts) AS m)`.execute(db);
  if (deltas.some((x) => x.counts.some((n) => n < 0))) await deleteEmptied(db, officeId, 'insight_histograms', deltas, sql`cardinality(t.bins) = 0`);
}

/** Removes the rows among those just changed that hold nothing any more (looked up by key, not scanned). */
async function deleteEmptied(db: Executor, officeId: string, table: string, keys: { dimension: string; grain: string; period: string; key: string }[], empty: RawBuilder<unknown>): Promise<void> {
  await sql`
    DELETE FROM ${sql.table(table)} AS t
    USING unnest(${keys.map((x) => x.dimension)}::text[], ${keys.map((x) => x.grain)}::text[], ${keys.map((x) => x.period)}::date[], ${keys.map((x) => x.key)}::text[]) AS x(dimension, grain, period, key)
    WHERE t.office_id = ${officeId} AND t.dimension = x.dimension AND t.grain = x.grain AND t.period = x.period AND t.key = x.key AND ${empty}`.execute(db);
}

// ---------------------------------------------------------------- office state

export type OfficeState = { refreshed_at: Date | null; items_through: Date | null; time_zone: string | null; rebuilding: boolean };

export const officeState = async (db: Executor, officeId: string): Promise<OfficeState | undefined> =>
  (await rows(db, sql<OfficeState>`SELECT refreshed_at, items_through, time_zone, rebuilding FROM insight_office_state WHERE office_id = ${officeId}`))[0];

export const saveOfficeState = (db: Executor, officeId: string, values: Partial<OfficeState>) => sql`
  INSERT INTO insight_office_state (office_id, refreshed_at, items_through, time_zone, rebuilding)
  VALUES (${officeId}, ${values.refreshed_at ?? null}, ${values.items_through ?? null}, ${values.time_zone ?? null}, ${values.rebuilding ?? false})
  ON CONFLICT (office_id) DO UPDATE SET
    refreshed_at = ${'refreshed_at' in values ? sql`EXCLUDED.refreshed_at` : sql`insight_office_state.refreshed_at`},
    items_through = ${'items_through' in values ? sql`EXCLUDED.items_through` : sql`insight_office_state.items_through`},
    time_zone = ${'time_zone' in values ? sql`EXCLUDED.time_zone` : sql`insight_office_state.time_zone`},
    rebuilding = ${'rebuilding' in values ? sql`EXCLUDED.rebuilding` : sql`insight_office_state.rebuilding`}`.execute(db);

// ---------------------------------------------------------------- set-based rollups (rebuild)

/** The SQL twin of binOf() in insights.histogram.ts (facts hold whole, non-negative minutes); a test keeps them equal. */
export const SQL_BIN = (v: string) => `CASE WHEN ${v} < 64 THEN ${v} ELSE 64 + floor(ln(${v} / 64.0) / ln(1.02) + 1e-9)::int END`;

const DIMENSION_VALUES = `(VALUES ('none', ''), ('category', coalesce(f.category_id::text, '')), ('team', coalesce(f.team_id::text, '')),
  ('assignee', coalesce(f.assignee_id::text, '')), ('channel', f.channel), ('ward', coalesce(f.ward_id::text, ''))) AS d(dimension, key)`;

/** One VALUES row per event a fact contributes, with every counter (0 where it does not apply). */
function eventValues(): string {
  const row = (day: string, set: Partial<Record<(typeof COUNTERS)[number], string>>) => `(${day}, ${COUNTERS.map((c) => set[c] ?? '0').join(', ')})`;
  const flag = (cond: string) => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;
  return `(VALUES ${[
    row('f.created_day', { opened: '1', new_requesters: flag('f.is_returning = false'), returning_requesters: flag('f.is_returning') }),
    row('f.first_response_day', { first_responses: '1', fr_targets: flag('f.fr_met IS NOT NULL'), fr_met: flag('f.fr_met') }),
    row('f.resolved_day', { resolved: '1', reopened: flag('f.is_reopened'), res_targets: flag('f.res_met IS NOT NULL'), res_met: flag('f.res_met') }),
    row('f.rating_day', {
      ratings: flag('f.rating IS NOT NULL'), rating_sum: 'coalesce(f.rating, 0)', rating_1: flag('f.rating = 1'), rating_2: flag('f.rating = 2'),
      rating_3: flag('f.rating = 3'), rating_4: flag('f.rating = 4'), rating_5: flag('f.rating = 5'),
    }),
  ].join(', ')}) AS e(day, ${COUNTERS.join(', ')})`;
}

/** Each coarser grain made from a finer one (rollUpAll): weeks and months from days, quarters from months, years from quarters. */
const COARSER_GRAINS = [['w', 'd', 'week'], ['m', 'd', 'month'], ['q', 'm', 'quarter'], ['y', 'q', 'year']] as const;

/**
 * Makes an office's counters, histograms and map cells from all its facts (the end of a rebuild): the
 * daily rows from the facts, then each coarser grain from a finer one (COARSER_GRAINS).
 */
export async function rollUpAll(db: Executor, officeId: string): Promise<void> {
  await sql`DELETE FROM insight_counts WHERE office_id = ${officeId}`.execute(db);
  await sql`DELETE FROM insight_histograms WHERE office_id = ${officeId}`.execute(db);
  await sql`
    INSERT INTO insight_counts (office_id, dimension, grain, period, key, ${sql.raw(COUNTERS.join(', '))})
    SELECT ${officeId}::uuid, d.dimension, 'd', e.day, d.key, ${sql.raw(COUNTERS.map((c) => `sum(e.${c})`).join(', '))}
    FROM insight_case_facts f CROSS JOIN LATERAL ${sql.raw(DIMENSION_VALUES)} CROSS JOIN LATERAL ${sql.raw(eventValues())}
    WHERE f.office_id = ${officeId} AND e.day IS NOT NULL AND (e.opened + e.first_responses + e.resolved + e.ratings) > 0
    GROUP BY 2, 4, 5`.execute(db);
  for (const [grain, from, unit] of COARSER_GRAINS) {
    await sql`
      INSERT INTO insight_counts (office_id, dimension, grain, period, key, ${sql.raw(COUNTERS.join(', '))})
      SELECT office_id, dimension, ${grain}, date_trunc(${unit}, period)::date, key, ${sql.raw(COUNTERS.map((c) => `sum(${c})`).join(', '))}
      FROM insight_counts WHERE office_id = ${officeId} AND grain = ${from} GROUP BY 1, 2, 4, 5`.execute(db);
  }
  await sql`
    INSERT INTO insight_histograms (office_id, dimension, grain, period, key, bins, counts)
    SELECT ${officeId}::uuid, dimension, 'd', day, key, array_agg(code ORDER BY code), array_agg(n ORDER BY code)
    FROM (SELECT d.dimension, e.day, d.key, (e.measure * ${MEASURE_SHIFT} + ${sql.raw(SQL_BIN('e.v'))})::smallint AS code, count(*)::int AS n
      FROM insight_case_facts f CROSS JOIN LATERAL ${sql.raw(DIMENSION_VALUES)}
        CROSS JOIN LATERAL (VALUES (0, f.first_response_day, f.fr_calendar), (1, f.first_response_day, f.fr_business),
          (2, f.resolved_day, f.res_calendar), (3, f.resolved_day, f.res_business)) AS e(measure, day, v)
      WHERE f.office_id = ${officeId} AND e.day IS NOT NULL AND e.v IS NOT NULL
      GROUP BY 1, 2, 3, 4) AS b
    GROUP BY dimension, day, key`.execute(db);
  for (const [grain, from, unit] of COARSER_GRAINS) {
    await sql`
      INSERT INTO insight_histograms (office_id, dimension, grain, period, key, bins, counts)
      SELECT ${officeId}::uuid, dimension, ${grain}, period, key, array_agg(code ORDER BY code), array_agg(n ORDER BY code)
      FROM (SELECT h.dimension, date_trunc(${unit}, h.period)::date AS period, h.key, u.code, sum(u.n)::int AS n
        FROM insight_histograms h CROSS JOIN LATERAL unnest(h.bins, h.counts) AS u(code, n)
        WHERE h.office_id = ${officeId} AND h.grain = ${from} GROUP BY 1, 2, 3, 4) AS b
      GROUP BY dimension, period, key`.execute(db);
  }
  await rollUpMapCells(db, officeId);
  // Fresh statistics: the planner otherwise reads a year by (office, dimension) alone from
  // stale ones and scans every period (measured: 147 ms against 2 ms for a year's counters).
  await sql`ANALYZE insight_counts, insight_histograms, insight_case_facts, insight_map_cells`.execute(db);
}

/**
 * Offices the refresh job has to visit: a dirty case, a rebuild under way, a new time zone, or
 * item activity since the watermark (the same test freshen() makes before a read). An office
 * whose summaries are current is skipped, so an idle installation costs one query a minute.
 */
export const officesWithWork = async (db: Executor, lateCommitMs: number): Promise<string[]> =>
  (await rows(db, sql<{ id: string }>`
    SELECT o.id FROM offices o LEFT JOIN insight_office_state s ON s.office_id = o.id
    WHERE EXISTS (SELECT 1 FROM insight_dirty_cases d WHERE d.office_id = o.id)
      OR s.rebuilding OR s.time_zone IS DISTINCT FROM o.time_zone AND s.office_id IS NOT NULL
      OR ${itemWork(sql`o.id`, sql`coalesce(s.items_through - make_interval(secs => ${lateCommitMs / 1000}), '-infinity')`)}
    ORDER BY o.id`)).map((r) => r.id);

// ---------------------------------------------------------------- inbound items

/**
 * Handled automatically: triage set the category by a rule or the model and nobody later chose
 * another one, or triage sent an approved reply by itself. Spam is never counted as handled.
 */
const AUTOMATIC = sql`(NOT d.spam AND ((d.category_source IN ('rule', 'model') AND (d.corrected_category_id IS NULL OR d.corrected_category_id = d.applied_category_id))
  OR d.auto_reply->>'sent' = 'true'))`;

/** Office-local days whose item figures may have changed since `since` (items, decisions, filings, corrections). */
export async function touchedItemDays(db: Executor, officeId: string, timeZone: string, since: Date): Promise<string[]> {
  const day = (col: string) => sql.raw(`to_char((${col} AT TIME ZONE '${timeZone.replace(/'/g, "''")}')::date, 'YYYY-MM-DD')`);
  const r = await rows(db, sql<{ day: string }>`
    SELECT ${day('i.received_at')} AS day FROM inbound_items i WHERE i.office_id = ${officeId} AND i.received_at >= ${since}
    UNION SELECT ${day('i.received_at')} FROM triage_decisions d JOIN inbound_items i ON i.office_id = d.office_id AND i.id = d.inbound_item_id
      WHERE d.office_id = ${officeId} AND d.created_at >= ${since}
    UNION SELECT ${day('e.occurred_at')} FROM events e WHERE e.office_id = ${officeId} AND e.entity_type = 'inbound_item' AND e.action = 'filed' AND e.actor_type = 'user' AND e.occurred_at >= ${since}`);
  // Corrections marked by the trigger: taken (deleted) and their days recounted in this transaction.
  const corrected = await rows(db, sql<{ day: string }>`
    WITH x AS (DELETE FROM insight_dirty_items WHERE office_id = ${officeId} RETURNING inbound_item_id)
    SELECT DISTINCT ${day('i.received_at')} AS day FROM x JOIN inbound_items i ON i.office_id = ${officeId} AND i.id = x.inbound_item_id`);
  return [...new Set([...r, ...corrected].map((x) => x.day))].sort();
}

/** Whether anything item-related may have changed since `since`: items received, triage decided, filings by staff, or corrections marked. */
const itemWork = (officeId: RawBuilder<unknown>, since: RawBuilder<unknown>) => sql<boolean>`(
  EXISTS (SELECT 1 FROM inbound_items WHERE office_id = ${officeId} AND received_at >= ${since})
  OR EXISTS (SELECT 1 FROM triage_decisions WHERE office_id = ${officeId} AND created_at >= ${since})
  OR EXISTS (SELECT 1 FROM events e WHERE e.office_id = ${officeId} AND e.entity_type = 'inbound_item' AND e.action = 'filed' AND e.actor_type = 'user' AND e.occurred_at >= ${since})
  OR EXISTS (SELECT 1 FROM insight_dirty_items WHERE office_id = ${officeId}))`;

/** Read only: freshen() asks this before writing. */
export const itemWorkSince = async (db: Executor, officeId: string, since: Date): Promise<boolean> =>
  (await rows(db, sql<{ yes: boolean }>`SELECT ${itemWork(sql`${officeId}::uuid`, sql`${since}::timestamptz`)} AS yes`))[0]!.yes;

/** Figure reads are short, planned-once aggregates: JIT compiling them costs more than it saves. PGlite has the setting too (no JIT built in). */
export const jitOff = (db: Executor) => sql`SET LOCAL jit = off`.execute(db);

/** Recounts items and filings of whole office-local days (all days when `days` is null). Idempotent. */
export async function recountItemDays(db: Executor, officeId: string, timeZone: string, days: string[] | null, window: { from: Date; to: Date } | null): Promise<void> {
  const tz = timeZone.replace(/'/g, "''");
  const itemDay = sql.raw(`(i.received_at AT TIME ZONE '${tz}')::date`);
  const eventDay = sql.raw(`(e.occurred_at AT TIME ZONE '${tz}')::date`);
  const onDays = (col: RawBuilder<unknown>) => (days ? sql`AND ${col} = ANY(${days}::date[])` : sql``);
  const inWindow = (col: string) => (window ? sql`AND ${sql.ref(col)} >= ${window.from} AND ${sql.ref(col)} < ${window.to}` : sql``);
  await sql`DELETE FROM insight_item_days WHERE office_id = ${officeId} ${days ? sql`AND day = ANY(${days}::date[])` : sql``}`.execute(db);
  await sql`DELETE FROM insight_item_handlers WHERE office_id = ${officeId} ${days ? sql`AND day = ANY(${days}::date[])` : sql``}`.execute(db);
  await sql`
    INSERT INTO insight_item_days (office_id, day, channel, items, automatic)
    SELECT ${officeId}::uuid, ${itemDay}, i.channel, count(*), count(*) FILTER (WHERE ${AUTOMATIC})
    FROM inbound_items i LEFT JOIN triage_decisions d ON d.office_id = i.office_id AND d.inbound_item_id = i.id
    WHERE i.office_id = ${officeId} ${inWindow('i.received_at')} ${onDays(itemDay)}
    GROUP BY 2, 3`.execute(db);
  await sql`
    INSERT INTO insight_item_handlers (office_id, day, user_id, items)
    SELECT ${officeId}::uuid, ${eventDay}, e.actor_id, count(DISTINCT e.entity_id)
    FROM events e WHERE e.office_id = ${officeId} AND e.entity_type = 'inbound_item' AND e.action = 'filed' AND e.actor_type = 'user' AND e.actor_id IS NOT NULL
      ${inWindow('e.occurred_at')} ${onDays(eventDay)}
    GROUP BY 2, 3`.execute(db);
}

// ---------------------------------------------------------------- reads

/** The rows of a range in a grain-split table (insights.days.ts coverRange). */
function inCover(cover: CoverPart[]): RawBuilder<unknown> {
  return sql`(${sql.join(cover.map((p) => sql`(grain = ${p.grain} AND period BETWEEN ${p.from}::date AND ${p.to}::date)`), sql` OR `)})`;
}

export type CountRow = { key: string } & Record<(typeof COUNTERS)[number], number>;

export const sumCounts = (db: Executor, officeId: string, dimension: string, cover: CoverPart[]) => rows(db, sql<CountRow>`
  SELECT key, ${sql.raw(COUNTERS.map((c) => `sum(${c})::int AS ${c}`).join(', '))}
  FROM insight_counts WHERE office_id = ${officeId} AND dimension = ${dimension} AND ${inCover(cover)} GROUP BY key`);

/** Opened cases and new/returning requesters per key and day (daily grain), for the trend series. */
export const dailyOpened = (db: Executor, officeId: string, dimension: string, from: string, to: string) => rows(db, sql<{ key: string; day: string; opened: number; new_requesters: number; returning_requesters: number }>`
  SELECT key, to_char(period, 'YYYY-MM-DD') AS day, opened, new_requesters, returning_requesters
  FROM insight_counts WHERE office_id = ${officeId} AND dimension = ${dimension} AND grain = 'd' AND period BETWEEN ${from}::date AND ${to}::date
    AND (opened <> 0 OR new_requesters <> 0 OR returning_requesters <> 0)`);

/** Codes run below this: 4 measures of 1,024 bins (insights.facts.ts histogramCode). */
export const CODE_SPACE = 4 * MEASURE_SHIFT;

/**
 * The histogram rows of a range merged per key: counts indexed by bin code (measure * 1024 +
 * bin). The rows come in PostgreSQL's binary array format (array_send) and are summed here:
 * measured at a million cases, a year by category (1,900 rows, 470,000 bins) took 60 ms this
 * way against 210 ms for unnest … GROUP BY in SQL, and PostgreSQL's text arrays are slower
 * still to parse.
 */
export async function mergedHistograms(db: Executor, officeId: string, dimension: string, cover: CoverPart[]): Promise<Map<string, Int32Array>> {
  const merged = new Map<string, Int32Array>();
  const found = await rows(db, sql<{ key: string; bins: Uint8Array; counts: Uint8Array }>`
    SELECT key, array_send(bins) AS bins, array_send(counts) AS counts FROM insight_histograms
    WHERE office_id = ${officeId} AND dimension = ${dimension} AND ${inCover(cover)}`);
  for (const row of found) {
    let acc = merged.get(row.key);
    if (!acc) merged.set(row.key, (acc = new Int32Array(CODE_SPACE)));
    const codes = intArrayOf(row.bins);
    const counts = intArrayOf(row.counts);
    for (let i = 0; i < codes.length; i++) acc[codes[i]!]! += counts[i]!;
  }
  return merged;
}

/** The elements of a one-dimensional smallint or int array in PostgreSQL's binary format (array_send). */
export function intArrayOf(bytes: Uint8Array): Int32Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Header: dimensions, has-nulls flag, element type; then size and lower bound per dimension.
  const dims = v.getInt32(0);
  if (dims === 0) return new Int32Array(0);
  if (dims !== 1) throw new Error(`expected a one-dimensional array, got ${dims} dimensions`);
  const out = new Int32Array(v.getInt32(12));
  let at = 20;
  for (let i = 0; i < out.length; i++) {
    const len = v.getInt32(at);
    at += 4;
    if (len === 2) out[i] = v.getInt16(at);
    else if (len === 4) out[i] = v.getInt32(at);
    else throw new Error(`unexpected array element of ${len} bytes`);
    at += len;
  }
  return out;
}

const FACT_KEY: Record<string, string> = {
  none: `''`, category: `coalesce(category_id::text, '')`, team: `coalesce(team_id::text, '')`, assignee: `coalesce(assignee_id::text, '')`, channel: 'channel', ward: `coalesce(ward_id::text, '')`,
};

export type ExactRow = { key: string; measure: number; count: number; median: number | null; p90: number | null };

/** Exact medians and 90th percentiles (percentile_cont) from the facts of a range of days. */
export function exactDurations(db: Executor, officeId: string, dimension: string, from: string, to: string): Promise<ExactRow[]> {
  const key = sql.raw(FACT_KEY[dimension]!);
  const stat = (measure: number, col: string) => sql`SELECT ${key} AS key, ${measure}::int AS measure, count(${sql.ref(col)})::int AS count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY ${sql.ref(col)}) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${sql.ref(col)}) AS p90`;
  return rows(db, sql<ExactRow>`
    ${stat(0, 'fr_calendar')} FROM insight_case_facts WHERE office_id = ${officeId} AND first_response_day BETWEEN ${from}::date AND ${to}::date GROUP BY 1
    UNION ALL ${stat(1, 'fr_business')} FROM insight_case_facts WHERE office_id = ${officeId} AND first_response_day BETWEEN ${from}::date AND ${to}::date GROUP BY 1
    UNION ALL ${stat(2, 'res_calendar')} FROM insight_case_facts WHERE office_id = ${officeId} AND resolved_day BETWEEN ${from}::date AND ${to}::date GROUP BY 1
    UNION ALL ${stat(3, 'res_business')} FROM insight_case_facts WHERE office_id = ${officeId} AND resolved_day BETWEEN ${from}::date AND ${to}::date GROUP BY 1`);
}

export const itemsByDay = (db: Executor, officeId: string, from: string, to: string) => rows(db, sql<{ day: string; channel: string; items: number; automatic: number }>`
  SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, items, automatic FROM insight_item_days WHERE office_id = ${officeId} AND day BETWEEN ${from}::date AND ${to}::date`);

export const itemsHandledBy = (db: Executor, officeId: string, from: string, to: string) => rows(db, sql<{ user_id: string; items: number }>`
  SELECT user_id, sum(items)::int AS items FROM insight_item_handlers WHERE office_id = ${officeId} AND day BETWEEN ${from}::date AND ${to}::date GROUP BY user_id`);

/**
 * Open cases now (not resolved, not closed) per key: by age since opening (whole 24-hour days,
 * to the moment) and overdue as the case list counts it (insight_open_cases keeps the case
 * list's OVERDUE_AT as overdue_at). Read from the narrow table the cases' triggers keep, so
 * exact and current, and a scan of the open cases only.
 */
export async function openCases(db: Executor, officeId: string, dimension: string, now: Date) {
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const [d3, d8, d31, d91] = [ago(3), ago(8), ago(31), ago(91)];
  // Grouped by the raw column and the bounds passed as values: casting every row's key to text,
  // or working out now - interval per row and filter, took most of the time at 100,000 open cases.
  return rows(db, sql<{ key: string; open: number; a0: number; a3: number; a8: number; a31: number; a91: number; overdue: number }>`
    SELECT coalesce(k::text, '') AS key, open, a0, a3, a8, a31, a91, overdue FROM (
      SELECT ${sql.raw(OPEN_COLUMN[dimension]!)} AS k, count(*)::int AS open,
        (count(*) FILTER (WHERE created_at > ${d3}))::int AS a0,
        (count(*) FILTER (WHERE created_at <= ${d3} AND created_at > ${d8}))::int AS a3,
        (count(*) FILTER (WHERE created_at <= ${d8} AND created_at > ${d31}))::int AS a8,
        (count(*) FILTER (WHERE created_at <= ${d31} AND created_at > ${d91}))::int AS a31,
        (count(*) FILTER (WHERE created_at <= ${d91}))::int AS a91,
        (count(*) FILTER (WHERE overdue_at < ${now}))::int AS overdue
      FROM insight_open_cases WHERE office_id = ${officeId} GROUP BY 1) s`);
}

/** The column of insight_open_cases each breakdown groups by (none: one group). */
const OPEN_COLUMN: Record<string, string> = { none: 'NULL::text', category: 'category_id', team: 'team_id', assignee: 'assignee_id', channel: 'channel', ward: 'ward_id' };

export type OpenLoad = { key: string; open: number; overdue: number };

/** Open cases now and overdue ones per assignee and per team, in one pass over the open cases (workload). */
export async function openLoad(db: Executor, officeId: string, now: Date): Promise<{ assignee: OpenLoad[]; team: OpenLoad[] }> {
  const found = await rows(db, sql<OpenLoad & { by: 'assignee' | 'team' }>`
    SELECT CASE WHEN grouping(assignee_id) = 0 THEN 'assignee' ELSE 'team' END AS by,
      coalesce((CASE WHEN grouping(assignee_id) = 0 THEN assignee_id ELSE team_id END)::text, '') AS key,
      count(*)::int AS open, (count(*) FILTER (WHERE overdue_at < ${now}))::int AS overdue
    FROM insight_open_cases WHERE office_id = ${officeId} GROUP BY GROUPING SETS ((assignee_id), (team_id))`);
  const pick = (by: string) => found.filter((r) => r.by === by).map(({ key, open, overdue }) => ({ key, open, overdue }));
  return { assignee: pick('assignee'), team: pick('team') };
}

// ---------------------------------------------------------------- labels

export const categoryNames = (db: Executor, officeId: string) =>
  rows(db, sql<{ id: string; parent_id: string | null; name: string }>`SELECT id, parent_id, name FROM categories WHERE office_id = ${officeId}`);
export const teamNames = (db: Executor, officeId: string) => rows(db, sql<{ id: string; name: string }>`SELECT id, name FROM teams WHERE office_id = ${officeId}`);
export const userNames = (db: Executor, officeId: string) =>
  rows(db, sql<{ id: string; name: string; status: string }>`SELECT id, display_name AS name, status FROM users WHERE office_id = ${officeId}`);
export const wardNames = (db: Executor, officeId: string) => rows(db, sql<{ id: string; name: string }>`SELECT id, name FROM boundaries WHERE office_id = ${officeId}`);
export const teamMembers = (db: Executor, officeId: string) => rows(db, sql<{ team_id: string; user_id: string }>`SELECT team_id, user_id FROM team_members WHERE office_id = ${officeId}`);
export const layerBoundaries = (db: Executor, officeId: string, layer: string) => rows(db, sql<{ id: string; code: string; name: string; geometry: unknown }>`
  SELECT id, code, name, geometry FROM boundaries WHERE office_id = ${officeId} AND layer = ${layer} AND retired_at IS NULL ORDER BY name, id`);
