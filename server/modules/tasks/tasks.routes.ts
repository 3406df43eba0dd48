// HTTP: follow-up tasks on a case, and the signed-in user's own tasks.
import { z } from 'zod';
import { ZCreateTask, ZMyTasksQuery, ZTask, ZTaskParams, ZUpdateTask } from '../../../contract/case-work.js';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import type { App } from '../../platform/http/types.js';
import { viewerOf } from '../cases/cases.routes.js';
import * as service from './tasks.service.js';
import { onCaseMerge } from '../cases/cases.merge-hooks.js';
import * as repo from './tasks.repo.js';

const tags = ['tasks'];

export function tasksRoutes(app: App): void {
  // A merged case's tasks go to the case it was merged into.
  onCaseMerge('tasks', (trx, scope, merge) => repo.moveToCase(trx, scope.officeId, merge.fromCaseId, merge.intoCaseId).then(() => undefined));
  app.get('/api/v1/tasks', {
    schema: { tags, summary: 'My tasks (assignee=me), optionally only open or done ones, by due date (undated last), keyset-paged', querystring: ZMyTasksQuery, response: { 200: ZPage(ZTask) } },
    config: { permission: 'case.read' },
  }, async (req) => service.listMine(req.scope, viewerOf(req.principal!), req.query));

  app.get('/api/v1/cases/:id/tasks', {
    schema: { tags, summary: "A case's tasks: open first, by due date", params: ZIdParams, response: { 200: ZPage(ZTask) } },
    config: { permission: 'case.read' },
  }, async (req) => service.listForCase(req.scope, viewerOf(req.principal!), req.params.id));

  app.post('/api/v1/cases/:id/tasks', {
    schema: { tags, summary: 'Add a task to a case (the assignee must be staff who may work the case)', params: ZIdParams, body: ZCreateTask, response: { 201: ZTask } },
    config: { permission: 'case.write' },
  }, async (req, reply) => reply.code(201).send(await service.create(req.scope, viewerOf(req.principal!), req.params.id, req.body)));

  app.patch('/api/v1/cases/:id/tasks/:taskId', {
    schema: { tags, summary: 'Edit, complete (status done), reopen or reassign a task', params: ZTaskParams, body: ZUpdateTask, response: { 200: ZTask } },
    config: { permission: 'case.write' },
  }, async (req) => service.update(req.scope, viewerOf(req.principal!), req.params.id, req.params.taskId, req.body));

  app.delete('/api/v1/cases/:id/tasks/:taskId', {
    schema: { tags, summary: 'Delete a task (kept in the audit log)', params: ZTaskParams, response: { 204: z.null() } },
    config: { permission: 'case.write' },
  }, async (req, reply) => {
    await service.remove(req.scope, viewerOf(req.principal!), req.params.id, req.params.taskId);
    return reply.code(204).send(null);
  });
}
