// Mailboxes the office reads over IMAP: each with where it connects, what it does with a
// stored message and how the last poll went; add, edit, test the connection (what went wrong,
// in the server's words) and stop reading one after a confirmation.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ImapMailbox, ImapTestResult } from '../../../contract/intake-mailboxes.js';
import { api, errorMessage } from '../api/client.js';
import { Fact } from '../components/Fact.js';
import { StatusMessage } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { AFTER_STORE_LABELS, ImapMailboxDialog } from './ImapMailboxDialog.js';
import { intakeKeys, useMailboxes } from './IntakeQueries.js';

export function ImapMailboxes({ onNotice }: { onNotice: (message: string) => void }) {
  const queryClient = useQueryClient();
  const mailboxes = useMailboxes();
  const [editing, setEditing] = useState<ImapMailbox | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: intakeKeys.mailboxes });
  const remove = useConfirmedAction({
    mutationFn: (m: ImapMailbox) => api.delete<void>(`/api/v1/intake/mailboxes/${m.id}`),
    onSuccess: (_r, m) => {
      onNotice(`Mailbox ${m.address} (${m.username}@${m.host}) is no longer read.`);
      void refresh();
    },
  });
  const items = mailboxes.data ?? [];
  return (
    <section aria-labelledby="mailboxes-heading">
      <h2 id="mailboxes-heading">Mailboxes read over IMAP</h2>
      <p>
        For mail that arrives in a mailbox elsewhere (such as Microsoft 365 or Google Workspace): Civitas signs in, reads new messages every minute and files them in the inbox.
        Changing the server, user or folder reads that mailbox from the start; messages already stored are recognised and not filed twice.
      </p>
      <OpenFormButton onClick={() => setEditing('new')}>Add a mailbox</OpenFormButton>
      <QueryStatus query={mailboxes} loading="Loading mailboxes…" isEmpty={mailboxes.isSuccess && items.length === 0} empty="No mailboxes are read." />
      {items.length ? (
        <ul className="card-list" aria-label="Mailboxes">
          {items.map((m) => (
            <MailboxCard key={m.id} mailbox={m} onEdit={() => setEditing(m)} onRemove={() => remove.ask(m)} />
          ))}
        </ul>
      ) : null}
      {editing ? (
        <ImapMailboxDialog
          mailbox={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(m, isNew) => {
            setEditing(null);
            onNotice(isNew ? `Mailbox ${m.address} added${m.enabled ? ': it is being read now' : ''}.` : `Mailbox ${m.address} saved.`);
            void refresh();
          }}
        />
      ) : null}
      {remove.target ? (
        <ConfirmDialog title={`Stop reading ${remove.target.address}?`} confirmLabel="Stop reading mailbox" isDanger {...remove.confirmProps}>
          <p>
            Civitas stops reading {remove.target.username}@{remove.target.host} and forgets its settings and password. Messages already stored stay in the inbox; nothing is deleted on the
            server.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function testSummary(r: ImapTestResult): string {
  return `Connected and signed in: the folder holds ${r.messages ?? 0} message${r.messages === 1 ? '' : 's'} (UIDVALIDITY ${r.uidValidity ?? 'unknown'}).`;
}

function MailboxCard({ mailbox: m, onEdit, onRemove }: { mailbox: ImapMailbox; onEdit: () => void; onRemove: () => void }) {
  const test = useMutation({ mutationFn: () => api.post<ImapTestResult>(`/api/v1/intake/mailboxes/${m.id}/test`) });
  const s = m.status;
  const failure = test.isError ? errorMessage(test.error) : test.data && !test.data.ok ? test.data.error ?? 'The connection failed.' : null;
  return (
    <li className="card">
      <h3>
        {m.address}
        {m.enabled ? <span className="badge badge-info">Read every minute</span> : <span className="badge badge-disabled">Paused</span>}
      </h3>
      <dl className="facts">
        <Fact label="Server">{m.host}:{m.port} ({m.tls === 'none' ? 'cleartext' : m.tls.toUpperCase()})</Fact>
        <Fact label="User name">{m.username}</Fact>
        <Fact label="Password">{m.hasPassword ? 'Stored (never shown)' : 'None'}</Fact>
        <Fact label="Folder">{m.mailbox}</Fact>
        <Fact label="After storing">{m.afterStore === 'move' ? `Move to ${m.moveTo ?? ''}` : AFTER_STORE_LABELS[m.afterStore]}</Fact>
        <Fact label="Last poll">{formatDateTime(s.lastPollAt, 'Not yet')}</Fact>
        <Fact label="Last successful poll">{formatDateTime(s.lastSuccessAt, 'Never')}</Fact>
        <Fact label="Stored by the last successful poll">{s.lastStored} message{s.lastStored === 1 ? '' : 's'}{s.backlog ? `; ${s.backlog} still waiting` : ''}</Fact>
      </dl>
      {s.lastError ? (
        <p className="error-text">
          <strong>The last poll failed</strong> ({formatDateTime(s.lastErrorAt)}): {s.lastError}
        </p>
      ) : null}
      <div className="button-row">
        <button type="button" className="button button-small" disabled={test.isPending} onClick={() => test.mutate()}>
          {test.isPending ? 'Testing…' : 'Test connection'}<span className="visually-hidden"> of {m.address}</span>
        </button>
        <button type="button" className="button button-small" onClick={onEdit}>
          Edit<span className="visually-hidden"> mailbox {m.address}</span>
        </button>
        <button type="button" className="button button-small button-danger" onClick={onRemove}>
          Stop reading<span className="visually-hidden"> {m.address}</span>
        </button>
      </div>
      <StatusMessage>{test.data?.ok ? testSummary(test.data) : ''}</StatusMessage>
      {failure ? (
        <p className="error-text" role="alert">
          Connection test failed: {failure}
        </p>
      ) : null}
    </li>
  );
}
