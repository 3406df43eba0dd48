// Appends audit events in the caller's transaction, so a change and its record commit or
// roll back together.
import type { Executor } from '../db/database.js';
import type { Scope } from '../scope.js';

export type AuditEntry = {
  entity: string;
  id: string;
  action: string;
  before?: unknown;
  after?: unknown;
  /** The constituent the change concerns, which puts it on their timeline. */
  constituentId?: string | null;
};

// Never copy secrets into the log, whatever a caller passes.
const REDACT = new Set(['password', 'password_hash', 'token', 'token_hash', 'mfa_totp_secret', 'csrf_token']);

function redact(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !REDACT.has(k))
        .map(([k, v]) => [k, redact(v)]),
    );
  }
  return value;
}

export async function record(db: Executor, scope: Scope, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('events')
    .values({
      office_id: scope.officeId,
      actor_type: scope.actor.type,
      actor_id: scope.actor.id,
      actor_label: scope.actor.label,
      entity_type: entry.entity,
      entity_id: entry.id,
      action: entry.action,
      before: entry.before === undefined ? null : JSON.stringify(redact(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(redact(entry.after)),
      request_id: scope.requestId ?? null,
      constituent_id: entry.constituentId ?? null,
    })
    .execute();
}
