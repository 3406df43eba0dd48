// Helpers for the messages tests: a reply template created and approved through the API, and
// a real SMTP server (smtp-server) collecting what it receives parsed by mailparser, with a
// switch that makes it refuse recipients.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { ReplyTemplate } from '../../../contract/templates.js';
import { uniq } from '../../../test/harness.js';
import { ok, type Staff } from '../cases/cases.testkit.js';

/** A template whose first text (a draft) is approved at once: `as` needs templates.approve. */
export async function approvedTemplate(as: Staff, body: object = {}): Promise<ReplyTemplate> {
  const t = ok(await as.api('POST', '/api/v1/reply-templates', {
    name: uniq('Pothole fixed'), subject: 'About {{case.reference}}', body: 'Dear {{constituent.given_name}},\n\nWe fixed "{{case.subject}}".\n\n{{staff.display_name}}, {{office.name}}', ...body,
  }), 201) as ReplyTemplate;
  const { language } = t.translations[0]!;
  return ok(await as.api('POST', `/api/v1/reply-templates/${t.id}/languages/${language}/approve`, { version: 1, revision: 1 }), 200) as ReplyTemplate;
}

export type TestSmtp = {
  url: string;
  received: ParsedMail[];
  /** The raw message as it arrived, by parsed message (a DKIM check needs the bytes). */
  raw: Map<ParsedMail, Buffer>;
  /** When set, RCPT TO is refused with this SMTP reply text (code 550). */
  rejectRecipients: string | null;
  close(): Promise<void>;
  /** Waits until `n` messages have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /**
   * Waits for the message that matches. On a shared PostgreSQL database this file's job
   * worker also delivers other test files' mail here, so tests pick their own by content
   * (among those received from index `from` on).
   */
  waitForMail(match: (m: ParsedMail) => boolean, from?: number, timeoutMs?: number): Promise<ParsedMail>;
};

export async function startSmtp(): Promise<TestSmtp> {
  const state: TestSmtp = {
    url: '',
    received: [],
    raw: new Map(),
    rejectRecipients: null,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    waitFor: async (n, timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      while (state.received.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} message(s), got ${state.received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return state.received;
    },
    waitForMail: async (match, from = 0, timeoutMs = 10_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = state.received.slice(from).find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no matching message among ${state.received.length} received`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (_address, _session, callback) => {
      if (state.rejectRecipients) {
        const err = new Error(state.rejectRecipients) as Error & { responseCode: number };
        err.responseCode = 550;
        callback(err);
        return;
      }
      callback();
    },
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            state.raw.set(mail, raw);
            state.received.push(mail);
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}`;
  return state;
}
