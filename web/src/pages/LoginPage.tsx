// Sign-in with email and password. The server answers failures with one generic message
// (no hint whether the email exists) and 429 when sign-in is throttled.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ZLoginRequest, type SessionInfo } from '../../../contract/index.js';
import { api, ApiError, setCsrfToken, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { fieldErrorsOf, StatusMessage, TextField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { PublicLayout } from '../components/PublicLayout.js';
import { SESSION_KEY, useSessionQuery } from '../session.js';

type LoginState = { from?: string; notice?: string } | null;

function safeTarget(from: string | undefined): string {
  return from && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

function loginErrorText(err: unknown): string {
  if (!(err instanceof ApiError)) return 'Sign-in failed. Try again.';
  if (err.status === 429) {
    const minutes = err.retryAfterSeconds ? Math.max(1, Math.ceil(err.retryAfterSeconds / 60)) : undefined;
    return `${err.message}${minutes ? ` You can try again in about ${minutes} minute${minutes === 1 ? '' : 's'}.` : ''}`;
  }
  return err.message;
}

export function LoginPage() {
  const session = useSessionQuery();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const state = location.state as LoginState;
  const target = safeTarget(state?.from);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const login = useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api.post<SessionInfo>('/api/v1/auth/login', validate(ZLoginRequest, input), { allow401: true }),
    onSuccess: (info) => {
      setCsrfToken(info.csrfToken);
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, info);
      void navigate(target, { replace: true });
    },
  });

  if (session.data) return <Navigate to={target} replace />;

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate({ email, password });
  }

  const errors = fieldErrorsOf(login.error);
  const notice = state?.notice ?? (state?.from ? 'Sign in to continue.' : '');
  return (
    <PublicLayout>
      <Page title="Sign in">
        <StatusMessage>{notice}</StatusMessage>
        {login.error ? (
          <div className="error-summary" role="alert">
            <p className="error-summary-title">{loginErrorText(login.error)}</p>
          </div>
        ) : null}
        <form className="form" onSubmit={submit} noValidate aria-label="Sign in">
          <TextField
            id="login-email"
            label="Email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.email}
          />
          <TextField
            id="login-password"
            label="Password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
          />
          <FormActions label="Sign in" busyLabel="Signing in…" isBusy={login.isPending} />
        </form>
      </Page>
    </PublicLayout>
  );
}
