// The scope every service call receives: the database (or transaction), the office and
// who is acting. Services never look anything up from the request themselves.
import type { Executor } from './db/database.js';
import type { Principal } from './rbac.js';

export type Actor =
  | { type: 'user' | 'token'; id: string; label: string }
  | { type: 'system'; id: null; label: string };

export type Scope = {
  db: Executor;
  officeId: string;
  actor: Actor;
  requestId: string | undefined;
};

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'token'
    ? { type: 'token', id: principal.tokenId ?? principal.userId, label: principal.label }
    : { type: 'user', id: principal.userId, label: principal.label };
}

export function systemScope(db: Executor, officeId: string, label = 'system'): Scope {
  return { db, officeId, actor: { type: 'system', id: null, label }, requestId: undefined };
}

/** The staff member acting, for a `created_by`-style column: null for tokens and the system. */
export const actingUserId = (scope: Scope): string | null => (scope.actor.type === 'user' ? scope.actor.id : null);

/** The same scope bound to a transaction. */
export function withDb(scope: Scope, db: Executor): Scope {
  return { ...scope, db };
}
