// What modules that hang work off a case (attachments, tasks, notes) ask casework: may this
// viewer see the case (sensitive cases are invisible without case.sensitive, and each read
// of one is logged), and which staff may read or work it (assignees, @mentions).
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { permissionsOf, type Role } from '../../platform/rbac.js';
import type { Scope } from '../../platform/scope.js';
import * as repo from './cases.access-repo.js';
import { logSensitiveRead, type Viewer } from './cases.service.js';

export type CaseRef = { id: string; reference: string; subject: string; isSensitive: boolean };

export type StaffMember = {
  id: string;
  displayName: string;
  email: string;
  isActive: boolean;
  canRead: boolean;
  canWork: boolean;
  canSeeSensitive: boolean;
};

const notFound = () => new DomainError('not_found', { message: 'No such case in this office' });

/**
 * The case if the viewer may see it, else 404 (a sensitive case without case.sensitive looks
 * like no case at all). With `logRead`, a read of a sensitive case is logged as a `viewed`
 * event saying what was read, as the case page and timeline do.
 */
export async function visibleCase(db: Executor, scope: Scope, viewer: Viewer, id: string, logRead?: string): Promise<CaseRef> {
  const row = await repo.caseRef(db, scope.officeId, id);
  if (!row || (row.is_sensitive && !viewer.canSeeSensitive)) throw notFound();
  if (row.is_sensitive && logRead) await logSensitiveRead(db, scope, [row], logRead);
  return { id: row.id, reference: row.reference, subject: row.subject, isSensitive: row.is_sensitive };
}

function facts(u: repo.StaffRow): StaffMember {
  const perms = permissionsOf(u.role as Role);
  return {
    id: u.id, displayName: u.display_name, email: u.email, isActive: u.status === 'active',
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

/** Active staff who may read the case, by name (the mention and assignee pickers). */
export async function staffForCase(db: Executor, officeId: string, c: Pick<CaseRef, 'isSensitive'>): Promise<StaffMember[]> {
  return (await repo.activeStaff(db, officeId)).map(facts).filter((u) => mayRead(u, c));
}
