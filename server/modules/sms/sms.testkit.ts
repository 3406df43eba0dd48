// A local stand-in for Twilio's REST API (node:http) speaking its real wire format: POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic auth and a form-encoded
// To/From/Body/StatusCallback, answered 201 with the message resource as JSON (sid, status
// "queued" ...), or with Twilio's error JSON ({ code, message, more_info, status }). Requests
// are recorded; failures to answer can be lined up. Plus signing helpers for webhook calls,
// and setting up an office's SMS through its admin API.
import { randomBytes } from 'node:crypto';
import { ok, type Api } from '../cases/cases.testkit.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from './sms.twilio.js';

export type TwilioRequest = { accountSid: string; authorized: boolean; form: URLSearchParams };
export type TwilioFailure = { status: number; code: number; message: string };

export type FakeTwilio = {
  url: string;
  requests: TwilioRequest[];
  /** Answers the next requests with these errors, in order. */
  failures: TwilioFailure[];
  /** Awaited before a message is answered, with the sid it is about to return (a callback racing the send). */
  beforeAnswer: ((sid: string) => Promise<void>) | null;
  /** Accounts it knows: sid → auth token. */
  accounts: Map<string, string>;
  /** Requests sent to this number (requests of other test files' offices share the server on a shared database). */
  to(number: string): TwilioRequest[];
  close(): Promise<void>;
};

export const newSid = (prefix: 'AC' | 'SM') => `${prefix}${randomBytes(16).toString('hex')}`;

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const state: FakeTwilio = {
    url: '', requests: [], failures: [], accounts: new Map(), beforeAnswer: null,
    to: (number) => state.requests.filter((r) => r.form.get('To') === number),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const error = (res: import('node:http').ServerResponse, f: TwilioFailure) => {
    res.writeHead(f.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: f.code, message: f.message, more_info: `https://www.twilio.com/docs/errors/${f.code}`, status: f.status }));
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) return error(res, { status: 404, code: 20404, message: 'The requested resource was not found' });
      const accountSid = decodeURIComponent(m[1]!);
      const [user, pass] = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
      const authorized = user === accountSid && state.accounts.get(accountSid) === pass;
      const form = new URLSearchParams(body);
      state.requests.push({ accountSid, authorized, form });
      if (!authorized) return error(res, { status: 401, code: 20003, message: 'Authenticate' });
      const failure = state.failures.shift();
      if (failure) return error(res, failure);
      const sid = newSid('SM');
      const hook = state.beforeAnswer;
      state.beforeAnswer = null;
      void (hook ? hook(sid) : Promise.resolve()).finally(() => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({
          sid, account_sid: accountSid, to: form.get('To'), from: form.get('From'), body: form.get('Body'), status: 'queued',
          num_segments: '1', direction: 'outbound-api', date_created: new Date().toUTCString(), error_code: null, error_message: null, api_version: '2010-04-01',
        }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** A form body and its X-Twilio-Signature, as Twilio would send them to this URL. */
export function signedForm(authToken: string, url: string, fields: Record<string, string>): { body: string; signature: string } {
  const params = Object.entries(fields);
  return { body: new URLSearchParams(params).toString(), signature: twilioSignature(authToken, url, params) };
}

/** A number the tests' offices text from (Twilio's magic test number). */
export const TEST_FROM = '+15005550006';

/** Sets up SMS for an office through the admin API, with a fresh account the fake provider (if any) knows. */
export async function setUpSms(admin: Api, twilio: FakeTwilio | null, helpText = 'Town Hall casework. Call 0300 555 0100. Reply STOP to stop.'): Promise<{ sid: string; token: string }> {
  const sid = newSid('AC');
  const token = randomBytes(16).toString('hex');
  twilio?.accounts.set(sid, token);
  ok(await admin('PUT', '/api/v1/sms/settings', { accountSid: sid, authToken: token, fromNumber: TEST_FROM, helpText }), 200);
  return { sid, token };
}
