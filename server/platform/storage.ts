// Blob storage for uploaded and generated files (case attachments, PDFs): one interface,
// two back ends (a directory under DATA_DIR, or an S3-compatible bucket), installed once at
// start-up from the configuration. Metadata lives in each module's tables; this only keeps
// bytes under keys that the caller builds with newStorageKey(), never from user input.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from './errors.js';
import { uuidv7 } from './ids.js';

export type PutOptions = { contentType: string; maxBytes: number };
export type StoredObject = { key: string; size: number; sha256: string };

export interface Storage {
  /** Stores the body under the key, whole or not at all; over maxBytes → 413 payload_too_large. */
  put(key: string, body: Readable | Buffer, opts: PutOptions): Promise<StoredObject>;
  /** The stored bytes; a missing key → 404 not_found. */
  get(key: string): Promise<Readable>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

// Lower-case letters, digits, dot, dash and underscore, in slash-separated segments that do
// not start with a dot: no "..", no absolute paths, nothing a file system or S3 treats specially.
const KEY = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*(?:\/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)*$/;

export function assertStorageKey(key: string): void {
  if (key.length > 500 || !KEY.test(key)) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
}

/** A fresh key under a prefix such as `attachments/<officeId>`: time-ordered, never reused. */
export function newStorageKey(...prefix: string[]): string {
  const key = [...prefix.map((p) => p.toLowerCase()), uuidv7()].join('/');
  assertStorageKey(key);
  return key;
}

export function tooLarge(maxBytes: number): DomainError {
  const mib = maxBytes / 2 ** 20;
  return new DomainError('payload_too_large', {
    message: `The file is larger than the limit of ${Number.isInteger(mib) ? `${mib} MiB` : `${maxBytes} bytes`}`,
    extra: { maxBytes },
  });
}

export type Spooled = { path: string; size: number; sha256: string };

/** Writes the body to a new file in dir while counting and hashing it; the file is removed
 * again on any failure (too large, client gone, disk full). */
export async function spool(body: Readable | Buffer, maxBytes: number, dir: string): Promise<Spooled> {
  await fsp.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) return cb(tooLarge(maxBytes));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    // flush: fsync before close, so a rename after this never exposes a file the OS still buffers.
    await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, meter, fs.createWriteStream(file, { flags: 'wx', flush: true }));
  } catch (err) {
    await fsp.rm(file, { force: true });
    throw err;
  }
  return { path: file, size, sha256: hash.digest('hex') };
}

let installed: Storage | null = null;

/** Installs the process's storage (from the configuration, or a test's). */
export function setStorage(storage: Storage | null): void {
  installed = storage;
}

export function currentStorage(): Storage {
  if (!installed) throw new Error('No file storage is installed (setStorage was not called)');
  return installed;
}
