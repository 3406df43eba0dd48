// The areas each address falls in: point-in-polygon against the office's boundaries, one
// area per layer, written to constituent_address_areas (and constituent_addresses.ward_id
// for the 'ward' layer). Addresses without coordinates get no areas.
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { indexFor, type AreaIndex } from './geo.index.js';
import * as repo from './geo.repo.js';

export type Area = { layer: string; boundaryId: string; code: string; name: string };
export type RecomputeProgress = { done: number; total: number; located: number; changed: number; seconds: number };
export type RecomputeSummary = RecomputeProgress & { batches: number };

export const RECOMPUTE_BATCH = 5_000;

/** Compares what the index says with what is stored; returns only the differences. */
function diff(index: AreaIndex, rows: repo.LocatedAddress[], stored: repo.AreaRow[]) {
  const have = new Map<string, string>(stored.map((a) => [`${a.addressId}|${a.layer}`, a.boundaryId]));
  const changes: Parameters<typeof repo.applyAreaChanges>[3] = { drop: [], set: [], wards: [] };
  const changed = new Set<string>();
  for (const r of rows) {
    const point = { lat: r.lat, lng: r.lng };
    const found = r.lat === null || r.lng === null ? [] : index.locate(r.lng, r.lat);
    for (const b of found) {
      const key = `${r.id}|${b.layer}`;
      if (have.get(key) !== b.id) {
        changes.set.push({ addressId: r.id, layer: b.layer, boundaryId: b.id, ...point });
        changed.add(r.id);
      }
      have.delete(key);
    }
    const ward = found.find((b) => b.layer === 'ward')?.id ?? null;
    if (ward !== r.ward_id) {
      changes.wards.push({ id: r.id, wardId: ward, ...point });
      changed.add(r.id);
    }
  }
  // Whatever is stored but no longer found (for these addresses) goes.
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const key of have.keys()) {
    const [addressId, layer] = key.split('|') as [string, string];
    const r = byId.get(addressId);
    if (!r) continue;
    changes.drop.push({ addressId, layer, lat: r.lat, lng: r.lng });
    changed.add(addressId);
  }
  return { changes, changed: changed.size };
}

async function recomputeRows(db: Executor, officeId: string, index: AreaIndex, rows: repo.LocatedAddress[], ids?: readonly string[]): Promise<number> {
  const range = { from: rows[0]!.id, to: rows[rows.length - 1]!.id };
  return inTransaction(db, async (trx) => {
    const { changes, changed } = diff(index, rows, await repo.storedAreas(trx, officeId, range, ids));
    await repo.applyAreaChanges(trx, officeId, range, changes);
    return changed;
  });
}

/** Recomputes the areas (one per layer) of these addresses from their coordinates. */
export async function assignAreas(db: Executor, officeId: string, addressIds: readonly string[]): Promise<void> {
  const ids = [...new Set(addressIds)].sort();
  if (ids.length === 0) return;
  const index = await indexFor(db, officeId);
  for (let k = 0; k < ids.length; k += RECOMPUTE_BATCH) {
    const chunk = ids.slice(k, k + RECOMPUTE_BATCH);
    const rows = await repo.addressesByIds(db, officeId, chunk);
    if (rows.length) await recomputeRows(db, officeId, index, rows, chunk);
  }
}

/**
 * The 'ward' boundary of each point (null outside every ward or without coordinates), for
 * bulk writers that set constituent_addresses.ward_id as they insert: assignAreas then
 * only adds the area rows instead of rewriting every address row.
 */
export async function wardsFor(db: Executor, officeId: string, points: readonly ({ lat: number | null; lng: number | null } | null)[]): Promise<(string | null)[]> {
  const index = await indexFor(db, officeId);
  return points.map((p) => (p && p.lat !== null && p.lng !== null ? (index.locate(p.lng, p.lat).find((b) => b.layer === 'ward')?.id ?? null) : null));
}

/** Whether a point lies outside every ward of an office that has wards (false for an office without any: it has no drawn area). */
export async function isOutsideWards(db: Executor, officeId: string, lat: number, lng: number): Promise<boolean> {
  const index = await indexFor(db, officeId);
  if (!index.boundaries.some((b) => b.layer === 'ward')) return false;
  return !index.locate(lng, lat).some((b) => b.layer === 'ward');
}

/** The areas of these addresses, by address id. */
export async function areasFor(db: Executor, officeId: string, addressIds: readonly string[]): Promise<Map<string, Area[]>> {
  const out = new Map<string, Area[]>();
  if (addressIds.length === 0) return out;
  for (const r of await repo.areasOf(db, officeId, addressIds)) {
    const list = out.get(r.address_id) ?? [];
    list.push({ layer: r.layer, boundaryId: r.boundary_id, code: r.code, name: r.name });
    out.set(r.address_id, list);
  }
  return out;
}

/**
 * Recomputes every address of the office, batch by batch in id order (each batch its own
 * transaction, so other work goes on meanwhile). Idempotent: only rows that differ are
 * written, and a run cut short is finished by running it again.
 */
export async function recomputeAll(db: Executor, officeId: string, onProgress?: (p: RecomputeProgress) => void): Promise<RecomputeSummary> {
  const started = performance.now();
  const index = await indexFor(db, officeId);
  const total = await repo.countAddresses(db, officeId);
  let after: string | null = null;
  let done = 0;
  let located = 0;
  let changed = 0;
  let batches = 0;
  const progress = () => ({ done, total: Math.max(total, done), located, changed, seconds: Math.round((performance.now() - started) / 100) / 10 });
  for (;;) {
    const rows = await repo.addressesAfter(db, officeId, after, RECOMPUTE_BATCH);
    if (rows.length === 0) break;
    changed += await recomputeRows(db, officeId, index, rows);
    located += rows.filter((r) => r.lat !== null).length;
    done += rows.length;
    batches++;
    after = rows[rows.length - 1]!.id;
    onProgress?.(progress());
  }
  return { ...progress(), batches };
}
