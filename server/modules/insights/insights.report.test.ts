// The insights report: the PDF (its text read back, several pages when tables are long), the
// schedule (defaults, change with audit, bad input), and the weekly email: sent at the office's
// own Monday 08:00 (Pacific/Auckland here), once per week even under two concurrent runs, the
// week given back when SMTP fails, nothing when disabled, and each office's own figures.
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportSchedule } from '../../../contract/insights.js';
import { createOffice, createTestApp, type TestContext } from '../../../test/harness.js';
import { pdfText } from '../../../test/pdf-text.js';
import { buildApp } from '../../app.js';
import { smtpMailer } from '../../platform/mail.js';
import type { Scope } from '../../platform/scope.js';
import { casework, ok, refused, staffMember } from '../cases/cases.testkit.js';
import { startSmtp, type TestSmtp } from '../messages/messages.testkit.js';
import { renderReportPdf } from './insights.report-pdf.js';
import { reportData } from './insights.report.testkit.js';
import type { ReportRange } from './insights.report.js';
import { claimWeek } from './insights.report-repo.js';
import { sendDueReports, type ReportMail } from './insights.report-send.js';

let base: TestContext;
let ctx: TestContext;
let smtp: TestSmtp;
let mail: ReportMail;
/** What the loader was asked for, by office. */
const asked: { officeId: string; actor: string; range: ReportRange }[] = [];
/** Whether the loader's figures say the summaries are being rebuilt. */
let rebuilding = false;
const loader = async (scope: Scope, range: ReportRange) => {
  asked.push({ officeId: scope.officeId, actor: scope.actor.label, range });
  const data = reportData();
  return { ...data, performance: { ...data.performance, pending: { cases: 0, rebuilding } } };
};
const silent = { info: () => undefined, error: () => undefined };

beforeAll(async () => {
  smtp = await startSmtp();
  mail = { mailer: smtpMailer(smtp.url), from: 'Civitas <reports@town.example>' };
  base = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  // The report routes are registered only with a loader: an app of this file's own, on the same database.
  const app = await buildApp({ config: base.config, database: base.database, jobs: base.jobs, logger: false, insightReportLoader: loader });
  await app.ready();
  ctx = { ...base, app, close: async () => { await app.close(); await base.close(); } };
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

describe('the PDF', () => {
  it('prints the headline with its changes, every table, the chart and the open alerts, over several pages', async () => {
    const pdf = await renderReportPdf({ office: { name: 'Town Hall', timeZone: 'Pacific/Auckland' }, range: { from: '2026-12-07', to: '2026-12-13' }, data: reportData({ categories: 60, people: 25 }) });
    const text = pdfText(pdf);
    for (const line of [
      'Insights report: Town Hall', '2026-12-07 to 2026-12-13 (office time, Pacific/Auckland); compared with 2026-11-30 to 2026-12-06',
      'Cases opened', '42', '30', '+12 (+40%)', 'Cases resolved', '-3 (-9%)', 'Resolution median, calendar', '1d 1h', '1d 6h', '-5h 0m',
      'SLA compliance (resolution)', '87.5%', '+7.5 points', 'Reopen rate', '5.0%', '-5.0 points', 'Satisfaction (1-5)', '4.50', '+0.40',
      'Handled automatically by triage', '25.0% of 80', 'Performance by category', 'Category 59', 'Flooding M?ori Road',
      'Volumes by day', 'Cases opened per day; the same numbers are in the table below.', '2026-12-13', '9', 'Potholes', '+7 (+70%)',
      'Backlog by age', '31-90d', '61', 'Workload (5 working days)', 'The 20 people with most open cases, of 25', 'Person 01', 'Person 20', 'Roads team',
      'Open alerts on emerging issues', 'Flooding', 'Riverside', '2026-12-12 to 2026-12-13', '1.2e-4',
    ]) expect(text, line).toContain(line);
    // The 21st busiest person and acknowledged alerts are left out.
    expect(text).not.toContain('Person 21');
    expect(text).not.toContain('Graffiti acknowledged');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBeGreaterThan(2);
    expect(doc.getTitle()).toBe('Insights report, Town Hall, 2026-12-07 to 2026-12-13');
  });

  it('downloads for a range with insights.read; refuses bad ranges with the field named', async () => {
    const w = await casework(ctx);
    asked.length = 0;
    const res = await w.analyst.api('GET', '/api/v1/insights/report.pdf?from=2026-11-01&to=2026-11-30');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="insights-2026-11-01-to-2026-11-30.pdf"');
    expect(pdfText(res.rawPayload)).toContain(`Insights report: ${w.office.name}`);
    expect(asked).toEqual([{ officeId: w.office.id, actor: expect.any(String) as string, range: { from: '2026-11-01', to: '2026-11-30' } }]);
    const bad: [string, string][] = [['from=2026-12-01&to=2026-11-01', 'from'], ['from=1999-12-31&to=2000-01-05', 'from'], ['to=2099-01-01', 'to'], ['from=2020-01-01&to=2026-01-10', 'from'], ['from=yesterday', 'from'], ['by=ward', 'by']];
    for (const [query, field] of bad) refused(await w.analyst.api('GET', `/api/v1/insights/report.pdf?${query}`), 400, 'validation_failed', field);
    refused(await w.caseworker.api('GET', '/api/v1/insights/report.pdf'), 403, 'forbidden');
  });
});

describe('the schedule', () => {
  it('has defaults, is changed by managers with an audit event, and refuses bad input', async () => {
    const w = await casework(ctx);
    const get = async () => ok(await w.analyst.api('GET', '/api/v1/insights/report-schedule'), 200) as ReportSchedule;
    expect(await get()).toEqual({ enabled: true, weekday: 1, hour: 8, extraRecipients: [], lastSentAt: null, lastSentWeek: null });
    const changed = ok(await w.manager.api('PUT', '/api/v1/insights/report-schedule', { weekday: 5, hour: 17, extraRecipients: ['mayor@town.example', 'MAYOR@town.example'] }), 200) as ReportSchedule;
    expect(changed).toEqual({ enabled: true, weekday: 5, hour: 17, extraRecipients: ['MAYOR@town.example'], lastSentAt: null, lastSentWeek: null });
    expect(ok(await w.manager.api('PUT', '/api/v1/insights/report-schedule', { enabled: false }), 200)).toMatchObject({ enabled: false, weekday: 5, hour: 17 });
    const events = await ctx.database.db.selectFrom('events').select(['action', 'before', 'after']).where('office_id', '=', w.office.id).where('entity_type', '=', 'insight_report_schedule').orderBy('id').execute();
    expect(events.map((e) => [(e.before as ReportSchedule).weekday, (e.after as ReportSchedule).weekday, (e.after as ReportSchedule).enabled])).toEqual([[1, 5, true], [5, 5, false]]);
    const bad: [object, string][] = [[{ weekday: 0 }, 'weekday'], [{ weekday: 8 }, 'weekday'], [{ hour: 24 }, 'hour'], [{ hour: 7.5 }, 'hour'], [{ extraRecipients: ['nope'] }, 'extraRecipients.0'], [{ lastSentWeek: '2026-W01' }, 'lastSentWeek'], [{ enabled: 'yes' }, 'enabled']];
    for (const [body, field] of bad) refused(await w.manager.api('PUT', '/api/v1/insights/report-schedule', body), 400, 'validation_failed', field);
    refused(await w.analyst.api('PUT', '/api/v1/insights/report-schedule', { hour: 9 }), 403, 'forbidden');
    refused(await w.caseworker.api('GET', '/api/v1/insights/report-schedule'), 403, 'forbidden');
    expect(await get()).toMatchObject({ enabled: false, weekday: 5, hour: 17 });
    // Another office keeps its own (the defaults).
    const other = await casework(ctx);
    expect(ok(await other.manager.api('GET', '/api/v1/insights/report-schedule'), 200)).toMatchObject({ enabled: true, weekday: 1, hour: 8 });
  });
});

describe('the weekly email', () => {
  /** An office in Auckland with a manager, an admin, a caseworker and a disabled manager. */
  async function aucklandOffice() {
    const office = await createOffice(ctx, { timeZone: 'Pacific/Auckland' });
    const [admin, manager, caseworker, gone] = await Promise.all([staffMember(ctx, office, 'admin'), staffMember(ctx, office, 'manager'), staffMember(ctx, office, 'caseworker'), staffMember(ctx, office, 'manager')]);
    await ctx.database.db.updateTable('users').set({ status: 'disabled' }).where('office_id', '=', office.id).where('id', '=', gone.user.id).execute();
    return { office, admin, manager, caseworker, gone };
  }
  const run = (at: string, officeIds: string[], through: ReportMail = mail) => sendDueReports(ctx.database, new Date(at), through, loader, silent, officeIds);
  const schedule = async (officeId: string) => ctx.database.db.selectFrom('insight_report_schedules').select(['last_sent_week', 'last_sent_at']).where('office_id', '=', officeId).executeTakeFirst();
  const mailsOf = (officeId: string) => smtp.received.filter((m) => m.messageId?.includes(officeId));

  it("sends at 08:00 on the office's own Monday the previous seven office days, to its managers and admins and the extra addresses", async () => {
    const a = await aucklandOffice();
    ok(await a.manager.api('PUT', '/api/v1/insights/report-schedule', { extraRecipients: ['mayor@town.example'] }), 200);
    asked.length = 0;
    // Monday 14 December 2026, 07:59 in Auckland (NZDT, UTC+13) is Sunday 18:59 UTC.
    expect((await run('2026-12-13T18:59:00Z', [a.office.id])).sent).toEqual([]);
    expect(await run('2026-12-13T19:00:00Z', [a.office.id])).toEqual({ sent: [a.office.id], failed: [], skipped: [], deferred: [] });
    expect(asked).toEqual([{ officeId: a.office.id, actor: 'weekly report', range: { from: '2026-12-07', to: '2026-12-13' } }]);
    const m = await smtp.waitForMail((x) => !!x.messageId?.includes(a.office.id));
    expect(m.messageId).toBe(`<insights-report.${a.office.id}.2026-W51@town.example>`);
    expect(m.subject).toBe(`Weekly insights report: ${a.office.name}, 2026-12-07 to 2026-12-13`);
    const to = (Array.isArray(m.to) ? m.to : [m.to]).flatMap((x) => x!.value.map((v) => v.address!.toLowerCase())).sort();
    expect(to).toEqual([a.admin.user.email, a.manager.user.email, 'mayor@town.example'].map((e) => e.toLowerCase()).sort());
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]!.filename).toBe('insights-2026-12-07-to-2026-12-13.pdf');
    expect(m.attachments[0]!.contentType).toBe('application/pdf');
    expect(pdfText(m.attachments[0]!.content)).toContain(`Insights report: ${a.office.name}`);
    expect(await schedule(a.office.id)).toEqual({ last_sent_week: '2026-W51', last_sent_at: new Date('2026-12-13T19:00:00Z') });
    // Later the same week: nothing more. The next Monday: the next week's.
    expect((await run('2026-12-14T03:00:00Z', [a.office.id])).sent).toEqual([]);
    expect((await run('2026-12-18T10:00:00Z', [a.office.id])).sent).toEqual([]);
    expect((await run('2026-12-20T19:00:00Z', [a.office.id])).sent).toEqual([a.office.id]);
    expect(asked.at(-1)!.range).toEqual({ from: '2026-12-14', to: '2026-12-20' });
    await smtp.waitForMail((x) => x.messageId === `<insights-report.${a.office.id}.2026-W52@town.example>`);
    expect(mailsOf(a.office.id)).toHaveLength(2);
  });

  it('sends exactly one email a week under two concurrent runs', async () => {
    const a = await aucklandOffice();
    const [one, two] = await Promise.all([run('2026-12-14T01:00:00Z', [a.office.id]), run('2026-12-14T01:00:00Z', [a.office.id])]);
    expect([...one.sent, ...two.sent]).toEqual([a.office.id]);
    await smtp.waitForMail((x) => !!x.messageId?.includes(a.office.id));
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsOf(a.office.id)).toHaveLength(1);
  });

  it('gives the week back when SMTP refuses, so the next hour sends it', async () => {
    const a = await aucklandOffice();
    smtp.rejectRecipients = 'mailbox unavailable';
    try {
      expect(await run('2026-12-13T19:00:00Z', [a.office.id])).toEqual({ sent: [], failed: [a.office.id], skipped: [], deferred: [] });
    } finally {
      smtp.rejectRecipients = null;
    }
    expect(await schedule(a.office.id)).toEqual({ last_sent_week: null, last_sent_at: null });
    expect(mailsOf(a.office.id)).toHaveLength(0);
    expect((await run('2026-12-13T20:00:00Z', [a.office.id])).sent).toEqual([a.office.id]);
    expect(await schedule(a.office.id)).toEqual({ last_sent_week: '2026-W51', last_sent_at: new Date('2026-12-13T20:00:00Z') });
  });

  it('defers the week while the summaries are being rebuilt, and sends it the hour after', async () => {
    const a = await aucklandOffice();
    rebuilding = true;
    try {
      expect(await run('2026-12-13T19:00:00Z', [a.office.id])).toEqual({ sent: [], failed: [], skipped: [], deferred: [a.office.id] });
    } finally {
      rebuilding = false;
    }
    expect(await schedule(a.office.id)).toEqual({ last_sent_week: null, last_sent_at: null });
    expect(mailsOf(a.office.id)).toHaveLength(0);
    expect((await run('2026-12-13T20:00:00Z', [a.office.id])).sent).toEqual([a.office.id]);
    await smtp.waitForMail((x) => !!x.messageId?.includes(a.office.id));
    expect(mailsOf(a.office.id)).toHaveLength(1);
  });

  it('sends the week after all when a sender died holding the claim, once the claim has lapsed', async () => {
    const a = await aucklandOffice();
    // A sender claimed the week at 19:00 UTC and died before mailing anything.
    expect(await claimWeek(ctx.database.db, a.office.id, '2026-W51', new Date('2026-12-13T19:00:00Z'))).toBe(true);
    expect((await run('2026-12-13T19:20:00Z', [a.office.id])).sent).toEqual([]);
    expect(mailsOf(a.office.id)).toHaveLength(0);
    expect(await schedule(a.office.id)).toEqual({ last_sent_week: null, last_sent_at: null });
    expect((await run('2026-12-13T20:00:00Z', [a.office.id])).sent).toEqual([a.office.id]);
    await smtp.waitForMail((x) => !!x.messageId?.includes(a.office.id));
    expect(await schedule(a.office.id)).toEqual({ last_sent_week: '2026-W51', last_sent_at: new Date('2026-12-13T20:00:00Z') });
  });

  it('sends nothing for a disabled schedule, or before its own weekday and hour', async () => {
    const a = await aucklandOffice();
    ok(await a.manager.api('PUT', '/api/v1/insights/report-schedule', { enabled: false }), 200);
    expect((await run('2026-12-17T19:00:00Z', [a.office.id])).sent).toEqual([]);
    expect(await schedule(a.office.id)).toMatchObject({ last_sent_week: null });
    // Friday 17:00 Auckland = Friday 04:00 UTC.
    ok(await a.manager.api('PUT', '/api/v1/insights/report-schedule', { enabled: true, weekday: 5, hour: 17 }), 200);
    expect((await run('2026-12-18T03:59:00Z', [a.office.id])).sent).toEqual([]);
    expect((await run('2026-12-18T04:00:00Z', [a.office.id])).sent).toEqual([a.office.id]);
    expect(mailsOf(a.office.id)).toHaveLength(1);
  });

  it("keeps offices apart: each gets its own figures, recipients and schedule", async () => {
    const a = await aucklandOffice();
    const b = await aucklandOffice();
    ok(await b.manager.api('PUT', '/api/v1/insights/report-schedule', { hour: 10 }), 200);
    asked.length = 0;
    expect((await run('2026-12-13T19:30:00Z', [a.office.id, b.office.id])).sent).toEqual([a.office.id]);
    expect(asked.map((x) => x.officeId)).toEqual([a.office.id]);
    const m = await smtp.waitForMail((x) => !!x.messageId?.includes(a.office.id));
    expect(m.text).toContain(a.office.name);
    expect(JSON.stringify(m.to)).not.toContain(b.manager.user.email);
    expect(await schedule(b.office.id)).toMatchObject({ last_sent_week: null });
    expect((await run('2026-12-13T21:00:00Z', [a.office.id, b.office.id])).sent).toEqual([b.office.id]);
  });
});
