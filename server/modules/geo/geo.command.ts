// `civitas geo …`: import boundary layers and the address register from files, and
// recompute every address's areas. Progress goes to stderr, results to stdout.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Office } from '../../../contract/offices.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope } from '../../platform/scope.js';
import type { Runtime } from '../../runtime.js';
import { recomputeAll, type RecomputeProgress } from './geo.areas.js';
import { RECOMPUTE_AREAS_JOB } from './geo.jobs.js';
import { importRegister } from './geo.register.js';
import { importBoundaries } from './geo.service.js';

export type GeoCliContext = {
  withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T>;
  officeBySlug(rt: Runtime, slug: string): Promise<Office>;
};

const progressLine = (p: RecomputeProgress) => console.error(`areas ${p.done}/${p.total} addresses (${p.seconds}s)`);

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DomainError('validation_failed', { field: 'file', message: `Cannot read ${file}: ${(err as Error).message}` });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new DomainError('validation_failed', { field: 'file', message: `${file} is not valid JSON: ${(err as Error).message}` });
  }
}

/** Prints every problem of a refused file (the error itself is reported by the CLI's main). */
function printIssues(err: unknown, strip: string): never {
  if (err instanceof DomainError && err.issues && err.issues.length > 1) {
    for (const i of err.issues) console.error(`  ${i.field.replace(strip, '') || '(file)'}: ${i.message}`);
  }
  throw err;
}

type ImportOptions = { layer: string; office: string; codeProperty?: string; nameProperty?: string; recompute: boolean };

async function importBoundariesCommand(ctx: GeoCliContext, file: string, o: ImportOptions): Promise<void> {
  const geojson = readJson(file);
  await ctx.withRuntime(async (rt) => {
    const office = await ctx.officeBySlug(rt, o.office);
    await rt.jobs.start({ work: false }); // creates the queues, so the recompute job can be enqueued
    const r = await importBoundaries(systemScope(rt.database.db, office.id, 'cli'), rt.jobs, { layer: o.layer, codeProperty: o.codeProperty, nameProperty: o.nameProperty, geojson }).catch((err: unknown) => printIssues(err, 'geojson.'));
    console.log(`layer ${r.layer}: ${r.total} boundaries (${r.created} new, ${r.updated} changed, ${r.unchanged} unchanged), ${r.removed} removed (${r.retired} kept as retired because cases refer to them)`);
    if (!r.recomputeJobId) return;
    if (!o.recompute) {
      console.log(`address areas will be recomputed by the background job ${r.recomputeJobId}`);
      return;
    }
    const s = await recomputeAll(rt.database.db, office.id, progressLine);
    // Done here, so the queued job need not run again when the server next starts.
    await rt.jobs.boss.cancel(RECOMPUTE_AREAS_JOB, r.recomputeJobId).catch(() => undefined);
    console.log(`areas recomputed for ${s.done} addresses (${s.located} with coordinates, ${s.changed} changed) in ${s.seconds}s`);
  });
}

async function importRegisterCommand(ctx: GeoCliContext, file: string, o: { office: string; encoding?: string }): Promise<void> {
  if (!fs.existsSync(file)) throw new DomainError('validation_failed', { field: 'file', message: `No such file: ${file}` });
  await ctx.withRuntime(async (rt) => {
    const office = await ctx.officeBySlug(rt, o.office);
    const started = performance.now();
    const r = await importRegister(systemScope(rt.database.db, office.id, 'cli'), fs.createReadStream(file), {
      encoding: o.encoding,
      onProgress: (rows) => console.error(`register ${rows} rows (${((performance.now() - started) / 1000).toFixed(1)}s)`),
    });
    for (const e of r.errors) console.error(`  row ${e.row}, ${e.column}: ${e.reason}`);
    if (r.rejected > r.errors.length) console.error(`  … and more; ${r.rejected} rows rejected in all`);
    if (r.ignoredColumns.length) console.error(`ignored columns: ${r.ignoredColumns.join(', ')}`);
    console.log(`register: ${r.rows} rows: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected`);
  });
}

/** Adds `geo` to the program (as a subcommand, so it inherits exit and help settings). */
export function geoCommand(program: Command, ctx: GeoCliContext): Command {
  const geo = program.command('geo').description('Boundary layers, address areas and the address register');
  geo
    .command('import-boundaries')
    .description('Import or replace a boundary layer from a GeoJSON FeatureCollection of Polygons/MultiPolygons')
    .argument('<file>', 'GeoJSON file (WGS84)')
    .requiredOption('--layer <layer>', 'layer name, e.g. ward, district, precinct')
    .requiredOption('--office <slug>', 'office slug')
    .option('--code-property <name>', 'feature property holding the code (default: code, id, an ONS-style …CD, or the feature id)')
    .option('--name-property <name>', 'feature property holding the name (default: name, an ONS-style …NM, or the code)')
    .option('--no-recompute', 'leave the recompute of address areas to the background job')
    .action((file: string, o: ImportOptions) => importBoundariesCommand(ctx, file, o));
  geo
    .command('import-register')
    .description('Import the address register from CSV: line1, line2, locality, postcode, lat, lng, optional external_id (UPRN)')
    .argument('<file>', 'CSV file with a header row')
    .requiredOption('--office <slug>', 'office slug')
    .option('--encoding <charset>', 'character set when not UTF-8, e.g. windows-1252')
    .action((file: string, o: { office: string; encoding?: string }) => importRegisterCommand(ctx, file, o));
  geo
    .command('recompute')
    .description("Recompute every address's areas (wards and other layers) from its coordinates")
    .requiredOption('--office <slug>', 'office slug')
    .action(async (o: { office: string }) => {
      await ctx.withRuntime(async (rt) => {
        const office = await ctx.officeBySlug(rt, o.office);
        const s = await recomputeAll(rt.database.db, office.id, progressLine);
        console.log(`areas recomputed for ${s.done} addresses (${s.located} with coordinates, ${s.changed} changed) in ${s.seconds}s`);
      });
    });
  return geo;
}
