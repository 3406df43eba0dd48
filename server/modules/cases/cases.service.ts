// Cases: create, read (the case page), edit, change status through the office's workflow,
// assign, and set the people and watchers on a case. Each change is one transaction with
// the case row locked and one audit event that puts it on the case's timeline. Sensitive
// cases exist only for staff allowed to see them, and every read of one is logged.
import {
  ZAssignCase, ZChangeStatus, ZCreateCase, ZSetCaseConstituents, ZSetWatchers, ZUpdateCase,
  type AssignCase, type Case, type ChangeStatus, type CreateCase, type UpdateCase,
} from '../../../contract/cases.js';
import type { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { permissionsOf, type Role } from '../../platform/rbac.js';
import { withDb, type Scope } from '../../platform/scope.js';
import * as categories from './cases.categories.js';
import { runCaseHooks, type CaseChange } from './cases.hooks.js';
import { locate } from './cases.location.js';
import { presentCase } from './cases.present.js';
import * as repo from './cases.repo.js';
import * as workflow from './cases.workflow.js';
import { assertAssignable, logSensitiveRead } from './cases.access.js';

/** Who is reading: the user (for "mine") and whether they may see sensitive cases. */
export type Viewer = { userId: string; canSeeSensitive: boolean };

/** As ZCreateCase allows. */
const MAX_TAGS = 30;

const notFound = () => new DomainError('not_found', { message: 'No such case in this office' });

/** The case page without logging (after a write the caller made, or inside a case hook). */
export async function load(db: Executor, officeId: string, id: string): Promise<Case> {
  const row = await repo.page(db, officeId, id);
  if (!row) throw notFound();
  return presentCase(row);
}

/** Records that someone read a sensitive case (page, timeline or list). */
export { logSensitiveRead };

export async function get(scope: Scope, viewer: Viewer, id: string): Promise<Case> {
  const row = await repo.page(scope.db, scope.officeId, id);
  if (!row || (row.is_sensitive && !viewer.canSeeSensitive)) throw notFound();
  if (row.is_sensitive) await logSensitiveRead(scope.db, scope, [row], 'page');
  return presentCase(row);
}

/** Locks a case the viewer may see, inside the caller's transaction. */
export async function lockVisible(trx: Trx, scope: Scope, viewer: Viewer, id: string): Promise<repo.CaseRow> {
  const row = await repo.lock(trx, scope.officeId, id);
  if (!row || (row.is_sensitive && !viewer.canSeeSensitive)) throw notFound();
  return row;
}

// ---------------------------------------------------------------- checks

const canReadCases = (role: string) => permissionsOf(role as Role).includes('case.read');
const canSeeSensitive = (role: string) => permissionsOf(role as Role).includes('case.sensitive');


/** Resolves the assignment after a change: team first, then the assignee (who must be in the team). */
async function resolveAssignment(
  db: Executor, officeId: string, current: { assigneeId: string | null; teamId: string | null }, change: { assigneeId?: string | null | undefined; teamId?: string | null | undefined },
  isSensitive: boolean,
): Promise<{ assigneeId: string | null; teamId: string | null }> {
  const teamId = change.teamId !== undefined ? change.teamId : current.teamId;
  let assigneeId = change.assigneeId !== undefined ? change.assigneeId : current.assigneeId;
  if (teamId && teamId !== current.teamId && !(await repo.team(db, officeId, teamId))) {
    throw new DomainError('validation_failed', { field: 'teamId', message: 'No such team in this office' });
  }
  if (assigneeId && change.assigneeId !== undefined) await assertAssignable(db, officeId, assigneeId, isSensitive);
  if (assigneeId && teamId && !(await repo.isTeamMember(db, officeId, teamId, assigneeId))) {
    // Moving a case to another team leaves it unassigned unless its assignee is in that team.
    if (change.assigneeId === undefined) assigneeId = null;
    else throw new DomainError('validation_failed', { field: 'assigneeId', message: 'The assignee is not a member of the team the case is assigned to' });
  }
  return { assigneeId, teamId };
}

async function checkWatchers(db: Executor, officeId: string, userIds: string[], isSensitive: boolean, field = 'watcherIds'): Promise<string[]> {
  const ids = [...new Set(userIds)];
  const found = new Map((await repo.staff(db, officeId, ids)).map((u) => [u.id, u]));
  ids.forEach((id, i) => {
    const u = found.get(id);
    if (!u) throw new DomainError('validation_failed', { field: `${field}.${i}`, message: 'No such user in this office' });
    if (!canReadCases(u.role)) throw new DomainError('validation_failed', { field: `${field}.${i}`, message: `${u.display_name}'s role cannot read cases` });
    if (isSensitive && !canSeeSensitive(u.role)) throw new DomainError('validation_failed', { field: `${field}.${i}`, message: `${u.display_name} may not see sensitive cases` });
  });
  return ids;
}

type LinkIn = { constituentId: string; role: string };

async function checkConstituents(db: Executor, officeId: string, links: LinkIn[], field = 'constituents'): Promise<repo.LinkRow[]> {
  const seen = new Map<string, number>();
  links.forEach((l, i) => {
    if (seen.has(l.constituentId)) throw new DomainError('validation_failed', { field: `${field}.${i}.constituentId`, message: `is the same person as ${field}.${seen.get(l.constituentId)}` });
    seen.set(l.constituentId, i);
  });
  const active = new Set(await repo.activeConstituents(db, officeId, links.map((l) => l.constituentId)));
  const missing = links.findIndex((l) => !active.has(l.constituentId));
  if (missing >= 0) throw new DomainError('validation_failed', { field: `${field}.${missing}.constituentId`, message: 'No such constituent in this office (or the record was merged into another)' });
  return links.map((l) => ({ constituent_id: l.constituentId, role: l.role }));
}

const firstRequester = (links: repo.LinkRow[]) => links.find((l) => l.role === 'requester')?.constituent_id ?? null;

function assertMaySetSensitive(viewer: Viewer): void {
  if (!viewer.canSeeSensitive) throw new DomainError('forbidden', { field: 'isSensitive', message: 'You need the "case.sensitive" permission to mark a case sensitive or not' });
}

async function afterChange(trx: Trx, scope: Scope, change: CaseChange): Promise<void> {
  await runCaseHooks(trx, scope, change);
}

// ---------------------------------------------------------------- writes

/** `triaged`: what the case comes from was triaged already (an inbound item), so the hooks need not again. */
export type CreateOptions = { triaged?: boolean };

export async function create(scope: Scope, viewer: Viewer, input: CreateCase, opts: CreateOptions = {}): Promise<Case> {
  return inTransaction(scope.db, async (trx) => {
    const id = await createId(withDb(scope, trx), viewer, input, opts);
    return load(trx, scope.officeId, id); // with what the hooks derived (SLA due times)
  });
}

/** Opens a case and answers only its id (intake opens many and never shows them). */
export async function createId(scope: Scope, viewer: Viewer, input: CreateCase, opts: CreateOptions = {}): Promise<string> {
  const v = ZCreateCase.parse(input);
  if (v.isSensitive) assertMaySetSensitive(viewer);
  return inTransaction(scope.db, async (trx) => {
    if (v.categoryId) await categories.assertUsable(trx, scope.officeId, v.categoryId);
    const links = await checkConstituents(trx, scope.officeId, v.constituents);
    const assignment = await resolveAssignment(trx, scope.officeId, { assigneeId: null, teamId: null }, { assigneeId: v.assigneeId, teamId: v.teamId }, v.isSensitive);
    const watchers = await checkWatchers(trx, scope.officeId, v.watcherIds, v.isSensitive);
    // An address alone is geocoded; the ward comes from the boundaries.
    const place = await locate(trx, scope.officeId, v.location);
    const status = await workflow.initialStatus(trx, scope.officeId);
    // Last before the insert: the counter row stays locked until commit.
    const reference = await repo.nextReference(trx, scope.officeId);
    const { id } = await repo.insert(trx, scope.officeId, {
      reference, subject: v.subject, description: v.description, category_id: v.categoryId, status: status.key, priority: v.priority,
      channel: v.channel, requester_id: firstRequester(links), address: place.address, lat: place.lat, lng: place.lng,
      ward_id: place.ward_id, assignee_id: assignment.assigneeId, team_id: assignment.teamId,
      is_sensitive: v.isSensitive, tags: [...new Set(v.tags)],
    });
    await repo.replaceConstituents(trx, scope.officeId, id, links);
    await repo.replaceWatchers(trx, scope.officeId, id, watchers);
    const created = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, {
      entity: 'case', id, action: 'created', caseId: id,
      after: { ...created, summary: `Case ${reference} opened${created.isSensitive ? '' : `: ${created.subject}`}` },
      // A sensitive case stays off the person's timeline, which staff without access can read.
      constituentId: created.isSensitive ? null : firstRequester(links),
    });
    await afterChange(trx, scope, { kind: 'created', before: null, after: (await repo.lock(trx, scope.officeId, id))!, ...(opts.triaged ? { options: { triaged: true } } : {}) });
    return id;
  });
}

/** The fields that changed, so the timeline shows what an edit did. */
function changed(before: Case, after: Case, keys: (keyof Case)[]): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const out = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const k of keys) {
    if (JSON.stringify(before[k]) === JSON.stringify(after[k])) continue;
    out.before[k] = before[k];
    out.after[k] = after[k];
  }
  return out;
}

export async function update(scope: Scope, viewer: Viewer, id: string, input: UpdateCase): Promise<Case> {
  const v = ZUpdateCase.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(trx, scope, viewer, id);
    const isSensitive = v.isSensitive ?? row.is_sensitive;
    if (v.isSensitive !== undefined && v.isSensitive !== row.is_sensitive) {
      assertMaySetSensitive(viewer);
      if (isSensitive) {
        if (row.assignee_id) await assertAssignable(trx, scope.officeId, row.assignee_id, true).catch(() => {
          throw new DomainError('validation_failed', { field: 'isSensitive', message: 'The assignee may not see sensitive cases; reassign the case first' });
        });
        await checkWatchers(trx, scope.officeId, await repo.watchersOf(trx, scope.officeId, id), true).catch(() => {
          throw new DomainError('validation_failed', { field: 'isSensitive', message: 'A watcher may not see sensitive cases; remove them first' });
        });
      }
    }
    if (v.categoryId && v.categoryId !== row.category_id) await categories.assertUsable(trx, scope.officeId, v.categoryId);
    const before = await load(trx, scope.officeId, id);
    const location = v.location === undefined ? undefined : await locate(trx, scope.officeId, v.location);
    await repo.update(trx, scope.officeId, id, {
      subject: v.subject, description: v.description, category_id: v.categoryId, priority: v.priority, channel: v.channel,
      tags: v.tags ? [...new Set(v.tags)] : undefined, is_sensitive: v.isSensitive,
      ...(location ?? {}),
    });
    const after = await load(trx, scope.officeId, id);
    const diff = changed(before, after, ['subject', 'description', 'category', 'tags', 'priority', 'channel', 'location', 'ward', 'isSensitive']);
    const fields = Object.keys(diff.after);
    await audit.record(trx, scope, { entity: 'case', id, action: 'updated', caseId: id, before: diff.before, after: { ...diff.after, summary: `Edited: ${fields.join(', ') || 'no visible change'}` } });
    await afterChange(trx, scope, { kind: 'updated', before: row, after: (await repo.lock(trx, scope.officeId, id))! });
    return load(trx, scope.officeId, id);
  });
}

/** The timestamps and resolution a case gets on entering a status of this category. */
function statusColumns(category: string, row: repo.CaseRow, resolution: { code: string; summary: string } | null) {
  if (category === 'resolved') return { resolved_at: row.resolved_at ?? new Date(), closed_at: null, resolution_code: resolution?.code ?? null, resolution_summary: resolution?.summary ?? null };
  if (category === 'closed') return { resolved_at: row.resolved_at ?? new Date(), closed_at: new Date(), resolution_code: resolution?.code ?? null, resolution_summary: resolution?.summary ?? null };
  return { resolved_at: null, closed_at: null, resolution_code: null, resolution_summary: null };
}

export async function changeStatus(scope: Scope, viewer: Viewer, id: string, input: ChangeStatus): Promise<Case> {
  const v = ZChangeStatus.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(trx, scope, viewer, id);
    const current = row.resolution_code ? { code: row.resolution_code, summary: row.resolution_summary ?? '' } : null;
    const facts = await workflow.factsFor(trx, scope.officeId, row.status, current);
    const decision = workflow.decideTransition(facts, { to: v.status, resolutionCode: v.resolutionCode, resolutionSummary: v.resolutionSummary });
    await repo.update(trx, scope.officeId, id, { status: decision.to.key, ...statusColumns(decision.to.category, row, decision.resolution) });
    const after = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, {
      entity: 'case', id, action: 'status_changed', caseId: id,
      before: { status: facts.from.key, resolution: current },
      after: {
        status: decision.to.key, resolution: after.resolution, comment: v.comment ?? null,
        summary: `Status: ${facts.from.label} → ${decision.to.label}${after.resolution && decision.resolution !== current ? ` (${after.resolution.label})` : ''}`,
      },
    });
    await afterChange(trx, scope, {
      kind: 'status_changed', before: row, after: (await repo.lock(trx, scope.officeId, id))!,
      options: { notifyResident: v.notifyResident, ...(v.closureTemplateId ? { closureTemplateId: v.closureTemplateId } : {}) },
    });
    return load(trx, scope.officeId, id);
  });
}

/**
 * A new message from the resident on a resolved case reopens it (intake calls this). Closed
 * cases stay closed: a message after closure starts a new case. Returns whether it reopened.
 */
export async function reopenOnMessage(scope: Scope, caseId: string): Promise<{ reopened: boolean; status: string }> {
  return inTransaction(scope.db, async (trx) => {
    const row = await repo.lock(trx, scope.officeId, caseId);
    if (!row) throw notFound();
    const from = (await workflow.factsFor(trx, scope.officeId, row.status, null)).from;
    if (from.category !== 'resolved') return { reopened: false, status: row.status };
    const to = await workflow.reopenStatus(trx, scope.officeId);
    await repo.update(trx, scope.officeId, caseId, { status: to.key, ...statusColumns(to.category, row, null) });
    await audit.record(trx, scope, {
      entity: 'case', id: caseId, action: 'reopened', caseId,
      before: { status: from.key, resolution: row.resolution_code ? { code: row.resolution_code, summary: row.resolution_summary } : null },
      after: { status: to.key, reason: 'message', summary: `Reopened by a new message: ${from.label} → ${to.label}` },
    });
    await afterChange(trx, scope, { kind: 'reopened', before: row, after: (await repo.lock(trx, scope.officeId, caseId))! });
    return { reopened: true, status: to.key };
  });
}

export async function assign(scope: Scope, viewer: Viewer, id: string, input: AssignCase): Promise<Case> {
  const v = ZAssignCase.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(trx, scope, viewer, id);
    const before = await load(trx, scope.officeId, id);
    const next = await resolveAssignment(trx, scope.officeId, { assigneeId: row.assignee_id, teamId: row.team_id }, v, row.is_sensitive);
    await repo.update(trx, scope.officeId, id, { assignee_id: next.assigneeId, team_id: next.teamId });
    const after = await load(trx, scope.officeId, id);
    const who = after.assignee ? after.assignee.name : 'nobody';
    await audit.record(trx, scope, {
      entity: 'case', id, action: 'assigned', caseId: id, before: { assignee: before.assignee, team: before.team },
      after: { assignee: after.assignee, team: after.team, summary: `Assigned to ${who}${after.team ? ` (${after.team.name})` : ''}` },
    });
    await afterChange(trx, scope, { kind: 'assigned', before: row, after: (await repo.lock(trx, scope.officeId, id))! });
    return load(trx, scope.officeId, id);
  });
}

export async function setConstituents(scope: Scope, viewer: Viewer, id: string, input: z.input<typeof ZSetCaseConstituents>): Promise<Case> {
  const v = ZSetCaseConstituents.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(trx, scope, viewer, id);
    const links = await checkConstituents(trx, scope.officeId, v.constituents);
    const before = await load(trx, scope.officeId, id);
    await repo.replaceConstituents(trx, scope.officeId, id, links);
    await repo.update(trx, scope.officeId, id, { requester_id: firstRequester(links) });
    const after = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, {
      entity: 'case', id, action: 'constituents_changed', caseId: id, before: { constituents: before.constituents },
      after: { constituents: after.constituents, summary: `People on the case: ${after.constituents.map((c) => `${c.displayName} (${c.role})`).join(', ') || 'none'}` },
    });
    await afterChange(trx, scope, { kind: 'updated', before: row, after: (await repo.lock(trx, scope.officeId, id))! });
    return after;
  });
}

export async function setWatchers(scope: Scope, viewer: Viewer, id: string, input: z.input<typeof ZSetWatchers>): Promise<Case> {
  const v = ZSetWatchers.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(trx, scope, viewer, id);
    const ids = await checkWatchers(trx, scope.officeId, v.userIds, row.is_sensitive, 'userIds');
    const before = await load(trx, scope.officeId, id);
    await repo.replaceWatchers(trx, scope.officeId, id, ids);
    await repo.update(trx, scope.officeId, id, {});
    const after = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, {
      entity: 'case', id, action: 'watchers_changed', caseId: id, before: { watchers: before.watchers },
      after: { watchers: after.watchers, summary: `Watchers: ${after.watchers.map((w) => w.name).join(', ') || 'none'}` },
    });
    return after;
  });
}

/**
 * Adds tags to a case (bulk "add tag"). Returns false, writing nothing, when the case
 * already has them all.
 */
export async function addTags(scope: Scope, viewer: Viewer, id: string, tags: string[]): Promise<{ reference: string; changed: boolean }> {
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(trx, scope, viewer, id);
    const next = [...new Set([...row.tags, ...tags])];
    if (next.length === row.tags.length) return { reference: row.reference, changed: false };
    if (next.length > MAX_TAGS) throw new DomainError('validation_failed', { field: 'tag', message: `A case can have at most ${MAX_TAGS} tags; ${row.reference} has ${row.tags.length}` });
    await repo.update(trx, scope.officeId, id, { tags: next });
    const added = next.filter((t) => !row.tags.includes(t));
    await audit.record(trx, scope, { entity: 'case', id, action: 'updated', caseId: id, before: { tags: row.tags }, after: { tags: next, summary: `Tagged: ${added.join(', ')}` } });
    await afterChange(trx, scope, { kind: 'updated', before: row, after: (await repo.lock(trx, scope.officeId, id))! });
    return { reference: row.reference, changed: true };
  });
}
