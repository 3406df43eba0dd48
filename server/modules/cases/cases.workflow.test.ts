// The workflow: default statuses and transitions, resolution rules, forbidden moves refused
// with a reason and nothing written, and admins extending the workflow per office.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseStatus, CaseTimelineEntry, Workflow } from '../../../contract/cases.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused } from './cases.testkit.js';
import { decideTransition, type TransitionFacts } from './cases.workflow.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

describe('decideTransition', () => {
  const status = (key: string, category: CaseStatus['category'], extra: Partial<CaseStatus> = {}): CaseStatus => ({ key, label: key, category, position: 0, isInitial: false, retired: false, pausesSla: false, ...extra });
  const statuses = [status('open', 'open'), status('waiting', 'waiting'), status('resolved', 'resolved'), status('closed', 'closed'), status('old', 'open', { retired: true })];
  const facts = (from: string, allowed: string[], resolution: TransitionFacts['resolution'] = null): TransitionFacts => ({
    from: statuses.find((s) => s.key === from)!, resolution, statuses, allowed,
    codes: [{ code: 'fixed', label: 'Fixed', position: 0, retired: false }, { code: 'gone', label: 'Gone', position: 1, retired: true }],
  });

  it('allows listed transitions and carries the resolution', () => {
    expect(decideTransition(facts('open', ['waiting']), { to: 'waiting' })).toMatchObject({ to: { key: 'waiting' }, resolution: null });
    expect(decideTransition(facts('open', ['resolved']), { to: 'resolved', resolutionCode: 'fixed', resolutionSummary: 'Done' }).resolution).toEqual({ code: 'fixed', summary: 'Done' });
    // resolved → closed keeps the resolution the case already has
    expect(decideTransition(facts('resolved', ['closed'], { code: 'fixed', summary: 'Done' }), { to: 'closed' }).resolution).toEqual({ code: 'fixed', summary: 'Done' });
  });

  it('refuses with a code and field for each kind of mistake', () => {
    const cases: [TransitionFacts, Parameters<typeof decideTransition>[1], string, string][] = [
      [facts('open', ['waiting']), { to: 'resolved', resolutionCode: 'fixed', resolutionSummary: 'x' }, 'transition_forbidden', 'status'],
      [facts('open', ['waiting']), { to: 'open' }, 'transition_forbidden', 'status'],
      [facts('open', ['old']), { to: 'old' }, 'validation_failed', 'status'],
      [facts('open', ['waiting']), { to: 'nowhere' }, 'validation_failed', 'status'],
      [facts('open', ['resolved']), { to: 'resolved' }, 'resolution_required', 'resolutionCode'],
      [facts('open', ['resolved']), { to: 'resolved', resolutionCode: 'fixed' }, 'resolution_required', 'resolutionSummary'],
      [facts('open', ['closed']), { to: 'closed', resolutionSummary: 'x' }, 'resolution_required', 'resolutionCode'],
      [facts('open', ['resolved']), { to: 'resolved', resolutionCode: 'nope', resolutionSummary: 'x' }, 'validation_failed', 'resolutionCode'],
      [facts('open', ['resolved']), { to: 'resolved', resolutionCode: 'gone', resolutionSummary: 'x' }, 'validation_failed', 'resolutionCode'],
      [facts('open', ['waiting']), { to: 'waiting', resolutionCode: 'fixed' }, 'validation_failed', 'resolutionCode'],
    ];
    for (const [f, req, code, field] of cases) {
      let thrown: unknown;
      try {
        decideTransition(f, req);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `${f.from.key} → ${req.to}`).toMatchObject({ code, field });
    }
  });
});

async function openCases(w: Awaited<ReturnType<typeof casework>>): Promise<number | undefined> {
  const list = ok(await w.admin.api('GET', '/api/v1/constituents?limit=200'), 200) as { items: { id: string; openCases: number }[] };
  return list.items.find((x) => x.id === w.person.id)?.openCases;
}

describe('status changes through the API', () => {
  it('follows the default workflow to resolved and closed, stamping times and recording each step', async () => {
    const w = await casework(ctx);
    const c = await w.open({ constituents: [{ constituentId: w.person.id }] });
    expect(await openCases(w)).toBe(1);
    const move = async (body: object) => ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, body), 200) as Case;
    expect((await move({ status: 'open' })).status).toEqual({ key: 'open', label: 'Open', category: 'open' });
    expect((await move({ status: 'waiting_on_agency', comment: 'Asked highways' })).status.category).toBe('waiting');
    const resolved = await move({ status: 'resolved', resolutionCode: 'referred', resolutionSummary: 'Highways will fill it next week' });
    expect(resolved).toMatchObject({ status: { key: 'resolved' }, resolution: { code: 'referred', label: 'Referred to another body', summary: 'Highways will fill it next week' }, closedAt: null });
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.nextStatuses.map((s) => [s.key, s.needsResolution])).toEqual([['open', false], ['closed', false]]);
    const closed = await move({ status: 'closed' });
    expect(closed).toMatchObject({ status: { key: 'closed' }, resolution: { code: 'referred' }, resolvedAt: resolved.resolvedAt, nextStatuses: [] });
    expect(closed.closedAt).not.toBeNull();
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline.map((e) => e.summary)).toEqual([
      'Status: Resolved → Closed',
      'Status: Waiting on agency → Resolved (Referred to another body)',
      'Status: Open → Waiting on agency',
      'Status: New → Open',
      `Case ${c.reference} opened: ${c.subject}`,
    ]);
    expect(timeline[2]!.after).toMatchObject({ comment: 'Asked highways' });
    // The requester's open-case count follows the status (the registry reads resolved_at / closed_at).
    expect(await openCases(w)).toBe(0);
  });

  it('refuses forbidden transitions and resolving without a code with a clear reason, changing nothing', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const move = (body: object) => w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, body);
    ok(await move({ status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Fixed' }), 200);
    ok(await move({ status: 'closed' }), 200);
    const closed = await w.read(c.id);
    const events = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline`), 200) as { items: unknown[] }).items.length;
    const body = refused(await move({ status: 'open' }), 409, 'transition_forbidden', 'status') as { detail: string; from?: string; allowed?: string[] };
    expect(body.detail).toMatch(/does not allow Closed → Open/);
    expect(body).toMatchObject({ from: 'closed', to: 'open', allowed: [] });
    refused(await move({ status: 'closed' }), 409, 'transition_forbidden', 'status');
    refused(await move({ status: 'nowhere' }), 400, 'validation_failed', 'status');

    const d = await w.open();
    const moveD = (body: object) => w.caseworker.api('POST', `/api/v1/cases/${d.id}/status`, body);
    expect(refused(await moveD({ status: 'resolved' }), 422, 'resolution_required', 'resolutionCode').detail).toMatch(/resolution code/);
    refused(await moveD({ status: 'resolved', resolutionCode: 'resolved' }), 422, 'resolution_required', 'resolutionSummary');
    refused(await moveD({ status: 'closed', resolutionSummary: 'Spam' }), 422, 'resolution_required', 'resolutionCode');
    refused(await moveD({ status: 'resolved', resolutionCode: 'made_up', resolutionSummary: 'x' }), 400, 'validation_failed', 'resolutionCode');
    refused(await moveD({ status: 'open', resolutionCode: 'resolved' }), 400, 'validation_failed', 'resolutionCode');

    expect(await w.read(c.id)).toEqual(closed);
    expect((await w.read(d.id)).status.key).toBe('new');
    expect((ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline`), 200) as { items: unknown[] }).items).toHaveLength(events);
  });
});

describe('configuring the workflow', () => {
  it('starts every office with the defaults', async () => {
    const w = await casework(ctx);
    const wf = ok(await w.analyst.api('GET', '/api/v1/case-workflow'), 200) as Workflow;
    expect(wf.statuses.map((s) => [s.key, s.category, s.isInitial])).toEqual([
      ['new', 'open', true], ['open', 'open', false], ['waiting_on_resident', 'waiting', false], ['waiting_on_agency', 'waiting', false],
      ['resolved', 'resolved', false], ['closed', 'closed', false],
    ]);
    expect(wf.transitions).toContainEqual({ from: 'resolved', to: 'open' });
    expect(wf.transitions.filter((t) => t.from === 'closed')).toEqual([]);
    expect(wf.resolutionCodes.map((r) => r.code)).toContain('duplicate');
  });

  it('lets admins add a status and its transitions, which cases then follow', async () => {
    const w = await casework(ctx);
    const other = await casework(ctx);
    const added = ok(await w.manager.api('POST', '/api/v1/case-workflow/statuses', { key: 'with_councillor', label: 'With the councillor', category: 'waiting', position: 35 }), 201) as Workflow;
    expect(added.statuses.map((s) => s.key)).toContain('with_councillor');
    const current = added.transitions;
    ok(await w.manager.api('PUT', '/api/v1/case-workflow/transitions', { transitions: [...current, { from: 'open', to: 'with_councillor' }, { from: 'with_councillor', to: 'open' }] }), 200);
    ok(await w.manager.api('POST', '/api/v1/case-workflow/resolution-codes', { code: 'councillor_letter', label: 'Councillor wrote to the agency' }), 201);
    const c = await w.open();
    refused(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'with_councillor' }), 409, 'transition_forbidden');
    ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'open' }), 200);
    expect((ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'with_councillor' }), 200) as Case).status).toEqual({ key: 'with_councillor', label: 'With the councillor', category: 'waiting' });
    // Another office's workflow is untouched.
    const theirs = ok(await other.admin.api('GET', '/api/v1/case-workflow'), 200) as Workflow;
    expect(theirs.statuses.map((s) => s.key)).not.toContain('with_councillor');
    expect(theirs.resolutionCodes.map((s) => s.code)).not.toContain('councillor_letter');
    // Retired statuses cannot be entered; the initial one cannot be retired.
    ok(await w.manager.api('PATCH', '/api/v1/case-workflow/statuses/waiting_on_agency', { retired: true, label: 'Waiting (agency)' }), 200);
    refused(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'waiting_on_agency' }), 400, 'validation_failed', 'status');
    refused(await w.manager.api('PATCH', '/api/v1/case-workflow/statuses/new', { retired: true }), 400, 'validation_failed', 'retired');
    ok(await w.manager.api('PATCH', '/api/v1/case-workflow/resolution-codes/councillor_letter', { retired: true }), 200);
    ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'open' }), 200);
    refused(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'resolved', resolutionCode: 'councillor_letter', resolutionSummary: 'x' }), 400, 'validation_failed', 'resolutionCode');
  });

  it('refuses bad workflow settings', async () => {
    const w = await casework(ctx);
    const before = ok(await w.admin.api('GET', '/api/v1/case-workflow'), 200);
    refused(await w.admin.api('POST', '/api/v1/case-workflow/statuses', { key: 'new', label: 'Again', category: 'open' }), 409, 'conflict', 'key');
    refused(await w.admin.api('POST', '/api/v1/case-workflow/statuses', { key: 'Bad Key', label: 'x', category: 'open' }), 400, 'validation_failed', 'key');
    refused(await w.admin.api('POST', '/api/v1/case-workflow/statuses', { key: 'limbo', label: 'x', category: 'limbo' }), 400, 'validation_failed', 'category');
    refused(await w.admin.api('PUT', '/api/v1/case-workflow/transitions', { transitions: [{ from: 'new', to: 'open' }, { from: 'new', to: 'ghost' }] }), 400, 'validation_failed', 'transitions.1.to');
    refused(await w.admin.api('PUT', '/api/v1/case-workflow/transitions', { transitions: [{ from: 'open', to: 'open' }] }), 400, 'validation_failed', 'transitions.0.to');
    refused(await w.admin.api('POST', '/api/v1/case-workflow/resolution-codes', { code: 'duplicate', label: 'x' }), 409, 'conflict', 'code');
    refused(await w.admin.api('PATCH', '/api/v1/case-workflow/statuses/ghost', { label: 'x' }), 404, 'not_found');
    refused(await w.caseworker.api('POST', '/api/v1/case-workflow/statuses', { key: 'mine', label: 'x', category: 'open' }), 403, 'forbidden');
    expect(ok(await w.admin.api('GET', '/api/v1/case-workflow'), 200)).toEqual(before);
  });
});
