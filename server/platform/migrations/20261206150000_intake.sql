-- Intake (issue 5): everything that arrives from outside is stored raw first, with an
-- idempotency key, in one transaction (inbound_items); a job then parses it, identifies the
-- sender, threads it into a case or opens one, and acknowledges it. An item that cannot be
-- processed stays in 'needs_attention' with its reason until someone retries it.

-- An unknown sender becomes a provisional constituent that staff confirm or merge.
ALTER TABLE constituents ADD COLUMN provisional boolean NOT NULL DEFAULT false;
CREATE INDEX constituents_provisional ON constituents (office_id, created_at DESC) WHERE provisional;

-- Bounces: a hard bounce marks the address 'bounced'; soft bounces are counted.
ALTER TABLE constituent_emails
  ADD COLUMN soft_bounces integer NOT NULL DEFAULT 0 CHECK (soft_bounces >= 0),
  ADD COLUMN bounced_at timestamptz;

-- The addresses an office receives mail at (the SMTP listener accepts mail for these only;
-- a recipient's +tag is ignored when matching, so intake+C-2026-00042@ reaches intake@).
CREATE TABLE intake_addresses (
  office_id uuid NOT NULL REFERENCES offices(id),
  address citext NOT NULL CHECK (length(address) <= 254 AND address ~ '^[^@\s+]+@[^@\s]+$'),
  acknowledge boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, address),
  UNIQUE (address)
);

CREATE TABLE inbound_items (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'open311', 'web', 'phone', 'voicemail', 'walk_in', 'event', 'social', 'webhook')),
  -- how it came: smtp, imap, http, twilio, form, staff ...
  source text NOT NULL CHECK (source ~ '^[a-z][a-z0-9_-]{0,39}$'),
  -- Message-ID, provider message id or client token: a redelivery has the same key
  idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 500),
  raw bytea NOT NULL,
  raw_type text NOT NULL CHECK (length(raw_type) <= 200),
  raw_size integer NOT NULL CHECK (raw_size >= 0),
  received_at timestamptz NOT NULL DEFAULT now(),
  -- received: stored, not yet processed; new: waits for staff (e.g. the sender has an open
  -- case to attach it to); filed: on a case; ignored: noise kept for the record (auto-reply,
  -- bounce, complaint); spam: marked by staff; needs_attention: processing failed (error)
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'new', 'filed', 'ignored', 'spam', 'needs_attention')),
  kind text CHECK (kind IN ('message', 'auto_reply', 'bounce', 'complaint')),
  attempts integer NOT NULL DEFAULT 0,
  error text CHECK (length(error) <= 2000),
  sender_name text CHECK (length(sender_name) <= 300),
  sender_address text CHECK (length(sender_address) <= 320),
  recipient text CHECK (length(recipient) <= 320),
  subject text CHECK (length(subject) <= 1000),
  body_text text CHECK (length(body_text) <= 1000000),
  body_html text CHECK (length(body_html) <= 2000000),
  -- the new part of a reply, without the quoted history (for the timeline)
  reply_text text CHECK (length(reply_text) <= 1000000),
  message_id text CHECK (length(message_id) <= 1000),
  in_reply_to text CHECK (length(in_reply_to) <= 1000),
  "references" text[] NOT NULL DEFAULT '{}',
  constituent_id uuid,
  case_id uuid,
  suggested_case_id uuid,
  -- channel-specific facts: attachments, bounce recipient and status, form fields ...
  details jsonb NOT NULL DEFAULT '{}',
  acknowledged boolean NOT NULL DEFAULT false,
  handled_by_label text CHECK (length(handled_by_label) <= 300),
  processed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, channel, idempotency_key),
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id) ON DELETE SET NULL (constituent_id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE SET NULL (case_id),
  FOREIGN KEY (office_id, suggested_case_id) REFERENCES cases(office_id, id) ON DELETE SET NULL (suggested_case_id),
  CHECK (status <> 'needs_attention' OR error IS NOT NULL),
  CHECK (status <> 'filed' OR case_id IS NOT NULL)
);
-- The inbox: one status, newest first.
CREATE INDEX inbound_items_inbox ON inbound_items (office_id, status, received_at DESC, id DESC);
CREATE INDEX inbound_items_all ON inbound_items (office_id, received_at DESC, id DESC);
CREATE INDEX inbound_items_case ON inbound_items (office_id, case_id, received_at) WHERE case_id IS NOT NULL;
CREATE INDEX inbound_items_constituent ON inbound_items (office_id, constituent_id) WHERE constituent_id IS NOT NULL;
-- Acknowledgement rate limit and flood checks per sender.
CREATE INDEX inbound_items_sender ON inbound_items (office_id, sender_address, received_at DESC) WHERE sender_address IS NOT NULL;
-- The sweep that re-queues items whose processing job was lost looks across offices.
CREATE INDEX inbound_items_received ON inbound_items (updated_at) WHERE status = 'received';

-- Who has an inbox item open (a heartbeat every few seconds), so two people do not answer it twice.
CREATE TABLE inbox_viewers (
  office_id uuid NOT NULL,
  item_id uuid NOT NULL,
  user_id uuid NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, item_id, user_id),
  FOREIGN KEY (office_id, item_id) REFERENCES inbound_items(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, user_id) REFERENCES users(office_id, id) ON DELETE CASCADE
);
