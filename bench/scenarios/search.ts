// search: the constituent search box at scale. Samples real records of the demo office and
// asks the product's own search (constituents.search.list, first page of 50, in-process on a
// pool) for each by full name, by name with one typo (a letter dropped or two swapped), by
// email, by phone in national format, and by postcode; one result line per kind with
// latency percentiles and the share of queries whose record was on the first page. The raw
// primitive is the single index lookup of an exact email through the same pool.
import type { Database } from '../../server/platform/db/database.js';
import { systemScope } from '../../server/platform/scope.js';
import { list } from '../../server/modules/constituents/constituents.search.js';
import { displayPhone } from '../../server/modules/constituents/constituents.normalize.js';
import { ownPeakRssMb } from '../lib/proc.js';
import { Samples, summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

type Sample = { id: string; given: string; family: string; email: string | null; phone: string | null; postcode: string | null };

async function sample(database: Database, officeId: string, n: number): Promise<Sample[]> {
  const r = await database.pool.query<Sample>(
    `SELECT c.id, c.given_name AS given, c.family_name AS family,
       (SELECT email FROM constituent_emails e WHERE e.office_id = c.office_id AND e.constituent_id = c.id LIMIT 1) AS email,
       (SELECT phone_e164 FROM constituent_phones p WHERE p.office_id = c.office_id AND p.constituent_id = c.id LIMIT 1) AS phone,
       (SELECT postcode FROM constituent_addresses a WHERE a.office_id = c.office_id AND a.constituent_id = c.id LIMIT 1) AS postcode
     FROM constituents c TABLESAMPLE BERNOULLI (5) REPEATABLE (7)
     WHERE c.office_id = $1 AND c.kind = 'person' AND c.given_name IS NOT NULL AND c.family_name IS NOT NULL LIMIT $2`,
    [officeId, n],
  );
  return r.rows;
}

/** One typo, alternating between a dropped letter and two swapped letters. */
function typo(word: string, i: number): string {
  if (word.length < 4) return word;
  const at = 1 + (i % (word.length - 2));
  return i % 2 ? word.slice(0, at) + word.slice(at + 1) : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
}

const KINDS: Record<string, (s: Sample, i: number) => string | null> = {
  'full name': (s) => `${s.given} ${s.family}`,
  'name with a typo': (s, i) => `${s.given} ${typo(s.family, i)}`,
  email: (s) => s.email,
  'phone (national format)': (s) => (s.phone ? displayPhone(s.phone, 'GB') : null),
  postcode: (s) => s.postcode,
};

export const scenario: Scenario = {
  name: 'search',
  description: 'constituent search p50/p95/p99 by name, name with a typo, email, phone and postcode',
  async run(ctx: Context): Promise<Result[]> {
    const demo = await ctx.ensureDemo();
    const database = await ctx.bench.open(2);
    try {
      const samples = await sample(database, demo.officeId, ctx.quick ? 100 : 300);
      const scope = systemScope(database.db, demo.officeId, 'bench');
      // warm the caches the same way for every kind
      for (const s of samples.slice(0, 10)) await list(scope, { q: `${s.given} ${s.family}`, limit: 50 });
      const raw = new Samples();
      for (const s of samples) {
        if (!s.email) continue;
        const t = performance.now();
        await database.pool.query('SELECT constituent_id FROM constituent_emails WHERE office_id = $1 AND email = $2', [demo.officeId, s.email]);
        raw.add(performance.now() - t);
      }
      const rawLat = summarise(raw.values());
      const results: Result[] = [];
      for (const [kind, queryOf] of Object.entries(KINDS)) {
        const lat = new Samples();
        let found = 0;
        let asked = 0;
        const t0 = performance.now();
        for (const [i, s] of samples.entries()) {
          const q = queryOf(s, i);
          if (!q) continue;
          asked++;
          const t = performance.now();
          const page = await list(scope, { q, limit: 50 });
          lat.add(performance.now() - t);
          if (page.items.some((r) => r.id === s.id)) found++;
        }
        const seconds = (performance.now() - t0) / 1000;
        const l = summarise(lat.values());
        ctx.log(`search ${kind}: ${asked} queries p50 ${l.p50.toFixed(1)} ms p95 ${l.p95.toFixed(1)} ms; record on first page ${found}/${asked}`);
        results.push({
          scenario: `search ${kind}`, engine: ctx.bench.engine, scale: ctx.scale, operations: asked, unit: 'queries', seconds,
          throughput: asked / seconds, p50: l.p50, p95: l.p95, p99: l.p99, latencyOf: 'one search (first page of 50, sequential)',
          peakRssMb: ownPeakRssMb(), rssOf: 'bench process',
          raw: { what: 'exact email index lookup through the same pool', operations: raw.length, seconds: raw.length * rawLat.mean / 1000, throughput: 1000 / rawLat.mean, p50: rawLat.p50, p95: rawLat.p95, p99: rawLat.p99 },
          ratio: (asked / seconds) / (1000 / rawLat.mean), errors: 0,
          notes: `record on first page for ${found}/${asked} (${((100 * found) / Math.max(1, asked)).toFixed(0)}%)`,
          extra: { found, asked },
        });
      }
      return results;
    } finally {
      await database.close();
    }
  },
};
