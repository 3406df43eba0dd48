// The addresses an office receives mail at. An address belongs to one office in the whole
// deployment, since the SMTP listener routes mail by its recipient.
import type { z } from 'zod';
import { ZCreateIntakeAddress } from '../../../contract/intake.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './intake.repo.js';

const present = (r: { address: string; acknowledge: boolean; created_at: Date }) => ({ address: r.address, acknowledge: r.acknowledge, createdAt: r.created_at.toISOString() });

export async function list(scope: Scope) {
  return (await repo.addresses(scope.db, scope.officeId)).map(present);
}

export async function add(scope: Scope, input: z.input<typeof ZCreateIntakeAddress>) {
  const v = ZCreateIntakeAddress.parse(input);
  const address = v.address.toLowerCase();
  return inTransaction(scope.db, async (trx) => {
    const row = await repo.insertAddress(trx, scope.officeId, address, v.acknowledge);
    // Whether another office holds it is not said: offices never learn about each other.
    if (!row) throw new DomainError('conflict', { field: 'address', message: 'That address is already in use in this deployment' });
    await audit.record(trx, scope, { entity: 'intake_address', id: address, action: 'created', after: { address, acknowledge: v.acknowledge } });
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
