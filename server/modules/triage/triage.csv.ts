// Labelled messages from CSV files, for `civitas triage eval` and `split`: a header row
// with `text` and `label` (and optionally `lat`, `long`, `requested_datetime`; other
// columns are ignored), quoted fields may hold newlines. A file that cannot be used is
// refused whole with its name and line, never half read.
import fs from 'node:fs';
import { parse, type CsvError } from 'csv-parse/sync';
import { DomainError } from '../../platform/errors.js';
import type { Example } from './triage.model.js';

export type CsvTable = { file: string; header: string[]; rows: { line: number; fields: string[] }[] };

const refuse = (file: string, line: number | null, message: string) =>
  new DomainError('validation_failed', { message: `${file}${line === null ? '' : `, line ${line}`}: ${message}` });

// Header cells compared lower-cased, spaces and hyphens as underscores.
const ALIASES: Record<string, 'text' | 'label' | 'lat' | 'long' | 'time'> = {
  text: 'text', label: 'label', category: 'label',
  lat: 'lat', latitude: 'lat', long: 'long', lng: 'long', lon: 'long', longitude: 'long',
  requested_datetime: 'time', time: 'time', datetime: 'time', created_at: 'time',
};
type Column = (typeof ALIASES)[string];

/** A whole CSV file as its header and its records, each with the line it starts on. */
export function readCsv(file: string): CsvTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw refuse(file, null, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
  }
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, raw: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as CsvError & { lines?: number };
    throw refuse(file, e.lines ?? null, e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? `this row has a different number of fields than the header (${e.message.replace(/ on line \d+$/, '')})` : e.message);
  }
  // csv-parse counts the line a record ends on; a quoted newline makes it start earlier.
  const lineOf = (r: (typeof records)[number]) => r.info.lines - (r.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
  const [head, ...body] = records;
  if (!head) throw refuse(file, null, 'the file is empty (a header row with text and label is needed)');
  return { file, header: head.record, rows: body.map((r) => ({ line: lineOf(r), fields: r.record })) };
}

/** Which field holds each column, refusing a header without text or label. */
function columnsOf(table: CsvTable, required: Column[]): Partial<Record<Column, number>> {
  const at: Partial<Record<Column, number>> = {};
  table.header.forEach((cell, i) => {
    const col = ALIASES[cell.trim().toLowerCase().replace(/[\s-]+/g, '_')];
    if (col && at[col] === undefined) at[col] = i;
  });
  for (const col of required) {
    if (at[col] === undefined) throw refuse(table.file, 1, `no "${col === 'time' ? 'requested_datetime' : col}" column (the header has: ${table.header.join(', ')})`);
  }
  return at;
}

function numberAt(table: CsvTable, line: number, fields: string[], at: number | undefined, name: string): number | null {
  const raw = at === undefined ? '' : (fields[at] ?? '').trim();
  if (!raw) return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw refuse(table.file, line, `${name} "${raw.slice(0, 40)}" is not a number`);
  return n;
}

function timeAt(table: CsvTable, line: number, fields: string[], at: number | undefined): Date | null {
  const raw = at === undefined ? '' : (fields[at] ?? '').trim();
  if (!raw) return null;
  const t = new Date(raw);
  if (!Number.isFinite(t.getTime())) throw refuse(table.file, line, `requested_datetime "${raw.slice(0, 40)}" is not a date and time`);
  return t;
}

/** The labelled messages of a table (every row needs a label). */
export function examplesOf(table: CsvTable, options: { requireTime?: boolean } = {}): Example[] {
  const at = columnsOf(table, options.requireTime ? ['text', 'label', 'time'] : ['text', 'label']);
  if (table.rows.length === 0) throw refuse(table.file, null, 'there are no rows after the header');
  return table.rows.map(({ line, fields }) => {
    const label = (fields[at.label!] ?? '').trim();
    if (!label) throw refuse(table.file, line, 'the label is empty');
    const time = timeAt(table, line, fields, at.time);
    if (options.requireTime && !time) throw refuse(table.file, line, 'requested_datetime is empty');
    return { text: fields[at.text!] ?? '', label, lat: numberAt(table, line, fields, at.lat, 'lat'), long: numberAt(table, line, fields, at.long, 'long'), time };
  });
}

export const readExamples = (file: string, options: { requireTime?: boolean } = {}) => examplesOf(readCsv(file), options);
