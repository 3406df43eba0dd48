// SQL for the address register: batched upserts, geocoding look-ups and autocomplete.
// Address keys are always computed in SQL (civitas_address_key), the same function the
// generated columns use, so a look-up key and a stored key can never drift apart.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type RegisterRow = { externalId: string | null; line1: string; line2: string | null; locality: string | null; postcode: string | null; lat: number; lng: number };

const cols = (rows: RegisterRow[]) => ({
  ext: rows.map((r) => r.externalId),
  line1: rows.map((r) => r.line1),
  line2: rows.map((r) => r.line2),
  locality: rows.map((r) => r.locality),
  postcode: rows.map((r) => r.postcode),
  lat: rows.map((r) => r.lat),
  lng: rows.map((r) => r.lng),
});

/** Upserts rows that carry an external id (such as a UPRN); unchanged rows are not touched. */
export async function upsertByExternalId(db: Executor, officeId: string, rows: RegisterRow[]): Promise<{ created: number; updated: number }> {
  if (rows.length === 0) return { created: 0, updated: 0 };
  const c = cols(rows);
  const { rows: out } = await sql<{ inserted: boolean }>`
    INSERT INTO address_register AS r (office_id, external_id, line1, line2, locality, postcode, lat, lng)
    SELECT ${officeId}::uuid, * FROM unnest(${c.ext}::text[], ${c.line1}::text[], ${c.line2}::text[], ${c.locality}::text[], ${c.postcode}::text[], ${c.lat}::float8[], ${c.lng}::float8[])
    ON CONFLICT (office_id, external_id) WHERE external_id IS NOT NULL DO UPDATE
      SET line1 = excluded.line1, line2 = excluded.line2, locality = excluded.locality, postcode = excluded.postcode, lat = excluded.lat, lng = excluded.lng
      WHERE (r.line1, r.line2, r.locality, r.postcode, r.lat, r.lng) IS DISTINCT FROM (excluded.line1, excluded.line2, excluded.locality, excluded.postcode, excluded.lat, excluded.lng)
    RETURNING (xmax = 0) AS inserted`.execute(db);
  const created = out.filter((r) => r.inserted).length;
  return { created, updated: out.length - created };
}

/** Rows without an external id match the register by address key: update it, or insert. */
export async function upsertByAddressKey(db: Executor, officeId: string, rows: RegisterRow[]): Promise<{ created: number; updated: number }> {
  if (rows.length === 0) return { created: 0, updated: 0 };
  const c = cols(rows);
  const { rows: out } = await sql<{ created: number; updated: number }>`
    WITH input AS (
      SELECT n, line1, line2, locality, postcode, lat, lng, public.civitas_address_key(line1, line2, postcode) AS k
      FROM unnest(${c.line1}::text[], ${c.line2}::text[], ${c.locality}::text[], ${c.postcode}::text[], ${c.lat}::float8[], ${c.lng}::float8[]) WITH ORDINALITY AS t(line1, line2, locality, postcode, lat, lng, n)
    ), existing AS (
      SELECT DISTINCT i.n FROM input i JOIN address_register r ON r.office_id = ${officeId} AND r.address_key = i.k
    ), changed AS (
      UPDATE address_register r SET line1 = i.line1, line2 = i.line2, locality = i.locality, postcode = i.postcode, lat = i.lat, lng = i.lng
      FROM input i
      WHERE r.office_id = ${officeId} AND r.address_key = i.k
        AND (r.line1, r.line2, r.locality, r.postcode, r.lat, r.lng) IS DISTINCT FROM (i.line1, i.line2, i.locality, i.postcode, i.lat, i.lng)
      RETURNING i.n
    ), added AS (
      INSERT INTO address_register (office_id, line1, line2, locality, postcode, lat, lng)
      SELECT ${officeId}::uuid, line1, line2, locality, postcode, lat, lng FROM input WHERE n NOT IN (SELECT n FROM existing)
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM added)::int AS created, (SELECT count(DISTINCT n) FROM changed)::int AS updated`.execute(db);
  return out[0]!;
}

export type Point = { lat: number; lng: number };

/** A register address on one line, as residents pick it ("12 Mill Lane, Springfield, SP1 2AB"). */
export const addressLabel = (a: { line1: string; line2: string | null; locality: string | null; postcode: string | null }) => [a.line1, a.line2, a.locality, a.postcode].filter(Boolean).join(', ');

export async function exactMatch(db: Executor, officeId: string, a: { line1: string; line2: string | null; postcode: string | null }): Promise<Point | undefined> {
  const { rows } = await sql<Point>`SELECT lat, lng FROM address_register
    WHERE office_id = ${officeId} AND address_key = public.civitas_address_key(${a.line1}::text, ${a.line2}::text, ${a.postcode}::text)
    ORDER BY id LIMIT 1`.execute(db);
  return rows[0];
}

/** The register's addresses in the same postcode, most similar first. */
export async function samePostcode(db: Executor, officeId: string, a: { line1: string; line2: string | null; postcode: string }, limit = 5) {
  const { rows } = await sql<Point & { key: string; query: string; similarity: number }>`
    WITH q AS (SELECT public.civitas_address_key(${a.line1}::text, ${a.line2}::text, ${a.postcode}::text) AS k)
    SELECT r.lat, r.lng, r.address_key AS key, q.k AS query, similarity(r.address_key, q.k) AS similarity
    FROM address_register r, q
    WHERE r.office_id = ${officeId} AND r.postcode_key = public.civitas_postcode_key(${a.postcode}::text)
    ORDER BY similarity DESC, r.id LIMIT ${limit}`.execute(db);
  return rows;
}

/** Autocomplete: addresses starting with the typed text, in a postcode starting with it, or like it. */
export async function search(db: Executor, officeId: string, q: string, limit: number) {
  const { rows } = await sql<{ id: string; external_id: string | null; line1: string; line2: string | null; locality: string | null; postcode: string | null; lat: number; lng: number }>`
    WITH q AS (SELECT public.civitas_address_key(${q}::text, NULL, NULL) AS k, public.civitas_postcode_key(${q}::text) AS pk)
    SELECT r.id, r.external_id, r.line1, r.line2, r.locality, r.postcode, r.lat, r.lng
    FROM address_register r, q
    WHERE r.office_id = ${officeId} AND q.k <> '' AND (
      r.address_key LIKE q.k || '%'
      OR (length(q.pk) >= 3 AND r.postcode_key LIKE q.pk || '%')
      OR q.k <% r.address_key)
    ORDER BY (r.address_key LIKE q.k || '%') DESC, (r.postcode_key = q.pk) DESC, word_similarity(q.k, r.address_key) DESC, r.address_key, r.id
    LIMIT ${limit}`.execute(db);
  return rows;
}

export const count = async (db: Executor, officeId: string) =>
  (await db.selectFrom('address_register').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n;

/** One register address by its external id (a UPRN, or an Open311 client's address_id). */
export const byExternalId = (db: Executor, officeId: string, externalId: string) =>
  db.selectFrom('address_register').select(['id', 'external_id', 'line1', 'line2', 'locality', 'postcode', 'lat', 'lng'])
    .where('office_id', '=', officeId).where('external_id', '=', externalId).executeTakeFirst();
