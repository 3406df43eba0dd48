// The open data map's drawing: the projection fits the box within the map's size and keeps
// north up, outlines are thinned and closed, and circles grow with their counts.
import { describe, expect, it } from 'vitest';
import { gridOf, GRID_COLUMNS, MAP_HEIGHT, MAP_WIDTH, marksOf, padded, pathOf, projection } from './portal.open-data-map.js';

describe('the open data map', () => {
  it('fits the box within the map, west left and north up, longitudes shrunk at high latitudes', () => {
    const box = { west: -0.1, south: 51.4, east: 0.1, north: 51.5 };
    const p = projection(box);
    expect(p.width).toBeLessThanOrEqual(MAP_WIDTH);
    expect(p.height).toBeLessThanOrEqual(MAP_HEIGHT);
    expect(Math.max(p.width, p.height)).toBeGreaterThan(MAP_WIDTH - 20);
    expect(p.x(-0.1)).toBeLessThan(p.x(0.1));
    expect(p.y(51.5)).toBeLessThan(p.y(51.4));
    // 0.2° of longitude at 51.45° is about 0.125° of latitude on the ground.
    expect(p.width / p.height).toBeCloseTo((0.2 * Math.cos((51.45 * Math.PI) / 180)) / 0.1, 1);
  });

  it('gives a single point a box of its own', () => {
    const box = padded({ west: 1, south: 2, east: 1, north: 2 });
    expect(box.east - box.west).toBeGreaterThan(0);
    expect(projection(box).width).toBeGreaterThan(0);
  });

  it('draws rings closed, thinned to a few hundred points, repeated points dropped', () => {
    const p = projection({ west: 0, south: 0, east: 1, north: 1 });
    const ring = Array.from({ length: 5001 }, (_, i) => [Math.cos((i / 5000) * 2 * Math.PI) / 2 + 0.5, Math.sin((i / 5000) * 2 * Math.PI) / 2 + 0.5]);
    const d = pathOf({ type: 'MultiPolygon', coordinates: [[ring], [[[0, 0], [0, 0], [0.1, 0], [0.1, 0.1], [0, 0]]]] }, p);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/Z/g)).toHaveLength(2);
    expect(d.split('L').length).toBeLessThan(320);
    expect(d).toMatch(/^M[\d.]+ [\d.]+L/);
  });

  it('makes square cells, GRID_COLUMNS across, and circles whose area follows the count', () => {
    const grid = gridOf({ west: 0, south: 60, east: 4, north: 62 });
    expect(grid.lng).toBeCloseTo(4 / GRID_COLUMNS);
    expect(grid.lat).toBeCloseTo(grid.lng * Math.cos((61 * Math.PI) / 180));
    const p = projection(grid);
    const marks = marksOf([{ lng: 1, lat: 61, n: 1 }, { lng: 2, lat: 61, n: 100 }, { lng: 3, lat: 61, n: 25 }], p);
    expect(marks.map((m) => m.count)).toEqual([100, 25, 1]);
    expect(marks[0]!.r).toBe(14);
    expect(marks[1]!.r).toBe(8.5);
    expect(marksOf([{ lng: 1, lat: 61, n: 1 }], p)[0]!.r).toBe(4);
  });
});
