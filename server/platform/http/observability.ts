// /healthz, /readyz and Prometheus /metrics, plus the request-duration histogram.
import { sql } from 'kysely';
import client from 'prom-client';
import { safeEqual } from '../auth/secrets.js';
import { DomainError } from '../errors.js';
import type { App } from './types.js';

export function registerObservability(app: App): void {
  const { database, config } = app.civitas;
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'civitas_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'civitas_db_pool_waiting',
    help: 'Queries waiting for a database connection',
    registers: [registry],
    collect() {
      this.set(database.pool.waitingCount);
    },
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.labels(req.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
  });

  app.get('/healthz', { schema: { hide: true }, config: { permission: 'public', rateLimit: false } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true }, config: { permission: 'public', rateLimit: false } }, async () => {
    try {
      await sql`SELECT 1`.execute(database.db);
      return { status: 'ready', database: database.engine };
    } catch (err) {
      app.log.warn({ err }, 'readiness check failed');
      throw new DomainError('unavailable', { message: 'The database is not reachable' });
    }
  });

  // Public unless METRICS_TOKEN is set, in which case scrapers send it as a bearer token.
  app.get('/metrics', { schema: { hide: true }, config: { permission: 'public', rateLimit: false } }, async (req, reply) => {
    if (config.metricsToken) {
      const sent = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!sent || !safeEqual(sent, config.metricsToken)) throw new DomainError('unauthenticated', { message: 'Metrics need the METRICS_TOKEN bearer token' });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
