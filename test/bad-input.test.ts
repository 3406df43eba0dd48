// Bad input always gets a 4xx application/problem+json with a reason (and the field when
// there is one), never a 500, and a refused write leaves nothing behind.
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../server/platform/auth/secrets.js';
import { encodeCursor } from '../server/platform/http/pagination.js';
import { asSession, createOffice, createTestApp, createUser, signIn, uniq, type Session, type TestContext } from './harness.js';

let ctx: TestContext;
let small: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
  small = await createTestApp({ BODY_LIMIT_BYTES: '1024' });
});
afterAll(async () => {
  await ctx.close();
  await small.close();
});

function expectProblem(res: LightMyRequestResponse, status: number, code: string, field?: string) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect({ status: res.statusCode, code: body.code }).toEqual({ status, code });
  expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
  if (field !== undefined) expect(body.field).toBe(field);
  return body as { detail: string; field?: string };
}

/** Rows and last changes of one office: equal before and after means nothing was written. */
async function snapshot(c: TestContext, officeId: string) {
  const { rows } = await sql`SELECT
      (SELECT count(*) FROM users WHERE office_id = ${officeId})::int AS users,
      (SELECT max(updated_at) FROM users WHERE office_id = ${officeId}) AS users_changed,
      (SELECT count(*) FROM teams WHERE office_id = ${officeId})::int AS teams,
      (SELECT max(updated_at) FROM teams WHERE office_id = ${officeId}) AS teams_changed,
      (SELECT count(*) FROM team_members WHERE office_id = ${officeId})::int AS members,
      (SELECT count(*) FROM api_tokens WHERE office_id = ${officeId} AND revoked_at IS NULL)::int AS tokens,
      (SELECT count(*) FROM events WHERE office_id = ${officeId})::int AS events,
      (SELECT updated_at FROM offices WHERE id = ${officeId}) AS office_changed`.execute(c.database.db);
  return rows[0];
}

async function setup(c: TestContext = ctx) {
  const office = await createOffice(c);
  const admin = await createUser(c, office, 'admin');
  const other = await createUser(c, office, 'caseworker');
  const session = await signIn(c, admin);
  const api = asSession(c, session);
  const team = (await api('POST', '/api/v1/teams', { name: uniq('team') })).json() as { id: string };
  const before = await snapshot(c, office.id);
  return { office, admin, other, session, api, team, unchanged: async () => expect(await snapshot(c, office.id)).toEqual(before) };
}

const raw = (c: TestContext, s: Session, method: 'POST' | 'PATCH' | 'PUT', url: string, body: string, contentType = 'application/json') =>
  c.app.inject({ method, url, payload: body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': contentType } });

describe('request bodies', () => {
  it('answers invalid_json to malformed or empty JSON and writes nothing', async () => {
    const t = await setup();
    for (const [method, url] of [['POST', '/api/v1/teams'], ['PATCH', '/api/v1/office'], ['POST', '/api/v1/users'], ['PATCH', `/api/v1/users/${t.other.id}`], ['PUT', `/api/v1/teams/${t.team.id}/members`]] as const) {
      for (const body of ['{"name":', '{name: "x"}', '']) expectProblem(await raw(ctx, t.session, method, url, body), 400, 'invalid_json');
    }
    await t.unchanged();
  });

  it('answers validation_failed naming the field when a value has the wrong type or format', async () => {
    const t = await setup();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/teams', { name: 42 }, 'name'],
      ['POST', '/api/v1/teams', { name: '   ' }, 'name'],
      ['POST', '/api/v1/users', { email: 'not-an-email', displayName: 'X', role: 'admin' }, 'email'],
      ['POST', '/api/v1/users', { email: `${uniq('u')}@example.test`, displayName: 'X', role: 'emperor' }, 'role'],
      ['POST', '/api/v1/users', { email: `${uniq('u')}@example.test`, displayName: 'X', role: 'admin', password: 'short' }, 'password'],
      ['PATCH', `/api/v1/users/${t.other.id}`, { status: true }, 'status'],
      ['POST', '/api/v1/tokens', { name: 'x', scopes: ['root'] }, 'scopes.0'],
      ['POST', '/api/v1/tokens', { name: 'x', scopes: ['office.read'], expiresInDays: 0 }, 'expiresInDays'],
      ['PUT', `/api/v1/teams/${t.team.id}/members`, { members: [{ userId: 'someone' }] }, 'members.0.userId'],
      ['PATCH', '/api/v1/office', { defaultRegion: 'gbr' }, 'defaultRegion'],
    ];
    for (const [method, url, body, field] of cases) {
      expectProblem(await t.api(method as 'POST', url, body), 400, 'validation_failed', field);
    }
    await t.unchanged();
  });

  it('answers validation_failed naming the field for bad query parameters', async () => {
    const t = await setup();
    for (const [url, field] of [['/api/v1/users?limit=0', 'limit'], ['/api/v1/users?limit=abc', 'limit'], ['/api/v1/users?role=emperor', 'role'], ['/api/v1/audit?from=yesterday', 'from'], ['/api/v1/audit?actorId=me', 'actorId'], ['/api/v1/tokens?includeRevoked=maybe', 'includeRevoked'], ['/api/v1/jobs/failed?limit=201', 'limit']]) {
      expectProblem(await t.api('GET', url!), 400, 'validation_failed', field);
    }
  });

  it('refuses unknown fields, naming them, and writes nothing', async () => {
    const t = await setup();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/teams', { name: uniq('team'), colour: 'red' }, 'colour'],
      ['PATCH', '/api/v1/office', { nmae: 'Typo' }, 'nmae'],
      ['POST', '/api/v1/users', { email: `${uniq('u')}@example.test`, displayName: 'X', role: 'caseworker', isAdmin: true }, 'isAdmin'],
      ['PATCH', `/api/v1/users/${t.other.id}`, { password: 'a-password-set-sideways' }, 'password'],
      ['PUT', `/api/v1/teams/${t.team.id}/members`, { members: [{ userId: t.other.id, role: 'boss' }] }, 'members.0.role'],
      ['POST', '/api/v1/tokens', { name: 'x', scopes: ['office.read'], secret: 'cvt_chosen' }, 'secret'],
    ];
    for (const [method, url, body, field] of cases) {
      const problem = expectProblem(await t.api(method as 'POST', url, body), 400, 'validation_failed', field);
      expect(problem.detail).toContain(field.split('.').pop());
    }
    await t.unchanged();
  });

  it('answers 413 payload_too_large to a body over the limit and writes nothing', async () => {
    const t = await setup(small);
    const big = 'x'.repeat(1500);
    expectProblem(await t.api('POST', '/api/v1/teams', { name: uniq('team'), description: big }), 413, 'payload_too_large');
    expectProblem(await t.api('PATCH', '/api/v1/office', { name: big }), 413, 'payload_too_large');
    expectProblem(await t.api('POST', '/api/v1/users', { email: `${uniq('u')}@example.test`, displayName: big, role: 'caseworker' }), 413, 'payload_too_large');
    await t.unchanged();
    // Just under the limit is fine.
    expect((await t.api('POST', '/api/v1/teams', { name: uniq('team'), description: 'x'.repeat(800) })).statusCode).toBe(201);
  });

  it('answers 415 to bodies that are not JSON and writes nothing', async () => {
    const t = await setup();
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      expectProblem(await raw(ctx, t.session, 'POST', '/api/v1/teams', 'name=Intruders', type), 415, 'unsupported_media_type');
      expectProblem(await raw(ctx, t.session, 'PATCH', '/api/v1/office', 'name=Intruders', type), 415, 'unsupported_media_type');
    }
    await t.unchanged();
  });
});

describe('pagination cursors', () => {
  const LISTS = {
    '/api/v1/users': encodeCursor(['Anyone', 'not-a-uuid']),
    '/api/v1/audit': encodeCursor(['1 OR 1=1']),
    '/api/v1/jobs/failed': encodeCursor(['yesterday', '0190a0a0-0000-7000-8000-000000000000']),
  };

  it.each(Object.entries(LISTS))('answers invalid_cursor on %s for garbage and well-formed cursors of the wrong shape', async (url, wrongShape) => {
    const t = await setup();
    for (const cursor of ['garbage!!', 'MQ', encodeCursor([]), encodeCursor([1, 2, 3]), wrongShape, Buffer.from('{"id":1}').toString('base64url')]) {
      expectProblem(await t.api('GET', `${url}?cursor=${encodeURIComponent(cursor)}`), 400, 'invalid_cursor', 'cursor');
    }
  });

  it.each(['/api/v1/users', '/api/v1/audit'])('answers invalid_cursor on %s for a tampered cursor it issued', async (url) => {
    const t = await setup();
    const first = await t.api('GET', `${url}?limit=1`);
    const cursor = first.json().nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    expect((await t.api('GET', `${url}?limit=1&cursor=${cursor}`)).statusCode).toBe(200);
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    const tampered = [cursor.slice(0, -4), encodeCursor(decoded.map((v) => (typeof v === 'number' ? String(v) : `${String(v)}x`)))];
    for (const c of tampered) expectProblem(await t.api('GET', `${url}?limit=1&cursor=${encodeURIComponent(c)}`), 400, 'invalid_cursor', 'cursor');
  });
});

describe('path parameters', () => {
  it('answers validation_failed for a non-UUID id on every route with an id, writing nothing', async () => {
    const t = await setup();
    const withId = ctx.app.civitas.routes.filter((r) => r.url.includes('/:id'));
    expect(withId.length).toBeGreaterThanOrEqual(5);
    for (const r of withId) {
      for (const id of ['123', 'not-a-uuid', "1' OR '1'='1"]) {
        const url = r.url.replace(':id', encodeURIComponent(id));
        const res = await t.api(r.method as 'POST', url, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
        expectProblem(res, 400, 'validation_failed', 'id');
      }
    }
    await t.unchanged();
  });
});

describe('credentials', () => {
  it('answers 401 to a signed-out session, for reads and writes, and writes nothing', async () => {
    const t = await setup();
    const gone = await signIn(ctx, t.other);
    expect((await asSession(ctx, gone)('POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    const before = await snapshot(ctx, t.office.id);
    const api = asSession(ctx, gone);
    expectProblem(await api('GET', '/api/v1/teams'), 401, 'session_expired');
    expectProblem(await api('POST', '/api/v1/auth/logout-everywhere'), 401, 'session_expired');
    expect(await snapshot(ctx, t.office.id)).toEqual(before);
  });

  it('answers 401 to a session past its expiry time and writes nothing', async () => {
    const t = await setup();
    const secret = t.session.cookie.split('=')[1]!;
    await ctx.database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', sha256(secret)).execute();
    const before = await snapshot(ctx, t.office.id);
    expectProblem(await t.api('GET', '/api/v1/office'), 401, 'session_expired');
    expectProblem(await t.api('POST', '/api/v1/teams', { name: uniq('team') }), 401, 'session_expired');
    expect(await snapshot(ctx, t.office.id)).toEqual(before);
  });

  it('answers 401 to a cookie that is not a session', async () => {
    expectProblem(await ctx.app.inject({ method: 'GET', url: '/api/v1/office', headers: { cookie: 'civitas_session=forged' } }), 401, 'session_expired');
  });

  it('answers 403 csrf_failed to cookie writes without the CSRF token or with another session\'s, writing nothing', async () => {
    const t = await setup();
    const otherSession = await signIn(ctx, t.other);
    const before = await snapshot(ctx, t.office.id);
    const writes: [string, string, unknown][] = [
      ['POST', '/api/v1/teams', { name: uniq('team') }],
      ['PATCH', `/api/v1/users/${t.other.id}`, { role: 'admin' }],
      ['PUT', `/api/v1/teams/${t.team.id}/members`, { members: [] }],
      ['DELETE', `/api/v1/teams/${t.team.id}`, undefined],
      ['POST', '/api/v1/tokens', { name: 'x', scopes: ['office.read'] }],
    ];
    for (const [method, url, body] of writes) {
      for (const csrf of [undefined, otherSession.csrf, '']) {
        const res = await ctx.app.inject({ method: method as 'POST', url, headers: { cookie: t.session.cookie, ...(csrf !== undefined ? { 'x-csrf-token': csrf } : {}) }, ...(body ? { payload: body as object } : {}) });
        expectProblem(res, 403, 'csrf_failed');
      }
    }
    expect(await snapshot(ctx, t.office.id)).toEqual(before);
  });
});

describe('unknown routes', () => {
  it('answers 404 problem+json for unknown API URLs and methods', async () => {
    for (const [method, url] of [['GET', '/api/v1/nope'], ['POST', '/api/v1/nope'], ['DELETE', '/api/v1/users'], ['GET', '/api/nope'], ['GET', '/api/v2/users'], ['GET', '/open311/v3/services.json'], ['GET', '/healthz/extra']] as const) {
      const body = expectProblem(await ctx.app.inject({ method, url }), 404, 'not_found');
      expect(body.detail).toContain(url);
    }
  });
});
