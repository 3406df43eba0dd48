// SQL of merges: row locks on both records, moving (and moving back) the rows linked to a
// constituent, dropping and re-inserting duplicate rows, closing candidates, and the
// constituent_merges log. Table and column names come from LINKED_ROWS (constants).
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

/** How one kind of linked row points at a constituent (see LINKED_ROWS in dedup.merge.ts). */
export type LinkedRows = {
  table: string;
  column: string;
  label: string;
  /** Columns that identify a row within the office. */
  key: readonly string[];
  /** A row whose values in these columns equal a row the survivor already has is a duplicate. */
  sameAs?: readonly string[];
  /** The row's other end (relationships): a row that would link the survivor to itself is dropped. */
  otherEnd?: string;
  /** Rows deleted with a dropped row (ON DELETE CASCADE), kept in the snapshot too. */
  dependents?: readonly { table: string; column: string }[];
  /** Moved rows stop being primary when the survivor already has a primary one. */
  hasPrimary?: boolean;
};

export type Key = Record<string, unknown>;
type Ids = { officeId: string; survivorId: string; otherId: string };

const ref = (alias: string, column: string) => sql.ref(`${alias}.${column}`);
const keyObject = (l: LinkedRows, alias: string) => sql`jsonb_build_object(${sql.join(l.key.map((k) => sql`${k}::text, ${ref(alias, k)}`))})`;
const keyIn = (l: LinkedRows, alias: string, keys: Key[]) => sql`${keyObject(l, alias)} IN (SELECT jsonb_array_elements(${JSON.stringify(keys)}::jsonb))`;

/** Rows of the other record that would duplicate one of the survivor's (or link it to itself). */
function duplicateCondition(l: LinkedRows, ids: Ids): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (l.otherEnd) parts.push(sql`${ref('x', l.otherEnd)} = ${ids.survivorId}`);
  if (l.sameAs) {
    const same = sql.join(l.sameAs.map((c) => sql`${ref('s', c)} = ${ref('x', c)}`), sql` AND `);
    parts.push(sql`EXISTS (SELECT 1 FROM ${sql.table(l.table)} s WHERE s.office_id = ${ids.officeId} AND ${ref('s', l.column)} = ${ids.survivorId} AND ${same})`);
  }
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}

const ofOther = (l: LinkedRows, ids: Ids) => sql`x.office_id = ${ids.officeId} AND ${ref('x', l.column)} = ${ids.otherId}`;

export async function lockConstituents(db: Executor, officeId: string, ids: string[]) {
  const r = await sql<{ id: string; status: string; merged_into_id: string | null; row: Record<string, unknown> }>`
    SELECT c.id, c.status, c.merged_into_id, to_jsonb(c) AS row FROM constituents c
    WHERE c.office_id = ${officeId} AND c.id = ANY(${ids}::uuid[]) ORDER BY c.id FOR UPDATE`.execute(db);
  return r.rows;
}

/** How many rows would move and how many of them are duplicates (for the merge preview). */
export async function countLinked(db: Executor, l: LinkedRows, ids: Ids): Promise<{ count: number; duplicates: number }> {
  const r = await sql<{ count: number; duplicates: number }>`
    SELECT count(*)::int AS count, count(*) FILTER (WHERE ${duplicateCondition(l, ids)})::int AS duplicates
    FROM ${sql.table(l.table)} x WHERE ${ofOther(l, ids)}`.execute(db);
  return r.rows[0]!;
}

/** Deletes the other record's duplicate rows; returns them (and their dependents) whole. */
export async function dropDuplicates(db: Executor, l: LinkedRows, ids: Ids): Promise<{ rows: Record<string, unknown>[]; dependents: Record<string, Record<string, unknown>[]> }> {
  const found = await sql<{ row: Record<string, unknown> }>`
    SELECT to_jsonb(x) AS row FROM ${sql.table(l.table)} x WHERE ${ofOther(l, ids)} AND ${duplicateCondition(l, ids)} FOR UPDATE`.execute(db);
  const rows = found.rows.map((r) => r.row);
  const dependents: Record<string, Record<string, unknown>[]> = {};
  if (rows.length === 0) return { rows, dependents };
  const keys = rows.map((row) => Object.fromEntries(l.key.map((k) => [k, row[k]])));
  for (const d of l.dependents ?? []) {
    const r = await sql<{ row: Record<string, unknown> }>`
      SELECT to_jsonb(x) AS row FROM ${sql.table(d.table)} x
      WHERE x.office_id = ${ids.officeId} AND ${ref('x', d.column)}::text IN (SELECT jsonb_array_elements(${JSON.stringify(keys)}::jsonb) ->> 'id')`.execute(db);
    dependents[d.table] = r.rows.map((x) => x.row);
  }
  await sql`DELETE FROM ${sql.table(l.table)} x WHERE ${ofOther(l, ids)} AND ${keyIn(l, 'x', keys)}`.execute(db);
  return { rows, dependents };
}

/** Takes the primary flag off the other record's rows when the survivor has a primary row. */
export async function demotePrimaries(db: Executor, l: LinkedRows, ids: Ids): Promise<Key[]> {
  const r = await sql<{ key: Key }>`
    UPDATE ${sql.table(l.table)} x SET is_primary = false
    WHERE ${ofOther(l, ids)} AND x.is_primary
      AND EXISTS (SELECT 1 FROM ${sql.table(l.table)} s WHERE s.office_id = ${ids.officeId} AND ${ref('s', l.column)} = ${ids.survivorId} AND s.is_primary)
    RETURNING ${keyObject(l, 'x')} AS key`.execute(db);
  return r.rows.map((x) => x.key);
}

/** Re-points the other record's rows at the survivor; returns their keys. */
export async function moveRows(db: Executor, l: LinkedRows, ids: Ids): Promise<Key[]> {
  const r = await sql<{ key: Key }>`
    UPDATE ${sql.table(l.table)} x SET ${sql.ref(l.column)} = ${ids.survivorId}
    WHERE ${ofOther(l, ids)} RETURNING ${keyObject(l, 'x')} AS key`.execute(db);
  return r.rows.map((x) => x.key);
}

/** Moves exactly these rows back to the merged record, if they are still on the survivor. */
export async function moveBack(db: Executor, l: LinkedRows, ids: Ids, keys: Key[]): Promise<number> {
  if (keys.length === 0) return 0;
  const r = await sql`
    UPDATE ${sql.table(l.table)} x SET ${sql.ref(l.column)} = ${ids.otherId}
    WHERE x.office_id = ${ids.officeId} AND ${ref('x', l.column)} = ${ids.survivorId} AND ${keyIn(l, 'x', keys)}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function promote(db: Executor, l: LinkedRows, ids: Ids, keys: Key[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`UPDATE ${sql.table(l.table)} x SET is_primary = true WHERE ${ofOther(l, ids)} AND ${keyIn(l, 'x', keys)}`.execute(db);
}

/** Inserts rows saved as JSON (generated columns are recomputed); rows that exist again are skipped. */
export async function reinsert(db: Executor, table: string, rows: Record<string, unknown>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const cols = await sql<{ c: string }>`
    SELECT column_name AS c FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table} AND is_generated = 'NEVER' ORDER BY ordinal_position`.execute(db);
  const list = sql.join(cols.rows.map((x) => sql.ref(x.c)));
  const r = await sql`INSERT INTO ${sql.table(table)} (${list})
    SELECT ${list} FROM jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb) ON CONFLICT DO NOTHING`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

// ---------------------------------------------------------------- the records themselves
export type ConstituentValues = {
  kind: string; given_name: string | null; family_name: string | null; preferred_name: string | null; organisation_name: string | null;
  date_of_birth: string | null; preferred_channel: string | null; preferred_language: string | null; household_id: string | null;
  tags: string[]; custom_fields: Record<string, unknown>; do_not_contact: boolean; bulk_opt_out: boolean; unsubscribed: boolean;
};

export async function setValues(db: Executor, officeId: string, id: string, v: Partial<ConstituentValues>): Promise<void> {
  const { custom_fields, ...rest } = v;
  await db
    .updateTable('constituents')
    .set({ ...rest, ...(custom_fields ? { custom_fields: JSON.stringify(custom_fields) } : {}), updated_at: new Date() })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .execute();
}

export const markMerged = (db: Executor, officeId: string, id: string, survivorId: string | null, householdId: string | null) =>
  db
    .updateTable('constituents')
    .set({ status: survivorId ? 'merged' : 'active', merged_into_id: survivorId, household_id: householdId, updated_at: new Date() })
    .where('office_id', '=', officeId)
    .where('id', '=', id)
    .execute();

export const constituentExists = async (db: Executor, officeId: string, id: string) =>
  (await db.selectFrom('constituents').select('id').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst()) !== undefined;

export const householdName = async (db: Executor, officeId: string, id: string) =>
  (await db.selectFrom('households').select('name').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirst())?.name ?? null;

// ---------------------------------------------------------------- candidates and the log
export type CandidateState = { low_id: string; high_id: string; status: string; decided_at: string | null; decided_by: string | null };

/** Closes the open candidates of the merged record (and the merged pair whatever its status); returns their states before. */
export async function closeCandidates(db: Executor, ids: Ids, by: string | null): Promise<CandidateState[]> {
  const [low, high] = ids.survivorId < ids.otherId ? [ids.survivorId, ids.otherId] : [ids.otherId, ids.survivorId];
  const r = await sql<CandidateState>`
    WITH before AS (
      SELECT low_id, high_id, status, decided_at, decided_by FROM duplicate_candidates
      WHERE office_id = ${ids.officeId} AND (low_id = ${ids.otherId} OR high_id = ${ids.otherId})
        AND (status = 'open' OR (low_id = ${low} AND high_id = ${high}))
      FOR UPDATE),
    upd AS (
      UPDATE duplicate_candidates d SET status = 'merged', decided_at = now(), decided_by = ${by}
      FROM before b WHERE d.office_id = ${ids.officeId} AND d.low_id = b.low_id AND d.high_id = b.high_id)
    SELECT low_id, high_id, status, decided_at::text, decided_by FROM before`.execute(db);
  return r.rows;
}

export async function restoreCandidates(db: Executor, officeId: string, states: CandidateState[]): Promise<void> {
  if (states.length === 0) return;
  await sql`
    UPDATE duplicate_candidates d SET status = s.status, decided_at = s.decided_at, decided_by = s.decided_by
    FROM jsonb_to_recordset(${JSON.stringify(states)}::jsonb) AS s(low_id uuid, high_id uuid, status text, decided_at timestamptz, decided_by uuid)
    WHERE d.office_id = ${officeId} AND d.low_id = s.low_id AND d.high_id = s.high_id AND d.status = 'merged'`.execute(db);
}

export const insertMerge = (db: Executor, officeId: string, v: { survivorId: string; mergedId: string; snapshot: unknown; mergedBy: string | null }) =>
  db
    .insertInto('constituent_merges')
    .values({
      office_id: officeId, survivor_id: v.survivorId, merged_id: v.mergedId, snapshot: JSON.stringify(v.snapshot), merged_by: v.mergedBy,
      undo_until: sql<Date>`now() + interval '30 days'`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

const MERGE_SELECT = sql`m.id, m.survivor_id, m.merged_id, m.snapshot, m.merged_at, m.undo_until, m.undone_at, m.undo_until > now() AS within_window,
  s.display_name AS survivor_name, s.status AS survivor_status, o.display_name AS merged_name`;
const MERGE_FROM = sql`constituent_merges m
  JOIN constituents s ON s.office_id = m.office_id AND s.id = m.survivor_id
  JOIN constituents o ON o.office_id = m.office_id AND o.id = m.merged_id`;
export type MergeRow = {
  id: string; survivor_id: string; merged_id: string; snapshot: Record<string, unknown>; merged_at: Date; undo_until: Date; undone_at: Date | null;
  within_window: boolean; survivor_name: string | null; survivor_status: string; merged_name: string | null;
};

export async function getMerge(db: Executor, officeId: string, id: string, forUpdate = false): Promise<MergeRow | undefined> {
  const r = await sql<MergeRow>`SELECT ${MERGE_SELECT} FROM ${MERGE_FROM} WHERE m.office_id = ${officeId} AND m.id = ${id} ${forUpdate ? sql`FOR UPDATE OF m` : sql``}`.execute(db);
  return r.rows[0];
}

export async function mergesOf(db: Executor, officeId: string, constituentId: string): Promise<MergeRow[]> {
  const r = await sql<MergeRow>`SELECT ${MERGE_SELECT} FROM ${MERGE_FROM}
    WHERE m.office_id = ${officeId} AND (m.survivor_id = ${constituentId} OR m.merged_id = ${constituentId})
    ORDER BY m.merged_at DESC, m.id DESC LIMIT 100`.execute(db);
  return r.rows;
}

export const markUndone = (db: Executor, officeId: string, id: string, by: string | null, label: string) =>
  sql`UPDATE constituent_merges SET undone_at = now(), undone_by = ${by}, snapshot = snapshot || jsonb_build_object('undoneBy', ${label}::text)
    WHERE office_id = ${officeId} AND id = ${id}`.execute(db);
