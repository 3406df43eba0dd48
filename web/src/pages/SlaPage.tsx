// SLA settings: targets per category and priority (time to first response and to
// resolution, on the office's business-hours clock or the calendar) and the holidays the
// business-hours clock skips.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SlaPolicy } from '../../../contract/sla.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorSummary, StatusMessage } from '../components/FormFields.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { caseKeys, PRIORITY_LABELS } from './CaseQueries.js';
import { SlaHolidays } from './SlaHolidays.js';
import { SlaPolicyForm } from './SlaPolicyForm.js';
import './Case.css';

export const hoursText = (minutes: number) => {
  const h = minutes / 60;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} ${h === 1 ? 'hour' : 'hours'}`;
};

export function SlaPage() {
  const queryClient = useQueryClient();
  const policies = useQuery({ queryKey: caseKeys.slaPolicies, queryFn: async () => (await api.get<{ items: SlaPolicy[] }>('/api/v1/sla/policies')).items });
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const [notice, setNotice] = useState('');
  const remove = useMutation({
    mutationFn: (p: SlaPolicy) => api.delete<void>(`/api/v1/sla/policies/${p.id}`),
    onSuccess: () => { setNotice('Policy deleted.'); void queryClient.invalidateQueries({ queryKey: caseKeys.slaPolicies }); },
  });
  const items = policies.data ?? [];
  const name = (p: SlaPolicy) => `${p.categoryName ?? 'Office default'}, ${PRIORITY_LABELS[p.priority].toLowerCase()} priority`;
  return (
    <Page title="Service levels" lead="How quickly the office aims to respond to and resolve cases, per category and priority. Business hours and the time zone are in Office settings.">
      {notice ? <StatusMessage>{notice}</StatusMessage> : null}
      <section aria-labelledby="sla-policies">
        <h2 id="sla-policies">Policies</h2>
        {editing === 'new' ? (
          <SlaPolicyForm onDone={(msg) => { setEditing(null); if (msg) setNotice(msg); }} />
        ) : (
          <OpenFormButton onClick={() => setEditing('new')}>Add a policy</OpenFormButton>
        )}
        <ErrorSummary error={remove.error} />
        <QueryStatus query={policies} loading="Loading policies…" isEmpty={policies.isSuccess && items.length === 0} empty="No policies yet: cases have no due times." />
        {items.length ? (
          <DataTable id="policies" caption="SLA policies" columns={['Applies to', 'First response', 'Resolution', 'Clock', 'Paused while waiting', 'Warn at', 'Actions']}>
            {items.map((p) => (
              <tr key={p.id}>
                <th scope="row">{name(p)}</th>
                <td>{hoursText(p.firstResponseMinutes)}</td>
                <td>{hoursText(p.resolutionMinutes)}</td>
                <td>{p.clock === 'business' ? 'Business hours' : 'Calendar'}</td>
                <td>{p.pauseWhileWaiting ? 'Yes' : 'No'}</td>
                <td>{p.warnPercent}%{p.warnMinutesBefore ? ` or ${hoursText(p.warnMinutesBefore)} before` : ''}</td>
                <td>
                  <div className="button-row actions">
                    <button type="button" className="button button-small" onClick={() => setEditing(p)}>Edit<span className="visually-hidden"> {name(p)}</span></button>
                    <button type="button" className="button button-small button-danger" disabled={remove.isPending} onClick={() => remove.mutate(p)}>Delete<span className="visually-hidden"> {name(p)}</span></button>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
        {editing && editing !== 'new' ? <SlaPolicyForm policy={editing} onDone={(msg) => { setEditing(null); if (msg) setNotice(msg); }} /> : null}
      </section>
      <SlaHolidays onNotice={setNotice} />
    </Page>
  );
}
