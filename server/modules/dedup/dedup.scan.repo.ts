// SQL of the duplicate scan. It runs on one pinned connection: the office's active records
// and their name keys go into temporary tables, each rule adds the pairs it finds (blocking:
// only records sharing the rule's key are compared), and the scored pairs are merged into
// duplicate_candidates in one short transaction at the end. Every join of the heavy steps
// is between analysed temporary tables, so plans do not depend on when the registry's
// tables were last analysed (a scan right after a bulk import).
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { FUZZY_SHARED, type DedupRuleName } from './dedup.rules.js';

export type StepCounts = { blocks: number; skippedBlocks: number; skippedRecords: number; skippedGroups: number; pairs: number };

/** How a similarity shows in a reason: "similar name 0.82 + same postcode" (shared with findMatches). */
export const similarityReason = (similarity: RawBuilder<unknown>, shared: string) =>
  sql<string>`'similar name ' || to_char(${similarity}, 'FM0.00') || ${` + ${shared}`}::text`;

const TEMP_TABLES = ['dd_scored', 'dd_pairs', 'dd_members', 'dd_addresses', 'dd_people'];

export async function dropTemp(db: Executor): Promise<void> {
  for (const t of TEMP_TABLES) await sql`DROP TABLE IF EXISTS pg_temp.${sql.raw(t)}`.execute(db);
}

const lockKey = (officeId: string) => sql`hashtext('civitas.dedup.scan'), hashtext(${officeId})`;

/** One scan per office at a time (session lock); the grouping and sorting of a
 * million-record office fit in memory with a larger work_mem for this session. */
export async function lockOffice(db: Executor, officeId: string): Promise<boolean> {
  const locked = (await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${lockKey(officeId)}) AS ok`.execute(db)).rows[0]!.ok;
  if (locked) await sql`SET work_mem = '128MB'`.execute(db);
  return locked;
}

/** Leaves the pooled connection as it was found: no temporary tables, settings or lock
 * (each step on its own, so one failing does not keep the lock). */
export async function release(db: Executor, officeId: string, locked: boolean): Promise<void> {
  await dropTemp(db).catch(() => undefined);
  await sql`RESET work_mem`.execute(db).catch(() => undefined);
  if (locked) await sql`SELECT pg_advisory_unlock(${lockKey(officeId)})`.execute(db);
}

/**
 * The office's active records with their name keys (the words of the folded name) and
 * their addresses' keys. Within a block, two records are compared when they share a name
 * word, so one typo (which changes one word) still leaves the pair compared through the other.
 */
export async function prepare(db: Executor, officeId: string): Promise<number> {
  await dropTemp(db);
  // name_words: the distinct words of the folded name (search keeps them for its lexicon).
  await sql`CREATE TEMP TABLE dd_people AS
    SELECT id, kind, coalesce(search_name, '') AS name, date_of_birth, coalesce(name_words, '{}') AS keys
    FROM constituents WHERE office_id = ${officeId} AND status = 'active'`.execute(db);
  await sql`CREATE INDEX ON dd_people (id)`.execute(db);
  await sql`ANALYZE dd_people`.execute(db);
  await sql`CREATE TEMP TABLE dd_addresses AS
    SELECT a.constituent_id AS id, a.address_key, a.postcode_key FROM constituent_addresses a JOIN dd_people p ON p.id = a.constituent_id
    WHERE a.office_id = ${officeId}`.execute(db);
  await sql`ANALYZE dd_addresses`.execute(db);
  await sql`CREATE TEMP TABLE dd_pairs (low uuid NOT NULL, high uuid NOT NULL, rule text NOT NULL, weight integer NOT NULL, reason text NOT NULL)`.execute(db);
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dd_people`.execute(db);
  return r.rows[0]!.n;
}

/** Block members of a rule: (block key, record) for every active record. */
function members(rule: DedupRuleName, officeId: string) {
  switch (rule) {
    case 'exactEmail':
      return sql`SELECT DISTINCT lower(e.email::text) AS b, e.constituent_id AS id FROM constituent_emails e JOIN dd_people p ON p.id = e.constituent_id WHERE e.office_id = ${officeId}`;
    case 'exactPhone':
      // a number marked wrong is not the person's
      return sql`SELECT DISTINCT t.phone_e164 AS b, t.constituent_id AS id FROM constituent_phones t JOIN dd_people p ON p.id = t.constituent_id
        WHERE t.office_id = ${officeId} AND t.status <> 'wrong_number'`;
    case 'nameAddress':
      return sql`SELECT DISTINCT address_key AS b, id FROM dd_addresses WHERE address_key <> ''`;
    case 'namePostcode':
      return sql`SELECT DISTINCT postcode_key AS b, id FROM dd_addresses WHERE postcode_key <> ''`;
    case 'nameDob':
      return sql`SELECT date_of_birth::text AS b, id FROM dd_people WHERE date_of_birth IS NOT NULL`;
  }
}

/** The rule's block members, with the size of their block, as an analysed temporary table. */
async function loadMembers(db: Executor, rule: DedupRuleName, officeId: string): Promise<void> {
  await sql`DROP TABLE IF EXISTS pg_temp.dd_members`.execute(db);
  await sql`CREATE TEMP TABLE dd_members AS
    SELECT m.b, m.id, count(*) OVER (PARTITION BY m.b) AS n FROM (${members(rule, officeId)}) m`.execute(db);
  await sql`ANALYZE dd_members`.execute(db);
}

const counts = (rows: StepCounts[]): StepCounts => {
  const r = rows[0]!;
  return { blocks: Number(r.blocks), skippedBlocks: Number(r.skippedBlocks), skippedRecords: Number(r.skippedRecords), skippedGroups: Number(r.skippedGroups), pairs: Number(r.pairs) };
};

/** Blocks of two or more records compared, and those over the cap (with their records). */
const blockTally = (cap: number) => sql`
  (SELECT count(DISTINCT b) FROM dd_members WHERE n > 1 AND n <= ${cap}::int) AS blocks,
  (SELECT count(DISTINCT b) FROM dd_members WHERE n > ${cap}::int) AS "skippedBlocks",
  (SELECT count(*) FROM dd_members WHERE n > ${cap}::int) AS "skippedRecords"`;

/** Exact rules: every pair within a block of records sharing the email (or phone). */
export async function exactRule(db: Executor, officeId: string, rule: 'exactEmail' | 'exactPhone', weight: number, cap: number): Promise<StepCounts> {
  await loadMembers(db, rule, officeId);
  const label = rule === 'exactEmail' ? 'same email ' : 'same phone ';
  const r = await sql<StepCounts>`
    WITH ins AS (
      INSERT INTO dd_pairs (low, high, rule, weight, reason)
      SELECT x.id, y.id, ${rule}::text, ${weight}::int, ${label}::text || x.b
      FROM dd_members x JOIN dd_members y ON y.b = x.b AND x.id < y.id
      WHERE x.n > 1 AND x.n <= ${cap}::int
      RETURNING 1)
    SELECT ${blockTally(cap)}, 0 AS "skippedGroups", (SELECT count(*) FROM ins) AS pairs`.execute(db);
  return counts(r.rows);
}

/**
 * Fuzzy rules: within a block (same address, postcode or birth date), records of the same
 * kind whose names share a word are compared with pg_trgm similarity.
 */
export async function fuzzyRule(
  db: Executor,
  officeId: string,
  rule: 'nameAddress' | 'namePostcode' | 'nameDob',
  weight: number,
  threshold: number,
  caps: { block: number; group: number },
): Promise<StepCounts> {
  await loadMembers(db, rule, officeId);
  const r = await sql<StepCounts>`
    WITH groups AS (
      SELECT array_agg(p.id) AS ids, array_agg(p.name) AS names, count(*) AS n
      FROM dd_members m JOIN dd_people p ON p.id = m.id, unnest(p.keys) AS k
      WHERE m.n > 1 AND m.n <= ${caps.block}::int AND length(k) >= 2
      GROUP BY m.b, k, p.kind HAVING count(*) > 1),
    compared AS (
      SELECT x.id AS low, y.id AS high, similarity(x.name, y.name) AS s
      FROM groups, unnest(groups.ids, groups.names) AS x(id, name), unnest(groups.ids, groups.names) AS y(id, name)
      WHERE groups.n <= ${caps.group}::int AND x.id < y.id),
    ins AS (
      INSERT INTO dd_pairs (low, high, rule, weight, reason)
      SELECT DISTINCT low, high, ${rule}::text, ${weight}::int, ${similarityReason(sql`s`, FUZZY_SHARED[rule])} FROM compared WHERE s >= ${threshold}
      RETURNING 1)
    SELECT ${blockTally(caps.block)},
      (SELECT count(*) FROM groups WHERE n > ${caps.group}::int) AS "skippedGroups",
      (SELECT count(*) FROM ins) AS pairs`.execute(db);
  return counts(r.rows);
}

/** Pairs scored: one reason per rule met, weights summed, kept at or above the threshold. */
export async function score(db: Executor, threshold: number): Promise<number> {
  await sql`CREATE TEMP TABLE dd_scored AS
    SELECT low, high, sum(weight)::real AS score, jsonb_agg(reason ORDER BY weight DESC, reason COLLATE "C") AS reasons
    FROM (SELECT DISTINCT ON (low, high, rule) low, high, weight, reason FROM dd_pairs ORDER BY low, high, rule, reason COLLATE "C") per_rule
    GROUP BY low, high HAVING sum(weight) >= ${threshold}`.execute(db);
  await sql`CREATE INDEX ON dd_scored (low, high)`.execute(db);
  await sql`ANALYZE dd_scored`.execute(db);
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dd_scored`.execute(db);
  return r.rows[0]!.n;
}

export type ApplyCounts = { created: number; updated: number; removed: number; decided: number; open: number };

/**
 * The scored pairs become the office's candidates: new pairs are inserted open, known ones
 * get the new score and reasons but keep their status (dismissed and merged decisions
 * stand), and open pairs that no longer match are removed. Run in a transaction.
 */
export async function apply(db: Executor, officeId: string): Promise<ApplyCounts> {
  // Records merged while the scan ran are left out of the new pairs.
  const merged = sql`SELECT id FROM constituents WHERE office_id = ${officeId} AND status = 'merged'`;
  await sql`DELETE FROM dd_scored s WHERE s.low IN (${merged}) OR s.high IN (${merged})`.execute(db);
  const up = await sql<{ created: number; updated: number }>`
    WITH up AS (
      INSERT INTO duplicate_candidates AS d (office_id, low_id, high_id, score, reasons)
      SELECT ${officeId}, s.low, s.high, s.score, s.reasons FROM dd_scored s
      ON CONFLICT (office_id, low_id, high_id) DO UPDATE SET score = excluded.score, reasons = excluded.reasons
        WHERE d.score IS DISTINCT FROM excluded.score OR d.reasons IS DISTINCT FROM excluded.reasons
      RETURNING (xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`.execute(db);
  const removed = await sql`
    DELETE FROM duplicate_candidates d WHERE d.office_id = ${officeId} AND d.status = 'open'
      AND NOT EXISTS (SELECT 1 FROM dd_scored s WHERE s.low = d.low_id AND s.high = d.high_id)`.execute(db);
  const tally = await sql<{ open: number; decided: number }>`
    SELECT count(*) FILTER (WHERE d.status = 'open')::int AS open, count(*) FILTER (WHERE d.status <> 'open')::int AS decided
    FROM dd_scored s JOIN duplicate_candidates d ON d.office_id = ${officeId} AND d.low_id = s.low AND d.high_id = s.high`.execute(db);
  return {
    created: up.rows[0]!.created,
    updated: up.rows[0]!.updated,
    removed: Number(removed.numAffectedRows ?? 0),
    open: tally.rows[0]!.open,
    decided: tally.rows[0]!.decided,
  };
}
