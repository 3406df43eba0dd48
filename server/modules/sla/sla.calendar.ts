// The office calendar as arithmetic: working intervals from weekly business hours in the
// office's time zone, minus holidays; adding working time to an instant and measuring the
// working time between two instants. Pure (no database), exact to the millisecond, and
// correct across DST changes because every wall-clock time is resolved to an instant
// through Intl (the zone's own rules), never by adding fixed hours.
//
// Rules worth knowing:
// - A span ["22:00", "06:00"] (end not after start) runs overnight into the next day, and
//   "24:00" is the end of the day; a shift belongs to the day it starts, so a holiday on
//   that day removes it, and a holiday on the next day does not.
// - Overlapping spans count once.
// - A wall time that does not exist (spring forward) moves forward by the gap; one that
//   happens twice (fall back) is its first occurrence. A 09:00-17:00 day is 8 real hours
//   on every day that 09:00 and 17:00 exist once, whatever the clocks did overnight.
// - A calendar without working time is an error (CalendarError), never an endless search.
import type { BusinessHours } from '../../../contract/offices.js';

export const MINUTE = 60_000;
const DAY = 86_400_000;
/** Consecutive days without a working minute after which adding time gives up. */
export const MAX_IDLE_DAYS = 400;

export type CalendarInput = {
  timeZone: string;
  hours: BusinessHours;
  /** Local dates (YYYY-MM-DD) on which the office is closed. */
  holidays: Iterable<string>;
};

export class CalendarError extends Error {
  constructor(readonly code: 'no_working_time' | 'invalid_time_zone' | 'out_of_range', message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

/** Weekday keys in the order of Date.getUTCDay(). */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

// ---------------------------------------------------------------- time zones through Intl

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new CalendarError('invalid_time_zone', `"${timeZone}" is not an IANA time zone`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in ms, asked of Intl (a few microseconds a call). */
function exactOffsetAt(timeZone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(whole)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return wall - whole;
}

const HOUR = 3_600_000;
/** Per zone and UTC hour: the offset throughout the hour, or null when it changes within it. */
const hourOffsets = new Map<string, Map<number, number | null>>();
const MAX_CACHED_HOURS = 500_000;

/**
 * The zone's offset from UTC at an instant, in ms (positive east of Greenwich). Remembered per
 * UTC hour: no zone changes its offset twice within an hour, so the same offset at an hour's
 * start and end holds throughout it; an hour with a change is asked of Intl each time.
 */
export function offsetAt(timeZone: string, ms: number): number {
  const hour = Math.floor(ms / HOUR);
  let zone = hourOffsets.get(timeZone);
  if (!zone) hourOffsets.set(timeZone, (zone = new Map()));
  let offset = zone.get(hour);
  if (offset === undefined) {
    const start = exactOffsetAt(timeZone, hour * HOUR);
    offset = start === exactOffsetAt(timeZone, (hour + 1) * HOUR) ? start : null;
    if (zone.size >= MAX_CACHED_HOURS) zone.clear();
    zone.set(hour, offset);
  }
  return offset ?? exactOffsetAt(timeZone, ms);
}

/** The local calendar day of an instant, as days since 1970-01-01. */
export function localDay(timeZone: string, ms: number): number {
  return Math.floor((ms + offsetAt(timeZone, ms)) / DAY);
}

/** The instant of a local wall time: day number plus minutes (which may run past 24:00). */
export function localToInstant(timeZone: string, day: number, minuteOfDay: number): number {
  const wall = day * DAY + minuteOfDay * MINUTE;
  const before = offsetAt(timeZone, wall - DAY);
  const after = offsetAt(timeZone, wall + DAY);
  if (before === after) return wall - before;
  const early = wall - before;
  const late = wall - after;
  const earlyExists = offsetAt(timeZone, early) === before;
  const lateExists = offsetAt(timeZone, late) === after;
  if (earlyExists && lateExists) return Math.min(early, late); // fall back: first occurrence
  if (earlyExists) return early;
  if (lateExists) return late;
  return wall - before; // spring forward: the wall time is in the gap; move forward by it
}

const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

// ---------------------------------------------------------------- the calendar

type Span = readonly [startMinute: number, endMinute: number];

export type Calendar = {
  readonly timeZone: string;
  /** Spans in minutes from local midnight, by getUTCDay() index; end may exceed 1440. */
  readonly spans: readonly (readonly Span[])[];
  readonly holidays: ReadonlySet<string>;
  readonly hasWorkingTime: boolean;
};

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function compileCalendar(input: CalendarInput): Calendar {
  formatter(input.timeZone); // fails early on an unknown zone
  const spans = WEEKDAYS.map((key) =>
    (input.hours[key] ?? [])
      .map(([a, b]): Span => {
        const start = toMinutes(a);
        const end = toMinutes(b);
        return [start, end > start ? end : end + 1440];
      })
      .sort((x, y) => x[0] - y[0]),
  );
  return { timeZone: input.timeZone, spans, holidays: new Set(input.holidays), hasWorkingTime: spans.some((d) => d.length > 0) };
}

/** Each compiled calendar's working intervals by day, worked out once (a calendar never changes). */
const intervalsByCalendar = new WeakMap<Calendar, Map<number, readonly (readonly [number, number])[]>>();

/** The working intervals (instants, sorted by start) of one local day. */
export function workingIntervals(cal: Calendar, day: number): readonly (readonly [number, number])[] {
  let days = intervalsByCalendar.get(cal);
  if (!days) intervalsByCalendar.set(cal, (days = new Map()));
  let out = days.get(day);
  if (!out) {
    out = intervalsOf(cal, day);
    days.set(day, out);
  }
  return out;
}

function intervalsOf(cal: Calendar, day: number): [number, number][] {
  if (cal.holidays.has(isoDay(day))) return [];
  const weekday = new Date(day * DAY).getUTCDay();
  const out: [number, number][] = [];
  for (const [a, b] of cal.spans[weekday]!) {
    const start = localToInstant(cal.timeZone, day, a);
    const end = localToInstant(cal.timeZone, day, b);
    if (end > start) out.push([start, end]);
  }
  return out;
}

function assertWorkingTime(cal: Calendar): void {
  if (!cal.hasWorkingTime) {
    throw new CalendarError('no_working_time', 'The office has no business hours on any day of the week, so no business-time target can be met; set business hours or use calendar time');
  }
}

/** The instant after `durationMs` of working time from `startMs`. */
export function addWorkingTime(cal: Calendar, startMs: number, durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new CalendarError('out_of_range', 'The duration must be zero or more');
  if (durationMs === 0) return startMs;
  assertWorkingTime(cal);
  let remaining = durationMs;
  let cursor = startMs;
  let idle = 0;
  // Start a day early: an overnight shift of yesterday may still be running.
  for (let day = localDay(cal.timeZone, startMs) - 1; ; day++) {
    let worked = false;
    for (const [s, e] of workingIntervals(cal, day)) {
      const from = Math.max(s, cursor);
      if (from >= e) continue;
      worked = true;
      if (e - from >= remaining) return from + remaining;
      remaining -= e - from;
      cursor = e;
    }
    idle = worked ? 0 : idle + 1;
    if (idle > MAX_IDLE_DAYS) {
      throw new CalendarError('no_working_time', `The office calendar has no working time in the ${MAX_IDLE_DAYS} days after ${isoDay(day - MAX_IDLE_DAYS)}; check its business hours and holidays`);
    }
  }
}

/** Working time between two instants, in ms (negative when `toMs` is earlier). */
export function workingTimeBetween(cal: Calendar, fromMs: number, toMs: number): number {
  if (toMs < fromMs) return -workingTimeBetween(cal, toMs, fromMs);
  if (toMs - fromMs > 100 * 366 * DAY) throw new CalendarError('out_of_range', 'Instants more than a century apart');
  let total = 0;
  let cursor = fromMs;
  const last = localDay(cal.timeZone, toMs);
  for (let day = localDay(cal.timeZone, fromMs) - 1; day <= last; day++) {
    for (const [s, e] of workingIntervals(cal, day)) {
      const from = Math.max(s, cursor);
      const to = Math.min(e, toMs);
      if (to > from) {
        total += to - from;
        cursor = to;
      }
    }
  }
  return total;
}

export const addBusinessMinutes = (cal: Calendar, start: Date, minutes: number): Date => new Date(addWorkingTime(cal, start.getTime(), minutes * MINUTE));

/** Whole business minutes between two instants (rounded down; negative when `to` is earlier). */
export const businessMinutesBetween = (cal: Calendar, from: Date, to: Date): number => Math.trunc(workingTimeBetween(cal, from.getTime(), to.getTime()) / MINUTE);
