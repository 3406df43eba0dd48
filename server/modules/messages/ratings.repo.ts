// SQL for satisfaction ratings and their tokens. The token lookup is the one query without an
// office: the hash is unique across offices and the row names its office.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

/** Stores the case's token hash, replacing an earlier one (one live token per case). */
export const putToken = (db: Executor, officeId: string, caseId: string, tokenHash: string, expiresAt: Date) =>
  db
    .insertInto('case_rating_tokens')
    .values({ office_id: officeId, case_id: caseId, token_hash: tokenHash, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['office_id', 'case_id']).doUpdateSet({ token_hash: tokenHash, expires_at: expiresAt, created_at: sql`now()` }))
    .execute();

export const tokenByHash = (db: Executor, tokenHash: string) =>
  db
    .selectFrom('case_rating_tokens as t')
    .innerJoin('cases as c', (j) => j.onRef('c.office_id', '=', 't.office_id').onRef('c.id', '=', 't.case_id'))
    .innerJoin('offices as o', 'o.id', 't.office_id')
    .select(['t.office_id', 't.case_id', 't.expires_at', 'c.reference', 'o.name as office_name'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const get = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('case_ratings').selectAll().where('office_id', '=', officeId).where('case_id', '=', caseId).executeTakeFirst();

/** Locks the case's rating row (if any) for a read-modify-write. */
export const lock = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('case_ratings').selectAll().where('office_id', '=', officeId).where('case_id', '=', caseId).forUpdate().executeTakeFirst();

export const upsert = (db: Executor, officeId: string, caseId: string, score: number, comment: string | null | undefined) =>
  db
    .insertInto('case_ratings')
    .values({ office_id: officeId, case_id: caseId, score, comment: comment ?? null })
    .onConflict((oc) =>
      oc.columns(['office_id', 'case_id']).doUpdateSet({
        score, updated_at: sql`now()`,
        // A score-only click (the email's links) keeps a comment given earlier.
        ...(comment === undefined ? {} : { comment }),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
