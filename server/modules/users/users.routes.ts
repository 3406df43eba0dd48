// HTTP: staff accounts of the current office.
import { ZIdParams, ZPage } from '../../../contract/common.js';
import { ZCreatedUser, ZCreateUser, ZResetPasswordResult, ZUpdateUser, ZUser, ZUserListQuery } from '../../../contract/users.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { canGrantRole, type Principal, type Role } from '../../platform/rbac.js';
import * as service from './users.service.js';

// An API token may only manage accounts whose powers lie within its own scopes; otherwise
// a token scoped to user.manage could mint or take over an admin.
function assertCanGrant(principal: Principal, ...roles: Role[]): void {
  const beyond = roles.find((r) => !canGrantRole(principal, r));
  if (beyond) throw new DomainError('forbidden', { field: 'role', message: `This API token's scopes do not cover the ${beyond} role` });
}

export function usersRoutes(app: App): void {
  app.get('/api/v1/users', {
    schema: { tags: ['users'], summary: 'List staff users', querystring: ZUserListQuery, response: { 200: ZPage(ZUser) } },
    config: { permission: 'user.read' },
  }, async (req) => service.list(req.scope, req.query));

  app.get('/api/v1/users/:id', {
    schema: { tags: ['users'], summary: 'Get a staff user', params: ZIdParams, response: { 200: ZUser } },
    config: { permission: 'user.read' },
  }, async (req) => service.get(req.scope, req.params.id));

  app.post('/api/v1/users', {
    schema: { tags: ['users'], summary: 'Create a staff user (a password is generated when none is given)', body: ZCreateUser, response: { 201: ZCreatedUser } },
    config: { permission: 'user.manage', secretFields: ['generatedPassword'] },
  }, async (req, reply) => {
    assertCanGrant(req.principal!, req.body.role);
    return reply.code(201).send(await service.create(req.scope, req.body));
  });

  app.patch('/api/v1/users/:id', {
    schema: { tags: ['users'], summary: 'Change name, role or status', params: ZIdParams, body: ZUpdateUser, response: { 200: ZUser } },
    config: { permission: 'user.manage' },
  }, async (req) => {
    if (req.principal!.scopes) assertCanGrant(req.principal!, (await service.get(req.scope, req.params.id)).role, ...(req.body.role ? [req.body.role] : []));
    return service.update(req.scope, req.params.id, req.body);
  });

  app.post('/api/v1/users/:id/reset-password', {
    schema: { tags: ['users'], summary: 'Generate a new password and sign the user out everywhere', params: ZIdParams, response: { 200: ZResetPasswordResult } },
    config: { permission: 'user.manage', secretFields: ['generatedPassword'] },
  }, async (req) => {
    if (req.principal!.scopes) assertCanGrant(req.principal!, (await service.get(req.scope, req.params.id)).role);
    const r = await service.resetPassword(req.scope, req.params.id);
    return { generatedPassword: r.generatedPassword! };
  });
}
