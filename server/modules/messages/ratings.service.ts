// Satisfaction ratings. The closure email carries one link per score; the link's token is
// random (32 bytes), only its SHA-256 is stored, one live token per case (a new closure email
// replaces it), valid for TOKEN_DAYS. Opening a link records nothing: it shows the form with that
// score chosen (mail scanners open every link in a message, and would otherwise rate 1 to 5 in
// turn), and sending the form records it. The person may change the score or add a comment for
// CHANGE_WINDOW_DAYS after their first rating, after which the rating is final and further
// attempts are refused with a page saying so.
import { randomSecret, sha256 } from '../../platform/auth/secrets.js';
import type { CaseRating } from '../../../contract/messages.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import * as cases from '../cases/cases.service.js';
import * as repo from './ratings.repo.js';

export const TOKEN_DAYS = 30;
export const CHANGE_WINDOW_DAYS = 7;
const DAY = 24 * 3600_000;

/** Issues the case's rating token (replacing any earlier one); returns the raw token for the email. */
export async function issueToken(db: Executor, officeId: string, caseId: string, now = new Date()): Promise<string> {
  const token = randomSecret();
  await repo.putToken(db, officeId, caseId, sha256(token), new Date(now.getTime() + TOKEN_DAYS * DAY));
  return token;
}

export type RatingTarget = { officeId: string; caseId: string; reference: string; officeName: string };

/** The case a token rates; unknown (404) and expired (410) tokens are refused. */
export async function resolveToken(db: Executor, token: string, now = new Date()): Promise<RatingTarget> {
  // Tokens are base64url of 32 bytes; anything else cannot match, so skip the lookup.
  const row = /^[A-Za-z0-9_-]{43}$/.test(token) ? await repo.tokenByHash(db, sha256(token)) : undefined;
  if (!row) throw new DomainError('not_found', { message: 'This rating link is not valid. Please check that you copied the whole link.' });
  if (row.expires_at.getTime() <= now.getTime()) throw new DomainError('gone', { message: 'This rating link has expired.' });
  return { officeId: row.office_id, caseId: row.case_id, reference: row.reference, officeName: row.office_name };
}

export function present(row: { score: number; comment: string | null; rated_at: Date; updated_at: Date }): CaseRating {
  return { score: row.score, comment: row.comment, ratedAt: row.rated_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}

function refuseIfFinal(before: { rated_at: Date } | undefined, now: Date): void {
  if (before && now.getTime() - before.rated_at.getTime() > CHANGE_WINDOW_DAYS * DAY) {
    throw new DomainError('conflict', { message: `This case was already rated on ${before.rated_at.toISOString().slice(0, 10)}; a rating can be changed for ${CHANGE_WINDOW_DAYS} days only.` });
  }
}

/** What a rating link leads to, changing nothing: the case and its rating so far (final ratings refused). */
export async function peek(db: Executor, token: string, now = new Date()): Promise<{ target: RatingTarget; rating: CaseRating | null }> {
  const target = await resolveToken(db, token, now);
  const row = await repo.get(db, target.officeId, target.caseId);
  refuseIfFinal(row, now);
  return { target, rating: row ? present(row) : null };
}

/**
 * Records a rating through a token. `comment` undefined leaves an earlier comment as it was.
 * Refused (conflict) once the change window after the first rating has passed.
 */
export async function rate(db: Executor, token: string, input: { score: number; comment?: string | undefined }, now = new Date()): Promise<{ target: RatingTarget; rating: CaseRating }> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) throw new DomainError('validation_failed', { field: 'score', message: 'Choose a score from 1 to 5' });
  const comment = input.comment === undefined ? undefined : input.comment.trim().slice(0, 2000) || null;
  return inTransaction(db, async (trx) => {
    const target = await resolveToken(trx, token, now);
    const before = await repo.lock(trx, target.officeId, target.caseId);
    refuseIfFinal(before, now);
    const row = await repo.upsert(trx, target.officeId, target.caseId, input.score, comment);
    const scope = systemScope(trx, target.officeId, 'resident (rating link)');
    await audit.record(trx, scope, {
      entity: 'case_rating', id: target.caseId, action: before ? 'changed' : 'rated', caseId: target.caseId,
      before: before ? present(before) : undefined,
      after: { ...present(row), summary: `Satisfaction rating ${row.score}/5${row.comment ? ' with a comment' : ''}${before ? ` (was ${before.score}/5)` : ''}` },
    });
    return { target, rating: present(row) };
  });
}

/** The case's rating for staff (404 for a case they may not see). */
export async function forCase(scope: Scope, viewer: cases.Viewer, caseId: string): Promise<CaseRating | null> {
  const c = await cases.get(scope, viewer, caseId);
  const row = await repo.get(scope.db, scope.officeId, c.id);
  return row ? present(row) : null;
}
