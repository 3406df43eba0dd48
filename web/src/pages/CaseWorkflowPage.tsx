// The office's case workflow: statuses (each in one of the groups open, waiting, resolved,
// closed), which moves between them are allowed, the resolution codes, and how near and
// recent a case must be to be offered as a possible duplicate.
import { useState, type FormEvent } from 'react';
import { STATUS_CATEGORIES, type CaseStatus, type ResolutionCode, type StatusCategory, type Workflow } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useSaveWorkflow, useWorkflow } from './CaseQueries.js';
import { CaseRelatedSettingsForm } from './CaseRelatedSettingsForm.js';
import { CaseTransitionsForm } from './CaseTransitionsForm.js';
import './Case.css';

export const GROUP_LABELS: Record<StatusCategory, string> = { open: 'Open', waiting: 'Waiting', resolved: 'Resolved', closed: 'Closed' };

export function CaseWorkflowPage() {
  const workflow = useWorkflow();
  const [notice, setNotice] = useState('');
  return (
    <Page title="Case workflow" lead="The statuses a case moves through, the moves allowed between them, and the codes that say how a case was resolved.">
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      <QueryStatus query={workflow} loading="Loading the workflow…" />
      {workflow.data ? (
        <>
          <Statuses workflow={workflow.data} onNotice={setNotice} />
          <CaseTransitionsForm workflow={workflow.data} onNotice={setNotice} />
          <ResolutionCodes workflow={workflow.data} onNotice={setNotice} />
        </>
      ) : null}
      <CaseRelatedSettingsForm onNotice={setNotice} />
    </Page>
  );
}

function Statuses({ workflow, onNotice }: { workflow: Workflow; onNotice: (m: string) => void }) {
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [category, setCategory] = useState<StatusCategory>('open');
  const [pausesSla, setPausesSla] = useState(false);
  const canPause = category === 'open' || category === 'waiting';
  const add = useSaveWorkflow(() => api.post<Workflow>('/api/v1/case-workflow/statuses', { key, label, category, pausesSla: canPause && pausesSla }));
  const update = useSaveWorkflow((v: { s: CaseStatus; change: { retired?: boolean; pausesSla?: boolean } }) => api.patch<Workflow>(`/api/v1/case-workflow/statuses/${v.s.key}`, v.change));
  const errors = fieldErrorsOf(add.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate(undefined, { onSuccess: () => { onNotice(`Status ${label.trim()} added.`); setKey(''); setLabel(''); } });
  }
  return (
    <section aria-labelledby="wf-statuses">
      <h2 id="wf-statuses">Statuses</h2>
      <ErrorSummary error={update.error} />
      <DataTable id="statuses" caption="Statuses, in order" columns={['Status', 'Key', 'Group', 'SLA clock', 'State', 'Actions']}>
        {workflow.statuses.map((s) => (
          <tr key={s.key}>
            <th scope="row">{s.label}{s.isInitial ? <span className="badge badge-info">New cases start here</span> : null}</th>
            <td className="mono">{s.key}</td>
            <td>{GROUP_LABELS[s.category]}</td>
            <td>{s.pausesSla ? 'Paused' : s.category === 'open' || s.category === 'waiting' ? 'Runs' : '—'}</td>
            <td>{s.retired ? 'Retired' : 'In use'}</td>
            <td>
              <div className="button-row actions">
                {s.category === 'open' || s.category === 'waiting' ? (
                  <button type="button" className="button button-small" onClick={() => update.mutate({ s, change: { pausesSla: !s.pausesSla } }, { onSuccess: () => onNotice(`${s.label} ${s.pausesSla ? 'no longer pauses' : 'now pauses'} the SLA clock.`) })}>
                    {s.pausesSla ? 'Keep the clock running' : 'Pause the clock'}<span className="visually-hidden"> in {s.label}</span>
                  </button>
                ) : null}
                {s.isInitial ? null : (
                  <button type="button" className="button button-small" onClick={() => update.mutate({ s, change: { retired: !s.retired } }, { onSuccess: () => onNotice(`${s.label} ${s.retired ? 'restored' : 'retired'}.`) })}>
                    {s.retired ? 'Restore' : 'Retire'}<span className="visually-hidden"> {s.label}</span>
                  </button>
                )}
              </div>
            </td>
          </tr>
        ))}
      </DataTable>
      <form className="form card" onSubmit={submit} noValidate aria-labelledby="wf-add-status">
        <h3 id="wf-add-status">Add a status</h3>
        <ErrorSummary error={add.error} fields={{ key: { id: 'status-key', label: 'Key' }, label: { id: 'status-label', label: 'Label' }, category: { id: 'status-group', label: 'Group' } }} />
        <TextField id="status-label" label="Label" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.label} />
        <TextField id="status-key" label="Key" hint="Lower-case letters, digits and underscores, such as waiting_on_council. Used by the API; cannot change." value={key} onChange={(e) => setKey(e.target.value)} error={errors.key} />
        <SelectField id="status-group" label="Group" value={category} onChange={(e) => setCategory(e.target.value as StatusCategory)} error={errors.category}>
          {STATUS_CATEGORIES.map((c) => <option key={c} value={c}>{GROUP_LABELS[c]}</option>)}
        </SelectField>
        {canPause ? (
          <label className="check">
            <input type="checkbox" checked={pausesSla} onChange={(e) => setPausesSla(e.target.checked)} /> Pause the SLA clock while a case is in this status
          </label>
        ) : null}
        <FormActions label="Add status" busyLabel="Adding…" isBusy={add.isPending} />
      </form>
    </section>
  );
}

function ResolutionCodes({ workflow, onNotice }: { workflow: Workflow; onNotice: (m: string) => void }) {
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const add = useSaveWorkflow(() => api.post<Workflow>('/api/v1/case-workflow/resolution-codes', { code, label }));
  const update = useSaveWorkflow((v: { c: ResolutionCode; retired: boolean }) => api.patch<Workflow>(`/api/v1/case-workflow/resolution-codes/${v.c.code}`, { retired: v.retired }));
  const errors = fieldErrorsOf(add.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate(undefined, { onSuccess: () => { onNotice(`Resolution code ${label.trim()} added.`); setCode(''); setLabel(''); } });
  }
  return (
    <section aria-labelledby="wf-codes">
      <h2 id="wf-codes">Resolution codes</h2>
      <ErrorSummary error={update.error} />
      <DataTable id="codes" caption="Resolution codes" columns={['Resolution', 'Code', 'State', 'Actions']}>
        {workflow.resolutionCodes.map((c) => (
          <tr key={c.code}>
            <th scope="row">{c.label}</th>
            <td className="mono">{c.code}</td>
            <td>{c.retired ? 'Retired' : 'In use'}</td>
            <td>
              <button type="button" className="button button-small" onClick={() => update.mutate({ c, retired: !c.retired }, { onSuccess: () => onNotice(`${c.label} ${c.retired ? 'restored' : 'retired'}.`) })}>
                {c.retired ? 'Restore' : 'Retire'}<span className="visually-hidden"> {c.label}</span>
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      <form className="form card" onSubmit={submit} noValidate aria-labelledby="wf-add-code">
        <h3 id="wf-add-code">Add a resolution code</h3>
        <ErrorSummary error={add.error} fields={{ code: { id: 'code-key', label: 'Code' }, label: { id: 'code-label', label: 'Label' } }} />
        <TextField id="code-label" label="Label" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.label} />
        <TextField id="code-key" label="Code" hint="Lower-case letters, digits and underscores, such as referred_to_council." value={code} onChange={(e) => setCode(e.target.value)} error={errors.code} />
        <FormActions label="Add resolution code" busyLabel="Adding…" isBusy={add.isPending} />
      </form>
    </section>
  );
}
