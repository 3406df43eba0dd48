// The closure message and satisfaction rating: resolving with notifyResident emails the
// requester (and the requesters of its duplicates) one link per score; opening a link shows the
// form with that score chosen and records nothing, posting the form records the rating and a
// comment, staff see it on the case; unknown, expired and final ratings are refused.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import type { OutboundMessage } from '../../../contract/messages.js';
import { createConstituent, createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { smtpMailer } from '../../platform/mail.js';
import { casework, ok, refused } from '../cases/cases.testkit.js';
import { deliverJob } from './messages.deliver.js';
import { approvedTemplate, startSmtp, type TestSmtp } from './messages.testkit.js';

const FROM = 'Town Hall <casework@town.example>';
let ctx: TestContext;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', MAIL_FROM: FROM, PUBLIC_URL: 'https://civitas.town.example' });
  ctx.jobs.define(deliverJob(ctx.database, smtpMailer(smtp.url), () => FROM));
  await ctx.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

const HTML = { accept: 'text/html,application/xhtml+xml' };
const resolve = { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'The pothole was filled on Monday.' };

async function resolvedWithClosure() {
  const w = await casework(ctx);
  const ada = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('Lovelace'), emails: [{ email: `${uniq('ada')}@example.org`.toLowerCase() }] });
  const c = await w.open({ constituents: [{ constituentId: ada.id }] });
  const before = smtp.received.length;
  ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { ...resolve, notifyResident: true }), 200);
  const mail = await smtp.waitForMail((m) => m.subject?.includes(c.reference) === true && m.to !== undefined && JSON.stringify(m.to).includes(ada.emails[0]!.email), before);
  const links = [...(mail.text ?? '').matchAll(/https:\/\/civitas\.town\.example\/rate\/([A-Za-z0-9_-]{43})\?score=([1-5])/g)];
  return { ...w, ada, c, mail, links, token: links[0]![1]! };
}

const rate = (path: string, headers: Record<string, string> = HTML) => ctx.app.inject({ method: 'GET', url: path, headers });
const post = (token: string, form: Record<string, string>) =>
  ctx.app.inject({ method: 'POST', url: `/rate/${token}`, headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() });

describe('closure message', () => {
  it('emails the requester the resolution with one rating link per score, keeping only the token hash', async () => {
    const w = await resolvedWithClosure();
    expect(w.mail.subject).toBe(`Your case [${w.c.reference}] has been resolved`);
    expect(w.mail.text).toContain('Dear Ada,');
    expect(w.mail.text).toContain('The pothole was filled on Monday.');
    expect(w.links.map((l) => l[2])).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(w.links.map((l) => l[1])).size).toBe(1);
    const messages = (ok(await w.admin.api('GET', `/api/v1/cases/${w.c.id}/messages`), 200) as { items: OutboundMessage[] }).items;
    expect(messages[0]).toMatchObject({ kind: 'closure' });
    expect(messages[0]!.body).not.toContain(w.token);
    const stored = await ctx.database.db.selectFrom('case_rating_tokens').select('token_hash').where('office_id', '=', w.office.id).where('case_id', '=', w.c.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.token_hash).not.toContain(w.token);
  });

  it('uses an approved template when asked, and refuses a non-resolving change or a requester without email, leaving the case as it was', async () => {
    const w = await casework(ctx);
    const t = await approvedTemplate(w.manager, { name: uniq('Closure'), subject: 'Closed: {{case.reference}}', body: 'All done, {{constituent.given_name}}.' });
    const ada = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('L'), emails: [{ email: `${uniq('ada')}@example.org`.toLowerCase() }] });
    const c = await w.open({ constituents: [{ constituentId: ada.id }] });
    refused(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'open', notifyResident: true }), 400, 'validation_failed', 'notifyResident');
    expect((await w.read(c.id)).status.key).toBe('new');
    const before = smtp.received.length;
    ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { ...resolve, notifyResident: true, closureTemplateId: t.id }), 200);
    const mail = await smtp.waitForMail((m) => m.subject === `Closed: [${c.reference}]` && m.to !== undefined && JSON.stringify(m.to).includes(ada.emails[0]!.email), before);
    expect(mail.text).toContain('All done, Ada.');
    expect(mail.text).toMatch(/rate\/[A-Za-z0-9_-]{43}\?score=5/);
    const nobody = await w.open({ constituents: [{ constituentId: w.person.id }] });
    refused(await w.caseworker.api('POST', `/api/v1/cases/${nobody.id}/status`, { ...resolve, notifyResident: true }), 422, 'cannot_contact', 'notifyResident');
    expect((await w.read(nobody.id)).status.key).toBe('new');
    // Without notifyResident nothing is sent.
    ok(await w.caseworker.api('POST', `/api/v1/cases/${nobody.id}/status`, resolve), 200);
    expect((ok(await w.admin.api('GET', `/api/v1/cases/${nobody.id}/messages`), 200) as { items: unknown[] }).items).toEqual([]);
  });
  it('also goes to the requesters of duplicates, each rating their own case, but to nobody who cannot be emailed and never for a sensitive case', async () => {
    const w = await casework(ctx);
    const email = (p: string) => `${uniq(p)}@example.org`.toLowerCase();
    const ada = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('L'), emails: [{ email: email('ada') }] });
    const bob = await createConstituent(ctx, w.office, { givenName: 'Bob', familyName: uniq('B'), emails: [{ email: email('bob') }] });
    const cyd = await createConstituent(ctx, w.office, { givenName: 'Cyd', familyName: uniq('C') }); // no email
    const c = await w.open({ constituents: [{ constituentId: ada.id }] });
    const dupOf = async (person: string) => {
      const d = await w.open({ constituents: [{ constituentId: person }] });
      ok(await w.caseworker.api('POST', `/api/v1/cases/${d.id}/duplicate-of`, { originalId: c.id }), 200);
      return d;
    };
    const bobsCase = await dupOf(bob.id);
    await dupOf(cyd.id);
    await dupOf(ada.id); // the requester reported it twice: one message, rating the original
    const before = smtp.received.length;
    ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { ...resolve, notifyResident: true }), 200);
    const to = (p: { emails: { email: string }[] }) => (m: { subject?: string; to?: unknown }) => m.subject?.includes(c.reference) === true && JSON.stringify(m.to ?? '').includes(p.emails[0]!.email);
    const toBob = await smtp.waitForMail(to(bob), before);
    await smtp.waitForMail(to(ada), before);
    expect(toBob.subject).toBe(`Your case [${c.reference}] has been resolved`);
    expect(toBob.text).toContain('Dear Bob,');
    expect(toBob.text).toContain('The pothole was filled on Monday.');
    const closures = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/messages`), 200) as { items: OutboundMessage[] }).items.filter((m) => m.kind === 'closure');
    expect(closures.map((m) => m.constituentId).sort()).toEqual([ada.id, bob.id].sort());
    // Bob's link rates Bob's own case; the original's rating is untouched.
    const bobToken = /rate\/([A-Za-z0-9_-]{43})\?score=2/.exec(toBob.text ?? '')![1]!;
    expect((await post(bobToken, { score: '2' })).body).toContain(bobsCase.reference);
    expect((ok(await w.caseworker.api('GET', `/api/v1/cases/${bobsCase.id}/rating`), 200) as { rating: { score: number } }).rating.score).toBe(2);
    expect((ok(await w.caseworker.api('GET', `/api/v1/cases/${c.id}/rating`), 200) as { rating: unknown }).rating).toBeNull();

    // A sensitive case's closure goes to its requester only.
    const secret = await w.open({ constituents: [{ constituentId: ada.id }] });
    ok(await w.admin.api('PATCH', `/api/v1/cases/${secret.id}`, { isSensitive: true }), 200);
    const dup = await w.open({ constituents: [{ constituentId: bob.id }] });
    ok(await w.admin.api('POST', `/api/v1/cases/${dup.id}/duplicate-of`, { originalId: secret.id }), 200);
    ok(await w.admin.api('POST', `/api/v1/cases/${secret.id}/status`, { ...resolve, notifyResident: true }), 200);
    const sent = (ok(await w.admin.api('GET', `/api/v1/cases/${secret.id}/messages`), 200) as { items: OutboundMessage[] }).items;
    expect(sent.map((m) => m.constituentId)).toEqual([ada.id]);
  });
});

describe('rating link', () => {
  it('shows the linked score without recording it (a mail scanner opens links), records the posted form, and shows the rating to staff', async () => {
    const w = await resolvedWithClosure();
    const rating = async () => (ok(await w.caseworker.api('GET', `/api/v1/cases/${w.c.id}/rating`), 200) as { rating: { score: number; comment: string | null } | null }).rating;
    // A scanner opening every link, as a browser and as a program, rates nothing.
    for (const l of w.links) {
      const opened = await rate(`/rate/${w.token}?score=${l[2]}`);
      expect(opened.statusCode).toBe(200);
      expect(opened.headers['content-type']).toMatch(/^text\/html/);
      expect(opened.body).toContain(`value="${l[2]}" checked`);
      expect(opened.body.match(/ checked/g)).toHaveLength(1);
      expect(opened.body).toContain('<button type="submit" autofocus>Send rating</button>');
    }
    expect((await rate(`/rate/${w.token}?score=4`, {})).json()).toEqual({ reference: w.c.reference, rating: null });
    expect(await rating()).toBeNull();
    const posted = await post(w.token, { score: '4' });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain('4 out of 5');
    expect(posted.body).toContain('<html lang="en">');
    const commented = await post(w.token, { score: '5', comment: 'Quick <b>work</b>, thanks' });
    expect(commented.statusCode).toBe(200);
    expect(commented.body).toContain('Quick &lt;b&gt;work&lt;/b&gt;, thanks');
    expect(await rating()).toMatchObject({ score: 5, comment: 'Quick <b>work</b>, thanks' });
    // Opened again, the link shows its own score chosen and the comment so far; still records nothing.
    const again = await rate(`/rate/${w.token}?score=3`);
    expect(again.body).toContain('value="3" checked');
    expect(again.body).toContain('Quick &lt;b&gt;work&lt;/b&gt;, thanks</textarea>');
    expect(await rating()).toMatchObject({ score: 5 });
    // Without a score the form shows the one recorded.
    expect((await rate(`/rate/${w.token}`)).body).toContain('value="5" checked');
    // A post without a comment field (an API client; the form always has one) keeps the earlier comment.
    const apiPost = await ctx.app.inject({ method: 'POST', url: `/rate/${w.token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'score=3' });
    expect(apiPost.statusCode).toBe(200);
    expect(apiPost.json()).toMatchObject({ reference: w.c.reference, rating: { score: 3, comment: 'Quick <b>work</b>, thanks' } });
    const timeline = ok(await w.admin.api('GET', `/api/v1/cases/${w.c.id}/timeline`), 200) as { items: { entityType: string; action: string }[] };
    expect(timeline.items.filter((e) => e.entityType === 'case_rating').map((e) => e.action)).toEqual(['changed', 'changed', 'rated']);
    // A bad score in the link just asks; a form without a score is refused.
    const ask = await rate(`/rate/${w.token}?score=9`);
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('name="score"');
    expect((await post(w.token, { comment: 'no score' })).statusCode).toBe(400);
    expect(await rating()).toMatchObject({ score: 3 });
  });

  it('refuses garbage, expired and final ratings with clear pages (and problem+json for programs)', async () => {
    const w = await resolvedWithClosure();
    const garbage = await rate('/rate/not-a-token?score=5');
    expect(garbage.statusCode).toBe(404);
    expect(garbage.body).toContain('Link not recognised');
    const unknown = await rate(`/rate/${'A'.repeat(43)}?score=5`, {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await post(w.token, { score: '2' })).statusCode).toBe(200);
    // Past the change window the rating is final: the link and the form both say so.
    await sql`UPDATE case_ratings SET rated_at = now() - interval '8 days' WHERE office_id = ${w.office.id} AND case_id = ${w.c.id}`.execute(ctx.database.db);
    const final = await rate(`/rate/${w.token}?score=5`);
    expect(final.statusCode).toBe(409);
    expect(final.body).toContain('Already rated');
    expect((await post(w.token, { score: '5' })).statusCode).toBe(409);
    await sql`UPDATE case_rating_tokens SET expires_at = now() - interval '1 minute' WHERE office_id = ${w.office.id} AND case_id = ${w.c.id}`.execute(ctx.database.db);
    const expired = await rate(`/rate/${w.token}?score=5`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('Link expired');
    expect((ok(await w.admin.api('GET', `/api/v1/cases/${w.c.id}/rating`), 200) as { rating: { score: number } }).rating.score).toBe(2);
  });

  it("is replaced by a new closure message, and is not visible to another office's staff", async () => {
    const w = await resolvedWithClosure();
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/status`, { status: 'open' }), 200);
    const before = smtp.received.length;
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.c.id}/status`, { ...resolve, notifyResident: true }), 200);
    const second = await smtp.waitForMail((m) => m.subject?.includes(w.c.reference) === true && m.to !== undefined && JSON.stringify(m.to).includes(w.ada.emails[0]!.email), before);
    const newToken = /rate\/([A-Za-z0-9_-]{43})/.exec(second.text ?? '')![1]!;
    expect(newToken).not.toBe(w.token);
    expect((await rate(`/rate/${w.token}?score=5`)).statusCode).toBe(404);
    expect((await rate(`/rate/${newToken}?score=5`)).statusCode).toBe(200);
    const other = await casework(ctx);
    refused(await other.admin.api('GET', `/api/v1/cases/${w.c.id}/rating`), 404, 'not_found');
    expect((await w.read(w.c.id) as Case).status.key).toBe('resolved');
  });
});
