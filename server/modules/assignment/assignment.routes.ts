// HTTP: assignment rules, default team and team strategies (casework.configure to change),
// assigning a case automatically on demand, and staff away (your own, or anyone's for
// managers and admins).
import { z } from 'zod';
import {
  ZAssignmentRule, ZAssignmentSettings, ZAutoAssignResult, ZAwayState, ZCreateAssignmentRule, ZReorderAssignmentRules, ZSetAway, ZSetDefaultTeam,
  ZSetTeamStrategy, ZUpdateAssignmentRule,
} from '../../../contract/assignment.js';
import { ZIdParams } from '../../../contract/common.js';
import type { App } from '../../platform/http/types.js';
import { viewerOf } from '../cases/cases.routes.js';
import * as away from './assignment.away.js';
import { autoAssign, registerAssignmentCaseHook } from './assignment.engine.js';
import * as rules from './assignment.rules.js';

const tags = ['assignment'];

export function assignmentRoutes(app: App): void {
  // Cases opened through this app without an assignee are assigned by the rules.
  registerAssignmentCaseHook();

  app.get('/api/v1/assignment', {
    schema: { tags, summary: 'The assignment rules in order, the default team and every team’s strategy', response: { 200: ZAssignmentSettings } },
    config: { permission: 'case.read' },
  }, async (req) => rules.settings(req.scope.db, req.scope.officeId));

  app.post('/api/v1/assignment/rules', {
    schema: { tags, summary: 'Add a rule (category and below, and/or ward → team), last in the order', body: ZCreateAssignmentRule, response: { 201: ZAssignmentRule } },
    config: { permission: 'casework.configure' },
  }, async (req, reply) => reply.code(201).send(await rules.createRule(req.scope, req.body)));

  app.patch('/api/v1/assignment/rules/:id', {
    schema: { tags, summary: 'Change a rule', params: ZIdParams, body: ZUpdateAssignmentRule, response: { 200: ZAssignmentRule } },
    config: { permission: 'casework.configure' },
  }, async (req) => rules.updateRule(req.scope, req.params.id, req.body));

  app.delete('/api/v1/assignment/rules/:id', {
    schema: { tags, summary: 'Delete a rule', params: ZIdParams },
    config: { permission: 'casework.configure' },
  }, async (req, reply) => {
    await rules.deleteRule(req.scope, req.params.id);
    return reply.code(204).send();
  });

  app.put('/api/v1/assignment/rules/order', {
    schema: { tags, summary: 'Reorder the rules (every rule id once, first tried first)', body: ZReorderAssignmentRules, response: { 200: z.object({ items: z.array(ZAssignmentRule) }) } },
    config: { permission: 'casework.configure' },
  }, async (req) => ({ items: await rules.reorderRules(req.scope, req.body) }));

  app.put('/api/v1/assignment/default-team', {
    schema: { tags, summary: 'The team cases go to when no rule matches (null: they stay unassigned)', body: ZSetDefaultTeam, response: { 200: ZAssignmentSettings } },
    config: { permission: 'casework.configure' },
  }, async (req) => rules.setDefaultTeam(req.scope, req.body));

  app.put('/api/v1/assignment/teams/:id', {
    schema: { tags, summary: 'How a team shares out its cases: round_robin or least_loaded', params: ZIdParams, body: ZSetTeamStrategy, response: { 200: ZAssignmentSettings } },
    config: { permission: 'casework.configure' },
  }, async (req) => rules.setStrategy(req.scope, req.params.id, req.body));

  app.post('/api/v1/cases/:id/auto-assign', {
    schema: { tags, summary: 'Assign a case by the rules now (audited with the rule that matched)', params: ZIdParams, response: { 200: ZAutoAssignResult } },
    config: { permission: 'case.assign' },
  }, async (req) => autoAssign(req.scope, viewerOf(req.principal!), req.params.id));

  // ---------------------------------------------------------------- away
  app.get('/api/v1/account/away', {
    schema: { tags, summary: 'Your away period, if any', response: { 200: ZAwayState } },
    config: { permission: 'authenticated' },
  }, async (req) => away.get(req.scope, req.principal!.userId));

  app.put('/api/v1/account/away', {
    schema: { tags, summary: 'Set your away period (automatic assignment skips you while away)', body: ZSetAway, response: { 200: ZAwayState } },
    config: { permission: 'authenticated' },
  }, async (req) => away.set(req.scope, req.principal!.userId, req.body));

  app.delete('/api/v1/account/away', {
    schema: { tags, summary: 'Clear your away period', response: { 200: ZAwayState } },
    config: { permission: 'authenticated' },
  }, async (req) => away.clear(req.scope, req.principal!.userId));

  app.get('/api/v1/users/:id/away', {
    schema: { tags, summary: "A staff member's away period, if any", params: ZIdParams, response: { 200: ZAwayState } },
    config: { permission: 'user.read' },
  }, async (req) => away.get(req.scope, req.params.id));

  app.put('/api/v1/users/:id/away', {
    schema: { tags, summary: "Set a staff member's away period", params: ZIdParams, body: ZSetAway, response: { 200: ZAwayState } },
    config: { permission: 'team.manage' },
  }, async (req) => away.set(req.scope, req.params.id, req.body));

  app.delete('/api/v1/users/:id/away', {
    schema: { tags, summary: "Clear a staff member's away period", params: ZIdParams, response: { 200: ZAwayState } },
    config: { permission: 'team.manage' },
  }, async (req) => away.clear(req.scope, req.params.id));
}
