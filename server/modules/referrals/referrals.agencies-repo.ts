// SQL for the agency directory (`agencies`) and the office's privacy-release settings.
import { sql, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { AgenciesTable } from '../../platform/db/schema.js';

export const list = (db: Executor, officeId: string, includeRetired: boolean) => {
  let q = db.selectFrom('agencies').selectAll().where('office_id', '=', officeId);
  if (!includeRetired) q = q.where('retired', '=', false);
  return q.orderBy(sql`lower(name)`).orderBy('id').execute();
};

export const get = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('agencies').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export type AgencyRow = NonNullable<Awaited<ReturnType<typeof get>>>;

/** A live agency of the office with this name (ignoring case), other than `exceptId`. */
export const liveNamed = (db: Executor, officeId: string, name: string, exceptId?: string) => {
  let q = db.selectFrom('agencies').select(['id', 'name']).where('office_id', '=', officeId).where('retired', '=', false)
    .where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
};

export const insert = (db: Executor, officeId: string, v: { name: string; kind: string; contact_name: string | null; email: string | null; phone: string | null; notes: string; requires_privacy_release: boolean }) =>
  db.insertInto('agencies').values({ ...v, office_id: officeId }).returningAll().executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, v: Updateable<AgenciesTable>) =>
  db.updateTable('agencies').set({ ...v, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const settings = (db: Executor, officeId: string) =>
  db.selectFrom('privacy_release_settings').select(['consent_text', 'link_expiry_days']).where('office_id', '=', officeId).executeTakeFirst();

export const saveSettings = (db: Executor, officeId: string, v: { consent_text: string | null; link_expiry_days: number }) =>
  db.insertInto('privacy_release_settings').values({ office_id: officeId, ...v })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ ...v, updated_at: sql`now()` })).execute();
