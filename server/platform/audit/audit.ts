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
  /** The case the change concerns, which puts it on the case's timeline. */
  caseId?: string | null;
};

// Never copy secrets into the log, whatever a caller passes.
const REDACT = new Set(['password', 'password_hash', 'token', 'token_hash', 'mfa_totp_secret', 'csrf_token']);

/** The value as the audit log stores it: secrets dropped at any depth, dates as ISO text. */
export function redact(value: unknown): unknown {
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

function rowOf(scope: Scope, entry: AuditEntry) {
  return {
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
    case_id: entry.caseId ?? null,
  };
}

export async function record(db: Executor, scope: Scope, entry: AuditEntry): Promise<void> {
  await db.insertInto('events').values(rowOf(scope, entry)).execute();
}

/** Several events in one statement (e.g. the reads of every sensitive case on a list page). */
export async function recordMany(db: Executor, scope: Scope, entries: AuditEntry[]): Promise<void> {
  if (entries.length) await db.insertInto('events').values(entries.map((e) => rowOf(scope, e))).execute();
}
