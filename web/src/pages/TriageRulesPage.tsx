// Settings → Triage rules: the office's rules in the order they are tried on every new
// message, each with its switch, what it asks and does in words, and Move up / Move down,
// Edit and Delete; the form to add or edit one, with its dry run.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { describeActions, type TriageRule } from '../../../contract/triage.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorSummary, StatusMessage } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { OrderedRowActions, type MoveDirection } from '../components/OrderedRowActions.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useMoveInList } from '../hooks/useMoveInList.js';
import { describeConditions, triageKeys, useRuleChoices, useTriageRules, type RuleNames } from './TriageQueries.js';
import { TriageRuleForm } from './TriageRuleForm.js';
import './Case.css';
import './Triage.css';

const HEADING = 'triage-rules-heading';
const buttonId = (id: string, direction: MoveDirection | 'edit') => `triage-rule-${id}-${direction}`;

export function TriageRulesPage() {
  const rules = useTriageRules();
  const choices = useRuleChoices();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<TriageRule | 'new' | null>(null);
  // Where focus goes once the form has closed (the button that opened it, else the list's heading).
  const [focusAfter, setFocusAfter] = useState<string | null>(null);
  useEffect(() => {
    if (editing || !focusAfter) return;
    (document.getElementById(focusAfter) ?? document.getElementById(HEADING))?.focus();
    setFocusAfter(null);
  }, [editing, focusAfter]);
  function close(focusId: string) {
    setEditing(null);
    setFocusAfter(focusId);
  }
  function saved(r: TriageRule) {
    setNotice(editing === 'new' ? `Rule ${r.name} added${r.enabled ? ' and enabled' : ', switched off'}.` : `Rule ${r.name} saved.`);
    void queryClient.invalidateQueries({ queryKey: triageKeys.rules });
    close(editing === 'new' ? HEADING : buttonId(r.id, 'edit'));
  }
  return (
    <Page title="Triage rules" lead="Every new message goes through these rules from the top, before anyone sees it. A rule acts when all its conditions hold; later rules can change what an earlier one set, unless it stops there.">
      <StatusMessage>{notice}</StatusMessage>
      {editing ? (
        <TriageRuleForm key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? null : editing} choices={choices}
          onCancel={() => close(editing === 'new' ? 'triage-rule-add' : buttonId(editing.id, 'edit'))} onSaved={saved} />
      ) : (
        <OpenFormButton id="triage-rule-add" onClick={() => { setNotice(''); setEditing('new'); }}>Add a rule</OpenFormButton>
      )}
      <QueryStatus query={rules} loading="Loading the triage rules…" />
      {rules.data ? <RuleList rules={rules.data} names={choices.names} onEdit={setEditing} onNotice={setNotice} /> : null}
    </Page>
  );
}

function RuleList({ rules, names, onEdit, onNotice }: { rules: TriageRule[]; names: RuleNames; onEdit: (r: TriageRule) => void; onNotice: (m: string) => void }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: triageKeys.rules });
  const reorder = useMoveInList<TriageRule>({
    ids: rules.map((r) => r.id),
    buttonId,
    save: (ids) => api.put('/api/v1/triage/rules/order', { ids }),
    onMoved: (r) => {
      void refresh();
      onNotice(`Moved ${r.name}.`);
    },
  });
  const toggle = useMutation({
    mutationFn: (r: TriageRule) => api.patch<TriageRule>(`/api/v1/triage/rules/${r.id}`, { enabled: !r.enabled }),
    onSuccess: (r) => {
      void refresh();
      onNotice(r.enabled ? `Rule ${r.name} enabled.` : `Rule ${r.name} switched off.`);
    },
  });
  const remove = useConfirmedAction({
    mutationFn: (r: TriageRule) => api.delete(`/api/v1/triage/rules/${r.id}`),
    onSuccess: (_r, r) => {
      onNotice(`Rule ${r.name} deleted.`);
      void refresh().then(() => document.getElementById(HEADING)?.focus());
    },
  });
  return (
    <section aria-labelledby={HEADING}>
      <h2 id={HEADING} tabIndex={-1}>Rules</h2>
      <ErrorSummary error={reorder.error ?? toggle.error} />
      {rules.length === 0 ? <p>No rules yet: new messages get only the classifier's suggestion.</p> : (
        <DataTable id="triage-rules" caption="Rules, tried from the top" columns={['Order', 'Rule', 'Enabled', 'When', 'Then', 'Actions']}>
          {rules.map((r, i) => (
            <tr key={r.id}>
              <td>{i + 1}</td>
              <th scope="row">{r.name}</th>
              <td>
                <label className="check">
                  <input type="checkbox" role="switch" checked={r.enabled} disabled={toggle.isPending} onChange={() => toggle.mutate(r)} />
                  <span className="visually-hidden">{r.name} enabled</span>
                  <span aria-hidden="true">{r.enabled ? 'On' : 'Off'}</span>
                </label>
              </td>
              <td><WordList items={describeConditions(r.conditions, names)} /></td>
              <td><WordList items={describeActions(r.actions, names)} /></td>
              <td>
                <OrderedRowActions id={r.id} name={r.name} index={i} count={rules.length} buttonId={buttonId} onMove={(by) => reorder.move(r, by)} onDelete={() => remove.ask(r)}>
                  <button type="button" id={buttonId(r.id, 'edit')} className="button button-small" onClick={() => onEdit(r)}>Edit<span className="visually-hidden"> {r.name}</span></button>
                </OrderedRowActions>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {remove.target ? (
        <ConfirmDialog title={`Delete the rule ${remove.target.name}?`} confirmLabel="Delete rule" isDanger {...remove.confirmProps}>
          <p>New messages are no longer checked against it. What it did to earlier messages stays as it is.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function WordList({ items }: { items: string[] }) {
  return items.length === 1 ? <>{items[0]}</> : <ul className="triage-list">{items.map((t) => <li key={t}>{t}</li>)}</ul>;
}
