// API tokens for integrations: list, create (the secret is shown once) and revoke.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { PERMISSIONS, ZCreateToken, type ApiToken, type Permission } from '../../../contract/index.js';
import { api, errorMessage, validate } from '../api/client.js';
import { keys } from '../api/queries.js';
import { ErrorSummary, fieldErrorsOf, TextField } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { Page } from '../components/Page.js';
import { SecretNotice } from '../components/SecretNotice.js';
import { formatDateTime } from '../format.js';
import { useSession } from '../session.js';

function CreateTokenForm({ onCreated, onCancel }: { onCreated: (r: { token: ApiToken; secret: string }) => void; onCancel: () => void }) {
  const session = useSession();
  // A token can only narrow its owner's permissions, so offer only the ones this user holds.
  const available = PERMISSIONS.filter((p) => session.permissions.includes(p));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Permission[]>([]);
  const [days, setDays] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.post<{ token: ApiToken; secret: string }>(
        '/api/v1/tokens',
        validate(ZCreateToken, { name, scopes, ...(days.trim() ? { expiresInDays: Number(days) } : {}) }),
      ),
    onSuccess: onCreated,
  });
  const errors = fieldErrorsOf(create.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  const scopeError = errors.scopes ?? Object.entries(errors).find(([k]) => k.startsWith('scopes.'))?.[1];
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
        {scopeError ? <p className="field-error" id="token-scopes-error"><span className="visually-hidden">Error: </span>{scopeError}</p> : null}
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
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
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
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [status, setStatus] = useState('');
  const tokens = useQuery({
    queryKey: keys.tokens(includeRevoked),
    queryFn: () => api.get<{ items: ApiToken[] }>('/api/v1/tokens', { includeRevoked }),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['tokens'] });
  const revoke = useMutation({
    mutationFn: (t: ApiToken) => api.delete<ApiToken>(`/api/v1/tokens/${t.id}`),
    onSuccess: (t) => {
      setRevoking(null);
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
      <p className="status-message" role="status">
        {status}
      </p>
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
        <p>
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Create a token
          </button>
        </p>
      )}
      <div className="field field-inline">
        <label className="check" htmlFor="tokens-include-revoked">
          <input id="tokens-include-revoked" type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} />
          Include revoked tokens
        </label>
      </div>
      {tokens.isPending ? <p role="status">Loading tokens…</p> : null}
      {tokens.isError ? <p role="alert" className="error-text">{errorMessage(tokens.error)}</p> : null}
      {tokens.data && tokens.data.items.length === 0 ? <p>No API tokens yet.</p> : null}
      {tokens.data && tokens.data.items.length > 0 ? (
        <div className="table-wrap" role="region" aria-labelledby="tokens-caption" tabIndex={0}>
          <table className="table">
            <caption id="tokens-caption">API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Owner</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
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
                        <button type="button" className="button button-small button-danger" onClick={() => { revoke.reset(); setRevoking(t); }}>
                          Revoke<span className="visually-hidden"> {t.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {revoking ? (
        <ConfirmDialog
          title={`Revoke token ${revoking.name}?`}
          confirmLabel="Revoke token"
          isDanger
          isBusy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(revoking)}
          onCancel={() => setRevoking(null)}
        >
          <p>Systems using this token stop working at once. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
