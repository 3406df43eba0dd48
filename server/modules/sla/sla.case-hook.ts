// Keeps each case's SLA state in step with casework, inside the transaction of every case
// change (a casework hook, so casework does not depend on the sla module):
//   created                          pause at once if the initial status pauses, else apply
//   status changed (incl. reopened)  entering a status that pauses_sla → pause; leaving one
//                                    for a status that does not → resume; else re-apply
//                                    (resolve, close and reopen change resolved_at/closed_at)
//   category or priority changed     re-apply (another policy, other targets)
// Assignment and other edits leave the clock alone.
import type { Trx } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Scope } from '../../platform/scope.js';
import { onCaseChange, onTaxonomyChange, onWorkflowChange, type CaseChange } from '../cases/cases.hooks.js';
import { pausingStatuses } from '../cases/cases.workflow.js';
import { applySla, pauseSla, resumeSla } from './sla.cases.js';
import { enqueueRecompute } from './sla.jobs.js';

export async function slaOnCaseChange(trx: Trx, scope: Scope, change: CaseChange): Promise<void> {
  const { before, after } = change;
  const { officeId } = scope;
  if (!before) {
    if ((await pausingStatuses(trx, officeId)).has(after.status)) await pauseSla(trx, officeId, after.id);
    else await applySla(trx, officeId, after.id);
    return;
  }
  if (before.status !== after.status) {
    const pausing = await pausingStatuses(trx, officeId);
    const [was, is] = [pausing.has(before.status), pausing.has(after.status)];
    if (!was && is) await pauseSla(trx, officeId, after.id);
    else if (was && !is) await resumeSla(trx, officeId, after.id);
    else await applySla(trx, officeId, after.id);
    return;
  }
  // resolved_at and closed_at only change with the status (above).
  if (before.category_id !== after.category_id || before.priority !== after.priority) await applySla(trx, officeId, after.id);
}

/**
 * Registers the hooks (idempotent: hooks are keyed by name). Called by the app and the job
 * runtime. A category merged into another or moved under another parent can put its cases
 * under another policy (policies are inherited from the nearest ancestor): the office's
 * open cases are recomputed by a job queued in the same transaction; so are they when a
 * status starts or stops pausing the clock.
 */
export function registerSlaCaseHook(jobs: () => Jobs | undefined): void {
  onCaseChange('sla', slaOnCaseChange);
  onTaxonomyChange('sla', async (trx, scope) => {
    await enqueueRecompute(jobs(), trx, scope.officeId);
  });
  // A status that now pauses (or no longer pauses) the clock: the recompute pauses or resumes
  // the open cases sitting in it.
  onWorkflowChange('sla', async (trx, scope) => {
    await enqueueRecompute(jobs(), trx, scope.officeId);
  });
}
