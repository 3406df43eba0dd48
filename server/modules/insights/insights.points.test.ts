// The case map: clustering on a known layout at two zooms (counts, mean positions, cells),
// the grid coarsened to stay within 2,000 features, the case list's filters giving exactly the
// case list's cases, sensitive cases hidden from those not cleared, the summary giving the same
// cells as the cases through every kind of change, bad input refused with the parameter named,
// and one office never seeing another's cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseSummary } from '../../../contract/cases.js';
import type { MapPoints } from '../../../contract/insights.js';
import { asToken, createTestApp, tokenFor, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, squareWard, type Staff } from '../cases/cases.testkit.js';
import { ZMapPointsQuery } from '../../../contract/insights.js';
import { systemScope } from '../../platform/scope.js';
import { cellAt, idHalves, idOfHalves } from './insights.map-cells.js';
import { cellSize, MAX_MAP_FEATURES, pointsFrom, type Source } from './insights.points.js';
import { rebuildOffice, refreshOffice } from './insights.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

const map = async (as: Staff, query: string) => ok(await as.api('GET', `/api/v1/insights/map/points?${query}`), 200) as MapPoints;
type Feature = MapPoints['features'][number];
const singles = (m: MapPoints) => m.features.filter((f): f is Feature & { properties: { cluster: false; caseId: string } } => !f.properties.cluster);
const clusters = (m: MapPoints) => m.features.filter((f): f is Feature & { properties: { cluster: true; count: number; bbox: [number, number, number, number] } } => f.properties.cluster);

describe('clustering', () => {
  it('groups cases into cells of about 60 pixels: a cluster has its count, mean position and cell', async () => {
    const w = await casework(ctx);
    const at = (lng: number, lat: number, body: object = {}) => w.open({ subject: `At ${lng},${lat}`, location: { lat, lng }, ...body });
    const group = [await at(0.3, 0.3), await at(0.302, 0.304), await at(0.306, 0.301)];
    const pair = [await at(0.7, 0.7), await at(0.7001, 0.7002)];
    const lone = await at(0.9, 0.1, { categoryId: (ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Lamps' }), 201) as { id: string }).id });
    await w.open({ subject: 'Nowhere in particular' }); // no location: never on the map

    // Zoom 10: cells of 0.0824 degrees.
    const c10 = 84.375 / 1024;
    const city = await map(w.analyst, 'bbox=0,0,1,1&zoom=10');
    expect(city.total).toBe(6);
    expect(city.features).toHaveLength(3);
    const [three, two] = clusters(city).sort((a, b) => b.properties.count - a.properties.count);
    expect(three!.properties.count).toBe(3);
    expect(three!.geometry.coordinates[0]).toBeCloseTo((0.3 + 0.302 + 0.306) / 3, 9);
    expect(three!.geometry.coordinates[1]).toBeCloseTo((0.3 + 0.304 + 0.301) / 3, 9);
    expect(three!.properties.bbox).toEqual([3 * c10, 3 * c10, 4 * c10, 4 * c10]);
    expect(two!.properties).toEqual({ cluster: true, count: 2, bbox: [8 * c10, 8 * c10, 9 * c10, 9 * c10] });
    expect(singles(city)).toEqual([{
      type: 'Feature', geometry: { type: 'Point', coordinates: [0.9, 0.1] },
      properties: { cluster: false, caseId: lone.id, reference: lone.reference, subject: 'At 0.9,0.1', status: 'new', categoryName: 'Lamps' },
    }]);

    // Zoom 16: cells of 0.00129 degrees; the group falls apart, the pair stays together.
    const street = await map(w.analyst, 'bbox=0.29,0.29,0.32,0.32&zoom=16');
    expect(street.total).toBe(3);
    expect(singles(street).map((f) => f.properties.caseId).sort()).toEqual(group.map((c) => c.id).sort());
    const near = await map(w.analyst, 'bbox=0.69,0.69,0.71,0.71&zoom=16');
    expect(clusters(near).map((f) => f.properties.count)).toEqual([2]);
    expect(near.total).toBe(pair.length);
    // Only what is in the cells the view touches.
    expect((await map(w.analyst, 'bbox=0.8,0,1,0.2&zoom=16')).total).toBe(1);
    // A cell the view cuts counts whole: the cluster keeps its count while the map pans.
    expect((await map(w.analyst, `bbox=0.301,0.301,0.302,0.302&zoom=10`)).total).toBe(3);
  });

  it('coarsens the grid so a huge view at a high zoom stays within 2,000 features', async () => {
    const w = await casework(ctx);
    for (let i = 0; i < 4; i++) await w.open({ subject: `Spread ${i}`, location: { lat: -60 + i * 40, lng: -170 + i * 100 } });
    const world = await map(w.analyst, 'bbox=-180,-90,180,90&zoom=22');
    expect(world.total).toBe(4);
    expect(singles(world)).toHaveLength(4);
    for (const [view, zoom] of [[{ west: -180, south: -90, east: 180, north: 90 }, 22], [{ west: 0, south: 0, east: 1, north: 1 }, 16], [{ west: 10, south: 50, east: 10.2, north: 50.1 }, 11]] as const) {
      const cell = cellSize(view, zoom);
      const touched = (Math.floor(view.east / cell) - Math.floor(view.west / cell) + 1) * (Math.floor(view.north / cell) - Math.floor(view.south / cell) + 1);
      expect(touched).toBeLessThanOrEqual(MAX_MAP_FEATURES);
    }
    // A small view is not coarsened: exactly 60 pixels of its zoom.
    expect(cellSize({ west: 10, south: 50, east: 10.2, north: 50.1 }, 11)).toBeCloseTo((360 / 2048) * (60 / 256), 12);
  });
});

describe('filters', () => {
  it('finds exactly the located cases the case list finds for the same filters', async () => {
    const w = await casework(ctx);
    const wardId = await squareWard(w.admin);
    const streets = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Streets' }), 201) as { id: string };
    const lights = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Lights', parentId: streets.id }), 201) as { id: string };
    // Each case in a cell of its own at zoom 10 (cells of 0.08 degrees), inside and outside the ward.
    const spot = (i: number) => ({ lat: 0.05 + 0.1 * i, lng: 0.05 + 0.1 * i });
    const made: Case[] = [
      await w.open({ subject: 'Broken street light', categoryId: lights.id, priority: 'urgent', channel: 'web', location: spot(0), teamId: w.team.id, assigneeId: w.caseworker.user.id }),
      await w.open({ subject: 'Fly-tipping', categoryId: streets.id, priority: 'low', channel: 'phone', location: spot(1) }),
      await w.open({ subject: 'Housing delay', channel: 'email', location: spot(2), assigneeId: w.outsider.user.id }),
      await w.open({ subject: 'Street light out of ward', categoryId: lights.id, location: { lat: 1.5, lng: 1.5 } }),
    ];
    const unlocated = await w.open({ subject: 'Street light, no pin', categoryId: lights.id });
    ok(await w.caseworker.api('POST', `/api/v1/cases/${made[1]!.id}/status`, { status: 'waiting_on_resident' }), 200);
    ok(await w.caseworker.api('POST', `/api/v1/cases/${made[2]!.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Paid' }), 200);

    const queries = [
      '', 'status=new', 'statusCategory=open,waiting', 'statusCategory=resolved', `category=${streets.id}`, `category=${lights.id}`,
      `assignee=${w.caseworker.user.id}`, 'assignee=none', `team=${w.team.id}`, 'team=none', `ward=${wardId}`, 'priority=urgent,low',
      'channel=email', 'q=street%20light', `category=${lights.id}&priority=urgent`, 'statusCategory=open&status=resolved',
    ];
    for (const q of queries) {
      const listed = (ok(await w.analyst.api('GET', `/api/v1/cases?limit=200&${q}`), 200) as { items: CaseSummary[] }).items.map((c) => c.id).filter((id) => id !== unlocated.id);
      const m = await map(w.analyst, `bbox=-1,-1,2,2&zoom=10&${q}`);
      expect(m.features.every((f) => !f.properties.cluster), q).toBe(true);
      expect(singles(m).map((f) => f.properties.caseId).sort(), q).toEqual(listed.sort());
      expect(m.total, q).toBe(listed.length);
    }
    // "mine" is the caller's own.
    expect(singles(await map(w.manager, 'bbox=-1,-1,2,2&zoom=10&mine=true'))).toEqual([]);
  });

  it('hides sensitive cases from those not cleared to see them, and logs each one shown', async () => {
    const w = await casework(ctx);
    const open = await w.open({ subject: 'Pothole', location: { lat: 0.1, lng: 0.1 } });
    const secret = await w.open({ subject: 'Domestic matter', isSensitive: true, location: { lat: 0.5, lng: 0.5 } });
    const analyst = await map(w.analyst, 'bbox=0,0,1,1&zoom=10');
    expect(analyst.total).toBe(1);
    expect(singles(analyst).map((f) => f.properties.caseId)).toEqual([open.id]);
    // Not even inside a cluster: a cell holding both counts one.
    expect((await map(w.analyst, 'bbox=0,0,1,1&zoom=0')).total).toBe(1);
    const manager = await map(w.manager, 'bbox=0,0,1,1&zoom=10');
    expect(singles(manager).map((f) => f.properties.caseId).sort()).toEqual([open.id, secret.id].sort());
    const logged = await ctx.database.db.selectFrom('events').select(['action', 'after']).where('office_id', '=', w.office.id)
      .where('entity_type', '=', 'case').where('entity_id', '=', secret.id).where('action', '=', 'viewed').execute();
    expect(logged.map((e) => (e.after as { via: string }).via)).toEqual(['map']);
  });
});

describe('the summary', () => {
  type W = Awaited<ReturnType<typeof casework>>;
  const read = (w: W, query: Record<string, string>, opts: { source?: Source; sensitive?: boolean } = {}) =>
    pointsFrom(systemScope(ctx.database.db, w.office.id, 'test'), { userId: w.manager.user.id, canSeeSensitive: opts.sensitive ?? true }, ZMapPointsQuery.parse(query), opts);

  const rounded = (m: MapPoints) => m.features.map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: f.geometry.coordinates.map((x) => Number(x.toFixed(9))) } }));

  /** The map from the summary is the map from the cases: same cells, counts, single cases; means equal to 1e-9. */
  async function expectSame(w: W, query: Record<string, string>, sensitive = true) {
    const label = `${JSON.stringify(query)} sensitive=${sensitive}`;
    const fromCases = (await read(w, query, { source: 'cases', sensitive })).map;
    const fromSummary = (await read(w, query, { source: 'summary', sensitive })).map;
    expect(fromSummary.total, label).toBe(fromCases.total);
    expect(rounded(fromSummary), label).toEqual(rounded(fromCases));
    return fromCases;
  }

  /** Folds every pending change into the summaries (a rebuild included). */
  async function settle(officeId: string) {
    const state = () => ctx.database.db.selectFrom('insight_office_state').select('rebuilding').where('office_id', '=', officeId).executeTakeFirst();
    while ((await refreshOffice(ctx.database.db, officeId)).remaining > 0 || (await state())?.rebuilding);
  }

  /** Views at several zooms over everything, with the filters the summary has keys for. */
  async function expectSameEverywhere(w: W, extra: { category: string; ward: string }) {
    await settle(w.office.id);
    const filters: Record<string, string>[] = [
      {}, { status: 'new' }, { statusCategory: 'open,waiting' }, { category: extra.category }, { ward: extra.ward }, { team: w.team.id }, { team: 'none' },
      { status: 'new', category: extra.category },
    ];
    let seen = 0;
    for (const [bbox, zoom] of [['-1,50,1,52', '0'], ['-1,50,1,52', '6'], ['-0.2,51.3,0.2,51.6', '10'], ['-0.05,51.4,0.05,51.5', '13'], ['-0.01,51.44,0.01,51.46', '16']] as const) {
      for (const f of filters) {
        for (const sensitive of [true, false]) seen += (await expectSame(w, { bbox, zoom, ...f }, sensitive)).total;
      }
    }
    expect(seen).toBeGreaterThan(0);
  }

  it('holds the same cells as the cases at every level, for every filter it has keys for, through every kind of change', async () => {
    const w = await casework(ctx);
    // A ward around Lewisham; cases on both sides of the prime meridian (negative cells), on
    // cell edges (exact multiples of a cell), stacked on one spot, in a child category.
    const ward = [[-0.05, 51.4], [0.05, 51.4], [0.05, 51.5], [-0.05, 51.5], [-0.05, 51.4]];
    ok(await w.admin.api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'LW', name: 'Lewisham' }, geometry: { type: 'Polygon', coordinates: [ward] } }] } }), 200);
    const wardId = ((ok(await w.admin.api('GET', '/api/v1/geo/boundaries?layer=ward'), 200) as { items: { id: string; code: string }[] }).items.find((b) => b.code === 'LW'))!.id;
    const roads = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Roads' }), 201) as { id: string };
    const potholes = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Potholes', parentId: roads.id }), 201) as { id: string };
    const spots = [
      { lat: 51.4501, lng: -0.0212 }, { lat: 51.4502, lng: -0.0213 }, { lat: 51.4502, lng: -0.0213 }, { lat: 51.455, lng: 0.0131 },
      { lat: 64 * cellAt(10), lng: -cellAt(16) }, { lat: 51.46, lng: 0 }, { lat: 51.47, lng: -3 * cellAt(13) }, { lat: 51.35, lng: 0.3 },
    ];
    const cases: Case[] = [];
    for (const [i, location] of spots.entries()) {
      cases.push(await w.open({
        subject: `Spot ${i}`, location, ...(i % 2 ? { categoryId: potholes.id } : { categoryId: roads.id }), ...(i % 3 === 0 ? { teamId: w.team.id } : {}), isSensitive: i === 3,
      }));
    }
    await w.open({ subject: 'No pin' });
    const extra = { category: roads.id, ward: wardId };
    await expectSameEverywhere(w, extra);
    // The route reads the summary when it can: a whole city at zoom 13 with the summary's filters.
    expect((await read(w, { bbox: '-0.05,51.4,0.05,51.5', zoom: '13', category: roads.id })).source).toBe('summary');

    // Changes: moved (into another cell, then off the map), status, category, team, sensitivity, a duplicate closed.
    ok(await w.admin.api('PATCH', `/api/v1/cases/${cases[0]!.id}`, { location: { lat: 51.4401, lng: 0.0201 } }), 200);
    ok(await w.admin.api('PATCH', `/api/v1/cases/${cases[7]!.id}`, { location: null }), 200);
    ok(await w.admin.api('POST', `/api/v1/cases/${cases[1]!.id}/status`, { status: 'waiting_on_resident' }), 200);
    ok(await w.admin.api('PATCH', `/api/v1/cases/${cases[2]!.id}`, { categoryId: potholes.id }), 200);
    ok(await w.admin.api('POST', `/api/v1/cases/${cases[2]!.id}/assign`, { teamId: w.team.id }), 200);
    ok(await w.admin.api('PATCH', `/api/v1/cases/${cases[3]!.id}`, { isSensitive: false }), 200);
    ok(await w.admin.api('PATCH', `/api/v1/cases/${cases[4]!.id}`, { isSensitive: true }), 200);
    ok(await w.admin.api('POST', `/api/v1/cases/${cases[5]!.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Filled' }), 200);
    // A read folds the changes in first, then reads the summary: already the cases' answer.
    const city = { bbox: '-0.2,51.3,0.2,51.6', zoom: '13' };
    const auto = await read(w, city);
    expect(auto.source).toBe('summary');
    expect(rounded(auto.map)).toEqual(rounded((await read(w, city, { source: 'cases' })).map));
    expect(auto.map.total).toBe(6);
    await expectSameEverywhere(w, extra);

    // What the changes left is what a rebuild makes from scratch.
    const cells = () => ctx.database.db.selectFrom('insight_map_cells').selectAll().where('office_id', '=', w.office.id)
      .orderBy(['level', 'cx', 'cy', 'status', 'category_id', 'ward_id', 'team_id', 'is_sensitive']).execute()
      .then((rows) => rows.map((r) => ({ ...r, sum_lng: Number(r.sum_lng.toFixed(9)), sum_lat: Number(r.sum_lat.toFixed(9)), id_hi: String(r.id_hi), id_lo: String(r.id_lo) })));
    const kept = await cells();
    expect(kept.filter((r) => r.level === 16).reduce((n, r) => n + r.n, 0)).toBe(7); // eight located, one moved off the map
    await rebuildOffice(ctx.database.db, w.office.id);
    expect(await cells()).toEqual(kept);
  });

  it('leaves the summary alone where it cannot answer: other filters, close zooms, changes not folded in yet', async () => {
    const w = await casework(ctx);
    const c = await w.open({ subject: 'Bench', location: { lat: 51.45, lng: -0.02 } });
    const view = { bbox: '-0.05,51.4,0.05,51.5', zoom: '13' };
    const first = await read(w, view);
    expect(first.source).toBe('summary');
    expect(first.map.features.map((f) => !f.properties.cluster && f.properties.caseId)).toEqual([c.id]);
    // Marked sensitive just before a read by someone not cleared: folded in first, never shown.
    ok(await w.admin.api('PATCH', `/api/v1/cases/${c.id}`, { isSensitive: true }), 200);
    const hidden = await read(w, view, { sensitive: false });
    expect(hidden.source).toBe('summary');
    expect(hidden.map).toEqual({ type: 'FeatureCollection', total: 0, features: [] });
    ok(await w.admin.api('PATCH', `/api/v1/cases/${c.id}`, { isSensitive: false }), 200);
    expect((await read(w, { ...view, assignee: 'none' })).source).toBe('cases');
    expect((await read(w, { ...view, q: 'bench' })).source).toBe('cases');
    expect((await read(w, { bbox: '-0.021,51.449,-0.019,51.451', zoom: '17' })).source).toBe('cases');
    await expect(read(w, { ...view, priority: 'low' }, { source: 'summary' })).rejects.toThrow(/no cells for these filters/);
    // More pending than a read folds in (a rebuild under way): the cases are read, and are right.
    await ctx.database.db.insertInto('insight_office_state').values({ office_id: w.office.id, rebuilding: true })
      .onConflict((oc) => oc.column('office_id').doUpdateSet({ rebuilding: true })).execute();
    const during = await read(w, view);
    expect(during.source).toBe('cases');
    expect(during.map.total).toBe(1);
    await settle(w.office.id);
    const after = await read(w, view);
    expect(after.source).toBe('summary');
    expect(after.map.features.map((f) => !f.properties.cluster && f.properties.caseId)).toEqual([c.id]);
  });

  it('keeps a case id in two signed 64-bit halves and back', () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '8f3c2a10-9b7d-4e21-a0c5-7d1e2f3a4b5c']) {
      const [hi, lo] = idHalves(id);
      expect(idOfHalves(hi, lo)).toBe(id);
    }
    expect(idHalves('ffffffff-ffff-ffff-0000-000000000001')).toEqual([-1n, 1n]);
  });
});

describe('map tiles', () => {
  it('gives the SPA the configured tile URL and attribution in the session, and lets plain-http tiles through the CSP', async () => {
    const w = await casework(ctx);
    const plain = ok(await w.analyst.api('GET', '/api/v1/auth/session'), 200) as { map: unknown };
    expect(plain.map).toEqual({ tileUrl: null, tileAttribution: null });
    const tiled = await createTestApp({ MAP_TILE_URL: 'http://{s}.tiles.office.lan/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: 'Tiles: Office GIS' }, { sameDatabaseAs: ctx });
    try {
      const res = await asToken(tiled, await tokenFor(tiled, w.analyst.user, ['office.read']))('GET', '/api/v1/auth/session');
      expect((ok(res, 200) as { map: unknown }).map).toEqual({ tileUrl: 'http://{s}.tiles.office.lan/{z}/{x}/{y}.png', tileAttribution: 'Tiles: Office GIS' });
      expect(res.headers['content-security-policy']).toMatch(/img-src 'self' data: blob: https: http:\/\/\*\.tiles\.office\.lan;/);
    } finally {
      await tiled.close();
    }
  });
});

describe('bad input and access', () => {
  it('refuses a bad view, zoom, filter or unknown parameter with the parameter named', async () => {
    const w = await casework(ctx);
    const bad: [string, string][] = [
      ['bbox=1,2,3&zoom=3', 'bbox'], ['bbox=0,0,1,north&zoom=3', 'bbox'], ['bbox=5,0,1,1&zoom=3', 'bbox'], ['bbox=0,1,1,0&zoom=3', 'bbox'],
      ['bbox=0,0,181,1&zoom=3', 'bbox'], ['bbox=0,-91,1,1&zoom=3', 'bbox'], ['zoom=3', 'bbox'], ['bbox=0,0,1,1', 'zoom'], ['bbox=0,0,1,1&zoom=23', 'zoom'],
      ['bbox=0,0,1,1&zoom=1.5', 'zoom'], ['bbox=0,0,1,1&zoom=3&colour=red', 'colour'], ['bbox=0,0,1,1&zoom=3&sort=created', 'sort'],
      ['bbox=0,0,1,1&zoom=3&limit=10', 'limit'], ['bbox=0,0,1,1&zoom=3&priority=soon', 'priority.0'], ['bbox=0,0,1,1&zoom=3&assignee=bob', 'assignee'],
      [`bbox=0,0,1,1&zoom=3&mine=true&assignee=${w.admin.user.id}`, 'mine'],
    ];
    for (const [query, field] of bad) refused(await w.analyst.api('GET', `/api/v1/insights/map/points?${query}`), 400, 'validation_failed', field);
  });

  it('needs insights.read on top of case.read', async () => {
    const w = await casework(ctx);
    refused(await w.caseworker.api('GET', '/api/v1/insights/map/points?bbox=0,0,1,1&zoom=3'), 403, 'forbidden');
    refused(await w.volunteer.api('GET', '/api/v1/insights/map/points?bbox=0,0,1,1&zoom=3'), 403, 'forbidden');
  });

  it("never shows another office's cases", async () => {
    const a = await casework(ctx);
    const b = await casework(ctx);
    await a.open({ subject: 'Ours', location: { lat: 0.5, lng: 0.5 } });
    expect((await map(a.admin, 'bbox=0,0,1,1&zoom=5')).total).toBe(1);
    expect(await map(b.admin, 'bbox=0,0,1,1&zoom=5')).toEqual({ type: 'FeatureCollection', total: 0, features: [] });
  });
});
