// SQL for area alerts: subscriptions, the office's alert key, the sign-up counters, and the
// reports a batch of subscriptions has not yet been told of. Office first, always.
import { randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { AlertSubscriptionsTable } from '../../platform/db/schema.js';
import { distinctReports } from '../cases/cases.public-reports.js';

export type SubscriptionRow = Selectable<AlertSubscriptionsTable>;
export type Frequency = 'immediate' | 'daily' | 'changes';
/** A ward, a circle around a register address, or one report followed (frequency 'changes'). */
export type Area = { wardId: string } | { lat: number; lng: number; radiusM: number; place: string } | { caseId: string };
export type NewSubscription = { email: string; language: string; area: Area; categoryId: string | null; frequency: Frequency; consent: string };

export async function keyOf(db: Executor, officeId: string): Promise<Buffer> {
  await db.insertInto('alert_keys').values({ office_id: officeId, secret: randomBytes(32) }).onConflict((oc) => oc.column('office_id').doNothing()).execute();
  return (await db.selectFrom('alert_keys').select('secret').where('office_id', '=', officeId).executeTakeFirstOrThrow()).secret;
}

const areaColumns = (a: Area) => ('wardId' in a
  ? { ward_id: a.wardId, lat: null, lng: null, radius_m: null, place: null, case_id: null }
  : 'caseId' in a ? { ward_id: null, lat: null, lng: null, radius_m: null, place: null, case_id: a.caseId }
    : { ward_id: null, lat: a.lat, lng: a.lng, radius_m: a.radiusM, place: a.place, case_id: null });

export const insertPending = (db: Executor, officeId: string, s: NewSubscription) =>
  db.insertInto('alert_subscriptions')
    .values({ office_id: officeId, email: s.email, language: s.language, ...areaColumns(s.area), category_id: s.categoryId, frequency: s.frequency, consent: s.consent })
    .returningAll().executeTakeFirstOrThrow();

/** A subscription of the address for the same area, category and frequency (a second sign-up). */
export function findSame(db: Executor, officeId: string, s: NewSubscription) {
  const a = areaColumns(s.area);
  const is = <K extends 'ward_id' | 'lat' | 'lng' | 'radius_m' | 'category_id' | 'case_id'>(col: K, v: string | number | null) => sql<boolean>`${sql.ref(col)} IS NOT DISTINCT FROM ${v}`;
  return db.selectFrom('alert_subscriptions').selectAll().where('office_id', '=', officeId).where('email', '=', s.email).where('frequency', '=', s.frequency)
    .where(is('ward_id', a.ward_id)).where(is('lat', a.lat)).where(is('lng', a.lng)).where(is('radius_m', a.radius_m)).where(is('category_id', s.categoryId))
    .where(is('case_id', a.case_id)).executeTakeFirst();
}

export const refreshPending = (db: Executor, officeId: string, id: string, v: { language: string; consent: string; place: string | null }) =>
  db.updateTable('alert_subscriptions').set({ language: v.language, consent: v.consent, place: v.place, created_at: sql`now()` })
    .where('office_id', '=', officeId).where('id', '=', id).where('status', '=', 'pending').execute();

export const countForEmail = async (db: Executor, officeId: string, email: string) =>
  Number((await db.selectFrom('alert_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', officeId).where('email', '=', email).executeTakeFirstOrThrow()).n);

/** The subscription, locked for the rest of the transaction. */
export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('alert_subscriptions').selectAll().where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export const byId = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('alert_subscriptions').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const activate = (db: Executor, officeId: string, id: string, v: { now: Date; nextDigestAt: Date | null }) =>
  db.updateTable('alert_subscriptions').set({ status: 'active', confirmed_at: v.now, watermark: v.now, next_digest_at: v.nextDigestAt })
    .where('office_id', '=', officeId).where('id', '=', id).execute();

/** Unsubscribing deletes the row at once: nothing about the address is kept. */
export const remove = async (db: Executor, officeId: string, id: string) =>
  Number((await db.deleteFrom('alert_subscriptions').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;

/** The address's subscriptions in the office, oldest first. */
export const forEmail = (db: Executor, officeId: string, email: string) =>
  db.selectFrom('alert_subscriptions').selectAll().where('office_id', '=', officeId).where('email', '=', email).orderBy('created_at').orderBy('id').execute();

export const recordSignup = (db: Executor, officeId: string, emailHash: Buffer, clientHash: Buffer) =>
  db.insertInto('alert_signups').values({ office_id: officeId, email_hash: emailHash, client_hash: clientHash }).returning('id').executeTakeFirstOrThrow();

/** Confirmation emails sent to the address (or for the client) since `since`, and the first of them. */
export async function signupsSince(db: Executor, officeId: string, by: { emailHash: Buffer } | { clientHash: Buffer }, since: Date) {
  const q = db.selectFrom('alert_signups').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('first')])
    .where('office_id', '=', officeId).where('created_at', '>', since);
  const r = await ('emailHash' in by ? q.where('email_hash', '=', by.emailHash) : q.where('client_hash', '=', by.clientHash)).executeTakeFirstOrThrow();
  return { n: Number(r.n), first: r.first ? new Date(r.first as Date) : null };
}

/** Active subscriptions due in the office: immediate ones behind `cutoff`, digests due by `now`. */
export const due = (db: Executor, officeId: string, cutoff: Date, now: Date, limit: number) =>
  db.selectFrom('alert_subscriptions').selectAll().where('office_id', '=', officeId).where('status', '=', 'active')
    .where((eb) => eb.or([
      eb.and([eb('frequency', '=', 'immediate'), eb('watermark', '<', cutoff)]),
      eb.and([eb('frequency', '=', 'daily'), eb('next_digest_at', '<=', now)]),
    ]))
    .orderBy('watermark').orderBy('id').limit(limit).execute();

/** The offices with a subscription due (any office: the job's work list). */
export const officesDue = async (db: Executor, cutoff: Date, now: Date) =>
  (await db.selectFrom('alert_subscriptions').select('office_id').distinct().where('status', '=', 'active')
    .where((eb) => eb.or([
      eb.and([eb('frequency', '=', 'immediate'), eb('watermark', '<', cutoff)]),
      eb.and([eb('frequency', '=', 'daily'), eb('next_digest_at', '<=', now)]),
    ])).execute()).map((r) => r.office_id);

const METRES_PER_DEGREE_LAT = 111_320;

/**
 * The publicly placed, distinct reports created after each subscription's watermark (or
 * `after`) and up to `until` in its ward, or in the box around its circle (the caller keeps
 * those within the radius), of its category if it has one; oldest first.
 */
export const candidates = (db: Executor, officeId: string, subscriptionIds: string[], window: { after?: Date; until: Date }) =>
  distinctReports(db, officeId)
    .innerJoin('alert_subscriptions as a', (j) => j.onRef('a.office_id', '=', 'c.office_id'))
    .select(['a.id as subscription_id'])
    .where('a.id', 'in', subscriptionIds).where('c.created_at', '<=', window.until)
    .where((eb) => (window.after ? eb('c.created_at', '>', window.after) : eb('c.created_at', '>', eb.ref('a.watermark'))))
    .where((eb) => eb.or([
      eb('a.ward_id', '=', eb.ref('c.ward_id')),
      eb.and([
        eb('a.lat', 'is not', null),
        sql<boolean>`abs(c.lat - a.lat) <= a.radius_m / ${METRES_PER_DEGREE_LAT}::float8`,
        sql<boolean>`abs(c.lng - a.lng) <= a.radius_m / (${METRES_PER_DEGREE_LAT}::float8 * greatest(0.01, cos(radians(a.lat))))`,
      ]),
    ]))
    .where((eb) => eb.or([eb('a.category_id', 'is', null), eb('a.category_id', '=', eb.ref('c.category_id'))]))
    .orderBy('c.created_at').orderBy('c.id').execute();

/** Moves subscriptions past `until` (their reports told of, or none matched), never back; a digest on to its next run. */
export const advance = async (db: Executor, officeId: string, ids: string[], to: { until: Date; nextDigestAt: Date | null; sentAt: Date | null }) => {
  if (ids.length === 0) return;
  await db.updateTable('alert_subscriptions')
    .set((eb) => ({
      watermark: sql<Date>`greatest(watermark, ${to.until}::timestamptz)`,
      next_digest_at: to.nextDigestAt ?? eb.ref('next_digest_at'),
      last_sent_at: to.sentAt ?? eb.ref('last_sent_at'),
    }))
    .where('office_id', '=', officeId).where('id', 'in', ids).where('status', '=', 'active').execute();
};

/** Pending subscriptions never confirmed (their link expired) and sign-up counters older than a day, any office. */
export async function prune(db: Executor, pendingBefore: Date, signupsBefore: Date): Promise<{ pending: number; signups: number }> {
  const p = await db.deleteFrom('alert_subscriptions').where('status', '=', 'pending').where('created_at', '<', pendingBefore).executeTakeFirst();
  const s = await db.deleteFrom('alert_signups').where('created_at', '<', signupsBefore).executeTakeFirst();
  return { pending: Number(p.numDeletedRows), signups: Number(s.numDeletedRows) };
}

/** The confirmed followers of a report (told of its status changes by updates.send). */
export const followersOf = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('alert_subscriptions').selectAll().where('office_id', '=', officeId).where('case_id', '=', caseId).where('status', '=', 'active')
    .orderBy('created_at').orderBy('id').execute();
