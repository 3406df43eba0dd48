// The office's workflow: statuses (each in one of four categories: open, waiting, resolved,
// closed), the transitions allowed between them, and the resolution codes a case must be
// given to become resolved or closed. Admins extend the defaults; the rules that apply to
// one status change are in decideTransition(), a pure function.
import { z } from 'zod';
import {
  ZCreateResolutionCode, ZCreateStatus, ZSetTransitions, ZUpdateResolutionCode, ZUpdateStatus,
  type CaseStatus, type ResolutionCode, type StatusCategory, type Workflow,
} from '../../../contract/cases.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { runWorkflowHooks } from './cases.hooks.js';
import * as repo from './cases.workflow-repo.js';

export const MAX_STATUSES = 50;
export const MAX_RESOLUTION_CODES = 200;

/** Statuses in these categories need the case to carry a resolution. */
export const needsResolution = (category: StatusCategory) => category === 'resolved' || category === 'closed';

export const presentStatus = (r: repo.StatusRow): CaseStatus => ({
  key: r.key, label: r.label, category: r.category as StatusCategory, position: r.position, isInitial: r.is_initial, retired: r.retired, pausesSla: r.pauses_sla,
});

/** Only a case still being worked can have its clock paused. */
const canPauseSla = (category: string) => category === 'open' || category === 'waiting';

/** The statuses of the office that pause the SLA clock (the sla module's case hook asks). */
export const pausingStatuses = (db: Executor, officeId: string): Promise<Set<string>> => repo.pausingStatuses(db, officeId);

const presentCode = (r: repo.ResolutionCodeRow): ResolutionCode => ({ code: r.code, label: r.label, position: r.position, retired: r.retired });

export async function get(db: Executor, officeId: string): Promise<Workflow> {
  const [statuses, transitions, codes] = await Promise.all([repo.statuses(db, officeId), repo.transitions(db, officeId), repo.resolutionCodes(db, officeId)]);
  return {
    statuses: statuses.map(presentStatus),
    transitions: transitions.map((t) => ({ from: t.from_status, to: t.to_status })),
    resolutionCodes: codes.map(presentCode),
  };
}

export type TransitionRequest = { to: string; resolutionCode?: string | undefined; resolutionSummary?: string | undefined };
export type TransitionFacts = {
  from: CaseStatus;
  /** The case's current resolution, if any. */
  resolution: { code: string; summary: string } | null;
  statuses: CaseStatus[];
  allowed: string[];
  codes: ResolutionCode[];
};
export type TransitionDecision = { to: CaseStatus; resolution: { code: string; summary: string } | null };

/**
 * Whether the workflow lets a case move, and the resolution it carries afterwards. Refusals
 * are domain errors naming the field and the reason.
 */
export function decideTransition(f: TransitionFacts, req: TransitionRequest): TransitionDecision {
  const to = f.statuses.find((s) => s.key === req.to);
  if (!to) throw new DomainError('validation_failed', { field: 'status', message: `There is no status "${req.to}" in this office's workflow` });
  if (to.retired) throw new DomainError('validation_failed', { field: 'status', message: `The status "${to.label}" is retired` });
  if (to.key === f.from.key) throw new DomainError('transition_forbidden', { field: 'status', message: `The case is already ${f.from.label}`, extra: { from: f.from.key, to: to.key, allowed: f.allowed } });
  if (!f.allowed.includes(to.key)) {
    const options = f.allowed.length ? `it can go to ${f.allowed.map((k) => f.statuses.find((s) => s.key === k)?.label ?? k).join(', ')}` : 'it cannot change status';
    throw new DomainError('transition_forbidden', {
      field: 'status', message: `The workflow does not allow ${f.from.label} → ${to.label}; from ${f.from.label} ${options}`, extra: { from: f.from.key, to: to.key, allowed: f.allowed },
    });
  }
  const givesResolution = req.resolutionCode !== undefined || req.resolutionSummary !== undefined;
  if (!needsResolution(to.category)) {
    if (givesResolution) throw new DomainError('validation_failed', { field: 'resolutionCode', message: `A resolution is given only when a case is resolved or closed, not when it becomes ${to.label}` });
    return { to, resolution: null };
  }
  if (!givesResolution && f.resolution && needsResolution(f.from.category)) return { to, resolution: f.resolution };
  if (req.resolutionCode === undefined) throw new DomainError('resolution_required', { field: 'resolutionCode', message: `Choose a resolution code to make the case ${to.label}` });
  if (req.resolutionSummary === undefined) throw new DomainError('resolution_required', { field: 'resolutionSummary', message: `Write a summary of the resolution to make the case ${to.label}` });
  const code = f.codes.find((c) => c.code === req.resolutionCode);
  if (!code) throw new DomainError('validation_failed', { field: 'resolutionCode', message: `There is no resolution code "${req.resolutionCode}" in this office` });
  if (code.retired) throw new DomainError('validation_failed', { field: 'resolutionCode', message: `The resolution code "${code.label}" is retired` });
  return { to, resolution: { code: code.code, summary: req.resolutionSummary } };
}

/** The facts decideTransition needs for a case in status `from`. */
export async function factsFor(db: Executor, officeId: string, from: string, resolution: TransitionFacts['resolution']): Promise<TransitionFacts> {
  const wf = await get(db, officeId);
  const current = wf.statuses.find((s) => s.key === from);
  if (!current) throw new Error(`case status ${from} missing from the workflow`); // the foreign key makes this impossible
  return { from: current, resolution, statuses: wf.statuses, allowed: wf.transitions.filter((t) => t.from === from).map((t) => t.to), codes: wf.resolutionCodes };
}

export async function initialStatus(db: Executor, officeId: string): Promise<CaseStatus> {
  const s = (await repo.statuses(db, officeId)).find((x) => x.is_initial);
  if (!s) throw new DomainError('conflict', { message: 'This office has no initial case status; an admin must restore the workflow' });
  return presentStatus(s);
}

/** Where a resolved case goes when the resident writes again: "open" if it is usable, else the initial status. */
export async function reopenStatus(db: Executor, officeId: string): Promise<CaseStatus> {
  const all = (await repo.statuses(db, officeId)).map(presentStatus);
  return all.find((s) => s.key === 'open' && !s.retired && s.category === 'open') ?? all.find((s) => s.isInitial) ?? (await initialStatus(db, officeId));
}

// ---------------------------------------------------------------- configuration

export async function createStatus(scope: Scope, input: z.input<typeof ZCreateStatus>): Promise<Workflow> {
  const v = ZCreateStatus.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockWorkflow(trx, scope.officeId);
    const existing = await repo.statuses(trx, scope.officeId);
    if (existing.some((s) => s.key === v.key)) throw new DomainError('conflict', { field: 'key', message: `There is already a status "${v.key}"` });
    if (existing.length >= MAX_STATUSES) throw new DomainError('conflict', { message: `An office can have at most ${MAX_STATUSES} statuses` });
    if (v.pausesSla && !canPauseSla(v.category)) throw new DomainError('validation_failed', { field: 'pausesSla', message: `A ${v.category} status cannot pause the SLA clock; only open and waiting statuses can` });
    await repo.insertStatus(trx, scope.officeId, v);
    await audit.record(trx, scope, { entity: 'case_status', id: v.key, action: 'created', after: v });
    return get(trx, scope.officeId);
  });
}

export async function updateStatus(scope: Scope, key: string, input: z.input<typeof ZUpdateStatus>): Promise<Workflow> {
  const v = ZUpdateStatus.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockWorkflow(trx, scope.officeId);
    const row = (await repo.statuses(trx, scope.officeId)).find((s) => s.key === key);
    if (!row) throw new DomainError('not_found', { message: 'No such status in this office' });
    if (v.retired && row.is_initial) throw new DomainError('validation_failed', { field: 'retired', message: `"${row.label}" is the status new cases start in; it cannot be retired` });
    if (v.pausesSla && !canPauseSla(row.category)) throw new DomainError('validation_failed', { field: 'pausesSla', message: `"${row.label}" is a ${row.category} status; only open and waiting statuses can pause the SLA clock` });
    await repo.updateStatus(trx, scope.officeId, key, v);
    await audit.record(trx, scope, { entity: 'case_status', id: key, action: 'updated', before: presentStatus(row), after: { ...presentStatus(row), ...v } });
    // Cases already in the status start or stop their pause (the SLA module's recompute job).
    if (v.pausesSla !== undefined && v.pausesSla !== row.pauses_sla) await runWorkflowHooks(trx, scope, { kind: 'status_pauses_sla', status: key, pausesSla: v.pausesSla });
    return get(trx, scope.officeId);
  });
}

/** Replaces the whole set of allowed transitions (the settings page edits it as a matrix). */
export async function setTransitions(scope: Scope, input: z.input<typeof ZSetTransitions>): Promise<Workflow> {
  const v = ZSetTransitions.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockWorkflow(trx, scope.officeId);
    const keys = new Set((await repo.statuses(trx, scope.officeId)).map((s) => s.key));
    const seen = new Set<string>();
    const rows: { from: string; to: string }[] = [];
    v.transitions.forEach((t, i) => {
      if (!keys.has(t.from)) throw new DomainError('validation_failed', { field: `transitions.${i}.from`, message: `There is no status "${t.from}"` });
      if (!keys.has(t.to)) throw new DomainError('validation_failed', { field: `transitions.${i}.to`, message: `There is no status "${t.to}"` });
      if (t.from === t.to) throw new DomainError('validation_failed', { field: `transitions.${i}.to`, message: 'A status cannot transition to itself' });
      const k = `${t.from}>${t.to}`;
      if (!seen.has(k)) rows.push(t);
      seen.add(k);
    });
    const before = (await repo.transitions(trx, scope.officeId)).map((t) => ({ from: t.from_status, to: t.to_status }));
    await repo.replaceTransitions(trx, scope.officeId, rows);
    await audit.record(trx, scope, { entity: 'case_workflow', id: scope.officeId, action: 'transitions_changed', before: { transitions: before }, after: { transitions: rows } });
    return get(trx, scope.officeId);
  });
}

export async function createResolutionCode(scope: Scope, input: z.input<typeof ZCreateResolutionCode>): Promise<Workflow> {
  const v = ZCreateResolutionCode.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockWorkflow(trx, scope.officeId);
    const existing = await repo.resolutionCodes(trx, scope.officeId);
    if (existing.some((c) => c.code === v.code)) throw new DomainError('conflict', { field: 'code', message: `There is already a resolution code "${v.code}"` });
    if (existing.length >= MAX_RESOLUTION_CODES) throw new DomainError('conflict', { message: `An office can have at most ${MAX_RESOLUTION_CODES} resolution codes` });
    await repo.insertResolutionCode(trx, scope.officeId, v);
    await audit.record(trx, scope, { entity: 'case_resolution_code', id: v.code, action: 'created', after: v });
    return get(trx, scope.officeId);
  });
}

export async function updateResolutionCode(scope: Scope, code: string, input: z.input<typeof ZUpdateResolutionCode>): Promise<Workflow> {
  const v = ZUpdateResolutionCode.parse(input);
  return inTransaction(scope.db, async (trx) => {
    await repo.lockWorkflow(trx, scope.officeId);
    const row = (await repo.resolutionCodes(trx, scope.officeId)).find((c) => c.code === code);
    if (!row) throw new DomainError('not_found', { message: 'No such resolution code in this office' });
    await repo.updateResolutionCode(trx, scope.officeId, code, v);
    await audit.record(trx, scope, { entity: 'case_resolution_code', id: code, action: 'updated', before: presentCode(row), after: { ...presentCode(row), ...v } });
    return get(trx, scope.officeId);
  });
}
