// A signed-in resident's requests to the office, newest first, a page at a time: reference
// (a link to the request's page), topic, status in the resident's words, and the date sent.
import type { RequestRow } from '../portal.account-data.js';
import { AccountNav } from './AccountNav.js';
import { Layout, type Page } from './Layout.js';

export type AccountRequestsProps = Page & { email: string; formToken: string; items: RequestRow[]; page: number; pages: number; total: number; isSignedIn?: boolean };

export function AccountRequestsPage(p: AccountRequestsProps) {
  const { t, office } = p;
  const base = `/portal/${office!.slug}/account`;
  const pageHref = (n: number) => `${base}?page=${n}&lang=${t.lang}`;
  return (
    <Layout {...p}>
      {p.isSignedIn ? <p className="notice" role="status">{t.t('account.signedIn')}</p> : null}
      <AccountNav t={t} slug={office!.slug} email={p.email} current="requests" formToken={p.formToken} />
      <h1>{t.t('account.requests.title')}</h1>
      <p>{t.t('account.requests.count', { count: p.total })}</p>
      {p.items.length ? (
        <table className="requests">
          <caption className="visually-hidden">{t.t('account.requests.caption', { page: p.page, pages: p.pages })}</caption>
          <thead>
            <tr><th scope="col">{t.t('track.reference')}</th><th scope="col">{t.t('track.category')}</th><th scope="col">{t.t('track.status')}</th><th scope="col">{t.t('track.submitted')}</th></tr>
          </thead>
          <tbody>
            {p.items.map((r) => (
              <tr key={r.reference}>
                <th scope="row"><a href={`${r.href}?lang=${t.lang}`}>{r.reference}</a></th>
                <td>{r.isSensitive ? t.t('account.requests.private') : r.topic ?? t.t('account.requests.noTopic')}</td>
                <td><span className="status">{t.t(`status.${r.status}`)}</span></td>
                <td>{r.createdAt ? <time dateTime={r.createdAt.toISOString()}>{t.date(r.createdAt)}</time> : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p>{t.t('account.requests.none', { email: p.email })}</p>}
      {p.pages > 1 ? (
        <nav className="pages" aria-label={t.t('account.requests.pages')}>
          <ul>
            {p.page > 1 ? <li><a href={pageHref(p.page - 1)} rel="prev">{t.t('account.requests.previous')}</a></li> : null}
            <li aria-current="page">{t.t('account.requests.caption', { page: p.page, pages: p.pages })}</li>
            {p.page < p.pages ? <li><a href={pageHref(p.page + 1)} rel="next">{t.t('account.requests.next')}</a></li> : null}
          </ul>
        </nav>
      ) : null}
    </Layout>
  );
}
