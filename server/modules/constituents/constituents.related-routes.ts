// HTTP: relationships, households and the office's custom field definitions.
import { z } from 'zod';
import { ZIdParams, ZUuid } from '../../../contract/common.js';
import {
  ZCreateCustomField, ZCreateHousehold, ZCreateRelationship, ZCustomFieldDefinition, ZHousehold, ZRelationship, ZUpdateCustomField,
} from '../../../contract/constituents.js';
import type { App } from '../../platform/http/types.js';
import * as activity from './constituents.activity.js';
import * as fields from './constituents.custom-fields.js';

const tags = ['constituents'];

export function constituentRelatedRoutes(app: App): void {
  app.get('/api/v1/constituents/:id/relationships', {
    schema: { tags, summary: 'Relationships of a constituent, read from their side', params: ZIdParams, response: { 200: z.object({ items: z.array(ZRelationship) }) } },
    config: { permission: 'constituent.read' },
  }, async (req) => ({ items: await activity.relationships(req.scope, req.params.id) }));

  app.post('/api/v1/constituents/:id/relationships', {
    schema: { tags, summary: 'Link two constituents (spouse, carer, employee of, represents…)', params: ZIdParams, body: ZCreateRelationship, response: { 201: ZRelationship } },
    config: { permission: 'constituent.write' },
  }, async (req, reply) => reply.code(201).send(await activity.addRelationship(req.scope, req.params.id, req.body)));

  app.delete('/api/v1/constituents/:id/relationships/:relationshipId', {
    schema: { tags, summary: 'Remove a relationship', params: z.object({ id: ZUuid, relationshipId: ZUuid }) },
    config: { permission: 'constituent.write' },
  }, async (req, reply) => {
    await activity.removeRelationship(req.scope, req.params.id, req.params.relationshipId);
    return reply.code(204).send();
  });

  app.post('/api/v1/households', {
    schema: { tags, summary: 'Group people at an address into a household', body: ZCreateHousehold, response: { 201: ZHousehold } },
    config: { permission: 'constituent.write' },
  }, async (req, reply) => reply.code(201).send(await activity.createHousehold(req.scope, req.body)));

  app.delete('/api/v1/households/:id', {
    schema: { tags, summary: 'Dissolve a household (its members stay)', params: ZIdParams },
    config: { permission: 'constituent.write' },
  }, async (req, reply) => {
    await activity.deleteHousehold(req.scope, req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/v1/custom-fields', {
    schema: { tags, summary: "The office's custom fields on constituents", response: { 200: z.object({ items: z.array(ZCustomFieldDefinition) }) } },
    config: { permission: 'constituent.read' },
  }, async (req) => ({ items: await fields.listFields(req.scope) }));

  app.post('/api/v1/custom-fields', {
    schema: { tags, summary: 'Define a custom field', body: ZCreateCustomField, response: { 201: ZCustomFieldDefinition } },
    config: { permission: 'registry.configure' },
  }, async (req, reply) => reply.code(201).send(await fields.createField(req.scope, req.body)));

  app.patch('/api/v1/custom-fields/:id', {
    schema: { tags, summary: 'Relabel, change options, require or retire a custom field', params: ZIdParams, body: ZUpdateCustomField, response: { 200: ZCustomFieldDefinition } },
    config: { permission: 'registry.configure' },
  }, async (req) => fields.updateField(req.scope, req.params.id, req.body));
}
