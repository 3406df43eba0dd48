// SLA wired into casework: due times on create and on the case page and list, the clock
// pausing while waiting on the resident (statuses with pausesSla), recomputes on priority
// changes, resolve and reopen, the overdue filter (served by cases_overdue) and the sort by
// resolution due time, and the recompute queued when the office's calendar changes.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseSummary, Workflow } from '../../../contract/cases.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { defineSlaJobs, recomputeOpenCases } from '../sla/sla.jobs.js';
import { casework, ok, refused, type Staff } from './cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  defineSlaJobs(ctx.jobs, ctx.database, { info: () => undefined, error: () => undefined });
  await ctx.jobs.start({ work: false }); // queues exist, so changes can enqueue; nothing runs them here
});
afterAll(() => ctx.close());

const MIN = 60_000;
const ms = (iso: string | null) => (iso ? new Date(iso).getTime() : null);

/** Calendar-time policies (deterministic whatever the hour): normal 60/600 min, urgent 10/120 min. */
async function policies(admin: Staff): Promise<void> {
  ok(await admin.api('POST', '/api/v1/sla/policies', { priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 600, clock: 'calendar' }), 201);
  ok(await admin.api('POST', '/api/v1/sla/policies', { priority: 'urgent', firstResponseMinutes: 10, resolutionMinutes: 120, clock: 'calendar' }), 201);
}

const setStatus = (as: Staff, id: string, body: object) => as.api('POST', `/api/v1/cases/${id}/status`, body);
const list = async (as: Staff, query: string) => ok(await as.api('GET', `/api/v1/cases?${query}`), 200) as { items: CaseSummary[]; nextCursor: string | null };

describe('due times', () => {
  it('appear on create, on the case page and in list rows, and follow a change of priority', async () => {
    const w = await casework(ctx);
    await policies(w.admin);
    const c = await w.open({ priority: 'normal' });
    const created = ms(c.createdAt)!;
    expect(c.sla).toMatchObject({ policyId: expect.any(String), pausedAt: null, pausedMinutes: 0, firstRespondedAt: null });
    expect([ms(c.sla.firstResponseDueAt), ms(c.sla.resolutionDueAt)]).toEqual([created + 60 * MIN, created + 600 * MIN]);
    expect((await w.read(c.id)).sla).toEqual(c.sla);
    const row = (await list(w.caseworker, '')).items.find((x) => x.id === c.id)!;
    expect([row.firstResponseDueAt, row.resolutionDueAt, row.isOverdue]).toEqual([c.sla.firstResponseDueAt, c.sla.resolutionDueAt, false]);

    const urgent = ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { priority: 'urgent' }), 200) as Case;
    expect([ms(urgent.sla.firstResponseDueAt), ms(urgent.sla.resolutionDueAt)]).toEqual([created + 10 * MIN, created + 120 * MIN]);
    // No policy for "low": the case has no due times.
    const low = ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { priority: 'low' }), 200) as Case;
    expect(low.sla).toMatchObject({ policyId: null, firstResponseDueAt: null, resolutionDueAt: null });
  });
});

describe('pausing the clock', () => {
  it('stops the clock while waiting on the resident and moves the due times by the time waited; waiting on an agency does not', async () => {
    const w = await casework(ctx);
    await policies(w.admin);
    const c = await w.open();

    const agency = ok(await setStatus(w.caseworker, c.id, { status: 'waiting_on_agency' }), 200) as Case;
    expect(agency.sla).toMatchObject({ pausedAt: null, resolutionDueAt: c.sla.resolutionDueAt });

    const waiting = ok(await setStatus(w.caseworker, c.id, { status: 'waiting_on_resident' }), 200) as Case;
    expect(waiting.sla.pausedAt).not.toBeNull();
    expect(waiting.sla.resolutionDueAt).toBeNull(); // no due time while the clock stands still
    // Opened three hours ago and waiting for two, as if time had passed.
    await sql`UPDATE cases SET created_at = created_at - interval '3 hours' WHERE office_id = ${w.office.id} AND id = ${c.id}`.execute(ctx.database.db);
    await sql`UPDATE case_sla_pauses SET paused_at = paused_at - interval '2 hours' WHERE office_id = ${w.office.id} AND case_id = ${c.id}`.execute(ctx.database.db);
    const due = ms(c.createdAt)! - 180 * MIN + 600 * MIN; // without the pause

    const back = ok(await setStatus(w.caseworker, c.id, { status: 'open' }), 200) as Case;
    expect(back.sla.pausedAt).toBeNull();
    expect(back.sla.pausedMinutes).toBeGreaterThanOrEqual(120);
    expect(ms(back.sla.resolutionDueAt)! - due).toBeGreaterThanOrEqual(120 * MIN);
    expect(ms(back.sla.resolutionDueAt)! - due).toBeLessThan(125 * MIN);
    const pauses = await ctx.database.db.selectFrom('case_sla_pauses').select(['resumed_at']).where('office_id', '=', w.office.id).where('case_id', '=', c.id).execute();
    expect(pauses.map((p) => p.resumed_at !== null)).toEqual([true]);
  });

  it('lets admins choose which statuses pause the clock, only among open and waiting ones', async () => {
    const w = await casework(ctx);
    await policies(w.admin);
    const wf = ok(await w.caseworker.api('GET', '/api/v1/case-workflow'), 200) as Workflow;
    expect(Object.fromEntries(wf.statuses.map((s) => [s.key, s.pausesSla]))).toEqual({ new: false, open: false, waiting_on_resident: true, waiting_on_agency: false, resolved: false, closed: false });

    const changed = ok(await w.admin.api('PATCH', '/api/v1/case-workflow/statuses/waiting_on_agency', { pausesSla: true }), 200) as Workflow;
    expect(changed.statuses.find((s) => s.key === 'waiting_on_agency')!.pausesSla).toBe(true);
    const c = await w.open();
    expect((ok(await setStatus(w.caseworker, c.id, { status: 'waiting_on_agency' }), 200) as Case).sla.pausedAt).not.toBeNull();
    // From one pausing status to another, the clock stays stopped.
    expect((ok(await setStatus(w.caseworker, c.id, { status: 'waiting_on_resident' }), 200) as Case).sla.pausedAt).not.toBeNull();
    // Resolving ends the pause.
    const resolved = ok(await setStatus(w.caseworker, c.id, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Fixed' }), 200) as Case;
    expect(resolved.sla.pausedAt).toBeNull();

    const created = ok(await w.admin.api('POST', '/api/v1/case-workflow/statuses', { key: 'on_hold', label: 'On hold', category: 'waiting', pausesSla: true }), 201) as Workflow;
    expect(created.statuses.find((s) => s.key === 'on_hold')!.pausesSla).toBe(true);
    refused(await w.admin.api('PATCH', '/api/v1/case-workflow/statuses/resolved', { pausesSla: true }), 400, 'validation_failed', 'pausesSla');
    refused(await w.admin.api('POST', '/api/v1/case-workflow/statuses', { key: 'done_paused', label: 'Done', category: 'closed', pausesSla: true }), 400, 'validation_failed', 'pausesSla');
    expect((await w.caseworker.api('PATCH', '/api/v1/case-workflow/statuses/open', { pausesSla: true })).statusCode).toBe(403);
  });
});

describe('overdue', () => {
  it('finds open cases whose first response (not yet given) or resolution is past due, through the cases_overdue index', async () => {
    const w = await casework(ctx);
    await policies(w.admin);
    const [late, veryLate, onTime, answered, resolved] = await Promise.all([w.open({ subject: 'late' }), w.open({ subject: 'very late' }), w.open({ subject: 'on time' }), w.open({ subject: 'answered' }), w.open({ subject: 'resolved' })]);
    const set = (id: string, values: Record<string, Date | null>) => ctx.database.db.updateTable('cases').set(values).where('office_id', '=', w.office.id).where('id', '=', id).execute();
    const ago = (minutes: number) => new Date(Date.now() - minutes * MIN);
    await set(late.id, { first_response_due_at: ago(5) });
    await set(veryLate.id, { first_response_due_at: ago(600), resolution_due_at: ago(60) });
    await set(answered.id, { first_response_due_at: ago(30), first_responded_at: ago(40) });
    ok(await setStatus(w.caseworker, resolved.id, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Done' }), 200);
    await set(resolved.id, { first_response_due_at: ago(600), resolution_due_at: ago(60) });

    const overdue = await list(w.caseworker, 'overdue=true');
    expect(overdue.items.map((c) => c.subject).sort()).toEqual(['late', 'very late']);
    expect(overdue.items.every((c) => c.isOverdue)).toBe(true);
    expect((await list(w.caseworker, 'overdue=false')).items).toHaveLength(5);
    expect((await list(w.caseworker, 'overdue=true&priority=urgent')).items).toEqual([]);
    const all = (await list(w.caseworker, '')).items;
    expect(all.filter((c) => c.isOverdue).map((c) => c.id).sort()).toEqual([late.id, veryLate.id].sort());
    expect(all.find((c) => c.id === onTime.id)!.isOverdue).toBe(false);
    refused(await w.caseworker.api('GET', '/api/v1/cases?overdue=yes'), 400, 'validation_failed', 'overdue');

    // With many closed cases, the planner answers the filter from the partial expression index.
    await sql`INSERT INTO cases (office_id, reference, subject, channel, status, resolved_at, closed_at)
      SELECT ${w.office.id}, 'X-' || g, 'old', 'phone', 'closed', now(), now() FROM generate_series(1, 3000) g`.execute(ctx.database.db);
    await sql`ANALYZE cases`.execute(ctx.database.db);
    const plan = await ctx.database.db.transaction().execute(async (trx) => {
      return (await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id FROM cases c WHERE c.office_id = ${w.office.id} AND c.resolved_at IS NULL AND c.closed_at IS NULL
        AND least(CASE WHEN c.first_responded_at IS NULL THEN c.first_response_due_at END, c.resolution_due_at) < now()`.execute(trx)).rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('cases_overdue');
  });

  it('sorts by resolution due time, cases without one last, and pages through all of them', async () => {
    const w = await casework(ctx);
    await policies(w.admin);
    const normal = await w.open({ subject: 'normal' });
    const urgent = await w.open({ subject: 'urgent', priority: 'urgent' });
    const none = await w.open({ subject: 'no policy', priority: 'low' });
    const paused = await w.open({ subject: 'paused' });
    ok(await setStatus(w.caseworker, paused.id, { status: 'waiting_on_resident' }), 200);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const p: { items: CaseSummary[]; nextCursor: string | null } = await list(w.caseworker, `sort=resolution_due&order=asc&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...p.items.map((c) => c.subject));
      cursor = p.nextCursor;
      if (!cursor) break;
    }
    expect(seen.slice(0, 2)).toEqual(['urgent', 'normal']);
    expect(seen.slice(2).sort()).toEqual(['no policy', 'paused']);
    const desc = (await list(w.caseworker, 'sort=resolution_due&order=desc')).items.map((c) => c.id);
    expect(desc.slice(2)).toEqual([normal.id, urgent.id]);
    expect(desc.slice(0, 2).sort()).toEqual([none.id, paused.id].sort());
  });
});

describe('a status that starts or stops pausing the clock', () => {
  it('pauses the open cases already in it, and resumes them when it stops, through the queued recompute', async () => {
    const w = await casework(ctx);
    await policies(w.admin);
    const c = await w.open({ priority: 'normal' });
    const inStatus = ok(await setStatus(w.caseworker, c.id, { status: 'waiting_on_agency' }), 200) as Case;
    expect(inStatus.sla.pausedAt).toBeNull();
    const queued = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sla.recompute' AND data->>'officeId' = ${w.office.id}`.execute(ctx.database.db)).rows[0]!.n);
    const before = await queued(); // the policies queued theirs
    ok(await w.admin.api('PATCH', '/api/v1/case-workflow/statuses/waiting_on_agency', { label: 'Waiting on an agency' }), 200);
    expect(await queued()).toBe(before); // a new label changes no clock
    ok(await w.admin.api('PATCH', '/api/v1/case-workflow/statuses/waiting_on_agency', { pausesSla: true }), 200);
    expect(await queued()).toBe(before + 1);
    expect(await recomputeOpenCases(ctx.database, w.office.id)).toBe(1);
    const paused = await w.read(c.id);
    expect(paused.sla.pausedAt).not.toBeNull();
    expect(paused.sla.resolutionDueAt).toBeNull();
    // Running it again changes nothing (no second pause).
    await recomputeOpenCases(ctx.database, w.office.id);
    expect((await w.read(c.id)).sla.pausedAt).toBe(paused.sla.pausedAt);
    ok(await w.admin.api('PATCH', '/api/v1/case-workflow/statuses/waiting_on_agency', { pausesSla: false }), 200);
    expect(await queued()).toBe(before + 2);
    await recomputeOpenCases(ctx.database, w.office.id);
    const resumed = await w.read(c.id);
    expect(resumed.sla.pausedAt).toBeNull();
    expect(resumed.sla.resolutionDueAt).not.toBeNull();
  });
});

describe('office calendar', () => {
  it('queues the recompute of due times when business hours or the time zone change, not for other settings', async () => {
    const w = await casework(ctx);
    const queued = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sla.recompute' AND data->>'officeId' = ${w.office.id}`.execute(ctx.database.db)).rows[0]!.n);
    ok(await w.admin.api('PATCH', '/api/v1/office', { name: 'Renamed office' }), 200);
    expect(await queued()).toBe(0);
    ok(await w.admin.api('PATCH', '/api/v1/office', { timeZone: 'America/New_York' }), 200);
    expect(await queued()).toBe(1);
  });

  it('queues the recompute when a category is merged or moved (policies follow the nearest ancestor), not when renamed', async () => {
    const w = await casework(ctx);
    const queued = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sla.recompute' AND data->>'officeId' = ${w.office.id}`.execute(ctx.database.db)).rows[0]!.n);
    const add = async (body: object) => ok(await w.admin.api('POST', '/api/v1/case-categories', body), 201) as { id: string };
    const [roads, parks, potholes] = [await add({ name: 'Roads' }), await add({ name: 'Parks' }), await add({ name: 'Potholes' })];
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${potholes.id}`, { name: 'Pot holes' }), 200);
    expect(await queued()).toBe(0);
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${potholes.id}`, { parentId: roads.id }), 200);
    expect(await queued()).toBe(1);
    ok(await w.admin.api('POST', `/api/v1/case-categories/${parks.id}/merge`, { intoId: roads.id }), 200);
    expect(await queued()).toBe(2);
  });
});
