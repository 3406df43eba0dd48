// Staff accounts: search and filter, create (a generated password is shown once), edit
// name/role/status and reset passwords.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { User } from '../../../contract/index.js';
import { api } from '../api/client.js';
import { keys } from '../api/queries.js';
import { FilterForm } from '../components/FilterForm.js';
import { SelectField, StatusMessage, TextField } from '../components/FormFields.js';
import { ConfirmDialog, Modal } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { PagedTable } from '../components/PagedTable.js';
import { SecretNotice } from '../components/SecretNotice.js';
import { formatDateTime, roleLabel } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { useFilters } from '../hooks/useFilters.js';
import { useCan } from '../session.js';
import { CreateUserForm, EditUserDialog, RoleOptions } from './UserForms.js';
import { AwayControl } from './AwayControl.js';

type Filters = { q: string; role: string; status: string };
const EMPTY: Filters = { q: '', role: '', status: '' };

export function UsersPage() {
  const can = useCan();
  const canManage = can('user.manage');
  const canSetAway = can('team.manage');
  const [awayFor, setAwayFor] = useState<User | null>(null);
  const queryClient = useQueryClient();
  const f = useFilters(EMPTY, (draft) => ({ ...draft, q: draft.q.trim() }));
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [secret, setSecret] = useState<{ title: string; password: string } | null>(null);
  const [status, setStatus] = useState('');

  const list = useCursorList<User>(keys.users(f.filters), '/api/v1/users', { ...f.filters, limit: 25 });

  const reset = useConfirmedAction({
    mutationFn: (user: User) => api.post<{ generatedPassword: string }>(`/api/v1/users/${user.id}/reset-password`),
    onSuccess: (result, user) => setSecret({ title: `New password for ${user.displayName}`, password: result.generatedPassword }),
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });

  return (
    <Page title="Users" lead="Staff accounts of this office.">
      {secret ? (
        <SecretNotice title={secret.title} label="Password" secret={secret.password} onDismiss={() => setSecret(null)}>
          <p>Give this password to the user through a safe channel. They can change it under My account.</p>
        </SecretNotice>
      ) : null}
      <StatusMessage>{status}</StatusMessage>
      {canManage && !isCreating ? <OpenFormButton onClick={() => setCreating(true)}>Add a user</OpenFormButton> : null}
      {canManage && isCreating ? (
        <CreateUserForm
          onCancel={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            void refresh();
            if (result.generatedPassword) setSecret({ title: `User ${result.user.displayName} created`, password: result.generatedPassword });
            else setStatus(`User ${result.user.displayName} created.`);
          }}
        />
      ) : null}

      <FilterForm label="Filter users" onApply={f.apply} onClear={f.clear}>
        <TextField id="users-q" label="Search name or email" type="search" value={f.draft.q} onChange={(e) => f.edit({ q: e.target.value })} />
        <SelectField id="users-role" label="Role" value={f.draft.role} onChange={(e) => f.edit({ role: e.target.value })}>
          <option value="">Any role</option>
          <RoleOptions />
        </SelectField>
        <SelectField id="users-status" label="Status" value={f.draft.status} onChange={(e) => f.edit({ status: e.target.value })}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="disabled">Disabled</option>
        </SelectField>
      </FilterForm>

      <PagedTable
        list={list}
        noun="users"
        loading="Loading users…"
        empty="No users match these filters."
        id="users"
        caption="Users"
        columns={['Name', 'Email', 'Role', 'Status', 'Last sign-in', (canManage || canSetAway) && 'Actions']}
        renderRow={(u) => (
          <tr key={u.id}>
            <th scope="row">{u.displayName}</th>
            <td>{u.email}</td>
            <td>{roleLabel(u.role)}</td>
            <td><span className={`badge badge-${u.status}`}>{u.status === 'active' ? 'Active' : 'Disabled'}</span></td>
            <td>{formatDateTime(u.lastLoginAt, 'Never')}</td>
            {canManage || canSetAway ? (
              <td className="actions">
                {canManage ? (
                  <>
                    <button type="button" className="button button-small" onClick={() => setEditing(u)}>
                      Edit<span className="visually-hidden"> {u.displayName}</span>
                    </button>
                    <button type="button" className="button button-small" onClick={() => reset.ask(u)}>
                      Reset password<span className="visually-hidden"> for {u.displayName}</span>
                    </button>
                  </>
                ) : null}
                {canSetAway ? (
                  <button type="button" className="button button-small" onClick={() => setAwayFor(u)}>
                    Away<span className="visually-hidden"> period for {u.displayName}</span>
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        )}
      />

      {editing ? (
        <EditUserDialog
          user={editing}
          onClose={() => setEditing(null)}
          onSaved={(u) => {
            setEditing(null);
            setStatus(`Saved changes to ${u.displayName}.`);
            void refresh();
          }}
        />
      ) : null}
      {awayFor ? (
        <Modal title={`Away: ${awayFor.displayName}`} onClose={() => setAwayFor(null)}>
          <AwayControl userId={awayFor.id} name={awayFor.displayName} inDialog />
          <div className="button-row"><button type="button" className="button" onClick={() => setAwayFor(null)}>Close</button></div>
        </Modal>
      ) : null}
      {reset.target ? (
        <ConfirmDialog title={`Reset the password of ${reset.target.displayName}?`} confirmLabel="Reset password" isDanger {...reset.confirmProps}>
          <p>A new password is generated and shown to you once. {reset.target.displayName} is signed out everywhere.</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
