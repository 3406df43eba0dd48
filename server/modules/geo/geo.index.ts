// Point-in-polygon over an office's boundaries: a flatbush index of their bounding boxes
// narrows each point to a few candidates, which @turf/boolean-point-in-polygon then tests.
// Indexes are cached per office and rebuilt when the office's boundaries change (their
// version is a hash of every active boundary's id and updated_at).
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { PolygonGeometry } from '../../../contract/geo.js';
import type { Executor } from '../../platform/db/database.js';
import * as repo from './geo.repo.js';

export type IndexedBoundary = { id: string; layer: string; code: string; name: string; geometry: PolygonGeometry; bbox: [number, number, number, number] };

export class AreaIndex {
  private readonly index: Flatbush | null;

  constructor(readonly boundaries: readonly IndexedBoundary[]) {
    // Candidates are tried in (layer, code) order, so a point on a shared edge always lands
    // in the same one of the two neighbours.
    this.boundaries = [...boundaries].sort((a, b) => (a.layer === b.layer ? (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) : a.layer < b.layer ? -1 : 1));
    if (this.boundaries.length === 0) {
      this.index = null;
      return;
    }
    this.index = new Flatbush(this.boundaries.length);
    for (const b of this.boundaries) this.index.add(b.bbox[0], b.bbox[1], b.bbox[2], b.bbox[3]);
    this.index.finish();
  }

  get isEmpty(): boolean {
    return this.index === null;
  }

  /** The boundary containing the point in each layer (at most one per layer). */
  locate(lng: number, lat: number): IndexedBoundary[] {
    if (!this.index) return [];
    const candidates = this.index.search(lng, lat, lng, lat).sort((a, b) => a - b);
    const found: IndexedBoundary[] = [];
    for (const k of candidates) {
      const b = this.boundaries[k]!;
      if (found.some((f) => f.layer === b.layer)) continue;
      if (booleanPointInPolygon([lng, lat], b.geometry)) found.push(b);
    }
    return found;
  }
}

// A few offices' indexes stay in memory; geometry for a large office can be tens of MB.
const MAX_CACHED = 8;
const cache = new Map<string, { version: string; index: AreaIndex }>();

/** The office's index, rebuilt only when its boundaries changed since it was cached. */
export async function indexFor(db: Executor, officeId: string): Promise<AreaIndex> {
  const version = await repo.boundariesVersion(db, officeId);
  const hit = cache.get(officeId);
  if (hit && hit.version === version) {
    cache.delete(officeId);
    cache.set(officeId, hit); // most recently used last
    return hit.index;
  }
  const index = new AreaIndex(await repo.activeBoundaries(db, officeId));
  cache.delete(officeId);
  cache.set(officeId, { version, index });
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return index;
}
