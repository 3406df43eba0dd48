// The SMS channel end to end. Outbound texts go to a LOCAL HTTP server started in this file
// (node:http, sms.testkit.ts) that speaks Twilio's real REST wire format: it checks HTTP basic
// auth, takes the form-encoded To/From/Body/StatusCallback, records each request and answers
// like Twilio (201 with the message's sid and status as JSON, or Twilio's error JSON). Inbound
// webhooks are posted to the app signed exactly as Twilio signs them.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consent } from '../../../contract/constituents.js';
import type { InboundItem } from '../../../contract/intake.js';
import type { OutboundMessage } from '../../../contract/messages.js';
import { createConstituent, createTestApp, type TestContext } from '../../../test/harness.js';
import type { Mailer } from '../../platform/mail.js';
import { casework, ok, refused } from '../cases/cases.testkit.js';
import { mayContact } from '../constituents/constituents.consent.js';
import { ACK_LIMIT_PER_HOUR, ackSms } from '../intake/intake.acknowledge.js';
import { processItem } from '../intake/intake.service.js';
import { deliver, MAX_ATTEMPTS } from '../messages/messages.deliver.js';
import { recordDeliveryReport } from '../messages/messages.channels.js';
import { enqueueSms } from '../messages/messages.outbox.js';
import { systemScope } from '../../platform/scope.js';
import { newSid, setUpSms, signedForm, startFakeTwilio, TEST_FROM, type FakeTwilio } from './sms.testkit.js';
import { splitSms } from './sms.segments.js';
import { twilioSignature } from './sms.twilio.js';

const PUBLIC = 'https://civitas.example';
const FROM = TEST_FROM;
let ctx: TestContext;
let twilio: FakeTwilio;
beforeAll(async () => {
  twilio = await startFakeTwilio();
  ctx = await createTestApp({ PUBLIC_URL: PUBLIC, TWILIO_API_URL: twilio.url, RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await ctx.close();
  await twilio.close();
});

// Texts never go through the mailer.
const noMail: Mailer = { describe: 'none', send: () => Promise.reject(new Error('no mail in SMS tests')) };
let numbers = 0;
/** A fresh US mobile number per use. */
const mobile = () => `+1415555${String(1000 + numbers++)}`;

async function office() {
  const w = await casework(ctx);
  const { sid, token } = await setUpSms(w.admin.api, twilio);
  return { ...w, sid, token, hook: `/webhooks/sms/twilio/${w.office.id}` };
}
type Office = Awaited<ReturnType<typeof office>>;

function post(path: string, body: string, signature: string | undefined) {
  return ctx.app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) } });
}

/** Posts an incoming text as Twilio does (signed with `token`, the office's by default). */
function text(o: Office, from: string, body: string, opts: { sid?: string; token?: string; extra?: Record<string, string> } = {}) {
  const sid = opts.sid ?? newSid('SM');
  const fields = { ToCountry: 'US', SmsMessageSid: sid, NumMedia: '0', SmsSid: sid, MessageSid: sid, AccountSid: o.sid, From: from, To: FROM, Body: body, NumSegments: '1', ApiVersion: '2010-04-01', ...opts.extra };
  const form = signedForm(opts.token ?? o.token, `${PUBLIC}${o.hook}`, fields);
  return { sid, send: () => post(o.hook, form.body, form.signature) };
}

const itemsOf = (officeId: string) => ctx.database.db.selectFrom('inbound_items').select(['id', 'idempotency_key', 'status']).where('office_id', '=', officeId).execute();

/** Receives a text through the webhook and processes it as the intake job would. */
async function receiveText(o: Office, from: string, body: string): Promise<InboundItem> {
  const t = text(o, from, body);
  const res = await t.send();
  expect(res.statusCode, res.body).toBe(200);
  const item = (await itemsOf(o.office.id)).find((i) => i.idempotency_key === t.sid)!;
  await processItem(ctx.database.db, o.office.id, item.id);
  return ok(await o.admin.api('GET', `/api/v1/inbox/${item.id}`), 200) as InboundItem;
}

const outbox = (officeId: string) =>
  ctx.database.db.selectFrom('outbound_messages').selectAll().where('office_id', '=', officeId).where('channel', '=', 'sms').orderBy('created_at').execute();
const send = (officeId: string, id: string, attempt = 1) => deliver(ctx.database, noMail, 'unused', { officeId, id }, attempt);
const consents = async (o: Office, constituentId: string) => (ok(await o.admin.api('GET', `/api/v1/constituents/${constituentId}/consents`), 200) as { history: Consent[] }).history;

describe('the webhook signature', () => {
  it("matches Twilio's documented example", () => {
    const params: [string, string][] = [['CallSid', 'CA1234567890ABCDE'], ['Caller', '+12349013030'], ['Digits', '1234'], ['From', '+12349013030'], ['To', '+18005551212']];
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('refuses forged, missing, tampered and other-office signatures with 403, storing nothing', async () => {
    const o = await office();
    const other = await office();
    const t = text(o, mobile(), 'Bins not collected');
    const form = signedForm(o.token, `${PUBLIC}${o.hook}`, { MessageSid: t.sid, From: '+14155550000', To: FROM, Body: 'Bins not collected' });
    refused(await post(o.hook, form.body, undefined), 403, 'forbidden');
    refused(await post(o.hook, form.body, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='), 403, 'forbidden');
    refused(await post(o.hook, form.body.replace('Bins', 'Fins'), form.signature), 403, 'forbidden');
    // Signed for the right office but another URL (the Host header is never trusted).
    const elsewhere = signedForm(o.token, `https://attacker.example${o.hook}`, { MessageSid: t.sid, From: '+14155550000', To: FROM, Body: 'x' });
    refused(await post(o.hook, elsewhere.body, elsewhere.signature), 403, 'forbidden');
    // Another office's valid token does not open this office's webhook.
    refused(await text(o, mobile(), 'hello', { token: other.token }).send(), 403, 'forbidden');
    expect(await itemsOf(o.office.id)).toEqual([]);
  });

  it('accepts the signature with the default port written out, as Twilio sometimes signs', async () => {
    const o = await office();
    const sid = newSid('SM');
    const params: [string, string][] = [['MessageSid', sid], ['From', mobile()], ['To', FROM], ['Body', 'Port test']];
    const signature = twilioSignature(o.token, `https://civitas.example:443${o.hook}`, params);
    const res = await post(o.hook, new URLSearchParams(params).toString(), signature);
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers 403 for an office without SMS set up', async () => {
    const w = await casework(ctx);
    const form = signedForm('x'.repeat(32), `${PUBLIC}/webhooks/sms/twilio/${w.office.id}`, { MessageSid: newSid('SM'), From: mobile(), Body: 'hi' });
    refused(await post(`/webhooks/sms/twilio/${w.office.id}`, form.body, form.signature), 403, 'forbidden');
  });
});

describe('incoming texts', () => {
  it('stores a signed text once, answering empty TwiML, however often Twilio redelivers it', async () => {
    const o = await office();
    const t = text(o, mobile(), 'Streetlight out on Elm Road');
    for (let i = 0; i < 3; i++) {
      const res = await t.send();
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    }
    const items = await itemsOf(o.office.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ idempotency_key: t.sid, status: 'received' });
  });

  it('opens a case for a new sender (a provisional record by phone), and threads their next text into it', async () => {
    const o = await office();
    const phone = mobile();
    const first = await receiveText(o, phone, 'The streetlight on Elm Road is out');
    expect(first).toMatchObject({ channel: 'sms', source: 'twilio', status: 'filed', senderAddress: phone, constituent: { provisional: true } });
    const kase = await o.read(first.case!.id);
    expect(kase.channel).toBe('sms');
    const second = await receiveText(o, phone, 'It is still out tonight');
    expect(second).toMatchObject({ status: 'filed', case: { id: kase.id }, constituent: { id: first.constituent!.id } });
  });

  it('identifies a known constituent by phone, whatever way the number is written', async () => {
    const o = await office();
    const phone = mobile();
    const person = await createConstituent(ctx, o.office, { givenName: 'Grace', phones: [{ number: phone, type: 'mobile', isPrimary: true, status: 'valid' }] });
    const c = await o.open({ subject: 'Fly-tipping', constituents: [{ constituentId: person.id, role: 'requester' }] });
    const item = await receiveText(o, `+1 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`, 'More rubbish dumped today');
    expect(item).toMatchObject({ status: 'filed', case: { id: c.id }, constituent: { id: person.id, provisional: false } });
  });
});

describe('keywords', () => {
  it('records STOP (and synonyms) in the consent ledger for every purpose, files it on the open case, and blocks every further text', async () => {
    const o = await office();
    const phone = mobile();
    const person = await createConstituent(ctx, o.office, { givenName: 'Alan', phones: [{ number: phone, type: 'mobile', isPrimary: true, status: 'valid' }] });
    const c = await o.open({ subject: 'Noise', channel: 'sms', constituents: [{ constituentId: person.id, role: 'requester' }] });
    const item = await receiveText(o, phone, ' stop ');
    // Staff see it: the text on the case, and the consent change on its timeline.
    expect(item).toMatchObject({ status: 'filed', case: { id: c.id }, details: { keyword: 'STOP' } });
    const timeline = (ok(await o.admin.api('GET', `/api/v1/cases/${c.id}/timeline`), 200) as { items: { action: string }[] }).items;
    expect(timeline.filter((e) => e.action === 'withdrawn')).toHaveLength(3);
    const ledger = await consents(o, person.id);
    expect(ledger.map((l) => [l.channel, l.purpose, l.status, l.source]).sort()).toEqual([
      ['sms', 'casework', 'withdrawn', 'sms_keyword'], ['sms', 'outreach', 'withdrawn', 'sms_keyword'], ['sms', 'surveys', 'withdrawn', 'sms_keyword'],
    ]);
    expect(ledger[0]!.evidence).toContain(`Texted "stop" from ${phone}`);
    expect(ledger[0]!.evidence).toContain(item.messageId!);
    expect((await mayContact(ctx.database.db, o.office.id, person.id, 'sms', 'casework')).allowed).toBe(false);
    refused(await o.admin.api('POST', `/api/v1/cases/${c.id}/replies`, { body: 'Any news?' }), 422, 'cannot_contact');
    expect((await o.read(c.id)).status.category).toBe('open');
    // A synonym does the same for a number no record holds; and a text to it fails at delivery.
    const stranger = mobile();
    expect(await receiveText(o, stranger, 'Unsubscribe.')).toMatchObject({ status: 'ignored', details: { keyword: 'UNSUBSCRIBE' } });
    const { id } = await enqueueSms(ctx.database.db, systemScope(ctx.database.db, o.office.id), { to: stranger, text: 'Hello', kind: 'reply' });
    const before = twilio.to(stranger).length;
    expect(await send(o.office.id, id)).toBe('failed');
    expect(twilio.to(stranger)).toHaveLength(before);
    expect((await outbox(o.office.id)).find((m) => m.id === id)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('texted STOP') });
  });

  it('records START as consent for casework texts again, lifting the block', async () => {
    const o = await office();
    const phone = mobile();
    const person = await createConstituent(ctx, o.office, { givenName: 'Mary', phones: [{ number: phone, type: 'mobile', isPrimary: true, status: 'valid' }] });
    await receiveText(o, phone, 'STOPALL');
    expect(await receiveText(o, phone, 'Unstop')).toMatchObject({ status: 'ignored', details: { keyword: 'UNSTOP' } });
    const ledger = await consents(o, person.id);
    expect(ledger.filter((l) => l.status === 'granted').map((l) => [l.purpose, l.source])).toEqual([['casework', 'sms_keyword']]);
    expect((await mayContact(ctx.database.db, o.office.id, person.id, 'sms', 'casework')).allowed).toBe(true);
    expect((await mayContact(ctx.database.db, o.office.id, person.id, 'sms', 'outreach')).allowed).toBe(false);
  });

  it("answers HELP (and INFO) with the office's help text, through the provider", async () => {
    const o = await office();
    const phone = mobile();
    expect(await receiveText(o, phone, 'help')).toMatchObject({ status: 'ignored', case: null, details: { keyword: 'HELP' } });
    const [m] = (await outbox(o.office.id)).filter((x) => x.to_address === phone);
    expect(m).toMatchObject({ kind: 'sms_help', body_text: 'Town Hall casework. Call 0300 555 0100. Reply STOP to stop.' });
    expect(await send(o.office.id, m!.id)).toBe('sent');
    const [req] = twilio.to(phone);
    expect(req!.authorized).toBe(true);
    expect(Object.fromEntries(req!.form)).toMatchObject({ To: phone, From: FROM, Body: m!.body_text, StatusCallback: `${PUBLIC}${o.hook}/status` });
    // Not a keyword when it is part of a sentence.
    expect(await receiveText(o, phone, 'Help, the road is flooded')).toMatchObject({ status: 'filed' });
  });
});

describe('outbound texts', () => {
  async function smsCase(o: Office) {
    const phone = mobile();
    const item = await receiveText(o, phone, 'Pothole outside number 12');
    return { phone, caseId: item.case!.id };
  }

  it('sends a reply on a case that came in by SMS as a text, and records delivery reports on the case timeline', async () => {
    const o = await office();
    const { phone, caseId } = await smsCase(o);
    const preview = ok(await o.admin.api('POST', `/api/v1/cases/${caseId}/replies/preview`, { body: 'Fixed tomorrow {{case.reference}}' }), 200) as { channel: string; to: string; sms: object };
    expect(preview).toMatchObject({ channel: 'sms', to: phone, sms: { segments: 1, encoding: 'GSM-7' } });
    const sent = ok(await o.admin.api('POST', `/api/v1/cases/${caseId}/replies`, { body: 'We will fix it tomorrow.' }), 201) as OutboundMessage;
    expect(sent).toMatchObject({ channel: 'sms', to: phone, status: 'queued', deliveryStatus: null });
    expect(await send(o.office.id, sent.id)).toBe('sent');
    expect(Object.fromEntries(twilio.to(phone).at(-1)!.form)).toMatchObject({ To: phone, From: FROM, Body: 'We will fix it tomorrow.' });
    const row = (await outbox(o.office.id)).find((m) => m.id === sent.id)!;
    expect(row.provider_message_id).toMatch(/^SM[0-9a-f]{32}$/);

    const status = (s: string, extra: Record<string, string> = {}) => {
      const form = signedForm(o.token, `${PUBLIC}${o.hook}/status`, { MessageSid: row.provider_message_id!, MessageStatus: s, AccountSid: o.sid, To: phone, From: FROM, ...extra });
      return post(`${o.hook}/status`, form.body, form.signature);
    };
    expect((await status('sent')).statusCode).toBe(200);
    expect((await status('delivered')).statusCode).toBe(200);
    expect((await status('sent')).statusCode).toBe(200); // late and out of order: ignored
    const [listed] = (ok(await o.admin.api('GET', `/api/v1/cases/${caseId}/messages`), 200) as { items: OutboundMessage[] }).items;
    expect(listed).toMatchObject({ id: sent.id, channel: 'sms', status: 'sent', deliveryStatus: 'delivered' });
    const timeline = (ok(await o.admin.api('GET', `/api/v1/cases/${caseId}/timeline?kind=message`), 200) as { items: { action: string; summary: string }[] }).items;
    expect(timeline.map((e) => e.summary)).toContain(`Text message to ${phone} delivered`);
    // A forged callback changes nothing.
    const forged = signedForm('f'.repeat(32), `${PUBLIC}${o.hook}/status`, { MessageSid: row.provider_message_id!, MessageStatus: 'failed' });
    refused(await post(`${o.hook}/status`, forged.body, forged.signature), 403, 'forbidden');
  });

  it('puts an undelivered report with its error code on the timeline', async () => {
    const o = await office();
    const { phone, caseId } = await smsCase(o);
    const sent = ok(await o.admin.api('POST', `/api/v1/cases/${caseId}/replies`, { body: 'Update on your pothole' }), 201) as OutboundMessage;
    await send(o.office.id, sent.id);
    const sid = (await outbox(o.office.id)).find((m) => m.id === sent.id)!.provider_message_id!;
    const form = signedForm(o.token, `${PUBLIC}${o.hook}/status`, { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect((await post(`${o.hook}/status`, form.body, form.signature)).statusCode).toBe(200);
    const timeline = (ok(await o.admin.api('GET', `/api/v1/cases/${caseId}/timeline?kind=message`), 200) as { items: { summary: string }[] }).items;
    expect(timeline.map((e) => e.summary)).toContain(`Text message to ${phone} undelivered (error 30003)`);
  });

  it('retries server errors from the provider and fails at once on its refusals', async () => {
    const o = await office();
    const { caseId } = await smsCase(o);
    const a = ok(await o.admin.api('POST', `/api/v1/cases/${caseId}/replies`, { body: 'First try' }), 201) as OutboundMessage;
    twilio.failures.push({ status: 500, code: 20500, message: 'Internal Server Error' }, { status: 503, code: 20503, message: 'Service Unavailable' });
    await expect(send(o.office.id, a.id, 1)).rejects.toThrow(/500 \(Twilio error 20500\)/);
    await expect(send(o.office.id, a.id, 2)).rejects.toThrow(/503/);
    expect(await send(o.office.id, a.id, 3)).toBe('sent');
    expect((await outbox(o.office.id)).find((m) => m.id === a.id)).toMatchObject({ status: 'sent', attempts: 3 });

    const b = ok(await o.admin.api('POST', `/api/v1/cases/${caseId}/replies`, { body: 'Second try' }), 201) as OutboundMessage;
    twilio.failures.push({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    expect(await send(o.office.id, b.id, 1)).toBe('failed');
    expect((await outbox(o.office.id)).find((m) => m.id === b.id)).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('Twilio error 21211') });

    // Server errors up to the last attempt fail it too.
    const c = ok(await o.admin.api('POST', `/api/v1/cases/${caseId}/replies`, { body: 'Third try' }), 201) as OutboundMessage;
    twilio.failures.push({ status: 502, code: 20500, message: 'Bad Gateway' });
    expect(await send(o.office.id, c.id, MAX_ATTEMPTS)).toBe('failed');
  });

  it('fails a text at once when the auth token is wrong (401 from the provider), never logging the token', async () => {
    const o = await office();
    const { caseId } = await smsCase(o);
    twilio.accounts.set(o.sid, 'rotated-elsewhere-token');
    const m = ok(await o.admin.api('POST', `/api/v1/cases/${caseId}/replies`, { body: 'Hello' }), 201) as OutboundMessage;
    expect(await send(o.office.id, m.id)).toBe('failed');
    const row = (await outbox(o.office.id)).find((x) => x.id === m.id)!;
    expect(row.last_error).toContain('Twilio error 20003');
    expect(row.last_error).not.toContain(o.token);
  });
});

describe('settings', () => {
  it('keeps the auth token write-only: never returned, never in the audit log, kept when left out', async () => {
    const o = await office();
    const got = ok(await o.admin.api('GET', '/api/v1/sms/settings'), 200) as Record<string, unknown>;
    expect(got).toMatchObject({ accountSid: o.sid, hasAuthToken: true, fromNumber: FROM, webhookUrl: `${PUBLIC}${o.hook}`, statusCallbackUrl: `${PUBLIC}${o.hook}/status` });
    expect(JSON.stringify(got)).not.toContain(o.token);
    const changed = ok(await o.admin.api('PUT', '/api/v1/sms/settings', { accountSid: o.sid, fromNumber: '(415) 555-0199', helpText: 'New help text' }), 200) as { fromNumber: string };
    const events = await ctx.database.db.selectFrom('events').select(['before', 'after']).where('office_id', '=', o.office.id).where('entity_type', '=', 'sms_settings').execute();
    expect(events).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain(o.token);
    // The token kept still signs the webhooks (to the new number; the old one is no longer the office's).
    expect((await text(o, mobile(), 'Still works', { extra: { To: changed.fromNumber } }).send()).statusCode).toBe(200);
    refused(await text(o, mobile(), 'Old number').send(), 403, 'forbidden');
  });

  it('refuses a first setup without a token, a bad SID or a bad number, and callers without sms.configure', async () => {
    const w = await casework(ctx);
    refused(await w.admin.api('PUT', '/api/v1/sms/settings', { accountSid: newSid('AC'), fromNumber: FROM, helpText: 'x' }), 400, 'validation_failed', 'authToken');
    refused(await w.admin.api('PUT', '/api/v1/sms/settings', { accountSid: 'AC123', authToken: 'x'.repeat(32), fromNumber: FROM, helpText: 'x' }), 400, 'validation_failed', 'accountSid');
    refused(await w.admin.api('PUT', '/api/v1/sms/settings', { accountSid: newSid('AC'), authToken: 'x'.repeat(32), fromNumber: 'not a number', helpText: 'x' }), 400, 'validation_failed', 'fromNumber');
    refused(await w.manager.api('GET', '/api/v1/sms/settings'), 403, 'forbidden');
    refused(await w.admin.api('GET', '/api/v1/sms/settings'), 404, 'not_found');
  });
});

describe('office isolation', () => {
  it("keeps each office's texts, settings and delivery reports to itself", async () => {
    const a = await office();
    const b = await office();
    const phone = mobile();
    const item = await receiveText(a, phone, 'Broken bench');
    expect(await itemsOf(b.office.id)).toEqual([]);
    refused(await b.admin.api('GET', `/api/v1/inbox/${item.id}`), 404, 'not_found');
    expect((ok(await b.admin.api('GET', '/api/v1/sms/settings'), 200) as { accountSid: string }).accountSid).toBe(b.sid);
    // B's provider reporting on A's message, through B's webhook, changes nothing of A's.
    const sent = ok(await a.admin.api('POST', `/api/v1/cases/${item.case!.id}/replies`, { body: 'Thanks' }), 201) as OutboundMessage;
    await send(a.office.id, sent.id);
    const sid = (await outbox(a.office.id)).find((m) => m.id === sent.id)!.provider_message_id!;
    const form = signedForm(b.token, `${PUBLIC}${b.hook}/status`, { MessageSid: sid, MessageStatus: 'failed', ErrorCode: '30008', To: phone });
    expect((await post(`${b.hook}/status`, form.body, form.signature)).statusCode).toBe(200);
    expect((await outbox(a.office.id)).find((m) => m.id === sent.id)!.delivery_status).toBeNull();
    // A's signature on B's webhook is refused.
    refused(await text(b, phone, 'hi', { token: a.token }).send(), 403, 'forbidden');
  });
});

describe('keywords from someone with an open case', () => {
  async function withCase(o: Office) {
    const phone = mobile();
    const person = await createConstituent(ctx, o.office, { givenName: 'Ruth', phones: [{ number: phone, type: 'mobile', isPrimary: true, status: 'valid' }] });
    const c = await o.open({ subject: 'Damp flat', channel: 'sms', constituents: [{ constituentId: person.id, role: 'requester' }] });
    return { phone, person, c };
  }

  it('files a "Yes" answering a caseworker on the case, as an answer and not as START, when the number is not opted out', async () => {
    const o = await office();
    const { phone, person, c } = await withCase(o);
    const item = await receiveText(o, phone, 'Yes');
    expect(item).toMatchObject({ status: 'filed', case: { id: c.id } });
    expect(item.details).not.toHaveProperty('keyword');
    expect(await consents(o, person.id)).toEqual([]);
    // A stranger's "Yes" is an ordinary message too.
    expect(await receiveText(o, mobile(), 'YES!')).not.toMatchObject({ status: 'ignored' });
  });

  it('files "HELP!" on the case (staff see it) and still answers it with the help text', async () => {
    const o = await office();
    const { phone, c } = await withCase(o);
    const item = await receiveText(o, phone, 'HELP!');
    expect(item).toMatchObject({ status: 'filed', case: { id: c.id }, details: { keyword: 'HELP' } });
    expect((await outbox(o.office.id)).filter((m) => m.to_address === phone).map((m) => m.kind)).toEqual(['sms_help']);
  });

  it('files "Cancel" on the case and opts out; a later "Yes" opts back in, and is filed too', async () => {
    const o = await office();
    const { phone, person, c } = await withCase(o);
    expect(await receiveText(o, phone, 'Cancel')).toMatchObject({ status: 'filed', case: { id: c.id }, details: { keyword: 'CANCEL' } });
    expect((await mayContact(ctx.database.db, o.office.id, person.id, 'sms', 'casework')).allowed).toBe(false);
    expect(await receiveText(o, phone, 'yes')).toMatchObject({ status: 'filed', case: { id: c.id }, details: { keyword: 'YES' } });
    expect((await mayContact(ctx.database.db, o.office.id, person.id, 'sms', 'casework')).allowed).toBe(true);
  });

  it('keeps a keyword from a number without an open case unfiled (a pure control message)', async () => {
    const o = await office();
    expect(await receiveText(o, mobile(), 'STOP')).toMatchObject({ status: 'ignored', case: null, details: { keyword: 'STOP' } });
  });
});

describe('keyword order', () => {
  it('applies STOP and START in the order they were received, whatever order they are processed in', async () => {
    const o = await office();
    const phone = mobile();
    const person = await createConstituent(ctx, o.office, { givenName: 'Ivy', phones: [{ number: phone, type: 'mobile', isPrimary: true, status: 'valid' }] });
    const stop = text(o, phone, 'STOP');
    const start = text(o, phone, 'START');
    expect((await stop.send()).statusCode).toBe(200);
    expect((await start.send()).statusCode).toBe(200);
    const items = await itemsOf(o.office.id);
    const idOf = (sid: string) => items.find((i) => i.idempotency_key === sid)!.id;
    await ctx.database.db.updateTable('inbound_items').set({ received_at: new Date(Date.now() - 60_000) }).where('id', '=', idOf(stop.sid)).execute();
    // The newer START is processed first (a parallel batch, a retry), then the older STOP.
    await processItem(ctx.database.db, o.office.id, idOf(start.sid));
    await processItem(ctx.database.db, o.office.id, idOf(stop.sid));
    expect((await mayContact(ctx.database.db, o.office.id, person.id, 'sms', 'casework')).allowed).toBe(true);
    const { id } = await enqueueSms(ctx.database.db, systemScope(ctx.database.db, o.office.id), { to: phone, text: 'Hello', kind: 'reply' });
    expect(await send(o.office.id, id)).toBe('sent');
    // And the other way round: STOP after START stays stopped.
    const again = text(o, phone, 'STOP');
    await again.send();
    await processItem(ctx.database.db, o.office.id, (await itemsOf(o.office.id)).find((i) => i.idempotency_key === again.sid)!.id);
    expect((await mayContact(ctx.database.db, o.office.id, person.id, 'sms', 'casework')).allowed).toBe(false);
  });
});

describe('an office with SMS switched off', () => {
  it('still takes signed webhooks, so a STOP texted meanwhile holds when SMS is switched back on', async () => {
    const o = await office();
    const phone = mobile();
    const settings = { accountSid: o.sid, fromNumber: FROM, helpText: 'Town Hall' };
    ok(await o.admin.api('PUT', '/api/v1/sms/settings', { ...settings, enabled: false }), 200);
    expect(await receiveText(o, phone, 'STOP')).toMatchObject({ status: 'ignored', details: { keyword: 'STOP' } });
    ok(await o.admin.api('PUT', '/api/v1/sms/settings', { ...settings, enabled: true }), 200);
    const { id } = await enqueueSms(ctx.database.db, systemScope(ctx.database.db, o.office.id), { to: phone, text: 'Hello again', kind: 'reply' });
    expect(await send(o.office.id, id)).toBe('failed');
    expect(twilio.to(phone)).toEqual([]);
    // Forged calls are still refused while off.
    ok(await o.admin.api('PUT', '/api/v1/sms/settings', { ...settings, enabled: false }), 200);
    refused(await text(o, phone, 'hi', { token: 'f'.repeat(32) }).send(), 403, 'forbidden');
  });
});

describe('webhook addressing', () => {
  it("refuses a signed text to another number than the office's, or for another account", async () => {
    const o = await office();
    refused(await text(o, mobile(), 'Wrong number', { extra: { To: '+15005550001' } }).send(), 403, 'forbidden');
    refused(await text(o, mobile(), 'Wrong account', { extra: { AccountSid: newSid('AC') } }).send(), 403, 'forbidden');
    // The office's number however written.
    expect((await text(o, mobile(), 'Right number', { extra: { To: '+1 (500) 555-0006' } }).send()).statusCode).toBe(200);
    expect(await itemsOf(o.office.id)).toHaveLength(1);
  });
});

describe('delivery reports racing the send', () => {
  it('parks a report that arrives before the provider id is recorded, and applies it when it is', async () => {
    const o = await office();
    const phone = mobile();
    const { id } = await enqueueSms(ctx.database.db, systemScope(ctx.database.db, o.office.id), { to: phone, text: 'Racing', kind: 'reply' });
    const answers: number[] = [];
    twilio.beforeAnswer = async (sid) => {
      const form = signedForm(o.token, `${PUBLIC}${o.hook}/status`, { MessageSid: sid, MessageStatus: 'delivered', AccountSid: o.sid });
      answers.push((await post(`${o.hook}/status`, form.body, form.signature)).statusCode);
    };
    expect(await send(o.office.id, id)).toBe('sent');
    expect(answers).toEqual([200]);
    expect((await outbox(o.office.id)).find((m) => m.id === id)).toMatchObject({ status: 'sent', delivery_status: 'delivered' });
  });

  // On PostgreSQL the two reports really overlap; PGlite (one connection) runs the second after the first commits.
  it('never lets a concurrent older report regress the status', async () => {
    const o = await office();
    const phone = mobile();
    const { id } = await enqueueSms(ctx.database.db, systemScope(ctx.database.db, o.office.id), { to: phone, text: 'Concurrent', kind: 'reply' });
    await send(o.office.id, id);
    const sid = (await outbox(o.office.id)).find((m) => m.id === id)!.provider_message_id!;
    let late: Promise<unknown> = Promise.resolve();
    await ctx.database.db.transaction().execute(async (trx) => {
      expect(await recordDeliveryReport(trx, o.office.id, { providerId: sid, status: 'delivered', error: null })).toBe('recorded');
      // A 'sent' report on another connection while 'delivered' is not yet committed.
      late = recordDeliveryReport(ctx.database.db, o.office.id, { providerId: sid, status: 'sent', error: null });
      await new Promise((r) => setTimeout(r, 200));
    });
    expect(await late).toBe('stale');
    expect((await outbox(o.office.id)).find((m) => m.id === id)!.delivery_status).toBe('delivered');
  });
});

describe('webhook rate limit', () => {
  it("gives the provider's webhooks their own limit, far above the per-address API limit", async () => {
    const limited = await createTestApp({ PUBLIC_URL: PUBLIC, TWILIO_API_URL: twilio.url, RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const hook = `/webhooks/sms/twilio/${randomUUID()}`;
      const codes = new Set<number>();
      for (let i = 0; i < 20; i++) {
        const res = await limited.app.inject({ method: 'POST', url: hook, payload: 'MessageSid=SMx', remoteAddress: '203.0.113.9', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        codes.add(res.statusCode);
      }
      // Refused for its (missing) signature, never for the rate.
      expect([...codes]).toEqual([403]);
      const api = [];
      for (let i = 0; i < 7; i++) api.push((await limited.app.inject({ method: 'GET', url: '/api/v1/sms/settings', remoteAddress: '203.0.113.9' })).statusCode);
      expect(api).toContain(429);
    } finally {
      await limited.close();
    }
  });
});

describe('the channel of a reply to a case that came in by SMS', () => {
  it('falls back to email when the person has no mobile but an email address; an explicit SMS stays strict', async () => {
    const o = await office();
    const email = `${randomBytes(4).toString('hex')}@example.org`;
    const person = await createConstituent(ctx, o.office, { givenName: 'Ned', emails: [{ email }] });
    const c = await o.open({ subject: 'Hedge', channel: 'sms', constituents: [{ constituentId: person.id, role: 'requester' }] });
    const preview = ok(await o.admin.api('POST', `/api/v1/cases/${c.id}/replies/preview`, { body: 'Hello' }), 200) as { channel: string; to: string; canSend: boolean };
    expect(preview).toMatchObject({ channel: 'email', to: email, canSend: true });
    const strict = ok(await o.admin.api('POST', `/api/v1/cases/${c.id}/replies/preview`, { body: 'Hello', channel: 'sms' }), 200) as { channel: string; canSend: boolean };
    expect(strict).toMatchObject({ channel: 'sms', canSend: false });
  });
});

describe('acknowledgements by text', () => {
  const acks = async (officeId: string, phone: string) => (await outbox(officeId)).filter((m) => m.kind === 'acknowledgement' && m.to_address === phone);

  it('texts the case reference, in one segment, to a sender whose text opens a case, once; a text threaded into the case gets none', async () => {
    const o = await office();
    const phone = mobile();
    const item = await receiveText(o, phone, 'The streetlight on Elm Road is out');
    const kase = await o.read(item.case!.id);
    const [ack, ...more] = await acks(o.office.id, phone);
    expect(more).toEqual([]);
    expect(ack).toMatchObject({ channel: 'sms', case_id: kase.id, constituent_id: item.constituent!.id, status: 'queued' });
    expect(ack!.body_text).toBe(`Test Office: thank you, we have your message as case ${kase.reference}. Reply to this number to add to it.`);
    expect(splitSms(ack!.body_text)).toMatchObject({ encoding: 'GSM-7', segments: [ack!.body_text] });
    expect(await send(o.office.id, ack!.id)).toBe('sent');
    expect(Object.fromEntries(twilio.to(phone).at(-1)!.form)).toMatchObject({ To: phone, From: FROM, Body: ack!.body_text });
    // Processing it again, or a text threaded into the case, sends nothing more.
    expect(await processItem(ctx.database.db, o.office.id, item.id)).toEqual({ status: 'filed' });
    expect(await receiveText(o, phone, 'It is still out tonight')).toMatchObject({ status: 'filed', case: { id: kase.id } });
    expect(await acks(o.office.id, phone)).toHaveLength(1);
  });

  it('keeps to one segment when the office name is long or outside the GSM alphabet, keeping the reference', () => {
    const long = ackSms('The Office of the Member of Parliament for the Very Long Constituency Name of Somewhere', 'C-2026-00042', 'message', true);
    expect([splitSms(long).segments.length, long]).toEqual([1, 'Thank you, we have your message as case C-2026-00042. Reply to this number to add to it.']);
    const cyrillic = ackSms('Городская управа', 'C-2026-00042', 'message', true);
    expect(splitSms(cyrillic).segments).toHaveLength(1);
    expect(cyrillic).toContain('C-2026-00042');
    const both = ackSms('Городская управа Приморского района города Санкт-Петербурга', 'C-2026-00042', 'request', false);
    expect([splitSms(both).segments.length, both]).toEqual([1, 'Thank you, we have your request as case C-2026-00042. Please quote it if you contact us about it.']);
  });

  it('keeps a tracking link whole within two segments, giving way with the office name and closing words first', () => {
    const link = `https://council.example.org/portal/riverside-borough-council/track/${'A'.repeat(51)}`;
    const plain = ackSms('Test Office', 'C-2026-00042', 'request', false, link);
    expect([splitSms(plain).segments.length, plain]).toEqual([2, `Test Office: thank you, we have your request as case C-2026-00042. Follow it at ${link} Please quote it if you contact us about it.`]);
    const long = ackSms('The Office of the Member of Parliament for the Very Long Constituency Name of Somewhere Else Entirely', 'C-2026-00042', 'request', false, link);
    expect(splitSms(long).segments.length).toBeLessThanOrEqual(2);
    expect(long).toContain(link);
    const cyrillic = ackSms('Городская управа Приморского района города Санкт-Петербурга', 'C-2026-00042', 'request', false, link);
    expect([splitSms(cyrillic).segments.length, cyrillic]).toEqual([2, `Thank you, we have your request as case C-2026-00042. Follow it at ${link}`]);
  });

  it('texts nothing to a number that texted STOP, to a person whose SMS consent is withdrawn, or while the office has SMS switched off', async () => {
    const o = await office();
    const stopped = mobile();
    await receiveText(o, stopped, 'STOP');
    expect(await receiveText(o, stopped, 'Bins not collected')).toMatchObject({ status: 'filed', case: expect.anything() });
    expect(await acks(o.office.id, stopped)).toEqual([]);

    const phone = mobile();
    const person = await createConstituent(ctx, o.office, { givenName: 'Nell', phones: [{ number: phone, type: 'mobile', isPrimary: true, status: 'valid' }] });
    ok(await o.admin.api('POST', `/api/v1/constituents/${person.id}/consents`, { channel: 'sms', purpose: 'casework', status: 'withdrawn', source: 'phone', evidence: 'Asked on the phone not to be texted' }), 201);
    expect(await receiveText(o, phone, 'Broken swing in the park')).toMatchObject({ status: 'filed', constituent: { id: person.id }, case: expect.anything() });
    expect(await acks(o.office.id, phone)).toEqual([]);

    ok(await o.admin.api('PUT', '/api/v1/sms/settings', { accountSid: o.sid, fromNumber: FROM, helpText: 'Town Hall', enabled: false }), 200);
    const off = mobile();
    expect(await receiveText(o, off, 'Graffiti on the bridge')).toMatchObject({ status: 'filed', case: expect.anything() });
    expect(await acks(o.office.id, off)).toEqual([]);
    // The control: the same office with SMS on texts a new sender.
    ok(await o.admin.api('PUT', '/api/v1/sms/settings', { accountSid: o.sid, fromNumber: FROM, helpText: 'Town Hall', enabled: true }), 200);
    const on = mobile();
    await receiveText(o, on, 'Graffiti on the other bridge');
    expect(await acks(o.office.id, on)).toHaveLength(1);
  });

  it(`texts one number at most ${ACK_LIMIT_PER_HOUR} acknowledgements an hour, however many cases its texts open (a loop with an auto-responder)`, async () => {
    const o = await office();
    const phone = mobile();
    const caseIds = new Set<string>();
    for (let i = 0; i <= ACK_LIMIT_PER_HOUR; i++) {
      const item = await receiveText(o, phone, `Automatic reply number ${i}`);
      caseIds.add(item.case!.id);
      // Resolved, so the next text opens a case of its own.
      ok(await o.admin.api('POST', `/api/v1/cases/${item.case!.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Answered' }), 200);
    }
    expect(caseIds.size).toBe(ACK_LIMIT_PER_HOUR + 1);
    expect(await acks(o.office.id, phone)).toHaveLength(ACK_LIMIT_PER_HOUR);
  });
});
