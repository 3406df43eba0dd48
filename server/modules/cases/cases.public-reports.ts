// Reports anyone may see (issue 7: the portal's nearby reports and follows, the open data map
// and downloads, area alerts): what was reported, where, when and in what state — never who
// sent it, what they wrote, or anything staff wrote. A report is placed publicly only when it
// came from the public (the portal or public form, or Open311: anything else is private
// correspondence, as for Open311's own feed), has a point, is not sensitive, and neither its
// category nor any category above it keeps locations private or needs a privacy release
// (requests about a person's own affairs are placed at their home). A case without a category
// is never placed: nobody has said what it is about.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export type PublicReport = {
  id: string; reference: string; categoryId: string; categoryName: string; createdAt: Date; statusCategory: string; isInitialStatus: boolean;
  lat: number; lng: number; wardName: string | null;
};

/** The office's publicly placed reports (`cases as c`, `categories as k`, `case_statuses as s`, ward `boundaries as w`), to select from. */
export function placedPublicly(db: Executor, officeId: string) {
  return db.selectFrom('cases as c')
    .innerJoin('categories as k', (j) => j.onRef('k.office_id', '=', 'c.office_id').onRef('k.id', '=', 'c.category_id'))
    .innerJoin('case_statuses as s', (j) => j.onRef('s.office_id', '=', 'c.office_id').onRef('s.key', '=', 'c.status'))
    .leftJoin('boundaries as w', (j) => j.onRef('w.office_id', '=', 'c.office_id').onRef('w.id', '=', 'c.ward_id'))
    .where('c.office_id', '=', officeId)
    .where('c.channel', 'in', PUBLIC_CHANNELS)
    .where('c.lat', 'is not', null).where('c.lng', 'is not', null).where('c.is_sensitive', '=', false)
    .where('c.category_id', 'not in', privateCategories(officeId));
}

/** The channels whose reports are public: what residents sent to be dealt with in public. */
export const PUBLIC_CHANNELS = ['web', 'open311'];

/** The office's categories that keep locations private or need a privacy release, and every category below one. */
const privateCategories = (officeId: string) => sql<string>`(
  WITH RECURSIVE private AS (
    SELECT id FROM categories WHERE office_id = ${officeId} AND (location_is_private OR requires_privacy_release)
    UNION
    SELECT below.id FROM categories below JOIN private ON below.parent_id = private.id WHERE below.office_id = ${officeId}
  ) SELECT id FROM private)`;

/** What a public page shows of each, optionally only the open ones (neither resolved nor closed). */
export function publicReports(db: Executor, officeId: string, opts: { onlyOpen: boolean }) {
  const q = placedPublicly(db, officeId)
    .select(['c.id', 'c.reference', 'c.category_id', 'k.name as category_name', 'c.created_at', 's.category as status_category', 's.is_initial', 'c.lat', 'c.lng', 'w.name as ward_name']);
  return opts.onlyOpen ? q.where('c.resolved_at', 'is', null).where('c.closed_at', 'is', null) : q;
}

type Row = Awaited<ReturnType<ReturnType<typeof publicReports>['execute']>>[number];
export const toPublicReport = (r: Row): PublicReport => ({
  id: r.id, reference: r.reference, categoryId: r.category_id!, categoryName: r.category_name, createdAt: r.created_at, statusCategory: r.status_category,
  isInitialStatus: r.is_initial, lat: r.lat!, lng: r.lng!, wardName: r.ward_name,
});

const METRES_PER_DEGREE_LAT = 111_320;

/** Metres between two points (equirectangular: exact enough within a city). */
export function metresBetween(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const x = (b.lng - a.lng) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180)) * METRES_PER_DEGREE_LAT;
  const y = (b.lat - a.lat) * METRES_PER_DEGREE_LAT;
  return Math.sqrt(x * x + y * y);
}

/** Open public reports within `radius` metres of a point, nearest first (optionally of one category). */
export async function openNear(db: Executor, officeId: string, at: { lat: number; lng: number }, radius: number, opts: { categoryId?: string | null; limit: number }): Promise<(PublicReport & { metres: number })[]> {
  const dLat = radius / METRES_PER_DEGREE_LAT;
  const dLng = radius / (METRES_PER_DEGREE_LAT * Math.max(0.01, Math.cos(at.lat * (Math.PI / 180))));
  let q = publicReports(db, officeId, { onlyOpen: true })
    .where('c.lat', '>=', at.lat - dLat).where('c.lat', '<=', at.lat + dLat)
    .where('c.lng', '>=', at.lng - dLng).where('c.lng', '<=', at.lng + dLng)
    .orderBy('c.created_at', 'desc').limit(1_000);
  if (opts.categoryId) q = q.where('c.category_id', '=', opts.categoryId);
  return (await q.execute()).map((r) => ({ ...toPublicReport(r), metres: metresBetween(at, { lat: r.lat!, lng: r.lng! }) }))
    .filter((r) => r.metres <= radius).sort((a, b) => a.metres - b.metres).slice(0, opts.limit);
}

/** One publicly placed report by its reference (a follow, a public report page); undefined when it is not public. */
export async function byReference(db: Executor, officeId: string, reference: string): Promise<PublicReport | undefined> {
  const row = await publicReports(db, officeId, { onlyOpen: false }).where('c.reference', '=', reference).executeTakeFirst();
  return row && toPublicReport(row);
}

// ---------------------------------------------------------------- open data (portal.open-data.ts)

const isOpen = sql<boolean>`(c.resolved_at IS NULL AND c.closed_at IS NULL)`;

/**
 * Publicly placed reports per ward (ward_id null: in no ward): opened since `since`, open now,
 * and resolved or closed since `since`. One pass over the reports any of the three counts.
 */
export function wardCounts(db: Executor, officeId: string, since: Date) {
  const resolvedSince = sql<boolean>`(c.resolved_at >= ${since} OR c.closed_at >= ${since})`;
  return placedPublicly(db, officeId)
    .where(sql<boolean>`(c.created_at >= ${since} OR ${isOpen} OR ${resolvedSince})`)
    .select(['c.ward_id', 'w.name as ward_name'])
    .select([
      sql<number>`(count(*) FILTER (WHERE c.created_at >= ${since}))::int`.as('opened'),
      sql<number>`(count(*) FILTER (WHERE ${isOpen}))::int`.as('open'),
      sql<number>`(count(*) FILTER (WHERE ${resolvedSince}))::int`.as('resolved'),
    ])
    .groupBy(['c.ward_id', 'w.name'])
    .execute();
}

/** How many open reports are placed publicly, and the box around them (null without any). */
export async function openExtent(db: Executor, officeId: string) {
  const r = await publicReports(db, officeId, { onlyOpen: true }).clearSelect()
    .select([sql<number>`count(*)::int`.as('n'), sql<number | null>`min(c.lng)`.as('west'), sql<number | null>`min(c.lat)`.as('south'), sql<number | null>`max(c.lng)`.as('east'), sql<number | null>`max(c.lat)`.as('north')])
    .executeTakeFirstOrThrow();
  const box = r.n > 0 ? { west: r.west!, south: r.south!, east: r.east!, north: r.north! } : null;
  return { count: r.n, box };
}

/**
 * Open publicly placed reports counted per cell of a grid (cell cx, cy covers west + cx * lng
 * … and south + cy * lat …; cells outside the caller's box too): a map of many reports draws
 * cells, not points, and the cells' counts add up to every open public report.
 */
export function openCells(db: Executor, officeId: string, grid: { west: number; south: number; lng: number; lat: number }) {
  return publicReports(db, officeId, { onlyOpen: true }).clearSelect()
    .select([
      sql<number>`floor((c.lng - ${grid.west}::float8) / ${grid.lng}::float8)::int`.as('cx'), sql<number>`floor((c.lat - ${grid.south}::float8) / ${grid.lat}::float8)::int`.as('cy'),
      sql<number>`count(*)::int`.as('n'), sql<number>`avg(c.lng)`.as('lng'), sql<number>`avg(c.lat)`.as('lat'),
    ])
    .groupBy(['cx', 'cy'])
    .execute();
}

/** Open publicly placed reports, newest first: a page of them (offset), or up to `limit` for a download. */
export async function openReports(db: Executor, officeId: string, page: { limit: number; offset?: number }): Promise<PublicReport[]> {
  const rows = await publicReports(db, officeId, { onlyOpen: true }).orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(page.limit).offset(page.offset ?? 0).execute();
  return rows.map(toPublicReport);
}

/**
 * Publicly placed reports that stand on their own (area alerts): not closed as a duplicate of
 * another report nor merged into one, so a problem reported twice is told of once.
 */
export function distinctReports(db: Executor, officeId: string) {
  return publicReports(db, officeId, { onlyOpen: false }).select('c.ward_id')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_links as l').select('l.case_id')
      .whereRef('l.office_id', '=', 'c.office_id').whereRef('l.case_id', '=', 'c.id').where('l.kind', 'in', ['duplicate_of', 'merged_into']))));
}

/** The references of the office's cases among `ids`, by id (a followed report's name on the follower's pages). */
export const referencesOf = async (db: Executor, officeId: string, ids: readonly string[]): Promise<Map<string, string>> =>
  new Map(ids.length ? (await db.selectFrom('cases').select(['id', 'reference']).where('office_id', '=', officeId).where('id', 'in', [...new Set(ids)]).execute()).map((r) => [r.id, r.reference]) : []);

/** Whether the case may be shown publicly now (a follower is told of it only while it is). */
export const isPublic = async (db: Executor, officeId: string, caseId: string) =>
  (await placedPublicly(db, officeId).select('c.id').where('c.id', '=', caseId).executeTakeFirst()) !== undefined;
