import fs from 'node:fs';
import { kinks } from '@turf/kinks';
import { describe, expect, it } from 'vitest';
import { mulberry32, pointInGeometry, type PolygonGeometry as DemoGeometry } from '../demo/demo.geometry.js';
import { AreaIndex } from './geo.index.js';
import { findCrossing, parseFeatureCollection, type Position, type Ring } from './geo.geometry.js';

const fixture = (name: string) => JSON.parse(fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as unknown;
const square = (x: number, y: number, s: number): Ring => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const feature = (geometry: unknown, properties: Record<string, unknown> = { code: 'A', name: 'Alpha' }) => ({ type: 'Feature', properties, geometry });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('checking boundary files', () => {
  it('accepts the real Lewisham wards with their ids and names', () => {
    const { features, issues } = parseFeatureCollection(fixture('lewisham-wards-2022.geojson'));
    expect(issues).toEqual([]);
    expect(features).toHaveLength(19);
    expect(features[0]).toMatchObject({ code: 'E05013714', name: 'Bellingham' });
    const [minLng, minLat, maxLng, maxLat] = features[0]!.bbox;
    expect(minLng).toBeLessThan(maxLng);
    expect(minLat).toBeGreaterThan(51.4);
    expect(maxLat).toBeLessThan(51.5);
  });

  it('names the feature and the reason for each kind of bad geometry', () => {
    const bowTie = { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] };
    const { features, issues } = parseFeatureCollection(fc(
      feature({ type: 'Polygon', coordinates: [square(0, 0, 1)] }, { code: 'ok' }),
      feature({ type: 'Point', coordinates: [0, 0] }, { code: 'p' }),
      feature({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, { code: 'open' }),
      feature({ type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] }, { code: 'far' }),
      feature(bowTie, { code: 'bow' }),
      feature(null, { code: 'none' }),
      feature({ type: 'Polygon', coordinates: [[[0, 0], ['a', 0], [1, 1], [0, 0]]] }, { code: 'nan' }),
      feature({ type: 'Polygon', coordinates: [square(0, 0, 1)] }, { name: 'no code' }),
      feature({ type: 'Polygon', coordinates: [square(0, 0, 1)] }, { code: 'ok' }),
      { type: 'Thing' },
    ));
    expect(features.map((f) => f.code)).toEqual(['ok']);
    expect(issues.map((i) => i.field)).toEqual([
      'features.1.geometry', 'features.2.geometry', 'features.3.geometry', 'features.4.geometry', 'features.5.geometry',
      'features.6.geometry', 'features.7.properties', 'features.8.properties', 'features.9',
    ]);
    const messages = issues.map((i) => i.message);
    expect(messages[0]).toMatch(/must be a Polygon or MultiPolygon, not Point/);
    expect(messages[1]).toMatch(/ring 0 is not closed/);
    expect(messages[2]).toMatch(/position 1 of ring 0 \(200, 0\) is outside the world/);
    expect(messages[3]).toMatch(/ring 0 crosses itself near \(0\.5, 0\.5\)/);
    expect(messages[4]).toMatch(/is missing/);
    expect(messages[5]).toMatch(/does not hold two numbers/);
    expect(messages[6]).toMatch(/has no code .*properties are: name/);
    expect(messages[7]).toMatch(/repeats the code "ok" of feature 0/);
    expect(messages[8]).toMatch(/not a GeoJSON Feature/);
  });

  it('refuses what is not a FeatureCollection, or an empty one', () => {
    expect(parseFeatureCollection([]).issues).toEqual([{ field: '', message: 'must be a GeoJSON object' }]);
    expect(parseFeatureCollection({ type: 'Feature' }).issues[0]!.field).toBe('type');
    expect(parseFeatureCollection({ type: 'FeatureCollection', features: {} }).issues[0]!.field).toBe('features');
    expect(parseFeatureCollection(fc()).issues[0]!.message).toBe('has no features');
  });

  it('takes code and name from chosen properties, ONS-style names, or the feature id', () => {
    const g = { type: 'Polygon', coordinates: [square(0, 0, 1)] };
    const ons = parseFeatureCollection(fc(feature(g, { OBJECTID: 4, WD22CD: 'E05000001', WD22NM: 'Abbey' })));
    expect(ons.features[0]).toMatchObject({ code: 'E05000001', name: 'Abbey' });
    const chosen = parseFeatureCollection(fc(feature(g, { ref: 'x', ward_no: 7, label: 'Seven' })), { codeProperty: 'ward_no', nameProperty: 'label' });
    expect(chosen.features[0]).toMatchObject({ code: '7', name: 'Seven' });
    const byId = parseFeatureCollection(fc({ ...feature(g, {}), id: 'F1' }));
    expect(byId.features[0]).toMatchObject({ code: 'F1', name: 'F1' });
    const missing = parseFeatureCollection(fc(feature(g, { code: 'a' })), { nameProperty: 'nom' });
    expect(missing.issues).toEqual([{ field: 'features.0.properties', message: 'has no property "nom"' }]);
  });

  it('accepts a MultiPolygon, holes, repeated positions and a hole touching its shell at a point', () => {
    const withHole = [square(0, 0, 10), [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]]];
    const touching = [square(0, 0, 10), [[0, 5], [3, 6], [3, 4], [0, 5]]];
    const repeated = [[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]]];
    const { issues, features } = parseFeatureCollection(fc(
      feature({ type: 'MultiPolygon', coordinates: [withHole, [square(20, 20, 1)]] }, { code: 'm' }),
      feature({ type: 'Polygon', coordinates: touching }, { code: 't' }),
      feature({ type: 'Polygon', coordinates: repeated }, { code: 'r' }),
    ));
    expect(issues).toEqual([]);
    expect(features[0]!.bbox).toEqual([0, 0, 21, 21]);
  });

  it('refuses a hole crossing its shell, and a spike doubling back along an edge', () => {
    const crossingHole = [square(0, 0, 10), [[8, 8], [12, 8], [12, 9], [8, 9], [8, 8]]];
    const spike = [[[0, 0], [4, 0], [2, 0], [2, 2], [0, 2], [0, 0]]];
    const { issues } = parseFeatureCollection(fc(feature({ type: 'Polygon', coordinates: crossingHole }, { code: 'h' }), feature({ type: 'Polygon', coordinates: spike }, { code: 's' })));
    expect(issues[0]).toEqual({ field: 'features.0.geometry', message: expect.stringMatching(/ring 1 crosses ring 0 near \(10, 8\)/) });
    expect(issues[1]).toEqual({ field: 'features.1.geometry', message: expect.stringMatching(/ring 0 crosses itself/) });
  });

  it('finds self-intersections exactly where @turf/kinks does, on random rings', () => {
    const rand = mulberry32(7);
    let crossing = 0;
    for (let n = 0; n < 300; n++) {
      const k = 4 + Math.floor(rand() * 9);
      const ring: Position[] = Array.from({ length: k }, () => [Math.round(rand() * 1000) / 100, Math.round(rand() * 1000) / 100] as Position);
      ring.push(ring[0]!);
      const ours = findCrossing([ring]) !== null;
      const turf = kinks({ type: 'Polygon', coordinates: [ring] }).features.length > 0;
      expect(ours, JSON.stringify(ring)).toBe(turf);
      if (ours) crossing++;
    }
    expect(crossing).toBeGreaterThan(50); // the comparison covered both outcomes
    expect(crossing).toBeLessThan(300);
  });
});

describe('point in polygon with the spatial index', () => {
  it('agrees with brute-force ray casting for 1,000 real report locations in Lewisham', () => {
    const { features } = parseFeatureCollection(fixture('lewisham-wards-2022.geojson'));
    const index = new AreaIndex(features.map((f) => ({ id: f.code, layer: 'ward', code: f.code, name: f.name, geometry: f.geometry, bbox: f.bbox })));
    const points = fixture('lewisham-report-points.json') as [number, number][];
    let inside = 0;
    for (const [lng, lat] of points) {
      const found = index.locate(lng, lat).map((b) => b.code);
      const brute = features.filter((f) => pointInGeometry(lng, lat, f.geometry as DemoGeometry)).map((f) => f.code);
      expect(found).toEqual(brute.slice(0, 1));
      if (found.length) inside++;
    }
    expect(inside / points.length).toBeGreaterThan(0.95);
    expect(index.locate(0.5, 51.0)).toEqual([]); // the Channel
  });

  it('finds one boundary per layer, including the second part of a MultiPolygon', () => {
    const index = new AreaIndex([
      { id: 'w1', layer: 'ward', code: 'W1', name: 'One', geometry: { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(5, 5, 1)]] }, bbox: [0, 0, 6, 6] },
      { id: 'w2', layer: 'ward', code: 'W2', name: 'Two', geometry: { type: 'Polygon', coordinates: [square(1, 0, 1)] }, bbox: [1, 0, 2, 1] },
      { id: 'd1', layer: 'district', code: 'D1', name: 'All', geometry: { type: 'Polygon', coordinates: [square(0, 0, 10)] }, bbox: [0, 0, 10, 10] },
    ]);
    expect(index.locate(5.5, 5.5).map((b) => b.id).sort()).toEqual(['d1', 'w1']);
    expect(index.locate(3, 3).map((b) => b.id)).toEqual(['d1']); // between the MultiPolygon's parts
    expect(index.locate(1, 0.5).map((b) => b.id).sort()).toEqual(['d1', 'w1']); // a shared edge goes to the first code
    expect(index.locate(11, 11)).toEqual([]);
    expect(new AreaIndex([]).locate(0, 0)).toEqual([]);
  });
});
