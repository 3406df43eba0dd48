// case-list: the case list and the case page at scale. Tops the demo office up to N cases
// (5 per constituent by default: 5,000,000 at the full scale; 100,000 with --quick) through
// the demo loader, then asks the product's own list (`cases.search.list`, first page of 50,
// newest first, in process on a pool, as an admin who may see sensitive cases) with every
// pair of two filters drawn from the data (status, ward, assignee, category, team,
// priority, channel), and loads case pages (`cases.service.get`) of random cases. The raw
// primitives are the bare indexed queries: the first 51 ids of one status, newest first;
// one case row by primary key.
import type { Database } from '../../server/platform/db/database.js';
import { systemScope } from '../../server/platform/scope.js';
import { list } from '../../server/modules/cases/cases.search.js';
import { get } from '../../server/modules/cases/cases.service.js';
import type { CaseListQuery } from '../../contract/cases.js';
import { topUpCases } from '../lib/demo.js';
import { ownPeakRssMb } from '../lib/proc.js';
import { Samples, summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

type Values = { status: string[]; ward: string[]; assignee: string[]; category: string[]; team: string[]; priority: string[]; channel: string[] };
const FILTERS = ['status', 'ward', 'assignee', 'category', 'team', 'priority', 'channel'] as const;

/** The values each filter takes in the data (most common first), so every query can match. */
async function valuesOf(database: Database, officeId: string): Promise<Values> {
  const col = async (c: string) =>
    (await database.pool.query<{ v: string }>(
      `SELECT ${c}::text AS v FROM (SELECT ${c} FROM cases TABLESAMPLE SYSTEM (1) WHERE office_id = $1 AND ${c} IS NOT NULL) s GROUP BY 1 ORDER BY count(*) DESC LIMIT 30`,
      [officeId],
    )).rows.map((r) => r.v);
  return {
    status: await col('status'), ward: await col('ward_id'), assignee: await col('assignee_id'), category: await col('category_id'),
    team: await col('team_id'), priority: await col('priority'), channel: await col('channel'),
  };
}

async function sampleIds(database: Database, officeId: string, n: number): Promise<string[]> {
  const r = await database.pool.query<{ id: string }>(
    'SELECT id FROM cases TABLESAMPLE SYSTEM (1) REPEATABLE (3) WHERE office_id = $1 LIMIT $2', [officeId, n]);
  return r.rows.map((x) => x.id);
}

function timed(samples: Samples, f: () => Promise<unknown>): Promise<unknown> {
  const t = performance.now();
  return f().finally(() => samples.add(performance.now() - t));
}

export const scenario: Scenario = {
  name: 'case-list',
  description: 'case list first page with two filters, and the case page, at 5 cases per constituent (p50/p95/p99)',
  async run(ctx: Context): Promise<Result[]> {
    const demo = await ctx.ensureDemo();
    const database = await ctx.bench.open(4);
    try {
      const { cases } = await topUpCases(ctx, database, demo.officeId, 'case-list');
      const values = await valuesOf(database, demo.officeId);
      const scope = systemScope(database.db, demo.officeId, 'bench');
      const viewer = { userId: demo.adminUserId, canSeeSensitive: true };
      const pairs = FILTERS.flatMap((a, i) => FILTERS.slice(i + 1).map((b) => [a, b] as const));
      const queries: Partial<CaseListQuery>[] = [];
      const rounds = ctx.quick ? 4 : 12;
      for (let k = 0; k < rounds; k++) {
        for (const [a, b] of pairs) {
          const va = values[a][k % Math.max(1, values[a].length)];
          const vb = values[b][(k * 7 + 3) % Math.max(1, values[b].length)];
          if (va === undefined || vb === undefined) continue;
          queries.push({ [a]: a === 'status' || a === 'priority' || a === 'channel' ? [va] : va, [b]: b === 'status' || b === 'priority' || b === 'channel' ? [vb] : vb });
        }
      }
      const run = async (q: Partial<CaseListQuery>) => list(scope, viewer, { sort: 'created', order: 'desc', limit: 50, ...q } as CaseListQuery);
      for (const q of queries.slice(0, 10)) await run(q); // warm up
      const lat = new Samples();
      let rows = 0;
      const slowest = new Map<string, number>();
      const t0 = performance.now();
      for (const q of queries) {
        const t = performance.now();
        await timed(lat, async () => (rows += (await run(q)).items.length));
        const pair = Object.keys(q).join('+');
        slowest.set(pair, Math.max(slowest.get(pair) ?? 0, performance.now() - t));
      }
      const listSeconds = (performance.now() - t0) / 1000;
      const worst = [...slowest].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ');
      ctx.log(`case-list: slowest filter pairs (worst query each): ${worst}`);

      const raw = new Samples();
      for (const s of values.status.slice(0, 5)) {
        for (let k = 0; k < 20; k++) {
          await timed(raw, () => database.pool.query('SELECT id FROM cases WHERE office_id = $1 AND status = $2 ORDER BY created_at DESC, id DESC LIMIT 51', [demo.officeId, s]));
        }
      }
      const ids = await sampleIds(database, demo.officeId, ctx.quick ? 100 : 300);
      const page = new Samples();
      const rawPage = new Samples();
      const p0 = performance.now();
      for (const id of ids) await timed(page, () => get(scope, viewer, id));
      const pageSeconds = (performance.now() - p0) / 1000;
      for (const id of ids) await timed(rawPage, () => database.pool.query('SELECT * FROM cases WHERE office_id = $1 AND id = $2', [demo.officeId, id]));

      const l = summarise(lat.values());
      const r = summarise(raw.values());
      const pg = summarise(page.values());
      const rp = summarise(rawPage.values());
      ctx.log(`case-list: ${queries.length} lists p50 ${l.p50.toFixed(1)} ms p95 ${l.p95.toFixed(1)} ms (${rows} rows); case page p50 ${pg.p50.toFixed(1)} ms p95 ${pg.p95.toFixed(1)} ms`);
      return [
        {
          scenario: 'case-list', engine: ctx.bench.engine, scale: ctx.scale, operations: queries.length, unit: 'queries', seconds: listSeconds,
          throughput: queries.length / listSeconds, p50: l.p50, p95: l.p95, p99: l.p99, latencyOf: 'first page of 50 with two filters (sequential)',
          peakRssMb: ownPeakRssMb(), rssOf: 'bench process',
          raw: { what: 'first 51 ids of one status, newest first (bare indexed query)', operations: raw.length, seconds: (raw.length * r.mean) / 1000, throughput: 1000 / r.mean, p50: r.p50, p95: r.p95, p99: r.p99 },
          ratio: queries.length / listSeconds / (1000 / r.mean), errors: 0,
          notes: `${cases} cases; every pair of ${FILTERS.join(', ')}; ${rows} rows returned; slowest pairs: ${worst}`, extra: { cases, rows, slowest: Object.fromEntries(slowest) },
        },
        {
          scenario: 'case-page', engine: ctx.bench.engine, scale: ctx.scale, operations: ids.length, unit: 'pages', seconds: pageSeconds,
          throughput: ids.length / pageSeconds, p50: pg.p50, p95: pg.p95, p99: pg.p99, latencyOf: 'one case page (sequential)',
          peakRssMb: ownPeakRssMb(), rssOf: 'bench process',
          raw: { what: 'one case row by primary key', operations: rawPage.length, seconds: (rawPage.length * rp.mean) / 1000, throughput: 1000 / rp.mean, p50: rp.p50, p95: rp.p95, p99: rp.p99 },
          ratio: ids.length / pageSeconds / (1000 / rp.mean), errors: 0, notes: `${cases} cases`, extra: { cases },
        },
      ];
    } finally {
      await database.close();
    }
  },
};
