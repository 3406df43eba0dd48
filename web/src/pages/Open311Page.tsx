// Settings: Open311 GeoReport v2 — where clients find the office's endpoint, which case
// categories it publishes as services, and the API keys integrators post with.
import { useState } from 'react';
import { CopyText } from '../components/CopyText.js';
import { StatusMessage } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { useSession } from '../session.js';
import { serverOrigin } from './IntakeQueries.js';
import { Open311Keys } from './Open311Keys.js';
import { Open311Services } from './Open311Services.js';

export function Open311Page() {
  const { office } = useSession();
  const [notice, setNotice] = useState('');
  const endpoint = `${serverOrigin()}/open311/v2/`;
  const serviceList = `${endpoint}services.json?jurisdiction_id=${encodeURIComponent(office.slug)}`;
  return (
    <Page title="Open311" lead="Apps and other systems report issues to the office and follow them through the Open311 GeoReport v2 standard.">
      <StatusMessage>{notice}</StatusMessage>
      <section aria-labelledby="open311-endpoint-heading">
        <h2 id="open311-endpoint-heading">Endpoint</h2>
        <p>
          Give integrators the endpoint and the office's jurisdiction id, <code>{office.slug}</code>. The published services are listed at{' '}
          <a href={serviceList}>{serviceList}</a>.
        </p>
        <CopyText label="Endpoint URL" value={endpoint} />
      </section>
      <Open311Services onNotice={setNotice} />
      <Open311Keys onNotice={setNotice} />
    </Page>
  );
}
