import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobDefinition } from '../server/platform/jobs.js';
import { asSession, asToken, createOffice, createTestApp, createUser, postLogin, signIn, tokenFor, uniq, type TestContext } from './harness.js';

let ctx: TestContext;
const alwaysFails: JobDefinition<z.ZodObject<{ officeId: z.ZodString }>> = {
  name: 'test.always-fails',
  data: z.object({ officeId: z.string() }),
  retryLimit: 0,
  handler: async () => {
    throw new Error('nope');
  },
};

beforeAll(async () => {
  ctx = await createTestApp();
  ctx.jobs.define(alwaysFails);
  await ctx.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
});
afterAll(() => ctx.close());

describe('hardening', () => {
  it('answers NUL characters in text with 400, never 500, on public and signed-in routes', async () => {
    const login = await postLogin(ctx, { email: 'a\u0000b@example.test', password: 'x' });
    expect(login.statusCode).toBe(400);
    expect(login.json().code).toBe('validation_failed');
    const office = await createOffice(ctx);
    const api = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'admin')));
    expect((await api('GET', '/api/v1/users?q=%00')).statusCode).toBe(400);
    expect((await api('POST', '/api/v1/teams', { name: 'a\u0000b' })).statusCode).toBe(400);
  });

  it('answers a malformed URL with a problem+json 400', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/users/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('keeps a token scoped to user.manage from creating, promoting or taking over an admin', async () => {
    const office = await createOffice(ctx);
    const admin = await createUser(ctx, office, 'admin');
    const otherAdmin = await createUser(ctx, office, 'admin');
    const caseworker = await createUser(ctx, office, 'caseworker');
    const api = asToken(ctx, await tokenFor(ctx, admin, ['user.manage', 'user.read']));
    const create = await api('POST', '/api/v1/users', { email: `${uniq('x')}@example.test`, displayName: 'X', role: 'admin' });
    expect(create.statusCode).toBe(403);
    expect(create.json().field).toBe('role');
    expect((await api('PATCH', `/api/v1/users/${caseworker.id}`, { role: 'admin' })).statusCode).toBe(403);
    expect((await api('POST', `/api/v1/users/${otherAdmin.id}/reset-password`)).statusCode).toBe(403);
    // Within its scopes it still works: volunteers only have office.read and geo.read.
    const full = asToken(ctx, await tokenFor(ctx, admin, ['user.manage', 'user.read', 'office.read', 'geo.read']));
    expect((await full('POST', '/api/v1/users', { email: `${uniq('v')}@example.test`, displayName: 'V', role: 'volunteer' })).statusCode).toBe(201);
    // The admins are untouched.
    await signIn(ctx, otherAdmin);
  });

  it('pages through failed jobs created in the same instant without losing any', async () => {
    const office = await createOffice(ctx);
    const api = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'admin')));
    // One insert statement: all five share the same created_on, down to the microsecond.
    await ctx.jobs.boss.insert(Array.from({ length: 5 }, () => ({ name: alwaysFails.name, data: { officeId: office.id }, retryLimit: 0 })));
    const deadline = Date.now() + 20_000;
    let all: string[] = [];
    while (Date.now() < deadline) {
      all = [];
      let cursor: string | null = null;
      do {
        const res = await api('GET', `/api/v1/jobs/failed?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
        all.push(...body.items.map((i) => i.id));
        cursor = body.nextCursor;
      } while (cursor);
      if (all.length >= 5) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(all).toHaveLength(5);
    expect(new Set(all).size).toBe(5);
  });
});
