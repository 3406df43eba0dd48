// The fields of the case list's filter form.
import { CASE_CHANNELS, CASE_PRIORITIES, STATUS_CATEGORIES } from '../../../contract/cases.js';
import { useAllUsers } from '../api/queries.js';
import { SelectField, TextField } from '../components/FormFields.js';
import { useCan } from '../session.js';
import type { CaseFilters } from './CaseFilters.js';
import { categoryLabel, CHANNEL_LABELS, PRIORITY_LABELS, useCategories, useTeams, useWorkflow } from './CaseQueries.js';
import { useWards } from './ConstituentQueries.js';

const STATUS_CATEGORY_LABELS = { open: 'Open', waiting: 'Waiting', resolved: 'Resolved', closed: 'Closed' } as const;

export function CaseListFilters({ draft, edit, errors }: { draft: CaseFilters; edit: (change: Partial<CaseFilters>) => void; errors: Record<string, string> }) {
  const can = useCan();
  const workflow = useWorkflow();
  const categories = useCategories();
  const teams = useTeams(can('team.read'));
  const users = useAllUsers(can('user.read'));
  const wards = useWards();
  // A status key, or a whole group of statuses ("any open status").
  const statusValue = draft.status ? `s:${draft.status}` : draft.statusCategory ? `c:${draft.statusCategory}` : '';
  return (
    <>
      <TextField id="cases-q" label="Reference or subject" type="search" value={draft.q} onChange={(e) => edit({ q: e.target.value })} error={errors.q} />
      <SelectField
        id="cases-status"
        label="Status"
        value={statusValue}
        onChange={(e) => {
          const v = e.target.value;
          edit({ status: v.startsWith('s:') ? v.slice(2) : '', statusCategory: v.startsWith('c:') ? v.slice(2) : '' });
        }}
        error={errors.status ?? errors.statusCategory}
      >
        <option value="">Any status</option>
        <option value="c:open,waiting">Not yet resolved</option>
        {STATUS_CATEGORIES.map((c) => <option key={c} value={`c:${c}`}>Any {STATUS_CATEGORY_LABELS[c].toLowerCase()} status</option>)}
        {(workflow.data?.statuses ?? []).filter((s) => !s.retired).map((s) => <option key={s.key} value={`s:${s.key}`}>{s.label}</option>)}
      </SelectField>
      <SelectField id="cases-category" label="Category" value={draft.category} onChange={(e) => edit({ category: e.target.value })} error={errors.category}>
        <option value="">Any category</option>
        {(categories.data ?? []).map((c) => <option key={c.id} value={c.id}>{categoryLabel(c)}</option>)}
      </SelectField>
      <SelectField id="cases-assignee" label="Assignee" value={draft.assignee} onChange={(e) => edit({ assignee: e.target.value })} error={errors.assignee}>
        <option value="">Anyone</option>
        <option value="none">Unassigned</option>
        {(users.data ?? []).map((u) => <option key={u.id} value={u.id}>{u.displayName}</option>)}
      </SelectField>
      <SelectField id="cases-team" label="Team" value={draft.team} onChange={(e) => edit({ team: e.target.value })} error={errors.team}>
        <option value="">Any team</option>
        <option value="none">No team</option>
        {(teams.data?.items ?? []).map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
      </SelectField>
      <SelectField id="cases-ward" label="Ward" value={draft.ward} onChange={(e) => edit({ ward: e.target.value })} error={errors.ward}>
        <option value="">Any ward</option>
        {(wards.data ?? []).map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
      </SelectField>
      <SelectField id="cases-priority" label="Priority" value={draft.priority} onChange={(e) => edit({ priority: e.target.value })} error={errors.priority}>
        <option value="">Any priority</option>
        <option value="high,urgent">High or urgent</option>
        {CASE_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
      </SelectField>
      <SelectField id="cases-channel" label="Channel" value={draft.channel} onChange={(e) => edit({ channel: e.target.value })} error={errors.channel}>
        <option value="">Any channel</option>
        {CASE_CHANNELS.map((c) => <option key={c} value={c}>{CHANNEL_LABELS[c]}</option>)}
      </SelectField>
      <SelectField id="cases-overdue" label="Overdue" value={draft.overdue} onChange={(e) => edit({ overdue: e.target.value })} error={errors.overdue}>
        <option value="">Overdue or not</option>
        <option value="true">Only overdue</option>
      </SelectField>
      <TextField id="cases-created-from" label="Created from" type="date" value={draft.createdFrom} onChange={(e) => edit({ createdFrom: e.target.value })} error={errors.createdFrom} />
      <TextField id="cases-created-to" label="Created to" type="date" value={draft.createdTo} onChange={(e) => edit({ createdTo: e.target.value })} error={errors.createdTo} />
      <SelectField id="cases-mine" label="Assigned to me" value={draft.mine} onChange={(e) => edit({ mine: e.target.value })} error={errors.mine}>
        <option value="">Anyone's cases</option>
        <option value="true">Only mine</option>
      </SelectField>
      <SelectField id="cases-sort" label="Sort by" value={draft.sort} onChange={(e) => edit({ sort: e.target.value })} error={errors.sort}>
        <option value="">Created</option>
        <option value="updated">Last updated</option>
        <option value="priority">Priority</option>
        <option value="resolution_due">Resolution due</option>
      </SelectField>
      <SelectField id="cases-order" label="Order" value={draft.order} onChange={(e) => edit({ order: e.target.value })} error={errors.order}>
        <option value="">Newest or highest first</option>
        <option value="asc">Oldest or lowest first</option>
      </SelectField>
    </>
  );
}
