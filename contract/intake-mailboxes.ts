// Office mailboxes read over IMAP: where to connect, how (implicit TLS, STARTTLS, or cleartext
// to this machine only), which folder, and what to do with a message once it is stored. The
// password is write-only: it is never returned. The status says how reading went.
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const IMAP_TLS_MODES = ['tls', 'starttls', 'none'] as const;
export const IMAP_AFTER_STORE = ['leave', 'seen', 'move'] as const;

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$|^[0-9a-f:]{2,39}$/i;
// A folder name as the server spells it (hierarchy delimiters included), no control characters.
const ZFolder = z.string().trim().min(1).max(500).regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

export const ZImapMailbox = z.object({
  id: ZUuid,
  /** The address mail in this mailbox was sent to (the recipient of its items). */
  address: z.string(),
  host: z.string(),
  port: z.number().int(),
  tls: z.enum(IMAP_TLS_MODES),
  username: z.string(),
  /** Whether a password is stored (it is never shown). */
  hasPassword: z.boolean(),
  mailbox: z.string(),
  afterStore: z.enum(IMAP_AFTER_STORE),
  moveTo: z.string().nullable(),
  enabled: z.boolean(),
  status: z.object({
    uidValidity: z.string().nullable(),
    /** The highest UID stored; reading continues above it. */
    lastUid: z.number().int(),
    lastPollAt: ZTimestamp.nullable(),
    lastSuccessAt: ZTimestamp.nullable(),
    /** Why the last poll failed (connection, sign-in, folder), until a poll succeeds. */
    lastError: z.string().nullable(),
    lastErrorAt: ZTimestamp.nullable(),
    /** Messages stored by the last successful poll, and messages still waiting after it. */
    lastStored: z.number().int(),
    backlog: z.number().int(),
  }),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type ImapMailbox = z.infer<typeof ZImapMailbox>;

const fields = {
  address: z.email('must be an email address').max(254),
  host: z.string().trim().min(1).max(253).regex(HOST, 'must be a host name or an IP address'),
  port: z.number().int().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'),
  tls: z.enum(IMAP_TLS_MODES),
  username: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
  mailbox: ZFolder,
  afterStore: z.enum(IMAP_AFTER_STORE),
  moveTo: ZFolder.nullable(),
  enabled: z.boolean(),
};

export const ZCreateImapMailbox = z.strictObject({
  ...fields,
  port: fields.port.optional(),
  tls: fields.tls.default('tls'),
  mailbox: fields.mailbox.default('INBOX'),
  afterStore: fields.afterStore.default('leave'),
  moveTo: fields.moveTo.optional(),
  enabled: fields.enabled.default(true),
});
export type CreateImapMailbox = z.input<typeof ZCreateImapMailbox>;

/** Any fields; a password left out keeps the stored one. */
export const ZUpdateImapMailbox = z.strictObject(fields).partial();
export type UpdateImapMailbox = z.input<typeof ZUpdateImapMailbox>;

export const ZImapTestResult = z.object({
  ok: z.boolean(),
  /** What went wrong, in words an admin can act on. */
  error: z.string().nullable(),
  /** The folder's message count and UIDVALIDITY when the connection worked. */
  messages: z.number().int().nullable(),
  uidValidity: z.string().nullable(),
});
export type ImapTestResult = z.infer<typeof ZImapTestResult>;
