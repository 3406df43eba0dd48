// HTTP: staff quick capture (a call, voicemail, walk-in, event or social contact logged in one
// step) and the generic webhook other tools post messages to with an API token.
import { ZCapture, ZCaptureResult, ZWebhookMessage, ZWebhookResult } from '../../../contract/web-intake.js';
import type { App } from '../../platform/http/types.js';
import { can } from '../../platform/rbac.js';
import { viewerOf } from '../cases/cases.routes.js';
import { capture, receiveWebhook } from './intake.capture.js';
import { registerIntakeReaders } from './intake.jobs.js';

const tags = ['inbox'];

export function intakeCaptureRoutes(app: App): void {
  registerIntakeReaders();
  const jobs = () => app.civitas.jobs;

  app.post('/api/v1/intake/capture', {
    schema: {
      tags, body: ZCapture, response: { 200: ZCaptureResult, 201: ZCaptureResult },
      summary: 'Log a contact (phone, voicemail, walk-in, event, social) on a case or as a new case, with an optional follow-up task; 200 with the first result for a resubmit with the same clientToken',
    },
    config: { permission: 'inbox.work' },
    bodyLimit: 128 * 1024,
  }, async (req, reply) => {
    const p = req.principal!;
    const r = await capture(req.scope, viewerOf(p), { canCreatePerson: can(p, 'constituent.write'), canCreateTask: can(p, 'case.write') }, jobs(), req.body);
    return reply.code(r.duplicate ? 200 : 201).send(r);
  });

  app.post('/api/v1/intake/webhook', {
    schema: {
      tags, body: ZWebhookMessage, response: { 202: ZWebhookResult },
      summary: "A message from another tool (a social-media bridge): stored at once (channel 'social' for social networks' sources, else 'webhook') and processed like an email; a redelivery with the same source and externalId is stored once",
    },
    config: { permission: 'intake.submit' },
    bodyLimit: 256 * 1024,
  }, async (req, reply) => reply.code(202).send(await receiveWebhook(req.scope, jobs(), req.body)));
}
