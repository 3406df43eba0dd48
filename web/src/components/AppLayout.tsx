// The signed-in shell: skip link, header (office, user, sign out), navigation filtered by
// the user's permissions, and the page in <main>. Without a session it sends people to sign in.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { Permission } from '../../../contract/index.js';
import { api, errorMessage, setCsrfToken } from '../api/client.js';
import { useInboxCounts } from '../api/queries.js';
import { roleLabel } from '../format.js';
import { NAV_ITEMS } from '../nav.js';
import { SESSION_KEY, SessionContext, useCan, useSession, useSessionQuery } from '../session.js';
import { Page } from './Page.js';
import { useRouteFocus } from './route-focus.js';
import { SiteBrand } from './SiteBrand.js';
import { SkipLink } from './SkipLink.js';

export function AppLayout() {
  const session = useSessionQuery();
  const location = useLocation();
  useRouteFocus();
  if (session.isPending) {
    return (
      <main id="main" tabIndex={-1} className="loading-shell">
        <p role="status">Loading Civitas…</p>
      </main>
    );
  }
  if (session.isError) {
    return (
      <main id="main" tabIndex={-1} className="loading-shell">
        <Page title="Civitas is unavailable">
          <p role="alert">{errorMessage(session.error)}</p>
          <button type="button" className="button" onClick={() => void session.refetch()}>
            Try again
          </button>
        </Page>
      </main>
    );
  }
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <SessionContext.Provider value={session.data}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const session = useSession();
  const can = useCan();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
      void navigate('/login', { replace: true, state: { notice: 'You have signed out.' } });
    },
  });
  const items = NAV_ITEMS.filter((item) => !item.permission || can(item.permission));
  return (
    <div className="app">
      <SkipLink />
      <header className="site-header">
        <div className="site-header-inner">
          <SiteBrand>{session.office.name}</SiteBrand>
          <div className="user-box">
            <p className="user-name">
              {session.user.displayName}
              <span className="user-role">{roleLabel(session.user.role)}</span>
            </p>
            <button type="button" className="button button-small" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
              {signOut.isPending ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </div>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/' || items.some((other) => other.to.startsWith(`${item.to}/`) && location.pathname.startsWith(other.to))}>
                  {item.label}
                  {item.to === '/inbox' ? <InboxCount /> : null}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          Civitas staff app · <a href="/api/docs">API reference</a>
        </p>
      </footer>
    </div>
  );
}

/** The inbox's new and needs-attention items, beside its link (nothing when none wait). */
function InboxCount() {
  const counts = useInboxCounts().data;
  const waiting = counts ? counts.new + counts.needsAttention : 0;
  if (!waiting) return null;
  return (
    <>
      {' '}
      <span className="nav-count">{waiting}</span>
      <span className="visually-hidden"> new or needing attention</span>
    </>
  );
}

/** Renders its page only for users holding the permission; explains otherwise. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const can = useCan();
  if (can(permission)) return <>{children}</>;
  return (
    <Page title="You do not have access to this page">
      <p>
        This page needs the <code>{permission}</code> permission, which your role does not have. Ask an administrator if you need it.
      </p>
    </Page>
  );
}
