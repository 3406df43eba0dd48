// The inbound SMTP listener (smtp-server): accepts mail for the offices' intake addresses
// only (a +tag is ignored when matching), refuses messages over the size limit, offers
// STARTTLS when a certificate is configured, and answers 250 only after the raw message is
// stored and its processing queued, so a sender whose connection breaks earlier retries and
// nothing is lost; a retried message is recognised by its Message-ID and stored once.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import * as repo from './intake.repo.js';
import { receive } from './intake.service.js';

type Log = { info(obj: object | string, msg?: string): void; error(obj: object, msg?: string): void };

export type SmtpListenerOptions = { port: number; host: string; maxBytes: number; tls: { key: string; cert: string } | null };

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/** The office that receives mail at this address, ignoring a +tag and case. */
export async function officeForRecipient(database: Database, address: string): Promise<string | null> {
  const base = address.toLowerCase().replace(/\+[^@]*@/, '@');
  return (await repo.addressOwner(database.db, base))?.office_id ?? null;
}

/** The idempotency key of a raw message: its Message-ID, else a hash of its bytes. */
export function messageKey(raw: Buffer): string {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
  const m = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]{1,900}>)/im.exec(head);
  return m ? m[1]! : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/** One item per office the message is for, under the first of its addresses the envelope names. */
async function targetsOf(database: Database, session: SMTPServerSession): Promise<Map<string, string>> {
  const targets = new Map<string, string>();
  for (const r of session.envelope.rcptTo) {
    const officeId = await officeForRecipient(database, r.address);
    if (officeId && !targets.has(officeId)) targets.set(officeId, r.address);
  }
  return targets;
}

export async function startSmtpListener(database: Database, jobs: Jobs, opts: SmtpListenerOptions, log: Log): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    name: 'civitas',
    banner: 'Civitas intake',
    authOptional: true,
    disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(opts.tls ? { key: fs.readFileSync(opts.tls.key), cert: fs.readFileSync(opts.tls.cert) } : {}),
    size: opts.maxBytes,
    logger: false,
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      officeForRecipient(database, address.address).then((officeId) => {
        callback(officeId ? null : smtpError(`5.1.1 <${address.address}>: no such mailbox here`, 550));
      }, (err: unknown) => {
        log.error({ err }, 'smtp: recipient lookup failed');
        callback(smtpError('4.3.0 Temporary failure, try again later', 451));
      });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(`5.3.4 Message too big (the limit is ${opts.maxBytes} bytes)`, 552));
        const raw = Buffer.concat(chunks);
        const key = messageKey(raw);
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        targetsOf(database, session).then((targets) => Promise.all([...targets].map(([officeId, recipient]) =>
          receive(database.db, jobs, officeId, { channel: 'email', source: 'smtp', key, raw, rawType: 'message/rfc822', recipient, details: { mailFrom, remoteAddress: session.remoteAddress } }),
        ))).then((stored) => {
          callback(null, `Stored as ${stored.map((s) => s.id).join(', ')}`);
        }, (err: unknown) => {
          log.error({ err }, 'smtp: storing a message failed');
          callback(smtpError('4.3.0 Could not store the message, try again later', 451));
        });
      });
    },
  });
  server.on('error', (err) => log.error({ err }, 'smtp listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  log.info(`SMTP intake listening on ${opts.host}:${port}${opts.tls ? ' (STARTTLS offered)' : ''}, messages up to ${opts.maxBytes} bytes`);
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
