// Outbound mail transport (nodemailer). With SMTP_URL it speaks SMTP; without it every message
// is written as an .eml file under DATA_DIR/mail-outbox, so `npm start` on a bare machine keeps
// what it would have sent where an operator can read it instead of dropping it.
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

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
    // Never let nodemailer read files or URLs named in the message.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** SMTP through nodemailer; the URL carries host, port, TLS and credentials. */
export function smtpMailer(url: string, opts: { timeoutMs?: number } = {}): Mailer {
  const timeout = opts.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({ url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout } as SMTPTransport.Options);
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
export function fileMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
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

export function mailerFromConfig(config: { smtpUrl: string | undefined; dataDir: string }): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl) : fileMailer(path.join(config.dataDir, 'mail-outbox'));
}

/** The domain of an address such as `Civitas <no-reply@example.org>`, for Message-IDs. */
export function addressDomain(address: string): string {
  const m = /@([^<>@\s]+)>?\s*$/.exec(address.trim());
  return m ? m[1]!.toLowerCase() : 'localhost';
}
