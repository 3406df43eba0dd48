import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const ZFailedJob = z.object({
  id: ZUuid,
  queue: z.string(),
  state: z.string(),
  retryCount: z.number().int(),
  createdAt: ZTimestamp,
  completedAt: ZTimestamp.nullable(),
  error: z.string().nullable(),
  data: z.unknown(),
});
export type FailedJob = z.infer<typeof ZFailedJob>;

export const ZQueueStats = z.object({
  queue: z.string(),
  created: z.number().int(),
  active: z.number().int(),
  failed: z.number().int(),
  completed: z.number().int(),
});
