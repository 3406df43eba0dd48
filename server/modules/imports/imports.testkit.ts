// Helpers for the import tests: run a CSV through the CLI's code path on temporary files,
// read back the error report and the records an import made.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Constituent } from '../../../contract/constituents.js';
import type { ImportEncoding, ImportMappingInput } from '../../../contract/imports.js';
import type { Database } from '../../platform/db/database.js';
import { systemScope } from '../../platform/scope.js';
import * as bulk from '../constituents/constituents.bulk.js';
import * as constituents from '../constituents/constituents.service.js';
import { importCommand, readMapping, type ImportSummary } from './imports.command.js';
import * as repo from './imports.repo.js';

let dir: string | undefined;
let n = 0;

export const silentIo = { isTty: false, write: () => undefined, print: () => undefined };

export function tempFile(content: string | Buffer, ext = 'csv'): string {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-import-test-'));
  const file = path.join(dir, `f${process.pid}-${n++}.${ext}`);
  fs.writeFileSync(file, content);
  return file;
}

export const csvLine = (cells: (string | number)[]) =>
  cells.map((c) => (/[",\n\r]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');
export const csv = (rows: (string | number)[][]) => `${rows.map(csvLine).join('\n')}\n`;

export type RunResult = ImportSummary & { errors: { row: number; column: string; reason: string }[] };

export async function importCsv(
  database: Database, office: { id: string; slug: string }, content: string | Buffer, mapping: ImportMappingInput,
  opts: { encoding?: ImportEncoding; batchRows?: number } = {},
): Promise<RunResult> {
  const summary = await importCommand(database, {
    file: tempFile(content), officeId: office.id, mapping: readMapping(tempFile(JSON.stringify(mapping), 'json')), encoding: opts.encoding, ...(opts.batchRows ? { batchRows: opts.batchRows } : {}),
  }, silentIo);
  return { ...summary, errors: await errorsOf(database, office.id, summary.importId) };
}

export async function errorsOf(database: Database, officeId: string, importId: string) {
  return (await repo.errorsPage(database.db, officeId, importId, undefined, 10_000)).map((e) => ({ row: e.row_number, column: e.column_name, reason: e.reason }));
}

/** The record an external id belongs to, as the API shows it. */
export async function byExternalId(database: Database, officeId: string, system: string, value: string): Promise<Constituent | undefined> {
  const [hit] = await bulk.findByExternalIds(database.db, officeId, [{ system, value }]);
  return hit ? constituents.get(systemScope(database.db, officeId, 'test'), hit.id) : undefined;
}

export async function countConstituents(database: Database, officeId: string): Promise<number> {
  const r = await database.db.selectFrom('constituents').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow();
  return Number(r.n);
}
