// Open311 administration: publishing a case category as a service (its code, description,
// keywords, group and attributes) and managing integrators' API keys (shown once, stored
// as SHA-256 hashes). Each change is audited.
import {
  ZOpen311Attribute, ZOpen311ServiceInput, type Open311Attribute, type Open311Key, type Open311Service, type Open311ServiceInput,
} from '../../../contract/open311.js';
import { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import { randomSecret, sha256 } from '../../platform/auth/secrets.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { withDb, type Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import * as repo from './open311.repo.js';

export const KEY_PREFIX = 'o311_';

/** Attributes as stored; rows written before a change of rules are read leniently. */
export const attributesOf = (row: repo.ServiceRow): Open311Attribute[] => z.array(ZOpen311Attribute).catch([]).parse(row.attributes);

export function presentService(row: repo.ServiceRow, categoryName: string): Open311Service {
  return {
    categoryId: row.category_id, categoryName, serviceCode: row.service_code, description: row.description, keywords: row.keywords,
    group: row.group_name, attributes: attributesOf(row), updatedAt: row.updated_at.toISOString(),
  };
}

export async function listServices(scope: Scope): Promise<Open311Service[]> {
  const names = new Map((await categories.list(scope, { includeRetired: true })).map((c) => [c.id, c.path.join(' › ')]));
  return (await repo.services(scope.db, scope.officeId)).map((r) => presentService(r, names.get(r.category_id) ?? ''));
}

/** Publishes the category as a service, or changes how it is published. */
export async function putService(scope: Scope, categoryId: string, input: Open311ServiceInput): Promise<Open311Service> {
  const v = ZOpen311ServiceInput.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const category = (await categories.list(s, { includeRetired: true })).find((c) => c.id === categoryId);
    if (!category) throw new DomainError('not_found', { message: 'No such category in this office' });
    await categories.assertUsable(trx, scope.officeId, categoryId, 'id');
    const clash = await repo.serviceByCode(trx, scope.officeId, v.serviceCode);
    if (clash && clash.category_id !== categoryId) throw new DomainError('conflict', { field: 'serviceCode', message: `Another category is published as "${clash.service_code}"` });
    const before = await repo.serviceOfCategory(trx, scope.officeId, categoryId);
    const row = await repo.upsertService(trx, scope.officeId, categoryId, {
      service_code: v.serviceCode, description: v.description, keywords: v.keywords, group_name: v.group, attributes: JSON.stringify(v.attributes),
    });
    const after = presentService(row, category.path.join(' › '));
    await audit.record(trx, scope, {
      entity: 'open311_service', id: categoryId, action: before ? 'updated' : 'published',
      before: before ? presentService(before, category.path.join(' › ')) : null, after: { ...after, summary: `Open311 service "${after.serviceCode}" ${before ? 'updated' : 'published'}` },
    });
    return after;
  });
}

export async function removeService(scope: Scope, categoryId: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const before = await repo.serviceOfCategory(trx, scope.officeId, categoryId);
    if (!before) throw new DomainError('not_found', { message: 'This category is not published as an Open311 service' });
    await repo.deleteService(trx, scope.officeId, categoryId);
    await audit.record(trx, scope, { entity: 'open311_service', id: categoryId, action: 'unpublished', before: presentService(before, ''), after: { summary: `Open311 service "${before.service_code}" withdrawn` } });
  });
}

// ---------------------------------------------------------------- keys

export const presentKey = (r: repo.KeyRow): Open311Key => ({
  id: r.id, name: r.name, prefix: r.key_prefix, createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null, revokedAt: r.revoked_at?.toISOString() ?? null,
});

export const listKeys = async (scope: Scope): Promise<Open311Key[]> => (await repo.keys(scope.db, scope.officeId)).map(presentKey);

/** A new key; its secret is returned this once and only its hash is kept. */
export async function createKey(scope: Scope, input: { name: string }): Promise<{ key: Open311Key; secret: string }> {
  return inTransaction(scope.db, async (trx) => {
    const secret = `${KEY_PREFIX}${randomSecret(24)}`;
    const row = await repo.insertKey(trx, scope.officeId, { name: input.name, key_prefix: secret.slice(0, 10), key_hash: sha256(secret) });
    const key = presentKey(row);
    await audit.record(trx, scope, { entity: 'open311_key', id: row.id, action: 'created', after: { ...key, summary: `Open311 API key "${key.name}" created` } });
    return { key, secret };
  });
}

export async function revokeKey(scope: Scope, id: string): Promise<Open311Key> {
  return inTransaction(scope.db, async (trx) => {
    const before = await repo.key(trx, scope.officeId, id);
    if (!before) throw new DomainError('not_found', { message: 'No such Open311 API key in this office' });
    if (before.revoked_at) return presentKey(before);
    await repo.revokeKey(trx, scope.officeId, id);
    const after = presentKey((await repo.key(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'open311_key', id, action: 'revoked', before: presentKey(before), after: { ...after, summary: `Open311 API key "${after.name}" revoked` } });
    return after;
  });
}
