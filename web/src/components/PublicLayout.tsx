// The shell for pages shown before signing in: skip link, a plain header and <main>.
import type { ReactNode } from 'react';
import { useRouteFocus } from './route-focus.js';
import { SiteBrand } from './SiteBrand.js';
import { SkipLink } from './SkipLink.js';

export function PublicLayout({ children }: { children: ReactNode }) {
  useRouteFocus();
  return (
    <div className="app app-public">
      <SkipLink />
      <header className="site-header">
        <div className="site-header-inner">
          <SiteBrand>Staff sign-in</SiteBrand>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="narrow">
        {children}
      </main>
    </div>
  );
}
