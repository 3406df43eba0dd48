// Links between cases: possibly related cases (same category nearby and recent; other open
// cases of the same people), duplicates (closing one as a duplicate of another, undoable),
// merges of two cases of the same person, and the office's related-search settings.
import { z } from 'zod';
import { ZCaseSummary } from './cases.js';
import { ZUuid } from './common.js';

const ZLat = z.coerce.number({ message: 'must be a number' }).min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
const ZLng = z.coerce.number({ message: 'must be a number' }).min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');

/** The create form's question: which open cases may be the same problem or the same person's? */
export const ZRelatedQuery = z.object({
  categoryId: ZUuid.optional(),
  lat: ZLat.optional(),
  lng: ZLng.optional(),
  /** An address to geocode when no lat/lng is given (the create form's location field). */
  address: z.string().trim().min(1).max(500).optional(),
  /** Comma-separated constituent ids (at most 20). */
  constituentId: z.string().max(800).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).pipe(z.array(ZUuid).max(20)).optional(),
}).refine((q) => (q.lat === undefined) === (q.lng === undefined), { message: 'give both lat and lng, or neither', path: ['lng'] });
export type RelatedQuery = z.input<typeof ZRelatedQuery>;

export const ZNearbyCase = ZCaseSummary.extend({ distanceM: z.number() });

export const ZRelatedCases = z.object({
  /** Open cases of the same category within radiusM, opened in the last windowDays, nearest first. */
  nearby: z.array(ZNearbyCase),
  /** Other open cases of the same people, newest first. */
  samePeople: z.array(ZCaseSummary),
  radiusM: z.number().int(),
  windowDays: z.number().int(),
});
export type RelatedCases = z.infer<typeof ZRelatedCases>;

export const CASE_LINK_KINDS = ['duplicate_of', 'related', 'merged_into'] as const;

/** A link as one case sees it: outgoing (this case is the duplicate / merged one) or incoming. */
export const ZCaseLink = z.object({
  kind: z.enum(CASE_LINK_KINDS),
  direction: z.enum(['outgoing', 'incoming']),
  case: z.object({ id: ZUuid, reference: z.string(), subject: z.string(), status: z.object({ key: z.string(), label: z.string(), category: z.string() }) }),
  createdAt: z.string(),
});
export type CaseLink = z.infer<typeof ZCaseLink>;

export const ZCaseLinks = z.object({ items: z.array(ZCaseLink) });

export const ZMarkDuplicate = z.strictObject({
  originalId: ZUuid,
  /** Why, for the timeline and the resolution summary. */
  comment: z.string().trim().max(2000).optional(),
});
export type MarkDuplicate = z.input<typeof ZMarkDuplicate>;

export const ZLinkRelated = z.strictObject({ caseId: ZUuid });

export const ZMergeCases = z.strictObject({ fromCaseId: ZUuid });
export type MergeCases = z.input<typeof ZMergeCases>;

export const ZRelatedSettings = z.object({ radiusM: z.number().int(), windowDays: z.number().int() });
export const ZUpdateRelatedSettings = z.strictObject({
  radiusM: z.number().int('must be a whole number of metres').min(1, 'must be between 1 and 5,000 metres').max(5000, 'must be between 1 and 5,000 metres').optional(),
  windowDays: z.number().int('must be a whole number of days').min(1, 'must be between 1 and 365 days').max(365, 'must be between 1 and 365 days').optional(),
});
export type RelatedSettings = z.infer<typeof ZRelatedSettings>;
