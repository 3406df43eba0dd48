// The portal's one page shell: the language in <html lang>, a skip link, the office's name,
// logo and colour, the language switcher (links to this page in each language), the footer.
// No scripts, except a page's own progressive enhancement (`scripts`, deferred): every page
// works without them.
import type { ReactNode } from 'react';
import type { Translator } from '../portal.i18n.js';
import { themeOf } from '../portal.theme.js';

export type PortalOffice = { slug: string; name: string; branding: { primaryColor?: string | undefined; logoUrl?: string | undefined } };

export type Page = { t: Translator; office: PortalOffice | null; title: string; path: string; hasErrors?: boolean };

const withLang = (path: string, lang: string) => `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;

export function Layout({ t, office, title, path, hasErrors, scripts, styles, children }: Page & { scripts?: string[]; styles?: string[]; children: ReactNode }) {
  const theme = themeOf(office?.branding.primaryColor);
  const fullTitle = `${hasErrors ? t.t('page.errorTitle', { title }) : title}${office ? ` – ${office.name}` : ''}`;
  return (
    <html lang={t.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href="/portal/portal.css" />
        <style>{`:root{--brand:${theme.brand};--on-brand:${theme.onBrand}}`}</style>
        {styles?.map((href) => <link key={href} rel="stylesheet" href={href} />)}
        {scripts?.map((src) => <script key={src} src={src} defer />)}
      </head>
      <body>
        <a className="skip-link" href="#main">{t.t('layout.skip')}</a>
        <header className="brand">
          <div className="wrap">
            {office ? (
              <a className="office" href={`/portal/${office.slug}`}>
                {office.branding.logoUrl ? <img src={office.branding.logoUrl} alt={t.t('layout.logoAlt', { office: office.name })} /> : null}
                <span>{office.name}</span>
              </a>
            ) : <span className="office">Civitas</span>}
            {office ? <a className="account-link" href={`/portal/${office.slug}/account?lang=${t.lang}`}>{t.t('layout.account')}</a> : null}
            <nav className="languages" aria-label={t.t('layout.languages')}>
              <ul>
                {t.languages.map((l) => (
                  <li key={l.code}>
                    <a href={withLang(path, l.code)} hrefLang={l.code} lang={l.code} aria-current={l.code === t.lang ? 'true' : undefined}>{l.name}</a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <div className="wrap">{children}</div>
        </main>
        <footer>
          <div className="wrap">
            {office ? <p>{t.t('layout.footer', { office: office.name })}</p> : null}
            {office ? <p><a href={`/portal/${office.slug}`}>{t.t('layout.footerHome')}</a></p> : null}
            {office ? <p><a href={`/portal/${office.slug}/open-data?lang=${t.lang}`}>{t.t('layout.openData')}</a></p> : null}
          </div>
        </footer>
      </body>
    </html>
  );
}

export type FieldError = { field: string; message: string };

/** The problems at the top of a form, each a link to its field. */
export function ErrorSummary({ t, errors }: { t: Translator; errors: FieldError[] }) {
  if (!errors.length) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-title" tabIndex={-1}>
      <h2 id="error-title">{t.t('errors.heading')}</h2>
      <ul>{errors.map((e) => <li key={e.field + e.message}><a href={`#${e.field}`}>{e.message}</a></li>)}</ul>
    </div>
  );
}

/** A field's own problem, shown beside it. */
export function FieldMessage({ t, id, errors }: { t: Translator; id: string; errors: FieldError[] }) {
  const e = errors.find((x) => x.field === id);
  return e ? <p className="field-error" id={`${id}-error`}><span className="visually-hidden">{t.t('errors.prefix')} </span>{e.message}</p> : null;
}

/** The ARIA attributes of a field: its hint and problem as descriptions, and whether it is invalid. */
export function aria(id: string, errors: FieldError[], hint?: string) {
  const hasError = errors.some((x) => x.field === id);
  const describedBy = [hint, hasError ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return { ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(hasError ? { 'aria-invalid': true as const } : {}) };
}
