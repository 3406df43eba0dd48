// Office-defined custom fields of constituent records: list, define, edit, retire. A retired
// field disappears from forms but its values stay on the records that have them.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CustomFieldDefinition } from '../../../contract/constituents.js';
import { api } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { StatusMessage } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { constituentKeys, FIELD_TYPE_LABELS, useCustomFields } from './ConstituentQueries.js';
import { CreateCustomFieldForm, EditCustomFieldDialog } from './CustomFieldForms.js';

export function CustomFieldsPage() {
  const queryClient = useQueryClient();
  const fields = useCustomFields();
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<CustomFieldDefinition | null>(null);
  const [status, setStatus] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: constituentKeys.customFields });
  const retire = useConfirmedAction({
    mutationFn: (d: CustomFieldDefinition) => api.patch<CustomFieldDefinition>(`/api/v1/custom-fields/${d.id}`, { retired: !d.retired }),
    onSuccess: (d) => {
      setStatus(d.retired ? `Field ${d.label} retired.` : `Field ${d.label} is in use again.`);
      void refresh();
    },
  });
  const items = [...(fields.data ?? [])].sort((a, b) => Number(a.retired) - Number(b.retired) || a.position - b.position || a.label.localeCompare(b.label));

  return (
    <Page title="Custom fields" lead="Extra fields on constituent records, defined by this office. They appear on the constituent form and record, in imports and exports, and as a search filter.">
      <StatusMessage>{status}</StatusMessage>
      {!isCreating ? <OpenFormButton onClick={() => setCreating(true)}>Add a custom field</OpenFormButton> : null}
      {isCreating ? (
        <CreateCustomFieldForm
          onCancel={() => setCreating(false)}
          onCreated={(d) => {
            setCreating(false);
            setStatus(`Field ${d.label} added.`);
            void refresh();
          }}
        />
      ) : null}
      <QueryStatus query={fields} loading="Loading custom fields…" isEmpty={fields.isSuccess && items.length === 0} empty="No custom fields yet." />
      {items.length ? (
        <DataTable id="custom-fields" caption="Custom fields" columns={['Label', 'Key', 'Type', 'Options', 'Required', 'Order', 'Status', 'Actions']}>
          {items.map((d) => (
            <tr key={d.id}>
              <th scope="row">{d.label}</th>
              <td><code>{d.key}</code></td>
              <td>{FIELD_TYPE_LABELS[d.type]}</td>
              <td>{d.options.length ? d.options.join(', ') : '—'}</td>
              <td>{d.isRequired ? 'Yes' : 'No'}</td>
              <td>{d.position}</td>
              <td><span className={d.retired ? 'badge badge-disabled' : 'badge badge-active'}>{d.retired ? 'Retired' : 'In use'}</span></td>
              <td className="actions">
                <button type="button" className="button button-small" onClick={() => setEditing(d)}>
                  Edit<span className="visually-hidden"> {d.label}</span>
                </button>
                <button type="button" className="button button-small" onClick={() => retire.ask(d)}>
                  {d.retired ? 'Restore' : 'Retire'}<span className="visually-hidden"> {d.label}</span>
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {editing ? (
        <EditCustomFieldDialog
          field={editing}
          onClose={() => setEditing(null)}
          onSaved={(d) => {
            setEditing(null);
            setStatus(`Saved changes to ${d.label}.`);
            void refresh();
          }}
        />
      ) : null}
      {retire.target ? (
        <ConfirmDialog
          title={retire.target.retired ? `Restore the field ${retire.target.label}?` : `Retire the field ${retire.target.label}?`}
          confirmLabel={retire.target.retired ? 'Restore field' : 'Retire field'}
          isDanger={!retire.target.retired}
          {...retire.confirmProps}
        >
          <p>
            {retire.target.retired
              ? 'It will appear on the constituent form again.'
              : 'It disappears from the constituent form and is no longer required. Values already recorded stay on the records and in exports.'}
          </p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
