// Cases as points on a map, clustered on the server: the case list's filters, the map's view
// and zoom in; a grid of cells about 60 screen pixels wide at that zoom out, each cell the view
// touches either its single case or a cluster (count, mean position, the cell's bounds). A whole
// cell is counted even where the view cuts it, so a cluster keeps its count while the map pans.
// The cells come from the summary when it is current and has keys for the filters (a city's
// view at millions of cases), else from the cases. Sensitive cases appear only for those
// cleared to see them, and each one shown alone is logged as read.
import type { MapPoints, MapPointsQuery } from '../../../contract/insights.js';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import type { Filters } from '../cases/cases.search-repo.js';
import { filtersOf } from '../cases/cases.search.js';
import { logSensitiveRead, type Viewer } from '../cases/cases.service.js';
import { summariesCurrent } from './insights.service.js';
import { cellAt } from './insights.map-cells.js';
import * as repo from './insights.points-repo.js';
import * as insightsRepo from './insights.repo.js';

/** The map's view in degrees. */
export type View = { west: number; south: number; east: number; north: number };

/** Most features one answer carries; a view that would need more gets a coarser grid. */
export const MAX_MAP_FEATURES = 2000;

/** The view's edges, checked: 400 on `bbox` for anything that is not a real west,south,east,north box. */
export function parseBbox(bbox: string): View {
  const [west, south, east, north] = bbox.split(',').map(Number) as [number, number, number, number];
  const refuse = (message: string) => new DomainError('validation_failed', { field: 'bbox', message });
  if (west < -180 || east > 180) throw refuse('longitudes must be between -180 and 180');
  if (south < -90 || north > 90) throw refuse('latitudes must be between -90 and 90');
  if (west >= east) throw refuse('west must be less than east (a view across the antimeridian is sent as two)');
  if (south >= north) throw refuse('south must be less than north');
  return { west, south, east, north };
}

/** Cells of `cell` degrees (grid anchored at 0,0) that the view touches. */
const cellsTouched = (v: View, cell: number) =>
  (Math.floor(v.east / cell) - Math.floor(v.west / cell) + 1) * (Math.floor(v.north / cell) - Math.floor(v.south / cell) + 1);

/**
 * The grid's cell size in degrees: about 60 pixels at this zoom, doubled until the view
 * touches at most MAX_MAP_FEATURES cells (a huge view at a high zoom stays bounded).
 */
export function cellSize(view: View, zoom: number): number {
  let cell = cellAt(zoom);
  while (cellsTouched(view, cell) > MAX_MAP_FEATURES) cell *= 2;
  return cell;
}

/** The cells of `cell` degrees the view touches. */
const rangeOf = (v: View, cell: number): repo.CellRange => ({
  cell, cx0: Math.floor(v.west / cell), cx1: Math.floor(v.east / cell), cy0: Math.floor(v.south / cell), cy1: Math.floor(v.north / cell),
});

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Runs `fn` on one snapshot of the database (REPEATABLE READ), or in the caller's transaction. */
const snapshot = <T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().setIsolationLevel('repeatable read').execute(fn);

/**
 * The cells from the summary, or null when it may miss a change: pending changes are folded in
 * first, then the check that nothing is pending and the reads share one snapshot, so a case
 * changed in between (marked sensitive, say) is either in the summary or sends the map to the cases.
 */
async function fromSummary(scope: Scope, filters: Filters, range: repo.CellRange): Promise<repo.CellRow[] | null> {
  if (!(await summariesCurrent(scope.db, scope.officeId))) return null;
  return snapshot(scope.db, async (trx) => {
    const state = await insightsRepo.officeState(trx, scope.officeId);
    const current = state && !state.rebuilding && (await insightsRepo.pendingCount(trx, scope.officeId, 1)) === 0;
    return current ? repo.summaryCells(trx, scope.officeId, filters, range) : null;
  });
}

/** Which source the cells came from (tests and the bench compare them). */
export type Source = 'summary' | 'cases';

export async function points(scope: Scope, viewer: Viewer, query: MapPointsQuery): Promise<MapPoints> {
  return (await pointsFrom(scope, viewer, query)).map;
}

/** The map and where its cells came from: `source` forces one (tests and the bench compare them). */
export async function pointsFrom(scope: Scope, viewer: Viewer, query: MapPointsQuery, opts: { source?: Source } = {}): Promise<{ map: MapPoints; source: Source }> {
  const { bbox, zoom, ...listQuery } = query;
  const view = parseBbox(bbox);
  const filters = await filtersOf(scope, viewer, listQuery);
  if (!filters) return { map: { type: 'FeatureCollection', total: 0, features: [] }, source: 'cases' };
  const range = rangeOf(view, cellSize(view, zoom));
  if (opts.source === 'summary' && !repo.summaryServes(filters, range)) throw new Error('the map summary has no cells for these filters or this zoom');
  let rows: repo.CellRow[] | null = null;
  if (opts.source === 'summary') rows = await snapshot(scope.db, (trx) => repo.summaryCells(trx, scope.officeId, filters, range));
  else if (opts.source === undefined && repo.summaryServes(filters, range)) rows = await fromSummary(scope, filters, range);
  const source: Source = rows ? 'summary' : 'cases';
  rows ??= await repo.cells(scope.db, scope.officeId, filters, range);
  const shownAlone = rows.filter((r) => r.n === 1 && r.is_sensitive).map((r) => ({ id: r.id!, reference: r.reference! }));
  if (shownAlone.length) await logSensitiveRead(scope.db, scope, shownAlone, 'map');
  const { cell } = range;
  const map: MapPoints = {
    type: 'FeatureCollection',
    total: rows.reduce((sum, r) => sum + r.n, 0),
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [r.lng, r.lat] as [number, number] },
      properties: r.n === 1
        ? { cluster: false as const, caseId: r.id!, reference: r.reference!, subject: r.subject!, status: r.status!, categoryName: r.category_name }
        : {
          cluster: true as const, count: r.n,
          bbox: [clamp(r.cx * cell, -180, 180), clamp(r.cy * cell, -90, 90), clamp((r.cx + 1) * cell, -180, 180), clamp((r.cy + 1) * cell, -90, 90)] as [number, number, number, number],
        },
    })),
  };
  return { map, source };
}
