// Running an import to its end, for the job (file read back from import_chunks) and for the
// CLI (file read from disk): the plan from the office's custom fields and the stored
// mapping, the run itself, and the final status with its audit event.
import { ZImportMapping, type ImportEncoding, type ImportMapping } from '../../../contract/imports.js';
import * as audit from '../../platform/audit/audit.js';
import type { Database, Executor } from '../../platform/db/database.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import { analyzeTables, REGISTRY_TABLES } from '../constituents/constituents.bulk.js';
import { listFields } from '../constituents/constituents.custom-fields.js';
import * as offices from '../offices/offices.service.js';
import * as users from '../users/users.service.js';
import { compileMapping, MappingError, type ImportPlan } from './imports.mapping.js';
import * as repo from './imports.repo.js';
import { ImportStopped, runImport, type Progress, type RunInput } from './imports.runner.js';

/** Imports that write at least this many records refresh the planner's statistics. */
const ANALYZE_AFTER_ROWS = 10_000;

/** The plan for these headers and the office's phone region; MappingError when they do not fit. */
export async function planFor(scope: Scope, mapping: ImportMapping, headers: string[]): Promise<{ plan: ImportPlan; region: string }> {
  const [fields, office] = await Promise.all([listFields(scope), offices.get(scope)]);
  return { plan: compileMapping(mapping, headers, fields), region: office.defaultRegion };
}

/** The uploaded file, chunk by chunk, as stored. */
export async function* chunkSource(db: Executor, officeId: string, importId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const chunk = await repo.readChunk(db, officeId, importId, seq);
    if (!chunk) return;
    yield chunk;
  }
}

export async function finish(db: Executor, scope: Scope, importId: string, outcome: 'completed' | 'failed', error?: string): Promise<repo.ImportRow> {
  await repo.update(db, scope.officeId, importId, { status: outcome, finished_at: new Date(), ...(error ? { error: error.slice(0, 2000) } : {}) });
  // A finished import's rows are in the registry and its problems in import_errors; the
  // stored file is only kept when it failed, for whoever looks into why.
  if (outcome === 'completed') await repo.deleteChunks(db, scope.officeId, importId);
  const row = (await repo.get(db, scope.officeId, importId))!;
  if (row.created_count + row.updated_count >= ANALYZE_AFTER_ROWS) await analyzeTables(db, REGISTRY_TABLES);
  await audit.record(db, scope, {
    entity: 'import', id: importId, action: outcome,
    after: { fileName: row.file_name, rows: row.rows_processed, created: row.created_count, updated: row.updated_count, unchanged: row.unchanged_count, rejected: row.rejected_count, ...(error ? { error } : {}) },
  });
  return row;
}

type RunOptions = Pick<RunInput, 'source' | 'onProgress' | 'batchRows'> & { scope: Scope; row: repo.ImportRow; encoding: ImportEncoding; mapping: ImportMapping };

/** Runs (or resumes, after rows_processed) an import that is marked running. */
export async function execute(database: Database, o: RunOptions): Promise<'completed' | 'cancelled'> {
  const { plan, region } = await planFor(o.scope, o.mapping, o.row.headers);
  const skip = o.row.rows_processed;
  return runImport({
    database, officeId: o.scope.officeId, importId: o.row.id, fileName: o.row.file_name, actor: o.scope.actor, requestId: o.scope.requestId,
    plan, region, source: o.source, encoding: o.encoding, skipRows: skip,
    ...(skip > 0 ? { rejectedRows: await repo.rejectedRows(database.db, o.scope.officeId, o.row.id) } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.batchRows ? { batchRows: o.batchRows } : {}),
  });
}

/** The job's work: run a queued (or interrupted) upload. */
export async function runQueued(
  database: Database,
  data: { officeId: string; importId: string },
  opts: { isLastAttempt: boolean; log?: (p: Progress) => void; batchRows?: number },
): Promise<void> {
  const db = database.db;
  const row = await repo.get(db, data.officeId, data.importId);
  if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
  const scope: Scope = row.created_by
    ? { db, officeId: data.officeId, actor: { type: 'user', id: row.created_by, label: await actorLabel(db, data.officeId, row.created_by) }, requestId: undefined }
    : systemScope(db, data.officeId, 'import');
  const mapping = ZImportMapping.safeParse(row.mapping);
  if (!mapping.success || !row.encoding || row.source !== 'upload') {
    await finish(db, scope, row.id, 'failed', 'The import has no usable mapping, encoding or stored file');
    return;
  }
  await repo.update(db, data.officeId, row.id, { status: 'running', ...(row.started_at ? {} : { started_at: new Date() }) });
  try {
    const outcome = await execute(database, {
      scope, row, encoding: row.encoding as ImportEncoding, mapping: mapping.data, source: chunkSource(db, data.officeId, row.id),
      ...(opts.log ? { onProgress: opts.log } : {}), ...(opts.batchRows ? { batchRows: opts.batchRows } : {}),
    });
    if (outcome === 'completed') await finish(db, scope, row.id, 'completed');
  } catch (err) {
    if (err instanceof ImportStopped) throw err;
    // The office's custom fields changed under the mapping: no retry will help.
    if (err instanceof MappingError) await finish(db, scope, row.id, 'failed', err.message);
    else if (opts.isLastAttempt) await finish(db, scope, row.id, 'failed', `Stopped after repeated failures: ${(err as Error).message}`);
    else throw err; // retried by the queue, resuming after the last committed batch
  }
}

async function actorLabel(db: Executor, officeId: string, userId: string): Promise<string> {
  const u = await users.findById(db, officeId, userId);
  return u?.display_name ?? 'import';
}
