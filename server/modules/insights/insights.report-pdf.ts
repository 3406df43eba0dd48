// The insights report as a PDF: the headline figures with their change against the previous
// period, performance by the chosen breakdown, volumes as a bar chart and as a table (the
// numbers are always printed, never only drawn), the backlog by age, the workload of the 20
// busiest people, and the open alerts. The dashboard's PDF and the weekly email share it.
import { PDFDocument } from 'pdf-lib';
import type { Backlog, DurationStats, InsightAlert, MetricSet, Performance, Volumes, Workload } from '../../../contract/insights.js';
import { pendingNote } from '../../../contract/insights-definitions.js';
import { standardFonts } from '../../platform/pdf.js';
import { ReportLayout } from './insights.report-layout.js';

export type ReportData = {
  /** Performance split by the report's breakdown (by `none` gives a single row). */
  performance: Performance;
  /** The same range for the whole office (by `none`), for the headline when `performance` is split; without it the headline medians come from a single-row `performance`. */
  overall?: Performance;
  volumes: Volumes;
  backlog: Backlog;
  workload: Workload;
  alerts: InsightAlert[];
};

export type ReportInput = { office: { name: string; timeZone: string }; range: { from: string; to: string }; data: ReportData };

const WORKLOAD_PEOPLE = 20;

/** Minutes as "2d 3h", "5h 20m" or "45m"; a dash when there is nothing to measure. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '-';
  const m = Math.round(minutes);
  if (m < 60) return `${m}m`;
  if (m < 24 * 60) return `${Math.floor(m / 60)}h ${m % 60}m`;
  return `${Math.floor(m / 1440)}d ${Math.floor((m % 1440) / 60)}h`;
}

const percent = (share: number | null) => (share === null ? '-' : `${(share * 100).toFixed(1)}%`);
const signed = (n: number, digits = 0) => `${n > 0 ? '+' : n < 0 ? '-' : ''}${Math.abs(n).toFixed(digits)}`;

function countChange(now: number, before: number): string {
  if (before === 0) return now === 0 ? 'no change' : `${signed(now - before)} (none before)`;
  return `${signed(now - before)} (${signed(((now - before) / before) * 100, 0)}%)`;
}
const durationChange = (now: number | null, before: number | null) =>
  now === null || before === null ? 'no comparison' : `${now >= before ? '+' : '-'}${duration(Math.abs(now - before))}`;
const shareChange = (now: number | null, before: number | null) =>
  now === null || before === null ? 'no comparison' : `${signed((now - before) * 100, 1)} points`;
const averageChange = (now: number | null, before: number | null) =>
  now === null || before === null ? 'no comparison' : signed(now - before, 2);

/** "median / p90" of a duration. */
const stats = (s: DurationStats) => `${duration(s.median)} / ${duration(s.p90)}`;

function headline(current: MetricSet, previous: MetricSet, automation: Performance['automation']): string[][] {
  return [
    ['Cases opened', String(current.opened), String(previous.opened), countChange(current.opened, previous.opened)],
    ['Cases resolved', String(current.resolved), String(previous.resolved), countChange(current.resolved, previous.resolved)],
    ['Resolution median, calendar', duration(current.resolution.calendar.median), duration(previous.resolution.calendar.median), durationChange(current.resolution.calendar.median, previous.resolution.calendar.median)],
    ['Resolution p90, calendar', duration(current.resolution.calendar.p90), duration(previous.resolution.calendar.p90), durationChange(current.resolution.calendar.p90, previous.resolution.calendar.p90)],
    ['Resolution median, business hours', duration(current.resolution.business.median), duration(previous.resolution.business.median), durationChange(current.resolution.business.median, previous.resolution.business.median)],
    ['Resolution p90, business hours', duration(current.resolution.business.p90), duration(previous.resolution.business.p90), durationChange(current.resolution.business.p90, previous.resolution.business.p90)],
    ['First response median, calendar', duration(current.firstResponse.calendar.median), duration(previous.firstResponse.calendar.median), durationChange(current.firstResponse.calendar.median, previous.firstResponse.calendar.median)],
    ['SLA compliance (resolution)', percent(current.sla.compliance), percent(previous.sla.compliance), shareChange(current.sla.compliance, previous.sla.compliance)],
    ['Reopen rate', percent(current.reopenRate), percent(previous.reopenRate), shareChange(current.reopenRate, previous.reopenRate)],
    ['Satisfaction (1-5)', current.satisfaction.average === null ? '-' : current.satisfaction.average.toFixed(2), previous.satisfaction.average === null ? '-' : previous.satisfaction.average.toFixed(2), averageChange(current.satisfaction.average, previous.satisfaction.average)],
    ['Handled automatically by triage', `${percent(automation.share)} of ${automation.items}`, '-', 'no comparison'],
  ];
}

/** The whole office's figures: `overall`, else the single row of an unsplit `performance`. */
function officeRow(data: ReportData) {
  if (data.overall?.rows.length) return data.overall.rows[0]!;
  if (data.performance.by === 'none' && data.performance.rows.length) return data.performance.rows[0]!;
  return null;
}

function volumeTotals(volumes: Volumes) {
  const byPeriod = new Map<string, { cases: number; items: number | null; newRequesters: number; returningRequesters: number }>();
  for (const s of volumes.series) {
    for (const p of s.points) {
      const t = byPeriod.get(p.period) ?? { cases: 0, items: null, newRequesters: 0, returningRequesters: 0 };
      t.cases += p.cases;
      if (p.items !== null) t.items = (t.items ?? 0) + p.items;
      t.newRequesters += p.newRequesters;
      t.returningRequesters += p.returningRequesters;
      byPeriod.set(p.period, t);
    }
  }
  return [...byPeriod.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export async function renderReportPdf(input: ReportInput): Promise<Uint8Array> {
  const { data } = input;
  const doc = await PDFDocument.create();
  doc.setTitle(`Insights report, ${input.office.name}, ${input.range.from} to ${input.range.to}`);
  doc.setCreator('Civitas');
  const out = new ReportLayout(doc, await standardFonts(doc));
  const w = out.width;

  out.line(`Insights report: ${input.office.name}`, { size: 18, bold: true });
  out.line(`${input.range.from} to ${input.range.to} (office time, ${input.office.timeZone}); compared with ${data.performance.previous.from} to ${data.performance.previous.to}`, { size: 10 });
  out.line(`Figures as of ${data.performance.asOf}${data.performance.approximate ? '; durations read from histograms (at most 1% error)' : ''}`, { size: 8 });
  const pending = pendingNote(data.performance.pending);
  if (pending) out.line(pending, { size: 8, bold: true });

  out.heading('Headline figures');
  const office = officeRow(data);
  if (office) {
    out.table([{ label: 'Figure', width: w * 0.36 }, { label: 'This period', width: w * 0.18, align: 'right' }, { label: 'Previous', width: w * 0.18, align: 'right' }, { label: 'Change', width: w * 0.28, align: 'right' }],
      headline(office.current, office.previous, data.performance.automation));
  } else {
    out.line('No whole-office figures were given for this report.');
  }

  out.heading(`Performance by ${data.performance.by}`);
  out.table([
    { label: 'Name', width: w * 0.22 }, { label: 'Opened', width: w * 0.09, align: 'right' }, { label: 'Resolved', width: w * 0.1, align: 'right' },
    { label: 'Change', width: w * 0.1, align: 'right' }, { label: 'Resolution median / p90', width: w * 0.19, align: 'right' },
    { label: 'SLA met', width: w * 0.1, align: 'right' }, { label: 'Reopened', width: w * 0.1, align: 'right' }, { label: 'Rating', width: w * 0.1, align: 'right' },
  ], data.performance.rows.map((r) => [
    r.label, String(r.current.opened), String(r.current.resolved), signed(r.current.resolved - r.previous.resolved), stats(r.current.resolution.calendar),
    percent(r.current.sla.compliance), percent(r.current.reopenRate), r.current.satisfaction.average === null ? '-' : r.current.satisfaction.average.toFixed(2),
  ]));

  out.heading(`Volumes by ${data.volumes.interval}`);
  const totals = volumeTotals(data.volumes);
  out.barChart(totals.map(([period, t]) => ({ label: period, value: t.cases })), `Cases opened per ${data.volumes.interval}; the same numbers are in the table below.`);
  out.table([
    { label: `${data.volumes.interval[0]!.toUpperCase()}${data.volumes.interval.slice(1)} from`, width: w * 0.22 }, { label: 'Cases', width: w * 0.16, align: 'right' },
    { label: 'Inbound items', width: w * 0.2, align: 'right' }, { label: 'New requesters', width: w * 0.21, align: 'right' }, { label: 'Returning', width: w * 0.21, align: 'right' },
  ], totals.map(([period, t]) => [period, String(t.cases), t.items === null ? '-' : String(t.items), String(t.newRequesters), String(t.returningRequesters)]));
  if (data.volumes.by !== 'none') {
    out.line(`By ${data.volumes.by}`, { bold: true });
    out.table([{ label: 'Name', width: w * 0.6 }, { label: 'Cases', width: w * 0.2, align: 'right' }, { label: 'Inbound items', width: w * 0.2, align: 'right' }],
      data.volumes.series.map((s) => [s.label, String(s.total.cases), s.total.items === null ? '-' : String(s.total.items)]));
  }
  out.line('Top categories', { bold: true });
  out.table([{ label: 'Category', width: w * 0.5 }, { label: 'Cases', width: w * 0.15, align: 'right' }, { label: 'Previous', width: w * 0.15, align: 'right' }, { label: 'Change', width: w * 0.2, align: 'right' }],
    data.volumes.topCategories.map((c) => [c.label, String(c.cases), String(c.previousCases), countChange(c.cases, c.previousCases)]));

  out.heading('Backlog by age');
  out.table([
    { label: 'Name', width: w * 0.25 }, { label: 'Open', width: w * 0.1, align: 'right' },
    ...data.backlog.buckets.map((b) => ({ label: b, width: (w * 0.53) / Math.max(1, data.backlog.buckets.length), align: 'right' as const })),
    { label: 'Overdue', width: w * 0.12, align: 'right' },
  ], data.backlog.rows.map((r) => [r.label, String(r.open), ...r.byAge.map(String), String(r.overdue)]));

  const workloadColumns = [
    { label: 'Name', width: w * 0.28 }, { label: 'Open', width: w * 0.1, align: 'right' as const }, { label: 'Overdue', width: w * 0.11, align: 'right' as const },
    { label: 'Resolved', width: w * 0.12, align: 'right' as const }, { label: 'Per day', width: w * 0.1, align: 'right' as const },
    { label: 'Items filed', width: w * 0.17, align: 'right' as const }, { label: 'Per day', width: w * 0.12, align: 'right' as const },
  ];
  const workloadRow = (r: Workload['people'][number]) => [r.label, String(r.open), String(r.overdue), String(r.resolved), r.resolvedPerDay.toFixed(1), String(r.itemsHandled), r.itemsPerDay.toFixed(1)];
  const people = [...data.workload.people].sort((a, b) => b.open - a.open || b.resolved - a.resolved).slice(0, WORKLOAD_PEOPLE);
  out.heading(`Workload (${data.workload.workingDays} working days)`);
  out.line(data.workload.people.length > WORKLOAD_PEOPLE ? `The ${WORKLOAD_PEOPLE} people with most open cases, of ${data.workload.people.length}` : 'People', { bold: true });
  out.table(workloadColumns, people.map(workloadRow));
  out.line('Teams', { bold: true });
  out.table(workloadColumns, data.workload.teams.map(workloadRow));

  const open = data.alerts.filter((a) => a.status === 'open');
  out.heading('Open alerts on emerging issues');
  out.table([{ label: 'Category', width: w * 0.25 }, { label: 'Ward', width: w * 0.2 }, { label: 'Window', width: w * 0.25 }, { label: 'Reports', width: w * 0.1, align: 'right' }, { label: 'Expected', width: w * 0.1, align: 'right' }, { label: 'p-value', width: w * 0.1, align: 'right' }],
    open.map((a) => [a.categoryName, a.wardName, `${a.windowFrom} to ${a.windowTo}`, String(a.observed), a.expected.toFixed(1), a.pValue < 0.001 ? a.pValue.toExponential(1) : a.pValue.toFixed(3)]),
    'No open alerts.');
  return doc.save();
}
