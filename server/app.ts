// Builds the Fastify application: platform plugins first, then every module's routes.
// Starting to listen, jobs and shutdown live in server.ts.
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { assignmentRoutes } from './modules/assignment/assignment.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { attachmentsRoutes } from './modules/attachments/attachments.routes.js';
import { tasksRoutes } from './modules/tasks/tasks.routes.js';
import { notesRoutes } from './modules/notes/notes.routes.js';
import { updatesRoutes } from './modules/updates/updates.routes.js';
import { caseConfigRoutes } from './modules/cases/cases.config-routes.js';
import { caseLinksRoutes } from './modules/cases/cases.links-routes.js';
import { casesRoutes } from './modules/cases/cases.routes.js';
import { caseViewsRoutes } from './modules/cases/cases.views-routes.js';
import { constituentRelatedRoutes } from './modules/constituents/constituents.related-routes.js';
import { constituentsRoutes } from './modules/constituents/constituents.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { dedupRoutes } from './modules/dedup/dedup.routes.js';
import { geoRoutes } from './modules/geo/geo.routes.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { insightPointsRoutes } from './modules/insights/insights.points-routes.js';
import { insightsRoutes } from './modules/insights/insights.routes.js';
import { loadReportData } from './modules/insights/insights.report-data.js';
import { registerInsightReportRoutes, type ReportLoader } from './modules/insights/insights.report.js';
import { intakeRoutes } from './modules/intake/intake.routes.js';
import { intakeMailboxRoutes } from './modules/intake/intake.mailboxes-routes.js';
import { smsRoutes } from './modules/sms/sms.routes.js';
import { open311Routes } from './modules/open311/open311.routes.js';
import { intakeCaptureRoutes } from './modules/intake/intake.capture-routes.js';
import { intakePublicRoutes } from './modules/intake/intake.public-routes.js';
import { jobsRoutes } from './modules/jobs/jobs.routes.js';
import { triageRoutes } from './modules/triage/triage.routes.js';
import { insightAlertRoutes } from './modules/insights/insights.alerts-routes.js';
import { messagesRoutes } from './modules/messages/messages.routes.js';
import { ratingPageRoutes } from './modules/messages/ratings.routes.js';
import { templatesRoutes } from './modules/messages/templates.routes.js';
import { unsubscribeRoutes } from './modules/messages/unsubscribe.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { officesRoutes } from './modules/offices/offices.routes.js';
import { portalRoutes } from './modules/portal/portal.routes.js';
import { referralsRoutes } from './modules/referrals/referrals.routes.js';
import { slaRoutes } from './modules/sla/sla.routes.js';
import { teamsRoutes } from './modules/teams/teams.routes.js';
import { tokensRoutes } from './modules/tokens/tokens.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import type { Database } from './platform/db/database.js';
import { DomainError } from './platform/errors.js';
import { registerAuth } from './platform/http/auth-hook.js';
import { registerIdempotency } from './platform/http/idempotency.js';
import { registerObservability } from './platform/http/observability.js';
import { sendProblem, toDomainError } from './platform/http/problems.js';
import type { App, RegisteredRoute } from './platform/http/types.js';
import { registerWeb } from './platform/http/web.js';
import type { Jobs } from './platform/jobs.js';

export type AppOptions = {
  config: Config;
  database: Database;
  jobs: Jobs;
  logger?: FastifyServerOptions['logger'];
  webDistDir?: string;
  /** Reads the insights report's figures (default: the dashboards' own service functions). */
  insightReportLoader?: ReportLoader;
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

const decodedName = (name: string) => {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
};

/** The URL for logs, with bearer secrets masked: the token of a public signing, rating, unsubscribe or portal tracking or signing link, and an api_key parameter (Open311 clients send one). */
export const maskPathTokens = (url: string) => url.replace(/^\/(release|rate|unsubscribe)\/[^/?#]+/, '/$1/[token]')
  .replace(/^(\/portal\/[^/?#]+\/(?:track|confirmation|release|account\/sign-in|alerts\/(?:confirm|manage|unsubscribe|reports)))\/[^/?#]+/, '$1/[token]')
  .replace(/(?<=[?&])([^=&#]*)=[^&#]*/g, (pair: string, name: string) => (decodedName(name).toLowerCase() === 'api_key' ? `${name}=[redacted]` : pair));

export const ROUTE_MODULES = [authRoutes, officesRoutes, usersRoutes, teamsRoutes, tokensRoutes, auditRoutes, jobsRoutes, constituentsRoutes, constituentRelatedRoutes, geoRoutes, dedupRoutes, importsRoutes, caseConfigRoutes, casesRoutes, caseViewsRoutes, slaRoutes, notificationsRoutes, messagesRoutes, templatesRoutes, ratingPageRoutes, unsubscribeRoutes, assignmentRoutes, caseLinksRoutes, attachmentsRoutes, tasksRoutes, notesRoutes, updatesRoutes, referralsRoutes, intakeRoutes, intakeMailboxRoutes, intakePublicRoutes, intakeCaptureRoutes, portalRoutes, open311Routes, smsRoutes, triageRoutes, insightsRoutes, insightAlertRoutes, insightPointsRoutes];

export async function buildApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
      // Signing and rating links are bearer secrets in the path: logged masked.
      serializers: {
        req: (req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
          method: req.method, url: maskPathTokens(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort,
        }),
      },
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    // Router-level failures (malformed URLs) get the same problem+json as everything else.
    frameworkErrors: (err, req, reply) => {
      void sendProblem(reply, toDomainError(err, req));
    },
  }).withTypeProvider<ZodTypeProvider>();

  const routes: RegisteredRoute[] = [];
  app.decorate('civitas', { config, database: opts.database, jobs: opts.jobs, routes });
  // The API speaks JSON only: a text/plain body is refused with 415 like any other type.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every route must say who may call it: refuse to start otherwise.
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD' || (Array.isArray(route.method) && route.method.every((m) => m === 'HEAD'))) return;
    if (!route.config?.permission) throw new Error(`Route ${String(route.method)} ${route.url} does not declare a permission`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, permission: route.config.permission });
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.setErrorHandler((err, req, reply) => sendProblem(reply, toDomainError(err, req)));
  app.setNotFoundHandler((req, reply) => sendProblem(reply, new DomainError('not_found', { message: `No route ${req.method} ${req.url.split('?')[0]}` })));

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Map tiles may come from a plain-http server on the office network ({s} subdomains as a wildcard).
        imgSrc: ["'self'", 'data:', 'blob:', 'https:', ...(config.mapTiles?.url.startsWith('http://') ? [/^http:\/\/[^/]+/.exec(config.mapTiles.url)![0].replace(/\{s\}/g, '*')] : [])],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: config.publicUrl.startsWith('https://') ? [] : null,
      },
    },
    strictTransportSecurity: config.publicUrl.startsWith('https://'),
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => req.ip,
    errorResponseBuilder: (_req, ctx) =>
      new DomainError('rate_limited', { message: `Rate limit of ${ctx.max} requests per ${ctx.after} exceeded`, extra: { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) } }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Civitas', version: '1', description: 'Constituent services platform REST API. Authenticate with a session cookie (plus X-CSRF-Token on writes) or an API token as `Authorization: Bearer cvt_...`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'civitas_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });

  registerAuth(app);
  registerIdempotency(app);
  registerObservability(app);
  for (const routes of ROUTE_MODULES) routes(app);
  registerInsightReportRoutes(app, opts.insightReportLoader ?? loadReportData);
  await registerWeb(app, opts.webDistDir);
  return app;
}
