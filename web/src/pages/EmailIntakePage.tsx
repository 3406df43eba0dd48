// Settings: how email reaches the office — the addresses Civitas's mail listener accepts for
// it, and mailboxes elsewhere that it reads over IMAP.
import { useState } from 'react';
import { StatusMessage } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { ImapMailboxes } from './ImapMailboxes.js';
import { IntakeAddresses } from './IntakeAddresses.js';

export function EmailIntakePage() {
  const [notice, setNotice] = useState('');
  return (
    <Page title="Email intake" lead="How residents' email reaches the inbox: addresses this server receives mail at, and mailboxes elsewhere that it reads.">
      <StatusMessage>{notice}</StatusMessage>
      <IntakeAddresses onNotice={setNotice} />
      <ImapMailboxes onNotice={setNotice} />
    </Page>
  );
}
