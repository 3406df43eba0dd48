// SQL for the case map: the cases the case list's filters find inside a view, grouped on a
// grid anchored at 0,0 (so a cluster stays put while the map pans). One row per occupied
// cell; a cell of one case carries that case's own fields.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { where, type Filters } from '../cases/cases.search-repo.js';

export type View = { west: number; south: number; east: number; north: number };

export type CellRow = {
  n: number;
  lng: number;
  lat: number;
  west: number;
  south: number;
  east: number;
  north: number;
  /** Only for a cell of one case. */
  id: string | null;
  reference: string | null;
  subject: string | null;
  status: string | null;
  category_name: string | null;
  is_sensitive: boolean | null;
};

/** The occupied cells of `cell` degrees inside the view (cases_located serves the range). */
export async function cells(db: Executor, officeId: string, filters: Filters, view: View, cell: number): Promise<CellRow[]> {
  const conditions = where(officeId, filters);
  conditions.push(sql`c.lat BETWEEN ${view.south}::float8 AND ${view.north}::float8`, sql`c.lng BETWEEN ${view.west}::float8 AND ${view.east}::float8`);
  const r = await sql<CellRow>`WITH g AS (
      SELECT count(*)::int AS n, avg(c.lng) AS lng, avg(c.lat) AS lat,
        min(c.lng) AS west, min(c.lat) AS south, max(c.lng) AS east, max(c.lat) AS north, min(c.id::text) AS one
      FROM cases c
      WHERE ${sql.join(conditions, sql` AND `)}
      GROUP BY floor(c.lng / ${cell}::float8), floor(c.lat / ${cell}::float8))
    SELECT g.n, g.lng, g.lat, g.west, g.south, g.east, g.north,
      c.id, c.reference, c.subject, c.status, cat.name AS category_name, c.is_sensitive
    FROM g
    LEFT JOIN cases c ON g.n = 1 AND c.office_id = ${officeId} AND c.id = g.one::uuid
    LEFT JOIN categories cat ON cat.office_id = c.office_id AND cat.id = c.category_id
    ORDER BY g.n DESC, g.lng, g.lat`.execute(db);
  return r.rows;
}
