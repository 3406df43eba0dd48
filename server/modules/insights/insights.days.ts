// Office-local calendar days as plain numbers (days since 1970-01-01) and ISO dates, and the
// range rules of every figure: the default range, what is refused, the previous period, and
// how a range splits into whole months and edge days for the summaries.
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
const nextMonth = (iso: string) => {
  const d = new Date(`${monthStart(iso)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};

/**
 * A range as summary rows: the first days of whole months inside it (grain 'm') and ranges of
 * edge days (grain 'd'), so a year reads about 12 monthly rows and at most 60 daily ones.
 */
export function splitRange(r: { from: string; to: string }): { months: [string, string] | null; days: [string, string][] } {
  const firstWhole = r.from === monthStart(r.from) ? r.from : nextMonth(r.from);
  const afterTo = isoOf(dayOf(r.to) + 1);
  const endWhole = afterTo === monthStart(afterTo) ? afterTo : monthStart(r.to); // exclusive
  if (firstWhole >= endWhole) return { months: null, days: [[r.from, r.to]] };
  const days: [string, string][] = [];
  if (r.from < firstWhole) days.push([r.from, isoOf(dayOf(firstWhole) - 1)]);
  if (endWhole <= r.to) days.push([endWhole, r.to]);
  const lastMonth = isoOf(dayOf(endWhole) - 1);
  return { months: [firstWhole, monthStart(lastMonth)], days };
}

/** Rows of one grain of a summary table, periods from..to (each the first day of its period). */
export type CoverPart = { grain: 'd' | 'm' | 'y'; from: string; to: string };

const yearOf = (iso: string) => Number(iso.slice(0, 4));
const pad4 = (y: number) => String(y).padStart(4, '0');

/**
 * A range of office-local dates as summary rows: whole calendar years (grain 'y'), then whole
 * months of what is left (grain 'm'), then edge days (grain 'd'). Each date of the range is in
 * exactly one part. Plain dates, so no time zone or DST enters here.
 */
export function coverRange(r: { from: string; to: string }): CoverPart[] {
  const firstYear = r.from.endsWith('-01-01') ? yearOf(r.from) : yearOf(r.from) + 1;
  const lastYear = r.to.endsWith('-12-31') ? yearOf(r.to) : yearOf(r.to) - 1;
  const rest = (from: string, to: string): CoverPart[] => {
    if (from > to) return [];
    const s = splitRange({ from, to });
    return [...(s.months ? [{ grain: 'm' as const, from: s.months[0], to: s.months[1] }] : []), ...s.days.map(([a, b]) => ({ grain: 'd' as const, from: a, to: b }))];
  };
  if (firstYear > lastYear) return rest(r.from, r.to);
  return [
    { grain: 'y', from: `${pad4(firstYear)}-01-01`, to: `${pad4(lastYear)}-01-01` },
    ...rest(r.from, isoOf(dayOf(`${pad4(firstYear)}-01-01`) - 1)),
    ...rest(`${pad4(lastYear + 1)}-01-01`, r.to),
  ];
}

/** First day of the period (day, ISO week starting Monday, month) holding a date. */
export function periodOf(iso: string, interval: 'day' | 'week' | 'month'): string {
  if (interval === 'day') return iso;
  if (interval === 'month') return monthStart(iso);
  const day = dayOf(iso);
  const weekday = (new Date(day * DAY).getUTCDay() + 6) % 7; // Monday 0
  return isoOf(day - weekday);
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
