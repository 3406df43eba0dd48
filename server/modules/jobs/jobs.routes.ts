// HTTP: background job health and the dead-letter view.
import { z } from 'zod';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import { ZFailedJob, ZQueueStats } from '../../../contract/jobs.js';
import { ZPageQuery } from '../../platform/http/pagination.js';
import type { App } from '../../platform/http/types.js';
import * as service from './jobs.service.js';

export function jobsRoutes(app: App): void {
  app.get('/api/v1/jobs/queues', {
    schema: { tags: ['jobs'], summary: 'Job counts per queue for this office', response: { 200: z.object({ items: z.array(ZQueueStats) }) } },
    config: { permission: 'jobs.read' },
  }, async (req) => ({ items: await service.queueStats(req.scope) }));

  app.get('/api/v1/jobs/failed', {
    schema: { tags: ['jobs'], summary: 'Jobs that failed after all retries (dead letters)', querystring: ZPageQuery, response: { 200: ZPage(ZFailedJob) } },
    config: { permission: 'jobs.read' },
  }, async (req) => service.listFailed(req.scope, req.query));

  app.post('/api/v1/jobs/failed/:id/retry', {
    schema: { tags: ['jobs'], summary: 'Queue a failed job again', params: ZIdParams },
    config: { permission: 'jobs.manage' },
  }, async (req, reply) => {
    await service.retry(req.scope, app.civitas.jobs, req.params.id);
    return reply.code(202).send();
  });
}
