// SQL for boundaries and the areas (one per layer) each address falls in.
import { sql } from 'kysely';
import type { PolygonGeometry } from '../../../contract/geo.js';
import type { Executor } from '../../platform/db/database.js';

type BBox = [number, number, number, number];

/** Serialises boundary changes of one office (imports and deletions). */
export const lockOffice = (db: Executor, officeId: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.geo:${officeId}`}))`.execute(db);

/** Changes whenever an active boundary is added, changed, retired or deleted. */
export async function boundariesVersion(db: Executor, officeId: string): Promise<string> {
  const { rows } = await sql<{ v: string }>`SELECT count(*)::text || ':' || coalesce(md5(string_agg(id::text || updated_at::text, ',' ORDER BY id)), '') AS v
    FROM boundaries WHERE office_id = ${officeId} AND retired_at IS NULL`.execute(db);
  return rows[0]!.v;
}

const bboxOf = (r: { min_lng: number; min_lat: number; max_lng: number; max_lat: number }): BBox => [r.min_lng, r.min_lat, r.max_lng, r.max_lat];

export async function activeBoundaries(db: Executor, officeId: string) {
  const rows = await db
    .selectFrom('boundaries')
    .select(['id', 'layer', 'code', 'name', 'geometry', 'min_lng', 'min_lat', 'max_lng', 'max_lat'])
    .where('office_id', '=', officeId)
    .where('retired_at', 'is', null)
    .execute();
  return rows.map((r) => ({ id: r.id, layer: r.layer, code: r.code, name: r.name, geometry: r.geometry as PolygonGeometry, bbox: bboxOf(r) }));
}

const summaryColumns = (db: Executor) =>
  db
    .selectFrom('boundaries as b')
    .select(['b.id', 'b.layer', 'b.code', 'b.name', 'b.min_lng', 'b.min_lat', 'b.max_lng', 'b.max_lat', 'b.updated_at', 'b.retired_at'])
    .select(sql<number>`(SELECT count(*) FROM constituent_address_areas a WHERE a.office_id = b.office_id AND a.boundary_id = b.id)::int`.as('address_count'));

export type BoundaryRow = Awaited<ReturnType<typeof listBoundaries>>[number];

export const presentBbox = bboxOf;

export function listBoundaries(db: Executor, officeId: string, filter: { layer?: string | undefined; includeRetired: boolean }) {
  let q = summaryColumns(db).where('b.office_id', '=', officeId);
  if (filter.layer) q = q.where('b.layer', '=', filter.layer);
  if (!filter.includeRetired) q = q.where('b.retired_at', 'is', null);
  return q.orderBy('b.layer').orderBy('b.code').limit(20_000).execute();
}

export const getBoundary = (db: Executor, officeId: string, id: string) =>
  summaryColumns(db).select('b.geometry').where('b.office_id', '=', officeId).where('b.id', '=', id).executeTakeFirst();

export const layerGeometry = (db: Executor, officeId: string, layer: string) =>
  summaryColumns(db).select('b.geometry').where('b.office_id', '=', officeId).where('b.layer', '=', layer).where('b.retired_at', 'is', null).orderBy('b.code').execute();

export const boundaryNames = (db: Executor, officeId: string, ids: readonly string[]) =>
  ids.length ? db.selectFrom('boundaries').select(['id', 'name']).where('office_id', '=', officeId).where('id', 'in', ids).execute() : Promise.resolve([]);

export const layerBoundaries = (db: Executor, officeId: string, layer: string) =>
  db.selectFrom('boundaries').select(['id', 'code', 'retired_at']).where('office_id', '=', officeId).where('layer', '=', layer).execute();

export type NewBoundary = { code: string; name: string; geometry: PolygonGeometry; bbox: BBox };

/** Inserts or updates by (layer, code); a boundary whose name and shape are the same is left alone. */
export async function upsertBoundaries(db: Executor, officeId: string, layer: string, rows: NewBoundary[]): Promise<{ id: string; code: string; inserted: boolean }[]> {
  if (rows.length === 0) return [];
  const values = rows.map((r) => ({
    office_id: officeId, layer, code: r.code, name: r.name, geometry: JSON.stringify(r.geometry),
    min_lng: r.bbox[0], min_lat: r.bbox[1], max_lng: r.bbox[2], max_lat: r.bbox[3],
  }));
  return db
    .insertInto('boundaries')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['office_id', 'layer', 'code'])
        .doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), geometry: eb.ref('excluded.geometry'),
          min_lng: eb.ref('excluded.min_lng'), min_lat: eb.ref('excluded.min_lat'), max_lng: eb.ref('excluded.max_lng'), max_lat: eb.ref('excluded.max_lat'),
          updated_at: sql`now()`, retired_at: null,
        }))
        .where(sql<boolean>`boundaries.name IS DISTINCT FROM excluded.name OR boundaries.geometry IS DISTINCT FROM excluded.geometry OR boundaries.retired_at IS NOT NULL`),
    )
    .returning(['id', 'code', sql<boolean>`xmax = 0`.as('inserted')])
    .execute();
}

/** Of these boundaries, the ones cases refer to (they are retired, not deleted). */
export const referencedByCases = async (db: Executor, officeId: string, ids: string[]) =>
  ids.length === 0
    ? new Set<string>()
    : new Set((await db.selectFrom('cases').select('ward_id').distinct().where('office_id', '=', officeId).where('ward_id', 'in', ids).execute()).map((r) => r.ward_id!));

/** Takes addresses out of these boundaries before they are retired or deleted. */
export async function detach(db: Executor, officeId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('constituent_addresses').set({ ward_id: null }).where('office_id', '=', officeId).where('ward_id', 'in', ids).execute();
  await db.deleteFrom('constituent_address_areas').where('office_id', '=', officeId).where('boundary_id', 'in', ids).execute();
}

export const retire = (db: Executor, officeId: string, ids: string[]) =>
  db.updateTable('boundaries').set({ retired_at: sql`now()`, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', 'in', ids).where('retired_at', 'is', null).execute();

export const remove = (db: Executor, officeId: string, ids: string[]) => db.deleteFrom('boundaries').where('office_id', '=', officeId).where('id', 'in', ids).execute();

// ---------------------------------------------------------------- addresses and their areas

export type LocatedAddress = { id: string; lat: number | null; lng: number | null; ward_id: string | null };
export type AreaRow = { addressId: string; layer: string; boundaryId: string };
type Point = { lat: number | null; lng: number | null };
/** The first and last address id of a batch: every statement on the batch is bounded by it,
 * so the planner walks the primary key whatever its statistics say. */
export type IdRange = { from: string; to: string };

/** The next page of the office's addresses in id order (keyset pagination). */
export const addressesAfter = (db: Executor, officeId: string, afterId: string | null, limit: number): Promise<LocatedAddress[]> => {
  let q = db.selectFrom('constituent_addresses').select(['id', 'lat', 'lng', 'ward_id']).where('office_id', '=', officeId);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
};

// Id lists travel as one array parameter (= ANY), not thousands of bind parameters.
const anyOf = (ids: readonly string[]) => sql<string>`ANY(${[...ids]}::uuid[])`;

export const addressesByIds = (db: Executor, officeId: string, ids: readonly string[]): Promise<LocatedAddress[]> =>
  db.selectFrom('constituent_addresses').select(['id', 'lat', 'lng', 'ward_id']).where('office_id', '=', officeId).where('id', '=', anyOf(ids)).orderBy('id').execute();

/** The stored areas of the addresses in the range (or just these ids). */
export async function storedAreas(db: Executor, officeId: string, range: IdRange, ids?: readonly string[]): Promise<AreaRow[]> {
  let q = db
    .selectFrom('constituent_address_areas')
    .select(['address_id as addressId', 'layer', 'boundary_id as boundaryId'])
    .where('office_id', '=', officeId)
    .where('address_id', '>=', range.from)
    .where('address_id', '<=', range.to);
  if (ids) q = q.where('address_id', '=', anyOf(ids));
  return q.execute();
}

/**
 * Writes only what differs: areas to drop, areas to set, and changed ward ids. Each change
 * carries the coordinates it was computed from and applies only while the address still has
 * them, so an edit of the address committed meanwhile (which assigns its own areas) wins.
 */
export async function applyAreaChanges(
  db: Executor,
  officeId: string,
  range: IdRange,
  changes: { drop: (Point & { addressId: string; layer: string })[]; set: (Point & AreaRow)[]; wards: (Point & { id: string; wardId: string | null })[] },
): Promise<void> {
  const { drop, set, wards } = changes;
  const same = (alias: string) =>
    sql`ad.office_id = ${officeId} AND ad.id = ${sql.ref(`${alias}.address_id`)} AND ad.lat IS NOT DISTINCT FROM ${sql.ref(`${alias}.lat`)} AND ad.lng IS NOT DISTINCT FROM ${sql.ref(`${alias}.lng`)}`;
  if (drop.length) {
    await sql`DELETE FROM constituent_address_areas c
      USING unnest(${drop.map((d) => d.addressId)}::uuid[], ${drop.map((d) => d.layer)}::text[], ${drop.map((d) => d.lat)}::float8[], ${drop.map((d) => d.lng)}::float8[]) AS d(address_id, layer, lat, lng),
        constituent_addresses ad
      WHERE c.office_id = ${officeId} AND c.address_id BETWEEN ${range.from} AND ${range.to} AND c.address_id = d.address_id AND c.layer = d.layer
        AND ad.id BETWEEN ${range.from} AND ${range.to} AND ${same('d')}`.execute(db);
  }
  if (set.length) {
    await sql`INSERT INTO constituent_address_areas (office_id, address_id, layer, boundary_id)
      SELECT ${officeId}::uuid, n.address_id, n.layer, n.boundary_id
      FROM unnest(${set.map((a) => a.addressId)}::uuid[], ${set.map((a) => a.layer)}::text[], ${set.map((a) => a.boundaryId)}::uuid[], ${set.map((a) => a.lat)}::float8[], ${set.map((a) => a.lng)}::float8[]) AS n(address_id, layer, boundary_id, lat, lng)
        JOIN constituent_addresses ad ON ad.id BETWEEN ${range.from} AND ${range.to} AND ${same('n')}
      ON CONFLICT (office_id, address_id, layer) DO UPDATE SET boundary_id = excluded.boundary_id`.execute(db);
  }
  if (wards.length) {
    // Re-checked against the latest row version when it waits for a concurrent edit.
    await sql`UPDATE constituent_addresses c SET ward_id = n.ward_id
      FROM unnest(${wards.map((w) => w.id)}::uuid[], ${wards.map((w) => w.wardId)}::uuid[], ${wards.map((w) => w.lat)}::float8[], ${wards.map((w) => w.lng)}::float8[]) AS n(id, ward_id, lat, lng)
      WHERE c.office_id = ${officeId} AND c.id BETWEEN ${range.from} AND ${range.to} AND c.id = n.id
        AND c.lat IS NOT DISTINCT FROM n.lat AND c.lng IS NOT DISTINCT FROM n.lng`.execute(db);
  }
}

/** The areas of a few addresses, by the primary key: the fence keeps a planner with stale
 * statistics from starting at the boundaries and reading every address of each. */
export const areasOf = async (db: Executor, officeId: string, addressIds: readonly string[]) =>
  (await sql<{ address_id: string; layer: string; boundary_id: string; code: string; name: string }>`
    SELECT a.address_id, a.layer, a.boundary_id, b.code, b.name
    FROM (SELECT address_id, layer, boundary_id FROM constituent_address_areas
      WHERE office_id = ${officeId} AND address_id = ANY(${[...addressIds]}::uuid[]) OFFSET 0) a
    JOIN boundaries b ON b.office_id = ${officeId} AND b.id = a.boundary_id
    ORDER BY a.layer`.execute(db)).rows;

export const unlocated = (db: Executor, officeId: string, afterId: string | undefined, limit: number) => {
  let q = db
    .selectFrom('constituent_addresses')
    .select(['id', 'constituent_id', 'line1', 'line2', 'locality', 'postcode'])
    .where('office_id', '=', officeId)
    .where('lat', 'is', null);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
};

export const countAddresses = async (db: Executor, officeId: string) =>
  (await db.selectFrom('constituent_addresses').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n;

export async function summary(db: Executor, officeId: string) {
  const layers = await sql<{ layer: string; boundaries: number; retired: number; addresses: number }>`
    SELECT b.layer, count(*) FILTER (WHERE b.retired_at IS NULL)::int AS boundaries, count(*) FILTER (WHERE b.retired_at IS NOT NULL)::int AS retired,
      (SELECT count(*) FROM constituent_address_areas a WHERE a.office_id = ${officeId} AND a.layer = b.layer)::int AS addresses
    FROM boundaries b WHERE b.office_id = ${officeId} GROUP BY b.layer ORDER BY b.layer`.execute(db);
  const counts = await sql<{ total: number; unlocated: number; register: number }>`SELECT
      (SELECT count(*) FROM constituent_addresses WHERE office_id = ${officeId})::int AS total,
      (SELECT count(*) FROM constituent_addresses WHERE office_id = ${officeId} AND lat IS NULL)::int AS unlocated,
      (SELECT count(*) FROM address_register WHERE office_id = ${officeId})::int AS register`.execute(db);
  return { layers: layers.rows, ...counts.rows[0]! };
}

/** Addresses of the office without coordinates (flagged for geocoding). */
export async function countUnlocated(db: Executor, officeId: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM constituent_addresses WHERE office_id = ${officeId} AND lat IS NULL`.execute(db);
  return r.rows[0]!.n;
}
