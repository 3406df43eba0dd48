// HTTP: internal notes on a case, and the staff a note may mention.
import { z } from 'zod';
import { ZCaseItemsQuery, ZCaseStaff, ZCreateCaseNote, ZCaseNote, ZCaseNoteParams, ZEditCaseNote, ZShareCaseNote } from '../../../contract/case-work.js';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import type { App } from '../../platform/http/types.js';
import { can } from '../../platform/rbac.js';
import { viewerOf } from '../cases/cases.routes.js';
import * as service from './notes.service.js';
import { onCaseMerge } from '../cases/cases.merge-hooks.js';
import * as repo from './notes.repo.js';

const tags = ['notes'];

export function notesRoutes(app: App): void {
  // A merged case's notes go to the case it was merged into.
  onCaseMerge('notes', (trx, scope, merge) => repo.moveToCase(trx, scope.officeId, merge.fromCaseId, merge.intoCaseId).then(() => undefined));
  const publicUrl = app.civitas.config.publicUrl;

  app.get('/api/v1/cases/:id/notes', {
    schema: { tags, summary: "A case's internal notes, newest first", params: ZIdParams, querystring: ZCaseItemsQuery, response: { 200: ZPage(ZCaseNote) } },
    config: { permission: 'case.read' },
  }, async (req) => service.list(req.scope, viewerOf(req.principal!), req.params.id, req.query));

  app.post('/api/v1/cases/:id/notes', {
    schema: {
      tags, summary: 'Write a note; @[Name](user:<id>) mentions staff who may read the case, who are notified; isPublic shares it with the resident (tracking page, and the requester is told; refused on a sensitive case)',
      params: ZIdParams, body: ZCreateCaseNote, response: { 201: ZCaseNote },
    },
    config: { permission: 'case.write' },
  }, async (req, reply) => reply.code(201).send(await service.create(req.scope, viewerOf(req.principal!), req.params.id, req.body, publicUrl)));

  app.patch('/api/v1/cases/:id/notes/:noteId', {
    schema: { tags, summary: 'Edit an internal note (its author, within 15 minutes of writing it; a shared note is not edited)', params: ZCaseNoteParams, body: ZEditCaseNote, response: { 200: ZCaseNote } },
    config: { permission: 'case.write' },
  }, async (req) => service.edit(req.scope, viewerOf(req.principal!), req.params.id, req.params.noteId, req.body, publicUrl));

  app.delete('/api/v1/cases/:id/notes/:noteId', {
    schema: { tags, summary: 'Delete a note (its author, or staff who configure casework; kept in the audit log)', params: ZCaseNoteParams, response: { 204: z.null() } },
    config: { permission: 'case.write' },
  }, async (req, reply) => {
    await service.remove(req.scope, { ...viewerOf(req.principal!), canModerate: can(req.principal!, 'casework.configure') }, req.params.id, req.params.noteId);
    return reply.code(204).send(null);
  });

  app.put('/api/v1/cases/:id/notes/:noteId/sharing', {
    schema: {
      tags, summary: 'Share a note with the resident (the requester is told) or withdraw it; its author or staff who configure casework; audited; refused on a sensitive case',
      params: ZCaseNoteParams, body: ZShareCaseNote, response: { 200: ZCaseNote },
    },
    config: { permission: 'case.write' },
  }, async (req) => service.share(req.scope, { ...viewerOf(req.principal!), canModerate: can(req.principal!, 'casework.configure') }, req.params.id, req.params.noteId, req.body));

  app.get('/api/v1/cases/:id/staff', {
    schema: { tags, summary: 'Staff who may read the case (to mention), and whether each may work it (to assign tasks)', params: ZIdParams, response: { 200: z.object({ items: z.array(ZCaseStaff) }) } },
    config: { permission: 'case.read' },
  }, async (req) => ({ items: await service.staffOf(req.scope, viewerOf(req.principal!), req.params.id) }));
}
