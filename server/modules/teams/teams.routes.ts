// HTTP: teams of the current office.
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import { ZCreateTeam, ZSetMembers, ZTeam, ZUpdateTeam } from '../../../contract/teams.js';
import type { App } from '../../platform/http/types.js';
import * as service from './teams.service.js';

export function teamsRoutes(app: App): void {
  app.get('/api/v1/teams', {
    schema: { tags: ['teams'], summary: 'List teams with their members', response: { 200: z.object({ items: z.array(ZTeam) }) } },
    config: { permission: 'team.read' },
  }, async (req) => ({ items: await service.list(req.scope) }));

  app.get('/api/v1/teams/:id', {
    schema: { tags: ['teams'], summary: 'Get a team', params: ZIdParams, response: { 200: ZTeam } },
    config: { permission: 'team.read' },
  }, async (req) => service.get(req.scope, req.params.id));

  app.post('/api/v1/teams', {
    schema: { tags: ['teams'], summary: 'Create a team', body: ZCreateTeam, response: { 201: ZTeam } },
    config: { permission: 'team.manage' },
  }, async (req, reply) => reply.code(201).send(await service.create(req.scope, req.body)));

  app.patch('/api/v1/teams/:id', {
    schema: { tags: ['teams'], summary: 'Rename or describe a team', params: ZIdParams, body: ZUpdateTeam, response: { 200: ZTeam } },
    config: { permission: 'team.manage' },
  }, async (req) => service.update(req.scope, req.params.id, req.body));

  app.put('/api/v1/teams/:id/members', {
    schema: { tags: ['teams'], summary: 'Replace the members of a team', params: ZIdParams, body: ZSetMembers, response: { 200: ZTeam } },
    config: { permission: 'team.manage' },
  }, async (req) => service.setMembers(req.scope, req.params.id, req.body));

  app.delete('/api/v1/teams/:id', {
    schema: { tags: ['teams'], summary: 'Delete a team that no case refers to', params: ZIdParams },
    config: { permission: 'team.manage' },
  }, async (req, reply) => {
    await service.remove(req.scope, req.params.id);
    return reply.code(204).send();
  });
}
