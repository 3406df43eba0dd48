// Resident updates through the HTTP API and the job's own function: a status change to
// another resident-facing status and a shared note tell the requester by email, in English or
// Spanish from the approved templates, with the tracking link, delivered to a real SMTP server;
// by text through the local Twilio-format server, deferred to 08:00 in quiet hours; nothing to
// someone marked do not contact (the reason on the timeline); nothing twice when the job runs
// again; nothing about a sensitive case. The job is run here rather than by a queue, so no
// other test file's worker takes these updates.
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseTimelineEntry } from '../../../contract/cases.js';
import type { ReplyTemplate } from '../../../contract/templates.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { smtpMailer, type Mailer } from '../../platform/mail.js';
import { ok } from '../cases/cases.testkit.js';
import { deliver } from '../messages/messages.deliver.js';
import { configureOutbox } from '../messages/messages.outbox.js';
import { startSmtp, type TestSmtp } from '../messages/messages.testkit.js';
import { aged, portalOffice, postForm, report, reportFields } from '../portal/portal.testkit.js';
import { setUpSms, startFakeTwilio, type FakeTwilio } from '../sms/sms.testkit.js';
import { configureUpdates } from './updates.queue.js';
import { sendUpdate } from './updates.send.js';

const FROM = 'Town Hall <casework@town.example>';
const PUBLIC_URL = 'https://civitas.town.example';
let ctx: TestContext;
let smtp: TestSmtp;
let mailer: Mailer;
let twilio: FakeTwilio;
beforeAll(async () => {
  smtp = await startSmtp();
  mailer = smtpMailer(smtp.url);
  twilio = await startFakeTwilio();
  ctx = await createTestApp({
    RATE_LIMIT_PER_MINUTE: '100000', MAIL_FROM: FROM, PUBLIC_URL, TWILIO_API_URL: twilio.url, INTAKE_FORM_PER_IP_PER_HOUR: '1000', INTAKE_FORM_PER_EMAIL_PER_HOUR: '1000',
  });
  // Queued here, sent and delivered by the tests themselves.
  configureOutbox({ jobs: () => undefined, from: FROM, publicUrl: PUBLIC_URL });
  configureUpdates(() => undefined);
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
  await twilio.close();
});

async function reported(fields: Record<string, string> = {}, lang = 'en', setUp?: (w: Awaited<ReturnType<typeof portalOffice>>) => Promise<void>) {
  const w = await portalOffice(ctx);
  await setUp?.(w);
  const { page, trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id, fields), lang);
  const reference = /C-\d{4}-\d{5,}/.exec(page.body)![0];
  const c = await ctx.database.db.selectFrom('cases').select(['id', 'requester_id']).where('office_id', '=', w.office.id).where('reference', '=', reference).executeTakeFirstOrThrow();
  return { ...w, trackPath, reference, caseId: c.id, requesterId: c.requester_id! };
}
type World = Awaited<ReturnType<typeof reported>>;

const updatesOf = (w: World) => ctx.database.db.selectFrom('resident_updates').selectAll().where('office_id', '=', w.office.id).where('case_id', '=', w.caseId).orderBy('created_at').execute();
const sentOf = (w: World) => ctx.database.db.selectFrom('outbound_messages').select(['id', 'channel', 'to_address', 'subject', 'body_text', 'template_language'])
  .where('office_id', '=', w.office.id).where('case_id', '=', w.caseId).where('kind', '=', 'resident_update').orderBy('created_at').execute();

/** Runs the job for each update not done, as the queue would, and returns the results. */
async function runJobs(w: World, now?: Date) {
  const pending = (await updatesOf(w)).filter((u) => !u.done_at);
  return Promise.all(pending.map((u) => sendUpdate(ctx.database, w.office.id, u.id, PUBLIC_URL, now)));
}

async function delivered(w: World, id: string): Promise<ParsedMail> {
  const before = smtp.received.length;
  expect(await deliver(ctx.database, mailer, FROM, { officeId: w.office.id, id }, 1)).toBe('sent');
  const row = await ctx.database.db.selectFrom('outbound_messages').select('message_id').where('office_id', '=', w.office.id).where('id', '=', id).executeTakeFirstOrThrow();
  return smtp.waitForMail((m) => m.messageId === row.message_id, before);
}

const setStatus = (w: World, status: string, extra: object = {}) => w.admin.api('POST', `/api/v1/cases/${w.caseId}/status`, { status, ...extra });

describe('resident updates', () => {
  it('emails the requester in English when the status changes, with the tracking link, and a shared note; never twice', async () => {
    const w = await reported();
    ok(await setStatus(w, 'open'), 200);
    expect(await sentOf(w)).toEqual([]); // nothing inside the staff request: the job sends it
    expect(await runJobs(w)).toEqual(['sent']);
    // The job again (redelivered), and the sweep's call: nothing more.
    const [u] = await updatesOf(w);
    expect(await sendUpdate(ctx.database, w.office.id, u!.id, PUBLIC_URL)).toBe('done_before');
    const [status] = await sentOf(w);
    expect(status).toMatchObject({ channel: 'email', subject: `Your request [${w.reference}] is now: In progress`, template_language: 'en' });
    const mail = await delivered(w, status!.id);
    expect(mail.text).toContain(`There is news about your request ${w.reference}: it is now "In progress".`);
    expect(mail.text).toContain(`${PUBLIC_URL}${w.trackPath.replace(/\/track\/.*/, '/track/')}`);
    // The link in the mail opens the tracking page.
    const link = /https:\/\/\S+\/track\/\S+/.exec(mail.text!)![0];
    expect((await ctx.app.inject({ method: 'GET', url: new URL(link).pathname })).statusCode).toBe(200);

    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.caseId}/notes`, { body: 'The crew comes on Tuesday.', isPublic: true }), 201);
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.caseId}/notes`, { body: 'Internal only' }), 201);
    expect(await runJobs(w)).toEqual(['sent']);
    const notes = (await sentOf(w)).slice(1);
    expect(notes).toHaveLength(1);
    const noteMail = await delivered(w, notes[0]!.id);
    expect(noteMail.subject).toBe(`An update on your request [${w.reference}]`);
    expect(noteMail.text).toContain('The crew comes on Tuesday.');
    expect(noteMail.text).not.toContain('Internal only');
  });

  it('writes to a resident who reported in Spanish in Spanish, and tells nobody of a change the resident would not see', async () => {
    const w = await reported({}, 'es');
    // Another open status of the office: still "In progress" to the resident, so nothing more is queued.
    const added = ok(await w.admin.api('POST', '/api/v1/case-workflow/statuses', { key: 'on_site', label: 'Crew on site', category: 'open', position: 25 }), 201) as { transitions: { from: string; to: string }[] };
    ok(await w.admin.api('PUT', '/api/v1/case-workflow/transitions', { transitions: [...added.transitions, { from: 'open', to: 'on_site' }] }), 200);
    ok(await setStatus(w, 'open'), 200);
    ok(await setStatus(w, 'on_site'), 200);
    expect(await updatesOf(w)).toHaveLength(1);
    expect(await runJobs(w)).toEqual(['sent']);
    const [m] = await sentOf(w);
    expect(m).toMatchObject({ template_language: 'es', subject: `Su solicitud [${w.reference}] está ahora: En curso` });
    const mail = await delivered(w, m!.id);
    expect(mail.text).toContain(`Hay novedades sobre su solicitud ${w.reference}: ahora está "En curso".`);
  });

  it('sends the approved text the office changed to, never a draft', async () => {
    const w = await reported();
    ok(await setStatus(w, 'open'), 200);
    expect(await runJobs(w)).toEqual(['sent']);
    const list = (ok(await w.admin.api('GET', '/api/v1/reply-templates'), 200) as { items: ReplyTemplate[] }).items;
    const system = list.find((x) => x.name === 'Resident update: status changed')!;
    expect(system.translations.map((x) => [x.language, x.approved?.approvedBy])).toEqual([['en', 'Civitas (default text)'], ['es', 'Civitas (default text)']]);
    ok(await w.admin.api('PUT', `/api/v1/reply-templates/${system.id}/languages/en/draft`, { subject: 'DRAFT {{case.reference}}', body: 'Draft {{update.status}}' }), 200);
    ok(await setStatus(w, 'waiting_on_resident'), 200);
    expect(await runJobs(w)).toEqual(['sent']);
    expect((await sentOf(w))[1]!.subject).toBe(`Your request [${w.reference}] is now: Waiting for information`);
  });

  it('texts a resident who asked for texts, waiting out quiet hours until 08:00 office time', async () => {
    const phone = `+1415555${String(Date.now() % 10_000).padStart(4, '0')}`;
    const w = await reported({ phone, preferredChannel: 'sms' }, 'en', async (o) => {
      await setUpSms(o.admin.api, twilio);
      ok(await o.admin.api('PATCH', '/api/v1/office', { timeZone: 'America/New_York' }), 200);
    });
    ok(await setStatus(w, 'open'), 200);
    // 22:00 in New York, after now.
    let night = new Date((Math.floor(Date.now() / 3_600_000) + 1) * 3_600_000);
    while (Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' }).format(night)) !== 22) night = new Date(night.getTime() + 3_600_000);
    expect(await runJobs(w, night)).toEqual(['deferred']);
    expect(await sentOf(w)).toEqual([]);
    const [u] = await updatesOf(w);
    const wakes = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit', hourCycle: 'h23' }).format(u!.not_before);
    expect(wakes).toBe('08:00');
    expect(u!.not_before.getTime() - night.getTime()).toBeGreaterThanOrEqual(9 * 3_600_000); // 10 hours, 9 or 11 across a clock change
    expect(u!.not_before.getTime() - night.getTime()).toBeLessThanOrEqual(11 * 3_600_000);
    // Not before 08:00; then the text goes.
    expect(await runJobs(w, new Date(u!.not_before.getTime() - 60_000))).toEqual(['not_due']);
    expect(await runJobs(w, new Date(u!.not_before.getTime() + 60_000))).toEqual(['sent']);
    const [sms] = await sentOf(w);
    expect(sms).toMatchObject({ channel: 'sms', to_address: phone });
    expect(await deliver(ctx.database, mailer, FROM, { officeId: w.office.id, id: sms!.id }, 1)).toBe('sent');
    const texts = twilio.to(phone).map((r) => r.form.get('Body')!);
    expect(texts.some((b) => b.includes(`${w.reference}: it is now "In progress"`))).toBe(true);
  });

  it('sends nothing to someone marked do not contact, and says why on the timeline', async () => {
    const w = await reported();
    ok(await w.admin.api('PATCH', `/api/v1/constituents/${w.requesterId}`, { doNotContact: true }), 200);
    ok(await setStatus(w, 'open'), 200);
    expect(await runJobs(w)).toEqual(['sent']);
    expect(await sentOf(w)).toEqual([]);
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${w.caseId}/timeline`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline.find((e) => e.entityType === 'resident_update')).toMatchObject({ action: 'not_sent', summary: expect.stringMatching(/^Resident not told of the status change: .*do not contact/) });
  });

  it('tells nobody about a sensitive case', async () => {
    const w = await reported();
    ok(await w.admin.api('PATCH', `/api/v1/cases/${w.caseId}`, { isSensitive: true }), 200);
    ok(await setStatus(w, 'open'), 200);
    expect(await runJobs(w)).toEqual(['sent']);
    expect(await sentOf(w)).toEqual([]);
    expect((await updatesOf(w))[0]!.outcome).toEqual([{ constituentId: null, role: null, skipped: 'a sensitive case: residents are not sent updates about it' }]);
  });
});

describe('followers of a public report', () => {
  const followerMail = (w: World, email: string) => ctx.database.db.selectFrom('outbound_messages').select(['id', 'subject', 'body_text', 'headers', 'template_language', 'case_id'])
    .where('office_id', '=', w.office.id).where('kind', '=', 'report_follow').where('to_address', '=', email).orderBy('created_at').execute();

  it('tells a confirmed follower of status changes from the followers\' template, with the public page and a one-click unsubscribe; never twice, never the pending, never once it is not public', async () => {
    const w = await reported();
    // A placed report in a public topic (the form sent neither).
    await ctx.database.db.updateTable('cases').set({ lat: 0.5, lng: 0.5, category_id: w.category.id }).where('office_id', '=', w.office.id).where('id', '=', w.caseId).execute();
    const email = `follower.${Date.now()}@resident.example`;
    const follow = await postForm(ctx, `/portal/${w.slug}/reports/${w.reference}/follow?lang=es`, { email, consent: 'yes', formToken: await aged(ctx, w.office.id) });
    expect(follow.statusCode, follow.body.slice(-1500)).toBe(303);
    expect(String(follow.headers.location)).toBe(`/portal/${w.slug}/reports/${w.reference}?lang=es&follow=sent`);
    // Not yet confirmed: told nothing.
    ok(await setStatus(w, 'open'), 200);
    await runJobs(w);
    expect(await followerMail(w, email)).toEqual([]);

    const confirmation = await ctx.database.db.selectFrom('outbound_messages').select('body_text').where('office_id', '=', w.office.id).where('kind', '=', 'area_alert.confirm').where('to_address', '=', email).executeTakeFirstOrThrow();
    expect(confirmation.body_text).toContain(`el aviso ${w.reference}`);
    const confirmPath = new URL(/https:\/\/\S+\/alerts\/confirm\/[A-Za-z0-9_-]+\?lang=es/.exec(confirmation.body_text)![0]).pathname;
    expect((await postForm(ctx, confirmPath, { formToken: await aged(ctx, w.office.id) })).statusCode).toBe(303);

    ok(await setStatus(w, 'waiting_on_resident'), 200);
    expect(await runJobs(w)).toEqual(['sent']);
    const [told] = await followerMail(w, email);
    expect(told).toMatchObject({ subject: `El aviso ${w.reference} está ahora: A la espera de información`, template_language: 'es' });
    expect(told!.body_text).toContain(`${PUBLIC_URL}/portal/${w.slug}/reports/${w.reference}?lang=es`);
    expect(told!.body_text).not.toContain('Grace Hopper');
    expect(told!.body_text).not.toContain('Deep pothole');
    // Not threaded on the case: a follower's reply can never land on it or reopen it.
    expect(told!.case_id).toBeNull();
    const unsubscribe = /https:\/\/\S+\/alerts\/unsubscribe\/[A-Za-z0-9_-]+\?lang=es/.exec(told!.body_text)![0];
    expect((told!.headers as Record<string, string>)['List-Unsubscribe']).toBe(`<${unsubscribe}>`);
    const [u] = (await updatesOf(w)).slice(-1);
    expect(await sendUpdate(ctx.database, w.office.id, u!.id, PUBLIC_URL)).toBe('done_before');
    expect(await followerMail(w, email)).toHaveLength(1);

    // A topic that keeps locations private: the report is no longer public, its followers hear nothing.
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${w.category.id}`, { locationPrivate: true }), 200);
    ok(await setStatus(w, 'open'), 200);
    await runJobs(w);
    expect(await followerMail(w, email)).toHaveLength(1);
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${w.category.id}`, { locationPrivate: false }), 200);

    // Resolved with the closure message to the requester: the follower is still told, the requester not twice.
    const requesterMails = async () => (await sentOf(w)).length;
    const before = await requesterMails();
    ok(await setStatus(w, 'resolved', { resolutionCode: 'resolved', resolutionSummary: 'Filled on Monday.', notifyResident: true }), 200);
    expect(await runJobs(w)).toEqual(['sent']);
    expect(await requesterMails()).toBe(before);
    const resolved = await followerMail(w, email);
    expect(resolved).toHaveLength(2);
    expect(resolved[1]!.subject).toBe(`El aviso ${w.reference} está ahora: Resuelta`);
    ok(await setStatus(w, 'open'), 200);
    await runJobs(w);

    // One click from the mail client unsubscribes; nothing more after that.
    expect((await ctx.app.inject({ method: 'POST', url: new URL(unsubscribe).pathname, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBeLessThan(400);
    ok(await setStatus(w, 'waiting_on_resident'), 200);
    await runJobs(w);
    expect(await followerMail(w, email)).toHaveLength(3);
  });

  it('refuses to follow a report that is not public, and asks for an address and consent', async () => {
    const w = await reported();
    expect((await postForm(ctx, `/portal/${w.slug}/reports/${w.reference}/follow`, { email: 'x@resident.example', consent: 'yes', formToken: await aged(ctx, w.office.id) })).statusCode).toBe(404);
    await ctx.database.db.updateTable('cases').set({ lat: 0.5, lng: 0.5, category_id: w.category.id }).where('office_id', '=', w.office.id).where('id', '=', w.caseId).execute();
    const bad = await postForm(ctx, `/portal/${w.slug}/reports/${w.reference}/follow`, { email: '<b>not-an-address</b>', formToken: await aged(ctx, w.office.id) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('value="&lt;b&gt;not-an-address&lt;/b&gt;"');
    expect(bad.body).toContain('href="#email"');
    expect(bad.body).toContain('href="#consent"');
    expect(await ctx.database.db.selectFrom('alert_subscriptions').select('id').where('office_id', '=', w.office.id).execute()).toEqual([]);
  });
});
