// The resident portal at /portal/<office>: server-rendered pages that work with JavaScript
// off (forms post and redirect with 303), in the request's language. Public: every route is
// rate-limited per client address; posts carry the signed form token, and one from another
// site (an Origin naming a site that is not ours) is refused; report and comment posts are counted against
// the public form's hourly limit per address before their body is read. Tracking tokens are
// masked in logs (app.ts maskPathTokens). Live exactly when the office's public form is on.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { COMMENT_MAX, ZPortalOfficeParams, ZPortalQuery, ZPortalTokenParams } from '../../../contract/portal.js';
import { DomainError, errorStatus } from '../../platform/errors.js';
import { toDomainError } from '../../platform/http/problems.js';
import type { App } from '../../platform/http/types.js';
import { alertRoutes } from '../alerts/alerts.routes.js';
import { registerIntakeReaders } from '../intake/intake.jobs.js';
import { countFromAddress, type FormDeps } from '../intake/intake.web-form.js';
import { FormProblems } from './portal.forms.js';
import { MESSAGES_DIR } from './portal.i18n.js';
import { languageOf, messagesOf, posted, render, seeOther } from './portal.pages.js';
import { accountRoutes } from './portal.account-routes.js';
import { openDataRoutes } from './portal.open-data-routes.js';
import { limitValues, readForm } from './portal.photos.js';
import { photoRoutes, photosForPage } from './portal.photo-routes.js';
import { releaseRoutes } from './portal.release-routes.js';
import { reportRoutes } from './portal.report-routes.js';
import * as portal from './portal.service.js';
import { ConfirmationPage } from './views/ConfirmationPage.js';
import { HomePage } from './views/HomePage.js';
import { MessagePage } from './views/MessagePage.js';
import { TrackPage } from './views/TrackPage.js';

const FORM_TYPE = 'application/x-www-form-urlencoded';
const BODY_LIMIT = 64 * 1024;
const pageLimit = { max: 60, timeWindow: '1 minute' };
const lookupLimit = { max: 10, timeWindow: '1 minute' };
const STYLESHEET = fs.readFileSync(path.join(path.dirname(MESSAGES_DIR), 'views', 'portal.css'));
const ERROR_PAGES: Partial<Record<string, 'notFound' | 'expired' | 'refused' | 'forbidden'>> = { not_found: 'notFound', validation_failed: 'notFound', gone: 'expired', rate_limited: 'refused', forbidden: 'forbidden' };

export function portalRoutes(app: App): void {
  registerIntakeReaders();
  const { database, config } = app.civitas;
  const { db } = database;
  const isSecure = config.publicUrl.startsWith('https://');
  const deps = (req: FastifyRequest): FormDeps => ({ database, jobs: app.civitas.jobs, limits: config.intakeForm, log: req.log });
  const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') });
  // One lookup per request, however many steps ask (the count of posts, then the handler).
  const offices = new WeakMap<FastifyRequest, Promise<portal.Office>>();
  const officeOf = (req: FastifyRequest) => {
    let office = offices.get(req);
    if (!office) offices.set(req, (office = portal.officeFor(db, (req.params as { office: string }).office)));
    return office;
  };
  /** Counted before the body is read, as a flood limit must be. */
  const countPost = async (req: FastifyRequest) => {
    const params = ZPortalOfficeParams.safeParse(req.params);
    if (params.success) await countFromAddress(deps(req), (await officeOf(req)).id, req.ip);
  };

  app.get('/portal/portal.css', { schema: { hide: true }, config: { permission: 'public', rateLimit: pageLimit } }, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STYLESHEET));

  void app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    scoped.addContentTypeParser(FORM_TYPE, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
    // Report and comment forms with photos (portal.photos.ts readForm reads them within its limits).
    await scoped.register(multipart);
    // A post from a page of another site: our forms are only on our own pages.
    scoped.addHook('onRequest', async (req) => {
      const origin = req.headers.origin;
      // 'null': a privacy setting withheld it; the signed form token still guards the post.
      if (req.method !== 'POST' || !origin || origin === 'null') return;
      const host = URL.canParse(origin) ? new URL(origin).host : null;
      if (origin !== new URL(config.publicUrl).origin && host !== req.headers.host) throw new DomainError('forbidden', { message: 'This form was sent from another site' });
    });
    // People get a page for every refusal, in their language.
    scoped.setErrorHandler(async (err, req, reply) => {
      const e = toDomainError(err, req);
      const kind = ERROR_PAGES[e.code] ?? 'failed';
      if (kind === 'failed') req.log.error({ err, code: e.code }, 'portal request failed');
      const retry = e.extra?.retryAfterSeconds;
      if (typeof retry === 'number') reply.header('retry-after', String(Math.ceil(retry)));
      const office = e.code === 'rate_limited' ? null : await officeOf(req).catch(() => null);
      const t = languageOf(req, reply, office, isSecure);
      const link = kind === 'expired' && office ? { href: `/portal/${office.slug}?lang=${t.lang}`, label: t.t('home.track.heading') } : undefined;
      const status = kind === 'notFound' ? 404 : kind === 'failed' ? Math.max(500, errorStatus(e.code)) : errorStatus(e.code);
      return render(reply, status, MessagePage, { t, office, title: t.t(`${kind}.title`), text: t.t(`${kind}.text`), path: office ? `/portal/${office.slug}` : '/portal', link });
    });

    scoped.get('/portal/:office', {
      schema: { hide: true, params: ZPortalOfficeParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: pageLimit },
    }, async (req, reply) => {
      const office = await officeOf(req);
      const t = languageOf(req, reply, office, isSecure);
      return render(reply, 200, HomePage, { t, office, title: t.t('home.title'), path: `/portal/${office.slug}`, formToken: await portal.formToken(db, office) });
    });

    scoped.post('/portal/:office/track', {
      schema: { hide: true, params: ZPortalOfficeParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: lookupLimit }, bodyLimit: BODY_LIMIT,
    }, async (req, reply) => {
      const office = await officeOf(req);
      const t = languageOf(req, reply, office, isSecure);
      try {
        return seeOther(reply, `/portal/${office.slug}/track/${await portal.lookup(db, office, req.body)}?lang=${t.lang}`);
      } catch (err) {
        if (!(err instanceof FormProblems)) throw err;
        return render(reply, 400, HomePage, {
          t, office, title: t.t('home.title'), path: `/portal/${office.slug}`, formToken: await portal.formToken(db, office), values: posted(req.body, ['reference', 'contact']), errors: messagesOf(t, err.issues, office.name),
        });
      }
    });

    reportRoutes(scoped, {
      isSecure, minFillSeconds: config.intakeForm.minSeconds, photos: config.portalPhotos, bodyLimit: BODY_LIMIT, pageLimit, deps, meta, officeOf, countPost, mapTiles: config.mapTiles, publicUrl: config.publicUrl, alertLimits: config.alertLimits,
    });

    scoped.get('/portal/:office/confirmation/:token', {
      schema: { hide: true, params: ZPortalTokenParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: pageLimit },
    }, async (req, reply) => {
      const office = await officeOf(req);
      const t = languageOf(req, reply, office, isSecure);
      const view = await portal.track(db, office, req.params.token);
      const trackingUrl = `${config.publicUrl}/portal/${office.slug}/track/${req.params.token}`;
      return render(reply, 200, ConfirmationPage, { t, office, title: t.t('confirm.title'), path: `/portal/${office.slug}/confirmation/${req.params.token}`, reference: view.reference, trackingUrl });
    });

    const trackPage = async (req: FastifyRequest, reply: Parameters<typeof render>[0], office: portal.Office, token: string, status: number, problems?: { text: string | undefined; issues: FormProblems['issues'] }) => {
      const t = languageOf(req, reply, office, isSecure);
      const view = await portal.track(db, office, token);
      const base = `/portal/${office.slug}/track/${token}`;
      return render(reply, status, TrackPage, {
        t, office, title: view.reference ? t.t('track.title', { reference: view.reference }) : t.t('track.titlePending'), path: base, view,
        commentAction: `${base}/comments?lang=${t.lang}`, formToken: await portal.formToken(db, office), clientToken: randomUUID(), commentMax: COMMENT_MAX,
        photos: view.isSensitive ? [] : await photosForPage(db, office, token), photoLimits: limitValues(config.portalPhotos),
        isCommentSent: (req.query as { comment?: unknown }).comment === 'sent',
        ...(problems ? { values: { text: problems.text }, errors: messagesOf(t, problems.issues, office.name) } : {}),
      });
    };

    photoRoutes(scoped, db, pageLimit);
    openDataRoutes(scoped, { db, isSecure, pageLimit });
    releaseRoutes(scoped, database, isSecure);
    alertRoutes(scoped, { database, publicUrl: config.publicUrl, isSecure, limits: config.alertLimits });
    accountRoutes(scoped, { database, jobs: () => app.civitas.jobs, publicUrl: config.publicUrl, isSecure, bodyLimit: BODY_LIMIT, pageLimit, officeOf, countPost });

    scoped.get('/portal/:office/track/:token', {
      schema: { hide: true, params: ZPortalTokenParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: pageLimit },
    }, async (req, reply) => trackPage(req, reply, await officeOf(req), req.params.token, 200));

    scoped.post('/portal/:office/track/:token/comments', {
      schema: { hide: true, params: ZPortalTokenParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: pageLimit }, bodyLimit: BODY_LIMIT, onRequest: countPost,
    }, async (req, reply) => {
      const office = await officeOf(req);
      const t = languageOf(req, reply, office, isSecure);
      const form = await readForm(req, config.portalPhotos);
      try {
        await portal.comment(deps(req), office, req.params.token, form, { ip: req.ip });
        return seeOther(reply, `/portal/${office.slug}/track/${req.params.token}?lang=${t.lang}&comment=sent`);
      } catch (err) {
        if (!(err instanceof FormProblems)) throw err;
        return trackPage(req, reply, office, req.params.token, 400, { text: posted(form.body, ['text']).text, issues: err.issues });
      }
    });
  });
}
