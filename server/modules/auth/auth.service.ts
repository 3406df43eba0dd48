// Sign-in, sessions, API tokens and throttling: turns credentials into a Principal.
import type { SessionInfo } from '../../../contract/auth.js';
import type { Config } from '../../config.js';
import * as audit from '../../platform/audit/audit.js';
import { hashPassword, randomSecret, sha256, TOKEN_PREFIX, verifyPassword } from '../../platform/auth/secrets.js';
import { inTransaction, type Db, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { isRole, permissionsOf, type Principal } from '../../platform/rbac.js';
import type { Scope } from '../../platform/scope.js';
import * as officesRepo from '../offices/offices.repo.js';
import * as users from '../users/users.service.js';
import * as repo from './auth.repo.js';

// Writes of last-seen / last-used times are skipped when the previous one is this recent.
const TOUCH_INTERVAL_MS = 60_000;

export type LoginResult = { sessionSecret: string; expiresAt: Date; session: ResolvedSession };

export async function login(
  db: Db,
  config: Config,
  input: { email: string; password: string; ip: string; userAgent: string | null },
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const windowStart = new Date(Date.now() - config.loginWindowMinutes * 60_000);
  const recent = await repo.countRecentFailures(db, email, input.ip, windowStart);
  const overEmail = recent.by_email >= config.loginMaxFailures;
  const overIp = recent.by_ip >= config.loginMaxFailures * 5;
  if (overEmail || overIp) {
    const oldest = new Date((overEmail ? recent.oldest_email : recent.oldest_ip) ?? Date.now());
    const retryAfterSeconds = Math.max(1, (oldest.getTime() + config.loginWindowMinutes * 60_000 - Date.now()) / 1000);
    throw new DomainError('login_throttled', { extra: { retryAfterSeconds: Math.ceil(retryAfterSeconds) } });
  }
  const user = await users.findCredentials(db, email);
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !ok || user.status !== 'active') {
    await repo.recordLoginFailure(db, email, input.ip);
    throw new DomainError('invalid_credentials');
  }
  if (!isRole(user.role)) throw new DomainError('invalid_credentials');
  const role = user.role;
  const secret = randomSecret(32);
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(Date.now() + config.sessionTtlHours * 3600_000);
  const sessionId = await inTransaction(db, async (trx) => {
    const session = await repo.insertSession(trx, {
      officeId: user.office_id,
      userId: user.id,
      tokenHash: sha256(secret),
      csrfToken,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      expiresAt,
    });
    await users.markLogin(trx, user.office_id, user.id);
    await repo.clearLoginFailures(trx, email);
    await audit.record(trx, { db: trx, officeId: user.office_id, actor: { type: 'user', id: user.id, label: user.display_name }, requestId: undefined }, {
      entity: 'user',
      id: user.id,
      action: 'signed_in',
      after: { sessionId: session.id, ip: input.ip },
    });
    return session.id;
  });
  // The new session is returned as resolved, so the caller need not look it up again.
  return {
    sessionSecret: secret,
    expiresAt,
    session: {
      principal: { kind: 'user', userId: user.id, officeId: user.office_id, role, scopes: undefined, label: user.display_name, sessionId },
      csrfToken,
      expiresAt,
    },
  };
}

export type ResolvedSession = { principal: Principal; csrfToken: string; expiresAt: Date };

/** Returns the session's principal, or throws session_expired for a stale or revoked one. */
export async function resolveSession(db: Db, config: Config, secret: string): Promise<ResolvedSession> {
  const s = await repo.findSessionByHash(db, sha256(secret));
  const now = Date.now();
  if (
    !s ||
    s.revoked_at ||
    s.status !== 'active' ||
    s.expires_at.getTime() <= now ||
    s.last_seen_at.getTime() + config.sessionIdleMinutes * 60_000 <= now ||
    !isRole(s.role)
  ) {
    throw new DomainError('session_expired');
  }
  if (now - s.last_seen_at.getTime() > TOUCH_INTERVAL_MS) await repo.touchSession(db, s.office_id, s.id);
  return {
    principal: { kind: 'user', userId: s.user_id, officeId: s.office_id, role: s.role, scopes: undefined, label: s.display_name, sessionId: s.id },
    csrfToken: s.csrf_token,
    expiresAt: s.expires_at,
  };
}

export async function resolveBearer(db: Db, secret: string): Promise<Principal> {
  const invalid = () => new DomainError('unauthenticated', { message: 'The API token is not valid, has expired or was revoked' });
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) throw invalid();
  const t = await repo.findTokenByHash(db, sha256(secret));
  if (!t || t.revoked_at || t.status !== 'active' || (t.expires_at && t.expires_at.getTime() <= Date.now()) || !isRole(t.role)) throw invalid();
  if (!t.last_used_at || Date.now() - t.last_used_at.getTime() > TOUCH_INTERVAL_MS) await repo.touchToken(db, t.office_id, t.id);
  return {
    kind: 'token',
    userId: t.user_id,
    officeId: t.office_id,
    role: t.role,
    scopes: t.scopes,
    label: `${t.display_name} (token ${t.name})`,
    tokenId: t.id,
  };
}

export async function logout(scope: Scope, principal: Principal): Promise<void> {
  if (!principal.sessionId) return;
  await repo.revokeSession(scope.db, scope.officeId, principal.sessionId);
}

export async function logoutEverywhere(scope: Scope, principal: Principal): Promise<number> {
  return inTransaction(scope.db, async (trx) => {
    const n = await repo.revokeUserSessions(trx, scope.officeId, principal.userId);
    await audit.record(trx, scope, { entity: 'user', id: principal.userId, action: 'signed_out_everywhere', after: { sessionsRevoked: n } });
    return n;
  });
}

export async function sessionInfo(db: Executor, principal: Principal, session: { csrfToken: string; expiresAt: Date } | undefined, map: SessionInfo['map']): Promise<SessionInfo> {
  const office = await officesRepo.get(db, principal.officeId);
  const user = await users.findById(db, principal.officeId, principal.userId);
  if (!office || !user) throw new DomainError('session_expired');
  const permissions = permissionsOf(principal.role).filter((p) => principal.scopes === undefined || principal.scopes.includes(p));
  return {
    user: { id: user.id, email: user.email, displayName: user.display_name, role: principal.role },
    office: { id: office.id, slug: office.slug, name: office.name, timeZone: office.time_zone, locale: office.locale },
    permissions: [...permissions],
    csrfToken: session?.csrfToken ?? null,
    expiresAt: session?.expiresAt.toISOString() ?? null,
    map,
  };
}

export const purgeExpired = repo.purgeExpired;
export const revokeUserSessions = repo.revokeUserSessions;

export async function changePassword(scope: Scope, principal: Principal, current: string, next: string): Promise<void> {
  const user = await users.findById(scope.db, scope.officeId, principal.userId);
  const login = user ? await users.findCredentials(scope.db, user.email) : undefined;
  if (!login || !(await verifyPassword(login.password_hash, current))) {
    throw new DomainError('validation_failed', { field: 'currentPassword', message: 'The current password is not correct' });
  }
  const hash = await hashPassword(next);
  await inTransaction(scope.db, async (trx) => {
    await users.setPasswordHash(trx, scope.officeId, principal.userId, hash);
    await repo.revokeOtherSessions(trx, scope.officeId, principal.userId, principal.sessionId ?? null);
    await audit.record(trx, scope, { entity: 'user', id: principal.userId, action: 'password_changed' });
  });
}
