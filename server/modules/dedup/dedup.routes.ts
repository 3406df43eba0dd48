// HTTP: match rules, scans, the review queue of candidate pairs, merges and their undo.
import { z } from 'zod';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import {
  ZCandidateParams, ZCandidateQuery, ZDedupRules, ZDedupScan, ZDedupSettings, ZDuplicateCandidate, ZMergePreview, ZMergePreviewQuery,
  ZMergeRecord, ZMergeRequest,
} from '../../../contract/dedup.js';
import type { App } from '../../platform/http/types.js';
import { scanJob } from './dedup.jobs.js';
import * as merges from './dedup.merge.js';
import * as scans from './dedup.scan.js';
import * as service from './dedup.service.js';
import * as settings from './dedup.settings.js';

const tags = ['deduplication'];

export function dedupRoutes(app: App): void {
  app.get('/api/v1/dedup/rules', {
    schema: { tags, summary: "The office's duplicate match rules (defaults until saved)", response: { 200: ZDedupSettings } },
    config: { permission: 'registry.configure' },
  }, async (req) => settings.getSettings(req.scope));

  app.put('/api/v1/dedup/rules', {
    schema: { tags, summary: 'Save the match rules: each rule on or off with its weight, the name similarity and the score threshold', body: ZDedupRules, response: { 200: ZDedupSettings } },
    config: { permission: 'registry.configure' },
  }, async (req) => settings.saveSettings(req.scope, req.body));

  app.post('/api/v1/dedup/scan', {
    schema: { tags, summary: 'Queue a scan for duplicate candidates (or get the one already queued or running)', response: { 200: ZDedupScan, 201: ZDedupScan } },
    config: { permission: 'constituent.merge' },
  }, async (req, reply) => {
    const { jobs, database } = app.civitas;
    const r = await scans.requestScan(req.scope, 'api', async (scanId, trx) => {
      await jobs.send(scanJob(database), { officeId: req.scope.officeId, scanId }, trx);
    });
    return reply.code(r.created ? 201 : 200).send(r.scan);
  });

  app.get('/api/v1/dedup/scans', {
    schema: { tags, summary: 'Recent scans, newest first', querystring: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }), response: { 200: z.object({ items: z.array(ZDedupScan) }) } },
    config: { permission: 'constituent.merge' },
  }, async (req) => ({ items: await scans.recentScans(req.scope, req.query.limit) }));

  app.get('/api/v1/dedup/scans/:id', {
    schema: { tags, summary: "A scan's progress and result", params: ZIdParams, response: { 200: ZDedupScan } },
    config: { permission: 'constituent.merge' },
  }, async (req) => scans.getScan(req.scope, req.params.id));

  app.get('/api/v1/dedup/candidates', {
    schema: { tags, summary: 'Candidate pairs, best score first, with both records summarised', querystring: ZCandidateQuery, response: { 200: ZPage(ZDuplicateCandidate) } },
    config: { permission: 'constituent.merge' },
  }, async (req) => service.listCandidates(req.scope, req.query));

  app.post('/api/v1/dedup/candidates/:lowId/:highId/dismiss', {
    schema: { tags, summary: 'Mark a pair as not a duplicate (later scans keep the decision)', params: ZCandidateParams, response: { 200: ZDuplicateCandidate } },
    config: { permission: 'constituent.merge' },
  }, async (req) => service.decide(req.scope, req.params.lowId, req.params.highId, 'dismissed'));

  app.post('/api/v1/dedup/candidates/:lowId/:highId/reopen', {
    schema: { tags, summary: 'Put a dismissed pair back in the queue', params: ZCandidateParams, response: { 200: ZDuplicateCandidate } },
    config: { permission: 'constituent.merge' },
  }, async (req) => service.decide(req.scope, req.params.lowId, req.params.highId, 'open'));

  app.get('/api/v1/constituents/:id/merge-preview', {
    schema: { tags, summary: 'Both records side by side and what a merge into this one would move', params: ZIdParams, querystring: ZMergePreviewQuery, response: { 200: ZMergePreview } },
    config: { permission: 'constituent.merge' },
  }, async (req) => merges.preview(req.scope, req.params.id, req.query.otherId));

  app.post('/api/v1/constituents/:id/merge', {
    schema: { tags, summary: 'Merge another record into this one (this one survives), choosing field by field', params: ZIdParams, body: ZMergeRequest, response: { 201: ZMergeRecord } },
    config: { permission: 'constituent.merge' },
  }, async (req, reply) => reply.code(201).send(await merges.merge(req.scope, req.params.id, req.body)));

  app.get('/api/v1/constituents/:id/merges', {
    schema: { tags, summary: 'Merges this record took part in, newest first', params: ZIdParams, response: { 200: z.object({ items: z.array(ZMergeRecord) }) } },
    config: { permission: 'constituent.read' },
  }, async (req) => ({ items: await merges.mergesOf(req.scope, req.params.id) }));

  app.post('/api/v1/merges/:id/undo', {
    schema: { tags, summary: 'Undo a merge (within 30 days): both records and every moved row as they were', params: ZIdParams, response: { 200: ZMergeRecord } },
    config: { permission: 'constituent.merge' },
  }, async (req) => merges.undo(req.scope, req.params.id));
}
