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
  /** folded name text: every word must match a word of the name, typos tolerated */
  nameWords?: string[];
  nameText?: string;
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

/** Candidate (id, score) sources for a search plan. */
function hitSources(officeId: string, p: SearchPlan): RawBuilder<unknown>[] {
  const s: RawBuilder<unknown>[] = [];
  if (p.email) s.push(sql`SELECT constituent_id AS id, 3.0::float8 AS score FROM constituent_emails WHERE office_id = ${officeId} AND email = ${p.email}::citext`);
  if (p.phone) s.push(sql`SELECT constituent_id AS id, 3.0::float8 AS score FROM constituent_phones WHERE office_id = ${officeId} AND phone_e164 = ${p.phone}`);
  if (p.externalId) s.push(sql`SELECT constituent_id AS id, 3.0::float8 AS score FROM constituent_external_ids WHERE office_id = ${officeId} AND value = ${p.externalId}`);
  if (p.postcodeKey) s.push(sql`SELECT constituent_id AS id, 2.0::float8 AS score FROM constituent_addresses WHERE office_id = ${officeId} AND postcode_key = ${p.postcodeKey}`);
  if (p.nameWords?.length && p.nameText) {
    // Each query word must match a word of the name: through the office's lexicon of name
    // words (similar, a prefix, or the same letters transposed), then the array index.
    const all = sql.join(p.nameWords.map((w) => sql`c.name_words && ${similarWords(officeId, w)}`), sql` AND `);
    s.push(sql`SELECT c.id, (1.0 + similarity(c.search_name, ${p.nameText}) + word_similarity(${p.nameText}, c.search_name))::float8 AS score
      FROM constituents c WHERE c.office_id = ${officeId} AND ${all}`);
  }
  if (p.addressText) {
    // A substring of the normalised address ("12 high st" is in "12 high street cv21 2aa"):
    // the trigram index needs every trigram of it, which keeps this selective at scale.
    // The query gets the same normalisation as stored keys ("rd" → "road"); it leaves only
    // letters, digits and spaces, so nothing in it is a LIKE wildcard.
    s.push(sql`SELECT a.constituent_id AS id, (0.5 + word_similarity(${p.addressText}, a.address_key))::float8 AS score
      FROM constituent_addresses a WHERE a.office_id = ${officeId}
      AND a.address_key LIKE '%' || civitas_address_key(${p.addressText}, NULL, NULL) || '%'`);
  }
  return s;
}

/** The same as civitas_sorted_letters(): a word's letters in code point order. */
export const sortedLetters = (word: string) => [...word].sort().join('');

/** The lexicon words a query word may stand for, closest first (at most 40). */
function similarWords(officeId: string, w: string): RawBuilder<unknown> {
  const prefix = `${w.replace(/[\\%_]/g, '\\$&')}%`;
  return sql`ARRAY(SELECT l.word FROM name_lexicon l WHERE l.office_id = ${officeId}
    AND (${w} <% l.word OR l.letters = ${sortedLetters(w)} ${w.length >= 2 ? sql`OR l.word LIKE ${prefix}` : sql``})
    ORDER BY l.word = ${w} DESC, word_similarity(${w}, l.word) DESC, l.word LIMIT 40)`;
}

export type ListRow = { id: string; kind: string; display_name: string | null; tags: string[]; sort_name: string | null; score: number | null };

/** One page (limit + 1 rows) of the list or of a search. */
export async function page(
  db: Executor, officeId: string, plan: SearchPlan | null, filters: Filters, limit: number,
  after: { sortName: string; id: string } | { score: number; id: string } | undefined,
): Promise<ListRow[]> {
  const where = filterSql(filters);
  if (!plan) {
    if (after && 'sortName' in after) where.push(sql`(c.sort_name, c.id) > (${after.sortName}, ${after.id}::uuid)`);
    const r = await sql<ListRow>`SELECT c.id, c.kind, c.display_name, c.tags, c.sort_name, NULL::float8 AS score FROM constituents c
      WHERE c.office_id = ${officeId} AND ${sql.join(where, sql` AND `)}
      ORDER BY c.sort_name, c.id LIMIT ${limit + 1}`.execute(db);
    return r.rows;
  }
  const sources = hitSources(officeId, plan);
  if (!sources.length) return [];
  if (after && 'score' in after) where.push(sql`(h.score < ${after.score} OR (h.score = ${after.score} AND h.id > ${after.id}::uuid))`);
  // Thresholds for <% and <<% apply to this transaction only.
  const r = await inTransaction(db, async (trx) => {
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true)`.execute(trx);
    return sql<ListRow>`WITH hits AS (${sql.join(sources, sql` UNION ALL `)}),
      best AS (SELECT id, max(score) AS score FROM hits GROUP BY id)
      SELECT h.id, c.kind, c.display_name, c.tags, c.sort_name, h.score FROM best h
      JOIN constituents c ON c.office_id = ${officeId} AND c.id = h.id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY h.score DESC, h.id LIMIT ${limit + 1}`.execute(trx);
  });
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
