// api-reads: the real server (1 process on PGlite; 1 and then 2 processes on PostgreSQL)
// under a fixed-concurrency load of authenticated reads, round-robin over
//   GET /api/v1/office, /api/v1/users?limit=50, /api/v1/teams, /api/v1/audit?limit=50
// with an API token. The raw limit is the same SQL (token look-up + the endpoint's query,
// through the same repo functions) issued directly through a pg Pool at the same
// concurrency for the same time.
import autocannon from 'autocannon';
import type { Database } from '../../server/platform/db/database.js';
import { sha256 } from '../../server/platform/auth/secrets.js';
import { permissionsOf } from '../../server/platform/rbac.js';
import { systemScope } from '../../server/platform/scope.js';
import * as authRepo from '../../server/modules/auth/auth.repo.js';
import * as auditRepo from '../../server/modules/audit/audit.repo.js';
import * as officesRepo from '../../server/modules/offices/offices.repo.js';
import * as teamsRepo from '../../server/modules/teams/teams.repo.js';
import * as usersRepo from '../../server/modules/users/users.repo.js';
import * as tokens from '../../server/modules/tokens/tokens.service.js';
import { startServer, type ServerProcess } from '../lib/server.js';
import { closedLoop, Samples, summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

const PATHS = ['/api/v1/office', '/api/v1/users?limit=50', '/api/v1/teams', '/api/v1/audit?limit=50'];

type Load = { requests: number; non2xx: number; errors: number; seconds: number; latency: Samples; statusCodes: Record<string, number> };

/** One autocannon instance per server, the connections split evenly, run at the same time. */
async function load(servers: ServerProcess[], token: string, connections: number, seconds: number): Promise<Load> {
  const latency = new Samples();
  const t0 = performance.now();
  const results = await Promise.all(
    servers.map(
      (s, k) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          const share = Math.floor(connections / servers.length) + (k < connections % servers.length ? 1 : 0);
          const inst = autocannon(
            {
              url: s.url,
              connections: share,
              duration: seconds,
              headers: { authorization: `Bearer ${token}` },
              requests: PATHS.map((p) => ({ method: 'GET' as const, path: p })),
            },
            (err, result) => (err ? reject(err as Error) : resolve(result)),
          );
          inst.on('response', (_client, _status, _bytes, responseTime) => latency.add(responseTime));
        }),
    ),
  );
  const statusCodes: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + (n as { count: number }).count;
  return {
    requests: results.reduce((n, r) => n + r.requests.total, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    seconds: (performance.now() - t0) / 1000,
    latency,
    statusCodes,
  };
}

async function rawQueries(database: Database, officeId: string, tokenHash: string, ctx: Context) {
  const db = database.db;
  const queries: (() => Promise<unknown>)[] = [
    () => officesRepo.get(db, officeId),
    () => usersRepo.list(db, officeId, { limit: 50 }),
    () => teamsRepo.list(db, officeId),
    () => auditRepo.list(db, officeId, { limit: 50 }),
  ];
  return closedLoop(ctx.concurrency, ctx.duration, async (i) => {
    const t = await authRepo.findTokenByHash(db, tokenHash);
    if (!t) throw new Error('token not found');
    await queries[i % queries.length]!();
  });
}

export const scenario: Scenario = {
  name: 'api-reads',
  description: 'authenticated GETs (office, users, teams, audit) against the real server vs the same SQL through a pg Pool',
  async run(ctx: Context): Promise<Result[]> {
    const demo = await ctx.ensureDemo();
    let database = await ctx.bench.open(2);
    let secret: string;
    try {
      const scopes = [...permissionsOf('admin')];
      secret = (await tokens.create(systemScope(database.db, demo.officeId, 'bench'), demo.adminUserId, { name: `bench-${Date.now()}`, scopes })).secret;
    } finally {
      await database.close(); // PGlite is single-process: the server needs the data dir to itself
    }

    const measured: { processes: number; load: Load; idleRssMb: number[]; loadRssMb: number[]; hwmMb: number[] }[] = [];
    for (const processes of ctx.bench.engine === 'pglite' ? [1] : [1, 2]) {
      const servers: ServerProcess[] = [];
      try {
        for (let k = 0; k < processes; k++) servers.push(await startServer(ctx.bench));
        // Every path once per server, so idle RSS is measured on a warm process.
        for (const s of servers) for (const p of PATHS) {
          const r = await fetch(s.url + p, { headers: { authorization: `Bearer ${secret}` } });
          if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${await r.text()}`);
        }
        await new Promise((r) => setTimeout(r, 500));
        const idleRssMb = (await Promise.all(servers.map((s) => s.memory()))).map((m) => m?.rssMb ?? Number.NaN);
        ctx.log(`api-reads: ${processes} server process(es) ready (idle RSS ${idleRssMb.map((m) => m.toFixed(0)).join('+')} MiB); ${ctx.concurrency} connections for ${ctx.duration}s`);
        const loadRssMb = idleRssMb.map(() => 0);
        const sampler = setInterval(() => {
          void Promise.all(servers.map((s) => s.memory())).then((ms) => ms.forEach((m, k) => (loadRssMb[k] = Math.max(loadRssMb[k]!, m?.rssMb ?? 0))));
        }, 250);
        const l = await load(servers, secret, ctx.concurrency, ctx.duration).finally(() => clearInterval(sampler));
        const hwmMb = (await Promise.all(servers.map((s) => s.memory()))).map((m) => m?.hwmMb ?? Number.NaN);
        measured.push({ processes, load: l, idleRssMb, loadRssMb, hwmMb });
        ctx.log(`api-reads: ${processes} process(es): ${l.requests} requests, ${(l.requests / l.seconds).toFixed(0)}/s, non-2xx ${l.non2xx}, errors ${l.errors}`);
      } finally {
        for (const s of servers) await s.stop();
      }
    }

    ctx.log(`api-reads: raw SQL through a pg Pool, ${ctx.concurrency} concurrent for ${ctx.duration}s`);
    database = await ctx.bench.open(ctx.concurrency);
    let raw: Awaited<ReturnType<typeof rawQueries>>;
    try {
      raw = await rawQueries(database, demo.officeId, sha256(secret), ctx);
    } finally {
      await database.close();
    }
    if (raw.errors) throw new Error(`raw queries failed: ${String(raw.firstError)}`);
    const rawLat = summarise(raw.latency.values());
    const rawThroughput = raw.ops / raw.seconds;

    return measured.map((m) => {
      const lat = summarise(m.load.latency.values());
      const throughput = m.load.requests / m.load.seconds;
      const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join('+');
      return {
        scenario: m.processes === 1 ? 'api-reads' : `api-reads-x${m.processes}`,
        engine: ctx.bench.engine,
        scale: ctx.scale,
        operations: m.load.requests,
        unit: 'requests',
        seconds: m.load.seconds,
        throughput,
        p50: lat.p50,
        p95: lat.p95,
        p99: lat.p99,
        latencyOf: 'one HTTP request (autocannon)',
        peakRssMb: Math.max(...m.hwmMb),
        rssOf: `server process${m.processes > 1 ? 'es (max of)' : ''} VmHWM`,
        raw: { what: `token look-up + endpoint query via pg Pool (max ${ctx.concurrency}), ${ctx.concurrency} concurrent`, operations: raw.ops, seconds: raw.seconds, throughput: rawThroughput, p50: rawLat.p50, p95: rawLat.p95, p99: rawLat.p99 },
        ratio: throughput / rawThroughput,
        errors: m.load.non2xx + m.load.errors,
        notes: `${m.processes} proc, c=${ctx.concurrency}; RSS idle ${fmt(m.idleRssMb)} MiB, load ${fmt(m.loadRssMb)} MiB`,
        extra: { processes: m.processes, statusCodes: m.load.statusCodes, idleRssMb: m.idleRssMb, loadRssMb: m.loadRssMb, hwmMb: m.hwmMb, paths: PATHS },
      };
    });
  },
};
