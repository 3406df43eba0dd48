-- IMAP polling of office mailboxes (issue: intake by email). An office's admins configure one
-- or more mailboxes; the job intake.imap-poll reads each enabled one every minute and stores
-- every message through intake's receive() (keyed by its Message-ID, so a re-read never
-- duplicates anything).
--
-- UID bookkeeping: uid_validity and last_uid say where reading stopped. last_uid only moves
-- after the messages up to it are committed in inbound_items, so a crash re-reads (absorbed
-- by the idempotency key) and never skips. When the server's UIDVALIDITY differs from the
-- stored one the old UIDs mean nothing: reading starts again from UID 1, and the Message-ID
-- keys absorb the messages already stored.
--
-- The password is kept usable (like the SMS auth token and TOTP secrets): write-only through
-- the API, never logged, never audited.
CREATE TABLE intake_mailboxes (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  -- the address mail in this mailbox was sent to: the recipient of the items it yields
  address citext NOT NULL CHECK (length(address) <= 254 AND address ~ '^[^@\s]+@[^@\s]+$'),
  host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
  port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  -- tls: implicit TLS (993); starttls: must upgrade (143); none: cleartext, loopback only
  tls text NOT NULL CHECK (tls IN ('tls', 'starttls', 'none')),
  username text NOT NULL CHECK (length(username) BETWEEN 1 AND 320),
  password text NOT NULL CHECK (length(password) BETWEEN 1 AND 1000),
  mailbox text NOT NULL DEFAULT 'INBOX' CHECK (length(mailbox) BETWEEN 1 AND 500),
  -- what happens to a message on the server once it is stored
  after_store text NOT NULL DEFAULT 'leave' CHECK (after_store IN ('leave', 'seen', 'move')),
  move_to text CHECK (length(move_to) BETWEEN 1 AND 500),
  enabled boolean NOT NULL DEFAULT true,
  uid_validity bigint,
  last_uid bigint NOT NULL DEFAULT 0 CHECK (last_uid >= 0),
  -- the poll holding the mailbox (a lease renewed after every batch, so a crashed worker's
  -- hold runs out by itself): two workers never read one mailbox at once
  lease_owner uuid,
  lease_until timestamptz,
  last_poll_at timestamptz,
  last_success_at timestamptz,
  last_error text CHECK (length(last_error) <= 2000),
  last_error_at timestamptz,
  -- messages stored in the last successful poll, and still waiting on the server after it
  last_stored integer NOT NULL DEFAULT 0,
  backlog integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  CHECK ((after_store = 'move') = (move_to IS NOT NULL)),
  CHECK (tls <> 'none' OR lower(host) IN ('localhost', '127.0.0.1', '::1'))
);
-- One configuration per mailbox on a server within an office.
CREATE UNIQUE INDEX intake_mailboxes_unique ON intake_mailboxes (office_id, lower(host), port, lower(username), mailbox);
-- The cron job lists the enabled mailboxes of every office.
CREATE INDEX intake_mailboxes_enabled ON intake_mailboxes (created_at) WHERE enabled;
