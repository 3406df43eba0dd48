// Checking GeoJSON boundary files: each feature must be a Polygon or MultiPolygon of closed
// rings of positions inside the world whose edges do not cross. Problems are reported per
// feature with a field path (features.12.geometry) and a reason a person can act on.
import Flatbush from 'flatbush';
import type { PolygonGeometry } from '../../../contract/geo.js';

export type Position = [number, number];
export type Ring = Position[];
export type BBox = [minLng: number, minLat: number, maxLng: number, maxLat: number];
export type FieldIssue = { field: string; message: string };
export type ParsedFeature = { index: number; code: string; name: string; geometry: PolygonGeometry; bbox: BBox };

export const MAX_FEATURES = 20_000;
const MAX_ISSUES = 100;

/** Where to find a feature's code and name. */
export type PropertyChoice = { codeProperty?: string | undefined; nameProperty?: string | undefined };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);

/** Thrown inside one feature's check; becomes that feature's issue. */
class GeometryProblem extends Error {}

function position(raw: unknown, where: string): Position {
  if (!Array.isArray(raw) || raw.length < 2 || raw.length > 4) throw new GeometryProblem(`${where} is not a [longitude, latitude] position`);
  const [lng, lat] = raw as unknown[];
  if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) {
    throw new GeometryProblem(`${where} does not hold two numbers`);
  }
  if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
    throw new GeometryProblem(`${where} (${fmt(lng)}, ${fmt(lat)}) is outside the world: longitude must be within ±180 and latitude within ±90 (is the file in WGS84?)`);
  }
  return [lng, lat];
}

/** A closed ring of at least four positions; consecutive repeated positions are dropped. */
function ring(raw: unknown, where: string): Ring {
  if (!Array.isArray(raw)) throw new GeometryProblem(`${where} is not an array of positions`);
  const out: Ring = [];
  raw.forEach((p, k) => {
    const pos = position(p, `position ${k} of ${where}`);
    const last = out[out.length - 1];
    if (!last || last[0] !== pos[0] || last[1] !== pos[1]) out.push(pos);
  });
  const first = out[0];
  const last = out[out.length - 1];
  if (!first || !last || out.length < 2 || first[0] !== last[0] || first[1] !== last[1]) {
    throw new GeometryProblem(`${where} is not closed: its last position must repeat its first`);
  }
  if (out.length < 4) throw new GeometryProblem(`${where} has fewer than 3 distinct corners`);
  return out;
}

function polygon(raw: unknown, where: string): Ring[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new GeometryProblem(`${where || 'the polygon'} has no rings`);
  const rings = raw.map((r, k) => ring(r, `${where}ring ${k}${k > 0 ? ' (a hole)' : ''}`));
  const crossing = findCrossing(rings);
  if (crossing) {
    const [a, b, at] = crossing;
    const what = a === b ? `${where}ring ${a} crosses itself` : `${where}ring ${b} crosses ring ${a}`;
    throw new GeometryProblem(`${what} near (${fmt(at[0])}, ${fmt(at[1])}): a boundary must not self-intersect`);
  }
  return rings;
}

/** Parses one feature's geometry; throws GeometryProblem with the reason. */
export function parseGeometry(raw: unknown): PolygonGeometry {
  if (!isObject(raw)) throw new GeometryProblem('is missing');
  if (raw.type !== 'Polygon' && raw.type !== 'MultiPolygon') {
    throw new GeometryProblem(`must be a Polygon or MultiPolygon, not ${typeof raw.type === 'string' ? raw.type : 'a geometry without a type'}`);
  }
  if (raw.type === 'Polygon') return { type: 'Polygon', coordinates: polygon(raw.coordinates, '') };
  if (!Array.isArray(raw.coordinates) || raw.coordinates.length === 0) throw new GeometryProblem('the MultiPolygon has no polygons');
  return { type: 'MultiPolygon', coordinates: raw.coordinates.map((p, k) => polygon(p, `polygon ${k}, `)) };
}

export function bboxOf(g: PolygonGeometry): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polys) {
    for (const [lng, lat] of poly[0] ?? []) {
      if (lng! < b[0]) b[0] = lng!;
      if (lat! < b[1]) b[1] = lat!;
      if (lng! > b[2]) b[2] = lng!;
      if (lat! > b[3]) b[3] = lat!;
    }
  }
  return b;
}

// ---------------------------------------------------------------- self-intersection

const orient = (o: Position, a: Position, b: Position) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
const within = (a: Position, b: Position, p: Position) =>
  Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

type Contact = { kind: 'cross'; at: Position } | { kind: 'touch'; at: Position } | { kind: 'overlap'; at: Position };

/** How two segments meet, if they do. */
export function contact(p1: Position, p2: Position, q1: Position, q2: Position): Contact | null {
  const d1 = orient(q1, q2, p1);
  const d2 = orient(q1, q2, p2);
  const d3 = orient(p1, p2, q1);
  const d4 = orient(p1, p2, q2);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return { kind: 'cross', at: [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])] };
  }
  if (d1 === 0 && d2 === 0) {
    // Collinear: they overlap along a stretch if more than one point is shared.
    const shared = [p1, p2].filter((p) => within(q1, q2, p)).concat([q1, q2].filter((q) => within(p1, p2, q)));
    const distinct = shared.filter((p, k) => shared.findIndex((o) => same(o, p)) === k);
    if (distinct.length >= 2) return { kind: 'overlap', at: distinct[0]! };
    return distinct.length === 1 ? { kind: 'touch', at: distinct[0]! } : null;
  }
  if (d1 === 0 && within(q1, q2, p1)) return { kind: 'touch', at: p1 };
  if (d2 === 0 && within(q1, q2, p2)) return { kind: 'touch', at: p2 };
  if (d3 === 0 && within(p1, p2, q1)) return { kind: 'touch', at: q1 };
  if (d4 === 0 && within(p1, p2, q2)) return { kind: 'touch', at: q2 };
  return null;
}

/**
 * The first place where the rings of one polygon cross: a ring crossing or touching itself
 * away from neighbouring edges, a spike doubling back along its own edge, or two rings
 * crossing or overlapping (a hole may touch its shell at a point). A spatial index over the
 * segments keeps this near-linear for rings of many thousands of positions.
 */
export function findCrossing(rings: Ring[]): [ringA: number, ringB: number, at: Position] | null {
  const segs: { r: number; k: number; n: number }[] = [];
  for (let r = 0; r < rings.length; r++) for (let k = 0; k < rings[r]!.length - 1; k++) segs.push({ r, k, n: rings[r]!.length - 1 });
  const index = new Flatbush(segs.length);
  for (const s of segs) {
    const a = rings[s.r]![s.k]!;
    const b = rings[s.r]![s.k + 1]!;
    index.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
  }
  index.finish();
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const p1 = rings[s.r]![s.k]!;
    const p2 = rings[s.r]![s.k + 1]!;
    for (const j of index.search(Math.min(p1[0], p2[0]), Math.min(p1[1], p2[1]), Math.max(p1[0], p2[0]), Math.max(p1[1], p2[1]))) {
      if (j <= i) continue;
      const t = segs[j]!;
      const c = contact(p1, p2, rings[t.r]![t.k]!, rings[t.r]![t.k + 1]!);
      if (!c) continue;
      if (s.r === t.r) {
        const adjacent = t.k === s.k + 1 || (s.k === 0 && t.k === s.n - 1);
        // Neighbouring edges share a corner; only doubling back along each other is wrong.
        if (adjacent && c.kind !== 'overlap') continue;
        return [s.r, t.r, c.at];
      }
      if (c.kind !== 'touch') return [s.r, t.r, c.at];
    }
  }
  return null;
}

// ---------------------------------------------------------------- features and properties

const CODE_KEYS = ['code', 'id', 'ref'];
const NAME_KEYS = ['name', 'label', 'title'];

function pick(props: Record<string, unknown>, chosen: string | undefined, defaults: string[], onsSuffix: RegExp): { key: string; value: unknown } | null {
  if (chosen !== undefined) return chosen in props ? { key: chosen, value: props[chosen] } : null;
  const keys = Object.keys(props);
  for (const d of defaults) {
    const key = keys.find((k) => k.toLowerCase() === d);
    if (key !== undefined && props[key] != null && props[key] !== '') return { key, value: props[key] };
  }
  // ONS boundary files name them like WD22CD / WD22NM.
  const ons = keys.find((k) => onsSuffix.test(k));
  return ons !== undefined ? { key: ons, value: props[ons] } : null;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

function codeAndName(f: Record<string, unknown>, i: number, choice: PropertyChoice): { code: string; name: string } {
  const props = isObject(f.properties) ? f.properties : {};
  const c = pick(props, choice.codeProperty, CODE_KEYS, /^[A-Z]{2,5}\d{2}CD$/);
  const code = c ? text(c.value) : choice.codeProperty === undefined ? text(f.id) : '';
  if (!code) {
    const looked = choice.codeProperty !== undefined ? `"${choice.codeProperty}"` : `${CODE_KEYS.join(', ')} or the feature id`;
    const has = Object.keys(props).slice(0, 12).join(', ') || 'none';
    throw new FeatureProblem(`features.${i}.properties`, `has no code (looked for ${looked}; its properties are: ${has}); choose the property that holds the code`);
  }
  if (code.length > 100) throw new FeatureProblem(`features.${i}.properties.${c?.key ?? 'id'}`, 'the code is longer than 100 characters');
  const n = pick(props, choice.nameProperty, NAME_KEYS, /^[A-Z]{2,5}\d{2}NM$/);
  if (choice.nameProperty !== undefined && !n) throw new FeatureProblem(`features.${i}.properties`, `has no property "${choice.nameProperty}"`);
  const name = (n ? text(n.value) : '') || code;
  if (name.length > 200) throw new FeatureProblem(`features.${i}.properties.${n?.key ?? 'name'}`, 'the name is longer than 200 characters');
  return { code, name };
}

class FeatureProblem extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** Checks a FeatureCollection; returns the parsed features or every problem found (up to 100). */
export function parseFeatureCollection(input: unknown, choice: PropertyChoice = {}): { features: ParsedFeature[]; issues: FieldIssue[] } {
  if (!isObject(input)) return { features: [], issues: [{ field: '', message: 'must be a GeoJSON object' }] };
  if (input.type !== 'FeatureCollection') return { features: [], issues: [{ field: 'type', message: `must be "FeatureCollection" (got ${JSON.stringify(input.type ?? null)})` }] };
  if (!Array.isArray(input.features)) return { features: [], issues: [{ field: 'features', message: 'must be an array of features' }] };
  if (input.features.length === 0) return { features: [], issues: [{ field: 'features', message: 'has no features' }] };
  if (input.features.length > MAX_FEATURES) return { features: [], issues: [{ field: 'features', message: `has more than ${MAX_FEATURES} features` }] };
  const features: ParsedFeature[] = [];
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  input.features.forEach((f: unknown, i: number) => {
    if (issues.length >= MAX_ISSUES) return;
    try {
      if (!isObject(f) || f.type !== 'Feature') throw new FeatureProblem(`features.${i}`, 'is not a GeoJSON Feature');
      let geometry: PolygonGeometry;
      try {
        geometry = parseGeometry(f.geometry);
      } catch (err) {
        if (err instanceof GeometryProblem) throw new FeatureProblem(`features.${i}.geometry`, err.message);
        throw err;
      }
      const { code, name } = codeAndName(f, i, choice);
      const first = seen.get(code);
      if (first !== undefined) throw new FeatureProblem(`features.${i}.properties`, `repeats the code "${code}" of feature ${first}`);
      seen.set(code, i);
      features.push({ index: i, code, name, geometry, bbox: bboxOf(geometry) });
    } catch (err) {
      if (!(err instanceof FeatureProblem)) throw err;
      issues.push({ field: err.field, message: err.message });
    }
  });
  return { features, issues };
}
