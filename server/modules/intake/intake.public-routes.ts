// Public web intake: the office's categories with a signed form token (for forms of one's
// own), the request endpoint (JSON, or a plain HTML form post), and the embeddable form page
// at /forms/<office>. No session: each route is rate-limited per client address; the request
// endpoint's hourly limit per address is counted in the database before anything else (so
// every app node shares it), and the service also limits per email/phone. Browsers (Accept:
// text/html) get pages: the confirmation with the reference, or the form again with the
// problems listed; programs get JSON and problem+json. The pages may be framed by any site
// (the embed). An office's form is off until an admin turns it on (PUT /api/v1/intake/public-form); while
// off, its public routes answer 404 as for an unknown office.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZPublicCategories, ZPublicFormSettings, ZPublicOfficeParams, ZPublicRequest, ZPublicRequestResult } from '../../../contract/web-intake.js';
import { errorStatus, errorTitle } from '../../platform/errors.js';
import { wantsHtml } from '../../platform/http/html.js';
import { sendProblem, toDomainError } from '../../platform/http/problems.js';
import type { App } from '../../platform/http/types.js';
import { notFoundPage, receivedPage, refusedPage, requestForm } from './intake.form-page.js';
import { registerIntakeReaders } from './intake.jobs.js';
import * as publicForm from './intake.public-form.js';
import { countFromAddress, formInfo, officeOf, submit, type FormDeps } from './intake.web-form.js';

const tags = ['public intake'];
const FORM_TYPE = 'application/x-www-form-urlencoded';
const BODY_LIMIT = 32 * 1024;
/** The office a form post is for, as the limit's hook found it (so the handler does not look again). */
const officeOfRequest = new WeakMap<FastifyRequest, Awaited<ReturnType<typeof officeOf>>>();
const pageLimit = { max: 60, timeWindow: '1 minute' };
// Like the app's policy, but any site may frame these pages (the embedded form).
const FRAMEABLE_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors *";

function html(reply: FastifyReply, status: number, body: string) {
  reply.removeHeader('x-frame-options');
  return reply.code(status).header('content-security-policy', FRAMEABLE_CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

/** The form's fields as posted, to show them again beside the problems (never the honeypot). */
function postedValues(body: unknown): Record<string, string | undefined> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(['name', 'email', 'phone', 'address', 'categoryId', 'description', 'clientToken'].map((k) => [k, typeof b[k] === 'string' ? (b[k] as string) : undefined]));
}

export function intakePublicRoutes(app: App): void {
  registerIntakeReaders();
  const { database, config } = app.civitas;
  const deps = (req: FastifyRequest): FormDeps => ({ database, jobs: app.civitas.jobs, limits: config.intakeForm, log: req.log });
  const categoriesOf = async (slug: string) => formInfo(database.db, await officeOf(database.db, slug), config.intakeForm.minSeconds);

  app.get('/api/v1/intake/public-form', {
    schema: { tags: ['inbox'], summary: "Whether the office's public request form is live, and which categories it offers (null: every current one)", response: { 200: ZPublicFormSettings } },
    config: { permission: 'intake.configure' },
  }, async (req) => publicForm.get(req.scope));

  app.put('/api/v1/intake/public-form', {
    schema: { tags: ['inbox'], summary: 'Turn the public request form (/forms/<office> and /api/v1/public/<office>/*) on or off, and choose the categories it offers', body: ZPublicFormSettings, response: { 200: ZPublicFormSettings } },
    config: { permission: 'intake.configure' },
  }, async (req) => publicForm.update(req.scope, req.body));

  void app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    scoped.addContentTypeParser(FORM_TYPE, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    // People get a page for every refusal: the form again for problems with what they typed.
    scoped.setErrorHandler(async (err, req, reply) => {
      const e = toDomainError(err, req);
      if (!wantsHtml(req)) return sendProblem(reply, e);
      const retry = e.extra?.retryAfterSeconds;
      if (typeof retry === 'number') reply.header('retry-after', String(Math.ceil(retry)));
      // A flood gets its answer without touching the database.
      if (e.code === 'rate_limited') return html(reply, 429, refusedPage({ name: 'Civitas' }, errorTitle(e.code), `${e.message}. Please try again later.`));
      const slug = (req.params as { office?: string } | undefined)?.office ?? '';
      const info = await categoriesOf(slug).catch(() => null);
      if (!info) return html(reply, 404, notFoundPage());
      if (req.method === 'POST' && e.code === 'validation_failed') {
        const values = postedValues(req.body);
        return html(reply, 400, requestForm({
          office: info.office, categories: info.items, formToken: info.formToken, clientToken: values.clientToken || randomUUID(), values,
          errors: e.issues ?? [{ field: e.field ?? 'name', message: e.message }],
        }));
      }
      return html(reply, errorStatus(e.code), refusedPage(info.office, errorTitle(e.code), e.message));
    });

    scoped.get('/api/v1/public/:office/categories', {
      schema: { tags, summary: "The office's request categories and a signed form token to send with a request (public)", params: ZPublicOfficeParams, response: { 200: ZPublicCategories } },
      config: { permission: 'public', rateLimit: pageLimit },
    }, async (req) => categoriesOf(req.params.office));

    scoped.post('/api/v1/public/:office/requests', {
      schema: {
        tags, params: ZPublicOfficeParams, body: ZPublicRequest, response: { 200: ZPublicRequestResult, 201: ZPublicRequestResult },
        summary: `A resident's request (JSON or ${FORM_TYPE}, up to ${BODY_LIMIT / 1024} KiB); 201 with the case reference, 200 with the same reference for a resubmit with the same clientToken (public)`,
      },
      config: { permission: 'public' },
      bodyLimit: BODY_LIMIT,
      // Counted before the body is read or checked, as a flood limit must be (a malformed post counts too).
      onRequest: async (req) => {
        const params = ZPublicOfficeParams.safeParse(req.params);
        if (!params.success) return;
        const office = await officeOf(database.db, params.data.office);
        officeOfRequest.set(req, office);
        await countFromAddress(deps(req), office.id, req.ip);
      },
    }, async (req, reply) => {
      // Found once, by the limit's hook.
      const office = officeOfRequest.get(req) ?? await officeOf(database.db, req.params.office);
      const r = await submit(deps(req), office, req.body, { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') });
      const status = r.duplicate ? 200 : 201;
      return wantsHtml(req) ? html(reply, status, receivedPage(office, r.reference)) : reply.code(status).send(r);
    });

    scoped.get('/forms/:office', {
      schema: { hide: true, params: ZPublicOfficeParams },
      config: { permission: 'public', rateLimit: pageLimit },
    }, async (req, reply) => {
      // An unknown office: a page for people, problem+json for programs (the error handler).
      const info = await categoriesOf(req.params.office);
      return html(reply, 200, requestForm({ office: info.office, categories: info.items, formToken: info.formToken, clientToken: randomUUID() }));
    });
  });
}
