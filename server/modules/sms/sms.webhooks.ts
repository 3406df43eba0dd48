// The provider's webhooks: incoming messages and delivery status callbacks. Each is checked
// against the office's auth token before anything is read or stored (a forged or unsigned
// request is refused with 403 and leaves no trace). An incoming message is stored raw by
// intake with its MessageSid as the idempotency key, so a redelivery is stored once, and
// processed by intake's job (sms.reader.ts). The token is checked whenever the office has
// settings, SMS switched off or not (a STOP sent meanwhile still counts); a signed request
// for another AccountSid, or a text to another number than the office's, is refused too.
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { receive } from '../intake/intake.service.js';
import { recordDeliveryReport } from '../messages/messages.channels.js';
import type { SmsAccount, SmsProvider } from './sms.provider.js';
import { e164Of, webhookAccountOf } from './sms.settings.js';

/** A webhook call: the public URL the provider called, its raw form body and its signature header. */
export type WebhookCall = { officeId: string; url: string; body: string; signature: string | undefined };

async function authentic(db: Executor, provider: SmsProvider, call: WebhookCall): Promise<{ params: URLSearchParams; account: SmsAccount }> {
  const account = await webhookAccountOf(db, call.officeId);
  const params = new URLSearchParams(call.body);
  // An office without SMS has no token to check against: refused the same way as a bad signature.
  if (!account || !provider.isAuthentic(account, { url: call.url, params: [...params], signature: call.signature })) {
    throw new DomainError('forbidden', { message: "The request does not carry a valid signature of this office's SMS provider" });
  }
  // Signed by this office's token but about another account or number (a number moved between
  // accounts, a misconfigured webhook): not this office's traffic.
  const accountSid = params.get('AccountSid');
  if (accountSid !== null && accountSid !== account.accountSid) {
    throw new DomainError('forbidden', { message: "AccountSid is not this office's SMS account" });
  }
  return { params, account };
}

const sidOf = (params: URLSearchParams): string => {
  const sid = params.get('MessageSid') ?? params.get('SmsSid') ?? '';
  if (!/^[A-Za-z0-9_-]{2,100}$/.test(sid)) throw new DomainError('validation_failed', { field: 'MessageSid', message: 'MessageSid is missing or malformed' });
  return sid;
};

export async function receiveMessage(db: Executor, jobs: Jobs | undefined, provider: SmsProvider, call: WebhookCall) {
  const { params, account } = await authentic(db, provider, call);
  const to = params.get('To');
  if (!to || (await e164Of(db, call.officeId, to)) !== account.fromNumber) {
    throw new DomainError('forbidden', { message: "The message was not sent to this office's SMS number" });
  }
  return receive(db, jobs, call.officeId, {
    channel: 'sms', source: provider.name, key: sidOf(params), raw: Buffer.from(call.body, 'utf8'), rawType: 'application/x-www-form-urlencoded',
    recipient: to, details: { from: params.get('From') },
  });
}

export async function receiveStatus(db: Executor, provider: SmsProvider, call: WebhookCall) {
  const { params } = await authentic(db, provider, call);
  const status = (params.get('MessageStatus') ?? params.get('SmsStatus') ?? '').toLowerCase();
  const code = params.get('ErrorCode');
  return recordDeliveryReport(db, call.officeId, { providerId: sidOf(params), status, error: code ? `error ${code.slice(0, 20)}` : null });
}
