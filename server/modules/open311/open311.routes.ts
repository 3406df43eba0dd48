// HTTP for Open311: the public GeoReport v2 endpoints under /open311/v2/ (JSON or XML by the
// path's extension, form-encoded posts, errors as errors/error rather than problem+json,
// rate-limited per address, kept out of the OpenAPI document) and the admin API under
// /api/v1/open311/ (published services and API keys).
import type { FastifyError, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import { ZCreateOpen311Key, ZOpen311Key, ZOpen311Service, ZOpen311ServiceInput } from '../../../contract/open311.js';
import { toDomainError } from '../../platform/http/problems.js';
import type { App } from '../../platform/http/types.js';
import * as admin from './open311.admin.js';
import * as reads from './open311.feed.js';
import { parseForm } from './open311.form.js';
import { Open311Error, send, sendError, splitFormat, type Format } from './open311.format.js';
import * as open311 from './open311.service.js';

const tags = ['open311'];
const BASE = '/open311/v2';
const ZPathParams = z.object({ format: z.string().max(10).optional(), file: z.string().max(300).optional() });
const ZAnyQuery = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** The format a URL asks for (XML when it names none we know: the specification's default). */
const formatOfUrl = (url: string): Format => splitFormat(url.split('?')[0]!.split('/').pop() ?? '')?.format ?? 'xml';

function formatOf(ext: string): Format {
  const f = ext.toLowerCase();
  if (f !== 'json' && f !== 'xml') throw new Open311Error(404, `Format "${ext.slice(0, 10)}" is not served: use .json or .xml`);
  return f;
}

function fileOf(file: string): { name: string; format: Format } {
  const f = splitFormat(file);
  if (!f) throw new Open311Error(404, 'Add .json or .xml to the URL');
  return f;
}

/** Everything refused on these routes leaves as an Open311 error in the asked format. */
function toOpen311(err: unknown, req: FastifyRequest): Open311Error {
  if (err instanceof Open311Error) return err;
  const d = toDomainError(err, req);
  switch (d.code) {
    case 'not_found': return new Open311Error(404, d.message);
    case 'forbidden': case 'unauthenticated': return new Open311Error(403, d.message);
    case 'payload_too_large': return new Open311Error(413, d.message);
    case 'rate_limited': return new Open311Error(429, d.message);
    case 'internal': return new Open311Error(500, d.message);
    default: return new Open311Error(400, d.message);
  }
}

const query = (req: FastifyRequest) => req.query as reads.Query;
const office = (app: App, req: FastifyRequest, form?: Map<string, string[]>) =>
  open311.officeOf(app.civitas.database.db, form?.get('jurisdiction_id')?.[0]?.trim() || reads.param(query(req), 'jurisdiction_id', 100));

function posted(req: FastifyRequest) {
  if (typeof req.body !== 'string') throw new Open311Error(400, 'Post the parameters as application/x-www-form-urlencoded');
  // A key in the URL ends up in access logs and proxies: only the form body may carry it.
  if (query(req).api_key !== undefined) throw new Open311Error(400, 'Send api_key in the form body, not in the URL');
  const form = parseForm(req.body);
  return { form, raw: req.body, apiKey: form.get('api_key')?.[0]?.trim(), idempotency: req.headers['idempotency-key'] };
}

type Endpoint = {
  method: 'GET' | 'POST';
  /** After /open311/v2/: ".:format" routes name the format, "/:file" ones end in "{name}.{format}". */
  path: string;
  /** The XML root element. */
  root: string;
  run: (req: FastifyRequest, name: string) => Promise<object>;
};

function publicRoutes(app: App): void {
  const { db } = app.civitas.database;
  const jobs = () => app.civitas.jobs;
  const ENDPOINTS: Endpoint[] = [
    { method: 'GET', path: 'discovery.:format', root: 'discovery', run: async () => open311.discovery(app.civitas.config.publicUrl) },
    { method: 'GET', path: 'services.:format', root: 'services', run: async (req) => open311.serviceList(db, await office(app, req)) },
    { method: 'GET', path: 'services/:file', root: 'service_definition', run: async (req, code) => open311.serviceDefinition(db, await office(app, req), code) },
    { method: 'GET', path: 'requests.:format', root: 'service_requests', run: async (req) => reads.listRequests(db, await office(app, req), query(req)) },
    {
      method: 'POST', path: 'requests.:format', root: 'service_requests', run: async (req) => {
        const p = posted(req);
        return open311.postRequest(db, jobs(), await office(app, req, p.form), p, req.log);
      },
    },
    { method: 'GET', path: 'requests/:file', root: 'service_requests', run: async (req, id) => reads.getRequest(db, await office(app, req), id, query(req)) },
    { method: 'GET', path: 'tokens/:file', root: 'service_requests', run: async (req, token) => open311.resolveToken(db, await office(app, req), token) },
    { method: 'GET', path: 'servicerequestupdates.:format', root: 'service_request_updates', run: async (req) => reads.listUpdates(db, await office(app, req), query(req)) },
    {
      method: 'POST', path: 'servicerequestupdates.:format', root: 'service_request_updates', run: async (req) => {
        const p = posted(req);
        const o = await office(app, req, p.form);
        return open311.postUpdate(db, jobs(), o, p, (ref) => reads.visibleCase(db, o, ref), req.log);
      },
    },
  ];

  const { readsPerMinute, postsPerMinute } = app.civitas.config.open311Limits;
  const readLimit = { max: readsPerMinute, timeWindow: '1 minute' };
  const writeLimit = { max: postsPerMinute, timeWindow: '1 minute' };
  void app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    scoped.setErrorHandler((err: FastifyError, req, reply) => {
      const e = toOpen311(err, req);
      if (e.status === 429) reply.header('retry-after', '60');
      return sendError(reply, formatOfUrl(req.url), e);
    });
    for (const e of ENDPOINTS) {
      scoped.route({
        method: e.method,
        url: `${BASE}/${e.path}`,
        schema: { hide: true, querystring: ZAnyQuery, params: ZPathParams }, // not part of the REST API's OpenAPI document
        config: { permission: 'public', rateLimit: e.method === 'GET' ? readLimit : writeLimit },
        handler: async (req, reply) => {
          const { name, format } = req.params.file !== undefined ? fileOf(req.params.file) : { name: '', format: formatOf(req.params.format ?? '') };
          return send(reply, format, e.method === 'POST' ? 201 : 200, e.root, await e.run(req, name));
        },
      });
    }
  });
}

function adminRoutes(app: App): void {
  app.get('/api/v1/open311/services', {
    schema: { tags, summary: 'The case categories published as Open311 services, with their attributes', response: { 200: z.object({ items: z.array(ZOpen311Service) }) } },
    config: { permission: 'intake.configure' },
  }, async (req) => ({ items: await admin.listServices(req.scope) }));

  app.put('/api/v1/open311/services/:id', {
    schema: { tags, summary: 'Publish a case category (by id) as an Open311 service, or change its code, description, keywords, group and attributes', params: ZIdParams, body: ZOpen311ServiceInput, response: { 200: ZOpen311Service } },
    config: { permission: 'intake.configure' },
  }, async (req) => admin.putService(req.scope, req.params.id, req.body));

  app.delete('/api/v1/open311/services/:id', {
    schema: { tags, summary: 'Stop publishing a case category as an Open311 service (its requests leave the feed)', params: ZIdParams, response: { 204: z.null() } },
    config: { permission: 'intake.configure' },
  }, async (req, reply) => {
    await admin.removeService(req.scope, req.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/open311/keys', {
    schema: { tags, summary: "The office's Open311 API keys (never the secrets)", response: { 200: z.object({ items: z.array(ZOpen311Key) }) } },
    config: { permission: 'intake.configure' },
  }, async (req) => ({ items: await admin.listKeys(req.scope) }));

  app.post('/api/v1/open311/keys', {
    schema: { tags, summary: 'Issue an Open311 API key for an integrator; the secret is shown in this answer only', body: ZCreateOpen311Key, response: { 201: z.object({ key: ZOpen311Key, secret: z.string() }) } },
    config: { permission: 'intake.configure', secretFields: ['secret'] },
  }, async (req, reply) => reply.code(201).send(await admin.createKey(req.scope, req.body)));

  app.post('/api/v1/open311/keys/:id/revoke', {
    schema: { tags, summary: 'Revoke an Open311 API key (posts with it are refused from now on)', params: ZIdParams, response: { 200: ZOpen311Key } },
    config: { permission: 'intake.configure' },
  }, async (req) => admin.revokeKey(req.scope, req.params.id));
}

export function open311Routes(app: App): void {
  adminRoutes(app);
  publicRoutes(app);
}
