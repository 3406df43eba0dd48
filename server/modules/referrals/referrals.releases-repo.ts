// SQL for privacy releases. The old signing address finds a link's office by its token hash
// alone (`officeSlugOfToken`, the one query here without an office); everything else is per office.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { PrivacyReleasesTable } from '../../platform/db/schema.js';

/** The typed date as text: a `date` would come back as a Date at local midnight. */
const signedDay = sql<string | null>`to_char(r.signed_date, 'YYYY-MM-DD')`.as('signed_day');

const withNames = (db: Executor) =>
  db.selectFrom('privacy_releases as r')
    .innerJoin('constituents as p', (j) => j.onRef('p.office_id', '=', 'r.office_id').onRef('p.id', '=', 'r.constituent_id'))
    .leftJoin('agencies as a', (j) => j.onRef('a.office_id', '=', 'r.office_id').onRef('a.id', '=', 'r.agency_id'))
    .leftJoin('users as u', (j) => j.onRef('u.office_id', '=', 'r.office_id').onRef('u.id', '=', 'r.created_by'))
    .selectAll('r')
    .select([sql<string>`coalesce(p.display_name, '')`.as('constituent_name'), 'a.name as agency_name', 'u.display_name as created_by_name', signedDay]);

export const ofCase = (db: Executor, officeId: string, caseId: string) =>
  withNames(db).where('r.office_id', '=', officeId).where('r.case_id', '=', caseId).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').execute();

export const get = (db: Executor, officeId: string, caseId: string, id: string) =>
  withNames(db).where('r.office_id', '=', officeId).where('r.case_id', '=', caseId).where('r.id', '=', id).executeTakeFirst();

export type ReleaseRow = NonNullable<Awaited<ReturnType<typeof get>>>;

export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('privacy_releases').selectAll().where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

/** A signing request of this office by its token's hash, with what the public page shows, locked when asked. */
export function byTokenHash(db: Executor, officeId: string, tokenHash: string, opts: { lock: boolean }) {
  let q = db.selectFrom('privacy_releases as r')
    .innerJoin('cases as c', (j) => j.onRef('c.office_id', '=', 'r.office_id').onRef('c.id', '=', 'r.case_id'))
    .innerJoin('constituents as p', (j) => j.onRef('p.office_id', '=', 'r.office_id').onRef('p.id', '=', 'r.constituent_id'))
    .innerJoin('offices as o', 'o.id', 'r.office_id')
    .selectAll('r')
    .select(signedDay).select(['c.reference as case_reference', 'o.name as office_name', 'o.time_zone', 'p.given_name', 'p.family_name', 'p.preferred_name', 'p.organisation_name', 'p.display_name'])
    .where('r.office_id', '=', officeId).where('r.token_hash', '=', tokenHash);
  if (opts.lock) q = q.forUpdate('r');
  return q.executeTakeFirst();
}

export type SigningRow = NonNullable<Awaited<ReturnType<typeof byTokenHash>>>;

/** The slug of the office a signing link belongs to, whatever the link's state (links sent before the portal). */
export const officeSlugOfToken = async (db: Executor, tokenHash: string) =>
  (await db.selectFrom('privacy_releases as r').innerJoin('offices as o', 'o.id', 'r.office_id').select('o.slug').where('r.token_hash', '=', tokenHash).executeTakeFirst())?.slug;

export const insert = (db: Executor, officeId: string, v: Omit<Insertable<PrivacyReleasesTable>, 'office_id'>) =>
  db.insertInto('privacy_releases').values({ ...v, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, v: Updateable<PrivacyReleasesTable>) =>
  db.updateTable('privacy_releases').set(v).where('office_id', '=', officeId).where('id', '=', id).execute();

/**
 * The signed, unrevoked release of this constituent on this case that covers the agency
 * (one naming it, or one naming no agency), most recent first.
 */
export const validFor = (db: Executor, officeId: string, caseId: string, constituentId: string, agencyId: string) =>
  db.selectFrom('privacy_releases').select(['id', 'method', 'signed_at']).where('office_id', '=', officeId).where('case_id', '=', caseId)
    .where('constituent_id', '=', constituentId).where('status', '=', 'signed')
    .where((eb) => eb.or([eb('agency_id', 'is', null), eb('agency_id', '=', agencyId)]))
    .orderBy('signed_at', 'desc').executeTakeFirst();
