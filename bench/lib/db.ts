// The benchmark database: a fresh PostgreSQL database created next to BENCH_DATABASE_URL
// (dropped at the end), an existing one on that server (--database, never dropped), or a
// PGlite data dir in a temporary directory (removed at the end). Either way it is migrated
// once; scenarios open and close connections as they need.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, pgliteDataDir, type Database } from '../../server/platform/db/database.js';
import { migrate } from '../../server/platform/db/migrate.js';

export type BenchDatabase = {
  engine: 'postgres' | 'pglite';
  /** DATABASE_URL for servers started on this database (PostgreSQL only). */
  url: string | undefined;
  /** DATA_DIR for servers started on this database (PGlite only). */
  dataDir: string | undefined;
  /** Name shown in results: the database name or the data dir. */
  label: string;
  /** Opens a connection (for PGlite, the only one: close it before starting a server). */
  open(poolMax?: number): Promise<Database>;
  /** Server version string, e.g. "PostgreSQL 15.8". */
  version: string;
  drop(): Promise<void>;
};

export async function createBenchDatabase(adminUrl: string | undefined, log: (line: string) => void): Promise<BenchDatabase> {
  const stamp = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  if (adminUrl) {
    const name = `civitas_bench_${stamp}`;
    await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
    const bench = postgresBench(adminUrl, name, () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
    await prepare(bench, log, 'created');
    return bench;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-bench-'));
  const bench: BenchDatabase = {
    engine: 'pglite',
    url: undefined,
    dataDir,
    label: dataDir,
    version: '',
    open: () => openDatabase({ databaseUrl: undefined, pgliteDir: pgliteDataDir(dataDir), poolMax: 1 }),
    drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
  await prepare(bench, log, 'created');
  return bench;
}

/** What --database accepts: a database a bench run made (never the server's own postgres, say). */
const DATABASE_NAME = /^civitas_bench_[a-z0-9_]+$/;

/**
 * An existing database `name` on BENCH_DATABASE_URL's server (one an earlier --keep run left),
 * migrated like a new one. It is not ours: drop() refuses, whatever the caller does.
 */
export async function reuseBenchDatabase(adminUrl: string, name: string, log: (line: string) => void): Promise<BenchDatabase> {
  if (!DATABASE_NAME.test(name)) throw new Error(`--database expects the name of a kept bench database (${String(DATABASE_NAME)}), got "${name}"`);
  const found = await withAdmin(adminUrl, (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]));
  if (found.rowCount === 0) throw new Error(`--database ${name}: no such database on ${new URL(adminUrl).host}`);
  const bench = postgresBench(adminUrl, name, () => Promise.reject(new Error(`${name} was reused, not created by this run: not dropping it`)));
  await prepare(bench, log, 'reused');
  return bench;
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function postgresBench(adminUrl: string, name: string, drop: () => Promise<unknown>): BenchDatabase {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    engine: 'postgres',
    url,
    dataDir: undefined,
    label: name,
    version: '',
    open: (poolMax = 10) => openDatabase({ databaseUrl: url, pgliteDir: 'memory://', poolMax }),
    drop: async () => {
      await drop();
    },
  };
}

async function prepare(bench: BenchDatabase, log: (line: string) => void, how: 'created' | 'reused'): Promise<void> {
  const t0 = performance.now();
  const database = await bench.open(2);
  try {
    await migrate(database.pool, () => undefined);
    const r = await database.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    bench.version = `PostgreSQL ${r.rows[0]!.v}`;
  } finally {
    await database.close();
  }
  log(`database ${bench.engine} ${bench.label} (${bench.version}) ${how} and migrated in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
}
