// Runs the browser tests in parts side by side (`npm run test:e2e`): each part is a process of
// e2e/run.js with a server, an embedded database and a browser of its own, so parts share
// nothing. The first part also runs the staff app's own pages (run.js); the spec files are
// shared out by their usual running time (WEIGHTS, seconds measured on the two-core CI machine),
// the longest first, each to the part with the least so far. Each part's lines are printed as
// they come, marked [k/n]; the last line sums the parts: "N passed, N failed".
//
// E2E_SHARDS sets the number of parts (default 1: one run). Two parts on this 2-core machine took
// about as long as one run would (two browsers and two servers share the cores) and made
// timing-sensitive steps flaky, so CI runs one; with more cores, E2E_SHARDS=2 or more pays.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Seconds each spec's tests took in a two-part CI run (2026-12-07); a spec not listed counts as DEFAULT_WEIGHT. */
const WEIGHTS = {
  'assignment.js': 67, 'capture.js': 43, 'case-work.js': 56, 'cases.js': 86, 'constituents.js': 91, 'dedup.js': 38, 'geo.js': 28,
  'imports.js': 25, 'inbox.js': 65, 'insights.js': 79, 'intake-settings.js': 76, 'portal-account.js': 65, 'portal-alerts.js': 54,
  'portal-opendata.js': 29, 'portal-place.js': 60, 'portal-zoom.js': 49, 'portal.js': 122, 'referrals.js': 64, 'replies.js': 80,
  'triage.js': 76, 'unsubscribe.js': 7,
};
const DEFAULT_WEIGHT = 60;
/** The staff app's own pages (run.js), which only the first part runs. */
const BASE_WEIGHT = 150;

/** `k/n` from E2E_SHARD; one whole part when unset. */
export function parseShard(value) {
  const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
  if (!m) return { index: 1, count: 1 };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (index < 1 || index > count) throw new Error(`E2E_SHARD=${value}: the part must be between 1 and ${count}`);
  return { index, count };
}

/** The specs part `shard.index` runs: a greedy split by weight, the same in every part. */
export function shardOf(specs, shard) {
  if (shard.count === 1) return specs;
  const load = Array.from({ length: shard.count }, (_, i) => (i === 0 ? BASE_WEIGHT : 0));
  const part = new Map();
  const weight = (f) => WEIGHTS[f] ?? DEFAULT_WEIGHT;
  for (const f of [...specs].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const least = load.indexOf(Math.min(...load));
    load[least] += weight(f);
    part.set(f, least + 1);
  }
  return specs.filter((f) => part.get(f) === shard.index);
}

async function runParts(count, args) {
  const { ensureBuilt } = await import('./harness.js');
  ensureBuilt(); // once, before the parts start, so that no two build at the same time
  const runJs = fileURLToPath(new URL('./run.js', import.meta.url));
  const started = Date.now();
  const outcomes = await Promise.all(Array.from({ length: count }, (_, i) => new Promise((resolve) => {
    const tag = `[${i + 1}/${count}]`;
    const child = spawn(process.execPath, [runJs, ...args], { env: { ...process.env, E2E_SHARD: `${i + 1}/${count}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let last = null;
    let rest = '';
    const onData = (chunk) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop();
      for (const line of lines) {
        const m = /^(\d+) passed, (\d+) failed$/.exec(line);
        if (m) last = { passed: Number(m[1]), failed: Number(m[2]) };
        console.log(`${tag} ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code, signal) => {
      if (rest) onData('\n');
      // A part that ended without its summary line (a crash) counts as one failure.
      if (!last) console.log(`${tag} ended without a summary (exit code ${code}, signal ${signal}): counted as 1 failed`);
      resolve(last ?? { passed: 0, failed: 1 });
    });
  })));
  const passed = outcomes.reduce((n, o) => n + o.passed, 0);
  const failed = outcomes.reduce((n, o) => n + o.failed, 0);
  console.log(`browser tests in ${count} parts: ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const parts = Number(process.env.E2E_SHARDS) || 1;
  if (parts <= 1) {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./run.js', import.meta.url)), ...args], { stdio: 'inherit' });
    child.on('close', (code) => { process.exitCode = code ?? 1; });
  } else {
    process.exitCode = (await runParts(parts, args)) ? 1 : 0;
  }
}
