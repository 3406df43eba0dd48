// What every HTTP response follows: security headers, request ids, health and metrics
// endpoints, the OpenAPI document and its HTML rendering, rate limiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { asSession, createOffice, createTestApp, createUser, randomIp, signIn, type TestContext } from './harness.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

async function withApp<T>(env: Record<string, string>, fn: (c: TestContext) => Promise<T>): Promise<T> {
  const c = await createTestApp(env);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

describe('security headers', () => {
  it.each(['/healthz', '/api/v1/office', '/api/v1/nope', '/api/docs'])('are sent on %s', async (url) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('adds HSTS, upgrade-insecure-requests and Secure cookies when served over https', async () => {
    await withApp({ PUBLIC_URL: 'https://civitas.example.org' }, async (c) => {
      const res = await c.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      const office = await createOffice(c);
      const user = await createUser(c, office, 'caseworker');
      const login = await c.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password }, remoteAddress: randomIp() });
      expect(String(login.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    });
  });
});

describe('request ids', () => {
  it('echoes a well-formed X-Request-Id', async () => {
    const id = `trace-${Date.now()}-abc_DEF.1`;
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } });
    expect(res.headers['x-request-id']).toBe(id);
  });

  it.each([['missing', undefined], ['too short', 'abc'], ['too long', 'x'.repeat(65)], ['with spaces', 'has some spaces'], ['with a header injection', 'abcdefgh\r\nset-cookie: x=1']])('generates a UUID when the given id is %s', async (_label, given) => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/nope', headers: given === undefined ? {} : { 'x-request-id': given } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.headers['x-request-id']).not.toBe(given);
  });

  it('gives each request its own id', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await ctx.app.inject({ method: 'GET', url: '/healthz' })).headers['x-request-id']));
    expect(new Set(ids).size).toBe(3);
  });
});

describe('health', () => {
  it('answers /healthz without touching anything', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the database engine in use', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: ctx.database.engine });
    expect(ctx.database.engine).toBe(inject('testDatabaseUrl') ? 'postgres' : 'pglite');
  });
});

describe('metrics', () => {
  it('exposes the request-duration histogram by route and status in Prometheus format', async () => {
    await ctx.app.inject({ method: 'GET', url: '/api/v1/office' });
    const res = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE civitas_http_request_duration_seconds histogram');
    expect(res.body).toMatch(/civitas_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/office",status="401"\} [1-9]/);
    expect(res.body).toContain('civitas_db_pool_waiting');
  });

  it('is refused without the right bearer token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789';
    await withApp({ METRICS_TOKEN: token }, async (c) => {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789', token, `Basic ${token}`]) {
        const res = await c.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).not.toContain('civitas_http_request_duration_seconds');
      }
      const ok = await c.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('civitas_http_request_duration_seconds');
    });
  });
});

describe('API reference', () => {
  const toOpenApi = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

  it('serves an OpenAPI 3.1 document with every /api/v1 route and no hidden ones', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { responses?: object }>>; components: { securitySchemes: object } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'cookie']);
    const api = ctx.app.civitas.routes.filter((r) => r.url.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThan(15);
    const missing = api.filter((r) => !doc.paths[toOpenApi(r.url)]?.[r.method.toLowerCase()]);
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(api.map((r) => `${r.method} ${toOpenApi(r.url)}`).sort());
    expect(doc.paths['/api/v1/users/{id}']!.get!.responses).toHaveProperty('200');
  });

  it('renders the operations as an HTML page', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/^<!doctype html>\s*<html lang="en">/);
    expect(res.body).not.toContain('<script');
    for (const r of ctx.app.civitas.routes.filter((x) => x.url.startsWith('/api/v1/'))) {
      expect(res.body).toContain(`<span class="m m-${r.method.toLowerCase()}">${r.method}</span> <code>${toOpenApi(r.url)}</code>`);
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 problem+json with Retry-After past the per-minute limit, per client address', async () => {
    await withApp({ RATE_LIMIT_PER_MINUTE: '5' }, async (c) => {
      const ip = randomIp();
      const call = (remoteAddress: string, url = '/api/v1/office') => c.app.inject({ method: 'GET', url, remoteAddress });
      for (let i = 0; i < 5; i++) expect((await call(ip)).statusCode).toBe(401);
      const limited = await call(ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.json()).toMatchObject({ code: 'rate_limited', status: 429, title: expect.any(String), detail: expect.stringContaining('5') });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another client is unaffected, and health checks are never limited.
      expect((await call(randomIp())).statusCode).toBe(401);
      expect((await call(ip, '/healthz')).statusCode).toBe(200);
    });
  });

  it('limits signed-in clients the same way', async () => {
    await withApp({ RATE_LIMIT_PER_MINUTE: '3' }, async (c) => {
      const office = await createOffice(c);
      const api = asSession(c, await signIn(c, await createUser(c, office, 'caseworker')));
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await api('GET', '/api/v1/office')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
    });
  });
});
