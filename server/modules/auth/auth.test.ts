import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, createOffice, createTestApp, createUser, postLogin, signIn, uniq, type TestContext } from '../../../test/harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ LOGIN_MAX_FAILURES: '3' });
});
afterAll(() => ctx.close());

describe('sign-in', () => {
  it('signs in with email and password and returns the session with a CSRF token', async () => {
    const office = await createOffice(ctx);
    const user = await createUser(ctx, office, 'caseworker');
    const res = await postLogin(ctx, { email: user.email.toUpperCase(), password: user.password });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/civitas_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const body = res.json();
    expect(body.user.email).toBe(user.email);
    expect(body.office.id).toBe(office.id);
    expect(body.csrfToken).toEqual(expect.any(String));
    expect(body.permissions).toContain('office.read');
    expect(body.permissions).not.toContain('user.manage');
  });

  it('gives the same generic error for a wrong password and an unknown email', async () => {
    const office = await createOffice(ctx);
    const user = await createUser(ctx, office);
    const wrong = await postLogin(ctx, { email: user.email, password: 'not-the-password' });
    const unknown = await postLogin(ctx, { email: `${uniq('nobody')}@example.test`, password: 'whatever-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('throttles an account after repeated failures, even with the right password', async () => {
    const office = await createOffice(ctx);
    const user = await createUser(ctx, office);
    for (let i = 0; i < 3; i++) {
      const r = await postLogin(ctx, { email: user.email, password: 'wrong-password-1' });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await postLogin(ctx, { email: user.email, password: user.password });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('login_throttled');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a disabled user', async () => {
    const office = await createOffice(ctx);
    const admin = await createUser(ctx, office, 'admin');
    const user = await createUser(ctx, office, 'caseworker');
    const api = asSession(ctx, await signIn(ctx, admin));
    expect((await api('PATCH', `/api/v1/users/${user.id}`, { status: 'disabled' })).statusCode).toBe(200);
    const r = await postLogin(ctx, { email: user.email, password: user.password });
    expect(r.statusCode).toBe(401);
  });
});

describe('sessions', () => {
  it('requires the CSRF header on cookie-authenticated writes', async () => {
    const office = await createOffice(ctx);
    const admin = await createUser(ctx, office, 'admin');
    const s = await signIn(ctx, admin);
    const noCsrf = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/office', headers: { cookie: s.cookie }, payload: { name: 'Renamed' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_failed');
    const wrongCsrf = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/office', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(32) }, payload: { name: 'Renamed' } });
    expect(wrongCsrf.statusCode).toBe(403);
    const office2 = await asSession(ctx, s)('GET', '/api/v1/office');
    expect(office2.json().name).toBe('Test Office');
    const ok = await asSession(ctx, s)('PATCH', '/api/v1/office', { name: 'Renamed' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('Renamed');
  });

  it('signs out one session, and everywhere', async () => {
    const office = await createOffice(ctx);
    const user = await createUser(ctx, office, 'caseworker');
    const a = await signIn(ctx, user);
    const b = await signIn(ctx, user);
    const c = await signIn(ctx, user);
    expect((await asSession(ctx, a)('POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    const afterLogout = await asSession(ctx, a)('GET', '/api/v1/auth/session');
    expect(afterLogout.statusCode).toBe(401);
    expect(afterLogout.json().code).toBe('session_expired');
    expect((await asSession(ctx, b)('GET', '/api/v1/auth/session')).statusCode).toBe(200);
    const all = await asSession(ctx, b)('POST', '/api/v1/auth/logout-everywhere');
    expect(all.json().sessionsRevoked).toBe(2);
    expect((await asSession(ctx, c)('GET', '/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('expires a session that has been idle too long', async () => {
    const short = await createTestApp({ SESSION_IDLE_MINUTES: '0.001' });
    try {
      const office = await createOffice(short);
      const user = await createUser(short, office, 'caseworker');
      const s = await signIn(short, user);
      await new Promise((r) => setTimeout(r, 150));
      const res = await asSession(short, s)('GET', '/api/v1/auth/session');
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('session_expired');
    } finally {
      await short.close();
    }
  });

  it('refuses requests without credentials and with a malformed Authorization header', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/office' })).json().code).toBe('unauthenticated');
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/office', headers: { authorization: 'Basic abc' } });
    expect(bad.statusCode).toBe(401);
    const forged = await ctx.app.inject({ method: 'GET', url: '/api/v1/office', headers: { authorization: 'Bearer cvt_forged' } });
    expect(forged.statusCode).toBe(401);
  });

  it('changes the own password and signs out the other sessions', async () => {
    const office = await createOffice(ctx);
    const user = await createUser(ctx, office, 'caseworker');
    const a = await signIn(ctx, user);
    const b = await signIn(ctx, user);
    const wrong = await asSession(ctx, a)('POST', '/api/v1/auth/password', { currentPassword: 'nope', newPassword: 'a-new-long-password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('currentPassword');
    expect((await asSession(ctx, a)('POST', '/api/v1/auth/password', { currentPassword: user.password, newPassword: 'a-new-long-password' })).statusCode).toBe(204);
    expect((await asSession(ctx, a)('GET', '/api/v1/auth/session')).statusCode).toBe(200);
    expect((await asSession(ctx, b)('GET', '/api/v1/auth/session')).statusCode).toBe(401);
    await signIn(ctx, { email: user.email, password: 'a-new-long-password' });
  });
});
