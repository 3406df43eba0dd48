// Outgoing email: the case token in the subject and the Reply-To (a resident's answer to it
// finds its case with no threading headers), List-Unsubscribe on bulk mail only, and DKIM
// signatures checked by a real verifier (mailauth). Mail goes to a real SMTP server; delivery
// is run here rather than by a queue, so no other test file's worker takes these messages.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../contract/messages.js';
import { createConstituent, createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { ConfigError, loadConfig } from '../../config.js';
import { dkimKey, smtpMailer, type Mailer } from '../../platform/mail.js';
import { systemScope } from '../../platform/scope.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { processItem } from '../intake/intake.service.js';
import { deliver } from './messages.deliver.js';
import { configureOutbox, enqueueEmail, withCaseToken } from './messages.outbox.js';
import { startSmtp, type TestSmtp } from './messages.testkit.js';

const FROM = 'Town Hall <casework@town.example>';
const PUBLIC_URL = 'https://civitas.town.example';
let ctx: TestContext;
let smtp: TestSmtp;
let mailer: Mailer;
beforeAll(async () => {
  smtp = await startSmtp();
  mailer = smtpMailer(smtp.url);
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', MAIL_FROM: FROM, PUBLIC_URL });
  // Queued here, delivered by the tests themselves (deliver below).
  configureOutbox({ jobs: () => undefined, from: FROM, publicUrl: PUBLIC_URL });
});
const offices: string[] = [];
afterAll(async () => {
  // Nothing of this file's is left queued: on a shared database it would look stale to other files' sweeps.
  const left = offices.length ? await ctx.database.db.selectFrom('outbound_messages').select(['office_id', 'id']).where('office_id', 'in', offices).where('status', '=', 'queued').execute() : [];
  for (const m of left) await deliver(ctx.database, mailer, FROM, { officeId: m.office_id, id: m.id }, 1);
  await ctx.close();
  await smtp.close();
});

/** Delivers one queued message to the test SMTP server and returns it as received. */
async function send(officeId: string, id: string, through: Mailer = mailer): Promise<ParsedMail> {
  const before = smtp.received.length;
  expect(await deliver(ctx.database, through, FROM, { officeId, id }, 1)).toBe('sent');
  const row = await ctx.database.db.selectFrom('outbound_messages').select('message_id').where('office_id', '=', officeId).where('id', '=', id).executeTakeFirstOrThrow();
  return smtp.waitForMail((m) => m.messageId === row.message_id, before);
}

/** A header as sent (folded lines joined), or undefined. */
const header = (m: ParsedMail, name: string) => m.headerLines.find((h) => h.key === name.toLowerCase())?.line.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');

async function world() {
  const w = await casework(ctx);
  const ada = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('Lovelace'), emails: [{ email: `${uniq('ada')}@resident.example`.toLowerCase() }] });
  const c = await w.open({ constituents: [{ constituentId: ada.id }] });
  offices.push(w.office.id);
  return { ...w, ada, email: ada.emails[0]!.email, c };
}

async function intakeAddress(as: Staff, body: object = {}): Promise<string> {
  const address = `${uniq('help')}@town.example`.toLowerCase();
  ok(await as.api('POST', '/api/v1/intake/addresses', { address, ...body }), 201);
  return address;
}

const reply = async (as: Staff, caseId: string, body: object) => ok(await as.api('POST', `/api/v1/cases/${caseId}/replies`, body), 201) as OutboundMessage;

function mime(o: { from: string; to: string; subject: string; text: string }): string {
  return [
    `From: ${o.from}`, `To: ${o.to}`, `Subject: ${o.subject}`, `Message-ID: <${uniq('m')}@resident.example>`,
    'Date: Sun, 06 Dec 2026 09:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', o.text, '',
  ].join('\r\n');
}

/** The resident's answer through the raw-MIME intake endpoint (to `recipient`), processed as the job would. */
async function answer(w: { admin: Staff; office: { id: string } }, raw: string, recipient?: string) {
  const url = `/api/v1/intake/email${recipient ? `?recipient=${encodeURIComponent(recipient)}` : ''}`;
  const r = ok(await w.admin.api('POST', url, raw as unknown as object, { 'content-type': 'message/rfc822' }), 202) as { id: string };
  await processItem(ctx.database.db, w.office.id, r.id);
  return ctx.database.db.selectFrom('inbound_items').select(['status', 'case_id', 'suggested_case_id']).where('office_id', '=', w.office.id).where('id', '=', r.id).executeTakeFirstOrThrow();
}

describe('Reply-To with the case token', () => {
  it("sends a case reply with the token in the subject and a tagged Reply-To, and the resident's answer to it threads into the case without In-Reply-To", async () => {
    const w = await world();
    await intakeAddress(w.admin);
    const help = await intakeAddress(w.admin, { useForReplies: true });
    const m = await reply(w.caseworker, w.c.id, { subject: 'About the pothole', body: 'We have sent a crew.' });
    expect(m.subject).toBe(`[${w.c.reference}] About the pothole`);
    const mail = await send(w.office.id, m.id);
    const replyTo = help.replace('@', `+${w.c.reference.toLowerCase()}@`);
    expect(mail.replyTo?.value.map((a) => a.address)).toEqual([replyTo]);
    expect(mail.subject).toBe(`[${w.c.reference}] About the pothole`);
    // Casework mail is not bulk mail.
    for (const h of ['list-unsubscribe', 'list-unsubscribe-post', 'precedence', 'auto-submitted']) expect(header(mail, h)).toBeUndefined();

    // The resident answers with a subject of their own and a mail program that drops threading headers.
    const text = 'Thanks, the hole is still there though.';
    const untagged = await answer(w, mime({ from: `Ada <${w.email}>`, to: help, subject: 'Still broken', text }), help);
    expect(untagged).toMatchObject({ status: 'new', case_id: null });
    const filed = await answer(w, mime({ from: `Ada <${w.email}>`, to: replyTo, subject: 'Still broken', text: `${text} (again)` }), replyTo);
    expect(filed).toMatchObject({ status: 'filed', case_id: w.c.id });
    const inbound = (ok(await w.caseworker.api('GET', `/api/v1/cases/${w.c.id}/inbound`), 200) as { items: { snippet: string }[] }).items;
    expect(inbound.map((i) => i.snippet)).toEqual([`${text} (again)`]);
  });

  it('does not thread an answer to the tagged address from someone who is not on the case', async () => {
    const w = await world();
    const help = await intakeAddress(w.admin);
    const tagged = help.replace('@', `+${w.c.reference.toLowerCase()}@`);
    const stranger = await answer(w, mime({ from: `Mallory <${uniq('mallory')}@elsewhere.example>`, to: tagged, subject: 'Hello', text: 'Let me in.' }), tagged);
    expect(stranger.case_id).not.toBe(w.c.id);
  });

  it('keeps the token once however often the subject is answered', async () => {
    const ref = 'C-2026-00042';
    expect(withCaseToken(`Re: Re: [${ref}] Pothole`, ref)).toBe(`Re: Re: [${ref}] Pothole`);
    expect(withCaseToken(`RE: [c-2026-00042] Pothole`, ref)).toBe('RE: [c-2026-00042] Pothole');
    expect(withCaseToken(`Your case ${ref}: Pothole`, ref)).toBe(`Your case [${ref}]: Pothole`);
    expect(withCaseToken('Pothole', ref)).toBe(`[${ref}] Pothole`);
    expect(withCaseToken('About C-2026-000421', ref)).toBe(`[${ref}] About C-2026-000421`);
    expect(withCaseToken('x'.repeat(300), ref)).toHaveLength(300);
    expect(withCaseToken(`${'x '.repeat(140)}${ref} and more words`, ref)).toHaveLength(300);
    const w = await world();
    const first = await reply(w.caseworker, w.c.id, { subject: 'Pothole', body: 'News.' });
    const again = await reply(w.caseworker, w.c.id, { subject: `Re: Re: ${first.subject}`, body: 'More news.' });
    expect(again.subject).toBe(`Re: Re: [${w.c.reference}] Pothole`);
  }, 30_000);

  it('leaves staff notifications about a case (no constituent) without token or Reply-To', async () => {
    const w = await world();
    await intakeAddress(w.admin);
    const { id } = await enqueueEmail(ctx.database.db, systemScope(ctx.database.db, w.office.id, 'notes'), { to: w.caseworker.user.email, subject: 'You were mentioned', text: 'See the note.', caseId: w.c.id, kind: 'mention' });
    const mail = await send(w.office.id, id);
    expect(mail.subject).toBe('You were mentioned');
    expect(mail.replyTo).toBeUndefined();
  });

  it('has no Reply-To without an intake address, uses the oldest when none is marked, and the marked one (one per office) once marked', async () => {
    const w = await world();
    const replyToOf = async () =>
      (await ctx.database.db.selectFrom('outbound_messages').select('reply_to').where('office_id', '=', w.office.id).where('id', '=', (await reply(w.caseworker, w.c.id, { body: 'News.' })).id).executeTakeFirstOrThrow()).reply_to;
    expect(await replyToOf()).toBeNull();
    const tag = (a: string) => a.replace('@', `+${w.c.reference.toLowerCase()}@`);
    const oldest = await intakeAddress(w.admin);
    const other = await intakeAddress(w.admin);
    expect(await replyToOf()).toBe(tag(oldest));
    const marked = ok(await w.admin.api('PATCH', `/api/v1/intake/addresses/${encodeURIComponent(other)}`, { useForReplies: true }), 200);
    expect(marked).toMatchObject({ address: other, useForReplies: true, acknowledge: true });
    expect(await replyToOf()).toBe(tag(other));
    // Marking another unmarks the first: still one per office.
    ok(await w.admin.api('PATCH', `/api/v1/intake/addresses/${encodeURIComponent(oldest)}`, { useForReplies: true }), 200);
    const list = (ok(await w.admin.api('GET', '/api/v1/intake/addresses'), 200) as { items: { address: string; useForReplies: boolean }[] }).items;
    expect(list.filter((a) => a.useForReplies).map((a) => a.address)).toEqual([oldest]);
    refused(await w.admin.api('PATCH', `/api/v1/intake/addresses/${encodeURIComponent(`${uniq('none')}@town.example`)}`, { useForReplies: true }), 404, 'not_found');
    refused(await w.caseworker.api('PATCH', `/api/v1/intake/addresses/${encodeURIComponent(oldest)}`, { useForReplies: false }), 403, 'forbidden');
  }, 30_000);
});

/** A bulk (outreach) email to the person, queued and delivered. */
async function bulkMail(officeId: string, personId: string, to: string, through?: Mailer) {
  const { id } = await enqueueEmail(ctx.database.db, systemScope(ctx.database.db, officeId, 'outreach'), {
    to, subject: 'Town news: the new library opens', text: 'The library on Mill Lane opens on Monday.', constituentId: personId, kind: 'newsletter', bulk: { purpose: 'outreach' },
  });
  return send(officeId, id, through);
}

const consentOf = async (as: Staff, personId: string) =>
  ok(await as.api('GET', `/api/v1/constituents/${personId}/consents`), 200) as {
    current: { channel: string; purpose: string; decision: { allowed: boolean; reason: string } }[];
    history: { purpose: string; status: string; source: string; evidence: string }[];
  };
const decision = (c: Awaited<ReturnType<typeof consentOf>>, purpose: string) => c.current.find((x) => x.channel === 'email' && x.purpose === purpose)!.decision;

const HTML = { accept: 'text/html,application/xhtml+xml' };
const tokenOf = (mail: ParsedMail) => new RegExp(`^<${PUBLIC_URL}/unsubscribe/([A-Za-z0-9_-]{66})>(, <mailto:[^>]+>)?$`).exec(header(mail, 'list-unsubscribe') ?? '')?.[1];

describe('bulk mail and its unsubscribe link', () => {
  it('carries List-Unsubscribe with a one-click link, List-Unsubscribe-Post, Precedence and Auto-Submitted', async () => {
    const w = await world();
    const mail = await bulkMail(w.office.id, w.ada.id, w.email);
    expect(tokenOf(mail)).toBeDefined();
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header(mail, 'precedence')).toBe('bulk');
    expect(header(mail, 'auto-submitted')).toBe('auto-generated');
    expect(mail.replyTo).toBeUndefined();
    // Without an intake address there is no mailto: nothing here would read it.
    expect(header(mail, 'list-unsubscribe')).not.toContain('mailto:');
    // The same person and purpose get the same link; another person another.
    const bob = await createConstituent(ctx, w.office, { givenName: 'Bob', familyName: uniq('B'), emails: [{ email: `${uniq('bob')}@resident.example`.toLowerCase() }] });
    expect(tokenOf(await bulkMail(w.office.id, w.ada.id, w.email))).toBe(tokenOf(mail));
    expect(tokenOf(await bulkMail(w.office.id, bob.id, bob.emails[0]!.email))).not.toBe(tokenOf(mail));
  });

  it('offers a mailto to the intake address too, and a mail to it with the token in the subject unsubscribes, filing nothing', async () => {
    const w = await world();
    const help = await intakeAddress(w.admin);
    const mail = await bulkMail(w.office.id, w.ada.id, w.email);
    const token = tokenOf(mail)!;
    const mailto = new RegExp(`, <mailto:${help.replace('.', '\\.')}\\?subject=unsubscribe%20${token}>$`);
    expect(header(mail, 'list-unsubscribe')).toMatch(mailto);
    // Another office's intake does not take this office's token.
    const other = await world();
    await intakeAddress(other.admin);
    const elsewhere = await answer(other, mime({ from: w.email, to: 'x@town.example', subject: `unsubscribe ${token}`, text: '' }));
    expect(elsewhere).toMatchObject({ status: 'ignored', case_id: null });
    expect((await consentOf(w.admin, w.ada.id)).history).toEqual([]);
    const item = await answer(w, mime({ from: w.email, to: help, subject: `unsubscribe ${token}`, text: '' }), help);
    expect(item).toMatchObject({ status: 'ignored', case_id: null });
    const c = await consentOf(w.admin, w.ada.id);
    expect(decision(c, 'outreach')).toMatchObject({ allowed: false, reason: 'consent_withdrawn' });
    expect(c.history[0]!.evidence).toContain(`Unsubscribe email (List-Unsubscribe mailto) from ${w.email}`);
    // A made-up token in the subject changes nothing and is not filed either.
    expect(await answer(w, mime({ from: w.email, to: help, subject: `unsubscribe ${'x'.repeat(66)}`, text: '' }), help)).toMatchObject({ status: 'ignored', case_id: null });
  });

  it("gives staff who may record consent a person's link for mail sent through another tool, the same one bulk mail carries", async () => {
    const w = await world();
    const token = tokenOf(await bulkMail(w.office.id, w.ada.id, w.email))!;
    const link = ok(await w.caseworker.api('GET', `/api/v1/constituents/${w.ada.id}/unsubscribe-link?purpose=outreach`), 200);
    expect(link).toEqual({ url: `${PUBLIC_URL}/unsubscribe/${token}`, purpose: 'outreach' });
    const surveys = ok(await w.caseworker.api('GET', `/api/v1/constituents/${w.ada.id}/unsubscribe-link?purpose=surveys`), 200) as { url: string };
    expect(surveys.url).not.toBe((link as { url: string }).url);
    refused(await w.caseworker.api('GET', `/api/v1/constituents/${w.ada.id}/unsubscribe-link?purpose=casework`), 400, 'validation_failed', 'purpose');
    refused(await w.analyst.api('GET', `/api/v1/constituents/${w.ada.id}/unsubscribe-link?purpose=outreach`), 403, 'forbidden');
  });

  it('refuses bulk mail about a case or without its constituent', async () => {
    const w = await world();
    const scope = systemScope(ctx.database.db, w.office.id, 'outreach');
    const base = { to: w.email, subject: 'News', text: 'News.', kind: 'newsletter', bulk: { purpose: 'outreach' as const } };
    await expect(enqueueEmail(ctx.database.db, scope, { ...base, constituentId: w.ada.id, caseId: w.c.id })).rejects.toMatchObject({ code: 'validation_failed', field: 'bulk' });
    await expect(enqueueEmail(ctx.database.db, scope, base)).rejects.toMatchObject({ code: 'validation_failed', field: 'bulk' });
  });

  it('unsubscribes in one click (RFC 8058), once however often it is posted, recording the withdrawal in the consent ledger', async () => {
    const w = await world();
    ok(await w.admin.api('POST', `/api/v1/constituents/${w.ada.id}/consents`, { channel: 'email', purpose: 'outreach', status: 'granted', source: 'web_form', evidence: 'newsletter sign-up' }), 201);
    expect(decision(await consentOf(w.admin, w.ada.id), 'outreach')).toMatchObject({ allowed: true });
    const token = tokenOf(await bulkMail(w.office.id, w.ada.id, w.email))!;
    const oneClick = () => ctx.app.inject({ method: 'POST', url: `/unsubscribe/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'ExampleMail/1.0' }, payload: 'List-Unsubscribe=One-Click' });
    const r = await oneClick();
    expect(r.statusCode).toBe(200);
    expect(r.headers.location).toBeUndefined();
    expect(r.body).toContain('You are unsubscribed');
    expect((await oneClick()).statusCode).toBe(200);
    const multipart = await ctx.app.inject({
      method: 'POST', url: `/unsubscribe/${token}`, headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      payload: '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XyZ--\r\n',
    });
    expect(multipart.statusCode).toBe(200);
    const c = await consentOf(w.admin, w.ada.id);
    expect(decision(c, 'outreach')).toMatchObject({ allowed: false, reason: 'consent_withdrawn' });
    // Casework replies still reach them; other purposes are untouched.
    expect(decision(c, 'casework')).toMatchObject({ allowed: true });
    const withdrawals = c.history.filter((h) => h.status === 'withdrawn');
    expect(withdrawals).toHaveLength(1);
    expect(withdrawals[0]).toMatchObject({ purpose: 'outreach', source: 'email_unsubscribe' });
    expect(withdrawals[0]!.evidence).toMatch(/^One-click List-Unsubscribe request from the mail client \(RFC 8058\); user agent: ExampleMail\/1\.0$/);
  });

  it('shows a confirmation page that unsubscribes only when its button is pressed', async () => {
    const w = await world();
    const token = tokenOf(await bulkMail(w.office.id, w.ada.id, w.email))!;
    const page = await ctx.app.inject({ method: 'GET', url: `/unsubscribe/${token}`, headers: HTML });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(`<form method="post" action="/unsubscribe/${token}">`);
    expect(page.body).toContain(w.office.name);
    expect(page.body).not.toContain(w.email);
    expect((await consentOf(w.admin, w.ada.id)).history).toEqual([]);
    const pressed = await ctx.app.inject({ method: 'POST', url: `/unsubscribe/${token}`, headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'confirm=yes' });
    expect(pressed.statusCode).toBe(200);
    expect((await consentOf(w.admin, w.ada.id)).history[0]).toMatchObject({ status: 'withdrawn', purpose: 'outreach', evidence: expect.stringMatching(/^Unsubscribe button on the page linked from the email/) });
  });

  it('answers made-up, altered and other offices\' tokens with the same 404 page, and limits the rate per address', async () => {
    const w = await world();
    const other = await world();
    const token = tokenOf(await bulkMail(w.office.id, w.ada.id, w.email))!;
    const raw = Buffer.from(token, 'base64url');
    const altered = Buffer.from(raw);
    altered[48] = altered[48]! ^ 1;
    const swapped = Buffer.from(raw);
    Buffer.from(other.office.id.replace(/-/g, ''), 'hex').copy(swapped, 0);
    const noncanonical = token.slice(0, 65) + (token[65] === 'A' ? 'B' : 'A');
    const bodies = new Set<string>();
    for (const t of ['not-a-token', 'x'.repeat(66), altered.toString('base64url'), swapped.toString('base64url'), noncanonical]) {
      for (const method of ['GET', 'POST'] as const) {
        const r = await ctx.app.inject({ method, url: `/unsubscribe/${t}`, headers: HTML, ...(method === 'POST' ? { payload: {} } : {}) });
        expect(r.statusCode, `${method} ${t}`).toBe(404);
        expect(r.body).toContain('Link not recognised');
        bodies.add(r.body);
      }
    }
    // One page for every kind of bad link: nothing tells them apart.
    expect(bodies.size).toBe(1);
    const api = await ctx.app.inject({ method: 'GET', url: `/unsubscribe/${'x'.repeat(66)}` });
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await consentOf(w.admin, w.ada.id)).history).toEqual([]);
    const from = { remoteAddress: '203.0.113.77' };
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await ctx.app.inject({ method: 'GET', url: `/unsubscribe/${token}`, headers: HTML, ...from })).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  }, 30_000);
});

describe('DKIM signing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-dkim-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = path.join(dir, 'dkim.pem');
  fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  // The selector's TXT record, as DNS would answer it.
  const resolver = async (name: string, rr: string) => {
    if (name === 'civitas2026._domainkey.town.example' && rr === 'TXT') return [[`v=DKIM1; k=rsa; p=${p}`]];
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('signs outgoing mail, List-Unsubscribe included, so that a verifier passes it and fails it once altered', async () => {
    const config = loadConfig({ DKIM_DOMAIN: 'Town.example', DKIM_SELECTOR: 'civitas2026', DKIM_PRIVATE_KEY_FILE: keyFile });
    expect(config.dkim).toEqual({ domain: 'town.example', selector: 'civitas2026', privateKeyFile: keyFile });
    const signing = smtpMailer(smtp.url, { dkim: dkimKey(config.dkim) });
    const w = await world();
    const mail = await bulkMail(w.office.id, w.ada.id, w.email, signing);
    const raw = smtp.raw.get(mail)!;
    const result = await dkimVerify(raw, { resolver });
    expect(result.results).toHaveLength(1);
    const r = result.results[0]!;
    expect(r.status.result, r.info).toBe('pass');
    expect(r.signingDomain).toBe('town.example');
    expect(r.selector).toBe('civitas2026');
    const signed = (/\bh=([^;]+)/.exec(header(mail, 'dkim-signature')!.replace(/\s+/g, ''))![1]!).toLowerCase().split(':');
    expect(signed).toEqual(expect.arrayContaining(['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']));
    const altered = Buffer.from(raw.toString('latin1').replace('Subject: Town news', 'Subject: Town NEWS'), 'latin1');
    expect((await dkimVerify(altered, { resolver })).results[0]!.status.result).toBe('fail');
  });

  it('refuses a partial DKIM configuration and an unusable key file with a clear message at start-up', () => {
    const partial = () => loadConfig({ DKIM_DOMAIN: 'town.example' });
    expect(partial).toThrow(ConfigError);
    expect(partial).toThrow(/DKIM_SELECTOR: required for DKIM signing when DKIM_DOMAIN is set \(give all three, or none\)/);
    expect(partial).toThrow(/DKIM_PRIVATE_KEY_FILE: required/);
    expect(() => loadConfig({ DKIM_DOMAIN: 'not a domain', DKIM_SELECTOR: 's', DKIM_PRIVATE_KEY_FILE: keyFile })).toThrow(/DKIM_DOMAIN: must be a domain name/);
    expect(loadConfig({}).dkim).toBeNull();
    const missing = path.join(dir, 'missing.pem');
    expect(() => dkimKey({ domain: 'town.example', selector: 's', privateKeyFile: missing })).toThrow(new RegExp(`DKIM_PRIVATE_KEY_FILE: cannot read ${missing} \\(ENOENT\\)`));
    const ec = path.join(dir, 'ec.pem');
    fs.writeFileSync(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => dkimKey({ domain: 'town.example', selector: 's', privateKeyFile: ec })).toThrow(/is not an RSA private key in PEM form \(found a ec key\)/);
    const junk = path.join(dir, 'junk.pem');
    fs.writeFileSync(junk, 'not a key');
    expect(() => dkimKey({ domain: 'town.example', selector: 's', privateKeyFile: junk })).toThrow(ConfigError);
  });
});
