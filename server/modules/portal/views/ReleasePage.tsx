// The privacy-release signing form: the office's consent statement verbatim, then the
// resident's full name (their signature), today's date and an explicit consent tick. Problems
// are listed first (each linking to its field) and shown beside the field; what was typed is
// kept. The CSRF field pairs with the page's cookie (portal.release-routes.ts).
import { aria, ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';

export type ReleaseView = { caseReference: string; consentText: string; expiresAt: Date };

export type ReleaseProps = Page & {
  release: ReleaseView;
  csrf: string;
  action: string;
  values?: { typedName?: string | undefined; signedDate?: string | undefined };
  errors?: FieldError[];
};

export const DATE_EXAMPLE = '2026-12-06';

export function ReleasePage(p: ReleaseProps) {
  const { t, office } = p;
  const errors = p.errors ?? [];
  const v = p.values ?? {};
  return (
    <Layout {...p} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t.t('release.title', { reference: p.release.caseReference })}</h1>
      <p>{t.t('release.intro', { office: office!.name, date: t.date(p.release.expiresAt) })}</p>
      <h2>{t.t('release.statement')}</h2>
      <div className="statement" id="consent-text">{p.release.consentText}</div>
      <form method="post" action={p.action} noValidate>
        <input type="hidden" name="csrf" value={p.csrf} />
        <label htmlFor="typedName">{t.t('release.name.label')}</label>
        <p className="hint" id="typedName-hint">{t.t('release.name.hint', { office: office!.name })}</p>
        <FieldMessage t={t} id="typedName" errors={errors} />
        <input type="text" id="typedName" name="typedName" autoComplete="name" required maxLength={200} defaultValue={v.typedName ?? ''} {...aria('typedName', errors, 'typedName-hint')} />
        <label htmlFor="signedDate">{t.t('release.date.label')}</label>
        <p className="hint" id="signedDate-hint">{t.t('release.date.hint', { example: DATE_EXAMPLE })}</p>
        <FieldMessage t={t} id="signedDate" errors={errors} />
        <input type="date" id="signedDate" name="signedDate" required defaultValue={v.signedDate ?? ''} {...aria('signedDate', errors, 'signedDate-hint')} />
        <FieldMessage t={t} id="consent" errors={errors} />
        <div className="choice">
          <input type="checkbox" id="consent" name="consent" value="yes" required {...aria('consent', errors, 'consent-text')} />
          <label htmlFor="consent">{t.t('release.consent.label')}</label>
        </div>
        <button type="submit">{t.t('release.submit')}</button>
      </form>
    </Layout>
  );
}
