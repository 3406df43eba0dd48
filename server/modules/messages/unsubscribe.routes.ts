// The public unsubscribe link of bulk mail. GET /unsubscribe/<token> shows a confirmation page
// with one button; POST /unsubscribe/<token> unsubscribes, either from that button or straight
// from a mail client's one-click List-Unsubscribe (RFC 8058: a POST with
// "List-Unsubscribe=One-Click", form-encoded or multipart). The POST answers 200 every time
// (idempotent) and never redirects. Unknown tokens get a 404 page that says nothing about why;
// rate-limited per address like the rating link. Staff who may record consent can also get a
// person's link, for mail sent through another tool.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import { DomainError } from '../../platform/errors.js';
import { sendHtml, wantsHtml } from '../../platform/http/html.js';
import type { App } from '../../platform/http/types.js';
import { problemPage } from './ratings.pages.js';
import { confirmPage, donePage } from './unsubscribe.pages.js';
import * as unsubscribes from './unsubscribe.service.js';

const ZTokenParams = z.object({ token: z.string().max(200) });
const rateLimit = { max: 30, timeWindow: '1 minute' };
/** An unknown link: a page for people, problem+json for programs. */
function refuse(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (err instanceof DomainError && err.code === 'not_found' && wantsHtml(req)) return sendHtml(reply, 404, problemPage('Link not recognised', err.message));
  throw err;
}

/** How the unsubscribe was made, for the consent ledger's evidence. */
function evidenceOf(req: FastifyRequest): string {
  const body = req.body;
  const oneClick = typeof body === 'string' ? /List-Unsubscribe=One-Click/i.test(body) : (body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click';
  const how = oneClick ? 'One-click List-Unsubscribe request from the mail client (RFC 8058)' : 'Unsubscribe button on the page linked from the email';
  const agent = String(req.headers['user-agent'] ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 200);
  return `${how}${agent ? `; user agent: ${agent}` : ''}`;
}

const ZLinkQuery = z.object({ purpose: z.enum(['outreach', 'surveys']) });
const ZLink = z.object({ url: z.string(), purpose: z.enum(['outreach', 'surveys']) });

export function unsubscribeRoutes(app: App): void {
  app.get('/api/v1/constituents/:id/unsubscribe-link', {
    schema: {
      tags: ['messages'], summary: "The person's one-click unsubscribe link for a purpose (for mail sent through another tool; following it withdraws their email consent for that purpose)",
      params: ZIdParams, querystring: ZLinkQuery, response: { 200: ZLink },
    },
    config: { permission: 'constituent.write' },
  }, async (req) => unsubscribes.linkFor(req.scope, req.params.id, req.query.purpose, app.civitas.config.publicUrl));

  app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    // Only these routes take form posts: the page's button (urlencoded) and mail clients (either encoding).
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    // Nothing in a multipart body is needed but the one-click marker, read from the raw text.
    scoped.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => done(null, body));

    scoped.get('/unsubscribe/:token', {
      schema: { hide: true, params: ZTokenParams }, // a page for residents, not part of the API
      config: { permission: 'public', rateLimit },
    }, async (req, reply) => {
      try {
        return sendHtml(reply, 200, confirmPage(req.params.token, await unsubscribes.resolveToken(app.civitas.database.db, req.params.token)));
      } catch (err) {
        return refuse(req, reply, err);
      }
    });

    scoped.post('/unsubscribe/:token', {
      schema: { hide: true, params: ZTokenParams },
      config: { permission: 'public', rateLimit },
    }, async (req, reply) => {
      try {
        return sendHtml(reply, 200, donePage(await unsubscribes.unsubscribe(app.civitas.database.db, req.params.token, evidenceOf(req))));
      } catch (err) {
        return refuse(req, reply, err);
      }
    });
  });
}
