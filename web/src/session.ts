// Who is signed in: the session query, the context the signed-in shell provides, and the
// permission check every page and the navigation use.
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { Permission, SessionInfo } from '../../contract/index.js';
import { api, ApiError, setCsrfToken } from './api/client.js';

export const SESSION_KEY = ['session'] as const;

/** The session, or null when nobody is signed in. Keeps the CSRF token current. */
export async function fetchSession(): Promise<SessionInfo | null> {
  try {
    const session = await api.get<SessionInfo>('/api/v1/auth/session', undefined, { allow401: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function useSessionQuery() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 5 * 60_000, retry: false });
}

export const SessionContext = createContext<SessionInfo | null>(null);

/** The signed-in session; only for components rendered inside the signed-in shell. */
export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession used outside the signed-in shell');
  return session;
}

export function useCan(): (permission: Permission) => boolean {
  const session = useSession();
  return (permission) => session.permissions.includes(permission);
}
