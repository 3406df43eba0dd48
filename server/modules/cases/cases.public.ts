// What the resident who sent a request may see of its case (the resident portal's tracking
// page): the reference, category, dates, status and its place in the workflow, the location
// text, the resolution summary (public, as Open311 shows it) and the public history — never
// notes, assignee, team, status-change comments or other people. A sensitive case shows its
// reference and status only; the caller applies that through `isSensitive`.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import * as feed from './cases.open311-repo.js';

export type PublicCase = {
  id: string; reference: string; categoryName: string | null; createdAt: Date; statusCategory: string; isInitialStatus: boolean;
  address: string | null; resolutionDueAt: Date | null; resolutionSummary: string | null; isSensitive: boolean;
};

const publicCases = (db: Executor, officeId: string) => db.selectFrom('cases as c')
  .innerJoin('case_statuses as s', (j) => j.onRef('s.office_id', '=', 'c.office_id').onRef('s.key', '=', 'c.status'))
  .leftJoin('categories as k', (j) => j.onRef('k.office_id', '=', 'c.office_id').onRef('k.id', '=', 'c.category_id'))
  .select(['c.id', 'c.reference', 'k.name as category_name', 'c.created_at', 's.category as status_category', 's.is_initial', 'c.address', 'c.resolution_due_at', 'c.resolution_summary', 'c.is_sensitive'])
  .where('c.office_id', '=', officeId);

type PublicCaseRow = Awaited<ReturnType<ReturnType<typeof publicCases>['executeTakeFirstOrThrow']>>;

const present = (row: PublicCaseRow): PublicCase => ({
  id: row.id, reference: row.reference, categoryName: row.category_name, createdAt: row.created_at, statusCategory: row.status_category, isInitialStatus: row.is_initial,
  address: row.address, resolutionDueAt: row.resolution_due_at, resolutionSummary: row.resolution_summary, isSensitive: row.is_sensitive,
});

export async function publicCase(db: Executor, officeId: string, caseId: string): Promise<PublicCase | undefined> {
  const row = await publicCases(db, officeId).where('c.id', '=', caseId).executeTakeFirst();
  return row && present(row);
}

/** Cases one of these constituents requested (what a signed-in resident's account lists). */
const requestedBy = (db: Executor, officeId: string, constituentIds: readonly string[]) => publicCases(db, officeId)
  .where(({ exists, selectFrom }) => exists(selectFrom('case_constituents as r').select('r.case_id')
    .whereRef('r.office_id', '=', 'c.office_id').whereRef('r.case_id', '=', 'c.id').where('r.role', '=', 'requester').where('r.constituent_id', 'in', [...constituentIds])));

/** The cases these constituents requested, newest first, a page at a time, and how many there are. */
export async function requestedCases(db: Executor, officeId: string, constituentIds: readonly string[], page: { limit: number; offset: number }): Promise<{ items: PublicCase[]; total: number }> {
  if (!constituentIds.length) return { items: [], total: 0 };
  const rows = await requestedBy(db, officeId, constituentIds).orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(page.limit).offset(page.offset).execute();
  const total = await db.selectFrom(requestedBy(db, officeId, constituentIds).as('x')).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return { items: rows.map(present), total: Number(total.n) };
}

/** The case with this reference, when one of these constituents requested it. */
export async function requestedCase(db: Executor, officeId: string, constituentIds: readonly string[], reference: string): Promise<PublicCase | undefined> {
  if (!constituentIds.length) return undefined;
  const row = await requestedBy(db, officeId, constituentIds).where('c.reference', '=', reference).executeTakeFirst();
  return row && present(row);
}

export type PublicEvent = { at: Date; kind: 'opened' | 'status' | 'reopened' | 'comment'; statusCategory: string; text: string | null; itemId: string | null };

/** The case's public history, oldest first: opened, status changes, reopenings, and what the resident added through `channel`. */
export async function publicHistory(db: Executor, officeId: string, caseId: string, channel: string): Promise<PublicEvent[]> {
  const rows = await feed.history(db, officeId, [caseId], channel);
  return rows.map((h) => ({
    at: h.occurred_at,
    kind: h.entity_type === 'inbound_item' ? 'comment' : h.action === 'created' ? 'opened' : h.action === 'reopened' ? 'reopened' : 'status',
    statusCategory: h.status_category,
    text: h.entity_type === 'inbound_item' ? String(h.after?.text ?? '') || null : null,
    itemId: h.entity_type === 'inbound_item' ? h.entity_id : null,
  }));
}

/** A status's workflow category and whether it is the initial one (what the resident's word for it depends on). */
export async function statusFacts(db: Executor, officeId: string, key: string): Promise<{ category: string; isInitial: boolean } | undefined> {
  const row = await db.selectFrom('case_statuses').select(['category', 'is_initial']).where('office_id', '=', officeId).where('key', '=', key).executeTakeFirst();
  return row && { category: row.category, isInitial: row.is_initial };
}
