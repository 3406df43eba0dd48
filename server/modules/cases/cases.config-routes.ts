// HTTP: casework settings — the issue taxonomy and the workflow (statuses, transitions,
// resolution codes). Staff who work cases read them; casework.configure changes them.
import { ZIdParams } from '../../../contract/common.js';
import {
  ZCaseCategory, ZCategoryListQuery, ZCategoryMergeResult, ZCreateCategory, ZCreateResolutionCode, ZCreateStatus, ZMergeCategory,
  ZResolutionCodeParams, ZSetTransitions, ZStatusKeyParams, ZUpdateCategory, ZUpdateResolutionCode, ZUpdateStatus, ZWorkflow,
} from '../../../contract/cases.js';
import { z } from 'zod';
import type { App } from '../../platform/http/types.js';
import * as categories from './cases.categories.js';
import * as workflow from './cases.workflow.js';

const tags = ['casework settings'];

export function caseConfigRoutes(app: App): void {
  app.get('/api/v1/case-categories', {
    schema: { tags, summary: 'The issue taxonomy, in tree order (retired categories on request)', querystring: ZCategoryListQuery, response: { 200: z.object({ items: z.array(ZCaseCategory) }) } },
    config: { permission: 'case.read' },
  }, async (req) => ({ items: await categories.list(req.scope, req.query) }));

  app.post('/api/v1/case-categories', {
    schema: { tags, summary: 'Add a category (names are unique per parent, ignoring case)', body: ZCreateCategory, response: { 201: ZCaseCategory } },
    config: { permission: 'casework.configure' },
  }, async (req, reply) => reply.code(201).send(await categories.create(req.scope, req.body)));

  app.patch('/api/v1/case-categories/:id', {
    schema: { tags, summary: 'Rename, move (parentId), retire or restore a category; retiring also retires what is below it', params: ZIdParams, body: ZUpdateCategory, response: { 200: ZCaseCategory } },
    config: { permission: 'casework.configure' },
  }, async (req) => categories.update(req.scope, req.params.id, req.body));

  app.post('/api/v1/case-categories/:id/merge', {
    schema: { tags, summary: 'Merge a category into another: its cases and sub-categories move there and it is retired', params: ZIdParams, body: ZMergeCategory, response: { 200: ZCategoryMergeResult } },
    config: { permission: 'casework.configure' },
  }, async (req) => categories.merge(req.scope, req.params.id, req.body));

  app.get('/api/v1/case-workflow', {
    schema: { tags, summary: "The office's case statuses, allowed transitions and resolution codes", response: { 200: ZWorkflow } },
    config: { permission: 'case.read' },
  }, async (req) => workflow.get(req.scope.db, req.scope.officeId));

  app.post('/api/v1/case-workflow/statuses', {
    schema: { tags, summary: 'Add a status (in one of the categories open, waiting, resolved, closed)', body: ZCreateStatus, response: { 201: ZWorkflow } },
    config: { permission: 'casework.configure' },
  }, async (req, reply) => reply.code(201).send(await workflow.createStatus(req.scope, req.body)));

  app.patch('/api/v1/case-workflow/statuses/:key', {
    schema: { tags, summary: 'Relabel, reorder, retire or restore a status', params: ZStatusKeyParams, body: ZUpdateStatus, response: { 200: ZWorkflow } },
    config: { permission: 'casework.configure' },
  }, async (req) => workflow.updateStatus(req.scope, req.params.key, req.body));

  app.put('/api/v1/case-workflow/transitions', {
    schema: { tags, summary: 'Replace the allowed status transitions', body: ZSetTransitions, response: { 200: ZWorkflow } },
    config: { permission: 'casework.configure' },
  }, async (req) => workflow.setTransitions(req.scope, req.body));

  app.post('/api/v1/case-workflow/resolution-codes', {
    schema: { tags, summary: 'Add a resolution code', body: ZCreateResolutionCode, response: { 201: ZWorkflow } },
    config: { permission: 'casework.configure' },
  }, async (req, reply) => reply.code(201).send(await workflow.createResolutionCode(req.scope, req.body)));

  app.patch('/api/v1/case-workflow/resolution-codes/:code', {
    schema: { tags, summary: 'Relabel, reorder, retire or restore a resolution code', params: ZResolutionCodeParams, body: ZUpdateResolutionCode, response: { 200: ZWorkflow } },
    config: { permission: 'casework.configure' },
  }, async (req) => workflow.updateResolutionCode(req.scope, req.params.code, req.body));
}
