// Cases through the HTTP API: opening one (reference, people, location and ward, assignment,
// watchers), the case page, edits, assignment rules, sensitive cases and their read log,
// the timeline, and bad input refused with nothing written.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseTimelineEntry } from '../../../contract/cases.js';
import { createConstituent, createOffice, createTestApp, type TestContext } from '../../../test/harness.js';
import { systemScope } from '../../platform/scope.js';
import { casework, ok, refused, squareWard, staffMember, type Api } from './cases.testkit.js';
import * as service from './cases.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await ctx.jobs.start({ work: false }); // boundary imports enqueue the area recompute
});
afterAll(() => ctx.close());

const yearIn = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric' }).format(new Date()));

/** Rows a refused write must not have touched. */
async function counts(officeId: string) {
  const { rows } = await sql<Record<string, number>>`SELECT
      (SELECT count(*) FROM cases WHERE office_id = ${officeId})::int AS cases,
      (SELECT count(*) FROM case_constituents WHERE office_id = ${officeId})::int AS links,
      (SELECT count(*) FROM case_watchers WHERE office_id = ${officeId})::int AS watchers,
      (SELECT coalesce(max(last_value), 0) FROM reference_counters WHERE office_id = ${officeId})::int AS counter,
      (SELECT count(*) FROM events WHERE office_id = ${officeId})::int AS events,
      (SELECT max(updated_at) FROM cases WHERE office_id = ${officeId}) AS changed`.execute(ctx.database.db);
  return rows[0];
}

async function timelineOf(api: Api, id: string, query = ''): Promise<CaseTimelineEntry[]> {
  return (ok(await api('GET', `/api/v1/cases/${id}/timeline${query}`), 200) as { items: CaseTimelineEntry[] }).items;
}

describe('opening a case', () => {
  it('gives the office reference, starts in the initial status, and records the people, place, ward, team and watchers', async () => {
    const w = await casework(ctx);
    const wardId = await squareWard(w.admin);
    const other = await createConstituent(ctx, w.office, { givenName: 'Bea', familyName: 'Helper' });
    const category = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Roads' }), 201) as { id: string };
    const c = await w.open({
      subject: '  Pothole outside no. 12  ', description: 'Deep pothole', categoryId: category.id, tags: ['roads', 'roads', 'urgent-ish'], priority: 'high', channel: 'web',
      constituents: [{ constituentId: w.person.id, role: 'requester' }, { constituentId: other.id, role: 'representative' }],
      location: { address: '12 Mill Lane', lat: 0.5, lng: 0.5 }, teamId: w.team.id, assigneeId: w.caseworker.user.id, watcherIds: [w.manager.user.id, w.analyst.user.id],
    });
    const year = yearIn('Europe/London');
    expect(c).toMatchObject({
      reference: `C-${year}-00001`, subject: 'Pothole outside no. 12', description: 'Deep pothole', priority: 'high', channel: 'web',
      status: { key: 'new', label: 'New', category: 'open' }, category: { id: category.id, name: 'Roads', path: ['Roads'] },
      tags: ['roads', 'urgent-ish'], isSensitive: false, resolution: null, resolvedAt: null, closedAt: null,
      location: { address: '12 Mill Lane', lat: 0.5, lng: 0.5 }, ward: { id: wardId, name: 'Square ward' },
      team: { id: w.team.id }, assignee: { id: w.caseworker.user.id }, requester: { id: w.person.id, name: w.person.displayName },
      constituents: [{ id: w.person.id, role: 'requester' }, { id: other.id, displayName: 'Bea Helper', role: 'representative' }],
    });
    expect(c.watchers.map((x) => x.id).sort()).toEqual([w.manager.user.id, w.analyst.user.id].sort());
    expect(c.nextStatuses.map((s) => s.key)).toEqual(['open', 'waiting_on_resident', 'waiting_on_agency', 'resolved', 'closed']);
    expect(c.nextStatuses.find((s) => s.key === 'resolved')?.needsResolution).toBe(true);
    expect(await w.read(c.id, w.caseworker)).toEqual(c);
    const second = await w.open({}, w.caseworker);
    expect(second).toMatchObject({ reference: `C-${year}-00002`, ward: null, constituents: [], requester: null, assignee: null });
  });

  it('hands out distinct, consecutive references to cases opened at the same time', async () => {
    const w = await casework(ctx);
    const made = await Promise.all(Array.from({ length: 12 }, (_, i) => w.open({ subject: `Parallel ${i}` })));
    const year = yearIn('Europe/London');
    expect(made.map((c) => c.reference).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `C-${year}-${String(i + 1).padStart(5, '0')}`));
    // Each office counts on its own.
    const other = await casework(ctx);
    expect((await other.open()).reference).toBe(`C-${year}-00001`);
  });

  it('puts the opening on the requester’s timeline, and the case’s own timeline starts with it', async () => {
    const w = await casework(ctx);
    const c = await w.open({ constituents: [{ constituentId: w.person.id, role: 'requester' }] });
    const person = ok(await w.admin.api('GET', `/api/v1/constituents/${w.person.id}/timeline?kind=case`), 200) as { items: { summary: string }[] };
    expect(person.items.map((e) => e.summary)).toEqual([`Case ${c.reference} opened: Pothole on Mill Lane`]);
    const entries = await timelineOf(w.admin.api, c.id);
    expect(entries.map((e) => [e.kind, e.action])).toEqual([['change', 'created']]);
  });

  it('refuses bad input with the field and a reason, writing nothing', async () => {
    const w = await casework(ctx);
    const elsewhere = await casework(ctx);
    const category = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Old' }), 201) as { id: string };
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${category.id}`, { retired: true }), 200);
    const before = await counts(w.office.id);
    const attempts: [object, number, string, string][] = [
      [{ subject: '' }, 400, 'validation_failed', 'subject'],
      [{ channel: 'pigeon' }, 400, 'validation_failed', 'channel'],
      [{ priority: 'whenever' }, 400, 'validation_failed', 'priority'],
      [{ location: { lat: 10 } }, 400, 'validation_failed', 'location.lng'],
      [{ categoryId: category.id }, 400, 'validation_failed', 'categoryId'],
      [{ categoryId: elsewhere.team.id }, 400, 'validation_failed', 'categoryId'],
      [{ constituents: [{ constituentId: elsewhere.person.id }] }, 400, 'validation_failed', 'constituents.0.constituentId'],
      [{ constituents: [{ constituentId: w.person.id }, { constituentId: w.person.id, role: 'affected' }] }, 400, 'validation_failed', 'constituents.1.constituentId'],
      [{ assigneeId: elsewhere.caseworker.user.id }, 400, 'validation_failed', 'assigneeId'],
      [{ assigneeId: w.analyst.user.id }, 400, 'validation_failed', 'assigneeId'],
      [{ assigneeId: w.volunteer.user.id }, 400, 'validation_failed', 'assigneeId'],
      [{ teamId: w.team.id, assigneeId: w.outsider.user.id }, 400, 'validation_failed', 'assigneeId'],
      [{ teamId: elsewhere.team.id }, 400, 'validation_failed', 'teamId'],
      [{ watcherIds: [elsewhere.admin.user.id] }, 400, 'validation_failed', 'watcherIds.0'],
      [{ watcherIds: [w.volunteer.user.id] }, 400, 'validation_failed', 'watcherIds.0'],
      [{ isSensitive: true, assigneeId: w.caseworker.user.id, teamId: w.team.id }, 400, 'validation_failed', 'assigneeId'],
      [{ surprise: 1 }, 400, 'validation_failed', undefined as never],
    ];
    for (const [body, status, code, field] of attempts) {
      refused(await w.admin.api('POST', '/api/v1/cases', { subject: 'Bad', channel: 'phone', ...body }), status, code, field);
    }
    // Caseworkers cannot flag sensitivity; analysts cannot open cases at all.
    refused(await w.caseworker.api('POST', '/api/v1/cases', { subject: 'Bad', channel: 'phone', isSensitive: true }), 403, 'forbidden', 'isSensitive');
    refused(await w.analyst.api('POST', '/api/v1/cases', { subject: 'Bad', channel: 'phone' }), 403, 'forbidden');
    expect(await counts(w.office.id)).toEqual(before);
  });
});

describe('editing and assigning', () => {
  it('edits fields, recomputes the ward from new coordinates, and shows only what changed on the timeline', async () => {
    const w = await casework(ctx);
    const wardId = await squareWard(w.admin);
    const c = await w.open({ location: { address: 'Somewhere', lat: 5, lng: 5 } });
    expect(c.ward).toBeNull();
    const edited = ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { priority: 'urgent', tags: ['flooding'], location: { address: 'Mill Lane', lat: 0.2, lng: 0.3 } }), 200) as Case;
    expect(edited).toMatchObject({ priority: 'urgent', tags: ['flooding'], ward: { id: wardId }, subject: c.subject, location: { address: 'Mill Lane', lat: 0.2, lng: 0.3 } });
    const [latest] = await timelineOf(w.admin.api, c.id);
    expect(latest).toMatchObject({ action: 'updated', before: { priority: 'normal', tags: [] }, after: { priority: 'urgent', tags: ['flooding'] } });
    expect(Object.keys(latest!.after as object).sort()).toEqual(['location', 'priority', 'summary', 'tags', 'ward']);
  });

  it('assigns within the team, moves teams (leaving the case unassigned when the assignee is not in the new team) and logs each change', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const a1 = ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/assign`, { teamId: w.team.id, assigneeId: w.caseworker.user.id }), 200) as Case;
    expect(a1).toMatchObject({ team: { id: w.team.id }, assignee: { id: w.caseworker.user.id } });
    const other = ok(await w.admin.api('POST', '/api/v1/teams', { name: `Housing ${c.id}` }), 201) as { id: string };
    const a2 = ok(await w.manager.api('POST', `/api/v1/cases/${c.id}/assign`, { teamId: other.id }), 200) as Case;
    expect(a2).toMatchObject({ team: { id: other.id }, assignee: null });
    const a3 = ok(await w.manager.api('POST', `/api/v1/cases/${c.id}/assign`, { teamId: null, assigneeId: w.outsider.user.id }), 200) as Case;
    expect(a3).toMatchObject({ team: null, assignee: { id: w.outsider.user.id } });
    const assigned = (await timelineOf(w.admin.api, c.id)).filter((e) => e.action === 'assigned');
    expect(assigned).toHaveLength(3);
    expect(assigned[0]!.summary).toBe(`Assigned to ${a3.assignee!.name}`);
  });

  it('refuses assignments to people of another office, without the role, disabled, or outside the team', async () => {
    const w = await casework(ctx);
    const elsewhere = await casework(ctx);
    const c = await w.open({ teamId: w.team.id, assigneeId: w.caseworker.user.id });
    ok(await w.admin.api('PATCH', `/api/v1/users/${w.outsider.user.id}`, { status: 'disabled' }), 200);
    const before = await counts(w.office.id);
    for (const [body, field, detail] of [
      [{ assigneeId: elsewhere.caseworker.user.id }, 'assigneeId', /No such user/],
      [{ assigneeId: w.analyst.user.id }, 'assigneeId', /analyst; that role cannot work cases/],
      [{ teamId: null, assigneeId: w.outsider.user.id }, 'assigneeId', /disabled/],
      [{ assigneeId: w.admin.user.id }, 'assigneeId', /not a member of the team/],
      [{ teamId: elsewhere.team.id }, 'teamId', /No such team/],
    ] as const) {
      expect(refused(await w.manager.api('POST', `/api/v1/cases/${c.id}/assign`, body), 400, 'validation_failed', field).detail).toMatch(detail);
    }
    refused(await w.analyst.api('POST', `/api/v1/cases/${c.id}/assign`, { assigneeId: null }), 403, 'forbidden');
    expect(await counts(w.office.id)).toEqual(before);
    expect((await w.read(c.id)).assignee?.id).toBe(w.caseworker.user.id);
  });

  it('replaces the people on a case, keeping the first requester as the requester', async () => {
    const w = await casework(ctx);
    const other = await createConstituent(ctx, w.office, { givenName: 'Cy', familyName: 'Affected' });
    const c = await w.open({ constituents: [{ constituentId: w.person.id }] });
    const changed = ok(await w.caseworker.api('PUT', `/api/v1/cases/${c.id}/constituents`, {
      constituents: [{ constituentId: other.id, role: 'affected' }, { constituentId: w.person.id, role: 'requester' }],
    }), 200) as Case;
    expect(changed.constituents.map((x) => [x.id, x.role])).toEqual([[other.id, 'affected'], [w.person.id, 'requester']]);
    expect(changed.requester?.id).toBe(w.person.id);
    const none = ok(await w.caseworker.api('PUT', `/api/v1/cases/${c.id}/constituents`, { constituents: [{ constituentId: other.id, role: 'affected' }] }), 200) as Case;
    expect(none.requester).toBeNull();
    refused(await w.caseworker.api('PUT', `/api/v1/cases/${c.id}/constituents`, { constituents: [{ constituentId: w.person.id, role: 'boss' }] }), 400, 'validation_failed', 'constituents.0.role');
  });

  it('replaces the watchers', async () => {
    const w = await casework(ctx);
    const c = await w.open({ watcherIds: [w.analyst.user.id] });
    const changed = ok(await w.caseworker.api('PUT', `/api/v1/cases/${c.id}/watchers`, { userIds: [w.caseworker.user.id, w.manager.user.id, w.caseworker.user.id] }), 200) as Case;
    expect(changed.watchers.map((x) => x.id).sort()).toEqual([w.caseworker.user.id, w.manager.user.id].sort());
    refused(await w.caseworker.api('PUT', `/api/v1/cases/${c.id}/watchers`, { userIds: [w.volunteer.user.id] }), 400, 'validation_failed', 'userIds.0');
  });
});

describe('sensitive cases', () => {
  it('are hidden from staff without case.sensitive, and every read by those with it is logged', async () => {
    const w = await casework(ctx);
    const c = await w.open({ isSensitive: true, subject: 'Immigration status', constituents: [{ constituentId: w.person.id }] }, w.manager);
    const plain = await w.open({ subject: 'Bins' });
    for (const who of [w.caseworker, w.analyst]) {
      refused(await who.api('GET', `/api/v1/cases/${c.id}`), 404, 'not_found');
      refused(await who.api('GET', `/api/v1/cases/${c.id}/timeline`), 404, 'not_found');
      const list = ok(await who.api('GET', '/api/v1/cases'), 200) as { items: { id: string }[] };
      expect(list.items.map((x) => x.id)).toEqual([plain.id]);
    }
    refused(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { subject: 'Peek' }), 404, 'not_found');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'open' }), 404, 'not_found');
    // Not on the person's timeline either, which constituent readers see.
    const person = ok(await w.caseworker.api('GET', `/api/v1/constituents/${w.person.id}/timeline`), 200) as { items: unknown[] };
    expect(JSON.stringify(person.items)).not.toContain('Immigration');

    await w.read(c.id, w.manager);
    await timelineOf(w.admin.api, c.id);
    const list = ok(await w.admin.api('GET', '/api/v1/cases'), 200) as { items: { id: string }[] };
    expect(list.items.map((x) => x.id)).toContain(c.id);
    const reads = await timelineOf(w.admin.api, c.id, '?kind=access');
    // newest first (a timeline read is logged after it is read): the list, the timeline, the page
    expect(reads.map((e) => (e.after as { via: string }).via)).toEqual(['list', 'timeline', 'page']);
    expect(new Set(reads.map((e) => e.actor)).size).toBe(2); // the manager, then the admin
    // Reads are not changes: the default timeline leaves them out.
    expect((await timelineOf(w.admin.api, c.id)).map((e) => e.action)).toEqual(['created']);
  });

  it('needs case.sensitive to change the flag, and refuses it while the assignee could not see the case', async () => {
    const w = await casework(ctx);
    const c = await w.open({ teamId: w.team.id, assigneeId: w.caseworker.user.id });
    refused(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { isSensitive: true }), 403, 'forbidden', 'isSensitive');
    refused(await w.manager.api('PATCH', `/api/v1/cases/${c.id}`, { isSensitive: true }), 400, 'validation_failed', 'isSensitive');
    ok(await w.manager.api('POST', `/api/v1/cases/${c.id}/assign`, { assigneeId: w.manager.user.id }), 200);
    expect((ok(await w.manager.api('PATCH', `/api/v1/cases/${c.id}`, { isSensitive: true }), 200) as Case).isSensitive).toBe(true);
    refused(await w.manager.api('POST', `/api/v1/cases/${c.id}/assign`, { assigneeId: w.caseworker.user.id }), 400, 'validation_failed', 'assigneeId');
  });
});

describe('reopenOnMessage', () => {
  it('moves a resolved case back to open, and leaves other cases alone', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const scope = systemScope(ctx.database.db, w.office.id, 'intake');
    expect(await service.reopenOnMessage(scope, c.id)).toEqual({ reopened: false, status: 'new' });
    ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Filled in' }), 200);
    expect(await service.reopenOnMessage(scope, c.id)).toEqual({ reopened: true, status: 'open' });
    const after = await w.read(c.id);
    expect(after).toMatchObject({ status: { key: 'open' }, resolution: null, resolvedAt: null });
    const [latest] = await timelineOf(w.admin.api, c.id);
    expect(latest).toMatchObject({ action: 'reopened', actor: 'intake', after: { reason: 'message', status: 'open' } });
    await expect(service.reopenOnMessage(systemScope(ctx.database.db, (await createOffice(ctx)).id), c.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('permissions', () => {
  it('lets analysts read but not write, and volunteers nothing', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    ok(await w.analyst.api('GET', `/api/v1/cases/${c.id}`), 200);
    refused(await w.analyst.api('PATCH', `/api/v1/cases/${c.id}`, { subject: 'x' }), 403, 'forbidden');
    refused(await w.volunteer.api('GET', `/api/v1/cases/${c.id}`), 403, 'forbidden');
    refused(await w.volunteer.api('GET', '/api/v1/cases'), 403, 'forbidden');
    const manager2 = await staffMember(ctx, w.office, 'manager');
    ok(await manager2.api('GET', `/api/v1/cases/${c.id}`), 200);
  });
});
