// The office's triage rules: add, edit, enable, reorder, delete (each one audited), and a dry
// run that tries a rule on the last N items and says what it would have done. Everything a
// rule names (category, team, person, ward, template) is checked when it is saved, and its
// pattern must pass the ReDoS check, so an enabled rule can always run.
import {
  describeActions, ZCreateTriageRule, ZReorderTriageRules, ZTriageDryRun, ZUpdateTriageRule,
  type CreateTriageRule, type TriageActionNames as Names, type TriageActions, type TriageConditions, type TriageDryRunResult, type TriageRule, type UpdateTriageRule,
} from '../../../contract/triage.js';
import type { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { assertCompleteOrder } from '../../platform/ordering.js';
import { permissionsOf, type Role } from '../../platform/rbac.js';
import type { Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import * as categoriesRepo from '../cases/cases.categories-repo.js';
import * as offices from '../offices/offices.service.js';
import { getRow as templateRow } from '../messages/templates.service.js';
import { checkPattern, compile, type Subject } from './triage.match.js';
import * as repo from './triage.repo.js';
import { detectUrgency } from './triage.urgency.js';

export const MAX_RULES = 200;

export function presentRule(r: repo.RuleRow): TriageRule {
  return {
    id: r.id, name: r.name, position: r.position, enabled: r.enabled,
    conditions: r.conditions as TriageConditions, actions: r.actions as TriageActions, updatedAt: r.updated_at.toISOString(),
  };
}

export const list = async (scope: Scope) => (await repo.rules(scope.db, scope.officeId)).map(presentRule);

async function load(db: Executor, officeId: string, id: string): Promise<TriageRule> {
  const r = await repo.rule(db, officeId, id);
  if (!r) throw new DomainError('not_found', { message: 'No such triage rule in this office' });
  return presentRule(r);
}

/** Everything the rule names exists in this office and may be used; its pattern is safe. */
async function check(db: Executor, officeId: string, c: TriageConditions, a: TriageActions): Promise<void> {
  if (c.pattern) checkPattern(c.pattern);
  for (const [i, id] of (c.categoryIds ?? []).entries()) {
    await categories.assertUsable(db, officeId, id, `conditions.categoryIds.${i}`);
  }
  if (c.wardIds) {
    const found = await repo.boundaries(db, officeId, c.wardIds);
    const missing = c.wardIds.findIndex((id) => !found.some((b) => b.id === id));
    if (missing >= 0) throw new DomainError('validation_failed', { field: `conditions.wardIds.${missing}`, message: 'No such ward in this office' });
  }
  if (a.categoryId) await categories.assertUsable(db, officeId, a.categoryId, 'actions.categoryId');
  if (a.teamId && !(await repo.team(db, officeId, a.teamId))) throw new DomainError('validation_failed', { field: 'actions.teamId', message: 'No such team in this office' });
  if (a.assigneeId) {
    const u = await repo.activeUser(db, officeId, a.assigneeId);
    if (!u) throw new DomainError('validation_failed', { field: 'actions.assigneeId', message: 'No such active member of staff in this office' });
    if (!permissionsOf(u.role as Role).includes('case.write')) throw new DomainError('validation_failed', { field: 'actions.assigneeId', message: `${u.display_name} cannot work cases (their role has no case.write)` });
  }
  if (a.replyTemplateId) {
    const t = await templateRow(db, officeId, a.replyTemplateId).catch((err: unknown) => {
      throw err instanceof DomainError && err.code === 'not_found' ? new DomainError('validation_failed', { field: 'actions.replyTemplateId', message: err.message }) : err;
    });
    if (t.retired) throw new DomainError('validation_failed', { field: 'actions.replyTemplateId', message: `The template "${t.name}" is retired` });
  }
  if (a.spam && (a.replyTemplateId || a.escalate)) throw new DomainError('validation_failed', { field: 'actions.spam', message: 'A rule that marks spam cannot also reply or escalate' });
}

export async function create(scope: Scope, input: CreateTriageRule): Promise<TriageRule> {
  const v = ZCreateTriageRule.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockRules(trx, scope.officeId);
    await check(trx, scope.officeId, v.conditions, v.actions);
    if ((await repo.countRules(trx, scope.officeId)) >= MAX_RULES) throw new DomainError('conflict', { message: `An office can have at most ${MAX_RULES} triage rules` });
    const { id } = await repo.insertRule(trx, scope.officeId, { name: v.name, enabled: v.enabled, conditions: v.conditions, actions: v.actions, position: await repo.nextPosition(trx, scope.officeId) });
    const after = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'triage_rule', id, action: 'created', after });
    return after;
  });
}

export async function update(scope: Scope, id: string, input: UpdateTriageRule): Promise<TriageRule> {
  const v = ZUpdateTriageRule.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockRules(trx, scope.officeId);
    const before = await load(trx, scope.officeId, id);
    // A rule naming something gone since can still be renamed or switched off; not switched on.
    if (v.conditions || v.actions || (v.enabled && !before.enabled)) await check(trx, scope.officeId, v.conditions ?? before.conditions, v.actions ?? before.actions);
    await repo.updateRule(trx, scope.officeId, id, {
      ...(v.name !== undefined ? { name: v.name } : {}), ...(v.enabled !== undefined ? { enabled: v.enabled } : {}),
      ...(v.conditions ? { conditions: v.conditions } : {}), ...(v.actions ? { actions: v.actions } : {}),
    });
    const after = await load(trx, scope.officeId, id);
    const action = v.enabled !== undefined && v.enabled !== before.enabled && Object.keys(v).length === 1 ? (v.enabled ? 'enabled' : 'disabled') : 'updated';
    await audit.record(trx, scope, { entity: 'triage_rule', id, action, before, after });
    return after;
  });
}

export async function remove(scope: Scope, id: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    await repo.lockRules(trx, scope.officeId);
    const before = await load(trx, scope.officeId, id);
    await repo.deleteRule(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'triage_rule', id, action: 'deleted', before });
  });
}

export async function reorder(scope: Scope, input: z.input<typeof ZReorderTriageRules>): Promise<TriageRule[]> {
  const { ids } = ZReorderTriageRules.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockRules(trx, scope.officeId);
    const before = await repo.rules(trx, scope.officeId);
    assertCompleteOrder(ids, new Set(before.map((r) => r.id)), 'triage rule');
    for (const [i, id] of ids.entries()) await repo.updateRule(trx, scope.officeId, id, { position: (i + 1) * 10 });
    await audit.record(trx, scope, { entity: 'triage_rule', id: scope.officeId, action: 'reordered', before: before.map((r) => r.name), after: ids.map((id) => before.find((r) => r.id === id)!.name) });
    return (await repo.rules(trx, scope.officeId)).map(presentRule);
  });
}

// ---------------------------------------------------------------- describing actions

// Shared with the web app's rule list: the same words for the same actions.
export { describeActions, type TriageActionNames as Names } from '../../../contract/triage.js';

/** Names for the ids actions use, read once. */
export async function namesFor(db: Executor, officeId: string, actions: TriageActions[]): Promise<Names> {
  const map = new Map<string, string>();
  for (const a of actions) {
    if (a.categoryId && !map.has(a.categoryId)) map.set(a.categoryId, (await categoriesRepo.get(db, officeId, a.categoryId))?.name ?? 'a removed category');
    if (a.teamId && !map.has(a.teamId)) map.set(a.teamId, (await repo.team(db, officeId, a.teamId))?.name ?? 'a removed team');
    if (a.assigneeId && !map.has(a.assigneeId)) map.set(a.assigneeId, (await repo.activeUser(db, officeId, a.assigneeId))?.display_name ?? 'a former member of staff');
    if (a.replyTemplateId && !map.has(a.replyTemplateId)) map.set(a.replyTemplateId, (await templateRow(db, officeId, a.replyTemplateId).catch(() => null))?.name ?? 'a removed template');
  }
  const name = (id: string) => map.get(id) ?? id;
  return { category: name, team: name, user: name, template: name };
}

// ---------------------------------------------------------------- dry run

const hasAttachments = (details: unknown) => Array.isArray((details as { attachments?: unknown } | null)?.attachments) && ((details as { attachments: unknown[] }).attachments.length > 0);

/** Tries a rule (saved or not) on the office's last N processed items; changes nothing. Items on sensitive cases are left out for who may not see them. */
export async function dryRun(scope: Scope, canSeeSensitive: boolean, input: z.input<typeof ZTriageDryRun>): Promise<TriageDryRunResult> {
  const v = ZTriageDryRun.parse(input);
  await check(scope.db, scope.officeId, v.conditions, v.actions);
  const matches = compile(v.conditions);
  const [items, office] = await Promise.all([repo.recentItems(scope.db, scope.officeId, v.last, canSeeSensitive), offices.get(scope)]);
  const would = describeActions(v.actions, await namesFor(scope.db, scope.officeId, [v.actions]));
  const out: TriageDryRunResult['items'] = [];
  const senderCache = new Map<string, Awaited<ReturnType<typeof repo.senderFacts>>>();
  for (const i of items) {
    let facts = i.constituent_id ? senderCache.get(i.constituent_id) : undefined;
    if (i.constituent_id && !facts) senderCache.set(i.constituent_id, (facts = await repo.senderFacts(scope.db, scope.officeId, i.constituent_id)));
    const text = `${i.subject ?? ''}\n${i.reply_text ?? i.body_text ?? ''}`;
    const subject: Subject = {
      channel: i.channel, senderAddress: i.sender_address?.toLowerCase() ?? null, knownSender: i.known_before, constituentTags: facts?.tags ?? [],
      text, language: i.language,
      wardIds: [...new Set([...(i.case_ward_id ? [i.case_ward_id] : []), ...(facts?.wardIds ?? [])])],
      // Read only for the conditions that test them.
      categoryLineage: v.conditions.categoryIds ? await repo.lineage(scope.db, scope.officeId, i.case_category_id) : [], at: i.received_at, timeZone: office.timeZone,
      hasAttachment: hasAttachments(i.details), urgent: v.conditions.urgent !== undefined && detectUrgency(text, i.language).urgent,
    };
    if (!matches(subject)) continue;
    out.push({ itemId: i.id, receivedAt: i.received_at.toISOString(), channel: i.channel, sender: i.sender_address, subject: i.subject, caseReference: i.case_reference, would });
  }
  return { tried: items.length, matched: out.length, items: out };
}
