// Tenancy: a user of office A can neither read nor change office B's rows, through any route.
// Table-driven: each route that takes an id has a row; a guard fails when a route with a
// path parameter is registered without one. Every test builds its own pair of offices.
import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../contract/offices.js';
import * as alertsRepo from '../server/modules/alerts/alerts.repo.js';
import { issueToken as alertToken } from '../server/modules/alerts/alerts.tokens.js';
import { issueFormToken } from '../server/modules/intake/intake.form-token.js';
import { processItem } from '../server/modules/intake/intake.service.js';
import { twilioSignature } from '../server/modules/sms/sms.twilio.js';
import { asSession, asToken, createOffice, createTestApp, createUser, signIn, uniq, type TestContext, type TestUser } from './harness.js';

let ctx: TestContext;
beforeAll(async () => {
  // Every request comes from one address here; the per-address limit is not what this file tests.
  // No minimum fill time for the public form: a token of another office must be refused for that alone.
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_MIN_SECONDS: '0' });
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

type Api = ReturnType<typeof asSession>;
type Side = { office: Office; admin: TestUser; user: TestUser; teamId: string; tokenId: string; tokenSecret: string; jobId: string; constituentId: string; categoryId: string; caseId: string; api: Api };
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
  // a constituent whose email is the caseworker's, so the 'constituents search' list finds it
  const constituent = await api('POST', '/api/v1/constituents', { givenName: 'Side', familyName: uniq('Person'), emails: [{ email: user.email }], ignoreDuplicates: true });
  expect(constituent.statusCode).toBe(201);
  // a case of the office: in its category, asked by the constituent, assigned to the caseworker in the team
  const category = await api('POST', '/api/v1/case-categories', { name: uniq('Streets') });
  expect(category.statusCode).toBe(201);
  const kase = await api('POST', '/api/v1/cases', {
    subject: 'Tenant case', channel: 'phone', categoryId: category.json().id, constituents: [{ constituentId: constituent.json().id }], teamId, assigneeId: user.id,
  });
  expect(kase.statusCode).toBe(201);
  return {
    office, admin, user, teamId, tokenId: token.json().token.id, tokenSecret: token.json().secret, jobId: await failedJob(office.id), constituentId: constituent.json().id,
    categoryId: category.json().id, caseId: kase.json().id, api,
  };
}

const world = async (): Promise<World> => ({ a: await side(), b: await side() });

type IdCase = {
  /** The route as registered: "METHOD /pattern". */
  route: string;
  name: string;
  /** Rows the case needs beyond the world's (made before the audit snapshot). */
  prepare?: (w: World) => Promise<Ids>;
  /** A's admin acting on B's rows. */
  call: (w: World, ids: Ids) => Promise<LightMyRequestResponse>;
  status: number;
  field?: string;
  /** The answer's type when not problem+json (Open311 answers in its own error format). */
  contentType?: RegExp;
  /** Proves, as the owning office, that nothing changed. */
  unchanged?: (w: World, ids: Ids) => Promise<void>;
};
type Ids = Record<string, string>;

/** A constituent of the side's office, made through the API. */
async function constituentOf(s: Side, body: object = {}): Promise<string> {
  const res = await s.api('POST', '/api/v1/constituents', { givenName: 'Tenant', familyName: uniq('Case'), ignoreDuplicates: true, ...body });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

const constituentUnchanged = async ({ b }: World, ids: Ids) => {
  const c = (await b.api('GET', `/api/v1/constituents/${ids.c}`)).json();
  expect(c.displayName).not.toMatch(/hijacked/i);
  expect(c.tags).toEqual([]);
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

/** A boundary in layer "tenancy" of the side's office, imported through the API. */
async function boundaryOf(s: Side): Promise<string> {
  const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
  const geojson = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'T1', name: 'Tenancy ward' }, geometry: { type: 'Polygon', coordinates: [square] } }] };
  expect((await s.api('POST', '/api/v1/geo/boundaries/import', { layer: 'tenancy', geojson })).statusCode).toBe(200);
  return (await s.api('GET', '/api/v1/geo/boundaries?layer=tenancy')).json().items[0].id as string;
}

const boundaryUnchanged = async ({ b }: World, ids: Ids) =>
  expect((await b.api('GET', `/api/v1/geo/boundaries/${ids.w}`)).json()).toMatchObject({ code: 'T1', name: 'Tenancy ward', retiredAt: null });

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
  // The constituent registry
  ...(['GET /api/v1/constituents/:id', 'GET /api/v1/constituents/:id/consents', 'GET /api/v1/constituents/:id/timeline', 'GET /api/v1/constituents/:id/relationships'].map((route) => ({
    route, name: `reads B's constituent (${route.split('/').pop()})`, status: 404,
    prepare: async ({ b }: World) => ({ c: await constituentOf(b) }),
    call: ({ a }: World, ids: Ids) => a.api('GET', route.split(' ')[1]!.replace(':id', ids.c!)),
  }))),
  {
    route: 'GET /api/v1/constituents/:id/contact-check', name: "asks whether B's constituent may be contacted", status: 404,
    prepare: async ({ b }) => ({ c: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('GET', `/api/v1/constituents/${ids.c}/contact-check?channel=email&purpose=casework`),
  },
  {
    route: 'PATCH /api/v1/constituents/:id', name: "edits B's constituent", status: 404,
    prepare: async ({ b }) => ({ c: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('PATCH', `/api/v1/constituents/${ids.c}`, { givenName: 'Hijacked', tags: ['x'] }),
    unchanged: constituentUnchanged,
  },
  {
    route: 'POST /api/v1/constituents/:id/consents', name: "records consent for B's constituent", status: 404,
    prepare: async ({ b }) => ({ c: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('POST', `/api/v1/constituents/${ids.c}/consents`, { channel: 'email', purpose: 'outreach', status: 'granted', source: 'paper' }),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.c}/consents`)).json().history).toEqual([]),
  },
  {
    route: 'POST /api/v1/constituents/:id/notes', name: "adds a note to B's constituent", status: 404,
    prepare: async ({ b }) => ({ c: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('POST', `/api/v1/constituents/${ids.c}/notes`, { body: 'hijacked' }),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.c}/timeline?kind=note`)).json().items).toEqual([]),
  },
  {
    route: 'POST /api/v1/constituents/:id/relationships', name: "links A's constituent to B's", status: 400, field: 'relatedId',
    prepare: async ({ a, b }) => ({ mine: await constituentOf(a), c: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('POST', `/api/v1/constituents/${ids.mine}/relationships`, { relatedId: ids.c, kind: 'spouse' }),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.c}/relationships`)).json().items).toEqual([]),
  },
  {
    route: 'DELETE /api/v1/constituents/:id/relationships/:relationshipId', name: "removes B's relationship", status: 404,
    prepare: async ({ b }) => {
      const [c, d] = [await constituentOf(b), await constituentOf(b)];
      const rel = await b.api('POST', `/api/v1/constituents/${c}/relationships`, { relatedId: d, kind: 'spouse' });
      return { c, rel: rel.json().id };
    },
    call: ({ a }, ids) => a.api('DELETE', `/api/v1/constituents/${ids.c}/relationships/${ids.rel}`),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.c}/relationships`)).json().items).toHaveLength(1),
  },
  {
    route: 'DELETE /api/v1/households/:id', name: "dissolves B's household", status: 404,
    prepare: async ({ b }) => {
      const c = await constituentOf(b);
      return { c, h: (await b.api('POST', '/api/v1/households', { name: 'B home', memberIds: [c] })).json().id };
    },
    call: ({ a }, ids) => a.api('DELETE', `/api/v1/households/${ids.h}`),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.c}`)).json().household?.id).toBe(ids.h),
  },
  {
    route: 'POST /api/v1/households', name: "puts B's constituent in A's household", status: 400, field: 'memberIds.0',
    prepare: async ({ b }) => ({ c: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('POST', '/api/v1/households', { name: 'Stolen', memberIds: [ids.c] }),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.c}`)).json().household).toBeNull(),
  },
  {
    route: 'PATCH /api/v1/custom-fields/:id', name: "changes B's custom field", status: 404,
    prepare: async ({ b }) => ({ f: (await b.api('POST', '/api/v1/custom-fields', { key: 'notes', label: 'Notes', type: 'text' })).json().id }),
    call: ({ a }, ids) => a.api('PATCH', `/api/v1/custom-fields/${ids.f}`, { label: 'Hijacked' }),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/custom-fields')).json().items[0].label).toBe('Notes'),
  },
  // Geography
  {
    route: 'GET /api/v1/geo/boundaries/:id', name: "reads B's boundary", status: 404,
    prepare: async ({ b }) => ({ w: await boundaryOf(b) }),
    call: ({ a }, ids) => a.api('GET', `/api/v1/geo/boundaries/${ids.w}`),
  },
  {
    route: 'DELETE /api/v1/geo/boundaries/:id', name: "deletes B's boundary", status: 404,
    prepare: async ({ b }) => ({ w: await boundaryOf(b) }),
    call: ({ a }, ids) => a.api('DELETE', `/api/v1/geo/boundaries/${ids.w}`),
    unchanged: boundaryUnchanged,
  },
  {
    route: 'DELETE /api/v1/geo/layers/:layer', name: "deletes B's boundary layer", status: 404,
    prepare: async ({ b }) => ({ w: await boundaryOf(b) }),
    call: ({ a }) => a.api('DELETE', '/api/v1/geo/layers/tenancy'),
    unchanged: boundaryUnchanged,
  },
  // CSV imports: B's uploaded import, not yet started
  ...([
    ['GET /api/v1/imports/:id', "reads B's import", (a: Side, id: string) => a.api('GET', `/api/v1/imports/${id}`)],
    ['GET /api/v1/imports/:id/errors.csv', "downloads B's import errors", (a: Side, id: string) => a.api('GET', `/api/v1/imports/${id}/errors.csv`)],
    ['PUT /api/v1/imports/:id/file', "uploads over B's import file", (a: Side, id: string) => a.api('PUT', `/api/v1/imports/${id}/file`, 'Name\nHijacked\n', { 'content-type': 'text/csv' })],
    ['POST /api/v1/imports/:id/start', "starts B's import", (a: Side, id: string) => a.api('POST', `/api/v1/imports/${id}/start`, { mapping: { columns: { Name: 'familyName' } } })],
    ['POST /api/v1/imports/:id/cancel', "cancels B's import", (a: Side, id: string) => a.api('POST', `/api/v1/imports/${id}/cancel`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ i: await importOf(b) }),
    call: ({ a }, ids) => call(a, ids.i!),
    unchanged: importUnchanged,
  })),
  // Deduplication: B's scans, candidate pairs and merges
  {
    route: 'GET /api/v1/dedup/scans/:id', name: "reads B's duplicate scan", status: 404,
    prepare: async ({ b }) => ({ s: (await ctx.database.db.insertInto('dedup_scans').values({ office_id: b.office.id, source: 'cli', requested_by_label: 'test' }).returning('id').executeTakeFirstOrThrow()).id }),
    call: ({ a }, ids) => a.api('GET', `/api/v1/dedup/scans/${ids.s}`),
  },
  ...([
    ['dismiss', 'open', "dismisses B's candidate pair"],
    ['reopen', 'dismissed', "reopens B's dismissed pair"],
  ] as const).map(([action, status, name]): IdCase => ({
    route: `POST /api/v1/dedup/candidates/:lowId/:highId/${action}`, name, status: 404,
    prepare: async ({ b }) => {
      const [x, y] = [await constituentOf(b), await constituentOf(b)].sort();
      await ctx.database.db.insertInto('duplicate_candidates').values({ office_id: b.office.id, low_id: x!, high_id: y!, score: 70, reasons: '[]', status }).execute();
      return { low: x!, high: y! };
    },
    call: ({ a }, ids) => a.api('POST', `/api/v1/dedup/candidates/${ids.low}/${ids.high}/${action}`),
    unchanged: async ({ b }) => expect((await b.api('GET', `/api/v1/dedup/candidates?status=${status}`)).json().items).toHaveLength(1),
  })),
  {
    route: 'GET /api/v1/constituents/:id/merge-preview', name: "previews a merge of B's constituents", status: 404,
    prepare: async ({ b }) => ({ c: await constituentOf(b), d: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('GET', `/api/v1/constituents/${ids.c}/merge-preview?otherId=${ids.d}`),
  },
  {
    route: 'POST /api/v1/constituents/:id/merge', name: "merges B's constituents", status: 404,
    prepare: async ({ b }) => ({ c: await constituentOf(b), d: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('POST', `/api/v1/constituents/${ids.c}/merge`, { otherId: ids.d, fields: { givenName: 'other' } }),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.d}`)).json()).toMatchObject({ status: 'active', mergedIntoId: null }),
  },
  {
    route: 'POST /api/v1/constituents/:id/merge', name: "merges B's constituent into A's", status: 404, field: 'otherId',
    prepare: async ({ a, b }) => ({ mine: await constituentOf(a), d: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('POST', `/api/v1/constituents/${ids.mine}/merge`, { otherId: ids.d }),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.d}`)).json()).toMatchObject({ status: 'active', mergedIntoId: null }),
  },
  {
    route: 'GET /api/v1/constituents/:id/merges', name: "lists B's constituent's merges", status: 404,
    prepare: async ({ b }) => ({ c: await constituentOf(b) }),
    call: ({ a }, ids) => a.api('GET', `/api/v1/constituents/${ids.c}/merges`),
  },
  {
    route: 'POST /api/v1/merges/:id/undo', name: "undoes B's merge", status: 404,
    prepare: async ({ b }) => {
      const [c, d] = [await constituentOf(b), await constituentOf(b)];
      const merge = await b.api('POST', `/api/v1/constituents/${c}/merge`, { otherId: d });
      expect(merge.statusCode).toBe(201);
      return { c, d, m: merge.json().id };
    },
    call: ({ a }, ids) => a.api('POST', `/api/v1/merges/${ids.m}/undo`),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/constituents/${ids.d}`)).json()).toMatchObject({ status: 'merged', mergedIntoId: ids.c }),
  },
  // Casework: B's cases, categories and workflow
  ...(['GET /api/v1/cases/:id', 'GET /api/v1/cases/:id/timeline'].map((route): IdCase => ({
    route, name: `reads B's case (${route.split('/').pop()})`, status: 404,
    call: ({ a, b }) => a.api('GET', route.split(' ')[1]!.replace(':id', b.caseId)),
  }))),
  ...([
    ['PATCH /api/v1/cases/:id', "edits B's case", (a: Side, b: Side) => a.api('PATCH', `/api/v1/cases/${b.caseId}`, { subject: 'Hijacked', priority: 'urgent' })],
    ['POST /api/v1/cases/:id/status', "changes the status of B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/status`, { status: 'open' })],
    ['POST /api/v1/cases/:id/assign', "unassigns B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/assign`, { assigneeId: null, teamId: null })],
    ['PUT /api/v1/cases/:id/constituents', "removes the people from B's case", (a: Side, b: Side) => a.api('PUT', `/api/v1/cases/${b.caseId}/constituents`, { constituents: [] })],
    ['PUT /api/v1/cases/:id/watchers', "makes A's admin watch B's case", (a: Side, b: Side) => a.api('PUT', `/api/v1/cases/${b.caseId}/watchers`, { userIds: [a.admin.id] })],
  ] as const).map(([route, name, call]): IdCase => ({ route, name, status: 404, call: ({ a, b }) => call(a, b), unchanged: ({ b }) => caseUnchanged(b) })),
  {
    route: 'POST /api/v1/cases/:id/assign', name: "assigns A's case to B's caseworker", status: 400, field: 'assigneeId',
    call: ({ a, b }) => a.api('POST', `/api/v1/cases/${a.caseId}/assign`, { teamId: null, assigneeId: b.user.id }),
    unchanged: ({ a }) => caseUnchanged(a),
  },
  {
    route: 'PUT /api/v1/cases/:id/constituents', name: "puts B's constituent on A's case", status: 400, field: 'constituents.0.constituentId',
    call: ({ a, b }) => a.api('PUT', `/api/v1/cases/${a.caseId}/constituents`, { constituents: [{ constituentId: b.constituentId, role: 'affected' }] }),
    unchanged: ({ a }) => caseUnchanged(a),
  },
  {
    route: 'PUT /api/v1/cases/:id/watchers', name: "makes B's admin watch A's case", status: 400, field: 'userIds.0',
    call: ({ a, b }) => a.api('PUT', `/api/v1/cases/${a.caseId}/watchers`, { userIds: [b.admin.id] }),
    unchanged: ({ a }) => caseUnchanged(a),
  },
  // Case work: B's attachments, tasks and notes
  ...(['GET /api/v1/cases/:id/attachments', 'GET /api/v1/cases/:id/tasks', 'GET /api/v1/cases/:id/notes', 'GET /api/v1/cases/:id/staff'].map((route): IdCase => ({
    route, name: `reads B's case (${route.split('/').pop()})`, status: 404,
    call: ({ a, b }) => a.api('GET', route.split(' ')[1]!.replace(':id', b.caseId)),
  }))),
  ...([
    ['POST /api/v1/cases/:id/attachments', "attaches a file to B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/attachments?filename=x.txt`, 'hijacked', { 'content-type': 'text/plain' })],
    ['POST /api/v1/cases/:id/tasks', "adds a task to B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/tasks`, { title: 'Hijacked' })],
    ['POST /api/v1/cases/:id/notes', "writes a note on B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/notes`, { body: 'Hijacked' })],
  ] as const).map(([route, name, call]): IdCase => ({ route, name, status: 404, call: ({ a, b }) => call(a, b), unchanged: ({ b }) => caseWorkUnchanged(b, {}) })),
  ...([
    ['GET /api/v1/cases/:id/attachments/:attachmentId', "downloads B's attachment", (a: Side, b: Side, ids: Ids) => a.api('GET', `/api/v1/cases/${b.caseId}/attachments/${ids.f}`)],
    ['DELETE /api/v1/cases/:id/attachments/:attachmentId', "deletes B's attachment", (a: Side, b: Side, ids: Ids) => a.api('DELETE', `/api/v1/cases/${b.caseId}/attachments/${ids.f}`)],
    ['PATCH /api/v1/cases/:id/tasks/:taskId', "completes B's task", (a: Side, b: Side, ids: Ids) => a.api('PATCH', `/api/v1/cases/${b.caseId}/tasks/${ids.t}`, { status: 'done' })],
    ['DELETE /api/v1/cases/:id/tasks/:taskId', "deletes B's task", (a: Side, b: Side, ids: Ids) => a.api('DELETE', `/api/v1/cases/${b.caseId}/tasks/${ids.t}`)],
    ['PATCH /api/v1/cases/:id/notes/:noteId', "edits B's note", (a: Side, b: Side, ids: Ids) => a.api('PATCH', `/api/v1/cases/${b.caseId}/notes/${ids.n}`, { body: 'Hijacked' })],
    ['DELETE /api/v1/cases/:id/notes/:noteId', "deletes B's note", (a: Side, b: Side, ids: Ids) => a.api('DELETE', `/api/v1/cases/${b.caseId}/notes/${ids.n}`)],
    ['PUT /api/v1/cases/:id/notes/:noteId/sharing', "shares B's note with B's resident", (a: Side, b: Side, ids: Ids) => a.api('PUT', `/api/v1/cases/${b.caseId}/notes/${ids.n}/sharing`, { isPublic: true })],
  ] as const).map(([route, name, call]): IdCase => ({ route, name, status: 404, prepare: ({ b }) => caseWorkOf(b), call: ({ a, b }, ids) => call(a, b, ids), unchanged: ({ b }, ids) => caseWorkUnchanged(b, ids) })),
  {
    route: 'POST /api/v1/cases/:id/tasks', name: "gives a task on A's case to B's caseworker", status: 400, field: 'assigneeId',
    call: ({ a, b }) => a.api('POST', `/api/v1/cases/${a.caseId}/tasks`, { title: 'Cross-office', assigneeId: b.user.id }),
    unchanged: ({ a }) => caseWorkUnchanged(a, {}),
  },
  {
    route: 'POST /api/v1/cases/:id/notes', name: "mentions B's admin on A's case", status: 400, field: 'body',
    call: ({ a, b }) => a.api('POST', `/api/v1/cases/${a.caseId}/notes`, { body: `Hello @[B admin](user:${b.admin.id})` }),
    unchanged: ({ a }) => caseWorkUnchanged(a, {}),
  },
  {
    route: 'POST /api/v1/cases', name: "opens a case in B's category", status: 400, field: 'categoryId',
    call: ({ a, b }) => a.api('POST', '/api/v1/cases', { subject: 'Stolen category', channel: 'web', categoryId: b.categoryId }),
    unchanged: async ({ a }) => expect((await a.api('GET', '/api/v1/cases')).json().items.map((c: { id: string }) => c.id)).toEqual([a.caseId]),
  },
  {
    route: 'PATCH /api/v1/case-categories/:id', name: "renames B's category", status: 404,
    call: ({ a, b }) => a.api('PATCH', `/api/v1/case-categories/${b.categoryId}`, { name: 'Hijacked', retired: true }),
    unchanged: ({ b }) => categoryUnchanged(b),
  },
  {
    route: 'POST /api/v1/case-categories/:id/merge', name: "merges B's categories", status: 404,
    prepare: async ({ b }) => ({ other: (await b.api('POST', '/api/v1/case-categories', { name: uniq('Roads') })).json().id }),
    call: ({ a, b }, ids) => a.api('POST', `/api/v1/case-categories/${b.categoryId}/merge`, { intoId: ids.other }),
    unchanged: ({ b }) => categoryUnchanged(b),
  },
  {
    route: 'POST /api/v1/case-categories/:id/merge', name: "merges A's category into B's", status: 400, field: 'intoId',
    call: ({ a, b }) => a.api('POST', `/api/v1/case-categories/${a.categoryId}/merge`, { intoId: b.categoryId }),
    unchanged: async ({ a, b }) => {
      await categoryUnchanged(a);
      await categoryUnchanged(b);
    },
  },
  {
    route: 'PATCH /api/v1/case-workflow/statuses/:key', name: "changes B's own status", status: 404,
    prepare: async ({ b }) => {
      expect((await b.api('POST', '/api/v1/case-workflow/statuses', { key: 'tenant_status', label: 'Tenant status', category: 'waiting' })).statusCode).toBe(201);
      return {};
    },
    call: ({ a }) => a.api('PATCH', '/api/v1/case-workflow/statuses/tenant_status', { label: 'Hijacked', retired: true }),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/case-workflow')).json().statuses.find((s: { key: string }) => s.key === 'tenant_status')).toMatchObject({ label: 'Tenant status', retired: false }),
  },
  {
    route: 'PATCH /api/v1/case-workflow/resolution-codes/:code', name: "changes B's own resolution code", status: 404,
    prepare: async ({ b }) => {
      expect((await b.api('POST', '/api/v1/case-workflow/resolution-codes', { code: 'tenant_code', label: 'Tenant code' })).statusCode).toBe(201);
      return {};
    },
    call: ({ a }) => a.api('PATCH', '/api/v1/case-workflow/resolution-codes/tenant_code', { label: 'Hijacked', retired: true }),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/case-workflow')).json().resolutionCodes.find((c: { code: string }) => c.code === 'tenant_code')).toMatchObject({ label: 'Tenant code', retired: false }),
  },
  // SLAs: B's policies, holidays and categories; B's staff's notifications
  ...([
    ['PATCH /api/v1/sla/policies/:id', "changes B's SLA policy", (a: Side, id: string) => a.api('PATCH', `/api/v1/sla/policies/${id}`, { firstResponseMinutes: 1, resolutionMinutes: 1 })],
    ['DELETE /api/v1/sla/policies/:id', "deletes B's SLA policy", (a: Side, id: string) => a.api('DELETE', `/api/v1/sla/policies/${id}`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ p: await slaPolicyOf(b) }),
    call: ({ a }, ids) => call(a, ids.p!),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/sla/policies')).json().items.map((p: { firstResponseMinutes: number }) => p.firstResponseMinutes)).toEqual([60]),
  })),
  {
    route: 'POST /api/v1/sla/policies', name: "sets an SLA policy on B's category", status: 400, field: 'categoryId',
    prepare: async ({ b }) => ({ cat: (await ctx.database.db.insertInto('categories').values({ office_id: b.office.id, name: uniq('Roads') }).returning('id').executeTakeFirstOrThrow()).id }),
    call: ({ a }, ids) => a.api('POST', '/api/v1/sla/policies', { categoryId: ids.cat, priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 600 }),
    unchanged: async ({ a, b }) => {
      expect((await a.api('GET', '/api/v1/sla/policies')).json().items).toEqual([]);
      expect((await b.api('GET', '/api/v1/sla/policies')).json().items).toEqual([]);
    },
  },
  {
    route: 'DELETE /api/v1/sla/holidays/:date', name: "removes B's holiday", status: 404,
    prepare: async ({ b }) => {
      expect((await b.api('POST', '/api/v1/sla/holidays', { date: '2027-05-31', name: 'Spring bank holiday' })).statusCode).toBe(201);
      return {};
    },
    call: ({ a }) => a.api('DELETE', '/api/v1/sla/holidays/2027-05-31'),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/sla/holidays')).json().items.map((h: { date: string }) => h.date)).toEqual(['2027-05-31']),
  },
  ...([
    ['PATCH /api/v1/case-views/:id', "renames B's shared view", (a: Side, id: string) => a.api('PATCH', `/api/v1/case-views/${id}`, { name: 'Hijacked', teamId: null })],
    ['DELETE /api/v1/case-views/:id', "deletes B's shared view", (a: Side, id: string) => a.api('DELETE', `/api/v1/case-views/${id}`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ v: await caseViewOf(b) }),
    call: ({ a }, ids) => call(a, ids.v!),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/case-views')).json().items.map((v: { name: string }) => v.name)).toEqual(['Tenant view']),
  })),
  {
    route: 'POST /api/v1/notifications/:id/read', name: "marks B's notification read", status: 404,
    prepare: async ({ b }) => ({
      n: (await ctx.database.db.insertInto('notifications').values({ office_id: b.office.id, user_id: b.admin.id, kind: 'sla_warning', body: 'Due soon', dedupe_key: uniq('k') }).returning('id').executeTakeFirstOrThrow()).id,
    }),
    call: ({ a }, ids) => a.api('POST', `/api/v1/notifications/${ids.n}/read`),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/notifications')).json()).toMatchObject({ unread: 1, items: [{ readAt: null }] }),
  },
  // Messages: B's reply templates, replies from B's cases, their messages and rating; rating links
  ...([
    ['GET /api/v1/reply-templates/:id', "reads B's reply template", (a: Side, id: string) => a.api('GET', `/api/v1/reply-templates/${id}`)],
    ['PATCH /api/v1/reply-templates/:id', "retires B's reply template", (a: Side, id: string) => a.api('PATCH', `/api/v1/reply-templates/${id}`, { name: 'Hijacked', retired: true })],
    ['GET /api/v1/reply-templates/:id/versions', "reads the history of B's reply template", (a: Side, id: string) => a.api('GET', `/api/v1/reply-templates/${id}/versions`)],
    ['PUT /api/v1/reply-templates/:id/languages/:language/draft', "rewrites the draft of B's reply template", (a: Side, id: string) => a.api('PUT', `/api/v1/reply-templates/${id}/languages/en/draft`, { subject: 'Hijacked', body: 'Hijacked' })],
    ['DELETE /api/v1/reply-templates/:id/languages/:language/draft', "discards the draft of B's reply template", (a: Side, id: string) => a.api('DELETE', `/api/v1/reply-templates/${id}/languages/en/draft`)],
    ['POST /api/v1/reply-templates/:id/languages/:language/approve', "approves the draft of B's reply template", (a: Side, id: string) => a.api('POST', `/api/v1/reply-templates/${id}/languages/en/approve`, { version: 1, revision: 1 })],
    ['POST /api/v1/reply-templates/:id/languages/:language/versions/:version/restore', "restores a version of B's reply template", (a: Side, id: string) => a.api('POST', `/api/v1/reply-templates/${id}/languages/en/versions/1/restore`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ t: (await b.api('POST', '/api/v1/reply-templates', { name: 'Tenant template', language: 'en', subject: 'Hi', body: 'Hello {{constituent.given_name}}' })).json().id }),
    call: ({ a }, ids) => call(a, ids.t!),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/reply-templates/${ids.t}`)).json()).toMatchObject({
      name: 'Tenant template', retired: false, translations: [{ language: 'en', approved: null, draft: { version: 1, revision: 1, body: 'Hello {{constituent.given_name}}' } }],
    }),
  })),
  ...([
    ['POST /api/v1/cases/:id/replies/preview', "previews a reply on B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/replies/preview`, { body: 'Hello' })],
    ['POST /api/v1/cases/:id/replies', "emails the requester of B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/replies`, { body: 'Hello' })],
    ['GET /api/v1/cases/:id/messages', "lists the messages of B's case", (a: Side, b: Side) => a.api('GET', `/api/v1/cases/${b.caseId}/messages`)],
    ['GET /api/v1/cases/:id/rating', "reads the rating of B's case", (a: Side, b: Side) => a.api('GET', `/api/v1/cases/${b.caseId}/rating`)],
    // Any template id: the case is refused first.
    ['GET /api/v1/cases/:id/replies/template-text', "reads template text for the requester of B's case", (a: Side, b: Side) => a.api('GET', `/api/v1/cases/${b.caseId}/replies/template-text?templateId=${b.caseId}`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404, call: ({ a, b }) => call(a, b),
    unchanged: async ({ b }) => expect((await b.api('GET', `/api/v1/cases/${b.caseId}/messages`)).json()).toEqual({ items: [] }),
  })),
  ...([
    ['POST /api/v1/cases/:id/replies', "replies on A's case with B's approved template", (a: Side, t: string) => a.api('POST', `/api/v1/cases/${a.caseId}/replies`, { templateId: t })],
    ['GET /api/v1/cases/:id/replies/template-text', "reads B's approved template for A's case", (a: Side, t: string) => a.api('GET', `/api/v1/cases/${a.caseId}/replies/template-text?templateId=${t}`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 400, field: 'templateId',
    prepare: async ({ b }) => {
      const t = (await b.api('POST', '/api/v1/reply-templates', { name: 'Tenant template', language: 'en', subject: 'Hi', body: 'Hello' })).json().id as string;
      expect((await b.api('POST', `/api/v1/reply-templates/${t}/languages/en/approve`, { version: 1, revision: 1 })).statusCode).toBe(200);
      return { t };
    },
    call: ({ a }, ids) => call(a, ids.t!),
    unchanged: async ({ a }) => expect((await a.api('GET', `/api/v1/cases/${a.caseId}/messages`)).json()).toEqual({ items: [] }),
  })),
  { route: 'GET /api/v1/constituents/:id/unsubscribe-link', name: "gets the unsubscribe link of B's constituent", status: 404, call: ({ a, b }) => a.api('GET', `/api/v1/constituents/${b.constituentId}/unsubscribe-link?purpose=outreach`) },
  ...(['GET /unsubscribe/:token', 'POST /unsubscribe/:token'].map((route): IdCase => ({
    route, name: "unsubscribes B's constituent with a token of A's office", status: 404,
    call: async ({ a, b }) => {
      // A's office id and signature (a real token of A's) with B's constituent in it: the signature no longer matches.
      const { issueToken } = await import('../server/modules/messages/unsubscribe.service.js');
      const raw = Buffer.from(await issueToken(ctx.database.db, a.office.id, a.constituentId, 'outreach'), 'base64url');
      Buffer.from(b.constituentId.replace(/-/g, ''), 'hex').copy(raw, 16);
      return ctx.app.inject({ method: route.startsWith('GET') ? 'GET' : 'POST', url: `/unsubscribe/${raw.toString('base64url')}`, ...(route.startsWith('POST') ? { payload: {} } : {}) });
    },
    unchanged: async ({ b }) => expect((await b.api('GET', `/api/v1/constituents/${b.constituentId}/consents`)).json().history).toEqual([]),
  }))),
  ...(['GET /rate/:token', 'POST /rate/:token'].map((route): IdCase => ({
    route, name: 'rates a case with a made-up token', status: 404,
    call: () => ctx.app.inject({ method: route.startsWith('GET') ? 'GET' : 'POST', url: `/rate/${'x'.repeat(43)}?score=5`, ...(route.startsWith('POST') ? { payload: { score: '5' } } : {}) }),
  }))),
  // Triage: B's rules, and why B's items and cases were triaged
  ...([
    ['PATCH /api/v1/triage/rules/:id', "rewrites B's triage rule", (a: Side, id: string) => a.api('PATCH', `/api/v1/triage/rules/${id}`, { name: 'Hijacked', enabled: true })],
    ['DELETE /api/v1/triage/rules/:id', "deletes B's triage rule", (a: Side, id: string) => a.api('DELETE', `/api/v1/triage/rules/${id}`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ r: (await b.api('POST', '/api/v1/triage/rules', { name: 'Tenant rule', actions: { tags: ['b'] } })).json().id }),
    call: ({ a }, ids) => call(a, ids.r!),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/triage/rules')).json().items.map((r: { name: string; enabled: boolean }) => [r.name, r.enabled])).toEqual([['Tenant rule', false]]),
  })),
  {
    route: 'GET /api/v1/cases/:id/triage', name: "reads why B's case was triaged", status: 404,
    call: ({ a, b }) => a.api('GET', `/api/v1/cases/${b.caseId}/triage`),
  },
  {
    route: 'GET /api/v1/inbox/:id/triage', name: "reads why B's item was triaged", status: 404,
    prepare: async ({ b }) => ({ i: await inboxItemOf(b, 'Precedence: bulk') }),
    call: ({ a }, ids) => a.api('GET', `/api/v1/inbox/${ids.i}/triage`),
  },
  // Assignment: B's rules, team strategies, away periods; links, duplicates and merges of B's cases
  ...([
    ['PATCH /api/v1/assignment/rules/:id', "retargets B's assignment rule", (a: Side, id: string) => a.api('PATCH', `/api/v1/assignment/rules/${id}`, { name: 'Hijacked', teamId: a.teamId })],
    ['DELETE /api/v1/assignment/rules/:id', "deletes B's assignment rule", (a: Side, id: string) => a.api('DELETE', `/api/v1/assignment/rules/${id}`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ r: (await b.api('POST', '/api/v1/assignment/rules', { name: 'Tenant rule', categoryId: b.categoryId, teamId: b.teamId })).json().id }),
    call: ({ a }, ids) => call(a, ids.r!),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/assignment')).json().rules.map((r: { name: string; team: { id: string } }) => [r.name, r.team.id])).toEqual([['Tenant rule', b.teamId]]),
  })),
  {
    route: 'PUT /api/v1/assignment/teams/:id', name: "changes the strategy of B's team", status: 404,
    call: ({ a, b }) => a.api('PUT', `/api/v1/assignment/teams/${b.teamId}`, { strategy: 'least_loaded' }),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/assignment')).json().teams).toEqual([{ team: { id: b.teamId, name: expect.any(String) }, strategy: 'round_robin' }]),
  },
  ...([
    ['GET /api/v1/users/:id/away', "reads the away period of B's caseworker", (a: Side, b: Side) => a.api('GET', `/api/v1/users/${b.user.id}/away`)],
    ['PUT /api/v1/users/:id/away', "marks B's caseworker away", (a: Side, b: Side) => a.api('PUT', `/api/v1/users/${b.user.id}/away`, { from: '2020-01-01', until: null })],
    ['DELETE /api/v1/users/:id/away', "clears the away period of B's caseworker", (a: Side, b: Side) => a.api('DELETE', `/api/v1/users/${b.user.id}/away`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => {
      expect((await b.api('PUT', `/api/v1/users/${b.user.id}/away`, { from: '2099-01-01', until: '2099-01-02' })).statusCode).toBe(200);
      return {};
    },
    call: ({ a, b }) => call(a, b),
    unchanged: async ({ b }) => expect((await b.api('GET', `/api/v1/users/${b.user.id}/away`)).json().away).toMatchObject({ from: '2099-01-01', until: '2099-01-02' }),
  })),
  ...([
    ['POST /api/v1/cases/:id/auto-assign', "auto-assigns B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/auto-assign`)],
    ['GET /api/v1/cases/:id/related', "reads the cases related to B's case", (a: Side, b: Side) => a.api('GET', `/api/v1/cases/${b.caseId}/related`)],
    ['GET /api/v1/cases/:id/links', "reads the links of B's case", (a: Side, b: Side) => a.api('GET', `/api/v1/cases/${b.caseId}/links`)],
    ['POST /api/v1/cases/:id/links', "links B's case to A's", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/links`, { caseId: a.caseId })],
    ['POST /api/v1/cases/:id/duplicate-of', "closes B's case as a duplicate of A's", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/duplicate-of`, { originalId: a.caseId })],
    ['DELETE /api/v1/cases/:id/duplicate-of', "unmarks B's duplicate", (a: Side, b: Side) => a.api('DELETE', `/api/v1/cases/${b.caseId}/duplicate-of`)],
    ['POST /api/v1/cases/:id/merge', "merges A's case into B's", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/merge`, { fromCaseId: a.caseId })],
  ] as const).map(([route, name, call]): IdCase => ({ route, name, status: 404, call: ({ a, b }) => call(a, b), unchanged: async ({ a, b }) => { await caseUnchanged(a); await caseUnchanged(b); } })),
  {
    route: 'DELETE /api/v1/cases/:id/links/:otherId', name: "unlinks B's related cases", status: 404,
    prepare: async ({ b }) => {
      const other = (await b.api('POST', '/api/v1/cases', { subject: 'Other tenant case', channel: 'web' })).json().id as string;
      expect((await b.api('POST', `/api/v1/cases/${b.caseId}/links`, { caseId: other })).statusCode).toBe(200);
      return { o: other };
    },
    call: ({ a, b }, ids) => a.api('DELETE', `/api/v1/cases/${b.caseId}/links/${ids.o}`),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/cases/${b.caseId}/links`)).json().items.map((l: { case: { id: string } }) => l.case.id)).toEqual([ids.o]),
  },
  ...([
    ['POST /api/v1/cases/:id/duplicate-of', "closes A's case as a duplicate of B's", 'originalId', (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${a.caseId}/duplicate-of`, { originalId: b.caseId })],
    ['POST /api/v1/cases/:id/merge', "merges B's case into A's", 'fromCaseId', (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${a.caseId}/merge`, { fromCaseId: b.caseId })],
    ['POST /api/v1/cases/:id/links', "links A's case to B's", 'caseId', (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${a.caseId}/links`, { caseId: b.caseId })],
  ] as const).map(([route, name, field, call]): IdCase => ({ route, name, status: 400, field, call: ({ a, b }) => call(a, b), unchanged: async ({ a, b }) => { await caseUnchanged(a); await caseUnchanged(b); } })),
  // Referrals: B's agencies, referrals and privacy releases; A's case with B's agency; signing links
  {
    route: 'PATCH /api/v1/agencies/:id', name: "retires B's agency", status: 404,
    prepare: async ({ b }) => ({ g: await agencyOf(b) }),
    call: ({ a }, ids) => a.api('PATCH', `/api/v1/agencies/${ids.g}`, { name: 'Hijacked', retired: true }),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/agencies')).json().items.map((g: { name: string }) => g.name)).toEqual(['Tenant agency']),
  },
  ...([
    ['GET /api/v1/cases/:id/referrals', "reads B's case referrals", (a: Side, b: Side) => a.api('GET', `/api/v1/cases/${b.caseId}/referrals`)],
    ['POST /api/v1/cases/:id/referrals', "refers B's case", (a: Side, b: Side, ids: Ids) => a.api('POST', `/api/v1/cases/${b.caseId}/referrals`, { agencyId: ids.g, summary: 'hijacked' })],
    ['POST /api/v1/cases/:id/privacy-releases', "asks B's requester for a release", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/privacy-releases`, { constituentId: b.constituentId })],
    ['POST /api/v1/cases/:id/privacy-releases/paper', "uploads a release to B's case", (a: Side, b: Side) => a.api('POST', `/api/v1/cases/${b.caseId}/privacy-releases/paper?constituentId=${b.constituentId}`, Buffer.from('%PDF-1.4\n%%EOF\n') as never, { 'content-type': 'application/pdf' })],
    ['PATCH /api/v1/referrals/:id', "edits B's referral", (a: Side, _b: Side, ids: Ids) => a.api('PATCH', `/api/v1/referrals/${ids.r}`, { summary: 'hijacked' })],
    ['POST /api/v1/referrals/:id/send', "sends B's referral", (a: Side, _b: Side, ids: Ids) => a.api('POST', `/api/v1/referrals/${ids.r}/send`, {})],
    ['POST /api/v1/referrals/:id/follow-ups', "logs a follow-up on B's referral", (a: Side, _b: Side, ids: Ids) => a.api('POST', `/api/v1/referrals/${ids.r}/follow-ups`, { kind: 'note', occurredOn: '2026-01-01', body: 'hijacked' })],
    ['POST /api/v1/referrals/:id/close', "closes B's referral", (a: Side, _b: Side, ids: Ids) => a.api('POST', `/api/v1/referrals/${ids.r}/close`, {})],
    ['POST /api/v1/cases/:id/privacy-releases/:rid/revoke', "revokes B's release request", (a: Side, b: Side, ids: Ids) => a.api('POST', `/api/v1/cases/${b.caseId}/privacy-releases/${ids.p}/revoke`)],
    ['GET /api/v1/cases/:id/privacy-releases/:rid/document', "downloads B's release", (a: Side, b: Side, ids: Ids) => a.api('GET', `/api/v1/cases/${b.caseId}/privacy-releases/${ids.p}/document`)],
    ['GET /api/v1/cases/:id/privacy-releases/:rid/verify', "verifies B's release", (a: Side, b: Side, ids: Ids) => a.api('GET', `/api/v1/cases/${b.caseId}/privacy-releases/${ids.p}/verify`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => {
      const g = await agencyOf(b);
      const r = (await b.api('POST', `/api/v1/cases/${b.caseId}/referrals`, { agencyId: g, summary: 'Tenant referral' })).json().id as string;
      const p = (await b.api('POST', `/api/v1/cases/${b.caseId}/privacy-releases`, { constituentId: b.constituentId })).json().release.id as string;
      return { g, r, p };
    },
    call: ({ a, b }, ids) => call(a, b, ids),
    unchanged: referralsUnchanged,
  })),
  {
    route: 'POST /api/v1/cases/:id/referrals', name: "refers A's case to B's agency", status: 400, field: 'agencyId',
    prepare: async ({ b }) => ({ g: await agencyOf(b) }),
    call: ({ a }, ids) => a.api('POST', `/api/v1/cases/${a.caseId}/referrals`, { agencyId: ids.g, summary: 'x' }),
    unchanged: async ({ a }) => expect((await a.api('GET', `/api/v1/cases/${a.caseId}/referrals`)).json().referrals).toEqual([]),
  },
  // Intake: B's inbox items, intake addresses and a case's inbound messages
  ...([
    ['GET /api/v1/inbox/:id', "reads B's inbox item", (a: Side, ids: Ids) => a.api('GET', `/api/v1/inbox/${ids.i}`)],
    ['GET /api/v1/inbox/:id/attachments/:index', "downloads an attachment of B's item", (a: Side, ids: Ids) => a.api('GET', `/api/v1/inbox/${ids.i}/attachments/0`)],
    ['POST /api/v1/inbox/:id/create-case', "opens a case from B's item", (a: Side, ids: Ids) => a.api('POST', `/api/v1/inbox/${ids.i}/create-case`, {})],
    ['POST /api/v1/inbox/:id/attach', "attaches B's item to A's case", (a: Side, ids: Ids) => a.api('POST', `/api/v1/inbox/${ids.i}/attach`, { caseId: a.caseId })],
    ['POST /api/v1/inbox/:id/spam', "marks B's item spam", (a: Side, ids: Ids) => a.api('POST', `/api/v1/inbox/${ids.i}/spam`)],
    ['POST /api/v1/inbox/:id/not-spam', "restores B's item", (a: Side, ids: Ids) => a.api('POST', `/api/v1/inbox/${ids.i}/not-spam`)],
    ['POST /api/v1/inbox/:id/merge-sender', "merges the sender of B's item", (a: Side, ids: Ids) => a.api('POST', `/api/v1/inbox/${ids.i}/merge-sender`, { constituentId: a.constituentId })],
    ['POST /api/v1/inbox/:id/confirm-sender', "confirms the sender of B's item", (a: Side, ids: Ids) => a.api('POST', `/api/v1/inbox/${ids.i}/confirm-sender`)],
    ['POST /api/v1/inbox/:id/retry', "retries B's item", (a: Side, ids: Ids) => a.api('POST', `/api/v1/inbox/${ids.i}/retry`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ i: await inboxItemOf(b, 'Precedence: bulk') }),
    call: ({ a }, ids) => call(a, ids),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/inbox/${ids.i}`)).json()).toMatchObject({ status: 'ignored', handledBy: null, case: null, constituent: { id: b.constituentId, provisional: false } }),
  })),
  {
    route: 'POST /api/v1/inbox/:id/attach', name: "attaches A's item to B's case", status: 404,
    prepare: async ({ a }) => ({ i: await inboxItemOf(a, 'Precedence: bulk') }),
    call: ({ a, b }, ids) => a.api('POST', `/api/v1/inbox/${ids.i}/attach`, { caseId: b.caseId }),
    unchanged: async ({ a, b }, ids) => {
      await caseUnchanged(b);
      expect((await a.api('GET', `/api/v1/inbox/${ids.i}`)).json()).toMatchObject({ status: 'ignored', case: null });
    },
  },
  { route: 'GET /api/v1/cases/:id/inbound', name: "reads B's case messages", status: 404, call: ({ a, b }) => a.api('GET', `/api/v1/cases/${b.caseId}/inbound`) },
  {
    route: 'PATCH /api/v1/intake/addresses/:address', name: "makes B's intake address A's Reply-To", status: 404,
    prepare: async ({ b }) => ({ address: await intakeAddressOf(b) }),
    call: ({ a }, ids) => a.api('PATCH', `/api/v1/intake/addresses/${encodeURIComponent(ids.address!)}`, { useForReplies: true, acknowledge: false }),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', '/api/v1/intake/addresses')).json().items).toMatchObject([{ address: ids.address, acknowledge: true, useForReplies: false }]),
  },
  {
    route: 'DELETE /api/v1/intake/addresses/:address', name: "removes B's intake address", status: 404,
    prepare: async ({ b }) => ({ address: await intakeAddressOf(b) }),
    call: ({ a }, ids) => a.api('DELETE', `/api/v1/intake/addresses/${encodeURIComponent(ids.address!)}`),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', '/api/v1/intake/addresses')).json().items.map((x: { address: string }) => x.address)).toEqual([ids.address]),
  },
  // IMAP mailboxes: B's configuration can be neither changed, tested nor removed by A
  ...([
    ['PATCH /api/v1/intake/mailboxes/:id', "changes B's IMAP mailbox", (a: Side, ids: Ids) => a.api('PATCH', `/api/v1/intake/mailboxes/${ids.m}`, { host: 'attacker.example', enabled: false })],
    ['DELETE /api/v1/intake/mailboxes/:id', "removes B's IMAP mailbox", (a: Side, ids: Ids) => a.api('DELETE', `/api/v1/intake/mailboxes/${ids.m}`)],
    ['POST /api/v1/intake/mailboxes/:id/test', "tests B's IMAP mailbox", (a: Side, ids: Ids) => a.api('POST', `/api/v1/intake/mailboxes/${ids.m}/test`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ m: await mailboxOf(b) }),
    call: ({ a }, ids) => call(a, ids),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', '/api/v1/intake/mailboxes')).json().items).toMatchObject([{ id: ids.m, host: 'imap.tenancy.example', enabled: false, status: { lastPollAt: null } }]),
  })),
  // Web intake: an office's public form and categories take its slug; capture takes ids in its body
  { route: 'GET /api/v1/public/:office/categories', name: 'lists the categories of an unknown office', status: 404, call: () => ctx.app.inject({ method: 'GET', url: `/api/v1/public/${uniq('none')}/categories` }) },
  { route: 'GET /forms/:office', name: 'opens the form of an unknown office', status: 404, call: () => ctx.app.inject({ method: 'GET', url: `/forms/${uniq('none')}` }) },
  {
    route: 'POST /api/v1/public/:office/requests', name: "sends B's form a request with A's form token", status: 400, field: 'formToken',
    prepare: async ({ a, b }) => {
      for (const s of [a, b]) await s.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null });
      return {};
    },
    call: async ({ a, b }) => {
      const { formToken } = (await ctx.app.inject({ method: 'GET', url: `/api/v1/public/${a.office.slug}/categories` })).json();
      return ctx.app.inject({ method: 'POST', url: `/api/v1/public/${b.office.slug}/requests`, payload: { name: 'Hijacker', email: 'x@example.test', description: 'x', clientToken: uniq('tok'), formToken } });
    },
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/inbox?status=all')).json().items).toEqual([]),
  },
  {
    route: 'POST /api/v1/intake/capture', name: "logs a contact on B's case", status: 400, field: 'caseId',
    call: ({ a, b }) => a.api('POST', '/api/v1/intake/capture', { clientToken: uniq('cap'), channel: 'phone', text: 'Hijacked', caseId: b.caseId }),
    unchanged: async ({ b }) => {
      await caseUnchanged(b);
      expect((await b.api('GET', '/api/v1/inbox?status=all')).json().items).toEqual([]);
    },
  },
  {
    route: 'POST /api/v1/intake/capture', name: "logs a contact from B's constituent", status: 400, field: 'constituentId',
    call: ({ a, b }) => a.api('POST', '/api/v1/intake/capture', { clientToken: uniq('cap'), channel: 'phone', text: 'Hijacked', constituentId: b.constituentId }),
    unchanged: constituentUnchanged,
    prepare: async ({ b }) => ({ c: b.constituentId }),
  },
  // The resident portal: pages take the office's slug; tracking links are signed per office
  ...(['GET /portal/:office', 'GET /portal/:office/report'].map((route): IdCase => ({
    route, name: 'opens the portal of an unknown office', status: 404, contentType: /^text\/html/,
    call: () => ctx.app.inject({ method: 'GET', url: route.split(' ')[1]!.replace(':office', uniq('none')) }),
  }))),
  {
    route: 'POST /portal/:office/report', name: "reports to B's portal with A's form token", status: 400, contentType: /^text\/html/,
    prepare: async (w) => portalRequestOf(w),
    call: async ({ b }, ids) => portalPost(`/portal/${b.office.slug}/report`, { name: 'Hijacker', email: 'x@example.test', description: 'x', consent: 'yes', clientToken: uniq('tok'), formToken: ids.formToken! }),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/inbox?status=all')).json().items).toEqual([]),
  },
  {
    route: 'POST /portal/:office/track', name: "looks up A's request through B's portal", status: 400, contentType: /^text\/html/,
    prepare: async (w) => portalRequestOf(w),
    call: async ({ b }, ids) => portalPost(`/portal/${b.office.slug}/track`, { reference: ids.reference!, contact: ids.email!, formToken: ids.formTokenB! }),
  },
  ...(['GET /portal/:office/confirmation/:token', 'GET /portal/:office/track/:token', 'POST /portal/:office/track/:token/comments'].map((route): IdCase => ({
    route, name: "opens A's tracking link under B's address", status: 404, contentType: /^text\/html/,
    prepare: async (w) => portalRequestOf(w),
    call: ({ b }, ids) => {
      const url = route.split(' ')[1]!.replace(':office', b.office.slug).replace(':token', ids.token!);
      return route.startsWith('GET') ? ctx.app.inject({ method: 'GET', url }) : portalPost(url, { text: 'Hijacked', clientToken: uniq('c'), formToken: ids.formTokenB! });
    },
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/inbox?status=all')).json().items).toEqual([]),
  }))),
  {
    route: 'GET /portal/:office/track/:token/photos/:photoId', name: "opens a photo of A's request under B's address", status: 404, contentType: /^text\/html/,
    prepare: async (w) => portalPhotoOf(w),
    call: ({ b }, ids) => ctx.app.inject({ method: 'GET', url: `/portal/${b.office.slug}/track/${ids.token}/photos/${ids.photo}` }),
    unchanged: async ({ a }, ids) => expect((await ctx.app.inject({ method: 'GET', url: `/portal/${a.office.slug}/track/${ids.token}/photos/${ids.photo}` })).statusCode).toBe(200),
  },
  {
    route: 'GET /portal/:office/reports/:reference', name: "opens A's public report under B's address", status: 404, contentType: /^text\/html/,
    prepare: async (w) => publicReportOf(w),
    call: ({ b }, ids) => ctx.app.inject({ method: 'GET', url: `/portal/${b.office.slug}/reports/${ids.reference}` }),
    unchanged: async ({ a }, ids) => expect((await ctx.app.inject({ method: 'GET', url: `/portal/${a.office.slug}/reports/${ids.reference}` })).statusCode).toBe(200),
  },
  {
    route: 'POST /portal/:office/reports/:reference/follow', name: "follows A's public report under B's address", status: 404, contentType: /^text\/html/,
    prepare: async (w) => publicReportOf(w),
    call: async ({ b }, ids) => portalPost(`/portal/${b.office.slug}/reports/${ids.reference}/follow`, { email: 'x@example.test', consent: 'yes', formToken: await issueFormToken(ctx.database.db, b.office.id, Date.now() - 60_000) }),
    unchanged: async ({ a, b }) => expect(await ctx.database.db.selectFrom('alert_subscriptions').select('id').where('office_id', 'in', [a.office.id, b.office.id]).execute()).toEqual([]),
  },
  // Open data takes only the office's slug: each office's own figures (portal.open-data.test.ts keeps another office's cases out).
  ...(['GET /portal/:office/open-data', 'GET /portal/:office/open-data/reports.csv', 'GET /portal/:office/open-data/reports.geojson', 'GET /portal/:office/open-data/summary.csv'].map((route): IdCase => ({
    route, name: 'opens the open data of an unknown office', status: 404, contentType: /^text\/html/,
    call: () => ctx.app.inject({ method: 'GET', url: route.split(' ')[1]!.replace(':office', uniq('none')) }),
  }))),
  {
    route: 'GET /portal/:office/wards.geojson', name: 'opens the wards of an unknown office', status: 404, contentType: /^text\/html/,
    call: () => ctx.app.inject({ method: 'GET', url: `/portal/${uniq('none')}/wards.geojson` }),
  },
  // Resident accounts: every page takes the office's slug; a sign-in link (and the session it
  // makes, portal.account.test.ts) is looked up within its office only.
  ...([
    'GET /portal/:office/account', 'POST /portal/:office/account/sign-in', 'GET /portal/:office/account/check-email', 'POST /portal/:office/account/sign-out',
    'GET /portal/:office/account/requests/:reference', 'GET /portal/:office/account/preferences', 'POST /portal/:office/account/preferences', 'GET /portal/:office/account/data',
  ].map((route): IdCase => ({
    route, name: 'opens the account pages of an unknown office', status: 404, contentType: /^text\/html/,
    call: () => {
      const url = route.split(' ')[1]!.replace(':office', uniq('none')).replace(':reference', 'C-2026-00001');
      return route.startsWith('GET') ? ctx.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } }) : portalPost(url, { email: 'x@example.test', formToken: 'x' });
    },
  }))),
  ...(['GET /portal/:office/account/sign-in/:token', 'POST /portal/:office/account/sign-in/:token'].map((route): IdCase => ({
    route, name: "opens A's sign-in link under B's address", status: 404, contentType: /^text\/html/,
    prepare: async (w) => portalAccountOf(w),
    call: ({ b }, ids) => {
      const url = `/portal/${b.office.slug}/account/sign-in/${ids.link}`;
      return route.startsWith('GET') ? ctx.app.inject({ method: 'GET', url }) : portalPost(url, { formToken: ids.formTokenB! });
    },
    unchanged: async ({ a }, ids) => expect((await ctx.app.inject({ method: 'GET', url: `/portal/${a.office.slug}/account/sign-in/${ids.link}` })).statusCode).toBe(200),
  }))),
  // Area alerts: the pages take the office's slug; a link names a subscription of its office only.
  ...(['GET /portal/:office/alerts', 'POST /portal/:office/alerts', 'GET /portal/:office/alerts/sent', 'GET /portal/:office/alerts/unsubscribed'].map((route): IdCase => ({
    route, name: 'opens the alert pages of an unknown office', status: 404, contentType: /^text\/html/,
    call: () => {
      const url = route.split(' ')[1]!.replace(':office', uniq('none'));
      return route.startsWith('GET') ? ctx.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } }) : portalPost(url, { email: 'x@example.test', formToken: 'x' });
    },
  }))),
  ...([
    ['GET /portal/:office/alerts/confirm/:token', 'confirm'], ['POST /portal/:office/alerts/confirm/:token', 'confirm'], ['GET /portal/:office/alerts/manage/:token', 'manage'],
    ['GET /portal/:office/alerts/reports/:token', 'manage'], ['GET /portal/:office/alerts/unsubscribe/:token', 'unsubscribe'], ['POST /portal/:office/alerts/unsubscribe/:token', 'unsubscribe'],
  ].map(([route, kind]): IdCase => ({
    route: route!, name: "uses A's alert link under B's address", status: 404, contentType: /^text\/html/,
    prepare: async (w) => alertLinksOf(w),
    call: ({ b }, ids) => {
      const url = route!.split(' ')[1]!.replace(':office', b.office.slug).replace(':token', ids[kind!]!);
      return route!.startsWith('GET') ? ctx.app.inject({ method: 'GET', url }) : ctx.app.inject({ method: 'POST', url, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    },
    unchanged: async ({ a }, ids) => expect((await alertsRepo.byId(ctx.database.db, a.office.id, ids.alertId!))?.status).toBe('active'),
  }))),
  ...(['GET /release/:token', 'POST /release/:token'].map((route): IdCase => ({
    route, name: 'signs a release with a made-up token', status: 404, contentType: /^text\/html/,
    call: () => ctx.app.inject({ method: route.startsWith('GET') ? 'GET' : 'POST', url: `/release/${'x'.repeat(43)}`, ...(route.startsWith('POST') ? { payload: { typedName: 'x' } } : {}) }),
  }))),
  // A's real link under B's address is refused too (portal.release.test.ts).
  ...(['GET /portal/:office/release/:token', 'POST /portal/:office/release/:token'].map((route): IdCase => ({
    route, name: "signs a release in B's portal with a made-up token", status: 404, contentType: /^text\/html/,
    call: ({ b }) => ctx.app.inject({
      method: route.startsWith('GET') ? 'GET' : 'POST', url: `/portal/${b.office.slug}/release/${'x'.repeat(43)}`, headers: { accept: 'text/html' },
      ...(route.startsWith('POST') ? { payload: 'typedName=x', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' } } : {}),
    }),
  }))),
  // Open311: B's published services and API keys through the admin API ...
  {
    route: 'PUT /api/v1/open311/services/:id', name: "publishes B's category as an Open311 service", status: 404,
    call: ({ a, b }) => a.api('PUT', `/api/v1/open311/services/${b.categoryId}`, { serviceCode: 'HIJACK' }),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/open311/services')).json().items).toEqual([]),
  },
  {
    route: 'DELETE /api/v1/open311/services/:id', name: "withdraws B's Open311 service", status: 404,
    prepare: async ({ b }) => open311Of(b),
    call: ({ a, b }) => a.api('DELETE', `/api/v1/open311/services/${b.categoryId}`),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/open311/services')).json().items.map((s: { serviceCode: string }) => s.serviceCode)).toEqual(['TENANT']),
  },
  {
    route: 'POST /api/v1/open311/keys/:id/revoke', name: "revokes B's Open311 API key", status: 404,
    prepare: async ({ b }) => open311Of(b),
    call: ({ a }, ids) => a.api('POST', `/api/v1/open311/keys/${ids.keyId}/revoke`),
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/open311/keys')).json().items.map((k: { revokedAt: string | null }) => k.revokedAt)).toEqual([null]),
  },
  // ... and B's services, requests and tokens asked for in A's jurisdiction (Open311's own error format).
  ...([
    ['GET /open311/v2/services/:file', "reads B's service definition", () => 'services/TENANT.json'],
    ['GET /open311/v2/requests/:file', "reads B's request", (ids: Ids) => `requests/${ids.reference}.json`],
    ['GET /open311/v2/tokens/:file', "resolves B's token", (ids: Ids) => `tokens/${ids.token}.json`],
  ] as const).map(([route, name, path]): IdCase => ({
    route, name, status: 404, contentType: /^application\/json/,
    prepare: async ({ b }) => open311Of(b),
    call: ({ a }, ids) => ctx.app.inject({ method: 'GET', url: `/open311/v2/${path(ids)}?jurisdiction_id=${a.office.slug}` }),
  })),
  // SMS webhooks: a request signed with A's auth token is refused at B's URL, storing nothing.
  ...([
    ['POST /webhooks/sms/twilio/:office', "texts B's office signed with A's auth token", '', { MessageSid: `SM${'1'.repeat(32)}`, From: '+14155550100', Body: 'Hijack' }],
    ['POST /webhooks/sms/twilio/:office/status', "reports delivery to B's office signed with A's auth token", '/status', { MessageSid: `SM${'2'.repeat(32)}`, MessageStatus: 'failed' }],
  ] as const).map(([route, name, suffix, fields]): IdCase => ({
    route, name, status: 403,
    prepare: async ({ a, b }) => ({ tokenA: await smsOf(a), tokenB: await smsOf(b) }),
    call: ({ b }, ids) => {
      const path = `/webhooks/sms/twilio/${b.office.id}${suffix}`;
      const params = Object.entries(fields);
      return ctx.app.inject({
        method: 'POST', url: path, payload: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(ids.tokenA!, `${ctx.config.publicUrl}${path}`, params) },
      });
    },
    unchanged: async ({ b }) => expect((await b.api('GET', '/api/v1/inbox?status=all')).json().items).toEqual([]),
  })),
  // Insights: B's emerging-issue alerts (planted as a row: raising one takes weeks of cases)
  ...([
    ['GET /api/v1/insights/alerts/:id', "reads B's emerging-issue alert", (a: Side, id: string) => a.api('GET', `/api/v1/insights/alerts/${id}`)],
    ['POST /api/v1/insights/alerts/:id/acknowledge', "acknowledges B's alert", (a: Side, id: string) => a.api('POST', `/api/v1/insights/alerts/${id}/acknowledge`, { note: 'Hijacked' })],
    ['POST /api/v1/insights/alerts/:id/reopen', "reopens B's alert", (a: Side, id: string) => a.api('POST', `/api/v1/insights/alerts/${id}/reopen`)],
  ] as const).map(([route, name, call]): IdCase => ({
    route, name, status: 404,
    prepare: async ({ b }) => ({ r: await alertOf(b) }),
    call: ({ a }, ids) => call(a, ids.r!),
    unchanged: async ({ b }, ids) => expect((await b.api('GET', `/api/v1/insights/alerts/${ids.r}`)).json()).toMatchObject({ status: 'open', note: null, observed: 6 }),
  })),
];

/** An open emerging-issue alert of the side's office. */
async function alertOf(s: Side): Promise<string> {
  const row = await ctx.database.db.insertInto('insight_alerts').values({
    office_id: s.office.id, category_id: s.categoryId, category_name: 'Tenant category', ward_id: randomUUID(), ward_name: 'Tenant ward',
    window_from: '2026-11-24', window_to: '2026-11-25', observed: 6, expected: 0.1, p_value: 1e-8, case_ids: [s.caseId],
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** SMS set up for the side's office; returns its auth token. */
async function smsOf(s: Side): Promise<string> {
  const authToken = randomBytes(16).toString('hex');
  const res = await s.api('PUT', '/api/v1/sms/settings', { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken, fromNumber: '+15005550006', helpText: 'Tenant help' });
  expect(res.statusCode).toBe(200);
  return authToken;
}

/** B's category published as Open311 service TENANT, an API key, and one report posted with it. */
async function open311Of(s: Side): Promise<Ids> {
  expect((await s.api('PUT', `/api/v1/open311/services/${s.categoryId}`, { serviceCode: 'TENANT' })).statusCode).toBe(200);
  const key = (await s.api('POST', '/api/v1/open311/keys', { name: 'Tenant key' })).json() as { key: { id: string }; secret: string };
  const form = new URLSearchParams({ jurisdiction_id: s.office.slug, api_key: key.secret, service_code: 'TENANT', address_string: '1 Tenant Road' }).toString();
  const res = await ctx.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(res.statusCode).toBe(201);
  const token = (await s.api('GET', '/api/v1/inbox?status=all&channel=open311')).json().items[0].id as string;
  return { keyId: key.key.id, reference: res.json()[0].service_request_id, token };
}

/** An IMAP mailbox of the side's office (disabled, so no poll ever connects). */
async function mailboxOf(s: Side): Promise<string> {
  const res = await s.api('POST', '/api/v1/intake/mailboxes', { address: `${uniq('box')}@tenancy.example`.toLowerCase(), host: 'imap.tenancy.example', username: 'tenant', password: 'tenant-secret', enabled: false });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

/** An intake address of the side's office. */
async function intakeAddressOf(s: Side): Promise<string> {
  const address = `${uniq('help')}@tenancy.example`.toLowerCase();
  expect((await s.api('POST', '/api/v1/intake/addresses', { address })).statusCode).toBe(201);
  return address;
}

/** An email from the side's constituent (the caseworker's address), stored and processed; extra header lines optional. */
async function inboxItemOf(s: Side, header = ''): Promise<string> {
  const raw = [`From: ${s.user.email}`, `To: ${await intakeAddressOf(s)}`, 'Subject: Tenant mail', `Message-ID: <${uniq('t')}@tenancy.example>`, ...(header ? [header] : []), '', 'Hello'].join('\r\n');
  const res = await s.api('POST', '/api/v1/intake/email', raw as never, { 'content-type': 'message/rfc822' });
  expect(res.statusCode).toBe(202);
  const id = res.json().id as string;
  await processItem(ctx.database.db, s.office.id, id);
  return id;
}

/** An agency of the side's office (federal), made through the API. */
async function agencyOf(s: Side): Promise<string> {
  const res = await s.api('POST', '/api/v1/agencies', { name: 'Tenant agency', kind: 'federal' });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

/** The side's case still has its one draft referral and its one pending release request. */
async function referralsUnchanged({ b }: World): Promise<void> {
  const res = (await b.api('GET', `/api/v1/cases/${b.caseId}/referrals`)).json();
  expect(res.referrals.map((r: { summary: string; status: string; followUps: unknown[] }) => [r.summary, r.status, r.followUps])).toEqual([['Tenant referral', 'draft', []]]);
  expect(res.releases.map((r: { status: string; method: string }) => [r.method, r.status])).toEqual([['electronic', 'pending']]);
}

/** A saved case view of the side's admin, shared with the side's team. */
async function caseViewOf(s: Side): Promise<string> {
  expect((await s.api('PUT', `/api/v1/teams/${s.teamId}/members`, { members: [{ userId: s.user.id, isManager: true }, { userId: s.admin.id }] })).statusCode).toBe(200);
  const res = await s.api('POST', '/api/v1/case-views', { name: 'Tenant view', teamId: s.teamId, filters: { team: s.teamId } });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

/** An SLA policy (office default, priority high) of the side's office, made through the API. */
async function slaPolicyOf(s: Side): Promise<string> {
  const res = await s.api('POST', '/api/v1/sla/policies', { priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 600 });
  expect(res.statusCode).toBe(201);
  return res.json().policy.id as string;
}

/** The side's case as side() made it. */
async function caseUnchanged(s: Side): Promise<void> {
  const res = await s.api('GET', `/api/v1/cases/${s.caseId}`);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({
    subject: 'Tenant case', priority: 'normal', status: { key: 'new' }, assignee: { id: s.user.id }, team: { id: s.teamId },
    category: { id: s.categoryId }, constituents: [{ id: s.constituentId, role: 'requester' }], watchers: [],
  });
}

async function categoryUnchanged(s: Side): Promise<void> {
  const items = (await s.api('GET', '/api/v1/case-categories?includeRetired=true')).json().items as { id: string; name: string; retired: boolean }[];
  expect(items.find((c) => c.id === s.categoryId)).toMatchObject({ name: expect.stringMatching(/^Streets/), retired: false });
  await caseUnchanged(s);
}

/** An attachment, a task and a note on the side's case, through the API. */
async function caseWorkOf(s: Side): Promise<Ids> {
  const f = await s.api('POST', `/api/v1/cases/${s.caseId}/attachments?filename=tenant.txt`, 'Tenant file', { 'content-type': 'text/plain' });
  const t = await s.api('POST', `/api/v1/cases/${s.caseId}/tasks`, { title: 'Tenant task' });
  const n = await s.api('POST', `/api/v1/cases/${s.caseId}/notes`, { body: 'Tenant note' });
  expect([f.statusCode, t.statusCode, n.statusCode]).toEqual([201, 201, 201]);
  return { f: f.json().id, t: t.json().id, n: n.json().id };
}

async function caseWorkUnchanged(s: Side, ids: Ids): Promise<void> {
  const [f, t, n] = await Promise.all(['attachments', 'tasks', 'notes'].map(async (k) => (await s.api('GET', `/api/v1/cases/${s.caseId}/${k}`)).json().items));
  expect(f.map((x: { id: string; fileName: string }) => [x.id, x.fileName])).toEqual(ids.f ? [[ids.f, 'tenant.txt']] : []);
  expect(t.map((x: { id: string; title: string; status: string }) => [x.id, x.title, x.status])).toEqual(ids.t ? [[ids.t, 'Tenant task', 'open']] : []);
  expect(n.map((x: { id: string; body: string; isPublic: boolean }) => [x.id, x.body, x.isPublic])).toEqual(ids.n ? [[ids.n, 'Tenant note', false]] : []);
}

/** An import of the side's office with its file uploaded, through the API. */
async function importOf(s: Side): Promise<string> {
  const id = (await s.api('POST', '/api/v1/imports', { fileName: 'tenancy.csv' })).json().id as string;
  expect((await s.api('PUT', `/api/v1/imports/${id}/file`, 'Name\nTenant\n', { 'content-type': 'text/csv' })).statusCode).toBe(200);
  return id;
}

async function importUnchanged({ b }: World, ids: Ids): Promise<void> {
  expect((await b.api('GET', `/api/v1/imports/${ids.i}`)).json()).toMatchObject({ status: 'uploading', headers: ['Name'], totalBytes: 12, mapping: null });
}

const portalPost = (url: string, fields: Record<string, string>) =>
  ctx.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });

/** Both portals live, and a request A's resident sent through A's portal: its tracking token, reference and email; form tokens of each office. */
async function portalRequestOf({ a, b }: World): Promise<Ids> {
  for (const s of [a, b]) await s.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null });
  const formTokenOf = async (s: Side) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/public/${s.office.slug}/categories` })).json().formToken as string;
  const email = `${uniq('resident')}@example.test`;
  const res = await portalPost(`/portal/${a.office.slug}/report`, { name: 'Resident', email, description: 'A pothole', consent: 'yes', clientToken: uniq('tok'), formToken: await formTokenOf(a) });
  const token = /\/confirmation\/([\w-]+)/.exec(String(res.headers.location))![1]!;
  const reference = /C-\d{4}-\d+/.exec((await ctx.app.inject({ method: 'GET', url: String(res.headers.location) })).body)![0];
  return { token, reference, email, formToken: await formTokenOf(a), formTokenB: await formTokenOf(b) };
}

/** A public report of A's (a placed case in a category of its own), with both portals on. */
async function publicReportOf({ a, b }: World): Promise<Ids> {
  for (const s of [a, b]) await s.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null });
  const category = (await a.api('POST', '/api/v1/case-categories', { name: uniq('Potholes') })).json() as { id: string };
  const c = (await a.api('POST', '/api/v1/cases', { subject: 'Pothole', channel: 'web', categoryId: category.id, location: { lat: 0.5, lng: 0.5 } })).json() as { reference: string };
  return { reference: c.reference };
}

/** A's request, and a sign-in link to A's portal that its resident asked for (read from the outbox: no job sends it here). */
async function portalAccountOf(w: World): Promise<Ids> {
  const ids = await portalRequestOf(w);
  expect((await portalPost(`/portal/${w.a.office.slug}/account/sign-in`, { email: ids.email!, formToken: ids.formToken! })).statusCode).toBe(303);
  const mail = await ctx.database.db.selectFrom('outbound_messages').select('body_text').where('office_id', '=', w.a.office.id).where('kind', '=', 'portal_sign_in').executeTakeFirstOrThrow();
  return { ...ids, link: /\/account\/sign-in\/([\w-]{43})/.exec(mail.body_text)![1]! };
}

/** A confirmed area alert of A's (made through its repo, as a factory) and a link of each kind to it. */
async function alertLinksOf({ a }: World): Promise<Ids> {
  const { db } = ctx.database;
  const s = await alertsRepo.insertPending(db, a.office.id, { email: `${uniq('alerts')}@example.test`, language: 'en', area: { lat: 0.5, lng: 0.5, radiusM: 500, place: '1 Test Street' }, categoryId: null, frequency: 'immediate', consent: 'test' });
  await alertsRepo.activate(db, a.office.id, s.id, { now: new Date(), nextDigestAt: null });
  return { alertId: s.id, confirm: await alertToken(db, a.office.id, 'confirm', s.id), manage: await alertToken(db, a.office.id, 'manage', s.id), unsubscribe: await alertToken(db, a.office.id, 'unsubscribe', s.id) };
}

/** A's request with a photo its resident added in a comment (multipart, as a browser sends it): the tracking token and the photo's id. */
async function portalPhotoOf(w: World): Promise<Ids> {
  const ids = await portalRequestOf(w);
  const form = new FormData();
  for (const [k, v] of Object.entries({ text: 'A photo', clientToken: uniq('c'), formToken: ids.formToken! })) form.append(k, v);
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888888' } }).jpeg().toBuffer();
  form.append('photos', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'hole.jpg');
  const request = new Request('http://portal.test/', { method: 'POST', body: form });
  const track = `/portal/${w.a.office.slug}/track/${ids.token}`;
  const sent = await ctx.app.inject({ method: 'POST', url: `${track}/comments`, payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')!, accept: 'text/html' } });
  expect(sent.statusCode, sent.body).toBe(303);
  const photo = new RegExp(`${track}/photos/([0-9a-f-]{36})`).exec((await ctx.app.inject({ method: 'GET', url: track })).body)![1]!;
  return { ...ids, photo };
}

describe('routes that take an id', () => {
  it('has a tenancy case for every registered route with a path parameter', () => {
    const registered = ctx.app.civitas.routes.map((r) => `${r.method} ${r.url}`);
    const covered = new Set(ID_CASES.map((c) => c.route));
    expect(registered.filter((r) => r.includes('/:') && !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !registered.includes(r))).toEqual([]);
  });

  it.each(ID_CASES)("refuses when A's admin $name ($route)", async (c) => {
    const w = await world();
    const ids = (await c.prepare?.(w)) ?? {};
    const latestEvent = async (s: Side) => ((await s.api('GET', '/api/v1/audit?limit=1')).json().items[0]?.id as number | undefined) ?? 0;
    const before = [await latestEvent(w.a), await latestEvent(w.b)];
    const res = await c.call(w, ids);
    expect(res.statusCode).toBe(c.status);
    expect(res.headers['content-type']).toMatch(c.contentType ?? /^application\/problem\+json/);
    if (c.field) expect(res.json().field).toBe(c.field);
    // The refused call left no audit event in either office ...
    expect([await latestEvent(w.a), await latestEvent(w.b)]).toEqual(before);
    // ... and B's rows are as they were.
    await c.unchanged?.(w, ids);
  });
});

type ListCase = { url: (s: Side) => string; ids: (body: never) => (string | null)[]; prepare?: (s: Side) => Promise<void> };

const LISTS: Record<string, ListCase> = {
  users: { url: () => '/api/v1/users?limit=200', ids: (b: { items: { id: string; teamIds: string[] }[] }) => b.items.flatMap((u) => [u.id, ...u.teamIds]) },
  'users search': { url: (s) => `/api/v1/users?q=${encodeURIComponent(s.user.email)}`, ids: (b: { items: { id: string }[] }) => b.items.map((u) => u.id) },
  teams: { url: () => '/api/v1/teams', ids: (b: { items: { id: string; members: { userId: string }[] }[] }) => b.items.flatMap((t) => [t.id, ...t.members.map((m) => m.userId)]) },
  tokens: { url: () => '/api/v1/tokens?includeRevoked=true', ids: (b: { items: { id: string; userId: string }[] }) => b.items.flatMap((t) => [t.id, t.userId]) },
  audit: { url: () => '/api/v1/audit?limit=200', ids: (b: { items: { entityId: string; actorId: string | null }[] }) => b.items.flatMap((e) => [e.entityId, e.actorId]) },
  'audit by entity': { url: (s) => `/api/v1/audit?entityId=${s.user.id}`, ids: (b: { items: { entityId: string }[] }) => b.items.map((e) => e.entityId) },
  'audit by actor': { url: (s) => `/api/v1/audit?actorId=${s.admin.id}`, ids: (b: { items: { actorId: string | null }[] }) => b.items.map((e) => e.actorId) },
  'failed jobs': { url: () => '/api/v1/jobs/failed?limit=200', ids: (b: { items: { id: string }[] }) => b.items.map((j) => j.id) },
  constituents: { url: () => '/api/v1/constituents?limit=200', ids: (b: { items: { id: string }[] }) => b.items.map((c) => c.id) },
  'constituents search': { url: (s) => `/api/v1/constituents?q=${encodeURIComponent(s.user.email)}`, ids: (b: { items: { id: string }[] }) => b.items.map((c) => c.id) },
  cases: {
    url: () => '/api/v1/cases?limit=200',
    ids: (b: { items: { id: string; assignee: { id: string } | null; team: { id: string } | null; requester: { id: string } | null; category: { id: string } | null }[] }) =>
      b.items.flatMap((c) => [c.id, c.assignee?.id ?? null, c.team?.id ?? null, c.requester?.id ?? null, c.category?.id ?? null]),
  },
  'cases filtered by B\'s ids': {
    url: (s) => `/api/v1/cases?assignee=${s.user.id}&team=${s.teamId}`,
    ids: (b: { items: { id: string }[] }) => b.items.map((c) => c.id),
  },
  'case views': {
    url: () => '/api/v1/case-views',
    prepare: async (s: Side) => { await caseViewOf(s); },
    ids: (b: { items: { id: string; owner: { id: string }; team: { id: string } | null }[] }) => b.items.flatMap((v) => [v.owner.id, v.team?.id ?? null]),
  },
  'case categories': { url: () => '/api/v1/case-categories?includeRetired=true', ids: (b: { items: { id: string }[] }) => b.items.map((c) => c.id) },
  'reply templates': {
    url: () => '/api/v1/reply-templates?includeRetired=true',
    prepare: async (s: Side) => { expect((await s.api('POST', '/api/v1/reply-templates', { name: 'Tenant template', subject: 'Hi', body: 'Hello', categoryId: s.categoryId })).statusCode).toBe(201); },
    ids: (b: { items: { categoryId: string | null }[] }) => b.items.map((t) => t.categoryId),
  },
  assignment: {
    url: () => '/api/v1/assignment',
    prepare: async (s: Side) => { expect((await s.api('POST', '/api/v1/assignment/rules', { name: 'Tenant rule', categoryId: s.categoryId, teamId: s.teamId })).statusCode).toBe(201); },
    ids: (b: { rules: { id: string; team: { id: string }; category: { id: string } | null }[]; teams: { team: { id: string } }[] }) =>
      [...b.rules.flatMap((r) => [r.id, r.team.id, r.category?.id ?? null]), ...b.teams.map((t) => t.team.id)],
  },
  inbox: {
    url: () => '/api/v1/inbox?status=all',
    prepare: async (s: Side) => { await inboxItemOf(s); },
    ids: (b: { items: { id: string; constituent: { id: string } | null; case: { id: string } | null; suggestedCase: { id: string } | null }[] }) =>
      b.items.flatMap((i) => [i.id, i.constituent?.id ?? null, i.case?.id ?? null, i.suggestedCase?.id ?? null]),
  },
  'insights workload': {
    url: () => '/api/v1/insights/workload',
    ids: (b: { people: { key: string | null }[]; teams: { key: string | null }[] }) => [...b.people, ...b.teams].map((r) => r.key),
  },
  'insights performance by category': {
    url: () => '/api/v1/insights/performance?by=category',
    ids: (b: { rows: { key: string | null }[] }) => b.rows.map((r) => r.key),
  },
  'insights backlog by assignee': {
    url: () => '/api/v1/insights/backlog?by=assignee',
    ids: (b: { rows: { key: string | null }[] }) => b.rows.map((r) => r.key),
  },
  'related cases of B\'s person': {
    url: (s) => `/api/v1/cases/related?categoryId=${s.categoryId}&lat=0.5&lng=0.5&constituentId=${s.constituentId}`,
    ids: (b: { nearby: { id: string }[]; samePeople: { id: string }[] }) => [...b.nearby, ...b.samePeople].map((c) => c.id),
  },
};

const idsOf = (s: Side) => [s.office.id, s.admin.id, s.user.id, s.teamId, s.tokenId, s.jobId, s.constituentId, s.categoryId, s.caseId];

describe('lists', () => {
  it.each(Object.keys(LISTS))("never show B's rows to A: %s", async (name) => {
    const { a, b } = await world();
    const list = LISTS[name]!;
    await list.prepare?.(a);
    await list.prepare?.(b);
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

describe('casework across offices', () => {
  it("refuses each of B's cases in a bulk action of A's admin, changing nothing in B", async () => {
    const { a, b } = await world();
    for (const body of [{ action: 'status', status: 'open' }, { action: 'addTag', tag: 'hijacked' }, { action: 'assign', assigneeId: null, teamId: null }]) {
      const res = await a.api('POST', '/api/v1/cases/bulk', { ...body, ids: [b.caseId, a.caseId] });
      expect(res.statusCode).toBe(200);
      expect(res.json().results[0]).toMatchObject({ id: b.caseId, ok: false, code: 'not_found' });
      expect(res.json().results[1]).toMatchObject({ id: a.caseId, ok: true });
    }
    await caseUnchanged(b);
    expect((await b.api('GET', `/api/v1/cases/${b.caseId}`)).json().tags).toEqual([]);
  });

  it("never exports B's cases to A, whatever the filters", async () => {
    const { a, b } = await world();
    for (const query of ['', `?assignee=${b.user.id}`, `?team=${b.teamId}`, `?q=${encodeURIComponent('Tenant case')}`]) {
      const res = await a.api('GET', `/api/v1/cases/export.csv${query}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(b.caseId);
    }
    expect((await a.api('GET', '/api/v1/cases/export.csv')).body).toContain(a.caseId);
    expect((await b.api('GET', '/api/v1/cases/export.csv')).body).toContain(b.caseId);
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
