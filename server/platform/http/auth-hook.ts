// Resolves who is calling (API token or session cookie), enforces CSRF on cookie sessions
// and checks the permission the route declares. Runs before body parsing, so a caller
// without access learns nothing about validation rules, and after the rate limiter's
// route-level onRequest hook, so requests with bad credentials are throttled too.
import type { FastifyRequest } from 'fastify';
import { resolveBearer, resolveSession } from '../../modules/auth/auth.service.js';
import { safeEqual } from '../auth/secrets.js';
import { DomainError } from '../errors.js';
import { can, type RouteAccess } from '../rbac.js';
import { actorOf } from '../scope.js';
import type { App } from './types.js';

export const SESSION_COOKIE = 'civitas_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    sessionMeta: { csrfToken: string; expiresAt: Date } | undefined;
  }
}

export function registerAuth(app: App): void {
  const { config, database } = app.civitas;
  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionMeta', undefined);
  app.decorateRequest('scope', undefined as never);

  app.addHook('preParsing', async (req: FastifyRequest) => {
    const access: RouteAccess | undefined = req.routeOptions.config.permission;
    // Unknown URLs (404 handler) carry no config: nothing to resolve.
    if (access === undefined || access === 'public') return;

    const authz = req.headers.authorization;
    if (authz !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      if (!m) throw new DomainError('unauthenticated', { message: 'The Authorization header must be "Bearer <token>"' });
      req.principal = await resolveBearer(database.db, m[1]!);
    } else {
      const secret = req.cookies[SESSION_COOKIE];
      if (!secret) throw new DomainError('unauthenticated');
      const session = await resolveSession(database.db, config, secret);
      if (!SAFE_METHODS.has(req.method) && !req.routeOptions.config.skipCsrf) {
        const sent = req.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) throw new DomainError('csrf_failed');
      }
      req.principal = session.principal;
      req.sessionMeta = { csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    }
    const principal = req.principal;
    if (access !== 'authenticated' && !can(principal, access)) {
      throw new DomainError('forbidden', { message: `You need the "${access}" permission for this` });
    }
    req.scope = { db: database.db, officeId: principal.officeId, actor: actorOf(principal), requestId: req.id };
  });
}
