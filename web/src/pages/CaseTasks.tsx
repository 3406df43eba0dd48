// The case's follow-up tasks: add one (title, due date, assignee among staff who may work the
// case), mark done or open again, reassign or change the due date, delete after confirming.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CaseStaff, Task, UpdateTask } from '../../../contract/case-work.js';
import { api } from '../api/client.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextField } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useCan } from '../session.js';
import { caseKeys } from './CaseQueries.js';
import { useCaseStaff, useCaseTasks, workKeys } from './CaseWorkQueries.js';
import './CaseWork.css';

const FIELDS = { title: { id: 'task-title', label: 'Task' }, dueOn: { id: 'task-due', label: 'Due date' }, assigneeId: { id: 'task-assignee', label: 'Assignee' } };

function AssigneeOptions({ staff }: { staff: CaseStaff[] }) {
  return (
    <>
      <option value="">Nobody yet</option>
      {staff.filter((s) => s.canWork).map((s) => <option key={s.id} value={s.id}>{s.displayName}</option>)}
    </>
  );
}

function TaskEditor({ caseId, task, staff, onDone, onCancel }: { caseId: string; task: Task; staff: CaseStaff[]; onDone: () => void; onCancel: () => void }) {
  const [dueOn, setDueOn] = useState(task.dueOn ?? '');
  const [assigneeId, setAssigneeId] = useState(task.assigneeId ?? '');
  const save = useMutation({
    mutationFn: () => api.patch<Task>(`/api/v1/cases/${caseId}/tasks/${task.id}`, { dueOn: dueOn || null, assigneeId: assigneeId || null } satisfies UpdateTask),
    onSuccess: onDone,
  });
  const errors = fieldErrorsOf(save.error);
  const prefix = `task-${task.id}`;
  return (
    <form className="task-editor" noValidate onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <ErrorSummary error={save.error} />
      <TextField id={`${prefix}-due`} label="Due date" type="date" value={dueOn} onChange={(e) => setDueOn(e.target.value)} error={errors.dueOn} />
      <SelectField id={`${prefix}-assignee`} label="Assignee" value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)} error={errors.assigneeId}>
        <AssigneeOptions staff={staff} />
      </SelectField>
      <div className="button-row">
        <button type="submit" className="button" disabled={save.isPending}>Save<span className="visually-hidden"> {task.title}</span></button>
        <button type="button" className="button button-link" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export function CaseTasks({ caseId }: { caseId: string }) {
  const can = useCan();
  const qc = useQueryClient();
  const tasks = useCaseTasks(caseId);
  const staff = useCaseStaff(caseId);
  const [form, setForm] = useState({ title: '', dueOn: '', assigneeId: '' });
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  // The tasks, the timeline and "My tasks"; nothing in the case's header changes with a task.
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: workKeys.tasks(caseId) }),
      qc.invalidateQueries({ queryKey: caseKeys.timelines(caseId) }),
      qc.invalidateQueries({ queryKey: workKeys.allMyTasks }),
    ]);
  const add = useMutation({
    mutationFn: () => api.post<Task>(`/api/v1/cases/${caseId}/tasks`, { title: form.title, dueOn: form.dueOn || null, assigneeId: form.assigneeId || null }),
    onSuccess: (t) => {
      setForm({ title: '', dueOn: '', assigneeId: '' });
      setNotice(`Task "${t.title}" added.`);
      void refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (t: Task) => api.patch<Task>(`/api/v1/cases/${caseId}/tasks/${t.id}`, { status: t.status === 'open' ? 'done' : 'open' }),
    onSuccess: (t) => {
      setNotice(t.status === 'done' ? `"${t.title}" marked done.` : `"${t.title}" is open again.`);
      void refresh();
    },
  });
  const remove = useConfirmedAction({
    mutationFn: (t: Task) => api.delete<void>(`/api/v1/cases/${caseId}/tasks/${t.id}`),
    onSuccess: (_r, t) => {
      setNotice(`Task "${t.title}" deleted.`);
      void refresh();
    },
  });
  const errors = fieldErrorsOf(add.error);
  const canWrite = can('case.write');
  const items = tasks.data ?? [];
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate();
  }
  return (
    <section aria-labelledby="case-tasks" className="case-panel case-work">
      <h2 id="case-tasks">Tasks</h2>
      <StatusMessage>{notice}</StatusMessage>
      {toggle.error ? <ErrorSummary error={toggle.error} /> : null}
      <QueryStatus query={tasks} loading="Loading tasks…" isEmpty={tasks.isSuccess && items.length === 0} empty="No tasks on this case." />
      {items.length ? (
        <ul className="work-list task-list" aria-label="Tasks, open first">
          {items.map((t) => (
            <li key={t.id} className={t.status === 'done' ? 'task-done' : undefined}>
              <p>
                <strong>{t.title}</strong> <span className={`badge task-${t.status}`}>{t.status === 'done' ? 'Done' : 'Open'}</span>
              </p>
              <p className="hint">
                {t.dueOn ? <>Due <time dateTime={t.dueOn}>{t.dueOn}</time></> : 'No due date'} · {t.assigneeName ?? 'Unassigned'}
                {t.completedBy ? ` · done by ${t.completedBy}` : ''}
              </p>
              {t.notes ? <p className="pre-wrap">{t.notes}</p> : null}
              {canWrite && editing === t.id ? (
                <TaskEditor caseId={caseId} task={t} staff={staff.data ?? []} onCancel={() => setEditing(null)} onDone={() => { setEditing(null); setNotice(`"${t.title}" saved.`); void refresh(); }} />
              ) : null}
              {canWrite && editing !== t.id ? (
                <div className="button-row">
                  <button type="button" className="button" onClick={() => toggle.mutate(t)} disabled={toggle.isPending}>
                    {t.status === 'open' ? 'Mark done' : 'Reopen'}<span className="visually-hidden"> {t.title}</span>
                  </button>
                  <button type="button" className="button button-link" onClick={() => setEditing(t.id)}>
                    Reassign or change due date<span className="visually-hidden"> of {t.title}</span>
                  </button>
                  <button type="button" className="button button-link" onClick={() => remove.ask(t)}>
                    Delete<span className="visually-hidden"> {t.title}</span>
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canWrite ? (
        <form onSubmit={submit} className="task-form" noValidate aria-labelledby="task-form-title">
          <h3 id="task-form-title">Add a task</h3>
          <ErrorSummary error={add.error} fields={FIELDS} />
          <TextField id="task-title" label="Task" value={form.title} maxLength={200} onChange={(e) => setForm({ ...form, title: e.target.value })} error={errors.title} />
          <TextField id="task-due" label="Due date" hint="Optional. The assignee is emailed a reminder when it is due." type="date" value={form.dueOn} onChange={(e) => setForm({ ...form, dueOn: e.target.value })} error={errors.dueOn} />
          <SelectField id="task-assignee" label="Assignee" value={form.assigneeId} onChange={(e) => setForm({ ...form, assigneeId: e.target.value })} error={errors.assigneeId}>
            <AssigneeOptions staff={staff.data ?? []} />
          </SelectField>
          <div className="button-row"><button type="submit" className="button" disabled={add.isPending}>{add.isPending ? 'Adding…' : 'Add task'}</button></div>
        </form>
      ) : null}
      {remove.target ? (
        <ConfirmDialog title="Delete this task?" confirmLabel="Delete" isDanger {...remove.confirmProps}>
          <p>"{remove.target.title}" will be removed from the case. The deletion is recorded in the case history.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
