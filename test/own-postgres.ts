// A PostgreSQL database of a test file's own, on the tests' PostgreSQL server (TEST_DATABASE_URL's
// server, else 127.0.0.1:5432), for what the embedded database cannot do: separate processes, or
// several connections whose transactions interleave. Created migrated; dropped by drop().
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../server/platform/db/database.js';
import { migrate } from '../server/platform/db/migrate.js';

export type OwnPostgres = { url: string; database: Database; drop(): Promise<void> };

export async function ownPostgres(prefix: string, poolMax = 4): Promise<OwnPostgres> {
  const server = new URL(inject('testDatabaseUrl') || 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = `${prefix}_${process.pid}`;
  const onServer = async (statement: string) => {
    const c = new pg.Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'memory://', poolMax });
  await migrate(database.pool);
  return {
    url,
    database,
    drop: async () => {
      await database.close();
      await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
