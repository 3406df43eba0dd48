// Constituent registry: people and organisations, contact points, consent, timeline.
import { z } from 'zod';
import { timelineSchemas, ZTimestamp, ZUuid } from './common.js';

export const CONSTITUENT_KINDS = ['person', 'organisation'] as const;
export const CHANNELS = ['email', 'sms', 'phone', 'post'] as const;
export const ZContactChannel = z.enum(CHANNELS);
export type ContactChannel = z.infer<typeof ZContactChannel>;
export const PURPOSES = ['casework', 'outreach', 'surveys'] as const;
export const ZContactPurpose = z.enum(PURPOSES);
export type ContactPurpose = z.infer<typeof ZContactPurpose>;
export const CONSENT_SOURCES = ['web_form', 'email', 'sms', 'phone', 'paper', 'in_person', 'portal', 'import', 'other'] as const;
export const RELATIONSHIP_KINDS = ['spouse', 'partner', 'parent_of', 'carer_of', 'employee_of', 'represents', 'member_of', 'relative', 'other'] as const;
/** How a relationship reads from the other end ("parent of" seen from the child). */
export const RELATIONSHIP_INVERSE: Record<(typeof RELATIONSHIP_KINDS)[number], string> = {
  spouse: 'spouse', partner: 'partner', parent_of: 'child_of', carer_of: 'cared_for_by', employee_of: 'employer_of',
  represents: 'represented_by', member_of: 'has_member', relative: 'relative', other: 'other',
};

const ZName = z.string().trim().min(1).max(200);
const ZOptName = ZName.nullable().optional();
export const ZTag = z.string().trim().min(1).max(60).regex(/^[^,\n]+$/, 'must not contain commas or line breaks');
export const ZDate = z.iso.date();

export const ZEmailPoint = z.strictObject({
  email: z.string().trim().max(320).pipe(z.email('must be a valid email address')).transform((e) => e.toLowerCase()),
  type: z.enum(['personal', 'work', 'other']).default('personal'),
  isPrimary: z.boolean().default(false),
  status: z.enum(['valid', 'bounced', 'moved']).default('valid'),
});
/** Any format ("07700 900123", "+44 7700 900123"); stored E.164 with the office's region. */
export const ZPhonePoint = z.strictObject({
  number: z.string().trim().min(3).max(40),
  type: z.enum(['mobile', 'home', 'work', 'other']).default('mobile'),
  isPrimary: z.boolean().default(false),
  status: z.enum(['valid', 'wrong_number', 'moved']).default('valid'),
});
export const ZLat = z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
export const ZLng = z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');
export const ZAddressPoint = z
  .strictObject({
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).nullable().optional(),
    locality: z.string().trim().max(120).nullable().optional(),
    postcode: z.string().trim().max(20).nullable().optional(),
    country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code').transform((c) => c.toUpperCase()).nullable().optional(),
    lat: ZLat.nullable().optional(),
    lng: ZLng.nullable().optional(),
    type: z.enum(['home', 'work', 'postal', 'other']).default('home'),
    isPrimary: z.boolean().default(false),
    status: z.enum(['valid', 'moved', 'undeliverable']).default('valid'),
  })
  .refine((a) => (a.lat == null) === (a.lng == null), { message: 'give both lat and lng, or neither', path: ['lat'] });

export const ZExternalId = z.strictObject({
  system: z.string().trim().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be lowercase letters, digits, - or _ (e.g. voter_file)'),
  value: z.string().trim().min(1).max(200),
});

export const ZCustomValue = z.union([z.string().max(2000), z.number(), z.array(z.string().max(200)).max(200), z.null()]);

const constituentFields = {
  kind: z.enum(CONSTITUENT_KINDS).default('person'),
  givenName: ZOptName,
  familyName: ZOptName,
  preferredName: ZOptName,
  organisationName: ZOptName,
  dateOfBirth: ZDate.nullable().optional(),
  preferredChannel: ZContactChannel.nullable().optional(),
  preferredLanguage: z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or cy-GB').nullable().optional(),
  tags: z.array(ZTag).max(100).optional(),
  customFields: z.record(z.string(), ZCustomValue).optional(),
  householdId: ZUuid.nullable().optional(),
  doNotContact: z.boolean().optional(),
  bulkOptOut: z.boolean().optional(),
  unsubscribed: z.boolean().optional(),
};

export const ZCreateConstituent = z
  .strictObject({
    ...constituentFields,
    emails: z.array(ZEmailPoint).max(20).default([]),
    phones: z.array(ZPhonePoint).max(20).default([]),
    addresses: z.array(ZAddressPoint).max(20).default([]),
    externalIds: z.array(ZExternalId).max(20).default([]),
    /** Create even though the record matches an existing one (after the warning). */
    ignoreDuplicates: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'person' && !c.givenName && !c.familyName) ctx.addIssue({ code: 'custom', path: ['familyName'], message: 'a person needs a given or family name' });
    if (c.kind === 'organisation' && !c.organisationName) ctx.addIssue({ code: 'custom', path: ['organisationName'], message: 'an organisation needs a name' });
  });
export type CreateConstituent = z.input<typeof ZCreateConstituent>;

export const ZUpdateConstituent = z.strictObject({
  ...constituentFields,
  kind: z.enum(CONSTITUENT_KINDS).optional(),
  emails: z.array(ZEmailPoint).max(20).optional(),
  phones: z.array(ZPhonePoint).max(20).optional(),
  addresses: z.array(ZAddressPoint).max(20).optional(),
  externalIds: z.array(ZExternalId).max(20).optional(),
});
export type UpdateConstituent = z.input<typeof ZUpdateConstituent>;

export const ZArea = z.object({ layer: z.string(), boundaryId: ZUuid, code: z.string(), name: z.string() });

export const ZConstituentSummary = z.object({
  id: ZUuid,
  kind: z.enum(CONSTITUENT_KINDS),
  displayName: z.string(),
  primaryEmail: z.string().nullable(),
  primaryPhone: z.string().nullable(),
  primaryAddress: z.string().nullable(),
  postcode: z.string().nullable(),
  ward: z.string().nullable(),
  tags: z.array(z.string()),
  openCases: z.number().int(),
  /** For searches: how well the record matched (higher is better). */
  score: z.number().nullable(),
});
export type ConstituentSummary = z.infer<typeof ZConstituentSummary>;

export const ZConstituent = z.object({
  id: ZUuid,
  kind: z.enum(CONSTITUENT_KINDS),
  displayName: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  preferredName: z.string().nullable(),
  organisationName: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  preferredChannel: ZContactChannel.nullable(),
  preferredLanguage: z.string().nullable(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), ZCustomValue),
  household: z.object({ id: ZUuid, name: z.string(), members: z.array(z.object({ id: ZUuid, displayName: z.string() })) }).nullable(),
  doNotContact: z.boolean(),
  bulkOptOut: z.boolean(),
  unsubscribed: z.boolean(),
  status: z.enum(['active', 'merged']),
  mergedIntoId: ZUuid.nullable(),
  emails: z.array(z.object({ id: ZUuid, email: z.string(), type: z.string(), isPrimary: z.boolean(), status: z.string() })),
  phones: z.array(z.object({ id: ZUuid, number: z.string(), display: z.string(), type: z.string(), isPrimary: z.boolean(), status: z.string() })),
  addresses: z.array(z.object({
    id: ZUuid, line1: z.string(), line2: z.string().nullable(), locality: z.string().nullable(), postcode: z.string().nullable(),
    country: z.string().nullable(), lat: z.number().nullable(), lng: z.number().nullable(), locationSource: z.string().nullable(),
    type: z.string(), isPrimary: z.boolean(), status: z.string(), areas: z.array(ZArea),
  })),
  externalIds: z.array(z.object({ system: z.string(), value: z.string() })),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Constituent = z.infer<typeof ZConstituent>;

/** Existing records a new one may duplicate (returned with 409 code possible_duplicate). */
export const ZPossibleDuplicates = z.object({ matches: z.array(z.object({ id: ZUuid, displayName: z.string(), score: z.number(), reasons: z.array(z.string()) })) });

export const ZConstituentListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  ward: ZUuid.optional(),
  tag: z.string().trim().max(60).optional(),
  /** custom field filter: key:value */
  field: z.string().trim().max(300).regex(/^[a-z][a-z0-9_]{0,39}:.+$/, 'must be key:value').optional(),
  hasOpenCase: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  kind: z.enum(CONSTITUENT_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ConstituentListQuery = z.infer<typeof ZConstituentListQuery>;

// Consent ledger
export const ZRecordConsent = z.strictObject({
  channel: ZContactChannel,
  purpose: ZContactPurpose,
  status: z.enum(['granted', 'withdrawn']),
  source: z.enum(CONSENT_SOURCES),
  evidence: z.string().trim().max(2000).default(''),
  effectiveAt: ZTimestamp.optional(),
});
export type RecordConsent = z.input<typeof ZRecordConsent>;

export const ZConsent = z.object({
  id: ZUuid,
  channel: ZContactChannel,
  purpose: ZContactPurpose,
  status: z.enum(['granted', 'withdrawn']),
  source: z.string(),
  evidence: z.string(),
  effectiveAt: ZTimestamp,
  recordedAt: ZTimestamp,
  recordedBy: z.string(),
});
export type Consent = z.infer<typeof ZConsent>;

export const ZContactDecision = z.object({
  allowed: z.boolean(),
  reason: z.enum([
    'do_not_contact', 'unsubscribed', 'bulk_opt_out', 'consent_withdrawn', 'consent_granted',
    'no_consent_needed', 'no_consent', 'no_contact_point', 'merged',
  ]),
  detail: z.string(),
});
export type ContactDecision = z.infer<typeof ZContactDecision>;

export const ZConsentOverview = z.object({
  flags: z.object({ doNotContact: z.boolean(), bulkOptOut: z.boolean(), unsubscribed: z.boolean() }),
  current: z.array(z.object({ channel: ZContactChannel, purpose: ZContactPurpose, decision: ZContactDecision, latest: ZConsent.nullable() })),
  history: z.array(ZConsent),
});

// Timeline
export const TIMELINE_KINDS = ['edit', 'consent', 'note', 'case', 'message', 'merge', 'import', 'relationship'] as const;
const timeline = timelineSchemas(TIMELINE_KINDS);
export const ZTimelineQuery = timeline.query;
export const ZTimelineEntry = timeline.entry;
export type TimelineEntry = z.infer<typeof ZTimelineEntry>;

export const ZCreateNote = z.strictObject({ body: z.string().trim().min(1).max(10000) });
export const ZNote = z.object({ id: ZUuid, body: z.string(), author: z.string(), createdAt: ZTimestamp });

// Relationships and households
export const ZCreateRelationship = z.strictObject({
  relatedId: ZUuid,
  kind: z.enum(RELATIONSHIP_KINDS),
  note: z.string().trim().max(500).default(''),
});
export const ZRelationship = z.object({
  id: ZUuid,
  kind: z.enum(RELATIONSHIP_KINDS),
  /** How it reads from this constituent: "parent_of", or the inverse "child_of". */
  label: z.string(),
  other: z.object({ id: ZUuid, displayName: z.string() }),
  note: z.string(),
  createdAt: ZTimestamp,
});
export type Relationship = z.infer<typeof ZRelationship>;

export const ZCreateHousehold = z.strictObject({
  name: z.string().trim().min(1).max(200),
  memberIds: z.array(ZUuid).min(1).max(50),
});
export const ZHousehold = z.object({ id: ZUuid, name: z.string(), members: z.array(z.object({ id: ZUuid, displayName: z.string() })) });

// Office-defined custom fields
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'choice', 'multi_choice'] as const;
export const ZCustomFieldDefinition = z.object({
  id: ZUuid,
  key: z.string(),
  label: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.string()),
  isRequired: z.boolean(),
  retired: z.boolean(),
  position: z.number().int(),
});
export type CustomFieldDefinition = z.infer<typeof ZCustomFieldDefinition>;
export const ZCreateCustomField = z
  .strictObject({
    key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lowercase letters, digits or _ and start with a letter'),
    label: z.string().trim().min(1).max(120),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string().trim().min(1).max(200)).max(200).default([]),
    isRequired: z.boolean().default(false),
    position: z.number().int().min(0).max(10000).default(0),
  })
  .superRefine((f, ctx) => {
    const isChoice = f.type === 'choice' || f.type === 'multi_choice';
    if (isChoice && f.options.length === 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a choice field needs at least one option' });
    if (!isChoice && f.options.length > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only choice fields have options' });
    if (new Set(f.options).size !== f.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must be unique' });
  });
export const ZUpdateCustomField = z.strictObject({
  label: z.string().trim().min(1).max(120).optional(),
  options: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
  isRequired: z.boolean().optional(),
  retired: z.boolean().optional(),
  position: z.number().int().min(0).max(10000).optional(),
});
