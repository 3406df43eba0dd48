// A sign-in link, opened: a button that signs in. Opening the link alone uses nothing up, so a
// mail scanner that fetches it does not spend it.
import { Layout, type Page } from './Layout.js';

export function AccountLinkPage(p: Page & { action: string; formToken: string }) {
  const { t, office } = p;
  return (
    <Layout {...p}>
      <h1>{t.t('account.link.title')}</h1>
      <p>{t.t('account.link.text', { office: office!.name })}</p>
      <form method="post" action={p.action}>
        <input type="hidden" name="formToken" value={p.formToken} />
        <button type="submit">{t.t('account.link.submit')}</button>
      </form>
    </Layout>
  );
}
