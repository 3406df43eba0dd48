// SQL for the office's dedup settings, scans and the review queue of candidate pairs.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export const getSettings = (db: Executor, officeId: string) =>
  db.selectFrom('dedup_settings').select(['rules', 'updated_at']).where('office_id', '=', officeId).executeTakeFirst();

export const saveSettings = (db: Executor, officeId: string, rules: unknown) =>
  db
    .insertInto('dedup_settings')
    .values({ office_id: officeId, rules: JSON.stringify(rules) })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ rules: JSON.stringify(rules), updated_at: new Date() }))
    .execute();

export const officeRegion = async (db: Executor, officeId: string) =>
  (await db.selectFrom('offices').select('default_region').where('id', '=', officeId).executeTakeFirst())?.default_region ?? 'GB';

// ---------------------------------------------------------------- scans
const SCAN_COLUMNS = ['id', 'status', 'source', 'requested_by_label', 'steps', 'result', 'error', 'created_at', 'started_at', 'finished_at'] as const;
export type ScanRow = NonNullable<Awaited<ReturnType<typeof getScan>>>;

export const getScan = (db: Executor, officeId: string, id: string) =>
  db.selectFrom('dedup_scans').select(SCAN_COLUMNS).where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst();

export const activeScan = (db: Executor, officeId: string) =>
  db.selectFrom('dedup_scans').select(SCAN_COLUMNS).where('office_id', '=', officeId).where('status', 'in', ['queued', 'running']).executeTakeFirst();

export const recentScans = (db: Executor, officeId: string, limit: number) =>
  db.selectFrom('dedup_scans').select(SCAN_COLUMNS).where('office_id', '=', officeId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();

/** Inserts a queued scan unless one is already queued or running (then undefined). */
export const insertScan = (db: Executor, officeId: string, v: { source: 'api' | 'cli'; requestedBy: string | null; label: string; steps: unknown }) =>
  db
    .insertInto('dedup_scans')
    .values({ office_id: officeId, source: v.source, requested_by: v.requestedBy, requested_by_label: v.label, steps: JSON.stringify(v.steps) })
    .onConflict((oc) => oc.column('office_id').where('status', 'in', ['queued', 'running']).doNothing())
    .returning(SCAN_COLUMNS)
    .executeTakeFirst();

export const markRunning = (db: Executor, officeId: string, id: string) =>
  db
    .updateTable('dedup_scans')
    .set({ status: 'running', started_at: new Date(), error: null })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returning('id')
    .executeTakeFirst();

export const saveSteps = (db: Executor, officeId: string, id: string, steps: unknown) =>
  db.updateTable('dedup_scans').set({ steps: JSON.stringify(steps) }).where('office_id', '=', officeId).where('id', '=', id).execute();

export const finishScan = (db: Executor, officeId: string, id: string, v: { status: 'completed' | 'failed'; steps: unknown; result: unknown; error: string | null }) =>
  db
    .updateTable('dedup_scans')
    .set({ status: v.status, steps: JSON.stringify(v.steps), result: v.result === null ? null : JSON.stringify(v.result), error: v.error, finished_at: new Date() })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .execute();

/** A scan queued or running for longer than any job may run was lost with its process. */
export const failStale = (db: Executor, officeId: string, before: Date) =>
  db
    .updateTable('dedup_scans')
    .set({ status: 'failed', error: 'The scan stopped without finishing (its process ended); start a new one.', finished_at: new Date() })
    .where('office_id', '=', officeId)
    .where('status', 'in', ['queued', 'running'])
    .where(sql<boolean>`coalesce(started_at, created_at) < ${before}`)
    .execute();

// ---------------------------------------------------------------- candidates
export type RecordSummary = {
  id: string; kind: string; displayName: string | null; status: string; dateOfBirth: string | null;
  email: string | null; phone: string | null; address: string | null; createdAt: string;
};
export type CandidateRow = {
  low_id: string; high_id: string; score: number; reasons: string[]; status: string; detected_at: Date; decided_at: Date | null;
  low: RecordSummary; high: RecordSummary;
};

/** One side of a pair, summarised for the queue: name, birth date and primary contact points. */
const summary = (idColumn: 'low_id' | 'high_id') => sql`(
  SELECT json_build_object(
    'id', c.id, 'kind', c.kind, 'displayName', c.display_name, 'status', c.status, 'dateOfBirth', c.date_of_birth::text, 'createdAt', c.created_at,
    'email', (SELECT e.email FROM constituent_emails e WHERE e.office_id = c.office_id AND e.constituent_id = c.id ORDER BY e.is_primary DESC, e.id LIMIT 1),
    'phone', (SELECT p.phone_e164 FROM constituent_phones p WHERE p.office_id = c.office_id AND p.constituent_id = c.id ORDER BY p.is_primary DESC, p.id LIMIT 1),
    'address', (SELECT concat_ws(', ', a.line1, a.line2, a.postcode) FROM constituent_addresses a WHERE a.office_id = c.office_id AND a.constituent_id = c.id ORDER BY a.is_primary DESC, a.id LIMIT 1))
  FROM constituents c WHERE c.office_id = d.office_id AND c.id = d.${sql.ref(idColumn)})`;

const CANDIDATE_SELECT = sql`d.low_id, d.high_id, d.score, d.reasons, d.status, d.detected_at, d.decided_at, ${summary('low_id')} AS low, ${summary('high_id')} AS high`;

/** Best score first; after = the last row of the previous page. */
export async function listCandidates(
  db: Executor,
  officeId: string,
  status: string,
  limit: number,
  after?: { score: number; lowId: string; highId: string },
): Promise<CandidateRow[]> {
  const keyset = after
    ? sql`AND (d.score < ${after.score}::real OR (d.score = ${after.score}::real AND (d.low_id, d.high_id) > (${after.lowId}::uuid, ${after.highId}::uuid)))`
    : sql``;
  const r = await sql<CandidateRow>`SELECT ${CANDIDATE_SELECT} FROM duplicate_candidates d
    WHERE d.office_id = ${officeId} AND d.status = ${status} ${keyset}
    ORDER BY d.score DESC, d.low_id, d.high_id LIMIT ${limit}`.execute(db);
  return r.rows;
}

export async function getCandidate(db: Executor, officeId: string, lowId: string, highId: string, forUpdate = false): Promise<CandidateRow | undefined> {
  const r = await sql<CandidateRow>`SELECT ${CANDIDATE_SELECT} FROM duplicate_candidates d
    WHERE d.office_id = ${officeId} AND d.low_id = ${lowId} AND d.high_id = ${highId} ${forUpdate ? sql`FOR UPDATE OF d` : sql``}`.execute(db);
  return r.rows[0];
}

export const setCandidateStatus = (db: Executor, officeId: string, lowId: string, highId: string, status: 'open' | 'dismissed', by: string | null) =>
  db
    .updateTable('duplicate_candidates')
    .set(status === 'open' ? { status, decided_at: null, decided_by: null } : { status, decided_at: new Date(), decided_by: by })
    .where('office_id', '=', officeId)
    .where('low_id', '=', lowId)
    .where('high_id', '=', highId)
    .execute();
