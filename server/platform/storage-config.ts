// The storage the configuration asks for: a directory under DATA_DIR (default) or an
// S3-compatible bucket. Called by openRuntime and the test harness.
import path from 'node:path';
import type { Config } from '../config.js';
import { diskStorage } from './storage-disk.js';
import { s3Storage } from './storage-s3.js';
import type { Storage } from './storage.js';

export function storageFromConfig(config: Pick<Config, 'storage' | 'dataDir'>): Storage {
  const s = config.storage;
  if (s.kind === 'disk') return diskStorage(path.join(config.dataDir, 'files'));
  return s3Storage({
    endpoint: s.endpoint, region: s.region, bucket: s.bucket, accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey,
    forcePathStyle: s.forcePathStyle, tmpDir: path.join(config.dataDir, 'tmp'),
  });
}
