// Reading an office mailbox over IMAP (imapflow). One poll takes the mailbox's lease (so two
// workers never read it at once), checks UIDVALIDITY, lists the UIDs above the last one
// stored, and reads them in ascending order in small batches: each message is stored through
// receive() (keyed by its Message-ID), then the batch is marked seen or moved if the office
// asked for it, and only then is last_uid advanced. A crash anywhere re-reads at most one
// batch, and the idempotency key absorbs the re-read; nothing is ever skipped.
//
// UIDVALIDITY: a UID only names a message together with the folder's UIDVALIDITY. When the
// server reports a different one (the folder was recreated, restored or migrated), the
// stored last_uid means nothing any more, so reading starts again from UID 1; every message
// already stored has the same Message-ID key (or, without one, the same hash of its bytes) and
// is recognised by receive() instead of being stored twice.
import { randomUUID } from 'node:crypto';
import { ImapFlow, type FetchMessageObject, type ImapFlowOptions } from 'imapflow';
import type { ImapTestResult } from '../../../contract/intake-mailboxes.js';
import type { Executor } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import * as mailboxes from './intake.mailboxes-repo.js';
import * as repo from './intake.repo.js';
import { receive } from './intake.service.js';
import { messageKey } from './intake.smtp.js';

type Log = { info(obj: object | string, msg?: string): void; error(obj: object, msg?: string): void };
type Connection = Pick<mailboxes.MailboxRow, 'host' | 'port' | 'tls' | 'username' | 'password'>;

export type PollOptions = {
  /** The largest message stored (INTAKE_MAX_BYTES); bigger ones become items needing attention. */
  maxBytes: number;
  /** Messages per batch (one FETCH, one after-store command, one advance of last_uid). */
  batchSize?: number;
  /** A poll stops after this long and the next one goes on, so one job never runs for ages. */
  maxRunMs?: number;
};
export type PollResult =
  | { outcome: 'busy' }
  | { outcome: 'done'; stored: number; duplicates: number; tooLarge: number; backlog: number; uidValidityChanged: boolean }
  | { outcome: 'failed'; error: string; stored: number };

// Held for five minutes and renewed after each batch; a crashed worker's hold lapses by itself.
const LEASE_SECONDS = 300;
const BATCH = 25;
// A batch's FETCH holds its messages in memory: at most this many bytes of them at once.
const BATCH_BYTES = 16 * 1024 * 1024;
const MAX_RUN_MS = 10 * 60_000;
const PROGRESS_EVERY_MS = 15_000;

/** Cleartext IMAP ('none') is for a server on this machine only: a password never crosses a network unencrypted. */
export const isLoopback = (host: string) => ['localhost', '127.0.0.1', '::1'].includes(host.toLowerCase());
const CLEARTEXT_REFUSED = 'Cleartext IMAP is only allowed to this machine (localhost)';

export function clientOptions(c: Connection): ImapFlowOptions {
  return {
    host: c.host,
    port: c.port,
    // tls: TLS from the first byte; starttls: the upgrade is required (a server that does not
    // offer it is an error, never a silent cleartext login); none: cleartext, loopback only.
    secure: c.tls === 'tls',
    doSTARTTLS: c.tls === 'starttls' ? true : c.tls === 'none' ? false : undefined,
    auth: { user: c.username, pass: c.password },
    // imapflow's own log would carry protocol traffic; ours says what matters, without secrets.
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
    socketTimeout: 120_000,
    clientInfo: { name: 'Civitas' },
  };
}

/** Why talking to the server failed, for the admin: never the password, never the raw protocol. */
export function describeImapError(err: unknown, c: Pick<Connection, 'host' | 'port' | 'username'>, folder?: string): string {
  const e = (err ?? {}) as { message?: string; code?: string; authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string; mailboxMissing?: boolean; tlsFailed?: boolean };
  const where = `${c.host}:${c.port}`;
  let text: string;
  if (e.authenticationFailed) text = `The server refused the sign-in of "${c.username}": check the user name and password${e.responseText ? ` (server said: ${e.responseText})` : ''}`;
  else if (e.mailboxMissing || (folder && e.serverResponseCode === 'NONEXISTENT')) text = `The folder "${folder}" does not exist on ${where}${e.responseText ? ` (server said: ${e.responseText})` : ''}`;
  else if (e.code === 'ECONNREFUSED') text = `Connection refused by ${where}: is the host and port right, and is the IMAP server running?`;
  else if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') text = `The host "${c.host}" was not found (DNS)`;
  else if (e.code === 'CONNECT_TIMEOUT' || e.code === 'GREETING_TIMEOUT' || e.code === 'ETIMEOUT' || e.code === 'ETIMEDOUT' || e.code === 'UPGRADE_TIMEOUT') text = `Timed out talking to ${where} (${e.code})`;
  else if (/STARTTLS/i.test(e.message ?? '')) text = `${where} does not offer STARTTLS; choose implicit TLS (usually port 993), or fix the server`;
  else if (e.tlsFailed || /certificate|SSL|TLS/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) text = `TLS with ${where} failed: ${e.message ?? e.code}`;
  else text = `${e.message ?? String(err)}${e.responseText ? ` (server said: ${e.responseText})` : ''}${e.code ? ` [${e.code}]` : ''}`;
  return text.slice(0, 2000);
}

/** Opens a client; errors it emits between commands are kept rather than crashing the process. */
async function connect(c: Connection): Promise<ImapFlow> {
  const client = new ImapFlow(clientOptions(c));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const closeQuietly = async (client: ImapFlow) => {
  await client.logout().catch(() => client.close());
};

/** Signs in and opens the folder read-only: what an admin's "test connection" reports. */
export async function testConnection(row: mailboxes.MailboxRow): Promise<ImapTestResult> {
  if (row.tls === 'none' && !isLoopback(row.host)) return { ok: false, error: CLEARTEXT_REFUSED, messages: null, uidValidity: null };
  let client: ImapFlow | undefined;
  try {
    client = await connect(row);
    const box = await client.mailboxOpen(row.mailbox, { readOnly: true });
    const result = { ok: true, error: null, messages: box.exists, uidValidity: String(box.uidValidity) };
    if (row.after_store === 'move' && row.move_to && !(await folderExists(client, row.move_to))) {
      return { ...result, ok: false, error: `The folder "${row.move_to}" to move stored messages to does not exist on ${row.host}:${row.port}` };
    }
    return result;
  } catch (err) {
    return { ok: false, error: describeImapError(err, row, row.mailbox), messages: null, uidValidity: null };
  } finally {
    if (client) await closeQuietly(client);
  }
}

async function folderExists(client: ImapFlow, path: string): Promise<boolean> {
  const status = await client.status(path, { messages: true }).catch(() => false as const);
  return status !== false;
}

/** A message over the size limit: its headers kept as an item needing attention, the message left on the server. */
async function recordTooLarge(db: Executor, row: mailboxes.MailboxRow, msg: FetchMessageObject, size: number, maxBytes: number, uidValidity: number): Promise<boolean> {
  const headers = msg.headers?.length ? msg.headers : Buffer.from(`X-Civitas-Imap-Uid: ${msg.uid}\r\n`);
  const from = msg.envelope?.from?.[0];
  const reason = `This email is ${size} bytes, over the ${maxBytes}-byte limit (INTAKE_MAX_BYTES), so only its headers were stored. `
    + `It is still in the folder "${row.mailbox}" of ${row.username}@${row.host} (UID ${msg.uid}); read it there, or raise the limit and retry.`;
  const r = await repo.insertOnce(db, row.office_id, {
    channel: 'email', source: 'imap', idempotency_key: messageKey(headers).slice(0, 500), raw: headers, raw_type: 'text/rfc822-headers',
    raw_size: size, recipient: row.address, status: 'needs_attention', error: reason, kind: 'message',
    sender_name: from?.name?.slice(0, 300) || null, sender_address: from?.address?.slice(0, 320) ?? null, subject: msg.envelope?.subject?.slice(0, 1000) ?? null,
    message_id: msg.envelope?.messageId?.slice(0, 1000) ?? null,
    details: JSON.stringify({ tooLarge: true, size, imap: { mailboxId: row.id, folder: row.mailbox, uid: msg.uid, uidValidity } }),
  });
  return r.created;
}

class LeaseLost extends Error {}

/**
 * Polls one mailbox. 'busy' when another poll holds it (or it is disabled or gone); a
 * connection, sign-in or folder failure is recorded on the mailbox and returned, not thrown.
 */
export async function pollMailbox(db: Executor, jobs: Jobs | undefined, officeId: string, id: string, opts: PollOptions, log: Log): Promise<PollResult> {
  const owner = randomUUID();
  const row = await mailboxes.takeLease(db, officeId, id, owner, LEASE_SECONDS);
  if (!row) return { outcome: 'busy' };
  const ctx = { officeId, mailboxId: id, host: row.host, username: row.username, folder: row.mailbox };
  const counts = { stored: 0, duplicates: 0, tooLarge: 0, backlog: 0, uidValidityChanged: false };
  let client: ImapFlow | undefined;
  try {
    if (row.tls === 'none' && !isLoopback(row.host)) throw new Error(CLEARTEXT_REFUSED);
    client = await connect(row);
    const lock = await client.getMailboxLock(row.mailbox, { readOnly: row.after_store === 'leave' });
    try {
      await readNew(db, jobs, client, row, owner, opts, counts, log, ctx);
    } finally {
      lock.release();
    }
    await mailboxes.release(db, officeId, id, owner, {
      last_success_at: new Date(), last_error: null, last_error_at: null, last_stored: counts.stored, backlog: counts.backlog,
    });
    return { outcome: 'done', ...counts };
  } catch (err) {
    if (err instanceof LeaseLost) {
      log.info(ctx, 'IMAP poll stopped: the mailbox was changed or taken over by another poll');
      return { outcome: 'busy' };
    }
    const error = describeImapError(err, row, row.mailbox);
    log.error({ ...ctx, err: error, stored: counts.stored }, 'IMAP poll failed');
    await mailboxes.release(db, officeId, id, owner, { last_error: error, last_error_at: new Date(), backlog: counts.backlog });
    return { outcome: 'failed', error, stored: counts.stored };
  } finally {
    if (client) await closeQuietly(client);
  }
}

type Counts = { stored: number; duplicates: number; tooLarge: number; backlog: number; uidValidityChanged: boolean };

async function readNew(db: Executor, jobs: Jobs | undefined, client: ImapFlow, row: mailboxes.MailboxRow, owner: string, opts: PollOptions, counts: Counts, log: Log, ctx: object): Promise<void> {
  const box = client.mailbox;
  if (!box) throw new Error(`The folder "${row.mailbox}" could not be opened`);
  const uidValidity = Number(box.uidValidity);
  const advance = async (v: Parameters<typeof mailboxes.whileLeased>[5]) => {
    if (!(await mailboxes.whileLeased(db, row.office_id, row.id, owner, LEASE_SECONDS, v))) throw new LeaseLost();
  };
  let lastUid = row.last_uid;
  if (row.uid_validity !== uidValidity) {
    // New folder, or the old UIDs mean nothing now: read it all again (see the top of this file).
    if (row.uid_validity !== null) log.info({ ...ctx, was: row.uid_validity, now: uidValidity }, 'IMAP UIDVALIDITY changed: reading the folder again from the start; messages already stored are recognised by their Message-ID');
    counts.uidValidityChanged = row.uid_validity !== null;
    lastUid = 0;
    await advance({ uid_validity: uidValidity, last_uid: 0 });
  }
  // "n:*" always includes the highest UID even when it is below n, hence the filter.
  const found = box.exists ? await client.search({ uid: `${lastUid + 1}:*` }, { uid: true }) : [];
  const uids = (found || []).filter((u) => u > lastUid).sort((a, b) => a - b);
  counts.backlog = uids.length;
  if (!uids.length) return;
  log.info({ ...ctx, waiting: uids.length, fromUid: uids[0] }, `IMAP: ${uids.length} message(s) to read`);
  const started = Date.now();
  let lastProgress = started;
  const batchSize = opts.batchSize ?? BATCH;
  for (let i = 0; i < uids.length;) {
    if (Date.now() - started > (opts.maxRunMs ?? MAX_RUN_MS)) {
      log.info({ ...ctx, remaining: uids.length - i }, 'IMAP poll time is up: the next poll goes on from here');
      return;
    }
    const batch = await nextBatch(client, uids.slice(i, i + batchSize));
    i += batch.uids.length;
    await storeBatch(db, jobs, client, row, batch, opts, counts, uidValidity);
    await advance({ last_uid: batch.uids[batch.uids.length - 1]! });
    counts.backlog = uids.length - i;
    if (Date.now() - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = Date.now();
      log.info({ ...ctx, stored: counts.stored, remaining: counts.backlog }, `IMAP: ${counts.stored} stored, ${counts.backlog} to go`);
    }
  }
}

/** The leading UIDs of `candidates` whose messages fit the batch's byte budget (at least one), with their sizes. */
async function nextBatch(client: ImapFlow, candidates: number[]): Promise<{ uids: number[]; sizes: Map<number, number> }> {
  const meta = await client.fetchAll(candidates.join(','), { uid: true, size: true }, { uid: true });
  const sizes = new Map(meta.map((m) => [m.uid, m.size ?? 0]));
  const uids: number[] = [];
  let bytes = 0;
  for (const uid of candidates) {
    const size = sizes.get(uid) ?? 0;
    if (uids.length && bytes + size > BATCH_BYTES) break;
    uids.push(uid);
    bytes += size;
  }
  return { uids, sizes };
}

async function storeBatch(db: Executor, jobs: Jobs | undefined, client: ImapFlow, row: mailboxes.MailboxRow, batch: { uids: number[]; sizes: Map<number, number> }, opts: PollOptions, counts: Counts, uidValidity: number): Promise<void> {
  // A message gone from the server between SEARCH and FETCH (expunged by someone) has no size and is not read.
  const present = batch.uids.filter((u) => batch.sizes.has(u));
  const big = present.filter((u) => batch.sizes.get(u)! > opts.maxBytes);
  const small = present.filter((u) => batch.sizes.get(u)! <= opts.maxBytes);
  const messages = small.length ? await client.fetchAll(small.join(','), { uid: true, source: true }, { uid: true }) : [];
  messages.sort((a, b) => a.uid - b.uid);
  const stored: number[] = [];
  for (const msg of messages) {
    if (!msg.source?.length) continue;
    const r = await receive(db, jobs, row.office_id, {
      channel: 'email', source: 'imap', key: messageKey(msg.source), raw: msg.source, rawType: 'message/rfc822', recipient: row.address,
      details: { imap: { mailboxId: row.id, folder: row.mailbox, uid: msg.uid, uidValidity } },
    });
    if (r.duplicate) counts.duplicates++;
    else counts.stored++;
    stored.push(msg.uid);
  }
  for (const uid of big) {
    const msg = await client.fetchOne(String(uid), { uid: true, headers: true, envelope: true }, { uid: true });
    if (msg && (await recordTooLarge(db, row, msg, batch.sizes.get(uid)!, opts.maxBytes, uidValidity))) counts.tooLarge++;
  }
  // Only messages that are stored are marked or moved; one over the limit stays where it is.
  if (!stored.length || row.after_store === 'leave') return;
  const range = stored.join(',');
  if (row.after_store === 'seen' && !(await client.messageFlagsAdd(range, ['\\Seen'], { uid: true }))) {
    throw new Error(`The server refused to mark stored messages as seen in "${row.mailbox}"`);
  }
  if (row.after_store === 'move' && !(await client.messageMove(range, row.move_to!, { uid: true }))) {
    throw new Error(`The server refused to move stored messages to "${row.move_to}" (does that folder exist?)`);
  }
}
