// HTTP: the signed-in staff member's notifications. Anyone signed in may read and mark
// their own; nobody reads another's (the user comes from the credentials, never the URL).
import { ZIdParams } from '../../../contract/common.js';
import { ZMarkedRead, ZNotification, ZNotificationList, ZNotificationListQuery } from '../../../contract/notifications.js';
import type { App } from '../../platform/http/types.js';
import * as service from './notifications.service.js';

const tags = ['notifications'];

export function notificationsRoutes(app: App): void {
  app.get('/api/v1/notifications', {
    schema: { tags, summary: 'My notifications, newest first, with the number unread', querystring: ZNotificationListQuery, response: { 200: ZNotificationList } },
    config: { permission: 'authenticated' },
  }, async (req) => service.listMine(req.scope, req.principal!.userId, req.query));

  app.post('/api/v1/notifications/:id/read', {
    schema: { tags, summary: 'Mark one of my notifications read', params: ZIdParams, response: { 200: ZNotification } },
    config: { permission: 'authenticated' },
  }, async (req) => service.markRead(req.scope, req.principal!.userId, req.params.id));

  app.post('/api/v1/notifications/read-all', {
    schema: { tags, summary: 'Mark all my notifications read', response: { 200: ZMarkedRead } },
    config: { permission: 'authenticated' },
  }, async (req) => service.markAllRead(req.scope, req.principal!.userId));
}
