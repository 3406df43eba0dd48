// The signed-in resident's menu: their requests, contact preferences, the download of their
// data, and signing out (a post, with the form token).
import type { Translator } from '../portal.i18n.js';

export type AccountSection = 'requests' | 'preferences';

export function AccountNav({ t, slug, email, current, formToken }: { t: Translator; slug: string; email: string; current: AccountSection; formToken: string }) {
  const base = `/portal/${slug}/account`;
  const link = (section: AccountSection, href: string) => (
    <li><a href={`${href}?lang=${t.lang}`} aria-current={current === section ? 'page' : undefined}>{t.t(`account.nav.${section}`)}</a></li>
  );
  return (
    <div className="account-bar">
      <p>{t.t('account.signedInAs', { email })}</p>
      <nav aria-label={t.t('account.nav.label')}>
        <ul>
          {link('requests', base)}
          {link('preferences', `${base}/preferences`)}
          <li><a href={`${base}/data?lang=${t.lang}`} download>{t.t('account.nav.download')}</a></li>
        </ul>
      </nav>
      <form method="post" action={`${base}/sign-out?lang=${t.lang}`}>
        <input type="hidden" name="formToken" value={formToken} />
        <button type="submit" className="secondary">{t.t('account.signOut')}</button>
      </form>
    </div>
  );
}
