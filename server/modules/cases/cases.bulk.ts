// Bulk actions on the case list: assign, change status, add a tag, on up to 500 cases. Each
// case is checked on its own, exactly as the single-case action would check it (visibility
// including the sensitive flag, the workflow's transitions, the assignee), and each allowed
// change is its own transaction with its own audit event and hooks (SLA). A refusal of one
// case therefore never holds back or rolls back the others, and the answer says, per case,
// whether it changed or why it was refused. The caller may re-run the action for the refused
// ones after fixing what the reason names.
import { ZBulkCaseAction, type BulkCaseAction, type BulkCaseResult } from '../../../contract/cases.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as service from './cases.service.js';

type Outcome = BulkCaseResult['results'][number];

/** What a refusal of one case looks like in the answer. */
function refusal(id: string, err: unknown): Outcome {
  if (err instanceof DomainError) return { id, ok: false, code: err.code, reason: err.message, field: err.field ?? null };
  throw err; // an unexpected failure is a 500, not a refusal
}

export async function run(scope: Scope, viewer: service.Viewer, input: BulkCaseAction): Promise<BulkCaseResult> {
  const v = ZBulkCaseAction.parse(input);
  const ids = [...new Set(v.ids)];
  const results: Outcome[] = [];
  for (const id of ids) {
    try {
      if (v.action === 'assign') {
        const c = await service.assign(scope, viewer, id, { assigneeId: v.assigneeId, teamId: v.teamId });
        results.push({ id, ok: true, reference: c.reference, changed: true });
      } else if (v.action === 'status') {
        const c = await service.changeStatus(scope, viewer, id, { status: v.status, resolutionCode: v.resolutionCode, resolutionSummary: v.resolutionSummary, comment: v.comment });
        results.push({ id, ok: true, reference: c.reference, changed: true });
      } else {
        const r = await service.addTags(scope, viewer, id, [v.tag]);
        results.push({ id, ok: true, reference: r.reference, changed: r.changed });
      }
    } catch (err) {
      results.push(refusal(id, err));
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { succeeded, refused: results.length - succeeded, results };
}
