// Writes server/platform/db/schema.ts from a freshly migrated in-memory database.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../server/platform/db/database.js';
import { migrate } from '../server/platform/db/migrate.js';
import { generateSchemaTypes } from '../server/platform/db/schema-codegen.js';
import { projectRoot } from '../server/platform/paths.js';

const database = await openDatabase({ databaseUrl: undefined, pgliteDir: 'memory://', poolMax: 1 });
try {
  await migrate(database.pool);
  const file = path.join(projectRoot, 'server/platform/db/schema.ts');
  fs.writeFileSync(file, await generateSchemaTypes(database.pool));
  console.log(`wrote ${path.relative(projectRoot, file)}`);
} finally {
  await database.close();
}
