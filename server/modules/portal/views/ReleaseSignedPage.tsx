// After signing a privacy release: that the consent is recorded, and the signature's
// reference (the content hash staff can verify it by).
import { Layout, type Page } from './Layout.js';

export function ReleaseSignedPage(p: Page & { caseReference: string; hash: string }) {
  const { t, office } = p;
  return (
    <Layout {...p}>
      <div className="done">
        <h1>{t.t('release.signed.heading')}</h1>
        <p>{t.t('release.signed.text', { office: office!.name, reference: p.caseReference })}</p>
        <p>{t.t('release.signed.hash')}</p>
        <p className="link-box"><code>{p.hash}</code></p>
      </div>
    </Layout>
  );
}
