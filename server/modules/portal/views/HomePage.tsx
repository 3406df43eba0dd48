// The portal's home: report a problem, or track a request by its reference and the email or
// phone it was sent with (the lookup's problems are shown here too).
import { aria, ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';

export type HomeProps = Page & { formToken: string; values?: { reference?: string | undefined; contact?: string | undefined }; errors?: FieldError[] };

export function HomePage(p: HomeProps) {
  const { t, office } = p;
  const errors = p.errors ?? [];
  const slug = office!.slug;
  return (
    <Layout {...p} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t.t('home.title')}</h1>
      <p>{t.t('home.intro', { office: office!.name })}</p>
      <div className="cards">
        <section className="card" aria-labelledby="report-heading">
          <h2 id="report-heading">{t.t('home.report.heading')}</h2>
          <p>{t.t('home.report.text')}</p>
          <a className="button" href={`/portal/${slug}/report?lang=${t.lang}`}>{t.t('home.report.link')}</a>
        </section>
        <section className="card" aria-labelledby="track-heading">
          <h2 id="track-heading">{t.t('home.track.heading')}</h2>
          <p>{t.t('home.track.text')}</p>
          <form method="post" action={`/portal/${slug}/track?lang=${t.lang}`} noValidate>
            <input type="hidden" name="formToken" value={p.formToken} />
            <label htmlFor="reference">{t.t('lookup.reference.label')}</label>
            <p className="hint" id="reference-hint">{t.t('lookup.reference.hint')}</p>
            <FieldMessage t={t} id="reference" errors={errors} />
            <input type="text" id="reference" name="reference" autoComplete="off" spellCheck={false} maxLength={40} defaultValue={p.values?.reference ?? ''} {...aria('reference', errors, 'reference-hint')} />
            <label htmlFor="contact">{t.t('lookup.contact.label')}</label>
            <FieldMessage t={t} id="contact" errors={errors} />
            <input type="text" id="contact" name="contact" autoComplete="email" maxLength={320} defaultValue={p.values?.contact ?? ''} {...aria('contact', errors)} />
            <button type="submit">{t.t('lookup.submit')}</button>
          </form>
        </section>
        <section className="card" aria-labelledby="alerts-heading">
          <h2 id="alerts-heading">{t.t('home.alerts.heading')}</h2>
          <p>{t.t('home.alerts.text')}</p>
          <a className="button" href={`/portal/${slug}/alerts?lang=${t.lang}`}>{t.t('home.alerts.link')}</a>
        </section>
      </div>
    </Layout>
  );
}
