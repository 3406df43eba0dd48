// The privacy-release signing page in the portal, /portal/<office>/release/<token>: GET shows
// the office's consent statement and the form, POST signs (referrals.signing.ts does the
// work). No session: the link's token is the credential, and it names a release of this office
// only (another office's link is "not valid"). Works whether or not the office's public form
// is on: releases belong to casework, not to the portal's requests. A post is guarded three
// ways: the portal's Origin check (portal.routes.ts), a refused `Sec-Fetch-Site: cross-site`,
// and a double-submit token (an httpOnly, SameSite=Strict cookie for this page's path that must
// equal the form's hidden field). Every refusal is a page in the resident's language saying
// what to do. Links sent before the portal point to /release/<token>: that address sends the
// browser on to the portal address of the link's office. Rate-limited; tokens masked in logs.
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Office } from '../../../contract/offices.js';
import { ZPortalQuery, ZPortalTokenParams } from '../../../contract/portal.js';
import { randomSecret, safeEqual } from '../../platform/auth/secrets.js';
import type { Database } from '../../platform/db/database.js';
import type { App } from '../../platform/http/types.js';
import * as offices from '../offices/offices.service.js';
import * as signing from '../referrals/referrals.signing.js';
import { releasePath } from './portal.addresses.js';
import type { Translator } from './portal.i18n.js';
import { languageOf, render } from './portal.pages.js';
import { MessagePage } from './views/MessagePage.js';
import type { PortalOffice } from './views/Layout.js';
import { DATE_EXAMPLE, ReleasePage, type ReleaseProps } from './views/ReleasePage.js';
import { ReleaseSignedPage } from './views/ReleaseSignedPage.js';

const CSRF_COOKIE = 'civitas_release_csrf';
const rateLimit = { max: 30, timeWindow: '1 minute' };
const ZLegacyParams = z.object({ token: z.string().max(200) });
// Every field optional: what is missing is the resident's problem to fix, shown on the form.
const text = z.string().catch('');
const ZSignForm = z.object({ csrf: text, typedName: text, signedDate: text, consent: text }).catch({ csrf: '', typedName: '', signedDate: '', consent: '' });

type Refusal = signing.LinkUnusable['reason'] | 'csrf' | 'crossSite';
const STATUS: Record<Refusal, number> = { unknown: 404, expired: 410, used: 410, revoked: 410, csrf: 403, crossSite: 403 };

export function releaseRoutes(scoped: App, database: Database, isSecure: boolean): void {
  const { db } = database;

  /** A refusal page: what happened and what to do, naming the office when the address has one. */
  const refuse = (reply: FastifyReply, t: Translator, office: Office | null, why: Refusal, path: string) => {
    const values = { office: office?.name ?? t.t('release.theOffice') };
    const link = why === 'csrf' ? { href: `${path}?lang=${t.lang}`, label: t.t('release.csrf.link') } : undefined;
    return render(reply, STATUS[why], MessagePage, { t, office: office ?? null, title: t.t(`release.${why}.title`), text: t.t(`release.${why}.text`, values), path, link });
  };

  const newCsrf = (reply: FastifyReply, slug: string) => {
    const value = randomSecret(24);
    reply.setCookie(CSRF_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: isSecure, path: releasePath(slug, '') });
    return value;
  };

  const form = (reply: FastifyReply, status: number, p: Omit<ReleaseProps, 'title' | 'csrf' | 'office'> & { office: PortalOffice }) =>
    render(reply, status, ReleasePage, { ...p, title: p.t.t('release.title', { reference: p.release.caseReference }), csrf: newCsrf(reply, p.office.slug) });

  /** The office of the address and the resident's language; a refusal when the link is not usable there. */
  const open = async (req: FastifyRequest, reply: FastifyReply, params: z.infer<typeof ZPortalTokenParams>) => {
    const office = (await offices.getBySlug(db, params.office)) ?? null;
    const t = languageOf(req, reply, office, isSecure);
    const path = releasePath(params.office, params.token);
    if (!office) return { t, path, refusal: refuse(reply, t, null, 'unknown', path) };
    try {
      return { t, path, office, view: await signing.open(database, office.id, params.token) };
    } catch (err) {
      if (err instanceof signing.LinkUnusable) return { t, path, refusal: refuse(reply, t, office, err.reason, path) };
      throw err;
    }
  };

  scoped.get('/portal/:office/release/:token', {
    schema: { hide: true, params: ZPortalTokenParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit },
  }, async (req, reply) => {
    const o = await open(req, reply, req.params);
    if (!o.view) return o.refusal;
    return form(reply, 200, { t: o.t, office: o.office, path: o.path, release: o.view, action: `${o.path}?lang=${o.t.lang}` });
  });

  scoped.post('/portal/:office/release/:token', {
    schema: { hide: true, params: ZPortalTokenParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit },
  }, async (req, reply) => {
    // An unusable link says so (404/410) whatever else is wrong with the post.
    const o = await open(req, reply, req.params);
    if (!o.view) return o.refusal;
    const { t, office, path } = o;
    if (req.headers['sec-fetch-site'] === 'cross-site') return refuse(reply, t, office, 'crossSite', path);
    const body = ZSignForm.parse(req.body ?? {});
    const cookie = req.cookies[CSRF_COOKIE];
    if (!cookie || !body.csrf || !safeEqual(cookie, body.csrf)) return refuse(reply, t, office, 'csrf', path);
    const input = { typedName: body.typedName, signedDate: body.signedDate, consent: body.consent === 'yes', ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') };
    try {
      const done = await signing.sign(database, office.id, req.params.token, input);
      reply.clearCookie(CSRF_COOKIE, { path: releasePath(office.slug, '') });
      return render(reply, 200, ReleaseSignedPage, { t, office, title: t.t('release.signed.title', { reference: done.caseReference }), path, caseReference: done.caseReference, hash: done.hash });
    } catch (err) {
      if (err instanceof signing.LinkUnusable) return refuse(reply, t, office, err.reason, path);
      if (!(err instanceof signing.SignRefused)) throw err;
      // The same form again, with what was typed and the problem beside its field.
      const message = t.t(`release.error.${err.problem}`, { office: office.name, example: DATE_EXAMPLE, today: err.values.today ?? '' });
      return form(reply, 422, {
        t, office, path, release: o.view, action: `${path}?lang=${t.lang}`, values: { typedName: input.typedName, signedDate: input.signedDate }, errors: [{ field: err.field ?? 'typedName', message }],
      });
    }
  });

  // The old address: a visit goes on (301) to the portal address of the link's office; a post
  // (a form opened there before the move) to the page (303), to be signed again there, where
  // its CSRF cookie lives. Nothing is signed or checked here beyond finding the office.
  const forward = (status: 301 | 303) => async (req: FastifyRequest<{ Params: z.infer<typeof ZLegacyParams> }>, reply: FastifyReply) => {
    const slug = await signing.officeOfLink(database, req.params.token);
    if (!slug) {
      const t = languageOf(req, reply, null, isSecure);
      return refuse(reply, t, null, 'unknown', `/release/${req.params.token}`);
    }
    return reply.code(status).header('location', releasePath(slug, req.params.token)).header('cache-control', 'no-store').send();
  };
  const legacy = { schema: { hide: true, params: ZLegacyParams }, config: { permission: 'public' as const, rateLimit } };
  scoped.get('/release/:token', legacy, forward(301));
  scoped.post('/release/:token', legacy, forward(303));
}
