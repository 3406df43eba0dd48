// Offices: creation (CLI and first start) and the settings an admin may change.
import type { Selectable } from 'kysely';
import { ZBranding, ZBusinessHours, ZCreateOffice, type CreateOffice, type Office, type UpdateOffice } from '../../../contract/offices.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import type { OfficesTable } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import { enqueueRecompute } from '../sla/sla.jobs.js';
import * as repo from './offices.repo.js';

type OfficeRow = Selectable<OfficesTable>;

export function present(row: OfficeRow): Office {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    timeZone: row.time_zone,
    locale: row.locale,
    defaultRegion: row.default_region,
    businessHours: ZBusinessHours.parse(row.business_hours),
    branding: ZBranding.parse(row.branding),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Creates an office (platform operation: CLI, first start, tests). */
export async function create(db: Executor, input: CreateOffice, actorLabel = 'cli'): Promise<Office> {
  const v = ZCreateOffice.parse(input);
  if (await repo.getBySlug(db, v.slug)) throw new DomainError('conflict', { field: 'slug', message: `An office with slug "${v.slug}" already exists` });
  const row = await repo.insert(db, {
    slug: v.slug,
    name: v.name,
    time_zone: v.timeZone,
    locale: v.locale,
    default_region: v.defaultRegion,
    business_hours: JSON.stringify(v.businessHours),
  });
  await audit.record(db, systemScope(db, row.id, actorLabel), { entity: 'office', id: row.id, action: 'created', after: present(row) });
  return present(row);
}

export async function get(scope: Scope): Promise<Office> {
  const row = await repo.get(scope.db, scope.officeId);
  if (!row) throw new DomainError('not_found');
  return present(row);
}

/** Changes settings; a new time zone or new business hours queue the recompute of open cases' SLA due times. */
export async function update(scope: Scope, input: UpdateOffice, jobs?: Jobs): Promise<Office> {
  return inTransaction(scope.db, async (trx) => {
    const before = await repo.get(trx, scope.officeId);
    if (!before) throw new DomainError('not_found');
    const row = await repo.update(trx, scope.officeId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
      ...(input.defaultRegion !== undefined ? { default_region: input.defaultRegion } : {}),
      ...(input.businessHours !== undefined ? { business_hours: JSON.stringify(input.businessHours) } : {}),
      ...(input.branding !== undefined ? { branding: JSON.stringify(input.branding) } : {}),
      updated_at: new Date(),
    });
    await audit.record(trx, scope, { entity: 'office', id: row.id, action: 'updated', before: present(before), after: present(row) });
    const isCalendarChanged = before.time_zone !== row.time_zone || JSON.stringify(present(before).businessHours) !== JSON.stringify(present(row).businessHours);
    if (isCalendarChanged) await enqueueRecompute(jobs, trx, scope.officeId);
    return present(row);
  });
}

export const list = async (db: Executor) => (await repo.list(db)).map(present);
export const getBySlug = async (db: Executor, slug: string) => {
  const row = await repo.getBySlug(db, slug);
  return row ? present(row) : undefined;
};
export const count = repo.count;
