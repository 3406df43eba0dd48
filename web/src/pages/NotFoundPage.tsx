// Shown for any address the app does not know.
import { Link, useLocation } from 'react-router-dom';
import { Page } from '../components/Page.js';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Page title="Page not found">
      <p>
        There is no page at <code>{pathname}</code>. Check the address, or go back to the <Link to="/">home page</Link>.
      </p>
    </Page>
  );
}
