// Forward-only SQL migrations: server/platform/migrations/<timestamp>_<name>.sql, applied in
// order, each in its own transaction, under an advisory lock so that several app nodes
// starting at once apply each migration exactly once. A landed migration must never change:
// its checksum is recorded and checked.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { migrationsDir } from '../paths.js';

const LOCK_KEY = 4_242_001; // arbitrary, constant: the migration advisory lock

export type MigrationFile = { version: string; name: string; sql: string; checksum: string };

export function readMigrations(dir = migrationsDir): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = /^(\d{14})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`Migration file name must look like 20261123120000_name.sql: ${file}`);
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: match[1]!,
        name: match[2]!,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export type MigrateResult = { applied: string[]; alreadyApplied: number };

export async function migrate(
  pool: pg.Pool,
  log: (msg: string) => void = () => undefined,
  dir = migrationsDir,
): Promise<MigrateResult> {
  const files = readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: string; checksum: string; name: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const row of rows) {
      const file = files.find((f) => f.version === row.version);
      if (!file) throw new Error(`Database has migration ${row.version}_${row.name} that this version of Civitas does not know: is the code older than the database?`);
      if (file.checksum !== row.checksum) throw new Error(`Migration ${file.version}_${file.name} was changed after it was applied; landed migrations must never be edited.`);
    }
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.version)) continue;
      log(`applying migration ${file.version}_${file.name}`);
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [file.version, file.name, file.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file.version}_${file.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(`${file.version}_${file.name}`);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
