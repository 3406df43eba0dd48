// Geography: boundary layers, point-in-polygon area assignment, the address register and
// geocoding. Boundary changes enqueue the recompute of every address's areas in the same
// transaction; the registry calls assignAreas / areasFor / geocode for single addresses.
import type {
  Boundary, BoundaryMap, BoundarySummary, GeoSummary, ImportBoundaries, ImportBoundariesResult, PolygonGeometry, RegisterAddress, RemoveBoundariesResult, UnlocatedAddress,
} from '../../../contract/geo.js';
import { ZImportBoundaries } from '../../../contract/geo.js';
import type { Page } from '../../../contract/common.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Scope } from '../../platform/scope.js';
import { z } from 'zod';
import { currentGeocoder, type GeocodeInput } from './geo.geocoder.js';
import { parseFeatureCollection } from './geo.geometry.js';
import { indexFor } from './geo.index.js';
import { enqueueRecompute } from './geo.jobs.js';
import * as registerRepo from './geo.register.repo.js';
import * as repo from './geo.repo.js';

export { areasFor, assignAreas, isOutsideWards, recomputeAll, wardsFor, type Area } from './geo.areas.js';
export { importRegister } from './geo.register.js';

export type Located = { lat: number; lng: number; source: 'register' | 'geocoder' };

// ---------------------------------------------------------------- reading

function present(r: repo.BoundaryRow): BoundarySummary {
  return {
    id: r.id, layer: r.layer, code: r.code, name: r.name, bbox: repo.presentBbox(r), addressCount: r.address_count,
    updatedAt: r.updated_at.toISOString(), retiredAt: r.retired_at ? r.retired_at.toISOString() : null,
  };
}

export const listBoundaries = async (scope: Scope, filter: { layer?: string | undefined; includeRetired: boolean }): Promise<BoundarySummary[]> =>
  (await repo.listBoundaries(scope.db, scope.officeId, filter)).map(present);

export async function getBoundary(scope: Scope, id: string): Promise<Boundary> {
  const row = await repo.getBoundary(scope.db, scope.officeId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such boundary in this office' });
  return { ...present(row), geometry: row.geometry as PolygonGeometry };
}

/** The office's current wards (layer 'ward') with their shapes and boxes, without address counts (public maps). */
/** The office's current wards, from the in-memory area index (rebuilt only when its boundaries change). */
export const currentWards = async (db: Executor, officeId: string) => (await indexFor(db, officeId)).boundaries.filter((b) => b.layer === 'ward');

/** The names of the office's boundaries among `ids` (retired ones too), by id. */
export const boundaryNames = async (db: Executor, officeId: string, ids: readonly string[]): Promise<Map<string, string>> =>
  new Map((await repo.boundaryNames(db, officeId, [...new Set(ids)])).map((r) => [r.id, r.name]));

export async function boundaryMap(scope: Scope, layer: string): Promise<BoundaryMap> {
  const rows = await repo.layerGeometry(scope.db, scope.officeId, layer);
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({ type: 'Feature', id: r.id, properties: { code: r.code, name: r.name, addressCount: r.address_count }, geometry: r.geometry as PolygonGeometry })),
  };
}

export async function summary(scope: Scope): Promise<GeoSummary> {
  const s = await repo.summary(scope.db, scope.officeId);
  return { layers: s.layers, addresses: { total: s.total, unlocated: s.unlocated }, register: { addresses: s.register } };
}

export async function unlocated(scope: Scope, q: { limit: number; cursor?: string | undefined }): Promise<Page<UnlocatedAddress> & { total: number }> {
  const after = decodeCursor(q.cursor, z.tuple([z.uuid()]));
  const rows = await repo.unlocated(scope.db, scope.officeId, after?.[0], q.limit + 1);
  const { items, nextCursor } = page(rows, q.limit, (r) => [r.id]);
  const total = await repo.countUnlocated(scope.db, scope.officeId);
  return {
    items: items.map((r) => ({ id: r.id, constituentId: r.constituent_id, line1: r.line1, line2: r.line2, locality: r.locality, postcode: r.postcode })),
    nextCursor,
    total,
  };
}

export async function searchAddresses(scope: Scope, q: string, limit: number): Promise<RegisterAddress[]> {
  const rows = await registerRepo.search(scope.db, scope.officeId, q, limit);
  return rows.map((r) => ({ id: r.id, externalId: r.external_id, line1: r.line1, line2: r.line2, locality: r.locality, postcode: r.postcode, lat: r.lat, lng: r.lng }));
}

/** The register address with this external id (such as a UPRN), if the office has it. */
export async function registerAddressByExternalId(db: Executor, officeId: string, externalId: string): Promise<RegisterAddress | undefined> {
  const r = await registerRepo.byExternalId(db, officeId, externalId);
  return r ? { id: r.id, externalId: r.external_id, line1: r.line1, line2: r.line2, locality: r.locality, postcode: r.postcode, lat: r.lat, lng: r.lng } : undefined;
}

// ---------------------------------------------------------------- changing boundaries

/** Imports a layer from a GeoJSON FeatureCollection: upsert by code, remove what is gone. */
export async function importBoundaries(scope: Scope, jobs: Jobs | undefined, input: ImportBoundaries): Promise<ImportBoundariesResult> {
  const v = ZImportBoundaries.parse(input);
  if (v.geojson === undefined) throw new DomainError('validation_failed', { field: 'geojson', message: 'Attach the GeoJSON FeatureCollection' });
  const { features, issues } = parseFeatureCollection(v.geojson, { codeProperty: v.codeProperty, nameProperty: v.nameProperty });
  if (issues.length > 0) {
    const prefixed = issues.map((i) => ({ field: i.field ? `geojson.${i.field}` : 'geojson', message: i.message }));
    const first = prefixed[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new DomainError('validation_failed', { message: `${first.field}: ${first.message}${more}`, field: first.field, issues: prefixed });
  }
  return inTransaction(scope.db, async (trx) => {
    await repo.lockOffice(trx, scope.officeId);
    const before = await repo.layerBoundaries(trx, scope.officeId, v.layer);
    let created = 0;
    let changed = 0;
    for (let k = 0; k < features.length; k += 200) {
      const rows = await repo.upsertBoundaries(trx, scope.officeId, v.layer, features.slice(k, k + 200));
      created += rows.filter((r) => r.inserted).length;
      changed += rows.length;
    }
    const codes = new Set(features.map((f) => f.code));
    const gone = before.filter((b) => !codes.has(b.code) && b.retired_at === null).map((b) => b.id);
    const removal = await removeIds(trx, scope.officeId, gone);
    const anyChange = changed > 0 || gone.length > 0;
    const recomputeJobId = anyChange ? await enqueueRecompute(jobs, trx, scope.officeId) : null;
    const result: ImportBoundariesResult = {
      layer: v.layer, total: features.length, created, updated: changed - created, unchanged: features.length - changed,
      removed: removal.removed, retired: removal.retired, recomputeJobId,
    };
    await audit.record(trx, scope, { entity: 'boundary_layer', id: v.layer, action: 'imported', after: { ...result, codes: [...codes].slice(0, 500) } });
    return result;
  });
}

/** Deletes boundaries, or retires those that cases refer to; either way addresses leave them. */
async function removeIds(trx: Trx, officeId: string, ids: string[]): Promise<{ removed: number; retired: number }> {
  if (ids.length === 0) return { removed: 0, retired: 0 };
  const kept = await repo.referencedByCases(trx, officeId, ids);
  await repo.detach(trx, officeId, ids);
  const toRetire = ids.filter((id) => kept.has(id));
  const toDelete = ids.filter((id) => !kept.has(id));
  if (toRetire.length) await repo.retire(trx, officeId, toRetire);
  if (toDelete.length) await repo.remove(trx, officeId, toDelete);
  return { removed: ids.length, retired: toRetire.length };
}

export async function removeBoundary(scope: Scope, jobs: Jobs | undefined, id: string): Promise<RemoveBoundariesResult> {
  return inTransaction(scope.db, async (trx) => {
    await repo.lockOffice(trx, scope.officeId);
    const row = await repo.getBoundary(trx, scope.officeId, id);
    if (!row) throw new DomainError('not_found', { message: 'No such boundary in this office' });
    if (row.retired_at) throw new DomainError('conflict', { message: 'This boundary is already retired: cases still refer to it, so it is kept for their history' });
    const r = await removeIds(trx, scope.officeId, [id]);
    const recomputeJobId = await enqueueRecompute(jobs, trx, scope.officeId);
    await audit.record(trx, scope, { entity: 'boundary', id, action: r.retired ? 'retired' : 'deleted', before: present(row) });
    return { ...r, recomputeJobId };
  });
}

export async function removeLayer(scope: Scope, jobs: Jobs | undefined, layer: string): Promise<RemoveBoundariesResult> {
  return inTransaction(scope.db, async (trx) => {
    await repo.lockOffice(trx, scope.officeId);
    const ids = (await repo.layerBoundaries(trx, scope.officeId, layer)).filter((b) => b.retired_at === null).map((b) => b.id);
    if (ids.length === 0) throw new DomainError('not_found', { message: `This office has no boundary layer "${layer}"` });
    const r = await removeIds(trx, scope.officeId, ids);
    const recomputeJobId = await enqueueRecompute(jobs, trx, scope.officeId);
    await audit.record(trx, scope, { entity: 'boundary_layer', id: layer, action: 'deleted', after: r });
    return { ...r, recomputeJobId };
  });
}

/** Asks for every address's areas to be recomputed (after a bulk change of coordinates, say). */
export async function requestRecompute(scope: Scope, jobs: Jobs | undefined): Promise<{ recomputeJobId: string | null }> {
  return inTransaction(scope.db, async (trx) => {
    const recomputeJobId = await enqueueRecompute(jobs, trx, scope.officeId);
    await audit.record(trx, scope, { entity: 'boundary_layer', id: '*', action: 'recompute_requested', after: { recomputeJobId } });
    return { recomputeJobId };
  });
}

// ---------------------------------------------------------------- geocoding

/** Below this trigram similarity a register address is not taken for the one asked about. */
export const FUZZY_THRESHOLD = 0.5;

// House and flat numbers ("12", "12a", "flat 3") must agree for a fuzzy match to count: a
// typo in the street is forgiven, the house next door is not the same address.
const numbers = (key: string) => (key.match(/\b\d+[a-z]?\b/g) ?? []).sort().join(' ');

/** Coordinates for an address without them: the address register first, then the configured geocoder. */
export async function geocode(db: Executor, officeId: string, address: { line1: string; line2?: string | null; locality?: string | null; postcode?: string | null }): Promise<Located | null> {
  const line1 = address.line1?.trim();
  if (!line1) return null;
  const a = { line1, line2: address.line2?.trim() || null, postcode: address.postcode?.trim() || null };
  const exact = await registerRepo.exactMatch(db, officeId, a);
  if (exact) return { lat: exact.lat, lng: exact.lng, source: 'register' };
  if (a.postcode) {
    const candidates = await registerRepo.samePostcode(db, officeId, { ...a, postcode: a.postcode });
    const wanted = candidates[0] ? numbers(candidates[0].query) : '';
    const best = candidates.find((c) => c.similarity >= FUZZY_THRESHOLD && numbers(c.key) === wanted);
    if (best) return { lat: best.lat, lng: best.lng, source: 'register' };
  }
  const geocoder = currentGeocoder();
  if (!geocoder) return null;
  const input: GeocodeInput = { line1, line2: a.line2, locality: address.locality ?? null, postcode: a.postcode };
  const found = await geocoder.geocode(input);
  return found ? { lat: found.lat, lng: found.lng, source: 'geocoder' } : null;
}
