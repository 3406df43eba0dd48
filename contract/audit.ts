import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const ZAuditEvent = z.object({
  id: z.number().int(),
  occurredAt: ZTimestamp,
  actorType: z.enum(['user', 'token', 'system', 'resident']),
  actorId: ZUuid.nullable(),
  actorLabel: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof ZAuditEvent>;

export const ZAuditQuery = z.object({
  entityType: z.string().max(60).optional(),
  entityId: z.string().max(100).optional(),
  actorId: ZUuid.optional(),
  action: z.string().max(60).optional(),
  from: ZTimestamp.optional(),
  to: ZTimestamp.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type AuditQuery = z.infer<typeof ZAuditQuery>;
