// Open311 API keys: integrators post reports and updates with one. A new key's secret is
// shown once (only its hash is kept); revoking one, after a confirmation, refuses its posts.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ZCreateOpen311Key, type Open311Key } from '../../../contract/open311.js';
import { api, validate } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, TextField } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { SecretNotice } from '../components/SecretNotice.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { intakeKeys, useOpen311Keys } from './IntakeQueries.js';

type Created = { key: Open311Key; secret: string };

export function Open311Keys({ onNotice }: { onNotice: (message: string) => void }) {
  const queryClient = useQueryClient();
  const keys = useOpen311Keys();
  const [created, setCreated] = useState<Created | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: intakeKeys.open311Keys });
  const revoke = useConfirmedAction({
    mutationFn: (k: Open311Key) => api.post<Open311Key>(`/api/v1/open311/keys/${k.id}/revoke`),
    onSuccess: (k) => {
      onNotice(`Key ${k.name} revoked: posts with it are refused from now on.`);
      void refresh();
    },
  });
  const items = keys.data ?? [];
  return (
    <section aria-labelledby="open311-keys-heading">
      <h2 id="open311-keys-heading">API keys</h2>
      <p>Clients need a key to post reports and updates (reading services and requests needs none). Give each integrator a key of its own, so that one can be revoked alone.</p>
      {created ? (
        <SecretNotice title={`Key ${created.key.name} created`} label="API key" secret={created.secret} onDismiss={() => {
            setCreated(null);
            // The notice is gone: keep the keyboard in the section rather than at the top of the page.
            document.getElementById('open311-key-name')?.focus();
          }}>
          <p>The integrator sends it as the <code>api_key</code> field of each post. Only a hash is stored, so it cannot be shown again.</p>
        </SecretNotice>
      ) : null}
      <CreateKeyForm
        onCreated={(r) => {
          setCreated(r);
          void refresh();
        }}
      />
      <QueryStatus query={keys} loading="Loading keys…" isEmpty={keys.isSuccess && items.length === 0} empty="No API keys yet." />
      {items.length ? (
        <DataTable id="open311-keys" caption="Open311 API keys" columns={['Name', 'Starts with', 'Created', 'Last used', 'Status', 'Actions']}>
          {items.map((k) => <KeyRow key={k.id} apiKey={k} onRevoke={() => revoke.ask(k)} />)}
        </DataTable>
      ) : null}
      {revoke.target ? (
        <ConfirmDialog title={`Revoke key ${revoke.target.name}?`} confirmLabel="Revoke key" isDanger {...revoke.confirmProps}>
          <p>Posts with this key are refused at once. This cannot be undone; the integrator will need a new key.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function KeyRow({ apiKey: k, onRevoke }: { apiKey: Open311Key; onRevoke: () => void }) {
  return (
    <tr>
      <th scope="row">{k.name}</th>
      <td><code>{k.prefix}…</code></td>
      <td>{formatDateTime(k.createdAt)}</td>
      <td>{formatDateTime(k.lastUsedAt, 'Never')}</td>
      <td>{k.revokedAt ? <span className="badge badge-disabled">Revoked {formatDateTime(k.revokedAt)}</span> : <span className="badge badge-active">Active</span>}</td>
      <td className="actions">
        {k.revokedAt ? null : (
          <button type="button" className="button button-small button-danger" onClick={onRevoke}>
            Revoke<span className="visually-hidden"> key {k.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (r: Created) => void }) {
  const [name, setName] = useState('');
  const { mutation: create, errors, submit } = useFormMutation({
    mutationFn: () => api.post<Created>('/api/v1/open311/keys', validate(ZCreateOpen311Key, { name })),
    onSuccess: (r) => {
      setName('');
      onCreated(r);
    },
  });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="create-open311-key-heading">
      <h3 id="create-open311-key-heading">Create a key</h3>
      <ErrorSummary error={create.error} fields={{ name: { id: 'open311-key-name', label: 'Name' } }} />
      <TextField id="open311-key-name" label="Name" hint="Who or what it is for, such as “FixMyStreet”." autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <FormActions label="Create key" busyLabel="Creating…" isBusy={create.isPending} />
    </form>
  );
}
