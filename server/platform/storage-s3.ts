// S3-compatible storage (AWS S3, MinIO, Ceph, R2...). A body is spooled to a local temp
// file first, so its size limit and SHA-256 are known before anything reaches the bucket,
// and the PUT carries an exact Content-Length (S3 stores an object whole or not at all).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DomainError } from './errors.js';
import { assertStorageKey, spool, type PutOptions, type Storage, type StoredObject } from './storage.js';

export type S3Options = {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Where bodies are spooled before upload. */
  tmpDir: string;
};

export function s3Storage(opts: S3Options): Storage {
  const client = new S3Client({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    // Newer SDKs add CRC checksums (aws-chunked bodies) by default, which many
    // S3-compatible servers refuse; the SHA-256 we keep is our integrity check.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

  return {
    async put(key: string, body: Readable | Buffer, putOpts: PutOptions): Promise<StoredObject> {
      assertStorageKey(key);
      const spooled = await spool(body, putOpts.maxBytes, opts.tmpDir);
      try {
        await client.send(new PutObjectCommand({
          Bucket: opts.bucket, Key: key, Body: fs.createReadStream(spooled.path), ContentLength: spooled.size, ContentType: putOpts.contentType,
        }));
      } finally {
        await fsp.rm(spooled.path, { force: true });
      }
      return { key, size: spooled.size, sha256: spooled.sha256 };
    },

    async get(key: string): Promise<Readable> {
      assertStorageKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: opts.bucket, Key: key }));
        if (!(out.Body instanceof Readable)) throw new Error('S3 returned no body stream');
        return out.Body;
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') throw new DomainError('not_found', { message: 'The stored file is missing' });
        throw err;
      }
    },

    async delete(key: string): Promise<void> {
      assertStorageKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: key }));
    },
  };
}
