// The work on a case beyond its header: attachments, follow-up tasks and internal notes
// (with @mentions of staff written as `@[Display Name](user:<uuid>)`).
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const ZAttachmentParams = z.object({ id: ZUuid, attachmentId: ZUuid });
export const ZTaskParams = z.object({ id: ZUuid, taskId: ZUuid });
export const ZCaseNoteParams = z.object({ id: ZUuid, noteId: ZUuid });

// ---------------------------------------------------------------- attachments

export const ZAttachment = z.object({
  id: ZUuid,
  caseId: ZUuid,
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedBy: z.string(),
  createdAt: ZTimestamp,
});
export type Attachment = z.infer<typeof ZAttachment>;

export const ZAttachmentUploadQuery = z.object({
  filename: z.string().min(1).max(1000).optional(),
});

/** Kinds of file an attachment may be (detected from the content). */
export const ATTACHMENT_KINDS = 'PDF, PNG, JPEG, GIF, WebP, HEIC, plain text, CSV, Word (.docx), Excel (.xlsx), OpenDocument text (.odt) or email (.eml)';

export const ZAttachmentLimits = z.object({ maxBytes: z.number().int(), kinds: z.string() });
export type AttachmentLimits = z.infer<typeof ZAttachmentLimits>;

// ---------------------------------------------------------------- tasks

const ZDate = z.iso.date('must be a date as YYYY-MM-DD');
const ZTitle = z.string().trim().min(1, 'must not be empty').max(200);
const ZTaskNotes = z.string().trim().max(4000);
export const TASK_STATUSES = ['open', 'done'] as const;

export const ZTask = z.object({
  id: ZUuid,
  caseId: ZUuid,
  caseReference: z.string(),
  caseSubject: z.string(),
  title: z.string(),
  notes: z.string(),
  dueOn: ZDate.nullable(),
  assigneeId: ZUuid.nullable(),
  assigneeName: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  completedAt: ZTimestamp.nullable(),
  completedBy: z.string().nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Task = z.infer<typeof ZTask>;

export const ZCreateTask = z.strictObject({
  title: ZTitle,
  notes: ZTaskNotes.default(''),
  dueOn: ZDate.nullable().default(null),
  assigneeId: ZUuid.nullable().default(null),
});
export type CreateTask = z.input<typeof ZCreateTask>;

export const ZUpdateTask = z.strictObject({
  title: ZTitle.optional(),
  notes: ZTaskNotes.optional(),
  dueOn: ZDate.nullable().optional(),
  assigneeId: ZUuid.nullable().optional(),
  status: z.enum(TASK_STATUSES).optional(),
});
export type UpdateTask = z.input<typeof ZUpdateTask>;

export const ZMyTasksQuery = z.object({
  assignee: z.literal('me', 'only "me" is supported').default('me'),
  status: z.enum(TASK_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

// ---------------------------------------------------------------- notes

export const NOTE_MAX_LENGTH = 10_000;
/** How long after writing it the author may still edit a note. */
export const NOTE_EDIT_WINDOW_MINUTES = 15;
/** The mention token the composer inserts and the server checks. */
export const MENTION_PATTERN = /@\[([^\]\n]{1,200})\]\(user:([0-9a-fA-F-]{36})\)/g;

const ZNoteBody = z.string().trim().min(1, 'must not be empty').max(NOTE_MAX_LENGTH, `must be at most ${NOTE_MAX_LENGTH} characters`);

export const ZCaseNote = z.object({
  id: ZUuid,
  caseId: ZUuid,
  body: z.string(),
  authorId: ZUuid.nullable(),
  author: z.string(),
  mentions: z.array(z.object({ id: ZUuid, displayName: z.string() })),
  createdAt: ZTimestamp,
  editedAt: ZTimestamp.nullable(),
  canEdit: z.boolean(),
  /** Shared with the resident: shown on the portal's tracking page, and the requester is told. */
  isPublic: z.boolean(),
  /** When it was shared (the date the resident sees); null while internal. */
  publishedAt: ZTimestamp.nullable(),
});
export type CaseNote = z.infer<typeof ZCaseNote>;

/** A new note; `isPublic` shares it with the resident at once (never on a sensitive case). */
export const ZCreateCaseNote = z.strictObject({ body: ZNoteBody, isPublic: z.boolean().default(false) });
export type CreateCaseNote = z.input<typeof ZCreateCaseNote>;

/** An edit of a note's text (an internal note's only: a shared note's text is what the resident read). */
export const ZEditCaseNote = z.strictObject({ body: ZNoteBody });
export type EditCaseNote = z.input<typeof ZEditCaseNote>;

/** Shares a note with the resident, or withdraws it (an audited event; the resident is told only of sharing). */
export const ZShareCaseNote = z.strictObject({ isPublic: z.boolean() });
export type ShareCaseNote = z.infer<typeof ZShareCaseNote>;

export const ZCaseItemsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** Staff who may be mentioned on (or assigned a task of) a case. */
export const ZCaseStaff = z.object({ id: ZUuid, displayName: z.string(), canWork: z.boolean() });
export type CaseStaff = z.infer<typeof ZCaseStaff>;
