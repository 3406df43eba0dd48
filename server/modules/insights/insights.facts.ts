// What one case contributes to the figures (its fact), and the change to the summaries when a
// fact is replaced: the new fact's contributions added, the old one's taken away. Pure.
import { CalendarError, workingTimeBetween, type Calendar } from '../sla/sla.calendar.js';
import { binOf } from './insights.histogram.js';
import { localIso, monthStart, quarterStart, weekStart, yearStart } from './insights.days.js';

export const FACT_DIMENSIONS = ['none', 'category', 'team', 'assignee', 'channel', 'ward'] as const;
export type FactDimension = (typeof FACT_DIMENSIONS)[number];

/** The four measured durations, in the order of their measure number (histogramCode). */
export const MEASURES = ['fr_calendar', 'fr_business', 'res_calendar', 'res_business'] as const;

export type Fact = {
  case_id: string;
  created_day: string;
  first_response_day: string | null;
  resolved_day: string | null;
  rating_day: string | null;
  category_id: string | null;
  team_id: string | null;
  assignee_id: string | null;
  channel: string;
  ward_id: string | null;
  requester_id: string | null;
  is_returning: boolean | null;
  fr_calendar: number | null;
  fr_business: number | null;
  res_calendar: number | null;
  res_business: number | null;
  fr_met: boolean | null;
  res_met: boolean | null;
  is_reopened: boolean;
  rating: number | null;
  /** Where the case is on the case map (insights.map-cells.ts): unlocated cases have no position. */
  status: string;
  lat: number | null;
  lng: number | null;
  is_sensitive: boolean;
};

export type CaseInput = {
  id: string;
  created_at: Date;
  category_id: string | null;
  team_id: string | null;
  assignee_id: string | null;
  channel: string;
  ward_id: string | null;
  requester_id: string | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  first_responded_at: Date | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  /** The earliest resolution undone by a reopen, and whether there was any. */
  first_reopened_resolution: Date | null;
  is_returning: boolean | null;
  rating: number | null;
  rated_at: Date | null;
  status: string;
  lat: number | null;
  lng: number | null;
  is_sensitive: boolean;
};

const minutes = (ms: number) => Math.round(ms / 60_000);

function businessMinutes(cal: Calendar | null, from: Date, to: Date): number | null {
  if (!cal || !cal.hasWorkingTime) return null;
  try {
    return minutes(Math.max(0, workingTimeBetween(cal, from.getTime(), to.getTime())));
  } catch (err) {
    if (err instanceof CalendarError) return null;
    throw err;
  }
}

/**
 * The fact of a case. Its resolution is its first one: the earliest of the resolutions a
 * reopen undid and its current resolved_at (closing without resolving counts as resolving).
 */
export function factOf(c: CaseInput, timeZone: string, cal: Calendar | null): Fact {
  const current = c.resolved_at ?? c.closed_at;
  const earlier = c.first_reopened_resolution;
  const resolvedAt = earlier && (!current || earlier < current) ? earlier : current;
  const created = c.created_at;
  const fr = c.first_responded_at;
  return {
    case_id: c.id,
    created_day: localIso(timeZone, created),
    first_response_day: fr ? localIso(timeZone, fr) : null,
    resolved_day: resolvedAt ? localIso(timeZone, resolvedAt) : null,
    rating_day: c.rating !== null && c.rated_at ? localIso(timeZone, c.rated_at) : null,
    category_id: c.category_id,
    team_id: c.team_id,
    assignee_id: c.assignee_id,
    channel: c.channel,
    ward_id: c.ward_id,
    requester_id: c.requester_id,
    is_returning: c.requester_id ? c.is_returning === true : null,
    fr_calendar: fr ? minutes(Math.max(0, fr.getTime() - created.getTime())) : null,
    fr_business: fr ? businessMinutes(cal, created, fr) : null,
    res_calendar: resolvedAt ? minutes(Math.max(0, resolvedAt.getTime() - created.getTime())) : null,
    res_business: resolvedAt ? businessMinutes(cal, created, resolvedAt) : null,
    fr_met: fr && c.first_response_due_at ? fr <= c.first_response_due_at : null,
    res_met: resolvedAt && c.resolution_due_at ? resolvedAt <= c.resolution_due_at : null,
    is_reopened: earlier !== null,
    rating: c.rating,
    status: c.status,
    lat: c.lat,
    lng: c.lng,
    is_sensitive: c.is_sensitive,
  };
}

export const COUNTERS = [
  'opened', 'resolved', 'first_responses', 'fr_targets', 'fr_met', 'res_targets', 'res_met', 'reopened',
  'ratings', 'rating_sum', 'rating_1', 'rating_2', 'rating_3', 'rating_4', 'rating_5', 'new_requesters', 'returning_requesters',
] as const;
export type Counter = (typeof COUNTERS)[number];
const COUNTER_INDEX = Object.fromEntries(COUNTERS.map((c, i) => [c, i])) as Record<Counter, number>;

/** The breakdown key of a fact for a dimension: '' for the whole office and for "none of". */
export function keyOf(f: Fact, dimension: FactDimension): string {
  switch (dimension) {
    case 'none': return '';
    case 'category': return f.category_id ?? '';
    case 'team': return f.team_id ?? '';
    case 'assignee': return f.assignee_id ?? '';
    case 'channel': return f.channel;
    case 'ward': return f.ward_id ?? '';
    default: return assertNever(dimension);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected dimension ${String(x)}`);
}

const SEP = '\u0001';

/**
 * A histogram row holds all four measures in one sparse array: each bin is coded as
 * measure * 1024 + bin (bins stay far below 1024 for any duration an int can hold), in
 * ascending order, with its count in a parallel array.
 */
export const MEASURE_SHIFT = 1024;
export const histogramCode = (measure: number, bin: number) => measure * MEASURE_SHIFT + bin;
export const measureOfCode = (code: number) => Math.floor(code / MEASURE_SHIFT);
export const binOfCode = (code: number) => code % MEASURE_SHIFT;

/** The summary rows a day is counted in: the day and its week, month, quarter and year. */
const grainsOf = (day: string) => [['d', day], ['w', weekStart(day)], ['m', monthStart(day)], ['q', quarterStart(day)], ['y', yearStart(day)]] as const;

export type HistogramRow = { dimension: string; grain: string; period: string; key: string; bins: number[]; counts: number[] };

/** Changes to apply to the summaries: counter deltas per row, histogram count deltas per row and bin. */
export class Deltas {
  readonly counts = new Map<string, number[]>();
  readonly histograms = new Map<string, Map<number, number>>();

  /** Adds (sign 1) or takes away (sign -1) everything a fact contributes. */
  apply(f: Fact, sign: 1 | -1): void {
    const counters: [string, Partial<Record<Counter, number>>][] = [[f.created_day, { opened: 1, ...(f.is_returning === null ? {} : f.is_returning ? { returning_requesters: 1 } : { new_requesters: 1 }) }]];
    if (f.first_response_day) counters.push([f.first_response_day, { first_responses: 1, ...(f.fr_met === null ? {} : { fr_targets: 1, fr_met: f.fr_met ? 1 : 0 }) }]);
    if (f.resolved_day) counters.push([f.resolved_day, { resolved: 1, reopened: f.is_reopened ? 1 : 0, ...(f.res_met === null ? {} : { res_targets: 1, res_met: f.res_met ? 1 : 0 }) }]);
    if (f.rating_day && f.rating !== null) counters.push([f.rating_day, { ratings: 1, rating_sum: f.rating, [`rating_${f.rating}`]: 1 }]);
    const durations: [string | null, number, number | null][] = [
      [f.first_response_day, 0, f.fr_calendar], [f.first_response_day, 1, f.fr_business], [f.resolved_day, 2, f.res_calendar], [f.resolved_day, 3, f.res_business],
    ];
    for (const dimension of FACT_DIMENSIONS) {
      const key = keyOf(f, dimension);
      for (const [day, values] of counters) {
        for (const [grain, period] of grainsOf(day)) {
          const id = [dimension, grain, period, key].join(SEP);
          let row = this.counts.get(id);
          if (!row) this.counts.set(id, (row = COUNTERS.map(() => 0)));
          for (const [name, v] of Object.entries(values)) row[COUNTER_INDEX[name as Counter]]! += sign * v;
        }
      }
      for (const [day, measure, value] of durations) {
        if (!day || value === null) continue;
        const code = histogramCode(measure, binOf(value));
        for (const [grain, period] of grainsOf(day)) {
          const id = [dimension, grain, period, key].join(SEP);
          let row = this.histograms.get(id);
          if (!row) this.histograms.set(id, (row = new Map()));
          row.set(code, (row.get(code) ?? 0) + sign);
        }
      }
    }
  }

  /** Counter rows with some change: [dimension, grain, period, key, ...counters]. */
  countRows(): { dimension: string; grain: string; period: string; key: string; values: number[] }[] {
    const out = [];
    for (const [id, values] of this.counts) {
      if (values.every((v) => v === 0)) continue;
      const [dimension, grain, period, key] = id.split(SEP) as [string, string, string, string];
      out.push({ dimension, grain, period, key, values });
    }
    return out;
  }

  /** Histogram rows with some change, each as its sparse delta (bins ascending, no zero counts). */
  histogramRows(): HistogramRow[] {
    const out: HistogramRow[] = [];
    for (const [id, m] of this.histograms) {
      const changed = [...m.entries()].filter(([, n]) => n !== 0).sort((a, b) => a[0] - b[0]);
      if (changed.length === 0) continue;
      const [dimension, grain, period, key] = id.split(SEP) as [string, string, string, string];
      out.push({ dimension, grain, period, key, bins: changed.map(([b]) => b), counts: changed.map(([, n]) => n) });
    }
    return out;
  }
}
