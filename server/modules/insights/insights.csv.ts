// Every figure as CSV, in one flat long layout shared by all four files (docs/INSIGHTS.md):
//   breakdown, key, label, period_from, period_to, figure, value
// one row per (row × figure); empty cells for what does not apply and for "no value".
// Labels are names staff typed, so cells go through the same formula-injection guard as
// the other exports.
import { stringify } from 'csv-stringify/sync';
import type { Backlog, MetricSet, Performance, Volumes, Workload } from '../../../contract/insights.js';
import { safeCell } from '../imports/imports.export.js';
import { dayOf, isoOf, periodsBetween } from './insights.days.js';

export const CSV_COLUMNS = ['breakdown', 'key', 'label', 'period_from', 'period_to', 'figure', 'value'] as const;

type Cell = string | number | null;
type Line = [breakdown: string, key: string | null, label: string, from: string, to: string, figure: string, value: Cell];

const toCsv = (lines: Line[]) =>
  stringify(lines.map((l) => l.map((c) => safeCell(c === null ? '' : String(c)))), { header: true, columns: [...CSV_COLUMNS], bom: true });

function metricFigures(m: MetricSet): [string, Cell][] {
  const out: [string, Cell][] = [['opened', m.opened], ['resolved', m.resolved]];
  for (const [name, d] of [['firstResponse', m.firstResponse], ['resolution', m.resolution]] as const) {
    for (const clock of ['calendar', 'business'] as const) {
      out.push([`${name}.${clock}.count`, d[clock].count], [`${name}.${clock}.median`, d[clock].median], [`${name}.${clock}.p90`, d[clock].p90]);
    }
  }
  out.push(
    ['sla.firstResponseTargets', m.sla.firstResponseTargets], ['sla.firstResponseMet', m.sla.firstResponseMet],
    ['sla.resolutionTargets', m.sla.resolutionTargets], ['sla.resolutionMet', m.sla.resolutionMet], ['sla.compliance', m.sla.compliance],
    ['reopened', m.reopened], ['reopenRate', m.reopenRate], ['satisfaction.count', m.satisfaction.count], ['satisfaction.average', m.satisfaction.average],
    ...m.satisfaction.distribution.map((n, i): [string, Cell] => [`satisfaction.rating${i + 1}`, n]),
  );
  return out;
}

export function performanceCsv(p: Performance): string {
  const lines: Line[] = [];
  for (const row of p.rows) {
    for (const [period, m] of [[p.range, row.current], [p.previous, row.previous]] as const) {
      for (const [figure, value] of metricFigures(m)) lines.push([p.by, row.key, row.label, period.from, period.to, figure, value]);
    }
  }
  const a = p.automation;
  for (const [figure, value] of [['automation.items', a.items], ['automation.automatic', a.automatic], ['automation.share', a.share]] as const) {
    lines.push(['none', null, 'All items', p.range.from, p.range.to, figure, value]);
  }
  return toCsv(lines);
}

export function volumesCsv(v: Volumes): string {
  const lines: Line[] = [];
  const starts = periodsBetween(v.range.from, v.range.to, v.interval);
  const endOf = (i: number) => (i + 1 < starts.length ? isoOf(dayOf(starts[i + 1]!) - 1) : v.range.to);
  for (const s of v.series) {
    s.points.forEach((pt, i) => {
      const from = pt.period < v.range.from ? v.range.from : pt.period;
      for (const [figure, value] of [['items', pt.items], ['cases', pt.cases], ['newRequesters', pt.newRequesters], ['returningRequesters', pt.returningRequesters]] as const) {
        lines.push([v.by, s.key, s.label, from, endOf(i), figure, value]);
      }
    });
  }
  for (const c of v.topCategories) lines.push(['topCategory', c.key, c.label, v.range.from, v.range.to, 'cases', c.cases]);
  return toCsv(lines);
}

export function backlogCsv(b: Backlog): string {
  const lines: Line[] = [];
  for (const r of b.rows) {
    lines.push([b.by, r.key, r.label, '', '', 'open', r.open], [b.by, r.key, r.label, '', '', 'overdue', r.overdue]);
    b.buckets.forEach((bucket, i) => lines.push([b.by, r.key, r.label, '', '', `age.${bucket}`, r.byAge[i] ?? 0]));
  }
  return toCsv(lines);
}

export function workloadCsv(w: Workload): string {
  const lines: Line[] = [];
  for (const r of [...w.people, ...w.teams]) {
    for (const [figure, value] of [['open', r.open], ['overdue', r.overdue], ['resolved', r.resolved], ['resolvedPerDay', r.resolvedPerDay], ['itemsHandled', r.itemsHandled], ['itemsPerDay', r.itemsPerDay]] as const) {
      lines.push([r.kind, r.key, r.label, w.range.from, w.range.to, figure, value]);
    }
  }
  return toCsv(lines);
}
