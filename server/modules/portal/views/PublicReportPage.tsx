// A report as anyone may see it (reached from "Is this the same problem?" on the report form):
// its reference, topic, status, when it was reported and in which ward. Never who sent it,
// what they wrote, or anything staff wrote. Anyone may follow it: an email address, told of
// its status changes once they confirm the emailed link.
import { aria, ErrorSummary, FieldMessage, Layout, type FieldError, type Page } from './Layout.js';
import type { PublicReport } from '../../cases/cases.public-reports.js';

export type PublicReportProps = Page & {
  report: PublicReport; status: string; formToken: string; isFollowSent: boolean; values?: { email?: string | undefined }; errors?: FieldError[];
};

export function PublicReportPage(p: PublicReportProps) {
  const { t, report } = p;
  const errors = p.errors ?? [];
  const slug = p.office!.slug;
  return (
    <Layout {...p} hasErrors={errors.length > 0}>
      <ErrorSummary t={t} errors={errors} />
      <h1>{t.t('publicReport.title', { reference: report.reference })}</h1>
      <dl className="summary">
        <dt>{t.t('publicReport.topic')}</dt><dd>{report.categoryName}</dd>
        <dt>{t.t('publicReport.status')}</dt><dd>{p.status}</dd>
        <dt>{t.t('publicReport.reported')}</dt><dd>{t.date(report.createdAt)}</dd>
        {report.wardName ? <><dt>{t.t('publicReport.ward')}</dt><dd>{report.wardName}</dd></> : null}
      </dl>
      <p>{t.t('publicReport.privacy')}</p>
      <section className="card" aria-labelledby="follow-heading">
        <h2 id="follow-heading">{t.t('follow.heading')}</h2>
        {p.isFollowSent ? (
          <p role="status">{t.t('follow.sent')}</p>
        ) : (
          <form method="post" action={`/portal/${slug}/reports/${encodeURIComponent(report.reference)}/follow?lang=${t.lang}`} noValidate>
            <p>{t.t('follow.text')}</p>
            <input type="hidden" name="formToken" value={p.formToken} />
            <label htmlFor="email">{t.t('report.email.label')}</label>
            <FieldMessage t={t} id="email" errors={errors} />
            <input type="email" id="email" name="email" autoComplete="email" spellCheck={false} maxLength={320} defaultValue={p.values?.email ?? ''} {...aria('email', errors)} />
            <FieldMessage t={t} id="consent" errors={errors} />
            <div className="choice">
              <input type="checkbox" id="consent" name="consent" value="yes" {...aria('consent', errors)} />
              <label htmlFor="consent">{t.t('follow.consent.label', { office: p.office!.name, reference: report.reference })}</label>
            </div>
            <button type="submit">{t.t('follow.submit')}</button>
          </form>
        )}
      </section>
      <p><a href={`/portal/${slug}/report?lang=${t.lang}`}>{t.t('publicReport.reportOther')}</a></p>
    </Layout>
  );
}
