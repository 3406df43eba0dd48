// Opens the database: PostgreSQL through a pg Pool when DATABASE_URL is set, otherwise the
// embedded PGlite in DATA_DIR/pgdata through its node-postgres adapter. Kysely sits on top.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

// bigint (int8) and numeric come back as strings by default; counts and ids fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Either the database or an open transaction: repos accept both. */
export type Executor = Db | Trx;

export type Database = {
  db: Db;
  pool: pg.Pool;
  engine: 'postgres' | 'pglite';
  /** The PGlite instance when embedded (for backups), otherwise undefined. */
  pglite: PGlite | undefined;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  databaseUrl: string | undefined;
  /** Directory for PGlite data, or 'memory://' for a throwaway in-memory database. */
  pgliteDir: string;
  poolMax: number;
  /** A PGlite data dir tarball to start from (tests use a pre-migrated template). */
  pgliteLoadDataDir?: Blob;
};

export const PGLITE_EXTENSIONS = { citext, cube, earthdistance, pg_trgm, unaccent };

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PGlite is a single-process database: a lock file beside the data dir keeps a second
 * process (a CLI command while the server runs) from opening it and corrupting it. */
function lockDataDir(dir: string): () => void {
  const lock = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && pidAlive(owner)) {
        throw new Error(`The embedded database in ${dir} is in use by process ${owner} (is \`civitas start\` running?). Stop it first, or use PostgreSQL through DATABASE_URL.`);
      }
      fs.rmSync(lock, { force: true }); // left behind by a process that is gone
    }
  }
  throw new Error(`Could not lock ${dir}`);
}

/** Throws the same clear error as openPglite when another process holds the data dir. */
export function assertPgliteFree(dir: string): void {
  lockDataDir(dir)();
}

export async function openPglite(dir: string, loadDataDir?: Blob): Promise<PGlite> {
  if (dir.startsWith('memory://')) {
    return PGlite.create(undefined, { extensions: PGLITE_EXTENSIONS, ...(loadDataDir ? { loadDataDir } : {}) });
  }
  fs.mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dir);
  try {
    const pglite = await PGlite.create(dir, { extensions: PGLITE_EXTENSIONS, ...(loadDataDir ? { loadDataDir } : {}) });
    const close = pglite.close.bind(pglite);
    pglite.close = async () => {
      try {
        await close();
      } finally {
        unlock();
      }
    };
    return pglite;
  } catch (err) {
    unlock();
    throw err;
  }
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolMax,
      idleTimeoutMillis: 30_000,
      application_name: 'civitas',
      // JIT compilation pays off for long analytic queries, not for ours: a search whose cost
      // estimate crossed jit_above_cost spent ~0.8 s compiling for a few ms of work.
      options: '-c jit=off',
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);

    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, pool, engine: 'postgres', pglite: undefined, close: () => closePool(db, pool) };
  }
  const pglite = await openPglite(opts.pgliteDir, opts.pgliteLoadDataDir);
  // PGlite is a single connection: the adapter's pool has exactly one client, so
  // transactions are serialised rather than interleaved.
  const pool = new pg.Pool(createPgConfig(pglite));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    engine: 'pglite',
    pglite,
    close: async () => {
      await closePool(db, pool);
      await pglite.close();
    },
  };
}

// Kysely ends the pool only if it ever used it; callers may have used the pool directly.
async function closePool(db: Db, pool: pg.Pool): Promise<void> {
  await db.destroy();
  if (!pool.ended) await pool.end();
}

export function pgliteDataDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}

/** Runs fn in a transaction, joining the caller's when db already is one. */
export function inTransaction<T>(db: Executor, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Trx) : db.transaction().execute(fn);
}
