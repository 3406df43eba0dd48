// SQL for referrals and their follow-ups. Rows carry the case's reference and the agency's
// name, and whether they are overdue (sent, no reply, expected date before today in the
// office's time zone), computed here so the list filter and the flag agree.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { ReferralsTable } from '../../platform/db/schema.js';

const OVERDUE = sql<boolean>`(r.status = 'sent' AND r.expected_response_on IS NOT NULL AND r.expected_response_on < (now() AT TIME ZONE o.time_zone)::date)`;

const base = (db: Executor) =>
  db.selectFrom('referrals as r')
    .innerJoin('offices as o', 'o.id', 'r.office_id')
    .innerJoin('cases as c', (j) => j.onRef('c.office_id', '=', 'r.office_id').onRef('c.id', '=', 'r.case_id'))
    .innerJoin('agencies as a', (j) => j.onRef('a.office_id', '=', 'r.office_id').onRef('a.id', '=', 'r.agency_id'))
    .select([
      'r.id', 'r.case_id', 'r.agency_id', 'r.contact', 'r.summary', 'r.status', 'r.sent_at', 'r.their_reference', 'r.responded_at', 'r.closed_at',
      'r.created_at', 'r.updated_at', 'c.reference as case_reference', 'c.is_sensitive', 'a.name as agency_name', 'a.requires_privacy_release',
      sql<string | null>`to_char(r.expected_response_on, 'YYYY-MM-DD')`.as('expected_response_on'), OVERDUE.as('is_overdue'),
    ]);

export type ReferralRow = {
  id: string; case_id: string; agency_id: string; contact: string | null; summary: string; status: string; sent_at: Date | null; their_reference: string | null;
  responded_at: Date | null; closed_at: Date | null; created_at: Date; updated_at: Date; case_reference: string; is_sensitive: boolean; agency_name: string;
  requires_privacy_release: boolean; expected_response_on: string | null; is_overdue: boolean;
};

export const ofCase = (db: Executor, officeId: string, caseId: string): Promise<ReferralRow[]> =>
  base(db).where('r.office_id', '=', officeId).where('r.case_id', '=', caseId).orderBy('r.id', 'desc').execute();

export const get = (db: Executor, officeId: string, id: string): Promise<ReferralRow | undefined> =>
  base(db).where('r.office_id', '=', officeId).where('r.id', '=', id).executeTakeFirst();

export type ListFilter = { overdue?: boolean | undefined; status?: string | undefined; agencyId?: string | undefined; includeSensitive: boolean; beforeId?: string | undefined; limit: number };

/** The office's referrals, newest first (ids are time-ordered), keyset-paged by id. */
export function list(db: Executor, officeId: string, f: ListFilter): Promise<ReferralRow[]> {
  let q = base(db).where('r.office_id', '=', officeId);
  if (f.overdue) q = q.where(OVERDUE);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.agencyId) q = q.where('r.agency_id', '=', f.agencyId);
  if (!f.includeSensitive) q = q.where('c.is_sensitive', '=', false);
  if (f.beforeId) q = q.where('r.id', '<', f.beforeId);
  return q.orderBy('r.id', 'desc').limit(f.limit + 1).execute();
}

export const lock = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('referrals').select(['id', 'case_id', 'agency_id', 'status']).where('office_id', '=', officeId).where('id', '=', id).forUpdate().executeTakeFirst();

export const insert = (db: Executor, officeId: string, v: Omit<Insertable<ReferralsTable>, 'office_id'>) =>
  db.insertInto('referrals').values({ ...v, office_id: officeId }).returning('id').executeTakeFirstOrThrow();

export const update = (db: Executor, officeId: string, id: string, v: Updateable<ReferralsTable>) =>
  db.updateTable('referrals').set({ ...v, updated_at: sql`now()` }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const followUpsOf = (db: Executor, officeId: string, referralIds: string[]) =>
  referralIds.length === 0
    ? Promise.resolve([])
    : db.selectFrom('referral_follow_ups as f')
      .leftJoin('users as u', (j) => j.onRef('u.office_id', '=', 'f.office_id').onRef('u.id', '=', 'f.created_by'))
      .select(['f.id', 'f.referral_id', 'f.kind', 'f.body', 'f.created_at', 'u.display_name as created_by_name', sql<string>`to_char(f.occurred_on, 'YYYY-MM-DD')`.as('occurred_on')])
      .where('f.office_id', '=', officeId).where('f.referral_id', 'in', referralIds)
      .orderBy('f.occurred_on').orderBy('f.created_at').execute();

export const insertFollowUp = (db: Executor, officeId: string, v: { referral_id: string; kind: string; occurred_on: string; body: string; created_by: string | null }) =>
  db.insertInto('referral_follow_ups').values({ ...v, office_id: officeId }).returning('id').executeTakeFirstOrThrow();
