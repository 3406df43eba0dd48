// SQL for intake: inbound items, the office's intake addresses, and who is viewing an item.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { InboundItemsTable } from '../../platform/db/schema.js';

export type ItemRow = Selectable<InboundItemsTable>;
export type NewItem = Omit<Insertable<InboundItemsTable>, 'office_id'>;

/** Stores an item unless its (channel, key) is already stored; returns the row that holds the key. */
export async function insertOnce(db: Executor, officeId: string, item: NewItem): Promise<{ id: string; status: string; created: boolean }> {
  const row = await db.insertInto('inbound_items').values({ ...item, office_id: officeId })
    .onConflict((oc) => oc.columns(['office_id', 'channel', 'idempotency_key']).doNothing())
    .returning(['id', 'status']).executeTakeFirst();
  if (row) return { ...row, created: true };
  const existing = await db.selectFrom('inbound_items').select(['id', 'status']).where('office_id', '=', officeId)
    .where('channel', '=', item.channel).where('idempotency_key', '=', item.idempotency_key).executeTakeFirstOrThrow();
  return { ...existing, created: false };
}

export const get = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('inbound_items').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('inbound_items').selectAll().where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export const update = (db: Executor, officeId: string, id: string, values: Updateable<InboundItemsTable>) =>
  db.updateTable('inbound_items').set({ ...values, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

/**
 * A filed item whose sender's typed details matched a record on file, while its own sender
 * record is still provisional: staff have yet to merge it (same person) or confirm it (someone
 * else). Reads the item as `i` and its sender as `c`.
 */
const awaitsSenderDecision = sql<boolean>`(i.status = 'filed' AND i.suggested_constituent_id IS NOT NULL AND c.provisional AND i.suggested_constituent_id <> i.constituent_id)`;

/**
 * The inbox page: items with the names of their sender and cases (keyset on received_at, id).
 * `orSenderDecision`: also the filed items that wait for a decision on their sender.
 */
export function list(db: Executor, officeId: string, f: { statuses: string[] | null; orSenderDecision?: boolean; channel?: string | undefined; caseId?: string; itemId?: string; after?: { at: Date; id: string } }, limit: number) {
  let q = db.selectFrom('inbound_items as i')
    .leftJoin('constituents as c', (j) => j.onRef('c.office_id', '=', 'i.office_id').onRef('c.id', '=', 'i.constituent_id'))
    .leftJoin('constituents as m', (j) => j.onRef('m.office_id', '=', 'i.office_id').onRef('m.id', '=', 'i.suggested_constituent_id'))
    .leftJoin('cases as k', (j) => j.onRef('k.office_id', '=', 'i.office_id').onRef('k.id', '=', 'i.case_id'))
    .leftJoin('cases as s', (j) => j.onRef('s.office_id', '=', 'i.office_id').onRef('s.id', '=', 'i.suggested_case_id'))
    .select([
      'i.id', 'i.channel', 'i.source', 'i.status', 'i.kind', 'i.received_at', 'i.sender_name', 'i.sender_address', 'i.subject',
      sql<string>`left(coalesce(i.reply_text, i.body_text, ''), 200)`.as('snippet'), 'i.error', 'i.details',
      'i.constituent_id', 'c.display_name as constituent_name', 'c.provisional as constituent_provisional',
      'i.suggested_constituent_id', 'm.display_name as suggested_sender_name', awaitsSenderDecision.as('awaits_sender_decision'),
      'i.case_id', 'k.reference as case_reference', 'k.subject as case_subject', 'k.is_sensitive as case_sensitive',
      'i.suggested_case_id', 's.reference as suggested_reference', 's.subject as suggested_subject', 's.is_sensitive as suggested_sensitive',
    ])
    .where('i.office_id', '=', officeId);
  if (f.statuses) {
    const statuses = f.statuses;
    q = f.orSenderDecision ? q.where((eb) => eb.or([eb('i.status', 'in', statuses), awaitsSenderDecision])) : q.where('i.status', 'in', statuses);
  }
  if (f.channel) q = q.where('i.channel', '=', f.channel);
  if (f.caseId) q = q.where('i.case_id', '=', f.caseId);
  if (f.itemId) q = q.where('i.id', '=', f.itemId);
  if (f.after) q = q.where(sql<boolean>`(i.received_at, i.id) < (${f.after.at}, ${f.after.id}::uuid)`);
  return q.orderBy('i.received_at', 'desc').orderBy('i.id', 'desc').limit(limit).execute();
}
export type ListRow = Awaited<ReturnType<typeof list>>[number];

export async function counts(db: Executor, officeId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('inbound_items').select(['status', sql<string>`count(*)`.as('n')])
    .where('office_id', '=', officeId).where('status', 'in', ['new', 'needs_attention', 'received']).groupBy('status').execute();
  const matches = await db.selectFrom('inbound_items as i')
    .innerJoin('constituents as c', (j) => j.onRef('c.office_id', '=', 'i.office_id').onRef('c.id', '=', 'i.constituent_id'))
    .select(sql<string>`count(*)`.as('n')).where('i.office_id', '=', officeId).where(awaitsSenderDecision)
    .executeTakeFirstOrThrow();
  return { ...Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])), sender_decision: Number(matches.n) };
}

/** Acknowledgements sent to this sender since `since` (the per-sender limit). */
export async function acknowledgedSince(db: Executor, officeId: string, sender: string, since: Date): Promise<number> {
  const row = await db.selectFrom('inbound_items').select(sql<string>`count(*)`.as('n'))
    .where('office_id', '=', officeId).where('sender_address', '=', sender).where('received_at', '>=', since).where('acknowledged', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Items still 'received' and untouched since the time, oldest first, a page at a time. */
export const stale = (db: Executor, before: Date, limit: number, after?: { at: Date; id: string }) =>
  db.selectFrom('inbound_items').select(['office_id', 'id', 'updated_at']).where('status', '=', 'received').where('updated_at', '<', before)
    .$if(!!after, (q) => q.where((eb) => eb.or([eb('updated_at', '>', after!.at), eb.and([eb('updated_at', '=', after!.at), eb('id', '>', after!.id)])])))
    .orderBy('updated_at').orderBy('id').limit(limit).execute();

export const raw = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('inbound_items').select(['raw', 'raw_type', 'details', 'case_id', 'suggested_case_id']).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

// ---------------------------------------------------------------- addresses

export const addresses = (db: Executor, officeId: string) =>
  db.selectFrom('intake_addresses').selectAll().where('office_id', '=', officeId).orderBy('address').execute();

/** Which office receives mail at this address (the deployment-wide routing of the SMTP listener). */
export const addressOwner = (db: Executor, address: string) =>
  db.selectFrom('intake_addresses').select(['office_id', 'address', 'acknowledge']).where('address', '=', address).executeTakeFirst();

export const insertAddress = (db: Executor, officeId: string, address: string, acknowledge: boolean, useForReplies = false) =>
  db.insertInto('intake_addresses').values({ office_id: officeId, address, acknowledge, use_for_replies: useForReplies }).onConflict((oc) => oc.column('address').doNothing()).returningAll().executeTakeFirst();

export function updateAddress(db: Executor, officeId: string, address: string, values: { acknowledge?: boolean | undefined; use_for_replies?: boolean | undefined }) {
  const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  if (!Object.keys(set).length) return db.selectFrom('intake_addresses').selectAll().where('office_id', '=', officeId).where('address', '=', address).executeTakeFirst();
  return db.updateTable('intake_addresses').set(set).where('office_id', '=', officeId).where('address', '=', address).returningAll().executeTakeFirst();
}

/** Unmarks the office's reply address (before another is marked: one per office). */
export const clearReplyAddress = (db: Executor, officeId: string) =>
  db.updateTable('intake_addresses').set({ use_for_replies: false }).where('office_id', '=', officeId).where('use_for_replies', '=', true).execute();

/** The address replies come back to: the one marked, else the oldest. */
export const replyAddress = async (db: Executor, officeId: string): Promise<string | null> =>
  (await db.selectFrom('intake_addresses').select('address').where('office_id', '=', officeId)
    .orderBy('use_for_replies', 'desc').orderBy('created_at').orderBy('address').limit(1).executeTakeFirst())?.address ?? null;

export const deleteAddress = (db: Executor, officeId: string, address: string) =>
  db.deleteFrom('intake_addresses').where('office_id', '=', officeId).where('address', '=', address).executeTakeFirst();

// ---------------------------------------------------------------- viewers

export async function touchViewer(db: Executor, officeId: string, itemId: string, userId: string): Promise<void> {
  await db.insertInto('inbox_viewers').values({ office_id: officeId, item_id: itemId, user_id: userId })
    .onConflict((oc) => oc.columns(['office_id', 'item_id', 'user_id']).doUpdateSet({ seen_at: sql`now()` })).execute();
}

export const viewers = (db: Executor, officeId: string, itemId: string, exceptUserId: string, since: Date) =>
  db.selectFrom('inbox_viewers as v').innerJoin('users as u', (j) => j.onRef('u.office_id', '=', 'v.office_id').onRef('u.id', '=', 'v.user_id'))
    .select(['v.user_id', 'u.display_name']).where('v.office_id', '=', officeId).where('v.item_id', '=', itemId)
    .where('v.user_id', '<>', exceptUserId).where('v.seen_at', '>=', since).orderBy('u.display_name').execute();

/** The details of the first item of a channel filed on each of these cases (a report's own fields, for that channel's feed). */
export async function firstDetailsOfCases(db: Executor, officeId: string, channel: string, caseIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (!caseIds.length) return new Map();
  const rows = await db.selectFrom('inbound_items').select(['case_id', 'details']).distinctOn('case_id')
    .where('office_id', '=', officeId).where('channel', '=', channel).where('case_id', 'in', [...caseIds])
    .orderBy('case_id').orderBy('received_at').execute();
  return new Map(rows.map((r) => [r.case_id!, r.details as Record<string, unknown>]));
}

/**
 * The first web request filed on the case with this reference whose typed email or phone is
 * one of these. The same query runs whether or not the reference exists, so the answer takes
 * as long either way.
 */
export async function firstWebRequestOf(db: Executor, officeId: string, reference: string, contact: { email: string | null; phone: string | null }): Promise<string | null> {
  const typed = sql`convert_from(i.raw, 'UTF8')::jsonb`;
  const r = await sql<{ id: string }>`SELECT i.id FROM inbound_items i
    JOIN cases c ON c.office_id = i.office_id AND c.id = i.case_id
    WHERE i.office_id = ${officeId} AND c.reference = ${reference} AND i.channel = 'web' AND i.status = 'filed'
      AND coalesce(i.details->>'portal', 'report') = 'report'
      AND ((${contact.email}::text IS NOT NULL AND lower(${typed}->>'email') = ${contact.email}) OR (${contact.phone}::text IS NOT NULL AND ${typed}->>'phone' = ${contact.phone}))
    ORDER BY i.received_at, i.id LIMIT 1`.execute(db);
  return r.rows[0]?.id ?? null;
}

export async function portalCommentIds(db: Executor, officeId: string, requestItemId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('inbound_items').select('id').where('office_id', '=', officeId).where('channel', '=', 'web')
    .where(sql<boolean>`details->>'portal' = 'comment' AND details->>'requestItemId' = ${requestItemId}`).execute();
  return new Set(rows.map((r) => r.id));
}

/** The details of a portal request and of the comments added to it (where their photos were stored). */
export const detailsOfRequestAndComments = (db: Executor, officeId: string, requestItemId: string) =>
  db.selectFrom('inbound_items').select(['id', 'details']).where('office_id', '=', officeId).where('channel', '=', 'web')
    .where(sql<boolean>`(id = ${requestItemId} OR (details->>'portal' = 'comment' AND details->>'requestItemId' = ${requestItemId}))`)
    .orderBy('id').execute();

/** The first request sent through the web form or the portal that was filed on the case (its tracking link names it), if any. */
export const firstWebRequestOfCase = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('inbound_items').select('id').where('office_id', '=', officeId).where('case_id', '=', caseId).where('channel', '=', 'web').where('status', '=', 'filed')
    .where(sql<boolean>`coalesce(details->>'portal', '') <> 'comment'`).orderBy('received_at').limit(1).executeTakeFirst();

/** What these constituents sent the office (every channel, noise and spam left out), oldest first: a portal account's own messages. */
export const itemsFromConstituents = (db: Executor, officeId: string, constituentIds: readonly string[]) =>
  db.selectFrom('inbound_items').select(['id', 'channel', 'received_at', 'subject', 'case_id', 'status', sql<string | null>`coalesce(reply_text, body_text)`.as('text'), sql<string | null>`details->>'portal'`.as('portal'), sql<string | null>`details->>'requestItemId'`.as('request_item_id')])
    .where('office_id', '=', officeId).where('constituent_id', 'in', [...constituentIds]).where('status', 'not in', ['spam', 'ignored'])
    .orderBy('received_at').orderBy('id').limit(5000).execute();
