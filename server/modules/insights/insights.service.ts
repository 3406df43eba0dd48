// The figures: service performance, volumes and trends, backlog, workload and the ward map,
// read from the summaries (insights.refresh.ts) and, for what is open now, from the open cases.
// Definitions: docs/INSIGHTS.md. Before reading, an office's few pending changes are folded
// in, so a dashboard is current after ordinary work.
import { BACKLOG_BUCKETS, type Backlog, type DurationStats, type MetricSet, type Pending, type Performance, type PerformanceRow, type ResolvedRange, type Volumes, type WardMap, type Workload, ZBacklogQuery, ZPerformanceQuery, ZVolumeQuery, ZWardMapQuery, ZWorkloadQuery } from '../../../contract/insights.js';
import type { z } from 'zod';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import * as offices from '../offices/offices.service.js';
import { officeCalendarFrom } from '../sla/sla.cases.js';
import { workingIntervals } from '../sla/sla.calendar.js';
import { coverRange, dayOf, periodOf, periodsBetween, previousRange, resolveRange } from './insights.days.js';
import { histogramPercentile } from './insights.histogram.js';
import { labeller } from './insights.labels.js';
import { LATE_COMMIT_MS, refreshOffice } from './insights.refresh.js';
import { COUNTERS, histogramCode, MEASURE_SHIFT } from './insights.facts.js';
import * as repo from './insights.repo.js';

export { rebuildOffice, refreshOffice } from './insights.refresh.js';

/** Reads first fold in an office's pending changes when there are at most this many. */
export const FRESHEN_LIMIT = 2000;

export const insightOptions = {
  /** Durations are exact (percentile_cont over the facts) up to this many measured cases in a range, else from histograms. */
  exactLimit: 50_000,
};

type Q<T extends z.ZodType> = z.input<T>;

/** Pending dirty cases are counted up to this many for the response. */
const PENDING_CAP = 1_000_000;
const CURRENT: Pending = { cases: 0, rebuilding: false };

/**
 * Folds in an office's few pending changes before a read. Read first: with nothing pending (no
 * dirty case, no rebuild, no item activity since the watermark) nothing is written, and the
 * summaries are current as of now. A refresh of the office already under way (the job, or a
 * read alongside this one) is waited for rather than skipped, so the read never answers before
 * the changes it found pending are folded in. A backlog too large to fold during a request, or
 * a rebuild (whose last step recounts the whole office), is left to the job, and the answer
 * says what the figures do not include yet.
 */
async function freshen(db: Executor, officeId: string): Promise<{ asOf: string; pending: Pending }> {
  const [waiting, state, office] = await Promise.all([repo.pendingCount(db, officeId, FRESHEN_LIMIT + 1), repo.officeState(db, officeId), offices.get(systemScope(db, officeId))]);
  const idle = waiting === 0 && state && !state.rebuilding && state.time_zone === office.timeZone && state.items_through
    && !(await repo.itemWorkSince(db, officeId, new Date(state.items_through.getTime() - LATE_COMMIT_MS)));
  if (idle) return { asOf: new Date().toISOString(), pending: CURRENT };
  const remaining = waiting <= FRESHEN_LIMIT && !state?.rebuilding
    ? (await refreshOffice(db, officeId, { limit: FRESHEN_LIMIT, wait: true })).remaining
    : await repo.pendingCount(db, officeId, PENDING_CAP);
  const after = await repo.officeState(db, officeId);
  return { asOf: (after?.refreshed_at ?? new Date(0)).toISOString(), pending: { cases: remaining, rebuilding: after?.rebuilding ?? false } };
}

/** Whether the summaries hold every change (after folding in the few pending ones): the case map reads them only then. */
export async function summariesCurrent(db: Executor, officeId: string): Promise<boolean> {
  const { pending } = await freshen(db, officeId);
  return pending.cases === 0 && !pending.rebuilding;
}

/** The figure reads of one request, with JIT off (see repo.jitOff). */
const reading = <T>(db: Executor, fn: (db: Executor) => Promise<T>): Promise<T> => inTransaction(db, async (trx) => {
  await repo.jitOff(trx);
  return fn(trx);
});

const timeZoneOf = async (scope: Scope) => (await offices.get(scope)).timeZone;
const outKey = (dimension: string, key: string) => (dimension === 'none' || key === '' ? null : key);
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

// ---------------------------------------------------------------- performance

const emptyStats = (): DurationStats => ({ count: 0, median: null, p90: null });

type Durations = Map<string, DurationStats[]>; // key → stats per measure 0..3

async function durations(db: Executor, officeId: string, dimension: string, r: { from: string; to: string }, measured: number): Promise<{ stats: Durations; approximate: boolean }> {
  const stats: Durations = new Map();
  const slot = (key: string) => {
    let s = stats.get(key);
    if (!s) stats.set(key, (s = [emptyStats(), emptyStats(), emptyStats(), emptyStats()]));
    return s;
  };
  if (measured <= insightOptions.exactLimit) {
    for (const row of await repo.exactDurations(db, officeId, dimension, r.from, r.to)) {
      slot(row.key)[row.measure] = { count: row.count, median: row.median === null ? null : Number(row.median), p90: row.p90 === null ? null : Number(row.p90) };
    }
    return { stats, approximate: false };
  }
  for (const [key, counts] of await repo.mergedHistograms(db, officeId, dimension, coverRange(r))) {
    for (let measure = 0; measure < 4; measure++) {
      const bins = new Map<number, number>();
      let count = 0;
      for (let bin = 0; bin < MEASURE_SHIFT; bin++) {
        const n = counts[histogramCode(measure, bin)]!;
        if (n === 0) continue;
        bins.set(bin, n);
        count += n;
      }
      if (count > 0) slot(key)[measure] = { count, median: histogramPercentile(bins, 0.5), p90: histogramPercentile(bins, 0.9) };
    }
  }
  return { stats, approximate: true };
}

function metricSet(c: repo.CountRow | undefined, d: DurationStats[] | undefined): MetricSet {
  const n = (k: keyof repo.CountRow) => (c ? Number(c[k]) : 0);
  const s = d ?? [emptyStats(), emptyStats(), emptyStats(), emptyStats()];
  const ratings = n('ratings');
  return {
    opened: n('opened'),
    resolved: n('resolved'),
    firstResponse: { calendar: s[0]!, business: s[1]! },
    resolution: { calendar: s[2]!, business: s[3]! },
    sla: {
      firstResponseTargets: n('fr_targets'), firstResponseMet: n('fr_met'), resolutionTargets: n('res_targets'), resolutionMet: n('res_met'),
      compliance: ratio(n('res_met'), n('res_targets')),
    },
    reopened: n('reopened'),
    reopenRate: ratio(n('reopened'), n('resolved')),
    satisfaction: { count: ratings, average: ratings ? n('rating_sum') / ratings : null, distribution: [n('rating_1'), n('rating_2'), n('rating_3'), n('rating_4'), n('rating_5')] },
  };
}

type PeriodFigures = { counts: Map<string, repo.CountRow>; stats: Durations; approximate: boolean };

async function periodFigures(db: Executor, officeId: string, dimension: string, r: ResolvedRange, withDurations = true): Promise<PeriodFigures> {
  const counts = new Map((await repo.sumCounts(db, officeId, dimension, coverRange(r))).map((c) => [c.key, c]));
  if (!withDurations) return { counts, stats: new Map(), approximate: false };
  let measured = 0;
  for (const c of counts.values()) measured += Number(c.resolved) + Number(c.first_responses);
  const { stats, approximate } = await durations(db, officeId, dimension, r, measured);
  return { counts, stats, approximate };
}

export async function performance(scope: Scope, q: Q<typeof ZPerformanceQuery>): Promise<Performance> {
  const query = ZPerformanceQuery.parse(q);
  const tz = await timeZoneOf(scope);
  const range = resolveRange(tz, query);
  const previous = previousRange(range);
  const { asOf, pending } = await freshen(scope.db, scope.officeId);
  // The two periods in transactions of their own, so on PostgreSQL they run side by side on two connections.
  const [cur, prev, label] = await Promise.all([
    reading(scope.db, (db) => periodFigures(db, scope.officeId, query.by, range)), reading(scope.db, (db) => periodFigures(db, scope.officeId, query.by, previous)),
    labeller(scope.db, scope.officeId, query.by),
  ]);
  // Rows left at zero by changes (a merged category, a deleted case) are not shown.
  const some = (f: PeriodFigures) => [...f.counts.values()].filter((c) => COUNTERS.some((k) => Number(c[k]) !== 0)).map((c) => c.key);
  const keys = new Set([...some(cur), ...some(prev)]);
  if (query.by === 'none') keys.add('');
  const rows: PerformanceRow[] = [...keys].map((key) => ({
    key: outKey(query.by, key), label: label(key), current: metricSet(cur.counts.get(key), cur.stats.get(key)), previous: metricSet(prev.counts.get(key), prev.stats.get(key)),
  }));
  rows.sort((a, b) => b.current.opened - a.current.opened || b.current.resolved - a.current.resolved || a.label.localeCompare(b.label));
  const items = await repo.itemsByDay(scope.db, scope.officeId, range.from, range.to);
  const total = items.reduce((s, i) => s + i.items, 0);
  const automatic = items.reduce((s, i) => s + i.automatic, 0);
  return { range, previous, by: query.by, approximate: cur.approximate || prev.approximate, asOf, pending, rows, automation: { items: total, automatic, share: ratio(automatic, total) } };
}

// ---------------------------------------------------------------- volumes

const MAX_SERIES = 20;
export const OTHER_KEY = '(other)';

export async function volumes(scope: Scope, q: Q<typeof ZVolumeQuery>): Promise<Volumes> {
  const query = ZVolumeQuery.parse(q);
  const tz = await timeZoneOf(scope);
  const range = resolveRange(tz, query);
  const previous = previousRange(range);
  const { asOf, pending } = await freshen(scope.db, scope.officeId);
  const { interval, by } = query;
  const periods = periodsBetween(range.from, range.to, interval);
  type Acc = { items: number; cases: number; newRequesters: number; returningRequesters: number };
  const series = new Map<string, Map<string, Acc>>();
  const point = (key: string, period: string) => {
    let s = series.get(key);
    if (!s) series.set(key, (s = new Map()));
    let p = s.get(period);
    if (!p) s.set(period, (p = { items: 0, cases: 0, newRequesters: 0, returningRequesters: 0 }));
    return p;
  };
  for (const r of await repo.dailyOpened(scope.db, scope.officeId, by, range.from, range.to)) {
    const p = point(r.key, periodOf(r.day, interval));
    p.cases += r.opened;
    p.newRequesters += r.new_requesters;
    p.returningRequesters += r.returning_requesters;
  }
  const hasItems = by === 'none' || by === 'channel';
  if (hasItems) {
    for (const r of await repo.itemsByDay(scope.db, scope.officeId, range.from, range.to)) point(by === 'none' ? '' : r.channel, periodOf(r.day, interval)).items += r.items;
  }
  if (by === 'none') point('', periods[0]!);
  const label = await labeller(scope.db, scope.officeId, by);
  const totals = [...series.entries()].map(([key, s]) => {
    let items = 0;
    let cases = 0;
    for (const p of s.values()) {
      items += p.items;
      cases += p.cases;
    }
    return { key, s, items, cases };
  }).sort((a, b) => b.cases - a.cases || b.items - a.items || label(a.key).localeCompare(label(b.key)));
  const kept = totals.slice(0, totals.length > MAX_SERIES ? MAX_SERIES - 1 : MAX_SERIES);
  const rest = totals.slice(kept.length);
  const present = (key: string | null, lbl: string, parts: typeof totals) => ({
    key, label: lbl,
    total: { items: hasItems ? parts.reduce((s, p) => s + p.items, 0) : null, cases: parts.reduce((s, p) => s + p.cases, 0) },
    points: periods.map((period) => {
      const acc = { items: 0, cases: 0, newRequesters: 0, returningRequesters: 0 };
      for (const p of parts) {
        const v = p.s.get(period);
        if (v) (Object.keys(acc) as (keyof Acc)[]).forEach((k) => (acc[k] += v[k]));
      }
      return { period, items: hasItems ? acc.items : null, cases: acc.cases, newRequesters: acc.newRequesters, returningRequesters: acc.returningRequesters };
    }),
  });
  const out = kept.map((t) => present(outKey(by, t.key), label(t.key), [t]));
  if (rest.length) out.push(present(OTHER_KEY, 'Other', rest));
  const [cur, prev, catLabel] = await reading(scope.db, (db) => Promise.all([
    repo.sumCounts(db, scope.officeId, 'category', coverRange(range)), repo.sumCounts(db, scope.officeId, 'category', coverRange(previous)), labeller(db, scope.officeId, 'category'),
  ]));
  const prevOf = new Map(prev.map((p) => [p.key, Number(p.opened)]));
  const topCategories = cur.filter((c) => Number(c.opened) > 0).map((c) => ({ key: outKey('category', c.key), label: catLabel(c.key), cases: Number(c.opened), previousCases: prevOf.get(c.key) ?? 0 }))
    .sort((a, b) => b.cases - a.cases || a.label.localeCompare(b.label)).slice(0, 10);
  return { range, interval, by, asOf, pending, series: out, topCategories };
}

// ---------------------------------------------------------------- backlog and workload

export async function backlog(scope: Scope, q: Q<typeof ZBacklogQuery>): Promise<Backlog> {
  const query = ZBacklogQuery.parse(q);
  const now = new Date();
  const [open, label] = await Promise.all([repo.openCases(scope.db, scope.officeId, query.by, now), labeller(scope.db, scope.officeId, query.by)]);
  const rows = open.map((r) => ({ key: outKey(query.by, r.key), label: label(r.key), open: r.open, byAge: [r.a0, r.a3, r.a8, r.a31, r.a91], overdue: r.overdue }));
  if (query.by === 'none' && rows.length === 0) rows.push({ key: null, label: label(''), open: 0, byAge: [0, 0, 0, 0, 0], overdue: 0 });
  rows.sort((a, b) => b.open - a.open || a.label.localeCompare(b.label));
  return { asOf: now.toISOString(), by: query.by, buckets: [...BACKLOG_BUCKETS], rows };
}

/** Office-local days in the range with some business hours (holidays excluded). */
async function workingDays(db: Executor, officeId: string, r: ResolvedRange): Promise<number> {
  const cal = await officeCalendarFrom(db, officeId, r.from);
  let n = 0;
  for (let d = dayOf(r.from); d <= dayOf(r.to); d++) if (workingIntervals(cal, d).length > 0) n++;
  return n;
}

export async function workload(scope: Scope, q: Q<typeof ZWorkloadQuery>): Promise<Workload> {
  const query = ZWorkloadQuery.parse(q);
  const tz = await timeZoneOf(scope);
  const range = resolveRange(tz, query);
  const { asOf, pending } = await freshen(scope.db, scope.officeId);
  const { officeId } = scope;
  const now = new Date();
  const [days, open, resolvedUsers, resolvedTeams, handled, members, users, teams] = await reading(scope.db, (db) => Promise.all([
    workingDays(db, officeId, range), repo.openLoad(db, officeId, now),
    repo.sumCounts(db, officeId, 'assignee', coverRange(range)), repo.sumCounts(db, officeId, 'team', coverRange(range)),
    repo.itemsHandledBy(db, officeId, range.from, range.to), repo.teamMembers(db, officeId), labeller(db, officeId, 'assignee'), labeller(db, officeId, 'team'),
  ] as const));
  const perDay = (n: number) => (days === 0 ? 0 : n / days);
  const itemsOf = new Map(handled.map((h) => [h.user_id, h.items]));
  const build = (kind: 'user' | 'team', open: repo.OpenLoad[], resolved: repo.CountRow[], items: (key: string) => number, label: (k: string) => string) => {
    const keys = new Set([...open.map((o) => o.key), ...resolved.filter((r) => Number(r.resolved) > 0).map((r) => r.key)]);
    if (kind === 'user') for (const [id, n] of itemsOf) if (n > 0) keys.add(id);
    if (kind === 'team') for (const m of members) if ((itemsOf.get(m.user_id) ?? 0) > 0) keys.add(m.team_id);
    const openOf = new Map(open.map((o) => [o.key, o]));
    const resolvedOf = new Map(resolved.map((r) => [r.key, Number(r.resolved)]));
    return [...keys].map((key) => {
      const r = resolvedOf.get(key) ?? 0;
      const i = key === '' ? 0 : items(key);
      return { kind, key: key === '' ? null : key, label: label(key), open: openOf.get(key)?.open ?? 0, overdue: openOf.get(key)?.overdue ?? 0, resolved: r, resolvedPerDay: perDay(r), itemsHandled: i, itemsPerDay: perDay(i) };
    }).sort((a, b) => b.open - a.open || b.resolved - a.resolved || a.label.localeCompare(b.label));
  };
  const teamItems = (teamId: string) => members.filter((m) => m.team_id === teamId).reduce((s, m) => s + (itemsOf.get(m.user_id) ?? 0), 0);
  return {
    range, workingDays: days, asOf, pending,
    people: build('user', open.assignee, resolvedUsers, (k) => itemsOf.get(k) ?? 0, users),
    teams: build('team', open.team, resolvedTeams, teamItems, teams),
  };
}

// ---------------------------------------------------------------- ward map

export async function wardMap(scope: Scope, q: Q<typeof ZWardMapQuery>): Promise<WardMap> {
  const query = ZWardMapQuery.parse(q);
  const tz = await timeZoneOf(scope);
  const range = resolveRange(tz, query);
  const wards = await repo.layerBoundaries(scope.db, scope.officeId, query.layer);
  const value = new Map<string, { value: number | null; cases: number }>();
  let pending = CURRENT;
  if (query.measure === 'open' || query.measure === 'overdue') {
    for (const r of await repo.openCases(scope.db, scope.officeId, 'ward', new Date())) value.set(r.key, { value: query.measure === 'open' ? r.open : r.overdue, cases: r.open });
  } else {
    // Only the two medians need the histograms; every other measure is a counter, and no measure needs the previous period.
    pending = (await freshen(scope.db, scope.officeId)).pending;
    const withDurations = query.measure === 'resolutionMedian' || query.measure === 'firstResponseMedian';
    const fig = await reading(scope.db, (db) => periodFigures(db, scope.officeId, 'ward', range, withDurations));
    for (const [key, c] of fig.counts) {
      const m = metricSet(c, fig.stats.get(key));
      const pick: Record<string, { value: number | null; cases: number }> = {
        opened: { value: m.opened, cases: m.opened },
        resolved: { value: m.resolved, cases: m.resolved },
        resolutionMedian: { value: m.resolution.business.median, cases: m.resolution.business.count },
        firstResponseMedian: { value: m.firstResponse.business.median, cases: m.firstResponse.business.count },
        slaCompliance: { value: m.sla.compliance, cases: m.sla.resolutionTargets },
        reopenRate: { value: m.reopenRate, cases: m.resolved },
        satisfaction: { value: m.satisfaction.average, cases: m.satisfaction.count },
      };
      value.set(key, pick[query.measure]!);
    }
  }
  const zeroWhenEmpty = query.measure === 'opened' || query.measure === 'resolved' || query.measure === 'open' || query.measure === 'overdue';
  return {
    type: 'FeatureCollection', measure: query.measure, range, pending,
    features: wards.map((w) => {
      const v = value.get(w.id);
      return { type: 'Feature' as const, id: w.id, geometry: w.geometry, properties: { wardId: w.id, name: w.name, code: w.code, value: v?.value ?? (zeroWhenEmpty ? 0 : null), cases: v?.cases ?? 0 } };
    }),
  };
}
