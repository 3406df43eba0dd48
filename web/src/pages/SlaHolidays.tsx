// The office's holidays: days the business-hours SLA clock skips.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Holiday } from '../../../contract/sla.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, TextField } from '../components/FormFields.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { caseKeys } from './CaseQueries.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeZone: 'UTC' });

export function SlaHolidays({ onNotice }: { onNotice: (m: string) => void }) {
  const queryClient = useQueryClient();
  const holidays = useQuery({ queryKey: caseKeys.holidays, queryFn: async () => (await api.get<{ items: Holiday[] }>('/api/v1/sla/holidays')).items });
  const refresh = () => queryClient.invalidateQueries({ queryKey: caseKeys.holidays });
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const add = useMutation({
    mutationFn: () => api.post('/api/v1/sla/holidays', { date, name }),
    onSuccess: async () => { await refresh(); onNotice(`Holiday ${name.trim()} added.`); setDate(''); setName(''); },
  });
  const remove = useMutation({
    mutationFn: (h: Holiday) => api.delete<void>(`/api/v1/sla/holidays/${h.date}`),
    onSuccess: async (_r, h) => { await refresh(); onNotice(`Holiday ${h.name} removed.`); },
  });
  const errors = fieldErrorsOf(add.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    add.mutate();
  }
  const items = holidays.data ?? [];
  return (
    <section aria-labelledby="sla-holidays">
      <h2 id="sla-holidays">Holidays</h2>
      <form className="form card" onSubmit={submit} noValidate aria-labelledby="sla-add-holiday">
        <h3 id="sla-add-holiday">Add a holiday</h3>
        <ErrorSummary error={add.error} fields={{ date: { id: 'holiday-date', label: 'Date' }, name: { id: 'holiday-name', label: 'Name' } }} />
        <TextField id="holiday-date" label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={errors.date} />
        <TextField id="holiday-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <FormActions label="Add holiday" busyLabel="Adding…" isBusy={add.isPending} />
      </form>
      <ErrorSummary error={remove.error} />
      <QueryStatus query={holidays} loading="Loading holidays…" isEmpty={holidays.isSuccess && items.length === 0} empty="No holidays yet." />
      {items.length ? (
        <DataTable id="holidays" caption="Holidays" columns={['Date', 'Name', 'Actions']}>
          {items.map((h) => (
            <tr key={h.date}>
              <th scope="row"><time dateTime={h.date}>{dateFormat.format(new Date(`${h.date}T00:00:00Z`))}</time></th>
              <td>{h.name}</td>
              <td>
                <button type="button" className="button button-small button-danger" disabled={remove.isPending} onClick={() => remove.mutate(h)}>
                  Remove<span className="visually-hidden"> {h.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
