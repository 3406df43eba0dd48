// portal-open-data: the resident portal's open data page and downloads for an office with
// 300,000 cases over two years (quick: 60,000), a third of them open (100,000; quick 20,000),
// placed at random over Lewisham's 19 wards, across 20 categories (one keeping locations
// private) with 3% sensitive. Measured through a real server over HTTP after the insights
// summaries are rebuilt: the figures read cold (in process, what a page costs every 5 minutes),
// the page (figures remembered, map and list read live), a deep page of the list, and the three
// downloads. Raw: count(*) of the office's open cases (the floor under anything listing them).
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import * as offices from '../../server/modules/offices/offices.service.js';
import * as publicForm from '../../server/modules/intake/intake.public-form.js';
import { parseFeatureCollection } from '../../server/modules/geo/geo.geometry.js';
import * as geoRepo from '../../server/modules/geo/geo.repo.js';
import { rebuildOffice } from '../../server/modules/insights/insights.service.js';
import { figures, forgetFigures } from '../../server/modules/portal/portal.open-data.js';
import { officeFor } from '../../server/modules/portal/portal.service.js';
import { systemScope } from '../../server/platform/scope.js';
import { ownPeakRssMb } from '../lib/proc.js';
import { ROOT, startServer } from '../lib/server.js';
import { Samples, summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

export const scenario: Scenario = {
  name: 'portal-open-data',
  description: 'portal open data page and downloads at an office with 100,000 open cases (quick: 20,000)',
  async run(ctx: Context): Promise<Result[]> {
    const cases = ctx.quick ? 60_000 : 300_000;
    const runs = ctx.quick ? 5 : 10;
    const database = await ctx.bench.open(2);
    const db = database.db;
    try {
      const office = await offices.create(db, { slug: `bench-od-${Date.now().toString(36)}`, name: 'Bench open data', timeZone: 'Europe/London' }, 'bench');
      await publicForm.update(systemScope(db, office.id, 'bench'), { enabled: true, categoryIds: null });
      const wards = parseFeatureCollection(JSON.parse(fs.readFileSync(path.join(ROOT, 'server/modules/geo/fixtures/lewisham-wards-2022.geojson'), 'utf8')), { codeProperty: 'id', nameProperty: 'name' });
      await geoRepo.upsertBoundaries(db, office.id, 'ward', wards.features.map((f) => ({ code: f.code, name: f.name, geometry: f.geometry, bbox: f.bbox })));
      await sql`INSERT INTO categories (office_id, name, location_is_private) SELECT ${office.id}, 'Category ' || g, g = 20 FROM generate_series(1, 20) g`.execute(db);
      const t0 = performance.now();
      await sql`
        WITH c AS (SELECT array_agg(id ORDER BY name) AS ids FROM categories WHERE office_id = ${office.id}),
             w AS (SELECT array_agg(id ORDER BY code) AS ids FROM boundaries WHERE office_id = ${office.id}),
             g AS (SELECT g, now() - random() * interval '730 days' AS at FROM generate_series(1, ${cases}) g)
        INSERT INTO cases (office_id, reference, subject, channel, category_id, ward_id, lat, lng, is_sensitive, status, created_at, updated_at, resolved_at)
        SELECT ${office.id}, 'OD-' || g.g, 'Bench case', 'web', c.ids[1 + floor(power(random(), 2) * 20)::int], w.ids[1 + floor(random() * array_length(w.ids, 1))::int],
          51.42 + random() * 0.06, -0.07 + random() * 0.09, random() < 0.03,
          CASE WHEN g.g % 3 = 0 THEN 'new' ELSE 'resolved' END, g.at, now(),
          CASE WHEN g.g % 3 = 0 THEN NULL ELSE least(now(), g.at + random() * interval '30 days') END
        FROM g, c, w`.execute(db);
      await sql`ANALYZE cases`.execute(db);
      ctx.log(`portal-open-data: ${cases.toLocaleString('en-GB')} cases planted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const t1 = performance.now();
      await rebuildOffice(db, office.id);
      ctx.log(`portal-open-data: insights rebuilt in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

      // The figures as a request finds them every 5 minutes: nothing remembered.
      const portalOffice = await officeFor(db, office.slug);
      const cold = new Samples();
      for (let i = 0; i < runs; i++) {
        forgetFigures(office.id);
        const t = performance.now();
        await figures(db, portalOffice);
        cold.add(performance.now() - t);
      }
      const raw = new Samples();
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await sql`SELECT count(*) FROM cases WHERE office_id = ${office.id} AND resolved_at IS NULL AND closed_at IS NULL`.execute(db);
        raw.add(performance.now() - t);
      }
      const rl = summarise(raw.values());
      const rawOf = { what: 'count(*) of the office\'s open cases', operations: runs, seconds: (rl.mean * runs) / 1000, throughput: 1000 / rl.mean, p50: rl.p50, p95: rl.p95, p99: rl.p99 };

      const server = await startServer(ctx.bench);
      const results: Result[] = [];
      const add = (name: string, s: Samples, bytes: number, latencyOf: string, peakRssMb: number) => {
        const l = summarise(s.values());
        results.push({
          scenario: `portal-open-data ${name}`, engine: ctx.bench.engine, scale: cases, operations: s.length, unit: 'requests', seconds: (l.mean * s.length) / 1000,
          throughput: 1000 / l.mean, p50: l.p50, p95: l.p95, p99: l.p99, latencyOf, peakRssMb, rssOf: name === 'figures (cold)' ? 'bench process' : 'server process',
          raw: rawOf, ratio: 1000 / l.mean / rawOf.throughput, errors: 0, notes: bytes ? `${(bytes / 1024).toFixed(0)} KiB` : '',
        });
      };
      add('figures (cold)', cold, 0, 'figures(): insights performance + backlog by category, placed reports per ward, ward outlines', ownPeakRssMb());
      try {
        const base = `${server.url}/portal/${office.slug}/open-data`;
        const targets: [string, string][] = [
          ['page', `${base}?lang=en`], ['page 1000 of the list', `${base}?lang=es&page=1000`],
          ['reports.csv', `${base}/reports.csv`], ['reports.geojson', `${base}/reports.geojson`], ['summary.csv', `${base}/summary.csv`],
        ];
        for (const [name, url] of targets) {
          const s = new Samples();
          let bytes = 0;
          let peak = 0;
          // Downloads are limited to 10 a minute per address: fewer of them.
          const times = name.endsWith('.csv') || name.endsWith('.geojson') ? Math.min(runs, 4) : runs;
          for (let i = 0; i <= times; i++) {
            const t = performance.now();
            const res = await fetch(url);
            const body = await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
            if (i > 0) s.add(performance.now() - t); // the first warms up (and remembers the figures)
            bytes = body.byteLength;
            peak = Math.max(peak, (await server.memory())?.hwmMb ?? 0);
          }
          add(name, s, bytes, `one GET ${name}, whole body read`, peak);
        }
      } finally {
        await server.stop();
      }
      return results;
    } finally {
      await database.close();
    }
  },
};
