// Every figure checked against a small dataset whose answers are worked out by hand below.
// Cases are written directly into the cases table (the casework service always stamps "now",
// and these need past creation, response and resolution times); the triggers and the refresh
// see them exactly as they see cases written by the services. Inbound items, triage
// decisions, ratings and filing events are written directly for the same reason.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../../contract/offices.js';
import type { Performance } from '../../../contract/insights.js';
import { createConstituent, createOffice, createTestApp, createUser, uniq, type TestContext } from '../../../test/harness.js';
import { systemScope } from '../../platform/scope.js';
import { sql } from 'kysely';
import { binOf } from './insights.histogram.js';
import * as repo from './insights.repo.js';
import { SQL_BIN } from './insights.repo.js';
import * as service from './insights.service.js';
import { FRESHEN_LIMIT } from './insights.service.js';
import { LATE_COMMIT_MS, refreshAll } from './insights.refresh.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());
afterEach(() => {
  service.insightOptions.exactLimit = 50_000;
});

const db = () => ctx.database.db;
const scopeOf = (office: Office) => systemScope(db(), office.id, 'test');
const at = (iso: string) => new Date(iso);

async function category(officeId: string, name: string, parentId: string | null = null): Promise<string> {
  return (await db().insertInto('categories').values({ office_id: officeId, name, parent_id: parentId }).returning('id').executeTakeFirstOrThrow()).id;
}
async function team(officeId: string, name: string): Promise<string> {
  return (await db().insertInto('teams').values({ office_id: officeId, name }).returning('id').executeTakeFirstOrThrow()).id;
}
async function ward(officeId: string, name: string): Promise<string> {
  const geometry = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
  return (await db().insertInto('boundaries').values({
    office_id: officeId, layer: 'ward', code: uniq('W'), name, geometry: JSON.stringify(geometry), min_lng: 0, min_lat: 0, max_lng: 1, max_lat: 1,
  }).returning('id').executeTakeFirstOrThrow()).id;
}

type CaseSpec = {
  createdAt: string; categoryId?: string | null; teamId?: string | null; assigneeId?: string | null; channel?: string; wardId?: string | null; requesterId?: string | null;
  firstRespondedAt?: string; resolvedAt?: string; firstResponseDueAt?: string; resolutionDueAt?: string;
};
async function kase(officeId: string, c: CaseSpec): Promise<string> {
  return (await db().insertInto('cases').values({
    office_id: officeId, reference: uniq('C'), subject: 'Case', channel: c.channel ?? 'phone', status: c.resolvedAt ? 'resolved' : 'open',
    category_id: c.categoryId ?? null, team_id: c.teamId ?? null, assignee_id: c.assigneeId ?? null, ward_id: c.wardId ?? null, requester_id: c.requesterId ?? null,
    created_at: at(c.createdAt), first_responded_at: c.firstRespondedAt ? at(c.firstRespondedAt) : null, resolved_at: c.resolvedAt ? at(c.resolvedAt) : null,
    first_response_due_at: c.firstResponseDueAt ? at(c.firstResponseDueAt) : null, resolution_due_at: c.resolutionDueAt ? at(c.resolutionDueAt) : null,
  }).returning('id').executeTakeFirstOrThrow()).id;
}
const rate = (officeId: string, caseId: string, score: number, ratedAt: string) =>
  db().insertInto('case_ratings').values({ office_id: officeId, case_id: caseId, score, rated_at: at(ratedAt) }).execute();

async function item(officeId: string, channel: string, receivedAt: string): Promise<string> {
  return (await db().insertInto('inbound_items').values({
    office_id: officeId, channel, source: 'test', idempotency_key: uniq('k'), raw: Buffer.from('x'), raw_type: 'text/plain', raw_size: 1, received_at: at(receivedAt), status: 'new',
  }).returning('id').executeTakeFirstOrThrow()).id;
}

/**
 * The Europe/London office of the worked example (Monday to Friday 09:00-17:30, GMT in early
 * March). Range 2026-03-09 (Mon) .. 2026-03-15; previous period 2026-03-02 .. 2026-03-08.
 *
 *  case  created         category   team ward req  first response     resolved             targets (fr / res)
 *  A     Mon 09 09:00    Potholes   T1   W1   P1   09:30 (30 / 30)     Mon 13:00 (240/240)  10:00 met / 17:00 met     rated 5 on 10th
 *  B     Mon 09 16:00    Parks      T1   W2   P1   Tue 10:00 (1080/150) Wed 16:00 (2880/1020) Mon 17:00 missed / 12th met  rated 2 on 11th
 *  C     Tue 10 10:00    Potholes   -    -    P2   -                  Tue 12:00 (120/120), reopened, resolved again Thu 12:00; res due 11:00 missed
 *  D     Wed 11 09:00    Parks      T1   W1   -    -                  open
 *  E     Mon 02 09:00    Potholes   T1   W1   P3   09:10 (10/10)      10:00 (60/60)         (previous period)
 *  F     Fri 20 09:00    Parks      (after the range)
 */
async function workedExample() {
  const office = await createOffice(ctx);
  const roads = await category(office.id, 'Roads');
  const potholes = await category(office.id, 'Potholes', roads);
  const parks = await category(office.id, 'Parks');
  const t1 = await team(office.id, 'Streets team');
  const u1 = await createUser(ctx, office, 'caseworker');
  const u2 = await createUser(ctx, office, 'caseworker');
  const w1 = await ward(office.id, 'North');
  const w2 = await ward(office.id, 'South');
  const w3 = await ward(office.id, 'Empty');
  const [p1, p2, p3] = [(await createConstituent(ctx, office)).id, (await createConstituent(ctx, office)).id, (await createConstituent(ctx, office)).id];
  const a = await kase(office.id, {
    createdAt: '2026-03-09T09:00:00Z', categoryId: potholes, teamId: t1, assigneeId: u1.id, channel: 'phone', wardId: w1, requesterId: p1,
    firstRespondedAt: '2026-03-09T09:30:00Z', resolvedAt: '2026-03-09T13:00:00Z', firstResponseDueAt: '2026-03-09T10:00:00Z', resolutionDueAt: '2026-03-09T17:00:00Z',
  });
  const b = await kase(office.id, {
    createdAt: '2026-03-09T16:00:00Z', categoryId: parks, teamId: t1, assigneeId: u2.id, channel: 'email', wardId: w2, requesterId: p1,
    firstRespondedAt: '2026-03-10T10:00:00Z', resolvedAt: '2026-03-11T16:00:00Z', firstResponseDueAt: '2026-03-09T17:00:00Z', resolutionDueAt: '2026-03-12T17:00:00Z',
  });
  const c = await kase(office.id, { createdAt: '2026-03-10T10:00:00Z', categoryId: potholes, channel: 'web', requesterId: p2, resolvedAt: '2026-03-10T12:00:00Z', resolutionDueAt: '2026-03-10T11:00:00Z' });
  const d = await kase(office.id, { createdAt: '2026-03-11T09:00:00Z', categoryId: parks, teamId: t1, assigneeId: u1.id, wardId: w1, resolutionDueAt: '2026-03-12T09:00:00Z' });
  const e = await kase(office.id, {
    createdAt: '2026-03-02T09:00:00Z', categoryId: potholes, teamId: t1, assigneeId: u1.id, wardId: w1, requesterId: p3, firstRespondedAt: '2026-03-02T09:10:00Z', resolvedAt: '2026-03-02T10:00:00Z',
  });
  const f = await kase(office.id, { createdAt: '2026-03-20T09:00:00Z', categoryId: parks });
  // C reopened (as casework does: resolved_at back to null), then resolved again two days later.
  await db().updateTable('cases').set({ status: 'open', resolved_at: null }).where('office_id', '=', office.id).where('id', '=', c).execute();
  await db().updateTable('cases').set({ status: 'resolved', resolved_at: at('2026-03-12T12:00:00Z') }).where('office_id', '=', office.id).where('id', '=', c).execute();
  await rate(office.id, a, 5, '2026-03-10T08:00:00Z');
  await rate(office.id, b, 2, '2026-03-11T18:00:00Z');
  // Items: 3 emails on the 9th (one set by the model and kept, one set by a rule then corrected,
  // one never triaged) and a text on the 10th answered by an automatic reply: 2 of 4 automatic.
  const i1 = await item(office.id, 'email', '2026-03-09T08:00:00Z');
  const i2 = await item(office.id, 'email', '2026-03-09T11:00:00Z');
  await item(office.id, 'email', '2026-03-09T23:30:00Z');
  const i4 = await item(office.id, 'sms', '2026-03-10T12:00:00Z');
  await item(office.id, 'sms', '2026-03-03T12:00:00Z'); // previous period
  await db().insertInto('triage_decisions').values([
    { office_id: office.id, inbound_item_id: i1, category_source: 'model', applied_category_id: parks },
    { office_id: office.id, inbound_item_id: i2, category_source: 'rule', applied_category_id: parks, corrected_category_id: potholes },
    { office_id: office.id, inbound_item_id: i4, auto_reply: JSON.stringify({ sent: true, templateId: null, version: 1, language: 'en', reason: 'sent' }) },
  ]).execute();
  return { office, roads, potholes, parks, t1, u1, u2, w1, w2, w3, p1, p2, cases: { a, b, c, d, e, f } };
}

const RANGE = { from: '2026-03-09', to: '2026-03-15' };
const strip = (p: Performance) => ({ ...p, asOf: '' });
const zeroSat = { count: 0, average: null, distribution: [0, 0, 0, 0, 0] };
const stats = (count: number, median: number | null, p90: number | null) => ({ count, median, p90 });

describe('service performance, exact', () => {
  it('gives every figure of the worked example for the whole office and the previous period', async () => {
    const w = await workedExample();
    const p = await service.performance(scopeOf(w.office), RANGE);
    expect(p.range).toEqual({ from: '2026-03-09', to: '2026-03-15', days: 7, timeZone: 'Europe/London' });
    expect(p.previous).toMatchObject({ from: '2026-03-02', to: '2026-03-08', days: 7 });
    expect(p.approximate).toBe(false);
    expect(p.rows).toHaveLength(1);
    const row = p.rows[0]!;
    expect(row.key).toBeNull();
    expect(row.current).toEqual({
      opened: 4,
      resolved: 3,
      firstResponse: { calendar: stats(2, 555, 975), business: stats(2, 90, 138) },
      resolution: { calendar: stats(3, 240, 2352), business: stats(3, 240, 864) },
      sla: { firstResponseTargets: 2, firstResponseMet: 1, resolutionTargets: 3, resolutionMet: 2, compliance: 2 / 3 },
      reopened: 1,
      reopenRate: 1 / 3,
      satisfaction: { count: 2, average: 3.5, distribution: [0, 1, 0, 0, 1] },
    });
    expect(row.previous).toEqual({
      opened: 1, resolved: 1,
      firstResponse: { calendar: stats(1, 10, 10), business: stats(1, 10, 10) },
      resolution: { calendar: stats(1, 60, 60), business: stats(1, 60, 60) },
      sla: { firstResponseTargets: 0, firstResponseMet: 0, resolutionTargets: 0, resolutionMet: 0, compliance: null },
      reopened: 0, reopenRate: 0, satisfaction: zeroSat,
    });
    expect(p.automation).toEqual({ items: 4, automatic: 2, share: 0.5 });
  });

  it('splits by category (path names), team, assignee, channel and ward, with "none of" rows', async () => {
    const w = await workedExample();
    const rowsBy = async (dim: 'category' | 'team' | 'assignee' | 'channel' | 'ward') =>
      (await service.performance(scopeOf(w.office), { ...RANGE, by: dim })).rows.map((r) => [r.label, [r.key, r.current.opened, r.current.resolved, r.current.resolution.calendar.median, r.previous.opened]] as const);
    const by = async (dim: 'category' | 'team' | 'assignee' | 'channel' | 'ward') => Object.fromEntries(await rowsBy(dim));
    expect(await by('category')).toEqual({ 'Roads > Potholes': [w.potholes, 2, 2, 180, 1], Parks: [w.parks, 2, 1, 2880, 0] });
    expect(await by('team')).toEqual({ 'Streets team': [w.t1, 3, 2, 1560, 1], 'No team': [null, 1, 1, 120, 0] });
    // Rows come in descending order of cases opened.
    expect((await rowsBy('assignee')).map(([, v]) => v)).toEqual([[w.u1.id, 2, 1, 240, 1], [w.u2.id, 1, 1, 2880, 0], [null, 1, 1, 120, 0]]);
    expect((await rowsBy('assignee'))[2]![0]).toBe('Unassigned');
    expect(await by('channel')).toEqual({ Phone: ['phone', 2, 1, 240, 1], Email: ['email', 1, 1, 2880, 0], Web: ['web', 1, 1, 120, 0] });
    expect(await by('ward')).toEqual({ North: [w.w1, 2, 1, 240, 1], South: [w.w2, 1, 1, 2880, 0], 'No ward': [null, 1, 1, 120, 0] });
  });

  it('agrees within 1% when durations come from the histograms', async () => {
    const w = await workedExample();
    const exact = await service.performance(scopeOf(w.office), { ...RANGE, by: 'category' });
    service.insightOptions.exactLimit = 0;
    const approx = await service.performance(scopeOf(w.office), { ...RANGE, by: 'category' });
    expect(approx.approximate).toBe(true);
    const durations = (p: Performance) => p.rows.flatMap((r) => [r.current, r.previous].flatMap((m) => [m.firstResponse.calendar, m.firstResponse.business, m.resolution.calendar, m.resolution.business]));
    const e = durations(exact);
    const a = durations(approx);
    expect(a.map((s) => s.count)).toEqual(e.map((s) => s.count));
    e.forEach((s, i) => {
      for (const k of ['median', 'p90'] as const) {
        if (s[k] === null) expect(a[i]![k]).toBeNull();
        else expect(Math.abs(a[i]![k]! - s[k]!) / s[k]!).toBeLessThanOrEqual(0.01);
      }
    });
    // Below 64 minutes the bins are exact.
    expect(approx.rows.find((r) => r.key === w.potholes)!.previous.resolution.calendar.median).toBe(60);
  });
});

describe('volumes', () => {
  it('counts cases, items and new and returning requesters per day, week and month, and the top categories', async () => {
    const w = await workedExample();
    const v = await service.volumes(scopeOf(w.office), { ...RANGE, interval: 'day' });
    expect(v.series).toHaveLength(1);
    const s = v.series[0]!;
    expect(s.total).toEqual({ items: 4, cases: 4 });
    expect(s.points.map((p) => [p.period, p.items, p.cases, p.newRequesters, p.returningRequesters])).toEqual([
      ['2026-03-09', 3, 2, 1, 1], ['2026-03-10', 1, 1, 1, 0], ['2026-03-11', 0, 1, 0, 0], ['2026-03-12', 0, 0, 0, 0],
      ['2026-03-13', 0, 0, 0, 0], ['2026-03-14', 0, 0, 0, 0], ['2026-03-15', 0, 0, 0, 0],
    ]);
    expect(v.topCategories).toEqual([
      { key: w.parks, label: 'Parks', cases: 2, previousCases: 0 }, { key: w.potholes, label: 'Roads > Potholes', cases: 2, previousCases: 1 },
    ]);
    const byChannel = await service.volumes(scopeOf(w.office), { from: '2026-03-01', to: '2026-03-31', interval: 'week', by: 'channel' });
    expect(byChannel.series.map((x) => [x.key, x.total])).toEqual([
      ['phone', { items: 0, cases: 4 }], ['email', { items: 3, cases: 1 }], ['web', { items: 0, cases: 1 }], ['sms', { items: 2, cases: 0 }],
    ]);
    expect(byChannel.series[0]!.points.map((p) => [p.period, p.cases])).toEqual([['2026-02-23', 0], ['2026-03-02', 1], ['2026-03-09', 2], ['2026-03-16', 1], ['2026-03-23', 0], ['2026-03-30', 0]]);
    const byWard = await service.volumes(scopeOf(w.office), { from: '2026-03-01', to: '2026-03-31', interval: 'month', by: 'ward' });
    expect(byWard.series.map((x) => [x.label, x.total, x.points.map((p) => [p.period, p.items, p.cases])])).toEqual([
      ['North', { items: null, cases: 3 }, [['2026-03-01', null, 3]]], ['No ward', { items: null, cases: 2 }, [['2026-03-01', null, 2]]], ['South', { items: null, cases: 1 }, [['2026-03-01', null, 1]]],
    ]);
  });

  it('puts days at office-local midnights across a DST change', async () => {
    const office = await createOffice(ctx, { timeZone: 'America/New_York' });
    // Clocks went forward at 02:00 on Sunday 8 March 2026 in New York (UTC-5 before, UTC-4 after).
    await kase(office.id, { createdAt: '2026-03-08T04:30:00Z' }); // Sat 7th 23:30 EST
    await kase(office.id, { createdAt: '2026-03-08T05:30:00Z' }); // Sun 8th 00:30 EST
    await kase(office.id, { createdAt: '2026-03-09T03:30:00Z' }); // Sun 8th 23:30 EDT
    await kase(office.id, { createdAt: '2026-03-09T04:30:00Z' }); // Mon 9th 00:30 EDT
    const v = await service.volumes(scopeOf(office), { from: '2026-03-07', to: '2026-03-09' });
    expect(v.series[0]!.points.map((p) => [p.period, p.cases])).toEqual([['2026-03-07', 1], ['2026-03-08', 2], ['2026-03-09', 1]]);
  });
});

describe('bad input', () => {
  it.each([
    [{ from: '2026-03-10', to: '2026-03-09' }, 'from'],
    [{ from: '1999-12-31', to: '2000-01-05' }, 'from'],
    [{ to: '2999-01-01' }, 'to'],
    [{ from: '2000-01-01', to: '2010-01-01' }, 'from'],
  ])('refuses the range %j, naming %s', async (q, field) => {
    const office = await createOffice(ctx);
    await expect(service.performance(scopeOf(office), q)).rejects.toMatchObject({ code: 'validation_failed', field });
  });

  it('defaults to the last 30 days up to today, office-local', async () => {
    const office = await createOffice(ctx, { timeZone: 'Pacific/Kiritimati' });
    const p = await service.performance(scopeOf(office), {});
    expect(p.range.days).toBe(30);
    expect(p.range.to).toBe(new Date(Date.now() + 14 * 3600_000).toISOString().slice(0, 10));
    expect(p.previous.to).toBe(new Date(Date.parse(`${p.range.from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
    expect(p.rows[0]!.current.opened).toBe(0);
  });
});

describe('incremental upkeep', () => {

  it('follows merges, reopens, new ratings and deletions after a refresh, and a rebuild gives the same', async () => {
    const w = await workedExample();
    const scope = scopeOf(w.office);
    expect((await service.performance(scope, { ...RANGE, by: 'category' })).rows.map((r) => [r.key, r.current.opened])).toEqual([[w.potholes, 2], [w.parks, 2]]);
    // Parks merged into Potholes the way casework merges categories: one UPDATE of the cases.
    await db().updateTable('cases').set({ category_id: w.potholes }).where('office_id', '=', w.office.id).where('category_id', '=', w.parks).execute();
    // A reopened after it was counted; D answered and resolved late; B's rating changed; E deleted.
    await db().updateTable('cases').set({ status: 'open', resolved_at: null }).where('office_id', '=', w.office.id).where('id', '=', w.cases.a).execute();
    await db().updateTable('cases').set({ status: 'resolved', first_responded_at: at('2026-03-11T10:00:00Z'), resolved_at: at('2026-03-13T09:00:00Z') })
      .where('office_id', '=', w.office.id).where('id', '=', w.cases.d).execute();
    await db().updateTable('case_ratings').set({ score: 4 }).where('office_id', '=', w.office.id).where('case_id', '=', w.cases.b).execute();
    await db().deleteFrom('cases').where('office_id', '=', w.office.id).where('id', '=', w.cases.e).execute();

    const after = await service.performance(scope, { ...RANGE, by: 'category' });
    expect(after.rows.map((r) => [r.key, r.current.opened, r.previous.opened])).toEqual([[w.potholes, 4, 0]]);
    const m = after.rows[0]!.current;
    // Resolved: A (first resolution kept, now reopened), B, C, D (Fri 13th 09:00: 2 days = 2880 minutes, business 510 + 510 = 1020).
    expect([m.resolved, m.reopened, m.reopenRate]).toEqual([4, 2, 0.5]);
    expect(m.resolution.calendar).toEqual(stats(4, 1560, 2880));
    expect(m.firstResponse.calendar).toEqual(stats(3, 60, 876));
    expect(m.satisfaction).toEqual({ count: 2, average: 4.5, distribution: [0, 0, 0, 1, 1] });

    const incremental = await service.performance(scope, { ...RANGE, by: 'category' });
    const volumesBefore = await service.volumes(scope, { from: '2026-03-01', to: '2026-03-31', by: 'channel' });
    const summariesBefore = await summaries(w.office.id);
    expect(summariesBefore.histograms.some((h) => h.grain === 'y')).toBe(true);
    await service.rebuildOffice(db(), w.office.id);
    // Row for row, every grain: what the deltas left equals what the set-based rollup makes.
    expect(await summaries(w.office.id)).toEqual(summariesBefore);
    expect(strip(await service.performance(scope, { ...RANGE, by: 'category' }))).toEqual(strip(incremental));
    expect({ ...(await service.volumes(scope, { from: '2026-03-01', to: '2026-03-31', by: 'channel' })), asOf: '' }).toEqual({ ...volumesBefore, asOf: '' });
  });

  it('recounts a requester\'s other cases when their first case goes, and an item day when triage is corrected', async () => {
    const w = await workedExample();
    const scope = scopeOf(w.office);
    const day9 = async () => (await service.volumes(scope, RANGE)).series[0]!.points[0]!;
    expect(await day9()).toMatchObject({ newRequesters: 1, returningRequesters: 1 });
    await db().deleteFrom('cases').where('office_id', '=', w.office.id).where('id', '=', w.cases.a).execute();
    expect(await day9()).toMatchObject({ cases: 1, newRequesters: 1, returningRequesters: 0 });
    expect((await service.performance(scope, RANGE)).automation).toEqual({ items: 4, automatic: 2, share: 0.5 });
    await db().updateTable('triage_decisions').set({ corrected_category_id: w.potholes }).where('office_id', '=', w.office.id).where('category_source', '=', 'model').execute();
    expect((await service.performance(scope, RANGE)).automation).toEqual({ items: 4, automatic: 1, share: 0.25 });
  });

  it('writes nothing on a read when nothing is pending, and folds a change in on the next read', async () => {
    const office = await createOffice(ctx);
    await kase(office.id, { createdAt: '2026-03-10T10:00:00Z' });
    const scope = scopeOf(office);
    expect((await service.performance(scope, RANGE)).rows[0]!.current.opened).toBe(1);
    const state = async () => (await sql<{ xmin: string; refreshed_at: Date }>`SELECT xmin::text, refreshed_at FROM insight_office_state WHERE office_id = ${office.id}`.execute(db())).rows[0]!;
    const before = await state();
    await service.performance(scope, RANGE);
    await service.volumes(scope, RANGE);
    await service.workload(scope, RANGE);
    // The row version (xmin) would change with any write to it.
    expect(await state()).toEqual(before);
    await kase(office.id, { createdAt: '2026-03-11T10:00:00Z' });
    expect((await service.performance(scope, RANGE)).rows[0]!.current.opened).toBe(2);
    expect((await state()).xmin).not.toBe(before.xmin);
  });

  it('lets the job fold every office\'s pending changes', async () => {
    const [a, b] = [await createOffice(ctx), await createOffice(ctx)];
    for (let i = 0; i < 3; i++) await kase(a.id, { createdAt: `2026-03-1${i}T10:00:00Z` });
    for (let i = 0; i < 2; i++) await kase(b.id, { createdAt: `2026-04-1${i}T10:00:00Z` });
    // Named offices, because on a shared test database other files' offices have work too.
    expect(await refreshAll(ctx.database, { limit: 2, officeIds: [a.id, b.id] })).toEqual({ offices: 2, processed: 5 });
    for (const o of [a, b]) expect(await service.refreshOffice(db(), o.id)).toEqual({ processed: 0, remaining: 0 });
    expect((await service.performance(scopeOf(a), RANGE)).rows[0]!.current.opened).toBe(3);
  });

  it('visits only offices with work: a changed case, an unfolded item, a new time zone', async () => {
    const office = await createOffice(ctx);
    const listed = async () => (await repo.officesWithWork(db(), LATE_COMMIT_MS)).includes(office.id);
    expect(await listed()).toBe(false);
    await kase(office.id, { createdAt: '2026-03-10T10:00:00Z' });
    expect(await listed()).toBe(true);
    await service.refreshOffice(db(), office.id);
    expect(await listed()).toBe(false);
    await db().updateTable('offices').set({ time_zone: 'America/Chicago' }).where('id', '=', office.id).execute();
    expect(await listed()).toBe(true);
    await service.refreshOffice(db(), office.id);
    expect(await listed()).toBe(false);
    // An item stays listed for the late-commit window after it is received, refreshed or not.
    await item(office.id, 'email', new Date().toISOString());
    expect(await listed()).toBe(true);
  });

  it('says what the figures do not count yet: a backlog too large for a read, then a rebuild', async () => {
    const office = await createOffice(ctx);
    await kase(office.id, { createdAt: '2026-03-10T10:00:00Z' });
    const scope = scopeOf(office);
    expect((await service.performance(scope, RANGE)).pending).toEqual({ cases: 0, rebuilding: false });
    // More changes than a read folds in (as after a bulk import): the read leaves them to the job.
    await sql`INSERT INTO insight_dirty_cases (office_id, case_id) SELECT ${office.id}::uuid, gen_random_uuid() FROM generate_series(1, ${FRESHEN_LIMIT + 5})`.execute(db());
    const behind = await service.performance(scope, RANGE);
    expect(behind.pending).toEqual({ cases: FRESHEN_LIMIT + 5, rebuilding: false });
    expect((await service.volumes(scope, RANGE)).pending.cases).toBe(FRESHEN_LIMIT + 5);
    expect((await service.wardMap(scope, { ...RANGE, measure: 'opened' })).pending.cases).toBe(FRESHEN_LIMIT + 5);
    // The live measures do not read the summaries.
    expect((await service.wardMap(scope, { ...RANGE, measure: 'open' })).pending).toEqual({ cases: 0, rebuilding: false });
    await refreshAll(ctx.database, { officeIds: [office.id] });
    expect((await service.workload(scope, RANGE)).pending).toEqual({ cases: 0, rebuilding: false });
    // A rebuild under way (its cases queued again, the summaries emptied until it ends).
    await sql`INSERT INTO insight_dirty_cases (office_id, case_id) SELECT ${office.id}::uuid, gen_random_uuid() FROM generate_series(1, ${FRESHEN_LIMIT + 5})`.execute(db());
    await db().updateTable('insight_office_state').set({ rebuilding: true }).where('office_id', '=', office.id).execute();
    expect((await service.performance(scope, RANGE)).pending).toEqual({ cases: FRESHEN_LIMIT + 5, rebuilding: true });
    await refreshAll(ctx.database, { officeIds: [office.id] });
    const done = await service.performance(scope, RANGE);
    expect(done.pending).toEqual({ cases: 0, rebuilding: false });
    expect(done.rows[0]!.current.opened).toBe(1);
  });

  it('reports how much is left and processes in batches', async () => {
    const office = await createOffice(ctx);
    for (let i = 0; i < 5; i++) await kase(office.id, { createdAt: `2026-03-1${i}T10:00:00Z` });
    expect(await service.refreshOffice(db(), office.id, { limit: 2 })).toEqual({ processed: 2, remaining: 3 });
    expect(await service.refreshOffice(db(), office.id, { limit: 10 })).toEqual({ processed: 3, remaining: 0 });
    expect(await service.refreshOffice(db(), office.id)).toEqual({ processed: 0, remaining: 0 });
    expect((await service.performance(scopeOf(office), { from: '2026-03-01', to: '2026-03-31' })).rows[0]!.current.opened).toBe(5);
  });
});

describe('backlog, workload and the ward map', () => {
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

  it('counts open cases by age and overdue ones, per breakdown', async () => {
    const office = await createOffice(ctx);
    const u1 = await createUser(ctx, office, 'caseworker');
    const t1 = await team(office.id, 'Team one');
    await kase(office.id, { createdAt: ago(1), assigneeId: u1.id, teamId: t1, resolutionDueAt: ago(0.01) });
    // Unanswered past its first-response due time: overdue, as the case list counts it.
    await kase(office.id, { createdAt: ago(5), assigneeId: u1.id, firstResponseDueAt: ago(4), resolutionDueAt: ago(-3) });
    // Answered late, and its resolution not yet due: not overdue.
    await kase(office.id, { createdAt: ago(10), firstResponseDueAt: ago(9), firstRespondedAt: ago(8), resolutionDueAt: ago(-1) });
    await kase(office.id, { createdAt: ago(40), teamId: t1 });
    await kase(office.id, { createdAt: ago(100), assigneeId: u1.id });
    await kase(office.id, { createdAt: ago(2), resolvedAt: ago(1), assigneeId: u1.id });
    const all = await service.backlog(scopeOf(office), {});
    expect(all.buckets).toEqual(['0-2d', '3-7d', '8-30d', '31-90d', '90d+']);
    expect(all.rows).toEqual([{ key: null, label: 'All cases', open: 5, byAge: [1, 1, 1, 1, 1], overdue: 2 }]);
    const people = await service.backlog(scopeOf(office), { by: 'assignee' });
    expect(people.rows.map((r) => [r.key, r.open, r.byAge, r.overdue])).toEqual([[u1.id, 3, [1, 1, 0, 0, 1], 2], [null, 2, [0, 0, 1, 1, 0], 0]]);

    const wl = await service.workload(scopeOf(office), {});
    expect(wl.people.map((r) => [r.key, r.open, r.overdue, r.resolved, r.itemsHandled])).toEqual([[u1.id, 3, 2, 1, 0], [null, 2, 0, 0, 0]]);
    expect(wl.teams.map((r) => [r.key, r.open, r.overdue])).toEqual([[null, 3, 1], [t1, 2, 1]]);
  });

  it('keeps the open cases exact through every kind of change (insight_open_cases against the cases themselves)', async () => {
    const office = await createOffice(ctx);
    const u1 = await createUser(ctx, office, 'caseworker');
    const u2 = await createUser(ctx, office, 'caseworker');
    const [t1, t2] = [await team(office.id, 'One'), await team(office.id, 'Two')];
    const [c1, c2] = [await category(office.id, 'Roads'), await category(office.id, 'Parks')];
    const [w1, w2] = [await ward(office.id, 'North'), await ward(office.id, 'South')];
    const ids = [
      await kase(office.id, { createdAt: ago(1), assigneeId: u1.id, teamId: t1, categoryId: c1, wardId: w1, resolutionDueAt: ago(-2) }),
      await kase(office.id, { createdAt: ago(5), assigneeId: u1.id, firstResponseDueAt: ago(4), resolutionDueAt: ago(-3) }),
      await kase(office.id, { createdAt: ago(40), teamId: t2, categoryId: c2, wardId: w2, channel: 'email' }),
      await kase(office.id, { createdAt: ago(100), resolvedAt: ago(50) }),
    ];
    const other = await createOffice(ctx);
    await kase(other.id, { createdAt: ago(1) });
    // The definition the case list uses, over the cases themselves.
    const { OVERDUE_AT } = await import('../cases/cases.search-repo.js');
    const fromCases = async (by: string) => {
      const key = sql.raw(({ none: `''`, assignee: `coalesce(assignee_id::text, '')`, team: `coalesce(team_id::text, '')`, category: `coalesce(category_id::text, '')`, ward: `coalesce(ward_id::text, '')`, channel: 'channel' } as Record<string, string>)[by]!);
      const now = new Date();
      const found = (await sql<{ key: string; open: number; overdue: number; ages: number[] }>`
        SELECT ${key} AS key, count(*)::int AS open, (count(*) FILTER (WHERE ${OVERDUE_AT} < ${now}))::int AS overdue,
          array_agg(extract(epoch FROM ${now}::timestamptz - created_at) / 86400 ORDER BY created_at) AS ages
        FROM cases c WHERE office_id = ${office.id} AND resolved_at IS NULL AND closed_at IS NULL GROUP BY 1`.execute(db())).rows;
      const bucket = (days: number) => (days < 3 ? 0 : days < 8 ? 1 : days < 31 ? 2 : days < 91 ? 3 : 4);
      return found.map((r) => {
        const byAge = [0, 0, 0, 0, 0];
        for (const a of r.ages) byAge[bucket(Number(a))]!++;
        return { key: r.key === '' ? null : r.key, open: r.open, byAge, overdue: r.overdue };
      }).sort((a, b) => String(a.key).localeCompare(String(b.key)));
    };
    const compare = async (step: string) => {
      for (const by of ['none', 'assignee', 'team', 'category', 'ward', 'channel'] as const) {
        const got = (await service.backlog(scopeOf(office), { by })).rows.map(({ key, open, byAge, overdue }) => ({ key, open, byAge, overdue }))
          .filter((r) => by !== 'none' || r.open > 0).sort((a, b) => String(a.key).localeCompare(String(b.key)));
        expect(got, `${step}, by ${by}`).toEqual(await fromCases(by));
      }
      const wl = await service.workload(scopeOf(office), {});
      const byPerson = (await fromCases('assignee')).map((r) => [r.key, r.open, r.overdue]);
      expect(wl.people.filter((p) => p.open > 0).map((p) => [p.key, p.open, p.overdue]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))), step).toEqual(byPerson);
    };
    const change = async (step: string, id: string, set: Record<string, unknown>) => {
      await db().updateTable('cases').set(set).where('id', '=', id).execute();
      await compare(step);
    };
    await compare('as created');
    await change('reassigned', ids[0]!, { assignee_id: u2.id });
    await change('moved team, category, ward and channel', ids[2]!, { team_id: t1, category_id: c1, ward_id: w1, channel: 'sms' });
    await change('answered (no longer overdue on first response)', ids[1]!, { first_responded_at: ago(3) });
    await change('resolution due time passed', ids[0]!, { resolution_due_at: ago(0.5) });
    await change('resolved', ids[1]!, { resolved_at: ago(0), status: 'resolved' });
    await change('reopened', ids[3]!, { resolved_at: null, status: 'open' });
    await change('closed without resolving', ids[2]!, { closed_at: ago(0), status: 'closed' });
    await change('opened date corrected', ids[0]!, { created_at: ago(9) });
    await db().deleteFrom('cases').where('id', '=', ids[0]!).execute();
    await compare('deleted');
    expect((await service.backlog(scopeOf(office), {})).rows[0]!.open).toBe(1);
    // The other office's open case was never counted here, and is still counted there.
    expect((await service.backlog(scopeOf(other), {})).rows[0]!.open).toBe(1);
  });

  it('counts working days, resolutions and items filed per person and team', async () => {
    const office = await createOffice(ctx);
    const u1 = await createUser(ctx, office, 'caseworker');
    const t1 = await team(office.id, 'Team one');
    await db().insertInto('team_members').values({ office_id: office.id, team_id: t1, user_id: u1.id }).execute();
    await db().insertInto('office_holidays').values({ office_id: office.id, day: '2026-03-11', name: 'Holiday' }).execute();
    await kase(office.id, { createdAt: '2026-03-09T09:00:00Z', resolvedAt: '2026-03-10T09:00:00Z', assigneeId: u1.id, teamId: t1 });
    await kase(office.id, { createdAt: '2026-03-09T09:00:00Z', resolvedAt: '2026-03-12T09:00:00Z', assigneeId: u1.id, teamId: t1 });
    for (const [entity, when] of [['i1', '2026-03-09T10:00:00Z'], ['i2', '2026-03-10T10:00:00Z'], ['i3', '2026-03-10T11:00:00Z'], ['i4', '2026-03-20T10:00:00Z']] as const) {
      await db().insertInto('events').values({ office_id: office.id, actor_type: 'user', actor_id: u1.id, actor_label: 'u1', entity_type: 'inbound_item', entity_id: entity, action: 'filed', occurred_at: at(when) }).execute();
    }
    // Mon 9 .. Sun 15 March, Wednesday a holiday: 4 working days.
    const wl = await service.workload(scopeOf(office), RANGE);
    expect(wl.workingDays).toBe(4);
    expect(wl.people).toEqual([{ kind: 'user', key: u1.id, label: expect.any(String), open: 0, overdue: 0, resolved: 2, resolvedPerDay: 0.5, itemsHandled: 3, itemsPerDay: 0.75 }]);
    expect(wl.teams).toEqual([{ kind: 'team', key: t1, label: 'Team one', open: 0, overdue: 0, resolved: 2, resolvedPerDay: 0.5, itemsHandled: 3, itemsPerDay: 0.75 }]);
  });

  it('puts a measure on every ward of the layer, zero or null where there is no data', async () => {
    const w = await workedExample();
    const map = async (measure: 'opened' | 'resolutionMedian' | 'open' | 'slaCompliance') =>
      Object.fromEntries((await service.wardMap(scopeOf(w.office), { ...RANGE, measure })).features.map((f) => [f.properties.name, [f.properties.value, f.properties.cases]]));
    expect(await map('opened')).toEqual({ North: [2, 2], South: [1, 1], Empty: [0, 0] });
    expect(await map('resolutionMedian')).toEqual({ North: [240, 1], South: [1020, 1], Empty: [null, 0] });
    expect(await map('slaCompliance')).toEqual({ North: [1, 1], South: [1, 1], Empty: [null, 0] });
    expect(await map('open')).toEqual({ North: [1, 1], South: [0, 0], Empty: [0, 0] });
    const other = await service.wardMap(scopeOf(w.office), { layer: 'district' });
    expect(other.features).toEqual([]);
  });
});

describe('office isolation', () => {
  it("never counts another office's cases or items", async () => {
    const w = await workedExample();
    const before = await service.performance(scopeOf(w.office), { ...RANGE, by: 'channel' });
    const other = await workedExample();
    await kase(other.office.id, { createdAt: '2026-03-09T10:00:00Z', channel: 'letter' });
    const after = await service.performance(scopeOf(w.office), { ...RANGE, by: 'channel' });
    expect({ ...after, asOf: '' }).toEqual({ ...before, asOf: '' });
    expect((await service.performance(scopeOf(other.office), RANGE)).rows[0]!.current.opened).toBe(5);
  });
});

/** An office's counter and histogram rows, in a stable order. */
async function summaries(officeId: string) {
  const counts = await sql<Record<string, unknown>>`SELECT * FROM insight_counts WHERE office_id = ${officeId} ORDER BY dimension, grain, period, key`.execute(db());
  const histograms = await sql<{ grain: string }>`SELECT dimension, grain, to_char(period, 'YYYY-MM-DD') AS period, key, bins, counts FROM insight_histograms
    WHERE office_id = ${officeId} ORDER BY dimension, grain, period, key`.execute(db());
  return { counts: counts.rows, histograms: histograms.rows };
}

describe('histogram rows', () => {
  it('are summed by insight_histogram_add: bins merged in order, emptied bins dropped', async () => {
    const add = async (a: [number[], number[]], b: [number[], number[]]) => (await sql<{ bins: number[]; counts: number[] }>`
      SELECT m.bins, m.counts FROM insight_histogram_add(${a[0]}::smallint[], ${a[1]}::int[], ${b[0]}::smallint[], ${b[1]}::int[]) AS m`.execute(db())).rows[0];
    expect(await add([[3, 70, 1100], [2, 5, 1]], [[0, 70, 1100, 3100], [1, -5, 4, 2]])).toEqual({ bins: [0, 3, 1100, 3100], counts: [1, 2, 5, 2] });
    expect(await add([[5], [1]], [[5], [-1]])).toEqual({ bins: [], counts: [] });
    expect(await add([[], []], [[9], [3]])).toEqual({ bins: [9], counts: [3] });
  });

  it('read the same for a year from its day, week, month, quarter and year rows', async () => {
    const w = await workedExample();
    await service.refreshOffice(db(), w.office.id);
    // Per key, the non-zero codes and their counts.
    const merged = async (grain: 'd' | 'w' | 'm' | 'q' | 'y', from: string, to: string) => [...(await repo.mergedHistograms(db(), w.office.id, 'category', [{ grain, from, to }]))]
      .map(([key, counts]) => [key, [...counts.entries()].filter(([, n]) => n !== 0)] as const).sort((a, b) => a[0].localeCompare(b[0]));
    const byDay = await merged('d', '2026-01-01', '2026-12-31');
    expect(byDay.flatMap(([, bins]) => bins).length).toBeGreaterThan(4);
    expect(await merged('m', '2026-01-01', '2026-12-01')).toEqual(byDay);
    expect(await merged('q', '2026-01-01', '2026-10-01')).toEqual(byDay);
    expect(await merged('y', '2026-01-01', '2026-01-01')).toEqual(byDay);
    // The weeks from Monday 29 December 2025 to the one starting Monday 28 December 2026 hold the year (and no case falls in their extra days).
    expect(await merged('w', '2025-12-29', '2026-12-28')).toEqual(byDay);
  });
});

describe('reading arrays in the binary format', () => {
  it('gives back smallint and int arrays as sent, empty ones included', async () => {
    const sent = (await sql<{ a: Uint8Array; b: Uint8Array; e: Uint8Array }>`
      SELECT array_send(ARRAY[0, 3, 1100, 4095, -2]::smallint[]) AS a, array_send(ARRAY[1, -5, 2147483647]::int[]) AS b, array_send('{}'::int[]) AS e`.execute(db())).rows[0]!;
    expect([...repo.intArrayOf(sent.a)]).toEqual([0, 3, 1100, 4095, -2]);
    expect([...repo.intArrayOf(sent.b)]).toEqual([1, -5, 2147483647]);
    expect([...repo.intArrayOf(sent.e)]).toEqual([]);
  });
});

describe('histogram bins', () => {
  it('are computed the same in SQL (rebuilds) as in TypeScript (incremental refresh)', async () => {
    const values = [...Array.from({ length: 200 }, (_, i) => i), ...Array.from({ length: 3000 }, (_, i) => Math.round(64 * 1.0037 ** i))];
    const r = await sql<{ v: number; bin: number }>`SELECT v, ${sql.raw(SQL_BIN('v'))} AS bin FROM unnest(${values}::int[]) AS v`.execute(db());
    const mismatched = r.rows.filter((x) => x.bin !== binOf(x.v));
    expect(mismatched).toEqual([]);
    expect(r.rows).toHaveLength(values.length);
  });
});
