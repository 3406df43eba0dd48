// The public rating link: GET /rate/<token>?score=N shows the rating form with that score chosen
// and records nothing (mail scanners open every link in a message); POST /rate/<token> takes the
// form (score and optional comment) and records it. Rate-limited per address. Browsers get HTML
// pages; API clients (no text/html in Accept) get JSON, and the usual problem+json for an unknown
// (404), expired (410) or final (409) rating.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import { sendHtml, wantsHtml } from '../../platform/http/html.js';
import type { App } from '../../platform/http/types.js';
import { askPage, problemPage, thanksPage } from './ratings.pages.js';
import * as ratings from './ratings.service.js';

const ZTokenParams = z.object({ token: z.string().max(200) });
const ZScoreQuery = z.object({ score: z.string().max(20).optional() });
const ZRatingForm = z.object({ score: z.string().max(20).optional(), comment: z.string().max(2000).optional() });

const rateLimit = { max: 30, timeWindow: '1 minute' };
const parseScore = (s: string | undefined) => (s !== undefined && /^[1-5]$/.test(s.trim()) ? Number(s.trim()) : null);
/** Refusals as a page for people, as problem+json for programs. */
function refuse(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  if (!(err instanceof DomainError) || !wantsHtml(req)) throw err;
  if (err.code === 'not_found') return sendHtml(reply, 404, problemPage('Link not recognised', err.message));
  if (err.code === 'gone') return sendHtml(reply, 410, problemPage('Link expired', err.message));
  if (err.code === 'conflict') return sendHtml(reply, 409, problemPage('Already rated', err.message));
  throw err;
}

/** The form, with the linked score (or the one recorded so far) chosen; nothing is recorded. */
async function show(app: App, req: FastifyRequest, reply: FastifyReply, token: string, linked: number | null) {
  try {
    const { target, rating } = await ratings.peek(app.civitas.database.db, token);
    if (!wantsHtml(req)) return reply.send({ reference: target.reference, rating });
    const score = linked ?? rating?.score ?? null;
    return sendHtml(reply, 200, askPage({ token, reference: target.reference, officeName: target.officeName, score, comment: rating?.comment ?? null }));
  } catch (err) {
    return refuse(req, reply, err);
  }
}

async function record(app: App, req: FastifyRequest, reply: FastifyReply, token: string, score: number | null, comment: string | undefined) {
  const { db } = app.civitas.database;
  try {
    if (score === null) {
      const t = await ratings.resolveToken(db, token);
      if (!wantsHtml(req)) throw new DomainError('validation_failed', { field: 'score', message: 'Choose a score from 1 to 5' });
      return sendHtml(reply, 400, askPage({ token, reference: t.reference, officeName: t.officeName, score: null, comment: comment ?? null }, 'Choose a score from 1 to 5.'));
    }
    const r = await ratings.rate(db, token, { score, comment });
    if (!wantsHtml(req)) return reply.send({ reference: r.target.reference, rating: r.rating });
    return sendHtml(reply, 200, thanksPage({ token, reference: r.target.reference, officeName: r.target.officeName, score: r.rating.score, comment: r.rating.comment }, ratings.CHANGE_WINDOW_DAYS));
  } catch (err) {
    return refuse(req, reply, err);
  }
}

export function ratingPageRoutes(app: App): void {
  app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    // The rating form posts application/x-www-form-urlencoded; only these routes accept it.
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scoped.get('/rate/:token', {
      schema: { hide: true, params: ZTokenParams, querystring: ZScoreQuery }, // a page for residents, not part of the API
      config: { permission: 'public', rateLimit },
    }, async (req, reply) => show(app, req, reply, req.params.token, parseScore(req.query.score)));

    scoped.post('/rate/:token', {
      schema: { hide: true, params: ZTokenParams, body: ZRatingForm },
      config: { permission: 'public', rateLimit },
    }, async (req, reply) => record(app, req, reply, req.params.token, parseScore(req.body.score), req.body.comment));
  });
}
