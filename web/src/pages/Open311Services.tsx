// The office's case categories and how each is published over Open311: publish one as a
// service, change it, or withdraw it (its requests leave the public feed) after a confirmation.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Open311Service } from '../../../contract/open311.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { ConfirmDialog } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { categoryLabel, useCategories } from './CaseQueries.js';
import { intakeKeys, useOpen311Services } from './IntakeQueries.js';
import { Open311ServiceDialog, type ServiceTarget } from './Open311ServiceDialog.js';

/** Every current category, and any retired one that is still published. */
function rowsOf(categories: { id: string; path: string[]; name: string }[], services: Open311Service[]): ServiceTarget[] {
  const byCategory = new Map(services.map((s) => [s.categoryId, s]));
  const rows = categories.map((c) => ({ categoryId: c.id, label: categoryLabel(c), service: byCategory.get(c.id) ?? null }));
  const shown = new Set(categories.map((c) => c.id));
  return [...rows, ...services.filter((s) => !shown.has(s.categoryId)).map((s) => ({ categoryId: s.categoryId, label: `${s.categoryName} (retired)`, service: s }))];
}

export function Open311Services({ onNotice }: { onNotice: (message: string) => void }) {
  const queryClient = useQueryClient();
  const categories = useCategories(false);
  const services = useOpen311Services();
  const [editing, setEditing] = useState<ServiceTarget | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: intakeKeys.open311Services });
  const withdraw = useConfirmedAction({
    mutationFn: (t: ServiceTarget) => api.delete<void>(`/api/v1/open311/services/${t.categoryId}`),
    onSuccess: (_r, t) => {
      onNotice(`${t.label} is no longer published over Open311.`);
      void refresh();
    },
  });
  function saved(target: ServiceTarget, s: Open311Service) {
    onNotice(`${target.label} ${target.service ? 'saved' : 'published'} as Open311 service ${s.serviceCode}.`);
    setEditing(null);
    void refresh();
  }
  const rows = rowsOf(categories.data ?? [], services.data ?? []);
  const isLoaded = categories.isSuccess && services.isSuccess;
  return (
    <section aria-labelledby="open311-services-heading">
      <h2 id="open311-services-heading">Services</h2>
      <p>A category published as a service can be reported through Open311 clients, and its cases appear in the public request feed (never sensitive ones).</p>
      <QueryStatus query={categories} loading="Loading categories…" />
      <QueryStatus query={services} loading="Loading services…" isEmpty={isLoaded && rows.length === 0} empty="There are no case categories yet: add some under Case categories first." />
      {isLoaded && rows.length ? (
        <DataTable id="open311-services" caption="Case categories and their Open311 services" columns={['Category', 'Service code', 'Group', 'Attributes', 'Actions']}>
          {rows.map((r) => <ServiceRow key={r.categoryId} target={r} onEdit={() => setEditing(r)} onWithdraw={() => withdraw.ask(r)} />)}
        </DataTable>
      ) : null}
      {editing ? <Open311ServiceDialog target={editing} onClose={() => setEditing(null)} onSaved={(s) => saved(editing, s)} /> : null}
      {withdraw.target ? (
        <ConfirmDialog title={`Withdraw ${withdraw.target.label} from Open311?`} confirmLabel="Withdraw service" isDanger {...withdraw.confirmProps}>
          <p>Clients can no longer report it, and its requests leave the public feed. Its cases stay as they are; you can publish it again later.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function ServiceRow({ target: r, onEdit, onWithdraw }: { target: ServiceTarget; onEdit: () => void; onWithdraw: () => void }) {
  return (
    <tr>
      <th scope="row">{r.label}</th>
      <td>{r.service ? <code>{r.service.serviceCode}</code> : 'Not published'}</td>
      <td>{r.service?.group ?? '—'}</td>
      <td>{r.service?.attributes.length ? r.service.attributes.map((a) => a.code).join(', ') : '—'}</td>
      <td>
        <div className="button-row actions">
          <button type="button" className="button button-small" onClick={onEdit}>
            {r.service ? 'Edit' : 'Publish'}<span className="visually-hidden"> {r.label}</span>
          </button>
          {r.service ? (
            <button type="button" className="button button-small button-danger" onClick={onWithdraw}>
              Withdraw<span className="visually-hidden"> {r.label}</span>
            </button>
          ) : null}
        </div>
      </td>
    </tr>
  );
}
