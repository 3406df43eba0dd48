// An address's area alerts in the office (reached by the manage link of its emails): each with
// its area, how often, whether it awaits confirmation, and a button to unsubscribe it; a
// notice after confirming or unsubscribing.
import type { Listed } from '../../alerts/alerts.service.js';
import { Layout, type Page } from './Layout.js';

export type AlertManageProps = Page & { items: Listed[]; notice: string | null; formToken: string; unsubscribeAction: (token: string) => string; subscribeHref: string };

export function AlertManagePage(p: AlertManageProps) {
  const { t } = p;
  return (
    <Layout {...p}>
      {p.notice ? <div className="done" role="status"><p>{p.notice}</p></div> : null}
      <h1>{t.t('alerts.manage.heading')}</h1>
      {p.items.length ? (
        <ul className="alerts">
          {p.items.map((s, i) => (
            <li key={s.unsubscribeToken} className="card">
              <h2 id={`alert-${i}`}>{s.area}</h2>
              <p>{s.frequency}{s.isPending ? ` · ${t.t('alerts.manage.pending')}` : ''}</p>
              <form method="post" action={p.unsubscribeAction(s.unsubscribeToken)}>
                <input type="hidden" name="formToken" value={p.formToken} />
                <button type="submit" className="secondary" aria-describedby={`alert-${i}`}>{t.t('alerts.unsubscribe.button')}</button>
              </form>
            </li>
          ))}
        </ul>
      ) : <p>{t.t('alerts.manage.none')}</p>}
      <p><a href={p.subscribeHref}>{t.t('alerts.manage.another')}</a></p>
    </Layout>
  );
}
