// The office's match rules: defaults until an admin saves their own, validated and audited.
import { ZDedupRules, type DedupRules, type DedupSettings } from '../../../contract/dedup.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './dedup.repo.js';
import { DEFAULT_RULES, LIMITS, parseStoredRules } from './dedup.rules.js';

/** The rules in force for the office. */
export async function loadRules(db: Executor, officeId: string): Promise<DedupRules> {
  const row = await repo.getSettings(db, officeId);
  return (row && parseStoredRules(row.rules)) ?? DEFAULT_RULES;
}

export async function getSettings(scope: Scope): Promise<DedupSettings> {
  const row = await repo.getSettings(scope.db, scope.officeId);
  const stored = row ? parseStoredRules(row.rules) : null;
  return { rules: stored ?? DEFAULT_RULES, isDefault: !stored, updatedAt: stored && row ? row.updated_at.toISOString() : null, limits: { ...LIMITS } };
}

export async function saveSettings(scope: Scope, input: DedupRules): Promise<DedupSettings> {
  const parsed = ZDedupRules.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'rules', message: i.message }));
    throw new DomainError('validation_failed', { message: `${issues[0]!.field}: ${issues[0]!.message}`, field: issues[0]!.field, issues });
  }
  return inTransaction(scope.db, async (trx) => {
    const before = await loadRules(trx, scope.officeId);
    await repo.saveSettings(trx, scope.officeId, parsed.data);
    await audit.record(trx, scope, { entity: 'dedup_settings', id: scope.officeId, action: 'updated', before, after: parsed.data });
    return getSettings({ ...scope, db: trx });
  });
}
