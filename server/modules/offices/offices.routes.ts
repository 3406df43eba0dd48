// HTTP: the signed-in user's office and its settings.
import { ZOffice, ZUpdateOffice } from '../../../contract/offices.js';
import type { App } from '../../platform/http/types.js';
import * as service from './offices.service.js';

export function officesRoutes(app: App): void {
  app.get('/api/v1/office', {
    schema: { tags: ['office'], summary: 'The current office', response: { 200: ZOffice } },
    config: { permission: 'office.read' },
  }, async (req) => service.get(req.scope));

  app.patch('/api/v1/office', {
    schema: { tags: ['office'], summary: 'Update office settings', body: ZUpdateOffice, response: { 200: ZOffice } },
    config: { permission: 'office.update' },
  }, async (req) => service.update(req.scope, req.body, app.civitas.jobs));
}
