// Case attachments: the body is streamed into storage under a fresh key while it is counted,
// hashed and inspected; only a file within the size limit whose content is an allowed type
// gets a row (and an audit event on the case's timeline), otherwise its bytes are removed
// again. Deleting is a soft delete with an audit event; the bytes are removed right after the
// commit, and the purge job retries any removal that failed (storage down, crash).
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ATTACHMENT_KINDS, type Attachment } from '../../../contract/case-work.js';
import type { Page } from '../../../contract/common.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import { currentStorage, newStorageKey } from '../../platform/storage.js';
import { visibleCase } from '../cases/cases.access.js';
import type { Viewer } from '../cases/cases.service.js';
import { classify, Inspector, safeFileName } from './attachments.sniff.js';
import * as repo from './attachments.repo.js';

const present = (r: repo.AttachmentRow): Attachment => ({
  id: r.id, caseId: r.case_id, fileName: r.file_name, contentType: r.content_type, size: Number(r.size), sha256: r.sha256,
  uploadedBy: r.uploaded_by_label, createdAt: r.created_at.toISOString(),
});

const fmtSize = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);

export async function upload(scope: Scope, viewer: Viewer, caseId: string, body: Readable, given: { fileName: string | undefined; maxBytes: number }): Promise<Attachment> {
  // Before reading a byte: a case the caller cannot see gets no blob at all.
  await visibleCase(scope.db, scope, viewer, caseId);
  const storage = currentStorage();
  const key = newStorageKey('attachments', scope.officeId);
  const inspector = new Inspector();
  // The request itself is not destroyed when storing fails, so the answer still reaches the client.
  body.on('error', (err) => inspector.destroy(err));
  const stored = await storage.put(key, body.pipe(inspector), { contentType: 'application/octet-stream', maxBytes: given.maxBytes });
  try {
    const verdict = await classify(inspector, given.fileName ?? '');
    if (!verdict.ok) {
      throw new DomainError('unsupported_media_type', {
        field: 'file', message: `This file is ${verdict.detected}; attachments may be ${ATTACHMENT_KINDS}`, extra: { detectedType: verdict.detected },
      });
    }
    return await inTransaction(scope.db, async (trx) => {
      const c = await visibleCase(trx, scope, viewer, caseId);
      const row = await repo.insert(trx, scope.officeId, {
        case_id: c.id, file_name: safeFileName(given.fileName, verdict.extensions), content_type: verdict.contentType, size: stored.size, sha256: stored.sha256,
        storage_key: stored.key, uploaded_by: scope.actor.type === 'system' ? null : viewer.userId, uploaded_by_label: scope.actor.label,
      });
      const a = present(row);
      await audit.record(trx, scope, {
        entity: 'case_attachment', id: a.id, action: 'added', caseId: c.id,
        after: { summary: `Attachment added: ${a.fileName} (${fmtSize(a.size)})`, fileName: a.fileName, contentType: a.contentType, size: a.size, sha256: a.sha256 },
      });
      return a;
    });
  } catch (err) {
    await storage.delete(stored.key);
    throw err;
  }
}

export async function list(scope: Scope, viewer: Viewer, caseId: string, q: { limit: number; cursor?: string | undefined }): Promise<Page<Attachment>> {
  const c = await visibleCase(scope.db, scope, viewer, caseId, 'attachments');
  const after = decodeCursor(q.cursor, z.tuple([z.uuid()]));
  const rows = await repo.list(scope.db, scope.officeId, c.id, after?.[0], q.limit + 1);
  const p = page(rows, q.limit, (r) => [r.id]);
  return { items: p.items.map(present), nextCursor: p.nextCursor };
}

const noAttachment = () => new DomainError('not_found', { message: 'No such attachment on this case' });

export type Download = { stream: Readable; contentType: string; size: number; fileName: string };

export async function download(scope: Scope, viewer: Viewer, caseId: string, id: string): Promise<Download> {
  const c = await visibleCase(scope.db, scope, viewer, caseId, 'attachment');
  const row = await repo.get(scope.db, scope.officeId, c.id, id);
  if (!row) throw noAttachment();
  const stream = await currentStorage().get(row.storage_key);
  const isText = row.content_type.startsWith('text/');
  return { stream, contentType: isText ? `${row.content_type}; charset=utf-8` : row.content_type, size: Number(row.size), fileName: row.file_name };
}

export async function remove(scope: Scope, viewer: Viewer, caseId: string, id: string): Promise<void> {
  const removed = await inTransaction(scope.db, async (trx) => {
    const c = await visibleCase(trx, scope, viewer, caseId);
    const row = await repo.softDelete(trx, scope.officeId, c.id, id, scope.actor.label);
    if (!row) throw noAttachment();
    await audit.record(trx, scope, {
      entity: 'case_attachment', id: row.id, action: 'removed', caseId: c.id,
      before: { fileName: row.file_name, contentType: row.content_type, size: Number(row.size), sha256: row.sha256 },
      after: { summary: `Attachment removed: ${row.file_name}` },
    });
    return row;
  });
  await purgeOne(scope.db, scope.officeId, removed.id, removed.storage_key).catch(() => undefined); // the purge job retries
}

async function purgeOne(db: Executor, officeId: string, id: string, key: string): Promise<void> {
  await currentStorage().delete(key);
  await repo.markBlobRemoved(db, officeId, id);
}

/** Removes the stored bytes of deleted attachments (all offices), a batch at a time. */
export async function purgeRemoved(db: Executor, batch = 200): Promise<{ purged: number; failed: number }> {
  let purged = 0;
  let failed = 0;
  for (const r of await repo.pendingPurge(db, batch)) {
    try {
      await purgeOne(db, r.office_id, r.id, r.storage_key);
      purged++;
    } catch {
      failed++;
    }
  }
  return { purged, failed };
}
