// SQL for constituent records, their contact points, external ids and households.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { ConstituentsTable } from '../../platform/db/schema.js';

export type NewEmail = { email: string; type: string; is_primary: boolean; status: string };
export type NewPhone = { phone_e164: string; type: string; is_primary: boolean; status: string };
export type NewAddress = {
  line1: string; line2: string | null; locality: string | null; postcode: string | null; country: string | null;
  lat: number | null; lng: number | null; location_source: string | null; type: string; is_primary: boolean; status: string;
};
export type NewExternalId = { system: string; value: string };

export const get = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('constituents').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export type ConstituentRow = NonNullable<Awaited<ReturnType<typeof get>>>;

/** Locks the record so concurrent edits (and merges) serialise. */
export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('constituents').select(['id', 'status']).where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export const insert = (db: Executor, officeId: string, values: Omit<Insertable<ConstituentsTable>, 'office_id'>) =>
  db.insertInto('constituents').values({ ...values, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, values: Updateable<ConstituentsTable>) =>
  db.updateTable('constituents').set({ ...values, updated_at: new Date() }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const emailsOf = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('constituent_emails').select(['id', 'email', 'type', 'is_primary', 'status'])
    .where('office_id', '=', officeId).where('constituent_id', '=', id).orderBy('is_primary', 'desc').orderBy('id').execute();

export const phonesOf = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('constituent_phones').select(['id', 'phone_e164', 'type', 'is_primary', 'status'])
    .where('office_id', '=', officeId).where('constituent_id', '=', id).orderBy('is_primary', 'desc').orderBy('id').execute();

export const addressesOf = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('constituent_addresses')
    .select(['id', 'line1', 'line2', 'locality', 'postcode', 'country', 'lat', 'lng', 'location_source', 'type', 'is_primary', 'status'])
    .where('office_id', '=', officeId).where('constituent_id', '=', id).orderBy('is_primary', 'desc').orderBy('id').execute();

export const externalIdsOf = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('constituent_external_ids').select(['system', 'value'])
    .where('office_id', '=', officeId).where('constituent_id', '=', id).orderBy('system').orderBy('value').execute();

export async function replaceEmails(db: Executor, officeId: string, id: string, rows: NewEmail[]): Promise<void> {
  await db.deleteFrom('constituent_emails').where('office_id', '=', officeId).where('constituent_id', '=', id).execute();
  if (rows.length) await db.insertInto('constituent_emails').values(rows.map((r) => ({ ...r, office_id: officeId, constituent_id: id }))).execute();
}

export async function replacePhones(db: Executor, officeId: string, id: string, rows: NewPhone[]): Promise<void> {
  await db.deleteFrom('constituent_phones').where('office_id', '=', officeId).where('constituent_id', '=', id).execute();
  if (rows.length) await db.insertInto('constituent_phones').values(rows.map((r) => ({ ...r, office_id: officeId, constituent_id: id }))).execute();
}

/** Replaces the addresses; returns the new rows' ids (for area assignment). */
export async function replaceAddresses(db: Executor, officeId: string, id: string, rows: NewAddress[]): Promise<string[]> {
  await db.deleteFrom('constituent_addresses').where('office_id', '=', officeId).where('constituent_id', '=', id).execute();
  if (!rows.length) return [];
  const inserted = await db.insertInto('constituent_addresses').values(rows.map((r) => ({ ...r, office_id: officeId, constituent_id: id }))).returning('id').execute();
  return inserted.map((r) => r.id);
}

export async function replaceExternalIds(db: Executor, officeId: string, id: string, rows: NewExternalId[]): Promise<void> {
  await db.deleteFrom('constituent_external_ids').where('office_id', '=', officeId).where('constituent_id', '=', id).execute();
  if (rows.length) await db.insertInto('constituent_external_ids').values(rows.map((r) => ({ ...r, office_id: officeId, constituent_id: id }))).execute();
}

/** External ids among these that already belong to someone other than `exceptId`. */
export const externalIdOwners = (db: Executor, officeId: string, ids: NewExternalId[], exceptId?: string) => {
  if (!ids.length) return Promise.resolve([]);
  let q = db.selectFrom('constituent_external_ids').select(['system', 'value', 'constituent_id']).where('office_id', '=', officeId)
    .where((eb) => eb.or(ids.map((x) => eb.and([eb('system', '=', x.system), eb('value', '=', x.value)]))));
  if (exceptId) q = q.where('constituent_id', '<>', exceptId);
  return q.execute();
};

export const household = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('households').select(['id', 'name']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const householdMembers = (db: Executor, officeId: string, householdId: string) =>
  db.selectFrom('constituents').select(['id', 'display_name']).where('office_id', '=', officeId)
    .where('household_id', '=', householdId).where('status', '=', 'active').orderBy('sort_name').limit(100).execute();

export const insertHousehold = (db: Executor, officeId: string, name: string) =>
  db.insertInto('households').values({ office_id: officeId, name }).returning(['id', 'name']).executeTakeFirstOrThrow();

export const setHousehold = (db: Executor, officeId: string, ids: string[], householdId: string | null) =>
  db.updateTable('constituents').set({ household_id: householdId, updated_at: new Date() })
    .where('office_id', '=', officeId).where('id', 'in', ids).execute();

export const deleteHousehold = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('households').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** Which of these ids are active constituents of the office. */
export const activeIds = async (db: Executor, officeId: string, ids: string[]) =>
  ids.length === 0 ? [] : (await db.selectFrom('constituents').select('id').where('office_id', '=', officeId)
    .where('id', 'in', ids).where('status', '=', 'active').execute()).map((r) => r.id);

export const officeRegion = async (db: Executor, officeId: string) =>
  (await db.selectFrom('offices').select('default_region').where('id', '=', officeId).executeTakeFirstOrThrow()).default_region;

// Custom field definitions
export const customFields = (db: Executor, officeId: string) =>
  db.selectFrom('custom_field_definitions').selectAll().where('office_id', '=', officeId).orderBy('position').orderBy('label').execute();

export type CustomFieldRow = Awaited<ReturnType<typeof customFields>>[number];

export const customField = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('custom_field_definitions').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const insertCustomField = (db: Executor, officeId: string, v: { key: string; label: string; type: string; options: string[]; is_required: boolean; position: number }) =>
  db.insertInto('custom_field_definitions').values({ ...v, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const updateCustomField = (db: Executor, officeId: string, id: string, v: { label?: string; options?: string[]; is_required?: boolean; retired?: boolean; position?: number }) =>
  db.updateTable('custom_field_definitions').set(v).where('office_id', '=', officeId).where('id', '=', id).execute();

/** Records holding a value (for choice fields: one of these options) in a custom field. */
export const customFieldInUse = async (db: Executor, officeId: string, key: string, options: string[]) => {
  const row = await db.selectFrom('constituents').select('id').where('office_id', '=', officeId)
    .where(sql<boolean>`custom_fields -> ${key} ?| ${options}::text[] OR custom_fields ->> ${key} = ANY(${options}::text[])`)
    .limit(1).executeTakeFirst();
  return row !== undefined;
};

// ---------------------------------------------------------------- intake

/** Live records holding this email or phone, most recently changed first. */
export const byEmail = (db: Executor, officeId: string, email: string) =>
  db.selectFrom('constituent_emails as e').innerJoin('constituents as c', (j) => j.onRef('c.office_id', '=', 'e.office_id').onRef('c.id', '=', 'e.constituent_id'))
    .select(['c.id', 'c.provisional']).where('e.office_id', '=', officeId).where('e.email', '=', email).where('c.status', '=', 'active')
    .orderBy('c.provisional').orderBy('c.updated_at', 'desc').limit(1).executeTakeFirst();

export const byPhone = (db: Executor, officeId: string, e164: string) =>
  db.selectFrom('constituent_phones as p').innerJoin('constituents as c', (j) => j.onRef('c.office_id', '=', 'p.office_id').onRef('c.id', '=', 'p.constituent_id'))
    .select(['c.id', 'c.provisional']).where('p.office_id', '=', officeId).where('p.phone_e164', '=', e164).where('c.status', '=', 'active')
    .orderBy('c.provisional').orderBy('c.updated_at', 'desc').limit(1).executeTakeFirst();

/** A bounce against an address: hard marks it bounced, soft counts (three soft bounces count as hard). */
export const recordBounce = (db: Executor, officeId: string, email: string, isHard: boolean) =>
  db.updateTable('constituent_emails')
    .set(isHard
      ? { status: 'bounced', bounced_at: sql`now()` }
      : { soft_bounces: sql`soft_bounces + 1`, status: sql`CASE WHEN soft_bounces + 1 >= 3 THEN 'bounced' ELSE status END`, bounced_at: sql`CASE WHEN soft_bounces + 1 >= 3 THEN now() ELSE bounced_at END` })
    .where('office_id', '=', officeId).where('email', '=', email).where('status', '<>', 'moved')
    .returning(['constituent_id', 'status']).execute();

export const optOutOfBulk = (db: Executor, officeId: string, ids: string[]) =>
  ids.length ? db.updateTable('constituents').set({ bulk_opt_out: true, updated_at: new Date() }).where('office_id', '=', officeId).where('id', 'in', ids).where('bulk_opt_out', '=', false).returning('id').execute() : Promise.resolve([]);

export const constituentsWithEmail = (db: Executor, officeId: string, email: string) =>
  db.selectFrom('constituent_emails').select('constituent_id').distinct().where('office_id', '=', officeId).where('email', '=', email).execute();

export const confirmProvisional = (db: Executor, officeId: string, id: string) =>
  db.updateTable('constituents').set({ provisional: false, updated_at: new Date() }).where('office_id', '=', officeId).where('id', '=', id).where('provisional', '=', true).returning('id').executeTakeFirst();

/** The live records holding this email (not marked moved), most recently changed first: whom a portal account speaks for. */
export const liveHoldersOfEmail = async (db: Executor, officeId: string, email: string): Promise<string[]> =>
  (await db.selectFrom('constituent_emails as e').innerJoin('constituents as c', (j) => j.onRef('c.office_id', '=', 'e.office_id').onRef('c.id', '=', 'e.constituent_id'))
    .select(['c.id', 'c.updated_at']).distinct().where('e.office_id', '=', officeId).where('e.email', '=', email).where('e.status', '<>', 'moved')
    .where('c.status', '=', 'active').orderBy('c.updated_at', 'desc').orderBy('c.id').limit(50).execute()).map((r) => r.id);
