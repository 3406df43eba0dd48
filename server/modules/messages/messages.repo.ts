// SQL for the outbox (outbound_messages). Office first in every function.
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { OutboundMessagesTable } from '../../platform/db/schema.js';

export type MessageRow = Selectable<OutboundMessagesTable>;

// Rating and privacy-release signing links carry a raw token that is stored nowhere else:
// once a message is sent (or has failed for good) its copy in the outbox is scrubbed, leaving
// only the token's hash in the database; staff reading a queued message see it scrubbed too
// (a signing link read off the case would let anyone sign as the resident).
const scrubbedBody = sql<string>`regexp_replace(body_text, '/(rate|release)/[A-Za-z0-9_-]{43}', '/\\1/[link]', 'g')`;
export const scrubLinks = (text: string) => text.replace(/\/(rate|release)\/[A-Za-z0-9_-]{43}/g, '/$1/[link]');

export type NewMessage = {
  id: string;
  /** 'email' unless said. */
  channel?: 'email' | 'sms';
  caseId: string | null;
  constituentId: string | null;
  templateId: string | null;
  kind: string;
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  dedupeKey: string | null;
  createdBy: string | null;
  createdByLabel: string;
  /** Extra headers sent with it (bulk mail's List-Unsubscribe ...). */
  headers?: Record<string, string>;
  /** Set on bulk mail only. */
  bulkPurpose?: 'outreach' | 'surveys' | null;
};

/** Inserts the message unless its dedupe key is taken; returns the id of the row that holds the key. */
export async function insertOnce(db: Executor, officeId: string, m: NewMessage): Promise<{ id: string; created: boolean }> {
  const row = await db
    .insertInto('outbound_messages')
    .values({
      office_id: officeId, id: m.id, channel: m.channel ?? 'email', case_id: m.caseId, constituent_id: m.constituentId, template_id: m.templateId, kind: m.kind,
      to_address: m.to, reply_to: m.replyTo, subject: m.subject, body_text: m.text, body_html: m.html, message_id: m.messageId,
      in_reply_to: m.inReplyTo, references: m.references, dedupe_key: m.dedupeKey, created_by: m.createdBy, created_by_label: m.createdByLabel,
      headers: JSON.stringify(m.headers ?? {}), bulk_purpose: m.bulkPurpose ?? null,
    })
    .onConflict((oc) => oc.columns(['office_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) return { id: row.id, created: true };
  const existing = await db.selectFrom('outbound_messages').select('id').where('office_id', '=', officeId).where('dedupe_key', '=', m.dedupeKey).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export const get = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('outbound_messages').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** The case's messages, newest first. */
const newestOnCase = (db: Executor, officeId: string, caseId: string, limit: number) =>
  db.selectFrom('outbound_messages').where('office_id', '=', officeId).where('case_id', '=', caseId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);

/** The Message-IDs already used on the case, oldest first (the thread so far). */
export async function threadIds(db: Executor, officeId: string, caseId: string, limit: number): Promise<string[]> {
  const rows = await newestOnCase(db, officeId, caseId, limit).select('message_id').execute();
  return rows.map((r) => r.message_id).reverse();
}

export const listForCase = (db: Executor, officeId: string, caseId: string, limit: number) => newestOnCase(db, officeId, caseId, limit).selectAll().execute();

/** How long a worker holds a message it is sending: longer than a job may run (5 minutes). */
export const CLAIM_MINUTES = 10;
const unclaimed = sql<boolean>`(claimed_until IS NULL OR claimed_until < now())`;

/**
 * Claims a queued message for sending: the row when this caller now holds it, nothing when it is
 * sent, failed, gone, or held by another worker. A committed update, so the claim is seen by
 * every other worker before anything is sent.
 */
export const claim = (db: Executor, officeId: string, id: string) =>
  db
    .updateTable('outbound_messages')
    .set({ claimed_until: sql`now() + make_interval(mins => ${CLAIM_MINUTES})` })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .where(unclaimed)
    .returningAll()
    .executeTakeFirst();

export const markSent = (db: Executor, officeId: string, id: string, response: string, providerId: string | null = null) =>
  db
    .updateTable('outbound_messages')
    .set({
      status: 'sent', sent_at: sql`now()`, updated_at: sql`now()`, claimed_until: null, attempts: sql`attempts + 1`, provider_response: response.slice(0, 2000), last_error: null, body_text: scrubbedBody,
      ...(providerId ? { provider_message_id: providerId.slice(0, 100) } : {}),
    })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .where('status', '<>', 'sent')
    .returningAll()
    .executeTakeFirst();

export const markAttemptFailed = (db: Executor, officeId: string, id: string, error: string, final: boolean) =>
  db
    .updateTable('outbound_messages')
    .set({ ...(final ? { status: 'failed', body_text: scrubbedBody } : {}), updated_at: sql`now()`, claimed_until: null, attempts: sql`attempts + 1`, last_error: error.slice(0, 2000) })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();

/** Messages still queued after `olderThan` (their job was lost or never queued) and held by no worker. */
export const staleQueued = (db: Executor, olderThan: Date, limit: number) =>
  db
    .selectFrom('outbound_messages')
    .select(['office_id', 'id'])
    .where('status', '=', 'queued')
    .where('updated_at', '<', olderThan)
    .where(unclaimed)
    .orderBy('updated_at')
    .limit(limit)
    .execute();

export const touch = (db: Executor, officeId: string, id: string) =>
  db.updateTable('outbound_messages').set({ updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

/** The case of the newest of our messages among these Message-IDs (a reply's In-Reply-To and References). */
export const caseOfMessageIds = (db: Executor, officeId: string, messageIds: string[]) =>
  db.selectFrom('outbound_messages').select(['case_id', 'constituent_id']).where('office_id', '=', officeId).where('message_id', 'in', messageIds)
    .where('case_id', 'is not', null).orderBy('created_at', 'desc').limit(1).executeTakeFirst();

/** Bounced or complained-about mail: which of our messages it was. */
export const byMessageId = (db: Executor, officeId: string, messageId: string) =>
  db.selectFrom('outbound_messages').select(['id', 'case_id', 'constituent_id', 'to_address']).where('office_id', '=', officeId).where('message_id', '=', messageId).executeTakeFirst();


/**
 * A provider's delivery report on one of our messages (by the provider's id for it), applied
 * only when it moves the status forward: one conditional UPDATE, so concurrent callbacks
 * cannot regress it (the row lock makes the later one re-check the rank). `rankOf` is the
 * SQL rank of a status; returns the message and the status it replaced, or nothing.
 */
export const recordDelivery = (db: Executor, officeId: string, providerId: string, status: string, error: string | null, rank: number, rankOf: (col: RawBuilder<unknown>) => RawBuilder<number>) =>
  db.updateTable('outbound_messages as m')
    .set({ delivery_status: status, delivery_error: error?.slice(0, 300) ?? null, delivery_updated_at: sql`now()`, updated_at: sql`now()` })
    .from(sql<{ id: string; delivery_status: string | null }>`(SELECT id, delivery_status FROM outbound_messages WHERE office_id = ${officeId} AND provider_message_id = ${providerId} FOR UPDATE)`.as('before'))
    .whereRef('m.id', '=', 'before.id')
    .where(sql<boolean>`coalesce(${rankOf(sql`before.delivery_status`)}, -1) < ${rank}`)
    .returning(['m.id', 'm.case_id', 'm.constituent_id', 'm.to_address', 'm.channel', 'before.delivery_status as previous']).executeTakeFirst();

export const hasProviderId = async (db: Executor, officeId: string, providerId: string): Promise<boolean> =>
  (await db.selectFrom('outbound_messages').select('id').where('office_id', '=', officeId).where('provider_message_id', '=', providerId).executeTakeFirst()) !== undefined;

/** Serialises the reports on one provider id with the recording of that id (transaction-scoped). */
export const lockProviderId = (db: Executor, officeId: string, providerId: string) =>
  sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${officeId}:${providerId}`}, 0))`.execute(db);

export const parkReport = async (db: Executor, officeId: string, providerId: string, status: string, error: string | null) => {
  await db.deleteFrom('delivery_reports_parked').where('received_at', '<', sql<Date>`now() - interval '2 days'`).execute();
  await db.insertInto('delivery_reports_parked').values({ office_id: officeId, provider_message_id: providerId, status, error: error?.slice(0, 300) ?? null })
    .onConflict((oc) => oc.columns(['office_id', 'provider_message_id', 'status']).doNothing()).execute();
};

export const takeParked = (db: Executor, officeId: string, providerId: string) =>
  db.deleteFrom('delivery_reports_parked').where('office_id', '=', officeId).where('provider_message_id', '=', providerId)
    .returning(['status', 'error', 'received_at']).execute();
