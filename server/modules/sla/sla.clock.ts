// SLA clocks and due times. A clock is either the office's business calendar or plain
// calendar time; a target is reached when that much clock time has run since the case was
// opened, not counting the periods the case was paused (when the policy pauses). Pure.
import { addWorkingTime, workingTimeBetween, type Calendar } from './sla.calendar.js';

export type Clock = {
  /** The instant after `durationMs` of clock time from `startMs`. */
  add(startMs: number, durationMs: number): number;
  /** Clock time between two instants (0 when `toMs` is not later). */
  between(fromMs: number, toMs: number): number;
};

export const calendarClock: Clock = {
  add: (startMs, durationMs) => startMs + durationMs,
  between: (fromMs, toMs) => Math.max(0, toMs - fromMs),
};

export function businessClock(cal: Calendar): Clock {
  return {
    add: (startMs, durationMs) => addWorkingTime(cal, startMs, durationMs),
    between: (fromMs, toMs) => (toMs > fromMs ? workingTimeBetween(cal, fromMs, toMs) : 0),
  };
}

/** A pause of the clock; `to` is null while it lasts. */
export type Pause = { from: number; to: number | null };

/**
 * When `targetMs` of clock time will have run since `startMs`, skipping the pauses.
 * Null while an open pause stops the clock before the target is reached.
 */
export function dueAt(clock: Clock, startMs: number, targetMs: number, pauses: readonly Pause[]): number | null {
  let remaining = targetMs;
  let cursor = startMs;
  const sorted = [...pauses].sort((a, b) => a.from - b.from);
  for (const p of sorted) {
    if (p.to !== null && p.to <= cursor) continue; // over before the clock got there
    const pauseStart = Math.max(p.from, cursor);
    const run = clock.between(cursor, pauseStart);
    if (run >= remaining) break; // the target falls before this pause
    remaining -= run;
    if (p.to === null) return null;
    cursor = p.to;
  }
  return clock.add(cursor, remaining);
}

/** Clock time that has run in the pauses between two instants (what the pauses cost). */
export function pausedTime(clock: Clock, pauses: readonly Pause[], untilMs: number): number {
  let total = 0;
  let cursor = -Infinity;
  for (const p of [...pauses].sort((a, b) => a.from - b.from)) {
    const from = Math.max(p.from, cursor);
    const to = Math.min(p.to ?? untilMs, untilMs);
    if (to > from) {
      total += clock.between(from, to);
      cursor = to;
    }
  }
  return total;
}
