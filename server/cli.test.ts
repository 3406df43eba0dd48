import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cliRunner } from '../test/cli.js';

// Each CLI call is a real process on its own embedded database in a temporary DATA_DIR.
const { dir: dataDir, civitas } = cliRunner('civitas-cli-');

describe('civitas CLI', { timeout: 240_000 }, () => {
  it('prints help for every command and exits 0', async () => {
    for (const cmd of [[], ['office', 'create'], ['user', 'create'], ['user', 'reset-password'], ['token', 'create'], ['demo'], ['backup'], ['restore'], ['config', 'check'], ['migrate'], ['start'], ['worker']]) {
      const r = await civitas([...cmd, '--help']);
      expect(r.code, `civitas ${cmd.join(' ')} --help`).toBe(0);
      expect(r.out).toMatch(/Usage: civitas/);
    }
  });

  it('answers wrong arguments with one line and exit code 2', async () => {
    const unknown = await civitas(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command 'frobnicate'/);
    const missing = await civitas(['office', 'create', '--slug', 'x1']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/required option '--name <name>' not specified/);
    const badRole = await civitas(['user', 'create', '--office', 'main', '--email', 'a@b.test', '--name', 'A', '--role', 'emperor']);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toMatch(/Allowed choices are admin, manager, caseworker, volunteer, analyst/);
    const badNumber = await civitas(['demo', '--constituents', 'lots']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.err).toMatch(/--constituents must be a whole number/);
  });

  it('stops with a message naming the variable when the configuration is invalid', async () => {
    const r = await civitas(['config', 'check'], { env: { PORT: 'eighty' } });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/PORT/);
    const ok = await civitas(['config', 'check']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/configuration is valid/);
    const mail = await civitas(['config', 'check'], { env: { SMTP_URL: 'smtp://mailer:s3cret-pass@mail.example.org:587' } });
    expect(mail.code).toBe(0);
    expect(mail.out).toContain('smtp://mailer:***@mail.example.org:587');
    expect(mail.out + mail.err).not.toContain('s3cret-pass');
  });

  it('migrates, creates an office, users and a token', async () => {
    expect((await civitas(['migrate'])).code).toBe(0);
    const office = await civitas(['office', 'create', '--slug', 'riverside', '--name', 'Riverside Council']);
    expect(office.code, office.err).toBe(0);
    expect((await civitas(['office', 'create', '--slug', 'riverside', '--name', 'Again'])).code).toBe(2);
    expect((await civitas(['office', 'list'])).out).toMatch(/^riverside\tRiverside Council/m);

    const gen = await civitas(['user', 'create', '--office', 'riverside', '--email', 'Ada@Example.test', '--name', 'Ada', '--role', 'admin']);
    expect(gen.code, gen.err).toBe(0);
    expect(gen.out).toMatch(/created admin ada@example\.test/);
    expect(gen.out).toMatch(/password: \S{23}/);

    const stdin = await civitas(['user', 'create', '--office', 'riverside', '--email', 'bob@example.test', '--name', 'Bob', '--password-stdin'], { input: 'correct horse battery staple\n' });
    expect(stdin.code, stdin.err).toBe(0);
    expect(stdin.out).not.toMatch(/password:/);
    const short = await civitas(['user', 'create', '--office', 'riverside', '--email', 'c@example.test', '--name', 'C', '--password-stdin'], { input: 'short\n' });
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/password/);
    expect((await civitas(['user', 'create', '--office', 'nowhere', '--email', 'd@example.test', '--name', 'D'])).code).toBe(2);

    const reset = await civitas(['user', 'reset-password', '--email', 'bob@example.test']);
    expect(reset.code, reset.err).toBe(0);
    expect(reset.out).toMatch(/password: \S{23}/);

    const token = await civitas(['token', 'create', '--email', 'ada@example.test', '--name', 'crm sync', '--scopes', 'user.read,audit.read', '--expires-days', '30']);
    expect(token.code, token.err).toBe(0);
    expect(token.out).toMatch(/^cvt_[A-Za-z0-9_-]{43}$/m);
    const badScope = await civitas(['token', 'create', '--email', 'ada@example.test', '--name', 'x', '--scopes', 'world.domination']);
    expect(badScope.code).toBe(2);
    expect(badScope.err).toMatch(/unknown scope/);
  });

  it('backs up the embedded database and restores it', async () => {
    const file = path.join(dataDir, 'backup.tar.gz');
    expect((await civitas(['office', 'create', '--slug', 'before-backup', '--name', 'Before'])).code).toBe(0);
    const b = await civitas(['backup', '--out', file]);
    expect(b.code, b.err).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);
    expect((await civitas(['office', 'create', '--slug', 'after-backup', '--name', 'After'])).code).toBe(0);

    const refused = await civitas(['restore', file]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/--force/);
    const r = await civitas(['restore', file, '--force']);
    expect(r.code, r.err).toBe(0);
    const list = (await civitas(['office', 'list'])).out;
    expect(list).toMatch(/before-backup/);
    expect(list).not.toMatch(/after-backup/);
    expect((await civitas(['restore', path.join(dataDir, 'missing.tar.gz')])).err).toMatch(/No such backup file/);
  });
});

// pg_dump/pg_restore need a PostgreSQL server: this part always runs on the tests' PostgreSQL
// server (TEST_DATABASE_URL's, else 127.0.0.1:5432, as for test/own-postgres.ts), on two
// scratch databases it creates and drops.
const serverUrl = inject('testDatabaseUrl') || 'postgres://postgres@127.0.0.1:5432/postgres';
describe('civitas backup and restore on PostgreSQL', { timeout: 240_000 }, () => {
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const names = [`civitas_bk_src_${suffix}`, `civitas_bk_dst_${suffix}`];
  const urlOf = (db: string) => { const u = new URL(serverUrl); u.pathname = `/${db}`; return u.toString(); };
  const admin = async (sqlText: string) => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try { await client.query(sqlText); } finally { await client.end(); }
  };
  afterAll(async () => {
    for (const n of names) await admin(`DROP DATABASE IF EXISTS ${n}`);
  });

  it('dumps with pg_dump and restores into another database', async () => {
    for (const n of names) await admin(`CREATE DATABASE ${n}`);
    const [src, dst] = names.map(urlOf) as [string, string];
    expect((await civitas(['office', 'create', '--slug', 'pg-backup', '--name', 'PG Backup'], { env: { DATABASE_URL: src } })).code).toBe(0);
    const file = path.join(dataDir, 'pg.dump');
    const b = await civitas(['backup', '--out', file], { env: { DATABASE_URL: src } });
    expect(b.code, b.err).toBe(0);
    const r = await civitas(['restore', file], { env: { DATABASE_URL: dst } });
    expect(r.code, r.err).toBe(0);
    expect((await civitas(['office', 'list'], { env: { DATABASE_URL: dst } })).out).toMatch(/^pg-backup\tPG Backup/m);
  });
});

describe('the embedded database belongs to one process', { timeout: 120_000 }, () => {
  it('refuses a second process while one holds it, and a worker without PostgreSQL', async () => {
    const dir = path.join(dataDir, 'pgdata');
    fs.mkdirSync(dir, { recursive: true });
    // A live process (this test runner's parent) holds the lock.
    fs.writeFileSync(`${dir}.lock`, String(process.ppid));
    try {
      const r = await civitas(['office', 'list']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/in use by process \d+/);
      fs.writeFileSync(path.join(dataDir, 'x.tar.gz'), 'not really a backup');
      const restore = await civitas(['restore', path.join(dataDir, 'x.tar.gz'), '--force']);
      expect(restore.code).toBe(1);
      expect(restore.err).toMatch(/in use by process \d+/);
    } finally {
      fs.rmSync(`${dir}.lock`, { force: true });
    }
    // A lock left by a process that is gone is taken over.
    fs.writeFileSync(`${dir}.lock`, '999999');
    expect((await civitas(['office', 'list'])).code).toBe(0);
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    const worker = await civitas(['worker']);
    expect(worker.code).toBe(1);
    expect(worker.err).toMatch(/worker needs PostgreSQL/);
  });
});
