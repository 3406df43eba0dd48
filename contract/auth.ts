import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const ROLES = ['admin', 'manager', 'caseworker', 'volunteer', 'analyst'] as const;
export const ZRole = z.enum(ROLES);
export type Role = z.infer<typeof ZRole>;

export const PERMISSIONS = [
  'office.read',
  'office.update',
  'user.read',
  'user.manage',
  'team.read',
  'team.manage',
  'token.manage',
  'audit.read',
  'jobs.read',
  'jobs.manage',
  'constituent.read',
  'constituent.write',
  'constituent.merge',
  'constituent.import',
  'constituent.export',
  'registry.configure',
  'geo.read',
  'geo.manage',
  'case.read',
  'case.write',
  'case.assign',
  'case.sensitive',
  'case.export',
  'casework.configure',
  'sla.configure',
  'templates.draft',
  'templates.manage',
  'templates.approve',
  'inbox.read',
  'inbox.work',
  'intake.submit',
  'intake.configure',
  'sms.configure',
  'triage.configure',
  'insights.read',
  'insights.manage',
] as const;
export const ZPermission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof ZPermission>;

export const ZLoginRequest = z.strictObject({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});

export const ZSessionInfo = z.object({
  user: z.object({ id: ZUuid, email: z.string(), displayName: z.string(), role: ZRole }),
  office: z.object({ id: ZUuid, slug: z.string(), name: z.string(), timeZone: z.string(), locale: z.string() }),
  permissions: z.array(ZPermission),
  csrfToken: z.string().nullable(),
  expiresAt: ZTimestamp.nullable(),
  /**
   * Background tiles for the staff app's maps (MAP_TILE_URL, an http(s) template with {z},
   * {x} and {y}) and the credit they require; null: maps draw their GeoJSON on a plain background.
   */
  map: z.object({ tileUrl: z.string().nullable(), tileAttribution: z.string().nullable() }),
});
export type SessionInfo = z.infer<typeof ZSessionInfo>;

export const ZChangePassword = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(12, 'must be at least 12 characters').max(1024),
});
