// Notes shared with the resident through the HTTP API: shared when written or later, shown on
// the portal's tracking page with their date (as text), internal notes never; a shared note is
// not edited, withdrawing it is audited and takes it off the page; only its author or a manager
// shares or withdraws; never on a sensitive case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseNote } from '../../../contract/case-work.js';
import type { CaseTimelineEntry } from '../../../contract/cases.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { ok, refused } from '../cases/cases.testkit.js';
import { configureOutbox } from '../messages/messages.outbox.js';
import { get, portalOffice, report, reportFields, textOf } from '../portal/portal.testkit.js';
import { configureUpdates } from '../updates/updates.queue.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_IP_PER_HOUR: '1000', INTAKE_FORM_PER_EMAIL_PER_HOUR: '1000' });
  // Nothing of this file's is sent: updates and mail stay queued in the database.
  configureOutbox({ jobs: () => undefined, from: 'Civitas <office@example.test>' });
  configureUpdates(() => undefined);
});
afterAll(() => ctx.close());

async function reported() {
  const w = await portalOffice(ctx);
  const { page, trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id));
  const reference = /C-\d{4}-\d{5,}/.exec(page.body)![0];
  const c = await ctx.database.db.selectFrom('cases').select(['id']).where('office_id', '=', w.office.id).where('reference', '=', reference).executeTakeFirstOrThrow();
  return { ...w, trackPath, caseId: c.id };
}

const updatesOf = (caseId: string) => ctx.database.db.selectFrom('resident_updates').select(['kind', 'note_id', 'event_key']).where('case_id', '=', caseId).execute();
const timeline = async (w: Awaited<ReturnType<typeof reported>>) =>
  (ok(await w.admin.api('GET', `/api/v1/cases/${w.caseId}/timeline?kind=note`), 200) as { items: CaseTimelineEntry[] }).items;

describe('public notes', () => {
  it('shows a shared note on the tracking page with its date, as text, and never an internal note', async () => {
    const w = await reported();
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.caseId}/notes`, { body: 'Internal: call the contractor first' }), 201);
    const shared = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.caseId}/notes`, { body: 'A crew is booked for <b>Tuesday</b> & will <script>alert(1)</script> fill it.', isPublic: true }), 201) as CaseNote;
    expect(shared).toMatchObject({ isPublic: true, publishedAt: expect.any(String), canEdit: false });
    const page = await get(ctx, w.trackPath);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const text = textOf(page.body);
    expect(text).toContain('Update from the office');
    expect(text).toContain('A crew is booked for <b>Tuesday</b> & will <script>alert(1)</script> fill it.');
    expect(page.body).toContain(`<time dateTime="${shared.publishedAt}">`);
    expect(text).not.toContain('call the contractor');
    expect(textOf((await get(ctx, `${w.trackPath}?lang=es`)).body)).toContain('Novedad de la oficina');
    // The requester is to be told (once), by a job after the commit.
    expect(await updatesOf(w.caseId)).toEqual([{ kind: 'public_note', note_id: shared.id, event_key: `note:${shared.id}` }]);
    const entries = await timeline(w);
    expect(entries[0]).toMatchObject({ action: 'added', summary: expect.stringMatching(/^Note shared with the resident: A crew is booked/) });
  });

  it('shares an internal note later and withdraws it with audit events; a shared note is not edited', async () => {
    const w = await reported();
    const n = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.caseId}/notes`, { body: 'We have asked the highways team.' }), 201) as CaseNote;
    expect(n).toMatchObject({ isPublic: false, publishedAt: null, canEdit: true });
    expect(textOf((await get(ctx, w.trackPath)).body)).not.toContain('highways team');
    // Only its author or a manager shares it; an analyst may not write at all.
    refused(await w.analyst.api('PUT', `/api/v1/cases/${w.caseId}/notes/${n.id}/sharing`, { isPublic: true }), 403, 'forbidden');
    const other = ok(await w.admin.api('POST', `/api/v1/cases/${w.caseId}/notes`, { body: 'Admin note' }), 201) as CaseNote;
    refused(await w.caseworker.api('PUT', `/api/v1/cases/${w.caseId}/notes/${other.id}/sharing`, { isPublic: true }), 403, 'forbidden');
    const shared = ok(await w.caseworker.api('PUT', `/api/v1/cases/${w.caseId}/notes/${n.id}/sharing`, { isPublic: true }), 200) as CaseNote;
    expect(shared).toMatchObject({ isPublic: true, publishedAt: expect.any(String), canEdit: false });
    expect(textOf((await get(ctx, w.trackPath)).body)).toContain('We have asked the highways team.');
    refused(await w.caseworker.api('PATCH', `/api/v1/cases/${w.caseId}/notes/${n.id}`, { body: 'Changed after sharing' }), 409, 'conflict');
    refused(await w.caseworker.api('PATCH', `/api/v1/cases/${w.caseId}/notes/${n.id}`, { body: 'x', isPublic: false }), 400, 'validation_failed');
    // Withdrawn by a manager: off the page, an audit event, and sharing again tells nobody twice.
    const withdrawn = ok(await w.manager.api('PUT', `/api/v1/cases/${w.caseId}/notes/${n.id}/sharing`, { isPublic: false }), 200) as CaseNote;
    expect(withdrawn).toMatchObject({ isPublic: false, publishedAt: null });
    expect(textOf((await get(ctx, w.trackPath)).body)).not.toContain('highways team');
    ok(await w.caseworker.api('PUT', `/api/v1/cases/${w.caseId}/notes/${n.id}/sharing`, { isPublic: true }), 200);
    expect((await updatesOf(w.caseId)).filter((u) => u.note_id === n.id)).toHaveLength(1);
    const actions = (await timeline(w)).filter((e) => e.entityId === n.id).map((e) => e.action);
    expect(actions).toEqual(['shared', 'unshared', 'shared', 'added']);
    // Deleting a shared note takes it off the page too.
    ok(await w.caseworker.api('DELETE', `/api/v1/cases/${w.caseId}/notes/${n.id}`), 204);
    expect(textOf((await get(ctx, w.trackPath)).body)).not.toContain('highways team');
  });

  it("refuses to share a sensitive case's note, written or later, and queues nothing", async () => {
    const w = await reported();
    ok(await w.admin.api('PATCH', `/api/v1/cases/${w.caseId}`, { isSensitive: true }), 200);
    refused(await w.admin.api('POST', `/api/v1/cases/${w.caseId}/notes`, { body: 'Shared?', isPublic: true }), 400, 'validation_failed', 'isPublic');
    const n = ok(await w.admin.api('POST', `/api/v1/cases/${w.caseId}/notes`, { body: 'Internal only' }), 201) as CaseNote;
    refused(await w.admin.api('PUT', `/api/v1/cases/${w.caseId}/notes/${n.id}/sharing`, { isPublic: true }), 400, 'validation_failed', 'isPublic');
    expect(await updatesOf(w.caseId)).toEqual([]);
    const text = textOf((await get(ctx, w.trackPath)).body);
    expect(text).not.toContain('Internal only');
    expect(text).not.toContain('Shared?');
  });

  it("answers 404 for another office's note", async () => {
    const [a, b] = [await reported(), await reported()];
    const n = ok(await a.admin.api('POST', `/api/v1/cases/${a.caseId}/notes`, { body: 'Theirs' }), 201) as CaseNote;
    refused(await b.admin.api('PUT', `/api/v1/cases/${a.caseId}/notes/${n.id}/sharing`, { isPublic: true }), 404, 'not_found');
  });
});
