// Tenancy: a user of office A can neither read nor change office B's rows, through any route.
// Table-driven: each route that takes an id has a row; a guard fails when a route with a
// path parameter is registered without one. Every test builds its own pair of offices.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../contract/offices.js';
import { asSession, asToken, createOffice, createTestApp, createUser, signIn, uniq, type TestContext, type TestUser } from './harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

type Api = ReturnType<typeof asSession>;
type Side = { office: Office; admin: TestUser; user: TestUser; teamId: string; tokenId: string; tokenSecret: string; jobId: string; api: Api };
type World = { a: Side; b: Side };

const JOB_QUEUE = 'test.tenancy';

/** A job of the office that failed for good, as the dead-letter view shows them. */
async function failedJob(officeId: string): Promise<string> {
  const boss = ctx.jobs.boss;
  if (!(await boss.getQueue(JOB_QUEUE))) await boss.createQueue(JOB_QUEUE).catch(() => undefined);
  const id = await boss.send(JOB_QUEUE, { officeId }, { retryLimit: 0 });
  await boss.fail(JOB_QUEUE, id!, { message: 'failed on purpose' });
  return id!;
}

async function side(): Promise<Side> {
  const office = await createOffice(ctx);
  const admin = await createUser(ctx, office, 'admin');
  const user = await createUser(ctx, office, 'caseworker');
  const api = asSession(ctx, await signIn(ctx, admin));
  const team = await api('POST', '/api/v1/teams', { name: uniq('team') });
  expect(team.statusCode).toBe(201);
  const teamId = team.json().id as string;
  expect((await api('PUT', `/api/v1/teams/${teamId}/members`, { members: [{ userId: user.id, isManager: true }] })).statusCode).toBe(200);
  const token = await api('POST', '/api/v1/tokens', { name: uniq('token'), scopes: ['office.read', 'user.read'] });
  expect(token.statusCode).toBe(201);
  return { office, admin, user, teamId, tokenId: token.json().token.id, tokenSecret: token.json().secret, jobId: await failedJob(office.id), api };
}

const world = async (): Promise<World> => ({ a: await side(), b: await side() });

type IdCase = {
  /** The route as registered: "METHOD /pattern". */
  route: string;
  name: string;
  /** A's admin acting on B's rows. */
  call: (w: World) => Promise<LightMyRequestResponse>;
  status: number;
  field?: string;
  /** Proves, as the owning office, that nothing changed. */
  unchanged?: (w: World) => Promise<void>;
};

async function teamOf(s: Side, teamId = s.teamId) {
  const res = await s.api('GET', `/api/v1/teams/${teamId}`);
  expect(res.statusCode).toBe(200);
  return res.json() as { name: string; description: string; members: { userId: string }[] };
}

const teamUnchanged = async ({ b }: World) => {
  const t = await teamOf(b);
  expect(t.name).not.toMatch(/hijacked/i);
  expect(t.members.map((m) => m.userId)).toEqual([b.user.id]);
};

const ID_CASES: IdCase[] = [
  { route: 'GET /api/v1/users/:id', name: "reads B's user", call: ({ a, b }) => a.api('GET', `/api/v1/users/${b.user.id}`), status: 404 },
  {
    route: 'PATCH /api/v1/users/:id', name: "changes B's user", status: 404,
    call: ({ a, b }) => a.api('PATCH', `/api/v1/users/${b.user.id}`, { displayName: 'Hijacked', role: 'admin', status: 'disabled' }),
    unchanged: async ({ b }) => {
      const u = (await b.api('GET', `/api/v1/users/${b.user.id}`)).json();
      expect([u.displayName, u.role, u.status]).toEqual([expect.not.stringMatching(/hijacked/i), 'caseworker', 'active']);
    },
  },
  {
    route: 'POST /api/v1/users/:id/reset-password', name: "resets B's user's password", status: 404,
    call: ({ a, b }) => a.api('POST', `/api/v1/users/${b.user.id}/reset-password`),
    unchanged: async ({ b }) => void (await signIn(ctx, b.user)),
  },
  { route: 'GET /api/v1/teams/:id', name: "reads B's team", call: ({ a, b }) => a.api('GET', `/api/v1/teams/${b.teamId}`), status: 404 },
  { route: 'PATCH /api/v1/teams/:id', name: "renames B's team", call: ({ a, b }) => a.api('PATCH', `/api/v1/teams/${b.teamId}`, { name: 'Hijacked' }), status: 404, unchanged: teamUnchanged },
  { route: 'PUT /api/v1/teams/:id/members', name: "replaces B's team members", call: ({ a, b }) => a.api('PUT', `/api/v1/teams/${b.teamId}/members`, { members: [{ userId: a.user.id }] }), status: 404, unchanged: teamUnchanged },
  {
    route: 'PUT /api/v1/teams/:id/members', name: "puts B's user into A's team", status: 400, field: 'members.0.userId',
    call: ({ a, b }) => a.api('PUT', `/api/v1/teams/${a.teamId}/members`, { members: [{ userId: b.user.id }] }),
    unchanged: async ({ a }) => expect((await teamOf(a)).members.map((m) => m.userId)).toEqual([a.user.id]),
  },
  { route: 'DELETE /api/v1/teams/:id', name: "deletes B's team", call: ({ a, b }) => a.api('DELETE', `/api/v1/teams/${b.teamId}`), status: 404, unchanged: teamUnchanged },
  {
    route: 'DELETE /api/v1/tokens/:id', name: "revokes B's token", status: 404,
    call: ({ a, b }) => a.api('DELETE', `/api/v1/tokens/${b.tokenId}`),
    unchanged: async ({ b }) => {
      const res = await asToken(ctx, b.tokenSecret)('GET', '/api/v1/office');
      expect(res.statusCode).toBe(200);
      expect(res.json().id).toBe(b.office.id);
    },
  },
  {
    route: 'POST /api/v1/tokens', name: "creates a token for B's user", status: 404,
    call: ({ a, b }) => a.api('POST', '/api/v1/tokens', { name: uniq('steal'), scopes: ['office.read'], userId: b.user.id }),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/tokens?includeRevoked=true')).json().items.map((t: { id: string }) => t.id)).toEqual([b.tokenId]),
  },
  {
    route: 'POST /api/v1/jobs/failed/:id/retry', name: "retries B's failed job", status: 404,
    call: ({ a, b }) => a.api('POST', `/api/v1/jobs/failed/${b.jobId}/retry`),
    unchanged: async ({ b }) => {
      expect((await ctx.jobs.boss.getJobById(JOB_QUEUE, b.jobId))?.state).toBe('failed');
      expect((await b.api('GET', '/api/v1/jobs/failed')).json().items.map((j: { id: string }) => j.id)).toEqual([b.jobId]);
    },
  },
];

describe('routes that take an id', () => {
  it('has a tenancy case for every registered route with a path parameter', () => {
    const registered = ctx.app.civitas.routes.map((r) => `${r.method} ${r.url}`);
    const covered = new Set(ID_CASES.map((c) => c.route));
    expect(registered.filter((r) => r.includes('/:') && !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !registered.includes(r))).toEqual([]);
  });

  it.each(ID_CASES)("refuses when A's admin $name ($route)", async (c) => {
    const w = await world();
    const latestEvent = async (s: Side) => ((await s.api('GET', '/api/v1/audit?limit=1')).json().items[0]?.id as number | undefined) ?? 0;
    const before = [await latestEvent(w.a), await latestEvent(w.b)];
    const res = await c.call(w);
    expect(res.statusCode).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (c.field) expect(res.json().field).toBe(c.field);
    // The refused call left no audit event in either office ...
    expect([await latestEvent(w.a), await latestEvent(w.b)]).toEqual(before);
    // ... and B's rows are as they were.
    await c.unchanged?.(w);
  });
});

type ListCase = { url: (s: Side) => string; ids: (body: never) => (string | null)[] };

const LISTS: Record<string, ListCase> = {
  users: { url: () => '/api/v1/users?limit=200', ids: (b: { items: { id: string; teamIds: string[] }[] }) => b.items.flatMap((u) => [u.id, ...u.teamIds]) },
  'users search': { url: (s) => `/api/v1/users?q=${encodeURIComponent(s.user.email)}`, ids: (b: { items: { id: string }[] }) => b.items.map((u) => u.id) },
  teams: { url: () => '/api/v1/teams', ids: (b: { items: { id: string; members: { userId: string }[] }[] }) => b.items.flatMap((t) => [t.id, ...t.members.map((m) => m.userId)]) },
  tokens: { url: () => '/api/v1/tokens?includeRevoked=true', ids: (b: { items: { id: string; userId: string }[] }) => b.items.flatMap((t) => [t.id, t.userId]) },
  audit: { url: () => '/api/v1/audit?limit=200', ids: (b: { items: { entityId: string; actorId: string | null }[] }) => b.items.flatMap((e) => [e.entityId, e.actorId]) },
  'audit by entity': { url: (s) => `/api/v1/audit?entityId=${s.user.id}`, ids: (b: { items: { entityId: string }[] }) => b.items.map((e) => e.entityId) },
  'audit by actor': { url: (s) => `/api/v1/audit?actorId=${s.admin.id}`, ids: (b: { items: { actorId: string | null }[] }) => b.items.map((e) => e.actorId) },
  'failed jobs': { url: () => '/api/v1/jobs/failed?limit=200', ids: (b: { items: { id: string }[] }) => b.items.map((j) => j.id) },
};

const idsOf = (s: Side) => [s.office.id, s.admin.id, s.user.id, s.teamId, s.tokenId, s.jobId];

describe('lists', () => {
  it.each(Object.keys(LISTS))("never show B's rows to A: %s", async (name) => {
    const { a, b } = await world();
    const list = LISTS[name]!;
    // B sees its own rows through the same query (so the list works) ...
    const own = await b.api('GET', list.url(b));
    expect(own.statusCode).toBe(200);
    expect(list.ids(own.json() as never).filter((id) => idsOf(b).includes(id!)).length).toBeGreaterThan(0);
    // ... and A, asking the same way, sees its own rows but none of B's.
    for (const url of [list.url(a), list.url(b)]) {
      const res = await a.api('GET', url);
      expect(res.statusCode).toBe(200);
      expect(list.ids(res.json() as never).filter((id) => idsOf(b).includes(id!))).toEqual([]);
    }
    expect(list.ids((await a.api('GET', list.url(a))).json() as never).filter((id) => idsOf(a).includes(id!)).length).toBeGreaterThan(0);
  });

  it("count only A's jobs in the queue statistics", async () => {
    const { a, b } = await world();
    const stats = async (s: Side) => (await s.api('GET', '/api/v1/jobs/queues')).json().items as { queue: string; failed: number }[];
    const third = await createOffice(ctx);
    const c = asSession(ctx, await signIn(ctx, await createUser(ctx, third, 'admin')));
    await failedJob(b.office.id);
    expect((await stats(a)).find((q) => q.queue === JOB_QUEUE)?.failed).toBe(1);
    expect((await stats(b)).find((q) => q.queue === JOB_QUEUE)?.failed).toBe(2);
    expect(((await c('GET', '/api/v1/jobs/queues')).json().items as { queue: string }[]).map((q) => q.queue)).not.toContain(JOB_QUEUE);
  });
});

describe('the office', () => {
  it("answers with A's office to A, by session and by token", async () => {
    const { a, b } = await world();
    expect((await a.api('GET', '/api/v1/office')).json().id).toBe(a.office.id);
    expect((await asToken(ctx, a.tokenSecret)('GET', '/api/v1/office')).json().id).toBe(a.office.id);
    expect((await a.api('GET', '/api/v1/auth/session')).json().office.id).toBe(a.office.id);
    expect((await b.api('GET', '/api/v1/office')).json().id).toBe(b.office.id);
  });

  it("changes only A's office when A updates its settings", async () => {
    const { a, b } = await world();
    const before = (await b.api('GET', '/api/v1/office')).json();
    const res = await a.api('PATCH', '/api/v1/office', { name: 'Renamed by A', timeZone: 'America/New_York' });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(a.office.id);
    expect((await b.api('GET', '/api/v1/office')).json()).toEqual(before);
  });
});
