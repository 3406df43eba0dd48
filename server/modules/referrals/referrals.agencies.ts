// The office's agency directory: agencies and departments cases are referred to, with
// whether referrals to them need the constituent's privacy release (federal agencies do
// by default). Agencies are retired, never deleted, since referrals point at them.
import { ZCreateAgency, ZUpdateAgency, type Agency, type CreateAgency, type UpdateAgency } from '../../../contract/referrals.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './referrals.agencies-repo.js';

export const MAX_AGENCIES = 2_000;

export function present(r: repo.AgencyRow): Agency {
  return {
    id: r.id, name: r.name, kind: r.kind as Agency['kind'], contactName: r.contact_name, email: r.email, phone: r.phone, notes: r.notes,
    requiresPrivacyRelease: r.requires_privacy_release, retired: r.retired, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

const notFound = () => new DomainError('not_found', { message: 'No such agency in this office' });

export async function list(scope: Scope, opts: { includeRetired: boolean }): Promise<Agency[]> {
  return (await repo.list(scope.db, scope.officeId, opts.includeRetired)).map(present);
}

/** An agency a referral may go to now: the office's, not retired. */
export async function usable(db: Executor, officeId: string, id: string, field = 'agencyId'): Promise<repo.AgencyRow> {
  const row = await repo.get(db, officeId, id);
  if (!row) throw new DomainError('validation_failed', { field, message: 'No such agency in this office' });
  if (row.retired) throw new DomainError('validation_failed', { field, message: `The agency "${row.name}" is retired` });
  return row;
}

async function checkName(db: Executor, officeId: string, name: string, exceptId?: string): Promise<void> {
  const clash = await repo.liveNamed(db, officeId, name, exceptId);
  if (clash) throw new DomainError('conflict', { field: 'name', message: `There is already an agency "${clash.name}"`, extra: { agencyId: clash.id } });
}

export async function create(scope: Scope, input: CreateAgency): Promise<Agency> {
  const v = ZCreateAgency.parse(input);
  return inTransaction(scope.db, async (trx) => {
    if ((await repo.list(trx, scope.officeId, true)).length >= MAX_AGENCIES) throw new DomainError('conflict', { message: `An office can have at most ${MAX_AGENCIES} agencies` });
    await checkName(trx, scope.officeId, v.name);
    const row = await repo.insert(trx, scope.officeId, {
      name: v.name, kind: v.kind, contact_name: v.contactName, email: v.email?.toLowerCase() ?? null, phone: v.phone, notes: v.notes,
      requires_privacy_release: v.requiresPrivacyRelease ?? v.kind === 'federal',
    });
    const created = present(row);
    await audit.record(trx, scope, { entity: 'agency', id: row.id, action: 'created', after: created });
    return created;
  });
}

export async function update(scope: Scope, id: string, input: UpdateAgency): Promise<Agency> {
  const v = ZUpdateAgency.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await repo.get(trx, scope.officeId, id);
    if (!row) throw notFound();
    const retired = v.retired ?? row.retired;
    if (!retired) await checkName(trx, scope.officeId, v.name ?? row.name, id);
    const after = present(await repo.update(trx, scope.officeId, id, {
      name: v.name, kind: v.kind, contact_name: v.contactName, email: v.email === undefined ? undefined : (v.email?.toLowerCase() ?? null), phone: v.phone,
      notes: v.notes, requires_privacy_release: v.requiresPrivacyRelease, retired: v.retired,
    }));
    const action = retired !== row.retired ? (retired ? 'retired' : 'restored') : 'updated';
    await audit.record(trx, scope, { entity: 'agency', id, action, before: present(row), after });
    return after;
  });
}
