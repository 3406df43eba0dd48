// The SMS channel's settings: an office's provider account (Twilio or a Twilio-compatible
// API), its number (written any way; stored E.164 using the office's default region), and the
// text answered to HELP. The auth token is write-only: it is never returned.
import { z } from 'zod';
import { ZTimestamp } from './common.js';

export const SMS_PROVIDERS = ['twilio'] as const;

export const ZSmsSettings = z.object({
  provider: z.enum(SMS_PROVIDERS),
  accountSid: z.string(),
  /** Whether an auth token is stored (it is never shown). */
  hasAuthToken: z.boolean(),
  fromNumber: z.string(),
  helpText: z.string(),
  enabled: z.boolean(),
  /** The URLs to give the provider: incoming messages, and delivery status callbacks. */
  webhookUrl: z.string(),
  statusCallbackUrl: z.string(),
  updatedAt: ZTimestamp,
});
export type SmsSettings = z.infer<typeof ZSmsSettings>;

export const ZPutSmsSettings = z.strictObject({
  provider: z.enum(SMS_PROVIDERS).default('twilio'),
  accountSid: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, 'must be an account SID: AC followed by 32 hexadecimal digits'),
  /** Required the first time; left out, the stored token is kept. */
  authToken: z.string().trim().min(16, 'must be at least 16 characters').max(200).optional(),
  fromNumber: z.string().trim().min(3).max(40),
  helpText: z.string().trim().min(1).max(1600),
  enabled: z.boolean().default(true),
});
export type PutSmsSettings = z.input<typeof ZPutSmsSettings>;

export const ZSmsOfficeParams = z.object({ office: z.uuid() });
