// Address register import: a CSV of addresses with coordinates (and optionally an external
// id such as a UPRN), streamed row by row, upserted in batches, in one transaction so that
// a file that cannot be read at all leaves nothing behind. Bad rows are reported (row,
// column, reason) and skipped; they never abort the rest.
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { RegisterImportResult, RegisterRowError } from '../../../contract/geo.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { fold } from '../constituents/constituents.normalize.js';
import * as repo from './geo.register.repo.js';

export const REGISTER_COLUMNS = ['line1', 'line2', 'locality', 'postcode', 'lat', 'lng', 'external_id'] as const;
type Column = (typeof REGISTER_COLUMNS)[number];

// Header names are compared lower-cased with spaces and hyphens as underscores.
const ALIASES: Record<string, Column> = {
  line1: 'line1', line_1: 'line1', address_1: 'line1', address1: 'line1', address_line_1: 'line1', addressline1: 'line1', address: 'line1', street: 'line1',
  line2: 'line2', line_2: 'line2', address_2: 'line2', address2: 'line2', address_line_2: 'line2', addressline2: 'line2',
  locality: 'locality', town: 'locality', city: 'locality', post_town: 'locality',
  postcode: 'postcode', post_code: 'postcode', postal_code: 'postcode', zip: 'postcode', zipcode: 'postcode', zip_code: 'postcode',
  lat: 'lat', latitude: 'lat',
  lng: 'lng', lon: 'lng', long: 'lng', longitude: 'lng',
  external_id: 'external_id', externalid: 'external_id', uprn: 'external_id', id: 'external_id',
};
const REQUIRED: Column[] = ['line1', 'lat', 'lng'];
const MAX_LENGTH: Record<Exclude<Column, 'lat' | 'lng'>, number> = { line1: 200, line2: 200, locality: 120, postcode: 20, external_id: 200 };
const BATCH = 1_000;
const MAX_ERRORS = 1_000;

export type RegisterImportOptions = {
  /** Refuse the file past this many bytes (HTTP uploads); unlimited when undefined. */
  maxBytes?: number | undefined;
  encoding?: string | undefined;
  /** Called after each batch with the rows read so far. */
  onProgress?: (rows: number) => void;
};

const normalise = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Maps header cells to register columns; refuses a header missing a required column. */
export function mapHeader(header: string[]): { columns: (Column | null)[]; ignored: string[] } {
  const columns: (Column | null)[] = [];
  const ignored: string[] = [];
  const seen = new Map<Column, string>();
  for (const cell of header) {
    const col = ALIASES[normalise(cell)] ?? null;
    if (col && seen.has(col)) {
      throw new DomainError('validation_failed', { field: 'header', message: `Columns "${seen.get(col)}" and "${cell}" both give ${col}; keep one of them` });
    }
    if (col) seen.set(col, cell);
    else if (cell.trim()) ignored.push(cell.trim());
    columns.push(col);
  }
  const missing = REQUIRED.filter((c) => !seen.has(c));
  if (missing.length) {
    const also = (c: Column) => Object.keys(ALIASES).filter((k) => ALIASES[k] === c && k !== c).slice(0, 3).join(', ');
    throw new DomainError('validation_failed', {
      field: 'header',
      message: `The header has no ${missing.map((c) => `${c} column (also accepted: ${also(c)})`).join(', no ')}. Found: ${header.join(', ').slice(0, 300)}`,
    });
  }
  return { columns, ignored };
}

type Checked = { row?: repo.RegisterRow; errors: RegisterRowError[] };

function coordinate(raw: string, column: 'lat' | 'lng', row: number, errors: RegisterRowError[]): number {
  const limit = column === 'lat' ? 90 : 180;
  if (!raw) errors.push({ row, column, reason: 'is missing' });
  else if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) errors.push({ row, column, reason: `"${raw.slice(0, 40)}" is not a number` });
  else if (Math.abs(Number(raw)) > limit) errors.push({ row, column, reason: `${raw} is outside the world (must be between -${limit} and ${limit})` });
  return Number(raw);
}

/** Checks one data row (row numbers count the header as row 1). */
export function checkRow(cells: string[], columns: (Column | null)[], row: number): Checked {
  const errors: RegisterRowError[] = [];
  if (cells.length !== columns.length) {
    return { errors: [{ row, column: '*', reason: `has ${cells.length} fields but the header has ${columns.length}` }] };
  }
  const v: Partial<Record<Column, string>> = {};
  columns.forEach((c, k) => {
    if (c) v[c] = cells[k]!.trim();
  });
  for (const [c, max] of Object.entries(MAX_LENGTH) as [keyof typeof MAX_LENGTH, number][]) {
    const s = v[c] ?? '';
    if (s.includes('\uFFFD')) errors.push({ row, column: c, reason: 'has characters that are not valid UTF-8 (save the file as UTF-8, or give its encoding)' });
    else if (s.length > max) errors.push({ row, column: c, reason: `is longer than ${max} characters` });
  }
  if (!v.line1) errors.push({ row, column: 'line1', reason: 'is missing' });
  const lat = coordinate(v.lat ?? '', 'lat', row, errors);
  const lng = coordinate(v.lng ?? '', 'lng', row, errors);
  if (errors.length) return { errors };
  const opt = (s: string | undefined) => (s ? s : null);
  return { row: { externalId: opt(v.external_id), line1: v.line1!, line2: opt(v.line2), locality: opt(v.locality), postcode: opt(v.postcode), lat, lng }, errors };
}

/** Decodes the byte stream (UTF-8 unless told otherwise or a UTF-16 BOM says so), counting bytes. */
function decoder(maxBytes: number | undefined, encoding: string | undefined): Transform {
  let seen = 0;
  let decode: ((b: Buffer) => string) | undefined;
  let end: () => string = () => '';
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (maxBytes !== undefined && seen > maxBytes) {
        done(new DomainError('payload_too_large', { message: `The file is larger than the limit of ${maxBytes} bytes; import it with \`civitas geo import-register\`` }));
        return;
      }
      if (!decode) {
        const utf16 = chunk[0] === 0xff && chunk[1] === 0xfe;
        const name = encoding && encoding !== 'utf-8' ? encoding : utf16 ? 'utf-16le' : 'utf-8';
        const d = iconv.getDecoder(name);
        decode = (b) => d.write(b);
        end = () => d.end() ?? '';
      }
      done(null, decode(chunk));
    },
    flush(done) {
      done(null, end());
    },
  });
}

type Counts = { rows: number; created: number; updated: number; rejected: number };

async function flush(trx: Trx, officeId: string, batch: repo.RegisterRow[], counts: Counts): Promise<void> {
  const withId = batch.filter((r) => r.externalId !== null);
  const withoutId = batch.filter((r) => r.externalId === null);
  for (const r of [await repo.upsertByExternalId(trx, officeId, withId), await repo.upsertByAddressKey(trx, officeId, withoutId)]) {
    counts.created += r.created;
    counts.updated += r.updated;
  }
  batch.length = 0;
}

// Rows within the file that repeat an earlier one (same external id, or the same address
// without one) are reported rather than silently merged. The key mirrors SQL's
// civitas_address_key, which stays the authority for matching against the register.
const ABBREVIATIONS: [RegExp, string][] = [
  [/\bst\b/g, 'street'], [/\brd\b/g, 'road'], [/\bave?\b/g, 'avenue'], [/\bln\b/g, 'lane'],
  [/\bdr\b/g, 'drive'], [/\bct\b/g, 'court'], [/\bcres\b/g, 'crescent'], [/\b(apt|apartment)\b/g, 'flat'],
];
function addressKey(r: repo.RegisterRow): string {
  let key = fold(`${r.line1} ${r.line2 ?? ''} ${r.postcode ?? ''}`).replace(/[^a-z0-9]+/g, ' ');
  for (const [re, word] of ABBREVIATIONS) key = key.replace(re, word);
  return key.replace(/\s+/g, ' ').trim();
}

/** The file as a stream of CSV records; keeps the first failure of any stage (the upload,
 * decoding, the size limit, CSV syntax), which can come before anyone reads the records. */
function openCsv(source: Readable, opts: RegisterImportOptions) {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 1_000_000 });
  let failure: unknown;
  const fail = (err: unknown) => {
    failure ??= err;
    parser.destroy(err as Error);
  };
  parser.on('error', (err) => (failure ??= err));
  source.on('error', fail);
  const decoded = source.pipe(decoder(opts.maxBytes, opts.encoding));
  decoded.on('error', fail);
  decoded.pipe(parser);
  return { records: parser as AsyncIterable<string[]>, failure: () => failure };
}

/** Checks rows one by one, remembering what the file already had and the errors to report. */
function rowChecker(counts: Counts) {
  const errors: RegisterRowError[] = [];
  const seen = new Map<string, number>();
  return {
    errors,
    check(cells: string[], columns: (Column | null)[], rowNumber: number): repo.RegisterRow | null {
      counts.rows++;
      const { row, errors: rowErrors } = checkRow(cells, columns, rowNumber);
      const key = row ? (row.externalId !== null ? `id:${row.externalId}` : `addr:${addressKey(row)}`) : '';
      const first = key ? seen.get(key) : undefined;
      if (first !== undefined) rowErrors.push({ row: rowNumber, column: row!.externalId !== null ? 'external_id' : 'line1', reason: `repeats row ${first}` });
      if (rowErrors.length || !row) {
        counts.rejected++;
        for (const e of rowErrors) if (errors.length < MAX_ERRORS) errors.push(e);
        return null;
      }
      seen.set(key, rowNumber);
      return row;
    },
  };
}

export async function importRegister(scope: Scope, source: Readable, opts: RegisterImportOptions = {}): Promise<RegisterImportResult> {
  if (opts.encoding && !iconv.encodingExists(opts.encoding)) throw new DomainError('validation_failed', { field: 'encoding', message: `Unknown character set ${opts.encoding}` });
  const csv = openCsv(source, opts);
  return inTransaction(scope.db, async (trx) => {
    const counts: Counts = { rows: 0, created: 0, updated: 0, rejected: 0 };
    const checker = rowChecker(counts);
    const batch: repo.RegisterRow[] = [];
    let header: ReturnType<typeof mapHeader> | undefined;
    let rowNumber = 0;
    try {
      for await (const cells of csv.records) {
        rowNumber++;
        if (!header) {
          header = mapHeader(cells);
          continue;
        }
        const row = checker.check(cells, header.columns, rowNumber);
        if (row) batch.push(row);
        if (batch.length >= BATCH) {
          await flush(trx, scope.officeId, batch, counts);
          opts.onProgress?.(counts.rows);
        }
      }
    } catch (err) {
      throw csvError(csv.failure() ?? err, rowNumber);
    }
    if (csv.failure()) throw csvError(csv.failure(), rowNumber);
    if (!header) throw new DomainError('validation_failed', { field: 'header', message: 'The file is empty: it needs a header row (line1, postcode, lat, lng, …) and addresses' });
    await flush(trx, scope.officeId, batch, counts);
    opts.onProgress?.(counts.rows);
    const result: RegisterImportResult = { ...counts, unchanged: counts.rows - counts.rejected - counts.created - counts.updated, ignoredColumns: header.ignored, errors: checker.errors };
    await audit.record(trx, scope, { entity: 'address_register', id: scope.officeId, action: 'imported', after: { ...result, errors: checker.errors.slice(0, 20) } });
    return result;
  });
}

/** A file that cannot be read as CSV at all fails as a whole, naming where. */
function csvError(err: unknown, rowNumber: number): unknown {
  if (err instanceof DomainError) return err;
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && e.code.startsWith('CSV_')) {
    return new DomainError('validation_failed', { field: `rows.${rowNumber + 1}`, message: `The file is not valid CSV near row ${rowNumber + 1}: ${e.message}` });
  }
  return err;
}
