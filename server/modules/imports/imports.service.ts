// Imports through the API: create, upload the file (kept in ~1 MiB chunks as it streams in),
// start with a mapping (runs as the imports.run job), follow progress, cancel, and read the
// per-row error report.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import type { Page } from '../../../contract/common.js';
import { ZCreateImport, ZImportMapping, ZStartImport, type CreateImport, type Import, type ImportEncoding, type ImportUploaded, type StartImport } from '../../../contract/imports.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Scope } from '../../platform/scope.js';
import { detectEncoding, utf8Advice, Utf8Checker } from './imports.encoding.js';
import { planFor } from './imports.execute.js';
import { enqueueImport } from './imports.job.js';
import { MappingError } from './imports.mapping.js';
import * as repo from './imports.repo.js';
import { readHead } from './imports.source.js';

export const CHUNK_BYTES = 1 << 20;
export const MAX_UPLOAD_BYTES = 1 << 30;
const HEAD_BYTES = 64 * 1024;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function present(row: repo.ImportRow): Import {
  const mapping = ZImportMapping.safeParse(row.mapping);
  return {
    id: row.id, kind: row.kind as Import['kind'], fileName: row.file_name, status: row.status as Import['status'], source: row.source as Import['source'],
    encoding: row.encoding as ImportEncoding | null, headers: row.headers, mapping: mapping.success ? mapping.data : null,
    totalBytes: row.total_bytes, processedBytes: row.processed_bytes, rowsProcessed: row.rows_processed,
    created: row.created_count, updated: row.updated_count, unchanged: row.unchanged_count, rejected: row.rejected_count,
    error: row.error, createdBy: row.created_by, createdAt: row.created_at.toISOString(), uploadedAt: iso(row.uploaded_at),
    startedAt: iso(row.started_at), finishedAt: iso(row.finished_at),
  };
}

async function load(scope: Scope, id: string): Promise<repo.ImportRow> {
  const row = await repo.get(scope.db, scope.officeId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such import in this office' });
  return row;
}

export const get = async (scope: Scope, id: string): Promise<Import> => present(await load(scope, id));

export async function list(scope: Scope, q: { limit: number; cursor?: string | undefined }): Promise<Page<Import>> {
  const after = decodeCursor(q.cursor, z.tuple([z.iso.datetime({ offset: true }), z.uuid()]));
  const rows = await repo.list(scope.db, scope.officeId, after && { createdAt: after[0], id: after[1] }, q.limit + 1);
  const p = page(rows, q.limit, (r) => [r.created_at.toISOString(), r.id]);
  return { items: p.items.map(present), nextCursor: p.nextCursor };
}

export async function create(scope: Scope, input: CreateImport): Promise<Import> {
  const v = ZCreateImport.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await repo.insert(trx, scope.officeId, { file_name: v.fileName, created_by: scope.actor.type === 'system' ? null : scope.actor.id, source: 'upload' });
    await audit.record(trx, scope, { entity: 'import', id: row.id, action: 'created', after: { fileName: v.fileName } });
    return present(row);
  });
}

/** Stores the body in chunks as it arrives; answers with the header row and a sample. */
export async function upload(scope: Scope, id: string, body: AsyncIterable<Buffer>, limit = MAX_UPLOAD_BYTES): Promise<ImportUploaded> {
  const row = await load(scope, id);
  if (row.status !== 'uploading') throw new DomainError('conflict', { message: 'This import has started; create a new import for another file' });
  await repo.deleteChunks(scope.db, scope.officeId, id);
  const checker = new Utf8Checker();
  const head: Buffer[] = [];
  let [headBytes, total, seq] = [0, 0, 0];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const store = async () => {
    await repo.insertChunk(scope.db, scope.officeId, id, seq++, Buffer.concat(pending));
    [pending, pendingBytes] = [[], 0];
  };
  try {
    for await (const chunk of body) {
      total += chunk.length;
      if (total > limit) throw new DomainError('payload_too_large', { message: `The file is larger than ${limit / 2 ** 20} MiB` });
      checker.push(chunk);
      if (headBytes < HEAD_BYTES) {
        head.push(chunk);
        headBytes += chunk.length;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) await store();
    }
    if (pendingBytes > 0) await store();
  } catch (err) {
    await repo.deleteChunks(scope.db, scope.officeId, id);
    throw err;
  }
  if (total === 0) throw new DomainError('validation_failed', { field: 'file', message: 'The file is empty' });
  const first = Buffer.concat(head);
  const problem = checker.end();
  const encoding: ImportEncoding | null = detectEncoding(first) ?? (problem ? null : 'utf8');
  const { headers, sample } = await headOf(first, total, encoding ?? 'windows-1252');
  if (headers.length === 0) throw new DomainError('validation_failed', { field: 'file', message: 'The file has no header row' });
  await repo.update(scope.db, scope.officeId, id, { headers, total_bytes: total, encoding, uploaded_at: new Date() });
  await audit.record(scope.db, scope, { entity: 'import', id, action: 'uploaded', after: { fileName: row.file_name, bytes: total, encoding, columns: headers.length } });
  return { ...present((await repo.get(scope.db, scope.officeId, id))!), sample, encodingProblem: encoding ? null : utf8Advice(problem!, 'upload') };
}

/** The header and sample rows of the file's first bytes. */
async function headOf(first: Buffer, total: number, encoding: ImportEncoding) {
  const { headers, sample } = await readHead((async function* () { yield first; })(), encoding, 6);
  // Reading stopped at the end of these bytes: their last record may be cut off.
  const isCut = first.length < total && sample.length < 6;
  return { headers, sample: (isCut ? sample.slice(0, -1) : sample).slice(0, 5) };
}

export async function start(scope: Scope, jobs: Jobs, id: string, input: StartImport): Promise<Import> {
  const v = ZStartImport.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const state = await repo.lock(trx, scope.officeId, id);
    if (!state) throw new DomainError('not_found', { message: 'No such import in this office' });
    const row = (await repo.get(trx, scope.officeId, id))!;
    if (row.status !== 'uploading') throw new DomainError('conflict', { message: `This import is already ${row.status}` });
    if (!row.uploaded_at) throw new DomainError('conflict', { message: 'Upload the file before starting the import' });
    const encoding = v.encoding ?? (row.encoding as ImportEncoding | null);
    if (!encoding) throw new DomainError('validation_failed', { field: 'encoding', message: 'The file is not valid UTF-8: choose its encoding (windows-1252 for files saved by Excel on Windows, or latin1)' });
    let headers = row.headers;
    if (encoding !== row.encoding) {
      const first = (await repo.readChunk(trx, scope.officeId, id, 0)) ?? Buffer.alloc(0);
      headers = (await readHead((async function* () { yield first.subarray(0, HEAD_BYTES); })(), encoding, 0)).headers;
    }
    try {
      await planFor({ ...scope, db: trx }, v.mapping, headers);
    } catch (err) {
      if (err instanceof MappingError) throw new DomainError('validation_failed', { field: err.field, message: err.message });
      throw err;
    }
    await repo.update(trx, scope.officeId, id, { status: 'queued', mapping: JSON.stringify(v.mapping), encoding, headers });
    await enqueueImport(jobs, trx, { officeId: scope.officeId, importId: id });
    await audit.record(trx, scope, { entity: 'import', id, action: 'started', after: { fileName: row.file_name, encoding, mapping: v.mapping } });
    return present((await repo.get(trx, scope.officeId, id))!);
  });
}

/** Stops an import: a running one stops after its current batch, keeping what was written. */
export async function cancel(scope: Scope, id: string): Promise<Import> {
  return inTransaction(scope.db, async (trx) => {
    const state = await repo.lock(trx, scope.officeId, id);
    if (!state) throw new DomainError('not_found', { message: 'No such import in this office' });
    if (!['uploading', 'queued', 'running'].includes(state.status)) throw new DomainError('conflict', { message: `This import is already ${state.status}` });
    await repo.update(trx, scope.officeId, id, { status: 'cancelled', finished_at: new Date() });
    // A running job notices at its next batch (each checks the status) and stops there.
    await repo.deleteChunks(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'import', id, action: 'cancelled', before: { status: state.status, rows: state.rows_processed } });
    return present((await repo.get(trx, scope.officeId, id))!);
  });
}

/** The error report as CSV (row, column, reason), read page by page as it is sent. */
export async function errorsCsv(scope: Scope, id: string): Promise<{ fileName: string; stream: Readable }> {
  const row = await load(scope, id);
  const { db, officeId } = scope;
  async function* rows() {
    let after: [number, number] | undefined;
    for (;;) {
      const batch = await repo.errorsPage(db, officeId, id, after, 5000);
      for (const e of batch) yield [e.row_number, e.column_name, e.reason];
      if (batch.length < 5000) return;
      const last = batch[batch.length - 1]!;
      after = [last.row_number, last.seq];
    }
  }
  const csv = stringify({ header: true, columns: ['row', 'column', 'reason'], bom: true });
  const stream = Readable.from(rows()).pipe(csv);
  return { fileName: `${row.file_name.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 100)}-errors.csv`, stream };
}
