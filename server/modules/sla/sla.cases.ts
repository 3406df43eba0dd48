// SLA state of cases: due times, pauses, first response. The casework module calls these
// inside its own transaction, after its change to the case row:
//
//   applySla(trx, officeId, caseId)           after creating a case, and after any change of its
//                                             category, priority, or resolved_at / closed_at
//                                             (resolve, close, reopen). Recomputes everything
//                                             from the policy, created_at and the pauses.
//   pauseSla(trx, officeId, caseId, at?)      when the case enters a "waiting on resident" status.
//   resumeSla(trx, officeId, caseId, at?)     when it leaves that status (any other status,
//                                             including resolved). No-op when not paused.
//   markFirstResponse(trx, officeId, caseId, at?)  when staff first reply to the resident (a sent
//                                             reply, a logged call back); later calls are no-ops.
//   caseSla(row)                              the SLA block of the case API (ZCaseSla).
//
// Pauses are always recorded; whether they stop the clock is the policy's choice
// (pause_while_waiting), so changing that setting and recomputing is exact. The sweep job
// (sla.sweep.ts) warns and escalates from the columns written here.
import type { CaseSla } from '../../../contract/sla.js';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope } from '../../platform/scope.js';
import * as offices from '../offices/offices.service.js';
import { CalendarError, compileCalendar, MINUTE, type Calendar } from './sla.calendar.js';
import { businessClock, calendarClock, dueAt, pausedTime, type Clock, type Pause } from './sla.clock.js';
import * as repo from './sla.repo.js';

type Policy = NonNullable<Awaited<ReturnType<typeof repo.policyForCase>>>;

const DAY = 86_400_000;

/**
 * Business clocks of offices, kept for a batch of cases (the recompute job): one office and
 * holiday read per office instead of per case. A clock built from an earlier day serves
 * every later case, since it holds all the holidays from that day on.
 */
export type ClockCache = Map<string, { fromDay: string; clock: Clock }>;

/** The clock a policy runs on, for an office, from a moment on. */
async function clockFor(db: Executor, officeId: string, policy: Pick<Policy, 'clock'>, fromMs: number, cache?: ClockCache): Promise<Clock> {
  if (policy.clock === 'calendar') return calendarClock;
  const from = new Date(fromMs - 2 * DAY).toISOString().slice(0, 10);
  const cached = cache?.get(officeId);
  if (cached && cached.fromDay <= from) return cached.clock;
  const clock = businessClock(await officeCalendarFrom(db, officeId, from));
  cache?.set(officeId, { fromDay: from, clock });
  return clock;
}

/** The office's calendar (time zone, business hours, holidays on or after `fromDay`), as SLAs and insights measure business time. */
export async function officeCalendarFrom(db: Executor, officeId: string, fromDay: string): Promise<Calendar> {
  const office = await offices.get(systemScope(db, officeId));
  const holidays = await repo.holidayDatesFrom(db, officeId, fromDay);
  return compileCalendar({ timeZone: office.timeZone, hours: office.businessHours, holidays });
}

type Moments = { warnAt: Date | null; dueAt: Date | null; warnedAt: Date | null; breachedAt: Date | null };

/**
 * The next moment the sweep must look at the case: the earliest warning or due time not yet
 * marked, of the targets still pending (first response until answered or resolved,
 * resolution until resolved or closed). Shared by the recompute here and the sweep.
 */
export function nextCheckAt(state: { isResponded: boolean; isResolved: boolean }, firstResponse: Moments, resolution: Moments): Date | null {
  const pending: (Date | null)[] = [];
  const add = (m: Moments) => pending.push(m.warnedAt ? null : m.warnAt, m.breachedAt ? null : m.dueAt);
  if (!state.isResponded) add(firstResponse);
  if (!state.isResolved) add(resolution);
  const times = pending.filter((d): d is Date => d !== null).map((d) => d.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));
const msOf = (d: Date | null) => (d === null ? null : d.getTime());

/** When to warn: a share of the target, or some minutes before it. */
export function warnTarget(policy: Pick<Policy, 'warn_percent' | 'warn_minutes_before'>, targetMinutes: number): number {
  const minutes = policy.warn_minutes_before !== null ? Math.max(0, targetMinutes - policy.warn_minutes_before) : (targetMinutes * policy.warn_percent) / 100;
  return Math.round(minutes * MINUTE);
}

/** A marker stays only while its moment is still past (a later due time re-arms it). */
const keep = (marker: Date | null, moment: number | null, now: number) => (marker !== null && moment !== null && moment <= now ? marker : null);

/** Recomputes the case's due times, markers and next check from its policy and pauses. */
export async function applySla(db: Executor, officeId: string, caseId: string, now: Date = new Date(), cache?: ClockCache): Promise<CaseSla> {
  return recompute(db, officeId, await locked(db, officeId, caseId), now, cache);
}

async function locked(db: Executor, officeId: string, caseId: string): Promise<repo.CaseSlaRow> {
  const c = await repo.lockCase(db, officeId, caseId);
  if (!c) throw new DomainError('not_found', { message: 'No such case in this office' });
  return c;
}

/** The recompute of a case the caller has locked (its row as it stands now). */
async function recompute(db: Executor, officeId: string, c: repo.CaseSlaRow, now: Date, cache?: ClockCache): Promise<CaseSla> {
  const policy = await repo.policyForCase(db, officeId, c.category_id, c.priority);
  const pausesRows = await repo.listPauses(db, officeId, c.id);
  const pauses: Pause[] = pausesRows.map((p) => ({ from: p.paused_at.getTime(), to: msOf(p.resumed_at) }));
  const pausedAt = pausesRows.find((p) => p.resumed_at === null)?.paused_at ?? null;
  if (!policy) {
    const cleared: repo.CaseSlaUpdate = {
      sla_policy_id: null, first_response_due_at: null, resolution_due_at: null, first_response_warn_at: null, resolution_warn_at: null,
      first_response_warned_at: null, first_response_breached_at: null, resolution_warned_at: null, resolution_breached_at: null,
      sla_next_check_at: null, sla_paused_at: pausedAt, sla_paused_minutes: 0,
    };
    await repo.updateCaseSla(db, officeId, c.id, cleared);
    return caseSla({ ...c, ...cleared } as repo.CaseSlaRow);
  }
  const start = c.created_at.getTime();
  const nowMs = now.getTime();
  const clock = await clockFor(db, officeId, policy, start, cache);
  const counted = policy.pause_while_waiting ? pauses : [];
  const due = (minutes: number) => calendarSafe(() => dueAt(clock, start, minutes * MINUTE, counted));
  const warn = (minutes: number) => calendarSafe(() => dueAt(clock, start, warnTarget(policy, minutes), counted));
  const frDue = due(policy.first_response_minutes);
  const resDue = due(policy.resolution_minutes);
  const frWarn = warn(policy.first_response_minutes);
  const resWarn = warn(policy.resolution_minutes);

  const isResolved = c.resolved_at !== null || c.closed_at !== null;
  const isResponded = c.first_responded_at !== null || isResolved;
  const markers = {
    first_response_warned_at: keep(c.first_response_warned_at, frWarn, nowMs),
    first_response_breached_at: keep(c.first_response_breached_at, frDue, nowMs),
    resolution_warned_at: keep(c.resolution_warned_at, resWarn, nowMs),
    resolution_breached_at: keep(c.resolution_breached_at, resDue, nowMs),
  };
  const values: repo.CaseSlaUpdate = {
    sla_policy_id: policy.id,
    first_response_due_at: toDate(frDue),
    resolution_due_at: toDate(resDue),
    first_response_warn_at: toDate(frWarn),
    resolution_warn_at: toDate(resWarn),
    sla_paused_at: pausedAt,
    sla_paused_minutes: Math.round(pausedTime(clock, counted.filter((p) => p.to !== null), nowMs) / MINUTE),
    ...markers,
    sla_next_check_at: nextCheckAt(
      { isResponded, isResolved },
      { warnAt: toDate(frWarn), dueAt: toDate(frDue), warnedAt: markers.first_response_warned_at, breachedAt: markers.first_response_breached_at },
      { warnAt: toDate(resWarn), dueAt: toDate(resDue), warnedAt: markers.resolution_warned_at, breachedAt: markers.resolution_breached_at },
    ),
  };
  await repo.updateCaseSla(db, officeId, c.id, values);
  return caseSla({ ...c, ...values } as repo.CaseSlaRow);
}

// A calendar without working time cannot give a due time: the case then has none (the
// policy API refuses business-time policies for such an office, so this is a transition
// state, e.g. hours removed later), rather than refusing the casework change.
function calendarSafe(fn: () => number | null): number | null {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CalendarError) return null;
    throw err;
  }
}

/** Stops the clock (the case now waits on the resident). No-op when already paused. */
export async function pauseSla(db: Executor, officeId: string, caseId: string, at: Date = new Date()): Promise<CaseSla> {
  const c = await locked(db, officeId, caseId);
  if (c.sla_paused_at === null) await repo.insertPause(db, officeId, caseId, at);
  return recompute(db, officeId, c, at);
}

/** Restarts the clock. No-op when not paused. */
export async function resumeSla(db: Executor, officeId: string, caseId: string, at: Date = new Date()): Promise<CaseSla> {
  const c = await locked(db, officeId, caseId);
  await repo.closeOpenPause(db, officeId, caseId, at);
  return recompute(db, officeId, c, at);
}

/**
 * Brings an open case's pause in line with whether its status pauses the clock now (an admin
 * may have changed that setting while cases sat in the status), then recomputes. The
 * recompute job runs this for every open case, so it is exact however often it runs.
 */
export async function reconcileSla(db: Executor, officeId: string, caseId: string, pausing: ReadonlySet<string>, now: Date = new Date(), cache?: ClockCache): Promise<CaseSla> {
  const c = await locked(db, officeId, caseId);
  const isOpen = c.resolved_at === null && c.closed_at === null;
  if (isOpen && pausing.has(c.status) && c.sla_paused_at === null) await repo.insertPause(db, officeId, caseId, now);
  if (isOpen && !pausing.has(c.status) && c.sla_paused_at !== null) await repo.closeOpenPause(db, officeId, caseId, now);
  return recompute(db, officeId, c, now, cache);
}

/** Records the first response to the resident; later responses change nothing. */
export async function markFirstResponse(db: Executor, officeId: string, caseId: string, at: Date = new Date()): Promise<CaseSla> {
  const c = await locked(db, officeId, caseId);
  if (c.first_responded_at !== null) return caseSla(c);
  await repo.updateCaseSla(db, officeId, caseId, { first_responded_at: at });
  return recompute(db, officeId, { ...c, first_responded_at: at }, at);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The SLA block of a case for the API. */
export function caseSla(c: Pick<repo.CaseSlaRow, 'sla_policy_id' | 'first_response_due_at' | 'resolution_due_at' | 'first_responded_at' | 'sla_paused_at' | 'sla_paused_minutes' | 'first_response_breached_at' | 'resolution_breached_at'>): CaseSla {
  return {
    policyId: c.sla_policy_id,
    firstResponseDueAt: iso(c.first_response_due_at),
    resolutionDueAt: iso(c.resolution_due_at),
    firstRespondedAt: iso(c.first_responded_at),
    pausedAt: iso(c.sla_paused_at),
    pausedMinutes: c.sla_paused_minutes,
    firstResponseBreachedAt: iso(c.first_response_breached_at),
    resolutionBreachedAt: iso(c.resolution_breached_at),
  };
}
