// The signed-in user's own account: change password, sign out of every session.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ZChangePassword } from '../../../contract/index.js';
import { api, ApiError, setCsrfToken, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, StatusMessage, TextField } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { Page } from '../components/Page.js';
import { roleLabel } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { SESSION_KEY, useSession } from '../session.js';
import { AwayControl } from './AwayControl.js';

function mismatch(): ApiError {
  return new ApiError({
    type: 'about:blank',
    title: 'The form has errors',
    status: 400,
    code: 'validation_failed',
    detail: 'One field needs attention.',
    field: 'confirmPassword',
    errors: [{ field: 'confirmPassword', message: 'does not match the new password' }],
  });
}

function ChangePasswordForm() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirmPassword, setConfirm] = useState('');
  const [status, setStatus] = useState('');
  const { mutation: change, errors, submit } = useFormMutation({
    mutationFn: async () => {
      const body = validate(ZChangePassword, { currentPassword, newPassword });
      if (newPassword !== confirmPassword) throw mismatch();
      await api.post<void>('/api/v1/auth/password', body);
    },
    onMutate: () => setStatus(''),
    onSuccess: () => {
      setCurrent('');
      setNew('');
      setConfirm('');
      setStatus('Your password has been changed. Your other sessions were signed out.');
    },
  });
  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change your password</h2>
      <StatusMessage>{status}</StatusMessage>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary
          error={change.error}
          fields={{
            currentPassword: { id: 'pw-current', label: 'Current password' },
            newPassword: { id: 'pw-new', label: 'New password' },
            confirmPassword: { id: 'pw-confirm', label: 'Repeat new password' },
          }}
        />
        <TextField id="pw-current" label="Current password" type="password" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrent(e.target.value)} error={errors.currentPassword} />
        <TextField id="pw-new" label="New password" hint="At least 12 characters. A passphrase of several words works well." type="password" autoComplete="new-password" required value={newPassword} onChange={(e) => setNew(e.target.value)} error={errors.newPassword} />
        <TextField id="pw-confirm" label="Repeat new password" type="password" autoComplete="new-password" required value={confirmPassword} onChange={(e) => setConfirm(e.target.value)} error={errors.confirmPassword} />
        <FormActions label="Change password" busyLabel="Changing…" isBusy={change.isPending} />
      </form>
    </section>
  );
}

export function AccountPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const everywhere = useConfirmedAction({
    mutationFn: (_everywhere: true) => api.post<{ sessionsRevoked: number }>('/api/v1/auth/logout-everywhere'),
    onSuccess: (r) => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
      void navigate('/login', { replace: true, state: { notice: `You have signed out of ${r.sessionsRevoked} session${r.sessionsRevoked === 1 ? '' : 's'}.` } });
    },
  });
  return (
    <Page title="My account">
      <section className="card" aria-labelledby="me-heading">
        <h2 id="me-heading">Your details</h2>
        <dl className="facts">
          <div><dt>Name</dt><dd>{session.user.displayName}</dd></div>
          <div><dt>Email</dt><dd>{session.user.email}</dd></div>
          <div><dt>Role</dt><dd>{roleLabel(session.user.role)}</dd></div>
          <div><dt>Office</dt><dd>{session.office.name}</dd></div>
        </dl>
      </section>
      <ChangePasswordForm />
      <AwayControl userId={null} />
      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <p>Signed in on a shared or lost device? Sign out of every session, including this one.</p>
        <button type="button" className="button button-danger" onClick={() => everywhere.ask(true)}>
          Sign out everywhere
        </button>
      </section>
      {everywhere.target ? (
        <ConfirmDialog title="Sign out of every session?" confirmLabel="Sign out everywhere" isDanger {...everywhere.confirmProps}>
          <p>You will need to sign in again on every device, including this one.</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
