// Automatic assignment: which team a case goes to (the first matching rule, else the team
// the case already has, else the office's default team) and who in the team takes it (the
// team's strategy among members who may work the case and are not away). Runs as a casework
// hook when a case is opened without an assignee, and on demand. The team's rotation row is
// locked while choosing, so cases opened at the same time never pick from a stale rotation.
import type { AutoAssignOutcome, AutoAssignResult } from '../../../contract/assignment.js';
import { inTransaction, type Trx } from '../../platform/db/database.js';
import { ROLES, permissionsOf, type Role } from '../../platform/rbac.js';
import type { Scope } from '../../platform/scope.js';
import { applyAutomaticAssignment } from '../cases/cases.auto-assign.js';
import { lockVisible } from '../cases/cases.service.js';
import { onCaseChange, onTaxonomyChange, type CaseChange } from '../cases/cases.hooks.js';
import type { CaseRow } from '../cases/cases.repo.js';
import * as cases from '../cases/cases.service.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './assignment.repo.js';
import { followMergedCategory } from './assignment.rules.js';

const rolesWith = (p: 'case.write' | 'case.sensitive') => ROLES.filter((r: Role) => permissionsOf(r).includes(p));

type Ref = { id: string; name: string };
type TeamChoice = { team: Ref; rule: Ref | null; reason: 'rule' | 'default_team' | 'case_team' };

/** The team a case goes to; `keepTeam`: a team the case already has wins over the rules (a case opened into a team). */
async function chooseTeam(trx: Trx, officeId: string, c: CaseRow, keepTeam: boolean): Promise<TeamChoice | null> {
  const current = c.team_id ? await repo.team(trx, officeId, c.team_id) : undefined;
  if (keepTeam && current) return { team: current, rule: null, reason: 'case_team' };
  const rule = await repo.firstMatch(trx, officeId, c.category_id, c.ward_id);
  if (rule) return { team: { id: rule.team_id, name: rule.team_name }, rule: { id: rule.id, name: rule.name }, reason: 'rule' };
  if (current) return { team: current, rule: null, reason: 'case_team' };
  const fallback = await repo.defaultTeam(trx, officeId);
  return fallback ? { team: fallback, rule: null, reason: 'default_team' } : null;
}

/** The member the team's strategy picks now, recorded in the rotation; null when nobody may take it. */
async function chooseMember(trx: Trx, officeId: string, teamId: string, isSensitive: boolean): Promise<Ref | null> {
  const strategy = await repo.lockRotation(trx, officeId, teamId);
  const roles = rolesWith('case.write').filter((r) => !isSensitive || rolesWith('case.sensitive').includes(r));
  const [first] = await repo.candidates(trx, officeId, teamId, { roles, strategy });
  if (!first) return null;
  await repo.markAssigned(trx, officeId, teamId, first.user_id);
  return { id: first.user_id, name: first.display_name };
}

function summaryOf(choice: TeamChoice, member: Ref | null): string {
  const why = choice.reason === 'rule' ? ` by rule “${choice.rule!.name}”` : choice.reason === 'default_team' ? ' (no rule matched: the default team)' : '';
  return member
    ? `Assigned automatically to ${member.name} (${choice.team.name})${why}`
    : `Sent automatically to ${choice.team.name}${why}; nobody in the team can take it now (away, or unable to work the case)`;
}

/** Decides and writes the assignment of a locked case, inside the caller's transaction. */
export async function assignCase(trx: Trx, scope: Scope, c: CaseRow, opts: { keepTeam: boolean }): Promise<AutoAssignOutcome> {
  const choice = await chooseTeam(trx, scope.officeId, c, opts.keepTeam);
  if (!choice) return { reason: 'no_match', rule: null, team: null, assignee: null };
  const member = await chooseMember(trx, scope.officeId, choice.team.id, c.is_sensitive);
  const reason = member ? choice.reason : 'everyone_away';
  await applyAutomaticAssignment(trx, scope, c.id, { teamId: choice.team.id, assigneeId: member?.id ?? null, rule: choice.rule, reason, summary: summaryOf(choice, member) });
  if (!member) {
    const managers = await repo.managers(trx, scope.officeId, choice.team.id);
    await notify(trx, scope.officeId, managers.map((userId) => ({
      userId, kind: 'assignment_unstaffed', caseId: c.id, dedupeKey: `assignment-unstaffed:${c.id}:${choice.team.id}`,
      body: `Case ${c.reference} was sent to ${choice.team.name}, but nobody in the team can take it now (away, or unable to work the case). Assign it by hand.`,
    })));
  }
  return { reason, rule: choice.rule, team: choice.team, assignee: member };
}

/** POST /cases/:id/auto-assign: the rules first, then the case's team, then the default team. */
export async function autoAssign(scope: Scope, viewer: cases.Viewer, id: string): Promise<AutoAssignResult> {
  const outcome = await inTransaction(scope.db, async (trx) => assignCase(trx, scope, await lockVisible(trx, scope, viewer, id), { keepTeam: false }));
  return { case: await cases.get(scope, viewer, id), outcome };
}

/** A case opened without an assignee is assigned automatically, in the same transaction. */
export async function assignOnCreate(trx: Trx, scope: Scope, change: CaseChange): Promise<void> {
  if (change.kind !== 'created' || change.after.assignee_id) return;
  await assignCase(trx, scope, change.after, { keepTeam: true });
}

/** Registers the casework hooks (idempotent: hooks are keyed by name); the app and the job runtime call it. */
export function registerAssignmentCaseHook(): void {
  onCaseChange('assignment', assignOnCreate);
  onTaxonomyChange('assignment', followMergedCategory);
}
