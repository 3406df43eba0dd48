// The forms of the Users page: creating a user, and editing one (with a confirmation step
// before disabling an account).
import { useState, type FormEvent } from 'react';
import { ROLES, ZCreatedUser, ZCreateUser, ZUpdateUser, type Role, type User } from '../../../contract/index.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, SelectField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { roleLabel } from '../format.js';
import { useFormMutation } from '../hooks/useFormMutation.js';

type CreatedUser = ReturnType<typeof ZCreatedUser.parse>;

export function RoleOptions() {
  return (
    <>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {roleLabel(r)}
        </option>
      ))}
    </>
  );
}

export function CreateUserForm({ onCreated, onCancel }: { onCreated: (result: CreatedUser) => void; onCancel: () => void }) {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('caseworker');
  const [password, setPassword] = useState('');
  const { mutation: create, errors, submit } = useFormMutation({
    mutationFn: () =>
      api.post<CreatedUser>('/api/v1/users', validate(ZCreateUser, { email, displayName, role, ...(password ? { password } : {}) })),
    onSuccess: onCreated,
  });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="create-user-heading">
      <h2 id="create-user-heading">Add a user</h2>
      <ErrorSummary
        error={create.error}
        fields={{
          email: { id: 'new-user-email', label: 'Email' },
          displayName: { id: 'new-user-name', label: 'Name' },
          role: { id: 'new-user-role', label: 'Role' },
          password: { id: 'new-user-password', label: 'Password' },
        }}
      />
      <TextField id="new-user-email" label="Email" type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
      <TextField id="new-user-name" label="Name" autoComplete="off" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={errors.displayName} />
      <SelectField id="new-user-role" label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={errors.role}>
        <RoleOptions />
      </SelectField>
      <TextField
        id="new-user-password"
        label="Password (optional)"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. Leave blank to generate a strong password, shown to you once."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
      />
      <FormActions label="Create user" busyLabel="Creating…" isBusy={create.isPending} onCancel={onCancel} />
    </form>
  );
}

export function EditUserDialog({ user, onSaved, onClose }: { user: User; onSaved: (user: User) => void; onClose: () => void }) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [status, setStatus] = useState(user.status);
  const [isConfirmingDisable, setConfirmingDisable] = useState(false);
  const { mutation: save, errors } = useFormMutation({
    mutationFn: () => {
      const changes = {
        ...(displayName !== user.displayName ? { displayName } : {}),
        ...(role !== user.role ? { role } : {}),
        ...(status !== user.status ? { status } : {}),
      };
      return api.patch<User>(`/api/v1/users/${user.id}`, validate(ZUpdateUser, changes));
    },
    onSuccess: onSaved,
    onError: () => setConfirmingDisable(false),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (status === 'disabled' && user.status !== 'disabled' && !isConfirmingDisable) {
      setConfirmingDisable(true);
      return;
    }
    save.mutate();
  }

  return (
    <Modal title={`Edit ${user.displayName}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary
          error={save.error}
          fields={{
            displayName: { id: 'edit-user-name', label: 'Name' },
            role: { id: 'edit-user-role', label: 'Role' },
            status: { id: 'edit-user-status', label: 'Status' },
          }}
        />
        {isConfirmingDisable ? (
          <div className="confirm-box" role="alert">
            <p>
              Disable <strong>{user.displayName}</strong>? They will be signed out everywhere and cannot sign in until an admin enables the account again.
            </p>
          </div>
        ) : (
          <>
            <p className="hint">Email: {user.email}</p>
            <TextField id="edit-user-name" label="Name" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={errors.displayName} />
            <SelectField id="edit-user-role" label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={errors.role}>
              <RoleOptions />
            </SelectField>
            <SelectField id="edit-user-status" label="Status" value={status} onChange={(e) => setStatus(e.target.value as User['status'])} error={errors.status}>
              <option value="active">Active</option>
              <option value="disabled">Disabled</option>
            </SelectField>
          </>
        )}
        <FormActions
          label={isConfirmingDisable ? 'Disable user' : 'Save changes'}
          busyLabel="Saving…"
          isBusy={save.isPending}
          isDanger={isConfirmingDisable}
          onCancel={isConfirmingDisable ? () => setConfirmingDisable(false) : onClose}
          cancelLabel={isConfirmingDisable ? 'Back' : 'Cancel'}
        />
      </form>
    </Modal>
  );
}
