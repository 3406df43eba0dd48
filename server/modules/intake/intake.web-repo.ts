// SQL for web intake: each office's form-signing key, the per-address and per-sender flood
// counts, and what became of a stored item (its status and case reference).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

/** The office's form key, made on first use (two nodes racing keep the first one stored). */
export async function formKey(db: Executor, officeId: string): Promise<Buffer> {
  await db.insertInto('intake_form_keys').values({ office_id: officeId, secret: randomBytes(32) }).onConflict((oc) => oc.column('office_id').doNothing()).execute();
  const row = await db.selectFrom('intake_form_keys').select('secret').where('office_id', '=', officeId).executeTakeFirstOrThrow();
  return row.secret;
}

/** Requests on a channel from this address since `since`, and when the first of them came (the per-address flood limit). */
export async function fromSenderSince(db: Executor, officeId: string, channel: string, sender: string, since: Date): Promise<{ n: number; first: Date | null }> {
  const row = await db.selectFrom('inbound_items').select([sql<string>`count(*)`.as('n'), sql<Date | null>`min(received_at)`.as('first')])
    .where('office_id', '=', officeId).where('sender_address', '=', sender).where('channel', '=', channel).where('received_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { n: Number(row.n), first: row.first ? new Date(row.first) : null };
}

/** The public form's per-address window: an hour (the limit is INTAKE_FORM_PER_IP_PER_HOUR). */
export const ADDRESS_WINDOW_SECONDS = 3600;

/**
 * Counts one submission from a client address (its HMAC) in one atomic upsert: the window
 * opens with the first submission and lasts windowSeconds; a submission after it opens a new
 * one. Returns the submissions of the current window, this one included, and the seconds
 * until it ends (by the database's clock, the same for every app node).
 */
export async function countFormHit(db: Executor, officeId: string, clientHash: Buffer, windowSeconds: number): Promise<{ hits: number; secondsLeft: number }> {
  const current = sql<boolean>`intake_form_limits.window_start > now() - make_interval(secs => ${windowSeconds})`;
  const row = await db.insertInto('intake_form_limits').values({ office_id: officeId, client_hash: clientHash, window_start: sql`now()`, hits: 1 })
    .onConflict((oc) => oc.columns(['office_id', 'client_hash']).doUpdateSet({
      hits: sql`CASE WHEN ${current} THEN intake_form_limits.hits + 1 ELSE 1 END`,
      window_start: sql`CASE WHEN ${current} THEN intake_form_limits.window_start ELSE now() END`,
    }))
    .returning(['hits', sql<string>`ceil(extract(epoch FROM window_start + make_interval(secs => ${windowSeconds}) - now()))`.as('seconds_left')])
    .executeTakeFirstOrThrow();
  return { hits: row.hits, secondsLeft: Number(row.seconds_left) };
}

/** Forgets the per-address counts of windows that have ended (every office: the intake sweep); returns how many. */
export async function purgeFormHits(db: Executor, windowSeconds: number): Promise<number> {
  const r = await db.deleteFrom('intake_form_limits').where('window_start', '<=', sql<Date>`now() - make_interval(secs => ${windowSeconds})`).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** An item's status, case and constituent, with the case's reference. */
export const outcome = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('inbound_items as i')
    .leftJoin('cases as k', (j) => j.onRef('k.office_id', '=', 'i.office_id').onRef('k.id', '=', 'i.case_id'))
    .select(['i.id', 'i.status', 'i.case_id', 'i.constituent_id', 'i.details', 'k.reference'])
    .where('i.office_id', '=', officeId).where('i.id', '=', id).executeTakeFirstOrThrow();

/** The item stored under this key, if any (a resubmit is answered from it). */
export const byKey = (db: Executor, officeId: string, channel: string, key: string) =>
  db.selectFrom('inbound_items').select(['id', 'status', 'raw']).where('office_id', '=', officeId).where('channel', '=', channel).where('idempotency_key', '=', key).executeTakeFirst();

/** The office's public form settings; no row means the form is off. */
export const publicForm = (db: Executor, officeId: string) =>
  db.selectFrom('intake_public_forms').select(['enabled', 'category_ids']).where('office_id', '=', officeId).executeTakeFirst();

export const savePublicForm = (db: Executor, officeId: string, v: { enabled: boolean; category_ids: string[] | null }) =>
  db.insertInto('intake_public_forms').values({ office_id: officeId, ...v })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ ...v, updated_at: sql`now()` }))
    .returning(['enabled', 'category_ids']).executeTakeFirstOrThrow();

/** Serialises requests that carry the same idempotency key, until the transaction ends. */
export const lockKey = (db: Executor, officeId: string, channel: string, key: string) =>
  sql`SELECT pg_advisory_xact_lock(hashtext(${`civitas.intake-key:${officeId}:${channel}:${key}`}))`.execute(db);
