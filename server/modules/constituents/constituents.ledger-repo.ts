// SQL for what accumulates around a constituent: consent statements, notes,
// relationships, and the audit events their timeline is built from.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type NewConsent = {
  constituent_id: string; channel: string; purpose: string; status: string; source: string; evidence: string;
  effective_at: Date; recorded_by: string | null; recorded_by_label: string;
};

export const insertConsent = (db: Executor, officeId: string, v: NewConsent) =>
  db.insertInto('consents').values({ ...v, office_id: officeId }).returningAll().executeTakeFirstOrThrow();

export type ConsentRow = Awaited<ReturnType<typeof insertConsent>>;

/** The whole ledger for one constituent, newest statement first. */
export const consentsOf = (db: Executor, officeId: string, constituentId: string) =>
  db.selectFrom('consents').selectAll().where('office_id', '=', officeId).where('constituent_id', '=', constituentId)
    .orderBy('effective_at', 'desc').orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1000).execute();

/** The statement in force for one channel and purpose (latest effective, then latest recorded). */
export const currentConsent = (db: Executor, officeId: string, constituentId: string, channel: string, purpose: string) =>
  db.selectFrom('consents').selectAll().where('office_id', '=', officeId).where('constituent_id', '=', constituentId)
    .where('channel', '=', channel).where('purpose', '=', purpose).where('effective_at', '<=', new Date())
    .orderBy('effective_at', 'desc').orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();

/** What the contact decision needs about a record and its contact points. */
export const contactFacts = (db: Executor, officeId: string, constituentId: string) =>
  db.selectFrom('constituents as c')
    .select(['c.status', 'c.do_not_contact', 'c.bulk_opt_out', 'c.unsubscribed'])
    .select(sql<boolean>`EXISTS (SELECT 1 FROM constituent_emails e WHERE e.office_id = c.office_id AND e.constituent_id = c.id AND e.status = 'valid')`.as('has_email'))
    .select(sql<boolean>`EXISTS (SELECT 1 FROM constituent_phones p WHERE p.office_id = c.office_id AND p.constituent_id = c.id AND p.status = 'valid')`.as('has_phone'))
    .select(sql<boolean>`EXISTS (SELECT 1 FROM constituent_phones p WHERE p.office_id = c.office_id AND p.constituent_id = c.id AND p.status = 'valid' AND p.type = 'mobile')`.as('has_mobile'))
    .select(sql<boolean>`EXISTS (SELECT 1 FROM constituent_addresses a WHERE a.office_id = c.office_id AND a.constituent_id = c.id AND a.status = 'valid')`.as('has_address'))
    .where('c.office_id', '=', officeId).where('c.id', '=', constituentId).executeTakeFirst();

/** The live records holding this number as a valid phone (an SMS keyword speaks for each of them). */
export const holdersOfPhone = async (db: Executor, officeId: string, e164: string): Promise<string[]> =>
  (await db.selectFrom('constituent_phones as p').innerJoin('constituents as c', (j) => j.onRef('c.office_id', '=', 'p.office_id').onRef('c.id', '=', 'p.constituent_id'))
    .select('c.id').distinct().where('p.office_id', '=', officeId).where('p.phone_e164', '=', e164).where('p.status', '=', 'valid')
    .where('c.status', '=', 'active').orderBy('c.id').limit(100).execute()).map((r) => r.id);

export const insertNote = (db: Executor, officeId: string, v: { constituent_id: string; body: string; author_id: string | null; author_label: string }) =>
  db.insertInto('constituent_notes').values({ ...v, office_id: officeId }).returningAll().executeTakeFirstOrThrow();

// Relationships are stored once (from → to) and read from both ends.
export const relationshipsOf = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('constituent_relationships as r')
    .innerJoin('constituents as o', (j) => j.onRef('o.office_id', '=', 'r.office_id').on(sql<boolean>`o.id = CASE WHEN r.from_id = ${id} THEN r.to_id ELSE r.from_id END`))
    .select(['r.id', 'r.kind', 'r.note', 'r.created_at', 'r.from_id', 'o.id as other_id', 'o.display_name as other_name'])
    .where('r.office_id', '=', officeId).where((eb) => eb.or([eb('r.from_id', '=', id), eb('r.to_id', '=', id)]))
    .orderBy('r.created_at').execute();

export const relationship = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('constituent_relationships').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const relationshipExists = async (db: Executor, officeId: string, a: string, b: string, kind: string) =>
  (await db.selectFrom('constituent_relationships').select('id').where('office_id', '=', officeId).where('kind', '=', kind)
    .where((eb) => eb.or([eb.and([eb('from_id', '=', a), eb('to_id', '=', b)]), eb.and([eb('from_id', '=', b), eb('to_id', '=', a)])]))
    .executeTakeFirst()) !== undefined;

export const insertRelationship = (db: Executor, officeId: string, v: { from_id: string; to_id: string; kind: string; note: string }) =>
  db.insertInto('constituent_relationships').values({ ...v, office_id: officeId }).returningAll().executeTakeFirstOrThrow();

export const deleteRelationship = (db: Executor, officeId: string, id: string) =>
  db.deleteFrom('constituent_relationships').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

/** Records merged into this one (whose history is part of this one's timeline). */
export const mergedIds = async (db: Executor, officeId: string, id: string): Promise<string[]> => {
  const r = await sql<{ id: string }>`WITH RECURSIVE m(id) AS (
      SELECT ${id}::uuid UNION SELECT c.id FROM constituents c JOIN m ON c.office_id = ${officeId} AND c.merged_into_id = m.id)
    SELECT id FROM m LIMIT 1000`.execute(db);
  return r.rows.map((x) => x.id);
};

export type TimelineRow = {
  id: number; occurred_at: Date; actor_label: string; entity_type: string; entity_id: string; action: string; before: unknown; after: unknown;
};

/** `kind.mergeActions`: true adds the constituent's merge events, false leaves them out of its edits. */
export const timeline = (
  db: Executor, officeId: string, constituentIds: string[], kind: { types: string[]; mergeActions: boolean | undefined } | undefined,
  beforeId: number | undefined, limit: number,
) => {
  let q = db.selectFrom('events').select(['id', 'occurred_at', 'actor_label', 'entity_type', 'entity_id', 'action', 'before', 'after'])
    .where('office_id', '=', officeId).where('constituent_id', 'in', constituentIds);
  if (kind?.mergeActions === true) {
    q = q.where((eb) => eb.or([eb('entity_type', 'in', kind.types), eb.and([eb('entity_type', '=', 'constituent'), eb('action', 'like', 'merge%')])]));
  } else if (kind) {
    q = q.where('entity_type', 'in', kind.types);
    if (kind.mergeActions === false) q = q.where('action', 'not like', 'merge%');
  }
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit + 1).execute() as Promise<TimelineRow[]>;
};
