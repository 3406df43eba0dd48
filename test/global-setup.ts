// Runs once before the test files: migrates a template database. On PGlite (the default)
// the migrated data dir is dumped to a file each test file loads, which is far faster than
// running initdb and the migrations in every file. With TEST_DATABASE_URL, the PostgreSQL
// database is migrated once and shared (each test owns its office).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../server/platform/db/database.js';
import { migrate } from '../server/platform/db/migrate.js';
import { Jobs } from '../server/platform/jobs.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const url = process.env.TEST_DATABASE_URL || undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-test-'));
  const template = path.join(dir, 'template.tar.gz');
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'memory://', poolMax: 2 });
  try {
    await migrate(database.pool);
    // pg-boss creates its schema on first start; do it once here.
    const jobs = new Jobs(database.pool, { info: () => undefined, error: () => undefined });
    await jobs.start({ work: false });
    await jobs.stop();
    if (database.pglite) {
      const blob = await database.pglite.dumpDataDir('none');
      fs.writeFileSync(template, Buffer.from(await blob.arrayBuffer()));
    }
  } finally {
    await database.close();
  }
  project.provide('pgliteTemplate', url ? '' : template);
  project.provide('testDatabaseUrl', url ?? '');
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    testDatabaseUrl: string;
  }
}
