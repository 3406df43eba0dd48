// SQL for the SMS channel: an office's provider settings and the numbers that texted STOP (or START).
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { SmsSettingsTable } from '../../platform/db/schema.js';

export const settings = (db: Executor, officeId: string) =>
  db.selectFrom('sms_settings').selectAll().where('office_id', '=', officeId).executeTakeFirst();
export type SettingsRow = NonNullable<Awaited<ReturnType<typeof settings>>>;

export const upsertSettings = (db: Executor, officeId: string, v: Omit<Insertable<SmsSettingsTable>, 'office_id'>) =>
  db.insertInto('sms_settings').values({ ...v, office_id: officeId })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ ...v, updated_at: sql`now()` }))
    .returningAll().executeTakeFirstOrThrow();

export const isOptedOut = async (db: Executor, officeId: string, phone: string): Promise<boolean> =>
  (await db.selectFrom('sms_opt_outs').select('phone_e164').where('office_id', '=', officeId).where('phone_e164', '=', phone).where('opted_out', '=', true).executeTakeFirst()) !== undefined;

// STOP and START are applied in the order they were received, not processed (jobs run in
// parallel and retry): the row holds the newest of them (a START too, as opted_out false),
// and a keyword older than the row changes nothing.
const setOptOut = (db: Executor, officeId: string, phone: string, keyword: string, optedOut: boolean, at: Date) =>
  db.insertInto('sms_opt_outs').values({ office_id: officeId, phone_e164: phone, keyword, opted_out: optedOut, changed_at: at })
    .onConflict((oc) => oc.columns(['office_id', 'phone_e164']).doUpdateSet({ keyword, opted_out: optedOut, changed_at: at }).where('sms_opt_outs.changed_at', '<', at))
    .execute();

export const optOut = (db: Executor, officeId: string, phone: string, keyword: string, at: Date) => setOptOut(db, officeId, phone, keyword, true, at);
export const optIn = (db: Executor, officeId: string, phone: string, keyword: string, at: Date) => setOptOut(db, officeId, phone, keyword, false, at);
