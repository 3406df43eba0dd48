// A reader per channel turns a stored raw item into what intake needs to file it: the
// sender, the text, threading facts, and what a new case would look like. Email is read
// here; other channels (SMS, Open311, web forms, staff capture) register their reader.
import type { CaseChannel, CasePriority } from '../../../contract/cases.js';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import type { ParsedEmail } from './intake.email.js';
import type { ItemRow } from './intake.repo.js';

/** What a channel's reader makes of an item: the message fields an email has (for other channels, the same meaning). */
export type Reading = Pick<ParsedEmail, 'kind' | 'senderName' | 'senderAddress' | 'subject' | 'text' | 'html' | 'replyText' | 'messageId' | 'inReplyTo' | 'references'> & {
  senderEmail: string | null;
  senderPhone: string | null;
  details: Record<string, unknown>;
  /** A case the channel itself names (a reply's headers, an update to a request). */
  threadCaseId?: string | null;
  /** A sender the channel has already identified (a signed-in portal account). */
  constituentId?: string | null;
  /**
   * The contact details were typed by whoever posted the item (the public form, Open311), so
   * they prove nothing: a record holding them is only suggested to staff, and the item gets a
   * provisional record of its own. Unset: the channel vouches for them (an email's own
   * mailbox, a number the SMS provider delivered from).
   */
  senderUnverified?: boolean;
  newCase?: { subject?: string; description?: string; channel?: CaseChannel; categoryId?: string | null; priority?: CasePriority; location?: { address?: string | null; lat?: number | null; lng?: number | null } | null };
  /** Each item is its own request (a form, an Open311 report): never held back for an open case. */
  alwaysNewCase?: boolean;
  /** What a bounce or complaint changes (contact points, the message's case). */
  onNoise?: (trx: Executor, scope: Scope) => Promise<void>;
  /** A message to the channel itself (an SMS STOP or HELP): its onNoise runs; it is filed on its threadCaseId when it has one, else kept unfiled. */
  isControl?: boolean;
  /** The channel the sender asked to hear back on (the portal's choice), when they gave its details. */
  replyChannel?: 'email' | 'sms' | null;
  /** What the item says about its sender once their record is known (the portal's consent); `isNew`: the record was made for this item. */
  onIdentified?: (trx: Executor, scope: Scope, constituentId: string, isNew: boolean) => Promise<void>;
  /** What filing the item on its case brings with it (the portal's photos become the case's attachments), in the filing transaction. */
  onFiled?: (trx: Executor, scope: Scope, caseId: string) => Promise<void>;
};

/** The case channel of an inbound channel (a generic webhook's cases are 'other'). */
export const caseChannelOf = (channel: string): CaseChannel => (channel === 'webhook' ? 'other' : (channel as CaseChannel));

export type Reader = (item: ItemRow, db: Executor) => Promise<Reading>;

const readers = new Map<string, Reader>();

export function registerReader(channel: string, reader: Reader): void {
  readers.set(channel, reader);
}

export function readerFor(channel: string): Reader {
  const r = readers.get(channel);
  if (!r) throw new DomainError('validation_failed', { message: `No reader for ${channel} items in this deployment` });
  return r;
}
