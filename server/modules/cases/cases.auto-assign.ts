// The casework side of automatic assignment: the assignment module decides who takes a case
// (rules, strategies, away); casework writes the decision, with an audit event naming the
// rule, so the timeline explains it ("Assigned automatically ... by rule X"), and runs the
// case hooks as a manual assignment would.
import * as audit from '../../platform/audit/audit.js';
import type { Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { runCaseHooks } from './cases.hooks.js';
import * as repo from './cases.repo.js';

export type AutomaticAssignment = {
  teamId: string;
  assigneeId: string | null;
  rule: { id: string; name: string } | null;
  reason: string;
  summary: string;
};

/** Writes an automatic assignment the assignment module decided, audited with its rule. */
export async function applyAutomaticAssignment(trx: Trx, scope: Scope, caseId: string, a: AutomaticAssignment): Promise<void> {
  const before = await repo.lock(trx, scope.officeId, caseId);
  if (!before) throw new DomainError('not_found', { message: 'No such case in this office' });
  await repo.update(trx, scope.officeId, caseId, { team_id: a.teamId, assignee_id: a.assigneeId });
  const after = (await repo.lock(trx, scope.officeId, caseId))!;
  const names = await repo.staff(trx, scope.officeId, [before.assignee_id, a.assigneeId].filter((x): x is string => x !== null));
  const person = (id: string | null) => (id ? { id, name: names.find((n) => n.id === id)?.display_name ?? '' } : null);
  await audit.record(trx, scope, {
    entity: 'case', id: caseId, action: 'auto_assigned', caseId,
    before: { assignee: person(before.assignee_id), teamId: before.team_id },
    after: { assignee: person(a.assigneeId), teamId: a.teamId, rule: a.rule, reason: a.reason, summary: a.summary },
  });
  await runCaseHooks(trx, scope, { kind: 'assigned', before, after });
}
