// Internal notes through the HTTP API: write with @mentions (checked, notified in the app and
// by email once), edit by the author within the window, delete (soft, audited), the staff a
// note may mention, other offices and sensitive cases.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStaff, CaseNote } from '../../../contract/case-work.js';
import type { CaseTimelineEntry } from '../../../contract/cases.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused } from '../cases/cases.testkit.js';
import { configureOutbox } from '../messages/messages.outbox.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  configureOutbox({ jobs: () => undefined, from: 'Civitas <office@example.test>' });
});
afterAll(() => ctx.close());

const mention = (u: { id: string }, name = 'Someone') => `@[${name}](user:${u.id})`;
const emailsOf = async (caseId: string) =>
  (await sql<{ to_address: string; subject: string; body_text: string; kind: string }>`SELECT to_address, subject, body_text, kind FROM outbound_messages WHERE case_id = ${caseId} ORDER BY created_at`.execute(ctx.database.db)).rows;
const mentionsOf = async (userId: string) =>
  (await sql<{ body: string }>`SELECT body FROM notifications WHERE user_id = ${userId} AND kind = 'mention'`.execute(ctx.database.db)).rows;
const countNotes = async (caseId: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_notes WHERE case_id = ${caseId}`.execute(ctx.database.db)).rows[0]!.n;

describe('notes', () => {
  it('writes a note that mentions staff, who are told once in the app and by email, and shows it on the timeline', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const body = `Spoke to the resident. ${mention(w.manager.user, 'Mo Manager')} please call the council; cc ${mention(w.analyst.user, 'Ana')} ${mention(w.manager.user, 'Mo Manager')}`;
    const n = ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/notes`, { body }), 201) as CaseNote;
    expect(n).toMatchObject({ caseId: c.id, body, authorId: w.caseworker.user.id, editedAt: null, canEdit: true });
    expect(n.mentions.map((m) => m.id).sort()).toEqual([w.manager.user.id, w.analyst.user.id].sort());
    expect(await mentionsOf(w.manager.user.id)).toEqual([{ body: expect.stringContaining('@Mo Manager please call the council') }]);
    const emails = await emailsOf(c.id);
    expect(emails.map((e) => e.to_address).sort()).toEqual([w.manager.user.email, w.analyst.user.email].sort());
    expect(emails[0]).toMatchObject({ kind: 'mention', subject: expect.stringContaining(`mentioned you on ${c.reference}`) });
    expect(emails[0]!.body_text).toContain('Spoke to the resident.');

    const list = ok(await w.analyst.api('GET', `/api/v1/cases/${c.id}/notes`), 200) as { items: CaseNote[] };
    expect(list.items).toEqual([{ ...n, canEdit: false }]);
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline?kind=note`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline[0]).toMatchObject({ entityType: 'case_note', action: 'added', summary: expect.stringMatching(/^Note: Spoke to the resident\. @Mo Manager/) });
  });

  it('refuses a mention of someone outside the office, unknown, or barred from the case, with 400 on body and nothing written', async () => {
    const [w, other] = [await casework(ctx), await casework(ctx)];
    const c = await w.open();
    const sensitive = await w.open({ isSensitive: true });
    const cases: [string, string, RegExp][] = [
      [c.id, `hi ${mention(other.manager.user)}`, /not staff of this office/],
      [c.id, `hi ${mention({ id: '01890000-0000-7000-8000-000000000000' })}`, /not staff of this office/],
      [c.id, `hi ${mention(w.volunteer.user)}`, /may not read this case/],
      [sensitive.id, `hi ${mention(w.caseworker.user)}`, /may not read this case/],
    ];
    for (const [caseId, body, why] of cases) {
      const p = refused(await w.admin.api('POST', `/api/v1/cases/${caseId}/notes`, { body }), 400, 'validation_failed', 'body');
      expect(p.detail).toMatch(why);
    }
    refused(await w.admin.api('POST', `/api/v1/cases/${c.id}/notes`, { body: '  ' }), 400, 'validation_failed', 'body');
    refused(await w.admin.api('POST', `/api/v1/cases/${c.id}/notes`, { body: 'x'.repeat(10_001) }), 400, 'validation_failed', 'body');
    refused(await w.analyst.api('POST', `/api/v1/cases/${c.id}/notes`, { body: 'no' }), 403, 'forbidden');
    expect([await countNotes(c.id), await countNotes(sensitive.id)]).toEqual([0, 0]);
    expect(await emailsOf(c.id)).toEqual([]);
  });

  it('lets the author edit within the window (telling only newly mentioned people), and refuses others and late edits', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const n = ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/notes`, { body: `First ${mention(w.manager.user)}` }), 201) as CaseNote;
    const edited = ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}/notes/${n.id}`, { body: `Fixed ${mention(w.manager.user)} ${mention(w.admin.user)}` }), 200) as CaseNote;
    expect(edited).toMatchObject({ body: expect.stringContaining('Fixed'), editedAt: expect.any(String) });
    expect((await emailsOf(c.id)).map((e) => e.to_address).sort()).toEqual([w.manager.user.email, w.admin.user.email].sort());
    refused(await w.admin.api('PATCH', `/api/v1/cases/${c.id}/notes/${n.id}`, { body: 'Not mine' }), 403, 'forbidden');
    await ctx.database.db.updateTable('case_notes').set({ created_at: new Date(Date.now() - 16 * 60_000) }).where('id', '=', n.id).execute();
    const late = refused(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}/notes/${n.id}`, { body: 'Too late' }), 403, 'forbidden');
    expect(late.detail).toMatch(/15 minutes/);
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline?kind=note`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline.map((e) => e.action)).toEqual(['edited', 'added']);
  });

  it('deletes a note softly, by its author or a manager, with an audit event', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const a = ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/notes`, { body: 'One' }), 201) as CaseNote;
    const b = ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/notes`, { body: 'Two' }), 201) as CaseNote;
    refused(await w.outsider.api('DELETE', `/api/v1/cases/${c.id}/notes/${a.id}`), 403, 'forbidden');
    ok(await w.caseworker.api('DELETE', `/api/v1/cases/${c.id}/notes/${a.id}`), 204);
    ok(await w.manager.api('DELETE', `/api/v1/cases/${c.id}/notes/${b.id}`), 204);
    refused(await w.manager.api('DELETE', `/api/v1/cases/${c.id}/notes/${b.id}`), 404, 'not_found');
    expect((ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/notes`), 200) as { items: CaseNote[] }).items).toEqual([]);
    expect(await countNotes(c.id)).toBe(2);
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline?kind=note`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline.filter((e) => e.action === 'deleted').map((e) => (e.before as { body: string }).body).sort()).toEqual(['One', 'Two']);
  });

  it("answers 404 for another office's case and notes, and lists only staff who may read the case", async () => {
    const [w, other] = [await casework(ctx), await casework(ctx)];
    const theirs = await other.open();
    const n = ok(await other.admin.api('POST', `/api/v1/cases/${theirs.id}/notes`, { body: 'Theirs' }), 201) as CaseNote;
    refused(await w.admin.api('GET', `/api/v1/cases/${theirs.id}/notes`), 404, 'not_found');
    refused(await w.admin.api('GET', `/api/v1/cases/${theirs.id}/staff`), 404, 'not_found');
    refused(await w.admin.api('PATCH', `/api/v1/cases/${theirs.id}/notes/${n.id}`, { body: 'x' }), 404, 'not_found');
    refused(await w.admin.api('DELETE', `/api/v1/cases/${theirs.id}/notes/${n.id}`), 404, 'not_found');

    const c = await w.open();
    const staff = (ok(await w.caseworker.api('GET', `/api/v1/cases/${c.id}/staff`), 200) as { items: CaseStaff[] }).items;
    const ids = staff.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([w.admin.user.id, w.manager.user.id, w.caseworker.user.id, w.analyst.user.id]));
    expect(ids).not.toContain(w.volunteer.user.id);
    expect(ids).not.toContain(other.admin.user.id);
    expect(staff.find((s) => s.id === w.analyst.user.id)!.canWork).toBe(false);
    const sensitive = await w.open({ isSensitive: true });
    const cleared = (ok(await w.admin.api('GET', `/api/v1/cases/${sensitive.id}/staff`), 200) as { items: CaseStaff[] }).items.map((s) => s.id);
    expect(cleared).not.toContain(w.caseworker.user.id);
    refused(await w.caseworker.api('GET', `/api/v1/cases/${sensitive.id}/notes`), 404, 'not_found');
  });
});
