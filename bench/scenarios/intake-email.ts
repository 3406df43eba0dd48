// intake-email: sustained inbound email end to end. The real server (`civitas start`, jobs
// embedded) listens for mail on SMTP_PORT; this process, separate from it, sends M real MIME
// messages (nodemailer's composer: text and HTML alternatives) over a pool of SMTP
// connections: 45 % from constituents of the demo office (matched by email: filed on a new
// case, or left new beside their open case), 45 % from new senders (a provisional record, a
// new case, an acknowledgement queued), 10 % auto-replies (recognised and ignored). The
// figure is messages per second from the first send until the last one is processed (stored,
// parsed, matched, threaded, case opened or suggested, acknowledgement queued), read from the
// inbox counts through the API. The raw figure is how fast the listener alone accepts and
// stores them (the SMTP side: every 250 means stored with its processing job queued).
import nodemailer from 'nodemailer';
import { permissionsOf } from '../../server/platform/rbac.js';
import { systemScope } from '../../server/platform/scope.js';
import * as tokens from '../../server/modules/tokens/tokens.service.js';
import { Samples, summarise } from '../lib/stats.js';
import { freePort, startServer } from '../lib/server.js';
import type { Context, Result, Scenario } from '../lib/types.js';

const ADDRESS = 'help@intake-bench.example';

type Counts = { new: number; needsAttention: number; received: number };

function message(i: number, known: string[]): { from: string; subject: string; text: string; html: string; headers?: Record<string, string> } {
  const kind = i % 20;
  const street = `${(i % 97) + 1} Station Road`;
  if (kind < 2) {
    return { from: `Away ${i} <away${i}@residents-bench.example>`, subject: `Out of office: ${i}`, text: 'I am away until Monday.', html: '<p>I am away until Monday.</p>', headers: { 'Auto-Submitted': 'auto-replied' } };
  }
  const from = kind < 11 && known.length ? known[i % known.length]! : `Resident ${i} <resident${i}@residents-bench.example>`;
  const text = `Hello,\n\nThe streetlight outside ${street} has been out since last week and the pavement is dark.\nCould someone look at it?\n\nThank you`;
  return { from, subject: `Streetlight out at ${street}`, text, html: `<p>Hello,</p><p>The streetlight outside <b>${street}</b> has been out since last week.</p><p>Thank you</p>` };
}

export const scenario: Scenario = {
  name: 'intake-email',
  description: 'inbound email over SMTP from a separate process, end to end (stored, parsed, matched, threaded, case, acknowledgement queued)',
  async run(ctx: Context): Promise<Result[]> {
    const demo = await ctx.ensureDemo();
    const total = ctx.quick ? 2_000 : 10_000;
    const database = await ctx.bench.open(2);
    let secret: string;
    let known: string[];
    try {
      secret = (await tokens.create(systemScope(database.db, demo.officeId, 'bench'), demo.adminUserId, { name: `intake-bench-${Date.now()}`, scopes: [...permissionsOf('admin')] })).secret;
      await database.pool.query('INSERT INTO intake_addresses (office_id, address, acknowledge) VALUES ($1, $2, true) ON CONFLICT (address) DO NOTHING', [demo.officeId, ADDRESS]);
      known = (await database.pool.query<{ email: string }>('SELECT email FROM constituent_emails WHERE office_id = $1 ORDER BY constituent_id LIMIT 2000', [demo.officeId])).rows.map((r) => r.email);
      const before = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_items WHERE office_id = $1', [demo.officeId]);
      if (before.rows[0]!.n) throw new Error('intake-email expects an office without inbound items');
    } finally {
      await database.close(); // PGlite is single-process: the server needs the data dir to itself
    }

    const smtpPort = await freePort();
    const server = await startServer(ctx.bench, { JOBS: 'embedded', SMTP_PORT: String(smtpPort), SMTP_HOST: '127.0.0.1', MAIL_FROM: `Town Hall <${ADDRESS}>` });
    const counts = async (): Promise<Counts> => {
      const r = await fetch(`${server.url}/api/v1/inbox/counts`, { headers: { authorization: `Bearer ${secret}` } });
      if (!r.ok) throw new Error(`inbox counts: ${r.status} ${await r.text()}`);
      return (await r.json()) as Counts;
    };
    try {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, pool: true, maxConnections: 8, maxMessages: Infinity });
      const accept = new Samples();
      let errors = 0;
      let sent = 0;
      let peakRss = 0;
      const t0 = performance.now();
      let next = 0;
      const senders = Array.from({ length: 16 }, async () => {
        while (next < total) {
          const i = next++;
          const m = message(i, known);
          const t = performance.now();
          try {
            await transport.sendMail({ from: m.from, to: ADDRESS, subject: m.subject, text: m.text, html: m.html, messageId: `<bench-${i}-${t0.toFixed(0)}@residents-bench.example>`, headers: m.headers ?? {} });
            sent++;
          } catch (err) {
            errors++;
            if (errors <= 3) ctx.log(`intake-email: send ${i} failed: ${(err as Error).message}`);
          }
          accept.add(performance.now() - t);
          if (i % 500 === 0) peakRss = Math.max(peakRss, (await server.memory())?.rssMb ?? 0);
        }
      });
      await Promise.all(senders);
      const acceptSeconds = (performance.now() - t0) / 1000;
      transport.close();
      ctx.log(`intake-email: ${sent} accepted over SMTP in ${acceptSeconds.toFixed(1)}s (${(sent / acceptSeconds).toFixed(0)}/s), ${errors} refused`);

      let last = performance.now();
      let c = await counts();
      while (c.received > 0) {
        await new Promise((r) => setTimeout(r, 100));
        c = await counts();
        if (performance.now() - last > 10_000) {
          last = performance.now();
          ctx.log(`intake-email: ${c.received} still being processed`);
        }
        peakRss = Math.max(peakRss, (await server.memory())?.rssMb ?? 0);
      }
      const seconds = (performance.now() - t0) / 1000;
      const lat = summarise(accept.values());
      ctx.log(`intake-email: all ${sent} processed in ${seconds.toFixed(1)}s: ${(sent / seconds).toFixed(0)}/s end to end; inbox: ${c.new} new, ${c.needsAttention} needing attention`);
      return [{
        scenario: 'intake-email', engine: ctx.bench.engine, scale: ctx.scale, operations: sent, unit: 'emails', seconds, throughput: sent / seconds,
        p50: lat.p50, p95: lat.p95, p99: lat.p99, latencyOf: 'one SMTP transaction until 250 (stored and queued), 8 connections',
        peakRssMb: peakRss, rssOf: 'the server (listener and jobs)',
        raw: { what: 'SMTP accept and store only (the listener, before processing)', operations: sent, seconds: acceptSeconds, throughput: sent / acceptSeconds },
        ratio: sent / seconds / (sent / acceptSeconds), errors: errors + c.needsAttention,
        notes: `end to end: first send until the inbox has nothing left being processed; ${c.new} left new beside an open case, ${c.needsAttention} needing attention`,
      }];
    } finally {
      await server.stop();
    }
  },
};
