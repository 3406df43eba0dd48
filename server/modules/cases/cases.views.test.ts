// Saved views: personal ones only for their owner, shared ones for the team; editing by the
// owner, or for shared views by managers and admins; filters checked like the list's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../contract/cases.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, type Staff } from './cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

const names = async (as: Staff) => (ok(await as.api('GET', '/api/v1/case-views'), 200) as { items: CaseView[] }).items.map((v) => v.name);

describe('saved views', () => {
  it("shows each user their own views and their teams' shared views, and nobody else's", async () => {
    // team: caseworker and manager (its manager); outsider is in no team
    const w = await casework(ctx);
    const mine = ok(await w.caseworker.api('POST', '/api/v1/case-views', { name: 'My urgent', filters: { priority: 'urgent,high', mine: 'true', sort: 'resolution_due', order: 'asc' } }), 201) as CaseView;
    expect(mine).toMatchObject({ name: 'My urgent', team: null, owner: { id: w.caseworker.user.id }, canEdit: true, filters: { priority: 'urgent,high', mine: 'true', sort: 'resolution_due', order: 'asc' } });
    const shared = ok(await w.caseworker.api('POST', '/api/v1/case-views', { name: 'Team overdue', filters: { overdue: 'true', team: w.team.id }, teamId: w.team.id }), 201) as CaseView;
    expect(shared.team).toEqual({ id: w.team.id, name: expect.any(String) });
    ok(await w.outsider.api('POST', '/api/v1/case-views', { name: 'Outsider view' }), 201);

    expect(await names(w.caseworker)).toEqual(['My urgent', 'Team overdue']);
    expect(await names(w.manager)).toEqual(['Team overdue']);
    expect(await names(w.outsider)).toEqual(['Outsider view']);
    expect(await names(w.admin)).toEqual([]); // admins see shared views of their own teams only
    // A personal view stays personal even to the team's manager.
    refused(await w.manager.api('PATCH', `/api/v1/case-views/${mine.id}`, { name: 'Taken' }), 404, 'not_found');
    refused(await w.outsider.api('DELETE', `/api/v1/case-views/${shared.id}`), 404, 'not_found');
  });

  it('lets the owner edit their views, and managers edit shared ones, but not other members', async () => {
    const w = await casework(ctx);
    const byManager = ok(await w.manager.api('POST', '/api/v1/case-views', { name: 'Manager view', teamId: w.team.id }), 201) as CaseView;
    const byCaseworker = ok(await w.caseworker.api('POST', '/api/v1/case-views', { name: 'Caseworker view', teamId: w.team.id }), 201) as CaseView;
    const listed = (ok(await w.caseworker.api('GET', '/api/v1/case-views'), 200) as { items: CaseView[] }).items;
    expect(listed.map((v) => [v.name, v.canEdit])).toEqual([['Caseworker view', true], ['Manager view', false]]);

    refused(await w.caseworker.api('PATCH', `/api/v1/case-views/${byManager.id}`, { name: 'Hijacked' }), 403, 'forbidden');
    refused(await w.caseworker.api('DELETE', `/api/v1/case-views/${byManager.id}`), 403, 'forbidden');
    const edited = ok(await w.manager.api('PATCH', `/api/v1/case-views/${byCaseworker.id}`, { name: 'Renamed by manager', filters: { status: 'open' } }), 200) as CaseView;
    expect(edited).toMatchObject({ name: 'Renamed by manager', owner: { id: w.caseworker.user.id }, filters: { status: 'open' } });
    // The owner makes it personal again: the team no longer sees it.
    ok(await w.caseworker.api('PATCH', `/api/v1/case-views/${byCaseworker.id}`, { teamId: null }), 200);
    expect(await names(w.manager)).toEqual(['Manager view']);
    ok(await w.manager.api('DELETE', `/api/v1/case-views/${byManager.id}`), 204);
    expect(await names(w.caseworker)).toEqual(['Renamed by manager']);
    const events = (ok(await w.admin.api('GET', '/api/v1/audit?entityType=case_view&limit=50'), 200) as { items: { action: string }[] }).items.map((e) => e.action);
    expect(events.sort()).toEqual(['created', 'created', 'deleted', 'updated', 'updated']);
  });

  it('refuses bad filters, duplicate names, teams the caller is not in and callers without case.read', async () => {
    const w = await casework(ctx);
    refused(await w.caseworker.api('POST', '/api/v1/case-views', { name: 'Bad', filters: { priority: 'whenever' } }), 400, 'validation_failed', 'filters.priority');
    refused(await w.caseworker.api('POST', '/api/v1/case-views', { name: 'Bad', filters: { limit: '10' } }), 400, 'validation_failed');
    refused(await w.caseworker.api('POST', '/api/v1/case-views', { name: 'Bad', filters: { sort: 'random' } }), 400, 'validation_failed', 'filters.sort');
    ok(await w.caseworker.api('POST', '/api/v1/case-views', { name: 'Mine' }), 201);
    refused(await w.caseworker.api('POST', '/api/v1/case-views', { name: 'MINE' }), 409, 'conflict', 'name');
    refused(await w.outsider.api('POST', '/api/v1/case-views', { name: 'Sneaky', teamId: w.team.id }), 400, 'validation_failed', 'teamId');
    refused(await w.volunteer.api('GET', '/api/v1/case-views'), 403, 'forbidden');
    expect(await names(w.caseworker)).toEqual(['Mine']);
  });
});
