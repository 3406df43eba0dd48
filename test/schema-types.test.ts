import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../server/platform/db/database.js';
import { readMigrations } from '../server/platform/db/migrate.js';
import { generateSchemaTypes } from '../server/platform/db/schema-codegen.js';
import { projectRoot } from '../server/platform/paths.js';
import { openTestDatabase } from './harness.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

describe('database schema', () => {
  it('matches the committed Kysely types (run `npm run db:types` after a migration)', async () => {
    const committed = fs.readFileSync(path.join(projectRoot, 'server/platform/db/schema.ts'), 'utf8');
    expect(await generateSchemaTypes(database.pool)).toBe(committed);
  });

  it('has applied every migration file, in order, with matching checksums', async () => {
    const files = readMigrations();
    const { rows } = await database.pool.query<{ version: string; checksum: string }>('SELECT version, checksum FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
  });

  it('puts office_id first in the primary key of every tenant table', async () => {
    const { rows } = await database.pool.query<{ table_name: string; pk: string[]; has_office: boolean }>(`
      SELECT t.table_name,
        (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
           CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE i.indrelid = ('public.' || t.table_name)::regclass AND i.indisprimary) AS pk,
        EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.column_name = 'office_id') AS has_office
      FROM information_schema.tables t
      WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'`);
    // Platform tables that are not office data: the tenant root, migrations bookkeeping,
    // and sign-in throttling (the office is unknown before the credentials are checked).
    const platform = new Set(['offices', 'schema_migrations', 'login_failures']);
    const offenders = rows.filter((r) => !platform.has(r.table_name) && (!r.has_office || r.pk?.[0] !== 'office_id')).map((r) => r.table_name);
    expect(offenders).toEqual([]);
    expect(rows.length).toBeGreaterThan(platform.size);
  });
});
