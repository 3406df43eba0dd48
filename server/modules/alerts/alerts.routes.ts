// Area alerts' pages in the portal, registered inside the portal's plugin scope (its form
// parsers, Origin check and error pages): /portal/<office>/alerts to subscribe (the office's
// portal must be live), then the pages the emails link to, which work whether or not it still
// is (an unsubscribe link must always work): confirm (GET shows one button, POST confirms),
// manage (the address's subscriptions), unsubscribe (GET shows one button; POST unsubscribes,
// from the button with the signed form token, or from a mail client's one-click
// List-Unsubscribe POST, RFC 8058, without it), and the matching reports of the last 30 days.
// Every post answers with a 303 but the one-click one (200). Tokens are masked in logs
// (app.ts maskPathTokens); pages are sent with no-store and no referrer (sendHtml).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZPortalOfficeParams, ZPortalQuery, ZPortalTokenParams } from '../../../contract/portal.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { checkFormToken, issueFormToken } from '../intake/intake.form-token.js';
import * as offices from '../offices/offices.service.js';
import { FormProblems } from '../portal/portal.forms.js';
import type { Translator } from '../portal/portal.i18n.js';
import { languageOf, messagesOf, posted, render, seeOther } from '../portal/portal.pages.js';
import * as portal from '../portal/portal.service.js';
import { AlertButtonPage } from '../portal/views/AlertButtonPage.js';
import { AlertManagePage } from '../portal/views/AlertManagePage.js';
import { AlertReportsPage } from '../portal/views/AlertReportsPage.js';
import { AlertsPage, type AlertsProps } from '../portal/views/AlertsPage.js';
import { MessagePage } from '../portal/views/MessagePage.js';
import { alertsPath } from './alerts.schedule.js';
import type { TokenPurpose } from './alerts.tokens.js';
import { ALERT_FIELDS } from './alerts.schemas.js';
import * as alerts from './alerts.service.js';

const pageLimit = { max: 60, timeWindow: '1 minute' };
const postLimit = { max: 20, timeWindow: '1 minute' };
const BODY_LIMIT = 16 * 1024;
const ZManageQuery = z.object({ done: z.enum(['confirmed', 'unsubscribed']).optional().catch(undefined) }).catchall(z.unknown());

type Deps = { database: Database; publicUrl: string; isSecure: boolean; limits: alerts.Limits };
type Reply = FastifyReply;
type LinkOffice = NonNullable<Awaited<ReturnType<typeof offices.getBySlug>>>;

/** Whether a post is a mail client's one-click unsubscribe (form-encoded or multipart). */
async function isOneClick(req: FastifyRequest): Promise<boolean> {
  if (req.isMultipart()) {
    let found = false;
    for await (const part of req.parts({ limits: { fields: 10, fileSize: 0, files: 0 } })) {
      if (part.type === 'field' && part.fieldname === 'List-Unsubscribe' && part.value === 'One-Click') found = true;
    }
    return found;
  }
  return (req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click';
}

export function alertRoutes(scoped: App, d: Deps): void {
  const { db } = d.database;
  const page = { schema: { hide: true, params: ZPortalOfficeParams, querystring: ZPortalQuery }, config: { permission: 'public' as const, rateLimit: pageLimit } };
  const tokenPage = { schema: { hide: true, params: ZPortalTokenParams, querystring: ZPortalQuery }, config: { permission: 'public' as const, rateLimit: pageLimit } };
  const tokenPost = { ...tokenPage, bodyLimit: BODY_LIMIT };

  /** The office of a link's address, live portal or not; "page not found" for none. */
  const linkOffice = async (slug: string): Promise<LinkOffice> => {
    const office = await offices.getBySlug(db, slug);
    if (!office) throw new DomainError('not_found', { message: 'There is no office at this address' });
    return office;
  };

  /** A link that cannot be used: what happened and where to subscribe again. */
  const linkProblem = (reply: Reply, t: Translator, office: LinkOffice, err: unknown, path: string) => {
    if (!(err instanceof alerts.AlertLinkProblem)) throw err;
    const link = { href: `${alertsPath(office.slug)}?lang=${t.lang}`, label: t.t('alerts.link.subscribe') };
    return render(reply, err.reason === 'expired' ? 410 : 404, MessagePage, { t, office, title: t.t(`alerts.link.${err.reason}.title`), text: t.t(`alerts.link.${err.reason}.text`), path, link });
  };

  /** A post whose form token does not check: open the page again. */
  const retry = (reply: Reply, t: Translator, office: LinkOffice, path: string) =>
    render(reply, 400, MessagePage, { t, office, title: t.t('alerts.retry.title'), text: t.t('error.form.retry'), path, link: { href: `${path}?lang=${t.lang}`, label: t.t('alerts.retry.link') } });
  const formChecks = (office: alerts.Office, body: unknown) => checkFormToken(db, office.id, String(posted(body, ['formToken']).formToken ?? ''), 0).then(() => true, () => false);

  const formPage = async (req: FastifyRequest, reply: Reply, office: portal.Office, status: number, extra: Pick<AlertsProps, 'values' | 'errors' | 'choose'> = {}) => {
    const t = languageOf(req, reply, office, d.isSecure);
    const offered = await alerts.choices(db, office);
    return render(reply, status, AlertsPage, {
      t, office, title: t.t('alerts.title'), path: alertsPath(office.slug), action: `${alertsPath(office.slug)}?lang=${t.lang}`,
      formToken: await issueFormToken(db, office.id), ...offered, ...extra,
    });
  };

  scoped.get('/portal/:office/alerts', page, async (req, reply) => formPage(req, reply, await portal.officeFor(db, req.params.office), 200));

  scoped.post('/portal/:office/alerts', { ...page, config: { ...page.config, rateLimit: postLimit }, bodyLimit: BODY_LIMIT }, async (req, reply) => {
    const office = await portal.officeFor(db, req.params.office);
    const t = languageOf(req, reply, office, d.isSecure);
    const values = posted(req.body, ALERT_FIELDS);
    try {
      const r = await alerts.subscribe(db, office, req.body, t, { ip: req.ip, publicUrl: d.publicUrl, limits: d.limits });
      if (r.done) return seeOther(reply, `${alertsPath(office.slug)}/sent?lang=${t.lang}`);
      return formPage(req, reply, office, 200, { values, choose: r.choose });
    } catch (err) {
      if (!(err instanceof FormProblems)) throw err;
      return formPage(req, reply, office, 400, { values, errors: messagesOf(t, err.issues, office.name) });
    }
  });

  scoped.get('/portal/:office/alerts/sent', page, async (req, reply) => {
    const office = await portal.officeFor(db, req.params.office);
    const t = languageOf(req, reply, office, d.isSecure);
    return render(reply, 200, MessagePage, { t, office, title: t.t('alerts.sent.title'), text: t.t('alerts.sent.text', { office: office.name }), path: `${alertsPath(office.slug)}/sent` });
  });

  type Link = { office: LinkOffice; t: Translator; path: string; token: string };
  /** A page a link opens: its office and language, and the link's problem as a page. */
  const withLink = (purpose: TokenPurpose | 'reports', fn: (req: FastifyRequest, reply: Reply, l: Link) => Promise<unknown>) =>
    async (req: FastifyRequest<{ Params: z.infer<typeof ZPortalTokenParams> }>, reply: Reply) => {
      const office = await linkOffice(req.params.office);
      const t = languageOf(req, reply, office, d.isSecure);
      const path = alertsPath(office.slug, purpose, req.params.token);
      try {
        return await fn(req, reply, { office, t, path, token: req.params.token });
      } catch (err) {
        return linkProblem(reply, t, office, err, path);
      }
    };
  const buttonPage = async (reply: Reply, { office, t, path }: Link, texts: { title: string; text: string; button: string }) => render(reply, 200, AlertButtonPage, {
    t, office, title: texts.title, path, heading: texts.title, lines: [texts.text], action: `${path}?lang=${t.lang}`, formToken: await issueFormToken(db, office.id), button: texts.button,
  });
  const unsubscribed = (reply: Reply, { office, t }: Pick<Link, 'office' | 't'>, path: string) =>
    render(reply, 200, MessagePage, { t, office, title: t.t('alerts.unsubscribed.title'), text: t.t('alerts.unsubscribed.text', { office: office.name }), path });

  scoped.get('/portal/:office/alerts/confirm/:token', tokenPage, withLink('confirm', async (_req, reply, l) => {
    const s = await alerts.toConfirm(db, l.office, l.token, l.t);
    return buttonPage(reply, l, { title: l.t.t('alerts.confirm.title'), text: l.t.t('alerts.confirm.text', { area: s.area, frequency: s.frequency }), button: l.t.t('alerts.confirm.button') });
  }));

  // An unusable link says so (404/410) whatever else is wrong with the post.
  scoped.post('/portal/:office/alerts/confirm/:token', tokenPost, withLink('confirm', async (req, reply, { office, t, path, token }) => {
    await alerts.toConfirm(db, office, token, t);
    if (!(await formChecks(office, req.body))) return retry(reply, t, office, path);
    return seeOther(reply, `${alertsPath(office.slug, 'manage', await alerts.confirm(db, office, token))}?lang=${t.lang}&done=confirmed`);
  }));

  scoped.get('/portal/:office/alerts/manage/:token', tokenPage, withLink('manage', async (req, reply, { office, t, path, token }) => {
    const done = ZManageQuery.parse(req.query).done;
    return render(reply, 200, AlertManagePage, {
      t, office, title: t.t('alerts.manage.heading'), path, items: await alerts.manage(db, office, token, t), notice: done ? t.t(`alerts.manage.${done}`) : null,
      formToken: await issueFormToken(db, office.id), unsubscribeAction: (u) => `${alertsPath(office.slug, 'unsubscribe', u)}?lang=${t.lang}`,
      subscribeHref: `${alertsPath(office.slug)}?lang=${t.lang}`,
    });
  }));

  scoped.get('/portal/:office/alerts/reports/:token', tokenPage, withLink('reports', async (_req, reply, { office, t, path, token }) => {
    const r = await alerts.recentReports(db, office, token, t);
    if (!r) throw new alerts.AlertLinkProblem('invalid');
    return render(reply, 200, AlertReportsPage, { t, office, title: t.t('alerts.reports.heading'), path, ...r, manageHref: `${alertsPath(office.slug, 'manage', token)}?lang=${t.lang}` });
  }));

  scoped.get('/portal/:office/alerts/unsubscribe/:token', tokenPage, withLink('unsubscribe', async (_req, reply, l) => {
    const s = await alerts.toUnsubscribe(db, l.office, l.token, l.t);
    if (!s) return unsubscribed(reply, l, l.path);
    return buttonPage(reply, l, { title: l.t.t('alerts.unsubscribe.title'), text: l.t.t('alerts.unsubscribe.text', { area: s.area, office: l.office.name }), button: l.t.t('alerts.unsubscribe.button') });
  }));

  scoped.post('/portal/:office/alerts/unsubscribe/:token', tokenPost, withLink('unsubscribe', async (req, reply, l) => {
    const { office, t, path, token } = l;
    const oneClick = await isOneClick(req);
    await alerts.toUnsubscribe(db, office, token, t);
    if (!oneClick && !(await formChecks(office, req.body))) return retry(reply, t, office, path);
    const r = await alerts.unsubscribe(db, office, token);
    if (oneClick) return unsubscribed(reply, l, path);
    if (r.manageToken) return seeOther(reply, `${alertsPath(office.slug, 'manage', r.manageToken)}?lang=${t.lang}&done=unsubscribed`);
    return seeOther(reply, `${alertsPath(office.slug)}/unsubscribed?lang=${t.lang}`);
  }));

  scoped.get('/portal/:office/alerts/unsubscribed', page, async (req, reply) => {
    const office = await linkOffice(req.params.office);
    return unsubscribed(reply, { office, t: languageOf(req, reply, office, d.isSecure) }, `${alertsPath(office.slug)}/unsubscribed`);
  });
}
