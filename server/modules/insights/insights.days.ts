// Office-local calendar days as plain numbers (days since 1970-01-01) and ISO dates, and the
// range rules of every figure: the default range, what is refused, the previous period, and
// how a range splits into whole years, quarters, months, weeks and edge days for the summaries.
import { INSIGHT_EARLIEST_DATE, INSIGHT_MAX_RANGE_DAYS, type ResolvedRange } from '../../../contract/insights.js';
import { DomainError } from '../../platform/errors.js';
import { localDay, localToInstant } from '../sla/sla.calendar.js';

const DAY = 86_400_000;

export const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
export const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
/** The date `days` after (or before, if negative) a YYYY-MM-DD date. */
export const addDays = (iso: string, days: number) => isoOf(dayOf(iso) + days);
/** The office-local day of an instant, as an ISO date. */
export const localIso = (timeZone: string, at: Date) => isoOf(localDay(timeZone, at.getTime()));
/** The instant of an office-local midnight. */
export const midnight = (timeZone: string, day: number) => new Date(localToInstant(timeZone, day, 0));

export type DayRange = { from: number; to: number };

/** Checks a query's range and fills in the default: the last 30 days up to today, office-local. */
export function resolveRange(timeZone: string, q: { from?: string | undefined; to?: string | undefined }, now: Date = new Date()): ResolvedRange {
  const today = localDay(timeZone, now.getTime());
  const to = q.to !== undefined ? dayOf(q.to) : today;
  const from = q.from !== undefined ? dayOf(q.from) : to - 29;
  const earliest = dayOf(INSIGHT_EARLIEST_DATE);
  if (q.to !== undefined && to > today + 1) throw new DomainError('validation_failed', { field: 'to', message: `The range cannot end after tomorrow (${isoOf(today + 1)})` });
  if (from < earliest) throw new DomainError('validation_failed', { field: 'from', message: `The range cannot start before ${INSIGHT_EARLIEST_DATE}` });
  if (to < earliest) throw new DomainError('validation_failed', { field: 'to', message: `The range cannot end before ${INSIGHT_EARLIEST_DATE}` });
  if (from > to) throw new DomainError('validation_failed', { field: 'from', message: `The range starts (${isoOf(from)}) after it ends (${isoOf(to)})` });
  const days = to - from + 1;
  if (days > INSIGHT_MAX_RANGE_DAYS) throw new DomainError('validation_failed', { field: 'from', message: `The range is ${days} days long; the longest allowed is ${INSIGHT_MAX_RANGE_DAYS}` });
  return { from: isoOf(from), to: isoOf(to), days, timeZone };
}

/** The period of equal length just before a range. */
export function previousRange(r: ResolvedRange): ResolvedRange {
  const from = dayOf(r.from);
  return { ...r, from: isoOf(from - r.days), to: isoOf(from - 1) };
}

export const monthStart = (iso: string) => `${iso.slice(0, 7)}-01`;
export const yearStart = (iso: string) => `${iso.slice(0, 4)}-01-01`;
/** The first day of the months `n` months after the month of a date. */
const addMonths = (iso: string, n: number) => {
  const d = new Date(`${monthStart(iso)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
};
const nextMonth = (iso: string) => addMonths(iso, 1);
/** The first day of a date's calendar quarter. */
export const quarterStart = (iso: string) => `${iso.slice(0, 5)}${String(Math.floor((Number(iso.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
/** The Monday of a date's ISO week. */
export const weekStart = (iso: string) => {
  const day = dayOf(iso);
  return isoOf(day - ((new Date(day * DAY).getUTCDay() + 6) % 7));
};

/**
 * The grains of the summary tables, coarsest first: calendar year, quarter, month, ISO week
 * (Monday to Sunday, across month ends) and day. A row's period is the first day of its period.
 */
export const GRAINS = ['y', 'q', 'm', 'w', 'd'] as const;
export type Grain = (typeof GRAINS)[number];
const startOf: Record<Grain, (iso: string) => string> = { y: yearStart, q: quarterStart, m: monthStart, w: weekStart, d: (iso) => iso };
const nextStart: Record<Grain, (start: string) => string> = {
  y: (iso) => addMonths(iso, 12), q: (iso) => addMonths(iso, 3), m: nextMonth, w: (iso) => addDays(iso, 7), d: (iso) => addDays(iso, 1),
};

/** Rows of one grain of a summary table, periods from..to (each the first day of its period). */
export type CoverPart = { grain: Grain; from: string; to: string };

/**
 * A range of office-local dates as summary rows: the whole periods of the coarsest grain inside
 * it, then the same for what is left on either side with the next grain, down to edge days.
 * Each date of the range is in exactly one part; a 12-month range reads about three quarters,
 * two months, three weeks and ten days per key instead of 365 days. Plain dates, so no time
 * zone or DST enters here.
 */
export function coverRange(r: { from: string; to: string }, grains: readonly Grain[] = GRAINS): CoverPart[] {
  if (r.from > r.to) return [];
  const [grain, ...finer] = grains as [Grain, ...Grain[]];
  if (grain === 'd') return [{ grain, from: r.from, to: r.to }];
  const first = startOf[grain](r.from) === r.from ? r.from : nextStart[grain](startOf[grain](r.from));
  const afterTo = addDays(r.to, 1);
  const end = startOf[grain](afterTo) === afterTo ? afterTo : startOf[grain](r.to); // exclusive
  if (first >= end) return coverRange(r, finer);
  return [
    { grain, from: first, to: startOf[grain](addDays(end, -1)) },
    ...coverRange({ from: r.from, to: addDays(first, -1) }, finer),
    ...coverRange({ from: end, to: r.to }, finer),
  ];
}

/** First day of the period (day, ISO week starting Monday, month) holding a date. */
export function periodOf(iso: string, interval: 'day' | 'week' | 'month'): string {
  if (interval === 'day') return iso;
  return interval === 'month' ? monthStart(iso) : weekStart(iso);
}

/** Every period start from the one holding `from` to the one holding `to`. */
export function periodsBetween(from: string, to: string, interval: 'day' | 'week' | 'month'): string[] {
  const out: string[] = [];
  let p = periodOf(from, interval);
  while (p <= to) {
    out.push(p);
    p = interval === 'day' ? isoOf(dayOf(p) + 1) : interval === 'week' ? isoOf(dayOf(p) + 7) : nextMonth(p);
  }
  return out;
}
