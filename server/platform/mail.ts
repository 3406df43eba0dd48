// Outbound mail transport (nodemailer). With SMTP_URL it speaks SMTP; without it every message
// is written as an .eml file under DATA_DIR/mail-outbox, so `npm start` on a bare machine keeps
// what it would have sent where an operator can read it instead of dropping it. With DKIM
// configured, every message is signed (nodemailer's signer covers From, Subject, Reply-To,
// Message-ID, the threading headers and List-Unsubscribe/-Post, as RFC 8058 asks).
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { ConfigError } from '../config.js';

/** DKIM signing: d= domain, s= selector, the PEM private key. */
export type DkimKey = { domainName: string; keySelector: string; privateKey: string };

export type OutgoingMail = {
  from: string;
  to: string;
  replyTo?: string | null;
  subject: string;
  text: string;
  html?: string | null;
  /** With angle brackets: <id@host>. Reused on every retry so receivers can de-duplicate. */
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Extra headers (X-Civitas-Case, ...). */
  headers?: Record<string, string>;
  /** Files sent with the message (the weekly insights report's PDF). */
  attachments?: { filename: string; content: Uint8Array; contentType: string }[];
};

export type MailResult = { response: string };

export type Mailer = { describe: string; send(mail: OutgoingMail): Promise<MailResult> };

function toNodemailer(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references?.length ? { references: mail.references } : {}),
    headers: mail.headers ?? {},
    ...(mail.attachments?.length ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })) } : {}),
    // Never let nodemailer read files or URLs named in the message.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** SMTP through nodemailer; the URL carries host, port, TLS and credentials. */
export function smtpMailer(url: string, opts: { timeoutMs?: number; dkim?: DkimKey | null } = {}): Mailer {
  const timeout = opts.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, ...(opts.dkim ? { dkim: opts.dkim } : {}),
  } as SMTPTransport.Options);
  const u = new URL(url);
  return {
    // Host and port only: the URL may carry credentials.
    describe: `SMTP ${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`,
    send: async (mail) => {
      const info = await transport.sendMail(toNodemailer(mail));
      return { response: String(info.response ?? '') };
    },
  };
}

/** Writes each message as `<dir>/<timestamp>-<message id>.eml` (RFC 5322, ready for any mail client). */
export function fileMailer(dir: string, opts: { dkim?: DkimKey | null } = {}): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix', ...(opts.dkim ? { dkim: opts.dkim } : {}) });
  return {
    describe: `files in ${dir}`,
    send: async (mail) => {
      const info = await transport.sendMail(toNodemailer(mail));
      await fs.mkdir(dir, { recursive: true });
      const safeId = mail.messageId.replace(/[^A-Za-z0-9._-]/g, '_');
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`);
      await fs.writeFile(file, info.message as Buffer, { flag: 'w' });
      return { response: `written to ${file}` };
    },
  };
}

/** Reads and checks the DKIM key at start-up, so a bad file stops the server with a clear message rather than failing every send. */
export function dkimKey(dkim: { domain: string; selector: string; privateKeyFile: string } | null | undefined): DkimKey | null {
  if (!dkim) return null;
  let pem: string;
  try {
    pem = readFileSync(dkim.privateKeyFile, 'utf8');
  } catch (err) {
    throw new ConfigError([`DKIM_PRIVATE_KEY_FILE: cannot read ${dkim.privateKeyFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  try {
    const key = createPrivateKey(pem);
    // nodemailer signs rsa-sha256 only.
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`found a ${key.asymmetricKeyType} key`);
  } catch (err) {
    throw new ConfigError([`DKIM_PRIVATE_KEY_FILE: ${dkim.privateKeyFile} is not an RSA private key in PEM form (${(err as Error).message})`]);
  }
  return { domainName: dkim.domain, keySelector: dkim.selector, privateKey: pem };
}

export function mailerFromConfig(config: { smtpUrl: string | undefined; dataDir: string; dkim?: { domain: string; selector: string; privateKeyFile: string } | null }): Mailer {
  const dkim = dkimKey(config.dkim);
  return config.smtpUrl ? smtpMailer(config.smtpUrl, { dkim }) : fileMailer(path.join(config.dataDir, 'mail-outbox'), { dkim });
}

/** The domain of an address such as `Civitas <no-reply@example.org>`, for Message-IDs. */
export function addressDomain(address: string): string {
  const m = /@([^<>@\s]+)>?\s*$/.exec(address.trim());
  return m ? m[1]!.toLowerCase() : 'localhost';
}
