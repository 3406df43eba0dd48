// The benchmark suite: `npm run bench [-- --quick] [--only NAME[,NAME]] [--scale N]`.
// Creates a fresh database (PostgreSQL next to BENCH_DATABASE_URL, or PGlite in a temporary
// directory) or reuses one a kept run left (--database), runs the scenarios in
// bench/scenarios/ in order, prints one line per result and writes everything as JSON to
// bench/results/. See docs/PERFORMANCE.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchDatabase, reuseBenchDatabase, type BenchDatabase } from './lib/db.js';
import { DEMO_SLUG, findDemo, loadDemo } from './lib/demo.js';
import { ROOT } from './lib/server.js';
import type { Context, Result, Scenario } from './lib/types.js';

const QUICK = { scale: 20_000, duration: 5 };
const FULL = { scale: 1_000_000, duration: 20 };
/** Scenarios run in this order; any others after them, by name. */
const ORDER = ['demo-load', 'api-reads'];

const USAGE = `Usage: npm run bench -- [--quick] [--only NAME[,NAME…]] [--scale N] [--duration S] [--concurrency C] [--keep | --database NAME]
  --quick          small scale (${QUICK.scale} constituents) and ${QUICK.duration}s load runs (full: ${FULL.scale}, ${FULL.duration}s)
  --only NAMES     run only these scenarios (comma-separated)
  --scale N        constituents to generate (accepts 50000, 50_000, 50k, 1m)
  --duration S     seconds per load measurement
  --concurrency C  concurrent clients for load measurements (default 32)
  --keep           keep the bench database afterwards (its name is printed) to inspect it
  --database NAME  PostgreSQL only: run on the existing database NAME on the same server (e.g. one
                   a --keep run left) instead of a new one; it is migrated, never dropped, and its
                   demo office (slug ${DEMO_SLUG}) is reused as it is rather than loaded again
  --list           list the scenarios
Environment: BENCH_DATABASE_URL=postgres://… runs on PostgreSQL (a database civitas_bench_<time>
is created next to it and dropped afterwards, unless --keep; or --database NAME); otherwise PGlite in a temporary directory.`;

function parseCount(v: string, flag: string): number {
  const m = /^(\d+(?:[._]\d+)*)([km]?)$/i.exec(v.trim());
  if (!m) throw new Error(`${flag} expects a number, got "${v}"`);
  const n = Number(m[1]!.replace(/_/g, '')) * ({ '': 1, k: 1e3, m: 1e6 }[m[2]!.toLowerCase()] ?? 1);
  if (!Number.isFinite(n) || n < 1) throw new Error(`${flag} must be at least 1`);
  return Math.round(n);
}

async function loadScenarios(): Promise<Scenario[]> {
  const dir = path.join(ROOT, 'bench', 'scenarios');
  const files = fs.readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'));
  const found: Scenario[] = [];
  for (const f of files) {
    const mod = (await import(path.join(dir, f))) as { scenario?: Scenario };
    if (!mod.scenario) throw new Error(`bench/scenarios/${f} does not export a scenario`);
    found.push(mod.scenario);
  }
  const rank = (s: Scenario) => (ORDER.includes(s.name) ? ORDER.indexOf(s.name) : ORDER.length);
  return found.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-GB') : '-');
const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : '-');

const COLUMNS: { head: string; right?: boolean; get(r: Result): string }[] = [
  { head: 'scenario', get: (r) => r.scenario },
  { head: 'db', get: (r) => r.engine },
  { head: 'scale', right: true, get: (r) => n0(r.scale) },
  { head: 'ops', right: true, get: (r) => `${n0(r.operations)} ${r.unit}` },
  { head: 'throughput', right: true, get: (r) => `${n0(r.throughput)}/s` },
  { head: 'p50 ms', right: true, get: (r) => ms(r.p50) },
  { head: 'p95 ms', right: true, get: (r) => ms(r.p95) },
  { head: 'p99 ms', right: true, get: (r) => ms(r.p99) },
  { head: 'peak RSS', right: true, get: (r) => `${n0(r.peakRssMb)} MiB` },
  { head: 'raw', right: true, get: (r) => (r.raw ? `${n0(r.raw.throughput)}/s` : '-') },
  { head: 'vs raw', right: true, get: (r) => (r.ratio === null ? '-' : `${(r.ratio * 100).toFixed(0)}%`) },
  { head: 'errors', right: true, get: (r) => String(r.errors) },
  { head: 'notes', get: (r) => r.notes },
];

export function formatTable(results: Result[]): string[] {
  const cells = [COLUMNS.map((c) => c.head), ...results.map((r) => COLUMNS.map((c) => c.get(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((v, i) => (COLUMNS[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd());
}

function machine(loadAtStart: number[]) {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    /** 1/5/15-minute load averages at the start and at the end of the run (other work on the machine skews results). */
    loadAverage: { start: loadAtStart, end: os.loadavg().map((l) => Number(l.toFixed(2))) },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      scale: { type: 'string' },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      keep: { type: 'boolean', default: false },
      database: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const all = await loadScenarios();
  if (values.list) {
    for (const s of all) console.log(`${s.name.padEnd(12)} ${s.description}`);
    return 0;
  }
  const preset = values.quick ? QUICK : FULL;
  const scale = values.scale ? parseCount(values.scale, '--scale') : preset.scale;
  const duration = values.duration ? parseCount(values.duration, '--duration') : preset.duration;
  const concurrency = values.concurrency ? parseCount(values.concurrency, '--concurrency') : 32;
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((n) => !all.some((s) => s.name === n)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')} (known: ${all.map((s) => s.name).join(', ')})`);
  const selected = only ? all.filter((s) => only.includes(s.name)) : all;
  const adminUrl = process.env.BENCH_DATABASE_URL || undefined;
  const reuse = values.database;
  if (reuse !== undefined && !adminUrl) throw new Error('--database needs BENCH_DATABASE_URL (it names a PostgreSQL database on that server; PGlite runs always start fresh)');
  // demo-load loads its own offices (and times it): on a kept database they exist already.
  if (reuse !== undefined && selected.some((s) => s.name === 'demo-load')) throw new Error('--database cannot run demo-load (it loads offices of its own); choose the scenarios with --only');
  // A database the run did not create is never dropped.
  const keep = values.keep || reuse !== undefined;

  const started = new Date();
  const loadAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));
  const t0 = performance.now();
  const log = (line: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}`);
  let bench: BenchDatabase | undefined;
  const cleanup = async () => {
    const b = bench;
    bench = undefined;
    if (b && keep) log(`kept the bench database ${b.label}${b.dataDir ? ` (${b.dataDir})` : ''}`);
    else if (b) await b.drop().catch((err: unknown) => console.error(`could not drop ${b.label}: ${String(err)}`));
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results: Result[] = [];
  const failures: { scenario: string; error: string }[] = [];
  let version = '';
  let usedScale = scale;
  try {
    bench = reuse !== undefined ? await reuseBenchDatabase(adminUrl!, reuse, log) : await createBenchDatabase(adminUrl, log);
    version = bench.version;
    const b = bench;
    const ctx: Context = {
      scale,
      quick: values.quick,
      reused: reuse !== undefined,
      bench: b,
      duration,
      concurrency,
      log,
      state: {},
      ensureDemo: async () => {
        if (ctx.state.demo) return ctx.state.demo;
        const database = await b.open(4);
        try {
          const found = reuse !== undefined ? await findDemo(database) : undefined;
          if (found) {
            // The office as it is; the scale is what it holds (topUpCases aims at 5 cases per constituent of it).
            const note = found.constituents === scale ? '' : ` (not --scale ${scale}: results are at the office's ${found.constituents})`;
            log(`reusing the demo office ${DEMO_SLUG} in ${b.label}: ${found.constituents} constituents${note}`);
            ctx.scale = usedScale = found.constituents;
            ctx.state.demo = found;
            return found;
          }
          if (reuse !== undefined) log(`no demo office ${DEMO_SLUG} in ${b.label}: loading one`);
          log(`loading demo data (${scale} constituents) for the scenarios`);
          ctx.state.demo = (await loadDemo(database, scale, Math.max(100, Math.round(scale / 100)))).state;
        } finally {
          await database.close();
        }
        return ctx.state.demo;
      },
    };
    for (const s of selected) {
      log(`scenario ${s.name}: ${s.description}`);
      try {
        results.push(...(await s.run(ctx)));
      } catch (err) {
        const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        failures.push({ scenario: s.name, error });
        log(`scenario ${s.name} FAILED: ${error}`);
      }
    }
  } finally {
    await cleanup();
  }

  const lines = formatTable(results);
  console.log('');
  for (const l of lines) console.log(l);
  for (const f of failures) console.log(`${f.scenario}: FAILED (${f.error.split('\n')[0]})`);

  const engine = adminUrl ? 'postgres' : 'pglite';
  const report = {
    startedAt: started.toISOString(),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    command: `${adminUrl ? `BENCH_DATABASE_URL=${redact(adminUrl)} ` : ''}npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machine(loadAtStart),
    database: { engine, version },
    options: { quick: values.quick, scale: usedScale, duration, concurrency, only: only ?? null, database: reuse ?? null },
    results,
    failures,
    table: lines,
  };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${started.toISOString().replace(/[:.]/g, '-')}-${engine}.json`);
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  // The committed reference run: a complete --quick run at the default quick scale.
  if (values.quick && !only && reuse === undefined && scale === QUICK.scale && duration === QUICK.duration && concurrency === 32 && failures.length === 0) {
    fs.writeFileSync(path.join(dir, `latest-quick-${engine}.json`), JSON.stringify(report, null, 2) + '\n');
  }
  log(`results written to ${path.relative(process.cwd(), file)} (${report.seconds}s in all)`);
  return failures.length || results.some((r) => r.errors > 0) ? 1 : 0;
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
