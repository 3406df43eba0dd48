// Test harness: one app per test file on a real database (PGlite from the migrated template,
// or this worker's copy of the PostgreSQL database when TEST_DATABASE_URL is set), and
// factories that give each test its own office and users.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../server/app.js';
import { loadConfig, type Config } from '../server/config.js';
import { openDatabase, type Database } from '../server/platform/db/database.js';
import type { App } from '../server/platform/http/types.js';
import { Jobs } from '../server/platform/jobs.js';
import { systemScope } from '../server/platform/scope.js';
import { setStorage } from '../server/platform/storage.js';
import { storageFromConfig } from '../server/platform/storage-config.js';
import * as offices from '../server/modules/offices/offices.service.js';
import * as users from '../server/modules/users/users.service.js';
import * as tokens from '../server/modules/tokens/tokens.service.js';
import * as constituents from '../server/modules/constituents/constituents.service.js';
import type { Permission, Role } from '../contract/auth.js';
import type { Office } from '../contract/offices.js';
import type { Constituent, CreateConstituent } from '../contract/constituents.js';

export type TestContext = { app: App; database: Database; jobs: Jobs; config: Config; close(): Promise<void> };

/** This worker's PostgreSQL test database (see global-setup), or undefined on PGlite. */
export function workerDatabaseUrl(): string | undefined {
  const urls = inject('workerDatabaseUrls');
  if (!urls.length) return undefined;
  return urls[(Math.max(1, Number(process.env.VITEST_POOL_ID) || 1) - 1) % urls.length];
}

export async function openTestDatabase(): Promise<Database> {
  const url = workerDatabaseUrl();
  const template = inject('pgliteTemplate');
  return openDatabase({
    databaseUrl: url,
    pgliteDir: 'memory://',
    poolMax: 5,
    ...(url ? {} : { pgliteLoadDataDir: new Blob([fs.readFileSync(template)]) }),
  });
}

/**
 * An app on a test database of its own (PGlite) or the shared one (PostgreSQL). With
 * `sameDatabaseAs`, a second app (another server process) on that app's database: on
 * PostgreSQL through a pool of its own, on PGlite, which belongs to one process, through the
 * same database object (left open when this app closes).
 */
export async function createTestApp(env: Record<string, string> = {}, opts: { sameDatabaseAs?: TestContext } = {}): Promise<TestContext> {
  // A data dir of the test app's own: uploads really land on disk and are removed with it.
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-test-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env, DATA_DIR: dataDir });
  setStorage(storageFromConfig(config));
  const shared = opts.sameDatabaseAs?.database.pglite ? opts.sameDatabaseAs.database : undefined;
  const database = shared ?? (await openTestDatabase());
  const silent = { info: () => undefined, error: () => undefined };
  const jobs = new Jobs(database.pool, silent);
  const app = await buildApp({ config, database, jobs, logger: false });
  await app.ready();
  return {
    app,
    database,
    jobs,
    config,
    close: async () => {
      await app.close();
      await jobs.stop();
      if (!shared) await database.close();
      if (!env.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export const uniq = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export async function createOffice(ctx: TestContext, overrides: Partial<{ name: string; timeZone: string }> = {}): Promise<Office> {
  return offices.create(ctx.database.db, { slug: uniq('office').toLowerCase().slice(0, 60), name: overrides.name ?? 'Test Office', timeZone: overrides.timeZone ?? 'Europe/London' }, 'test');
}

export type TestUser = { id: string; email: string; password: string; officeId: string; role: Role };

export async function createUser(ctx: TestContext, office: Office, role: Role = 'admin'): Promise<TestUser> {
  const email = `${uniq(role)}@example.test`.toLowerCase();
  const password = `pw-${randomUUID()}`;
  const r = await users.create(systemScope(ctx.database.db, office.id, 'test'), { email, displayName: `${role} ${email.slice(0, 12)}`, role, password });
  return { id: r.user.id, email, password, officeId: office.id, role };
}

/** A bearer token for the user with the given scopes (default: all of the role's). */
export async function tokenFor(ctx: TestContext, user: TestUser, scopes: Permission[]): Promise<string> {
  const r = await tokens.create(systemScope(ctx.database.db, user.officeId, 'test'), user.id, { name: uniq('t'), scopes });
  return r.secret;
}

export type Session = { cookie: string; csrf: string };

/** A client address of its own for each call, so sign-in throttling by address never
 * carries over between tests sharing a PostgreSQL database. */
export const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

export function postLogin(ctx: TestContext, payload: unknown, ip = randomIp()): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: payload as object, remoteAddress: ip });
}

export async function signIn(ctx: TestContext, user: { email: string; password: string }): Promise<Session> {
  const res = await postLogin(ctx, { email: user.email, password: user.password });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  return { cookie: raw.split(';')[0]!, csrf: res.json<{ csrfToken: string }>().csrfToken };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Calls the API as a signed-in browser would (cookie + CSRF header on writes). */
export function asSession(ctx: TestContext, s: Session) {
  return (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    ctx.app.inject({
      method,
      url,
      headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
}

/** Calls the API with a bearer token. */
export function asToken(ctx: TestContext, token: string) {
  return (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    ctx.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

/** A constituent in the office (duplicate checks skipped), through the real service. */
export async function createConstituent(ctx: TestContext, office: { id: string }, overrides: Partial<CreateConstituent> = {}): Promise<Constituent> {
  return constituents.create(systemScope(ctx.database.db, office.id, 'test'), { givenName: 'Test', familyName: uniq('Person'), ignoreDuplicates: true, ...overrides });
}
