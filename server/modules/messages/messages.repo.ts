// SQL for the outbox (outbound_messages). Office first in every function.
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { OutboundMessagesTable } from '../../platform/db/schema.js';

export type MessageRow = Selectable<OutboundMessagesTable>;

// Rating and privacy-release signing links carry a raw token that is stored nowhere else:
// once a message is sent (or has failed for good) its copy in the outbox is scrubbed, leaving
// only the token's hash in the database; staff reading a queued message see it scrubbed too
// (a signing link read off the case would let anyone sign as the resident).
const scrubbedBody = sql<string>`regexp_replace(body_text, '/(rate|release|sign-in)/[A-Za-z0-9_-]{43}', '/\\1/[link]', 'g')`;
export const scrubLinks = (text: string) => text.replace(/\/(rate|release|sign-in)\/[A-Za-z0-9_-]{43}/g, '/$1/[link]');

/** The approved template version a message was sent from (approvedText's answer fits). */
export type TemplateRef = { templateId: string; version: number; language: string };

export type NewMessage = {
  id: string;
  /** 'email' unless said. */
  channel?: 'email' | 'sms' | 'letter';
  caseId: string | null;
  constituentId: string | null;
  template: TemplateRef | null;
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
      office_id: officeId, id: m.id, channel: m.channel ?? 'email', case_id: m.caseId, constituent_id: m.constituentId, template_id: m.template?.templateId ?? null,
      template_version: m.template?.version ?? null, template_language: m.template?.language ?? null, kind: m.kind,
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
    .where('channel', '<>', 'letter')
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

/** Messages still queued after `olderThan` (their job was lost or never queued) and held by no worker; never letters, which people post. */
export const staleQueued = (db: Executor, olderThan: Date, limit: number) =>
  db
    .selectFrom('outbound_messages')
    .select(['office_id', 'id'])
    .where('status', '=', 'queued')
    .where('channel', '<>', 'letter')
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

// ---------------------------------------------------------------- letters

const letters = (db: Executor, officeId: string) =>
  db.selectFrom('outbound_messages as m')
    .leftJoin('cases as c', (j) => j.onRef('c.office_id', '=', 'm.office_id').onRef('c.id', '=', 'm.case_id'))
    .where('m.office_id', '=', officeId)
    .where('m.channel', '=', 'letter');

export type LetterRow = { id: string; case_id: string | null; reference: string | null; is_sensitive: boolean | null; constituent_id: string | null; to_address: string; subject: string; body_text: string; created_by_label: string; created_at: Date; sent_at: Date | null };
const LETTER_COLUMNS = ['m.id', 'm.case_id', 'c.reference', 'c.is_sensitive', 'm.constituent_id', 'm.to_address', 'm.subject', 'm.body_text', 'm.created_by_label', 'm.created_at', 'm.sent_at'] as const;

/**
 * A page of the print queue (waiting: oldest first) or of the posted letters (newest posted
 * first), after the cursor's key; letters of sensitive cases only when asked for.
 */
export function letterPage(db: Executor, officeId: string, q: { posted: boolean; includeSensitive: boolean; after?: [string, string] | undefined; limit: number }): Promise<(LetterRow & { k_time: string })[]> {
  const at = q.posted ? 'm.sent_at' : 'm.created_at';
  // The sort key to the microsecond (a JavaScript Date keeps milliseconds only), for the cursor.
  let query = letters(db, officeId).where('m.status', '=', q.posted ? 'sent' : 'queued')
    .select([...LETTER_COLUMNS, sql<string>`to_char(${sql.ref(at)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('k_time')]);
  if (!q.includeSensitive) query = query.where((eb) => eb.or([eb('c.is_sensitive', 'is', null), eb('c.is_sensitive', '=', false)]));
  if (q.after) {
    const [t, id] = q.after;
    query = q.posted
      ? query.where(sql<boolean>`(${sql.ref(at)}, m.id) < (${t}::timestamptz, ${id}::uuid)`)
      : query.where(sql<boolean>`(${sql.ref(at)}, m.id) > (${t}::timestamptz, ${id}::uuid)`);
  }
  const dir = q.posted ? 'desc' : 'asc';
  return query.orderBy(at, dir).orderBy('m.id', dir).limit(q.limit + 1).execute() as Promise<(LetterRow & { k_time: string })[]>;
}

export const lettersByIds = (db: Executor, officeId: string, ids: string[]) =>
  letters(db, officeId).where('m.id', 'in', ids).select(LETTER_COLUMNS).orderBy('m.created_at').orderBy('m.id').execute() as Promise<LetterRow[]>;

/** Marks letters posted (or, undoing that, waiting again); returns those that changed. */
export const setLettersPosted = (db: Executor, officeId: string, ids: string[], posted: boolean) =>
  db.updateTable('outbound_messages')
    .set(posted ? { status: 'sent', sent_at: sql`now()`, attempts: 1, updated_at: sql`now()` } : { status: 'queued', sent_at: null, attempts: 0, updated_at: sql`now()` })
    .where('office_id', '=', officeId)
    .where('channel', '=', 'letter')
    .where('id', 'in', ids)
    .where('status', '=', posted ? 'queued' : 'sent')
    .returning(['id', 'case_id', 'constituent_id', 'to_address', 'subject'])
    .execute();
