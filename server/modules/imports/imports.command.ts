// `civitas import constituents FILE.csv --office SLUG --map map.json`: the same checks and
// batches as an uploaded import, reading the file from disk as a stream. Usage problems
// (no such file, a bad map.json, an office or column that does not exist, a file that is
// not valid UTF-8) stop it before any row is written; the import is recorded either way.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ZImportMapping, type ImportEncoding, type ImportMapping } from '../../../contract/imports.js';
import * as audit from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import { detectEncoding, utf8Advice, Utf8Checker } from './imports.encoding.js';
import { execute, finish, planFor } from './imports.execute.js';
import type { Progress } from './imports.runner.js';
import { MappingError } from './imports.mapping.js';
import { progressReporter, type ProgressIo } from './imports.progress.js';
import * as repo from './imports.repo.js';
import { errorsCsv } from './imports.service.js';
import { readHead } from './imports.source.js';

export type ImportCommandOptions = {
  /** The mapping as read by readMapping (the CLI reads it before opening the database). */
  file: string; officeId: string; mapping: ImportMapping; encoding?: ImportEncoding | undefined; errorsFile?: string | undefined; batchRows?: number;
  /** Called after each committed batch (benchmarks time them). */
  onBatch?: (p: Progress) => void;
};
export type ImportSummary = {
  importId: string; status: 'completed' | 'cancelled'; rows: number; created: number; updated: number; unchanged: number; rejected: number; seconds: number; rowsPerSecond: number;
};

const usage = (message: string, field?: string) => new DomainError('validation_failed', { message, ...(field ? { field } : {}) });
const READ_CHUNK = 1 << 20;

export function readMapping(mapFile: string): ImportMapping {
  let text: string;
  try {
    text = fs.readFileSync(mapFile, 'utf8');
  } catch (err) {
    throw usage(`cannot read the mapping ${mapFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw usage(`${mapFile} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ZImportMapping.safeParse(json);
  if (!parsed.success) throw usage(`${mapFile}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The encoding given, or the one the file shows (a byte-order mark), or UTF-8 once checked. */
async function encodingOf(file: string, given: ImportEncoding | undefined): Promise<{ encoding: ImportEncoding; problem?: string }> {
  if (given) return { encoding: given };
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(4096);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const detected = detectEncoding(head.subarray(0, n));
  if (detected && detected !== 'utf8') return { encoding: detected };
  // Checked in full before any row is written: a file in another encoding would import as nonsense.
  const checker = new Utf8Checker();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_CHUNK })) {
    checker.push(chunk as Buffer);
    if (checker.problem) break;
  }
  const problem = checker.end();
  return problem ? { encoding: 'utf8', problem: utf8Advice(problem, 'cli') } : { encoding: 'utf8' };
}

export function statFile(file: string): number {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw usage(`${file} is not a file`);
    return st.size;
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw usage(`no such file: ${file}`);
  }
}

export async function importCommand(database: Database, o: ImportCommandOptions, io: ProgressIo): Promise<ImportSummary> {
  const started = performance.now();
  const size = statFile(o.file);
  const { mapping } = o;
  const office = { id: o.officeId };
  const scope = systemScope(database.db, office.id, 'cli import');
  const fileName = o.file.split(/[\\/]/).pop()!.slice(0, 255) || 'import.csv';
  const row = await repo.insert(database.db, office.id, { file_name: fileName, created_by: null, source: 'cli', status: 'running', total_bytes: size });
  const refuse = async (message: string, field?: string) => {
    await finish(database.db, scope, row.id, 'failed', message);
    return usage(message, field);
  };
  const { encoding, problem } = await encodingOf(o.file, o.encoding);
  if (problem) throw await refuse(problem);
  const { headers } = await readHead(fs.createReadStream(o.file, { highWaterMark: 64 * 1024 }), encoding, 0);
  if (headers.length === 0) throw await refuse(`${o.file} has no header row`);
  try {
    await planFor(scope, mapping, headers);
  } catch (err) {
    if (err instanceof MappingError) throw await refuse(err.message, err.field);
    throw err;
  }
  await repo.update(database.db, office.id, row.id, { headers, mapping: JSON.stringify(mapping), encoding, started_at: new Date() });
  await audit.record(database.db, scope, { entity: 'import', id: row.id, action: 'started', after: { fileName, bytes: size, encoding, mapping } });

  const report = progressReporter(size, io);
  const runStarted = performance.now();
  let outcome: 'completed' | 'cancelled';
  try {
    outcome = await execute(database, {
      scope, row: { ...row, headers }, encoding, mapping, source: fs.createReadStream(o.file, { highWaterMark: READ_CHUNK }),
      onProgress: (p) => {
        report.update(p.bytes, p.rows);
        o.onBatch?.(p);
      },
      ...(o.batchRows ? { batchRows: o.batchRows } : {}),
    });
  } catch (err) {
    // Batches already committed stay; the record says where and why it stopped.
    await finish(database.db, scope, row.id, 'failed', (err as Error).message).catch(() => undefined);
    throw err;
  } finally {
    report.done();
  }
  const done = outcome === 'completed' ? await finish(database.db, scope, row.id, 'completed') : (await repo.get(database.db, office.id, row.id))!;
  const seconds = (performance.now() - started) / 1000;
  const runSeconds = (performance.now() - runStarted) / 1000;
  const summary: ImportSummary = {
    importId: row.id, status: outcome, rows: done.rows_processed, created: done.created_count, updated: done.updated_count,
    unchanged: done.unchanged_count, rejected: done.rejected_count, seconds: Math.round(seconds * 10) / 10, rowsPerSecond: Math.round(done.rows_processed / runSeconds),
  };
  if (o.errorsFile) await writeErrors(scope, row.id, o.errorsFile);
  printSummary(io, fileName, summary, o.errorsFile);
  return summary;
}

async function writeErrors(scope: Scope, importId: string, file: string): Promise<void> {
  const { stream } = await errorsCsv(scope, importId);
  await pipeline(stream, fs.createWriteStream(file));
}

function printSummary(io: ProgressIo, fileName: string, s: ImportSummary, errorsFile: string | undefined): void {
  const n = (v: number) => v.toLocaleString('en-GB');
  io.print(`Imported ${fileName} in ${s.seconds}s (${n(s.rowsPerSecond)} rows/s while importing), import ${s.importId}${s.status === 'cancelled' ? ' (cancelled)' : ''}:`);
  io.print(`  rows ${n(s.rows)}: created ${n(s.created)}, updated ${n(s.updated)}, unchanged ${n(s.unchanged)}, rejected ${n(s.rejected)}`);
  if (s.rejected > 0) io.print(errorsFile ? `  rejected rows and reasons: ${errorsFile}` : '  rerun with --errors FILE.csv, or download the report from the import page, for the rejected rows and reasons');
}
