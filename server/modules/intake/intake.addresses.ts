// The addresses an office receives mail at. An address belongs to one office in the whole
// deployment, since the SMTP listener routes mail by its recipient. One of them (the one
// marked useForReplies, else the oldest) is the Reply-To of the office's mail about a case,
// tagged with the case (help+c-2026-00042@...), so answers come back here and find their case.
import type { z } from 'zod';
import { ZCreateIntakeAddress, ZUpdateIntakeAddress } from '../../../contract/intake.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './intake.repo.js';

const present = (r: { address: string; acknowledge: boolean; use_for_replies: boolean; created_at: Date }) =>
  ({ address: r.address, acknowledge: r.acknowledge, useForReplies: r.use_for_replies, createdAt: r.created_at.toISOString() });

/** The address replies to the office's mail come back to (the messages module's Reply-To), or null without one. */
export const replyAddress = repo.replyAddress;

export async function list(scope: Scope) {
  return (await repo.addresses(scope.db, scope.officeId)).map(present);
}

export async function add(scope: Scope, input: z.input<typeof ZCreateIntakeAddress>) {
  const v = ZCreateIntakeAddress.parse(input);
  const address = v.address.toLowerCase();
  return inTransaction(scope.db, async (trx) => {
    if (v.useForReplies) await repo.clearReplyAddress(trx, scope.officeId);
    const row = await repo.insertAddress(trx, scope.officeId, address, v.acknowledge, v.useForReplies);
    // Whether another office holds it is not said: offices never learn about each other.
    if (!row) throw new DomainError('conflict', { field: 'address', message: 'That address is already in use in this deployment' });
    await audit.record(trx, scope, { entity: 'intake_address', id: address, action: 'created', after: { address, acknowledge: v.acknowledge, useForReplies: v.useForReplies } });
    return present(row);
  });
}

/** Turns acknowledgements on or off, or makes the address the one replies come back to. */
export async function update(scope: Scope, address: string, input: z.input<typeof ZUpdateIntakeAddress>) {
  const v = ZUpdateIntakeAddress.parse(input);
  const key = address.toLowerCase();
  return inTransaction(scope.db, async (trx) => {
    if (v.useForReplies) await repo.clearReplyAddress(trx, scope.officeId);
    const row = await repo.updateAddress(trx, scope.officeId, key, { acknowledge: v.acknowledge, use_for_replies: v.useForReplies });
    if (!row) throw new DomainError('not_found', { message: 'This office has no such intake address' });
    await audit.record(trx, scope, { entity: 'intake_address', id: key, action: 'updated', after: { address: key, acknowledge: row.acknowledge, useForReplies: row.use_for_replies } });
    return present(row);
  });
}

export async function remove(scope: Scope, address: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const r = await repo.deleteAddress(trx, scope.officeId, address.toLowerCase());
    if (!r.numDeletedRows) throw new DomainError('not_found', { message: 'This office has no such intake address' });
    await audit.record(trx, scope, { entity: 'intake_address', id: address.toLowerCase(), action: 'deleted', before: { address } });
  });
}
