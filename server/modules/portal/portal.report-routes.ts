// The report's pages (portal.report-steps.ts): GET walks the three steps, POST sends the
// details form (a 303 to the confirmation, or step 3 again with the problems and what was
// typed); a public report's page (reached from "Is this the same problem?"); and the report
// pages' progressive-enhancement script. Registered inside the portal's plugin scope
// (portal.routes.ts), which parses forms, checks Origin and renders refusals.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZPortalOfficeParams, ZPortalQuery } from '../../../contract/portal.js';
import { DomainError } from '../../platform/errors.js';
import { projectRoot } from '../../platform/paths.js';
import type { App } from '../../platform/http/types.js';
import * as alerts from '../alerts/alerts.service.js';
import * as publicReports from '../cases/cases.public-reports.js';
import * as geo from '../geo/geo.service.js';
import type { FormDeps } from '../intake/intake.web-form.js';
import { choices } from './portal.categories.js';
import { FormProblems } from './portal.forms.js';
import type { Translator } from './portal.i18n.js';
import { languageOf, messagesOf, posted, render, seeOther } from './portal.pages.js';
import { limitValues, readForm } from './portal.photos.js';
import { answersPosted, nearbyOf, stepOf } from './portal.report-steps.js';
import * as portal from './portal.service.js';
import { residentStatus } from './portal.track.js';
import { CategoryPage } from './views/CategoryPage.js';
import { PlacePage } from './views/PlacePage.js';
import { PublicReportPage } from './views/PublicReportPage.js';
import { ReportPage, type ReportValues } from './views/ReportPage.js';

const REPORT_FIELDS = ['categoryId', 'description', 'address', 'lat', 'lng', 'name', 'email', 'phone', 'preferredChannel', 'consent', 'anonymous'] as const;
/** The built enhancement script (web/portal, `npm run build:web`); absent before a build, when the pages simply go without it. */
const SCRIPT_DIR = path.join(projectRoot, 'dist', 'portal');
const ZReferenceParams = ZPortalOfficeParams.extend({ reference: z.string().max(40) });

export type ReportRouteContext = {
  isSecure: boolean; minFillSeconds: number; photos: Parameters<typeof readForm>[1]; bodyLimit: number; pageLimit: { max: number; timeWindow: string };
  deps: (req: FastifyRequest) => FormDeps; meta: (req: FastifyRequest) => { ip: string; userAgent: string };
  officeOf: (req: FastifyRequest) => Promise<portal.Office>; countPost: (req: FastifyRequest) => Promise<void>;
  mapTiles: { url: string; attribution: string | null } | null;
  publicUrl: string; alertLimits: alerts.Limits;
};

type Reply = FastifyReply;
type Problems = { values: ReportValues; answers: Record<string, string>; issues: FormProblems['issues']; clientToken: string };

export function reportRoutes(scoped: App, ctx: ReportRouteContext): void {
  const { db } = scoped.civitas.database;
  const wardsOf = (officeId: string) => geo.currentWards(db, officeId);
  const reportPath = (office: portal.Office) => `/portal/${office.slug}/report`;

  /** Step 3: the details form, for the chosen topic and place (or the posted form again with its problems). */
  const detailsPage = async (t: Translator, reply: Reply, office: portal.Office, status: number, chosenId: string | undefined, values: ReportValues, problems?: Problems) => {
    const form = await choices(db, office, ctx.minFillSeconds);
    const found = chosenId ? form.items.find((c) => c.id === chosenId) : undefined;
    const chosen = found ? { id: found.id, label: found.path.join(' › '), questions: found.questions } : null;
    return render(reply, status, ReportPage, {
      t, office, title: t.t('report.title'), path: problems ? reportPath(office) : `${reportPath(office)}?category=${chosen?.id ?? 'other'}&step=details`, reportPath: reportPath(office),
      chosen, nearby: await nearbyOf(db, office, t, chosen?.id, values), answers: problems?.answers ?? {}, formToken: form.formToken,
      clientToken: problems?.clientToken ?? randomUUID(), privacyText: portal.privacyText(office, t), descriptionMax: portal.DESCRIPTION_MAX, photoLimits: limitValues(ctx.photos),
      values, ...(problems ? { errors: messagesOf(t, problems.issues, office.name) } : {}),
    });
  };

  scoped.get('/portal/:office/report', {
    schema: { hide: true, params: ZPortalOfficeParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: ctx.pageLimit },
  }, async (req, reply) => {
    const office = await ctx.officeOf(req);
    const t = languageOf(req, reply, office, ctx.isSecure);
    const { items } = await choices(db, office, ctx.minFillSeconds);
    const step = await stepOf(db, office, items, req.query);
    // This page in another language: the same step, topic and place.
    const query = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    query.delete('lang');
    const path = query.size ? `${reportPath(office)}?${query.toString()}` : reportPath(office);
    if (step.kind === 'category') return render(reply, 200, CategoryPage, { t, office, title: t.t('category.title'), path, items: step.items, q: step.q, total: step.total, reportPath: reportPath(office) });
    if (step.kind === 'place') {
      return render(reply, step.outside ? 400 : 200, PlacePage, {
        t, office, title: t.t('place.title'), path, reportPath: reportPath(office), categoryId: step.categoryId,
        categoryLabel: step.chosen?.path.join(' › ') ?? t.t('report.category.choose'), where: step.where, matches: step.matches,
        map: (await wardsOf(office.id)).length ? { wardsUrl: `/portal/${office.slug}/wards.geojson`, tiles: ctx.mapTiles?.url ?? null, attribution: ctx.mapTiles?.attribution ?? null } : null,
        ...(step.outside ? { errors: messagesOf(t, [{ field: 'where', key: 'error.location.outside' }], office.name) } : {}),
      });
    }
    return detailsPage(t, reply, office, 200, step.chosen?.id, step.values);
  });

  scoped.post('/portal/:office/report', {
    schema: { hide: true, params: ZPortalOfficeParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: ctx.pageLimit }, bodyLimit: ctx.bodyLimit, onRequest: ctx.countPost,
  }, async (req, reply) => {
    const office = await ctx.officeOf(req);
    const t = languageOf(req, reply, office, ctx.isSecure);
    const form = await readForm(req, ctx.photos);
    try {
      return seeOther(reply, `/portal/${office.slug}/confirmation/${await portal.report(ctx.deps(req), office, form, t, ctx.meta(req))}?lang=${t.lang}`);
    } catch (err) {
      if (!(err instanceof FormProblems)) throw err;
      // A token already used for other details gets a fresh one, so the corrected form can be sent.
      const sent = posted(form.body, ['clientToken']).clientToken;
      const clientToken = err.issues.some((i) => i.key === 'error.form.resent') || !sent ? randomUUID() : sent;
      const values = posted(form.body, REPORT_FIELDS);
      return detailsPage(t, reply, office, 400, values.categoryId, values, { values, answers: answersPosted(form.body), issues: err.issues, clientToken });
    }
  });

  /** A public report's page (only what cases.public-reports allows: never who sent it or what they wrote), with its follow form. */
  const reportPage = async (t: Translator, reply: Reply, office: portal.Office, reference: string, status: number, follow: { isSent: boolean; email?: string; issues?: FormProblems['issues'] }) => {
    const report = await publicReports.byReference(db, office.id, reference.toUpperCase());
    if (!report) throw new DomainError('not_found', { message: 'There is no public report with that reference' });
    return render(reply, status, PublicReportPage, {
      t, office, title: t.t('publicReport.title', { reference: report.reference }), path: `/portal/${office.slug}/reports/${encodeURIComponent(report.reference)}`,
      report, status: t.t(`status.${residentStatus(report.statusCategory, report.isInitialStatus)}`), formToken: await portal.formToken(db, office), isFollowSent: follow.isSent,
      values: { email: follow.email }, ...(follow.issues ? { errors: messagesOf(t, follow.issues, office.name) } : {}),
    });
  };

  scoped.get('/portal/:office/reports/:reference', {
    schema: { hide: true, params: ZReferenceParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: ctx.pageLimit },
  }, async (req, reply) => {
    const office = await ctx.officeOf(req);
    return reportPage(languageOf(req, reply, office, ctx.isSecure), reply, office, req.params.reference, 200, { isSent: (req.query as { follow?: unknown }).follow === 'sent' });
  });

  // Following it: double opt-in, as for area alerts (alerts.service follow); the same answer whether or not the address follows it already.
  scoped.post('/portal/:office/reports/:reference/follow', {
    schema: { hide: true, params: ZReferenceParams, querystring: ZPortalQuery }, config: { permission: 'public', rateLimit: ctx.pageLimit }, bodyLimit: ctx.bodyLimit, onRequest: ctx.countPost,
  }, async (req, reply) => {
    const office = await ctx.officeOf(req);
    const t = languageOf(req, reply, office, ctx.isSecure);
    const reference = req.params.reference.toUpperCase();
    try {
      await alerts.follow(db, office, reference, req.body, t, { ip: req.ip, publicUrl: ctx.publicUrl, limits: ctx.alertLimits });
      return seeOther(reply, `/portal/${office.slug}/reports/${encodeURIComponent(reference)}?lang=${t.lang}&follow=sent`);
    } catch (err) {
      if (!(err instanceof FormProblems)) throw err;
      return reportPage(t, reply, office, reference, 400, { isSent: false, email: posted(req.body, ['email']).email ?? '', issues: err.issues });
    }
  });

  // No office slug has a dot, so these never shadow an office's pages.
  // The office's wards for the place step's map (boundaries are public; nothing else is in them).
  scoped.get('/portal/:office/wards.geojson', {
    schema: { hide: true, params: ZPortalOfficeParams }, config: { permission: 'public', rateLimit: ctx.pageLimit },
  }, async (req, reply) => {
    const office = await ctx.officeOf(req);
    const wards = await wardsOf(office.id);
    const features = wards.map((w) => ({ type: 'Feature', properties: { code: w.code, name: w.name }, geometry: w.geometry }));
    return reply.header('cache-control', 'public, max-age=300').type('application/geo+json').send({ type: 'FeatureCollection', features });
  });

  for (const [file, type] of [['place.js', 'text/javascript'], ['place.css', 'text/css']] as const) {
    scoped.get(`/portal/${file}`, { schema: { hide: true }, config: { permission: 'public', rateLimit: ctx.pageLimit } }, async (_req, reply) => {
      const at = path.join(SCRIPT_DIR, file);
      if (!fs.existsSync(at)) throw new DomainError('not_found', { message: 'The portal scripts are not built (npm run build:web)' });
      return reply.header('cache-control', 'public, max-age=3600').type(`${type}; charset=utf-8`).send(fs.createReadStream(at));
    });
  }
}
