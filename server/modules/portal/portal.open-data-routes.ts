// HTTP: the open data page /portal/<office>/open-data (?page= for the list of open reports)
// and its downloads open-data/reports.csv, reports.geojson and summary.csv. Registered inside
// the portal's plugin scope (its error pages, its "live exactly when the public form is on").
// Public, rate-limited per address; downloads more tightly, as they are larger.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ZPortalOfficeParams, ZPortalQuery } from '../../../contract/portal.js';
import type { Executor } from '../../platform/db/database.js';
import type { App } from '../../platform/http/types.js';
import { localIso } from '../insights/insights.days.js';
import { languageOf, render } from './portal.pages.js';
import { fileName, reportsCsv, reportsGeojson, summaryCsv } from './portal.open-data-files.js';
import { allOpen, figures, MAX_DOWNLOAD_ROWS, openMap, openPage, SMALL_COUNT } from './portal.open-data.js';
import * as portal from './portal.service.js';
import { OpenDataPage } from './views/OpenDataPage.js';

type RateLimit = { max: number; timeWindow: string };
const ZPageQuery = ZPortalQuery.extend({ page: z.coerce.number().int().min(1).max(1_000_000).catch(1) });
const downloadLimit = { max: 10, timeWindow: '1 minute' };

export function openDataRoutes(scoped: App, deps: { db: Executor; isSecure: boolean; pageLimit: RateLimit }): void {
  const { db, isSecure } = deps;
  const schema = { hide: true, params: ZPortalOfficeParams, querystring: ZPortalQuery };

  scoped.get('/portal/:office/open-data', {
    schema: { ...schema, querystring: ZPageQuery }, config: { permission: 'public', rateLimit: deps.pageLimit },
  }, async (req, reply) => {
    const office = await portal.officeFor(db, req.params.office);
    const t = languageOf(req, reply, office, isSecure);
    const f = await figures(db, office);
    const map = await openMap(db, office, f.outlines);
    const total = map?.total ?? 0;
    const list = { ...(await openPage(db, office, req.query.page, total)), total };
    const base = `/portal/${office.slug}/open-data`;
    return render(reply, 200, OpenDataPage, {
      t, office, title: t.t('openData.title'), path: base, figures: f, map, list, smallCount: SMALL_COUNT, maxDownloadRows: MAX_DOWNLOAD_ROWS,
      downloads: { reportsCsv: `${base}/reports.csv`, reportsGeojson: `${base}/reports.geojson`, summaryCsv: `${base}/summary.csv?lang=${t.lang}` },
    });
  });

  const send = (reply: FastifyReply, name: string, type: string, body: unknown) =>
    reply.type(type).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);
  const today = (office: portal.Office) => localIso(office.timeZone, new Date());

  for (const format of ['csv', 'geojson'] as const) {
    scoped.get(`/portal/:office/open-data/reports.${format}`, { schema, config: { permission: 'public', rateLimit: downloadLimit } }, async (req, reply) => {
      const office = await portal.officeFor(db, req.params.office);
      const reports = allOpen(db, office);
      const name = fileName(office.slug, 'open-reports', today(office), format);
      return format === 'csv'
        ? send(reply, name, 'text/csv; charset=utf-8', reportsCsv(reports, office.timeZone))
        : send(reply, name, 'application/geo+json', reportsGeojson(reports, office.timeZone));
    });
  }

  scoped.get('/portal/:office/open-data/summary.csv', { schema, config: { permission: 'public', rateLimit: downloadLimit } }, async (req, reply) => {
    const office = await portal.officeFor(db, req.params.office);
    // Names of "no category" and "no ward" in the page's language.
    const t = languageOf(req, reply, office, isSecure);
    const body = summaryCsv(await figures(db, office), { uncategorised: t.t('openData.uncategorised'), noWard: t.t('openData.wards.noWard') });
    return send(reply, fileName(office.slug, 'open-data-summary', today(office), 'csv'), 'text/csv; charset=utf-8', body);
  });
}
