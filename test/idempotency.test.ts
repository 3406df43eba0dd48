// Idempotency-Key on POSTs: a retry replays the first response instead of repeating the
// write; a different request under the same key is refused; keys belong to one principal.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, asToken, createOffice, createTestApp, createUser, signIn, tokenFor, uniq, type TestContext } from './harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

async function setup() {
  const office = await createOffice(ctx);
  const admin = await createUser(ctx, office, 'admin');
  const api = asSession(ctx, await signIn(ctx, admin));
  const teams = async () => (await api('GET', '/api/v1/teams')).json().items as { id: string; name: string }[];
  return { office, admin, api, teams };
}

const key = () => `key-${randomUUID()}`;

describe('Idempotency-Key', () => {
  it('replays the first response to a retry and creates the team once', async () => {
    const { api, teams } = await setup();
    const k = key();
    const body = { name: uniq('once'), description: 'created once' };
    const first = await api('POST', '/api/v1/teams', body, { 'idempotency-key': k });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await api('POST', '/api/v1/teams', body, { 'idempotency-key': k });
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.json()).toEqual(first.json());
    expect((await teams()).map((t) => t.id)).toEqual([first.json().id]);
    const created = (await api('GET', '/api/v1/audit?entityType=team&action=created')).json().items;
    expect(created).toHaveLength(1);
  });

  it('treats requests without a key, or with different keys, as separate', async () => {
    const { api, teams } = await setup();
    expect((await api('POST', '/api/v1/teams', { name: uniq('a') }, { 'idempotency-key': key() })).statusCode).toBe(201);
    expect((await api('POST', '/api/v1/teams', { name: uniq('b') }, { 'idempotency-key': key() })).statusCode).toBe(201);
    expect((await api('POST', '/api/v1/teams', { name: uniq('c') })).statusCode).toBe(201);
    expect(await teams()).toHaveLength(3);
  });

  it('refuses the same key with a different body or on another route with 422 idempotency_mismatch', async () => {
    const { api, teams } = await setup();
    const k = key();
    const first = await api('POST', '/api/v1/teams', { name: uniq('first') }, { 'idempotency-key': k });
    expect(first.statusCode).toBe(201);
    const other = await api('POST', '/api/v1/teams', { name: uniq('second') }, { 'idempotency-key': k });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({ code: 'idempotency_mismatch', field: 'idempotency-key' });
    const elsewhere = await api('POST', '/api/v1/tokens', { name: 'x', scopes: ['office.read'] }, { 'idempotency-key': k });
    expect(elsewhere.statusCode).toBe(422);
    expect((await teams()).map((t) => t.id)).toEqual([first.json().id]);
    expect((await api('GET', '/api/v1/tokens')).json().items).toEqual([]);
  });

  it('keeps keys per principal: another user, or a token of the same user, may reuse a key', async () => {
    const { api, office, admin, teams } = await setup();
    const colleague = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'manager')));
    const bearer = asToken(ctx, await tokenFor(ctx, admin, ['team.manage', 'team.read']));
    const k = key();
    const mine = await api('POST', '/api/v1/teams', { name: uniq('mine') }, { 'idempotency-key': k });
    const theirs = await colleague('POST', '/api/v1/teams', { name: uniq('theirs') }, { 'idempotency-key': k });
    const tokens = await bearer('POST', '/api/v1/teams', { name: uniq('token') }, { 'idempotency-key': k });
    for (const r of [mine, theirs, tokens]) {
      expect(r.statusCode).toBe(201);
      expect(r.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(new Set([mine, theirs, tokens].map((r) => r.json().id)).size).toBe(3);
    expect(await teams()).toHaveLength(3);
    // Another office's admin with the same key is just as independent.
    const stranger = await setup();
    expect((await stranger.api('POST', '/api/v1/teams', { name: uniq('far') }, { 'idempotency-key': k })).statusCode).toBe(201);
  });

  it('replays a request that failed with a 4xx as the same 4xx problem', async () => {
    const { api, teams } = await setup();
    const name = uniq('taken');
    const existing = (await api('POST', '/api/v1/teams', { name })).json();
    const k = key();
    const first = await api('POST', '/api/v1/teams', { name }, { 'idempotency-key': k });
    expect(first.statusCode).toBe(409);
    // The conflict goes away, but a retry under the key still gets the original answer.
    await api('PATCH', `/api/v1/teams/${existing.id}`, { name: uniq('renamed') });
    const retry = await api('POST', '/api/v1/teams', { name }, { 'idempotency-key': k });
    expect(retry.statusCode).toBe(409);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(retry.json()).toEqual(first.json());
    expect((await teams()).map((t) => t.id)).toEqual([existing.id]);
    // Without the key, the same request now succeeds.
    expect((await api('POST', '/api/v1/teams', { name })).statusCode).toBe(201);
  });

  it('never creates twice when retries race the first request', async () => {
    const { api, teams } = await setup();
    const k = key();
    const body = { name: uniq('race') };
    const results = await Promise.all(Array.from({ length: 4 }, () => api('POST', '/api/v1/teams', body, { 'idempotency-key': k })));
    const created = results.filter((r) => r.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.statusCode === 201 || (r.statusCode === 409 && r.json().code === 'idempotency_in_progress'))).toBe(true);
    expect(new Set(created.map((r) => r.json().id)).size).toBe(1);
    expect(await teams()).toHaveLength(1);
  });

  it('refuses a malformed key with 400 naming the header, writing nothing', async () => {
    const { api, teams } = await setup();
    for (const bad of ['x'.repeat(256), 'has space', 'tab\there', 'ünïcode']) {
      const res = await api('POST', '/api/v1/teams', { name: uniq('bad') }, { 'idempotency-key': bad });
      expect([bad, res.statusCode]).toEqual([bad, 400]);
      expect(res.json()).toMatchObject({ code: 'validation_failed', field: 'idempotency-key' });
    }
    expect(await teams()).toEqual([]);
  });
  it('never stores a secret shown once: a replay of token creation shows a placeholder', async () => {
    const office = await createOffice(ctx);
    const admin = await createUser(ctx, office, 'admin');
    const api = asSession(ctx, await signIn(ctx, admin));
    const key = randomUUID();
    const first = await api('POST', '/api/v1/tokens', { name: 'sync', scopes: ['user.read'] }, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const secret = first.json().secret as string;
    expect(secret).toMatch(/^cvt_/);
    const replay = await api('POST', '/api/v1/tokens', { name: 'sync', scopes: ['user.read'] }, { 'idempotency-key': key });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().token.id).toBe(first.json().token.id);
    expect(replay.json().secret).not.toBe(secret);
    expect(replay.json().secret).toMatch(/not stored/);
    const user = await api('POST', '/api/v1/users', { email: `${uniq('u')}@example.test`, displayName: 'New', role: 'caseworker' }, { 'idempotency-key': key + '-u' });
    const generated = user.json().generatedPassword as string;
    const { rows } = await ctx.database.pool.query<{ response_body: string }>('SELECT response_body FROM idempotency_keys WHERE office_id = $1', [office.id]);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.response_body).not.toContain(secret);
      expect(r.response_body).not.toContain(generated);
    }
  });
});
