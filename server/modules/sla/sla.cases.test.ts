import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../../contract/offices.js';
import type { CreateSlaPolicy } from '../../../contract/sla.js';
import { asSession, createOffice, createTestApp, createUser, signIn, uniq, type TestContext } from '../../../test/harness.js';
import { systemScope } from '../../platform/scope.js';
import { applySla, markFirstResponse, pauseSla, resumeSla } from './sla.cases.js';
import { recomputeOpenCases } from './sla.jobs.js';
import * as service from './sla.service.js';
import { sweep } from './sla.sweep.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

const MIN = 60_000;
const scopeOf = (office: Office) => systemScope(ctx.database.db, office.id, 'test');
const policy = async (office: Office, input: CreateSlaPolicy) => (await service.createPolicy(scopeOf(office), undefined, input)).policy;

async function categoryOf(officeId: string, parentId: string | null = null): Promise<string> {
  return (await ctx.database.db.insertInto('categories').values({ office_id: officeId, name: uniq('Category'), parent_id: parentId }).returning('id').executeTakeFirstOrThrow()).id;
}

type CaseInput = { categoryId?: string | null; priority?: string; createdAt: Date; assigneeId?: string | null; teamId?: string | null };

/** A case row written directly (the casework module owns creating them), then applySla as it would call it. */
async function caseOf(office: Office, c: CaseInput): Promise<string> {
  const row = await ctx.database.db
    .insertInto('cases')
    .values({
      office_id: office.id, reference: uniq('C'), subject: 'Streetlight out', channel: 'phone', category_id: c.categoryId ?? null, priority: c.priority ?? 'normal',
      created_at: c.createdAt, assignee_id: c.assigneeId ?? null, team_id: c.teamId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await applySla(ctx.database.db, office.id, row.id, c.createdAt);
  return row.id;
}

const slaOf = (officeId: string, id: string) =>
  ctx.database.db.selectFrom('cases').selectAll().where('office_id', '=', officeId).where('id', '=', id).executeTakeFirstOrThrow();
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('due times', () => {
  it("takes the category's policy, else the nearest ancestor's, else the office default, in business time", async () => {
    const office = await createOffice(ctx); // Europe/London, Monday to Friday 09:00-17:30
    const roads = await categoryOf(office.id);
    const potholes = await categoryOf(office.id, roads);
    const parks = await categoryOf(office.id);
    await policy(office, { categoryId: roads, priority: 'high', firstResponseMinutes: 60, resolutionMinutes: 2 * 510 });
    await policy(office, { categoryId: null, priority: 'high', firstResponseMinutes: 240, resolutionMinutes: 5 * 510 });
    const monday9 = new Date('2026-11-23T09:00:00Z');
    const pothole = await slaOf(office.id, await caseOf(office, { categoryId: potholes, priority: 'high', createdAt: monday9 }));
    expect([iso(pothole.first_response_due_at), iso(pothole.resolution_due_at)]).toEqual(['2026-11-23T10:00:00.000Z', '2026-11-24T17:30:00.000Z']);
    const park = await slaOf(office.id, await caseOf(office, { categoryId: parks, priority: 'high', createdAt: monday9 }));
    expect([iso(park.first_response_due_at), iso(park.resolution_due_at)]).toEqual(['2026-11-23T13:00:00.000Z', '2026-11-27T17:30:00.000Z']);
    // 80 % of the hour: the warning at 09:48
    expect(iso(pothole.first_response_warn_at)).toBe('2026-11-23T09:48:00.000Z');
    const low = await slaOf(office.id, await caseOf(office, { categoryId: potholes, priority: 'low', createdAt: monday9 }));
    expect([low.sla_policy_id, low.first_response_due_at, low.sla_next_check_at]).toEqual([null, null, null]);
  });

  it('counts holidays and the office time zone, and follows a change of priority', async () => {
    const office = await createOffice(ctx, { timeZone: 'America/New_York' });
    await service.addHoliday(scopeOf(office), undefined, { date: '2026-11-26', name: 'Thanksgiving Day' });
    await policy(office, { priority: 'normal', firstResponseMinutes: 120, resolutionMinutes: 1020 });
    await policy(office, { priority: 'urgent', firstResponseMinutes: 30, resolutionMinutes: 240, clock: 'calendar' });
    // Wednesday 16:30 EST: one hour left that day, Thursday is a holiday, Friday 09:00 + 1h
    const id = await caseOf(office, { createdAt: new Date('2026-11-25T21:30:00Z') });
    expect(iso((await slaOf(office.id, id)).first_response_due_at)).toBe('2026-11-27T15:00:00.000Z');
    await ctx.database.db.updateTable('cases').set({ priority: 'urgent' }).where('office_id', '=', office.id).where('id', '=', id).execute();
    const sla = await applySla(ctx.database.db, office.id, id, new Date('2026-11-25T21:35:00Z'));
    expect([sla.firstResponseDueAt, sla.resolutionDueAt]).toEqual(['2026-11-25T22:00:00.000Z', '2026-11-26T01:30:00.000Z']);
  });

  it('moves due times by the business time spent waiting on the resident when the policy pauses, and not otherwise', async () => {
    const office = await createOffice(ctx);
    const pausing = await categoryOf(office.id);
    const running = await categoryOf(office.id);
    await policy(office, { categoryId: pausing, priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 510 });
    await policy(office, { categoryId: running, priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 510, pauseWhileWaiting: false });
    const monday9 = new Date('2026-11-23T09:00:00Z');
    const [a, b] = [await caseOf(office, { categoryId: pausing, createdAt: monday9 }), await caseOf(office, { categoryId: running, createdAt: monday9 })];
    for (const id of [a, b]) {
      await markFirstResponse(ctx.database.db, office.id, id, new Date('2026-11-23T09:30:00Z'));
      const paused = await pauseSla(ctx.database.db, office.id, id, new Date('2026-11-23T12:00:00Z'));
      expect(paused.pausedAt).toBe('2026-11-23T12:00:00.000Z');
      // pausing twice changes nothing
      await pauseSla(ctx.database.db, office.id, id, new Date('2026-11-23T13:00:00Z'));
    }
    expect((await slaOf(office.id, a)).resolution_due_at).toBeNull(); // the clock is stopped
    expect(iso((await slaOf(office.id, b)).resolution_due_at)).toBe('2026-11-23T17:30:00.000Z');
    for (const id of [a, b]) await resumeSla(ctx.database.db, office.id, id, new Date('2026-11-24T10:00:00Z'));
    const [sa, sb] = [await slaOf(office.id, a), await slaOf(office.id, b)];
    // Monday 12:00-17:30 and Tuesday 09:00-10:00 do not count: 330 minutes left at 10:00
    expect([iso(sa.resolution_due_at), sa.sla_paused_at, sa.sla_paused_minutes]).toEqual(['2026-11-24T15:30:00.000Z', null, 390]);
    expect([iso(sb.resolution_due_at), sb.sla_paused_minutes]).toEqual(['2026-11-23T17:30:00.000Z', 0]);
    expect(iso(sa.first_responded_at)).toBe('2026-11-23T09:30:00.000Z');
    // a second "first" response keeps the first one
    await markFirstResponse(ctx.database.db, office.id, a, new Date('2026-11-24T11:00:00Z'));
    expect(iso((await slaOf(office.id, a)).first_responded_at)).toBe('2026-11-23T09:30:00.000Z');
  });

  it('recomputes the open cases of an office after its configuration changed', async () => {
    const office = await createOffice(ctx);
    const id = await caseOf(office, { createdAt: new Date('2026-11-23T09:00:00Z') });
    expect((await slaOf(office.id, id)).resolution_due_at).toBeNull();
    await policy(office, { priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 510 });
    expect(await recomputeOpenCases(ctx.database, office.id)).toBe(1);
    expect(iso((await slaOf(office.id, id)).resolution_due_at)).toBe('2026-11-23T17:30:00.000Z');
    await service.addHoliday(scopeOf(office), undefined, { date: '2026-11-23', name: 'Closed' });
    await recomputeOpenCases(ctx.database, office.id);
    expect(iso((await slaOf(office.id, id)).resolution_due_at)).toBe('2026-11-24T17:30:00.000Z');
  });

  it('refuses to apply SLAs to a case of another office', async () => {
    const [a, b] = [await createOffice(ctx), await createOffice(ctx)];
    const id = await caseOf(b, { createdAt: new Date() });
    await expect(applySla(ctx.database.db, a.id, id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(pauseSla(ctx.database.db, a.id, id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(markFirstResponse(ctx.database.db, a.id, id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('the sweep', () => {
  async function world() {
    const office = await createOffice(ctx);
    const caseworker = await createUser(ctx, office, 'caseworker');
    const lead = await createUser(ctx, office, 'manager');
    const team = await ctx.database.db.insertInto('teams').values({ office_id: office.id, name: uniq('team') }).returning('id').executeTakeFirstOrThrow();
    await ctx.database.db.insertInto('team_members').values([
      { office_id: office.id, team_id: team.id, user_id: caseworker.id, is_manager: false },
      { office_id: office.id, team_id: team.id, user_id: lead.id, is_manager: true },
    ]).execute();
    // Calendar time: first response in 60 minutes (warning at 30), resolution in 600 (warning at 300).
    await policy(office, { priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 600, clock: 'calendar', warnPercent: 50 });
    return { office, caseworker, lead, teamId: team.id };
  }
  const notificationsOf = (officeId: string) =>
    ctx.database.db.selectFrom('notifications').select(['user_id', 'kind', 'case_id', 'body']).where('office_id', '=', officeId).orderBy('created_at').orderBy('user_id').execute();
  const caseEvents = (officeId: string, id: string) =>
    ctx.database.db.selectFrom('events').select(['action', 'after']).where('office_id', '=', officeId).where('entity_type', '=', 'case').where('entity_id', '=', id).orderBy('id').execute();

  it('warns the assignee before the breach and escalates to the team manager at it, once each however often it runs', async () => {
    const w = await world();
    const now = Date.now();
    const id = await caseOf(w.office, { createdAt: new Date(now - 45 * MIN), assigneeId: w.caseworker.id, teamId: w.teamId });
    const c = await slaOf(w.office.id, id);
    expect(iso(c.sla_next_check_at)).toBe(new Date(now - 15 * MIN).toISOString()); // the first-response warning

    for (let run = 0; run < 3; run++) await sweep(ctx.database.db, new Date(now));
    expect(await notificationsOf(w.office.id)).toEqual([{ user_id: w.caseworker.id, kind: 'sla_warning', case_id: id, body: expect.stringMatching(/first response is due/) }]);
    expect(iso((await slaOf(w.office.id, id)).sla_next_check_at)).toBe(new Date(now + 15 * MIN).toISOString()); // the breach

    const later = new Date(now + 16 * MIN);
    await Promise.all([sweep(ctx.database.db, later), sweep(ctx.database.db, later)]);
    await sweep(ctx.database.db, later);
    const all = await notificationsOf(w.office.id);
    expect(all.map((n) => [n.user_id, n.kind])).toEqual([[w.caseworker.id, 'sla_warning'], [w.lead.id, 'sla_escalation']]);
    expect(all[1]!.body).toMatch(/first response was due .* and is overdue/);
    const after = await slaOf(w.office.id, id);
    expect([after.first_response_warned_at, after.first_response_breached_at].every((d) => d instanceof Date)).toBe(true);
    expect(iso(after.sla_next_check_at)).toBe(new Date(now + 255 * MIN).toISOString()); // the resolution warning
    expect((await caseEvents(w.office.id, id)).map((e) => [e.action, (e.after as { target: string }).target])).toEqual([['sla_warning', 'first_response'], ['sla_breached', 'first_response']]);

    // A lost marker (say, a restore) does not tell anyone twice: the notification's key holds.
    await ctx.database.db.updateTable('cases').set({ first_response_breached_at: null, sla_next_check_at: new Date(now) }).where('office_id', '=', w.office.id).where('id', '=', id).execute();
    await sweep(ctx.database.db, later);
    expect(await notificationsOf(w.office.id)).toHaveLength(2);
    expect(await caseEvents(w.office.id, id)).toHaveLength(2);
  });

  it('says nothing about a case answered or resolved in time, and marks a warning that comes with its breach without sending it', async () => {
    const w = await world();
    const now = Date.now();
    const answered = await caseOf(w.office, { createdAt: new Date(now - 45 * MIN), assigneeId: w.caseworker.id, teamId: w.teamId });
    await markFirstResponse(ctx.database.db, w.office.id, answered, new Date(now - 40 * MIN));
    expect(iso((await slaOf(w.office.id, answered)).sla_next_check_at)).toBe(new Date(now + 255 * MIN).toISOString());
    const resolved = await caseOf(w.office, { createdAt: new Date(now - 45 * MIN), assigneeId: w.caseworker.id });
    await ctx.database.db.updateTable('cases').set({ resolved_at: new Date(now - 44 * MIN) }).where('office_id', '=', w.office.id).where('id', '=', resolved).execute();
    await applySla(ctx.database.db, w.office.id, resolved, new Date(now - 44 * MIN));
    expect((await slaOf(w.office.id, resolved)).sla_next_check_at).toBeNull();
    // overdue on first response before the sweep ever saw it; no team: the office's managers hear of it
    const late = await caseOf(w.office, { createdAt: new Date(now - 90 * MIN), assigneeId: w.caseworker.id });
    await sweep(ctx.database.db, new Date(now));
    expect((await notificationsOf(w.office.id)).map((n) => [n.user_id, n.kind, n.case_id])).toEqual([[w.lead.id, 'sla_escalation', late]]);
    expect((await slaOf(w.office.id, late)).first_response_warned_at).toBeInstanceOf(Date);
  });

  it('lets each staff member read and mark only their own notifications', async () => {
    const w = await world();
    const now = Date.now();
    const id = await caseOf(w.office, { createdAt: new Date(now - 45 * MIN), assigneeId: w.caseworker.id, teamId: w.teamId });
    await sweep(ctx.database.db, new Date(now));
    const mine = asSession(ctx, await signIn(ctx, w.caseworker));
    const lead = asSession(ctx, await signIn(ctx, w.lead));
    const list = (await mine('GET', '/api/v1/notifications')).json();
    expect(list).toMatchObject({ unread: 1, nextCursor: null, items: [{ kind: 'sla_warning', caseId: id, readAt: null }] });
    const nid = list.items[0].id as string;
    expect((await lead('GET', '/api/v1/notifications')).json()).toEqual({ items: [], nextCursor: null, unread: 0 });
    expect((await lead('POST', `/api/v1/notifications/${nid}/read`)).statusCode).toBe(404);
    const read = await mine('POST', `/api/v1/notifications/${nid}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    expect((await mine('GET', '/api/v1/notifications?unread=true')).json()).toMatchObject({ items: [], unread: 0 });
    await sweep(ctx.database.db, new Date(now + 16 * MIN));
    expect((await lead('GET', '/api/v1/notifications')).json().unread).toBe(1);
    expect((await lead('POST', '/api/v1/notifications/read-all')).json()).toEqual({ marked: 1 });
    expect((await lead('GET', '/api/v1/notifications')).json().unread).toBe(0);
  });
});
