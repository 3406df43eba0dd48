// HTTP: the office's audit log.
import { ZAuditEvent, ZAuditQuery } from '../../../contract/audit.js';
import { ZPage } from '../../../contract/common.js';
import type { App } from '../../platform/http/types.js';
import * as service from './audit.service.js';

export function auditRoutes(app: App): void {
  app.get('/api/v1/audit', {
    schema: { tags: ['audit'], summary: 'Audit events, newest first', querystring: ZAuditQuery, response: { 200: ZPage(ZAuditEvent) } },
    config: { permission: 'audit.read' },
  }, async (req) => service.list(req.scope, req.query));
}
