// Extension point: modules that keep state derived from a case (SLA clocks, automatic
// assignment, notifications) register a hook here instead of casework importing them. Hooks
// run inside the transaction of the change, after the case row is written, so whatever they
// write commits or rolls back with it.
import type { Trx } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import type { CaseRow } from './cases.repo.js';

export type CaseChange = {
  kind: 'created' | 'updated' | 'status_changed' | 'reopened' | 'assigned';
  /** The row before the change (null when created) and after it. */
  before: CaseRow | null;
  after: CaseRow;
  /** What the request asked for beyond the change itself (a status change: tell the resident). */
  options?: { notifyResident?: boolean; closureTemplateId?: string; triaged?: boolean };
};

export type CaseHook = (trx: Trx, scope: Scope, change: CaseChange) => Promise<void>;

const hooks = new Map<string, CaseHook>();

/** Registers (or replaces) the hook named `name`. */
export function onCaseChange(name: string, hook: CaseHook): void {
  hooks.set(name, hook);
}

export async function runCaseHooks(trx: Trx, scope: Scope, change: CaseChange): Promise<void> {
  for (const hook of hooks.values()) await hook(trx, scope, change);
}

/** The taxonomy changed in a way that can change which policy or team a case falls under. */
export type TaxonomyChange = { kind: 'merged' | 'moved'; categoryId: string };
export type TaxonomyHook = (trx: Trx, scope: Scope, change: TaxonomyChange) => Promise<void>;

const taxonomyHooks = new Map<string, TaxonomyHook>();

/** Registers (or replaces) the taxonomy hook named `name`. */
export function onTaxonomyChange(name: string, hook: TaxonomyHook): void {
  taxonomyHooks.set(name, hook);
}

export async function runTaxonomyHooks(trx: Trx, scope: Scope, change: TaxonomyChange): Promise<void> {
  for (const hook of taxonomyHooks.values()) await hook(trx, scope, change);
}

/** A workflow setting changed that bears on open cases (a status now pauses the SLA clock, or no longer). */
export type WorkflowChange = { kind: 'status_pauses_sla'; status: string; pausesSla: boolean };
export type WorkflowHook = (trx: Trx, scope: Scope, change: WorkflowChange) => Promise<void>;

const workflowHooks = new Map<string, WorkflowHook>();

/** Registers (or replaces) the workflow hook named `name`. */
export function onWorkflowChange(name: string, hook: WorkflowHook): void {
  workflowHooks.set(name, hook);
}

export async function runWorkflowHooks(trx: Trx, scope: Scope, change: WorkflowChange): Promise<void> {
  for (const hook of workflowHooks.values()) await hook(trx, scope, change);
}
