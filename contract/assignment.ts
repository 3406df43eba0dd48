// Automatic assignment: the office's rules (category and/or ward → team, in order), the
// fallback team, each team's strategy, staff away, and the outcome of assigning a case.
import { z } from 'zod';
import { ZCase } from './cases.js';
import { ZTimestamp, ZUuid } from './common.js';

export const ASSIGNMENT_STRATEGIES = ['round_robin', 'least_loaded'] as const;
export const ZAssignmentStrategy = z.enum(ASSIGNMENT_STRATEGIES);
export type AssignmentStrategy = z.infer<typeof ZAssignmentStrategy>;

const ZRef = z.object({ id: ZUuid, name: z.string() });

export const ZAssignmentRule = z.object({
  id: ZUuid,
  name: z.string(),
  /** The category and everything below it; null: any category. */
  category: ZRef.extend({ path: z.array(z.string()) }).nullable(),
  /** The ward the case lies in; null: anywhere. */
  ward: ZRef.nullable(),
  team: ZRef,
  /** Lower first. */
  position: z.number().int(),
});
export type AssignmentRule = z.infer<typeof ZAssignmentRule>;

const ZRuleName = z.string().trim().min(1).max(120);

export const ZCreateAssignmentRule = z.strictObject({
  name: ZRuleName,
  categoryId: ZUuid.nullable().default(null),
  wardId: ZUuid.nullable().default(null),
  teamId: ZUuid,
}).refine((r) => r.categoryId !== null || r.wardId !== null, { message: 'a rule needs a category, a ward or both', path: ['categoryId'] });
export type CreateAssignmentRule = z.input<typeof ZCreateAssignmentRule>;

export const ZUpdateAssignmentRule = z.strictObject({
  name: ZRuleName.optional(),
  categoryId: ZUuid.nullable().optional(),
  wardId: ZUuid.nullable().optional(),
  teamId: ZUuid.optional(),
});
export type UpdateAssignmentRule = z.input<typeof ZUpdateAssignmentRule>;

/** Every rule's id, in the new order. */
export const ZReorderAssignmentRules = z.strictObject({ ids: z.array(ZUuid).max(500) });

export const ZTeamAssignment = z.object({ team: ZRef, strategy: ZAssignmentStrategy });

export const ZAssignmentSettings = z.object({
  rules: z.array(ZAssignmentRule),
  /** Where a case goes when no rule matches; null: it stays unassigned. */
  defaultTeam: ZRef.nullable(),
  /** Every team of the office with its strategy (round_robin unless set). */
  teams: z.array(ZTeamAssignment),
});
export type AssignmentSettings = z.infer<typeof ZAssignmentSettings>;

export const ZSetDefaultTeam = z.strictObject({ defaultTeamId: ZUuid.nullable() });
export const ZSetTeamStrategy = z.strictObject({ strategy: ZAssignmentStrategy });

// ---------------------------------------------------------------- away
const ZDate = z.iso.date();

export const ZAway = z.object({
  userId: ZUuid,
  from: ZDate,
  /** Last day away (included); null: until further notice. */
  until: ZDate.nullable(),
  note: z.string(),
  /** Away today, in the office's time zone. */
  isAwayNow: z.boolean(),
  updatedAt: ZTimestamp,
});
export type Away = z.infer<typeof ZAway>;

export const ZSetAway = z.strictObject({
  from: ZDate,
  until: ZDate.nullable().default(null),
  note: z.string().trim().max(200).default(''),
}).refine((a) => a.until === null || a.until >= a.from, { message: 'must be on or after the first day away', path: ['until'] });
export type SetAway = z.input<typeof ZSetAway>;

/** The user's away period, or null when none is set. */
export const ZAwayState = z.object({ away: ZAway.nullable() });

// ---------------------------------------------------------------- outcome
export const AUTO_ASSIGN_REASONS = ['rule', 'default_team', 'case_team', 'no_match', 'everyone_away'] as const;

export const ZAutoAssignOutcome = z.object({
  /** rule / default_team / case_team: how the team was chosen; no_match: nothing changed; everyone_away: team only. */
  reason: z.enum(AUTO_ASSIGN_REASONS),
  rule: ZRef.nullable(),
  team: ZRef.nullable(),
  assignee: ZRef.nullable(),
});
export type AutoAssignOutcome = z.infer<typeof ZAutoAssignOutcome>;

export const ZAutoAssignResult = z.object({ case: ZCase, outcome: ZAutoAssignOutcome });
export type AutoAssignResult = z.infer<typeof ZAutoAssignResult>;
