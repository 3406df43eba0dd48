// Staff accounts: create, list, change role or status, reset passwords. An office always
// keeps at least one active admin.
import type { Page } from '../../../contract/common.js';
import { ZCreateUser, type CreateUser, type UpdateUser, type User, type UserListQuery } from '../../../contract/users.js';
import * as audit from '../../platform/audit/audit.js';
import { generatePassword, hashPassword } from '../../platform/auth/secrets.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { isRole, type Role } from '../../platform/rbac.js';
import { withDb, type Scope } from '../../platform/scope.js';
import { revokeUserSessions } from '../auth/auth.service.js';
import * as repo from './users.repo.js';
import { z } from 'zod';

export function present(row: repo.UserRow): User {
  if (!isRole(row.role)) throw new Error(`unknown role ${row.role}`);
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    status: row.status === 'disabled' ? 'disabled' : 'active',
    mfaEnabled: row.mfa_enabled,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    teamIds: row.team_ids,
  };
}

export async function get(scope: Scope, id: string): Promise<User> {
  const row = await repo.get(scope.db, scope.officeId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such user in this office' });
  return present(row);
}

export async function list(scope: Scope, q: UserListQuery): Promise<Page<User>> {
  const after = decodeCursor(q.cursor, z.tuple([z.string(), z.uuid()]));
  const rows = await repo.list(scope.db, scope.officeId, { q: q.q, role: q.role, status: q.status, after, limit: q.limit });
  const p = page(rows, q.limit, (r) => [r.display_name, r.id]);
  return { items: p.items.map(present), nextCursor: p.nextCursor };
}

export async function create(scope: Scope, input: CreateUser): Promise<{ user: User; generatedPassword: string | null }> {
  const v = ZCreateUser.parse(input);
  const generated = v.password ? null : generatePassword();
  const passwordHash = await hashPassword(v.password ?? generated!);
  return inTransaction(scope.db, async (trx) => {
    if (await repo.emailExists(trx, v.email)) throw new DomainError('conflict', { field: 'email', message: 'A user with this email already exists' });
    const { id } = await repo.insert(trx, {
      office_id: scope.officeId,
      email: v.email,
      display_name: v.displayName,
      role: v.role,
      password_hash: passwordHash,
      password_changed_at: new Date(),
    });
    const user = present((await repo.get(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'user', id, action: 'created', after: user });
    return { user, generatedPassword: generated };
  });
}

async function ensureAdminRemains(scope: Scope, before: User, next: { role: Role; status: string }) {
  const losesAdmin = before.role === 'admin' && before.status === 'active' && (next.role !== 'admin' || next.status !== 'active');
  if (losesAdmin && (await repo.lockActiveAdmins(scope.db, scope.officeId)) <= 1) {
    throw new DomainError('conflict', { field: 'role', message: 'The office must keep at least one active admin' });
  }
}

export async function update(scope: Scope, id: string, input: UpdateUser): Promise<User> {
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    // Admins first, in id order, then the row: two admins demoting each other then queue
    // for the same locks instead of deadlocking.
    if (input.role !== undefined || input.status !== undefined) await repo.lockActiveAdmins(trx, scope.officeId);
    await repo.lock(trx, scope.officeId, id);
    const before = await get(s, id);
    const next = { role: input.role ?? before.role, status: input.status ?? before.status };
    await ensureAdminRemains(s, before, next);
    await repo.update(trx, scope.officeId, id, {
      ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: new Date(),
    });
    // A disabled account or a changed role must not keep old sessions alive.
    if (next.status === 'disabled' || next.role !== before.role) await revokeUserSessions(trx, scope.officeId, id);
    const after = await get(s, id);
    await audit.record(trx, scope, { entity: 'user', id, action: 'updated', before, after });
    return after;
  });
}

/** Sets a new password (given or generated), revoking the user's sessions. */
export async function resetPassword(scope: Scope, id: string, password?: string): Promise<{ generatedPassword: string | null }> {
  if (password !== undefined && password.length < 12) throw new DomainError('validation_failed', { field: 'password', message: 'must be at least 12 characters' });
  const generated = password === undefined ? generatePassword() : null;
  const hash = await hashPassword(password ?? generated!);
  return inTransaction(scope.db, async (trx) => {
    await get(withDb(scope, trx), id);
    await repo.update(trx, scope.officeId, id, { password_hash: hash, password_changed_at: new Date(), updated_at: new Date() });
    const revoked = await revokeUserSessions(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'user', id, action: 'password_reset', after: { sessionsRevoked: revoked } });
    return { generatedPassword: generated };
  });
}

export const findByEmail = repo.findByEmail;
export const findCredentials = repo.findCredentials;
export const findById = repo.get;
export const markLogin = repo.markLogin;

export async function setPasswordHash(db: Executor, officeId: string, id: string, hash: string): Promise<void> {
  await repo.update(db, officeId, id, { password_hash: hash, password_changed_at: new Date(), updated_at: new Date() });
}
