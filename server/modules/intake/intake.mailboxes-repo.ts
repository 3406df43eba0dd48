// SQL for the office mailboxes read over IMAP: their settings, the poll's lease and the UID
// bookkeeping (uid_validity, last_uid) with the status shown to admins.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { IntakeMailboxesTable } from '../../platform/db/schema.js';

export type MailboxRow = Selectable<IntakeMailboxesTable>;
export type NewMailbox = Omit<Insertable<IntakeMailboxesTable>, 'office_id'>;

export const list = (db: Executor, officeId: string) =>
  db.selectFrom('intake_mailboxes').selectAll().where('office_id', '=', officeId).orderBy('created_at').orderBy('id').execute();

export const get = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('intake_mailboxes').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('intake_mailboxes').selectAll().where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

/** Inserts unless the office already reads that mailbox (same host, port, user and folder). */
export const insert = (db: Executor, officeId: string, v: NewMailbox) =>
  db.insertInto('intake_mailboxes').values({ ...v, office_id: officeId })
    .onConflict((oc) => oc.doNothing())
    .returningAll().executeTakeFirst();

export const update = (db: Executor, officeId: string, id: string, v: Updateable<IntakeMailboxesTable>) =>
  db.updateTable('intake_mailboxes').set({ ...v, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).returningAll().executeTakeFirst();

/** Whether another of the office's configurations reads that mailbox. */
export async function clashes(db: Executor, officeId: string, id: string, v: { host: string; port: number; username: string; mailbox: string }): Promise<boolean> {
  const row = await db.selectFrom('intake_mailboxes').select('id').where('office_id', '=', officeId).where('id', '<>', id)
    .where(sql<boolean>`lower(host) = lower(${v.host}) AND port = ${v.port} AND lower(username) = lower(${v.username}) AND mailbox = ${v.mailbox}`)
    .executeTakeFirst();
  return row !== undefined;
}

export const remove = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('intake_mailboxes').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** The enabled mailboxes of every office, for the cron job. */
export const enabled = (db: Executor) =>
  db.selectFrom('intake_mailboxes').select(['office_id', 'id']).where('enabled', '=', true).orderBy('created_at').execute();

// ---------------------------------------------------------------- the poll's lease

/** Takes the mailbox for a poll unless another poll holds an unexpired lease; the row, or undefined. */
export const takeLease = (db: Executor, officeId: string, id: string, owner: string, seconds: number) =>
  db.updateTable('intake_mailboxes')
    .set({ lease_owner: owner, lease_until: sql`now() + make_interval(secs => ${seconds})`, last_poll_at: sql`now()` })
    .where('office_id', '=', officeId).where('id', '=', id).where('enabled', '=', true)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
    .returningAll().executeTakeFirst();

/** Writes the poll's progress while it still holds the lease (and renews it); false when it lost it. */
export async function whileLeased(db: Executor, officeId: string, id: string, owner: string, seconds: number, v: Updateable<IntakeMailboxesTable>): Promise<boolean> {
  const r = await db.updateTable('intake_mailboxes')
    .set({ ...v, lease_until: sql`now() + make_interval(secs => ${seconds})` })
    .where('office_id', '=', officeId).where('id', '=', id).where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends the poll: its outcome and the lease released (only by the poll that holds it). */
export const release = (db: Executor, officeId: string, id: string, owner: string, v: Updateable<IntakeMailboxesTable>) =>
  db.updateTable('intake_mailboxes').set({ ...v, lease_owner: null, lease_until: null })
    .where('office_id', '=', officeId).where('id', '=', id).where('lease_owner', '=', owner).execute();
