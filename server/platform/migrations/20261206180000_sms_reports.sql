-- SMS delivery reports that arrive before the message's provider id is recorded (the provider
-- answered the send, the status callback raced ahead of the outbox's own commit). Twilio does
-- not retry a messaging status callback that is answered with an error, so the report is
-- parked here and applied when the id is recorded; unclaimed ones are pruned after two days.
CREATE TABLE delivery_reports_parked (
  office_id uuid NOT NULL REFERENCES offices(id),
  provider_message_id text NOT NULL CHECK (length(provider_message_id) <= 100),
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read')),
  error text CHECK (length(error) <= 300),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, provider_message_id, status)
);
CREATE INDEX delivery_reports_parked_received ON delivery_reports_parked (received_at);
