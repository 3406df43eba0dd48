// HTTP: API tokens of the current office.
import { z } from 'zod';
import { ZIdParams, ZUuid } from '../../../contract/common.js';
import { ZApiToken, ZCreatedToken, ZCreateToken } from '../../../contract/tokens.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import * as service from './tokens.service.js';

export function tokensRoutes(app: App): void {
  app.get('/api/v1/tokens', {
    schema: {
      tags: ['tokens'],
      summary: 'List API tokens',
      querystring: z.object({ includeRevoked: z.enum(['true', 'false']).default('false') }),
      response: { 200: z.object({ items: z.array(ZApiToken) }) },
    },
    config: { permission: 'token.manage' },
  }, async (req) => ({ items: await service.list(req.scope, req.query.includeRevoked === 'true') }));

  app.post('/api/v1/tokens', {
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token; the secret is in this response only',
      body: ZCreateToken.extend({ userId: ZUuid.optional() }),
      response: { 201: ZCreatedToken },
    },
    config: { permission: 'token.manage', secretFields: ['secret'] },
  }, async (req, reply) => {
    const { userId, ...input } = req.body;
    // A token may only mint tokens within its own scopes, or scopes would not limit anything.
    const callerScopes = req.principal!.scopes;
    const beyond = callerScopes ? input.scopes.filter((p) => !callerScopes.includes(p)) : [];
    if (beyond.length) throw new DomainError('forbidden', { field: 'scopes', message: `This API token cannot grant scopes it does not have: ${beyond.join(', ')}` });
    return reply.code(201).send(await service.create(req.scope, userId ?? req.principal!.userId, input));
  });

  app.delete('/api/v1/tokens/:id', {
    schema: { tags: ['tokens'], summary: 'Revoke an API token', params: ZIdParams, response: { 200: ZApiToken } },
    config: { permission: 'token.manage' },
  }, async (req) => service.revoke(req.scope, req.params.id));
}
