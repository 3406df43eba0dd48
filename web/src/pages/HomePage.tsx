// The office at a glance: its settings, business hours and links to what this user may do.
import { Link } from 'react-router-dom';
import { DAYS } from '../../../contract/index.js';
import { useOffice } from '../api/queries.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { DAY_NAMES } from '../format.js';
import { NAV_ITEMS } from '../nav.js';
import { useCan, useSession } from '../session.js';

export function HomePage() {
  const session = useSession();
  const can = useCan();
  const office = useOffice();
  const links = NAV_ITEMS.filter((item) => item.to !== '/' && (!item.permission || can(item.permission)));
  return (
    <Page title="Home" lead={`Welcome, ${session.user.displayName}.`}>
      <section aria-labelledby="office-heading" className="card">
        <h2 id="office-heading">Office overview</h2>
        <QueryStatus query={office} loading="Loading office…" />
        {office.data ? (
          <>
            <dl className="facts">
              <div><dt>Name</dt><dd>{office.data.name}</dd></div>
              <div><dt>Time zone</dt><dd>{office.data.timeZone}</dd></div>
              <div><dt>Locale</dt><dd>{office.data.locale}</dd></div>
              <div><dt>Default region</dt><dd>{office.data.defaultRegion}</dd></div>
            </dl>
            <table className="table table-compact">
              <caption>Business hours ({office.data.timeZone})</caption>
              <thead>
                <tr><th scope="col">Day</th><th scope="col">Open</th></tr>
              </thead>
              <tbody>
                {DAYS.map((day) => {
                  const spans = office.data.businessHours[day];
                  return (
                    <tr key={day}>
                      <th scope="row">{DAY_NAMES[day]}</th>
                      <td>{spans.length ? spans.map(([from, to]) => `${from}–${to}`).join(', ') : 'Closed'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        ) : null}
      </section>
      <section aria-labelledby="links-heading" className="card">
        <h2 id="links-heading">Quick links</h2>
        <ul className="quick-links">
          {links.map((item) => (
            <li key={item.to}>
              <Link to={item.to}>{item.label}</Link>
              <span className="hint"> — {item.description}</span>
            </li>
          ))}
          <li>
            <a href="/api/docs">API reference</a>
            <span className="hint"> — every endpoint, for integrators</span>
          </li>
        </ul>
      </section>
    </Page>
  );
}
