// The issue taxonomy: create, rename, move, retire and merge, with names unique per parent
// (ignoring case) among live categories, cycles and retired parents refused, and merges
// moving cases (each move on the case's timeline).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseCategory, CaseTimelineEntry } from '../../../contract/cases.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, type Staff } from './cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

const add = async (as: Staff, name: string, parentId: string | null = null) => ok(await as.api('POST', '/api/v1/case-categories', { name, parentId }), 201) as CaseCategory;
const listOf = async (as: Staff, query = '') => (ok(await as.api('GET', `/api/v1/case-categories${query}`), 200) as { items: CaseCategory[] }).items;

describe('the taxonomy', () => {
  it('builds a tree, listed in path order with each path', async () => {
    const { manager, caseworker } = await casework(ctx);
    const streets = await add(manager, 'Streets');
    const housing = await add(manager, 'Housing');
    await add(manager, 'Potholes', streets.id);
    await add(manager, 'Damp & mould', housing.id);
    const lights = await add(manager, 'Street lights', streets.id);
    await add(manager, 'Out at night', lights.id);
    expect((await listOf(caseworker)).map((c) => c.path.join(' › '))).toEqual([
      'Housing', 'Housing › Damp & mould', 'Streets', 'Streets › Potholes', 'Streets › Street lights', 'Streets › Street lights › Out at night',
    ]);
  });

  it('renames and moves, refusing duplicate names per parent (any case), cycles and unknown parents', async () => {
    const { manager } = await casework(ctx);
    const streets = await add(manager, 'Streets');
    const parks = await add(manager, 'Parks');
    const potholes = await add(manager, 'Potholes', streets.id);
    await add(manager, 'Potholes', parks.id); // the same name under another parent is fine
    refused(await manager.api('POST', '/api/v1/case-categories', { name: 'potholes', parentId: streets.id }), 409, 'conflict', 'name');
    refused(await manager.api('POST', '/api/v1/case-categories', { name: 'STREETS' }), 409, 'conflict', 'name');
    refused(await manager.api('PATCH', `/api/v1/case-categories/${potholes.id}`, { parentId: parks.id }), 409, 'conflict', 'name');
    refused(await manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { parentId: potholes.id }), 400, 'validation_failed', 'parentId');
    refused(await manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { parentId: streets.id }), 400, 'validation_failed', 'parentId');
    refused(await manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { parentId: manager.user.id }), 400, 'validation_failed', 'parentId');
    refused(await manager.api('POST', '/api/v1/case-categories', { name: '   ' }), 400, 'validation_failed', 'name');

    const renamed = ok(await manager.api('PATCH', `/api/v1/case-categories/${potholes.id}`, { name: 'Potholes & road surface' }), 200) as CaseCategory;
    expect(renamed.path).toEqual(['Streets', 'Potholes & road surface']);
    const moved = ok(await manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { parentId: parks.id }), 200) as CaseCategory;
    expect(moved.path).toEqual(['Parks', 'Streets']);
    expect((await listOf(manager)).find((c) => c.id === potholes.id)?.path).toEqual(['Parks', 'Streets', 'Potholes & road surface']);
  });

  it('limits nesting depth', async () => {
    const { manager } = await casework(ctx);
    let parent: string | null = null;
    for (let i = 1; i <= 5; i++) parent = (await add(manager, `Level ${i}`, parent)).id;
    refused(await manager.api('POST', '/api/v1/case-categories', { name: 'Level 6', parentId: parent }), 400, 'validation_failed', 'parentId');
  });

  it('retires a category with everything below it; retired categories cannot go on cases, and free their names', async () => {
    const w = await casework(ctx);
    const streets = await add(w.manager, 'Streets');
    const potholes = await add(w.manager, 'Potholes', streets.id);
    const c = await w.open({ categoryId: potholes.id });
    const retired = ok(await w.manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { retired: true }), 200) as CaseCategory;
    expect(retired.retired).toBe(true);
    expect((await listOf(w.manager)).map((x) => x.id)).toEqual([]);
    expect((await listOf(w.manager, '?includeRetired=true')).map((x) => [x.name, x.retired])).toEqual([['Streets', true], ['Potholes', true]]);
    refused(await w.admin.api('POST', '/api/v1/cases', { subject: 'x', channel: 'web', categoryId: potholes.id }), 400, 'validation_failed', 'categoryId');
    refused(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Under retired', parentId: streets.id }), 400, 'validation_failed', 'parentId');
    // Cases keep the category they had; their other fields stay editable.
    expect((ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { priority: 'high' }), 200) as Case).category?.id).toBe(potholes.id);
    // A live category may take the name; restoring the old one then clashes.
    const again = await add(w.manager, 'Streets');
    refused(await w.manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { retired: false }), 409, 'conflict', 'name');
    ok(await w.manager.api('PATCH', `/api/v1/case-categories/${again.id}`, { name: 'Roads' }), 200);
    expect((ok(await w.manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { retired: false }), 200) as CaseCategory).retired).toBe(false);
    // A child under a retired parent cannot be restored on its own.
    ok(await w.manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { retired: true }), 200);
    refused(await w.manager.api('PATCH', `/api/v1/case-categories/${potholes.id}`, { retired: false }), 400, 'validation_failed', 'parentId');
  });

  it('merges a category into another: cases and sub-categories move, each move is on the case timeline', async () => {
    const w = await casework(ctx);
    const roads = await add(w.manager, 'Roads');
    const streets = await add(w.manager, 'Streets');
    const lights = await add(w.manager, 'Lights', streets.id);
    const cases = [await w.open({ categoryId: streets.id }), await w.open({ categoryId: streets.id }), await w.open({ categoryId: lights.id })];
    const result = ok(await w.manager.api('POST', `/api/v1/case-categories/${streets.id}/merge`, { intoId: roads.id }), 200) as { merged: CaseCategory; into: CaseCategory; casesMoved: number; childrenMoved: number };
    expect(result).toMatchObject({ casesMoved: 2, childrenMoved: 1, merged: { retired: true, mergedIntoId: roads.id }, into: { id: roads.id, retired: false } });
    expect((await w.read(cases[0]!.id)).category).toEqual({ id: roads.id, name: 'Roads', path: ['Roads'] });
    expect((await w.read(cases[2]!.id)).category).toEqual({ id: lights.id, name: 'Lights', path: ['Roads', 'Lights'] });
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${cases[1]!.id}/timeline`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline[0]).toMatchObject({ action: 'recategorised', before: { categoryId: streets.id }, after: { categoryId: roads.id, reason: 'category_merged' } });
    // A filter on the survivor finds the moved cases and those below it.
    const list = ok(await w.admin.api('GET', `/api/v1/cases?category=${roads.id}`), 200) as { items: { id: string }[] };
    expect(list.items.map((x) => x.id).sort()).toEqual(cases.map((x) => x.id).sort());
    // The merged category is gone from use and from edits.
    refused(await w.manager.api('PATCH', `/api/v1/case-categories/${streets.id}`, { name: 'Back' }), 409, 'conflict');
    refused(await w.manager.api('POST', `/api/v1/case-categories/${streets.id}/merge`, { intoId: roads.id }), 409, 'conflict');
  });

  it('refuses merges into itself, below itself, into a retired category, or with clashing sub-categories', async () => {
    const w = await casework(ctx);
    const a = await add(w.manager, 'A');
    const b = await add(w.manager, 'B');
    const aChild = await add(w.manager, 'Shared', a.id);
    await add(w.manager, 'Shared', b.id);
    const retired = await add(w.manager, 'Old');
    ok(await w.manager.api('PATCH', `/api/v1/case-categories/${retired.id}`, { retired: true }), 200);
    const c = await w.open({ categoryId: a.id });
    refused(await w.manager.api('POST', `/api/v1/case-categories/${a.id}/merge`, { intoId: a.id }), 400, 'validation_failed', 'intoId');
    refused(await w.manager.api('POST', `/api/v1/case-categories/${a.id}/merge`, { intoId: aChild.id }), 400, 'validation_failed', 'intoId');
    refused(await w.manager.api('POST', `/api/v1/case-categories/${a.id}/merge`, { intoId: retired.id }), 400, 'validation_failed', 'intoId');
    refused(await w.manager.api('POST', `/api/v1/case-categories/${a.id}/merge`, { intoId: b.id }), 409, 'conflict', 'intoId');
    refused(await w.manager.api('POST', `/api/v1/case-categories/${a.id}/merge`, { intoId: w.team.id }), 400, 'validation_failed', 'intoId');
    refused(await w.caseworker.api('POST', `/api/v1/case-categories/${a.id}/merge`, { intoId: b.id }), 403, 'forbidden');
    expect((await w.read(c.id)).category?.id).toBe(a.id);
    expect((await listOf(w.manager)).find((x) => x.id === a.id)?.retired).toBe(false);
  });
});
