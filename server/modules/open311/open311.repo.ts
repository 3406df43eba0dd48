// SQL for Open311: the office's published services and its integrators' API keys (hashes only).
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Open311KeysTable, Open311ServicesTable } from '../../platform/db/schema.js';

export type ServiceRow = Selectable<Open311ServicesTable>;
export type KeyRow = Selectable<Open311KeysTable>;

export const services = (db: Executor, officeId: string) =>
  db.selectFrom('open311_services').selectAll().where('office_id', '=', officeId).orderBy(sql`lower(service_code)`).execute();

export const serviceByCode = (db: Executor, officeId: string, code: string) =>
  db.selectFrom('open311_services').selectAll().where('office_id', '=', officeId).where(sql<string>`lower(service_code)`, '=', code.toLowerCase()).executeTakeFirst();

export const serviceOfCategory = (db: Executor, officeId: string, categoryId: string) =>
  db.selectFrom('open311_services').selectAll().where('office_id', '=', officeId).where('category_id', '=', categoryId).executeTakeFirst();

export const upsertService = (db: Executor, officeId: string, categoryId: string, v: { service_code: string; description: string; keywords: string[]; group_name: string | null; attributes: string }) =>
  db.insertInto('open311_services').values({ office_id: officeId, category_id: categoryId, ...v })
    .onConflict((oc) => oc.columns(['office_id', 'category_id']).doUpdateSet({ ...v, updated_at: sql`now()` }))
    .returningAll().executeTakeFirstOrThrow();

export const deleteService = (db: Executor, officeId: string, categoryId: string) =>
  db.deleteFrom('open311_services').where('office_id', '=', officeId).where('category_id', '=', categoryId).executeTakeFirst();

// ---------------------------------------------------------------- keys

export const keys = (db: Executor, officeId: string) =>
  db.selectFrom('open311_keys').selectAll().where('office_id', '=', officeId).orderBy('created_at', 'desc').limit(500).execute();

export const key = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('open311_keys').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** A live key by its hash: the office it belongs to. */
export const liveKeyByHash = (db: Executor, hash: string) =>
  db.selectFrom('open311_keys').select(['office_id', 'id']).where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();

export const insertKey = (db: Executor, officeId: string, v: { name: string; key_prefix: string; key_hash: string }) =>
  db.insertInto('open311_keys').values({ office_id: officeId, ...v }).returningAll().executeTakeFirstOrThrow();

export const revokeKey = (db: Executor, officeId: string, id: string) =>
  db.updateTable('open311_keys').set({ revoked_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();

/** Marks a key used, at most once a minute per key (no write on every request). */
export const touchKey = (db: Executor, officeId: string, id: string) =>
  db.updateTable('open311_keys').set({ last_used_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)])).execute();
