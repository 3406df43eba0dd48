import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../contract/auth.js';
import { sha256 } from '../../platform/auth/secrets.js';
import { asSession, asToken, createOffice, createTestApp, createUser, signIn, uniq, type TestContext } from '../../../test/harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

type Token = { id: string; name: string; prefix: string; scopes: string[]; userId: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null };

async function setup() {
  const office = await createOffice(ctx);
  const admin = await createUser(ctx, office, 'admin');
  const api = asSession(ctx, await signIn(ctx, admin));
  const create = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/api/v1/tokens', { name: uniq('integration'), ...body });
    expect(res.statusCode).toBe(201);
    return res.json() as { token: Token; secret: string };
  };
  const list = async (qs = '') => (await api('GET', `/api/v1/tokens${qs}`)).json().items as Token[];
  return { office, admin, api, create, list };
}

describe('API tokens', () => {
  it('shows the secret once, stores only its hash, and the secret works as a Bearer token', async () => {
    const { office, admin, create, list } = await setup();
    const { token, secret } = await create({ scopes: ['office.read', 'user.read'] });
    expect(secret).toMatch(/^cvt_[A-Za-z0-9_-]{40,}$/);
    expect(token).toMatchObject({ prefix: secret.slice(0, 12), scopes: ['office.read', 'user.read'], userId: admin.id, expiresAt: null, revokedAt: null, lastUsedAt: null });
    const listed = await list();
    expect(listed.map((t) => t.id)).toEqual([token.id]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM api_tokens WHERE office_id = ${office.id}`.execute(ctx.database.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(secret));
    expect(JSON.stringify(rows)).not.toContain(secret);

    const bearer = asToken(ctx, secret);
    const res = await bearer('GET', '/api/v1/office');
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(office.id);
    const session = (await bearer('GET', '/api/v1/auth/session')).json();
    expect(session.permissions.sort()).toEqual(['office.read', 'user.read']);
    expect(session.csrfToken).toBeNull();
  });

  it('limits the token to its scopes', async () => {
    const { create } = await setup();
    const bearer = asToken(ctx, (await create({ scopes: ['user.read', 'team.manage'] })).secret);
    expect((await bearer('GET', '/api/v1/users')).statusCode).toBe(200);
    const created = await bearer('POST', '/api/v1/teams', { name: uniq('by-token') }); // no CSRF needed for tokens
    expect(created.statusCode).toBe(201);
    for (const [method, url, body] of [['GET', '/api/v1/office'], ['POST', '/api/v1/users', { email: `${uniq('t')}@example.test`, displayName: 'X', role: 'admin' }], ['GET', '/api/v1/audit'], ['GET', '/api/v1/tokens'], ['PATCH', '/api/v1/office', { name: 'x' }]] as const) {
      const res = await bearer(method, url, body);
      expect([url, res.statusCode]).toEqual([url, 403]);
      expect(res.json().code).toBe('forbidden');
    }
  });

  it("refuses scopes beyond the owner's role, for the caller and for another user", async () => {
    const { office, api, create, list } = await setup();
    const caseworker = await createUser(ctx, office, 'caseworker');
    const res = await api('POST', '/api/v1/tokens', { name: 'too much', scopes: ['user.read', 'user.manage', 'audit.read'], userId: caseworker.id });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed', field: 'scopes' });
    expect(res.json().detail).toMatch(/user\.manage, audit\.read/);
    const ok = await create({ scopes: ['user.read'], userId: caseworker.id });
    expect(ok.token.userId).toBe(caseworker.id);
    await create({ scopes: [...PERMISSIONS] });
    expect((await list()).map((t) => t.name)).not.toContain('too much');
  });

  it('lets a token mint tokens only within its own scopes', async () => {
    const { create, list } = await setup();
    const minter = asToken(ctx, (await create({ scopes: ['token.manage', 'office.read'] })).secret);
    const escalate = await minter('POST', '/api/v1/tokens', { name: 'escalated', scopes: ['office.read', 'user.manage'] });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json()).toMatchObject({ code: 'forbidden', field: 'scopes' });
    expect((await list()).map((t) => t.name)).not.toContain('escalated');
    const narrower = await minter('POST', '/api/v1/tokens', { name: 'narrower', scopes: ['office.read'] });
    expect(narrower.statusCode).toBe(201);
    expect((await asToken(ctx, narrower.json().secret)('GET', '/api/v1/office')).statusCode).toBe(200);
  });

  it('refuses tokens for a disabled user', async () => {
    const { office, api } = await setup();
    const u = await createUser(ctx, office, 'caseworker');
    await api('PATCH', `/api/v1/users/${u.id}`, { status: 'disabled' });
    const res = await api('POST', '/api/v1/tokens', { name: 'x', scopes: ['office.read'], userId: u.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('userId');
  });

  it('never grants more than the owner has now, even after a demotion', async () => {
    const { office, api } = await setup();
    const manager = await createUser(ctx, office, 'manager');
    const t = (await api('POST', '/api/v1/tokens', { name: 'mgr', scopes: ['team.manage', 'team.read'], userId: manager.id })).json();
    const bearer = asToken(ctx, t.secret);
    expect((await bearer('POST', '/api/v1/teams', { name: uniq('ok') })).statusCode).toBe(201);
    await api('PATCH', `/api/v1/users/${manager.id}`, { role: 'caseworker' });
    expect((await bearer('POST', '/api/v1/teams', { name: uniq('no') })).statusCode).toBe(403);
    expect((await bearer('GET', '/api/v1/teams')).statusCode).toBe(200);
  });

  it('revokes a token: it stops working at once and leaves the default list', async () => {
    const { api, create, list } = await setup();
    const { token, secret } = await create({ scopes: ['office.read'] });
    expect((await asToken(ctx, secret)('GET', '/api/v1/office')).statusCode).toBe(200);
    const res = await api('DELETE', `/api/v1/tokens/${token.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().revokedAt).toEqual(expect.any(String));
    const refused = await asToken(ctx, secret)('GET', '/api/v1/office');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('unauthenticated');
    expect(await list()).toEqual([]);
    expect((await list('?includeRevoked=true')).map((t) => [t.id, t.revokedAt !== null])).toEqual([[token.id, true]]);
    expect((await api('DELETE', '/api/v1/tokens/0190a0a0-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('sets an expiry from expiresInDays and refuses the token once it has passed', async () => {
    const { create } = await setup();
    const { token, secret } = await create({ scopes: ['office.read'], expiresInDays: 30 });
    const days = (Date.parse(token.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect((await asToken(ctx, secret)('GET', '/api/v1/office')).statusCode).toBe(200);
    await ctx.database.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', sha256(secret)).execute();
    expect((await asToken(ctx, secret)('GET', '/api/v1/office')).statusCode).toBe(401);
  });

  it('refuses forged, malformed and unknown bearer tokens', async () => {
    const { create } = await setup();
    const { secret } = await create({ scopes: ['office.read'] });
    for (const bad of [`${secret}x`, secret.slice(0, -1), secret.replace('cvt_', 'cvx_'), 'cvt_', `cvt_${'a'.repeat(300)}`]) {
      expect((await asToken(ctx, bad)('GET', '/api/v1/office')).statusCode).toBe(401);
    }
  });

  it('records when a token was last used', async () => {
    const { create, list } = await setup();
    const { token, secret } = await create({ scopes: ['office.read'] });
    expect((await list()).find((t) => t.id === token.id)?.lastUsedAt).toBeNull();
    const before = Date.now();
    await asToken(ctx, secret)('GET', '/api/v1/office');
    const used = (await list()).find((t) => t.id === token.id)!.lastUsedAt!;
    expect(used).toEqual(expect.any(String));
    expect(Math.abs(Date.parse(used) - before)).toBeLessThan(60_000);
  });

  it('records creation and revocation in the audit log without the secret', async () => {
    const { api, admin, create } = await setup();
    const { token, secret } = await create({ scopes: ['office.read'] });
    await api('DELETE', `/api/v1/tokens/${token.id}`);
    const events = (await api('GET', `/api/v1/audit?entityType=api_token&entityId=${token.id}`)).json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['revoked', 'created']);
    expect(events[1]).toMatchObject({ actorId: admin.id, after: { id: token.id, scopes: ['office.read'] } });
    expect(events[0].before.revokedAt).toBeNull();
    expect(events[0].after.revokedAt).toEqual(expect.any(String));
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain(sha256(secret));
  });
});
