import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, asToken, createOffice, createTestApp, createUser, postLogin, signIn, tokenFor, uniq, type TestContext, type TestUser } from '../../../test/harness.js';
import type { Office } from '../../../contract/offices.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

type User = { id: string; email: string; displayName: string; role: string; status: string; teamIds: string[] };

async function adminOf(office?: Office) {
  const o = office ?? (await createOffice(ctx));
  const admin = await createUser(ctx, o, 'admin');
  return { office: o, admin, api: asSession(ctx, await signIn(ctx, admin)) };
}

const sessionWorks = async (s: Awaited<ReturnType<typeof signIn>>) => (await asSession(ctx, s)('GET', '/api/v1/auth/session')).statusCode === 200;

describe('creating users', () => {
  it('creates a user with the given password, who can then sign in', async () => {
    const { api } = await adminOf();
    const email = `${uniq('Alice')}@Example.test`;
    const res = await api('POST', '/api/v1/users', { email, displayName: '  Alice Example ', role: 'caseworker', password: 'a-long-enough-password' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.generatedPassword).toBeNull();
    expect(body.user).toMatchObject({ email: email.toLowerCase(), displayName: 'Alice Example', role: 'caseworker', status: 'active', mfaEnabled: false, lastLoginAt: null, teamIds: [] });
    expect(JSON.stringify(body)).not.toMatch(/password_hash|argon2/);
    await signIn(ctx, { email, password: 'a-long-enough-password' });
    expect((await api('GET', `/api/v1/users/${body.user.id}`)).json().lastLoginAt).toEqual(expect.any(String));
  });

  it('generates a strong password when none is given, and it works for sign-in', async () => {
    const { api } = await adminOf();
    const email = `${uniq('gen')}@example.test`;
    const res = await api('POST', '/api/v1/users', { email, displayName: 'Generated', role: 'volunteer' });
    expect(res.statusCode).toBe(201);
    const generated = res.json().generatedPassword as string;
    expect(generated).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    const s = await signIn(ctx, { email, password: generated });
    expect((await asSession(ctx, s)('GET', '/api/v1/auth/session')).json().user.role).toBe('volunteer');
  });

  it('refuses a duplicate email, whatever its case and office, with 409 and no second user', async () => {
    const { api, admin } = await adminOf();
    const other = await adminOf();
    for (const [who, email] of [[api, admin.email.toUpperCase()], [other.api, admin.email]] as const) {
      const res = await who('POST', '/api/v1/users', { email, displayName: 'Copy', role: 'caseworker' });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'conflict', field: 'email' });
    }
    const list = (await api('GET', `/api/v1/users?q=${encodeURIComponent(admin.email)}`)).json();
    expect(list.items.map((u: User) => u.id)).toEqual([admin.id]);
    expect((await other.api('GET', '/api/v1/users')).json().items).toHaveLength(1);
  });

  it('is refused to managers, who may still read users', async () => {
    const { office } = await adminOf();
    const manager = await createUser(ctx, office, 'manager');
    const api = asSession(ctx, await signIn(ctx, manager));
    expect((await api('GET', '/api/v1/users')).statusCode).toBe(200);
    expect((await api('POST', '/api/v1/users', { email: `${uniq('m')}@example.test`, displayName: 'X', role: 'admin' })).statusCode).toBe(403);
    expect((await api('PATCH', `/api/v1/users/${manager.id}`, { role: 'admin' })).statusCode).toBe(403);
  });
});

describe('listing users', () => {
  it('searches by name and email and filters by role and status', async () => {
    const { api, office } = await adminOf();
    const tag = uniq('zebra');
    const a = (await api('POST', '/api/v1/users', { email: `${uniq('x')}@example.test`, displayName: `Ann ${tag}`, role: 'caseworker' })).json().user as User;
    const b = (await api('POST', '/api/v1/users', { email: `${tag}@example.test`, displayName: 'Bob', role: 'analyst' })).json().user as User;
    await createUser(ctx, office, 'caseworker');
    const ids = async (qs: string) => ((await api('GET', `/api/v1/users?${qs}`)).json().items as User[]).map((u) => u.id).sort();
    expect(await ids(`q=${tag}`)).toEqual([a.id, b.id].sort());
    expect(await ids(`q=${tag.toUpperCase()}`)).toEqual([a.id, b.id].sort());
    expect(await ids(`q=${tag}&role=analyst`)).toEqual([b.id]);
    expect(await ids('q=%25')).toEqual([]); // LIKE wildcards are matched literally
    await api('PATCH', `/api/v1/users/${a.id}`, { status: 'disabled' });
    expect(await ids(`q=${tag}&status=disabled`)).toEqual([a.id]);
    expect(await ids(`q=${tag}&status=active`)).toEqual([b.id]);
  });

  it('pages through more than one page with a cursor, in name order, without gaps or repeats', async () => {
    const { api } = await adminOf();
    const tag = uniq('page');
    for (const n of ['Eve', 'Dan', 'Cat', 'Bea', 'Al', 'Al']) {
      expect((await api('POST', '/api/v1/users', { email: `${uniq('p')}@example.test`, displayName: `${tag} ${n}`, role: 'caseworker' })).statusCode).toBe(201);
    }
    const seen: User[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api('GET', `/api/v1/users?q=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: User[]; nextCursor: string | null };
      expect(body.items).toHaveLength(2);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen.map((u) => u.id)).size).toBe(6);
    expect(seen.map((u) => u.displayName.slice(tag.length + 1))).toEqual(['Al', 'Al', 'Bea', 'Cat', 'Dan', 'Eve']);
    expect(seen[0]!.id < seen[1]!.id).toBe(true); // equal names are ordered by id
  });
});

describe('changing users', () => {
  it('updates name and role and records the change', async () => {
    const { api, office } = await adminOf();
    const u = await createUser(ctx, office, 'caseworker');
    const res = await api('PATCH', `/api/v1/users/${u.id}`, { displayName: 'Renamed Person', role: 'manager' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: u.id, displayName: 'Renamed Person', role: 'manager', status: 'active' });
    expect((await api('GET', `/api/v1/users/${u.id}`)).json().role).toBe('manager');
    const ev = (await api('GET', `/api/v1/audit?entityType=user&entityId=${u.id}&action=updated`)).json().items;
    expect(ev).toHaveLength(1);
    expect(ev[0].before).toMatchObject({ role: 'caseworker' });
    expect(ev[0].after).toMatchObject({ role: 'manager', displayName: 'Renamed Person' });
  });

  it('answers 404 for a user id that does not exist', async () => {
    const { api } = await adminOf();
    expect((await api('GET', '/api/v1/users/0190a0a0-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await api('PATCH', '/api/v1/users/0190a0a0-0000-7000-8000-000000000000', { displayName: 'X' })).statusCode).toBe(404);
  });

  it('never demotes or disables the last active admin', async () => {
    const { api, admin } = await adminOf();
    for (const change of [{ role: 'manager' }, { status: 'disabled' }]) {
      const res = await api('PATCH', `/api/v1/users/${admin.id}`, change);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('conflict');
    }
    expect((await api('GET', `/api/v1/users/${admin.id}`)).json()).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('lets an admin step down when another active admin remains', async () => {
    const { api, admin, office } = await adminOf();
    const second = await createUser(ctx, office, 'admin');
    expect((await api('PATCH', `/api/v1/users/${second.id}`, { status: 'disabled' })).statusCode).toBe(200);
    // A disabled admin does not count: the first one is now the last.
    expect((await api('PATCH', `/api/v1/users/${admin.id}`, { role: 'analyst' })).statusCode).toBe(409);
    expect((await api('PATCH', `/api/v1/users/${second.id}`, { status: 'active' })).statusCode).toBe(200);
    expect((await api('PATCH', `/api/v1/users/${admin.id}`, { role: 'analyst' })).statusCode).toBe(200);
  });

  it('signs a disabled user out of every session and refuses their tokens', async () => {
    const { api, office } = await adminOf();
    const u: TestUser = await createUser(ctx, office, 'manager');
    const s1 = await signIn(ctx, u);
    const s2 = await signIn(ctx, u);
    const token = await tokenFor(ctx, u, ['office.read']);
    expect((await api('PATCH', `/api/v1/users/${u.id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect(await sessionWorks(s1)).toBe(false);
    expect(await sessionWorks(s2)).toBe(false);
    expect((await asToken(ctx, token)('GET', '/api/v1/office')).statusCode).toBe(401);
    expect((await postLogin(ctx, { email: u.email, password: u.password })).statusCode).toBe(401);
    // Enabling again does not revive the old sessions, but allows signing in.
    expect((await api('PATCH', `/api/v1/users/${u.id}`, { status: 'active' })).statusCode).toBe(200);
    expect(await sessionWorks(s1)).toBe(false);
    expect(await sessionWorks(await signIn(ctx, u))).toBe(true);
  });

  it('revokes sessions on a role change but not on a rename', async () => {
    const { api, office } = await adminOf();
    const u = await createUser(ctx, office, 'caseworker');
    const s = await signIn(ctx, u);
    expect((await api('PATCH', `/api/v1/users/${u.id}`, { displayName: 'Only A Rename' })).statusCode).toBe(200);
    expect(await sessionWorks(s)).toBe(true);
    expect((await api('PATCH', `/api/v1/users/${u.id}`, { role: 'manager' })).statusCode).toBe(200);
    expect(await sessionWorks(s)).toBe(false);
    const fresh = await signIn(ctx, u);
    expect((await asSession(ctx, fresh)('GET', '/api/v1/auth/session')).json().permissions).toContain('team.manage');
  });

  it('resets a password: the new one works, the old one and old sessions do not', async () => {
    const { api, office } = await adminOf();
    const u = await createUser(ctx, office, 'caseworker');
    const s = await signIn(ctx, u);
    const res = await api('POST', `/api/v1/users/${u.id}/reset-password`);
    expect(res.statusCode).toBe(200);
    const generated = res.json().generatedPassword as string;
    expect(generated).toEqual(expect.any(String));
    expect(await sessionWorks(s)).toBe(false);
    expect((await postLogin(ctx, { email: u.email, password: u.password })).statusCode).toBe(401);
    await signIn(ctx, { email: u.email, password: generated });
    const ev = (await api('GET', `/api/v1/audit?entityId=${u.id}&action=password_reset`)).json().items;
    expect(ev).toHaveLength(1);
    expect(ev[0].after).toEqual({ sessionsRevoked: 1 });
    expect(JSON.stringify(ev)).not.toContain(generated);
  });
});
