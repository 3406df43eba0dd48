// "My tasks": the signed-in user's tasks across cases, open or done, soonest due first, a
// page at a time ("Load more"), each linking to its case. Overdue is judged by the office's
// calendar, not the browser's.
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Task } from '../../../contract/case-work.js';
import { LoadMore } from '../components/LoadMore.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { todayIn } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useSession } from '../session.js';
import { workKeys } from './CaseWorkQueries.js';
import './CaseWork.css';

export function MyTasksPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') === 'done' ? 'done' : 'open';
  // The chosen radio shows at once: the router applies the URL change in a transition, and a
  // radio bound only to the URL would flick back until it lands.
  const [shown, setShown] = useState(status);
  useEffect(() => setShown(status), [status]);
  const today = todayIn(useSession().office.timeZone);
  const { query: tasks, items, loadMore } = useCursorList<Task>(workKeys.myTasks(status), '/api/v1/tasks', { assignee: 'me', status, limit: 50 });
  return (
    <Page title="My tasks">
      <fieldset className="segmented">
        <legend>Show</legend>
        {(['open', 'done'] as const).map((s) => (
          <label key={s}>
            <input type="radio" name="task-status" value={s} checked={shown === s} onChange={() => { setShown(s); setParams(s === 'open' ? {} : { status: s }); }} />
            {s === 'open' ? 'Open tasks' : 'Done tasks'}
          </label>
        ))}
      </fieldset>
      <QueryStatus query={tasks} loading="Loading your tasks…" isEmpty={tasks.isSuccess && items.length === 0} empty={status === 'open' ? 'You have no open tasks.' : 'No done tasks yet.'} />
      {items.length ? (
        <table className="data-table">
          <caption className="visually-hidden">{status === 'open' ? 'Your open tasks, soonest due first' : 'Your done tasks'}</caption>
          <thead><tr><th scope="col">Task</th><th scope="col">Due</th><th scope="col">Case</th></tr></thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id}>
                <td>{t.title}</td>
                <td>
                  {t.dueOn ? <time dateTime={t.dueOn}>{t.dueOn}</time> : '—'}
                  {t.status === 'open' && t.dueOn && t.dueOn < today ? <span className="badge badge-disabled"> Overdue</span> : null}
                </td>
                <td><Link to={`/cases/${t.caseId}`}>{t.caseReference}</Link> {t.caseSubject}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <LoadMore noun="tasks" {...loadMore} />
    </Page>
  );
}
