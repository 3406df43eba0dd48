// SQL for the constituent list and search. Without a query the list is alphabetical
// (keyset on sort_name, id); with one, each kind of match contributes candidate ids with a
// score (exact email / phone / external id / postcode first, then fuzzy name and address by
// pg_trgm), and the best score per record ranks the page (keyset on score, id).
import { sql, type RawBuilder } from 'kysely';
import { inTransaction, type Executor } from '../../platform/db/database.js';

export type SearchPlan = {
  email?: string;
  phone?: string;
  externalId?: string;
  postcodeKey?: string;
  /** folded name words: every word must match a word of the name, typos tolerated */
  nameWords?: string[];
  /** folded address text */
  addressText?: string;
};

export type Filters = {
  ward?: string;
  tag?: string;
  custom?: { key: string; value: unknown };
  hasOpenCase?: boolean;
  kind?: string;
};

const OPEN_CASE = (c: string) => sql`EXISTS (SELECT 1 FROM cases k WHERE k.office_id = ${sql.ref(`${c}.office_id`)} AND k.requester_id = ${sql.ref(`${c}.id`)} AND k.closed_at IS NULL AND k.resolved_at IS NULL)`;

function filterSql(f: Filters): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [sql`c.status = 'active'`];
  if (f.kind) out.push(sql`c.kind = ${f.kind}`);
  if (f.tag) out.push(sql`c.tags @> ARRAY[${f.tag}]::text[]`);
  if (f.custom) {
    const { key, value } = f.custom;
    out.push(sql`(c.custom_fields @> ${JSON.stringify({ [key]: value })}::jsonb OR c.custom_fields @> ${JSON.stringify({ [key]: [value] })}::jsonb)`);
  }
  if (f.ward) out.push(sql`EXISTS (SELECT 1 FROM constituent_addresses wa WHERE wa.office_id = c.office_id AND wa.constituent_id = c.id AND wa.ward_id = ${f.ward})`);
  if (f.hasOpenCase !== undefined) out.push(f.hasOpenCase ? OPEN_CASE('c') : sql`NOT ${OPEN_CASE('c')}`);
  return out;
}

type After = { sortName: string; id: string } | { score: number; id: string } | undefined;

/** Rows after the keyset cursor of a search page, for a row of record `c` scored `score`. */
function afterScore(after: After, score: RawBuilder<unknown>): RawBuilder<unknown> {
  if (!after || !('score' in after)) return sql`true`;
  return sql`(${score} < ${after.score} OR (${score} = ${after.score} AND c.id > ${after.id}::uuid))`;
}

/**
 * Candidate (id, score) sources for a search plan, each already filtered and cut to one page
 * in (score, id) order: the page is then the best of those few rows, so a phone number or a
 * postcode shared by thousands of records costs one page of rows, not thousands.
 * (A record matching two kinds of source, say as external id and as phone, is ranked by the
 * best of them only where both fall on the same page.)
 */
function hitSources(officeId: string, p: SearchPlan, where: RawBuilder<unknown>[], after: After, n: number): RawBuilder<unknown>[] {
  const s: RawBuilder<unknown>[] = [];
  const filters = sql.join(where, sql` AND `);
  // Walks the (office, key, constituent) index in constituent order and stops after a page.
  const exact = (table: string, key: RawBuilder<unknown>, score: number) =>
    s.push(sql`(SELECT c.id, ${score}::float8 AS score FROM ${sql.table(table)} t
      JOIN constituents c ON c.office_id = t.office_id AND c.id = t.constituent_id
      WHERE t.office_id = ${officeId} AND ${key} AND ${filters} AND ${afterScore(after, sql`${score}::float8`)}
      ORDER BY t.constituent_id LIMIT ${n})`);
  if (p.email) exact('constituent_emails', sql`t.email = ${p.email}::citext`, 3);
  if (p.phone) exact('constituent_phones', sql`t.phone_e164 = ${p.phone}`, 3);
  if (p.externalId) exact('constituent_external_ids', sql`t.value = ${p.externalId}`, 3);
  if (p.postcodeKey) exact('constituent_addresses', sql`t.postcode_key = ${p.postcodeKey}`, 2);
  if (p.addressText) {
    // A substring of the normalised address ("12 high st" is in "12 high street cv21 2aa"):
    // the trigram index needs every trigram of it, which keeps this selective at scale.
    // The query gets the same normalisation as stored keys ("rd" → "road"); it leaves only
    // letters, digits and spaces, so nothing in it is a LIKE wildcard.
    const score = sql`(0.5 + word_similarity(${p.addressText}, a.address_key))::float8`;
    s.push(sql`(SELECT c.id, ${score} AS score FROM constituent_addresses a
      JOIN constituents c ON c.office_id = a.office_id AND c.id = a.constituent_id
      WHERE a.office_id = ${officeId} AND a.address_key LIKE '%' || civitas_address_key(${p.addressText}, NULL, NULL) || '%'
        AND ${filters} AND ${afterScore(after, score)}
      ORDER BY 2 DESC, c.id LIMIT ${n})`);
  }
  return s;
}

/** The same as civitas_sorted_letters(): a word's letters in code point order. */
export const sortedLetters = (word: string) => [...word].sort().join('');

/** How many lexicon words each query word may stand for, by the number of query words. */
const EXPANSION = [40, 40, 12, 6, 4, 3, 3];
/** At most this many word combinations are tried, best first. */
const MAX_COMBINATIONS = 300;
const CHUNK_ENDS = [10, 60];

/** The lexicon words a query word may stand for, closest first: the word itself, the same
 * letters in another order ("jhon"), a similar word ("smth") or a longer word it begins. */
function similarWords(officeId: string, w: string, i: number, limit: number): RawBuilder<unknown> {
  const prefix = `${w.replace(/[\\%_]/g, '\\$&')}%`;
  const letters = sortedLetters(w);
  return sql`(SELECT ${i}::int AS i, l.word,
      (CASE WHEN l.word = ${w} THEN 1 WHEN l.letters = ${letters} THEN 0.9 ELSE similarity(${w}, l.word) END)::float8 AS score
    FROM name_lexicon l WHERE l.office_id = ${officeId}
      AND (${w} <% l.word OR l.letters = ${letters} ${w.length >= 2 ? sql`OR l.word LIKE ${prefix}` : sql``})
    ORDER BY 3 DESC, l.word LIMIT ${limit})`;
}

type Combination = { rank: number; score: number; ws: string[] };

/** Every choice of one lexicon word per query word, best average closeness first. */
function combinations(choices: { word: string; score: number }[][]): Combination[] {
  let partial: { ws: string[]; sum: number }[] = [{ ws: [], sum: 0 }];
  for (const list of choices) {
    partial = partial.flatMap((p) => list.map((c) => ({ ws: [...p.ws, c.word], sum: p.sum + c.score })));
    partial.sort((a, b) => b.sum - a.sum);
    partial = partial.slice(0, MAX_COMBINATIONS * 4);
  }
  const seen = new Set<string>();
  const out: Combination[] = [];
  for (const p of partial) {
    const ws = [...new Set(p.ws)].sort();
    const key = ws.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ rank: out.length + 1, score: 1 + p.sum / choices.length, ws });
    if (out.length === MAX_COMBINATIONS) break;
  }
  return out;
}

/**
 * Name matches, one page in (score, id) order. Each query word must match a word of the name
 * (through the office's small lexicon of name words); each combination of lexicon words is one
 * exact array-index probe, tried best first, until a page is full: far fewer rows read than
 * scoring every record that holds any similar word.
 */
async function nameHits(db: Executor, officeId: string, words: string[], where: RawBuilder<unknown>[], after: After, n: number): Promise<{ id: string; score: number }[]> {
  const limit = EXPANSION[Math.min(words.length, EXPANSION.length - 1)]!;
  // The threshold for <% applies to this transaction only.
  const expanded = await inTransaction(db, async (trx) => {
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true)`.execute(trx);
    return (await sql<{ i: number; word: string; score: number }>`${sql.join(words.map((w, i) => similarWords(officeId, w, i, limit)), sql` UNION ALL `)}`.execute(trx)).rows;
  });
  const choices = words.map((_, i) => expanded.filter((e) => e.i === i));
  if (choices.some((c) => c.length === 0)) return [];
  const all = combinations(choices);
  const found: { id: string; score: number; rank: number }[] = [];
  for (let lo = 0, chunk = 0; lo < all.length && found.length < n; chunk++) {
    // Chunks grow (the first 10 combinations, up to 60, then the rest) and never split
    // combinations of equal score, so the rows found are exactly the best once a page is full.
    let hi = Math.min(all.length, Math.max(lo + 1, CHUNK_ENDS[chunk] ?? all.length));
    while (hi < all.length && all[hi]!.score === all[hi - 1]!.score) hi++;
    const { rows } = await sql<{ id: string; rank: number }>`
      WITH cb AS MATERIALIZED (SELECT * FROM json_to_recordset(${JSON.stringify(all.slice(0, hi))}::json) AS t(rank int, score float8, ws text[]))
      SELECT x.id, cb.rank FROM cb CROSS JOIN LATERAL (SELECT m.id FROM (
        SELECT c.id FROM constituents c
        WHERE c.office_id = ${officeId} AND c.name_words @> cb.ws AND ${sql.join(where, sql` AND `)} AND ${afterScore(after, sql`cb.score`)}
          -- a record counts once, under the best combination it matches
          AND NOT EXISTS (SELECT 1 FROM cb better WHERE better.rank < cb.rank AND c.name_words @> better.ws)
        -- the fence keeps the planner on the name index: left to itself it walks the whole
        -- office in id order hoping to fill the LIMIT early
        OFFSET 0) m ORDER BY m.id LIMIT ${n}) x
      WHERE cb.rank > ${lo}`.execute(db);
    for (const r of rows) found.push({ id: r.id, rank: r.rank, score: all[r.rank - 1]!.score });
    lo = hi;
  }
  found.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return found.slice(0, n).map(({ id, score }) => ({ id, score }));
}

export type ListRow = { id: string; kind: string; display_name: string | null; tags: string[]; sort_name: string | null; score: number | null };

/** One page (limit + 1 rows) of the list or of a search. */
export async function page(db: Executor, officeId: string, plan: SearchPlan | null, filters: Filters, limit: number, after: After): Promise<ListRow[]> {
  const where = filterSql(filters);
  if (!plan) {
    if (after && 'sortName' in after) where.push(sql`(c.sort_name, c.id) > (${after.sortName}, ${after.id}::uuid)`);
    const r = await sql<ListRow>`SELECT c.id, c.kind, c.display_name, c.tags, c.sort_name, NULL::float8 AS score FROM constituents c
      WHERE c.office_id = ${officeId} AND ${sql.join(where, sql` AND `)}
      ORDER BY c.sort_name, c.id LIMIT ${limit + 1}`.execute(db);
    return r.rows;
  }
  const n = limit + 1;
  const sources = hitSources(officeId, plan, where, after, n);
  if (plan.nameWords?.length) {
    const names = await nameHits(db, officeId, plan.nameWords, where, after, n);
    if (names.length) sources.push(sql`(SELECT t.id, t.score FROM json_to_recordset(${JSON.stringify(names)}::json) AS t(id uuid, score float8))`);
  }
  if (!sources.length) return [];
  const r = await sql<ListRow>`WITH hits AS (${sql.join(sources, sql` UNION ALL `)}),
      best AS (SELECT id, max(score) AS score FROM hits GROUP BY id)
    SELECT h.id, c.kind, c.display_name, c.tags, c.sort_name, h.score FROM best h
    JOIN constituents c ON c.office_id = ${officeId} AND c.id = h.id
    ORDER BY h.score DESC, h.id LIMIT ${n}`.execute(db);
  return r.rows;
}

export type SummaryExtras = {
  id: string; email: string | null; phone: string | null; address_id: string | null; line1: string | null;
  locality: string | null; postcode: string | null; open_cases: number;
};

/** Primary contact points and open case counts for a page of records. */
export async function extras(db: Executor, officeId: string, ids: string[]): Promise<SummaryExtras[]> {
  if (!ids.length) return [];
  const r = await sql<SummaryExtras>`SELECT c.id,
      (SELECT e.email FROM constituent_emails e WHERE e.office_id = c.office_id AND e.constituent_id = c.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS email,
      (SELECT p.phone_e164 FROM constituent_phones p WHERE p.office_id = c.office_id AND p.constituent_id = c.id ORDER BY p.is_primary DESC, p.id LIMIT 1) AS phone,
      a.id AS address_id, a.line1, a.locality, a.postcode,
      (SELECT count(*)::int FROM cases k WHERE k.office_id = c.office_id AND k.requester_id = c.id AND k.closed_at IS NULL AND k.resolved_at IS NULL) AS open_cases
    FROM constituents c
    LEFT JOIN LATERAL (SELECT a.id, a.line1, a.locality, a.postcode FROM constituent_addresses a
      WHERE a.office_id = c.office_id AND a.constituent_id = c.id ORDER BY a.is_primary DESC, a.id LIMIT 1) a ON true
    WHERE c.office_id = ${officeId} AND c.id = ANY(${ids}::uuid[])`.execute(db);
  return r.rows;
}
