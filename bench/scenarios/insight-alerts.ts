// insight-alerts: one run of the emerging-issue detector (scanOffice: the grouped count over
// the window and 12 weeks of history, the model for every category x ward pair, alerts
// written) for an office with 300,000 cases (quick: 60,000) spread over the history range
// across 40 categories and 20 wards, with a planted spike. The raw primitive is the floor
// under any such detector: counting the same cases through the same index (cases_recent).
import { sql } from 'kysely';
import * as offices from '../../server/modules/offices/offices.service.js';
import { scanOffice } from '../../server/modules/insights/insights.alerts.js';
import { systemScope } from '../../server/platform/scope.js';
import { ownPeakRssMb } from '../lib/proc.js';
import { Samples, summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

const RUNS = 10;

export const scenario: Scenario = {
  name: 'insight-alerts',
  description: 'emerging-issue detector: one office scan over 12 weeks of history (grouped count + model + alerts)',
  async run(ctx: Context): Promise<Result[]> {
    const cases = ctx.quick ? 60_000 : 300_000;
    const database = await ctx.bench.open(2);
    try {
      const db = database.db;
      const office = await offices.create(db, { slug: `bench-alerts-${Date.now().toString(36)}`, name: 'Bench alerts', timeZone: 'Europe/London' }, 'bench');
      await sql`INSERT INTO categories (office_id, name) SELECT ${office.id}, 'Category ' || g FROM generate_series(1, 40) g`.execute(db);
      await sql`INSERT INTO boundaries (office_id, layer, code, name, geometry, min_lng, min_lat, max_lng, max_lat)
        SELECT ${office.id}, 'ward', 'W' || g, 'Ward ' || g, '{"type":"Polygon","coordinates":[]}'::jsonb, 0, 0, 1, 1 FROM generate_series(1, 20) g`.execute(db);
      const t0 = performance.now();
      // Cases over the 86 days before now (window + history), a few pairs much busier than others.
      await sql`
        WITH c AS (SELECT array_agg(id ORDER BY name) AS ids FROM categories WHERE office_id = ${office.id}),
             w AS (SELECT array_agg(id ORDER BY code) AS ids FROM boundaries WHERE office_id = ${office.id})
        INSERT INTO cases (office_id, reference, subject, channel, category_id, ward_id, lat, lng, created_at, updated_at)
        SELECT ${office.id}, 'B-' || g, 'Bench case', 'phone', c.ids[1 + floor(power(random(), 2) * 40)::int], w.ids[1 + floor(random() * 20)::int],
          random(), random(), now() - random() * interval '86 days', now()
        FROM generate_series(1, ${cases}) g, c, w`.execute(db);
      // The spike: 12 reports of one rare pair in the last day.
      await sql`
        INSERT INTO cases (office_id, reference, subject, channel, category_id, ward_id, created_at, updated_at)
        SELECT ${office.id}, 'S-' || g, 'Spike', 'phone', (SELECT id FROM categories WHERE office_id = ${office.id} AND name = 'Category 40'),
          (SELECT id FROM boundaries WHERE office_id = ${office.id} AND code = 'W20'), now() - g * interval '1 hour', now()
        FROM generate_series(1, 12) g`.execute(db);
      await sql`ANALYZE cases`.execute(db);
      ctx.log(`insight-alerts: ${cases.toLocaleString('en-GB')} cases planted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const scope = systemScope(db, office.id, 'bench');
      const first = await scanOffice(scope);
      const samples = new Samples();
      let raised = first.raised.length;
      let updated = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = await scanOffice(scope);
        samples.add(performance.now() - t);
        raised += r.raised.length;
        updated = r.updated.length;
      }
      const raw = new Samples();
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await sql`SELECT count(*) FROM cases WHERE office_id = ${office.id} AND created_at >= now() - interval '86 days'`.execute(db);
        raw.add(performance.now() - t);
      }
      const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT category_id, ward_id, (created_at AT TIME ZONE 'Europe/London')::date, count(*) FROM cases
        WHERE office_id = ${office.id} AND created_at >= now() - interval '86 days' AND created_at <= now() AND category_id IS NOT NULL AND ward_id IS NOT NULL GROUP BY 1, 2, 3`.execute(db);
      const scanNode = plan.rows.map((r) => r['QUERY PLAN'].trim()).find((l) => /Scan/.test(l)) ?? '';
      const l = summarise(samples.values());
      const rl = summarise(raw.values());
      const seconds = (l.mean * RUNS) / 1000;
      const rawSeconds = (rl.mean * RUNS) / 1000;
      return [{
        scenario: 'insight-alerts', engine: ctx.bench.engine, scale: cases, operations: RUNS, unit: 'office scans', seconds, throughput: RUNS / seconds,
        p50: l.p50, p95: l.p95, p99: l.p99, latencyOf: 'one scanOffice() (grouped count over window + 12 weeks, model, alert writes), warm',
        peakRssMb: ownPeakRssMb(), rssOf: 'bench process',
        raw: { what: 'count(*) of the same cases through cases_recent', operations: RUNS, seconds: rawSeconds, throughput: RUNS / rawSeconds, p50: rl.p50, p95: rl.p95, p99: rl.p99 },
        ratio: RUNS / seconds / (RUNS / rawSeconds), errors: 0,
        notes: `${first.pairs} pairs in the window; first run raised ${first.raised.length}, later runs updated ${updated}, raised ${raised - first.raised.length}; plan: ${scanNode}`,
      }];
    } finally {
      await database.close();
    }
  },
};
