import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createHash } from 'node:crypto';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { DomainError } from './errors.js';
import { diskStorage } from './storage-disk.js';
import { s3Storage } from './storage-s3.js';
import { storageFromConfig } from './storage-config.js';
import { assertStorageKey, newStorageKey, type Storage } from './storage.js';

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-storage-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Chunks from a generator, as a request body arrives. */
const streamOf = (chunks: Buffer[]) => Readable.from(chunks);

function behavesAsStorage(name: string, open: () => { storage: Storage; leftovers: () => string[] }) {
  describe(name, () => {
    it('stores a stream under a key, reads it back and deletes it', async () => {
      const { storage } = open();
      const key = newStorageKey('test', 'office-1');
      const body = Buffer.from('hello, '.repeat(10_000));
      const stored = await storage.put(key, streamOf([body.subarray(0, 1000), body.subarray(1000)]), { contentType: 'text/plain', maxBytes: 1 << 20 });
      expect(stored).toEqual({ key, size: body.length, sha256: sha(body) });
      expect(await text(await storage.get(key))).toBe(body.toString());
      await storage.delete(key);
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'not_found' });
      await storage.delete(key); // deleting twice is fine
    });

    it('stores a buffer', async () => {
      const { storage } = open();
      const key = newStorageKey('test');
      const stored = await storage.put(key, Buffer.from('%PDF-1.4'), { contentType: 'application/pdf', maxBytes: 100 });
      expect(stored.size).toBe(8);
      expect(await text(await storage.get(key))).toBe('%PDF-1.4');
    });

    it('refuses a body over the limit with 413 and leaves nothing behind', async () => {
      const { storage, leftovers } = open();
      const key = newStorageKey('test');
      const err = await storage.put(key, streamOf([Buffer.alloc(600), Buffer.alloc(600)]), { contentType: 'text/plain', maxBytes: 1000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('payload_too_large');
      await expect(storage.get(key)).rejects.toMatchObject({ code: 'not_found' });
      expect(leftovers()).toEqual([]);
    });

    it('refuses keys that could leave the store', async () => {
      const { storage } = open();
      for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', '.hidden', 'UPPER', 'a b', '']) {
        await expect(storage.put(key, Buffer.from('x'), { contentType: 'text/plain', maxBytes: 10 }), key).rejects.toThrow(/Invalid storage key/);
        await expect(storage.get(key), key).rejects.toThrow(/Invalid storage key/);
      }
    });
  });
}

const listFiles = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name) : []);

behavesAsStorage('disk storage', () => {
  const root = tmp();
  return { storage: diskStorage(root), leftovers: () => listFiles(root) };
});

describe('S3 storage against a local S3 server', () => {
  let server: S3rver;
  let endpoint = '';
  const spoolDir = tmp();
  beforeAll(async () => {
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: tmp(), configureBuckets: [{ name: 'civitas-test' }] });
    const addr = await server.run();
    endpoint = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(async () => {
    await server.close();
  });

  behavesAsStorage('s3', () => {
    const storage = s3Storage({ endpoint, region: 'us-east-1', bucket: 'civitas-test', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, tmpDir: spoolDir });
    return { storage, leftovers: () => listFiles(spoolDir) };
  });

  it('is what STORAGE=s3 configures', async () => {
    const config = loadConfig({ STORAGE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: 'civitas-test', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: 'true', DATA_DIR: tmp() });
    const storage = storageFromConfig(config);
    const key = newStorageKey('configured');
    await storage.put(key, Buffer.from('via config'), { contentType: 'text/plain', maxBytes: 100 });
    expect(await text(await storage.get(key))).toBe('via config');
  });
});

describe('storage configuration', () => {
  it('defaults to disk under DATA_DIR/files with a 25 MiB upload limit', () => {
    const c = loadConfig({});
    expect(c.storage).toEqual({ kind: 'disk' });
    expect(c.uploadMaxBytes).toBe(25 * 1024 * 1024);
  });

  it('refuses STORAGE=s3 without a bucket or credentials, naming each', () => {
    expect(() => loadConfig({ STORAGE: 's3' })).toThrow(/S3_BUCKET: required when STORAGE=s3[\s\S]*S3_ACCESS_KEY_ID[\s\S]*S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ STORAGE: 's3', S3_BUCKET: 'b1b', S3_ACCESS_KEY_ID: 'k' })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ STORAGE: 'ftp' })).toThrow(/STORAGE/);
    expect(() => loadConfig({ S3_ENDPOINT: 'ftp://x' })).toThrow(/S3_ENDPOINT/);
    expect(() => loadConfig({ UPLOAD_MAX_BYTES: '-1' })).toThrow(/UPLOAD_MAX_BYTES/);
  });

  it('keys are generated, lower case and time-ordered', () => {
    const a = newStorageKey('attachments', 'ABC');
    expect(a).toMatch(/^attachments\/abc\/[0-9a-f-]{36}$/);
    expect(() => assertStorageKey(a)).not.toThrow();
  });
});
