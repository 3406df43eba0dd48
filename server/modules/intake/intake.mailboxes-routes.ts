// HTTP: the office's mailboxes read over IMAP (intake.configure): list, add, change, remove,
// and a connection test that reports what went wrong in words an admin can act on.
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import { ZCreateImapMailbox, ZImapMailbox, ZImapTestResult, ZUpdateImapMailbox } from '../../../contract/intake-mailboxes.js';
import type { App } from '../../platform/http/types.js';
import * as mailboxes from './intake.mailboxes.js';

const tags = ['inbox'];

export function intakeMailboxRoutes(app: App): void {
  const jobs = () => app.civitas.jobs;

  app.get('/api/v1/intake/mailboxes', {
    schema: { tags, summary: "The office's mailboxes read over IMAP, with how the last poll went (passwords are never shown)", response: { 200: z.object({ items: z.array(ZImapMailbox) }) } },
    config: { permission: 'intake.configure' },
  }, async (req) => ({ items: await mailboxes.list(req.scope) }));

  app.post('/api/v1/intake/mailboxes', {
    schema: { tags, summary: 'Read a mailbox over IMAP: server, TLS mode, sign-in (the password is write-only), folder, and what to do with a stored message; polled at once, then every minute', body: ZCreateImapMailbox, response: { 201: ZImapMailbox } },
    config: { permission: 'intake.configure' },
  }, async (req, reply) => reply.code(201).send(await mailboxes.create(req.scope, jobs(), req.body)));

  app.patch('/api/v1/intake/mailboxes/:id', {
    schema: { tags, summary: 'Change a mailbox (a password left out is kept; another host, user or folder starts reading it from the beginning)', params: ZIdParams, body: ZUpdateImapMailbox, response: { 200: ZImapMailbox } },
    config: { permission: 'intake.configure' },
  }, async (req) => mailboxes.update(req.scope, jobs(), req.params.id, req.body));

  app.delete('/api/v1/intake/mailboxes/:id', {
    schema: { tags, summary: 'Stop reading a mailbox (messages already stored stay)', params: ZIdParams, response: { 204: z.null() } },
    config: { permission: 'intake.configure' },
  }, async (req, reply) => {
    await mailboxes.remove(req.scope, req.params.id);
    return reply.code(204).send(null);
  });

  app.post('/api/v1/intake/mailboxes/:id/test', {
    schema: { tags, summary: 'Connect and sign in with the saved settings and open the folder; answers what went wrong, changes nothing', params: ZIdParams, response: { 200: ZImapTestResult } },
    config: { permission: 'intake.configure' },
  }, async (req) => mailboxes.test(req.scope, req.params.id));
}
