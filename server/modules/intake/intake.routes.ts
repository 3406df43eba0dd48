// HTTP: the inbox (list, read, act on items), the raw-MIME intake endpoint for mail
// providers' inbound webhooks, the office's intake addresses, and a case's inbound messages.
import { z } from 'zod';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import {
  ZAttachItem, ZCreateCaseFromItem, ZCreateIntakeAddress, ZInboundItem, ZInboundItemSummary, ZInboxCounts, ZInboxQuery, ZIntakeAddress,
  ZIntakeAddressParams, ZMergeSender, ZReceiveResult, ZUpdateIntakeAddress,
} from '../../../contract/intake.js';
import { asDownload } from '../../platform/http/download.js';
import type { App } from '../../platform/http/types.js';
import { viewerOf } from '../cases/cases.routes.js';
import * as addresses from './intake.addresses.js';
import * as inbox from './intake.inbox.js';
import { registerIntakeReaders } from './intake.jobs.js';
import { receive } from './intake.service.js';
import { messageKey } from './intake.smtp.js';

const tags = ['inbox'];
const ZActionResult = z.object({ caseId: z.uuid(), reference: z.string() });
const ZAttachmentParams = z.object({ id: z.uuid(), index: z.coerce.number().int().min(0).max(1000) });

export function intakeRoutes(app: App): void {
  registerIntakeReaders();
  const jobs = () => app.civitas.jobs;

  app.get('/api/v1/inbox', {
    schema: { tags, summary: "The inbox: items from every channel, newest first; status 'open' (default) is what waits for someone", querystring: ZInboxQuery, response: { 200: ZPage(ZInboundItemSummary) } },
    config: { permission: 'inbox.read' },
  }, async (req) => inbox.list(req.scope, viewerOf(req.principal!), req.query));

  app.get('/api/v1/inbox/counts', {
    schema: { tags, summary: 'How many items are new, need attention, or wait to be processed', response: { 200: ZInboxCounts } },
    config: { permission: 'inbox.read' },
  }, async (req) => inbox.counts(req.scope));

  app.get('/api/v1/inbox/:id', {
    schema: { tags, summary: 'One item in full (sanitised HTML), and who else has it open; reading it marks you as viewing it', params: ZIdParams, response: { 200: ZInboundItem } },
    config: { permission: 'inbox.read' },
  }, async (req) => inbox.get(req.scope, viewerOf(req.principal!), req.params.id));

  app.get('/api/v1/inbox/:id/attachments/:index', {
    schema: { tags, summary: "Download an attachment of an email item (from the stored message), always as a download", params: ZAttachmentParams },
    config: { permission: 'inbox.read' },
  }, async (req, reply) => {
    const file = await inbox.attachmentOf(req.scope, viewerOf(req.principal!), req.params.id, req.params.index);
    return asDownload(reply, { ...file, size: file.content.length }).send(file.content);
  });

  app.post('/api/v1/inbox/:id/create-case', {
    schema: { tags, summary: 'Open a case from a new item (its sender as requester, its text as description)', params: ZIdParams, body: ZCreateCaseFromItem, response: { 201: ZActionResult } },
    config: { permission: 'inbox.work' },
  }, async (req, reply) => reply.code(201).send(await inbox.createCase(req.scope, viewerOf(req.principal!), req.params.id, req.body)));

  app.post('/api/v1/inbox/:id/attach', {
    schema: { tags, summary: 'Attach an item to a case (a resolved case is reopened by a message)', params: ZIdParams, body: ZAttachItem, response: { 200: ZActionResult } },
    config: { permission: 'inbox.work' },
  }, async (req) => inbox.attach(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  for (const [path, isSpam, summary] of [['spam', true, 'Mark an item as spam'], ['not-spam', false, 'Undo: put an item marked spam back in the inbox']] as const) {
    app.post(`/api/v1/inbox/:id/${path}`, {
      schema: { tags, summary, params: ZIdParams, response: { 200: z.object({ status: z.string() }) } },
      config: { permission: 'inbox.work' },
    }, async (req) => inbox.markSpam(req.scope, viewerOf(req.principal!), req.params.id, isSpam));
  }

  app.post('/api/v1/inbox/:id/merge-sender', {
    schema: { tags, summary: "Merge the item's sender record into an existing constituent, such as its suggestedSender (undoable from the constituent's merges)", params: ZIdParams, body: ZMergeSender, response: { 200: z.object({ constituentId: z.uuid() }) } },
    config: { permission: 'constituent.merge' },
  }, async (req) => inbox.mergeSender(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.post('/api/v1/inbox/:id/confirm-sender', {
    schema: { tags, summary: "Confirm the item's provisional sender record as a real constituent (for an item with a suggestedSender: a different person from the one on file)", params: ZIdParams, response: { 200: z.object({ confirmed: z.boolean() }) } },
    config: { permission: 'constituent.write' },
  }, async (req) => inbox.confirmSender(req.scope, viewerOf(req.principal!), req.params.id));

  app.post('/api/v1/inbox/:id/retry', {
    schema: { tags, summary: 'Send an item that needs attention back for processing (after the cause is fixed)', params: ZIdParams, response: { 202: z.object({ status: z.string() }) } },
    config: { permission: 'inbox.work' },
  }, async (req, reply) => reply.code(202).send(await inbox.retry(req.scope, viewerOf(req.principal!), jobs(), req.params.id)));

  app.get('/api/v1/cases/:id/inbound', {
    schema: { tags, summary: 'Messages received on a case, oldest first', params: ZIdParams, response: { 200: z.object({ items: z.array(ZInboundItemSummary) }) } },
    config: { permission: 'case.read' },
  }, async (req) => ({ items: await inbox.ofCase(req.scope, viewerOf(req.principal!), req.params.id) }));

  // ---------------------------------------------------------------- addresses
  app.get('/api/v1/intake/addresses', {
    schema: { tags, summary: "The addresses the office receives mail at", response: { 200: z.object({ items: z.array(ZIntakeAddress) }) } },
    config: { permission: 'intake.configure' },
  }, async (req) => ({ items: await addresses.list(req.scope) }));

  app.post('/api/v1/intake/addresses', {
    schema: { tags, summary: 'Add an address the office receives mail at (unique across the deployment)', body: ZCreateIntakeAddress, response: { 201: ZIntakeAddress } },
    config: { permission: 'intake.configure' },
  }, async (req, reply) => reply.code(201).send(await addresses.add(req.scope, req.body)));

  app.patch('/api/v1/intake/addresses/:address', {
    schema: { tags, summary: 'Turn acknowledgements on or off, or make the address the Reply-To of mail about cases (one per office)', params: ZIntakeAddressParams, body: ZUpdateIntakeAddress, response: { 200: ZIntakeAddress } },
    config: { permission: 'intake.configure' },
  }, async (req) => addresses.update(req.scope, req.params.address, req.body));

  app.delete('/api/v1/intake/addresses/:address', {
    schema: { tags, summary: 'Stop receiving mail at an address', params: ZIntakeAddressParams, response: { 204: z.null() } },
    config: { permission: 'intake.configure' },
  }, async (req, reply) => {
    await addresses.remove(req.scope, req.params.address);
    return reply.code(204).send(null);
  });

  // ---------------------------------------------------------------- raw MIME
  // A mail provider's inbound webhook (or a relay script) posts the raw message; it is stored
  // before the answer, so a 202 means it will not be lost, and a redelivery is recognised.
  void app.register(async (scoped: App) => {
    const max = app.civitas.config.intakeMaxBytes;
    scoped.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: max }, (_req, body, done) => done(null, body));
    scoped.post('/api/v1/intake/email', {
      schema: {
        tags, summary: `Submit one raw email (Content-Type: message/rfc822, up to ${max} bytes) for intake; answers 202 once it is stored`,
        querystring: z.object({ recipient: z.email().max(254).optional() }), response: { 202: ZReceiveResult },
      },
      config: { permission: 'intake.submit' },
      bodyLimit: max,
    }, async (req, reply) => {
      const raw = req.body as Buffer;
      const r = await receive(req.scope.db, jobs(), req.scope.officeId, { channel: 'email', source: 'http', key: messageKey(raw), raw, rawType: 'message/rfc822', recipient: req.query.recipient ?? null });
      return reply.code(202).send(r);
    });
  });
}
