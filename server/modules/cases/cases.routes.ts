// HTTP: cases (list, CSV export, bulk actions, create, case page, edit, status, assignment,
// people, watchers, timeline).
import { ZIdParams, ZPage } from '../../../contract/common.js';
import {
  ZAssignCase, ZBulkCaseAction, ZBulkCaseResult, ZCase, ZCaseExportQuery, ZCaseListQuery, ZCaseSummary, ZCaseTimelineEntry, ZCaseTimelineQuery, ZChangeStatus, ZCreateCase,
  ZSetCaseConstituents, ZSetWatchers, ZUpdateCase,
} from '../../../contract/cases.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { can, type Principal } from '../../platform/rbac.js';
import * as activity from './cases.activity.js';
import * as bulk from './cases.bulk.js';
import { exportCsv } from './cases.export.js';
import * as search from './cases.search.js';
import * as service from './cases.service.js';

const tags = ['cases'];

/** What the services need to know about the caller beyond the office scope. */
export const viewerOf = (p: Principal): service.Viewer => ({ userId: p.userId, canSeeSensitive: can(p, 'case.sensitive') });

export function casesRoutes(app: App): void {
  app.get('/api/v1/cases', {
    schema: { tags, summary: 'List cases with filters (status, category and below, assignee or mine, team, ward, priority, channel, dates, reference or subject), sorted, keyset-paged', querystring: ZCaseListQuery, response: { 200: ZPage(ZCaseSummary) } },
    config: { permission: 'case.read' },
  }, async (req) => search.list(req.scope, viewerOf(req.principal!), req.query));

  app.get('/api/v1/cases/export.csv', {
    schema: { tags, summary: 'Export the cases the list finds as CSV (same filters and sort; needs case.read too; each sensitive case exported is logged as read)', querystring: ZCaseExportQuery },
    config: { permission: 'case.export' },
  }, async (req, reply) => {
    if (!can(req.principal!, 'case.read')) throw new DomainError('forbidden', { message: 'You need the "case.read" permission to export cases' });
    const file = await exportCsv(req.scope, viewerOf(req.principal!), req.query);
    reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
    reply.header('cache-control', 'no-store');
    reply.type('text/csv; charset=utf-8');
    return reply.send(file.stream);
  });

  app.post('/api/v1/cases/bulk', {
    schema: { tags, summary: 'Assign, change the status of, or tag up to 500 cases; each is checked and changed on its own, and the answer says per case whether it changed or why not', body: ZBulkCaseAction, response: { 200: ZBulkCaseResult } },
    config: { permission: 'case.write' },
  }, async (req) => {
    if (req.body.action === 'assign' && !can(req.principal!, 'case.assign')) throw new DomainError('forbidden', { field: 'action', message: 'You need the "case.assign" permission to assign cases' });
    return bulk.run(req.scope, viewerOf(req.principal!), req.body);
  });

  app.post('/api/v1/cases', {
    schema: { tags, summary: 'Open a case (reference C-YYYY-NNNNN is given by the office); assigning on creation needs case.assign', body: ZCreateCase, response: { 201: ZCase } },
    config: { permission: 'case.write' },
  }, async (req, reply) => {
    if ((req.body.assigneeId || req.body.teamId) && !can(req.principal!, 'case.assign')) {
      throw new DomainError('forbidden', { field: req.body.assigneeId ? 'assigneeId' : 'teamId', message: 'You need the "case.assign" permission to assign a case' });
    }
    return reply.code(201).send(await service.create(req.scope, viewerOf(req.principal!), req.body));
  });

  app.get('/api/v1/cases/:id', {
    schema: { tags, summary: 'The case page: header, people, watchers and the statuses it can move to (reads of sensitive cases are logged)', params: ZIdParams, response: { 200: ZCase } },
    config: { permission: 'case.read' },
  }, async (req) => service.get(req.scope, viewerOf(req.principal!), req.params.id));

  app.patch('/api/v1/cases/:id', {
    schema: { tags, summary: 'Edit a case (changing the sensitive flag needs case.sensitive)', params: ZIdParams, body: ZUpdateCase, response: { 200: ZCase } },
    config: { permission: 'case.write' },
  }, async (req) => service.update(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.post('/api/v1/cases/:id/status', {
    schema: { tags, summary: "Move a case to another status, as the office's workflow allows (resolving needs a resolution code and summary)", params: ZIdParams, body: ZChangeStatus, response: { 200: ZCase } },
    config: { permission: 'case.write' },
  }, async (req) => service.changeStatus(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.post('/api/v1/cases/:id/assign', {
    schema: { tags, summary: 'Assign a case to a team and/or a member of it who can work cases (null clears)', params: ZIdParams, body: ZAssignCase, response: { 200: ZCase } },
    config: { permission: 'case.assign' },
  }, async (req) => service.assign(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.put('/api/v1/cases/:id/constituents', {
    schema: { tags, summary: 'Replace the people on a case and their roles (requester, affected, representative)', params: ZIdParams, body: ZSetCaseConstituents, response: { 200: ZCase } },
    config: { permission: 'case.write' },
  }, async (req) => service.setConstituents(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.put('/api/v1/cases/:id/watchers', {
    schema: { tags, summary: 'Replace the staff watching a case', params: ZIdParams, body: ZSetWatchers, response: { 200: ZCase } },
    config: { permission: 'case.write' },
  }, async (req) => service.setWatchers(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.get('/api/v1/cases/:id/timeline', {
    schema: { tags, summary: "The case's history, newest first, built from its audit events", params: ZIdParams, querystring: ZCaseTimelineQuery, response: { 200: ZPage(ZCaseTimelineEntry) } },
    config: { permission: 'case.read' },
  }, async (req) => activity.timeline(req.scope, viewerOf(req.principal!), req.params.id, req.query));
}
