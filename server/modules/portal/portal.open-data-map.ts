// The open data page's map, drawn on the server as an SVG (no script, no tiles: the portal
// may run offline): the office's ward outlines and its open public reports, in an
// equirectangular projection fitted to the wards' box (else the reports' box). Few reports
// are drawn one dot each; many are counted per grid cell and drawn as circles whose area
// grows with the count, so the SVG stays small at any number of reports. Pure.
import type { PolygonGeometry } from '../../../contract/geo.js';

export type Box = { west: number; south: number; east: number; north: number };
export type Projection = { width: number; height: number; x(lng: number): number; y(lat: number): number };

/** Widest the map is drawn (SVG units; the page scales it to the screen). */
export const MAP_WIDTH = 640;
/** Tallest it is drawn. */
export const MAP_HEIGHT = 640;
const PAD = 8;
/** Up to this many reports are drawn one dot each; more are counted per cell. */
export const POINT_LIMIT = 400;
/** Cells across the map's width when reports are counted per cell. */
export const GRID_COLUMNS = 40;
/** Most vertices drawn per ward ring (longer rings are thinned). */
const RING_POINTS = 300;

const round1 = (v: number) => Math.round(v * 10) / 10;
/** Degrees to 4 decimals (about 11 metres): positions are never published more exactly. */
export const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** A box that is not a line or a point (a single report still gets a map around it). */
export function padded(box: Box): Box {
  const dx = Math.max(box.east - box.west, 0.002);
  const dy = Math.max(box.north - box.south, 0.002);
  const cx = (box.west + box.east) / 2;
  const cy = (box.south + box.north) / 2;
  return { west: cx - dx / 2, east: cx + dx / 2, south: cy - dy / 2, north: cy + dy / 2 };
}

/** Equirectangular, longitudes shrunk by the cosine of the box's middle latitude, fitted within MAP_WIDTH × MAP_HEIGHT. */
export function projection(box: Box): Projection {
  const k = Math.cos((((box.south + box.north) / 2) * Math.PI) / 180);
  const dx = (box.east - box.west) * k;
  const dy = box.north - box.south;
  const scale = Math.min((MAP_WIDTH - 2 * PAD) / dx, (MAP_HEIGHT - 2 * PAD) / dy);
  return {
    width: Math.round(dx * scale + 2 * PAD), height: Math.round(dy * scale + 2 * PAD),
    x: (lng) => round1(PAD + (lng - box.west) * k * scale),
    y: (lat) => round1(PAD + (box.north - lat) * scale),
  };
}

/** The SVG path of a polygon or multipolygon: rings thinned, repeated points dropped. */
export function pathOf(g: PolygonGeometry, p: Projection): string {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const parts: string[] = [];
  for (const ring of polygons.flat()) {
    const step = Math.ceil(ring.length / RING_POINTS);
    const out: string[] = [];
    ring.forEach((pos, i) => {
      if (i % step !== 0 && i !== ring.length - 1) return;
      const xy = `${p.x(pos[0]!)} ${p.y(pos[1]!)}`;
      if (out.at(-1) !== xy) out.push(xy);
    });
    if (out.length >= 3) parts.push(`M${out.join('L')}Z`);
  }
  return parts.join('');
}

/** The grid reports are counted in: square cells on the map, GRID_COLUMNS across. */
export function gridOf(box: Box): Box & { lng: number; lat: number } {
  const lng = (box.east - box.west) / GRID_COLUMNS;
  const lat = lng * Math.cos((((box.south + box.north) / 2) * Math.PI) / 180);
  return { ...box, lng, lat };
}

export type Mark = { x: number; y: number; r: number; count: number };

/** A dot per report, or a circle per cell whose area is proportional to its count (3 to 14 units across). */
export function marksOf(spots: { lng: number; lat: number; n: number }[], p: Projection): Mark[] {
  const most = Math.max(1, ...spots.map((s) => s.n));
  return spots.map((s) => ({
    x: p.x(s.lng), y: p.y(s.lat), count: s.n,
    r: s.n === 1 && most === 1 ? 4 : round1(3 + 11 * Math.sqrt(s.n / most)),
  })).sort((a, b) => b.r - a.r);
}
