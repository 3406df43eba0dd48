import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const ZTeamMember = z.object({ userId: ZUuid, displayName: z.string(), isManager: z.boolean() });

export const ZTeam = z.object({
  id: ZUuid,
  name: z.string(),
  description: z.string(),
  members: z.array(ZTeamMember),
  createdAt: ZTimestamp,
});
export type Team = z.infer<typeof ZTeam>;

export const ZCreateTeam = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000).default(''),
});
export type CreateTeam = z.input<typeof ZCreateTeam>;

export const ZUpdateTeam = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  description: z.string().trim().max(2000).optional(),
});
export type UpdateTeam = z.infer<typeof ZUpdateTeam>;

export const ZSetMembers = z.strictObject({
  members: z.array(z.strictObject({ userId: ZUuid, isManager: z.boolean().default(false) })).max(500),
});
export type SetMembers = z.input<typeof ZSetMembers>;
