// open311: the GeoReport v2 endpoints of the real server under a fixed-concurrency load from
// autocannon, as 311 apps and FixMyStreet call them:
//   POST requests.json — a report (form-encoded, api_key, service_code, lat/long, email,
//     description), stored raw and processed at once (matched, a case opened) so the answer
//     carries the service_request_id;
//   GET requests.json?service_code=…&page_size=100 — a page of the feed (default 90-day window);
//   GET requests/{id}.json — one request, by the references the posts returned.
// Raw limits, measured in the same run through a pg Pool at the same concurrency: for POST a
// bare insert of the same stored row into inbound_items; for the GETs the feed's SQL itself
// (cases.open311-repo requests()) with the same filters.
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../server/platform/db/database.js';
import { systemScope } from '../../server/platform/scope.js';
import * as feed from '../../server/modules/cases/cases.open311-repo.js';
import * as intakeRepo from '../../server/modules/intake/intake.repo.js';
import * as admin from '../../server/modules/open311/open311.admin.js';
import { startServer, type ServerProcess } from '../lib/server.js';
import { closedLoop, Samples, summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

const SERVICE_CODE = 'bench-streetlight';
const DAY = 24 * 3600_000;

type Setup = { slug: string; apiKey: string; categoryId: string; lat: number; lng: number };
type Load = { requests: number; non2xx: number; errors: number; seconds: number; latency: Samples; statusCodes: Record<string, number>; bodies: string[] };

function load(server: ServerProcess, connections: number, seconds: number, request: () => { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> }, keepBodies = 0): Promise<Load> {
  const latency = new Samples();
  const bodies: string[] = [];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const inst = autocannon({
      url: server.url, connections, duration: seconds,
      requests: [{ setupRequest: (req) => ({ ...req, ...request() }), ...(keepBodies ? { onResponse: (status: number, body: string) => { if (status < 300 && bodies.length < keepBodies) bodies.push(body); } } : {}) }],
    }, (err, r) => {
      if (err) return reject(err as Error);
      const statusCodes: Record<string, number> = {};
      for (const [code, n] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = (n as { count: number }).count;
      resolve({ requests: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts, seconds: (performance.now() - t0) / 1000, latency, statusCodes, bodies });
    });
    inst.on('response', (_client, _status, _bytes, responseTime) => latency.add(responseTime));
  });
}

async function setUp(database: Database, officeId: string): Promise<Setup> {
  const scope = systemScope(database.db, officeId, 'bench');
  const office = await database.db.selectFrom('offices').select('slug').where('id', '=', officeId).executeTakeFirstOrThrow();
  const category = await database.db.selectFrom('categories').select('id').where('office_id', '=', officeId).where('retired', '=', false).orderBy('name').executeTakeFirstOrThrow();
  await admin.putService(scope, category.id, { serviceCode: SERVICE_CODE, description: 'Streetlight out (bench)', keywords: [], group: null, attributes: [] });
  const { secret } = await admin.createKey(scope, { name: `bench-${Date.now()}` });
  // A point inside the office's area: the centre of its located cases (the demo places them all).
  const centre = await database.pool.query<{ lat: number; lng: number }>('SELECT avg(lat)::float8 AS lat, avg(lng)::float8 AS lng FROM cases WHERE office_id = $1 AND lat IS NOT NULL', [officeId]);
  return { slug: office.slug, apiKey: secret, categoryId: category.id, lat: centre.rows[0]?.lat ?? 51.5, lng: centre.rows[0]?.lng ?? -0.1 };
}

function reportForm(s: Setup, i: number): string {
  return new URLSearchParams({
    jurisdiction_id: s.slug, api_key: s.apiKey, service_code: SERVICE_CODE,
    lat: (s.lat + ((i % 200) - 100) * 1e-4).toFixed(6), long: (s.lng + ((i % 150) - 75) * 1e-4).toFixed(6),
    email: `reporter${i % 5000}@open311-bench.example`, first_name: 'Bench', last_name: `Reporter ${i % 5000}`,
    description: `Streetlight ${i} is out; the pavement is dark at night.`,
  }).toString();
}

type Measured = { name: string; what: string; load: Load; raw: Awaited<ReturnType<typeof closedLoop>>; rawWhat: string };

export const scenario: Scenario = {
  name: 'open311',
  description: 'Open311 GeoReport v2: POST requests (stored and processed at once), GET the feed and one request, vs the bare insert and the feed SQL',
  async run(ctx: Context): Promise<Result[]> {
    const demo = await ctx.ensureDemo();
    let database = await ctx.bench.open(2);
    let s: Setup;
    try {
      s = await setUp(database, demo.officeId);
    } finally {
      await database.close(); // PGlite is single-process: the server needs the data dir to itself
    }
    const measured: Omit<Measured, 'raw' | 'rawWhat'>[] = [];
    const references: string[] = [];
    let peakRss = 0;
    const server = await startServer(ctx.bench, { OPEN311_POSTS_PER_MINUTE: '100000000', OPEN311_READS_PER_MINUTE: '100000000' });
    try {
      let i = 0;
      ctx.log(`open311: POST requests.json, ${ctx.concurrency} connections for ${ctx.duration}s`);
      const posts = await load(server, ctx.concurrency, ctx.duration, () => ({
        method: 'POST', path: '/open311/v2/requests.json', body: reportForm(s, i++), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }), 2000);
      for (const b of posts.bodies) {
        const id = (JSON.parse(b) as { service_request_id?: string }[])[0]?.service_request_id;
        if (id) references.push(id);
      }
      measured.push({ name: 'open311-post', what: 'one POST requests.json (stored, processed, case opened)', load: posts });
      peakRss = Math.max(peakRss, (await server.memory())?.hwmMb ?? 0);
      ctx.log(`open311: ${posts.requests} posts, ${(posts.requests / posts.seconds).toFixed(0)}/s, non-2xx ${posts.non2xx}; GET requests.json`);
      const list = `/open311/v2/requests.json?jurisdiction_id=${s.slug}&service_code=${SERVICE_CODE}&page_size=100`;
      measured.push({ name: 'open311-get-list', what: 'one GET requests.json (a page of 100)', load: await load(server, ctx.concurrency, ctx.duration, () => ({ method: 'GET', path: list })) });
      if (!references.length) throw new Error(`open311: no post answered a service_request_id (status codes ${JSON.stringify(posts.statusCodes)})`);
      let k = 0;
      measured.push({
        name: 'open311-get-one', what: 'one GET requests/{id}.json',
        load: await load(server, ctx.concurrency, ctx.duration, () => ({ method: 'GET', path: `/open311/v2/requests/${references[k++ % references.length]}.json?jurisdiction_id=${s.slug}` })),
      });
      peakRss = Math.max(peakRss, (await server.memory())?.hwmMb ?? 0);
    } finally {
      await server.stop();
    }

    ctx.log(`open311: raw SQL through a pg Pool, ${ctx.concurrency} concurrent for ${ctx.duration}s each`);
    database = await ctx.bench.open(ctx.concurrency);
    const raws: { raw: Awaited<ReturnType<typeof closedLoop>>; rawWhat: string }[] = [];
    try {
      const db = database.db;
      const details = JSON.stringify({ kind: 'report', categoryId: s.categoryId, lat: s.lat, lng: s.lng });
      raws.push({
        rawWhat: 'INSERT of the same raw row into inbound_items',
        raw: await closedLoop(ctx.concurrency, ctx.duration, async (i) => {
          const raw = Buffer.from(reportForm(s, i), 'utf8');
          await intakeRepo.insertOnce(db, demo.officeId, { channel: 'open311', source: 'bench-raw', idempotency_key: `bench-raw:${randomUUID()}`, raw, raw_type: 'application/x-www-form-urlencoded', raw_size: raw.length, recipient: null, details, status: 'ignored' });
        }),
      });
      const to = new Date();
      const from = new Date(to.getTime() - 90 * DAY);
      raws.push({ rawWhat: 'the feed SQL for one page of 100', raw: await closedLoop(ctx.concurrency, ctx.duration, async () => void (await feed.requests(db, demo.officeId, { categoryIds: [s.categoryId], from, to, limit: 100, offset: 0 }))) });
      raws.push({
        rawWhat: 'the feed SQL for one request by reference',
        raw: await closedLoop(ctx.concurrency, ctx.duration, async (i) => void (await feed.requests(db, demo.officeId, { categoryIds: [s.categoryId], references: [references[i % references.length]!], limit: 1, offset: 0 }))),
      });
      // The raw rows were only a measurement.
      await database.pool.query("DELETE FROM inbound_items WHERE office_id = $1 AND source = 'bench-raw'", [demo.officeId]);
    } finally {
      await database.close();
    }

    return measured.map((m, n) => {
      const { raw, rawWhat } = raws[n]!;
      if (raw.errors) throw new Error(`open311 raw (${rawWhat}) failed: ${String(raw.firstError)}`);
      const lat = summarise(m.load.latency.values());
      const rawLat = summarise(raw.latency.values());
      const throughput = m.load.requests / m.load.seconds;
      const rawThroughput = raw.ops / raw.seconds;
      return {
        scenario: m.name, engine: ctx.bench.engine, scale: ctx.scale, operations: m.load.requests, unit: 'requests', seconds: m.load.seconds, throughput,
        p50: lat.p50, p95: lat.p95, p99: lat.p99, latencyOf: m.what, peakRssMb: peakRss, rssOf: 'the server process VmHWM',
        raw: { what: `${rawWhat} via pg Pool, ${ctx.concurrency} concurrent`, operations: raw.ops, seconds: raw.seconds, throughput: rawThroughput, p50: rawLat.p50, p95: rawLat.p95, p99: rawLat.p99 },
        ratio: throughput / rawThroughput, errors: m.load.non2xx + m.load.errors,
        notes: `c=${ctx.concurrency}; status codes ${JSON.stringify(m.load.statusCodes)}`,
        extra: { statusCodes: m.load.statusCodes },
      };
    });
  },
};
