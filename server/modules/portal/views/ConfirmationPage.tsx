// After a report: its reference (or that it is received and will get one), and the signed
// tracking link to keep.
import { Layout, type Page } from './Layout.js';

export function ConfirmationPage(p: Page & { reference: string | null; trackingUrl: string }) {
  const { t, office } = p;
  return (
    <Layout {...p}>
      <div className="done">
        <h1>{t.t('confirm.heading')}</h1>
        {p.reference ? (
          <>
            <p>{t.t('confirm.reference')}</p>
            <p className="reference">{p.reference}</p>
            <p>{t.t('confirm.keep', { office: office!.name })}</p>
          </>
        ) : <p>{t.t('confirm.received', { office: office!.name })}</p>}
      </div>
      <h2>{t.t('confirm.trackLink')}</h2>
      <p>{t.t('confirm.track')}</p>
      <p className="link-box"><a href={p.trackingUrl}>{p.trackingUrl}</a></p>
      <p>{t.t('confirm.trackHint')}</p>
    </Layout>
  );
}
