// SLAs: the office calendar's holidays and the SLA policies (targets per category and
// priority), plus the SLA state shown on a case.
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const SLA_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const ZSlaPriority = z.enum(SLA_PRIORITIES);
export const SLA_CLOCKS = ['business', 'calendar'] as const;
export const ZSlaClock = z.enum(SLA_CLOCKS);

/** A year of minutes: the longest target a policy may set. */
export const SLA_MAX_MINUTES = 525_600;
const ZMinutes = z.number().int('must be a whole number of minutes').positive('must be more than zero').max(SLA_MAX_MINUTES, 'must be at most a year (525600 minutes)');

export const ZSlaPolicy = z.object({
  id: ZUuid,
  /** null: the office default for the priority. */
  categoryId: ZUuid.nullable(),
  categoryName: z.string().nullable(),
  priority: ZSlaPriority,
  firstResponseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  clock: ZSlaClock,
  pauseWhileWaiting: z.boolean(),
  warnPercent: z.number().int(),
  warnMinutesBefore: z.number().int().nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type SlaPolicy = z.infer<typeof ZSlaPolicy>;

const policyFields = {
  firstResponseMinutes: ZMinutes,
  resolutionMinutes: ZMinutes,
  clock: ZSlaClock,
  pauseWhileWaiting: z.boolean(),
  warnPercent: z.number().int().min(1, 'must be between 1 and 99').max(99, 'must be between 1 and 99'),
  warnMinutesBefore: ZMinutes.nullable(),
};

export const ZCreateSlaPolicy = z.strictObject({
  categoryId: ZUuid.nullable().default(null),
  priority: ZSlaPriority,
  firstResponseMinutes: policyFields.firstResponseMinutes,
  resolutionMinutes: policyFields.resolutionMinutes,
  clock: policyFields.clock.default('business'),
  pauseWhileWaiting: policyFields.pauseWhileWaiting.default(true),
  warnPercent: policyFields.warnPercent.default(80),
  warnMinutesBefore: policyFields.warnMinutesBefore.default(null),
});
export type CreateSlaPolicy = z.input<typeof ZCreateSlaPolicy>;

/** The category and priority a policy is for cannot change: delete it and create another. */
export const ZUpdateSlaPolicy = z.strictObject({
  firstResponseMinutes: policyFields.firstResponseMinutes.optional(),
  resolutionMinutes: policyFields.resolutionMinutes.optional(),
  clock: policyFields.clock.optional(),
  pauseWhileWaiting: policyFields.pauseWhileWaiting.optional(),
  warnPercent: policyFields.warnPercent.optional(),
  warnMinutesBefore: policyFields.warnMinutesBefore.optional(),
});
export type UpdateSlaPolicy = z.infer<typeof ZUpdateSlaPolicy>;

export const ZSlaPolicyChange = z.object({
  policy: ZSlaPolicy,
  /** The job recomputing the due times of the office's open cases, when jobs run. */
  recomputeJobId: z.string().nullable(),
});

// ---------------------------------------------------------------- holidays

export const ZHolidayDate = z.iso.date('must be a date as YYYY-MM-DD');
export const ZHoliday = z.object({ date: ZHolidayDate, name: z.string(), createdAt: ZTimestamp });
export type Holiday = z.infer<typeof ZHoliday>;

export const ZCreateHoliday = z.strictObject({ date: ZHolidayDate, name: z.string().trim().min(1).max(120) });
export type CreateHoliday = z.infer<typeof ZCreateHoliday>;

export const ZHolidayListQuery = z.object({
  from: ZHolidayDate.optional(),
  to: ZHolidayDate.optional(),
});

export const ZHolidayParams = z.object({ date: ZHolidayDate });

export const ZImportHolidays = z.strictObject({
  holidays: z.array(ZCreateHoliday).min(1, 'send at least one holiday').max(1000),
  /** Remove the office's other holidays in the years the list covers (a year's list replaces it). */
  replaceYears: z.boolean().default(false),
});
export type ImportHolidays = z.input<typeof ZImportHolidays>;

export const ZImportHolidaysResult = z.object({
  added: z.number().int(),
  renamed: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  recomputeJobId: z.string().nullable(),
});
export type ImportHolidaysResult = z.infer<typeof ZImportHolidaysResult>;

export const ZHolidayChange = z.object({ holiday: ZHoliday, recomputeJobId: z.string().nullable() });

// ---------------------------------------------------------------- on a case

/** The SLA state of a case, for the case page's clock. */
export const ZCaseSla = z.object({
  policyId: ZUuid.nullable(),
  firstResponseDueAt: ZTimestamp.nullable(),
  resolutionDueAt: ZTimestamp.nullable(),
  firstRespondedAt: ZTimestamp.nullable(),
  pausedAt: ZTimestamp.nullable(),
  pausedMinutes: z.number().int(),
  firstResponseBreachedAt: ZTimestamp.nullable(),
  resolutionBreachedAt: ZTimestamp.nullable(),
});
export type CaseSla = z.infer<typeof ZCaseSla>;
