// The weekly report by email: every hour, each office whose office-local send time has come
// this ISO week and that has not sent this week's report claims the week for 35 minutes (one
// conditional upsert: two workers or a retry never both send), builds the PDF of the previous
// seven office-local days and mails it to its active managers and admins plus the extra
// recipients, then records the week as sent. A failure gives the claim back, and a sender
// that dies leaves a claim that lapses: either way the next hour tries again.
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { JobDefinition } from '../../platform/jobs.js';
import { addressDomain, type Mailer } from '../../platform/mail.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import { addDays } from './insights.days.js';
import { renderReportPdf, type ReportData } from './insights.report-pdf.js';
import * as repo from './insights.report-repo.js';

export type Log = { info(obj: object | string, msg?: string): void; error(obj: object, msg?: string): void };
type Loader = (scope: Scope, range: { from: string; to: string }) => Promise<ReportData>;
export type ReportMail = { mailer: Mailer; from: string };

export const WEEKLY_REPORT_JOB = 'insights.weekly-report';

export type SendResult = { sent: string[]; failed: string[]; skipped: string[]; deferred: string[] };

/**
 * Sends the report of one due office, if this caller wins its week; 'lost' when another did,
 * 'deferred' (the week given back for the next hour) while the office's summaries are being
 * recomputed from scratch, since its figures would be incomplete.
 */
async function sendOne(database: Database, office: repo.DueOffice, now: Date, mail: ReportMail, loader: Loader, log: Log): Promise<'sent' | 'lost' | 'skipped' | 'deferred'> {
  const db = database.db;
  const seen = new Set<string>();
  const recipients = [...(await repo.managerEmails(db, office.office_id)), ...office.extra_recipients].filter((e) => !seen.has(e.toLowerCase()) && seen.add(e.toLowerCase()));
  if (recipients.length === 0) {
    log.info({ job: WEEKLY_REPORT_JOB, officeId: office.office_id }, 'weekly report not sent: the office has no active manager or admin and no extra recipient');
    return 'skipped';
  }
  if (!(await repo.claimWeek(db, office.office_id, office.week, now))) return 'lost';
  const range = { from: addDays(office.today, -7), to: addDays(office.today, -1) };
  try {
    const data = await loader(systemScope(db, office.office_id, 'weekly report'), range);
    if (data.performance.pending.rebuilding) {
      await repo.releaseWeek(db, office.office_id, office.week);
      log.info({ job: WEEKLY_REPORT_JOB, officeId: office.office_id, week: office.week }, `weekly report of ${office.name} deferred to the next hour: its summaries are being recomputed`);
      return 'deferred';
    }
    const pdf = await renderReportPdf({ office: { name: office.name, timeZone: office.time_zone }, range, data });
    await mail.mailer.send({
      from: mail.from,
      to: recipients.join(', '),
      subject: `Weekly insights report: ${office.name}, ${range.from} to ${range.to}`,
      text: `The insights report of ${office.name} for ${range.from} to ${range.to} (office time, ${office.time_zone}) is attached as a PDF.\n\nYou receive it as a manager or admin of the office, or as an address on its report schedule.`,
      // The same id for every attempt of a week, so a receiver can tell a repeat.
      messageId: `<insights-report.${office.office_id}.${office.week}@${addressDomain(mail.from)}>`,
      attachments: [{ filename: `insights-${range.from}-to-${range.to}.pdf`, content: pdf, contentType: 'application/pdf' }],
    });
  } catch (err) {
    await repo.releaseWeek(db, office.office_id, office.week);
    log.error({ job: WEEKLY_REPORT_JOB, officeId: office.office_id, week: office.week, err }, `weekly report of ${office.name} not sent (retried next hour): ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  await repo.markSent(db, office.office_id, office.week, now);
  return 'sent';
}

/**
 * One run of the weekly report at `now`: every due office (or only `officeIds`) in turn; one
 * office's failure is logged and does not stop the others.
 */
export async function sendDueReports(database: Database, now: Date, mail: ReportMail, loader: Loader, log: Log, officeIds?: string[]): Promise<SendResult> {
  const result: SendResult = { sent: [], failed: [], skipped: [], deferred: [] };
  for (const office of await repo.dueOffices(database.db, now, officeIds)) {
    try {
      const outcome = await sendOne(database, office, now, mail, loader, log);
      if (outcome === 'sent') result.sent.push(office.office_id);
      else if (outcome === 'skipped') result.skipped.push(office.office_id);
      else if (outcome === 'deferred') result.deferred.push(office.office_id);
    } catch {
      result.failed.push(office.office_id);
    }
  }
  return result;
}

const ZRun = z.object({}).passthrough();

export function weeklyReportJob(database: Database, mail: ReportMail, log: Log, loader: Loader): JobDefinition<typeof ZRun> {
  return {
    name: WEEKLY_REPORT_JOB,
    data: ZRun,
    // Hourly in UTC; each office's own hour is checked in its time zone.
    cron: '0 * * * *',
    retryLimit: 0,
    expireInSeconds: 30 * 60,
    handler: async () => {
      const r = await sendDueReports(database, new Date(), mail, loader, log);
      if (r.sent.length || r.failed.length) log.info({ job: WEEKLY_REPORT_JOB, sent: r.sent.length, failed: r.failed.length }, `weekly report: ${r.sent.length} sent, ${r.failed.length} failed`);
    },
  };
}
