// Links between cases: the related-case search (the create form and the case page ask which
// open cases may be the same problem nearby, or the same person's), marking a case a
// duplicate of another (closed with the "duplicate" resolution, linked, undoable), related
// links, and the office's related-search settings. Every change is audited on both cases.
import {
  ZMarkDuplicate, ZRelatedQuery, ZUpdateRelatedSettings,
  type CaseLink, type MarkDuplicate, type RelatedCases, type RelatedSettings,
} from '../../../contract/case-links.js';
import type { Case } from '../../../contract/cases.js';
import type { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { runCaseHooks } from './cases.hooks.js';
import * as links from './cases.links-repo.js';
import { locate } from './cases.location.js';
import { presentSummary } from './cases.present.js';
import * as repo from './cases.repo.js';
import { get, logSensitiveRead, type Viewer } from './cases.service.js';
import { reopenStatus } from './cases.workflow.js';

/**
 * The requesters of cases marked duplicate of this case (open or closed), each with their own
 * duplicate case, so public updates on the original also reach the people who reported it again.
 */
export const duplicateRequesterCases = (db: Executor, officeId: string, caseId: string) => links.duplicateRequesterCases(db, officeId, caseId);
/** Their constituent ids only. */
export const duplicateRequesters = async (db: Executor, officeId: string, caseId: string): Promise<string[]> =>
  (await links.duplicateRequesterCases(db, officeId, caseId)).map((d) => d.constituentId);

const notFound = () => new DomainError('not_found', { message: 'No such case in this office' });

// ---------------------------------------------------------------- related cases

async function related(scope: Scope, viewer: Viewer, q: { categoryId: string | null; lat: number | null; lng: number | null; constituentIds: string[]; excludeId: string | null }): Promise<RelatedCases> {
  const s = await links.settings(scope.db, scope.officeId);
  const f = { excludeId: q.excludeId, includeSensitive: viewer.canSeeSensitive };
  const nearby = q.categoryId && q.lat !== null && q.lng !== null
    ? await links.nearby(scope.db, scope.officeId, { categoryId: q.categoryId, lat: q.lat, lng: q.lng, radiusM: s.radius_m, windowDays: s.window_days, ...f })
    : [];
  const samePeople = await links.samePeople(scope.db, scope.officeId, q.constituentIds, f);
  const sensitive = [...nearby, ...samePeople].filter((c) => c.is_sensitive);
  if (sensitive.length) await logSensitiveRead(scope.db, scope, sensitive, 'list');
  return {
    nearby: nearby.map((c) => ({ ...presentSummary(c), distanceM: Math.round(c.distance_m * 10) / 10 })),
    samePeople: samePeople.map(presentSummary),
    radiusM: s.radius_m, windowDays: s.window_days,
  };
}

/** For the create form: open cases like the one being written. */
export async function relatedFor(scope: Scope, viewer: Viewer, q: z.infer<typeof ZRelatedQuery>): Promise<RelatedCases> {
  const place = q.lat === undefined && q.address ? await locate(scope.db, scope.officeId, { address: q.address }) : { lat: q.lat ?? null, lng: q.lng ?? null };
  return related(scope, viewer, { categoryId: q.categoryId ?? null, lat: place.lat, lng: place.lng, constituentIds: q.constituentId ?? [], excludeId: null });
}

/** For the case page: open cases like this one. */
export async function relatedTo(scope: Scope, viewer: Viewer, id: string): Promise<RelatedCases> {
  const c = await get(scope, viewer, id);
  return related(scope, viewer, {
    categoryId: c.category?.id ?? null, lat: c.location.lat, lng: c.location.lng, constituentIds: c.constituents.map((p) => p.id), excludeId: id,
  });
}

export async function linksOf(scope: Scope, viewer: Viewer, id: string): Promise<{ items: CaseLink[] }> {
  const c = await repo.visibility(scope.db, scope.officeId, id);
  if (!c || (c.is_sensitive && !viewer.canSeeSensitive)) throw notFound();
  const rows = (await links.linksOf(scope.db, scope.officeId, id)).filter((r) => viewer.canSeeSensitive || !r.is_sensitive);
  return {
    items: rows.map((r) => ({
      kind: r.kind as CaseLink['kind'], direction: r.direction, createdAt: r.created_at.toISOString(),
      case: { id: r.id, reference: r.reference, subject: r.subject, status: { key: r.status, label: r.status_label, category: r.status_category } },
    })),
  };
}

// ---------------------------------------------------------------- closing and reopening

/** Locks two cases in id order (two staff linking the same pair the other way round queue instead of deadlocking). */
export async function lockPair(trx: Trx, officeId: string, a: string, b: string): Promise<[repo.CaseRow | undefined, repo.CaseRow | undefined]> {
  const [first, second] = a < b ? [a, b] : [b, a];
  const x = await repo.lock(trx, officeId, first);
  const y = await repo.lock(trx, officeId, second);
  return a < b ? [x, y] : [y, x];
}

const isVisible = (row: repo.CaseRow | undefined, viewer: Viewer): row is repo.CaseRow => row !== undefined && (!row.is_sensitive || viewer.canSeeSensitive);

/** Closes a case with a resolution, bypassing the workflow's transitions (a system closure), and runs the hooks. */
export async function closeWith(trx: Trx, scope: Scope, row: repo.CaseRow, code: 'duplicate' | 'merged', summary: string): Promise<string> {
  const closed = await links.firstStatusOf(trx, scope.officeId, 'closed');
  if (!closed) throw new DomainError('conflict', { message: 'This office’s workflow has no closed status to put the case in' });
  await repo.update(trx, scope.officeId, row.id, { status: closed.key, resolved_at: row.resolved_at ?? new Date(), closed_at: new Date(), resolution_code: code, resolution_summary: summary });
  await runCaseHooks(trx, scope, { kind: 'status_changed', before: row, after: (await repo.lock(trx, scope.officeId, row.id))! });
  return closed.label;
}

/** Reopens a case to where it was (if that status is still usable and open), else the reopen status. */
async function reopenTo(trx: Trx, scope: Scope, row: repo.CaseRow, previous: string | null): Promise<string> {
  const prev = previous ? await links.status(trx, scope.officeId, previous) : undefined;
  const to = prev && !prev.retired && (prev.category === 'open' || prev.category === 'waiting') ? prev : await reopenStatus(trx, scope.officeId);
  await repo.update(trx, scope.officeId, row.id, { status: to.key, resolved_at: null, closed_at: null, resolution_code: null, resolution_summary: null });
  await runCaseHooks(trx, scope, { kind: 'reopened', before: row, after: (await repo.lock(trx, scope.officeId, row.id))! });
  return to.label;
}

// ---------------------------------------------------------------- duplicates

export async function markDuplicate(scope: Scope, viewer: Viewer, id: string, input: MarkDuplicate): Promise<Case> {
  const v = ZMarkDuplicate.parse(input);
  if (v.originalId === id) throw new DomainError('validation_failed', { field: 'originalId', message: 'A case cannot be a duplicate of itself' });
  await inTransaction(scope.db, async (trx) => {
    const [dup, original] = await lockPair(trx, scope.officeId, id, v.originalId);
    if (!isVisible(dup, viewer)) throw notFound();
    if (!isVisible(original, viewer)) throw new DomainError('validation_failed', { field: 'originalId', message: 'No such case in this office' });
    const already = await links.originalOf(trx, scope.officeId, id);
    if (already) throw new DomainError('conflict', { field: 'originalId', message: `${dup.reference} is already ${already.kind === 'merged_into' ? 'merged into' : 'a duplicate of'} another case; undo that first` });
    const chain = await links.originalOf(trx, scope.officeId, original.id);
    if (chain) throw new DomainError('validation_failed', { field: 'originalId', message: `${original.reference} is itself closed as a duplicate of (or merged into) another case; mark ${dup.reference} against that one` });
    if ((await links.countCopiesOf(trx, scope.officeId, id)) > 0) {
      throw new DomainError('validation_failed', { field: 'originalId', message: `Other cases are duplicates of ${dup.reference}; it cannot become a duplicate itself (mark ${original.reference} a duplicate of it instead)` });
    }
    if (dup.closed_at) throw new DomainError('conflict', { field: 'originalId', message: `${dup.reference} is closed already` });
    await links.insertLink(trx, scope.officeId, { case_id: id, target_case_id: original.id, kind: 'duplicate_of', previous_status: dup.status });
    const status = await closeWith(trx, scope, dup, 'duplicate', `Duplicate of ${original.reference}${v.comment ? `: ${v.comment}` : ''}`);
    await audit.recordMany(trx, scope, [
      { entity: 'case', id, action: 'marked_duplicate', caseId: id, before: { status: dup.status }, after: { originalId: original.id, originalReference: original.reference, comment: v.comment ?? null, summary: `Marked a duplicate of ${original.reference} and closed (${status})` } },
      { entity: 'case', id: original.id, action: 'duplicate_linked', caseId: original.id, after: { duplicateId: id, duplicateReference: dup.reference, summary: `${dup.reference} marked a duplicate of this case` } },
    ]);
  });
  return get(scope, viewer, id);
}

export async function unmarkDuplicate(scope: Scope, viewer: Viewer, id: string): Promise<Case> {
  await inTransaction(scope.db, async (trx) => {
    const seen = await links.originalOf(trx, scope.officeId, id);
    const [dup, original] = await lockPair(trx, scope.officeId, id, seen?.target_case_id ?? id);
    if (!isVisible(dup, viewer)) throw notFound();
    const link = await links.originalOf(trx, scope.officeId, id); // again, under the locks
    if (!link || link.target_case_id !== seen?.target_case_id || link.kind !== 'duplicate_of' || !original) throw new DomainError('conflict', { message: `${dup.reference} is not marked a duplicate` });
    await links.deleteLink(trx, scope.officeId, id, original.id);
    const status = await reopenTo(trx, scope, dup, link.previous_status);
    await audit.recordMany(trx, scope, [
      { entity: 'case', id, action: 'unmarked_duplicate', caseId: id, before: { originalId: original.id, status: dup.status }, after: { summary: `No longer a duplicate of ${original.reference}; reopened (${status})` } },
      { entity: 'case', id: original.id, action: 'duplicate_unlinked', caseId: original.id, before: { duplicateId: id }, after: { summary: `${dup.reference} is no longer a duplicate of this case` } },
    ]);
  });
  return get(scope, viewer, id);
}

// ---------------------------------------------------------------- related links

export async function linkRelated(scope: Scope, viewer: Viewer, id: string, otherId: string): Promise<{ items: CaseLink[] }> {
  if (otherId === id) throw new DomainError('validation_failed', { field: 'caseId', message: 'A case cannot be related to itself' });
  await inTransaction(scope.db, async (trx) => {
    const [a, b] = await lockPair(trx, scope.officeId, id, otherId);
    if (!isVisible(a, viewer)) throw notFound();
    if (!isVisible(b, viewer)) throw new DomainError('validation_failed', { field: 'caseId', message: 'No such case in this office' });
    if (await links.linkBetween(trx, scope.officeId, id, otherId)) throw new DomainError('conflict', { field: 'caseId', message: `${a.reference} and ${b.reference} are linked already` });
    await links.insertLink(trx, scope.officeId, { case_id: id, target_case_id: otherId, kind: 'related' });
    await audit.recordMany(trx, scope, [
      { entity: 'case', id, action: 'related_linked', caseId: id, after: { caseId: otherId, summary: `Linked as related to ${b.reference}` } },
      { entity: 'case', id: otherId, action: 'related_linked', caseId: otherId, after: { caseId: id, summary: `Linked as related to ${a.reference}` } },
    ]);
  });
  return linksOf(scope, viewer, id);
}

export async function unlinkRelated(scope: Scope, viewer: Viewer, id: string, otherId: string): Promise<{ items: CaseLink[] }> {
  await inTransaction(scope.db, async (trx) => {
    const [a, b] = await lockPair(trx, scope.officeId, id, otherId);
    if (!isVisible(a, viewer)) throw notFound();
    const link = b ? await links.linkBetween(trx, scope.officeId, id, otherId) : undefined;
    if (!b || !link || link.kind !== 'related') throw new DomainError('not_found', { message: 'These cases are not linked as related' });
    await links.deleteLink(trx, scope.officeId, link.case_id, link.target_case_id);
    await audit.recordMany(trx, scope, [
      { entity: 'case', id, action: 'related_unlinked', caseId: id, after: { caseId: otherId, summary: `No longer linked to ${b.reference}` } },
      { entity: 'case', id: otherId, action: 'related_unlinked', caseId: otherId, after: { caseId: id, summary: `No longer linked to ${a.reference}` } },
    ]);
  });
  return linksOf(scope, viewer, id);
}

// ---------------------------------------------------------------- settings

export async function getSettings(db: Executor, officeId: string): Promise<RelatedSettings> {
  const s = await links.settings(db, officeId);
  return { radiusM: s.radius_m, windowDays: s.window_days };
}

export async function updateSettings(scope: Scope, input: z.input<typeof ZUpdateRelatedSettings>): Promise<RelatedSettings> {
  const v = ZUpdateRelatedSettings.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const before = await getSettings(trx, scope.officeId);
    const after = { radiusM: v.radiusM ?? before.radiusM, windowDays: v.windowDays ?? before.windowDays };
    await links.saveSettings(trx, scope.officeId, { radius_m: after.radiusM, window_days: after.windowDays });
    await audit.record(trx, scope, { entity: 'case_related_settings', id: scope.officeId, action: 'updated', before, after });
    return after;
  });
}
