// Figures for the report tests: a ReportData built from literal contract-typed values (what
// the insights service returns), with long tables so the PDF runs over several pages, and a
// reader of the text drawn in a PDF made with pdf-lib's standard fonts.
import type { InsightAlert, MetricSet, Performance, Volumes, Workload } from '../../../contract/insights.js';
import type { ReportData } from './insights.report-pdf.js';

const stats = (median: number | null, p90: number | null, count = 10) => ({ count, median, p90 });

export function metrics(o: { opened: number; resolved: number; median: number | null; compliance: number | null; reopenRate: number | null; rating: number | null }): MetricSet {
  return {
    opened: o.opened, resolved: o.resolved,
    firstResponse: { calendar: stats(90, 300), business: stats(60, 200) },
    resolution: { calendar: stats(o.median, o.median === null ? null : o.median * 3), business: stats(o.median === null ? null : o.median / 2, o.median) },
    sla: { firstResponseTargets: 10, firstResponseMet: 9, resolutionTargets: 10, resolutionMet: Math.round((o.compliance ?? 0) * 10), compliance: o.compliance },
    reopened: 1, reopenRate: o.reopenRate,
    satisfaction: { count: o.rating === null ? 0 : 4, average: o.rating, distribution: [0, 0, 1, 2, 1] },
  };
}

const range = (from: string, to: string, days: number) => ({ from, to, days, timeZone: 'Pacific/Auckland' });

export function reportData(opts: { categories?: number; people?: number } = {}): ReportData {
  const asOf = '2026-12-14T07:00:00.000Z';
  const pending = { cases: 0, rebuilding: false };
  const performance: Performance = {
    range: range('2026-12-07', '2026-12-13', 7), previous: range('2026-11-30', '2026-12-06', 7), by: 'category', approximate: false, asOf, pending,
    rows: Array.from({ length: opts.categories ?? 3 }, (_, i) => ({
      key: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, label: i === 0 ? 'Flooding Māori Road' : `Category ${i}`,
      current: metrics({ opened: 20 + i, resolved: 10 + i, median: 600, compliance: 0.9, reopenRate: 0.1, rating: 4.25 }),
      previous: metrics({ opened: 15, resolved: 8, median: 720, compliance: 0.8, reopenRate: 0.2, rating: 4 }),
    })),
    automation: { items: 80, automatic: 20, share: 0.25 },
  };
  const overall: Performance = {
    ...performance, by: 'none',
    rows: [{ key: null, label: 'Whole office', current: metrics({ opened: 42, resolved: 30, median: 1500, compliance: 0.875, reopenRate: 0.05, rating: 4.5 }), previous: metrics({ opened: 30, resolved: 33, median: 1800, compliance: 0.8, reopenRate: 0.1, rating: 4.1 }) }],
  };
  const days = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13'];
  const volumes: Volumes = {
    range: performance.range, interval: 'day', by: 'none', asOf, pending,
    series: [{ key: null, label: 'All', total: { items: 77, cases: 42 }, points: days.map((period, i) => ({ period, items: 11, cases: i + 3, newRequesters: 2, returningRequesters: i + 1 })) }],
    topCategories: [{ key: null, label: 'Potholes', cases: 17, previousCases: 10 }],
  };
  const person = (i: number) => ({
    kind: 'user' as const, key: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, label: `Person ${String(i).padStart(2, '0')}`,
    open: 100 - i, overdue: i % 3, resolved: i, resolvedPerDay: i / 5, itemsHandled: 2 * i, itemsPerDay: (2 * i) / 5,
  });
  const workload: Workload = {
    range: performance.range, workingDays: 5, asOf, pending,
    people: Array.from({ length: opts.people ?? 25 }, (_, i) => person(i + 1)),
    teams: [{ kind: 'team', key: null, label: 'Roads team', open: 57, overdue: 4, resolved: 12, resolvedPerDay: 2.4, itemsHandled: 30, itemsPerDay: 6 }],
  };
  const alert = (status: InsightAlert['status'], category: string): InsightAlert => ({
    id: '00000000-0000-4000-a000-000000000001', categoryId: null, categoryName: category, wardId: null, wardName: 'Riverside',
    windowFrom: '2026-12-12', windowTo: '2026-12-13', observed: 6, expected: 0.8, pValue: 0.00012, status,
    raisedAt: asOf, updatedAt: asOf, acknowledgedAt: null, acknowledgedBy: null, note: null, bbox: null,
  });
  return {
    performance, overall, volumes,
    backlog: { asOf, by: 'none', buckets: ['0-2d', '3-7d', '8-30d', '31-90d', '90d+'], rows: [{ key: null, label: 'Whole office', open: 61, byAge: [10, 20, 21, 7, 3], overdue: 9 }] },
    workload, alerts: [alert('open', 'Flooding'), alert('acknowledged', 'Graffiti acknowledged')],
  };
}

