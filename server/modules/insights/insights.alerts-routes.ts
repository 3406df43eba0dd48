// HTTP for emerging issues: the alerts (list, one with its cases, CSV), acknowledging and
// undoing it, "scan now", and the detector's settings. Reading needs insights.read; changing
// needs insights.manage.
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import {
  ALERT_STATUSES, ZAcknowledgeAlert, ZAlertListQuery, ZAlertScanResult, ZAlertSettings, ZInsightAlert, ZInsightAlertDetail, ZUpdateAlertSettings,
} from '../../../contract/insights.js';
import type { App } from '../../platform/http/types.js';
import { can, type Principal } from '../../platform/rbac.js';
import { alertsCsv } from './insights.alerts-csv.js';
import * as service from './insights.alerts.js';

const tags = ['insights'];
const viewerOf = (p: Principal): service.AlertViewer => ({ canSeeSensitive: can(p, 'case.sensitive') });

export function insightAlertRoutes(app: App): void {
  app.get('/api/v1/insights/alerts', {
    schema: { tags, summary: 'Emerging-issue alerts, newest first (open by default), keyset-paged', querystring: ZAlertListQuery, response: { 200: z.object({ items: z.array(ZInsightAlert), nextCursor: z.string().nullable() }) } },
    config: { permission: 'insights.read' },
  }, async (req) => service.list(req.scope, viewerOf(req.principal!), req.query));

  app.get('/api/v1/insights/alerts.csv', {
    schema: { tags, summary: 'The alerts as CSV', querystring: z.strictObject({ status: z.enum([...ALERT_STATUSES, 'all']).default('all') }) },
    config: { permission: 'insights.read' },
  }, async (req, reply) => {
    const file = await alertsCsv(req.scope, viewerOf(req.principal!), req.query.status);
    reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
    reply.header('cache-control', 'no-store');
    reply.type('text/csv; charset=utf-8');
    return reply.send(file.body);
  });

  app.post('/api/v1/insights/alerts/scan', {
    schema: { tags, summary: "Run the detector for this office now; returns the alerts it raised and updated", response: { 200: ZAlertScanResult } },
    config: { permission: 'insights.manage' },
  }, async (req) => service.scanOffice(req.scope, new Date(), viewerOf(req.principal!)));

  app.get('/api/v1/insights/alerts/:id', {
    schema: { tags, summary: "An alert with its cluster's cases (sensitive cases listed only with case.sensitive; they are always counted)", params: ZIdParams, response: { 200: ZInsightAlertDetail } },
    config: { permission: 'insights.read' },
  }, async (req) => service.get(req.scope, viewerOf(req.principal!), req.params.id));

  app.post('/api/v1/insights/alerts/:id/acknowledge', {
    schema: { tags, summary: 'Acknowledge an open alert: the same cluster will not raise again, a further rise will', params: ZIdParams, body: ZAcknowledgeAlert, response: { 200: ZInsightAlert } },
    config: { permission: 'insights.manage' },
  }, async (req) => service.acknowledge(req.scope, viewerOf(req.principal!), req.params.id, req.body.note));

  app.post('/api/v1/insights/alerts/:id/reopen', {
    schema: { tags, summary: 'Undo an acknowledgement (409 while a newer alert of the same category and ward is open)', params: ZIdParams, response: { 200: ZInsightAlert } },
    config: { permission: 'insights.manage' },
  }, async (req) => service.reopen(req.scope, viewerOf(req.principal!), req.params.id));

  app.get('/api/v1/insights/alert-settings', {
    schema: { tags, summary: "The emerging-issue detector's settings", response: { 200: ZAlertSettings } },
    config: { permission: 'insights.read' },
  }, async (req) => service.settings(req.scope));

  app.put('/api/v1/insights/alert-settings', {
    schema: { tags, summary: "Change the detector's settings (any of them)", body: ZUpdateAlertSettings, response: { 200: ZAlertSettings } },
    config: { permission: 'insights.manage' },
  }, async (req) => service.updateSettings(req.scope, req.body));
}
