// Settings → Assignment: the rules that send new cases to a team (tried in order; move up
// and down to reorder), the default team, and how each team shares out its cases.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { AssignmentRule, AssignmentSettings, AssignmentStrategy } from '../../../contract/assignment.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextField } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { OrderedRowActions, type MoveDirection } from '../components/OrderedRowActions.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useMoveInList } from '../hooks/useMoveInList.js';
import { categoryLabel, useCategories } from './CaseQueries.js';
import { useWards } from './ConstituentQueries.js';
import './Case.css';

const KEY = ['assignment'] as const;
const STRATEGY_LABELS: Record<AssignmentStrategy, string> = { round_robin: 'Round-robin (take turns)', least_loaded: 'Least loaded (fewest open cases)' };

function useSave<T>(fn: (v: T) => Promise<unknown>, onDone: (m: string) => void, message: (v: T) => string) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: (_r, v) => { void queryClient.invalidateQueries({ queryKey: KEY }); onDone(message(v)); } });
}

export function AssignmentPage() {
  const settings = useQuery({ queryKey: KEY, queryFn: () => api.get<AssignmentSettings>('/api/v1/assignment') });
  const [notice, setNotice] = useState('');
  return (
    <Page title="Assignment" lead="New cases without an assignee go to the team of the first rule that matches their category (or one above it) and ward, else to the default team; within the team, to someone who is not away.">
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      <QueryStatus query={settings} loading="Loading the assignment rules…" />
      {settings.data ? (
        <>
          <Rules settings={settings.data} onNotice={setNotice} />
          <RuleForm settings={settings.data} onNotice={setNotice} />
          <Teams settings={settings.data} onNotice={setNotice} />
        </>
      ) : null}
    </Page>
  );
}

const ruleButtonId = (id: string, direction: MoveDirection) => `rule-${id}-${direction}`;

function Rules({ settings, onNotice }: { settings: AssignmentSettings; onNotice: (m: string) => void }) {
  const queryClient = useQueryClient();
  const reorder = useMoveInList<AssignmentRule>({
    ids: settings.rules.map((r) => r.id),
    buttonId: ruleButtonId,
    save: (ids) => api.put('/api/v1/assignment/rules/order', { ids }),
    onMoved: (r) => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      onNotice(`Moved ${r.name}.`);
    },
  });
  const remove = useConfirmedAction({
    mutationFn: (r: AssignmentRule) => api.delete(`/api/v1/assignment/rules/${r.id}`),
    onSuccess: (_r, r) => {
      onNotice(`Rule ${r.name} deleted.`);
      // Its row (and the Delete button focus went back to) is gone once the list reloads.
      void queryClient.invalidateQueries({ queryKey: KEY }).then(() => document.getElementById('rules-heading')?.focus());
    },
  });
  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading" tabIndex={-1}>Rules</h2>
      <ErrorSummary error={reorder.error} />
      {settings.rules.length === 0 ? <p>No rules yet: new cases go to the default team, if there is one.</p> : (
        <DataTable id="rules" caption="Rules, tried from the top" columns={['Order', 'Rule', 'Category and below', 'Ward', 'Team', 'Actions']}>
          {settings.rules.map((r, i) => (
            <tr key={r.id}>
              <td>{i + 1}</td>
              <th scope="row">{r.name}</th>
              <td>{r.category ? categoryLabel(r.category) : 'Any'}</td>
              <td>{r.ward?.name ?? 'Any'}</td>
              <td>{r.team.name}</td>
              <td>
                <OrderedRowActions id={r.id} name={r.name} index={i} count={settings.rules.length} buttonId={ruleButtonId} onMove={(by) => reorder.move(r, by)} onDelete={() => remove.ask(r)} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {remove.target ? (
        <ConfirmDialog title={`Delete the rule ${remove.target.name}?`} confirmLabel="Delete rule" isDanger {...remove.confirmProps}>
          <p>New cases stop going to {remove.target.team.name} by this rule. Cases already assigned keep their assignee.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

const RULE_FIELDS = {
  name: { id: 'rule-name', label: 'Name' }, categoryId: { id: 'rule-category', label: 'Category' }, wardId: { id: 'rule-ward', label: 'Ward' }, teamId: { id: 'rule-team', label: 'Team' },
};

function RuleForm({ settings, onNotice }: { settings: AssignmentSettings; onNotice: (m: string) => void }) {
  const categories = useCategories();
  const wards = useWards();
  const [v, setV] = useState({ name: '', categoryId: '', wardId: '', teamId: '' });
  const add = useSave(() => api.post('/api/v1/assignment/rules', { name: v.name, categoryId: v.categoryId || null, wardId: v.wardId || null, teamId: v.teamId }), onNotice, () => `Rule ${v.name.trim()} added.`);
  const errors = fieldErrorsOf(add.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate(undefined, { onSuccess: () => setV({ name: '', categoryId: '', wardId: '', teamId: '' }) });
  }
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="rule-add">
      <h2 id="rule-add">Add a rule</h2>
      <ErrorSummary error={add.error} fields={RULE_FIELDS} />
      <TextField id={RULE_FIELDS.name.id} label="Name" hint="Shown on the case timeline: “assigned by rule …”." value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} error={errors.name} />
      <SelectField id={RULE_FIELDS.categoryId.id} label="Category (and the ones below it)" value={v.categoryId} onChange={(e) => setV({ ...v, categoryId: e.target.value })} error={errors.categoryId}>
        <option value="">Any category</option>
        {(categories.data ?? []).filter((c) => !c.retired).map((c) => <option key={c.id} value={c.id}>{categoryLabel(c)}</option>)}
      </SelectField>
      <SelectField id={RULE_FIELDS.wardId.id} label="Ward" value={v.wardId} onChange={(e) => setV({ ...v, wardId: e.target.value })} error={errors.wardId}>
        <option value="">Any ward</option>
        {(wards.data ?? []).map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
      </SelectField>
      <SelectField id={RULE_FIELDS.teamId.id} label="Team" value={v.teamId} onChange={(e) => setV({ ...v, teamId: e.target.value })} error={errors.teamId}>
        <option value="">Choose a team</option>
        {settings.teams.map((t) => <option key={t.team.id} value={t.team.id}>{t.team.name}</option>)}
      </SelectField>
      <FormActions label="Add rule" busyLabel="Adding…" isBusy={add.isPending} />
    </form>
  );
}

function Teams({ settings, onNotice }: { settings: AssignmentSettings; onNotice: (m: string) => void }) {
  const setDefault = useSave((id: string) => api.put('/api/v1/assignment/default-team', { defaultTeamId: id || null }), onNotice, () => 'Default team saved.');
  const setStrategy = useSave((x: { id: string; name: string; strategy: string }) => api.put(`/api/v1/assignment/teams/${x.id}`, { strategy: x.strategy }), onNotice, (x) => `${x.name} now shares cases ${x.strategy === 'round_robin' ? 'in turn' : 'by load'}.`);
  return (
    <section aria-labelledby="teams-heading">
      <h2 id="teams-heading">Teams</h2>
      <ErrorSummary error={setDefault.error ?? setStrategy.error} />
      <SelectField id="default-team" label="Default team (when no rule matches)" value={settings.defaultTeam?.id ?? ''} onChange={(e) => setDefault.mutate(e.target.value)}>
        <option value="">None: leave the case unassigned</option>
        {settings.teams.map((t) => <option key={t.team.id} value={t.team.id}>{t.team.name}</option>)}
      </SelectField>
      <DataTable id="team-strategies" caption="How each team shares out its cases" columns={['Team', 'Strategy']}>
        {settings.teams.map((t) => (
          <tr key={t.team.id}>
            <th scope="row">{t.team.name}</th>
            <td>
              <label className="visually-hidden" htmlFor={`strategy-${t.team.id}`}>Strategy of {t.team.name}</label>
              <select id={`strategy-${t.team.id}`} value={t.strategy} onChange={(e) => setStrategy.mutate({ id: t.team.id, name: t.team.name, strategy: e.target.value })}>
                {(Object.keys(STRATEGY_LABELS) as AssignmentStrategy[]).map((s) => <option key={s} value={s}>{STRATEGY_LABELS[s]}</option>)}
              </select>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
