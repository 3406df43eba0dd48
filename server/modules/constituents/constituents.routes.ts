// HTTP: constituent records, search, consent and timeline.
import { z } from 'zod';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import {
  ZConsent, ZConsentOverview, ZConstituent, ZConstituentListQuery, ZConstituentSummary, ZContactChannel, ZContactDecision, ZContactPurpose,
  ZCreateConstituent, ZCreateNote, ZNote, ZRecordConsent, ZTimelineEntry, ZTimelineQuery, ZUpdateConstituent,
} from '../../../contract/constituents.js';
import type { App } from '../../platform/http/types.js';
import * as activity from './constituents.activity.js';
import * as consent from './constituents.consent.js';
import * as search from './constituents.search.js';
import * as service from './constituents.service.js';

const tags = ['constituents'];

export function constituentsRoutes(app: App): void {
  app.get('/api/v1/constituents', {
    schema: { tags, summary: 'List or search constituents (name with typos, email, phone, address, postcode, external id) with filters', querystring: ZConstituentListQuery, response: { 200: ZPage(ZConstituentSummary) } },
    config: { permission: 'constituent.read' },
  }, async (req) => search.list(req.scope, req.query));

  app.post('/api/v1/constituents', {
    schema: { tags, summary: 'Create a constituent (409 possible_duplicate with matches unless ignoreDuplicates)', body: ZCreateConstituent, response: { 201: ZConstituent } },
    config: { permission: 'constituent.write' },
  }, async (req, reply) => reply.code(201).send(await service.create(req.scope, req.body)));

  app.get('/api/v1/constituents/:id', {
    schema: { tags, summary: 'Get a constituent with contact points, areas and custom fields', params: ZIdParams, response: { 200: ZConstituent } },
    config: { permission: 'constituent.read' },
  }, async (req) => service.get(req.scope, req.params.id));

  app.patch('/api/v1/constituents/:id', {
    schema: { tags, summary: 'Edit a constituent (lists of contact points and external ids replace the current ones)', params: ZIdParams, body: ZUpdateConstituent, response: { 200: ZConstituent } },
    config: { permission: 'constituent.write' },
  }, async (req) => service.update(req.scope, req.params.id, req.body));

  app.get('/api/v1/constituents/:id/consents', {
    schema: { tags, summary: 'Contact flags, the decision for every channel and purpose, and the consent ledger', params: ZIdParams, response: { 200: ZConsentOverview } },
    config: { permission: 'constituent.read' },
  }, async (req) => consent.overview(req.scope, req.params.id));

  app.post('/api/v1/constituents/:id/consents', {
    schema: { tags, summary: 'Record a consent statement (granted or withdrawn) with its source and evidence', params: ZIdParams, body: ZRecordConsent, response: { 201: ZConsent } },
    config: { permission: 'constituent.write' },
  }, async (req, reply) => reply.code(201).send(await consent.record(req.scope, req.params.id, req.body)));

  app.get('/api/v1/constituents/:id/contact-check', {
    schema: { tags, summary: 'May the office contact this person on a channel for a purpose, and why (not)?', params: ZIdParams, querystring: z.object({ channel: ZContactChannel, purpose: ZContactPurpose }), response: { 200: ZContactDecision } },
    config: { permission: 'constituent.read' },
  }, async (req) => consent.mayContact(req.scope.db, req.scope.officeId, req.params.id, req.query.channel, req.query.purpose));

  app.get('/api/v1/constituents/:id/timeline', {
    schema: { tags, summary: 'Everything about a constituent, newest first', params: ZIdParams, querystring: ZTimelineQuery, response: { 200: ZPage(ZTimelineEntry) } },
    config: { permission: 'constituent.read' },
  }, async (req) => activity.timeline(req.scope, req.params.id, req.query));

  app.post('/api/v1/constituents/:id/notes', {
    schema: { tags, summary: 'Add a note to a constituent', params: ZIdParams, body: ZCreateNote, response: { 201: ZNote } },
    config: { permission: 'constituent.write' },
  }, async (req, reply) => reply.code(201).send(await activity.addNote(req.scope, req.params.id, req.body)));
}
