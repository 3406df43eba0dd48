// Disk storage: objects are files under DATA_DIR/files/<key>. A body is first written to
// DATA_DIR/files/.tmp and renamed into place (same file system, so the rename is atomic):
// a crash mid-upload leaves at most a stray .part file, never half a file under a key.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DomainError } from './errors.js';
import { assertStorageKey, spool, type PutOptions, type Storage, type StoredObject } from './storage.js';

export function diskStorage(root: string): Storage {
  const base = path.resolve(root);
  const tmpDir = path.join(base, '.tmp');
  const fileOf = (key: string) => {
    assertStorageKey(key);
    return path.join(base, ...key.split('/'));
  };

  return {
    async put(key: string, body: Readable | Buffer, opts: PutOptions): Promise<StoredObject> {
      const target = fileOf(key);
      const spooled = await spool(body, opts.maxBytes, tmpDir);
      try {
        await fsp.mkdir(path.dirname(target), { recursive: true });
        await fsp.rename(spooled.path, target);
      } catch (err) {
        await fsp.rm(spooled.path, { force: true });
        throw err;
      }
      return { key, size: spooled.size, sha256: spooled.sha256 };
    },

    async get(key: string): Promise<Readable> {
      try {
        const handle = await fsp.open(fileOf(key), 'r');
        return handle.createReadStream();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('not_found', { message: 'The stored file is missing' });
        throw err;
      }
    },

    async delete(key: string): Promise<void> {
      await fsp.rm(fileOf(key), { force: true });
    },
  };
}
