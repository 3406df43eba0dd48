import { z } from 'zod';
import { ZPermission } from './auth.js';
import { ZTimestamp, ZUuid } from './common.js';

export const ZApiToken = z.object({
  id: ZUuid,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  userId: ZUuid,
  userDisplayName: z.string(),
  createdAt: ZTimestamp,
  expiresAt: ZTimestamp.nullable(),
  lastUsedAt: ZTimestamp.nullable(),
  revokedAt: ZTimestamp.nullable(),
});
export type ApiToken = z.infer<typeof ZApiToken>;

export const ZCreateToken = z.strictObject({
  name: z.string().trim().min(1).max(120),
  scopes: z.array(ZPermission).min(1).max(50),
  /** Days until it expires; omitted means it never expires. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateToken = z.infer<typeof ZCreateToken>;

/** The secret appears in this response only; only its hash is stored. */
export const ZCreatedToken = z.object({ token: ZApiToken, secret: z.string() });
