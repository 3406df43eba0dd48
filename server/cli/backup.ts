// Backups: the embedded PGlite data dir as a .tar.gz, or pg_dump's custom format for
// PostgreSQL. Both restore with `civitas restore`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { assertPgliteFree, openPglite, pgliteDataDir } from '../platform/db/database.js';

// The password travels in PGPASSWORD, not on the command line where `ps` would show it.
function connectionArgs(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(databaseUrl);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line no-restricted-syntax -- the child needs PATH and PG* settings, plus the password
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
    child.on('error', (err) => reject(new Error(`${cmd} could not be started (${err.message}); install the PostgreSQL client tools`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with code ${code}`))));
  });
}

export async function backup(config: Config, out: string): Promise<string> {
  const file = path.resolve(out);
  if (config.databaseUrl) {
    const c = connectionArgs(config.databaseUrl);
    await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, c.url], c.env);
    return file;
  }
  const dir = pgliteDataDir(config.dataDir);
  if (!fs.existsSync(dir)) throw new Error(`No embedded database in ${dir}`);
  const pglite = await openPglite(dir);
  try {
    const blob = await pglite.dumpDataDir('gzip');
    fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  } finally {
    await pglite.close();
  }
  return file;
}

export async function restore(config: Config, file: string, force: boolean): Promise<void> {
  const src = path.resolve(file);
  if (!fs.existsSync(src)) throw new Error(`No such backup file: ${src}`);
  if (config.databaseUrl) {
    const c = connectionArgs(config.databaseUrl);
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--dbname', c.url, src], c.env);
    return;
  }
  const dir = pgliteDataDir(config.dataDir);
  if (fs.existsSync(dir)) assertPgliteFree(dir);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    if (!force) throw new Error(`${dir} already holds a database; stop Civitas and pass --force to replace it`);
    fs.renameSync(dir, `${dir}.before-restore-${Date.now()}`);
  }
  const blob = new Blob([fs.readFileSync(src)]);
  const pglite = await openPglite(dir, blob);
  await pglite.query('SELECT 1');
  await pglite.close();
}
