// API tokens for integrations: list, create (the secret is shown once) and revoke.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PERMISSIONS, ZCreateToken, type ApiToken, type Permission } from '../../../contract/index.js';
import { api, validate } from '../api/client.js';
import { keys } from '../api/queries.js';
import { DataTable } from '../components/DataTable.js';
import { FormActions } from '../components/FormActions.js';
import { errorAt, ErrorSummary, FieldError, StatusMessage, TextField } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { SecretNotice } from '../components/SecretNotice.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { useSession } from '../session.js';

function CreateTokenForm({ onCreated, onCancel }: { onCreated: (r: { token: ApiToken; secret: string }) => void; onCancel: () => void }) {
  const session = useSession();
  // A token can only narrow its owner's permissions, so offer only the ones this user holds.
  const available = PERMISSIONS.filter((p) => session.permissions.includes(p));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Permission[]>([]);
  const [days, setDays] = useState('');
  const { mutation: create, errors, submit } = useFormMutation({
    mutationFn: () =>
      api.post<{ token: ApiToken; secret: string }>(
        '/api/v1/tokens',
        validate(ZCreateToken, { name, scopes, ...(days.trim() ? { expiresInDays: Number(days) } : {}) }),
      ),
    onSuccess: onCreated,
  });
  const scopeError = errorAt(errors, 'scopes');
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="create-token-heading">
      <h2 id="create-token-heading">Create an API token</h2>
      <ErrorSummary
        error={create.error}
        fields={{
          name: { id: 'token-name', label: 'Name' },
          scopes: { id: `token-scope-${available[0] ?? ''}`, label: 'Scopes' },
          expiresInDays: { id: 'token-days', label: 'Expires after' },
        }}
      />
      <TextField id="token-name" label="Name" hint="What the token is for, such as “CRM sync”." required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <fieldset className={scopeError ? 'field field-invalid' : 'field'} aria-describedby={scopeError ? 'token-scopes-error' : 'token-scopes-hint'}>
        <legend>Scopes</legend>
        <p className="hint" id="token-scopes-hint">Choose at least one. The token can do only these things.</p>
        {scopeError ? <FieldError id="token-scopes-error">{scopeError}</FieldError> : null}
        <div className="checkbox-grid">
          {available.map((p) => (
            <label key={p} className="check" htmlFor={`token-scope-${p}`}>
              <input
                id={`token-scope-${p}`}
                type="checkbox"
                checked={scopes.includes(p)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, p] : scopes.filter((s) => s !== p))}
              />
              <code>{p}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <TextField
        id="token-days"
        label="Expires after (days, optional)"
        hint="Leave blank for a token that never expires."
        type="number"
        inputMode="numeric"
        min={1}
        max={3650}
        value={days}
        onChange={(e) => setDays(e.target.value)}
        error={errors.expiresInDays}
      />
      <FormActions label="Create token" busyLabel="Creating…" isBusy={create.isPending} onCancel={onCancel} />
    </form>
  );
}

function tokenState(t: ApiToken): { label: string; cls: string } {
  if (t.revokedAt) return { label: `Revoked ${formatDateTime(t.revokedAt)}`, cls: 'badge-disabled' };
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= Date.now()) return { label: 'Expired', cls: 'badge-disabled' };
  return { label: 'Active', cls: 'badge-active' };
}

export function TokensPage() {
  const queryClient = useQueryClient();
  const [includeRevoked, setIncludeRevoked] = useState(true);
  const [isCreating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ token: ApiToken; secret: string } | null>(null);
  const [status, setStatus] = useState('');
  const tokens = useQuery({
    queryKey: keys.tokens(includeRevoked),
    queryFn: () => api.get<{ items: ApiToken[] }>('/api/v1/tokens', { includeRevoked }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['tokens'] });
  const revoke = useConfirmedAction({
    mutationFn: (t: ApiToken) => api.delete<ApiToken>(`/api/v1/tokens/${t.id}`),
    onSuccess: (t) => {
      setStatus(`Token ${t.name} revoked.`);
      void refresh();
    },
  });

  return (
    <Page title="API tokens" lead="Tokens let other systems use the API as a user, limited to the scopes you choose.">
      {created ? (
        <SecretNotice title={`Token ${created.token.name} created`} label="Token" secret={created.secret} onDismiss={() => setCreated(null)}>
          <p>Send it as <code>Authorization: Bearer &lt;token&gt;</code>. Only a hash is stored, so it cannot be shown again.</p>
        </SecretNotice>
      ) : null}
      <StatusMessage>{status}</StatusMessage>
      {isCreating ? (
        <CreateTokenForm
          onCancel={() => setCreating(false)}
          onCreated={(r) => {
            setCreating(false);
            setCreated(r);
            void refresh();
          }}
        />
      ) : (
        <OpenFormButton onClick={() => setCreating(true)}>Create a token</OpenFormButton>
      )}
      <div className="field field-inline">
        <label className="check" htmlFor="tokens-include-revoked">
          <input id="tokens-include-revoked" type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} />
          Include revoked tokens
        </label>
      </div>
      <QueryStatus query={tokens} loading="Loading tokens…" isEmpty={tokens.data?.items.length === 0} empty="No API tokens yet." />
      {tokens.data && tokens.data.items.length > 0 ? (
        <DataTable id="tokens" caption="API tokens" columns={['Name', 'Prefix', 'Owner', 'Scopes', 'Last used', 'Expires', 'Status', 'Actions']}>
          {tokens.data.items.map((t) => {
            const state = tokenState(t);
            return (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td><code>{t.prefix}</code></td>
                <td>{t.userDisplayName}</td>
                <td>
                  <ul className="inline-list">
                    {t.scopes.map((s) => <li key={s}><code>{s}</code></li>)}
                  </ul>
                </td>
                <td>{formatDateTime(t.lastUsedAt, 'Never')}</td>
                <td>{formatDateTime(t.expiresAt, 'Never')}</td>
                <td><span className={`badge ${state.cls}`}>{state.label}</span></td>
                <td className="actions">
                  {t.revokedAt ? null : (
                    <button type="button" className="button button-small button-danger" onClick={() => revoke.ask(t)}>
                      Revoke<span className="visually-hidden"> {t.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
      {revoke.target ? (
        <ConfirmDialog title={`Revoke token ${revoke.target.name}?`} confirmLabel="Revoke token" isDanger {...revoke.confirmProps}>
          <p>Systems using this token stop working at once. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
