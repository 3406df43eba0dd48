// Sign in to the portal: an email address, to which a one-time sign-in link is sent.
import { aria, ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';

export type AccountSignInProps = Page & { formToken: string; linkMinutes: number; isSignedOut?: boolean; values?: { email?: string | undefined }; errors?: FieldError[] };

export function AccountSignInPage(p: AccountSignInProps) {
  const { t, office } = p;
  const errors = p.errors ?? [];
  return (
    <Layout {...p} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      {p.isSignedOut ? <p className="notice" role="status">{t.t('account.signedOut')}</p> : null}
      <h1>{t.t('account.signIn.title')}</h1>
      <p>{t.t('account.signIn.intro', { office: office!.name })}</p>
      <form method="post" action={`/portal/${office!.slug}/account/sign-in?lang=${t.lang}`} noValidate>
        <input type="hidden" name="formToken" value={p.formToken} />
        <label htmlFor="email">{t.t('report.email.label')}</label>
        <p className="hint" id="email-hint">{t.t('account.signIn.hint', { minutes: p.linkMinutes })}</p>
        <FieldMessage t={t} id="email" errors={errors} />
        <input type="email" id="email" name="email" autoComplete="email" spellCheck={false} maxLength={320} defaultValue={p.values?.email ?? ''} {...aria('email', errors, 'email-hint')} />
        <button type="submit">{t.t('account.signIn.submit')}</button>
      </form>
      <p>{t.t('account.signIn.noAccount')}</p>
    </Layout>
  );
}
