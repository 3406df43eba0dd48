// The acknowledgement a resident gets when what they sent opens a case: the case reference,
// on the channel they used. An email is answered by email and a text by text; a request from
// the public form or Open311 by email to the address typed in that submission, else by text
// to the mobile typed there when the office sends texts (never to another contact point of a
// record the details may match: typed details prove nothing), or by text first when the
// resident asked the portal for text messages. The wording names the case and
// the office only, nothing of any record on file; a request from the portal or the public
// form also gets its tracking link (the one resident updates send), in the email and the text.
// Never for automatic mail (the caller only acknowledges messages); never to someone who may
// not be contacted on that channel (mayContact, for the item's sender and for any record on
// file holding the address); never by text to a number that texted STOP, to a landline, or
// from an office without SMS switched on; never when the address an email came to has
// acknowledgements off; and at most ACK_LIMIT_PER_HOUR per address, so a flood or a loop with
// another auto-responder cannot make the office send a flood back.
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import { mayContact } from '../constituents/constituents.consent.js';
import { findSender } from '../constituents/constituents.intake.js';
import { mayTakeTexts } from '../constituents/constituents.normalize.js';
import { enqueueEmail, enqueueSms, messagesPublicUrl, SMS_MAX_CHARS } from '../messages/messages.outbox.js';
import type { TemplateRef } from '../messages/messages.repo.js';
import * as offices from '../offices/offices.service.js';
import * as caseLookup from '../cases/cases.intake.js';
import { splitSms } from '../sms/sms.segments.js';
import { whyNotTextable } from '../sms/sms.sender.js';
import { caseTrackingLink } from './intake.form-token.js';
import type { Reading } from './intake.readers.js';
import * as repo from './intake.repo.js';

export const ACK_LIMIT_PER_HOUR = 3;

type Target = { channel: 'email' | 'sms'; to: string };

const baseAddress = (recipient: string) => recipient.toLowerCase().replace(/\+[^@]*@/, '@');

/** Where the acknowledgement would go, by the item's channel; null when that channel gets none. */
async function targetOf(trx: Executor, scope: Scope, item: repo.ItemRow, reading: Reading): Promise<Target | null> {
  switch (item.channel) {
    case 'email': {
      if (!reading.senderEmail) return null;
      const address = item.recipient ? await repo.addressOwner(trx, baseAddress(item.recipient)) : undefined;
      if (address && (address.office_id !== scope.officeId || !address.acknowledge)) return null;
      return { channel: 'email', to: reading.senderEmail };
    }
    case 'sms':
      return reading.senderPhone ? { channel: 'sms', to: reading.senderPhone } : null;
    case 'web':
    case 'open311':
      if (reading.replyChannel === 'sms' && reading.senderPhone && mayTakeTexts(reading.senderPhone)) return { channel: 'sms', to: reading.senderPhone };
      if (reading.senderEmail) return { channel: 'email', to: reading.senderEmail };
      return reading.senderPhone && mayTakeTexts(reading.senderPhone) ? { channel: 'sms', to: reading.senderPhone } : null;
    default:
      return null;
  }
}

/** The item's sender may be contacted there, and so may a record on file holding the address; a text must be deliverable. */
async function mayAcknowledge(trx: Executor, officeId: string, constituentId: string, t: Target): Promise<boolean> {
  if (!(await mayContact(trx, officeId, constituentId, t.channel, 'casework')).allowed) return false;
  const holder = await findSender(trx, officeId, t.channel === 'email' ? { email: t.to } : { phone: t.to });
  if (holder && holder.id !== constituentId && !(await mayContact(trx, officeId, holder.id, t.channel, 'casework')).allowed) return false;
  return t.channel === 'email' || (await whyNotTextable(trx, officeId, t.to)) === null;
}

/**
 * The text message: the fullest wording that fits one SMS segment, or two with a tracking link
 * (a link alone takes most of one); a long or non-Latin office name gives way first, then the
 * closing words, never the link. `canReply`: a text back threads into the case (the sender's
 * own number); a number typed into a form may belong to someone with other open cases.
 */
export function ackSms(officeName: string, reference: string, noun: string, canReply: boolean, trackingLink = ''): string {
  const tail = canReply ? ' Reply to this number to add to it.' : ' Please quote it if you contact us about it.';
  const wordings = trackingLink ? [
    `${officeName}: thank you, we have your ${noun} as case ${reference}. Follow it at ${trackingLink}${tail}`,
    `${officeName}: thank you, we have your ${noun} as case ${reference}. Follow it at ${trackingLink}`,
    `Thank you, we have your ${noun} as case ${reference}. Follow it at ${trackingLink}`,
    `We have your ${noun} as case ${reference}: ${trackingLink}`,
  ] : [
    `${officeName}: thank you, we have your ${noun} as case ${reference}.${tail}`,
    `Thank you, we have your ${noun} as case ${reference}.${tail}`,
    `We have your ${noun} as case ${reference}.`,
  ];
  const segments = trackingLink ? 2 : 1;
  return wordings.find((w) => splitSms(w).segments.length <= segments) ?? wordings.at(-1)!;
}

/** Text to send instead of the standard acknowledgement (an approved reply, already merged). */
export type AckContent = { subject: string; text: string; kind: string; template: TemplateRef };

/** What was sent: the given content, the standard wording (the content did not fit the channel), or nothing. */
export type AckOutcome = 'content' | 'standard' | null;

/**
 * Acknowledges the item on its channel: the standard wording, or `content` (triage's approved
 * reply) under the same rules of who may be sent what. Content too long for a text message
 * gives way to the standard wording. Null: nothing was sent (see above).
 */
export async function acknowledge(trx: Executor, scope: Scope, item: repo.ItemRow, reading: Reading, caseId: string, content?: (reference: string) => Promise<AckContent>): Promise<AckOutcome> {
  if (reading.kind !== 'message' || !item.constituent_id) return null;
  const target = await targetOf(trx, scope, item, reading);
  if (!target || !(await mayAcknowledge(trx, scope.officeId, item.constituent_id, target))) return null;
  if ((await repo.acknowledgedSince(trx, scope.officeId, target.to, new Date(Date.now() - 3600_000))) >= ACK_LIMIT_PER_HOUR) return null;
  const c = await caseLookup.caseById(trx, scope.officeId, caseId);
  if (!c) return null;
  const office = await offices.get(scope);
  const noun = item.channel === 'web' || item.channel === 'open311' ? 'request' : 'message';
  const offered = content ? await content(c.reference) : null;
  const custom = offered && (target.channel !== 'sms' || offered.text.length <= SMS_MAX_CHARS) ? { ...offered, subject: offered.subject.replace(/\s+/g, ' ').slice(0, 300) } : null;
  const about = { caseId, constituentId: item.constituent_id, kind: custom?.kind ?? 'acknowledgement', template: custom?.template ?? null, dedupeKey: `ack:${item.id}` };
  // A request from the portal or the public form can be followed on its tracking page.
  const link = item.channel === 'web' && !custom ? await caseTrackingLink(trx, office, caseId, messagesPublicUrl()) : '';
  if (target.channel === 'sms') {
    await enqueueSms(trx, scope, { ...about, to: target.to, text: custom?.text ?? ackSms(office.name, c.reference, noun, item.channel === 'sms', link) });
  } else {
    await enqueueEmail(trx, scope, {
      ...about,
      to: target.to,
      subject: custom?.subject ?? `[${c.reference}] We have received your ${noun}`,
      text: custom?.text ?? [
        `Thank you for contacting ${office.name}.`,
        '',
        `Your ${noun} has been recorded as case ${c.reference}. Please keep this reference; reply to this email to add anything to your case.`,
        '',
        ...(link ? ['You can follow its progress here (keep the link private: anyone who has it can see how your request is progressing):', link, ''] : []),
        office.name,
      ].join('\n'),
    });
  }
  await repo.update(trx, scope.officeId, item.id, { acknowledged: true });
  return custom ? 'content' : 'standard';
}
