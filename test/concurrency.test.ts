import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, createOffice, createTestApp, createUser, signIn, type TestContext } from './harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

describe('rules that must hold under concurrent requests', () => {
  it('keeps one active admin when two admins demote each other at the same time', async () => {
    const office = await createOffice(ctx);
    const a = await createUser(ctx, office, 'admin');
    const b = await createUser(ctx, office, 'admin');
    const apiA = asSession(ctx, await signIn(ctx, a));
    const apiB = asSession(ctx, await signIn(ctx, b));
    const results = await Promise.all([apiA('PATCH', `/api/v1/users/${b.id}`, { role: 'caseworker' }), apiB('PATCH', `/api/v1/users/${a.id}`, { role: 'caseworker' })]);
    // One demotion wins. The other loses at the last-admin guard (409) or, when the winner
    // committed before it was even authenticated, at sign-in: a demotion ends the demoted
    // person's sessions (401). Either way nobody demoted the last admin.
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(200);
    expect([401, 409]).toContain(codes[1]);
    const { rows } = await ctx.database.pool.query("SELECT id FROM users WHERE office_id = $1 AND role = 'admin' AND status = 'active'", [office.id]);
    expect(rows).toHaveLength(1);
  });

  it('refuses a team name that differs only in case, even in the database itself', async () => {
    const office = await createOffice(ctx);
    const api = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'admin')));
    expect((await api('POST', '/api/v1/teams', { name: 'Roads' })).statusCode).toBe(201);
    const dup = await api('POST', '/api/v1/teams', { name: 'ROADS' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().field).toBe('name');
    await expect(ctx.database.pool.query("INSERT INTO teams (office_id, name) VALUES ($1, 'roads')", [office.id])).rejects.toThrow(/teams_office_name_ci/);
  });

  it('revokes a token once: a second revoke changes nothing and writes no second event', async () => {
    const office = await createOffice(ctx);
    const api = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'admin')));
    const created = (await api('POST', '/api/v1/tokens', { name: 'once', scopes: ['user.read'] })).json();
    const first = await api('DELETE', `/api/v1/tokens/${created.token.id}`);
    const second = await api('DELETE', `/api/v1/tokens/${created.token.id}`);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.json().revokedAt).toBe(first.json().revokedAt);
    const events = (await api('GET', `/api/v1/audit?entityType=api_token&entityId=${created.token.id}&action=revoked`)).json().items;
    expect(events).toHaveLength(1);
  });
});
