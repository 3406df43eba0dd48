// Cases as points on a map, clustered on the server: the case list's filters, the map's view
// and zoom in; a grid of cells about 60 screen pixels wide at that zoom out, each cell either
// its single case or a cluster (count, mean position, the bounding box of its cases). Sensitive
// cases appear only for those cleared to see them, and each one shown alone is logged as read.
import type { MapPoints, MapPointsQuery } from '../../../contract/insights.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { filtersOf } from '../cases/cases.search.js';
import { logSensitiveRead, type Viewer } from '../cases/cases.service.js';
import * as repo from './insights.points-repo.js';

/** Most features one answer carries; a view that would need more gets a coarser grid. */
export const MAX_MAP_FEATURES = 2000;
/** A cell's width on screen, in pixels of a 256-pixel tile. */
const CELL_PIXELS = 60;

/** The view's edges, checked: 400 on `bbox` for anything that is not a real west,south,east,north box. */
export function parseBbox(bbox: string): repo.View {
  const [west, south, east, north] = bbox.split(',').map(Number) as [number, number, number, number];
  const refuse = (message: string) => new DomainError('validation_failed', { field: 'bbox', message });
  if (west < -180 || east > 180) throw refuse('longitudes must be between -180 and 180');
  if (south < -90 || north > 90) throw refuse('latitudes must be between -90 and 90');
  if (west >= east) throw refuse('west must be less than east (a view across the antimeridian is sent as two)');
  if (south >= north) throw refuse('south must be less than north');
  return { west, south, east, north };
}

/** Cells of `cell` degrees (grid anchored at 0,0) that the view touches. */
const cellsTouched = (v: repo.View, cell: number) =>
  (Math.floor(v.east / cell) - Math.floor(v.west / cell) + 1) * (Math.floor(v.north / cell) - Math.floor(v.south / cell) + 1);

/**
 * The grid's cell size in degrees: about 60 pixels at this zoom, doubled until the view
 * touches at most MAX_MAP_FEATURES cells (a huge view at a high zoom stays bounded).
 */
export function cellSize(view: repo.View, zoom: number): number {
  let cell = (360 / 2 ** zoom) * (CELL_PIXELS / 256);
  while (cellsTouched(view, cell) > MAX_MAP_FEATURES) cell *= 2;
  return cell;
}

export async function points(scope: Scope, viewer: Viewer, query: MapPointsQuery): Promise<MapPoints> {
  const { bbox, zoom, ...listQuery } = query;
  const view = parseBbox(bbox);
  const filters = await filtersOf(scope, viewer, listQuery);
  if (!filters) return { type: 'FeatureCollection', total: 0, features: [] };
  const rows = await repo.cells(scope.db, scope.officeId, filters, view, cellSize(view, zoom));
  const shownAlone = rows.filter((r) => r.n === 1 && r.is_sensitive).map((r) => ({ id: r.id!, reference: r.reference! }));
  if (shownAlone.length) await logSensitiveRead(scope.db, scope, shownAlone, 'map');
  return {
    type: 'FeatureCollection',
    total: rows.reduce((sum, r) => sum + r.n, 0),
    features: rows.map((r) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [r.lng, r.lat] as [number, number] },
      properties: r.n === 1
        ? { cluster: false as const, caseId: r.id!, reference: r.reference!, subject: r.subject!, status: r.status!, categoryName: r.category_name }
        : { cluster: true as const, count: r.n, bbox: [r.west, r.south, r.east, r.north] as [number, number, number, number] },
    })),
  };
}
