// HTTP: the provider's webhooks (public, authenticated by the provider's signature, answered
// with empty TwiML) and the office's SMS settings (sms.configure). The webhook URL that is
// signed is the public one (PUBLIC_URL plus the path and query), never the Host header, so
// the check holds behind a proxy and cannot be steered by a forged Host.
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZPutSmsSettings, ZSmsOfficeParams, ZSmsSettings } from '../../../contract/sms.js';
import type { App } from '../../platform/http/types.js';
import { registerSmsChannel } from './sms.sender.js';
import * as settings from './sms.settings.js';
import { receiveMessage, receiveStatus } from './sms.webhooks.js';

const tags = ['sms'];
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
// A provider's form posts are small; anything bigger is not one of them.
const WEBHOOK_BODY_LIMIT = 64 * 1024;
// The provider posts from a few addresses, so a burst of replies (an outreach answered at
// once) would trip the per-IP API limit and be lost: Twilio does not retry a 429. These routes
// are authenticated by signature, so they get their own, much higher, limit.
const WEBHOOK_RATE_LIMIT = { max: 20_000, timeWindow: '1 minute' };

export function smsRoutes(app: App): void {
  const { config, database } = app.civitas;
  const provider = registerSmsChannel(config);

  app.get('/api/v1/sms/settings', {
    schema: { tags, summary: "The office's SMS provider settings and the webhook URLs to give the provider (the auth token is never shown)", response: { 200: ZSmsSettings } },
    config: { permission: 'sms.configure' },
  }, async (req) => settings.get(req.scope, config.publicUrl));

  app.put('/api/v1/sms/settings', {
    schema: { tags, summary: 'Set up or change SMS: provider account, auth token (write-only; left out, the stored one is kept), number and HELP text', body: ZPutSmsSettings, response: { 200: ZSmsSettings } },
    config: { permission: 'sms.configure' },
  }, async (req) => settings.put(req.scope, config.publicUrl, req.body));

  // The provider posts application/x-www-form-urlencoded; only these routes accept it, as text
  // (the signature is computed over the parameters exactly as sent).
  void app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    const callOf = (req: { params: { office: string }; url: string; body: unknown; headers: Record<string, unknown> }) => ({
      officeId: req.params.office, url: `${config.publicUrl}${req.url}`, body: typeof req.body === 'string' ? req.body : '',
      signature: typeof req.headers['x-twilio-signature'] === 'string' ? req.headers['x-twilio-signature'] : undefined,
    });
    // Public: the provider cannot sign in; the signature check is the authentication. Hidden
    // from the API reference, which documents /api/v1 only.
    scoped.post('/webhooks/sms/twilio/:office', {
      schema: { hide: true, params: ZSmsOfficeParams, body: z.string() },
      config: { permission: 'public', rateLimit: WEBHOOK_RATE_LIMIT },
      bodyLimit: WEBHOOK_BODY_LIMIT,
    }, async (req, reply) => {
      await receiveMessage(database.db, app.civitas.jobs, provider, callOf(req));
      return reply.type('text/xml').send(EMPTY_TWIML);
    });

    scoped.post('/webhooks/sms/twilio/:office/status', {
      schema: { hide: true, params: ZSmsOfficeParams, body: z.string() },
      config: { permission: 'public', rateLimit: WEBHOOK_RATE_LIMIT },
      bodyLimit: WEBHOOK_BODY_LIMIT,
    }, async (req, reply) => {
      await receiveStatus(database.db, provider, callOf(req));
      return reply.type('text/xml').send(EMPTY_TWIML);
    });
  });
}
