// Attachments that arrive with an inbound item (the portal's photos): their bytes are stored
// before the item is (storePending), named in the item, and become the case's attachments
// when intake files the item on its case (attachStored, in the filing transaction, so they are
// attached exactly once and a crash before filing leaves them to the job that retries it).
// The portal reads them back by the keys its items name, only while they are live on the case.
import type { Readable } from 'node:stream';
import * as audit from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import { currentStorage, newStorageKey } from '../../platform/storage.js';
import * as repo from './attachments.repo.js';

/** A file stored for an item, as the item names it. */
export type PendingFile = { key: string; fileName: string; contentType: string; size: number; sha256: string };

/** Stores the files (already checked by the caller) under fresh keys; all or none. */
export async function storePending(officeId: string, files: readonly { fileName: string; contentType: string; bytes: Buffer }[]): Promise<PendingFile[]> {
  const storage = currentStorage();
  const stored: PendingFile[] = [];
  try {
    for (const f of files) {
      const o = await storage.put(newStorageKey('attachments', officeId), f.bytes, { contentType: f.contentType, maxBytes: f.bytes.length });
      stored.push({ key: o.key, fileName: f.fileName, contentType: f.contentType, size: o.size, sha256: o.sha256 });
    }
    return stored;
  } catch (err) {
    await discardPending(stored);
    throw err;
  }
}

/** Removes files that no item came to name (the item was refused, or another send stored it first). */
export async function discardPending(files: readonly Pick<PendingFile, 'key'>[]): Promise<void> {
  await Promise.all(files.map((f) => currentStorage().delete(f.key).catch(() => undefined)));
}

/**
 * Makes the item's files attachments of the case, each with its audit event on the case's
 * timeline. A file already attached (an item filed, set aside, then filed again) is not
 * attached twice: one stored file, one row.
 */
export async function attachStored(trx: Executor, scope: Scope, caseId: string, files: readonly PendingFile[], uploadedBy: string): Promise<void> {
  const inUse = await repo.keysInUse(trx, scope.officeId, files.map((f) => f.key));
  for (const f of files.filter((x) => !inUse.has(x.key))) {
    const row = await repo.insert(trx, scope.officeId, {
      case_id: caseId, file_name: f.fileName, content_type: f.contentType, size: f.size, sha256: f.sha256, storage_key: f.key, uploaded_by: null, uploaded_by_label: uploadedBy,
    });
    await audit.record(trx, scope, {
      entity: 'case_attachment', id: row.id, action: 'added', caseId,
      after: { summary: `Photo added by ${uploadedBy}: ${row.file_name}`, fileName: row.file_name, contentType: row.content_type, size: Number(row.size), sha256: row.sha256 },
    });
  }
}

/** The case's live attachments stored under these keys, in the keys' order (staff may have deleted some). */
export async function liveByKeys(db: Executor, officeId: string, caseId: string, keys: readonly string[]): Promise<{ id: string; fileName: string; contentType: string }[]> {
  if (!keys.length) return [];
  const rows = await repo.liveByKeys(db, officeId, caseId, keys);
  const byKey = new Map(rows.map((r) => [r.storage_key, r]));
  return keys.flatMap((k) => {
    const r = byKey.get(k);
    return r ? [{ id: r.id, fileName: r.file_name, contentType: r.content_type }] : [];
  });
}

/** The bytes of a live attachment of the case, if it is one of these keys. */
export async function openByKeys(db: Executor, officeId: string, caseId: string, keys: readonly string[], id: string): Promise<{ stream: Readable; contentType: string; fileName: string } | undefined> {
  const row = keys.length ? (await repo.liveByKeys(db, officeId, caseId, keys)).find((r) => r.id === id) : undefined;
  if (!row) return undefined;
  return { stream: await currentStorage().get(row.storage_key), contentType: row.content_type, fileName: row.file_name };
}
