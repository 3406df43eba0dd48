// The office's mailboxes read over IMAP, managed by admins (intake.configure). The password is
// write-only: never returned, never put in the audit log, kept when a change leaves it out.
// Saving queues a poll at once. Pointing a configuration at another mailbox (host, port, user
// or folder) starts its UID bookkeeping again: the old UIDs name other messages there.
import {
  ZCreateImapMailbox, ZUpdateImapMailbox, type CreateImapMailbox, type ImapMailbox, type ImapTestResult, type UpdateImapMailbox,
} from '../../../contract/intake-mailboxes.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Scope } from '../../platform/scope.js';
import { queuePoll } from './intake.imap-jobs.js';
import { isLoopback, testConnection } from './intake.imap.js';
import * as repo from './intake.mailboxes-repo.js';

const notFound = () => new DomainError('not_found', { message: 'This office has no such mailbox' });
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function present(r: repo.MailboxRow): ImapMailbox {
  return {
    id: r.id, address: r.address, host: r.host, port: r.port, tls: r.tls as ImapMailbox['tls'], username: r.username, hasPassword: r.password.length > 0,
    mailbox: r.mailbox, afterStore: r.after_store as ImapMailbox['afterStore'], moveTo: r.move_to, enabled: r.enabled,
    status: {
      uidValidity: r.uid_validity === null ? null : String(r.uid_validity), lastUid: r.last_uid, lastPollAt: iso(r.last_poll_at), lastSuccessAt: iso(r.last_success_at),
      lastError: r.last_error, lastErrorAt: iso(r.last_error_at), lastStored: r.last_stored, backlog: r.backlog,
    },
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

/** What the audit log keeps of a configuration: everything but the password and the poll's state. */
const visible = (r: repo.MailboxRow) => ({
  address: r.address, host: r.host, port: r.port, tls: r.tls, username: r.username, mailbox: r.mailbox, afterStore: r.after_store, moveTo: r.move_to, enabled: r.enabled,
});

type Settings = { host: string; port: number; tls: string; username: string; mailbox: string; after_store: string; move_to: string | null };

/** The rules across fields, on the configuration as it would be saved. */
function check(s: Settings): void {
  if (s.tls === 'none' && !isLoopback(s.host)) {
    throw new DomainError('validation_failed', { field: 'tls', message: 'tls "none" (cleartext) is only allowed to localhost; use "tls" or "starttls"' });
  }
  if (s.after_store === 'move' && !s.move_to) throw new DomainError('validation_failed', { field: 'moveTo', message: 'moveTo is required when afterStore is "move"' });
  if (s.after_store === 'move' && s.move_to === s.mailbox) throw new DomainError('validation_failed', { field: 'moveTo', message: 'moveTo must be another folder than the one read' });
}

const clash = () => new DomainError('conflict', { field: 'mailbox', message: 'This office already reads that mailbox (same host, port, user and folder)' });

export async function list(scope: Scope): Promise<ImapMailbox[]> {
  return (await repo.list(scope.db, scope.officeId)).map(present);
}

export async function create(scope: Scope, jobs: Jobs | undefined, input: CreateImapMailbox): Promise<ImapMailbox> {
  const v = ZCreateImapMailbox.parse(input);
  const values = {
    address: v.address.toLowerCase(), host: v.host.toLowerCase(), port: v.port ?? (v.tls === 'tls' ? 993 : 143), tls: v.tls, username: v.username, password: v.password,
    mailbox: v.mailbox, after_store: v.afterStore, move_to: v.afterStore === 'move' ? (v.moveTo ?? null) : null, enabled: v.enabled,
  };
  check(values);
  return inTransaction(scope.db, async (trx) => {
    const row = await repo.insert(trx, scope.officeId, values);
    if (!row) throw clash();
    await audit.record(trx, scope, { entity: 'intake_mailbox', id: row.id, action: 'created', after: visible(row) });
    if (row.enabled) await queuePoll(jobs, trx, scope.officeId, row.id);
    return present(row);
  });
}

export async function update(scope: Scope, jobs: Jobs | undefined, id: string, input: UpdateImapMailbox): Promise<ImapMailbox> {
  const v = ZUpdateImapMailbox.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const before = await repo.lock(trx, scope.officeId, id);
    if (!before) throw notFound();
    const tls = v.tls ?? before.tls;
    const afterStore = v.afterStore ?? before.after_store;
    const next = {
      address: v.address?.toLowerCase() ?? before.address, host: v.host?.toLowerCase() ?? before.host,
      // A new TLS mode without a port takes that mode's usual port when the old one was the old mode's.
      port: v.port ?? (v.tls && v.tls !== before.tls && [993, 143].includes(before.port) ? (tls === 'tls' ? 993 : 143) : before.port),
      tls, username: v.username ?? before.username, password: v.password ?? before.password, mailbox: v.mailbox ?? before.mailbox,
      after_store: afterStore, move_to: afterStore === 'move' ? (v.moveTo === undefined ? before.move_to : v.moveTo) : null, enabled: v.enabled ?? before.enabled,
    };
    check(next);
    if (await repo.clashes(trx, scope.officeId, id, next)) throw clash();
    const elsewhere = next.host !== before.host || next.port !== before.port || next.username.toLowerCase() !== before.username.toLowerCase() || next.mailbox !== before.mailbox;
    // Another mailbox: its UIDs start again. Releasing the lease makes a poll still reading
    // the old one stop at its next batch (its progress is written only while it holds it).
    const restart = elsewhere ? { uid_validity: null, last_uid: 0, backlog: 0, lease_owner: null, lease_until: null } : {};
    // A change of credentials or folder clears the old error; the next poll says how it went.
    const clearError = elsewhere || v.password !== undefined || v.tls !== undefined || v.enabled === true ? { last_error: null, last_error_at: null } : {};
    const row = (await repo.update(trx, scope.officeId, id, { ...next, ...restart, ...clearError }))!;
    await audit.record(trx, scope, {
      entity: 'intake_mailbox', id, action: 'updated', before: visible(before),
      after: { ...visible(row), passwordChanged: v.password !== undefined && v.password !== before.password, ...(elsewhere ? { uidsReset: true } : {}) },
    });
    if (row.enabled) await queuePoll(jobs, trx, scope.officeId, id);
    return present(row);
  });
}

export async function remove(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const before = await repo.lock(trx, scope.officeId, id);
    if (!before) throw notFound();
    await repo.remove(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'intake_mailbox', id, action: 'deleted', before: visible(before) });
  });
}

/** Connects with the saved settings and reports what happened; changes nothing. */
export async function test(scope: Scope, id: string): Promise<ImapTestResult> {
  const row = await repo.get(scope.db, scope.officeId, id);
  if (!row) throw notFound();
  return testConnection(row);
}
