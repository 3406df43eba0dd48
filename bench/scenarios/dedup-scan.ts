// dedup-scan: duplicate candidate generation over every record of the demo office. Injects
// a known number of duplicates first (copies of demo people with a typo in the name and one
// kind of shared evidence each: the same email, a similar name in the same postcode or at
// the same address written differently, the same birth date, or the same fresh phone plus
// the postcode), then runs the scan the API and CLI run (default rules) and reports its time
// and the recall of the injected pairs. There is no raw limit to compare with: the figure
// is the product's own, against the 5-minute budget for 1,000,000 records.
import type { Database } from '../../server/platform/db/database.js';
import { mulberry32 } from '../../server/modules/demo/demo.geometry.js';
import { findMatches } from '../../server/modules/dedup/dedup.matching.js';
import { requestScan, runScan } from '../../server/modules/dedup/dedup.scan.js';
import { systemScope } from '../../server/platform/scope.js';
import { ownPeakRssMb } from '../lib/proc.js';
import { summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

const VARIANTS = ['email', 'postcode', 'address', 'dob', 'phone'] as const;
type Variant = (typeof VARIANTS)[number];
type Original = {
  id: string; given: string; family: string; dob: string | null; email: string | null;
  line1: string | null; line2: string | null; postcode: string | null;
};
type Copy = { variant: Variant; originalId: string; id?: string; given: string; family: string; dob: string | null; email: string | null; phone: string | null; address: { line1: string; line2: string | null; postcode: string } | null };

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One typing mistake: a letter replaced, dropped, doubled in or two swapped. */
export function typo(word: string, rand: () => number): string {
  if (word.length < 3) return word + LETTERS[Math.floor(rand() * 26)]!;
  for (;;) {
    const i = 1 + Math.floor(rand() * (word.length - 1));
    const c = LETTERS[Math.floor(rand() * 26)]!;
    const kind = Math.floor(rand() * 4);
    const out = kind === 0 ? word.slice(0, i) + c + word.slice(i + 1)
      : kind === 1 ? word.slice(0, i) + word.slice(i + 1)
      : kind === 2 ? word.slice(0, i) + c + word.slice(i)
      : i < word.length - 1 ? word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2) : word.slice(0, i) + c;
    if (out.toLowerCase() !== word.toLowerCase()) return out;
  }
}

/** "12 Mill Lane" written another way that normalises to the same address key. */
const rewrite = (line: string) => line.replace(/\bStreet\b/, 'St').replace(/\bRoad\b/, 'Rd').replace(/\bLane\b/, 'Ln').replace(/\bAvenue\b/, 'Ave').replace(/,/g, '') + '.';

async function originals(database: Database, officeId: string, n: number): Promise<Original[]> {
  const r = await database.pool.query<Original>(
    `SELECT c.id, c.given_name AS given, c.family_name AS family, c.date_of_birth::text AS dob,
       (SELECT e.email FROM constituent_emails e WHERE e.office_id = c.office_id AND e.constituent_id = c.id ORDER BY e.is_primary DESC LIMIT 1) AS email,
       a.line1, a.line2, a.postcode
     FROM constituents c
     LEFT JOIN LATERAL (SELECT line1, line2, postcode FROM constituent_addresses a WHERE a.office_id = c.office_id AND a.constituent_id = c.id ORDER BY a.is_primary DESC LIMIT 1) a ON true
     WHERE c.office_id = $1 AND c.kind = 'person' AND c.status = 'active'
     ORDER BY md5(c.id::text) LIMIT $2`,
    [officeId, n],
  );
  return r.rows;
}

/** Copies of distinct originals, the variants taking turns, each needing what it copies. */
function plan(pool: Original[], count: number, seed: number): Copy[] {
  const rand = mulberry32(seed);
  const copies: Copy[] = [];
  const needs: Record<Variant, (o: Original) => boolean> = {
    email: (o) => !!o.email, postcode: (o) => !!o.postcode, address: (o) => !!o.postcode, dob: (o) => !!o.dob, phone: (o) => !!o.postcode,
  };
  let k = 0;
  for (const o of pool) {
    if (copies.length >= count) break;
    const variant = VARIANTS[k % VARIANTS.length]!;
    if (!needs[variant](o)) continue;
    k++;
    const misspellGiven = rand() < 0.5;
    const given = misspellGiven ? typo(o.given, rand) : o.given;
    const family = misspellGiven ? o.family : typo(o.family, rand);
    const base = { variant, originalId: o.id, given, family, dob: null, email: null, phone: null, address: null };
    if (variant === 'email') copies.push({ ...base, email: o.email });
    else if (variant === 'dob') copies.push({ ...base, dob: o.dob });
    else if (variant === 'address') copies.push({ ...base, address: { line1: rewrite(o.line1!), line2: o.line2, postcode: o.postcode!.toLowerCase() } });
    else {
      // Another flat in the same postcode: a different address, the same postcode.
      const address = { line1: `Flat ${1 + Math.floor(rand() * 90)}, ${o.line1}`, line2: null, postcode: o.postcode! };
      // A number from Ofcom's drama ranges (0113 496 0xxx …) unused by the demo, shared with the original only.
      const phone = variant === 'phone' ? `+44${['113', '114', '115', '116', '117', '118', '121', '131', '141', '151', '161'][Math.floor(copies.length / 1000) % 11]}496${String(copies.length % 1000).padStart(4, '0')}` : null;
      copies.push({ ...base, address, phone });
    }
  }
  return copies;
}

async function insertCopies(database: Database, officeId: string, copies: Copy[]): Promise<void> {
  const db = database.db;
  for (let i = 0; i < copies.length; i += 1000) {
    const batch = copies.slice(i, i + 1000);
    const ids = await db.insertInto('constituents')
      .values(batch.map((c) => ({ office_id: officeId, kind: 'person', given_name: c.given, family_name: c.family, date_of_birth: c.dob })))
      .returning('id').execute();
    batch.forEach((c, j) => (c.id = ids[j]!.id));
    const emails = batch.filter((c) => c.email).map((c) => ({ office_id: officeId, constituent_id: c.id!, email: c.email!, is_primary: true }));
    const phones = batch.filter((c) => c.phone).map((c) => ({ office_id: officeId, constituent_id: c.id!, phone_e164: c.phone!, is_primary: true }));
    const originalPhones = batch.filter((c) => c.phone).map((c) => ({ office_id: officeId, constituent_id: c.originalId, phone_e164: c.phone!, is_primary: false }));
    const addresses = batch.filter((c) => c.address).map((c) => ({ office_id: officeId, constituent_id: c.id!, ...c.address!, is_primary: true }));
    if (emails.length) await db.insertInto('constituent_emails').values(emails).execute();
    if (phones.length) await db.insertInto('constituent_phones').values([...phones, ...originalPhones]).execute();
    if (addresses.length) await db.insertInto('constituent_addresses').values(addresses).execute();
  }
}

async function recall(database: Database, officeId: string, copies: Copy[]) {
  const pairs = copies.map((c) => (c.originalId < c.id! ? [c.originalId, c.id!] : [c.id!, c.originalId]));
  const r = await database.pool.query<{ low_id: string; high_id: string }>(
    `SELECT d.low_id, d.high_id FROM duplicate_candidates d JOIN unnest($2::uuid[], $3::uuid[]) AS p(l, h) ON d.low_id = p.l AND d.high_id = p.h
     WHERE d.office_id = $1 AND d.status = 'open'`,
    [officeId, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  const found = new Set(r.rows.map((x) => `${x.low_id}|${x.high_id}`));
  const perVariant: Record<string, string> = {};
  for (const v of VARIANTS) {
    const of = copies.filter((c) => c.variant === v);
    const hit = of.filter((c) => found.has(c.originalId < c.id! ? `${c.originalId}|${c.id}` : `${c.id}|${c.originalId}`)).length;
    perVariant[v] = `${hit}/${of.length}`;
  }
  return { found: found.size, perVariant };
}

/** The creation-time check: each copy probed as if it were being created (the original must come back). */
async function probeLatency(database: Database, officeId: string, copies: Copy[], n: number) {
  const samples: number[] = [];
  let hits = 0;
  for (const c of copies.slice(0, n)) {
    const t0 = performance.now();
    const found = await findMatches(database.db, officeId, {
      excludeId: c.id!, kind: 'person', givenName: c.given, familyName: c.family, organisationName: null, dateOfBirth: c.dob,
      emails: c.email ? [c.email] : [], phones: c.phone ? [c.phone] : [], addresses: c.address ? [c.address] : [],
    });
    samples.push(performance.now() - t0);
    if (found.some((m) => m.id === c.originalId)) hits++;
  }
  return { samples, hits, seconds: samples.reduce((s, x) => s + x, 0) / 1000 };
}

export const scenario: Scenario = {
  name: 'dedup-scan',
  description: 'duplicate scan over all records (default rules) after injecting known duplicates; time and recall',
  async run(ctx: Context): Promise<Result[]> {
    const demo = await ctx.ensureDemo();
    const database = await ctx.bench.open(4);
    try {
      const count = Math.max(100, Math.round(ctx.scale / 200));
      const copies = plan(await originals(database, demo.officeId, count * 3), count, 7);
      await insertCopies(database, demo.officeId, copies);
      ctx.log(`dedup-scan: injected ${copies.length} duplicates (${VARIANTS.map((v) => `${copies.filter((c) => c.variant === v).length} ${v}`).join(', ')}); scanning`);
      const scope = systemScope(database.db, demo.officeId, 'bench');
      const { scan } = await requestScan(scope, 'cli', async () => undefined);
      const t0 = performance.now();
      const result = await runScan(database.db, demo.officeId, scan.id, (line) => ctx.log(`dedup-scan: ${line}`));
      const seconds = (performance.now() - t0) / 1000;
      const hits = await recall(database, demo.officeId, copies);
      const steps = (await database.pool.query<{ steps: { rule: string; ms: number | null; pairs: number; skippedBlocks: number }[] }>(
        'SELECT steps FROM dedup_scans WHERE office_id = $1 AND id = $2', [demo.officeId, scan.id])).rows[0]!.steps;
      const rate = hits.found / copies.length;
      const probes = await probeLatency(database, demo.officeId, copies, 250);
      const lat = summarise(probes.samples);
      ctx.log(`dedup-scan: findMatches p50 ${lat.p50.toFixed(1)} ms, p95 ${lat.p95.toFixed(1)} ms over ${probes.samples.length} probes; ${probes.hits} found their original`);
      ctx.log(`dedup-scan: recall ${(rate * 100).toFixed(1)}% (${hits.found}/${copies.length}: ${Object.entries(hits.perVariant).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      return [{
        scenario: 'dedup-scan',
        engine: ctx.bench.engine,
        scale: ctx.scale,
        operations: result.records,
        unit: 'records',
        seconds,
        throughput: result.records / seconds,
        p50: Number.NaN, p95: Number.NaN, p99: Number.NaN,
        latencyOf: 'one scan (no per-operation latency)',
        peakRssMb: ownPeakRssMb(),
        rssOf: ctx.bench.engine === 'pglite' ? 'bench process (includes PGlite)' : 'bench process (the work runs in PostgreSQL)',
        raw: null,
        ratio: null,
        errors: 0,
        notes: `recall ${(rate * 100).toFixed(1)}% of ${copies.length} injected; ${result.open} open candidates; ${result.skippedBlocks} blocks skipped; ${seconds.toFixed(0)}s`,
        extra: { injected: copies.length, found: hits.found, recall: rate, perVariant: hits.perVariant, result, steps: steps.map((s) => ({ rule: s.rule, seconds: (s.ms ?? 0) / 1000, pairs: s.pairs, skippedBlocks: s.skippedBlocks })) },
      }, {
        scenario: 'dedup-match',
        engine: ctx.bench.engine,
        scale: ctx.scale,
        operations: probes.samples.length,
        unit: 'probes',
        seconds: probes.seconds,
        throughput: probes.samples.length / probes.seconds,
        p50: lat.p50, p95: lat.p95, p99: lat.p99,
        latencyOf: 'one findMatches call (the check behind 409 possible_duplicate), one at a time',
        peakRssMb: ownPeakRssMb(),
        rssOf: 'bench process',
        raw: null,
        ratio: null,
        errors: 0,
        notes: `${probes.hits}/${probes.samples.length} injected copies found their original`,
      }];
    } finally {
      await database.close();
    }
  },
};
