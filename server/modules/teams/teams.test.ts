import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, createOffice, createTestApp, createUser, signIn, uniq, type TestContext } from '../../../test/harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

type Team = { id: string; name: string; description: string; members: { userId: string; displayName: string; isManager: boolean }[]; createdAt: string };

async function setup() {
  const office = await createOffice(ctx);
  const admin = await createUser(ctx, office, 'admin');
  const api = asSession(ctx, await signIn(ctx, admin));
  const newTeam = async (name = uniq('Team'), description?: string) => {
    const res = await api('POST', '/api/v1/teams', { name, ...(description !== undefined ? { description } : {}) });
    expect(res.statusCode).toBe(201);
    return res.json() as Team;
  };
  return { office, admin, api, newTeam };
}

describe('teams', () => {
  it('creates a team, trimming its name, and lists and gets it', async () => {
    const { api } = await setup();
    const res = await api('POST', '/api/v1/teams', { name: '  Housing  ', description: 'Repairs and allocations' });
    expect(res.statusCode).toBe(201);
    const team = res.json() as Team;
    expect(team).toMatchObject({ name: 'Housing', description: 'Repairs and allocations', members: [] });
    expect((await api('GET', `/api/v1/teams/${team.id}`)).json()).toEqual(team);
    expect((await api('GET', '/api/v1/teams')).json().items).toEqual([team]);
  });

  it('refuses a second team with the same name in any letter case', async () => {
    const { api, newTeam } = await setup();
    const name = uniq('Roads');
    await newTeam(name);
    const dup = await api('POST', '/api/v1/teams', { name: name.toUpperCase() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'conflict', field: 'name' });
    expect((await api('GET', '/api/v1/teams')).json().items).toHaveLength(1);
  });

  it('allows the same team name in another office', async () => {
    const name = uniq('Parks');
    await (await setup()).newTeam(name);
    await (await setup()).newTeam(name);
  });

  it('renames and describes a team, refusing a name another team has', async () => {
    const { api, newTeam } = await setup();
    const a = await newTeam('Alpha team');
    await newTeam('Beta team');
    const res = await api('PATCH', `/api/v1/teams/${a.id}`, { description: 'Now with a description' });
    expect(res.json()).toMatchObject({ name: 'Alpha team', description: 'Now with a description' });
    expect((await api('PATCH', `/api/v1/teams/${a.id}`, { name: 'ALPHA TEAM' })).json().name).toBe('ALPHA TEAM');
    const clash = await api('PATCH', `/api/v1/teams/${a.id}`, { name: 'beta team' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().field).toBe('name');
    expect((await api('GET', `/api/v1/teams/${a.id}`)).json().name).toBe('ALPHA TEAM');
  });

  it('replaces members, flags managers and shows the teams on each user', async () => {
    const { api, office, newTeam } = await setup();
    const team = await newTeam();
    const [u1, u2, u3] = [await createUser(ctx, office, 'caseworker'), await createUser(ctx, office, 'caseworker'), await createUser(ctx, office, 'manager')];
    const first = await api('PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: u1.id }, { userId: u3.id, isManager: true }] });
    expect(first.statusCode).toBe(200);
    const members = (first.json() as Team).members;
    expect(members.map((m) => [m.userId, m.isManager]).sort()).toEqual([[u1.id, false], [u3.id, true]].sort());
    expect((await api('GET', `/api/v1/users/${u1.id}`)).json().teamIds).toEqual([team.id]);

    const second = (await api('PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: u2.id }] })).json() as Team;
    expect(second.members.map((m) => m.userId)).toEqual([u2.id]);
    expect((await api('GET', `/api/v1/users/${u1.id}`)).json().teamIds).toEqual([]);

    expect(((await api('PUT', `/api/v1/teams/${team.id}/members`, { members: [] })).json() as Team).members).toEqual([]);
  });

  it('refuses a member listed twice or unknown, leaving the members as they were', async () => {
    const { api, office, newTeam } = await setup();
    const team = await newTeam();
    const u = await createUser(ctx, office, 'caseworker');
    await api('PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: u.id }] });
    const twice = await api('PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: u.id }, { userId: u.id, isManager: true }] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().field).toBe('members');
    const unknown = await api('PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: u.id }, { userId: '0190a0a0-0000-7000-8000-000000000000' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().field).toBe('members.1.userId');
    expect(((await api('GET', `/api/v1/teams/${team.id}`)).json() as Team).members.map((m) => [m.userId, m.isManager])).toEqual([[u.id, false]]);
  });

  it('deletes a team with its memberships and records what it was', async () => {
    const { api, office, newTeam } = await setup();
    const team = await newTeam(uniq('Doomed'), 'going away');
    const u = await createUser(ctx, office, 'caseworker');
    await api('PUT', `/api/v1/teams/${team.id}/members`, { members: [{ userId: u.id }] });
    expect((await api('DELETE', `/api/v1/teams/${team.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/v1/teams/${team.id}`)).statusCode).toBe(404);
    expect((await api('DELETE', `/api/v1/teams/${team.id}`)).statusCode).toBe(404);
    expect((await api('GET', `/api/v1/users/${u.id}`)).json().teamIds).toEqual([]);
    const ev = (await api('GET', `/api/v1/audit?entityType=team&entityId=${team.id}&action=deleted`)).json().items;
    expect(ev).toHaveLength(1);
    expect(ev[0].before).toMatchObject({ id: team.id, description: 'going away' });
  });

  it('refuses to delete a team that cases are assigned to', async () => {
    const { api, office, newTeam } = await setup();
    const team = await newTeam();
    await ctx.database.db
      .insertInto('cases')
      .values({ office_id: office.id, reference: uniq('C'), subject: 'Pothole', channel: 'phone', team_id: team.id })
      .execute();
    const res = await api('DELETE', `/api/v1/teams/${team.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('conflict');
    expect((await api('GET', `/api/v1/teams/${team.id}`)).statusCode).toBe(200);
  });

  it('lets managers manage teams and caseworkers only read them', async () => {
    const { office, newTeam } = await setup();
    const team = await newTeam();
    const manager = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'manager')));
    const caseworker = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'caseworker')));
    expect((await manager('PATCH', `/api/v1/teams/${team.id}`, { description: 'by the manager' })).statusCode).toBe(200);
    expect((await manager('POST', '/api/v1/teams', { name: uniq('Mgr') })).statusCode).toBe(201);
    expect((await caseworker('GET', `/api/v1/teams/${team.id}`)).json().description).toBe('by the manager');
    for (const [method, url, body] of [['POST', '/api/v1/teams', { name: uniq('Cw') }], ['PATCH', `/api/v1/teams/${team.id}`, { name: 'x' }], ['PUT', `/api/v1/teams/${team.id}/members`, { members: [] }], ['DELETE', `/api/v1/teams/${team.id}`, undefined]] as const) {
      expect((await caseworker(method, url, body)).statusCode).toBe(403);
    }
    expect((await caseworker('GET', '/api/v1/teams')).json().items).toHaveLength(2);
  });
});
