// API tokens for integrations: scoped to permissions the owning user has, revocable,
// shown once at creation.
import { inTransaction } from '../../platform/db/database.js';
import type { ApiToken, CreateToken } from '../../../contract/tokens.js';
import * as audit from '../../platform/audit/audit.js';
import { newApiTokenSecret, sha256 } from '../../platform/auth/secrets.js';
import { DomainError } from '../../platform/errors.js';
import { isRole, permissionsOf } from '../../platform/rbac.js';
import { withDb, type Scope } from '../../platform/scope.js';
import * as usersService from '../users/users.service.js';
import * as repo from './tokens.repo.js';

export function present(row: repo.TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    scopes: row.scopes,
    userId: row.user_id,
    userDisplayName: row.display_name,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export async function list(scope: Scope, includeRevoked = false): Promise<ApiToken[]> {
  return (await repo.list(scope.db, scope.officeId, includeRevoked)).map(present);
}

/** Creates a token for `userId` (default: the caller); returns the secret once. */
export async function create(scope: Scope, userId: string, input: CreateToken): Promise<{ token: ApiToken; secret: string }> {
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const owner = await usersService.get(s, userId);
    if (owner.status !== 'active') throw new DomainError('validation_failed', { field: 'userId', message: 'The user is disabled' });
    const allowed = isRole(owner.role) ? permissionsOf(owner.role) : [];
    const extra = input.scopes.filter((p) => !allowed.includes(p));
    if (extra.length) throw new DomainError('validation_failed', { field: 'scopes', message: `The ${owner.role} role does not have: ${extra.join(', ')}` });
    const secret = newApiTokenSecret();
    const { id } = await repo.insert(trx, {
      officeId: scope.officeId,
      userId,
      name: input.name,
      prefix: secret.slice(0, 12),
      hash: sha256(secret),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    });
    const token = present((await repo.get(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'api_token', id, action: 'created', after: token });
    return { token, secret };
  });
}

export async function revoke(scope: Scope, id: string): Promise<ApiToken> {
  return inTransaction(scope.db, async (trx) => {
    const before = await repo.get(trx, scope.officeId, id);
    if (!before) throw new DomainError('not_found', { message: 'No such API token in this office' });
    // Revoking twice is harmless and leaves no second audit event.
    if (before.revoked_at) return present(before);
    await repo.revoke(trx, scope.officeId, id);
    const after = present((await repo.get(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'api_token', id, action: 'revoked', before: present(before), after });
    return after;
  });
}
