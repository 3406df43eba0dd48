// What Civitas adds to Fastify's request and route types.
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config.js';
import type { Database } from '../db/database.js';
import type { Jobs } from '../jobs.js';
import type { Principal, RouteAccess } from '../rbac.js';
import type { Scope } from '../scope.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every route must declare it. */
    permission?: RouteAccess;
    /** Skip CSRF checks (only for routes that set up the session itself). */
    skipCsrf?: boolean;
    /** Top-level response fields holding a secret shown once: never stored for
     * Idempotency-Key replays (a replay shows a placeholder instead). */
    secretFields?: readonly string[];
  }
  interface FastifyRequest {
    principal: Principal | undefined;
    /** The office scope of the signed-in principal; only on routes that require one. */
    scope: Scope;
    idempotency: { officeId: string; principal: string; key: string } | undefined;
  }
  interface FastifyInstance {
    civitas: AppContext;
  }
}

export type AppContext = {
  config: Config;
  database: Database;
  jobs: Jobs;
  /** Every route registered (HEAD aliases excluded), filled in as routes are added. */
  routes: RegisteredRoute[];
};

export type RegisteredRoute = { method: string; url: string; permission: RouteAccess | undefined };

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
