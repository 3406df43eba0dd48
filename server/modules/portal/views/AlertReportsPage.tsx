// The reports of the last 30 days that match a subscription (the "and N more" link of an alert
// email): only what public reports show (reference, category, date, ward, status, how far).
import type { AlertReport } from '../../alerts/alerts.present.js';
import { reportLine } from '../../alerts/alerts.present.js';
import { Layout, type Page } from './Layout.js';

export function AlertReportsPage(p: Page & { area: string; reports: AlertReport[]; manageHref: string }) {
  const { t } = p;
  return (
    <Layout {...p}>
      <h1>{t.t('alerts.reports.heading')}</h1>
      <p>{t.t('alerts.reports.intro', { area: p.area, count: p.reports.length })}</p>
      {p.reports.length ? <ul>{p.reports.map((r) => <li key={r.id}>{reportLine(t, r)}</li>)}</ul> : null}
      <p><a href={p.manageHref}>{t.t('alerts.manage.heading')}</a></p>
    </Layout>
  );
}
