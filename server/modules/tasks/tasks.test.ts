// Tasks on a case through the HTTP API: add, complete, reopen, reassign, delete, "my tasks"
// by due date with keyset pages, the assignee rules, the timeline, and the reminder sweep
// (once per due date, by email through the outbox and in the app).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../../contract/case-work.js';
import type { CaseTimelineEntry } from '../../../contract/cases.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, staffMember } from '../cases/cases.testkit.js';
import { configureOutbox } from '../messages/messages.outbox.js';
import { sendDueReminders } from './tasks.reminders.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  // Emails stay queued in the outbox table; delivery is the messages module's business.
  configureOutbox({ jobs: () => undefined, from: 'Civitas <office@example.test>' });
});
afterAll(() => ctx.close());

const SETTINGS = { leadDays: 0, publicUrl: 'https://civitas.example.test' };
const emailsOf = async (caseId: string) =>
  (await sql<{ to_address: string; subject: string; body_text: string; kind: string }>`SELECT to_address, subject, body_text, kind FROM outbound_messages WHERE case_id = ${caseId} ORDER BY created_at`.execute(ctx.database.db)).rows;
const notificationsOf = async (userId: string) =>
  (await sql<{ kind: string; body: string }>`SELECT kind, body FROM notifications WHERE user_id = ${userId} ORDER BY created_at`.execute(ctx.database.db)).rows;
const countTasks = async (caseId: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_tasks WHERE case_id = ${caseId}`.execute(ctx.database.db)).rows[0]!.n;

describe('tasks on a case', () => {
  it('adds, completes, reopens, reassigns and deletes a task, each on the timeline, telling a new assignee', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const t = ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: '  Call the resident back ', dueOn: '2031-03-04', assigneeId: w.caseworker.user.id, notes: 'After 5pm' }), 201) as Task;
    expect(t).toMatchObject({ caseId: c.id, caseReference: c.reference, title: 'Call the resident back', notes: 'After 5pm', dueOn: '2031-03-04', assigneeId: w.caseworker.user.id, status: 'open', completedAt: null });
    expect(await notificationsOf(w.caseworker.user.id)).toEqual([expect.objectContaining({ kind: 'task_assigned', body: expect.stringContaining('Call the resident back (due 2031-03-04)') })]);

    const done = ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}/tasks/${t.id}`, { status: 'done' }), 200) as Task;
    expect(done).toMatchObject({ status: 'done', completedAt: expect.any(String), completedBy: expect.stringContaining('caseworker') });
    const reopened = ok(await w.admin.api('PATCH', `/api/v1/cases/${c.id}/tasks/${t.id}`, { status: 'open' }), 200) as Task;
    expect(reopened).toMatchObject({ status: 'open', completedAt: null, completedBy: null });
    const moved = ok(await w.admin.api('PATCH', `/api/v1/cases/${c.id}/tasks/${t.id}`, { assigneeId: w.manager.user.id, dueOn: null }), 200) as Task;
    expect(moved).toMatchObject({ assigneeId: w.manager.user.id, dueOn: null });
    expect(await notificationsOf(w.manager.user.id)).toHaveLength(1);
    expect((ok(await w.analyst.api('GET', `/api/v1/cases/${c.id}/tasks`), 200) as { items: Task[] }).items).toEqual([moved]);

    ok(await w.admin.api('DELETE', `/api/v1/cases/${c.id}/tasks/${t.id}`), 204);
    expect((ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/tasks`), 200) as { items: Task[] }).items).toEqual([]);
    refused(await w.admin.api('PATCH', `/api/v1/cases/${c.id}/tasks/${t.id}`, { status: 'done' }), 404, 'not_found');
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline?kind=task`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline.map((e) => e.action)).toEqual(['deleted', 'reassigned', 'reopened', 'completed', 'created']);
    expect(timeline[3]!.summary).toBe('Task done: Call the resident back');
  });

  it('refuses assignees from another office, without case.write, or barred from a sensitive case (400 on assigneeId), writing nothing', async () => {
    const [w, other] = [await casework(ctx), await casework(ctx)];
    const c = await w.open();
    const sensitive = await w.open({ isSensitive: true });
    const cases: [string, string, RegExp][] = [
      [c.id, other.caseworker.user.id, /No such user in this office/],
      [c.id, w.analyst.user.id, /cannot work cases/],
      [c.id, w.volunteer.user.id, /cannot work cases/],
      [sensitive.id, w.caseworker.user.id, /may not see sensitive cases/],
    ];
    for (const [caseId, assigneeId, why] of cases) {
      const p = refused(await w.admin.api('POST', `/api/v1/cases/${caseId}/tasks`, { title: 'Visit', assigneeId }), 400, 'validation_failed', 'assigneeId');
      expect(p.detail).toMatch(why);
    }
    const t = ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'Visit' }), 201) as Task;
    refused(await w.admin.api('PATCH', `/api/v1/cases/${c.id}/tasks/${t.id}`, { assigneeId: other.admin.user.id }), 400, 'validation_failed', 'assigneeId');
    expect(await countTasks(c.id)).toBe(1);
    expect(await countTasks(sensitive.id)).toBe(0);
  });

  it('refuses garbage due dates, empty titles and unknown fields with the field named', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    for (const dueOn of ['tomorrow', '2026-02-30', '2026-13-01', '31/12/2026', 20260101]) {
      refused(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'x', dueOn }), 400, 'validation_failed', 'dueOn');
    }
    refused(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: '   ' }), 400, 'validation_failed', 'title');
    refused(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'x'.repeat(201) }), 400, 'validation_failed', 'title');
    refused(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'x', priority: 'high' }), 400, 'validation_failed');
    refused(await w.analyst.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'x' }), 403, 'forbidden');
    refused(await w.admin.api('GET', '/api/v1/tasks?assignee=someone'), 400, 'validation_failed', 'assignee');
    expect(await countTasks(c.id)).toBe(0);
  });

  it("answers 404 for another office's case and task", async () => {
    const [w, other] = [await casework(ctx), await casework(ctx)];
    const theirs = await other.open();
    const t = ok(await other.admin.api('POST', `/api/v1/cases/${theirs.id}/tasks`, { title: 'Theirs' }), 201) as Task;
    refused(await w.admin.api('GET', `/api/v1/cases/${theirs.id}/tasks`), 404, 'not_found');
    refused(await w.admin.api('POST', `/api/v1/cases/${theirs.id}/tasks`, { title: 'Hijack' }), 404, 'not_found');
    refused(await w.admin.api('PATCH', `/api/v1/cases/${theirs.id}/tasks/${t.id}`, { title: 'Hijack' }), 404, 'not_found');
    refused(await w.admin.api('DELETE', `/api/v1/cases/${theirs.id}/tasks/${t.id}`), 404, 'not_found');
    const mine = await w.open();
    refused(await w.admin.api('PATCH', `/api/v1/cases/${mine.id}/tasks/${t.id}`, { title: 'Hijack' }), 404, 'not_found');
    expect((ok(await other.admin.api('GET', `/api/v1/cases/${theirs.id}/tasks`), 200) as { items: Task[] }).items[0]!.title).toBe('Theirs');
  });
});

describe('my tasks', () => {
  it('lists my tasks by due date (undated last) in keyset pages, filtered by status, hiding sensitive cases I may not see', async () => {
    const w = await casework(ctx);
    const me = w.caseworker;
    const [c1, c2] = [await w.open(), await w.open()];
    const add = async (caseId: string, title: string, dueOn: string | null) =>
      ok(await w.admin.api('POST', `/api/v1/cases/${caseId}/tasks`, { title, dueOn, assigneeId: me.user.id }), 201) as Task;
    const later = await add(c1.id, 'Later', '2031-05-01');
    const undated = await add(c2.id, 'Whenever', null);
    const soon = await add(c2.id, 'Soon', '2031-01-01');
    const finished = await add(c1.id, 'Finished', '2030-01-01');
    ok(await me.api('PATCH', `/api/v1/cases/${c1.id}/tasks/${finished.id}`, { status: 'done' }), 200);
    await add(c1.id, 'Not mine', '2030-01-01').then((t) => me.api('PATCH', `/api/v1/cases/${c1.id}/tasks/${t.id}`, { assigneeId: w.manager.user.id }));
    const p1 = ok(await me.api('GET', '/api/v1/tasks?assignee=me&status=open&limit=2'), 200) as { items: Task[]; nextCursor: string };
    expect(p1.items.map((t) => t.title)).toEqual(['Soon', 'Later']);
    const p2 = ok(await me.api('GET', `/api/v1/tasks?assignee=me&status=open&limit=2&cursor=${p1.nextCursor}`), 200) as { items: Task[]; nextCursor: string | null };
    expect(p2.items.map((t) => t.id)).toEqual([undated.id]);
    expect(p2.nextCursor).toBeNull();
    expect((ok(await me.api('GET', '/api/v1/tasks?status=done'), 200) as { items: Task[] }).items.map((t) => t.title)).toEqual(['Finished']);
    expect([soon.caseReference, later.caseReference]).toEqual([c2.reference, c1.reference]);
    refused(await me.api('GET', '/api/v1/tasks?cursor=garbage'), 400, 'invalid_cursor', 'cursor');

    // A case made sensitive after the task was given drops out of the list of someone who may not see it.
    ok(await w.admin.api('PATCH', `/api/v1/cases/${c2.id}`, { isSensitive: true }), 200);
    expect((ok(await me.api('GET', '/api/v1/tasks?status=open'), 200) as { items: Task[] }).items.map((t) => t.title)).toEqual(['Later']);
    const boss = await staffMember(ctx, w.office, 'manager');
    ok(await w.admin.api('POST', `/api/v1/cases/${c2.id}/tasks`, { title: 'Sensitive one', assigneeId: boss.user.id }), 201);
    expect((ok(await boss.api('GET', '/api/v1/tasks'), 200) as { items: Task[] }).items.map((t) => t.title)).toEqual(['Sensitive one']);
    const reads = (ok(await w.admin.api('GET', `/api/v1/cases/${c2.id}/timeline?kind=access`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(reads.map((e) => (e.after as { via: string }).via)).toContain('my tasks');
  });
});

describe('reminders', () => {
  it("emails and notifies the assignee once per due date when a task is due in the office's time zone", async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const t = ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'Chase the council', dueOn: today, assigneeId: w.caseworker.user.id }), 201) as Task;
    ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'Far off', dueOn: '2099-01-01', assigneeId: w.caseworker.user.id }), 201);
    ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'Nobody', dueOn: today }), 201);

    await sendDueReminders(ctx.database.db, new Date(), SETTINGS);
    await sendDueReminders(ctx.database.db, new Date(), SETTINGS); // a second run sends nothing more
    const emails = await emailsOf(c.id);
    expect(emails).toEqual([expect.objectContaining({ to_address: w.caseworker.user.email, kind: 'task_reminder', subject: `Task due ${today}: Chase the council` })]);
    expect(emails[0]!.body_text).toContain(`https://civitas.example.test/cases/${c.id}`);
    expect((await notificationsOf(w.caseworker.user.id)).filter((n) => n.kind === 'task_due')).toHaveLength(1);

    // A new due date earns a new reminder; a task done earns none.
    ok(await w.admin.api('PATCH', `/api/v1/cases/${c.id}/tasks/${t.id}`, { dueOn: '2000-01-01' }), 200);
    await sendDueReminders(ctx.database.db, new Date(), SETTINGS);
    expect(await emailsOf(c.id)).toHaveLength(2);
    // Someone new on the task is reminded too, once.
    ok(await w.admin.api('PATCH', `/api/v1/cases/${c.id}/tasks/${t.id}`, { assigneeId: w.manager.user.id }), 200);
    await sendDueReminders(ctx.database.db, new Date(), SETTINGS);
    await sendDueReminders(ctx.database.db, new Date(), SETTINGS);
    expect((await emailsOf(c.id)).map((e) => e.to_address)).toEqual([w.caseworker.user.email, w.caseworker.user.email, w.manager.user.email]);
    ok(await w.admin.api('PATCH', `/api/v1/cases/${c.id}/tasks/${t.id}`, { dueOn: '2000-01-02', status: 'done' }), 200);
    await sendDueReminders(ctx.database.db, new Date(), SETTINGS);
    expect(await emailsOf(c.id)).toHaveLength(3);
  });

  it('puts a title with line breaks on one subject line', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'Call back\nabout the  bins', dueOn: '2000-01-01', assigneeId: w.caseworker.user.id }), 201);
    await sendDueReminders(ctx.database.db, new Date(), SETTINGS);
    expect((await emailsOf(c.id)).map((e) => e.subject)).toEqual(['Task due 2000-01-01: Call back about the bins']);
  });

  it('reminds the configured number of days ahead, and keeps a sensitive case subject out of the email', async () => {
    const w = await casework(ctx);
    const c = await w.open({ isSensitive: true, subject: 'Private family matter' });
    const inTwoDays = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + 2 * 86_400_000));
    ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/tasks`, { title: 'Prepare letter', dueOn: inTwoDays, assigneeId: w.manager.user.id }), 201);
    await sendDueReminders(ctx.database.db, new Date(), { ...SETTINGS, leadDays: 1 });
    expect(await emailsOf(c.id)).toEqual([]);
    await sendDueReminders(ctx.database.db, new Date(), { ...SETTINGS, leadDays: 2 });
    const [email] = await emailsOf(c.id);
    expect(email).toMatchObject({ to_address: w.manager.user.email, kind: 'task_reminder' });
    expect(email!.body_text).toContain(c.reference);
    expect(email!.body_text).not.toContain('Private family matter');
    expect(`${email!.subject} ${email!.body_text}`).not.toContain('Prepare letter');
  });
});

describe('merging cases', () => {
  it('moves the tasks and notes of the merged case to the case it was merged into', async () => {
    const w = await casework(ctx);
    const into = await w.open({ subject: 'Survivor', constituents: [{ constituentId: w.person.id }] });
    const from = await w.open({ subject: 'Merged away', constituents: [{ constituentId: w.person.id }] });
    const task = ok(await w.admin.api('POST', `/api/v1/cases/${from.id}/tasks`, { title: 'Chase the depot', assigneeId: w.caseworker.user.id }), 201) as Task;
    ok(await w.admin.api('POST', `/api/v1/cases/${from.id}/notes`, { body: 'Called the depot' }), 201);
    ok(await w.caseworker.api('POST', `/api/v1/cases/${into.id}/merge`, { fromCaseId: from.id }), 200);
    const tasks = ok(await w.admin.api('GET', `/api/v1/cases/${into.id}/tasks`), 200) as { items: Task[] };
    expect(tasks.items.map((t) => t.id)).toEqual([task.id]);
    const notes = ok(await w.admin.api('GET', `/api/v1/cases/${into.id}/notes`), 200) as { items: { body: string }[] };
    expect(notes.items.map((n) => n.body)).toEqual(['Called the depot']);
    const left = ok(await w.admin.api('GET', `/api/v1/cases/${from.id}/tasks`), 200) as { items: Task[] };
    expect(left.items).toEqual([]);
  });
});
