import { z } from 'zod';
import { ZRole } from './auth.js';
import { ZTimestamp, ZUuid } from './common.js';

export const ZEmail = z.string().trim().max(320).pipe(z.email('must be a valid email address')).transform((e) => e.toLowerCase());

export const ZUser = z.object({
  id: ZUuid,
  email: z.string(),
  displayName: z.string(),
  role: ZRole,
  status: z.enum(['active', 'disabled']),
  mfaEnabled: z.boolean(),
  lastLoginAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
  teamIds: z.array(ZUuid),
});
export type User = z.infer<typeof ZUser>;

export const ZCreateUser = z.strictObject({
  email: ZEmail,
  displayName: z.string().trim().min(1).max(200),
  role: ZRole,
  /** Omitted: a strong password is generated and returned once. */
  password: z.string().min(12, 'must be at least 12 characters').max(1024).optional(),
});
export type CreateUser = z.input<typeof ZCreateUser>;

export const ZCreatedUser = z.object({ user: ZUser, generatedPassword: z.string().nullable() });

export const ZUpdateUser = z.strictObject({
  displayName: z.string().trim().min(1).max(200).optional(),
  role: ZRole.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
export type UpdateUser = z.infer<typeof ZUpdateUser>;

export const ZUserListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  role: ZRole.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type UserListQuery = z.infer<typeof ZUserListQuery>;

export const ZResetPasswordResult = z.object({ generatedPassword: z.string() });
