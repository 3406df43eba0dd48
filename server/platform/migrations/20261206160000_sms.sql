-- SMS (issue: the SMS channel). An office's provider account (Twilio or a Twilio-compatible
-- API), the numbers that texted STOP, text messages in the outbox with the provider's
-- delivery status, and consent statements made by SMS keyword.

-- One provider account per office (senders' numbers are read with the office's default region). The auth token signs the provider's webhooks and
-- authenticates our API calls, so it is kept usable (like TOTP secrets): write-only through
-- the API, never logged, never audited.
CREATE TABLE sms_settings (
  office_id uuid PRIMARY KEY REFERENCES offices(id),
  provider text NOT NULL DEFAULT 'twilio' CHECK (provider IN ('twilio')),
  account_sid text NOT NULL CHECK (account_sid ~ '^AC[0-9a-fA-F]{32}$'),
  auth_token text NOT NULL CHECK (length(auth_token) BETWEEN 16 AND 200),
  from_number text NOT NULL CHECK (from_number ~ '^\+[1-9][0-9]{6,14}$'),
  help_text text NOT NULL CHECK (length(help_text) BETWEEN 1 AND 1600),
  enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Numbers that texted STOP (or a synonym): nothing is texted to them until they text START.
-- Kept per number, so it holds for a number no constituent record has (yet).
CREATE TABLE sms_opt_outs (
  office_id uuid NOT NULL REFERENCES offices(id),
  phone_e164 text NOT NULL CHECK (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  keyword text NOT NULL CHECK (length(keyword) <= 20),
  opted_out_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, phone_e164)
);

-- Text messages share the outbox with email; the provider's id and delivery status
-- (status callbacks) are kept on the message.
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_channel_check;
ALTER TABLE outbound_messages
  ADD CONSTRAINT outbound_messages_channel_check CHECK (channel IN ('email', 'sms')),
  ADD COLUMN provider_message_id text CHECK (length(provider_message_id) <= 100),
  ADD COLUMN delivery_status text CHECK (delivery_status IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read')),
  ADD COLUMN delivery_error text CHECK (length(delivery_error) <= 300),
  ADD COLUMN delivery_updated_at timestamptz;
CREATE UNIQUE INDEX outbound_messages_provider_id ON outbound_messages (office_id, provider_message_id) WHERE provider_message_id IS NOT NULL;

-- A STOP or START texted by the resident is recorded by the system with its own source.
ALTER TABLE consents DROP CONSTRAINT consents_source_check;
ALTER TABLE consents ADD CONSTRAINT consents_source_check
  CHECK (source IN ('web_form', 'email', 'sms', 'sms_keyword', 'phone', 'paper', 'in_person', 'portal', 'import', 'other'));
