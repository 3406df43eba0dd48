// HTTP: reply templates. Listed for anyone who can reply (case.write); drafted (create, save a
// draft or a translation, discard, restore an old version) with templates.draft; approved with
// templates.approve; renamed, recategorised and retired with templates.manage.
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import { ZMergeFieldList } from '../../../contract/messages.js';
import {
  ZApproveTemplateDraft, ZCreateReplyTemplate, ZReplyTemplate, ZReplyTemplateListQuery, ZSaveTemplateDraft, ZTemplateLanguageParams, ZTemplateVersionList,
  ZTemplateVersionParams, ZTemplateVersionsQuery, ZUpdateReplyTemplate,
} from '../../../contract/templates.js';
import type { App } from '../../platform/http/types.js';
import * as templates from './templates.service.js';
import * as workflow from './templates.workflow.js';

const tags = ['messages'];
const draftUrl = '/api/v1/reply-templates/:id/languages/:language';

export function templatesRoutes(app: App): void {
  app.get('/api/v1/reply-templates', {
    schema: {
      tags, summary: "The office's reply templates with each language's approved text and open draft (live ones unless includeRetired=true)",
      querystring: ZReplyTemplateListQuery, response: { 200: z.object({ items: z.array(ZReplyTemplate) }) },
    },
    config: { permission: 'case.write' },
  }, async (req) => ({ items: await templates.list(req.scope, req.query.includeRetired) }));

  app.get('/api/v1/reply-templates/merge-fields', {
    schema: { tags, summary: 'The merge fields a template may use, as {{name}}', response: { 200: ZMergeFieldList } },
    config: { permission: 'case.write' },
  }, async () => ({ items: templates.mergeFields() }));

  app.get('/api/v1/reply-templates/:id', {
    schema: { tags, summary: 'One template with its languages', params: ZIdParams, response: { 200: ZReplyTemplate } },
    config: { permission: 'case.write' },
  }, async (req) => templates.get(req.scope, req.params.id));

  app.post('/api/v1/reply-templates', {
    schema: {
      tags, summary: "Create a template; its text is a draft (version 1, in the office's language unless given) until approved (400 naming an unknown or malformed merge field)",
      body: ZCreateReplyTemplate, response: { 201: ZReplyTemplate },
    },
    config: { permission: 'templates.draft' },
  }, async (req, reply) => reply.code(201).send(await templates.create(req.scope, req.body)));

  app.patch('/api/v1/reply-templates/:id', {
    schema: { tags, summary: 'Rename, recategorise, change the default language of, retire or restore a template (its text changes through drafts)', params: ZIdParams, body: ZUpdateReplyTemplate, response: { 200: ZReplyTemplate } },
    config: { permission: 'templates.manage' },
  }, async (req) => templates.update(req.scope, req.params.id, req.body));

  app.get('/api/v1/reply-templates/:id/versions', {
    schema: { tags, summary: "The template's version history (of one language when given), newest first, with who wrote and approved each", params: ZIdParams, querystring: ZTemplateVersionsQuery, response: { 200: ZTemplateVersionList } },
    config: { permission: 'templates.draft' },
  }, async (req) => ({ items: await workflow.history(req.scope, req.params.id, req.query.language) }));

  app.put(`${draftUrl}/draft`, {
    schema: {
      tags, summary: "Save the language's draft: updates the open draft, else starts the next version (a language without text yet is a new translation); approved text never changes",
      params: ZTemplateLanguageParams, body: ZSaveTemplateDraft, response: { 200: ZReplyTemplate },
    },
    config: { permission: 'templates.draft' },
  }, async (req) => workflow.saveDraft(req.scope, req.params.id, req.params.language, req.body));

  app.delete(`${draftUrl}/draft`, {
    schema: { tags, summary: "Discard the language's open draft (kept in the history as discarded)", params: ZTemplateLanguageParams, response: { 200: ZReplyTemplate } },
    config: { permission: 'templates.draft' },
  }, async (req) => workflow.discard(req.scope, req.params.id, req.params.language));

  app.post(`${draftUrl}/approve`, {
    schema: {
      tags, summary: "Approve the language's draft (named by the version and revision read; 409 if it changed since): it becomes the text sent, the previous approved version is superseded",
      params: ZTemplateLanguageParams, body: ZApproveTemplateDraft, response: { 200: ZReplyTemplate },
    },
    config: { permission: 'templates.approve' },
  }, async (req) => workflow.approve(req.scope, req.params.id, req.params.language, req.body));

  app.post(`${draftUrl}/versions/:version/restore`, {
    schema: { tags, summary: "Start a new draft from an old version's text (409 while the language has an open draft)", params: ZTemplateVersionParams, response: { 200: ZReplyTemplate } },
    config: { permission: 'templates.draft' },
  }, async (req) => workflow.restore(req.scope, req.params.id, req.params.language, req.params.version));
}
