// The benchmark database: a fresh PostgreSQL database created next to BENCH_DATABASE_URL
// (dropped at the end), or a PGlite data dir in a temporary directory (removed at the end).
// Either way it is migrated once; scenarios open and close connections as they need.
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
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const url = u.toString();
    const bench: BenchDatabase = {
      engine: 'postgres',
      url,
      dataDir: undefined,
      label: name,
      version: '',
      open: (poolMax = 10) => openDatabase({ databaseUrl: url, pgliteDir: 'memory://', poolMax }),
      drop: async () => {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
    await prepare(bench, log);
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
  await prepare(bench, log);
  return bench;
}

async function prepare(bench: BenchDatabase, log: (line: string) => void): Promise<void> {
  const t0 = performance.now();
  const database = await bench.open(2);
  try {
    await migrate(database.pool, () => undefined);
    const r = await database.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    bench.version = `PostgreSQL ${r.rows[0]!.v}`;
  } finally {
    await database.close();
  }
  log(`database ${bench.engine} ${bench.label} (${bench.version}) created and migrated in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
}
