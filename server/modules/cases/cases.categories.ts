// The issue taxonomy: a controlled, hierarchical list of categories per office. Admins
// create, rename, move, retire and merge categories; names are unique per parent (ignoring
// case) among live categories; a retired category cannot be put on a case. Each edit takes
// the office's taxonomy lock, loads the (small) tree and checks it in memory.
import {
  ZCreateCategory, ZMergeCategory, ZUpdateCategory,
  type CaseCategory, type CreateCategory, type UpdateCategory,
} from '../../../contract/cases.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './cases.categories-repo.js';
import { runTaxonomyHooks } from './cases.hooks.js';
import * as casesRepo from './cases.repo.js';

/** Levels below the top (a top-level category is depth 1). */
export const MAX_DEPTH = 5;
export const MAX_CATEGORIES = 5_000;

type Row = repo.CategoryRow;

/** The tree of one office, indexed for the checks below. */
export class Taxonomy {
  readonly byId: Map<string, Row>;
  readonly children: Map<string | null, Row[]>;

  constructor(readonly rows: Row[]) {
    this.byId = new Map(rows.map((r) => [r.id, r]));
    this.children = new Map();
    for (const r of rows) {
      const list = this.children.get(r.parent_id) ?? [];
      list.push(r);
      this.children.set(r.parent_id, list);
    }
  }

  /** Names from the root down to this category. */
  path(id: string): string[] {
    const out: string[] = [];
    for (let at = this.byId.get(id), guard = 0; at && guard < 50; at = at.parent_id ? this.byId.get(at.parent_id) : undefined, guard++) out.unshift(at.name);
    return out;
  }

  depth(id: string | null): number {
    return id === null ? 0 : this.path(id).length;
  }

  /** The category and everything below it. */
  subtree(id: string): Row[] {
    const out: Row[] = [];
    const walk = (r: Row) => {
      out.push(r);
      for (const c of this.children.get(r.id) ?? []) walk(c);
    };
    const root = this.byId.get(id);
    if (root) walk(root);
    return out;
  }

  /** Levels of the subtree under and including this category. */
  height(id: string): number {
    const kids = this.children.get(id) ?? [];
    return 1 + (kids.length ? Math.max(...kids.map((k) => this.height(k.id))) : 0);
  }

  /** A live sibling under `parentId` with this name (ignoring case), other than `exceptId`. */
  sibling(parentId: string | null, name: string, exceptId?: string): Row | undefined {
    const key = name.toLocaleLowerCase('en');
    return (this.children.get(parentId) ?? []).find((r) => !r.retired && r.id !== exceptId && r.name.toLocaleLowerCase('en') === key);
  }
}

export function present(t: Taxonomy, r: Row): CaseCategory {
  return {
    id: r.id, parentId: r.parent_id, name: r.name, path: t.path(r.id), retired: r.retired, mergedIntoId: r.merged_into_id, requiresPrivacyRelease: r.requires_privacy_release, locationPrivate: r.location_is_private,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

async function load(db: Executor, officeId: string): Promise<Taxonomy> {
  return new Taxonomy(await repo.all(db, officeId));
}

const notFound = () => new DomainError('not_found', { message: 'No such category in this office' });

export async function list(scope: Scope, opts: { includeRetired: boolean }): Promise<CaseCategory[]> {
  const t = await load(scope.db, scope.officeId);
  const items = t.rows.filter((r) => opts.includeRetired || !r.retired).map((r) => present(t, r));
  return items.sort((a, b) => comparePaths(a.path, b.path));
}

/** The names of the office's categories among `ids` (retired ones too), by id. */
export const namesOf = async (db: Executor, officeId: string, ids: readonly string[]): Promise<Map<string, string>> =>
  new Map((await repo.names(db, officeId, [...new Set(ids)])).map((r) => [r.id, r.name]));

/** Tree order: parents before their children, siblings alphabetically. */
export function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = a[i]!.localeCompare(b[i]!, 'en', { sensitivity: 'base' }) || a[i]!.localeCompare(b[i]!, 'en');
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** The category's id and the ids below it, for filters; throws when it is not the office's. */
export async function withDescendants(db: Executor, officeId: string, id: string): Promise<string[]> {
  const ids = await repo.withDescendants(db, officeId, id);
  if (ids.length === 0) throw new DomainError('validation_failed', { field: 'category', message: 'No such category in this office' });
  return ids;
}

/** Whether a referral on a case of this category needs the constituent's privacy release. */
export async function requiresPrivacyRelease(db: Executor, officeId: string, id: string | null): Promise<boolean> {
  return id === null ? false : (await repo.get(db, officeId, id))?.requires_privacy_release ?? false;
}

/** A category a case may be given now: one of the office's, not retired. */
export async function assertUsable(db: Executor, officeId: string, id: string, field = 'categoryId'): Promise<void> {
  const row = await repo.get(db, officeId, id);
  if (!row) throw new DomainError('validation_failed', { field, message: 'No such category in this office' });
  if (row.retired) throw new DomainError('validation_failed', { field, message: `The category "${row.name}" is retired${row.merged_into_id ? ' (merged into another)' : ''}; choose a current one` });
}

function checkParent(t: Taxonomy, parentId: string | null): void {
  if (parentId === null) return;
  const parent = t.byId.get(parentId);
  if (!parent) throw new DomainError('validation_failed', { field: 'parentId', message: 'No such category in this office' });
  if (parent.retired) throw new DomainError('validation_failed', { field: 'parentId', message: `The category "${parent.name}" is retired` });
}

function checkName(t: Taxonomy, parentId: string | null, name: string, exceptId?: string): void {
  const clash = t.sibling(parentId, name, exceptId);
  if (clash) {
    const where = parentId ? `under "${t.path(parentId).join(' › ')}"` : 'at the top level';
    throw new DomainError('conflict', { field: 'name', message: `There is already a category "${clash.name}" ${where}`, extra: { categoryId: clash.id } });
  }
}

export async function create(scope: Scope, input: CreateCategory): Promise<CaseCategory> {
  const v = ZCreateCategory.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockTaxonomy(trx, scope.officeId);
    const t = await load(trx, scope.officeId);
    if (t.rows.length >= MAX_CATEGORIES) throw new DomainError('conflict', { message: `An office can have at most ${MAX_CATEGORIES} categories` });
    checkParent(t, v.parentId);
    if (t.depth(v.parentId) + 1 > MAX_DEPTH) throw new DomainError('validation_failed', { field: 'parentId', message: `Categories nest at most ${MAX_DEPTH} levels deep` });
    checkName(t, v.parentId, v.name);
    const { id } = await repo.insert(trx, scope.officeId, { parent_id: v.parentId, name: v.name, requires_privacy_release: v.requiresPrivacyRelease, location_is_private: v.locationPrivate });
    const created = present(new Taxonomy(await repo.all(trx, scope.officeId)), (await repo.get(trx, scope.officeId, id))!);
    await audit.record(trx, scope, { entity: 'case_category', id, action: 'created', after: created });
    return created;
  });
}

export async function update(scope: Scope, id: string, input: UpdateCategory): Promise<CaseCategory> {
  const v = ZUpdateCategory.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockTaxonomy(trx, scope.officeId);
    const t = await load(trx, scope.officeId);
    const row = t.byId.get(id);
    if (!row) throw notFound();
    if (row.merged_into_id) throw new DomainError('conflict', { message: 'This category was merged into another; edit that one instead', extra: { mergedIntoId: row.merged_into_id } });
    const before = present(t, row);
    const parentId = v.parentId !== undefined ? v.parentId : row.parent_id;
    const name = v.name ?? row.name;
    const retired = v.retired ?? row.retired;
    if (parentId !== row.parent_id) {
      if (parentId !== null && t.subtree(id).some((r) => r.id === parentId)) {
        throw new DomainError('validation_failed', { field: 'parentId', message: 'A category cannot move under itself or one of its own sub-categories' });
      }
      if (!retired) checkParent(t, parentId);
      else if (parentId !== null && !t.byId.has(parentId)) throw new DomainError('validation_failed', { field: 'parentId', message: 'No such category in this office' });
      if (t.depth(parentId) + t.height(id) > MAX_DEPTH) throw new DomainError('validation_failed', { field: 'parentId', message: `Categories nest at most ${MAX_DEPTH} levels deep` });
    }
    if (!retired) {
      if (row.retired) checkParent(t, parentId); // restoring needs a live parent
      checkName(t, parentId, name, id);
    }
    await repo.update(trx, scope.officeId, [id], { name, parent_id: parentId, retired, requires_privacy_release: v.requiresPrivacyRelease, location_is_private: v.locationPrivate });
    // Retiring a category retires everything below it too.
    const alsoRetired = retired && !row.retired ? t.subtree(id).filter((r) => r.id !== id && !r.retired).map((r) => r.id) : [];
    await repo.update(trx, scope.officeId, alsoRetired, { retired: true });
    const after = present(new Taxonomy(await repo.all(trx, scope.officeId)), (await repo.get(trx, scope.officeId, id))!);
    const action = retired !== row.retired ? (retired ? 'retired' : 'restored') : parentId !== row.parent_id ? 'moved' : name !== row.name ? 'renamed' : 'updated';
    await audit.record(trx, scope, { entity: 'case_category', id, action, before, after: { ...after, ...(alsoRetired.length ? { alsoRetired } : {}) } });
    if (parentId !== row.parent_id) await runTaxonomyHooks(trx, scope, { kind: 'moved', categoryId: id });
    return after;
  });
}

/**
 * Merges a category into another: its cases move to the survivor (each move audited on the
 * case), its sub-categories move under the survivor, and it is retired with a pointer to it.
 */
export async function merge(scope: Scope, id: string, input: { intoId: string }) {
  const { intoId } = ZMergeCategory.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockTaxonomy(trx, scope.officeId);
    const t = await load(trx, scope.officeId);
    const row = t.byId.get(id);
    if (!row) throw notFound();
    if (row.merged_into_id) throw new DomainError('conflict', { message: 'This category was already merged into another', extra: { mergedIntoId: row.merged_into_id } });
    const into = t.byId.get(intoId);
    if (!into) throw new DomainError('validation_failed', { field: 'intoId', message: 'No such category in this office' });
    if (intoId === id) throw new DomainError('validation_failed', { field: 'intoId', message: 'A category cannot be merged into itself' });
    if (into.retired) throw new DomainError('validation_failed', { field: 'intoId', message: `The category "${into.name}" is retired` });
    if (t.subtree(id).some((r) => r.id === intoId)) throw new DomainError('validation_failed', { field: 'intoId', message: 'A category cannot be merged into one of its own sub-categories' });
    const children = t.children.get(id) ?? [];
    for (const c of children.filter((k) => !k.retired)) {
      const clash = t.sibling(intoId, c.name);
      if (clash) throw new DomainError('conflict', { field: 'intoId', message: `Both have a sub-category "${c.name}": merge or rename one of them first`, extra: { categoryId: c.id, clashesWith: clash.id } });
    }
    const deepest = Math.max(0, ...children.map((c) => t.height(c.id)));
    if (t.depth(intoId) + deepest > MAX_DEPTH) throw new DomainError('validation_failed', { field: 'intoId', message: `Categories nest at most ${MAX_DEPTH} levels deep` });
    const before = { merged: present(t, row), into: present(t, into) };
    await repo.update(trx, scope.officeId, children.map((c) => c.id), { parent_id: intoId });
    const casesMoved = await casesRepo.recategorise(trx, scope, id, intoId);
    await repo.update(trx, scope.officeId, [id], { retired: true, merged_into_id: intoId });
    const after = new Taxonomy(await repo.all(trx, scope.officeId));
    const result = { merged: present(after, after.byId.get(id)!), into: present(after, after.byId.get(intoId)!), casesMoved, childrenMoved: children.length };
    await audit.record(trx, scope, { entity: 'case_category', id, action: 'merged', before, after: result });
    await runTaxonomyHooks(trx, scope, { kind: 'merged', categoryId: id });
    return result;
  });
}
