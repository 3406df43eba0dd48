import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../../contract/offices.js';
import { asSession, createOffice, createTestApp, createUser, signIn, uniq, type TestContext } from '../../../test/harness.js';
import { recomputeAreasJob, defineGeoJobs, RECOMPUTE_AREAS_JOB } from './geo.jobs.js';
import { runDemo } from '../demo/demo.command.js';
import * as repo from './geo.repo.js';
import { areasFor, assignAreas, recomputeAll, wardsFor } from './geo.service.js';

let ctx: TestContext;
const silent = { info: () => undefined, error: () => undefined };
beforeAll(async () => {
  ctx = await createTestApp();
  defineGeoJobs(ctx.jobs, ctx.database, silent);
  await ctx.jobs.start({ work: false }); // queues exist, so imports can enqueue; nothing runs them here
});
afterAll(() => ctx.close());

const lewisham = JSON.parse(fs.readFileSync(new URL('./fixtures/lewisham-wards-2022.geojson', import.meta.url), 'utf8')) as { type: string; features: unknown[] };
const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const poly = (code: string, name: string, x: number, y: number, s = 1) => ({ type: 'Feature', properties: { code, name }, geometry: { type: 'Polygon', coordinates: [square(x, y, s)] } });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

async function adminOf(office?: Office) {
  const o = office ?? (await createOffice(ctx));
  const admin = await createUser(ctx, o, 'admin');
  return { office: o, api: asSession(ctx, await signIn(ctx, admin)) };
}

/** A constituent with one address (coordinates optional), written directly. */
async function address(officeId: string, point: [lng: number, lat: number] | null, line1 = '1 Test Street'): Promise<string> {
  const db = ctx.database.db;
  const c = await db.insertInto('constituents').values({ office_id: officeId, given_name: 'Test', family_name: uniq('fam') }).returning('id').executeTakeFirstOrThrow();
  const a = await db
    .insertInto('constituent_addresses')
    .values({ office_id: officeId, constituent_id: c.id, line1, lat: point ? point[1] : null, lng: point ? point[0] : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return a.id;
}

const wardOf = async (officeId: string, id: string) =>
  (await ctx.database.db.selectFrom('constituent_addresses').select('ward_id').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirstOrThrow()).ward_id;

const eventsOf = async (officeId: string) =>
  (await ctx.database.db.selectFrom('events').select(['entity_type', 'entity_id', 'action']).where('office_id', '=', officeId).where('entity_type', 'like', 'boundar%').orderBy('id').execute());

const boundaryCount = async (officeId: string) =>
  (await ctx.database.db.selectFrom('boundaries').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n;

describe('boundary import', () => {
  it('imports a real ward file, lists it without geometry, serves one with geometry, audits and enqueues the recompute', async () => {
    const { office, api } = await adminOf();
    const res = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: lewisham });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ layer: 'ward', total: 19, created: 19, updated: 0, unchanged: 0, removed: 0, retired: 0, recomputeJobId: expect.any(String) });
    const job = await ctx.jobs.boss.getJobById(RECOMPUTE_AREAS_JOB, res.json().recomputeJobId);
    expect(job?.data).toEqual({ officeId: office.id });

    const list = (await api('GET', '/api/v1/geo/boundaries?layer=ward')).json().items as { id: string; code: string; name: string; addressCount: number; bbox: number[] }[];
    expect(list).toHaveLength(19);
    expect(list[0]).toMatchObject({ code: 'E05013714', name: 'Bellingham', addressCount: 0 });
    expect(list[0]).not.toHaveProperty('geometry');
    const one = (await api('GET', `/api/v1/geo/boundaries/${list[0]!.id}`)).json();
    expect(one.geometry.type).toBe('Polygon');
    expect(one.geometry.coordinates[0].length).toBeGreaterThan(20);
    expect(await eventsOf(office.id)).toEqual([{ entity_type: 'boundary_layer', entity_id: 'ward', action: 'imported' }]);

    const map = (await api('GET', '/api/v1/geo/map?layer=ward')).json();
    expect(map.type).toBe('FeatureCollection');
    expect(map.features).toHaveLength(19);
    expect((await api('GET', '/api/v1/geo/summary')).json().layers).toEqual([{ layer: 'ward', boundaries: 19, retired: 0, addresses: 0 }]);
  });

  it('refuses invalid, wrongly typed, unclosed, out-of-world and self-intersecting features, writing nothing', async () => {
    const { office, api } = await adminOf();
    const bowTie = { type: 'Feature', properties: { code: 'B' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } };
    const cases: [unknown, string, RegExp][] = [
      [{ type: 'Topology' }, 'geojson.type', /FeatureCollection/],
      [fc(poly('A', 'a', 0, 0), { type: 'Feature', properties: { code: 'P' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }), 'geojson.features.1.geometry', /Polygon or MultiPolygon/],
      [fc(poly('A', 'a', 0, 0), poly('C', 'c', 2, 2), bowTie), 'geojson.features.2.geometry', /crosses itself/],
      [fc({ type: 'Feature', properties: { code: 'U' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } }), 'geojson.features.0.geometry', /not closed/],
      [fc(poly('A', 'a', 179.5, 0)), 'geojson.features.0.geometry', /outside the world/],
      [fc(poly('A', 'a', 0, 0), poly('A', 'again', 2, 2)), 'geojson.features.1.properties', /repeats the code/],
    ];
    for (const [geojson, field, message] of cases) {
      const res = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson });
      expect(res.statusCode, JSON.stringify(geojson).slice(0, 80)).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'validation_failed', field });
      expect(res.json().errors[0].message).toMatch(message);
    }
    const missing = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward' });
    expect(missing.json()).toMatchObject({ status: 400, field: 'geojson' });
    const badLayer = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'Wards 2022', geojson: lewisham });
    expect(badLayer.json()).toMatchObject({ status: 400, field: 'layer' });
    expect(await boundaryCount(office.id)).toBe(0);
    expect(await eventsOf(office.id)).toEqual([]);
  });

  it('upserts by code on re-import and removes boundaries no longer in the file, retiring those cases refer to', async () => {
    const { office, api } = await adminOf();
    const first = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'district', geojson: fc(poly('D1', 'One', 0, 0), poly('D2', 'Two', 1, 0), poly('D3', 'Three', 2, 0), poly('D4', 'Four', 3, 0)) });
    expect(first.json()).toMatchObject({ created: 4 });
    const ids = Object.fromEntries(((await api('GET', '/api/v1/geo/boundaries?layer=district')).json().items as { id: string; code: string }[]).map((b) => [b.code, b.id]));
    // A case in D4 keeps D4 (retired) when the file drops it.
    await ctx.database.db.insertInto('cases').values({ office_id: office.id, reference: uniq('C'), subject: 'Pothole', channel: 'phone', ward_id: ids.D4 }).execute();

    const second = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'district', geojson: fc(poly('D1', 'One', 0, 0), poly('D2', 'Two renamed', 1, 0), poly('D5', 'Five', 4, 0)) });
    expect(second.json()).toMatchObject({ total: 3, created: 1, updated: 1, unchanged: 1, removed: 2, retired: 1, recomputeJobId: expect.any(String) });
    const after = (await api('GET', '/api/v1/geo/boundaries?layer=district')).json().items as { id: string; code: string; name: string }[];
    expect(after.map((b) => [b.code, b.name])).toEqual([['D1', 'One'], ['D2', 'Two renamed'], ['D5', 'Five']]);
    expect(after.find((b) => b.code === 'D1')!.id).toBe(ids.D1);
    expect(after.find((b) => b.code === 'D2')!.id).toBe(ids.D2);
    const all = (await api('GET', '/api/v1/geo/boundaries?layer=district&includeRetired=true')).json().items as { code: string; retiredAt: string | null }[];
    expect(all.map((b) => [b.code, b.retiredAt !== null])).toEqual([['D1', false], ['D2', false], ['D4', true], ['D5', false]]);
    expect((await api('GET', `/api/v1/geo/boundaries/${ids.D3}`)).statusCode).toBe(404);

    // Nothing changed: nothing to recompute. Bringing D4 back un-retires the same row.
    const same = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'district', geojson: fc(poly('D1', 'One', 0, 0), poly('D2', 'Two renamed', 1, 0), poly('D5', 'Five', 4, 0)) });
    expect(same.json()).toMatchObject({ unchanged: 3, removed: 0, recomputeJobId: null });
    const back = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'district', geojson: fc(poly('D1', 'One', 0, 0), poly('D2', 'Two renamed', 1, 0), poly('D4', 'Four', 3, 0), poly('D5', 'Five', 4, 0)) });
    expect(back.json()).toMatchObject({ created: 0, updated: 1 });
    expect((await api('GET', `/api/v1/geo/boundaries/${ids.D4}`)).json()).toMatchObject({ code: 'D4', retiredAt: null });
  });

  it('deletes a boundary or a whole layer, taking addresses out of it, and enqueues the recompute', async () => {
    const { office, api } = await adminOf();
    await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: fc(poly('W1', 'One', 0, 0), poly('W2', 'Two', 1, 0)) });
    await api('POST', '/api/v1/geo/boundaries/import', { layer: 'precinct', geojson: fc(poly('P1', 'P', 0, 0, 2)) });
    const inW1 = await address(office.id, [0.5, 0.5]);
    await recomputeAll(ctx.database.db, office.id);
    const w1 = await wardOf(office.id, inW1);
    expect(w1).not.toBeNull();
    const del = await api('DELETE', `/api/v1/geo/boundaries/${w1}`);
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ removed: 1, retired: 0, recomputeJobId: expect.any(String) });
    expect(await wardOf(office.id, inW1)).toBeNull();
    expect((await areasFor(ctx.database.db, office.id, [inW1])).get(inW1)!.map((a) => a.layer)).toEqual(['precinct']);
    expect((await api('DELETE', '/api/v1/geo/layers/precinct')).json()).toMatchObject({ removed: 1 });
    expect((await api('DELETE', '/api/v1/geo/layers/precinct')).statusCode).toBe(404);
    expect((await api('DELETE', '/api/v1/geo/layers/Not-A-Layer')).json()).toMatchObject({ status: 400, field: 'layer' });
    expect((await areasFor(ctx.database.db, office.id, [inW1])).get(inW1)).toBeUndefined();
    expect((await eventsOf(office.id)).map((e) => `${e.entity_type}:${e.action}`)).toEqual(['boundary_layer:imported', 'boundary_layer:imported', 'boundary:deleted', 'boundary_layer:deleted']);
  });
});

describe('areas of addresses', () => {
  const multi = {
    type: 'Feature', properties: { code: 'M', name: 'Islands' },
    geometry: { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(10, 10, 1)]] },
  };

  it('assigns one area per layer by point in polygon, sets the ward, and leaves unlocated addresses without areas', async () => {
    const { office, api } = await adminOf();
    await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: fc(multi, poly('S', 'Square', 2, 0)) });
    await api('POST', '/api/v1/geo/boundaries/import', { layer: 'district', geojson: fc(poly('ALL', 'Everything', -1, -1, 20)) });
    const island = await address(office.id, [10.5, 10.5]);
    const sq = await address(office.id, [2.5, 0.5]);
    const sea = await address(office.id, [5, 5]);
    const nowhere = await address(office.id, [100, 60]);
    const unlocated = await address(office.id, null, '9 Unknown Road');
    await assignAreas(ctx.database.db, office.id, [island, sq, sea, nowhere, unlocated]);
    const areas = await areasFor(ctx.database.db, office.id, [island, sq, sea, nowhere, unlocated]);
    const codes = (id: string) => (areas.get(id) ?? []).map((a) => `${a.layer}:${a.code}`);
    expect(codes(island)).toEqual(['district:ALL', 'ward:M']);
    expect(areas.get(island)!.find((a) => a.layer === 'ward')).toMatchObject({ name: 'Islands', boundaryId: expect.any(String) });
    expect(codes(sq)).toEqual(['district:ALL', 'ward:S']);
    expect(codes(sea)).toEqual(['district:ALL']);
    expect(codes(nowhere)).toEqual([]);
    expect(codes(unlocated)).toEqual([]);
    expect(await wardOf(office.id, island)).toBe(areas.get(island)!.find((a) => a.layer === 'ward')!.boundaryId);
    expect(await wardsFor(ctx.database.db, office.id, [{ lng: 10.5, lat: 10.5 }, { lng: 5, lat: 5 }, { lat: null, lng: null }, null]))
      .toEqual([await wardOf(office.id, island), null, null, null]);
    expect(await wardOf(office.id, sea)).toBeNull();

    const list = (await api('GET', '/api/v1/geo/unlocated?limit=10')).json();
    expect(list).toMatchObject({ total: 1, nextCursor: null, items: [{ id: unlocated, line1: '9 Unknown Road' }] });
    const wards = (await api('GET', '/api/v1/geo/boundaries?layer=ward')).json().items as { code: string; addressCount: number }[];
    expect(wards.map((w) => [w.code, w.addressCount])).toEqual([['M', 1], ['S', 1]]);
    expect((await api('GET', '/api/v1/geo/summary')).json()).toMatchObject({ addresses: { total: 5, unlocated: 1 } });
  });

  it('recomputes every address in the job after a boundary moves, and running it again changes nothing', async () => {
    const { office, api } = await adminOf();
    await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: fc(poly('A', 'A', 0, 0), poly('B', 'B', 1, 0)) });
    const ids = [await address(office.id, [0.5, 0.5]), await address(office.id, [1.5, 0.5]), await address(office.id, [3.5, 0.5])];
    await recomputeAll(ctx.database.db, office.id);
    const codesOf = async () => {
      const m = await areasFor(ctx.database.db, office.id, ids);
      return ids.map((id) => m.get(id)?.[0]?.code ?? null);
    };
    expect(await codesOf()).toEqual(['A', 'B', null]);
    // B moves east over the third address; A is unchanged.
    const moved = await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: fc(poly('A', 'A', 0, 0), poly('B', 'B', 3, 0)) });
    expect(moved.json()).toMatchObject({ updated: 1, recomputeJobId: expect.any(String) });
    const job = recomputeAreasJob(ctx.database, silent);
    await job.handler({ officeId: office.id }, { jobId: moved.json().recomputeJobId, attempt: 1 });
    expect(await codesOf()).toEqual(['A', null, 'B']);
    expect(await wardOf(office.id, ids[2]!)).not.toBeNull();
    const snapshot = async () => (await sql`SELECT address_id, layer, boundary_id, xmin::text FROM constituent_address_areas WHERE office_id = ${office.id} ORDER BY address_id`.execute(ctx.database.db)).rows;
    const before = await snapshot();
    const second = await recomputeAll(ctx.database.db, office.id);
    expect(second).toMatchObject({ done: 3, located: 3, batches: 1 });
    expect(await snapshot()).toEqual(before); // not even rewritten
  });

  it('recomputes in keyset batches over many addresses, reporting progress', async () => {
    const { office, api } = await adminOf();
    await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: lewisham });
    const points = JSON.parse(fs.readFileSync(new URL('./fixtures/lewisham-report-points.json', import.meta.url), 'utf8')) as [number, number][];
    const c = await ctx.database.db.insertInto('constituents').values({ office_id: office.id, given_name: 'Many', family_name: 'Addresses' }).returning('id').executeTakeFirstOrThrow();
    const rows = Array.from({ length: 6000 }, (_, k) => ({ office_id: office.id, constituent_id: c.id, line1: `${k} Road`, lng: points[k % points.length]![0], lat: points[k % points.length]![1] }));
    for (let k = 0; k < rows.length; k += 2000) await ctx.database.db.insertInto('constituent_addresses').values(rows.slice(k, k + 2000)).execute();
    const seen: number[] = [];
    const r = await recomputeAll(ctx.database.db, office.id, (p) => seen.push(p.done));
    expect(seen).toEqual([5000, 6000]);
    expect(r).toMatchObject({ done: 6000, located: 6000, batches: 2 });
    const summary = (await api('GET', '/api/v1/geo/summary')).json();
    expect(summary.layers[0].addresses).toBeGreaterThan(0.95 * 6000);
    expect(summary.layers[0].addresses).toBeLessThanOrEqual(6000);
  });
});

describe('areas written while addresses change', () => {
  it('does not write areas computed from coordinates the address no longer has', async () => {
    const { office, api } = await adminOf();
    await api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: fc(poly('A', 'A', 0, 0), poly('B', 'B', 1, 0)) });
    const id = await address(office.id, [0.5, 0.5]);
    const [stale] = await repo.addressesByIds(ctx.database.db, office.id, [id]);
    const wardA = (await repo.activeBoundaries(ctx.database.db, office.id)).find((b) => b.code === 'A')!.id;
    // Meanwhile someone moves the address into B and assigns its areas.
    await ctx.database.db.updateTable('constituent_addresses').set({ lng: 1.5 }).where('office_id', '=', office.id).where('id', '=', id).execute();
    await assignAreas(ctx.database.db, office.id, [id]);
    const range = { from: id, to: id };
    await repo.applyAreaChanges(ctx.database.db, office.id, range, {
      drop: [{ addressId: id, layer: 'ward', lat: stale!.lat, lng: stale!.lng }],
      set: [{ addressId: id, layer: 'ward', boundaryId: wardA, lat: stale!.lat, lng: stale!.lng }],
      wards: [{ id, wardId: wardA, lat: stale!.lat, lng: stale!.lng }],
    });
    expect((await areasFor(ctx.database.db, office.id, [id])).get(id)!.map((a) => a.code)).toEqual(['B']);
    expect(await wardOf(office.id, id)).not.toBe(wardA);
  });

  it('gives the demo\'s addresses their areas as it loads them', async () => {
    const slug = uniq('demo').toLowerCase().slice(0, 60);
    const r = await runDemo(ctx.database, { officeSlug: slug, constituents: 120, cases: 0, seed: 3 }, { progress: () => undefined, print: () => undefined });
    const { rows } = await sql<{ addresses: number; with_ward: number; areas: number; agree: number }>`SELECT
        (SELECT count(*) FROM constituent_addresses WHERE office_id = ${r.officeId})::int AS addresses,
        (SELECT count(*) FROM constituent_addresses WHERE office_id = ${r.officeId} AND ward_id IS NOT NULL)::int AS with_ward,
        (SELECT count(*) FROM constituent_address_areas WHERE office_id = ${r.officeId})::int AS areas,
        (SELECT count(*) FROM constituent_address_areas a JOIN constituent_addresses c ON c.office_id = a.office_id AND c.id = a.address_id
          WHERE a.office_id = ${r.officeId} AND a.layer = 'ward' AND a.boundary_id = c.ward_id)::int AS agree`.execute(ctx.database.db);
    expect(rows[0]!.addresses).toBeGreaterThan(80);
    expect(rows[0]!.with_ward).toBeGreaterThan(0.9 * rows[0]!.addresses);
    expect(rows[0]).toMatchObject({ areas: rows[0]!.with_ward, agree: rows[0]!.with_ward });
  });
});

describe('tenancy and permissions', () => {
  it("answers 404 for another office's boundary and layer, and never lists them", async () => {
    const a = await adminOf();
    const b = await adminOf();
    await b.api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: fc(poly('B1', 'Theirs', 0, 0)) });
    const theirs = (await b.api('GET', '/api/v1/geo/boundaries')).json().items[0].id as string;
    expect((await a.api('GET', `/api/v1/geo/boundaries/${theirs}`)).statusCode).toBe(404);
    expect((await a.api('DELETE', `/api/v1/geo/boundaries/${theirs}`)).statusCode).toBe(404);
    expect((await a.api('DELETE', '/api/v1/geo/layers/ward')).statusCode).toBe(404);
    expect((await a.api('GET', '/api/v1/geo/boundaries')).json().items).toEqual([]);
    expect((await a.api('GET', '/api/v1/geo/map?layer=ward')).json().features).toEqual([]);
    expect((await b.api('GET', `/api/v1/geo/boundaries/${theirs}`)).statusCode).toBe(200);
    // A's import of the same layer and code makes A's own row.
    await a.api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: fc(poly('B1', 'Mine', 5, 5)) });
    expect((await b.api('GET', `/api/v1/geo/boundaries/${theirs}`)).json()).toMatchObject({ name: 'Theirs' });
  });

  it('lets a caseworker read but not import, delete or recompute', async () => {
    const { office } = await adminOf();
    const caseworker = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'caseworker')));
    for (const [method, url, body] of [
      ['POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: fc(poly('X', 'X', 0, 0)) }],
      ['DELETE', '/api/v1/geo/layers/ward', undefined],
      ['POST', '/api/v1/geo/recompute', undefined],
    ] as const) {
      const res = await caseworker(method, url, body);
      expect(res.statusCode, url).toBe(403);
    }
    expect(await boundaryCount(office.id)).toBe(0);
    expect((await caseworker('GET', '/api/v1/geo/boundaries')).statusCode).toBe(200);
    expect((await caseworker('GET', '/api/v1/geo/summary')).statusCode).toBe(200);
  });

  it('enqueues a recompute on request (202)', async () => {
    const { office, api } = await adminOf();
    const res = await api('POST', '/api/v1/geo/recompute');
    expect(res.statusCode).toBe(202);
    expect((await ctx.jobs.boss.getJobById(RECOMPUTE_AREAS_JOB, res.json().recomputeJobId))?.data).toEqual({ officeId: office.id });
  });
});
