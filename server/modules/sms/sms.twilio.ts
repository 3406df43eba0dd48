// Twilio (and Twilio-compatible APIs): webhook signatures and the Messages REST API.
//
// Signatures, as Twilio specifies and its helper library implements them: the full URL
// Twilio called (scheme, host, path and query), then every POST parameter sorted by name,
// each name followed by its value (a repeated name: its distinct values sorted), signed with
// HMAC-SHA1 keyed by the account's auth token, base64. Twilio is inconsistent about the
// default port, so the URL is checked with and without it. Compared in constant time.
import { createHmac } from 'node:crypto';
import { safeEqual } from '../../platform/auth/secrets.js';
import { PermanentDeliveryError } from '../messages/messages.channels.js';
import type { OutgoingSms, SentSms, SmsAccount, SmsProvider, WebhookRequest } from './sms.provider.js';

export function twilioSignature(authToken: string, url: string, params: [string, string][]): string {
  const byName = new Map<string, Set<string>>();
  for (const [k, v] of params) byName.set(k, (byName.get(k) ?? new Set()).add(v));
  let data = new URL(url).toString();
  for (const name of [...byName.keys()].sort()) for (const v of [...byName.get(name)!].sort()) data += name + v;
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** The URL with its scheme's default port written out, and without any port. */
function portVariants(url: string): string[] {
  const u = new URL(url);
  const without = new URL(url);
  without.port = '';
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const withPort = `${u.protocol}//${u.username}${u.password ? `:${u.password}` : ''}${u.username || u.password ? '@' : ''}${u.hostname}:${port}${u.pathname}${u.search}`;
  return [...new Set([without.toString(), withPort])];
}

export function isValidTwilioSignature(authToken: string, req: WebhookRequest): boolean {
  if (!req.signature) return false;
  // Every variant is computed and compared, so timing does not tell which one matched.
  return portVariants(req.url).map((u) => safeEqual(req.signature!, twilioSignature(authToken, u, req.params))).some(Boolean);
}

type TwilioError = { code?: number; message?: string; status?: number; more_info?: string };

/** A one-line reason from Twilio's error JSON (never the request, which carries the credentials). */
function reasonOf(status: number, body: string): string {
  let e: TwilioError = {};
  try {
    e = JSON.parse(body) as TwilioError;
  } catch {
    // not JSON: a proxy's page
  }
  const text = e.message ?? body.replace(/\s+/g, ' ').slice(0, 200);
  return `${status}${e.code ? ` (Twilio error ${e.code})` : ''}: ${text}`.slice(0, 500);
}

export function twilioProvider(apiUrl: string, timeoutMs = 15_000): SmsProvider {
  const base = apiUrl.replace(/\/$/, '');
  return {
    name: 'twilio',
    isAuthentic: (account: SmsAccount, req: WebhookRequest) => isValidTwilioSignature(account.authToken, req),
    async send(account: SmsAccount, msg: OutgoingSms): Promise<SentSms> {
      const form = new URLSearchParams({ To: msg.to, From: account.fromNumber, Body: msg.body });
      if (msg.statusCallback) form.set('StatusCallback', msg.statusCallback);
      const res = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await res.text();
      // Too many requests and server errors may pass later; any other refusal will not.
      if (res.status === 429 || res.status >= 500) throw new Error(reasonOf(res.status, body));
      if (!res.ok) throw new PermanentDeliveryError(reasonOf(res.status, body));
      const sent = JSON.parse(body) as { sid?: string; status?: string };
      if (!sent.sid) throw new Error(`${res.status}: the provider's answer has no message sid`);
      return { id: sent.sid, status: sent.status ?? 'queued' };
    },
  };
}
