import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, asToken, createOffice, createTestApp, createUser, signIn, tokenFor, uniq, type TestContext } from '../../../test/harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

type Event = { id: number; occurredAt: string; actorType: string; actorId: string | null; actorLabel: string; entityType: string; entityId: string; action: string; before: unknown; after: unknown; requestId: string | null };

async function setup() {
  const office = await createOffice(ctx);
  const admin = await createUser(ctx, office, 'admin');
  const api = asSession(ctx, await signIn(ctx, admin));
  const events = async (qs = '') => (await api('GET', `/api/v1/audit?limit=200${qs ? `&${qs}` : ''}`)).json().items as Event[];
  return { office, admin, api, events };
}

describe('audit events', () => {
  it('records every change with who, what, before and after, and the request id', async () => {
    const { api, admin, events } = await setup();
    const requestId = uniq('req-audit');
    const team = (await api('POST', '/api/v1/teams', { name: 'Before name' }, { 'x-request-id': requestId })).json();
    await api('PATCH', `/api/v1/teams/${team.id}`, { name: 'After name' });
    await api('PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: admin.id, isManager: true }] });
    await api('DELETE', `/api/v1/teams/${team.id}`);
    await api('PATCH', '/api/v1/office', { name: 'Audited Office' });

    const teamEvents = await events(`entityType=team&entityId=${team.id}`);
    expect(teamEvents.map((e) => e.action)).toEqual(['deleted', 'members_changed', 'updated', 'created']);
    const [deleted, members, updated, created] = teamEvents as [Event, Event, Event, Event];
    expect(created).toMatchObject({ actorType: 'user', actorId: admin.id, before: null, after: { name: 'Before name' }, requestId });
    expect(updated).toMatchObject({ before: { name: 'Before name' }, after: { name: 'After name' } });
    expect(members).toMatchObject({ before: [], after: [{ userId: admin.id, isManager: true }] });
    expect(deleted).toMatchObject({ before: { name: 'After name' }, after: null });
    const office = (await events('entityType=office&action=updated'))[0]!;
    expect(office).toMatchObject({ before: { name: 'Test Office' }, after: { name: 'Audited Office' } });
  });

  it('names the token as the actor of changes made with an API token', async () => {
    const { admin, events } = await setup();
    const secret = await tokenFor(ctx, admin, ['team.manage']);
    const team = (await asToken(ctx, secret)('POST', '/api/v1/teams', { name: uniq('via-token') })).json();
    const [e] = await events(`entityId=${team.id}`);
    expect(e!.actorType).toBe('token');
    expect(e!.actorId).not.toBe(admin.id);
    expect(e!.actorLabel).toMatch(/token/);
  });

  it('never contains passwords, password hashes or token secrets', async () => {
    const { api, office, events } = await setup();
    const password = `chosen-${uniq('password')}`;
    const created = (await api('POST', '/api/v1/users', { email: `${uniq('s')}@example.test`, displayName: 'Secretive', role: 'manager', password })).json();
    const generated = (await api('POST', '/api/v1/users', { email: `${uniq('g')}@example.test`, displayName: 'Generated', role: 'caseworker' })).json().generatedPassword as string;
    const reset = (await api('POST', `/api/v1/users/${created.user.id}/reset-password`)).json().generatedPassword as string;
    await signIn(ctx, { email: created.user.email, password: reset });
    const token = (await api('POST', '/api/v1/tokens', { name: 'secret-bearing', scopes: ['office.read'] })).json();
    expect((await events()).length).toBeGreaterThanOrEqual(6);
    const { rows } = await sql<{ before: unknown; after: unknown }>`SELECT before, after FROM events WHERE office_id = ${office.id}`.execute(ctx.database.db);
    const stored = JSON.stringify(rows) + JSON.stringify(await events());
    for (const secret of [password, generated, reset, token.secret, token.secret.slice(12), '$argon2']) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/password_?hash|csrf/i);
  });

  it('filters by entity type, entity, actor, action and time range', async () => {
    const { api, office, events } = await setup();
    const other = await createUser(ctx, office, 'admin');
    const otherApi = asSession(ctx, await signIn(ctx, other));
    const t1 = (await api('POST', '/api/v1/teams', { name: uniq('one') })).json();
    const t2 = (await otherApi('POST', '/api/v1/teams', { name: uniq('two') })).json();
    await api('PATCH', `/api/v1/teams/${t1.id}`, { description: 'changed' });

    expect((await events('entityType=team')).map((e) => e.entityId).sort()).toEqual([t1.id, t1.id, t2.id].sort());
    expect((await events(`entityId=${t1.id}`)).map((e) => e.action)).toEqual(['updated', 'created']);
    expect((await events('entityType=team&action=created')).map((e) => e.entityId).sort()).toEqual([t1.id, t2.id].sort());
    expect((await events(`actorId=${other.id}`)).map((e) => [e.entityId, e.action])).toEqual([[t2.id, 'created'], [other.id, 'signed_in']]);
    expect(await events('entityType=nothing-like-this')).toEqual([]);

    const all = await events();
    const pivot = all.find((e) => e.entityId === t2.id)!;
    const from = await events(`from=${encodeURIComponent(pivot.occurredAt)}`);
    const to = await events(`to=${encodeURIComponent(pivot.occurredAt)}`);
    // from is inclusive, to exclusive: together they cover every event exactly once.
    expect(from.map((e) => e.id)).toContain(pivot.id);
    expect(to.map((e) => e.id)).not.toContain(pivot.id);
    expect([...from, ...to].map((e) => e.id).sort()).toEqual(all.map((e) => e.id).sort());
    expect(from.every((e) => e.occurredAt >= pivot.occurredAt) && to.every((e) => e.occurredAt < pivot.occurredAt)).toBe(true);
    expect(await events(`from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`)).toEqual([]);
  });

  it('pages newest first across several pages without gaps or repeats', async () => {
    const { api, events } = await setup();
    for (let i = 0; i < 5; i++) await api('POST', '/api/v1/teams', { name: uniq('paged') });
    const all = await events();
    expect(all.length).toBeGreaterThanOrEqual(7);
    const seen: Event[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body = (await api('GET', `/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: Event[]; nextCursor: string | null };
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(Math.ceil(all.length / 3));
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(seen.every((e, i) => i === 0 || e.id < seen[i - 1]!.id)).toBe(true);
    // Filters and the cursor combine.
    const firstTeamPage = (await api('GET', '/api/v1/audit?entityType=team&limit=2')).json();
    const secondTeamPage = (await api('GET', `/api/v1/audit?entityType=team&limit=2&cursor=${firstTeamPage.nextCursor}`)).json();
    expect([...firstTeamPage.items, ...secondTeamPage.items].every((e: Event) => e.entityType === 'team')).toBe(true);
    expect(secondTeamPage.items).toHaveLength(2);
  });

  it('is refused to managers', async () => {
    const { office } = await setup();
    const manager = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'manager')));
    expect((await manager('GET', '/api/v1/audit')).statusCode).toBe(403);
  });

  it('refuses UPDATE and DELETE on the events table at the SQL level', async () => {
    const { office, events } = await setup();
    const before = await events();
    expect(before.length).toBeGreaterThan(0);
    const db = ctx.database.db;
    await expect(sql`UPDATE events SET action = 'tampered' WHERE office_id = ${office.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM events WHERE office_id = ${office.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(db.updateTable('events').set({ after: null }).where('office_id', '=', office.id).execute()).rejects.toThrow(/append-only/);
    expect(await events()).toEqual(before);
  });
});
