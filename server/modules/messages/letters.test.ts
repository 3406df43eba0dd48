// Letters: a reply by post waits in the print queue, prints as one PDF with each letter on its
// own pages, and is marked posted (or back, undoing a mistake) with events on the case
// timeline; no delivery job or sweep ever "sends" it; sensitive cases and other offices stay
// out of sight; bad requests are refused with nothing half-done.
import { sql } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Letter, OutboundMessage, ReplyPreview } from '../../../contract/messages.js';
import { createConstituent, createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { pdfText } from '../../../test/pdf-text.js';
import { fileMailer } from '../../platform/mail.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { deliver, requeueStale } from './messages.deliver.js';
import * as repo from './messages.repo.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await ctx.close();
});

const HOME = { line1: '12 Mill Lane', line2: 'Flat 3', locality: 'Riverton', postcode: 'RT1 2AB', isPrimary: true };

async function setup(person: Record<string, unknown> = {}) {
  const w = await casework(ctx);
  const ada = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('Lovelace'), addresses: [HOME], ...person });
  const c = await w.open({ constituents: [{ constituentId: ada.id }] });
  const reply = (body: Record<string, unknown>, as: Staff = w.caseworker) => as.api('POST', `/api/v1/cases/${c.id}/replies`, { subject: 'About your lamp post', body: 'Dear {{constituent.given_name}},\nThe lamp is fixed.', ...body });
  const letters = async (query = '', as: Staff = w.caseworker) => ok(await as.api('GET', `/api/v1/letters${query}`), 200) as { items: Letter[]; nextCursor: string | null };
  return { ...w, ada, c, reply, letters };
}


describe('a reply by letter', () => {
  it('previews the address block, waits in the print queue, prints as a PDF, and is marked posted with undo', async () => {
    const w = await setup();
    const preview = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/replies/preview`, { channel: 'letter', subject: 'About your lamp post', body: 'Dear {{constituent.given_name}},' }), 200) as ReplyPreview;
    expect(preview).toMatchObject({ channel: 'letter', canSend: true, subject: 'About your lamp post', to: `${w.ada.displayName}\n12 Mill Lane\nFlat 3\nRiverton RT1 2AB` });
    const sent = ok(await w.reply({ channel: 'letter' }), 201) as OutboundMessage;
    expect(sent).toMatchObject({ channel: 'letter', status: 'queued', kind: 'reply', subject: 'About your lamp post', body: 'Dear Ada,\nThe lamp is fixed.' });

    // No job sends a letter, and the sweep leaves it alone however old it is.
    expect(await deliver(ctx.database, fileMailer('/nonexistent'), 'x@example.org', { officeId: w.office.id, id: sent.id }, 1)).toBe('by_hand');
    await sql`UPDATE outbound_messages SET updated_at = now() - interval '1 day' WHERE office_id = ${w.office.id} AND id = ${sent.id}`.execute(ctx.database.db);
    await requeueStale(ctx.database, ctx.jobs);
    const row = await repo.get(ctx.database.db, w.office.id, sent.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 0, claimed_until: null });
    expect(Date.now() - row!.updated_at.getTime()).toBeGreaterThan(23 * 3600_000);

    const waiting = await w.letters();
    expect(waiting.items).toEqual([expect.objectContaining({ id: sent.id, caseId: w.c.id, caseReference: w.c.reference, constituentId: w.ada.id, subject: 'About your lamp post', postedAt: null })]);

    const pdf = await w.caseworker.api('GET', `/api/v1/letters/print.pdf?id=${sent.id}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="letter-${w.c.reference}.pdf"`);
    const bytes = pdf.rawPayload;
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
    const text = pdfText(bytes);
    for (const line of [w.ada.displayName, '12 Mill Lane', 'Flat 3', 'Riverton RT1 2AB', `Our reference: ${w.c.reference}`, 'About your lamp post', 'Dear Ada,', 'The lamp is fixed.']) expect(text).toContain(line);

    expect(ok(await w.caseworker.api('POST', '/api/v1/letters/posted', { ids: [sent.id] }), 200)).toEqual({ changed: 1 });
    expect(ok(await w.caseworker.api('POST', '/api/v1/letters/posted', { ids: [sent.id] }), 200)).toEqual({ changed: 0 });
    expect((await w.letters()).items).toEqual([]);
    expect((await w.letters('?status=posted')).items).toEqual([expect.objectContaining({ id: sent.id, postedAt: expect.any(String) })]);
    const messages = (ok(await w.caseworker.api('GET', `/api/v1/cases/${w.c.id}/messages`), 200) as { items: OutboundMessage[] }).items;
    expect(messages[0]).toMatchObject({ id: sent.id, status: 'sent', sentAt: expect.any(String) });
    // Undo a mistake: back in the queue, and the timeline tells both steps.
    expect(ok(await w.caseworker.api('POST', '/api/v1/letters/unposted', { ids: [sent.id] }), 200)).toEqual({ changed: 1 });
    expect((await w.letters()).items.map((l) => l.id)).toEqual([sent.id]);
    const timeline = ok(await w.admin.api('GET', `/api/v1/cases/${w.c.id}/timeline?kind=message`), 200) as { items: { action: string; summary: string }[] };
    expect(timeline.items.map((e) => e.action)).toEqual(['unposted', 'sent', 'queued']);
    expect(timeline.items[1]!.summary).toBe(`Letter posted to ${w.ada.displayName}: About your lamp post`);
  });

  it('is the reply unasked for a person who prefers post, and email is still used for one without an address', async () => {
    const w = await setup({ preferredChannel: 'post', emails: [{ email: `${uniq('ada')}@example.org`.toLowerCase() }] });
    expect((ok(await w.reply({}), 201) as OutboundMessage).channel).toBe('letter');
    const noAddress = await createConstituent(ctx, w.office, { givenName: 'Bo', familyName: uniq('B'), preferredChannel: 'post', emails: [{ email: `${uniq('bo')}@example.org`.toLowerCase() }] });
    const c = await w.open({ constituents: [{ constituentId: noAddress.id }] });
    const m = ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/replies`, { subject: 'Hello', body: 'Hi' }), 201) as OutboundMessage;
    expect(m.channel).toBe('email');
  });

  it('refuses a letter to someone without a valid address or who withdrew consent to post, writing nothing', async () => {
    const w = await setup({ addresses: [{ ...HOME, status: 'moved' }] });
    refused(await w.reply({ channel: 'letter' }), 422, 'cannot_contact', 'constituentId');
    const other = await createConstituent(ctx, w.office, { givenName: 'Cy', familyName: uniq('C'), addresses: [HOME] });
    ok(await w.admin.api('POST', `/api/v1/constituents/${other.id}/consents`, { channel: 'post', purpose: 'casework', status: 'withdrawn', source: 'phone' }), 201);
    const c = await w.open({ constituents: [{ constituentId: other.id }] });
    const res = refused(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/replies`, { channel: 'letter', subject: 'Hello', body: 'Hi' }), 422, 'cannot_contact', 'constituentId');
    expect(res.detail).toContain('Consent withdrawn');
    expect((await w.letters()).items).toEqual([]);
  });
});

describe('the print queue', () => {
  it('pages oldest first, prints many letters each on a new page, and refuses a bad cursor, an unknown id or an empty list with nothing changed', async () => {
    const w = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((ok(await w.reply({ channel: 'letter', subject: `Letter ${i}` }), 201) as OutboundMessage).id);
    const first = await w.letters('?limit=2');
    expect(first.items.map((l) => l.id)).toEqual(ids.slice(0, 2));
    const second = await w.letters(`?limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
    refused(await w.caseworker.api('GET', '/api/v1/letters?cursor=garbage'), 400, 'invalid_cursor', 'cursor');

    const pdf = await w.caseworker.api('GET', `/api/v1/letters/print.pdf?${ids.map((id) => `id=${id}`).join('&')}`);
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="letters-3.pdf"');
    expect((await PDFDocument.load(pdf.rawPayload)).getPageCount()).toBe(3);

    const unknown = '00000000-0000-7000-8000-000000000000';
    refused(await w.caseworker.api('POST', '/api/v1/letters/posted', { ids: [ids[0], unknown] }), 404, 'not_found', 'ids');
    refused(await w.caseworker.api('POST', '/api/v1/letters/posted', { ids: [] }), 400, 'validation_failed', 'ids');
    refused(await w.caseworker.api('GET', `/api/v1/letters/print.pdf?id=${unknown}`), 404, 'not_found');
    refused(await w.analyst.api('POST', '/api/v1/letters/posted', { ids: [ids[0]] }), 403, 'forbidden');
    expect((await w.letters()).items).toHaveLength(3);
  });

  it("keeps sensitive cases' letters from staff who may not see them (a logged read for those who may), and other offices' letters from everyone", async () => {
    const w = await setup();
    const secret = await w.open({ constituents: [{ constituentId: w.ada.id }], isSensitive: true });
    const m = ok(await w.admin.api('POST', `/api/v1/cases/${secret.id}/replies`, { channel: 'letter', subject: 'Private', body: 'Private matter' }), 201) as OutboundMessage;
    expect((await w.letters()).items).toEqual([]);
    refused(await w.caseworker.api('GET', `/api/v1/letters/print.pdf?id=${m.id}`), 404, 'not_found');
    refused(await w.caseworker.api('POST', '/api/v1/letters/posted', { ids: [m.id] }), 404, 'not_found');
    expect((await w.letters('', w.manager)).items.map((l) => l.id)).toEqual([m.id]);
    expect((await w.manager.api('GET', `/api/v1/letters/print.pdf?id=${m.id}`)).statusCode).toBe(200);
    const access = ok(await w.admin.api('GET', `/api/v1/cases/${secret.id}/timeline?kind=access`), 200) as { items: { summary: string }[] };
    expect(access.items.map((e) => e.summary)).toEqual(expect.arrayContaining(['Sensitive case read (letters)', 'Sensitive case read (letter printed)']));

    const other = await casework(ctx);
    expect((ok(await other.admin.api('GET', '/api/v1/letters'), 200) as { items: Letter[] }).items).toEqual([]);
    refused(await other.admin.api('GET', `/api/v1/letters/print.pdf?id=${m.id}`), 404, 'not_found');
    refused(await other.admin.api('POST', '/api/v1/letters/posted', { ids: [m.id] }), 404, 'not_found');
  });
});
