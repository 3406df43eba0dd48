// Outbound text messages: the sender the SMS channel registers with the outbox
// (messages.channels), so texts are queued, retried with backoff and put on the case timeline
// like email. A number that texted STOP gets nothing more (but the answer to its own HELP),
// an office without SMS set up fails the message at once, and the provider's refusals (4xx)
// fail it at once too; its server errors and rate limits are retried. As with SMTP, a crash
// between the provider accepting a message and the outbox recording it can send it twice.
import type { Config } from '../../config.js';
import type { Executor } from '../../platform/db/database.js';
import { PermanentDeliveryError, registerChannelSender } from '../messages/messages.channels.js';
import type { MessageRow } from '../messages/messages.repo.js';
import type { SmsAccount, SmsProvider } from './sms.provider.js';
import * as repo from './sms.repo.js';
import { accountOf, statusCallbackUrl } from './sms.settings.js';
import { twilioProvider } from './sms.twilio.js';

/** The office's account to text this number with; refuses when SMS is not set up or switched off, or the number texted STOP (but for the answer to its own HELP). */
async function accountFor(db: Executor, officeId: string, to: string, kind: string): Promise<SmsAccount> {
  const account = await accountOf(db, officeId);
  if (!account) throw new PermanentDeliveryError('SMS is not set up for this office, or is switched off');
  if (kind !== 'sms_help' && (await repo.isOptedOut(db, officeId, to))) {
    throw new PermanentDeliveryError(`${to} texted STOP: nothing more is texted to it until it texts START`);
  }
  return account;
}

export async function sendSms(db: Executor, provider: SmsProvider, publicUrl: string, m: MessageRow): Promise<{ providerId: string; response: string }> {
  const account = await accountFor(db, m.office_id, m.to_address, m.kind);
  const sent = await provider.send(account, { to: m.to_address, body: m.body_text, statusCallback: statusCallbackUrl(publicUrl, m.office_id) });
  return { providerId: sent.id, response: `${sent.id} ${sent.status}` };
}

/** Why the office cannot text this number now (the rules delivery applies), or null when it can: for modules deciding whether to queue a text at all. */
export async function whyNotTextable(db: Executor, officeId: string, to: string): Promise<string | null> {
  try {
    await accountFor(db, officeId, to, 'casework');
    return null;
  } catch (err) {
    if (err instanceof PermanentDeliveryError) return err.message;
    throw err;
  }
}

/** Registers the sender the app and the job runtime use, from the config (the last call wins); returns its provider. */
export function registerSmsChannel(config: Pick<Config, 'twilioApiUrl' | 'publicUrl'>): SmsProvider {
  const provider = twilioProvider(config.twilioApiUrl);
  registerChannelSender('sms', (db, m) => sendSms(db, provider, config.publicUrl, m));
  return provider;
}
