// Adding or changing a mailbox read over IMAP, in a dialog. The password is write-only: the
// form never shows the stored one, and leaving it blank when editing keeps it (the API keeps
// a password left out). The contract's schema checks the values before they are sent; the
// server's own rules (cleartext only to this machine, a folder to move to) come back as
// field errors shown in the same places.
import { useState } from 'react';
import {
  IMAP_AFTER_STORE, IMAP_TLS_MODES, ZCreateImapMailbox, ZUpdateImapMailbox, type ImapMailbox,
} from '../../../contract/intake-mailboxes.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldTargets, SelectField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { useFormMutation } from '../hooks/useFormMutation.js';

const TLS_LABELS: Record<ImapMailbox['tls'], string> = {
  tls: 'TLS (usually port 993)',
  starttls: 'STARTTLS (usually port 143)',
  none: 'None: cleartext, to this machine only',
};

export const AFTER_STORE_LABELS: Record<ImapMailbox['afterStore'], string> = {
  leave: 'Leave it as it is',
  seen: 'Mark it as read',
  move: 'Move it to another folder',
};

const FIELDS = fieldTargets('mailbox', {
  address: 'Address the mail was sent to', host: 'IMAP server', tls: 'Security', port: 'Port', username: 'User name', password: 'Password',
  mailbox: 'Folder to read', afterStore: 'After a message is stored', moveTo: 'Folder to move it to',
});

/** An empty box is left out; anything else must be a number (NaN is reported as not one). */
const portOf = (s: string) => (s.trim() === '' ? {} : { port: Number(s) });

export function ImapMailboxDialog({ mailbox, onClose, onSaved }: { mailbox: ImapMailbox | null; onClose: () => void; onSaved: (m: ImapMailbox, isNew: boolean) => void }) {
  const [v, setV] = useState({
    address: mailbox?.address ?? '', host: mailbox?.host ?? '', tls: mailbox?.tls ?? 'tls', port: mailbox ? String(mailbox.port) : '', username: mailbox?.username ?? '',
    password: '', mailbox: mailbox?.mailbox ?? 'INBOX', afterStore: mailbox?.afterStore ?? 'leave', moveTo: mailbox?.moveTo ?? '', enabled: mailbox?.enabled ?? true,
  });
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => {
      const common = {
        address: v.address.trim(), host: v.host.trim(), tls: v.tls, ...portOf(v.port), username: v.username.trim(), mailbox: v.mailbox.trim(),
        afterStore: v.afterStore, enabled: v.enabled,
      };
      // A blank folder to move to is sent as none, so the server says it is required.
      const moveTo = v.afterStore === 'move' ? v.moveTo.trim() || null : null;
      if (!mailbox) {
        const body = { ...common, password: v.password, ...(moveTo ? { moveTo } : {}) };
        return api.post<ImapMailbox>('/api/v1/intake/mailboxes', validate(ZCreateImapMailbox, body));
      }
      const body = { ...common, ...(v.password ? { password: v.password } : {}), moveTo };
      return api.patch<ImapMailbox>(`/api/v1/intake/mailboxes/${mailbox.id}`, validate(ZUpdateImapMailbox, body));
    },
    onSuccess: (m) => onSaved(m, !mailbox),
  });
  const set = (k: 'address' | 'host' | 'port' | 'username' | 'password' | 'mailbox' | 'moveTo') => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  return (
    <Modal title={mailbox ? `Edit mailbox ${mailbox.address}` : 'Add a mailbox'} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={save.error} fields={FIELDS} />
        <TextField id={FIELDS.address.id} label={FIELDS.address.label} hint="The office address whose mail arrives in this mailbox, such as help@council.example." type="email" autoComplete="off"
          value={v.address} onChange={set('address')} error={errors.address} />
        <TextField id={FIELDS.host.id} label={FIELDS.host.label} hint="A host name or IP address, such as imap.example.org." autoComplete="off" value={v.host} onChange={set('host')} error={errors.host} />
        <SelectField id={FIELDS.tls.id} label={FIELDS.tls.label} value={v.tls} onChange={(e) => setV({ ...v, tls: e.target.value as ImapMailbox['tls'] })} error={errors.tls}>
          {IMAP_TLS_MODES.map((m) => <option key={m} value={m}>{TLS_LABELS[m]}</option>)}
        </SelectField>
        <TextField id={FIELDS.port.id} label={FIELDS.port.label} hint={mailbox ? undefined : 'Leave blank for the usual port of the security chosen.'} type="number" inputMode="numeric" min={1} max={65535}
          value={v.port} onChange={set('port')} error={errors.port} />
        <TextField id={FIELDS.username.id} label={FIELDS.username.label} autoComplete="off" value={v.username} onChange={set('username')} error={errors.username} />
        <TextField id={FIELDS.password.id} label={FIELDS.password.label} type="password" autoComplete="new-password" value={v.password} onChange={set('password')} error={errors.password}
          hint={mailbox?.hasPassword ? 'A password is stored and never shown. Leave this blank to keep it.' : 'Stored for signing in; it is never shown again.'} />
        <TextField id={FIELDS.mailbox.id} label={FIELDS.mailbox.label} hint="As the server names it, such as INBOX or INBOX/Casework." value={v.mailbox} onChange={set('mailbox')} error={errors.mailbox} />
        <SelectField id={FIELDS.afterStore.id} label={FIELDS.afterStore.label} value={v.afterStore} onChange={(e) => setV({ ...v, afterStore: e.target.value as ImapMailbox['afterStore'] })} error={errors.afterStore}>
          {IMAP_AFTER_STORE.map((m) => <option key={m} value={m}>{AFTER_STORE_LABELS[m]}</option>)}
        </SelectField>
        {v.afterStore === 'move' ? <TextField id={FIELDS.moveTo.id} label={FIELDS.moveTo.label} value={v.moveTo} onChange={set('moveTo')} error={errors.moveTo} /> : null}
        <p>
          <label className="check">
            <input type="checkbox" checked={v.enabled} onChange={(e) => setV({ ...v, enabled: e.target.checked })} /> Read this mailbox (checked every minute)
          </label>
        </p>
        <FormActions label={mailbox ? 'Save mailbox' : 'Add mailbox'} busyLabel="Saving…" isBusy={save.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}
