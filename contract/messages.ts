// Outbound messages: the merge fields of reply templates (the templates are in templates.ts),
// replies sent from a case, the case's message list with delivery status, and the resident's
// satisfaction rating asked for when a case is resolved.
import { z } from 'zod';
import { ZLanguageTag, ZPage, ZTimestamp, ZUuid } from './common.js';

/** The merge fields a template may use, as {{name}}. Nothing else is ever substituted. */
export const TEMPLATE_MERGE_FIELDS = {
  'constituent.given_name': 'The recipient\'s given name (or preferred name)',
  'constituent.family_name': 'The recipient\'s family name',
  'constituent.display_name': 'The recipient\'s full name as shown in Civitas',
  'case.reference': 'The case reference, e.g. C-2026-00042',
  'case.subject': 'The case subject',
  'case.status': 'The case status as the office names it',
  'case.category': 'The case category (empty when none)',
  'case.resolution_summary': 'The resolution summary (empty until resolved)',
  'office.name': 'The office\'s name',
  'staff.display_name': 'The name of the staff member sending the message',
  'update.status': 'Resident updates: the status in the resident\'s words and language (Received, In progress, Waiting for information, Resolved, Closed); empty elsewhere',
  'update.note': 'Resident updates: the note shared with the resident; empty elsewhere',
  'update.tracking_link': 'Resident updates: the portal link to follow the request, when it came through the portal or web form; empty otherwise',
} as const;
export type TemplateMergeField = keyof typeof TEMPLATE_MERGE_FIELDS;
export const TEMPLATE_MERGE_FIELD_NAMES = Object.keys(TEMPLATE_MERGE_FIELDS) as TemplateMergeField[];

export const ZSubject = z.string().trim().min(1, 'must not be empty').max(300).refine((s) => !/[\r\n]/.test(s), 'must be one line');
export const ZBody = z.string().max(20_000).refine((s) => s.trim().length > 0, 'must not be empty');

export const ZMergeFieldList = z.object({ items: z.array(z.object({ name: z.string(), description: z.string() })) });

/** A letter is printed and posted by staff: queued means waiting to be printed, sent means posted. */
export const MESSAGE_CHANNELS = ['email', 'sms', 'letter'] as const;
export const ZMessageChannel = z.enum(MESSAGE_CHANNELS);
export type MessageChannel = z.infer<typeof ZMessageChannel>;

/**
 * A reply from a case: a template, free text, or a template edited before sending (subject
 * and body win over the template's). Merge fields are filled in for the recipient, who is
 * the case's requester unless another person on the case is named.
 */
export const ZReplyRequest = z.strictObject({
  /**
   * Left out: a letter when the person prefers post (and has a postal address), a text message
   * when they prefer SMS or the case came in by SMS, else email.
   */
  channel: ZMessageChannel.optional(),
  templateId: ZUuid.optional(),
  /**
   * The language of the template's approved text the reply starts from (as given by
   * GET /cases/{id}/replies/template-text); left out: the recipient's preferred language when
   * approved, else the template's default language.
   */
  templateLanguage: ZLanguageTag.optional(),
  subject: ZSubject.optional(),
  body: ZBody.optional(),
  constituentId: ZUuid.optional(),
});
export type ReplyRequest = z.input<typeof ZReplyRequest>;

export const ZReplyPreview = z.object({
  recipient: z.object({ id: ZUuid, displayName: z.string() }),
  channel: ZMessageChannel,
  /** An email address, a phone number in E.164 form for a text message, or a letter's address block (lines). */
  to: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
  /** Whether it can be sent now, and if not why (no email, do not contact, ...). */
  canSend: z.boolean(),
  reason: z.string().nullable(),
  /** For a text message: how many SMS segments it takes, and in which encoding. */
  sms: z.object({ segments: z.number().int(), encoding: z.enum(['GSM-7', 'UCS-2']) }).nullable(),
});
export type ReplyPreview = z.infer<typeof ZReplyPreview>;

export const MESSAGE_STATUSES = ['queued', 'sent', 'failed'] as const;

export const ZOutboundMessage = z.object({
  id: ZUuid,
  kind: z.string(),
  channel: ZMessageChannel,
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  templateId: ZUuid.nullable(),
  /** The approved version of the template (and its language) the message was sent from. */
  templateVersion: z.number().int().nullable(),
  templateLanguage: z.string().nullable(),
  constituentId: ZUuid.nullable(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** What the provider last reported (text messages): delivered, undelivered, failed ...; null without a report. */
  deliveryStatus: z.string().nullable(),
  deliveryError: z.string().nullable(),
  createdBy: z.string(),
  createdAt: ZTimestamp,
  sentAt: ZTimestamp.nullable(),
});
export type OutboundMessage = z.infer<typeof ZOutboundMessage>;

export const ZSentReplies = z.object({ items: z.array(ZOutboundMessage) });

export const ZCaseRating = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  ratedAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export const ZCaseRatingResponse = z.object({ rating: ZCaseRating.nullable() });
export type CaseRating = z.infer<typeof ZCaseRating>;

/** A letter in the print queue (or already posted). */
export const ZLetter = z.object({
  id: ZUuid,
  caseId: ZUuid.nullable(),
  caseReference: z.string().nullable(),
  constituentId: ZUuid.nullable(),
  /** The address block, one line per line: name, then the postal address. */
  to: z.string(),
  subject: z.string(),
  createdBy: z.string(),
  createdAt: ZTimestamp,
  /** When it was marked posted; null while it waits to be printed. */
  postedAt: ZTimestamp.nullable(),
});
export type Letter = z.infer<typeof ZLetter>;
export const ZLetterListQuery = z.object({
  status: z.enum(['waiting', 'posted']).default('waiting'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(500).optional(),
});
export const ZLetterList = ZPage(ZLetter);
export const ZLetterIds = z.strictObject({ ids: z.array(ZUuid).min(1, 'choose at least one letter').max(200, 'at most 200 letters at a time') });
export const ZLetterPdfQuery = z.object({ id: z.union([ZUuid, z.array(ZUuid).min(1).max(200)]).transform((v) => (Array.isArray(v) ? v : [v])) });
