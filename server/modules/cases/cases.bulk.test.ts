// Bulk actions: each case checked on its own (visibility, workflow, assignee), the allowed
// ones changed with an audit event each, the refused ones reported with their reason.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkCaseResult, Case } from '../../../contract/cases.js';
import { asToken, createTestApp, tokenFor, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused } from './cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

type Events = { items: { entityId: string; action: string; after: { summary?: string } }[] };

describe('bulk actions', () => {
  it('changes the status of the cases the workflow allows and reports why the others were refused', async () => {
    const w = await casework(ctx);
    const [a, b, closed, sensitive] = await Promise.all([w.open({ subject: 'a' }), w.open({ subject: 'b' }), w.open({ subject: 'closed' }), w.open({ subject: 'secret', isSensitive: true })]);
    ok(await w.admin.api('POST', `/api/v1/cases/${closed.id}/status`, { status: 'closed', resolutionCode: 'withdrawn', resolutionSummary: 'Withdrawn' }), 200);
    const missing = randomUUID();
    const res = ok(await w.caseworker.api('POST', '/api/v1/cases/bulk', { action: 'status', status: 'open', ids: [a.id, closed.id, sensitive.id, b.id, missing, a.id] }), 200) as BulkCaseResult;
    expect([res.succeeded, res.refused]).toEqual([2, 3]);
    expect(res.results).toEqual([
      { id: a.id, ok: true, reference: a.reference, changed: true },
      { id: closed.id, ok: false, code: 'transition_forbidden', field: 'status', reason: expect.stringContaining('Closed') },
      // The caseworker may not see sensitive cases: to them it does not exist.
      { id: sensitive.id, ok: false, code: 'not_found', field: null, reason: expect.any(String) },
      { id: b.id, ok: true, reference: b.reference, changed: true },
      { id: missing, ok: false, code: 'not_found', field: null, reason: expect.any(String) },
    ]);
    for (const c of [a, b]) expect((await w.read(c.id)).status.key).toBe('open');
    expect((await w.read(closed.id)).status.key).toBe('closed');
    expect((await w.read(sensitive.id)).status.key).toBe('new');
    const events = ok(await w.admin.api('GET', '/api/v1/audit?entityType=case&limit=100'), 200) as Events;
    const changed = events.items.filter((e) => e.action === 'status_changed').map((e) => e.entityId);
    expect(changed.sort()).toEqual([a.id, b.id, closed.id].sort()); // closed: by the setup above
    // Resolving in bulk needs the resolution like a single change does.
    const unresolved = ok(await w.caseworker.api('POST', '/api/v1/cases/bulk', { action: 'status', status: 'resolved', ids: [a.id] }), 200) as BulkCaseResult;
    expect(unresolved.results[0]).toMatchObject({ ok: false, code: 'resolution_required', field: 'resolutionCode' });
  });

  it('assigns the cases an assignee may take, and refuses the ones they may not', async () => {
    const w = await casework(ctx);
    const [plain, sensitive] = await Promise.all([w.open(), w.open({ isSensitive: true })]);
    const res = ok(await w.manager.api('POST', '/api/v1/cases/bulk', { action: 'assign', ids: [plain.id, sensitive.id], teamId: w.team.id, assigneeId: w.caseworker.user.id }), 200) as BulkCaseResult;
    expect(res.results).toEqual([
      { id: plain.id, ok: true, reference: plain.reference, changed: true },
      { id: sensitive.id, ok: false, code: 'validation_failed', field: 'assigneeId', reason: expect.stringContaining('sensitive') },
    ]);
    expect((await w.read(plain.id)).assignee?.id).toBe(w.caseworker.user.id);
    expect((await w.read(sensitive.id)).assignee).toBeNull();
    const analyst = ok(await w.admin.api('POST', '/api/v1/cases/bulk', { action: 'assign', ids: [plain.id], assigneeId: w.analyst.user.id, teamId: null }), 200) as BulkCaseResult;
    expect(analyst.results[0]).toMatchObject({ ok: false, code: 'validation_failed', field: 'assigneeId' });
  });

  it('adds a tag, writing nothing for cases that already have it', async () => {
    const w = await casework(ctx);
    const [a, b] = await Promise.all([w.open({ tags: ['flood'] }), w.open({ tags: ['roads'] })]);
    const res = ok(await w.caseworker.api('POST', '/api/v1/cases/bulk', { action: 'addTag', tag: 'flood', ids: [a.id, b.id] }), 200) as BulkCaseResult;
    expect(res.results).toEqual([{ id: a.id, ok: true, reference: a.reference, changed: false }, { id: b.id, ok: true, reference: b.reference, changed: true }]);
    expect(((await w.read(b.id)) as Case).tags).toEqual(['roads', 'flood']);
    const timeline = async (id: string) => (ok(await w.admin.api('GET', `/api/v1/cases/${id}/timeline`), 200) as { items: { action: string }[] }).items.map((e) => e.action);
    expect(await timeline(a.id)).toEqual(['created']);
    expect(await timeline(b.id)).toEqual(['updated', 'created']);
  });

  it('refuses callers without the permission and bad requests as a whole', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    refused(await w.analyst.api('POST', '/api/v1/cases/bulk', { action: 'addTag', tag: 'x', ids: [c.id] }), 403, 'forbidden');
    refused(await w.volunteer.api('POST', '/api/v1/cases/bulk', { action: 'status', status: 'open', ids: [c.id] }), 403, 'forbidden');
    refused(await w.caseworker.api('POST', '/api/v1/cases/bulk', { action: 'status', status: 'open', ids: Array.from({ length: 501 }, () => randomUUID()) }), 400, 'validation_failed', 'ids');
    refused(await w.caseworker.api('POST', '/api/v1/cases/bulk', { action: 'status', status: 'open', ids: [] }), 400, 'validation_failed', 'ids');
    refused(await w.caseworker.api('POST', '/api/v1/cases/bulk', { action: 'archive', ids: [c.id] }), 400, 'validation_failed');
    // A token without case.assign may change statuses in bulk but not assign.
    const narrow = asToken(ctx, await tokenFor(ctx, w.caseworker.user, ['case.read', 'case.write']));
    refused(await narrow('POST', '/api/v1/cases/bulk', { action: 'assign', ids: [c.id], assigneeId: null }), 403, 'forbidden', 'action');
    expect((await w.read(c.id)).status.key).toBe('new');
  });
});
