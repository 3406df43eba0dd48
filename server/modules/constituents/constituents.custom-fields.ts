// Office-defined custom fields on constituents: the definitions, and validation of the
// values a record holds against them.
import {
  ZCreateCustomField, ZUpdateCustomField, type CustomFieldDefinition,
} from '../../../contract/constituents.js';
import type { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError, type FieldIssue } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './constituents.repo.js';

export function presentField(row: repo.CustomFieldRow): CustomFieldDefinition {
  return {
    id: row.id, key: row.key, label: row.label, type: row.type as CustomFieldDefinition['type'], options: row.options,
    isRequired: row.is_required, retired: row.retired, position: row.position,
  };
}

export const listFields = async (scope: Scope): Promise<CustomFieldDefinition[]> => (await repo.customFields(scope.db, scope.officeId)).map(presentField);

export async function createField(scope: Scope, input: z.input<typeof ZCreateCustomField>): Promise<CustomFieldDefinition> {
  const v = ZCreateCustomField.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const existing = await repo.customFields(trx, scope.officeId);
    if (existing.some((f) => f.key === v.key)) throw new DomainError('conflict', { field: 'key', message: 'A field with this key already exists' });
    const { id } = await repo.insertCustomField(trx, scope.officeId, { key: v.key, label: v.label, type: v.type, options: v.options, is_required: v.isRequired, position: v.position });
    const created = presentField((await repo.customField(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'custom_field', id, action: 'created', after: created });
    return created;
  });
}

export async function updateField(scope: Scope, id: string, input: z.input<typeof ZUpdateCustomField>): Promise<CustomFieldDefinition> {
  const v = ZUpdateCustomField.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await repo.customField(trx, scope.officeId, id);
    if (!row) throw new DomainError('not_found', { message: 'No such custom field in this office' });
    const before = presentField(row);
    if (v.options !== undefined) {
      if (before.type !== 'choice' && before.type !== 'multi_choice') throw new DomainError('validation_failed', { field: 'options', message: 'only choice fields have options' });
      if (v.options.length === 0) throw new DomainError('validation_failed', { field: 'options', message: 'a choice field needs at least one option' });
      if (new Set(v.options).size !== v.options.length) throw new DomainError('validation_failed', { field: 'options', message: 'options must be unique' });
      const removed = before.options.filter((o) => !v.options!.includes(o));
      if (removed.length && (await repo.customFieldInUse(trx, scope.officeId, before.key, removed))) {
        throw new DomainError('conflict', { field: 'options', message: `Records still use ${removed.join(', ')}; change them first or retire the field` });
      }
    }
    await repo.updateCustomField(trx, scope.officeId, id, { label: v.label, options: v.options, is_required: v.isRequired, retired: v.retired, position: v.position });
    const after = presentField((await repo.customField(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'custom_field', id, action: 'updated', before, after });
    return after;
  });
}

export type CustomValue = string | number | string[] | null;

/** Checks one value against its definition; returns the stored form or an error message. */
export function checkValue(def: Pick<CustomFieldDefinition, 'type' | 'options'>, value: CustomValue): { ok: true; value: CustomValue } | { ok: false; message: string } {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return { ok: true, value: null };
  switch (def.type) {
    case 'text':
      return typeof value === 'string' ? { ok: true, value: value.trim() } : { ok: false, message: 'must be text' };
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'must be a number' };
    }
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
        ? { ok: true, value } : { ok: false, message: 'must be a date (YYYY-MM-DD)' };
    case 'choice':
      return typeof value === 'string' && def.options.includes(value) ? { ok: true, value } : { ok: false, message: `must be one of: ${def.options.join(', ')}` };
    case 'multi_choice': {
      const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : null;
      if (!list) return { ok: false, message: 'must be a list of options' };
      const bad = list.find((o) => !def.options.includes(o));
      return bad === undefined ? { ok: true, value: [...new Set(list)] } : { ok: false, message: `"${bad}" is not one of: ${def.options.join(', ')}` };
    }
    default:
      return { ok: false, message: 'has an unknown type' };
  }
}

/**
 * Validates a record's custom field values (merged over `current` for updates) and returns
 * what to store. Unknown or retired keys and missing required fields are field errors.
 */
export async function validateValues(
  db: Executor, officeId: string, values: Record<string, CustomValue> | undefined, current: Record<string, unknown> | null,
): Promise<Record<string, CustomValue> | undefined> {
  if (values === undefined && current !== null) return undefined;
  const defs = (await repo.customFields(db, officeId)).map(presentField);
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const issues: FieldIssue[] = [];
  const result: Record<string, CustomValue> = { ...((current ?? {}) as Record<string, CustomValue>) };
  for (const [key, value] of Object.entries(values ?? {})) {
    const def = byKey.get(key);
    if (!def || def.retired) {
      issues.push({ field: `customFields.${key}`, message: def ? 'this field is retired' : 'no such custom field in this office' });
      continue;
    }
    const checked = checkValue(def, value);
    if (!checked.ok) issues.push({ field: `customFields.${key}`, message: checked.message });
    else if (checked.value === null) delete result[key];
    else result[key] = checked.value;
  }
  for (const def of defs) {
    if (def.isRequired && !def.retired && result[def.key] === undefined) issues.push({ field: `customFields.${def.key}`, message: `${def.label} is required` });
  }
  if (issues.length) throw new DomainError('validation_failed', { message: `${issues[0]!.field}: ${issues[0]!.message}`, field: issues[0]!.field, issues });
  return result;
}
