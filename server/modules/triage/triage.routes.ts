// HTTP: the office's triage rules (add, edit, enable, reorder, delete, dry run), settings and
// models (triage.configure), the triage page's figures, and why an item or a case was
// categorised, assigned or answered (whoever may read the item or case).
import { z } from 'zod';
import { ZIdParams } from '../../../contract/common.js';
import {
  ZCreateTriageRule, ZReorderTriageRules, ZTriageDecision, ZTriageDryRun, ZTriageDryRunResult, ZTriageOverview, ZTriageOverviewQuery, ZTriageRule,
  ZTriageSettings, ZUpdateTriageRule, ZUpdateTriageSettings,
} from '../../../contract/triage.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { onCaseChange } from '../cases/cases.hooks.js';
import * as cases from '../cases/cases.repo.js';
import { logSensitiveRead } from '../cases/cases.service.js';
import { viewerOf } from '../cases/cases.routes.js';
import { triageOf } from '../intake/intake.inbox.js';
import { onCaseCreated } from './triage.engine.js';
import { enqueueTraining } from './triage.jobs.js';
import * as rules from './triage.rules.js';
import * as service from './triage.service.js';

const tags = ['triage'];

export function triageRoutes(app: App): void {
  // Staff choosing a category for a triaged case is a correction the classifier learns from.
  onCaseChange('triage-corrections', service.onCategoryChosen);
  // Cases opened by staff and API clients go through the same rules (intake triages its own items).
  onCaseChange('triage', onCaseCreated);

  app.get('/api/v1/triage', {
    schema: { tags, summary: 'The triage page: settings, models, the precision/coverage trade-off and per-category figures', querystring: ZTriageOverviewQuery, response: { 200: ZTriageOverview } },
    config: { permission: 'triage.configure' },
  }, async (req) => service.overview(req.scope, req.query));

  app.put('/api/v1/triage/settings', {
    schema: { tags, summary: 'Set the auto-apply threshold (null: never), the auto-reply switch and the on-duty person', body: ZUpdateTriageSettings, response: { 200: ZTriageSettings } },
    config: { permission: 'triage.configure' },
  }, async (req) => service.updateSettings(req.scope, req.body));

  app.post('/api/v1/triage/models', {
    schema: { tags, summary: 'Retrain the classifier now (a job; the new version appears on the triage page when done)', response: { 202: z.object({ jobId: z.string().nullable(), queued: z.boolean() }) } },
    config: { permission: 'triage.configure' },
  }, async (req, reply) => {
    const jobId = await enqueueTraining(app.civitas.jobs, req.scope.db, req.scope.officeId);
    return reply.code(202).send({ jobId, queued: jobId !== null });
  });

  app.get('/api/v1/triage/rules', {
    schema: { tags, summary: 'The triage rules in the order they are tried', response: { 200: z.object({ items: z.array(ZTriageRule) }) } },
    config: { permission: 'triage.configure' },
  }, async (req) => ({ items: await rules.list(req.scope) }));

  app.post('/api/v1/triage/rules', {
    schema: { tags, summary: 'Add a rule, last in the order (disabled unless enabled is true)', body: ZCreateTriageRule, response: { 201: ZTriageRule } },
    config: { permission: 'triage.configure' },
  }, async (req, reply) => reply.code(201).send(await rules.create(req.scope, req.body)));

  app.patch('/api/v1/triage/rules/:id', {
    schema: { tags, summary: 'Change, enable or disable a rule', params: ZIdParams, body: ZUpdateTriageRule, response: { 200: ZTriageRule } },
    config: { permission: 'triage.configure' },
  }, async (req) => rules.update(req.scope, req.params.id, req.body));

  app.delete('/api/v1/triage/rules/:id', {
    schema: { tags, summary: 'Delete a rule', params: ZIdParams },
    config: { permission: 'triage.configure' },
  }, async (req, reply) => {
    await rules.remove(req.scope, req.params.id);
    return reply.code(204).send();
  });

  app.put('/api/v1/triage/rules/order', {
    schema: { tags, summary: 'Reorder the rules (every rule id once, first tried first)', body: ZReorderTriageRules, response: { 200: z.object({ items: z.array(ZTriageRule) }) } },
    config: { permission: 'triage.configure' },
  }, async (req) => ({ items: await rules.reorder(req.scope, req.body) }));

  app.post('/api/v1/triage/rules/dry-run', {
    schema: { tags, summary: 'Try a rule on the last N items: what it would have done (nothing is changed)', body: ZTriageDryRun, response: { 200: ZTriageDryRunResult } },
    config: { permission: 'triage.configure' },
  }, async (req) => rules.dryRun(req.scope, viewerOf(req.principal!).canSeeSensitive, req.body));

  app.get('/api/v1/inbox/:id/triage', {
    schema: { tags, summary: 'Why triage treated an item as it did (null when it was not triaged)', params: ZIdParams, response: { 200: z.object({ decision: ZTriageDecision.nullable() }) } },
    config: { permission: 'inbox.read' },
  }, async (req) => ({ decision: await triageOf(req.scope, viewerOf(req.principal!), req.params.id) }));

  app.get('/api/v1/cases/:id/triage', {
    schema: { tags, summary: 'Why a case was categorised, assigned or answered automatically', params: ZIdParams, response: { 200: z.object({ items: z.array(ZTriageDecision) }) } },
    config: { permission: 'case.read' },
  }, async (req) => {
    const c = await cases.visibility(req.scope.db, req.scope.officeId, req.params.id);
    if (!c || (c.is_sensitive && !viewerOf(req.principal!).canSeeSensitive)) throw new DomainError('not_found', { message: 'No such case in this office' });
    if (c.is_sensitive) await logSensitiveRead(req.scope.db, req.scope, [c], 'triage reasons');
    return { items: await service.decisionsOfCase(req.scope.db, req.scope.officeId, req.params.id) };
  });
}
