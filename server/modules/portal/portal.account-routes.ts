// Resident accounts in the portal, /portal/<office>/account: sign in by an emailed link
// (portal.account.ts), then the resident's requests, contact preferences and consent, and a
// download of their data (portal.account-data.ts). Registered inside the portal's plugin, so
// the Origin check, the form parser and the error pages are the portal's. The session cookie
// is HttpOnly, SameSite=Lax, Secure under https, and its Path is the office's portal, so a
// browser never sends one office's cookie to another (nor would it work there). Sign-in link
// tokens are masked in logs (app.ts maskPathTokens). Every page is rate-limited per address;
// asking for a link also counts against the public form's hourly limit per address.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZPortalOfficeParams, ZPortalQuery, ZPortalTokenParams } from '../../../contract/portal.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import type { Jobs } from '../../platform/jobs.js';
import * as account from './portal.account.js';
import * as data from './portal.account-data.js';
import { FormProblems } from './portal.forms.js';
import { languageOf, messagesOf, posted, render, seeOther } from './portal.pages.js';
import * as portal from './portal.service.js';
import { AccountLinkPage } from './views/AccountLinkPage.js';
import { AccountPreferencesPage } from './views/AccountPreferencesPage.js';
import { AccountRequestsPage } from './views/AccountRequestsPage.js';
import { AccountSignInPage } from './views/AccountSignInPage.js';
import { MessagePage } from './views/MessagePage.js';
import { TrackPage } from './views/TrackPage.js';

type Limit = { max: number; timeWindow: string };

export type AccountRouteContext = {
  database: Database;
  jobs: () => Jobs | undefined;
  publicUrl: string;
  isSecure: boolean;
  bodyLimit: number;
  pageLimit: Limit;
  officeOf: (req: FastifyRequest) => Promise<portal.Office>;
  /** Counts a post against the public form's hourly limit per address (before the body is read). */
  countPost: (req: FastifyRequest) => Promise<void>;
};

const signInLimit = { max: 10, timeWindow: '1 minute' };
const ZReferenceParams = ZPortalOfficeParams.extend({ reference: z.string().max(40) });
const ZPage = z.coerce.number().int().min(1).max(100_000).catch(1);
const LINK_STATUS: Record<account.LinkProblem, number> = { unknown: 404, used: 410, expired: 410 };
const flag = (req: FastifyRequest, name: string) => (req.query as Record<string, unknown>)[name] === '1';

export function accountRoutes(scoped: App, c: AccountRouteContext): void {
  const { db } = c.database;
  const route = (rateLimit: Limit, extra: object = {}) => ({ schema: { hide: true, params: ZPortalOfficeParams, querystring: ZPortalQuery }, config: { permission: 'public' as const, rateLimit }, ...extra });
  const post = (rateLimit: Limit, extra: object = {}) => route(rateLimit, { bodyLimit: c.bodyLimit, ...extra });
  const cookiePath = (office: portal.Office) => `/portal/${office.slug}`;
  const home = (office: portal.Office, lang: string, query = '') => `/portal/${office.slug}/account?lang=${lang}${query}`;

  /** The office, the page's language, and the signed-in resident (null when signed out). */
  async function visit(req: FastifyRequest, reply: FastifyReply) {
    const office = await c.officeOf(req);
    const t = languageOf(req, reply, office, c.isSecure);
    const session = await account.sessionOf(db, office, req.cookies[account.SESSION_COOKIE]);
    return { office, t, resident: session ? await data.residentOf(db, office, session.email) : null };
  }

  const signInPage = async (reply: FastifyReply, v: Omit<Awaited<ReturnType<typeof visit>>, 'resident'>, status: number, extra: { isSignedOut?: boolean; email?: string; issues?: FormProblems['issues'] } = {}) =>
    render(reply, status, AccountSignInPage, {
      t: v.t, office: v.office, title: v.t.t('account.signIn.title'), path: `/portal/${v.office.slug}/account`, formToken: await portal.formToken(db, v.office), linkMinutes: account.LINK_MINUTES,
      isSignedOut: extra.isSignedOut ?? false, values: { email: extra.email }, errors: extra.issues ? messagesOf(v.t, extra.issues, v.office.name) : [],
    });

  const linkProblem = (reply: FastifyReply, v: { office: portal.Office; t: ReturnType<typeof languageOf> }, problem: account.LinkProblem) =>
    render(reply, LINK_STATUS[problem], MessagePage, {
      t: v.t, office: v.office, title: v.t.t(`account.link.${problem}.title`), text: v.t.t(`account.link.${problem}.text`, { minutes: account.LINK_MINUTES }),
      path: `/portal/${v.office.slug}/account`, link: { href: home(v.office, v.t.lang), label: v.t.t('account.link.again') },
    });

  // Signed out: the sign-in form. Signed in: their requests, a page at a time.
  scoped.get('/portal/:office/account', route(c.pageLimit), async (req, reply) => {
    const v = await visit(req, reply);
    if (!v.resident) return signInPage(reply, v, 200, { isSignedOut: flag(req, 'signedOut') });
    const page = await data.myRequests(db, v.office, v.resident, ZPage.parse((req.query as { page?: unknown }).page));
    return render(reply, 200, AccountRequestsPage, {
      t: v.t, office: v.office, title: v.t.t('account.requests.title'), path: `/portal/${v.office.slug}/account${page.page > 1 ? `?page=${page.page}` : ''}`,
      email: v.resident.email, formToken: await portal.formToken(db, v.office), isSignedIn: flag(req, 'signedIn'), ...page,
    });
  });

  scoped.post('/portal/:office/account/sign-in', post(signInLimit, { onRequest: c.countPost }), async (req, reply) => {
    const office = await c.officeOf(req);
    const t = languageOf(req, reply, office, c.isSecure);
    try {
      await account.requestLink({ database: c.database, jobs: c.jobs(), publicUrl: c.publicUrl, log: req.log }, office, req.body, t);
    } catch (err) {
      if (!(err instanceof FormProblems)) throw err;
      return signInPage(reply, { office, t }, 400, { email: posted(req.body, ['email']).email, issues: err.issues });
    }
    return seeOther(reply, `/portal/${office.slug}/account/check-email?lang=${t.lang}`);
  });

  scoped.get('/portal/:office/account/check-email', route(c.pageLimit), async (req, reply) => {
    const office = await c.officeOf(req);
    const t = languageOf(req, reply, office, c.isSecure);
    return render(reply, 200, MessagePage, {
      t, office, title: t.t('account.checkEmail.title'), text: t.t('account.checkEmail.text', { office: office.name, minutes: account.LINK_MINUTES }),
      path: `/portal/${office.slug}/account/check-email`, link: { href: home(office, t.lang), label: t.t('account.checkEmail.again') },
    });
  });

  const tokenRoute = (rateLimit: Limit, extra: object = {}) => ({ ...route(rateLimit, extra), schema: { hide: true, params: ZPortalTokenParams, querystring: ZPortalQuery } });

  scoped.get('/portal/:office/account/sign-in/:token', tokenRoute(c.pageLimit), async (req, reply) => {
    const office = await c.officeOf(req);
    const t = languageOf(req, reply, office, c.isSecure);
    const state = await account.linkState(db, office, req.params.token);
    if (state !== 'valid') return linkProblem(reply, { office, t }, state);
    const path = account.linkPath(office, req.params.token);
    return render(reply, 200, AccountLinkPage, { t, office, title: t.t('account.link.title'), path, action: `${path}?lang=${t.lang}`, formToken: await portal.formToken(db, office) });
  });

  scoped.post('/portal/:office/account/sign-in/:token', tokenRoute(signInLimit, { bodyLimit: c.bodyLimit }), async (req, reply) => {
    const office = await c.officeOf(req);
    const t = languageOf(req, reply, office, c.isSecure);
    if (!(await account.isFormSigned(db, office, req.body))) throw new DomainError('forbidden', { message: 'The sign-in form could not be checked' });
    const outcome = await account.signIn(db, office, req.params.token);
    if ('problem' in outcome) return linkProblem(reply, { office, t }, outcome.problem);
    reply.setCookie(account.SESSION_COOKIE, outcome.session, {
      path: cookiePath(office), httpOnly: true, sameSite: 'lax', secure: c.isSecure, maxAge: account.SESSION_DAYS * 86_400,
    });
    return seeOther(reply, home(office, t.lang, '&signedIn=1'));
  });

  // No form token needed: signing out harms nobody, and a page left open for days must still do it.
  scoped.post('/portal/:office/account/sign-out', post(c.pageLimit), async (req, reply) => {
    const office = await c.officeOf(req);
    const t = languageOf(req, reply, office, c.isSecure);
    await account.signOut(db, office, req.cookies[account.SESSION_COOKIE]);
    reply.clearCookie(account.SESSION_COOKIE, { path: cookiePath(office), httpOnly: true, sameSite: 'lax', secure: c.isSecure });
    return seeOther(reply, home(office, t.lang, '&signedOut=1'));
  });

  scoped.get('/portal/:office/account/requests/:reference', { ...route(c.pageLimit), schema: { hide: true, params: ZReferenceParams, querystring: ZPortalQuery } }, async (req, reply) => {
    const v = await visit(req, reply);
    if (!v.resident) return seeOther(reply, home(v.office, v.t.lang));
    const view = await data.myRequest(db, v.office, v.resident, req.params.reference);
    return render(reply, 200, TrackPage, {
      t: v.t, office: v.office, title: v.t.t('track.title', { reference: view.reference ?? '' }), path: `/portal/${v.office.slug}/account/requests/${encodeURIComponent(req.params.reference)}`,
      view, commentAction: '', formToken: '', clientToken: '', commentMax: 0, photos: [], photoLimits: { count: 0, size: 0, total: 0 },
    });
  });

  const preferencesPage = async (reply: FastifyReply, v: Awaited<ReturnType<typeof visit>> & { resident: data.Resident }, status: number, extra: { isSaved?: boolean; issues?: FormProblems['issues'] } = {}) => {
    const state = await data.contactOf(db, v.office, v.resident);
    return render(reply, status, AccountPreferencesPage, {
      t: v.t, office: v.office, title: v.t.t('account.prefs.title'), path: `/portal/${v.office.slug}/account/preferences`, email: v.resident.email,
      formToken: await portal.formToken(db, v.office), ...state, isSaved: extra.isSaved ?? false, errors: extra.issues ? messagesOf(v.t, extra.issues, v.office.name) : [],
    });
  };

  scoped.get('/portal/:office/account/preferences', route(c.pageLimit), async (req, reply) => {
    const v = await visit(req, reply);
    return v.resident ? preferencesPage(reply, { ...v, resident: v.resident }, 200, { isSaved: flag(req, 'saved') }) : seeOther(reply, home(v.office, v.t.lang));
  });

  scoped.post('/portal/:office/account/preferences', post(c.pageLimit), async (req, reply) => {
    const v = await visit(req, reply);
    if (!v.resident) return seeOther(reply, home(v.office, v.t.lang));
    try {
      if (!(await account.isFormSigned(db, v.office, req.body))) throw new FormProblems([{ field: 'preferredChannel', key: 'error.form.retry' }]);
      await data.savePreferences(db, v.office, v.resident, req.body, v.t);
    } catch (err) {
      if (!(err instanceof FormProblems)) throw err;
      return preferencesPage(reply, { ...v, resident: v.resident }, 400, { issues: err.issues });
    }
    return seeOther(reply, `/portal/${v.office.slug}/account/preferences?lang=${v.t.lang}&saved=1`);
  });

  scoped.get('/portal/:office/account/data', route(c.pageLimit), async (req, reply) => {
    const v = await visit(req, reply);
    if (!v.resident) return seeOther(reply, home(v.office, v.t.lang));
    const body = JSON.stringify(await data.myData(db, v.office, v.resident), null, 2);
    return reply.code(200).header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${v.office.slug}-my-data.json"`)
      .type('application/json; charset=utf-8').send(body);
  });
}
