// The allowed moves between statuses, as a grid of checkboxes (from each row's status to
// each column's), saved as a whole.
import { useState, type FormEvent } from 'react';
import type { Workflow } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary } from '../components/FormFields.js';
import { useSaveWorkflow } from './CaseQueries.js';

const pair = (from: string, to: string) => `${from}>${to}`;

export function CaseTransitionsForm({ workflow, onNotice }: { workflow: Workflow; onNotice: (m: string) => void }) {
  const statuses = workflow.statuses.filter((s) => !s.retired);
  const [allowed, setAllowed] = useState(() => new Set(workflow.transitions.map((t) => pair(t.from, t.to))));
  const save = useSaveWorkflow(() => api.put<Workflow>('/api/v1/case-workflow/transitions', {
    transitions: [...allowed].map((p) => { const [from, to] = p.split('>'); return { from: from!, to: to! }; }),
  }));
  function toggle(p: string, on: boolean) {
    setAllowed((s) => { const next = new Set(s); if (on) next.add(p); else next.delete(p); return next; });
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate(undefined, { onSuccess: () => onNotice('Transitions saved.') });
  }
  return (
    <section aria-labelledby="wf-transitions">
      <h2 id="wf-transitions">Allowed moves</h2>
      <p className="hint">Tick a box to let a case move from the row's status to the column's.</p>
      <form onSubmit={submit} noValidate>
        <ErrorSummary error={save.error} />
        <div className="table-wrap" role="region" aria-labelledby="transitions-caption" tabIndex={0}>
          <table className="table table-compact">
            <caption id="transitions-caption">Moves from a status (rows) to another (columns)</caption>
            <thead>
              <tr>
                <td />
                {statuses.map((s) => <th key={s.key} scope="col">To {s.label}</th>)}
              </tr>
            </thead>
            <tbody>
              {statuses.map((from) => (
                <tr key={from.key}>
                  <th scope="row">From {from.label}</th>
                  {statuses.map((to) => (
                    <td key={to.key}>
                      {from.key === to.key ? '—' : (
                        <label className="check-only">
                          <input type="checkbox" checked={allowed.has(pair(from.key, to.key))} onChange={(e) => toggle(pair(from.key, to.key), e.target.checked)} />
                          <span className="visually-hidden">From {from.label} to {to.label}</span>
                        </label>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <FormActions label="Save moves" busyLabel="Saving…" isBusy={save.isPending} />
      </form>
    </section>
  );
}
