// Intake and the one inbox: items that arrived on any channel, what became of them, and the
// actions staff take on them.
import { z } from 'zod';
import { CASE_PRIORITIES } from './cases.js';
import { ZTimestamp, ZUuid } from './common.js';

export const INBOUND_CHANNELS = ['email', 'sms', 'open311', 'web', 'phone', 'voicemail', 'walk_in', 'event', 'social', 'webhook'] as const;
export const ZInboundChannel = z.enum(INBOUND_CHANNELS);
export type InboundChannel = z.infer<typeof ZInboundChannel>;

export const INBOUND_STATUSES = ['received', 'new', 'filed', 'ignored', 'spam', 'needs_attention'] as const;
export const ZInboundStatus = z.enum(INBOUND_STATUSES);
export type InboundStatus = z.infer<typeof ZInboundStatus>;

export const INBOUND_KINDS = ['message', 'auto_reply', 'bounce', 'complaint'] as const;
export const ZInboundKind = z.enum(INBOUND_KINDS);

const ZCaseRef = z.object({ id: ZUuid, reference: z.string(), subject: z.string() });

export const ZInboundItemSummary = z.object({
  id: ZUuid,
  channel: ZInboundChannel,
  source: z.string(),
  status: ZInboundStatus,
  kind: ZInboundKind.nullable(),
  receivedAt: ZTimestamp,
  senderName: z.string().nullable(),
  senderAddress: z.string().nullable(),
  subject: z.string().nullable(),
  /** The start of the new text (hidden for items on a sensitive case the reader may not see). */
  snippet: z.string(),
  constituent: z.object({ id: ZUuid, displayName: z.string(), provisional: z.boolean() }).nullable(),
  /**
   * The record on file holding the email or phone typed into an anonymous channel (the public
   * form, Open311), while the item's own sender record is still provisional: staff merge the
   * sender into it (same person, merge-sender) or confirm the sender (someone else,
   * confirm-sender). Null otherwise.
   */
  suggestedSender: z.object({ id: ZUuid, displayName: z.string() }).nullable(),
  case: ZCaseRef.nullable(),
  suggestedCase: ZCaseRef.nullable(),
  error: z.string().nullable(),
  attachmentCount: z.number().int(),
});
export type InboundItemSummary = z.infer<typeof ZInboundItemSummary>;

export const ZInboundAttachment = z.object({ index: z.number().int(), fileName: z.string(), contentType: z.string(), size: z.number().int() });

export const ZInboundItem = ZInboundItemSummary.extend({
  recipient: z.string().nullable(),
  bodyText: z.string().nullable(),
  /** Sanitised for display: no scripts, styles, event handlers or remote images. */
  bodyHtml: z.string().nullable(),
  replyText: z.string().nullable(),
  messageId: z.string().nullable(),
  attachments: z.array(ZInboundAttachment),
  details: z.record(z.string(), z.unknown()),
  attempts: z.number().int(),
  handledBy: z.string().nullable(),
  /** Other staff with this item open in the last half minute. */
  viewers: z.array(z.object({ userId: ZUuid, displayName: z.string() })),
});
export type InboundItem = z.infer<typeof ZInboundItem>;

export const ZInboxQuery = z.object({
  /** 'open' (the default) is what waits for someone: new and needs-attention items, and filed ones whose suggested sender waits for a decision. */
  status: z.enum(['open', 'all', ...INBOUND_STATUSES]).default('open'),
  channel: ZInboundChannel.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** senderMatches: filed items whose suggested sender waits for staff to merge or confirm (suggestedSender). */
export const ZInboxCounts = z.object({ new: z.number().int(), needsAttention: z.number().int(), received: z.number().int(), senderMatches: z.number().int() });

export const ZCreateCaseFromItem = z.strictObject({
  subject: z.string().trim().min(1).max(300).optional(),
  categoryId: ZUuid.nullable().optional(),
  priority: z.enum(CASE_PRIORITIES).optional(),
});
export const ZAttachItem = z.strictObject({ caseId: ZUuid });
export const ZMergeSender = z.strictObject({ constituentId: ZUuid });

export const ZReceiveResult = z.object({ id: ZUuid, duplicate: z.boolean(), status: ZInboundStatus });

/** useForReplies: the address emails about a case name as Reply-To (with the case's +tag); one per office, else the oldest address. */
export const ZIntakeAddress = z.object({ address: z.string(), acknowledge: z.boolean(), useForReplies: z.boolean(), createdAt: ZTimestamp });
export type IntakeAddress = z.infer<typeof ZIntakeAddress>;
export const ZCreateIntakeAddress = z.strictObject({
  address: z.email('must be an email address').max(254).refine((a) => !a.split('@')[0]!.includes('+'), 'must not contain a +tag (tags are added per case)'),
  acknowledge: z.boolean().default(true),
  useForReplies: z.boolean().default(false),
});
export const ZUpdateIntakeAddress = z.strictObject({ acknowledge: z.boolean().optional(), useForReplies: z.boolean().optional() });
export const ZIntakeAddressParams = z.object({ address: z.string().max(254) });
