// Reply templates' languages and draft -> approved workflow, through the HTTP API: only approved
// text is ever sent, approving supersedes, the history restores, the recipient's language is
// used where approved, and only those who may approve do.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit.js';
import type { OutboundMessage } from '../../../contract/messages.js';
import type { ApprovedTemplateText, ReplyTemplate, TemplateVersion } from '../../../contract/templates.js';
import { createConstituent, createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { approvedTemplate } from './messages.testkit.js';
import { approvedText, pickLanguage } from './templates.workflow.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

const resolve = { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Collected on Monday.' };

async function world(preferredLanguage: string | null = null) {
  const w = await casework(ctx);
  const ada = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('L'), emails: [{ email: `${uniq('ada')}@example.org`.toLowerCase() }], preferredLanguage });
  const c = await w.open({ constituents: [{ constituentId: ada.id }] });
  return { ...w, ada, c };
}

const url = (t: { id: string }, language = 'en') => `/api/v1/reply-templates/${t.id}/languages/${language}`;
const draftOf = (t: ReplyTemplate, language = 'en') => t.translations.find((x) => x.language === language)?.draft ?? null;
const approvedOf = (t: ReplyTemplate, language = 'en') => t.translations.find((x) => x.language === language)?.approved ?? null;
const approve = async (as: Staff, t: ReplyTemplate, language = 'en') => {
  const d = draftOf(t, language)!;
  return ok(await as.api('POST', `${url(t, language)}/approve`, { version: d.version, revision: d.revision }), 200) as ReplyTemplate;
};
const saveDraft = async (as: Staff, t: { id: string }, language: string, text: { subject: string; body: string }) =>
  ok(await as.api('PUT', `${url(t, language)}/draft`, text), 200) as ReplyTemplate;
const historyOf = async (as: Staff, t: { id: string }, language?: string) =>
  (ok(await as.api('GET', `/api/v1/reply-templates/${t.id}/versions${language ? `?language=${language}` : ''}`), 200) as { items: TemplateVersion[] }).items;
const messagesOf = async (as: Staff, caseId: string) => (ok(await as.api('GET', `/api/v1/cases/${caseId}/messages`), 200) as { items: OutboundMessage[] }).items;

describe('the draft -> approved workflow', () => {
  it('never sends a draft: a new template is refused by the composer and the closure message until it is approved', async () => {
    const w = await world();
    const t = ok(await w.caseworker.api('POST', '/api/v1/reply-templates', { name: uniq('Bins'), subject: 'Bins {{case.reference}}', body: 'Draft text' }), 201) as ReplyTemplate;
    expect(t.defaultLanguage).toBe('en');
    expect(t.translations).toEqual([{ language: 'en', approved: null, draft: expect.objectContaining({ version: 1, revision: 1, status: 'draft', body: 'Draft text', approvedAt: null }) }]);
    for (const path of ['replies', 'replies/preview']) {
      expect(refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/${path}`, { templateId: t.id }), 400, 'validation_failed', 'templateId').detail).toMatch(/no approved text/);
    }
    refused(await w.caseworker.api('GET', `/api/v1/cases/${w.c.id}/replies/template-text?templateId=${t.id}`), 400, 'validation_failed', 'templateId');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/status`, { ...resolve, notifyResident: true, closureTemplateId: t.id }), 400, 'validation_failed', 'closureTemplateId');
    expect((await w.read(w.c.id)).status.key).toBe('new');
    expect(await approvedText(ctx.database.db, w.office.id, t.id, ['en'])).toBeNull();
    expect(await messagesOf(w.admin, w.c.id)).toEqual([]);

    const approved = await approve(w.manager, t);
    expect(approved.translations).toEqual([{ language: 'en', draft: null, approved: expect.objectContaining({ version: 1, status: 'approved', approvedBy: expect.any(String), approvedAt: expect.any(String) }) }]);
    const sent = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { templateId: t.id }), 201) as OutboundMessage;
    expect(sent).toMatchObject({ body: 'Draft text', templateId: t.id, templateVersion: 1, templateLanguage: 'en' });
  });

  it('keeps the approved text while a draft is edited, supersedes it on approval, and keeps every version in the history', async () => {
    const w = await world();
    const t = await approvedTemplate(w.manager, { subject: 'Hello', body: 'Version one' });
    let now = await saveDraft(w.caseworker, t, 'en', { subject: 'Hello', body: 'Version two, first go' });
    now = await saveDraft(w.caseworker, t, 'en', { subject: 'Hello', body: 'Version two' });
    expect(draftOf(now)).toMatchObject({ version: 2, revision: 2, body: 'Version two' });
    expect(approvedOf(now)).toMatchObject({ version: 1, body: 'Version one' });
    // Sending while the draft is open still uses the approved text.
    const before = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { templateId: t.id }), 201) as OutboundMessage;
    expect(before).toMatchObject({ body: 'Version one', templateVersion: 1 });
    // Approving names the revision read: an older one is refused, nothing changes.
    expect(refused(await w.manager.api('POST', `${url(t)}/approve`, { version: 2, revision: 1 }), 409, 'conflict', 'revision').detail).toMatch(/changed since you read it/);
    now = await approve(w.manager, now);
    expect(approvedOf(now)).toMatchObject({ version: 2, body: 'Version two' });
    expect(draftOf(now)).toBeNull();
    const after = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { templateId: t.id }), 201) as OutboundMessage;
    expect(after).toMatchObject({ body: 'Version two', templateVersion: 2 });
    // Discarding a draft keeps it in the history; restoring an old version makes a new draft.
    await saveDraft(w.manager, t, 'en', { subject: 'Hello', body: 'Version three' });
    refused(await w.manager.api('POST', `${url(t)}/versions/1/restore`), 409, 'conflict');
    now = ok(await w.caseworker.api('DELETE', `${url(t)}/draft`), 200) as ReplyTemplate;
    expect(draftOf(now)).toBeNull();
    refused(await w.caseworker.api('DELETE', `${url(t)}/draft`), 404, 'not_found');
    now = ok(await w.caseworker.api('POST', `${url(t)}/versions/1/restore`), 200) as ReplyTemplate;
    expect(draftOf(now)).toMatchObject({ version: 4, body: 'Version one' });
    refused(await w.caseworker.api('POST', `${url(t)}/versions/9/restore`), 404, 'not_found');
    const history = await historyOf(w.caseworker, t);
    expect(history.map((v) => [v.version, v.status, v.body])).toEqual([
      [4, 'draft', 'Version one'], [3, 'discarded', 'Version three'], [2, 'approved', 'Version two'], [1, 'superseded', 'Version one'],
    ]);
    expect(history[2]).toMatchObject({ createdBy: expect.any(String), approvedBy: expect.any(String), approvedAt: expect.any(String), closedAt: null });
    expect(history[3]!.closedAt).not.toBeNull();
    // Every change is in the audit log.
    const events = (ok(await w.admin.api('GET', `/api/v1/audit?entityType=reply_template&entityId=${t.id}&limit=200`), 200) as { items: AuditEvent[] }).items;
    expect(events.map((e) => e.action).reverse()).toEqual([
      'created', 'approved', 'draft_saved', 'draft_saved', 'approved', 'draft_saved', 'draft_discarded', 'version_restored',
    ]);
  });

  it('holds one approved version and one open draft per language, also in the schema', async () => {
    const w = await world();
    const t = await approvedTemplate(w.manager, { subject: 'Hi', body: 'One' });
    for (const body of ['Two', 'Three']) await approve(w.manager, await saveDraft(w.manager, t, 'en', { subject: 'Hi', body }));
    const statuses = (await historyOf(w.manager, t)).map((v) => v.status);
    expect(statuses).toEqual(['approved', 'superseded', 'superseded']);
    const row = { office_id: w.office.id, template_id: t.id, language: 'en', subject: 'x', body: 'y', created_by_label: 'test' };
    const insert = (version: number, status: string) =>
      ctx.database.db.insertInto('reply_template_versions').values({ ...row, version, status, approved_at: sql`now()`, approved_by_label: status === 'approved' ? 'test' : null }).execute();
    await expect(insert(9, 'approved')).rejects.toThrow(/reply_template_versions_approved/);
    await saveDraft(w.manager, t, 'en', { subject: 'Hi', body: 'Four' });
    await expect(ctx.database.db.insertInto('reply_template_versions').values({ ...row, version: 10 }).execute()).rejects.toThrow(/reply_template_versions_draft/);
  });

  it('lets caseworkers draft but only managers and admins approve, and only managers rename or retire', async () => {
    const w = await world();
    const t = ok(await w.caseworker.api('POST', '/api/v1/reply-templates', { name: uniq('Mine'), subject: 'Hi', body: 'Text' }), 201) as ReplyTemplate;
    await saveDraft(w.caseworker, t, 'es', { subject: 'Hola', body: 'Texto' });
    refused(await w.caseworker.api('POST', `${url(t)}/approve`, { version: 1, revision: 1 }), 403, 'forbidden');
    refused(await w.caseworker.api('PATCH', `/api/v1/reply-templates/${t.id}`, { name: 'Renamed' }), 403, 'forbidden');
    for (const who of [w.analyst, w.volunteer]) {
      refused(await who.api('PUT', `${url(t)}/draft`, { subject: 'Hi', body: 'Sneaky' }), 403, 'forbidden');
      refused(await who.api('POST', `${url(t)}/approve`, { version: 1, revision: 1 }), 403, 'forbidden');
    }
    const after = ok(await w.caseworker.api('GET', `/api/v1/reply-templates/${t.id}`), 200) as ReplyTemplate;
    expect(after.translations.map((x) => [x.language, x.approved, x.draft?.body])).toEqual([['en', null, 'Text'], ['es', null, 'Texto']]);
    await approve(w.admin, after, 'es');
    await approve(w.manager, after, 'en');
  });

  it('refuses unknown merge fields on every save, naming the field and the merge field', async () => {
    const w = await world();
    const t = await approvedTemplate(w.manager);
    const body = refused(await w.caseworker.api('PUT', `${url(t, 'es')}/draft`, { subject: 'Hola', body: 'Hola {{constituent.nombre}}' }), 400, 'validation_failed', 'body');
    expect(body.detail).toContain('{{constituent.nombre}}');
    expect(refused(await w.caseworker.api('PUT', `${url(t)}/draft`, { subject: 'About {{case.ref}}', body: 'x' }), 400, 'validation_failed', 'subject').detail).toContain('{{case.ref}}');
    refused(await w.caseworker.api('POST', '/api/v1/reply-templates', { name: 'Bad', language: 'es', subject: 'x', body: '{{nope}}' }), 400, 'validation_failed', 'body');
    refused(await w.caseworker.api('PUT', `/api/v1/reply-templates/${t.id}/languages/1234/draft`, { subject: 'x', body: 'y' }), 400, 'validation_failed');
    refused(await w.manager.api('POST', `${url(t)}/approve`, {}), 400, 'validation_failed');
    expect((await historyOf(w.manager, t)).map((v) => v.language)).toEqual(['en']);
  });

  it("is invisible to another office on every route", async () => {
    const a = await world();
    const b = await world();
    const t = await approvedTemplate(b.manager);
    await saveDraft(b.manager, t, 'en', { subject: 'Theirs', body: 'Theirs' });
    const calls: [string, string, object?][] = [
      ['GET', `/api/v1/reply-templates/${t.id}/versions`],
      ['PUT', `${url(t)}/draft`, { subject: 'Mine', body: 'Mine' }],
      ['PUT', `${url(t, 'es')}/draft`, { subject: 'Mine', body: 'Mine' }],
      ['DELETE', `${url(t)}/draft`],
      ['POST', `${url(t)}/approve`, { version: 2, revision: 1 }],
      ['POST', `${url(t)}/versions/1/restore`],
    ];
    for (const [method, path, body] of calls) refused(await a.admin.api(method as 'GET', path, body), 404, 'not_found');
    refused(await a.caseworker.api('GET', `/api/v1/cases/${a.c.id}/replies/template-text?templateId=${t.id}`), 400, 'validation_failed', 'templateId');
    refused(await a.caseworker.api('GET', `/api/v1/cases/${b.c.id}/replies/template-text?templateId=${t.id}`), 404, 'not_found');
    expect(await approvedText(ctx.database.db, a.office.id, t.id, ['en'])).toBeNull();
    const theirs = ok(await b.manager.api('GET', `/api/v1/reply-templates/${t.id}`), 200) as ReplyTemplate;
    expect([approvedOf(theirs)?.version, draftOf(theirs)?.body]).toEqual([1, 'Theirs']);
  });
});

describe('languages', () => {
  it('picks the first preferred language with approved text, its primary or a regional form, else the default, else nothing', () => {
    expect(pickLanguage(['en', 'es'], ['es-MX'], 'en')).toBe('es');
    expect(pickLanguage(['en-GB', 'cy'], ['en'], 'cy')).toBe('en-GB');
    expect(pickLanguage(['en', 'es'], ['fr', 'ES'], 'en')).toBe('es');
    expect(pickLanguage(['en', 'es'], ['not a tag', 'fr'], 'en')).toBe('en');
    expect(pickLanguage(['es'], [], 'en')).toBeNull();
  });

  it('answers approvedText in the preferred language when approved, else the default language, never a draft, nothing when retired', async () => {
    const w = await world();
    const t = await approvedTemplate(w.manager, { subject: 'Hello', body: 'English' });
    await approve(w.manager, await saveDraft(w.caseworker, t, 'es', { subject: 'Hola', body: 'Español' }), 'es');
    await saveDraft(w.caseworker, t, 'cy', { subject: 'Helo', body: 'Cymraeg (draft)' });
    const text = (langs: string[]) => approvedText(ctx.database.db, w.office.id, t.id, langs);
    expect(await text(['es-MX', 'en'])).toEqual({ templateId: t.id, version: 1, language: 'es', subject: 'Hola', body: 'Español' });
    expect((await text(['cy']))?.language).toBe('en');
    expect((await text(['fr', 'es']))?.language).toBe('es');
    expect((await text([]))?.language).toBe('en');
    ok(await w.manager.api('PATCH', `/api/v1/reply-templates/${t.id}`, { defaultLanguage: 'es' }), 200);
    expect((await text(['cy']))?.language).toBe('es');
    ok(await w.manager.api('PATCH', `/api/v1/reply-templates/${t.id}`, { defaultLanguage: 'cy' }), 200);
    expect(await text(['fr'])).toBeNull();
    ok(await w.manager.api('PATCH', `/api/v1/reply-templates/${t.id}`, { retired: true }), 200);
    expect(await text(['es'])).toBeNull();
  });

  it("fills the composer with the recipient's language, records the version and language sent, and refuses a language without approved text", async () => {
    const w = await world('es-MX');
    const t = await approvedTemplate(w.manager, { subject: 'About {{case.reference}}', body: 'Dear {{constituent.given_name}}' });
    const english = ok(await w.caseworker.api('GET', `/api/v1/cases/${w.c.id}/replies/template-text?templateId=${t.id}`), 200) as ApprovedTemplateText;
    expect(english).toMatchObject({ language: 'en', version: 1, body: 'Dear {{constituent.given_name}}' });
    await approve(w.manager, await saveDraft(w.manager, t, 'es', { subject: 'Sobre {{case.reference}}', body: 'Estimada {{constituent.given_name}}' }), 'es');
    await saveDraft(w.manager, t, 'cy', { subject: 'Ynglŷn â {{case.reference}}', body: 'Annwyl {{constituent.given_name}}' });
    const spanish = ok(await w.caseworker.api('GET', `/api/v1/cases/${w.c.id}/replies/template-text?templateId=${t.id}&constituentId=${w.ada.id}`), 200) as ApprovedTemplateText;
    expect(spanish).toEqual({ templateId: t.id, version: 1, language: 'es', subject: 'Sobre {{case.reference}}', body: 'Estimada {{constituent.given_name}}' });
    const sent = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { templateId: t.id }), 201) as OutboundMessage;
    expect(sent).toMatchObject({ body: 'Estimada Ada', templateVersion: 1, templateLanguage: 'es' });
    // The text as edited by staff, started from the English version: recorded as such.
    const edited = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { templateId: t.id, templateLanguage: 'en', body: 'Dear Ada, edited' }), 201) as OutboundMessage;
    expect(edited).toMatchObject({ body: 'Dear Ada, edited', templateLanguage: 'en', templateVersion: 1 });
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { templateId: t.id, templateLanguage: 'cy' }), 400, 'validation_failed', 'templateLanguage');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: 'x', templateLanguage: 'en' }), 400, 'validation_failed', 'templateLanguage');
    // The closure message goes in the requester's language too.
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/status`, { ...resolve, notifyResident: true, closureTemplateId: t.id }), 200);
    const closure = (await messagesOf(w.admin, w.c.id)).find((m) => m.kind === 'closure');
    expect(closure).toMatchObject({ subject: `Sobre [${w.c.reference}]`, templateLanguage: 'es', templateVersion: 1 });
  });
});
