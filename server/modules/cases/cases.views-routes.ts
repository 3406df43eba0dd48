// HTTP: saved views of the case list (own views and views shared with the caller's teams).
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import { ZCaseView, ZCreateCaseView, ZUpdateCaseView } from '../../../contract/cases.js';
import type { App } from '../../platform/http/types.js';
import { can, type Principal } from '../../platform/rbac.js';
import * as views from './cases.views.js';

const tags = ['cases'];

const editorOf = (p: Principal): views.ViewEditor => ({ userId: p.userId, managesTeams: can(p, 'team.manage') });

export function caseViewsRoutes(app: App): void {
  app.get('/api/v1/case-views', {
    schema: { tags, summary: "Saved views of the case list: the caller's own, then those shared with their teams", response: { 200: z.object({ items: z.array(ZCaseView) }) } },
    config: { permission: 'case.read' },
  }, async (req) => ({ items: await views.list(req.scope, editorOf(req.principal!)) }));

  app.post('/api/v1/case-views', {
    schema: { tags, summary: 'Save a filter set of the case list, for yourself or shared with one of your teams', body: ZCreateCaseView, response: { 201: ZCaseView } },
    config: { permission: 'case.read' },
  }, async (req, reply) => reply.code(201).send(await views.create(req.scope, editorOf(req.principal!), req.body)));

  app.patch('/api/v1/case-views/:id', {
    schema: { tags, summary: "Rename a saved view, change its filters or whom it is shared with (its owner; for shared views also the team's managers, managers and admins)", params: ZIdParams, body: ZUpdateCaseView, response: { 200: ZCaseView } },
    config: { permission: 'case.read' },
  }, async (req) => views.update(req.scope, editorOf(req.principal!), req.params.id, req.body));

  app.delete('/api/v1/case-views/:id', {
    schema: { tags, summary: 'Delete a saved view (same rule as editing it)', params: ZIdParams },
    config: { permission: 'case.read' },
  }, async (req, reply) => {
    await views.remove(req.scope, editorOf(req.principal!), req.params.id);
    return reply.code(204).send();
  });
}
