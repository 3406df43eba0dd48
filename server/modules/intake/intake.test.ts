// Email intake end to end: real SMTP into the listener, the raw-MIME endpoint, processing
// (sender, threading, new cases, acknowledgements, reopening), noise (auto-replies, bounces,
// complaints), failures kept in "needs attention" and retried, and the inbox actions.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import type { InboundItem, InboundItemSummary } from '../../../contract/intake.js';
import { createConstituent, createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { systemScope } from '../../platform/scope.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { configureOutbox, enqueueEmail } from '../messages/messages.outbox.js';
import { registerIntakeReaders } from './intake.jobs.js';
import { registerReader } from './intake.readers.js';
import { processItem, receive } from './intake.service.js';
import { startSmtpListener } from './intake.smtp.js';

let ctx: TestContext;
let smtp: { port: number; close(): Promise<void> };
const MAX = 64 * 1024;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_MAX_BYTES: String(MAX), MAIL_FROM: 'Town Hall <casework@town.example>' });
  configureOutbox({ jobs: () => undefined, from: 'Town Hall <casework@town.example>' });
  registerIntakeReaders();
  smtp = await startSmtpListener(ctx.database, ctx.jobs, { port: 0, host: '127.0.0.1', maxBytes: MAX, tls: null }, { info: () => undefined, error: () => undefined });
});
afterAll(async () => {
  await smtp.close();
  await ctx.close();
});

async function office() {
  const w = await casework(ctx);
  const address = `${uniq('help')}@town.example`.toLowerCase();
  ok(await w.admin.api('POST', '/api/v1/intake/addresses', { address }), 201);
  return { ...w, address };
}

function mime(o: { from: string; to: string; subject: string; text: string; messageId?: string; inReplyTo?: string; headers?: Record<string, string> }): string {
  const lines = [
    `From: ${o.from}`, `To: ${o.to}`, `Subject: ${o.subject}`, `Message-ID: ${o.messageId ?? `<${uniq('m')}@resident.example>`}`,
    'Date: Sun, 06 Dec 2026 09:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8',
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`, `References: ${o.inReplyTo}`] : []),
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${o.text}\r\n`;
}

const post = (as: Staff, raw: string | Buffer, type = 'message/rfc822') =>
  as.api('POST', '/api/v1/intake/email', raw as unknown as object, { 'content-type': type });

/** Stores through the HTTP endpoint and processes the item as the job would. */
async function deliver(w: { admin: Staff; office: { id: string } }, raw: string | Buffer): Promise<InboundItem> {
  const r = ok(await post(w.admin, raw), 202) as { id: string };
  await processItem(ctx.database.db, w.office.id, r.id);
  return ok(await w.admin.api('GET', `/api/v1/inbox/${r.id}`), 200) as InboundItem;
}

const acks = (officeId: string) =>
  ctx.database.db.selectFrom('outbound_messages').select(['to_address', 'subject', 'case_id']).where('office_id', '=', officeId).where('kind', '=', 'acknowledgement').execute();

async function timeline(as: Staff, caseId: string) {
  return (ok(await as.api('GET', `/api/v1/cases/${caseId}/timeline?kind=message`), 200) as { items: { action: string; summary: string; entityType: string }[] }).items;
}

describe('the SMTP listener', () => {
  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });

  it('stores mail for an intake address (a +tag too), and refuses unknown addresses and mail over the size limit, storing nothing', async () => {
    const w = await office();
    const tagged = w.address.replace('@', '+c-2026-00001@');
    const info = await transport().sendMail({ from: 'Grace Hopper <grace@resident.example>', to: tagged, subject: 'Streetlight out', text: 'The light on Elm Road has been out for a week.' });
    expect(info.accepted).toEqual([tagged]);
    const items = (ok(await w.admin.api('GET', '/api/v1/inbox?status=all'), 200) as { items: InboundItemSummary[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ channel: 'email', source: 'smtp', status: 'received' });

    await expect(transport().sendMail({ from: 'grace@resident.example', to: 'nobody@town.example', subject: 'x', text: 'y' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(transport().sendMail({ from: 'grace@resident.example', to: w.address, subject: 'big', text: 'x'.repeat(MAX + 10) })).rejects.toMatchObject({ responseCode: 552 });
    expect((ok(await w.admin.api('GET', '/api/v1/inbox?status=all'), 200) as { items: unknown[] }).items).toHaveLength(1);
  });

  it('stores a message redelivered with the same Message-ID once, over SMTP and HTTP alike', async () => {
    const w = await office();
    const raw = mime({ from: 'grace@resident.example', to: w.address, subject: 'Bins not collected', text: 'Missed again.' });
    await transport().sendMail({ envelope: { from: 'grace@resident.example', to: [w.address] }, raw });
    await transport().sendMail({ envelope: { from: 'grace@resident.example', to: [w.address] }, raw });
    expect(ok(await post(w.admin, raw), 202)).toMatchObject({ duplicate: true });
    const n = await ctx.database.db.selectFrom('inbound_items').select(sql<string>`count(*)`.as('n')).where('office_id', '=', w.office.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });
});

describe('processing an email', () => {
  it('opens a case for a new sender, with a provisional record, and queues one acknowledgement with the reference', async () => {
    const w = await office();
    const item = await deliver(w, mime({ from: 'Grace Hopper <Grace@Resident.example>', to: w.address, subject: 'Pothole on Mill Lane', text: 'There is a deep pothole outside number 12.' }));
    expect(item).toMatchObject({ status: 'filed', kind: 'message', senderAddress: 'grace@resident.example', constituent: { displayName: 'Grace Hopper', provisional: true } });
    const c = ok(await w.admin.api('GET', `/api/v1/cases/${item.case!.id}`), 200) as Case;
    expect(c).toMatchObject({ subject: 'Pothole on Mill Lane', channel: 'email', description: 'There is a deep pothole outside number 12.', requester: { id: item.constituent!.id } });
    const sent = await acks(w.office.id);
    expect(sent).toEqual([expect.objectContaining({ to_address: 'grace@resident.example', case_id: c.id, subject: `[${c.reference}] We have received your message` })]);
    expect((await timeline(w.admin, c.id)).some((e) => e.entityType === 'inbound_item' && e.summary === 'Email from Grace Hopper: Pothole on Mill Lane')).toBe(true);
    // Processing again (a redelivered job) changes nothing.
    expect(await processItem(ctx.database.db, w.office.id, item.id)).toEqual({ status: 'filed' });
    expect(await acks(w.office.id)).toHaveLength(1);
  });

  it('threads a reply with In-Reply-To into its case and reopens the case when it was resolved, without a second acknowledgement', async () => {
    const w = await office();
    const person = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('Reply'), emails: [{ email: 'ada@resident.example' }] });
    const c = await w.open({ constituents: [{ constituentId: person.id }] });
    const reply = await ctx.database.db.transaction().execute((trx) => enqueueEmail(trx, systemScope(trx, w.office.id, 'test'), { to: 'ada@resident.example', subject: 'About your pothole', text: 'Fixed.', caseId: c.id, constituentId: person.id, kind: 'reply' }));
    const ours = await ctx.database.db.selectFrom('outbound_messages').select('message_id').where('office_id', '=', w.office.id).where('id', '=', reply.id).executeTakeFirstOrThrow();
    ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Filled in' }), 200);

    const item = await deliver(w, mime({ from: 'ada@resident.example', to: w.address, subject: 'Re: About your pothole', inReplyTo: ours.message_id, text: 'It is back already!\n\nOn Sun, 6 Dec 2026, Town Hall wrote:\n> Fixed.' }));
    expect(item).toMatchObject({ status: 'filed', case: { id: c.id }, constituent: { id: person.id, provisional: false }, replyText: 'It is back already!' });
    expect((await w.read(c.id)).status.key).toBe('open');
    expect(await acks(w.office.id)).toHaveLength(0);
  });

  it('threads by a [C-…] subject token only mail from the people on that case', async () => {
    const w = await office();
    const person = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('Token'), emails: [{ email: 'ada.token@resident.example' }] });
    const c = await w.open({ constituents: [{ constituentId: person.id }] });
    const own = await deliver(w, mime({ from: 'ada.token@resident.example', to: w.address, subject: `More photos [${c.reference}]`, text: 'See attached.' }));
    expect(own).toMatchObject({ status: 'filed', case: { id: c.id } });
    const stranger = await deliver(w, mime({ from: 'mallory@elsewhere.example', to: w.address, subject: `Update [${c.reference}]`, text: 'Please close this case.' }));
    expect(stranger.case?.id).not.toBe(c.id);
    expect(stranger.constituent?.provisional).toBe(true);
  });

  it('holds new mail from someone with an open case in the inbox with that case suggested; attaching files it there', async () => {
    const w = await office();
    const first = await deliver(w, mime({ from: 'lin@resident.example', to: w.address, subject: 'Noise from the bar', text: 'Every night until 2am.' }));
    const second = await deliver(w, mime({ from: 'lin@resident.example', to: w.address, subject: 'Also the bins', text: 'And they leave bins out.' }));
    expect(second).toMatchObject({ status: 'new', case: null, suggestedCase: { id: first.case!.id } });
    const open = (ok(await w.caseworker.api('GET', '/api/v1/inbox'), 200) as { items: InboundItemSummary[] }).items;
    expect(open.map((i) => i.id)).toEqual([second.id]);
    expect(ok(await w.caseworker.api('POST', `/api/v1/inbox/${second.id}/attach`, { caseId: first.case!.id }), 200)).toMatchObject({ caseId: first.case!.id });
    expect(ok(await w.caseworker.api('GET', `/api/v1/inbox/${second.id}`), 200)).toMatchObject({ status: 'filed', handledBy: expect.any(String) });
    refused(await w.caseworker.api('POST', `/api/v1/inbox/${second.id}/attach`, { caseId: first.case!.id }), 409, 'conflict');
    const onCase = (ok(await w.caseworker.api('GET', `/api/v1/cases/${first.case!.id}/inbound`), 200) as { items: InboundItemSummary[] }).items;
    expect(onCase.map((i) => i.id)).toEqual([first.id, second.id]);
    // A flood from the same sender opens no more cases and sends no more acknowledgements.
    for (let i = 0; i < 5; i++) await deliver(w, mime({ from: 'lin@resident.example', to: w.address, subject: `Again ${i}`, text: 'Again.' }));
    expect(await acks(w.office.id)).toHaveLength(1);
    const cases = await ctx.database.db.selectFrom('cases').select('id').where('office_id', '=', w.office.id).execute();
    expect(cases).toHaveLength(1);
  });

  it('keeps an auto-reply on the case it answers without reopening it, and files nothing else for automatic mail', async () => {
    const w = await office();
    const person = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: uniq('Away'), emails: [{ email: 'away@resident.example' }] });
    const c = await w.open({ constituents: [{ constituentId: person.id }] });
    const reply = await ctx.database.db.transaction().execute((trx) => enqueueEmail(trx, systemScope(trx, w.office.id, 'test'), { to: 'away@resident.example', subject: 'Done', text: 'Done.', caseId: c.id, constituentId: person.id, kind: 'reply' }));
    const ours = await ctx.database.db.selectFrom('outbound_messages').select('message_id').where('id', '=', reply.id).executeTakeFirstOrThrow();
    ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Done' }), 200);
    const auto = await deliver(w, mime({ from: 'away@resident.example', to: w.address, subject: 'Out of office: Done', inReplyTo: ours.message_id, text: 'I am away.', headers: { 'Auto-Submitted': 'auto-replied' } }));
    expect(auto).toMatchObject({ status: 'filed', kind: 'auto_reply', case: { id: c.id } });
    expect((await w.read(c.id)).status.key).toBe('resolved');
    const list = await deliver(w, mime({ from: 'news@list.example', to: w.address, subject: 'Weekly digest', text: 'News.', headers: { Precedence: 'bulk' } }));
    expect(list).toMatchObject({ status: 'ignored', kind: 'auto_reply', constituent: null, case: null });
    expect(await acks(w.office.id)).toHaveLength(0);
  });
});

const EML = fileURLToPath(new URL('../../../../shared/data/eml/', import.meta.url));

describe('bounces and complaints', () => {
  it('marks the address of a hard bounce (real DSN) as bounced, and counts a delayed one as soft', async () => {
    const w = await office();
    const hard = await createConstituent(ctx, w.office, { givenName: 'Aol', familyName: uniq('User'), emails: [{ email: 'user@aol.com' }] });
    const soft = await createConstituent(ctx, w.office, { givenName: 'Ex', familyName: uniq('User'), emails: [{ email: 'user@example.com' }] });
    const a = await deliver(w, fs.readFileSync(path.join(EML, 'mailgun-flanker/bounce/mailbox-full.eml')));
    expect(a).toMatchObject({ status: 'ignored', kind: 'bounce', case: null });
    expect(a.details.bounce).toMatchObject({ recipients: [{ address: 'user@aol.com', status: '5.2.2', isHard: true }] });
    const b = await deliver(w, fs.readFileSync(path.join(EML, 'mailgun-flanker/bounce/no-mx.eml')));
    expect(b.kind).toBe('bounce');
    const emails = await ctx.database.db.selectFrom('constituent_emails').select(['constituent_id', 'status', 'soft_bounces']).where('office_id', '=', w.office.id).where('constituent_id', 'in', [hard.id, soft.id]).execute();
    expect(emails.find((e) => e.constituent_id === hard.id)).toMatchObject({ status: 'bounced' });
    expect(emails.find((e) => e.constituent_id === soft.id)).toMatchObject({ status: 'valid', soft_bounces: 1 });
    expect(await acks(w.office.id)).toHaveLength(0);
  });

  it('opts the person a spam complaint names out of bulk mail', async () => {
    const w = await office();
    const person = await createConstituent(ctx, w.office, { givenName: 'Yahoo', familyName: uniq('User'), emails: [{ email: 'user@yahoo.com' }] });
    const bystander = await createConstituent(ctx, w.office, { givenName: 'Other', familyName: uniq('User'), emails: [{ email: 'other@yahoo.com' }] });
    const item = await deliver(w, fs.readFileSync(path.join(EML, 'mailgun-flanker/complaints/yahoo.eml')));
    expect(item).toMatchObject({ kind: 'complaint', status: 'ignored', case: null, details: { complaint: { feedbackType: 'abuse', recipient: 'user@yahoo.com' } } });
    const flags = await ctx.database.db.selectFrom('constituents').select(['id', 'bulk_opt_out']).where('office_id', '=', w.office.id).where('id', 'in', [person.id, bystander.id]).execute();
    expect(flags.find((f) => f.id === person.id)?.bulk_opt_out).toBe(true);
    expect(flags.find((f) => f.id === bystander.id)?.bulk_opt_out).toBe(false);
  });
});

describe('failures and the inbox', () => {
  it('keeps an item that cannot be processed in needs attention with the reason, and a retry after the fix files it', async () => {
    const w = await office();
    const stored = await receive(ctx.database.db, undefined, w.office.id, { channel: 'webhook', source: 'test', key: uniq('k'), raw: Buffer.from('{"text":"hello"}'), rawType: 'application/json' });
    const { runProcessing } = await import('./intake.jobs.js');
    await runProcessing(ctx.database, { officeId: w.office.id, id: stored.id }, 1, { info: () => undefined, error: () => undefined });
    const failed = ok(await w.caseworker.api('GET', `/api/v1/inbox/${stored.id}`), 200) as InboundItem;
    expect(failed).toMatchObject({ status: 'needs_attention', error: expect.stringMatching(/^The stored webhook item is not in the expected form/), attempts: 1 });
    expect((ok(await w.caseworker.api('GET', '/api/v1/inbox'), 200) as { items: { id: string }[] }).items.map((i) => i.id)).toContain(stored.id);

    registerReader('webhook', async (item) => ({
      kind: 'message', senderName: 'Bridge', senderAddress: null, senderEmail: null, senderPhone: null, subject: 'From the bridge',
      text: JSON.parse(item.raw.toString()).text, html: null, replyText: null, messageId: null, inReplyTo: null, references: [], details: {}, alwaysNewCase: true,
    }));
    expect(ok(await w.caseworker.api('POST', `/api/v1/inbox/${stored.id}/retry`), 202)).toEqual({ status: 'received' });
    await processItem(ctx.database.db, w.office.id, stored.id);
    expect(ok(await w.caseworker.api('GET', `/api/v1/inbox/${stored.id}`), 200)).toMatchObject({ status: 'filed', error: null });
  });

  it('marks spam and undoes it; keeps other offices and people without the permission out', async () => {
    const w = await office();
    const other = await office();
    const item = await deliver(w, mime({ from: 'lin2@resident.example', to: w.address, subject: 'First', text: 'One.' }));
    const second = await deliver(w, mime({ from: 'lin2@resident.example', to: w.address, subject: 'Buy now', text: 'Cheap pills.' }));
    expect(ok(await w.caseworker.api('POST', `/api/v1/inbox/${second.id}/spam`), 200)).toEqual({ status: 'spam' });
    expect((ok(await w.caseworker.api('GET', '/api/v1/inbox?status=spam'), 200) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([second.id]);
    expect(ok(await w.caseworker.api('POST', `/api/v1/inbox/${second.id}/not-spam`), 200)).toEqual({ status: 'new' });
    refused(await other.admin.api('GET', `/api/v1/inbox/${item.id}`), 404, 'not_found');
    refused(await other.admin.api('POST', `/api/v1/inbox/${second.id}/spam`), 404, 'not_found');
    expect((await w.volunteer.api('GET', '/api/v1/inbox')).statusCode).toBe(403);
  });

  it('hides the text of items on a sensitive case from staff who may not see it', async () => {
    const w = await office();
    const item = await deliver(w, mime({ from: 'private@resident.example', to: w.address, subject: 'My benefits claim', text: 'Personal details here.' }));
    ok(await w.manager.api('PATCH', `/api/v1/cases/${item.case!.id}`, { isSensitive: true }), 200);
    const row = (ok(await w.caseworker.api('GET', '/api/v1/inbox?status=all'), 200) as { items: InboundItemSummary[] }).items.find((i) => i.id === item.id)!;
    expect(row).toMatchObject({ subject: 'Sensitive case: open it to read', snippet: '' });
    refused(await w.caseworker.api('GET', `/api/v1/inbox/${item.id}`), 404, 'not_found');
    expect(ok(await w.manager.api('GET', `/api/v1/inbox/${item.id}`), 200)).toMatchObject({ subject: 'My benefits claim' });
  });

  it('refuses raw mail that is empty, of the wrong type, over the limit, or from a caller without intake.submit', async () => {
    const w = await office();
    refused(await post(w.admin, ''), 400, 'validation_failed');
    expect((await post(w.admin, 'hello', 'text/plain')).statusCode).toBe(415);
    expect((await post(w.admin, 'x'.repeat(MAX + 1))).statusCode).toBe(413);
    expect((await post(w.manager, mime({ from: 'a@b.example', to: w.address, subject: 's', text: 't' }))).statusCode).toBe(403);
    refused(await w.admin.api('POST', '/api/v1/intake/addresses', { address: w.address }), 409, 'conflict', 'address');
    refused(await w.admin.api('POST', '/api/v1/intake/addresses', { address: 'help+tag@town.example' }), 400, 'validation_failed');
  });
});

describe('the real messages in ../shared/data/eml', () => {
  it('ingests every file, or keeps it in needs attention with a reason: none lost, none left unprocessed', async () => {
    const w = await office();
    const files: string[] = [];
    const walk = (d: string) => { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else files.push(p); } };
    walk(EML);
    expect(files.length).toBeGreaterThan(250);
    const { runProcessing } = await import('./intake.jobs.js');
    const ids = new Set<string>();
    for (const f of files) {
      const raw = fs.readFileSync(f);
      if (!raw.length) continue;
      const r = await post(w.admin, raw);
      if (r.statusCode === 413) continue; // over this test's 64 KiB limit: refused before storing, a clear 413
      const stored = ok(r, 202) as { id: string; duplicate: boolean };
      ids.add(stored.id);
      await runProcessing(ctx.database, { officeId: w.office.id, id: stored.id }, 99, { info: () => undefined, error: () => undefined });
    }
    const rows = await ctx.database.db.selectFrom('inbound_items').select(['status', 'kind', 'error']).where('office_id', '=', w.office.id).execute();
    expect(rows).toHaveLength(ids.size);
    expect(rows.filter((r) => r.status === 'received')).toEqual([]);
    for (const r of rows.filter((x) => x.status === 'needs_attention')) expect(r.error).toMatch(/\w{5,}/);
    const byKind = (k: string) => rows.filter((r) => r.kind === k).length;
    expect(byKind('bounce')).toBeGreaterThanOrEqual(12);
    expect(byKind('complaint')).toBe(2);
    expect(rows.filter((r) => r.status === 'filed').length).toBeGreaterThan(50);
  }, 240_000);
});
