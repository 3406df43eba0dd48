// Reading office mailboxes over IMAP, against a REAL IMAP server: Debian's dovecot started by
// test/dovecot.ts (a missing dovecot fails these tests, it never skips them). Messages are put
// into the mailboxes with imapflow's APPEND, as a mail server would deliver them.
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapMailbox, ImapTestResult } from '../../../contract/intake-mailboxes.js';
import { startDovecot, type Dovecot } from '../../../test/dovecot.js';
import { createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { defineImapJobs, IMAP_POLL_JOB, runImapPollJob } from './intake.imap-jobs.js';
import { defineIntakeJobs } from './intake.jobs.js';
import { PROCESS_JOB } from './intake.queue.js';
import { pollMailbox, type PollResult } from './intake.imap.js';
import { processItem } from './intake.service.js';

const MAX_BYTES = 64 * 1024;
let ctx: TestContext;
let dovecot: Dovecot;
const logged: string[] = [];
const log = { info: (o: object | string, m?: string) => void logged.push(JSON.stringify([o, m])), error: (o: object, m?: string) => void logged.push(JSON.stringify([o, m])) };

beforeAll(async () => {
  dovecot = await startDovecot(30);
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_MAX_BYTES: String(MAX_BYTES) });
  defineImapJobs(ctx.jobs, ctx.database, { maxBytes: MAX_BYTES }, log);
  defineIntakeJobs(ctx.jobs, ctx.database, log);
  await ctx.jobs.start({ work: false });
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await dovecot?.stop();
});

type Account = { user: string; password: string; imap<T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> };

/** A mail user on the dovecot server, and a way to work on its mailboxes as a mail server would. */
let accounts = 0;
function account(): Account {
  const next = dovecot.users[accounts++];
  if (!next) throw new Error('startDovecot() made too few mail users for this file');
  const { user, password } = next;
  return {
    user, password,
    async imap(fn) {
      const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.logout();
      }
    },
  };
}

const rawMessage = (n: number, opts: { id?: string; body?: string } = {}) => Buffer.from([
  `From: Resident ${n} <resident-${n}@imap.example>`, 'To: help@townhall.example', `Subject: Pothole number ${n}`,
  `Message-ID: ${opts.id ?? `<${uniq(`m${n}`)}@imap.example>`}`, 'Date: Sun, 06 Dec 2026 10:00:00 +0000', 'Content-Type: text/plain; charset=utf-8', '',
  opts.body ?? `There is a pothole outside number ${n}.`, '',
].join('\r\n'));

async function append(a: Account, folder: string, raws: Buffer[]): Promise<void> {
  await a.imap(async (c) => {
    for (const raw of raws) await c.append(folder, raw);
  });
}

/** UIDs and flags of the messages in a folder. */
const folderState = (a: Account, folder: string) => a.imap(async (c) => {
  const lock = await c.getMailboxLock(folder, { readOnly: true });
  try {
    return (await c.fetchAll('1:*', { uid: true, flags: true })).map((m) => ({ uid: m.uid, seen: m.flags?.has('\\Seen') ?? false }));
  } catch {
    return [];
  } finally {
    lock.release();
  }
});

type Office = Awaited<ReturnType<typeof casework>>;

async function addMailbox(o: Office, a: Account, body: object = {}, as: Staff = o.admin): Promise<ImapMailbox> {
  return ok(await as.api('POST', '/api/v1/intake/mailboxes', {
    address: `${a.user}@townhall.example`, host: dovecot.host, port: dovecot.port, tls: 'none', username: a.user, password: a.password, ...body,
  }), 201) as ImapMailbox;
}

const poll = (o: Office, m: ImapMailbox, batchSize = 2) => pollMailbox(ctx.database.db, undefined, o.office.id, m.id, { maxBytes: MAX_BYTES, batchSize }, log);
const done = (r: PollResult) => {
  expect(r.outcome, JSON.stringify(r)).toBe('done');
  return r as Extract<PollResult, { outcome: 'done' }>;
};
const mailboxOf = async (o: Office, id: string) => (ok(await o.admin.api('GET', '/api/v1/intake/mailboxes'), 200) as { items: ImapMailbox[] }).items.find((m) => m.id === id)!;
const itemsOf = (officeId: string) => ctx.database.db.selectFrom('inbound_items')
  .select(['id', 'idempotency_key', 'channel', 'source', 'recipient', 'status', 'error', 'subject', 'raw_type', 'details']).where('office_id', '=', officeId).orderBy('received_at').orderBy('id').execute();

describe('polling a mailbox', () => {
  it('stores each appended message once, in batches, and a second poll stores nothing new', async () => {
    const o = await casework(ctx);
    const a = account();
    const raws = [1, 2, 3, 4, 5].map((n) => rawMessage(n));
    await append(a, 'INBOX', raws);
    const m = await addMailbox(o, a);
    expect(m).toMatchObject({ tls: 'none', mailbox: 'INBOX', afterStore: 'leave', enabled: true, hasPassword: true, status: { lastUid: 0, uidValidity: null, lastError: null } });

    expect(done(await poll(o, m))).toMatchObject({ stored: 5, duplicates: 0, backlog: 0, uidValidityChanged: false });
    const items = await itemsOf(o.office.id);
    expect(items.map((i) => [i.channel, i.source, i.recipient, i.status])).toEqual(raws.map(() => ['email', 'imap', `${a.user}@townhall.example`, 'received']));
    expect(items.map((i) => i.idempotency_key)).toEqual(raws.map((r) => /Message-ID: (\S+)/.exec(r.toString())![1]));
    const status = (await mailboxOf(o, m.id)).status;
    expect(status).toMatchObject({ lastUid: 5, uidValidity: expect.stringMatching(/^\d+$/), lastError: null, lastStored: 5, backlog: 0 });
    expect(status.lastSuccessAt).not.toBeNull();

    expect(done(await poll(o, m))).toMatchObject({ stored: 0, duplicates: 0 });
    expect(await itemsOf(o.office.id)).toHaveLength(5);
    // "leave": the messages are still there, unread.
    expect(await folderState(a, 'INBOX')).toEqual([1, 2, 3, 4, 5].map((uid) => ({ uid, seen: false })));

    await append(a, 'INBOX', [rawMessage(6)]);
    expect(done(await poll(o, m))).toMatchObject({ stored: 1, duplicates: 0 });
    expect(await itemsOf(o.office.id)).toHaveLength(6);
    expect((await mailboxOf(o, m.id)).status.lastUid).toBe(6);
  });

  it('duplicates nothing when a crash left last_uid behind what was stored', async () => {
    const o = await casework(ctx);
    const a = account();
    await append(a, 'INBOX', [1, 2, 3].map((n) => rawMessage(n)));
    const m = await addMailbox(o, a);
    expect(done(await poll(o, m)).stored).toBe(3);
    // The state a crash after storing but before advancing leaves behind.
    await ctx.database.db.updateTable('intake_mailboxes').set({ last_uid: 0 }).where('office_id', '=', o.office.id).where('id', '=', m.id).execute();
    expect(done(await poll(o, m))).toMatchObject({ stored: 0, duplicates: 3 });
    expect(await itemsOf(o.office.id)).toHaveLength(3);
    expect((await mailboxOf(o, m.id)).status.lastUid).toBe(3);
  });

  it('reads a recreated folder (new UIDVALIDITY) from the start and duplicates nothing', async () => {
    const o = await casework(ctx);
    const a = account();
    const raws = [1, 2, 3].map((n) => rawMessage(n));
    await a.imap((c) => c.mailboxCreate('Intake'));
    await append(a, 'Intake', raws);
    const m = await addMailbox(o, a, { mailbox: 'Intake' });
    expect(done(await poll(o, m)).stored).toBe(3);
    const before = (await mailboxOf(o, m.id)).status.uidValidity;

    // Recreated with the same messages plus a new one: the UIDs start again at 1.
    await a.imap(async (c) => {
      await c.mailboxDelete('Intake');
      await c.mailboxCreate('Intake');
    });
    await append(a, 'Intake', [...raws, rawMessage(4)]);
    expect(done(await poll(o, m))).toMatchObject({ uidValidityChanged: true, stored: 1, duplicates: 3 });
    const after = (await mailboxOf(o, m.id)).status;
    expect(after.uidValidity).not.toBe(before);
    expect(after.lastUid).toBe(4);
    expect(await itemsOf(o.office.id)).toHaveLength(4);
    expect(logged.some((l) => l.includes('UIDVALIDITY changed') && l.includes(m.id))).toBe(true);
  });

  it('marks stored messages seen when asked', async () => {
    const o = await casework(ctx);
    const a = account();
    await append(a, 'INBOX', [1, 2, 3].map((n) => rawMessage(n)));
    const m = await addMailbox(o, a, { afterStore: 'seen' });
    expect(done(await poll(o, m)).stored).toBe(3);
    expect(await folderState(a, 'INBOX')).toEqual([1, 2, 3].map((uid) => ({ uid, seen: true })));
  });

  it('moves stored messages to a folder when asked, and says so when the folder is missing', async () => {
    const o = await casework(ctx);
    const a = account();
    await append(a, 'INBOX', [1, 2, 3].map((n) => rawMessage(n)));
    const m = await addMailbox(o, a, { afterStore: 'move', moveTo: 'Processed' });

    // No such folder yet: the first batch (two) is stored (nothing lost), the UID does not
    // move on, and the mailbox shows why.
    const failed = await poll(o, m);
    expect(failed.outcome).toBe('failed');
    expect(await itemsOf(o.office.id)).toHaveLength(2);
    const status = (await mailboxOf(o, m.id)).status;
    expect(status).toMatchObject({ lastUid: 0, lastError: expect.stringContaining('Processed'), lastSuccessAt: null });
    const test = ok(await o.admin.api('POST', `/api/v1/intake/mailboxes/${m.id}/test`), 200) as ImapTestResult;
    expect(test).toMatchObject({ ok: false, error: expect.stringContaining('"Processed" to move stored messages to does not exist') });

    await a.imap((c) => c.mailboxCreate('Processed'));
    expect(done(await poll(o, m))).toMatchObject({ stored: 1, duplicates: 2 });
    expect(await folderState(a, 'INBOX')).toEqual([]);
    expect(await folderState(a, 'Processed')).toHaveLength(3);
    expect((await mailboxOf(o, m.id)).status).toMatchObject({ lastUid: 3, lastError: null });
    expect(await itemsOf(o.office.id)).toHaveLength(3);
  });

  it('keeps a message over the size limit as an item needing attention, and leaves it on the server', async () => {
    const o = await casework(ctx);
    const a = account();
    const big = rawMessage(2, { body: 'x'.repeat(76) + '\r\n'.repeat(1) + ('y'.repeat(76) + '\r\n').repeat(1200) });
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    await append(a, 'INBOX', [rawMessage(1), big, rawMessage(3)]);
    const m = await addMailbox(o, a, { afterStore: 'move', moveTo: 'Done' });
    await a.imap((c) => c.mailboxCreate('Done'));

    expect(done(await poll(o, m))).toMatchObject({ stored: 2, tooLarge: 1 });
    const items = await itemsOf(o.office.id);
    expect(items.map((i) => i.status)).toEqual(['received', 'needs_attention', 'received']);
    const large = items[1]!;
    expect(large).toMatchObject({ subject: 'Pothole number 2', raw_type: 'text/rfc822-headers', error: expect.stringContaining(`over the ${MAX_BYTES}-byte limit (INTAKE_MAX_BYTES)`) });
    expect(large.error).toContain('UID 2');
    // Only the stored ones were moved; the large one waits where it was, and is not read again.
    expect((await folderState(a, 'INBOX')).map((x) => x.uid)).toEqual([2]);
    expect(done(await poll(o, m))).toMatchObject({ stored: 0, tooLarge: 0 });
    expect(await itemsOf(o.office.id)).toHaveLength(3);
    // Retried from the inbox, it fails again with a reason instead of opening an empty case.
    await ctx.database.db.updateTable('inbound_items').set({ status: 'received', error: null }).where('office_id', '=', o.office.id).where('id', '=', large.id).execute();
    await expect(processItem(ctx.database.db, o.office.id, large.id)).rejects.toThrow(/headers/);
  });

  it('shows a wrong password on the mailbox without ever showing or logging the password', async () => {
    const o = await casework(ctx);
    const a = account();
    await append(a, 'INBOX', [rawMessage(1)]);
    const wrong = `wrong-${randomUUID()}`;
    const m = await addMailbox(o, a, { password: wrong });
    const r = await poll(o, m);
    expect(r).toMatchObject({ outcome: 'failed', error: expect.stringContaining(`refused the sign-in of "${a.user}"`) });
    const shown = await mailboxOf(o, m.id);
    expect(shown.status).toMatchObject({ lastError: expect.stringContaining('check the user name and password'), lastSuccessAt: null, lastUid: 0 });
    expect(shown.status.lastErrorAt).not.toBeNull();
    const test = ok(await o.admin.api('POST', `/api/v1/intake/mailboxes/${m.id}/test`), 200) as ImapTestResult;
    expect(test).toMatchObject({ ok: false, error: expect.stringContaining('refused the sign-in') });

    // The right password: the error is cleared by the change and the next poll works.
    const fixed = ok(await o.admin.api('PATCH', `/api/v1/intake/mailboxes/${m.id}`, { password: a.password }), 200) as ImapMailbox;
    expect(fixed.status.lastError).toBeNull();
    expect(done(await poll(o, m)).stored).toBe(1);
    expect(ok(await o.admin.api('POST', `/api/v1/intake/mailboxes/${m.id}/test`), 200)).toEqual({ ok: true, error: null, messages: 1, uidValidity: (await mailboxOf(o, m.id)).status.uidValidity });

    // Neither password is in an answer, the audit log or the log lines.
    const answers = [
      (await o.admin.api('GET', '/api/v1/intake/mailboxes')).body,
      (await o.admin.api('GET', `/api/v1/audit?entityId=${m.id}`)).body,
      logged.join('\n'),
    ];
    expect((JSON.parse(answers[1]!) as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(2);
    for (const text of answers) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(a.password);
    }
  });

  it('refuses a server without STARTTLS when STARTTLS is required, with a clear error', async () => {
    const o = await casework(ctx);
    const a = account();
    // dovecot here has no TLS: STARTTLS is never offered, and the password never crosses in cleartext.
    const m = await addMailbox(o, a, { tls: 'starttls' });
    expect(await poll(o, m)).toMatchObject({ outcome: 'failed', error: expect.stringContaining('does not offer STARTTLS') });
  });

  it('lets only one of two simultaneous polls read a mailbox', async () => {
    const o = await casework(ctx);
    const a = account();
    await append(a, 'INBOX', [1, 2, 3, 4].map((n) => rawMessage(n)));
    const m = await addMailbox(o, a);
    const results = await Promise.all([poll(o, m, 1), poll(o, m, 1)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['busy', 'done']);
    expect(await itemsOf(o.office.id)).toHaveLength(4);
    // The lease is released when the poll ends.
    expect(done(await poll(o, m)).stored).toBe(0);
  });

  it('reports a connection refused and a missing folder', async () => {
    const o = await casework(ctx);
    const a = account();
    const closed = await addMailbox(o, a, { port: 1 });
    expect(await poll(o, closed)).toMatchObject({ outcome: 'failed', error: expect.stringContaining('Connection refused by 127.0.0.1:1') });
    const missing = await addMailbox(o, a, { mailbox: 'Nowhere' });
    expect(await poll(o, missing)).toMatchObject({ outcome: 'failed', error: expect.stringContaining('"Nowhere"') });
  });
});

describe('the admin API', () => {
  it('queues a poll when a mailbox is saved, and starts the UIDs again when it points elsewhere', async () => {
    const o = await casework(ctx);
    const a = account();
    await append(a, 'INBOX', [rawMessage(1)]);
    const m = await addMailbox(o, a);
    const queued = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pgboss.job WHERE name = ${IMAP_POLL_JOB} AND data->>'mailboxId' = ${m.id}`.execute(ctx.database.db)).rows[0]!.n);
    expect(await queued()).toBe(1);
    expect(done(await poll(o, m)).stored).toBe(1);

    ok(await o.admin.api('PATCH', `/api/v1/intake/mailboxes/${m.id}`, { afterStore: 'seen' }), 200);
    expect(await queued()).toBe(2);
    expect((await mailboxOf(o, m.id)).status.lastUid).toBe(1);
    await a.imap((c) => c.mailboxCreate('Other'));
    const moved = ok(await o.admin.api('PATCH', `/api/v1/intake/mailboxes/${m.id}`, { mailbox: 'Other' }), 200) as ImapMailbox;
    expect(moved.status).toMatchObject({ lastUid: 0, uidValidity: null });
    ok(await o.admin.api('PATCH', `/api/v1/intake/mailboxes/${m.id}`, { enabled: false }), 200);
    expect(await poll(o, m)).toEqual({ outcome: 'busy' });
    ok(await o.admin.api('DELETE', `/api/v1/intake/mailboxes/${m.id}`), 204);
    expect((ok(await o.admin.api('GET', '/api/v1/intake/mailboxes'), 200) as { items: unknown[] }).items).toEqual([]);
  });

  it('runs as a job: the cron run queues a poll per enabled mailbox, a poll queues processing of what it stored', async () => {
    const o = await casework(ctx);
    const [a, b] = [account(), account()];
    await append(a, 'INBOX', [rawMessage(1)]);
    const on = await addMailbox(o, a);
    const off = await addMailbox(o, b, { enabled: false });
    const jobsOf = async (name: string, field: string, value: string) =>
      Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pgboss.job WHERE name = ${name} AND data->>${field} = ${value}`.execute(ctx.database.db)).rows[0]!.n);
    const before = [await jobsOf(IMAP_POLL_JOB, 'mailboxId', on.id), await jobsOf(IMAP_POLL_JOB, 'mailboxId', off.id)];
    await runImapPollJob(ctx.database, ctx.jobs, {}, { maxBytes: MAX_BYTES }, log);
    expect([await jobsOf(IMAP_POLL_JOB, 'mailboxId', on.id), await jobsOf(IMAP_POLL_JOB, 'mailboxId', off.id)]).toEqual([before[0]! + 1, before[1]]);

    await runImapPollJob(ctx.database, ctx.jobs, { officeId: o.office.id, mailboxId: on.id }, { maxBytes: MAX_BYTES }, log);
    const [item] = await itemsOf(o.office.id);
    expect(item).toMatchObject({ source: 'imap', status: 'received' });
    expect(await jobsOf(PROCESS_JOB, 'id', item!.id)).toBe(1);
    // Processed like any other email: the resident's message opens a case.
    expect(await processItem(ctx.database.db, o.office.id, item!.id)).toEqual({ status: 'filed' });
  });

  it('refuses bad settings with the field that is wrong', async () => {
    const o = await casework(ctx);
    const a = account();
    const base = { address: 'help@townhall.example', host: 'imap.townhall.example', port: 993, tls: 'tls', username: 'help', password: 'secret' };
    const cases: [object, string][] = [
      [{ ...base, port: 70000 }, 'port'],
      [{ ...base, port: 0 }, 'port'],
      [{ ...base, host: undefined }, 'host'],
      [{ ...base, host: 'bad host!' }, 'host'],
      [{ ...base, address: 'not-an-address' }, 'address'],
      [{ ...base, tls: 'ssl' }, 'tls'],
      [{ ...base, password: undefined }, 'password'],
      [{ ...base, tls: 'none' }, 'tls'],
      [{ ...base, afterStore: 'move' }, 'moveTo'],
      [{ ...base, afterStore: 'move', moveTo: 'INBOX' }, 'moveTo'],
      [{ ...base, extra: true }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await o.admin.api('POST', '/api/v1/intake/mailboxes', body);
      refused(res, 400, 'validation_failed', field || undefined);
    }
    const m = await addMailbox(o, a);
    refused(await o.admin.api('PATCH', `/api/v1/intake/mailboxes/${m.id}`, { port: 65536 }), 400, 'validation_failed', 'port');
    refused(await o.admin.api('PATCH', `/api/v1/intake/mailboxes/${m.id}`, { host: 'imap.example.org' }), 400, 'validation_failed', 'tls');
    refused(await o.admin.api('POST', '/api/v1/intake/mailboxes', { address: 'x@townhall.example', host: dovecot.host, port: dovecot.port, tls: 'none', username: a.user.toUpperCase(), password: 'x' }), 409, 'conflict', 'mailbox');
    expect((ok(await o.admin.api('GET', '/api/v1/intake/mailboxes'), 200) as { items: unknown[] }).items).toHaveLength(1);
    // The default port follows the TLS mode.
    expect(ok(await o.admin.api('POST', '/api/v1/intake/mailboxes', { ...base, enabled: false }), 201)).toMatchObject({ port: 993, enabled: false });
  });

  it("keeps each office's mailboxes to itself and to those who may configure intake", async () => {
    const [o, other] = [await casework(ctx), await casework(ctx)];
    const a = account();
    const m = await addMailbox(o, a);
    expect((ok(await other.admin.api('GET', '/api/v1/intake/mailboxes'), 200) as { items: unknown[] }).items).toEqual([]);
    refused(await other.admin.api('PATCH', `/api/v1/intake/mailboxes/${m.id}`, { enabled: false }), 404, 'not_found');
    refused(await other.admin.api('POST', `/api/v1/intake/mailboxes/${m.id}/test`), 404, 'not_found');
    refused(await other.admin.api('DELETE', `/api/v1/intake/mailboxes/${m.id}`), 404, 'not_found');
    expect(await pollMailbox(ctx.database.db, undefined, other.office.id, m.id, { maxBytes: MAX_BYTES }, log)).toEqual({ outcome: 'busy' });
    expect((await mailboxOf(o, m.id))).toMatchObject({ enabled: true, status: { lastPollAt: null } });
    for (const who of [o.caseworker, o.analyst]) refused(await who.api('GET', '/api/v1/intake/mailboxes'), 403, 'forbidden');
    expect(ok(await o.manager.api('GET', '/api/v1/intake/mailboxes'), 200)).toMatchObject({ items: [{ id: m.id }] });
  });
});
