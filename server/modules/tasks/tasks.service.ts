// Follow-up tasks on a case: add, edit, complete or reopen, reassign, delete (soft), each with
// an audit event on the case's timeline (entity case_task). A task is assigned only to active
// staff of the office who may work the case; the assignee hears of it in the app.
import { z } from 'zod';
import { ZCreateTask, ZMyTasksQuery, ZUpdateTask, type CreateTask, type Task, type UpdateTask } from '../../../contract/case-work.js';
import type { Page } from '../../../contract/common.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Scope } from '../../platform/scope.js';
import { assertAssignable, visibleCase, type CaseRef } from '../cases/cases.access.js';
import { logSensitiveRead, type Viewer } from '../cases/cases.service.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './tasks.repo.js';

export const present = (r: repo.TaskRow): Task => ({
  id: r.id, caseId: r.case_id, caseReference: r.reference, caseSubject: r.subject, title: r.title, notes: r.notes, dueOn: r.due_on,
  assigneeId: r.assignee_id, assigneeName: r.assignee_name, status: r.status as Task['status'],
  completedAt: r.completed_at ? r.completed_at.toISOString() : null, completedBy: r.completed_by_name,
  createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

const noTask = () => new DomainError('not_found', { message: 'No such task on this case' });
const actorUser = (scope: Scope, viewer: Viewer) => (scope.actor.type === 'system' ? null : viewer.userId);


async function tellAssignee(trx: Trx, scope: Scope, c: CaseRef, task: Task): Promise<void> {
  if (!task.assigneeId || task.assigneeId === scope.actor.id) return;
  await notify(trx, scope.officeId, [{
    userId: task.assigneeId, kind: 'task_assigned', caseId: c.id, dedupeKey: `task-assigned:${task.id}:${task.updatedAt}`,
    body: `${scope.actor.label} gave you a task on ${c.reference}: ${task.title}${task.dueOn ? ` (due ${task.dueOn})` : ''}`,
  }]);
}

async function load(db: Executor, officeId: string, caseId: string, id: string): Promise<Task> {
  const row = await repo.get(db, officeId, caseId, id);
  if (!row) throw noTask();
  return present(row);
}

export async function create(scope: Scope, viewer: Viewer, caseId: string, input: CreateTask): Promise<Task> {
  const v = ZCreateTask.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const c = await visibleCase(trx, scope, viewer, caseId);
    if (v.assigneeId) await assertAssignable(trx, scope.officeId, v.assigneeId, c.isSensitive);
    const { id } = await repo.insert(trx, scope.officeId, { case_id: c.id, title: v.title, notes: v.notes, due_on: v.dueOn, assignee_id: v.assigneeId, created_by: actorUser(scope, viewer) });
    const task = await load(trx, scope.officeId, c.id, id);
    await audit.record(trx, scope, {
      entity: 'case_task', id, action: 'created', caseId: c.id,
      after: { ...task, summary: `Task added: ${task.title}${task.assigneeName ? ` for ${task.assigneeName}` : ''}${task.dueOn ? `, due ${task.dueOn}` : ''}` },
    });
    await tellAssignee(trx, scope, c, task);
    return task;
  });
}

const FIELDS = ['title', 'notes', 'dueOn', 'assigneeId', 'status'] as const;

export async function update(scope: Scope, viewer: Viewer, caseId: string, id: string, input: UpdateTask): Promise<Task> {
  const v = ZUpdateTask.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const c = await visibleCase(trx, scope, viewer, caseId);
    if (!(await repo.lock(trx, scope.officeId, c.id, id))) throw noTask();
    const before = await load(trx, scope.officeId, c.id, id);
    if (v.assigneeId && v.assigneeId !== before.assigneeId) await assertAssignable(trx, scope.officeId, v.assigneeId, c.isSensitive);
    const completing = v.status === 'done' && before.status === 'open';
    const reopening = v.status === 'open' && before.status === 'done';
    await repo.update(trx, scope.officeId, id, {
      title: v.title, notes: v.notes, due_on: v.dueOn, assignee_id: v.assigneeId, status: v.status,
      ...(completing ? { completed_at: new Date(), completed_by: actorUser(scope, viewer) } : {}),
      ...(reopening ? { completed_at: null, completed_by: null } : {}),
      // Someone new on the task hears of its due date too.
      ...(v.assigneeId !== undefined && v.assigneeId !== before.assigneeId ? { reminded_for: null } : {}),
    });
    const after = await load(trx, scope.officeId, c.id, id);
    const changed = FIELDS.filter((k) => before[k] !== after[k]);
    if (changed.length === 0) return before;
    const action = completing ? 'completed' : reopening ? 'reopened' : after.assigneeId !== before.assigneeId ? 'reassigned' : 'updated';
    const summary = {
      completed: `Task done: ${after.title}`, reopened: `Task reopened: ${after.title}`,
      reassigned: `Task ${after.title} ${after.assigneeName ? `given to ${after.assigneeName}` : 'unassigned'}`, updated: `Task changed: ${after.title}`,
    }[action];
    await audit.record(trx, scope, {
      entity: 'case_task', id, action, caseId: c.id,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: { ...Object.fromEntries(changed.map((k) => [k, after[k]])), summary },
    });
    if (after.assigneeId !== before.assigneeId) await tellAssignee(trx, scope, c, after);
    return after;
  });
}

export async function remove(scope: Scope, viewer: Viewer, caseId: string, id: string): Promise<void> {
  await inTransaction(scope.db, async (trx) => {
    const c = await visibleCase(trx, scope, viewer, caseId);
    if (!(await repo.lock(trx, scope.officeId, c.id, id))) throw noTask();
    const before = await load(trx, scope.officeId, c.id, id);
    await repo.softDelete(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'case_task', id, action: 'deleted', caseId: c.id, before, after: { summary: `Task deleted: ${before.title}` } });
  });
}

/** The case's tasks (bounded: a case has a handful). */
export async function listForCase(scope: Scope, viewer: Viewer, caseId: string): Promise<Page<Task>> {
  const c = await visibleCase(scope.db, scope, viewer, caseId, 'tasks');
  return { items: (await repo.ofCase(scope.db, scope.officeId, c.id, 500)).map(present), nextCursor: null };
}

/** The viewer's own tasks by due date; tasks of sensitive cases only for those who may see them (each such read logged). */
export async function listMine(scope: Scope, viewer: Viewer, query: z.input<typeof ZMyTasksQuery>): Promise<Page<Task>> {
  const q = ZMyTasksQuery.parse(query);
  const after = decodeCursor(q.cursor, z.tuple([z.union([z.iso.date(), z.literal('infinity')]), z.uuid()]));
  const rows = await repo.ofAssignee(scope.db, scope.officeId, viewer.userId, { status: q.status, includeSensitive: viewer.canSeeSensitive, after, limit: q.limit + 1 });
  const p = page(rows, q.limit, (r) => [r.due_on ?? 'infinity', r.id]);
  const sensitive = [...new Map(p.items.filter((r) => r.is_sensitive).map((r) => [r.case_id, r])).values()];
  await logSensitiveRead(scope.db, scope, sensitive.map((r) => ({ id: r.case_id, reference: r.reference })), 'my tasks');
  return { items: p.items.map(present), nextCursor: p.nextCursor };
}
