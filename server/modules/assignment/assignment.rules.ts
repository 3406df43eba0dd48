// The office's assignment configuration: rules (add, edit, reorder, delete), the default
// team, and each team's strategy. Every change is one transaction with one audit event.
import {
  ZCreateAssignmentRule, ZReorderAssignmentRules, ZSetDefaultTeam, ZSetTeamStrategy, ZUpdateAssignmentRule,
  type AssignmentRule, type AssignmentSettings, type AssignmentStrategy,
} from '../../../contract/assignment.js';
import type { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { assertCompleteOrder } from '../../platform/ordering.js';
import type { Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import * as categoriesRepo from '../cases/cases.categories-repo.js';
import type { TaxonomyChange } from '../cases/cases.hooks.js';
import * as repo from './assignment.repo.js';

export const MAX_RULES = 500;

export function presentRule(r: repo.RuleRow): AssignmentRule {
  return {
    id: r.id, name: r.name, position: r.position,
    category: r.category_id ? { id: r.category_id, name: r.category_name ?? '', path: r.category_path ?? [r.category_name ?? ''] } : null,
    ward: r.ward_id ? { id: r.ward_id, name: r.ward_name ?? '' } : null,
    team: { id: r.team_id, name: r.team_name },
  };
}

export async function settings(db: Executor, officeId: string): Promise<AssignmentSettings> {
  const [rules, defaultTeam, teams] = await Promise.all([repo.rules(db, officeId), repo.defaultTeam(db, officeId), repo.teamStrategies(db, officeId)]);
  return {
    rules: rules.map(presentRule),
    defaultTeam: defaultTeam ?? null,
    teams: teams.map((t) => ({ team: { id: t.id, name: t.name }, strategy: t.strategy as AssignmentStrategy })),
  };
}

async function checkTeam(db: Executor, officeId: string, id: string, field = 'teamId'): Promise<void> {
  if (!(await repo.team(db, officeId, id))) throw new DomainError('validation_failed', { field, message: 'No such team in this office' });
}

async function checkWard(db: Executor, officeId: string, id: string): Promise<void> {
  const b = await repo.boundary(db, officeId, id);
  if (!b) throw new DomainError('validation_failed', { field: 'wardId', message: 'No such ward in this office' });
  if (b.retired_at) throw new DomainError('validation_failed', { field: 'wardId', message: `The boundary "${b.name}" is retired` });
}

async function checkTargets(db: Executor, officeId: string, v: { teamId?: string | undefined; categoryId?: string | null | undefined; wardId?: string | null | undefined }): Promise<void> {
  if (v.teamId) await checkTeam(db, officeId, v.teamId);
  if (v.categoryId) await categories.assertUsable(db, officeId, v.categoryId);
  if (v.wardId) await checkWard(db, officeId, v.wardId);
}

const loadRule = async (db: Executor, officeId: string, id: string): Promise<AssignmentRule> => {
  const r = await repo.rule(db, officeId, id);
  if (!r) throw new DomainError('not_found', { message: 'No such assignment rule in this office' });
  return presentRule(r);
};

export async function createRule(scope: Scope, input: z.input<typeof ZCreateAssignmentRule>): Promise<AssignmentRule> {
  const v = ZCreateAssignmentRule.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockRules(trx, scope.officeId);
    await checkTargets(trx, scope.officeId, v);
    if ((await repo.rules(trx, scope.officeId)).length >= MAX_RULES) throw new DomainError('conflict', { message: `An office can have at most ${MAX_RULES} assignment rules` });
    const { id } = await repo.insertRule(trx, scope.officeId, {
      name: v.name, category_id: v.categoryId, ward_id: v.wardId, team_id: v.teamId, position: await repo.nextPosition(trx, scope.officeId),
    });
    const after = await loadRule(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'assignment_rule', id, action: 'created', after });
    return after;
  });
}

export async function updateRule(scope: Scope, id: string, input: z.input<typeof ZUpdateAssignmentRule>): Promise<AssignmentRule> {
  const v = ZUpdateAssignmentRule.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockRules(trx, scope.officeId);
    const before = await loadRule(trx, scope.officeId, id);
    await checkTargets(trx, scope.officeId, v);
    const categoryId = v.categoryId !== undefined ? v.categoryId : before.category?.id ?? null;
    const wardId = v.wardId !== undefined ? v.wardId : before.ward?.id ?? null;
    if (categoryId === null && wardId === null) throw new DomainError('validation_failed', { field: 'categoryId', message: 'a rule needs a category, a ward or both' });
    await repo.updateRule(trx, scope.officeId, id, { name: v.name, category_id: v.categoryId, ward_id: v.wardId, team_id: v.teamId });
    const after = await loadRule(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'assignment_rule', id, action: 'updated', before, after });
    return after;
  });
}

export async function deleteRule(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    await repo.lockRules(trx, scope.officeId);
    const before = await loadRule(trx, scope.officeId, id);
    await repo.deleteRule(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'assignment_rule', id, action: 'deleted', before });
  });
}

/** Puts the rules in the given order: the list must name every rule exactly once. */
export async function reorderRules(scope: Scope, input: z.input<typeof ZReorderAssignmentRules>): Promise<AssignmentRule[]> {
  const { ids } = ZReorderAssignmentRules.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockRules(trx, scope.officeId);
    const before = await repo.rules(trx, scope.officeId);
    assertCompleteOrder(ids, new Set(before.map((r) => r.id)), 'assignment rule');
    for (const [i, id] of ids.entries()) await repo.updateRule(trx, scope.officeId, id, { position: (i + 1) * 10 });
    await audit.record(trx, scope, { entity: 'assignment_rule', id: scope.officeId, action: 'reordered', before: before.map((r) => r.name), after: ids.map((id) => before.find((r) => r.id === id)!.name) });
    return (await repo.rules(trx, scope.officeId)).map(presentRule);
  });
}

export async function setDefaultTeam(scope: Scope, input: z.input<typeof ZSetDefaultTeam>): Promise<AssignmentSettings> {
  const v = ZSetDefaultTeam.parse(input);
  return inTransaction(scope.db, async (trx) => {
    if (v.defaultTeamId) await checkTeam(trx, scope.officeId, v.defaultTeamId, 'defaultTeamId');
    const before = await repo.defaultTeam(trx, scope.officeId);
    await repo.setDefaultTeam(trx, scope.officeId, v.defaultTeamId);
    const after = await settings(trx, scope.officeId);
    await audit.record(trx, scope, { entity: 'assignment_settings', id: scope.officeId, action: 'default_team_set', before: { defaultTeam: before ?? null }, after: { defaultTeam: after.defaultTeam } });
    return after;
  });
}

export async function setStrategy(scope: Scope, teamId: string, input: z.input<typeof ZSetTeamStrategy>): Promise<AssignmentSettings> {
  const v = ZSetTeamStrategy.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const t = await repo.team(trx, scope.officeId, teamId);
    if (!t) throw new DomainError('not_found', { message: 'No such team in this office' });
    const before = (await repo.teamStrategies(trx, scope.officeId)).find((x) => x.id === teamId)?.strategy;
    await repo.setStrategy(trx, scope.officeId, teamId, v.strategy);
    await audit.record(trx, scope, { entity: 'team', id: teamId, action: 'assignment_strategy_set', before: { strategy: before }, after: { strategy: v.strategy } });
    return settings(trx, scope.officeId);
  });
}

/** Taxonomy hook: when a category is merged into another, its rules follow (audited per rule). */
export async function followMergedCategory(trx: Trx, scope: Scope, change: TaxonomyChange): Promise<void> {
  if (change.kind !== 'merged') return;
  const merged = await categoriesRepo.get(trx, scope.officeId, change.categoryId);
  if (!merged?.merged_into_id) return;
  const moved = await repo.repointCategory(trx, scope.officeId, change.categoryId, merged.merged_into_id);
  await audit.recordMany(trx, scope, moved.map((id) => ({
    entity: 'assignment_rule', id, action: 'updated', before: { categoryId: change.categoryId }, after: { categoryId: merged.merged_into_id, reason: 'category_merged' },
  })));
}
