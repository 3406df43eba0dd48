// HTTP: the insights figures as JSON and as CSV. Reading them needs insights.read.
import type { FastifyReply } from 'fastify';
import { ZBacklog, ZBacklogQuery, ZPerformance, ZPerformanceQuery, ZVolumeQuery, ZVolumes, ZWardMap, ZWardMapQuery, ZWorkload, ZWorkloadQuery } from '../../../contract/insights.js';
import type { App } from '../../platform/http/types.js';
import { backlogCsv, performanceCsv, volumesCsv, workloadCsv } from './insights.csv.js';
import * as service from './insights.service.js';

const tags = ['insights'];
const config = { permission: 'insights.read' } as const;

function sendCsv(reply: FastifyReply, name: string, body: string) {
  const stamp = new Date().toISOString().slice(0, 10);
  reply.header('content-disposition', `attachment; filename="insights-${name}-${stamp}.csv"`);
  reply.header('cache-control', 'no-store');
  reply.type('text/csv; charset=utf-8');
  return reply.send(body);
}

export function insightsRoutes(app: App): void {
  app.get('/api/v1/insights/performance', {
    schema: { tags, summary: 'Service performance for a date range (first response, resolution, SLA, reopens, satisfaction, automation) by a breakdown, with the previous period', querystring: ZPerformanceQuery, response: { 200: ZPerformance } },
    config,
  }, async (req) => service.performance(req.scope, req.query));

  app.get('/api/v1/insights/performance.csv', {
    schema: { tags, summary: 'Service performance as CSV (one row per breakdown row, period and figure)', querystring: ZPerformanceQuery },
    config,
  }, async (req, reply) => sendCsv(reply, 'performance', performanceCsv(await service.performance(req.scope, req.query))));

  app.get('/api/v1/insights/volumes', {
    schema: { tags, summary: 'Inbound items and cases over time (day, week, month) by channel, category or ward; new and returning requesters; top categories', querystring: ZVolumeQuery, response: { 200: ZVolumes } },
    config,
  }, async (req) => service.volumes(req.scope, req.query));

  app.get('/api/v1/insights/volumes.csv', {
    schema: { tags, summary: 'Volumes as CSV (one row per series, period and figure)', querystring: ZVolumeQuery },
    config,
  }, async (req, reply) => sendCsv(reply, 'volumes', volumesCsv(await service.volumes(req.scope, req.query))));

  app.get('/api/v1/insights/backlog', {
    schema: { tags, summary: 'Open cases now by age bucket, and overdue ones, by a breakdown', querystring: ZBacklogQuery, response: { 200: ZBacklog } },
    config,
  }, async (req) => service.backlog(req.scope, req.query));

  app.get('/api/v1/insights/backlog.csv', {
    schema: { tags, summary: 'Backlog as CSV (one row per breakdown row and figure)', querystring: ZBacklogQuery },
    config,
  }, async (req, reply) => sendCsv(reply, 'backlog', backlogCsv(await service.backlog(req.scope, req.query))));

  app.get('/api/v1/insights/workload', {
    schema: { tags, summary: 'Open and overdue cases per person and team, and cases resolved and items handled per working day in a range', querystring: ZWorkloadQuery, response: { 200: ZWorkload } },
    config,
  }, async (req) => service.workload(req.scope, req.query));

  app.get('/api/v1/insights/workload.csv', {
    schema: { tags, summary: 'Workload as CSV (one row per person or team and figure)', querystring: ZWorkloadQuery },
    config,
  }, async (req, reply) => sendCsv(reply, 'workload', workloadCsv(await service.workload(req.scope, req.query))));

  app.get('/api/v1/insights/map/wards', {
    schema: { tags, summary: "A boundary layer as GeoJSON with a measure per ward (the choropleth)", querystring: ZWardMapQuery, response: { 200: ZWardMap } },
    config,
  }, async (req) => service.wardMap(req.scope, req.query));
}
