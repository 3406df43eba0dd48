// HTTP: related cases (for the create form and the case page), links between cases,
// duplicates (mark and undo), merging two cases of the same person, and the related-search
// settings.
import { z } from 'zod';
import {
  ZCaseLinks, ZLinkRelated, ZMarkDuplicate, ZMergeCases, ZRelatedCases, ZRelatedQuery, ZRelatedSettings, ZUpdateRelatedSettings,
} from '../../../contract/case-links.js';
import { ZCase } from '../../../contract/cases.js';
import { ZIdParams, ZUuid } from '../../../contract/common.js';
import type { App } from '../../platform/http/types.js';
import * as links from './cases.links.js';
import { merge } from './cases.merge.js';
import { viewerOf } from './cases.routes.js';

const tags = ['cases'];

export function caseLinksRoutes(app: App): void {
  app.get('/api/v1/cases/related', {
    schema: { tags, summary: 'Open cases like one being opened: the same category near the place and recent (office radius and window), and other open cases of the same people', querystring: ZRelatedQuery, response: { 200: ZRelatedCases } },
    config: { permission: 'case.read' },
  }, async (req) => links.relatedFor(req.scope, viewerOf(req.principal!), req.query));

  app.get('/api/v1/cases/:id/related', {
    schema: { tags, summary: 'Open cases like this one (same category nearby and recent; same people)', params: ZIdParams, response: { 200: ZRelatedCases } },
    config: { permission: 'case.read' },
  }, async (req) => links.relatedTo(req.scope, viewerOf(req.principal!), req.params.id));

  app.get('/api/v1/cases/:id/links', {
    schema: { tags, summary: 'The cases this one is linked to: duplicate of / duplicates, merged into / merged from, related', params: ZIdParams, response: { 200: ZCaseLinks } },
    config: { permission: 'case.read' },
  }, async (req) => links.linksOf(req.scope, viewerOf(req.principal!), req.params.id));

  app.post('/api/v1/cases/:id/links', {
    schema: { tags, summary: 'Link another case as related', params: ZIdParams, body: ZLinkRelated, response: { 200: ZCaseLinks } },
    config: { permission: 'case.write' },
  }, async (req) => links.linkRelated(req.scope, viewerOf(req.principal!), req.params.id, req.body.caseId));

  app.delete('/api/v1/cases/:id/links/:otherId', {
    schema: { tags, summary: 'Remove a related link', params: z.object({ id: ZUuid, otherId: ZUuid }), response: { 200: ZCaseLinks } },
    config: { permission: 'case.write' },
  }, async (req) => links.unlinkRelated(req.scope, viewerOf(req.principal!), req.params.id, req.params.otherId));

  app.post('/api/v1/cases/:id/duplicate-of', {
    schema: { tags, summary: 'Close this case as a duplicate of another open or closed case of the office (not itself a duplicate)', params: ZIdParams, body: ZMarkDuplicate, response: { 200: ZCase } },
    config: { permission: 'case.write' },
  }, async (req) => links.markDuplicate(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.delete('/api/v1/cases/:id/duplicate-of', {
    schema: { tags, summary: 'Undo "duplicate of": remove the link and reopen the case where it was', params: ZIdParams, response: { 200: ZCase } },
    config: { permission: 'case.write' },
  }, async (req) => links.unmarkDuplicate(req.scope, viewerOf(req.principal!), req.params.id));

  app.post('/api/v1/cases/:id/merge', {
    schema: { tags, summary: 'Merge another case of the same person into this one (people, watchers, tags, links; the other is closed as merged)', params: ZIdParams, body: ZMergeCases, response: { 200: ZCase } },
    config: { permission: 'case.write' },
  }, async (req) => merge(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.get('/api/v1/case-settings/related', {
    schema: { tags, summary: 'How near (metres) and how recent (days) an open case must be to be shown as related', response: { 200: ZRelatedSettings } },
    config: { permission: 'case.read' },
  }, async (req) => links.getSettings(req.scope.db, req.scope.officeId));

  app.patch('/api/v1/case-settings/related', {
    schema: { tags, summary: 'Change the related-case radius (1-5000 m) and window (1-365 days)', body: ZUpdateRelatedSettings, response: { 200: ZRelatedSettings } },
    config: { permission: 'casework.configure' },
  }, async (req) => links.updateSettings(req.scope, req.body));
}
