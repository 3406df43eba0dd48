// Deduplication: the office's match rules, scans that generate scored candidate pairs, the
// review queue, and merges (with undo).
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

/** The match rules, in the order they run and are shown. */
export const DEDUP_RULES = ['exactEmail', 'exactPhone', 'nameAddress', 'namePostcode', 'nameDob'] as const;
export type DedupRuleName = (typeof DEDUP_RULES)[number];
export const DEDUP_RULE_LABELS: Record<DedupRuleName, string> = {
  exactEmail: 'Same email address',
  exactPhone: 'Same phone number',
  nameAddress: 'Similar name and same address',
  namePostcode: 'Similar name and same postcode',
  nameDob: 'Similar name and same date of birth',
};

export const ZDedupRule = z.strictObject({
  enabled: z.boolean(),
  weight: z.number().int('must be a whole number').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100'),
});
export type DedupRule = z.infer<typeof ZDedupRule>;

export const ZDedupRules = z
  .strictObject({
    rules: z.strictObject({
      exactEmail: ZDedupRule,
      exactPhone: ZDedupRule,
      nameAddress: ZDedupRule,
      namePostcode: ZDedupRule,
      nameDob: ZDedupRule,
    }),
    /** pg_trgm similarity of the folded full names (0–1) at or above which names count as similar. */
    nameSimilarity: z.number().min(0.2, 'must be between 0.2 and 1').max(1, 'must be between 0.2 and 1'),
    /** Sum of the weights of the rules a pair meets at or above which it becomes a candidate. */
    scoreThreshold: z.number().int('must be a whole number').min(1, 'must be between 1 and 500').max(500, 'must be between 1 and 500'),
  })
  .superRefine((r, ctx) => {
    const enabled = DEDUP_RULES.filter((k) => r.rules[k].enabled);
    if (enabled.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['rules'], message: 'enable at least one rule' });
      return;
    }
    const reachable = enabled.reduce((n, k) => n + r.rules[k].weight, 0);
    if (reachable < r.scoreThreshold) {
      ctx.addIssue({ code: 'custom', path: ['scoreThreshold'], message: `no pair could reach ${r.scoreThreshold}: the enabled rules add up to ${reachable}` });
    }
  });
export type DedupRules = z.infer<typeof ZDedupRules>;

export const ZDedupSettings = z.object({
  rules: ZDedupRules,
  /** True when the office has not saved rules of its own. */
  isDefault: z.boolean(),
  updatedAt: ZTimestamp.nullable(),
  /** The scan's guards against huge blocks (a shared switchboard number, a postcode of thousands). */
  limits: z.object({ exactBlockCap: z.number().int(), fuzzyBlockCap: z.number().int(), nameGroupCap: z.number().int() }),
});
export type DedupSettings = z.infer<typeof ZDedupSettings>;

// Scans
export const SCAN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export const ZDedupScanStep = z.object({
  rule: z.enum(DEDUP_RULES),
  status: z.enum(['pending', 'running', 'done', 'disabled']),
  /** Blocks (records sharing a key) compared. */
  blocks: z.number().int(),
  /** Blocks left out because they were over the cap, and the records in them. */
  skippedBlocks: z.number().int(),
  skippedRecords: z.number().int(),
  /** Name groups within blocks left out because they were over the cap. */
  skippedGroups: z.number().int(),
  pairs: z.number().int(),
  ms: z.number().int().nullable(),
});
export type DedupScanStep = z.infer<typeof ZDedupScanStep>;

export const ZDedupScanResult = z.object({
  records: z.number().int(),
  /** Open candidates after the scan. */
  open: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  /** Open pairs that no longer match, removed. */
  removed: z.number().int(),
  /** Pairs found again that staff had already dismissed or merged (their decision stands). */
  decided: z.number().int(),
  skippedBlocks: z.number().int(),
  skippedGroups: z.number().int(),
  seconds: z.number(),
});
export type DedupScanResult = z.infer<typeof ZDedupScanResult>;

export const ZDedupScan = z.object({
  id: ZUuid,
  status: z.enum(SCAN_STATUSES),
  source: z.enum(['api', 'cli']),
  requestedBy: z.string(),
  steps: z.array(ZDedupScanStep),
  result: ZDedupScanResult.nullable(),
  error: z.string().nullable(),
  createdAt: ZTimestamp,
  startedAt: ZTimestamp.nullable(),
  finishedAt: ZTimestamp.nullable(),
});
export type DedupScan = z.infer<typeof ZDedupScan>;

// Review queue
export const CANDIDATE_STATUSES = ['open', 'dismissed', 'merged'] as const;
export const ZCandidateQuery = z.object({
  status: z.enum(CANDIDATE_STATUSES).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const ZCandidateParams = z.object({ lowId: ZUuid, highId: ZUuid });

export const ZCandidateRecord = z.object({
  id: ZUuid,
  kind: z.enum(['person', 'organisation']),
  displayName: z.string(),
  status: z.enum(['active', 'merged']),
  dateOfBirth: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: ZTimestamp,
});
export type CandidateRecord = z.infer<typeof ZCandidateRecord>;

export const ZDuplicateCandidate = z.object({
  lowId: ZUuid,
  highId: ZUuid,
  score: z.number(),
  reasons: z.array(z.string()),
  status: z.enum(CANDIDATE_STATUSES),
  detectedAt: ZTimestamp,
  decidedAt: ZTimestamp.nullable(),
  low: ZCandidateRecord,
  high: ZCandidateRecord,
});
export type DuplicateCandidate = z.infer<typeof ZDuplicateCandidate>;

// Merge
/** The record's own fields a merge chooses between; tags and custom fields are unioned and
 * the contact flags OR-ed (the stricter wins), so they are not chosen. */
export const MERGE_FIELDS = [
  'kind', 'givenName', 'familyName', 'preferredName', 'organisationName', 'dateOfBirth', 'preferredChannel', 'preferredLanguage', 'householdId',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export const MERGE_FIELD_LABELS: Record<MergeField, string> = {
  kind: 'Kind', givenName: 'Given name', familyName: 'Family name', preferredName: 'Preferred name', organisationName: 'Organisation name',
  dateOfBirth: 'Date of birth', preferredChannel: 'Preferred channel', preferredLanguage: 'Preferred language', householdId: 'Household',
};
const ZSide = z.enum(['survivor', 'other']);
export const ZMergeRequest = z.strictObject({
  otherId: ZUuid,
  /** Per field, whose value the survivor keeps. Fields left out keep the survivor's value,
   * or the other record's when the survivor has none. */
  fields: z.strictObject(Object.fromEntries(MERGE_FIELDS.map((f) => [f, ZSide.optional()])) as Record<MergeField, z.ZodOptional<typeof ZSide>>).default({}),
});
export type MergeRequest = z.input<typeof ZMergeRequest>;
export const ZMergePreviewQuery = z.object({ otherId: ZUuid });

const ZFieldValue = z.union([z.string(), z.null()]);
export const ZMergeSide = z.object({
  id: ZUuid,
  displayName: z.string(),
  status: z.enum(['active', 'merged']),
  fields: z.record(z.enum(MERGE_FIELDS), ZFieldValue),
  /** Human-readable values (household names) where they differ from the stored value. */
  display: z.record(z.string(), z.string()),
  tags: z.array(z.string()),
  flags: z.object({ doNotContact: z.boolean(), bulkOptOut: z.boolean(), unsubscribed: z.boolean() }),
});
export const ZMergePreview = z.object({
  survivor: ZMergeSide,
  other: ZMergeSide,
  /** What moves from the other record to the survivor, per kind of linked row. */
  moves: z.array(z.object({ table: z.string(), label: z.string(), count: z.number().int(), duplicates: z.number().int() })),
});
export type MergePreview = z.infer<typeof ZMergePreview>;

export const ZMergeRecord = z.object({
  id: ZUuid,
  survivor: z.object({ id: ZUuid, displayName: z.string() }),
  merged: z.object({ id: ZUuid, displayName: z.string() }),
  mergedAt: ZTimestamp,
  mergedBy: z.string(),
  undoUntil: ZTimestamp,
  undoneAt: ZTimestamp.nullable(),
  undoneBy: z.string().nullable(),
  canUndo: z.boolean(),
  /** Why it cannot be undone (already undone, too late, the survivor merged since). */
  undoBlockedBy: z.string().nullable(),
  /** Rows moved and duplicate rows dropped, per table. */
  moved: z.record(z.string(), z.number().int()),
  dropped: z.record(z.string(), z.number().int()),
});
export type MergeRecord = z.infer<typeof ZMergeRecord>;
