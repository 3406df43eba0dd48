// The insights report: its schedule (read with insights.read, changed with insights.manage,
// each change audited), the PDF of any range on demand, and the weekly email. The figures come
// from a ReportLoader given by whoever wires the module, so this file depends only on their
// contract types.
import type { ReportSchedule, UpdateReportSchedule } from '../../../contract/insights.js';
import { ZInsightRangeQuery, ZReportSchedule, ZUpdateReportSchedule } from '../../../contract/insights.js';
import type { Config } from '../../config.js';
import * as audit from '../../platform/audit/audit.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import type { Jobs } from '../../platform/jobs.js';
import { mailerFromConfig, type Mailer } from '../../platform/mail.js';
import type { Scope } from '../../platform/scope.js';
import * as offices from '../offices/offices.repo.js';
import { addDays, localIso, resolveRange } from './insights.days.js';
import { renderReportPdf, type ReportData } from './insights.report-pdf.js';
import * as repo from './insights.report-repo.js';
import { weeklyReportJob, type Log } from './insights.report-send.js';

export type { ReportData } from './insights.report-pdf.js';
export type ReportRange = { from: string; to: string };
/** Reads every figure of the report for the office and range (the insights service, wired at start-up). */
export type ReportLoader = (scope: Scope, range: ReportRange) => Promise<ReportData>;

/**
 * The range of an on-demand report: the given dates, or the last seven office-local days up
 * to yesterday; checked as every insights range is (reversed, before 2000, after tomorrow or
 * longer than five years: 400 with the field named).
 */
export function reportRange(q: { from?: string | undefined; to?: string | undefined }, timeZone: string, now = new Date()): ReportRange {
  const today = localIso(timeZone, now);
  const to = q.to ?? (q.from && q.from >= today ? q.from : addDays(today, -1));
  const r = resolveRange(timeZone, { from: q.from ?? addDays(to, -6), to }, now);
  return { from: r.from, to: r.to };
}

const present = (s: repo.ScheduleRow): ReportSchedule => ({
  enabled: s.enabled, weekday: s.weekday, hour: s.hour, extraRecipients: s.extra_recipients,
  lastSentAt: s.last_sent_at ? s.last_sent_at.toISOString() : null, lastSentWeek: s.last_sent_week,
});

export async function getSchedule(scope: Scope): Promise<ReportSchedule> {
  return present((await repo.getSchedule(scope.db, scope.officeId)) ?? repo.DEFAULT_SCHEDULE);
}

export async function updateSchedule(scope: Scope, input: UpdateReportSchedule): Promise<ReportSchedule> {
  return scope.db.transaction().execute(async (trx) => {
    const before = (await repo.getSchedule(trx, scope.officeId, true)) ?? repo.DEFAULT_SCHEDULE;
    const extra = input.extraRecipients ? [...new Map(input.extraRecipients.map((e) => [e.toLowerCase(), e])).values()] : before.extra_recipients;
    const after = await repo.saveSchedule(trx, scope.officeId, {
      enabled: input.enabled ?? before.enabled, weekday: input.weekday ?? before.weekday, hour: input.hour ?? before.hour, extra_recipients: extra,
    });
    await audit.record(trx, scope, { entity: 'insight_report_schedule', id: scope.officeId, action: 'updated', before: present(before), after: present(after) });
    return present(after);
  });
}

/** The PDF of a range, for download. */
export async function reportPdf(scope: Scope, loader: ReportLoader, q: { from?: string | undefined; to?: string | undefined }): Promise<{ pdf: Uint8Array; filename: string }> {
  const office = await offices.get(scope.db, scope.officeId);
  if (!office) throw new DomainError('not_found', { message: 'No such office' });
  const range = reportRange(q, office.time_zone);
  const data = await loader(scope, range);
  const pdf = await renderReportPdf({ office: { name: office.name, timeZone: office.time_zone }, range, data });
  return { pdf, filename: `insights-${range.from}-to-${range.to}.pdf` };
}

export function registerInsightReportRoutes(app: App, loader: ReportLoader): void {
  const tags = ['insights'];
  app.get('/api/v1/insights/report-schedule', {
    schema: { tags, summary: "The weekly report's schedule: on or off, office-local weekday and hour, extra recipients, last week sent", response: { 200: ZReportSchedule } },
    config: { permission: 'insights.read' },
  }, async (req) => getSchedule(req.scope));

  app.put('/api/v1/insights/report-schedule', {
    schema: { tags, summary: "Change the weekly report's schedule (fields left out keep their value)", body: ZUpdateReportSchedule, response: { 200: ZReportSchedule } },
    config: { permission: 'insights.manage' },
  }, async (req) => updateSchedule(req.scope, req.body));

  app.get('/api/v1/insights/report.pdf', {
    schema: { tags, summary: 'The insights report as a PDF for office-local dates from..to (default: the last seven days up to yesterday)', querystring: ZInsightRangeQuery },
    config: { permission: 'insights.read' },
  }, async (req, reply) => {
    const file = await reportPdf(req.scope, loader, req.query);
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    reply.header('cache-control', 'no-store');
    reply.type('application/pdf');
    return reply.send(Buffer.from(file.pdf));
  });
}

/** The route module for ROUTE_MODULES once the loader exists: `insightReportRoutes(loader)`. */
export const insightReportRoutes = (loader: ReportLoader) => (app: App) => registerInsightReportRoutes(app, loader);

export function defineInsightReportJobs(jobs: Jobs, database: Database, config: Pick<Config, 'mailFrom' | 'smtpUrl' | 'dataDir' | 'dkim'>, log: Log, loader: ReportLoader, mailer: Mailer = mailerFromConfig(config)): void {
  jobs.define(weeklyReportJob(database, { mailer, from: config.mailFrom }, log, loader));
}
