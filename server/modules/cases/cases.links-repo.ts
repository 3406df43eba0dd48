// SQL for links between cases (duplicate of, related, merged into), the related-case
// searches (nearby by bounding box then exact earth distance; the same people), the
// related-search settings, and the set operations of a merge.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { SUMMARY_COLUMNS, SUMMARY_JOINS, type SummaryRow } from './cases.repo.js';

/** Metres per degree of latitude (and of longitude at the equator). */
const M_PER_DEGREE = 111_320;
const LIMIT = 20;

export const settings = async (db: Executor, officeId: string) =>
  (await db.selectFrom('case_related_settings').select(['radius_m', 'window_days']).where('office_id', '=', officeId).executeTakeFirst()) ?? { radius_m: 50, window_days: 30 };

export const saveSettings = (db: Executor, officeId: string, v: { radius_m: number; window_days: number }) =>
  db.insertInto('case_related_settings').values({ office_id: officeId, ...v })
    .onConflict((oc) => oc.column('office_id').doUpdateSet({ ...v, updated_at: sql`now()` })).execute();

type Filter = { excludeId: string | null; includeSensitive: boolean };

/** Open cases of the category within radius metres of the point, opened in the last windowDays days, nearest first. */
export async function nearby(db: Executor, officeId: string, q: { categoryId: string; lat: number; lng: number; radiusM: number; windowDays: number } & Filter) {
  const dLat = q.radiusM / M_PER_DEGREE;
  const cos = Math.cos((q.lat * Math.PI) / 180);
  // Near the poles a longitude band says nothing; the exact distance below still applies.
  const dLng = cos < 0.01 ? 360 : q.radiusM / (M_PER_DEGREE * cos);
  const r = await sql<SummaryRow & { distance_m: number }>`SELECT * FROM (
      SELECT ${SUMMARY_COLUMNS('c')}, earth_distance(ll_to_earth(c.lat, c.lng), ll_to_earth(${q.lat}, ${q.lng})) AS distance_m
      FROM cases c ${SUMMARY_JOINS('c')}
      WHERE c.office_id = ${officeId} AND c.category_id = ${q.categoryId}
        AND c.lat BETWEEN ${q.lat - dLat} AND ${q.lat + dLat} AND c.lng BETWEEN ${q.lng - dLng} AND ${q.lng + dLng}
        AND c.resolved_at IS NULL AND c.closed_at IS NULL AND c.created_at >= now() - make_interval(days => ${q.windowDays})
        AND (${q.excludeId}::uuid IS NULL OR c.id <> ${q.excludeId}) AND (${q.includeSensitive} OR NOT c.is_sensitive)) near
    WHERE near.distance_m <= ${q.radiusM} ORDER BY near.distance_m, near.created_at DESC LIMIT ${LIMIT}`.execute(db);
  return r.rows;
}

/** Other open cases any of these people are on, newest first. */
export async function samePeople(db: Executor, officeId: string, constituentIds: string[], f: Filter) {
  if (constituentIds.length === 0) return [];
  const r = await sql<SummaryRow>`SELECT ${SUMMARY_COLUMNS('c')} FROM cases c ${SUMMARY_JOINS('c')}
    WHERE c.office_id = ${officeId} AND c.resolved_at IS NULL AND c.closed_at IS NULL
      AND EXISTS (SELECT 1 FROM case_constituents k WHERE k.office_id = c.office_id AND k.case_id = c.id AND k.constituent_id IN (${sql.join(constituentIds)}))
      AND (${f.excludeId}::uuid IS NULL OR c.id <> ${f.excludeId}) AND (${f.includeSensitive} OR NOT c.is_sensitive)
    ORDER BY c.created_at DESC, c.id DESC LIMIT ${LIMIT}`.execute(db);
  return r.rows;
}

// ---------------------------------------------------------------- links

export type LinkRow = {
  kind: string; direction: 'outgoing' | 'incoming'; created_at: Date;
  id: string; reference: string; subject: string; is_sensitive: boolean; status: string; status_label: string; status_category: string;
};

/** Every link of a case, read from both ends, with the other case's header. */
export async function linksOf(db: Executor, officeId: string, caseId: string): Promise<LinkRow[]> {
  const r = await sql<LinkRow>`SELECT l.kind, l.direction, l.created_at, o.id, o.reference, o.subject, o.is_sensitive, o.status, s.label AS status_label, s.category AS status_category
    FROM (SELECT kind, 'outgoing' AS direction, created_at, target_case_id AS other FROM case_links WHERE office_id = ${officeId} AND case_id = ${caseId}
          UNION ALL SELECT kind, 'incoming', created_at, case_id FROM case_links WHERE office_id = ${officeId} AND target_case_id = ${caseId}) l
    JOIN cases o ON o.office_id = ${officeId} AND o.id = l.other
    JOIN case_statuses s ON s.office_id = o.office_id AND s.key = o.status
    ORDER BY l.created_at, o.reference`.execute(db);
  return r.rows;
}

/** The case this one is a duplicate of or was merged into, if any. */
export const originalOf = (db: Executor, officeId: string, caseId: string) =>
  db.selectFrom('case_links').select(['kind', 'target_case_id', 'previous_status']).where('office_id', '=', officeId).where('case_id', '=', caseId)
    .where('kind', 'in', ['duplicate_of', 'merged_into']).executeTakeFirst();

/** How many cases are duplicates of (or merged into) this one. */
export const countCopiesOf = async (db: Executor, officeId: string, caseId: string) =>
  (await db.selectFrom('case_links').select(sql<number>`count(*)::int`.as('n')).where('office_id', '=', officeId).where('target_case_id', '=', caseId)
    .where('kind', 'in', ['duplicate_of', 'merged_into']).executeTakeFirstOrThrow()).n;

export const linkBetween = (db: Executor, officeId: string, a: string, b: string) =>
  db.selectFrom('case_links').select(['case_id', 'target_case_id', 'kind']).where('office_id', '=', officeId)
    .where((eb) => eb.or([eb.and([eb('case_id', '=', a), eb('target_case_id', '=', b)]), eb.and([eb('case_id', '=', b), eb('target_case_id', '=', a)])])).executeTakeFirst();

export const insertLink = (db: Executor, officeId: string, v: { case_id: string; target_case_id: string; kind: string; previous_status?: string | null }) =>
  db.insertInto('case_links').values({ ...v, office_id: officeId }).execute();

export const deleteLink = (db: Executor, officeId: string, caseId: string, targetId: string) =>
  db.deleteFrom('case_links').where('office_id', '=', officeId).where('case_id', '=', caseId).where('target_case_id', '=', targetId).executeTakeFirst();

/**
 * The requesters of cases marked duplicate of this one (open or closed), each with their
 * duplicate case (the newest, when one person reported it more than once), by person.
 */
export async function duplicateRequesterCases(db: Executor, officeId: string, caseId: string): Promise<{ constituentId: string; caseId: string }[]> {
  // Never the requesters of a sensitive duplicate: they hear of their own case only.
  const r = await sql<{ constituent_id: string; case_id: string }>`SELECT DISTINCT ON (k.constituent_id) k.constituent_id, d.id AS case_id FROM case_links l
    JOIN cases d ON d.office_id = l.office_id AND d.id = l.case_id AND NOT d.is_sensitive
    JOIN case_constituents k ON k.office_id = l.office_id AND k.case_id = l.case_id AND k.role = 'requester'
    WHERE l.office_id = ${officeId} AND l.target_case_id = ${caseId} AND l.kind = 'duplicate_of'
    ORDER BY k.constituent_id, d.created_at DESC, d.id`.execute(db);
  return r.rows.map((x) => ({ constituentId: x.constituent_id, caseId: x.case_id }));
}

/** The first non-retired status of a category, by position (where duplicates and merged cases are closed to). */
export const firstStatusOf = (db: Executor, officeId: string, category: 'closed' | 'open' | 'waiting') =>
  db.selectFrom('case_statuses').select(['key', 'label', 'category']).where('office_id', '=', officeId).where('category', '=', category)
    .where('retired', '=', false).orderBy('position').orderBy('key').executeTakeFirst();

export const status = (db: Executor, officeId: string, key: string) =>
  db.selectFrom('case_statuses').select(['key', 'label', 'category', 'retired']).where('office_id', '=', officeId).where('key', '=', key).executeTakeFirst();

// ---------------------------------------------------------------- merge

/** Re-points the links of the merged case to the survivor (duplicates of it become duplicates of the survivor), skipping any the survivor has. */
export async function repointLinks(db: Executor, officeId: string, fromId: string, intoId: string): Promise<void> {
  await sql`UPDATE case_links l SET target_case_id = ${intoId} WHERE l.office_id = ${officeId} AND l.target_case_id = ${fromId} AND l.case_id <> ${intoId}
    AND NOT EXISTS (SELECT 1 FROM case_links x WHERE x.office_id = l.office_id AND x.case_id = l.case_id AND x.target_case_id = ${intoId})`.execute(db);
  await sql`UPDATE case_links l SET case_id = ${intoId} WHERE l.office_id = ${officeId} AND l.case_id = ${fromId} AND l.kind = 'related' AND l.target_case_id <> ${intoId}
    AND NOT EXISTS (SELECT 1 FROM case_links x WHERE x.office_id = l.office_id AND x.case_id = ${intoId} AND x.target_case_id = l.target_case_id)`.execute(db);
  // Whatever could not move (a link between the two cases themselves, or one the survivor already has) goes.
  await sql`DELETE FROM case_links WHERE office_id = ${officeId} AND kind = 'related' AND (case_id = ${fromId} OR target_case_id = ${fromId})`.execute(db);
}
