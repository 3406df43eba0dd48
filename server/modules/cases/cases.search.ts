// The case list: filters (status or status category, category with everything below it,
// assignee or "mine", team, ward, priority, channel, created/updated ranges, a reference or
// words of the subject), sorting and keyset pagination. Sensitive cases are left out for
// staff who may not see them; for those who may, each one listed is logged as read.
import { z } from 'zod';
import type { CaseListQuery, CaseSummary } from '../../../contract/cases.js';
import type { Page } from '../../../contract/common.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import * as categories from './cases.categories.js';
import { presentSummary } from './cases.present.js';
import * as searchRepo from './cases.search-repo.js';
import { logSensitiveRead, type Viewer } from './cases.service.js';
import * as workflow from './cases.workflow.js';

const FULL_REFERENCE = /^C-(\d{4})-(\d{1,9})$/;
const PARTIAL_REFERENCE = /^C(-\d{0,4}(-\d*)?)?$/;

/** How the search box is read: a full reference, the start of one, or words of the subject. */
export function planText(q: string): Pick<searchRepo.Filters, 'reference' | 'subjectWords'> {
  const text = q.trim();
  const upper = text.toUpperCase();
  const full = FULL_REFERENCE.exec(upper);
  if (full) return { reference: { exact: `C-${full[1]}-${full[2]!.padStart(5, '0')}` } };
  if (PARTIAL_REFERENCE.test(upper) && upper.length >= 2) return { reference: { prefix: upper } };
  const words = [...new Set(text.split(/\s+/).filter((w) => w.length > 0))].slice(0, 8);
  return { subjectWords: words };
}

// Sort times travel with microseconds (PostgreSQL's precision), or a page could skip rows.
// 'infinity': the position among cases without a resolution due time.
const ZCursorTime = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/), z.literal('infinity')]);
const ZTimeCursor = z.tuple([ZCursorTime, z.uuid()]);
const ZRankCursor = z.tuple([z.number().int().min(0).max(10), ZCursorTime, z.uuid()]);

function checkRange(from: string | undefined, to: string | undefined, field: string): void {
  if (from && to && new Date(from) >= new Date(to)) throw new DomainError('validation_failed', { field, message: 'must be after the start of the range' });
}

/**
 * The list's filters resolved for SQL (statuses of a status category, a category's
 * descendants, "mine"); null when nothing can match. The case map reads cases through these too.
 */
export async function filtersOf(scope: Scope, viewer: Viewer, query: Omit<CaseListQuery, 'limit' | 'cursor' | 'sort' | 'order'>): Promise<searchRepo.Filters | null> {
  if (query.mine && query.assignee !== undefined) throw new DomainError('validation_failed', { field: 'mine', message: 'use either mine or assignee, not both' });
  checkRange(query.createdFrom, query.createdTo, 'createdTo');
  checkRange(query.updatedFrom, query.updatedTo, 'updatedTo');
  let statuses = query.status ? [...new Set(query.status)] : undefined;
  if (query.statusCategory) {
    const inCategory = (await workflow.get(scope.db, scope.officeId)).statuses.filter((s) => query.statusCategory!.includes(s.category)).map((s) => s.key);
    statuses = statuses ? statuses.filter((s) => inCategory.includes(s)) : inCategory;
  }
  if (statuses && statuses.length === 0) return null; // nothing can match
  const filters: searchRepo.Filters = {
    hideSensitive: !viewer.canSeeSensitive,
    ...(statuses ? { statuses } : {}),
    ...(query.category ? { categoryIds: await categories.withDescendants(scope.db, scope.officeId, query.category) } : {}),
    ...(query.mine ? { assignee: viewer.userId } : query.assignee !== undefined ? { assignee: query.assignee === 'none' ? null : query.assignee } : {}),
    ...(query.team !== undefined ? { team: query.team === 'none' ? null : query.team } : {}),
    ...(query.ward ? { ward: query.ward } : {}),
    ...(query.constituent ? { constituent: query.constituent } : {}),
    ...(query.priority ? { priorities: query.priority } : {}),
    ...(query.channel ? { channels: query.channel } : {}),
    ...(query.createdFrom ? { createdFrom: query.createdFrom } : {}),
    ...(query.createdTo ? { createdTo: query.createdTo } : {}),
    ...(query.updatedFrom ? { updatedFrom: query.updatedFrom } : {}),
    ...(query.updatedTo ? { updatedTo: query.updatedTo } : {}),
    ...(query.q ? planText(query.q) : {}),
    ...(query.overdue ? { isOverdue: true } : {}),
  };
  return filters;
}

function afterOf(query: CaseListQuery): searchRepo.After | undefined {
  if (query.sort === 'priority') {
    const c = decodeCursor(query.cursor, ZRankCursor);
    return c && { rank: c[0], time: c[1], id: c[2] };
  }
  const c = decodeCursor(query.cursor, ZTimeCursor);
  return c && { time: c[0], id: c[1] };
}

/**
 * The pages of one query: its filters resolved once (statuses, category descendants), then a
 * page per cursor. The CSV export walks every page of one of these.
 */
export async function pager(scope: Scope, viewer: Viewer, query: Omit<CaseListQuery, 'cursor'>, via: 'list' | 'export'): Promise<(cursor: string | undefined) => Promise<Page<searchRepo.ListRow>>> {
  const filters = await filtersOf(scope, viewer, query);
  return async (cursor) => {
    const after = afterOf({ ...query, cursor });
    if (!filters) return { items: [], nextCursor: null };
    const rows = await searchRepo.page(scope.db, scope.officeId, filters, query.sort, query.order, query.limit, after);
    const p = page(rows, query.limit, (r) => (query.sort === 'priority' ? [r.k_rank, r.k_time, r.id] : [r.k_time, r.id]));
    const sensitive = p.items.filter((r) => r.is_sensitive);
    if (sensitive.length) await logSensitiveRead(scope.db, scope, sensitive, via);
    return p;
  };
}

/** One page of the list, as stored rows. */
export async function listRows(scope: Scope, viewer: Viewer, query: CaseListQuery, via: 'list' | 'export'): Promise<Page<searchRepo.ListRow>> {
  afterOf(query); // a bad cursor is refused before any work
  return (await pager(scope, viewer, query, via))(query.cursor);
}

export async function list(scope: Scope, viewer: Viewer, query: CaseListQuery): Promise<Page<CaseSummary>> {
  const p = await listRows(scope, viewer, query, 'list');
  return { items: p.items.map(presentSummary), nextCursor: p.nextCursor };
}
