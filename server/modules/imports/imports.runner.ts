// The import loop shared by `civitas import` and the imports.run job: read records, check
// each (duplicates within the file too), and write them in batches. Each batch is one
// transaction that also moves imports.rows_processed and the counters forward and stores
// the batch's error rows, so after a crash a run that skips rows_processed records carries
// on exactly where the last committed batch ended. The next batch is checked while the
// previous one is being written.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { ImportEncoding } from '../../../contract/imports.js';
import type { Database, Trx } from '../../platform/db/database.js';
import { fromPgError } from '../../platform/errors.js';
import type { Actor } from '../../platform/scope.js';
import { indexFor } from '../geo/geo.index.js';
import type { ImportPlan } from './imports.mapping.js';
import * as repo from './imports.repo.js';
import { rowMapper, type ImportRecord, type RowIssue } from './imports.rows.js';
import { csvRows } from './imports.source.js';
import { upsertRecords } from './imports.upsert.js';

export const BATCH_ROWS = 2_000;
const YIELD_EVERY = 100;

export type Progress = { bytes: number; rows: number };
export type RunInput = {
  database: Database;
  officeId: string;
  importId: string;
  fileName: string;
  actor: Actor;
  requestId?: string | undefined;
  plan: ImportPlan;
  region: string;
  source: AsyncIterable<Buffer>;
  encoding: ImportEncoding;
  /** Data records a previous run committed (imports.rows_processed), and its rejected rows. */
  skipRows?: number;
  rejectedRows?: Set<number>;
  batchRows?: number;
  onProgress?: (p: Progress) => void;
};
export type RunOutcome = 'completed' | 'cancelled';

/** One data record of the file in a batch: `index` is its position among the data records. */
type Item = { index: number; row: number; record?: ImportRecord; issues?: RowIssue[] };

export class ImportStopped extends Error {
  constructor(readonly status: string) {
    super(`the import is ${status}`);
  }
}

/** Remembers external ids and (for rows without one) whole rows seen so far in the file. */
class SeenRows {
  private readonly keys = new Map<string, number>();
  constructor(private readonly externalIdColumns: { index: number; system: string }[]) {}

  hasExternalId(fields: string[]): boolean {
    return this.externalIdColumns.some((c) => fields[c.index]?.trim());
  }

  /** For a row with no external id: the earlier identical row, or remember this one. */
  sameRow(fields: string[], row: number): number | undefined {
    const key = createHash('md5').update(fields.join('\u0001')).digest('base64');
    const earlier = this.keys.get(key);
    if (earlier === undefined) this.keys.set(key, row);
    return earlier;
  }

  /** The earlier row with one of these external ids, or remember them for this row. */
  sameExternalId(ids: { system: string; value: string }[], row: number): { row: number; system: string; value: string } | undefined {
    for (const x of ids) {
      const earlier = this.keys.get(`${x.system}\u0000${x.value}`);
      if (earlier !== undefined) return { row: earlier, ...x };
    }
    for (const x of ids) this.keys.set(`${x.system}\u0000${x.value}`, row);
    return undefined;
  }

  /** What a committed row left behind, when a resumed run skips it. */
  replay(fields: string[], row: number, wasRejected: boolean): void {
    if (!this.hasExternalId(fields)) this.sameRow(fields, row);
    else if (!wasRejected) this.sameExternalId(this.externalIdColumns.flatMap((c) => (fields[c.index]?.trim() ? [{ system: c.system, value: fields[c.index]!.trim() }] : [])), row);
  }
}

function errorRows(items: Item[], rejected: { row: number; column: string; reason: string }[]): repo.ErrorRow[] {
  const all = [...items.flatMap((i) => (i.issues ?? []).map((x) => ({ row: i.row, ...x }))), ...rejected];
  const seq = new Map<number, number>();
  return all.map((e) => {
    const n = seq.get(e.row) ?? 0;
    seq.set(e.row, n + 1);
    return { row: e.row, seq: n, column: e.column.slice(0, 200), reason: e.reason.slice(0, 500) };
  }).filter((e) => e.seq < 50);
}

async function writeBatch(trx: Trx, input: RunInput, items: Item[], start: number, bytes: number): Promise<void> {
  // A batch and the progress that says it is done commit together; if the server crashes
  // before the commit reaches the disk, both are lost and the run resumes from the previous
  // batch. So the commit need not wait for the WAL flush.
  await sql`SET LOCAL synchronous_commit = off`.execute(trx);
  const state = await repo.lock(trx, input.officeId, input.importId);
  if (!state || state.status !== 'running') throw new ImportStopped(state?.status ?? 'gone');
  if (state.rows_processed !== start) throw new ImportStopped(`being run elsewhere (at row ${state.rows_processed}, expected ${start})`);
  await repo.lockOfficeImports(trx, input.officeId);
  const records = items.flatMap((i) => (i.record ? [i.record] : []));
  const index = records.some((x) => x.address?.lat != null) ? await indexFor(trx, input.officeId) : null;
  const areasOf = (lng: number, lat: number) => index?.locate(lng, lat) ?? [];
  const r = await upsertRecords(trx, { ...input, requestId: input.requestId, areasOf }, records);
  const errors = errorRows(items, r.rejected);
  await repo.insertErrors(trx, input.officeId, input.importId, errors);
  const rejected = new Set(errors.map((e) => e.row)).size;
  await repo.advance(trx, input.officeId, input.importId, items[items.length - 1]!.index, bytes, { created: r.created, updated: r.updated, unchanged: r.unchanged, rejected });
}

/** Writes a batch; a row the database refuses is split out and rejected, the rest go in. */
async function commit(input: RunInput, items: Item[], start: number, bytes: number): Promise<void> {
  try {
    await input.database.db.transaction().execute((trx) => writeBatch(trx, input, items, start, bytes));
  } catch (err) {
    const refused = fromPgError(err);
    if (!refused || err instanceof ImportStopped) throw err;
    const withRecords = items.filter((i) => i.record);
    if (withRecords.length <= 1) {
      const bad = withRecords[0];
      const retry = items.map((i) => (i === bad ? { index: i.index, row: i.row, issues: [{ column: '(row)', reason: `could not be stored: ${refused.message}` }] } : i));
      await input.database.db.transaction().execute((trx) => writeBatch(trx, input, retry, start, bytes));
      return;
    }
    const half = items.indexOf(withRecords[withRecords.length >> 1]!);
    await commit(input, items.slice(0, half), start, bytes);
    await commit(input, items.slice(half), items[half - 1]!.index, bytes);
  }
}

export async function runImport(input: RunInput): Promise<RunOutcome> {
  const { plan } = input;
  const batchRows = input.batchRows ?? BATCH_ROWS;
  const skip = input.skipRows ?? 0;
  const mapRow = rowMapper(plan, input.region);
  const seen = new SeenRows(plan.columns.flatMap((c) => (c.kind === 'externalId' ? [{ index: c.index, system: c.system }] : [])));
  let bytes = 0;
  let header = false;
  let index = 0;
  let items: Item[] = [];
  let committedTo = skip;
  let writing: Promise<void> = Promise.resolve();

  const flush = async () => {
    if (items.length === 0) return;
    const batch = items;
    const [start, at] = [committedTo, bytes];
    items = [];
    committedTo = batch[batch.length - 1]!.index;
    await writing;
    writing = commit(input, batch, start, at).then(() => input.onProgress?.({ bytes: at, rows: batch[batch.length - 1]!.index }));
    writing.catch(() => undefined); // awaited by the next flush or at the end
  };

  try {
    for await (const batch of csvRows(input.source, input.encoding, (b) => (bytes = b))) {
      for (const r of batch) {
        if (!header) {
          header = r.fields !== undefined && r.fields.length > 0;
          continue;
        }
        index++;
        if (index <= skip) {
          if (r.fields?.length) seen.replay(r.fields, r.row, input.rejectedRows?.has(r.row) ?? false);
          continue;
        }
        items.push(check(r, index, seen, mapRow));
        if (items.length >= batchRows) await flush();
        // Checking is synchronous work: let the database client handle replies now and then,
        // so the batch being written moves on to its next statement without waiting.
        else if (items.length % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await flush();
    await writing;
  } catch (err) {
    await writing.catch(() => undefined);
    if (err instanceof ImportStopped && err.status === 'cancelled') return 'cancelled';
    throw err;
  }
  input.onProgress?.({ bytes, rows: index });
  return 'completed';
}

function check(r: { row: number; fields?: string[]; error?: string }, index: number, seen: SeenRows, mapRow: ReturnType<typeof rowMapper>): Item {
  if (r.error !== undefined) return { index, row: r.row, issues: [{ column: '(row)', reason: r.error }] };
  const fields = r.fields!;
  if (fields.length === 0) return { index, row: r.row }; // a blank line
  const hasExternalId = seen.hasExternalId(fields);
  if (!hasExternalId) {
    const same = seen.sameRow(fields, r.row);
    if (same !== undefined) return { index, row: r.row, issues: [{ column: '(row)', reason: `duplicate of row ${same}` }] };
  }
  const mapped = mapRow(fields, r.row);
  if (!mapped.ok) return { index, row: r.row, issues: mapped.issues };
  if (hasExternalId) {
    const same = seen.sameExternalId(mapped.record.externalIds, r.row);
    if (same) return { index, row: r.row, issues: [{ column: mapped.record.externalIds.find((x) => x.system === same.system)!.column, reason: `duplicate of row ${same.row} (same ${same.system} ${same.value})` }] };
  }
  return { index, row: r.row, record: mapped.record };
}
