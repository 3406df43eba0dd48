// Approved reply templates: a template (name, category, default language) has a text per
// language, and each language has numbered versions going draft -> approved -> superseded (or
// draft -> discarded). Only approved text is ever sent from a template.
import { z } from 'zod';
import { ZLanguageTag, ZTimestamp, ZUuid } from './common.js';
import { ZBody, ZSubject } from './messages.js';

export const TEMPLATE_VERSION_STATUSES = ['draft', 'approved', 'superseded', 'discarded'] as const;
export type TemplateVersionStatus = (typeof TEMPLATE_VERSION_STATUSES)[number];

export const ZTemplateVersion = z.object({
  language: z.string(),
  version: z.number().int(),
  status: z.enum(TEMPLATE_VERSION_STATUSES),
  subject: z.string(),
  body: z.string(),
  /** Counts the saves of a draft; approving names it, so only the text the approver read is approved. */
  revision: z.number().int(),
  createdBy: z.string(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
  approvedBy: z.string().nullable(),
  approvedAt: ZTimestamp.nullable(),
  /** When it was superseded or discarded. */
  closedAt: ZTimestamp.nullable(),
});
export type TemplateVersion = z.infer<typeof ZTemplateVersion>;

/** One language of a template: the text in use (if any has been approved) and the open draft (if any). */
export const ZTemplateTranslation = z.object({
  language: z.string(),
  approved: ZTemplateVersion.nullable(),
  draft: ZTemplateVersion.nullable(),
});
export type TemplateTranslation = z.infer<typeof ZTemplateTranslation>;

export const ZReplyTemplate = z.object({
  id: ZUuid,
  name: z.string(),
  channel: z.literal('email'),
  categoryId: ZUuid.nullable(),
  retired: z.boolean(),
  /** The language used when the recipient's has no approved text. */
  defaultLanguage: z.string(),
  /** The default language first, then the others in alphabetical order. */
  translations: z.array(ZTemplateTranslation),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type ReplyTemplate = z.infer<typeof ZReplyTemplate>;

/** A new template starts as a draft in one language (the office's unless given); someone who may approve approves it. */
export const ZCreateReplyTemplate = z.strictObject({
  name: z.string().trim().min(1).max(120),
  channel: z.literal('email').default('email'),
  language: ZLanguageTag.optional(),
  subject: ZSubject,
  body: ZBody,
  categoryId: ZUuid.nullable().default(null),
});
export type CreateReplyTemplate = z.input<typeof ZCreateReplyTemplate>;

/** The template itself; its text changes only through drafts. */
export const ZUpdateReplyTemplate = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  categoryId: ZUuid.nullable().optional(),
  defaultLanguage: ZLanguageTag.optional(),
  retired: z.boolean().optional(),
});
export type UpdateReplyTemplate = z.input<typeof ZUpdateReplyTemplate>;

export const ZReplyTemplateListQuery = z.object({
  includeRetired: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});

/** Saving the draft of a language: creates it (a new version, or a new translation) or updates the open one. */
export const ZSaveTemplateDraft = z.strictObject({ subject: ZSubject, body: ZBody });
export type SaveTemplateDraft = z.input<typeof ZSaveTemplateDraft>;

/** Approving names the draft's version and revision as read; a draft changed since is refused (409). */
export const ZApproveTemplateDraft = z.strictObject({ version: z.number().int().min(1), revision: z.number().int().min(1) });
export type ApproveTemplateDraft = z.input<typeof ZApproveTemplateDraft>;

export const ZTemplateLanguageParams = z.object({ id: ZUuid, language: ZLanguageTag });
export const ZTemplateVersionParams = ZTemplateLanguageParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) });

export const ZTemplateVersionsQuery = z.object({ language: ZLanguageTag.optional() });
/** Every version, newest first within each language. */
export const ZTemplateVersionList = z.object({ items: z.array(ZTemplateVersion) });

/** The approved text a message from the template would use, and which version and language it is. */
export const ZApprovedTemplateText = z.object({
  templateId: ZUuid,
  version: z.number().int(),
  language: z.string(),
  subject: z.string(),
  body: z.string(),
});
export type ApprovedTemplateText = z.infer<typeof ZApprovedTemplateText>;

export const ZTemplateTextQuery = z.object({ templateId: ZUuid, constituentId: ZUuid.optional() });
export type TemplateTextQuery = z.infer<typeof ZTemplateTextQuery>;
