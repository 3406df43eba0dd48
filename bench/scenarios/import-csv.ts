// import-csv: writes an N-row voter-file-like CSV (names, emails, national-format phones,
// addresses with coordinates in the demo district, dates of birth, tags, an external id) to
// a temporary file and imports it into a fresh office through the CLI's own code path
// (importCommand: streaming read, checks, batches of 2,000 in one transaction each), then
// imports the same file again (every row found by its external id and unchanged). The raw
// figure is the same file read and checked without the database (parse + validation only).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { Database } from '../../server/platform/db/database.js';
import { buildDistrict, createRng, generatePerson, type GenContext } from '../../server/modules/demo/demo.generator.js';
import { ensureOffice, ensureWards } from '../../server/modules/demo/demo.setup.js';
import { importCommand, readMapping } from '../../server/modules/imports/imports.command.js';
import { compileMapping } from '../../server/modules/imports/imports.mapping.js';
import { rowMapper } from '../../server/modules/imports/imports.rows.js';
import { csvRows } from '../../server/modules/imports/imports.source.js';
import { ZImportMapping } from '../../contract/imports.js';
import { ownPeakRssMb } from '../lib/proc.js';
import { summarise } from '../lib/stats.js';
import type { Context, Result, Scenario } from '../lib/types.js';

const HEAD = ['voter_id', 'title', 'first_name', 'last_name', 'known_as', 'organisation', 'date_of_birth', 'email', 'work_email', 'mobile', 'home_phone', 'address_1', 'address_2', 'town', 'postcode', 'country', 'latitude', 'longitude', 'tags', 'language', 'channel'];
const MAPPING = ZImportMapping.parse({
  columns: {
    voter_id: 'externalId:voter_file', title: 'ignore', first_name: 'givenName', last_name: 'familyName', known_as: 'preferredName', organisation: 'organisationName',
    date_of_birth: 'dateOfBirth', email: 'email', work_email: 'email:work', mobile: 'phone:mobile', home_phone: 'phone:home', address_1: 'line1', address_2: 'line2',
    town: 'locality', postcode: 'postcode', country: 'country', latitude: 'lat', longitude: 'lng', tags: 'tags', language: 'preferredLanguage', channel: 'preferredChannel',
  },
  dateFormat: 'DD/MM/YYYY',
});
const TAGS = ['', '', '', 'postal voter', 'volunteer', 'tenant;housing', 'business', 'newsletter'];
const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const national = (e164: string) => `0${e164.slice(3, 7)} ${e164.slice(7)}`;
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Writes the file in blocks of rows (memory stays flat at any N). */
async function writeCsv(file: string, rows: number): Promise<number> {
  const district = buildDistrict();
  const gen: GenContext = { rng: createRng([7, rows]), district, locate: () => null };
  const out = fs.createWriteStream(file);
  out.write(`${HEAD.join(',')}\n`);
  const created = new Date('2026-01-01T00:00:00Z');
  for (let start = 0; start < rows; start += 5000) {
    const lines: string[] = [];
    for (let k = start; k < Math.min(rows, start + 5000); k++) {
      const p = generatePerson(gen, created);
      const c = p.constituent;
      const a = p.addresses[0];
      const mobile = p.phones.find((x) => x.type === 'mobile');
      const home = p.phones.find((x) => x.type !== 'mobile');
      lines.push([
        `LV${String(k + 1).padStart(8, '0')}`, c.kind === 'person' ? gen.rng.helpers.arrayElement(['Mr', 'Ms', 'Mrs', 'Dr', '']) : '', c.given_name, c.family_name, c.preferred_name,
        c.organisation_name, c.date_of_birth ? dmy(c.date_of_birth) : '', p.emails[0]?.email ?? null, p.emails[1]?.email ?? null,
        mobile ? national(mobile.phone_e164) : '', home ? national(home.phone_e164) : '', a?.line1 ?? '', a?.line2 ?? '', a?.locality ?? '', a?.postcode ?? '', a?.country ?? '',
        a?.lat ?? '', a?.lng ?? '', TAGS[k % TAGS.length]!, c.preferred_language, c.preferred_channel,
      ].map(cell).join(','));
    }
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return fs.statSync(file).size;
}

/** The same file read and checked without a database: the CPU side of an import. */
async function checkOnly(file: string): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  const plan = compileMapping(MAPPING, HEAD, []);
  const check = rowMapper(plan, 'GB');
  let rows = 0;
  let header = true;
  for await (const batch of csvRows(fs.createReadStream(file, { highWaterMark: 1 << 20 }), 'utf8')) {
    for (const r of batch) {
      if (header) {
        header = false;
        continue;
      }
      if (r.fields) check(r.fields, r.row);
      rows++;
    }
  }
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

async function timedImport(database: Database, file: string, officeId: string): Promise<{ summary: Awaited<ReturnType<typeof importCommand>>; batchMs: number[] }> {
  const mapFile = `${file}.map.json`;
  fs.writeFileSync(mapFile, JSON.stringify(MAPPING));
  let last = performance.now();
  const batchMs: number[] = [];
  const onBatch = () => {
    const now = performance.now();
    batchMs.push(now - last);
    last = now;
  };
  const summary = await importCommand(database, { file, officeId, mapping: readMapping(mapFile), onBatch }, { isTty: false, write: () => undefined, print: () => undefined });
  return { summary, batchMs };
}

export const scenario: Scenario = {
  name: 'import-csv',
  description: 'CSV import of N voter-file rows through `civitas import constituents` (create, then the same file again: unchanged)',
  async run(ctx: Context): Promise<Result[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-bench-import-'));
    const file = path.join(dir, 'voters.csv');
    try {
      const g0 = performance.now();
      const bytes = await writeCsv(file, ctx.scale);
      ctx.log(`import-csv: wrote ${ctx.scale} rows (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${((performance.now() - g0) / 1000).toFixed(1)}s`);
      const database = await ctx.bench.open(4);
      try {
        const { office } = await ensureOffice(database.db, 'import-bench', 'Import bench');
        await ensureWards(database.db, office.id, buildDistrict());
        const raw = await checkOnly(file);
        ctx.log(`import-csv: read and checked ${raw.rows} rows without the database in ${raw.seconds.toFixed(1)}s`);
        const results: Result[] = [];
        for (const [name, note] of [['import-csv', 'all rows created'], ['import-csv-again', 'same file again: every row found by external id, unchanged']] as const) {
          const t0 = performance.now();
          const { summary, batchMs } = await timedImport(database, file, office.id);
          const seconds = (performance.now() - t0) / 1000;
          ctx.log(`${name}: ${summary.rows} rows in ${seconds.toFixed(1)}s (created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, rejected ${summary.rejected})`);
          const lat = summarise(batchMs);
          results.push({
            scenario: name, engine: ctx.bench.engine, scale: ctx.scale, operations: summary.rows, unit: 'rows', seconds, throughput: summary.rows / seconds,
            p50: lat.p50, p95: lat.p95, p99: lat.p99, latencyOf: 'one batch of 2,000 rows (time between committed batches)', peakRssMb: ownPeakRssMb(),
            rssOf: ctx.bench.engine === 'pglite' ? 'bench process (includes PGlite)' : 'bench process',
            raw: { what: 'the same file read and checked without the database (csv-parse + row checks)', operations: raw.rows, seconds: raw.seconds, throughput: raw.rows / raw.seconds },
            ratio: summary.rows / seconds / (raw.rows / raw.seconds),
            errors: summary.rejected,
            notes: `${note}; ${(bytes / 2 ** 20).toFixed(0)} MiB file, created ${summary.created}, unchanged ${summary.unchanged}`,
            extra: { bytes, created: summary.created, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected },
          });
        }
        return results;
      } finally {
        await database.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

// For profiling outside the suite.
export const writeCsvForProfile = writeCsv;
export const MAPPING_FOR_PROFILE = MAPPING;
