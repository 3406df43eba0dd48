// SQL for the case map: the cases the case list's filters find in the grid cells a view
// touches, grouped per cell (grid anchored at 0,0, so a cluster stays put while the map pans).
// Two sources give the same rows: the cases themselves (any filter, any zoom), and the summary
// insight_map_cells (levels 0..16, filters on status, category, ward, team and sensitivity;
// kept by the insights refresh, insights.map-cells.ts). One row per occupied cell; a cell of one
// case carries that case's own fields.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { where, type Filters } from '../cases/cases.search-repo.js';
import { cellAt, idOfHalves, levelOf, MAP_SUMMARY_LEVELS, NONE, type MapCellRow } from './insights.map-cells.js';

/** The cells cx0..cx1 × cy0..cy1 of `cell` degrees (cx = floor(lng / cell), cy = floor(lat / cell)). */
export type CellRange = { cell: number; cx0: number; cx1: number; cy0: number; cy1: number };

export type CellRow = {
  cx: number;
  cy: number;
  n: number;
  lng: number;
  lat: number;
  /** Only for a cell of one case. */
  id: string | null;
  reference: string | null;
  subject: string | null;
  status: string | null;
  category_name: string | null;
  is_sensitive: boolean | null;
};

const rows = async <T>(db: Executor, q: RawBuilder<T>): Promise<T[]> => (await q.execute(db)).rows;

/**
 * The occupied cells, read from the cases. The index cases_located serves a range on lat a
 * hair wider than the cells; the floor() conditions are the grid's own, the summary's too.
 */
export async function cells(db: Executor, officeId: string, filters: Filters, r: CellRange): Promise<CellRow[]> {
  const conditions = where(officeId, filters);
  const cell = sql`${r.cell}::float8`;
  conditions.push(
    sql`c.lat BETWEEN ${r.cy0 * r.cell - 1e-9}::float8 AND ${(r.cy1 + 1) * r.cell + 1e-9}::float8`,
    sql`c.lng BETWEEN ${r.cx0 * r.cell - 1e-9}::float8 AND ${(r.cx1 + 1) * r.cell + 1e-9}::float8`,
    sql`floor(c.lat / ${cell}) BETWEEN ${r.cy0} AND ${r.cy1}`,
    sql`floor(c.lng / ${cell}) BETWEEN ${r.cx0} AND ${r.cx1}`,
  );
  return rows(db, sql<CellRow>`WITH g AS (
      SELECT floor(c.lng / ${cell})::int AS cx, floor(c.lat / ${cell})::int AS cy, count(*)::int AS n, avg(c.lng) AS lng, avg(c.lat) AS lat, min(c.id::text) AS one
      FROM cases c
      WHERE ${sql.join(conditions, sql` AND `)}
      GROUP BY 1, 2)
    SELECT g.cx, g.cy, g.n, g.lng, g.lat, c.id, c.reference, c.subject, c.status, cat.name AS category_name, c.is_sensitive
    FROM g
    LEFT JOIN cases c ON g.n = 1 AND c.office_id = ${officeId} AND c.id = g.one::uuid
    LEFT JOIN categories cat ON cat.office_id = c.office_id AND cat.id = c.category_id
    ORDER BY g.n DESC, g.lng, g.lat`);
}

/** The filters the summary has keys for; any other (assignee, dates, words…) is read from the cases. */
export const SUMMARY_FILTERS: readonly (keyof Filters)[] = ['statuses', 'categoryIds', 'ward', 'team', 'hideSensitive'];

export const summaryServes = (filters: Filters, r: CellRange): boolean =>
  Object.entries(filters).every(([k, v]) => v === undefined || SUMMARY_FILTERS.includes(k as keyof Filters))
  && cellAt(levelOfRange(r)) === r.cell;

const levelOfRange = (r: CellRange) => Math.min(MAP_SUMMARY_LEVELS - 1, Math.max(0, levelOf(r.cell)));

/**
 * The same rows as cells(), read from insight_map_cells (the caller makes sure it is current,
 * in the same snapshot). A cell's one case is looked up with the filters again, so it is shown
 * only if it still matches them.
 */
export async function summaryCells(db: Executor, officeId: string, filters: Filters, r: CellRange): Promise<CellRow[]> {
  const level = levelOfRange(r);
  const conditions: RawBuilder<unknown>[] = [
    sql`m.office_id = ${officeId}`, sql`m.level = ${level}`, sql`m.cx BETWEEN ${r.cx0} AND ${r.cx1}`, sql`m.cy BETWEEN ${r.cy0} AND ${r.cy1}`,
  ];
  if (filters.hideSensitive) conditions.push(sql`NOT m.is_sensitive`);
  if (filters.statuses) conditions.push(sql`m.status = ANY(${filters.statuses}::text[])`);
  if (filters.categoryIds) conditions.push(sql`m.category_id = ANY(${filters.categoryIds}::uuid[])`);
  if (filters.ward) conditions.push(sql`m.ward_id = ${filters.ward}`);
  if (filters.team !== undefined) conditions.push(sql`m.team_id = ${filters.team ?? NONE}`);
  const found = await rows(db, sql<{ cx: number; cy: number; n: number; lng: number; lat: number; id_hi: string; id_lo: string }>`
    SELECT m.cx, m.cy, sum(m.n)::int AS n, sum(m.sum_lng) / sum(m.n) AS lng, sum(m.sum_lat) / sum(m.n) AS lat,
      bit_xor(m.id_hi)::text AS id_hi, bit_xor(m.id_lo)::text AS id_lo
    FROM insight_map_cells m
    WHERE ${sql.join(conditions, sql` AND `)}
    GROUP BY m.cx, m.cy HAVING sum(m.n) > 0`);
  const ones = found.filter((f) => f.n === 1).map((f) => idOfHalves(BigInt(f.id_hi), BigInt(f.id_lo)));
  const cases = new Map((ones.length ? await rows(db, sql<{ id: string; reference: string; subject: string; status: string; category_name: string | null; is_sensitive: boolean; lng: number; lat: number }>`
    SELECT c.id, c.reference, c.subject, c.status, cat.name AS category_name, c.is_sensitive, c.lng, c.lat
    FROM cases c LEFT JOIN categories cat ON cat.office_id = c.office_id AND cat.id = c.category_id
    WHERE ${sql.join(where(officeId, filters), sql` AND `)} AND c.id = ANY(${ones}::uuid[]) AND c.lat IS NOT NULL AND c.lng IS NOT NULL`) : []).map((c) => [c.id, c]));
  const out: CellRow[] = [];
  for (const f of found) {
    const base = { cx: f.cx, cy: f.cy, n: f.n, lng: f.lng, lat: f.lat };
    if (f.n > 1) {
      out.push({ ...base, id: null, reference: null, subject: null, status: null, category_name: null, is_sensitive: null });
      continue;
    }
    const c = cases.get(idOfHalves(BigInt(f.id_hi), BigInt(f.id_lo)));
    // Not found (only if the summary was read without a snapshot of its own): left out.
    if (c) out.push({ ...base, lng: c.lng, lat: c.lat, id: c.id, reference: c.reference, subject: c.subject, status: c.status, category_name: c.category_name, is_sensitive: c.is_sensitive });
  }
  return out.sort((a, b) => b.n - a.n || a.lng - b.lng || a.lat - b.lat);
}

// ---------------------------------------------------------------- upkeep (the insights refresh)

/** Adds a batch's changes to the cell rows; rows it empties are removed, so a rebuild makes the same rows. */
export async function applyMapCells(db: Executor, officeId: string, deltas: MapCellRow[]): Promise<void> {
  if (deltas.length === 0) return;
  const col = <K extends keyof MapCellRow>(k: K) => deltas.map((d) => d[k]);
  const keys = sql`${col('level')}::smallint[], ${col('cx')}::int[], ${col('cy')}::int[], ${col('status')}::text[], ${col('category_id')}::uuid[],
    ${col('ward_id')}::uuid[], ${col('team_id')}::uuid[], ${col('is_sensitive')}::boolean[]`;
  await sql`
    INSERT INTO insight_map_cells AS t (office_id, level, cx, cy, status, category_id, ward_id, team_id, is_sensitive, n, sum_lng, sum_lat, id_hi, id_lo)
    SELECT ${officeId}::uuid, * FROM unnest(${keys}, ${col('n')}::int[], ${col('sum_lng')}::float8[], ${col('sum_lat')}::float8[],
      ${deltas.map((d) => d.id_hi.toString())}::bigint[], ${deltas.map((d) => d.id_lo.toString())}::bigint[])
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (office_id, level, cx, cy, status, category_id, ward_id, team_id, is_sensitive) DO UPDATE SET
      n = t.n + EXCLUDED.n, sum_lng = t.sum_lng + EXCLUDED.sum_lng, sum_lat = t.sum_lat + EXCLUDED.sum_lat,
      id_hi = t.id_hi # EXCLUDED.id_hi, id_lo = t.id_lo # EXCLUDED.id_lo`.execute(db);
  if (deltas.some((d) => d.n < 0)) {
    await sql`
      DELETE FROM insight_map_cells AS t
      USING unnest(${keys}) AS x(level, cx, cy, status, category_id, ward_id, team_id, is_sensitive)
      WHERE t.office_id = ${officeId} AND t.level = x.level AND t.cx = x.cx AND t.cy = x.cy AND t.status = x.status AND t.category_id = x.category_id
        AND t.ward_id = x.ward_id AND t.team_id = x.team_id AND t.is_sensitive = x.is_sensitive AND t.n = 0`.execute(db);
  }
}

/** The half of a uuid column as a signed 64-bit integer (the SQL twin of idHalves). */
const half = (col: string, from: number) => `('x' || substr(replace(${col}::text, '-', ''), ${from}, 16))::bit(64)::bigint`;
const KEY_COLUMNS = 'status, category_id, ward_id, team_id, is_sensitive';

/** Makes an office's cell rows from all its facts (the end of a rebuild): the finest level first, then each coarser from the one below. */
export async function rollUpMapCells(db: Executor, officeId: string): Promise<void> {
  const finest = MAP_SUMMARY_LEVELS - 1;
  const cell = sql`${cellAt(finest)}::float8`;
  await sql`DELETE FROM insight_map_cells WHERE office_id = ${officeId}`.execute(db);
  await sql`
    INSERT INTO insight_map_cells (office_id, level, cx, cy, ${sql.raw(KEY_COLUMNS)}, n, sum_lng, sum_lat, id_hi, id_lo)
    SELECT ${officeId}::uuid, ${finest}, floor(f.lng / ${cell})::int, floor(f.lat / ${cell})::int, f.status, coalesce(f.category_id, ${NONE}::uuid),
      coalesce(f.ward_id, ${NONE}::uuid), coalesce(f.team_id, ${NONE}::uuid), f.is_sensitive,
      count(*)::int, sum(f.lng), sum(f.lat), bit_xor(${sql.raw(half('f.case_id', 1))}), bit_xor(${sql.raw(half('f.case_id', 17))})
    FROM insight_case_facts f
    WHERE f.office_id = ${officeId} AND f.lat IS NOT NULL AND f.lng IS NOT NULL
    GROUP BY 3, 4, 5, 6, 7, 8, 9`.execute(db);
  for (let level = finest - 1; level >= 0; level--) {
    await sql`
      INSERT INTO insight_map_cells (office_id, level, cx, cy, ${sql.raw(KEY_COLUMNS)}, n, sum_lng, sum_lat, id_hi, id_lo)
      SELECT office_id, ${level}, floor(cx / 2.0)::int, floor(cy / 2.0)::int, ${sql.raw(KEY_COLUMNS)}, sum(n)::int, sum(sum_lng), sum(sum_lat), bit_xor(id_hi), bit_xor(id_lo)
      FROM insight_map_cells WHERE office_id = ${officeId} AND level = ${level + 1}
      GROUP BY 1, 3, 4, 5, 6, 7, 8, 9`.execute(db);
  }
}
