// The public signing page for electronic privacy releases: GET shows the form, POST signs.
// No session: the link's token is the credential. The POST is CSRF-safe without one by a
// double-submit token (an httpOnly, SameSite=Strict cookie that must equal the form's hidden
// field) and by refusing cross-site form posts outright. Both routes are rate-limited.
// Browsers get HTML pages (404/410 for unusable links); API clients get problem+json.
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomSecret, safeEqual } from '../../platform/auth/secrets.js';
import { DomainError } from '../../platform/errors.js';
import { sendHtml, wantsHtml } from '../../platform/http/html.js';
import type { App } from '../../platform/http/types.js';
import { signedPage, signingForm, unusablePage } from './referrals.public-page.js';
import * as signing from './referrals.signing.js';

const CSRF_COOKIE = 'civitas_release_csrf';
const ZTokenParams = z.object({ token: z.string().max(200) });
const ZSignForm = z.object({
  csrf: z.string().max(200).optional(),
  typedName: z.string().max(1000).optional(),
  signedDate: z.string().max(40).optional(),
  consent: z.string().max(10).optional(),
});
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** An unusable link or refused post: a page for browsers, the problem for API clients. */
function refuse(req: FastifyRequest, reply: FastifyReply, err: DomainError) {
  if (!wantsHtml(req)) throw err;
  const titles: Record<string, string> = { unknown: 'This link is not valid', expired: 'This link has expired', used: 'This form is already signed', revoked: 'This link was cancelled' };
  const reason = err instanceof signing.LinkUnusable ? err.reason : null;
  return sendHtml(reply, err.code === 'not_found' ? 404 : err.code === 'gone' ? 410 : 403, unusablePage(reason ? titles[reason]! : 'This request could not be accepted', err.message));
}

export function releasePublicRoutes(app: App): void {
  const { config, database } = app.civitas;
  const secure = config.publicUrl.startsWith('https://');
  const rateLimit = { max: 30, timeWindow: '1 minute' };

  const newCsrf = (reply: FastifyReply) => {
    const value = randomSecret(24);
    reply.setCookie(CSRF_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure, path: '/release/' });
    return value;
  };

  app.get('/release/:token', {
    schema: { hide: true, params: ZTokenParams },
    config: { permission: 'public', rateLimit },
  }, async (req, reply) => {
    try {
      const v = await signing.open(database, req.params.token);
      return sendHtml(reply, 200, signingForm(v, newCsrf(reply), `/release/${req.params.token}`));
    } catch (err) {
      if (err instanceof DomainError) return refuse(req, reply, err);
      throw err;
    }
  });

  // Only this route accepts form posts, so the parser lives in its own plugin scope.
  void app.register(async (scoped: App) => {
    scoped.addContentTypeParser(FORM_TYPE, { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scoped.post('/release/:token', {
      schema: { hide: true, params: ZTokenParams, body: ZSignForm },
      config: { permission: 'public', rateLimit },
    }, async (req, reply) => {
      try {
        // An unusable link says so (404/410) whatever else is wrong with the post.
        await signing.open(database, req.params.token);
        if (req.headers['sec-fetch-site'] === 'cross-site') throw new DomainError('forbidden', { message: 'The form must be sent from its own page.' });
        const cookie = req.cookies[CSRF_COOKIE];
        if (!cookie || !req.body.csrf || !safeEqual(cookie, req.body.csrf)) {
          throw new DomainError('csrf_failed', { message: 'The form has expired or was not sent from its page. Open the link again and sign there.' });
        }
        const input = { typedName: req.body.typedName ?? '', signedDate: req.body.signedDate ?? '', consent: req.body.consent === 'yes', ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') };
        try {
          const done = await signing.sign(database, req.params.token, input);
          reply.clearCookie(CSRF_COOKIE, { path: '/release/' });
          return wantsHtml(req) ? sendHtml(reply, 200, signedPage(done)) : { signed: true, contentHash: done.hash };
        } catch (err) {
          if (!(err instanceof signing.SignRefused) || !wantsHtml(req)) throw err;
          // The same form again, with what was typed and the reason beside the field.
          const v = await signing.open(database, req.params.token);
          return sendHtml(reply, 422, signingForm(v, newCsrf(reply), `/release/${req.params.token}`, {
            typedName: input.typedName, signedDate: input.signedDate, error: { field: err.field as 'typedName', message: err.message },
          }));
        }
      } catch (err) {
        if (err instanceof DomainError) return refuse(req, reply, err);
        throw err;
      }
    });
  });
}
