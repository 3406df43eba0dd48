// HTTP: the office calendar's holidays and the SLA policies. Everyone in the office may read
// them (the case page explains its SLA clock); changing them needs sla.configure.
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import {
  ZCreateHoliday, ZCreateSlaPolicy, ZHoliday, ZHolidayChange, ZHolidayListQuery, ZHolidayParams, ZImportHolidays, ZImportHolidaysResult, ZSlaPolicy,
  ZSlaPolicyChange, ZUpdateSlaPolicy,
} from '../../../contract/sla.js';
import type { App } from '../../platform/http/types.js';
import { registerSlaCaseHook } from './sla.case-hook.js';
import * as service from './sla.service.js';

const tags = ['sla'];

export function slaRoutes(app: App): void {
  const jobs = () => app.civitas.jobs;
  // Case changes made through this app keep their SLA state in step.
  registerSlaCaseHook(jobs);

  app.get('/api/v1/sla/holidays', {
    schema: { tags, summary: "The office's holidays (days without business hours), by date", querystring: ZHolidayListQuery, response: { 200: z.object({ items: z.array(ZHoliday) }) } },
    config: { permission: 'office.read' },
  }, async (req) => ({ items: await service.listHolidays(req.scope, req.query) }));

  app.post('/api/v1/sla/holidays', {
    schema: { tags, summary: 'Add a holiday (409 if the date already is one)', body: ZCreateHoliday, response: { 201: ZHolidayChange } },
    config: { permission: 'sla.configure' },
  }, async (req, reply) => reply.code(201).send(await service.addHoliday(req.scope, jobs(), req.body)));

  app.post('/api/v1/sla/holidays/import', {
    schema: { tags, summary: "Import a list of holidays (a year's public holidays); replaceYears makes it replace the holidays of those years", body: ZImportHolidays, response: { 200: ZImportHolidaysResult } },
    config: { permission: 'sla.configure' },
  }, async (req) => service.importHolidays(req.scope, jobs(), req.body));

  app.delete('/api/v1/sla/holidays/:date', {
    schema: { tags, summary: 'Remove a holiday', params: ZHolidayParams, response: { 200: ZHolidayChange } },
    config: { permission: 'sla.configure' },
  }, async (req) => service.removeHoliday(req.scope, jobs(), req.params.date));

  app.get('/api/v1/sla/policies', {
    schema: { tags, summary: 'SLA policies: targets per category (null: office default) and priority', response: { 200: z.object({ items: z.array(ZSlaPolicy) }) } },
    config: { permission: 'office.read' },
  }, async (req) => ({ items: await service.listPolicies(req.scope) }));

  app.post('/api/v1/sla/policies', {
    schema: { tags, summary: 'Create an SLA policy (409 if the category and priority already have one)', body: ZCreateSlaPolicy, response: { 201: ZSlaPolicyChange } },
    config: { permission: 'sla.configure' },
  }, async (req, reply) => reply.code(201).send(await service.createPolicy(req.scope, jobs(), req.body)));

  app.patch('/api/v1/sla/policies/:id', {
    schema: { tags, summary: "Change an SLA policy's targets, clock, pausing or warning", params: ZIdParams, body: ZUpdateSlaPolicy, response: { 200: ZSlaPolicyChange } },
    config: { permission: 'sla.configure' },
  }, async (req) => service.updatePolicy(req.scope, jobs(), req.params.id, req.body));

  app.delete('/api/v1/sla/policies/:id', {
    schema: { tags, summary: 'Delete an SLA policy (its cases fall back to the parent category or office default)', params: ZIdParams, response: { 200: ZSlaPolicyChange } },
    config: { permission: 'sla.configure' },
  }, async (req) => service.removePolicy(req.scope, jobs(), req.params.id));
}
