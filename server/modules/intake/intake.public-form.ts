// The office's public form settings: whether /forms/<office> and /api/v1/public/<office>/*
// are live (off until an admin turns them on) and which categories the form offers.
import { ZPublicFormSettings, type PublicFormSettings } from '../../../contract/web-intake.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import * as webRepo from './intake.web-repo.js';

const present = (row: { enabled: boolean; category_ids: string[] | null } | undefined): PublicFormSettings =>
  ({ enabled: row?.enabled ?? false, categoryIds: row?.category_ids ?? null });

export async function settingsOf(db: Executor, officeId: string): Promise<PublicFormSettings> {
  return present(await webRepo.publicForm(db, officeId));
}

export const get = (scope: Scope) => settingsOf(scope.db, scope.officeId);

/**
 * Switches the form on for every category unless it has been set before (by an admin or an
 * earlier run): the demo's default. True when it switched it on.
 */
export async function enableUnlessSet(scope: Scope): Promise<boolean> {
  if (await webRepo.publicForm(scope.db, scope.officeId)) return false;
  await update(scope, { enabled: true, categoryIds: null });
  return true;
}

export async function update(scope: Scope, input: PublicFormSettings): Promise<PublicFormSettings> {
  const v = ZPublicFormSettings.parse(input);
  const ids = v.categoryIds ? [...new Set(v.categoryIds)] : null;
  return inTransaction(scope.db, async (trx) => {
    for (const [i, id] of (ids ?? []).entries()) await categories.assertUsable(trx, scope.officeId, id, `categoryIds.${i}`);
    const before = await settingsOf(trx, scope.officeId);
    const after = present(await webRepo.savePublicForm(trx, scope.officeId, { enabled: v.enabled, category_ids: ids }));
    await audit.record(trx, scope, { entity: 'intake_public_form', id: scope.officeId, action: 'updated', before, after });
    return after;
  });
}
