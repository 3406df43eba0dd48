// SQL for imports: the import record and its counters, the uploaded file's chunks, and the
// per-row error report. Every function takes the office explicitly.
import { sql } from 'kysely';
import type { Executor, Trx } from '../../platform/db/database.js';

export async function insert(db: Executor, officeId: string, v: { file_name: string; created_by: string | null; source: 'upload' | 'cli'; status?: string; total_bytes?: number }) {
  return db.insertInto('imports').values({ office_id: officeId, kind: 'constituents', ...v }).returningAll().executeTakeFirstOrThrow();
}

export const get = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('imports').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export type ImportRow = NonNullable<Awaited<ReturnType<typeof get>>>;

/** Locks the import for a batch (or a state change) and says where it stands. */
export const lock = (trx: Trx, officeId: string, id: string) =>
  trx.selectFrom('imports').select(['status', 'rows_processed']).where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

/** Serialises the batches of imports running at the same time in one office. */
export const lockOfficeImports = (trx: Trx, officeId: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.imports:${officeId}`}))`.execute(trx);

export async function list(db: Executor, officeId: string, after: { createdAt: string; id: string } | undefined, limit: number) {
  let q = db.selectFrom('imports').selectAll().where('office_id', '=', officeId);
  if (after) q = q.where(sql<boolean>`(created_at, id) < (${new Date(after.createdAt)}::timestamptz, ${after.id}::uuid)`);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

type Patch = Partial<{
  status: string; mapping: string; headers: string[]; encoding: string | null; total_bytes: number; error: string | null;
  started_at: Date; finished_at: Date; uploaded_at: Date | null;
}>;

export const update = (db: Executor, officeId: string, id: string, patch: Patch) =>
  db.updateTable('imports').set(patch).where('office_id', '=', officeId).where('id', '=', id).execute();

export const deleteChunks = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('import_chunks').where('office_id', '=', officeId).where('import_id', '=', id).execute();

export const insertChunk = (db: Executor, officeId: string, id: string, seq: number, data: Buffer) =>
  db.insertInto('import_chunks').values({ office_id: officeId, import_id: id, seq, data }).execute();

export async function readChunk(db: Executor, officeId: string, id: string, seq: number): Promise<Buffer | undefined> {
  const row = await db.selectFrom('import_chunks').select('data').where('office_id', '=', officeId).where('import_id', '=', id).where('seq', '=', seq).executeTakeFirst();
  return row?.data as Buffer | undefined;
}

export type Counts = { created: number; updated: number; unchanged: number; rejected: number };

/** Records a committed batch: where the file has been read to, and what came of it. */
export const advance = (trx: Trx, officeId: string, id: string, rowsProcessed: number, processedBytes: number, c: Counts) =>
  trx
    .updateTable('imports')
    .set((eb) => ({
      rows_processed: rowsProcessed,
      processed_bytes: processedBytes,
      created_count: eb('created_count', '+', c.created),
      updated_count: eb('updated_count', '+', c.updated),
      unchanged_count: eb('unchanged_count', '+', c.unchanged),
      rejected_count: eb('rejected_count', '+', c.rejected),
    }))
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .execute();

export type ErrorRow = { row: number; seq: number; column: string; reason: string };

export async function insertErrors(trx: Trx, officeId: string, id: string, rows: ErrorRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`INSERT INTO import_errors (office_id, import_id, row_number, seq, column_name, reason)
    SELECT ${officeId}::uuid, ${id}::uuid, * FROM unnest(${rows.map((r) => r.row)}::int[], ${rows.map((r) => r.seq)}::smallint[],
      ${rows.map((r) => r.column)}::text[], ${rows.map((r) => r.reason)}::text[])`.execute(trx);
}

export const errorsPage = (db: Executor, officeId: string, id: string, after: [number, number] | undefined, limit: number) => {
  let q = db.selectFrom('import_errors').select(['row_number', 'seq', 'column_name', 'reason']).where('office_id', '=', officeId).where('import_id', '=', id);
  if (after) q = q.where(sql<boolean>`(row_number, seq) > (${after[0]}::int, ${after[1]}::smallint)`);
  return q.orderBy('row_number').orderBy('seq').limit(limit).execute();
};

/** Row numbers already rejected (a resumed run must not count their external ids as taken). */
export async function rejectedRows(db: Executor, officeId: string, id: string): Promise<Set<number>> {
  const rows = await db.selectFrom('import_errors').select('row_number').distinct().where('office_id', '=', officeId).where('import_id', '=', id).execute();
  return new Set(rows.map((r) => r.row_number));
}
