// The outbox against a real SMTP server: queued in the caller's transaction, delivered by the
// pg-boss job, threaded per case, de-duplicated by key, sent once however often the job runs
// (claimed by one worker at a time), and failed with the server's reason after the last retry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { DomainError } from '../../platform/errors.js';
import { fileMailer, smtpMailer } from '../../platform/mail.js';
import { systemScope } from '../../platform/scope.js';
import { casework } from '../cases/cases.testkit.js';
import { deliver, deliverJob, MAX_ATTEMPTS, requeueStale } from './messages.deliver.js';
import { caseThreadRoot, configureOutbox, enqueueEmail } from './messages.outbox.js';
import * as repo from './messages.repo.js';
import { startSmtp, type TestSmtp } from './messages.testkit.js';

const FROM = 'Town Hall <casework@town.example>';
let ctx: TestContext;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', MAIL_FROM: FROM, SMTP_URL: smtp.url });
  ctx.jobs.define(deliverJob(ctx.database, smtpMailer(smtp.url), () => FROM));
  await ctx.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
  configureOutbox({ jobs: () => ctx.jobs, from: FROM });
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

const queue = (officeId: string, msg: Parameters<typeof enqueueEmail>[2]) =>
  ctx.database.db.transaction().execute((trx) => enqueueEmail(trx, systemScope(trx, officeId, 'test'), msg));

async function waitForStatus(officeId: string, id: string, status: string) {
  for (let i = 0; i < 200; i++) {
    const row = await repo.get(ctx.database.db, officeId, id);
    if (row?.status === status) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`message ${id} never became ${status}`);
}

describe('enqueueEmail and delivery', () => {
  it('delivers through SMTP with a Message-ID and threads later emails on the same case', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    const first = await queue(w.office.id, { to: 'ada@example.org', subject: `About ${c.reference}`, text: 'We are on it.', caseId: c.id, constituentId: w.person.id, kind: 'reply' });
    const sent1 = await waitForStatus(w.office.id, first.id, 'sent');
    const second = await queue(w.office.id, { to: 'ada@example.org', subject: `Re: About ${c.reference}`, text: 'Fixed now.', caseId: c.id, kind: 'reply' });
    const sent2 = await waitForStatus(w.office.id, second.id, 'sent');
    const m1 = await smtp.waitForMail((m) => m.messageId === sent1.message_id);
    const m2 = await smtp.waitForMail((m) => m.messageId === sent2.message_id);
    const root = caseThreadRoot(c.id, FROM);
    expect(m1!.to).toMatchObject({ text: 'ada@example.org' });
    expect(m1!.from?.text).toContain('casework@town.example');
    expect(m1!.subject).toBe(`About [${c.reference}]`);
    expect(m1!.text?.trim()).toBe('We are on it.');
    expect(m1!.messageId).toBe(sent1.message_id);
    expect(sent1.message_id).toMatch(/^<[0-9a-f-]{36}@town\.example>$/);
    expect(m1!.inReplyTo).toBe(root);
    expect(m1!.headers.get('x-civitas-case')).toBe(c.id);
    expect(m2!.inReplyTo).toBe(sent1.message_id);
    expect([m2!.references].flat()).toEqual([root, sent1.message_id]);
    expect(sent1).toMatchObject({ attempts: 1, last_error: null, provider_response: expect.stringMatching(/^250/) });
    // On the case timeline: queued, then sent.
    const events = await ctx.database.db.selectFrom('events').select(['action']).where('office_id', '=', w.office.id).where('entity_type', '=', 'message').where('entity_id', '=', first.id).orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['queued', 'sent']);
  });

  it('queues an email once per dedupe key', async () => {
    const w = await casework(ctx);
    const a = await queue(w.office.id, { to: 'bob@example.org', subject: 'Reminder', text: 'Task due', kind: 'task_reminder', dedupeKey: 'task-1-due' });
    const b = await queue(w.office.id, { to: 'bob@example.org', subject: 'Reminder', text: 'Task due', kind: 'task_reminder', dedupeKey: 'task-1-due' });
    expect(b.id).toBe(a.id);
    const rows = await ctx.database.db.selectFrom('outbound_messages').select('id').where('office_id', '=', w.office.id).execute();
    expect(rows).toHaveLength(1);
    // Another office may use the same key.
    const other = await casework(ctx);
    const c = await queue(other.office.id, { to: 'bob@example.org', subject: 'Reminder', text: 'Task due', kind: 'task_reminder', dedupeKey: 'task-1-due' });
    expect(c.id).not.toBe(a.id);
  });

  it('refuses a bad address, an empty body and a multi-line subject, writing nothing', async () => {
    const w = await casework(ctx);
    const bad = [
      [{ to: 'not-an-address', subject: 'x', text: 'y', kind: 'reply' }, 'to'],
      [{ to: 'a@example.org', subject: 'x', text: '   ', kind: 'reply' }, 'text'],
      [{ to: 'a@example.org', subject: 'x\r\nBcc: evil@example.org', text: 'y', kind: 'reply' }, 'subject'],
      [{ to: 'a@example.org', subject: 'x', text: 'y', kind: 'Bad Kind' }, 'kind'],
    ] as const;
    for (const [msg, field] of bad) {
      const err = await queue(w.office.id, msg).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).field).toBe(field);
    }
    expect(await ctx.database.db.selectFrom('outbound_messages').select('id').where('office_id', '=', w.office.id).execute()).toEqual([]);
  });
});

describe('delivery job', () => {
  it('sends once however often the job runs for the same message', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    // Queued without a job queue, so only the calls below deliver it.
    configureOutbox({ jobs: () => undefined, from: FROM });
    const { id } = await queue(w.office.id, { to: 'once@example.org', subject: 'Once', text: 'Only once', caseId: c.id, kind: 'reply' }).finally(() => configureOutbox({ jobs: () => ctx.jobs, from: FROM }));
    const mailer = smtpMailer(smtp.url);
    const before = smtp.received.length;
    expect(await deliver(ctx.database, mailer, FROM, { officeId: w.office.id, id }, 1)).toBe('sent');
    expect(await deliver(ctx.database, mailer, FROM, { officeId: w.office.id, id }, 2)).toBe('already_sent');
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received.slice(before).filter((m) => m.subject === 'Once')).toHaveLength(1);
    expect(await repo.get(ctx.database.db, w.office.id, id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('sends nothing from a second job while the first is still sending, and takes over a claim left by a dead worker', async () => {
    const w = await casework(ctx);
    configureOutbox({ jobs: () => undefined, from: FROM });
    const { id } = await queue(w.office.id, { to: 'slow@example.org', subject: 'Slow', text: 'One copy', kind: 'reply' }).finally(() => configureOutbox({ jobs: () => ctx.jobs, from: FROM }));
    const real = smtpMailer(smtp.url);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const slow = { describe: 'slow', send: async (m: Parameters<typeof real.send>[0]) => (calls++, await gate, real.send(m)) };
    const before = smtp.received.length;
    const first = deliver(ctx.database, slow, FROM, { officeId: w.office.id, id }, 1);
    while (calls === 0) await new Promise((r) => setTimeout(r, 10));
    // The sweep's second job, or a retry after the first job expired, finds the message claimed.
    expect(await deliver(ctx.database, slow, FROM, { officeId: w.office.id, id }, 2)).toBe('in_flight');
    release();
    expect(await first).toBe('sent');
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received.slice(before).filter((m) => m.subject === 'Slow')).toHaveLength(1);
    expect(await repo.get(ctx.database.db, w.office.id, id)).toMatchObject({ status: 'sent', attempts: 1, claimed_until: null });

    // A worker that died holding a claim: nothing is sent until the claim lapses, then it is.
    configureOutbox({ jobs: () => undefined, from: FROM });
    const dead = await queue(w.office.id, { to: 'orphan@example.org', subject: 'Orphan', text: 'Its worker died', kind: 'reply' }).finally(() => configureOutbox({ jobs: () => ctx.jobs, from: FROM }));
    expect(await repo.claim(ctx.database.db, w.office.id, dead.id)).toMatchObject({ id: dead.id });
    expect(await repo.claim(ctx.database.db, w.office.id, dead.id)).toBeUndefined();
    expect(await deliver(ctx.database, real, FROM, { officeId: w.office.id, id: dead.id }, 1)).toBe('in_flight');
    await sql`UPDATE outbound_messages SET claimed_until = now() - interval '1 second' WHERE office_id = ${w.office.id} AND id = ${dead.id}`.execute(ctx.database.db);
    expect(await deliver(ctx.database, real, FROM, { officeId: w.office.id, id: dead.id }, 1)).toBe('sent');
  });

  it('retries a refused recipient, then marks the message failed with the server reason on the case timeline', async () => {
    const w = await casework(ctx);
    const c = await w.open();
    configureOutbox({ jobs: () => undefined, from: FROM });
    const { id } = await queue(w.office.id, { to: 'gone@example.org', subject: 'Bounce', text: 'Hello', caseId: c.id, kind: 'reply' }).finally(() => configureOutbox({ jobs: () => ctx.jobs, from: FROM }));
    const mailer = smtpMailer(smtp.url);
    smtp.rejectRecipients = 'Mailbox unavailable';
    try {
      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
        await expect(deliver(ctx.database, mailer, FROM, { officeId: w.office.id, id }, attempt)).rejects.toThrow(/Mailbox unavailable/);
        expect(await repo.get(ctx.database.db, w.office.id, id)).toMatchObject({ status: 'queued', attempts: attempt, last_error: expect.stringContaining('550') });
      }
      expect(await deliver(ctx.database, mailer, FROM, { officeId: w.office.id, id }, MAX_ATTEMPTS)).toBe('failed');
    } finally {
      smtp.rejectRecipients = null;
    }
    const row = await repo.get(ctx.database.db, w.office.id, id);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, sent_at: null });
    expect(row!.last_error).toMatch(/550.*Mailbox unavailable/);
    // A failed message is not retried by a late redelivery.
    expect(await deliver(ctx.database, mailer, FROM, { officeId: w.office.id, id }, 1)).toBe('failed');
    const timeline = await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline?kind=message`);
    const entries = (timeline.json() as { items: { action: string; summary: string }[] }).items;
    expect(entries[0]).toMatchObject({ action: 'failed', summary: expect.stringContaining('Mailbox unavailable') });
  });
});

describe('stale message sweep', () => {
  it('re-queues a message whose delivery job never existed, and the worker sends it', async () => {
    const w = await casework(ctx);
    configureOutbox({ jobs: () => undefined, from: FROM });
    const { id } = await queue(w.office.id, { to: 'late@example.org', subject: 'Late', text: 'Queued by a CLI', kind: 'reply' }).finally(() => configureOutbox({ jobs: () => ctx.jobs, from: FROM }));
    // Fresh messages are left to their own job.
    expect(await requeueStale(ctx.database, ctx.jobs)).toBe(0);
    // So are old ones a worker holds (it is sending them now).
    await sql`UPDATE outbound_messages SET updated_at = now() - interval '20 minutes', claimed_until = now() + interval '5 minutes' WHERE office_id = ${w.office.id} AND id = ${id}`.execute(ctx.database.db);
    await requeueStale(ctx.database, ctx.jobs);
    const held = await repo.get(ctx.database.db, w.office.id, id);
    expect(Date.now() - held!.updated_at.getTime()).toBeGreaterThan(19 * 60_000);
    await sql`UPDATE outbound_messages SET claimed_until = now() - interval '1 second' WHERE office_id = ${w.office.id} AND id = ${id}`.execute(ctx.database.db);
    expect(await requeueStale(ctx.database, ctx.jobs)).toBeGreaterThanOrEqual(1);
    expect(await waitForStatus(w.office.id, id, 'sent')).toMatchObject({ attempts: 1 });
  });
});

describe('file outbox (no SMTP_URL)', () => {
  it('writes each message as an .eml file with its headers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-outbox-'));
    try {
      const r = await fileMailer(dir).send({ from: FROM, to: 'x@example.org', subject: 'Filed', text: 'On disk', messageId: '<m1@town.example>', inReplyTo: '<root@town.example>', references: ['<root@town.example>'] });
      const files = fs.readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(r.response).toContain(files[0]);
      const parsed = await simpleParser(fs.readFileSync(path.join(dir, files[0]!)));
      expect(parsed).toMatchObject({ subject: 'Filed', messageId: '<m1@town.example>', inReplyTo: '<root@town.example>' });
      expect(parsed.text?.trim()).toBe('On disk');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
