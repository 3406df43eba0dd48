// Templates, replies from a case and the case's messages, through the HTTP API, delivered to
// a real SMTP server by the job queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import type { OutboundMessage, ReplyPreview } from '../../../contract/messages.js';
import type { ReplyTemplate } from '../../../contract/templates.js';
import { createConstituent, createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { smtpMailer } from '../../platform/mail.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { deliverJob } from './messages.deliver.js';
import { approvedTemplate as template, startSmtp, type TestSmtp } from './messages.testkit.js';

const FROM = 'Town Hall <casework@town.example>';
let ctx: TestContext;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', MAIL_FROM: FROM });
  ctx.jobs.define(deliverJob(ctx.database, smtpMailer(smtp.url), () => FROM));
  await ctx.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

async function world() {
  const w = await casework(ctx);
  const ada = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('Lovelace'), emails: [{ email: `${uniq('ada')}@example.org`.toLowerCase() }] });
  const c = await w.open({ constituents: [{ constituentId: ada.id }] });
  return { ...w, ada, c };
}

async function messagesOf(as: Staff, caseId: string, until?: (m: OutboundMessage[]) => boolean): Promise<OutboundMessage[]> {
  for (let i = 0; ; i++) {
    const items = (ok(await as.api('GET', `/api/v1/cases/${caseId}/messages`), 200) as { items: OutboundMessage[] }).items;
    if (!until || until(items) || i > 200) return items;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('templates', () => {
  it('are managed by managers, listed for caseworkers and refused with an unknown or malformed merge field', async () => {
    const w = await casework(ctx);
    const t = await template(w.manager);
    expect(t).toMatchObject({ channel: 'email', retired: false, categoryId: null });
    refused(await w.analyst.api('POST', '/api/v1/reply-templates', { name: 'x', subject: 's', body: 'b' }), 403, 'forbidden');
    refused(await w.caseworker.api('PATCH', `/api/v1/reply-templates/${t.id}`, { retired: true }), 403, 'forbidden');
    expect((ok(await w.caseworker.api('GET', '/api/v1/reply-templates'), 200) as { items: ReplyTemplate[] }).items.map((i) => i.id)).toEqual([t.id]);
    const unknown = refused(await w.manager.api('POST', '/api/v1/reply-templates', { name: 'Bad', subject: 'Hi', body: 'Dear {{constituent.password}}' }), 400, 'validation_failed', 'body');
    expect(unknown.detail).toContain('{{constituent.password}}');
    refused(await w.manager.api('POST', '/api/v1/reply-templates', { name: 'Bad', subject: 'Case {{case.reference', body: 'x' }), 400, 'validation_failed', 'subject');
    refused(await w.manager.api('POST', '/api/v1/reply-templates', { name: 'Bad', subject: 'x', body: 'a }} b' }), 400, 'validation_failed', 'body');
    refused(await w.manager.api('PUT', `/api/v1/reply-templates/${t.id}/languages/en/draft`, { subject: 'x', body: '{{#each case}}x{{/each}}' }), 400, 'validation_failed', 'body');
    // The text changes through drafts only.
    refused(await w.manager.api('PATCH', `/api/v1/reply-templates/${t.id}`, { body: 'New text' }), 400, 'validation_failed');
    refused(await w.manager.api('POST', '/api/v1/reply-templates', { name: t.name.toUpperCase(), subject: 'x', body: 'y' }), 409, 'conflict', 'name');
    refused(await w.manager.api('POST', '/api/v1/reply-templates', { name: 'Empty', subject: 'x', body: '  ' }), 400, 'validation_failed');
    const fields = ok(await w.caseworker.api('GET', '/api/v1/reply-templates/merge-fields'), 200) as { items: { name: string }[] };
    expect(fields.items.map((f) => f.name)).toContain('case.reference');
    // Retired: gone from the list, its name free again.
    ok(await w.manager.api('PATCH', `/api/v1/reply-templates/${t.id}`, { retired: true }), 200);
    expect((ok(await w.manager.api('GET', '/api/v1/reply-templates'), 200) as { items: unknown[] }).items).toEqual([]);
    expect((ok(await w.manager.api('GET', '/api/v1/reply-templates?includeRetired=true'), 200) as { items: ReplyTemplate[] }).items[0]).toMatchObject({ id: t.id, retired: true });
    ok(await w.manager.api('POST', '/api/v1/reply-templates', { name: t.name, subject: 'x', body: 'y' }), 201);
  });

  it("are invisible to another office", async () => {
    const a = await casework(ctx);
    const b = await casework(ctx);
    const t = await template(b.manager);
    refused(await a.manager.api('GET', `/api/v1/reply-templates/${t.id}`), 404, 'not_found');
    refused(await a.manager.api('PATCH', `/api/v1/reply-templates/${t.id}`, { name: 'Mine now' }), 404, 'not_found');
    expect((ok(await b.manager.api('GET', `/api/v1/reply-templates/${t.id}`), 200) as ReplyTemplate).name).toBe(t.name);
  });
});

describe('replies from a case', () => {
  it('previews and sends a template to the requester, threads it, lists its delivery status and marks the first response', async () => {
    const w = await world();
    const t = await template(w.manager);
    const preview = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies/preview`, { templateId: t.id }), 200) as ReplyPreview;
    expect(preview).toMatchObject({ canSend: true, reason: null, to: w.ada.emails[0]!.email, recipient: { id: w.ada.id }, subject: `About [${w.c.reference}]` });
    expect(preview.body).toContain('Dear Ada,');
    expect(preview.body).toContain('We fixed "Pothole on Mill Lane".');
    expect(preview.body).toContain('Test Office');
    const before = smtp.received.length;
    const sent = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { templateId: t.id, body: `${preview.body}\n\nP.S. edited` }), 201) as OutboundMessage;
    expect(sent).toMatchObject({ status: 'queued', kind: 'reply', templateId: t.id, templateVersion: 1, templateLanguage: 'en', to: w.ada.emails[0]!.email });
    // Picked by its case: on a shared PostgreSQL database other files' mail arrives here too.
    const m = await smtp.waitForMail((x) => x.headers.get('x-civitas-case') === w.c.id, before);
    expect(m!.subject).toBe(`About [${w.c.reference}]`);
    expect(m!.text).toContain('P.S. edited');
    expect(m!.inReplyTo).toMatch(new RegExp(`^<case-${w.c.id}@town\\.example>$`));
    const list = await messagesOf(w.caseworker, w.c.id, (items) => items[0]?.status === 'sent');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: sent.id, status: 'sent', attempts: 1, sentAt: expect.any(String) });
    const kase = ok(await w.admin.api('GET', `/api/v1/cases/${w.c.id}`), 200) as Case;
    expect(kase.sla.firstRespondedAt).not.toBeNull();
    const timeline = ok(await w.admin.api('GET', `/api/v1/cases/${w.c.id}/timeline?kind=message`), 200) as { items: { action: string }[] };
    expect(timeline.items.map((e) => e.action)).toEqual(['sent', 'queued']);
  });

  it('sends free text with merge fields and the default subject', async () => {
    const w = await world();
    const sent = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: 'Hello {{constituent.given_name}}, about {{case.reference}}.' }), 201) as OutboundMessage;
    expect(sent.subject).toBe(`Your case [${w.c.reference}]: Pothole on Mill Lane`);
    expect(sent.body).toBe(`Hello Ada, about ${w.c.reference}.`);
  });

  it('also sends a reply to the requester to the requesters of duplicate cases, each by name, skipping those who cannot be emailed', async () => {
    const w = await world();
    const bo = await createConstituent(ctx, w.office, { givenName: 'Bo', familyName: uniq('Dup'), emails: [{ email: `${uniq('bo')}@example.org`.toLowerCase() }] });
    const quiet = await createConstituent(ctx, w.office, { givenName: 'Quiet', familyName: uniq('Dup'), emails: [{ email: `${uniq('q')}@example.org`.toLowerCase() }], doNotContact: true });
    for (const p of [bo, quiet]) {
      const dup = await w.open({ constituents: [{ constituentId: p.id }] });
      ok(await w.caseworker.api('POST', `/api/v1/cases/${dup.id}/duplicate-of`, { originalId: w.c.id }), 200);
    }
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: 'Hello {{constituent.given_name}}, it is fixed.' }), 201);
    const items = await messagesOf(w.admin, w.c.id);
    expect(items.map((m) => [m.constituentId, m.body]).sort()).toEqual([[w.ada.id, 'Hello Ada, it is fixed.'], [bo.id, 'Hello Bo, it is fixed.']].sort());
    // A reply to someone other than the requester is not a public update.
    const other = await createConstituent(ctx, w.office, { givenName: 'Cy', familyName: uniq('Aff'), emails: [{ email: `${uniq('cy')}@example.org`.toLowerCase() }] });
    ok(await w.admin.api('PUT', `/api/v1/cases/${w.c.id}/constituents`, { constituents: [{ constituentId: w.ada.id, role: 'requester' }, { constituentId: other.id, role: 'affected' }] }), 200);
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: 'Just you', constituentId: other.id }), 201);
    expect((await messagesOf(w.admin, w.c.id)).filter((m) => m.body === 'Just you').map((m) => m.constituentId)).toEqual([other.id]);
  });

  it('copies nothing to the requester of a sensitive duplicate, nor anything of a sensitive case', async () => {
    const w = await world();
    const cal = await createConstituent(ctx, w.office, { givenName: 'Cal', familyName: uniq('Dup'), emails: [{ email: `${uniq('cal')}@example.org`.toLowerCase() }] });
    const dup = await w.open({ constituents: [{ constituentId: cal.id }], isSensitive: true });
    ok(await w.admin.api('POST', `/api/v1/cases/${dup.id}/duplicate-of`, { originalId: w.c.id }), 200);
    ok(await w.admin.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: 'It is fixed.' }), 201);
    expect((await messagesOf(w.admin, w.c.id)).map((m) => m.constituentId)).toEqual([w.ada.id]);
    // The other way round: a sensitive original's replies go to its requester only.
    const bo = await createConstituent(ctx, w.office, { givenName: 'Bo', familyName: uniq('Dup'), emails: [{ email: `${uniq('bo')}@example.org`.toLowerCase() }] });
    const secret = await w.open({ constituents: [{ constituentId: w.ada.id }], isSensitive: true });
    const plain = await w.open({ constituents: [{ constituentId: bo.id }] });
    ok(await w.admin.api('POST', `/api/v1/cases/${plain.id}/duplicate-of`, { originalId: secret.id }), 200);
    ok(await w.admin.api('POST', `/api/v1/cases/${secret.id}/replies`, { body: 'Private reply.' }), 201);
    expect((await messagesOf(w.admin, secret.id)).map((m) => m.constituentId)).toEqual([w.ada.id]);
  });

  it('refuses people who cannot be emailed, bad input and other offices, writing nothing', async () => {
    const w = await world();
    const noEmail = await createConstituent(ctx, w.office, { givenName: 'Nomail', familyName: uniq('Person') });
    const dnc = await createConstituent(ctx, w.office, { givenName: 'Private', familyName: uniq('Person'), emails: [{ email: `${uniq('p')}@example.org`.toLowerCase() }], doNotContact: true });
    const c1 = await w.open({ constituents: [{ constituentId: noEmail.id }] });
    const c2 = await w.open({ constituents: [{ constituentId: dnc.id }] });
    const p1 = ok(await w.caseworker.api('POST', `/api/v1/cases/${c1.id}/replies/preview`, { body: 'Hi' }), 200) as ReplyPreview;
    expect(p1).toMatchObject({ canSend: false, to: null, reason: expect.stringContaining('no valid email') });
    expect(refused(await w.caseworker.api('POST', `/api/v1/cases/${c1.id}/replies`, { body: 'Hi' }), 422, 'cannot_contact', 'constituentId').detail).toMatch(/email/);
    expect(refused(await w.caseworker.api('POST', `/api/v1/cases/${c2.id}/replies`, { body: 'Hi' }), 422, 'cannot_contact', 'constituentId').detail).toMatch(/do not contact/i);
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: '   ' }), 400, 'validation_failed', 'body');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, {}), 400, 'validation_failed', 'body');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: 'Hi {{case.secret}}' }), 400, 'validation_failed', 'body');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: 'Hi', constituentId: noEmail.id }), 400, 'validation_failed', 'constituentId');
    const other = await world();
    const theirs = await template(other.manager);
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies`, { templateId: theirs.id }), 400, 'validation_failed', 'templateId');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${other.c.id}/replies`, { body: 'Hi' }), 404, 'not_found');
    refused(await w.caseworker.api('GET', `/api/v1/cases/${other.c.id}/messages`), 404, 'not_found');
    refused(await w.volunteer.api('POST', `/api/v1/cases/${w.c.id}/replies`, { body: 'Hi' }), 403, 'forbidden');
    for (const c of [w.c, c1, c2]) expect(await messagesOf(w.admin, c.id)).toEqual([]);
    expect(await messagesOf(other.admin, other.c.id)).toEqual([]);
    expect((ok(await w.admin.api('GET', `/api/v1/cases/${w.c.id}`), 200) as Case).sla.firstRespondedAt).toBeNull();
  });
});
