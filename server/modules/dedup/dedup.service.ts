// The review queue of candidate pairs: best score first, with both records summarised;
// "not a duplicate" is remembered (a later scan keeps it) and can be reopened.
import { z } from 'zod';
import type { CandidateRecord, DuplicateCandidate } from '../../../contract/dedup.js';
import type { Page } from '../../../contract/common.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import { displayPhone } from '../constituents/constituents.normalize.js';
import * as repo from './dedup.repo.js';

const ZCursor = z.tuple([z.number(), z.uuid(), z.uuid()]);

function presentRecord(r: repo.RecordSummary, region: string): CandidateRecord {
  return {
    id: r.id,
    kind: r.kind as CandidateRecord['kind'],
    displayName: r.displayName ?? '',
    status: r.status as CandidateRecord['status'],
    dateOfBirth: r.dateOfBirth,
    email: r.email,
    phone: r.phone ? displayPhone(r.phone, region) : null,
    address: r.address,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

function present(row: repo.CandidateRow, region: string): DuplicateCandidate {
  return {
    lowId: row.low_id,
    highId: row.high_id,
    score: Number(row.score),
    reasons: row.reasons,
    status: row.status as DuplicateCandidate['status'],
    detectedAt: row.detected_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    low: presentRecord(row.low, region),
    high: presentRecord(row.high, region),
  };
}

export async function listCandidates(scope: Scope, q: { status: 'open' | 'dismissed' | 'merged'; limit: number; cursor?: string | undefined }): Promise<Page<DuplicateCandidate>> {
  const after = decodeCursor(q.cursor, ZCursor);
  const rows = await repo.listCandidates(scope.db, scope.officeId, q.status, q.limit + 1, after ? { score: after[0], lowId: after[1], highId: after[2] } : undefined);
  const region = await repo.officeRegion(scope.db, scope.officeId);
  const p = page(rows, q.limit, (r) => [Number(r.score), r.low_id, r.high_id]);
  return { items: p.items.map((r) => present(r, region)), nextCursor: p.nextCursor };
}

/** The pair in its stored order (low < high), whichever way round the ids were given. */
const ordered = (a: string, b: string): [string, string] => (a.toLowerCase() < b.toLowerCase() ? [a.toLowerCase(), b.toLowerCase()] : [b.toLowerCase(), a.toLowerCase()]);

export async function decide(scope: Scope, a: string, b: string, decision: 'dismissed' | 'open'): Promise<DuplicateCandidate> {
  const [lowId, highId] = ordered(a, b);
  return inTransaction(scope.db, async (trx) => {
    const before = await repo.getCandidate(trx, scope.officeId, lowId, highId, true);
    if (!before) throw new DomainError('not_found', { message: 'No such candidate pair in this office' });
    if (before.status === 'merged') throw new DomainError('conflict', { message: 'These records were merged; undo the merge instead', extra: { reason: 'merged' } });
    if (before.status === decision) throw new DomainError('conflict', { message: decision === 'open' ? 'This pair is already open' : 'This pair was already marked as not a duplicate', extra: { reason: `already_${decision}` } });
    await repo.setCandidateStatus(trx, scope.officeId, lowId, highId, decision, scope.actor.id);
    const action = decision === 'dismissed' ? 'not_a_duplicate' : 'candidate_reopened';
    // One event per record, so the decision shows on both timelines.
    for (const [id, otherId] of [[lowId, highId], [highId, lowId]] as const) {
      await audit.record(trx, scope, { entity: 'duplicate_candidate', id: `${lowId}:${highId}`, action, constituentId: id, before: { status: before.status }, after: { status: decision, otherId } });
    }
    const after = await repo.getCandidate(trx, scope.officeId, lowId, highId);
    return present(after!, await repo.officeRegion(trx, scope.officeId));
  });
}
