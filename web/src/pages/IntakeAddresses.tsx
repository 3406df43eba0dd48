// The addresses the office receives mail at (the built-in SMTP listener routes mail by its
// recipient): add one, turn acknowledgements on or off, choose the one replies come back to,
// and remove one after a confirmation.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ZCreateIntakeAddress, type IntakeAddress } from '../../../contract/intake.js';
import { api, validate } from '../api/client.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, TextField } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { intakeKeys, useIntakeAddresses } from './IntakeQueries.js';

type AddressChange = { acknowledge?: boolean; useForReplies?: boolean };

const pathOf = (a: IntakeAddress) => `/api/v1/intake/addresses/${encodeURIComponent(a.address)}`;

/** The address mail about cases names as Reply-To: the one marked, else the oldest. */
function replyAddressOf(items: IntakeAddress[]): IntakeAddress | undefined {
  return items.find((a) => a.useForReplies) ?? [...items].sort((x, y) => x.createdAt.localeCompare(y.createdAt))[0];
}

export function IntakeAddresses({ onNotice }: { onNotice: (message: string) => void }) {
  const queryClient = useQueryClient();
  const addresses = useIntakeAddresses();
  const refresh = () => queryClient.invalidateQueries({ queryKey: intakeKeys.addresses });
  const change = useMutation({
    mutationFn: ({ address, body }: { address: IntakeAddress; body: AddressChange }) => api.patch<IntakeAddress>(pathOf(address), body),
    onMutate: () => onNotice(''),
    onSuccess: (a, { body }) => {
      onNotice(body.useForReplies ? `Replies to mail about cases now come back to ${a.address}.` : `Acknowledgements from ${a.address} turned ${a.acknowledge ? 'on' : 'off'}.`);
      void refresh();
    },
  });
  const remove = useConfirmedAction({
    mutationFn: (a: IntakeAddress) => api.delete<void>(pathOf(a)),
    onSuccess: (_r, a) => {
      onNotice(`${a.address} removed: mail sent to it is no longer accepted.`);
      void refresh();
    },
  });
  const items = addresses.data ?? [];
  const replyTo = replyAddressOf(items);
  return (
    <section aria-labelledby="intake-addresses-heading">
      <h2 id="intake-addresses-heading">Intake addresses</h2>
      <p>
        Mail sent to these addresses is accepted by Civitas's own mail listener (or posted by a mail provider's inbound webhook) and lands in the inbox.
        One of them is the Reply-To of the office's mail about a case, tagged with the case, so that answers find their case.
      </p>
      <AddAddressForm
        onAdded={(a) => {
          onNotice(`${a.address} added.`);
          void refresh();
        }}
      />
      <ErrorSummary error={change.error} />
      <QueryStatus query={addresses} loading="Loading addresses…" isEmpty={addresses.isSuccess && items.length === 0} empty="No intake addresses yet: mail to the office is not accepted." />
      {items.length ? (
        <DataTable id="intake-addresses" caption="Addresses the office receives mail at" columns={['Address', 'Acknowledgements', 'Replies', 'Added', 'Actions']}>
          {items.map((a) => (
            <AddressRow key={a.address} address={a} isReplyTo={a === replyTo} isBusy={change.isPending}
              onChange={(body) => change.mutate({ address: a, body })} onRemove={() => remove.ask(a)} />
          ))}
        </DataTable>
      ) : null}
      {remove.target ? (
        <ConfirmDialog title={`Remove ${remove.target.address}?`} confirmLabel="Remove address" isDanger {...remove.confirmProps}>
          <p>Mail sent to this address will be refused from now on. Messages already received stay in the inbox.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function AddressRow({ address: a, isReplyTo, isBusy, onChange, onRemove }: {
  address: IntakeAddress; isReplyTo: boolean; isBusy: boolean; onChange: (body: AddressChange) => void; onRemove: () => void;
}) {
  return (
    <tr>
      <th scope="row">{a.address}</th>
      <td>{a.acknowledge ? 'On' : 'Off'}</td>
      <td>{isReplyTo ? (a.useForReplies ? 'Replies come back here' : 'Replies come back here (the oldest address)') : '—'}</td>
      <td>{formatDateTime(a.createdAt)}</td>
      <td>
        <div className="button-row actions">
          <button type="button" className="button button-small" disabled={isBusy} onClick={() => onChange({ acknowledge: !a.acknowledge })}>
            {a.acknowledge ? 'Stop acknowledging' : 'Acknowledge'}<span className="visually-hidden"> mail to {a.address}</span>
          </button>
          {a.useForReplies ? null : (
            <button type="button" className="button button-small" disabled={isBusy} onClick={() => onChange({ useForReplies: true })}>
              Use for replies<span className="visually-hidden"> ({a.address})</span>
            </button>
          )}
          <button type="button" className="button button-small button-danger" onClick={onRemove}>
            Remove<span className="visually-hidden"> {a.address}</span>
          </button>
        </div>
      </td>
    </tr>
  );
}

function AddAddressForm({ onAdded }: { onAdded: (a: IntakeAddress) => void }) {
  const [address, setAddress] = useState('');
  const [acknowledge, setAcknowledge] = useState(true);
  const [useForReplies, setUseForReplies] = useState(false);
  const { mutation: add, errors, submit } = useFormMutation({
    mutationFn: () => api.post<IntakeAddress>('/api/v1/intake/addresses', validate(ZCreateIntakeAddress, { address: address.trim(), acknowledge, useForReplies })),
    onSuccess: (a) => {
      setAddress('');
      setUseForReplies(false);
      onAdded(a);
    },
  });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="add-address-heading">
      <h3 id="add-address-heading">Add an address</h3>
      <ErrorSummary error={add.error} fields={{ address: { id: 'intake-address', label: 'Address' } }} />
      <TextField id="intake-address" label="Address" hint="Such as help@council.example. Point the domain's MX record at this server, or forward mail to it." type="email" autoComplete="off"
        value={address} onChange={(e) => setAddress(e.target.value)} error={errors.address} />
      <p>
        <label className="check">
          <input type="checkbox" checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} /> Acknowledge: send the case reference back when mail to it opens a case
        </label>
      </p>
      <p>
        <label className="check">
          <input type="checkbox" checked={useForReplies} onChange={(e) => setUseForReplies(e.target.checked)} /> Replies to mail about cases come back to it
        </label>
      </p>
      <FormActions label="Add address" busyLabel="Adding…" isBusy={add.isPending} />
    </form>
  );
}
