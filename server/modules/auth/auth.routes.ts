// HTTP: sign in and out, the current session, changing one's own password.
import { z } from 'zod';
import { ZChangePassword, ZLoginRequest, ZSessionInfo } from '../../../contract/auth.js';
import { DomainError } from '../../platform/errors.js';
import { SESSION_COOKIE } from '../../platform/http/auth-hook.js';
import type { App } from '../../platform/http/types.js';
import * as service from './auth.service.js';

export function authRoutes(app: App): void {
  const { config } = app.civitas;
  const secureCookie = config.publicUrl.startsWith('https://');
  const map = { tileUrl: config.mapTiles?.url ?? null, tileAttribution: config.mapTiles?.attribution ?? null };

  app.post('/api/v1/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in with email and password; sets the session cookie', body: ZLoginRequest, response: { 200: ZSessionInfo } },
    config: { permission: 'public', skipCsrf: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
  }, async (req, reply) => {
    const { db } = app.civitas.database;
    const result = await service.login(db, config, { email: req.body.email, password: req.body.password, ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
    reply.setCookie(SESSION_COOKIE, result.sessionSecret, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookie,
      path: '/',
      expires: result.expiresAt,
    });
    return service.sessionInfo(db, result.session.principal, result.session, map);
  });

  app.get('/api/v1/auth/session', {
    schema: { tags: ['auth'], summary: 'Who is signed in, with the CSRF token for cookie sessions', response: { 200: ZSessionInfo } },
    config: { permission: 'authenticated' },
  }, async (req) => service.sessionInfo(req.scope.db, req.principal!, req.sessionMeta, map));

  app.post('/api/v1/auth/logout', {
    schema: { tags: ['auth'], summary: 'Sign out of this session' },
    config: { permission: 'authenticated' },
  }, async (req, reply) => {
    await service.logout(req.scope, req.principal!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.post('/api/v1/auth/logout-everywhere', {
    schema: { tags: ['auth'], summary: 'Sign out of every session of this user', response: { 200: z.object({ sessionsRevoked: z.number().int() }) } },
    config: { permission: 'authenticated' },
  }, async (req, reply) => {
    const n = await service.logoutEverywhere(req.scope, req.principal!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { sessionsRevoked: n };
  });

  app.post('/api/v1/auth/password', {
    schema: { tags: ['auth'], summary: 'Change your own password (signs out your other sessions)', body: ZChangePassword },
    config: { permission: 'authenticated' },
  }, async (req, reply) => {
    if (req.principal!.kind !== 'user') throw new DomainError('forbidden', { message: 'API tokens cannot change passwords' });
    await service.changePassword(req.scope, req.principal!, req.body.currentPassword, req.body.newPassword);
    return reply.code(204).send();
  });
}
