// Agency referrals: the office's agency directory, referrals of a case to an agency with
// their follow-ups, and the constituent's privacy release (paper or signed electronically).
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

const ZDate = z.iso.date();
const optionalText = (max: number) => z.string().trim().max(max).transform((s) => (s === '' ? null : s)).nullable();

// ---------------------------------------------------------------- agencies
export const AGENCY_KINDS = ['federal', 'state', 'local', 'internal'] as const;
export const ZAgencyKind = z.enum(AGENCY_KINDS);
export type AgencyKind = z.infer<typeof ZAgencyKind>;

export const ZAgency = z.object({
  id: ZUuid,
  name: z.string(),
  kind: ZAgencyKind,
  contactName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  notes: z.string(),
  /** Referrals to it need the constituent's privacy release before they are sent. */
  requiresPrivacyRelease: z.boolean(),
  retired: z.boolean(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Agency = z.infer<typeof ZAgency>;

export const ZAgencyListQuery = z.object({
  includeRetired: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});

export const ZCreateAgency = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: ZAgencyKind,
  contactName: optionalText(200).default(null),
  email: z.email().max(320).nullable().default(null),
  phone: optionalText(40).default(null),
  notes: z.string().trim().max(5000).default(''),
  /** Defaults to true for federal agencies, false otherwise. */
  requiresPrivacyRelease: z.boolean().optional(),
});
export type CreateAgency = z.input<typeof ZCreateAgency>;

export const ZUpdateAgency = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  kind: ZAgencyKind.optional(),
  contactName: optionalText(200).optional(),
  email: z.email().max(320).nullable().optional(),
  phone: optionalText(40).optional(),
  notes: z.string().trim().max(5000).optional(),
  requiresPrivacyRelease: z.boolean().optional(),
  retired: z.boolean().optional(),
});
export type UpdateAgency = z.input<typeof ZUpdateAgency>;

// ---------------------------------------------------------------- privacy releases
export const RELEASE_STATUSES = ['pending', 'signed', 'revoked', 'expired'] as const;
export const ZReleaseStatus = z.enum(RELEASE_STATUSES);

export const ZPrivacyRelease = z.object({
  id: ZUuid,
  caseId: ZUuid,
  constituent: z.object({ id: ZUuid, name: z.string() }),
  /** The agency named as recipient; null: any agency. */
  agency: z.object({ id: ZUuid, name: z.string() }).nullable(),
  method: z.enum(['paper', 'electronic']),
  /** expired: an electronic request whose link ran out unsigned. */
  status: ZReleaseStatus,
  expiresAt: ZTimestamp.nullable(),
  signedAt: ZTimestamp.nullable(),
  typedName: z.string().nullable(),
  signedDate: ZDate.nullable(),
  contentHash: z.string().nullable(),
  document: z.object({ name: z.string(), type: z.string(), size: z.number().int() }).nullable(),
  createdBy: z.string().nullable(),
  createdAt: ZTimestamp,
  revokedAt: ZTimestamp.nullable(),
});
export type PrivacyRelease = z.infer<typeof ZPrivacyRelease>;

export const ZCreateReleaseRequest = z.strictObject({
  constituentId: ZUuid,
  /** The agency the release is for (named in the consent text); null for any agency. */
  agencyId: ZUuid.nullable().default(null),
});
export type CreateReleaseRequest = z.input<typeof ZCreateReleaseRequest>;

/** A new signing request: the link is shown once, only its hash is kept. */
export const ZCreatedReleaseRequest = z.object({
  release: ZPrivacyRelease,
  signingUrl: z.string(),
  /** Whether the link was queued for email to the constituent. */
  emailed: z.boolean(),
});

export const ZPaperReleaseQuery = z.object({
  constituentId: ZUuid,
  agencyId: ZUuid.optional(),
  fileName: z.string().trim().min(1).max(200).default('release'),
});

export const RELEASE_UPLOAD_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;

export const ZReleaseParams = z.object({ id: ZUuid, rid: ZUuid });

export const ZReleaseVerification = z.object({
  releaseId: ZUuid,
  method: z.enum(['paper', 'electronic']),
  /** Electronic: the hash recomputed from the stored fields equals the one recorded. */
  hashMatches: z.boolean().nullable(),
  storedHash: z.string().nullable(),
  computedHash: z.string().nullable(),
  /** The stored document's bytes still have the SHA-256 recorded when it was stored. */
  documentMatches: z.boolean().nullable(),
  /** The exact fields hashed, as canonical JSON. */
  canonical: z.string().nullable(),
});

export const ZReleaseSettings = z.object({
  /** The office's own consent wording; null: the default text. Placeholders: {office}, {agency}, {case}, {name}. */
  consentText: z.string().nullable(),
  defaultConsentText: z.string(),
  linkExpiryDays: z.number().int(),
});
export const ZUpdateReleaseSettings = z.strictObject({
  consentText: z.string().trim().min(1).max(5000).nullable().optional(),
  linkExpiryDays: z.number().int().min(1).max(90).optional(),
});

// ---------------------------------------------------------------- referrals
export const REFERRAL_STATUSES = ['draft', 'sent', 'responded', 'closed'] as const;
export const ZReferralStatus = z.enum(REFERRAL_STATUSES);
export type ReferralStatus = z.infer<typeof ZReferralStatus>;

export const FOLLOW_UP_KINDS = ['chased', 'agency_replied', 'note'] as const;

export const ZFollowUp = z.object({
  id: ZUuid,
  kind: z.enum(FOLLOW_UP_KINDS),
  occurredOn: ZDate,
  body: z.string(),
  createdBy: z.string().nullable(),
  createdAt: ZTimestamp,
});

export const ZReferral = z.object({
  id: ZUuid,
  caseId: ZUuid,
  caseReference: z.string(),
  agency: z.object({ id: ZUuid, name: z.string(), requiresPrivacyRelease: z.boolean() }),
  contact: z.string().nullable(),
  summary: z.string(),
  status: ZReferralStatus,
  sentAt: ZTimestamp.nullable(),
  theirReference: z.string().nullable(),
  expectedResponseOn: ZDate.nullable(),
  respondedAt: ZTimestamp.nullable(),
  closedAt: ZTimestamp.nullable(),
  /** Sent, no reply yet, and the expected date has passed (in the office's time zone). */
  isOverdue: z.boolean(),
  followUps: z.array(ZFollowUp),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Referral = z.infer<typeof ZReferral>;

/** The case's referrals and releases, and whether sending needs a release now. */
export const ZCaseReferrals = z.object({
  referrals: z.array(ZReferral),
  releases: z.array(ZPrivacyRelease),
  requester: z.object({ id: ZUuid, name: z.string() }).nullable(),
  /** The case's category requires a release for every referral. */
  categoryRequiresRelease: z.boolean(),
});

export const ZCreateReferral = z.strictObject({
  agencyId: ZUuid,
  contact: optionalText(200).default(null),
  summary: z.string().trim().min(1).max(10_000),
  theirReference: optionalText(200).default(null),
  expectedResponseOn: ZDate.nullable().default(null),
});
export type CreateReferral = z.input<typeof ZCreateReferral>;

export const ZUpdateReferral = z.strictObject({
  contact: optionalText(200).optional(),
  summary: z.string().trim().min(1).max(10_000).optional(),
  theirReference: optionalText(200).optional(),
  expectedResponseOn: ZDate.nullable().optional(),
});

export const ZSendReferral = z.strictObject({
  /** When it went out; now by default. */
  sentAt: ZTimestamp.optional(),
  theirReference: optionalText(200).optional(),
  expectedResponseOn: ZDate.nullable().optional(),
});

export const ZCreateFollowUp = z.strictObject({
  kind: z.enum(FOLLOW_UP_KINDS),
  occurredOn: ZDate,
  /** For agency_replied: the agency's reply as received. */
  body: z.string().trim().max(20_000).default(''),
}).refine((f) => f.kind !== 'agency_replied' || f.body.length > 0, { message: "log the agency's reply", path: ['body'] });
export type CreateFollowUp = z.input<typeof ZCreateFollowUp>;

export const ZCloseReferral = z.strictObject({ comment: z.string().trim().max(2000).optional() });

export const ZReferralListQuery = z.object({
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  status: ZReferralStatus.optional(),
  agency: ZUuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
