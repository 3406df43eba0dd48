// HTTP: replies from a case (a template's approved text for the recipient, preview, send),
// the case's messages with their delivery status, the case's satisfaction rating, and the
// letters print queue (list, PDF, mark posted and undo). Templates: templates.routes.ts.
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import {
  ZCaseRatingResponse, ZLetterIds, ZLetterList, ZLetterListQuery, ZLetterPdfQuery, ZOutboundMessage, ZReplyPreview, ZReplyRequest, ZSentReplies,
} from '../../../contract/messages.js';
import { ZApprovedTemplateText, ZTemplateTextQuery } from '../../../contract/templates.js';
import type { App } from '../../platform/http/types.js';
import { viewerOf } from '../cases/cases.routes.js';
import { registerClosureHook } from './messages.closure-hook.js';
import { configureOutbox } from './messages.outbox.js';
import * as letters from './letters.service.js';
import * as replies from './messages.replies.js';
import * as ratings from './ratings.service.js';

const tags = ['messages'];

export function messagesRoutes(app: App): void {
  const { config } = app.civitas;
  // Emails queued through this app are delivered by its job queue; resolving here can send a closure message.
  configureOutbox({ jobs: () => app.civitas.jobs, from: config.mailFrom, publicUrl: config.publicUrl });
  registerClosureHook(config.publicUrl);

  app.get('/api/v1/cases/:id/replies/template-text', {
    schema: {
      tags, summary: "A template's approved text for a person on the case (the requester unless named): in their preferred language when approved, else the template's default language",
      params: ZIdParams, querystring: ZTemplateTextQuery, response: { 200: ZApprovedTemplateText },
    },
    config: { permission: 'case.write' },
  }, async (req) => replies.templateText(req.scope, viewerOf(req.principal!), req.params.id, req.query));

  app.post('/api/v1/cases/:id/replies/preview', {
    schema: { tags, summary: 'Render a reply (template or free text) for a person on the case, and say whether it can be sent', params: ZIdParams, body: ZReplyRequest, response: { 200: ZReplyPreview } },
    config: { permission: 'case.write' },
  }, async (req) => replies.preview(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.post('/api/v1/cases/:id/replies', {
    schema: { tags, summary: "Email a reply to the case's requester (or another person on it); 422 if they cannot be emailed", params: ZIdParams, body: ZReplyRequest, response: { 201: ZOutboundMessage } },
    config: { permission: 'case.write' },
  }, async (req, reply) => reply.code(201).send(await replies.send(req.scope, viewerOf(req.principal!), req.params.id, req.body)));

  app.get('/api/v1/cases/:id/messages', {
    schema: { tags, summary: 'The emails sent from the case, newest first, with their delivery status', params: ZIdParams, response: { 200: ZSentReplies } },
    config: { permission: 'case.read' },
  }, async (req) => ({ items: await replies.listForCase(req.scope, viewerOf(req.principal!), req.params.id) }));

  app.get('/api/v1/cases/:id/rating', {
    schema: { tags, summary: "The resident's satisfaction rating of the case (null until rated)", params: ZIdParams, response: { 200: ZCaseRatingResponse } },
    config: { permission: 'case.read' },
  }, async (req) => ({ rating: await ratings.forCase(req.scope, viewerOf(req.principal!), req.params.id) }));

  app.get('/api/v1/letters', {
    schema: { tags, summary: 'The print queue (letters waiting, oldest first) or the posted letters (newest first), paginated', querystring: ZLetterListQuery, response: { 200: ZLetterList } },
    config: { permission: 'case.read' },
  }, async (req) => letters.list(req.scope, viewerOf(req.principal!), req.query));

  app.get('/api/v1/letters/print.pdf', {
    schema: { tags, summary: 'One PDF of the letters named by ?id= (repeat it, up to 200), each on its own pages; 404 if any is not a letter of this office', querystring: ZLetterPdfQuery },
    config: { permission: 'case.read' },
  }, async (req, reply) => {
    const file = await letters.pdf(req.scope, viewerOf(req.principal!), req.query.id);
    reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    reply.header('cache-control', 'no-store');
    reply.type('application/pdf');
    return reply.send(file.pdf);
  });

  app.post('/api/v1/letters/posted', {
    schema: { tags, summary: 'Mark letters posted (they leave the print queue; each case timeline says so)', body: ZLetterIds, response: { 200: z.object({ changed: z.number().int() }) } },
    config: { permission: 'case.write' },
  }, async (req) => letters.markPosted(req.scope, viewerOf(req.principal!), req.body.ids, true));

  app.post('/api/v1/letters/unposted', {
    schema: { tags, summary: 'Undo: put letters marked posted by mistake back in the print queue', body: ZLetterIds, response: { 200: z.object({ changed: z.number().int() }) } },
    config: { permission: 'case.write' },
  }, async (req) => letters.markPosted(req.scope, viewerOf(req.principal!), req.body.ids, false));
}
