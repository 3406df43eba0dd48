// Reading an import file as CSV records, chunk by chunk (never the whole file in memory):
// bytes → UTF-8 (iconv-lite for other encodings) → csv-parse. Records come numbered the way
// a spreadsheet numbers rows (the header is row 1, blank lines count); a record csv-parse
// cannot read (a stray quote) comes as a row with its reason instead of stopping the file.
import { parse, type CsvError } from 'csv-parse';
import type { ImportEncoding } from '../../../contract/imports.js';
import { toUtf8 } from './imports.encoding.js';

export type SourceRow = { row: number; fields: string[]; error?: undefined } | { row: number; fields?: undefined; error: string };

/** csv-parse's synchronous core (what its Transform stream calls), so skipped records and
 * parsed ones arrive in file order. */
type ParserApi = { parse(buf: Buffer | undefined, end: boolean, push: (r: string[]) => void, close: () => void): Error | undefined };

// A record longer than this is a quote that was never closed swallowing the file.
export const MAX_RECORD_CHARS = 1 << 20;
const PIECE_BYTES = 64 * 1024;

function reasonOf(err: CsvError | Error): string {
  const code = (err as CsvError).code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED': return 'has a quote that is never closed, so the rest of the file could not be read';
    case 'CSV_INVALID_CLOSING_QUOTE': return 'has a quote in the middle of a quoted field (write it as two quotes "")';
    case 'CSV_MAX_RECORD_SIZE': return `is longer than ${MAX_RECORD_CHARS.toLocaleString('en-GB')} characters (is a quote never closed?)`;
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE': return 'has characters after the closing quote of a field';
    default: return `could not be read as CSV (${err.message.replace(/\s+/g, ' ').slice(0, 200)})`;
  }
}

/**
 * The records of a CSV file, in batches (one per chunk read). `bytes` is told how many raw
 * bytes have been read so far, for progress. Blank lines come as rows with no fields.
 */
export async function* csvRows(source: AsyncIterable<Buffer>, encoding: ImportEncoding, onBytes?: (bytes: number) => void): AsyncGenerator<SourceRow[]> {
  let row = 0;
  let out: SourceRow[] = [];
  const push = (fields: string[]) => {
    row++;
    out.push({ row, fields: fields.length === 1 && fields[0] === '' ? [] : fields });
  };
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (err) => {
      row++;
      out.push({ row, error: reasonOf(err ?? new Error('unreadable')) });
    },
  }) as unknown as { api: ParserApi };
  const api = parser.api;
  let bytes = 0;
  const counted = async function* () {
    for await (const chunk of source) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  for await (const whole of toUtf8(counted(), encoding)) {
    // Small pieces keep each synchronous stretch of parsing short (see runner: the database
    // client's replies are handled between them).
    for (let at = 0; at < whole.length; at += PIECE_BYTES) {
      const err = api.parse(whole.subarray(at, at + PIECE_BYTES), false, push, () => undefined);
      if (err) {
        out.push({ row: row + 1, error: reasonOf(err) });
        yield out;
        return;
      }
      if (out.length) {
        yield out;
        out = [];
      }
    }
    onBytes?.(bytes);
  }
  const err = api.parse(undefined, true, push, () => undefined);
  if (err) out.push({ row: row + 1, error: reasonOf(err) });
  if (out.length) yield out;
}

/** The header row and the first few records, from the start of a file. */
export async function readHead(source: AsyncIterable<Buffer>, encoding: ImportEncoding, sampleRows = 5): Promise<{ headers: string[]; sample: string[][] }> {
  let headers: string[] | null = null;
  const sample: string[][] = [];
  for await (const batch of csvRows(source, encoding)) {
    for (const r of batch) {
      if (!r.fields || r.fields.length === 0) continue;
      if (!headers) headers = r.fields;
      else sample.push(r.fields);
      if (sample.length >= sampleRows) return { headers, sample };
    }
  }
  return { headers: headers ?? [], sample };
}
