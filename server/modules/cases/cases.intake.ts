// What intake asks of casework: the case a reference names, a person's open cases (to offer
// attaching new mail to), and whether a person is on a case (a subject token only threads
// mail from the case's own people).
import type { Executor } from '../../platform/db/database.js';
import * as repo from './cases.repo.js';

export const caseByReference = (db: Executor, officeId: string, reference: string) => repo.byReference(db, officeId, reference);
export const caseById = (db: Executor, officeId: string, id: string) => repo.caseState(db, officeId, id);
export const openCasesOf = (db: Executor, officeId: string, constituentId: string, limit = 5) => repo.openCasesOf(db, officeId, constituentId, limit);
export const isOnCase = (db: Executor, officeId: string, caseId: string, constituentId: string) => repo.isOnCase(db, officeId, caseId, constituentId);
