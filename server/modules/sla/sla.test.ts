import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../../contract/offices.js';
import { asSession, createOffice, createTestApp, createUser, signIn, uniq, type TestContext } from '../../../test/harness.js';
import { defineSlaJobs, SLA_RECOMPUTE_JOB } from './sla.jobs.js';

let ctx: TestContext;
const silent = { info: () => undefined, error: () => undefined };
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  defineSlaJobs(ctx.jobs, ctx.database, silent);
  await ctx.jobs.start({ work: false }); // queues exist, so changes can enqueue; nothing runs them here
});
afterAll(() => ctx.close());

async function setup(role: 'admin' | 'manager' = 'admin', office?: Office) {
  const o = office ?? (await createOffice(ctx));
  const user = await createUser(ctx, o, role);
  return { office: o, user, api: asSession(ctx, await signIn(ctx, user)) };
}

async function categoryOf(officeId: string, opts: { parentId?: string; retired?: boolean } = {}): Promise<string> {
  const row = await ctx.database.db
    .insertInto('categories')
    .values({ office_id: officeId, name: uniq('Category'), parent_id: opts.parentId ?? null, retired: opts.retired ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const events = async (officeId: string, entity: string) =>
  ctx.database.db.selectFrom('events').select(['entity_id', 'action']).where('office_id', '=', officeId).where('entity_type', '=', entity).orderBy('id').execute();

describe('SLA policies', () => {
  it('creates, lists, changes and deletes policies, audits each change and queues the recompute of open cases', async () => {
    const { office, api } = await setup();
    const roads = await categoryOf(office.id);
    const created = await api('POST', '/api/v1/sla/policies', { categoryId: roads, priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 960 });
    expect(created.statusCode, created.body).toBe(201);
    const policy = created.json().policy;
    expect(policy).toMatchObject({ categoryId: roads, categoryName: expect.stringMatching(/^Category/), priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 960, clock: 'business', pauseWhileWaiting: true, warnPercent: 80, warnMinutesBefore: null });
    const job = await ctx.jobs.boss.getJobById(SLA_RECOMPUTE_JOB, created.json().recomputeJobId);
    expect(job?.data).toEqual({ officeId: office.id });
    const fallback = await api('POST', '/api/v1/sla/policies', { categoryId: null, priority: 'high', firstResponseMinutes: 240, resolutionMinutes: 2400, clock: 'calendar', pauseWhileWaiting: false, warnMinutesBefore: 30 });
    expect(fallback.statusCode, fallback.body).toBe(201);

    const list = (await api('GET', '/api/v1/sla/policies')).json().items as { id: string; categoryId: string | null }[];
    expect(list.map((p) => p.categoryId)).toEqual([null, roads]);

    const changed = await api('PATCH', `/api/v1/sla/policies/${policy.id}`, { resolutionMinutes: 1440, warnMinutesBefore: 15 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().policy).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 1440, warnMinutesBefore: 15 });
    expect((await api('PATCH', `/api/v1/sla/policies/${policy.id}`, { warnMinutesBefore: null })).json().policy.warnMinutesBefore).toBeNull();

    expect((await api('DELETE', `/api/v1/sla/policies/${policy.id}`)).statusCode).toBe(200);
    expect((await api('GET', '/api/v1/sla/policies')).json().items).toHaveLength(1);
    expect((await api('DELETE', `/api/v1/sla/policies/${policy.id}`)).statusCode).toBe(404);
    expect((await events(office.id, 'sla_policy')).map((e) => e.action)).toEqual(['created', 'created', 'updated', 'updated', 'deleted']);
  });

  it.each([
    [{ priority: 'high', firstResponseMinutes: 0, resolutionMinutes: 60 }, 'firstResponseMinutes', /more than zero/],
    [{ priority: 'high', firstResponseMinutes: -30, resolutionMinutes: 60 }, 'firstResponseMinutes', /more than zero/],
    [{ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: -1 }, 'resolutionMinutes', /more than zero/],
    [{ priority: 'high', firstResponseMinutes: 1.5, resolutionMinutes: 60 }, 'firstResponseMinutes', /whole number/],
    [{ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 600_000 }, 'resolutionMinutes', /at most a year/],
    [{ priority: 'high', firstResponseMinutes: 120, resolutionMinutes: 60 }, 'resolutionMinutes', /cannot be shorter/],
    [{ priority: 'critical', firstResponseMinutes: 30, resolutionMinutes: 60 }, 'priority', /./],
    [{ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 60, clock: 'lunar' }, 'clock', /./],
    [{ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 60, warnPercent: 100 }, 'warnPercent', /between 1 and 99/],
    [{ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 60, warnMinutesBefore: 30 }, 'warnMinutesBefore', /before the first-response target/],
    [{ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 60, categoryId: 'roads' }, 'categoryId', /./],
    [{ priority: 'high', firstResponseMinutes: 30, resolutionMinutes: 60, escalate: true }, 'escalate', /./],
  ])('refuses %j with 400 naming %s, writing nothing', async (body, field, message) => {
    const { office, api } = await setup();
    const res = await api('POST', '/api/v1/sla/policies', body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'validation_failed', field });
    expect(res.json().detail).toMatch(message);
    expect((await api('GET', '/api/v1/sla/policies')).json().items).toEqual([]);
    expect(await events(office.id, 'sla_policy')).toEqual([]);
  });

  it('refuses a change that would break the rules, keeping the policy as it was', async () => {
    const { api } = await setup();
    const policy = (await api('POST', '/api/v1/sla/policies', { priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 600 })).json().policy;
    for (const [body, field] of [[{ resolutionMinutes: 30 }, 'resolutionMinutes'], [{ firstResponseMinutes: 0 }, 'firstResponseMinutes'], [{ warnMinutesBefore: 90 }, 'warnMinutesBefore'], [{ priority: 'low' }, 'priority']] as const) {
      const res = await api('PATCH', `/api/v1/sla/policies/${policy.id}`, body);
      expect([res.statusCode, res.json().field]).toEqual([400, field]);
    }
    expect((await api('GET', '/api/v1/sla/policies')).json().items).toEqual([policy]);
  });

  it('refuses a second policy for the same category (or default) and priority with 409', async () => {
    const { office, api } = await setup();
    const roads = await categoryOf(office.id);
    for (const categoryId of [roads, null]) {
      expect((await api('POST', '/api/v1/sla/policies', { categoryId, priority: 'urgent', firstResponseMinutes: 15, resolutionMinutes: 240 })).statusCode).toBe(201);
      const again = await api('POST', '/api/v1/sla/policies', { categoryId, priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 480 });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'conflict', field: 'priority', detail: expect.stringMatching(/already an SLA policy/) });
    }
    expect((await api('GET', '/api/v1/sla/policies')).json().items).toHaveLength(2);
  });

  it("refuses an unknown category, a retired one and another office's, naming categoryId", async () => {
    const { office, api } = await setup();
    const other = await createOffice(ctx);
    const cases: [string, RegExp][] = [
      ['0190a8a4-0000-7000-8000-000000000000', /No such category/],
      [await categoryOf(office.id, { retired: true }), /retired/],
      [await categoryOf(other.id), /No such category/],
    ];
    for (const [categoryId, message] of cases) {
      const res = await api('POST', '/api/v1/sla/policies', { categoryId, priority: 'low', firstResponseMinutes: 60, resolutionMinutes: 600 });
      expect([res.statusCode, res.json().code, res.json().field]).toEqual([400, 'validation_failed', 'categoryId']);
      expect(res.json().detail).toMatch(message);
    }
    expect((await api('GET', '/api/v1/sla/policies')).json().items).toEqual([]);
  });

  it('refuses business-time targets in an office without business hours, but takes calendar-time ones', async () => {
    const { api } = await setup();
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect((await api('PATCH', '/api/v1/office', { businessHours: closed })).statusCode).toBe(200);
    const res = await api('POST', '/api/v1/sla/policies', { priority: 'low', firstResponseMinutes: 60, resolutionMinutes: 600 });
    expect([res.statusCode, res.json().field]).toEqual([400, 'clock']);
    expect(res.json().detail).toMatch(/no business hours/);
    expect((await api('POST', '/api/v1/sla/policies', { priority: 'low', firstResponseMinutes: 60, resolutionMinutes: 600, clock: 'calendar' })).statusCode).toBe(201);
  });

  it('lets managers configure SLAs; caseworkers and analysts may only read them', async () => {
    const { office, api: manager } = await setup('manager');
    expect((await manager('POST', '/api/v1/sla/policies', { priority: 'low', firstResponseMinutes: 60, resolutionMinutes: 600 })).statusCode).toBe(201);
    expect((await manager('POST', '/api/v1/sla/holidays', { date: '2027-01-01', name: "New Year's Day" })).statusCode).toBe(201);
    for (const role of ['caseworker', 'analyst'] as const) {
      const api = asSession(ctx, await signIn(ctx, await createUser(ctx, office, role)));
      expect((await api('GET', '/api/v1/sla/policies')).json().items).toHaveLength(1);
      expect((await api('GET', '/api/v1/sla/holidays')).json().items).toHaveLength(1);
      expect((await api('POST', '/api/v1/sla/policies', { priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 600 })).statusCode).toBe(403);
      expect((await api('DELETE', '/api/v1/sla/holidays/2027-01-01')).statusCode).toBe(403);
    }
  });
});

describe('office holidays', () => {
  it('adds, lists by range, refuses duplicates and removes holidays, audited', async () => {
    const { office, api } = await setup();
    const added = await api('POST', '/api/v1/sla/holidays', { date: '2026-12-25', name: 'Christmas Day' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().holiday).toMatchObject({ date: '2026-12-25', name: 'Christmas Day' });
    expect(added.json().recomputeJobId).toEqual(expect.any(String));
    await api('POST', '/api/v1/sla/holidays', { date: '2026-12-28', name: 'Boxing Day (substitute)' });
    await api('POST', '/api/v1/sla/holidays', { date: '2027-01-01', name: "New Year's Day" });
    const dup = await api('POST', '/api/v1/sla/holidays', { date: '2026-12-25', name: 'Again' });
    expect([dup.statusCode, dup.json().field]).toEqual([409, 'date']);
    expect(dup.json().detail).toMatch(/already a holiday \("Christmas Day"\)/);

    const dates = async (q = '') => ((await api('GET', `/api/v1/sla/holidays${q}`)).json().items as { date: string }[]).map((h) => h.date);
    expect(await dates()).toEqual(['2026-12-25', '2026-12-28', '2027-01-01']);
    expect(await dates('?from=2026-12-26&to=2026-12-31')).toEqual(['2026-12-28']);

    expect((await api('DELETE', '/api/v1/sla/holidays/2026-12-28')).json().holiday.name).toBe('Boxing Day (substitute)');
    expect((await api('DELETE', '/api/v1/sla/holidays/2026-12-28')).statusCode).toBe(404);
    expect(await dates()).toEqual(['2026-12-25', '2027-01-01']);
    expect((await events(office.id, 'office_holiday')).map((e) => `${e.action} ${e.entity_id}`)).toEqual(['created 2026-12-25', 'created 2026-12-28', 'created 2027-01-01', 'deleted 2026-12-28']);
  });

  it.each([
    ['POST', '/api/v1/sla/holidays', { date: '2027-02-30', name: 'Nope' }, 'date'],
    ['POST', '/api/v1/sla/holidays', { date: '25/12/2026', name: 'Christmas' }, 'date'],
    ['POST', '/api/v1/sla/holidays', { date: '2026-12-25', name: '  ' }, 'name'],
    ['POST', '/api/v1/sla/holidays/import', { holidays: [] }, 'holidays'],
    ['POST', '/api/v1/sla/holidays/import', { holidays: [{ date: '2027-01-01', name: 'A' }, { date: '2027-13-01', name: 'B' }] }, 'holidays.1.date'],
    ['POST', '/api/v1/sla/holidays/import', { holidays: [{ date: '2027-01-01', name: 'A' }, { date: '2027-01-01', name: 'B' }] }, 'holidays.1.date'],
  ] as const)('refuses %s %s %j naming %s, writing nothing', async (method, url, body, field) => {
    const { office, api } = await setup();
    const res = await api(method, url, body);
    expect([res.statusCode, res.json().code, res.json().field]).toEqual([400, 'validation_failed', field]);
    expect((await api('GET', '/api/v1/sla/holidays')).json().items).toEqual([]);
    expect(await events(office.id, 'office_holiday')).toEqual([]);
  });

  it("imports a year's list, again without change, and replaces a year's holidays when asked", async () => {
    const { api } = await setup();
    await api('POST', '/api/v1/sla/holidays', { date: '2027-06-01', name: 'Office away day' });
    await api('POST', '/api/v1/sla/holidays', { date: '2028-01-03', name: 'Next year' });
    const list = [
      { date: '2027-01-01', name: "New Year's Day" }, { date: '2027-03-26', name: 'Good Friday' }, { date: '2027-12-27', name: 'Christmas Day (substitute)' },
    ];
    const first = await api('POST', '/api/v1/sla/holidays/import', { holidays: list });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ added: 3, renamed: 0, unchanged: 0, removed: 0, recomputeJobId: expect.any(String) });
    expect((await api('POST', '/api/v1/sla/holidays/import', { holidays: list })).json()).toEqual({ added: 0, renamed: 0, unchanged: 3, removed: 0, recomputeJobId: null });

    const replaced = await api('POST', '/api/v1/sla/holidays/import', { holidays: [{ date: '2027-01-01', name: 'New Year' }, { date: '2027-12-28', name: 'Boxing Day (substitute)' }], replaceYears: true });
    expect(replaced.json()).toMatchObject({ added: 1, renamed: 1, unchanged: 0, removed: 3 });
    const all = (await api('GET', '/api/v1/sla/holidays')).json().items.map((h: { date: string; name: string }) => `${h.date} ${h.name}`);
    expect(all).toEqual(['2027-01-01 New Year', '2027-12-28 Boxing Day (substitute)', '2028-01-03 Next year']);
  });
});

describe('tenancy of the lists', () => {
  it("never shows B's policies or holidays to A", async () => {
    const a = await setup();
    const b = await setup();
    expect((await b.api('POST', '/api/v1/sla/policies', { priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 600 })).statusCode).toBe(201);
    expect((await b.api('POST', '/api/v1/sla/holidays', { date: '2027-05-03', name: 'May Day' })).statusCode).toBe(201);
    expect((await b.api('GET', '/api/v1/sla/policies')).json().items).toHaveLength(1);
    expect((await a.api('GET', '/api/v1/sla/policies')).json().items).toEqual([]);
    expect((await a.api('GET', '/api/v1/sla/holidays')).json().items).toEqual([]);
  });
});
