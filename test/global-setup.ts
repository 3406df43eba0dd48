// Runs once before the test files: migrates a template database. On PGlite (the default)
// the migrated data dir is dumped to a file each test file loads, which is far faster than
// running initdb and the migrations in every file. With TEST_DATABASE_URL, that PostgreSQL
// database is migrated once and copied (CREATE DATABASE … TEMPLATE) into one database per test
// worker, so files running at the same time never share one; the files one worker runs in turn
// share its database (each test owns its office). The copies are dropped at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../server/platform/db/database.js';
import { migrate } from '../server/platform/db/migrate.js';
import { Jobs } from '../server/platform/jobs.js';

/** Runs statements on the server's maintenance database (CREATE and DROP DATABASE cannot run inside the database itself). */
async function onServer(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
  const workerUrls: string[] = [];
  if (url) {
    const base = new URL(url).pathname.slice(1);
    const workers = Math.max(1, Number(project.vitest.config.maxWorkers) || 1);
    const names = Array.from({ length: workers }, (_, i) => `${base}_w${i + 1}`);
    await onServer(url, names.flatMap((n) => [`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`, `CREATE DATABASE "${n}" TEMPLATE "${base}"`]));
    workerUrls.push(...names.map((n) => Object.assign(new URL(url), { pathname: `/${n}` }).toString()));
  }
  project.provide('pgliteTemplate', url ? '' : template);
  project.provide('testDatabaseUrl', url ?? '');
  project.provide('workerDatabaseUrls', workerUrls);
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (url) await onServer(url, workerUrls.map((u) => `DROP DATABASE IF EXISTS "${new URL(u).pathname.slice(1)}" WITH (FORCE)`));
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    /** TEST_DATABASE_URL, or '' on PGlite. */
    testDatabaseUrl: string;
    /** One migrated PostgreSQL database per test worker (VITEST_POOL_ID 1, 2, …); empty on PGlite. */
    workerDatabaseUrls: string[];
  }
}
