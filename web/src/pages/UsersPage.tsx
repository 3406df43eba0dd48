// Staff accounts: search and filter, create (a generated password is shown once), edit
// name/role/status and reset passwords.
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Page as ApiPage, User } from '../../../contract/index.js';
import { api, errorMessage } from '../api/client.js';
import { keys } from '../api/queries.js';
import { SelectField, TextField } from '../components/FormFields.js';
import { LoadMore } from '../components/LoadMore.js';
import { ConfirmDialog } from '../components/Modal.js';
import { Page } from '../components/Page.js';
import { SecretNotice } from '../components/SecretNotice.js';
import { formatDateTime, roleLabel } from '../format.js';
import { useCan } from '../session.js';
import { CreateUserForm, EditUserDialog, RoleOptions } from './UserForms.js';

type Filters = { q: string; role: string; status: string };
const EMPTY: Filters = { q: '', role: '', status: '' };

export function UsersPage() {
  const can = useCan();
  const canManage = can('user.manage');
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [secret, setSecret] = useState<{ title: string; password: string } | null>(null);
  const [status, setStatus] = useState('');

  const list = useInfiniteQuery({
    queryKey: keys.users(filters),
    queryFn: ({ pageParam }) => api.get<ApiPage<User>>('/api/v1/users', { ...filters, limit: 25, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const users = list.data?.pages.flatMap((p) => p.items) ?? [];

  const reset = useMutation({
    mutationFn: (user: User) => api.post<{ generatedPassword: string }>(`/api/v1/users/${user.id}/reset-password`),
    onSuccess: (result, user) => {
      setResetting(null);
      setSecret({ title: `New password for ${user.displayName}`, password: result.generatedPassword });
    },
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });

  function applyFilters(e: FormEvent) {
    e.preventDefault();
    setFilters({ ...draft, q: draft.q.trim() });
  }

  return (
    <Page title="Users" lead="Staff accounts of this office.">
      {secret ? (
        <SecretNotice title={secret.title} label="Password" secret={secret.password} onDismiss={() => setSecret(null)}>
          <p>Give this password to the user through a safe channel. They can change it under My account.</p>
        </SecretNotice>
      ) : null}
      <p className="status-message" role="status">
        {status}
      </p>
      {canManage && !isCreating ? (
        <p>
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Add a user
          </button>
        </p>
      ) : null}
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

      <form className="filters" role="search" aria-label="Filter users" onSubmit={applyFilters}>
        <TextField id="users-q" label="Search name or email" type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
        <SelectField id="users-role" label="Role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value })}>
          <option value="">Any role</option>
          <RoleOptions />
        </SelectField>
        <SelectField id="users-status" label="Status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="disabled">Disabled</option>
        </SelectField>
        <div className="button-row">
          <button type="submit" className="button">Apply filters</button>
          <button type="button" className="button button-link" onClick={() => { setDraft(EMPTY); setFilters(EMPTY); }}>
            Clear
          </button>
        </div>
      </form>

      {list.isError ? <p role="alert" className="error-text">{errorMessage(list.error)}</p> : null}
      {list.isPending ? <p role="status">Loading users…</p> : null}
      {list.isSuccess && users.length === 0 ? <p>No users match these filters.</p> : null}
      {users.length ? (
        <div className="table-wrap" role="region" aria-labelledby="users-caption" tabIndex={0}>
          <table className="table">
            <caption id="users-caption">Users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                {canManage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.displayName}</th>
                  <td>{u.email}</td>
                  <td>{roleLabel(u.role)}</td>
                  <td><span className={`badge badge-${u.status}`}>{u.status === 'active' ? 'Active' : 'Disabled'}</span></td>
                  <td>{formatDateTime(u.lastLoginAt, 'Never')}</td>
                  {canManage ? (
                    <td className="actions">
                      <button type="button" className="button button-small" onClick={() => setEditing(u)}>
                        Edit<span className="visually-hidden"> {u.displayName}</span>
                      </button>
                      <button type="button" className="button button-small" onClick={() => { reset.reset(); setResetting(u); }}>
                        Reset password<span className="visually-hidden"> for {u.displayName}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore shown={users.length} noun="users" hasMore={list.hasNextPage} isLoading={list.isFetchingNextPage} onLoadMore={() => void list.fetchNextPage()} />

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
      {resetting ? (
        <ConfirmDialog
          title={`Reset the password of ${resetting.displayName}?`}
          confirmLabel="Reset password"
          isDanger
          isBusy={reset.isPending}
          error={reset.error}
          onConfirm={() => reset.mutate(resetting)}
          onCancel={() => setResetting(null)}
        >
          <p>A new password is generated and shown to you once. {resetting.displayName} is signed out everywhere.</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
