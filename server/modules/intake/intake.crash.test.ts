// No loss and no duplicates when a worker dies mid-batch: emails are stored (some delivered
// twice), a real `civitas worker` process starts on them and is killed with SIGKILL while it
// works, a second worker starts and finishes. Every email must end filed on exactly one case
// of its own, acknowledged exactly once. Separate worker processes exist only with
// PostgreSQL (the embedded database belongs to one process), so this file always runs on the
// PostgreSQL server of the tests (TEST_DATABASE_URL's, else 127.0.0.1:5432), in a database
// of its own that it creates and drops.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.js';
import { ownPostgres, type OwnPostgres } from '../../../test/own-postgres.js';
import { Jobs } from '../../platform/jobs.js';
import { projectRoot } from '../../platform/paths.js';
import * as offices from '../offices/offices.service.js';
import { defineIntakeJobs } from './intake.jobs.js';
import * as repo from './intake.repo.js';
import { receive } from './intake.service.js';

const N = 300;
const silent = { info: () => undefined, error: () => undefined };

let own: OwnPostgres;
let database: Database;
let url: string;
let jobs: Jobs;
let dataDir: string;

beforeAll(async () => {
  own = await ownPostgres('civitas_crash');
  ({ database, url } = own);
  jobs = new Jobs(database.pool, silent);
  defineIntakeJobs(jobs, database, silent);
  await jobs.start({ work: false });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-crash-'));
}, 120_000);

afterAll(async () => {
  await jobs?.stop();
  await own?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function worker(log: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts/civitas-dev.ts'), 'worker'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', MAIL_FROM: 'Town Hall <help@crash.example>' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  return child;
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function count(officeId: string, status: string): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_items WHERE office_id = $1 AND status = $2', [officeId, status]);
  return rows[0]!.n;
}

async function until(what: string, ok: () => Promise<boolean>, log: string[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}; worker said:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const mime = (i: number, to: string) =>
  [`From: Resident ${i} <resident${i}@crash.example>`, `To: ${to}`, `Subject: Pothole number ${i}`, `Message-ID: <crash-${i}@crash.example>`, 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '', `There is a pothole outside number ${i}.`, ''].join('\r\n');

describe('a worker killed mid-batch', () => {
  it('loses nothing and duplicates nothing: the next worker picks up what the dead one held', async () => {
    const office = await offices.create(database.db, { slug: 'crash', name: 'Crash Office', timeZone: 'Europe/London' }, 'test');
    const address = 'help@crash.example';
    await repo.insertAddress(database.db, office.id, address, true);
    for (let i = 0; i < N; i++) {
      const raw = Buffer.from(mime(i, address));
      const r = await receive(database.db, jobs, office.id, { channel: 'email', source: 'test', key: `<crash-${i}@crash.example>`, raw, rawType: 'message/rfc822', recipient: address });
      expect(r.duplicate).toBe(false);
      // Every tenth message is delivered again, as a sender whose connection broke would.
      if (i % 10 === 0) expect((await receive(database.db, jobs, office.id, { channel: 'email', source: 'test', key: `<crash-${i}@crash.example>`, raw, rawType: 'message/rfc822', recipient: address })).duplicate).toBe(true);
    }
    expect(await count(office.id, 'received')).toBe(N);

    const log: string[] = [];
    const first = worker(log);
    await until('the first worker has filed a few', async () => (await count(office.id, 'filed')) >= 15, log, 120_000);
    first.kill('SIGKILL');
    await exited(first);
    const filedAtKill = await count(office.id, 'filed');
    expect(filedAtKill, 'the worker died mid-batch').toBeLessThan(N);

    const second = worker(log);
    await until('every email is processed', async () => (await count(office.id, 'received')) === 0, log, 240_000);
    second.kill('SIGTERM');
    await exited(second);

    const q = async (text: string) => (await database.pool.query<{ n: number }>(text, [office.id])).rows[0]!.n;
    expect(await q('SELECT count(*)::int AS n FROM inbound_items WHERE office_id = $1')).toBe(N);
    expect(await count(office.id, 'filed')).toBe(N);
    expect(await q('SELECT count(DISTINCT case_id)::int AS n FROM inbound_items WHERE office_id = $1')).toBe(N);
    expect(await q('SELECT count(*)::int AS n FROM cases WHERE office_id = $1')).toBe(N);
    expect(await q('SELECT count(*)::int AS n FROM constituents WHERE office_id = $1')).toBe(N);
    expect(await q("SELECT count(*)::int AS n FROM events WHERE office_id = $1 AND entity_type = 'inbound_item' AND action = 'received'")).toBe(N);
    // One acknowledgement per email, each on its own case.
    expect(await q('SELECT count(*)::int AS n FROM outbound_messages WHERE office_id = $1')).toBe(N);
    expect(await q('SELECT count(DISTINCT case_id)::int AS n FROM outbound_messages WHERE office_id = $1')).toBe(N);
  }, 480_000);
});
