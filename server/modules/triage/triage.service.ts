// The office's triage settings (the threshold above which the classifier acts alone, the
// auto-reply switch, who is on duty), the reasons kept for an item or case, the triage page's
// figures, and staff corrections fed back to training.
import {
  ZTriageOverviewQuery, ZUpdateTriageSettings, type TriageDecision, type TriageModel, type TriageOverview, type TriageSettings,
} from '../../../contract/triage.js';
import type { z } from 'zod';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { permissionsOf, type Role } from '../../platform/rbac.js';
import type { Scope } from '../../platform/scope.js';
import type { CaseChange } from '../cases/cases.hooks.js';
import { precisionCoverage } from './triage.metrics.js';
import { thin, type ModelMetrics } from './triage.models.js';
import * as modelsRepo from './triage.models-repo.js';
import * as repo from './triage.repo.js';

/** Below this many staff-checked suggestions the curve comes from the newest model's held-out test. */
export const MIN_HISTORY = 50;

const presentSettings = (r: repo.SettingsRow): TriageSettings => ({ autoApplyThreshold: r.auto_apply_threshold, autoReply: r.auto_reply, onDutyUserId: r.on_duty_user_id });

export const settings = async (db: Executor, officeId: string) => presentSettings(await repo.settings(db, officeId));

export async function updateSettings(scope: Scope, input: z.input<typeof ZUpdateTriageSettings>): Promise<TriageSettings> {
  const v = ZUpdateTriageSettings.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const before = await repo.settings(trx, scope.officeId);
    if (v.onDutyUserId) {
      const u = await repo.activeUser(trx, scope.officeId, v.onDutyUserId);
      if (!u) throw new DomainError('validation_failed', { field: 'onDutyUserId', message: 'No such active member of staff in this office' });
      if (!permissionsOf(u.role as Role).includes('case.write')) throw new DomainError('validation_failed', { field: 'onDutyUserId', message: `${u.display_name} cannot work cases (their role has no case.write), so cannot be on duty` });
    }
    const next: repo.SettingsRow = {
      auto_apply_threshold: v.autoApplyThreshold !== undefined ? v.autoApplyThreshold : before.auto_apply_threshold,
      auto_reply: v.autoReply ?? before.auto_reply,
      on_duty_user_id: v.onDutyUserId !== undefined ? v.onDutyUserId : before.on_duty_user_id,
    };
    await repo.saveSettings(trx, scope.officeId, next);
    await audit.record(trx, scope, { entity: 'triage_settings', id: scope.officeId, action: 'updated', before: presentSettings(before), after: presentSettings(next) });
    return presentSettings(next);
  });
}

// ---------------------------------------------------------------- reasons

export function presentDecision(d: repo.DecisionRow): TriageDecision {
  const reply = d.auto_reply as { sent: boolean; templateId: string | null; version: number | null; language: string | null; reason: string } | null;
  return {
    id: d.id, createdAt: d.created_at.toISOString(), language: d.language, urgent: d.urgent,
    urgency: d.urgency as TriageDecision['urgency'],
    model: d.model_version !== null && d.confidence !== null
      ? { version: d.model_version, suggested: d.suggested_category_id ? { id: d.suggested_category_id, name: d.suggested_name ?? '' } : null, confidence: d.confidence }
      : null,
    category: d.category_source && d.applied_category_id ? { applied: { id: d.applied_category_id, name: d.applied_name ?? '' }, source: d.category_source, threshold: d.threshold } : null,
    rules: (d.rules as { id: string; name: string; did: string[] }[]).map((r) => ({ id: r.id, name: r.name, did: r.did })),
    spam: d.spam,
    autoReply: reply,
  };
}

/** The reasons for a case (its own decision and those of the items filed on it); the caller checked the case is visible. */
export const decisionsOfCase = async (db: Executor, officeId: string, caseId: string) => (await repo.decisionsOfCase(db, officeId, caseId)).map(presentDecision);

/** The reasons for an inbound item; the caller checked the item is visible. */
export async function decisionOfItem(db: Executor, officeId: string, itemId: string): Promise<TriageDecision | null> {
  const d = await repo.decisionOfItem(db, officeId, itemId);
  return d ? presentDecision(d) : null;
}

// ---------------------------------------------------------------- the triage page

export function presentModel(m: modelsRepo.ModelSummary): TriageModel {
  const x = m.metrics as ModelMetrics;
  return {
    version: m.version, createdAt: m.created_at.toISOString(), trigger: m.trigger as TriageModel['trigger'], trainedOn: m.trained_on, classes: m.classes,
    metrics: { accuracy: x.accuracy, coverageAt90: x.coverageAt90, coverageAt95: x.coverageAt95, thresholdAt90: x.thresholdAt90, thresholdAt95: x.thresholdAt95, heldOut: x.heldOut, trainMs: x.trainMs },
  };
}

export async function overview(scope: Scope, query: z.input<typeof ZTriageOverviewQuery>): Promise<TriageOverview> {
  const q = ZTriageOverviewQuery.parse(query);
  const since = new Date(Date.now() - q.days * 86_400_000);
  const [s, models, volumes, outcomes, history, totals] = await Promise.all([
    settings(scope.db, scope.officeId), modelsRepo.models(scope.db, scope.officeId, 20), repo.volumes(scope.db, scope.officeId, since),
    repo.suggestionOutcomes(scope.db, scope.officeId, since), repo.scoredHistory(scope.db, scope.officeId, since), repo.totals(scope.db, scope.officeId, since),
  ]);
  let curve: TriageOverview['curve'] = { source: 'none', points: [], n: 0 };
  if (history.length >= MIN_HISTORY) {
    curve = { source: 'history', n: history.length, points: thin(precisionCoverage(history)) };
  } else if (models[0]) {
    const m = models[0].metrics as ModelMetrics;
    curve = { source: 'model', n: m.heldOut, points: m.curve };
  }
  const byId = new Map<string, TriageOverview['categories'][number]>();
  for (const v of volumes) byId.set(v.id, { category: { id: v.id, name: v.name }, volume: v.volume, autoApplied: v.auto_applied, suggested: 0, correct: 0 });
  for (const o of outcomes) {
    const row = byId.get(o.id) ?? { category: { id: o.id, name: o.name }, volume: 0, autoApplied: 0, suggested: 0, correct: 0 };
    byId.set(o.id, { ...row, suggested: o.suggested, correct: o.correct });
  }
  return {
    settings: s, models: models.map(presentModel), curve, categories: [...byId.values()].sort((a, b) => b.volume - a.volume || a.category.name.localeCompare(b.category.name)),
    totals: { decisions: totals.decisions, urgent: totals.urgent, spam: totals.spam, autoApplied: totals.auto_applied, autoReplied: totals.auto_replied },
  };
}

// ---------------------------------------------------------------- corrections

/** A member of staff set a case's category: decisions on it record it, and training counts it at once. */
export async function onCategoryChosen(trx: Executor, scope: Scope, change: CaseChange): Promise<void> {
  if (change.kind !== 'updated' || !change.before || scope.actor.type === 'system') return;
  if (change.after.category_id && change.after.category_id !== change.before.category_id) await repo.recordCorrection(trx, scope.officeId, change.after.id, change.after.category_id);
}
