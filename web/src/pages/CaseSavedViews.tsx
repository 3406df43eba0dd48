// Saved views of the case list: the user's own and those shared with their teams. A view
// stores the list's filters; showing it puts them in the URL.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CaseView, CaseViewFilters } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextField } from '../components/FormFields.js';
import { useCan, useSession } from '../session.js';
import { fromApiFilters, toApiQuery, type CaseFilters } from './CaseFilters.js';
import { caseKeys, useTeams } from './CaseQueries.js';

export function CaseSavedViews({ filters, onShow }: { filters: CaseFilters; onShow: (f: Partial<CaseFilters>) => void }) {
  const can = useCan();
  const session = useSession();
  const queryClient = useQueryClient();
  const views = useQuery({ queryKey: caseKeys.views, queryFn: async () => (await api.get<{ items: CaseView[] }>('/api/v1/case-views')).items });
  const teams = useTeams(can('team.read'));
  const myTeams = (teams.data?.items ?? []).filter((t) => t.members.some((m) => m.userId === session.user.id));
  const [isSaving, setIsSaving] = useState(false);
  const [name, setName] = useState('');
  const [teamId, setTeamId] = useState('');
  const [notice, setNotice] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: caseKeys.views });
  const save = useMutation({
    mutationFn: () => api.post<CaseView>('/api/v1/case-views', { name, teamId: teamId || null, filters: toApiQuery(filters) as CaseViewFilters }),
    onSuccess: async (v) => { await refresh(); setIsSaving(false); setName(''); setNotice(`View ${v.name} saved.`); },
  });
  const remove = useMutation({
    mutationFn: (v: CaseView) => api.delete<void>(`/api/v1/case-views/${v.id}`),
    onSuccess: async (_r, v) => { await refresh(); setNotice(`View ${v.name} deleted.`); },
  });
  const errors = fieldErrorsOf(save.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  const items = views.data ?? [];
  return (
    <section aria-labelledby="saved-views" className="saved-views">
      <h2 id="saved-views">Saved views</h2>
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      {items.length ? (
        <ul className="inline-list">
          {items.map((v) => (
            <li key={v.id}>
              <button type="button" className="button button-small" onClick={() => onShow(fromApiFilters(v.filters))}>
                {v.name}{v.team ? <span className="hint"> ({v.team.name})</span> : null}
              </button>
              {v.canEdit ? (
                <button type="button" className="button button-small button-link" disabled={remove.isPending} onClick={() => remove.mutate(v)}>
                  Delete<span className="visually-hidden"> view {v.name}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : views.isSuccess ? <p className="hint">No saved views yet.</p> : null}
      <ErrorSummary error={remove.error} />
      {isSaving ? (
        <form className="form card" onSubmit={submit} noValidate aria-label="Save these filters as a view">
          <ErrorSummary error={save.error} fields={{ name: { id: 'view-name', label: 'Name' }, teamId: { id: 'view-team', label: 'Share with' } }} />
          <TextField id="view-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
          <SelectField id="view-team" label="Share with" value={teamId} onChange={(e) => setTeamId(e.target.value)} error={errors.teamId}>
            <option value="">Only me</option>
            {myTeams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </SelectField>
          <FormActions label="Save view" busyLabel="Saving…" isBusy={save.isPending} onCancel={() => setIsSaving(false)} />
        </form>
      ) : (
        <button type="button" className="button button-small" onClick={() => { setNotice(''); setIsSaving(true); }}>Save these filters as a view</button>
      )}
    </section>
  );
}
