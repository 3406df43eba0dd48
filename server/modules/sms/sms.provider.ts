// What the SMS channel needs of a provider: checking that a webhook came from it, and sending
// a message through its API. Twilio (twilio.ts) is the one built in; a Twilio-compatible API
// elsewhere is the same provider at another base URL (TWILIO_API_URL).

/** The office's account, as the provider needs it. */
export type SmsAccount = { accountSid: string; authToken: string; fromNumber: string };

/** A webhook request: the URL the provider called (the public one) and its form parameters, in order. */
export type WebhookRequest = { url: string; params: [string, string][]; signature: string | undefined };

export type OutgoingSms = { to: string; body: string; statusCallback: string | null };

/** The provider accepted the message: its id (status callbacks name it) and first status. */
export type SentSms = { id: string; status: string };

export type SmsProvider = {
  name: 'twilio';
  isAuthentic(account: SmsAccount, req: WebhookRequest): boolean;
  /** Throws PermanentDeliveryError when retrying cannot help (the provider refused the request). */
  send(account: SmsAccount, msg: OutgoingSms): Promise<SentSms>;
};
