// Automatic assignment through the HTTP API: rules by category (and below) and ward in
// order, the default team, round-robin and least-loaded, away staff skipped, a team with
// nobody available, concurrent creation, the audit trail, and bad input refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentRule, AssignmentSettings, AutoAssignResult } from '../../../contract/assignment.js';
import type { Case, CaseTimelineEntry } from '../../../contract/cases.js';
import { createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, squareWard, staffMember, type Staff } from '../cases/cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

type World = Awaited<ReturnType<typeof casework>>;

async function teamWith(w: World, members: { user: Staff; isManager?: boolean }[]): Promise<string> {
  const t = ok(await w.admin.api('POST', '/api/v1/teams', { name: uniq('Team') }), 201) as { id: string };
  ok(await w.admin.api('PUT', `/api/v1/teams/${t.id}/members`, { members: members.map((m) => ({ userId: m.user.user.id, isManager: m.isManager ?? false })) }), 200);
  return t.id;
}

const category = async (w: World, name: string, parentId: string | null = null) =>
  (ok(await w.admin.api('POST', '/api/v1/case-categories', { name, parentId }), 201) as { id: string }).id;

const rule = async (w: World, body: object) => ok(await w.manager.api('POST', '/api/v1/assignment/rules', body), 201) as AssignmentRule;

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('rules', () => {
  it('sends a case of a sub-category to the rule’s team, round-robin among its members, and the timeline names the rule', async () => {
    const w = await casework(ctx);
    const [a, b] = [await staffMember(ctx, w.office, 'caseworker'), await staffMember(ctx, w.office, 'caseworker')];
    const team = await teamWith(w, [{ user: a }, { user: b }]);
    const streets = await category(w, 'Streets');
    const potholes = await category(w, 'Potholes', streets);
    const r = await rule(w, { name: 'Streets to the street team', categoryId: streets, teamId: team });
    expect(r).toMatchObject({ name: 'Streets to the street team', category: { id: streets, path: ['Streets'] }, ward: null, team: { id: team } });
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await w.open({ categoryId: potholes }, w.caseworker));
    expect(made.map((c) => c.team?.id)).toEqual([team, team, team, team]);
    const who = made.map((c) => c.assignee?.id);
    expect(new Set(who.slice(0, 2))).toEqual(new Set([a.user.id, b.user.id]));
    expect(who.slice(2)).toEqual(who.slice(0, 2)); // the rotation goes round again in the same order
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${made[0]!.id}/timeline`), 200) as { items: CaseTimelineEntry[] }).items;
    const entry = timeline.find((e) => e.action === 'auto_assigned')!;
    expect(entry.summary).toMatch(/^Assigned automatically to .+ by rule “Streets to the street team”$/);
    expect(entry.after).toMatchObject({ rule: { id: r.id, name: 'Streets to the street team' }, reason: 'rule' });
  });

  it('tries rules in order (ward and category), falls back to the default team, and leaves a case unmatched alone', async () => {
    const w = await casework(ctx);
    const ward = await squareWard(w.admin);
    const [a, b, c] = [await staffMember(ctx, w.office, 'caseworker'), await staffMember(ctx, w.office, 'caseworker'), await staffMember(ctx, w.office, 'caseworker')];
    const [wardTeam, catTeam, fallback] = [await teamWith(w, [{ user: a }]), await teamWith(w, [{ user: b }]), await teamWith(w, [{ user: c }])];
    const noise = await category(w, 'Noise');
    const first = await rule(w, { name: 'Noise anywhere', categoryId: noise, teamId: catTeam });
    const second = await rule(w, { name: 'Square ward', wardId: ward, teamId: wardTeam });
    // A noise case in the ward: the first rule wins ...
    expect((await w.open({ categoryId: noise, location: { lat: 0.5, lng: 0.5 } })).assignee?.id).toBe(b.user.id);
    // ... until the ward rule is moved first.
    const order = ok(await w.manager.api('PUT', '/api/v1/assignment/rules/order', { ids: [second.id, first.id] }), 200) as { items: AssignmentRule[] };
    expect(order.items.map((x) => x.id)).toEqual([second.id, first.id]);
    expect((await w.open({ categoryId: noise, location: { lat: 0.5, lng: 0.5 } })).assignee?.id).toBe(a.user.id);
    // Nothing matches: unassigned; with a default team, that team.
    expect(await w.open({})).toMatchObject({ assignee: null, team: null });
    ok(await w.manager.api('PUT', '/api/v1/assignment/default-team', { defaultTeamId: fallback }), 200);
    const fell = await w.open({});
    expect(fell).toMatchObject({ assignee: { id: c.user.id }, team: { id: fallback } });
    // A case opened with an assignee is left as it is.
    expect((await w.open({ categoryId: noise, teamId: w.team.id, assigneeId: w.caseworker.user.id })).assignee?.id).toBe(w.caseworker.user.id);
    const settings = ok(await w.analyst.api('GET', '/api/v1/assignment'), 200) as AssignmentSettings;
    expect(settings.rules.map((x) => x.name)).toEqual(['Square ward', 'Noise anywhere']);
    expect(settings.defaultTeam?.id).toBe(fallback);
  });

  it('picks the least-loaded member when the team says so, ties to whoever waited longest', async () => {
    const w = await casework(ctx);
    const [a, b] = [await staffMember(ctx, w.office, 'caseworker'), await staffMember(ctx, w.office, 'caseworker')];
    const team = await teamWith(w, [{ user: a }, { user: b }]);
    ok(await w.manager.api('PUT', `/api/v1/assignment/teams/${team}`, { strategy: 'least_loaded' }), 200);
    // a already has two open cases, b none
    await w.open({ teamId: team, assigneeId: a.user.id });
    await w.open({ teamId: team, assigneeId: a.user.id });
    const next = await Promise.all([1, 2].map(async () => w.open({ teamId: team })));
    expect(next.map((x) => x.assignee?.id)).toEqual([b.user.id, b.user.id]);
    // 2 each now: the tie goes to a, who has waited longer since an automatic assignment
    expect((await w.open({ teamId: team })).assignee?.id).toBe(a.user.id);
  });

  it('never picks the same person twice for cases opened at the same moment (rotation locked)', async () => {
    const w = await casework(ctx);
    const people = await Promise.all([1, 2, 3].map(() => staffMember(ctx, w.office, 'caseworker')));
    const team = await teamWith(w, people.map((p) => ({ user: p })));
    const made = await Promise.all(Array.from({ length: 9 }, () => w.open({ teamId: team })));
    const counts = new Map<string, number>();
    for (const c of made) counts.set(c.assignee!.id, (counts.get(c.assignee!.id) ?? 0) + 1);
    expect([...counts.values()]).toEqual([3, 3, 3]);
  });
});

describe('who may be picked', () => {
  it('skips people who are away, who cannot work cases, who are disabled, and (for sensitive cases) who may not see them', async () => {
    const w = await casework(ctx);
    const [away, analyst, disabled, caseworker] = [
      await staffMember(ctx, w.office, 'caseworker'), await staffMember(ctx, w.office, 'analyst'), await staffMember(ctx, w.office, 'caseworker'), await staffMember(ctx, w.office, 'caseworker'),
    ];
    const team = await teamWith(w, [{ user: away }, { user: analyst }, { user: disabled }, { user: caseworker }, { user: w.manager }]);
    ok(await away.api('PUT', '/api/v1/account/away', { from: isoDay(-1), until: isoDay(3), note: 'Leave' }), 200);
    ok(await w.admin.api('PATCH', `/api/v1/users/${disabled.user.id}`, { status: 'disabled' }), 200);
    const picked = new Set<string>();
    for (let i = 0; i < 4; i++) picked.add((await w.open({ teamId: team })).assignee!.id);
    expect(picked).toEqual(new Set([caseworker.user.id, w.manager.user.id]));
    // A sensitive case goes to the manager only (caseworkers may not see sensitive cases).
    for (let i = 0; i < 2; i++) expect((await w.open({ teamId: team, isSensitive: true })).assignee?.id).toBe(w.manager.user.id);
    // Back from leave: picked again.
    expect(ok(await away.api('DELETE', '/api/v1/account/away'), 200)).toEqual({ away: null });
    const after = new Set<string>();
    for (let i = 0; i < 3; i++) after.add((await w.open({ teamId: team })).assignee!.id);
    expect(after.has(away.user.id)).toBe(true);
  });

  it('sends the case to the team unassigned and tells its managers when everyone is away', async () => {
    const w = await casework(ctx);
    const member = await staffMember(ctx, w.office, 'caseworker');
    const boss = await staffMember(ctx, w.office, 'manager');
    const team = await teamWith(w, [{ user: member }, { user: boss, isManager: true }]);
    ok(await boss.api('PUT', `/api/v1/users/${member.user.id}/away`, { from: isoDay(0), until: null }), 200);
    ok(await boss.api('PUT', '/api/v1/account/away', { from: isoDay(-2), until: isoDay(0) }), 200);
    const c = await w.open({ teamId: team });
    expect(c).toMatchObject({ team: { id: team }, assignee: null });
    const notes = ok(await boss.api('GET', '/api/v1/notifications'), 200) as { items: { kind: string; caseId: string; body: string }[] };
    expect(notes.items).toEqual([expect.objectContaining({ kind: 'assignment_unstaffed', caseId: c.id, body: expect.stringContaining(c.reference) })]);
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline.find((e) => e.action === 'auto_assigned')?.summary).toMatch(/nobody in the team can take it now/);
  });

  it('reports away periods to the person and to managers, and refuses an end before the start', async () => {
    const w = await casework(ctx);
    const set = ok(await w.caseworker.api('PUT', '/api/v1/account/away', { from: isoDay(5), until: isoDay(9), note: ' Course ' }), 200) as { away: { isAwayNow: boolean; note: string; from: string } };
    expect(set.away).toMatchObject({ isAwayNow: false, note: 'Course', from: isoDay(5) });
    expect(ok(await w.manager.api('GET', `/api/v1/users/${w.caseworker.user.id}/away`), 200)).toMatchObject({ away: { until: isoDay(9) } });
    refused(await w.caseworker.api('PUT', '/api/v1/account/away', { from: isoDay(5), until: isoDay(4) }), 400, 'validation_failed', 'until');
    // A caseworker cannot set someone else's.
    refused(await w.caseworker.api('PUT', `/api/v1/users/${w.manager.user.id}/away`, { from: isoDay(1) }), 403, 'forbidden');
    expect(ok(await w.caseworker.api('GET', '/api/v1/account/away'), 200)).toMatchObject({ away: { from: isoDay(5) } });
  });
});

describe('on demand', () => {
  it('assigns an existing case by the rules and says which rule matched', async () => {
    const w = await casework(ctx);
    const roads = await category(w, 'Roads');
    const c = await w.open({ categoryId: roads });
    expect(c.assignee).toBeNull();
    const r = await rule(w, { name: 'Roads', categoryId: roads, teamId: w.team.id });
    const res = ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/auto-assign`), 200) as AutoAssignResult;
    expect(res.outcome).toMatchObject({ reason: 'rule', rule: { id: r.id }, team: { id: w.team.id } });
    expect([w.caseworker.user.id, w.manager.user.id]).toContain(res.case.assignee?.id);
    const unmatched = await w.open({});
    expect((ok(await w.caseworker.api('POST', `/api/v1/cases/${unmatched.id}/auto-assign`), 200) as AutoAssignResult).outcome).toEqual({ reason: 'no_match', rule: null, team: null, assignee: null });
  });
});

describe('bad input', () => {
  it('refuses rules naming another office’s team, a missing or retired target, unknown strategies and a partial reorder, writing nothing', async () => {
    const w = await casework(ctx);
    const other = await casework(ctx);
    const roads = await category(w, 'Roads');
    refused(await w.manager.api('POST', '/api/v1/assignment/rules', { name: 'Stolen', categoryId: roads, teamId: other.team.id }), 400, 'validation_failed', 'teamId');
    refused(await w.manager.api('POST', '/api/v1/assignment/rules', { name: 'Nowhere', teamId: w.team.id }), 400, 'validation_failed', 'categoryId');
    refused(await w.manager.api('POST', '/api/v1/assignment/rules', { name: 'Ward of B', wardId: await squareWard(other.admin), teamId: w.team.id }), 400, 'validation_failed', 'wardId');
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${roads}`, { retired: true }), 200);
    refused(await w.manager.api('POST', '/api/v1/assignment/rules', { name: 'Retired', categoryId: roads, teamId: w.team.id }), 400, 'validation_failed', 'categoryId');
    refused(await w.manager.api('PUT', `/api/v1/assignment/teams/${w.team.id}`, { strategy: 'random' }), 400, 'validation_failed', 'strategy');
    refused(await w.manager.api('PUT', `/api/v1/assignment/teams/${other.team.id}`, { strategy: 'least_loaded' }), 404, 'not_found');
    refused(await w.manager.api('PUT', '/api/v1/assignment/default-team', { defaultTeamId: other.team.id }), 400, 'validation_failed', 'defaultTeamId');
    const live = await category(w, 'Noise');
    const r = await rule(w, { name: 'Noise', categoryId: live, teamId: w.team.id });
    await rule(w, { name: 'Noise again', categoryId: live, teamId: w.team.id });
    refused(await w.manager.api('PUT', '/api/v1/assignment/rules/order', { ids: [r.id] }), 400, 'validation_failed', 'ids');
    refused(await w.manager.api('PATCH', `/api/v1/assignment/rules/${r.id}`, { categoryId: null }), 400, 'validation_failed', 'categoryId');
    refused(await w.caseworker.api('POST', '/api/v1/assignment/rules', { name: 'Mine', categoryId: live, teamId: w.team.id }), 403, 'forbidden');
    const s = ok(await w.admin.api('GET', '/api/v1/assignment'), 200) as AssignmentSettings;
    expect(s.rules.map((x) => x.name)).toEqual(['Noise', 'Noise again']);
    expect(s.defaultTeam).toBeNull();
    expect(s.teams.find((t) => t.team.id === w.team.id)?.strategy).toBe('round_robin');
    ok(await w.manager.api('DELETE', `/api/v1/assignment/rules/${r.id}`), 204);
    expect((ok(await w.admin.api('GET', '/api/v1/assignment'), 200) as AssignmentSettings).rules.map((x) => x.name)).toEqual(['Noise again']);
  });

  it('does not see or change another office’s case', async () => {
    const w = await casework(ctx);
    const other = await casework(ctx);
    const theirs: Case = await other.open({});
    refused(await w.caseworker.api('POST', `/api/v1/cases/${theirs.id}/auto-assign`), 404, 'not_found');
    expect((await other.read(theirs.id)).assignee).toBeNull();
  });
});

describe('taxonomy changes', () => {
  it('moves a rule to the category its category was merged into, so its cases keep matching', async () => {
    const w = await casework(ctx);
    const [old, kept] = [await category(w, 'Lamps'), await category(w, 'Lighting')];
    const r = await rule(w, { name: 'Lamps', categoryId: old, teamId: w.team.id });
    ok(await w.admin.api('POST', `/api/v1/case-categories/${old}/merge`, { intoId: kept }), 200);
    const s = ok(await w.admin.api('GET', '/api/v1/assignment'), 200) as AssignmentSettings;
    expect(s.rules.find((x) => x.id === r.id)?.category?.id).toBe(kept);
    expect((await w.open({ categoryId: kept })).team?.id).toBe(w.team.id);
  });
});
