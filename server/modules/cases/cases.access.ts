// What modules that hang work off a case (attachments, tasks, notes) ask casework: may this
// viewer see the case (sensitive cases are invisible without case.sensitive, and each read
// of one is logged), and which staff may read or work it (assignees, @mentions).
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { permissionsOf, type Role } from '../../platform/rbac.js';
import type { Scope } from '../../platform/scope.js';
import * as audit from '../../platform/audit/audit.js';
import * as repo from './cases.repo.js';
import type { Viewer } from './cases.service.js';

export type CaseRef = { id: string; reference: string; subject: string; isSensitive: boolean };

export type StaffMember = {
  id: string;
  role: Role;
  displayName: string;
  email: string;
  isActive: boolean;
  canRead: boolean;
  canWork: boolean;
  canSeeSensitive: boolean;
};

const notFound = () => new DomainError('not_found', { message: 'No such case in this office' });

/** Logs reads of sensitive cases, one `viewed` event each, saying what showed them (page, list, my tasks, ...). */
export async function logSensitiveRead(db: Executor, scope: Scope, cases: { id: string; reference: string }[], via: string): Promise<void> {
  await audit.recordMany(db, scope, cases.map((c) => ({
    entity: 'case', id: c.id, action: 'viewed', after: { reference: c.reference, via, summary: `Sensitive case read (${via})` }, caseId: c.id,
  })));
}

/**
 * The case if the viewer may see it, else 404 (a sensitive case without case.sensitive looks
 * like no case at all). With `logRead`, a read of a sensitive case is logged as a `viewed`
 * event saying what was read, as the case page and timeline do.
 */
export async function visibleCase(db: Executor, scope: Scope, viewer: Viewer, id: string, logRead?: string): Promise<CaseRef> {
  const row = await repo.visibility(db, scope.officeId, id);
  if (!row || (row.is_sensitive && !viewer.canSeeSensitive)) throw notFound();
  if (row.is_sensitive && logRead) await logSensitiveRead(db, scope, [row], logRead);
  return { id: row.id, reference: row.reference, subject: row.subject, isSensitive: row.is_sensitive };
}

function facts(u: repo.StaffRow): StaffMember {
  const perms = permissionsOf(u.role as Role);
  return {
    id: u.id, role: u.role as Role, displayName: u.display_name, email: u.email, isActive: u.status === 'active',
    canRead: perms.includes('case.read'), canWork: perms.includes('case.write'), canSeeSensitive: perms.includes('case.sensitive'),
  };
}

/** The given users of the office (missing ids are simply absent from the map). */
export async function staffByIds(db: Executor, officeId: string, ids: string[]): Promise<Map<string, StaffMember>> {
  const rows = await repo.staff(db, officeId, [...new Set(ids)]);
  return new Map(rows.map((u) => [u.id, facts(u)]));
}

/** Whether the staff member may read this case (role and, for a sensitive case, clearance). */
export const mayRead = (u: StaffMember, c: Pick<CaseRef, 'isSensitive'>) => u.isActive && u.canRead && (!c.isSensitive || u.canSeeSensitive);
/** Whether the staff member may work this case (tasks are assigned only to them). */
export const mayWork = (u: StaffMember, c: Pick<CaseRef, 'isSensitive'>) => mayRead(u, c) && u.canWork;

/**
 * The staff member work on a case (its assignee, a task's) may be given to: active, in a role
 * that works cases and, for a sensitive case, cleared to see it. Refused on `assigneeId`.
 */
export async function assertAssignable(db: Executor, officeId: string, userId: string, isSensitive: boolean): Promise<StaffMember> {
  const u = (await staffByIds(db, officeId, [userId])).get(userId);
  const refuse = (message: string) => new DomainError('validation_failed', { field: 'assigneeId', message });
  if (!u) throw refuse('No such user in this office');
  if (!u.isActive) throw refuse(`${u.displayName}'s account is disabled`);
  if (!u.canWork) throw refuse(`${u.displayName} is ${u.role === 'analyst' || u.role === 'admin' ? 'an' : 'a'} ${u.role}; that role cannot work cases`);
  if (!mayWork(u, { isSensitive })) throw refuse(`${u.displayName} may not see sensitive cases`);
  return u;
}

/** Active staff who may read the case, by name (the mention and assignee pickers). */
export async function staffForCase(db: Executor, officeId: string, c: Pick<CaseRef, 'isSensitive'>): Promise<StaffMember[]> {
  return (await repo.activeStaff(db, officeId)).map(facts).filter((u) => mayRead(u, c));
}
