// Casework: the issue taxonomy, the office's workflow (statuses, transitions, resolution
// codes), cases with their people, and the case list and timeline.
import { z } from 'zod';
import { timelineSchemas, ZTimestamp, ZUuid } from './common.js';
import { ZCaseSla } from './sla.js';

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const ZCasePriority = z.enum(CASE_PRIORITIES);
export type CasePriority = z.infer<typeof ZCasePriority>;

export const CASE_CHANNELS = ['email', 'sms', 'phone', 'voicemail', 'walk_in', 'web', 'open311', 'social', 'letter', 'event', 'doorstep', 'other'] as const;
export const ZCaseChannel = z.enum(CASE_CHANNELS);
export type CaseChannel = z.infer<typeof ZCaseChannel>;

export const CASE_ROLES = ['requester', 'affected', 'representative'] as const;
export const ZCaseRole = z.enum(CASE_ROLES);
export type CaseRole = z.infer<typeof ZCaseRole>;

/** What every status is, whatever an office calls it. */
export const STATUS_CATEGORIES = ['open', 'waiting', 'resolved', 'closed'] as const;
export const ZStatusCategory = z.enum(STATUS_CATEGORIES);
export type StatusCategory = z.infer<typeof ZStatusCategory>;

const ZKey = z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and underscores, starting with a letter (at most 40)');
export const ZStatusKey = ZKey;

/** A comma-separated query parameter ("open,new") as a list of values. */
function csv<T extends z.ZodType<string, string>>(item: T) {
  return z.string().max(1000).transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0)).pipe(z.array(item).min(1).max(30));
}

// ---------------------------------------------------------------- taxonomy
export const ZCaseCategory = z.object({
  id: ZUuid,
  parentId: ZUuid.nullable(),
  name: z.string(),
  /** Names from the root down, e.g. ["Streets", "Potholes"]. */
  path: z.array(z.string()),
  retired: z.boolean(),
  mergedIntoId: ZUuid.nullable(),
  /** Referrals on its cases need the constituent's privacy release before they are sent. */
  requiresPrivacyRelease: z.boolean(),
  /** Its reports are never placed on the portal's public map, open data, nearby reports or area alerts. */
  locationPrivate: z.boolean(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type CaseCategory = z.infer<typeof ZCaseCategory>;

export const ZCategoryListQuery = z.object({
  includeRetired: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});

const ZCategoryName = z.string().trim().min(1).max(120);

export const ZCreateCategory = z.strictObject({
  name: ZCategoryName,
  parentId: ZUuid.nullable().default(null),
  requiresPrivacyRelease: z.boolean().default(false),
  locationPrivate: z.boolean().default(false),
});
export type CreateCategory = z.input<typeof ZCreateCategory>;

/** Rename (name), move (parentId; null for the top level), retire or restore (retired). */
export const ZUpdateCategory = z.strictObject({
  name: ZCategoryName.optional(),
  parentId: ZUuid.nullable().optional(),
  retired: z.boolean().optional(),
  requiresPrivacyRelease: z.boolean().optional(),
  locationPrivate: z.boolean().optional(),
});
export type UpdateCategory = z.input<typeof ZUpdateCategory>;

export const ZMergeCategory = z.strictObject({
  /** The category that survives: the merged one's cases and sub-categories move to it. */
  intoId: ZUuid,
});

export const ZCategoryMergeResult = z.object({
  merged: ZCaseCategory,
  into: ZCaseCategory,
  casesMoved: z.number().int(),
  childrenMoved: z.number().int(),
});

// ---------------------------------------------------------------- workflow
export const ZCaseStatus = z.object({
  key: z.string(),
  label: z.string(),
  category: ZStatusCategory,
  position: z.number().int(),
  isInitial: z.boolean(),
  retired: z.boolean(),
  /** Entering this status pauses the case's SLA clock; leaving it resumes it. */
  pausesSla: z.boolean(),
});
export type CaseStatus = z.infer<typeof ZCaseStatus>;

export const ZResolutionCode = z.object({ code: z.string(), label: z.string(), position: z.number().int(), retired: z.boolean() });
export type ResolutionCode = z.infer<typeof ZResolutionCode>;

export const ZTransition = z.strictObject({ from: ZStatusKey, to: ZStatusKey });
export type Transition = z.infer<typeof ZTransition>;

export const ZWorkflow = z.object({
  statuses: z.array(ZCaseStatus),
  transitions: z.array(z.object({ from: z.string(), to: z.string() })),
  resolutionCodes: z.array(ZResolutionCode),
});
export type Workflow = z.infer<typeof ZWorkflow>;

export const ZCreateStatus = z.strictObject({
  key: ZStatusKey,
  label: z.string().trim().min(1).max(80),
  category: ZStatusCategory,
  position: z.number().int().min(0).max(10_000).default(100),
  /** Only open and waiting statuses can pause the clock. */
  pausesSla: z.boolean().default(false),
});
export type CreateStatus = z.input<typeof ZCreateStatus>;

export const ZUpdateStatus = z.strictObject({
  label: z.string().trim().min(1).max(80).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  retired: z.boolean().optional(),
  pausesSla: z.boolean().optional(),
});

export const ZStatusKeyParams = z.object({ key: ZStatusKey });

export const ZSetTransitions = z.strictObject({ transitions: z.array(ZTransition).max(1000) });

export const ZCreateResolutionCode = z.strictObject({
  code: ZKey,
  label: z.string().trim().min(1).max(120),
  position: z.number().int().min(0).max(10_000).default(100),
});

export const ZUpdateResolutionCode = z.strictObject({
  label: z.string().trim().min(1).max(120).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  retired: z.boolean().optional(),
});

export const ZResolutionCodeParams = z.object({ code: ZKey });

// ---------------------------------------------------------------- cases
const ZTags = z.array(z.string().trim().min(1).max(60)).max(30);

export const ZCaseLocation = z.strictObject({
  address: z.string().trim().min(1).max(500).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
}).refine((l) => (l.lat == null) === (l.lng == null), { message: 'give both lat and lng, or neither', path: ['lng'] });

export const ZCaseConstituentInput = z.strictObject({ constituentId: ZUuid, role: ZCaseRole.default('requester') });

export const ZCreateCase = z.strictObject({
  subject: z.string().trim().min(1).max(300),
  description: z.string().trim().max(20_000).default(''),
  constituents: z.array(ZCaseConstituentInput).max(20).default([]),
  categoryId: ZUuid.nullable().default(null),
  tags: ZTags.default([]),
  priority: ZCasePriority.default('normal'),
  channel: ZCaseChannel,
  location: ZCaseLocation.nullable().default(null),
  assigneeId: ZUuid.nullable().default(null),
  teamId: ZUuid.nullable().default(null),
  watcherIds: z.array(ZUuid).max(50).default([]),
  isSensitive: z.boolean().default(false),
});
export type CreateCase = z.input<typeof ZCreateCase>;

export const ZUpdateCase = z.strictObject({
  subject: z.string().trim().min(1).max(300).optional(),
  description: z.string().trim().max(20_000).optional(),
  categoryId: ZUuid.nullable().optional(),
  tags: ZTags.optional(),
  priority: ZCasePriority.optional(),
  channel: ZCaseChannel.optional(),
  location: ZCaseLocation.nullable().optional(),
  isSensitive: z.boolean().optional(),
});
export type UpdateCase = z.input<typeof ZUpdateCase>;

export const ZChangeStatus = z.strictObject({
  status: ZStatusKey,
  /** Required when the case becomes resolved or closed without a resolution yet. */
  resolutionCode: ZKey.optional(),
  resolutionSummary: z.string().trim().min(1).max(5000).optional(),
  /** Why, for the timeline. */
  comment: z.string().trim().max(2000).optional(),
  /** Resolving: email the requester a closure message with a satisfaction rating link. */
  notifyResident: z.boolean().optional(),
  /** Resolving with notifyResident: the approved template for the closure message (default text otherwise). */
  closureTemplateId: ZUuid.optional(),
});
export type ChangeStatus = z.input<typeof ZChangeStatus>;

export const ZAssignCase = z.strictObject({
  assigneeId: ZUuid.nullable().optional(),
  teamId: ZUuid.nullable().optional(),
});
export type AssignCase = z.input<typeof ZAssignCase>;

export const ZSetCaseConstituents = z.strictObject({ constituents: z.array(ZCaseConstituentInput).max(20) });
export const ZSetWatchers = z.strictObject({ userIds: z.array(ZUuid).max(50) });

const ZRef = z.object({ id: ZUuid, name: z.string() });

export const ZCaseSummary = z.object({
  id: ZUuid,
  reference: z.string(),
  subject: z.string(),
  status: z.object({ key: z.string(), label: z.string(), category: ZStatusCategory }),
  priority: ZCasePriority,
  channel: ZCaseChannel,
  category: ZRef.extend({ path: z.array(z.string()) }).nullable(),
  assignee: ZRef.nullable(),
  team: ZRef.nullable(),
  ward: ZRef.nullable(),
  requester: ZRef.nullable(),
  tags: z.array(z.string()),
  isSensitive: z.boolean(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
  resolvedAt: ZTimestamp.nullable(),
  closedAt: ZTimestamp.nullable(),
  /** SLA due times (null: no policy applies, or the clock is paused). */
  firstResponseDueAt: ZTimestamp.nullable(),
  resolutionDueAt: ZTimestamp.nullable(),
  /** Open, and the first response (until given) or the resolution is due in the past. */
  isOverdue: z.boolean(),
});
export type CaseSummary = z.infer<typeof ZCaseSummary>;

export const ZCase = ZCaseSummary.extend({
  description: z.string(),
  location: z.object({ address: z.string().nullable(), lat: z.number().nullable(), lng: z.number().nullable() }),
  resolution: z.object({ code: z.string(), label: z.string(), summary: z.string() }).nullable(),
  constituents: z.array(z.object({ id: ZUuid, displayName: z.string(), role: ZCaseRole })),
  watchers: z.array(ZRef),
  /** Where the workflow lets the case go next, and whether that needs a resolution. */
  nextStatuses: z.array(z.object({ key: z.string(), label: z.string(), category: ZStatusCategory, needsResolution: z.boolean() })),
  /** The SLA clock: due times, first response, pause, breaches. */
  sla: ZCaseSla,
});
export type Case = z.infer<typeof ZCase>;

/** resolution_due: by resolution due time, cases without one last (ascending). */
export const CASE_SORTS = ['created', 'updated', 'priority', 'resolution_due'] as const;

export const ZCaseListQuery = z.object({
  /** A reference (C-2026-00042, or its start) or words of the subject. */
  q: z.string().trim().min(1).max(200).optional(),
  status: csv(ZStatusKey).optional(),
  statusCategory: csv(ZStatusCategory).optional(),
  /** The category and everything below it. */
  category: ZUuid.optional(),
  /** A user id, or "none" for unassigned cases. */
  assignee: z.union([ZUuid, z.literal('none')]).optional(),
  team: z.union([ZUuid, z.literal('none')]).optional(),
  ward: ZUuid.optional(),
  /** Cases this person is on, in any role. */
  constituent: ZUuid.optional(),
  priority: csv(ZCasePriority).optional(),
  channel: csv(ZCaseChannel).optional(),
  /** Cases assigned to the caller. */
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** true: only open cases whose first response (not yet given) or resolution is due in the past; false: no filter. */
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  createdFrom: ZTimestamp.optional(),
  createdTo: ZTimestamp.optional(),
  updatedFrom: ZTimestamp.optional(),
  updatedTo: ZTimestamp.optional(),
  sort: z.enum(CASE_SORTS).default('created'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type CaseListQuery = z.infer<typeof ZCaseListQuery>;

// ---------------------------------------------------------------- export, bulk actions, saved views
/** The CSV export takes the list's filters and sort; it pages through all of them itself. */
export const ZCaseExportQuery = ZCaseListQuery.omit({ limit: true, cursor: true });
export type CaseExportQuery = z.infer<typeof ZCaseExportQuery>;

export const CASE_EXPORT_COLUMNS = [
  'reference', 'subject', 'status', 'status_category', 'priority', 'channel', 'category', 'assignee', 'team', 'ward', 'requester', 'tags',
  'sensitive', 'created_at', 'updated_at', 'resolved_at', 'closed_at', 'first_response_due_at', 'resolution_due_at', 'overdue', 'id',
] as const;

export const CASE_BULK_MAX = 500;
const ZBulkIds = z.array(ZUuid).min(1, 'choose at least one case').max(CASE_BULK_MAX, `at most ${CASE_BULK_MAX} cases at a time`);

/** One action on many cases; each case is checked and changed on its own (its own transaction). */
export const ZBulkCaseAction = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('assign'), ids: ZBulkIds, assigneeId: ZUuid.nullable().optional(), teamId: ZUuid.nullable().optional() }),
  z.strictObject({
    action: z.literal('status'), ids: ZBulkIds, status: ZStatusKey,
    resolutionCode: ZKey.optional(), resolutionSummary: z.string().trim().min(1).max(5000).optional(), comment: z.string().trim().max(2000).optional(),
  }),
  z.strictObject({ action: z.literal('addTag'), ids: ZBulkIds, tag: z.string().trim().min(1).max(60) }),
]);
export type BulkCaseAction = z.input<typeof ZBulkCaseAction>;

export const ZBulkCaseOutcome = z.discriminatedUnion('ok', [
  /** changed false: the case already was as asked (e.g. it had the tag); nothing written. */
  z.object({ id: ZUuid, ok: z.literal(true), reference: z.string(), changed: z.boolean() }),
  z.object({ id: ZUuid, ok: z.literal(false), code: z.string(), reason: z.string(), field: z.string().nullable() }),
]);
export const ZBulkCaseResult = z.object({
  succeeded: z.number().int(),
  refused: z.number().int(),
  /** One entry per distinct id, in the order given. */
  results: z.array(ZBulkCaseOutcome),
});
export type BulkCaseResult = z.infer<typeof ZBulkCaseResult>;

/**
 * A saved view's filters: the case list's query parameters as strings, as they appear in
 * the list's URL (limit and cursor excluded). Checked against the list's own rules.
 */
const FILTER_KEYS = ['q', 'status', 'statusCategory', 'category', 'assignee', 'team', 'ward', 'priority', 'channel', 'mine', 'overdue', 'createdFrom', 'createdTo', 'updatedFrom', 'updatedTo', 'sort', 'order'] as const;
export const ZCaseViewFilters = z.strictObject(Object.fromEntries(FILTER_KEYS.map((k) => [k, z.string().max(1000).optional()])) as Record<(typeof FILTER_KEYS)[number], z.ZodOptional<z.ZodString>>)
  .superRefine((f, ctx) => {
    const r = ZCaseExportQuery.safeParse(f);
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path.slice(0, 1) }); // the parameter, as a list names it
  });
export type CaseViewFilters = z.infer<typeof ZCaseViewFilters>;

export const ZCaseView = z.object({
  id: ZUuid,
  name: z.string(),
  filters: ZCaseViewFilters,
  owner: z.object({ id: ZUuid, name: z.string() }),
  /** The team the view is shared with; null for a personal view. */
  team: z.object({ id: ZUuid, name: z.string() }).nullable(),
  /** Whether the caller may edit or delete it (the owner; for shared views also managers and admins). */
  canEdit: z.boolean(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type CaseView = z.infer<typeof ZCaseView>;

export const ZCreateCaseView = z.strictObject({
  name: z.string().trim().min(1).max(120),
  filters: ZCaseViewFilters.default({}),
  /** Share with this team (the caller must be a member); null or absent for a personal view. */
  teamId: ZUuid.nullable().default(null),
});
export type CreateCaseView = z.input<typeof ZCreateCaseView>;

export const ZUpdateCaseView = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  filters: ZCaseViewFilters.optional(),
  teamId: ZUuid.nullable().optional(),
});
export type UpdateCaseView = z.input<typeof ZUpdateCaseView>;

// ---------------------------------------------------------------- timeline
/** change: the case's own events; note, message, task: filled in as those features land. */
export const CASE_TIMELINE_KINDS = ['change', 'note', 'message', 'task', 'referral', 'access'] as const;
const timeline = timelineSchemas(CASE_TIMELINE_KINDS);
export const ZCaseTimelineQuery = timeline.query;
export const ZCaseTimelineEntry = timeline.entry;
export type CaseTimelineEntry = z.infer<typeof ZCaseTimelineEntry>;
