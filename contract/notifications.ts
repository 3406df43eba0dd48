// Notifications for the signed-in staff member (SLA warnings and escalations, ...).
import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

export const ZNotification = z.object({
  id: ZUuid,
  kind: z.string(),
  caseId: ZUuid.nullable(),
  body: z.string(),
  createdAt: ZTimestamp,
  readAt: ZTimestamp.nullable(),
});
export type Notification = z.infer<typeof ZNotification>;

export const ZNotificationListQuery = z.object({
  unread: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type NotificationListQuery = z.infer<typeof ZNotificationListQuery>;

export const ZNotificationList = z.object({
  items: z.array(ZNotification),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});

export const ZMarkedRead = z.object({ marked: z.number().int() });
