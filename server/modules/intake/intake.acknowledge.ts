// The acknowledgement a resident gets when their email opens a case: the case reference and
// how to add to it. Never for automatic mail (the caller only acknowledges messages), never
// to someone who may not be contacted, never when the address it came to has
// acknowledgements off, and at most ACK_LIMIT_PER_HOUR per sender, so a flood or a mail
// loop with another auto-responder cannot make the office send a flood back.
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import { mayContact } from '../constituents/constituents.consent.js';
import { enqueueEmail } from '../messages/messages.outbox.js';
import * as offices from '../offices/offices.service.js';
import * as caseLookup from '../cases/cases.intake.js';
import type { Reading } from './intake.readers.js';
import * as repo from './intake.repo.js';

export const ACK_LIMIT_PER_HOUR = 3;

const baseAddress = (recipient: string) => recipient.toLowerCase().replace(/\+[^@]*@/, '@');

export async function acknowledge(trx: Executor, scope: Scope, item: repo.ItemRow, reading: Reading, caseId: string): Promise<boolean> {
  if (item.channel !== 'email' || reading.kind !== 'message' || !reading.senderEmail || !item.constituent_id) return false;
  if (item.recipient) {
    const address = await repo.addressOwner(trx, baseAddress(item.recipient));
    if (address && (address.office_id !== scope.officeId || !address.acknowledge)) return false;
  }
  const decision = await mayContact(trx, scope.officeId, item.constituent_id, 'email', 'casework');
  if (!decision.allowed) return false;
  if ((await repo.acknowledgedSince(trx, scope.officeId, reading.senderEmail, new Date(Date.now() - 3600_000))) >= ACK_LIMIT_PER_HOUR) return false;
  const c = await caseLookup.caseById(trx, scope.officeId, caseId);
  if (!c) return false;
  const office = await offices.get(scope);
  await enqueueEmail(trx, scope, {
    to: reading.senderEmail,
    subject: `[${c.reference}] We have received your message`,
    text: [
      `Thank you for contacting ${office.name}.`,
      '',
      `Your message has been recorded as case ${c.reference}. Please keep this reference; reply to this email to add anything to your case.`,
      '',
      office.name,
    ].join('\n'),
    caseId, constituentId: item.constituent_id, kind: 'acknowledgement', dedupeKey: `ack:${item.id}`,
  });
  await repo.update(trx, scope.officeId, item.id, { acknowledged: true });
  return true;
}
