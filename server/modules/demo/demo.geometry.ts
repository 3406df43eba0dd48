// Geometry of the fictional demo district: ward polygons and point-in-polygon. The wards
// are a jittered grid whose shared edges are wiggled by midpoint displacement, so that
// neighbouring wards meet exactly, with no gaps or overlaps. Built in a local kilometre
// frame and projected to WGS84 at the end, so the wiggles look the same in every direction.

export type Position = [lng: number, lat: number];
export type Ring = Position[];
export type BBox = { minLng: number; minLat: number; maxLng: number; maxLat: number };
export type WardShape = { code: string; name: string; ring: Ring; bbox: BBox };
/** A GeoJSON Polygon or MultiPolygon, as stored in `boundaries.geometry`. */
export type PolygonGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

// Somewhere in the English Midlands; the district itself is invented.
const ORIGIN = { lng: -1.335, lat: 52.415 };
const COLS = 5;
const ROWS = 4;
const CELL_KM = 2.1;
const KM_PER_DEG_LAT = 110.57;
const KM_PER_DEG_LNG = 111.32 * Math.cos((ORIGIN.lat * Math.PI) / 180);

/** Small seeded PRNG (mulberry32): the district is fixed and must not depend on faker. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const project = ([x, y]: Position): Position => [
  Math.round((ORIGIN.lng + x / KM_PER_DEG_LNG) * 1e6) / 1e6,
  Math.round((ORIGIN.lat + y / KM_PER_DEG_LAT) * 1e6) / 1e6,
];

// Midpoint displacement: each level pushes the midpoint sideways by up to `amp` of the
// segment's length, less at each finer level, which keeps the line inside a narrow cone.
function wiggle(a: Position, b: Position, rand: () => number, depth: number, amp: number): Position[] {
  if (depth === 0) return [a, b];
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const off = (rand() * 2 - 1) * amp;
  const m: Position = [a[0] + dx / 2 - dy * off, a[1] + dy / 2 + dx * off];
  return [...wiggle(a, m, rand, depth - 1, amp * 0.6), ...wiggle(m, b, rand, depth - 1, amp * 0.6).slice(1)];
}

type DirectedEdge = { points: Position[]; reversed: boolean };
type Cell = { i: number; j: number; edges: DirectedEdge[] };

function ringOf(edges: DirectedEdge[]): Ring {
  const ring: Ring = [];
  for (const e of edges) {
    const pts = e.reversed ? [...e.points].reverse() : e.points;
    ring.push(...(ring.length ? pts.slice(1) : pts));
  }
  return ring; // the last edge ends where the first began, so the ring is closed
}

// Two counter-clockwise cells sharing an edge: walk one without the shared edge, then the
// other without it (it runs the opposite way there), and the result is their union.
function mergeCells(a: Cell, b: Cell): Cell {
  const ia = a.edges.findIndex((e) => b.edges.some((f) => f.points === e.points));
  const ib = b.edges.findIndex((f) => f.points === a.edges[ia]!.points);
  const rest = (c: Cell, k: number) => [...c.edges.slice(k + 1), ...c.edges.slice(0, k)];
  return { i: a.i, j: a.j, edges: [...rest(a, ia), ...rest(b, ib)] };
}

function tryBuild(rand: () => number, names: readonly string[]): WardShape[] {
  const vertex: Position[][] = [];
  for (let i = 0; i <= COLS; i++) {
    vertex[i] = [];
    for (let j = 0; j <= ROWS; j++) vertex[i]![j] = [(i + (rand() - 0.5) * 0.44) * CELL_KM, (j + (rand() - 0.5) * 0.44) * CELL_KM];
  }
  const edge = (a: Position, b: Position) => wiggle(a, b, rand, 4, 0.14).map(project);
  const h = vertex.slice(0, COLS).map((col, i) => col.map((v, j) => edge(v, vertex[i + 1]![j]!)));
  const v = vertex.map((col) => col.slice(0, ROWS).map((p, j) => edge(p, col[j + 1]!)));
  let cells: Cell[] = [];
  for (let j = 0; j < ROWS; j++) {
    for (let i = 0; i < COLS; i++) {
      cells.push({
        i,
        j,
        edges: [
          { points: h[i]![j]!, reversed: false },
          { points: v[i + 1]![j]!, reversed: false },
          { points: h[i]![j + 1]!, reversed: true },
          { points: v[i]![j]!, reversed: true },
        ],
      });
    }
  }
  // An irregular outline: drop two opposite corners and one more cell on the edge.
  const onEdge = (c: Cell) => c.i === 0 || c.j === 0 || c.i === COLS - 1 || c.j === ROWS - 1;
  const corners = rand() < 0.5 ? [[0, 0], [COLS - 1, ROWS - 1]] : [[COLS - 1, 0], [0, ROWS - 1]];
  cells = cells.filter((c) => !corners.some(([i, j]) => c.i === i && c.j === j));
  const edgeCells = cells.filter(onEdge);
  const dropped = edgeCells[Math.floor(rand() * edgeCells.length)]!;
  cells = cells.filter((c) => c !== dropped);
  // Uneven ward sizes: merge a few disjoint pairs of neighbours.
  for (let merges = 0, tries = 0; merges < 3 && tries < 100; tries++) {
    const a = cells[Math.floor(rand() * cells.length)]!;
    const b = cells.find((c) => c !== a && Math.abs(c.i - a.i) + Math.abs(c.j - a.j) === 1 && c.edges.length === 4);
    if (!b || a.edges.length !== 4) continue;
    cells = cells.filter((c) => c !== a && c !== b).concat(mergeCells(a, b));
    merges++;
  }
  cells.sort((a, b) => b.j - a.j || a.i - b.i); // number wards from the north-west
  return cells.map((c, k) => {
    const ring = ringOf(c.edges);
    return { code: `RVS${String(k + 1).padStart(2, '0')}`, name: names[k] ?? `Ward ${k + 1}`, ring, bbox: bboxOf([ring]) };
  });
}

/** The district's wards, always the same: the demo district is one fixed place. */
export function buildWards(names: readonly string[], seed = 20_26): WardShape[] {
  for (let attempt = 0; attempt < 100; attempt++) {
    const wards = tryBuild(mulberry32(seed + attempt), names);
    if (wards.every((w) => isSimpleRing(w.ring) && signedArea(w.ring) > 0)) return wards;
  }
  throw new Error('could not build valid ward geometry');
}

export function bboxOf(rings: Ring[]): BBox {
  const b = { minLng: Infinity, minLat: Infinity, maxLng: -Infinity, maxLat: -Infinity };
  for (const ring of rings) {
    for (const [lng, lat] of ring) {
      b.minLng = Math.min(b.minLng, lng);
      b.minLat = Math.min(b.minLat, lat);
      b.maxLng = Math.max(b.maxLng, lng);
      b.maxLat = Math.max(b.maxLat, lat);
    }
  }
  return b;
}

/** Shoelace area in square degrees: positive for a counter-clockwise ring (RFC 7946 exterior). */
export function signedArea(ring: Ring): number {
  let s = 0;
  for (let k = 0; k < ring.length - 1; k++) s += ring[k]![0] * ring[k + 1]![1] - ring[k + 1]![0] * ring[k]![1];
  return s / 2;
}

const cross = (o: Position, a: Position, b: Position) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

function segmentsIntersect(p1: Position, p2: Position, q1: Position, q2: Position): boolean {
  const d1 = cross(q1, q2, p1);
  const d2 = cross(q1, q2, p2);
  const d3 = cross(p1, p2, q1);
  const d4 = cross(p1, p2, q2);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const onSegment = (a: Position, b: Position, p: Position) =>
    Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
  return (d1 === 0 && onSegment(q1, q2, p1)) || (d2 === 0 && onSegment(q1, q2, p2)) || (d3 === 0 && onSegment(p1, p2, q1)) || (d4 === 0 && onSegment(p1, p2, q2));
}

/** A closed ring with at least 4 positions whose edges meet only at shared neighbours. */
export function isSimpleRing(ring: Ring): boolean {
  const n = ring.length - 1;
  if (n < 3 || ring[0]![0] !== ring[n]![0] || ring[0]![1] !== ring[n]![1]) return false;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (b === a + 1 || (a === 0 && b === n - 1)) continue; // neighbours share a vertex
      if (segmentsIntersect(ring[a]!, ring[a + 1]!, ring[b]!, ring[b + 1]!)) return false;
    }
  }
  return true;
}

/** Even-odd ray casting. */
export function pointInRing(lng: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let k = 0, m = ring.length - 1; k < ring.length; m = k++) {
    const [xk, yk] = ring[k]!;
    const [xm, ym] = ring[m]!;
    if (yk > lat !== ym > lat && lng < ((xm - xk) * (lat - yk)) / (ym - yk) + xk) inside = !inside;
  }
  return inside;
}

const polygonsOf = (g: PolygonGeometry): Ring[][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

export function pointInGeometry(lng: number, lat: number, g: PolygonGeometry): boolean {
  return polygonsOf(g).some(([outer, ...holes]) => !!outer && pointInRing(lng, lat, outer) && !holes.some((h) => pointInRing(lng, lat, h)));
}

/** Finds the ward containing a point, with a bounding-box check before the polygon test. */
export function wardLocator(wards: { id: string; geometry: PolygonGeometry; bbox: BBox }[]): (lng: number, lat: number) => string | null {
  return (lng, lat) => {
    for (const w of wards) {
      const b = w.bbox;
      if (lng < b.minLng || lng > b.maxLng || lat < b.minLat || lat > b.maxLat) continue;
      if (pointInGeometry(lng, lat, w.geometry)) return w.id;
    }
    return null;
  };
}

export const polygonOf = (ring: Ring): PolygonGeometry => ({ type: 'Polygon', coordinates: [ring] });

/** Moves a point by metres east and north. */
export function offsetMetres([lng, lat]: Position, east: number, north: number): Position {
  return [lng + east / 1000 / KM_PER_DEG_LNG, lat + north / 1000 / KM_PER_DEG_LAT];
}
