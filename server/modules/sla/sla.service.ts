// The SLA engine's configuration: the office calendar's holidays and the SLA policies
// (targets per category and priority). Every change is audited and queues the recompute
// of the office's open cases (sla.recompute), so due times follow the configuration.
//
// Module map: sla.calendar.ts (business-time arithmetic, pure), sla.clock.ts (due times with
// pauses, pure), sla.cases.ts (applySla / pauseSla / resumeSla / markFirstResponse: what the
// casework module calls), sla.sweep.ts + sla.jobs.ts (warnings and escalations), this file
// and sla.routes.ts (admin API), sla.repo.ts (SQL).
import type { CreateHoliday, CreateSlaPolicy, Holiday, ImportHolidays, ImportHolidaysResult, SlaPolicy, UpdateSlaPolicy } from '../../../contract/sla.js';
import { ZCreateSlaPolicy, ZImportHolidays } from '../../../contract/sla.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import * as offices from '../offices/offices.service.js';
import { compileCalendar } from './sla.calendar.js';
import { enqueueRecompute } from './sla.jobs.js';
import * as repo from './sla.repo.js';

// ---------------------------------------------------------------- holidays

const presentHoliday = (r: repo.HolidayRow): Holiday => ({ date: r.day, name: r.name, createdAt: r.created_at.toISOString() });

export const listHolidays = async (scope: Scope, range: { from?: string | undefined; to?: string | undefined }): Promise<Holiday[]> =>
  (await repo.listHolidays(scope.db, scope.officeId, range)).map(presentHoliday);

export async function addHoliday(scope: Scope, jobs: Jobs | undefined, input: CreateHoliday): Promise<{ holiday: Holiday; recomputeJobId: string | null }> {
  return inTransaction(scope.db, async (trx) => {
    await repo.lockConfig(trx, scope.officeId);
    const existing = await repo.getHoliday(trx, scope.officeId, input.date);
    if (existing) throw new DomainError('conflict', { field: 'date', message: `${input.date} is already a holiday ("${existing.name}")` });
    const holiday = presentHoliday(await repo.insertHoliday(trx, scope.officeId, input.date, input.name));
    await audit.record(trx, scope, { entity: 'office_holiday', id: input.date, action: 'created', after: holiday });
    return { holiday, recomputeJobId: await enqueueRecompute(jobs, trx, scope.officeId) };
  });
}

export async function removeHoliday(scope: Scope, jobs: Jobs | undefined, date: string): Promise<{ holiday: Holiday; recomputeJobId: string | null }> {
  return inTransaction(scope.db, async (trx) => {
    await repo.lockConfig(trx, scope.officeId);
    const existing = await repo.getHoliday(trx, scope.officeId, date);
    if (!existing) throw new DomainError('not_found', { message: `${date} is not a holiday of this office` });
    await repo.deleteHoliday(trx, scope.officeId, date);
    const holiday = presentHoliday(existing);
    await audit.record(trx, scope, { entity: 'office_holiday', id: date, action: 'deleted', before: holiday });
    return { holiday, recomputeJobId: await enqueueRecompute(jobs, trx, scope.officeId) };
  });
}

/** Adds a list of holidays (a year's bank holidays, say); with replaceYears, the list replaces those years. */
export async function importHolidays(scope: Scope, jobs: Jobs | undefined, input: ImportHolidays): Promise<ImportHolidaysResult> {
  const v = ZImportHolidays.parse(input);
  const seen = new Map<string, number>();
  v.holidays.forEach((h, i) => {
    const first = seen.get(h.date);
    if (first !== undefined) throw new DomainError('validation_failed', { field: `holidays.${i}.date`, message: `${h.date} is listed twice (also at holidays.${first})` });
    seen.set(h.date, i);
  });
  return inTransaction(scope.db, async (trx) => {
    await repo.lockConfig(trx, scope.officeId);
    const years = [...new Set(v.holidays.map((h) => Number(h.date.slice(0, 4))))].sort();
    const removed = v.replaceYears ? await repo.deleteHolidaysOfYearsExcept(trx, scope.officeId, years, [...seen.keys()]) : 0;
    const before = new Map((await repo.holidaysOn(trx, scope.officeId, [...seen.keys()])).map((h) => [h.day, h.name]));
    const toWrite = v.holidays.filter((h) => before.get(h.date) !== h.name);
    await repo.upsertHolidays(trx, scope.officeId, toWrite);
    const added = toWrite.filter((h) => !before.has(h.date)).length;
    const renamed = toWrite.length - added;
    const unchanged = v.holidays.length - toWrite.length;
    const changed = added + renamed + removed > 0;
    const recomputeJobId = added + removed > 0 ? await enqueueRecompute(jobs, trx, scope.officeId) : null;
    const result = { added, renamed, unchanged, removed, recomputeJobId };
    if (changed) await audit.record(trx, scope, { entity: 'office_holiday', id: years.join(','), action: 'imported', after: { ...result, replaceYears: v.replaceYears, dates: [...seen.keys()] } });
    return result;
  });
}

// ---------------------------------------------------------------- policies

function presentPolicy(r: NonNullable<Awaited<ReturnType<typeof repo.getPolicy>>>): SlaPolicy {
  return {
    id: r.id,
    categoryId: r.category_id,
    categoryName: r.category_name ?? null,
    priority: r.priority as SlaPolicy['priority'],
    firstResponseMinutes: r.first_response_minutes,
    resolutionMinutes: r.resolution_minutes,
    clock: r.clock as SlaPolicy['clock'],
    pauseWhileWaiting: r.pause_while_waiting,
    warnPercent: r.warn_percent,
    warnMinutesBefore: r.warn_minutes_before,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export const listPolicies = async (scope: Scope): Promise<SlaPolicy[]> => (await repo.listPolicies(scope.db, scope.officeId)).map(presentPolicy);

type Targets = Pick<SlaPolicy, 'firstResponseMinutes' | 'resolutionMinutes' | 'clock' | 'warnMinutesBefore'>;

/** The rules zod cannot see alone: targets in order, a warning before the first target, working time to count in. */
async function checkTargets(db: Executor, officeId: string, t: Targets): Promise<void> {
  if (t.resolutionMinutes < t.firstResponseMinutes) {
    throw new DomainError('validation_failed', { field: 'resolutionMinutes', message: `The time to resolution (${t.resolutionMinutes} min) cannot be shorter than the time to first response (${t.firstResponseMinutes} min)` });
  }
  if (t.warnMinutesBefore !== null && t.warnMinutesBefore >= t.firstResponseMinutes) {
    throw new DomainError('validation_failed', { field: 'warnMinutesBefore', message: `The warning must come before the first-response target: less than ${t.firstResponseMinutes} minutes before it` });
  }
  if (t.clock === 'business') {
    const office = await offices.get(systemScope(db, officeId));
    if (!compileCalendar({ timeZone: office.timeZone, hours: office.businessHours, holidays: [] }).hasWorkingTime) {
      throw new DomainError('validation_failed', { field: 'clock', message: 'The office has no business hours on any day, so business-time targets could never be met: set business hours first, or use clock "calendar"' });
    }
  }
}

export async function createPolicy(scope: Scope, jobs: Jobs | undefined, input: CreateSlaPolicy): Promise<{ policy: SlaPolicy; recomputeJobId: string | null }> {
  const v = ZCreateSlaPolicy.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockConfig(trx, scope.officeId);
    if (v.categoryId !== null) await categories.assertUsable(trx, scope.officeId, v.categoryId);
    await checkTargets(trx, scope.officeId, v);
    if (await repo.findPolicyFor(trx, scope.officeId, v.categoryId, v.priority)) {
      const what = v.categoryId === null ? 'the office default' : 'this category';
      throw new DomainError('conflict', { field: 'priority', message: `There is already an SLA policy for ${what} at priority "${v.priority}": change that one instead` });
    }
    const { id } = await repo.insertPolicy(trx, scope.officeId, {
      category_id: v.categoryId, priority: v.priority, first_response_minutes: v.firstResponseMinutes, resolution_minutes: v.resolutionMinutes,
      clock: v.clock, pause_while_waiting: v.pauseWhileWaiting, warn_percent: v.warnPercent, warn_minutes_before: v.warnMinutesBefore,
    });
    const policy = presentPolicy((await repo.getPolicy(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'sla_policy', id, action: 'created', after: policy });
    return { policy, recomputeJobId: await enqueueRecompute(jobs, trx, scope.officeId) };
  });
}

export async function updatePolicy(scope: Scope, jobs: Jobs | undefined, id: string, input: UpdateSlaPolicy): Promise<{ policy: SlaPolicy; recomputeJobId: string | null }> {
  return inTransaction(scope.db, async (trx: Trx) => {
    await repo.lockConfig(trx, scope.officeId);
    const row = await repo.getPolicy(trx, scope.officeId, id);
    if (!row) throw new DomainError('not_found', { message: 'No such SLA policy in this office' });
    const before = presentPolicy(row);
    const next = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as SlaPolicy;
    await checkTargets(trx, scope.officeId, next);
    await repo.updatePolicy(trx, scope.officeId, id, {
      first_response_minutes: next.firstResponseMinutes, resolution_minutes: next.resolutionMinutes, clock: next.clock,
      pause_while_waiting: next.pauseWhileWaiting, warn_percent: next.warnPercent, warn_minutes_before: next.warnMinutesBefore,
    });
    const policy = presentPolicy((await repo.getPolicy(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'sla_policy', id, action: 'updated', before, after: policy });
    return { policy, recomputeJobId: await enqueueRecompute(jobs, trx, scope.officeId) };
  });
}

export async function removePolicy(scope: Scope, jobs: Jobs | undefined, id: string): Promise<{ policy: SlaPolicy; recomputeJobId: string | null }> {
  return inTransaction(scope.db, async (trx) => {
    await repo.lockConfig(trx, scope.officeId);
    const row = await repo.getPolicy(trx, scope.officeId, id);
    if (!row) throw new DomainError('not_found', { message: 'No such SLA policy in this office' });
    const policy = presentPolicy(row);
    await repo.deletePolicy(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'sla_policy', id, action: 'deleted', before: policy });
    return { policy, recomputeJobId: await enqueueRecompute(jobs, trx, scope.officeId) };
  });
}
