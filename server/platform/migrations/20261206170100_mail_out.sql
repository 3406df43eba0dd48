-- Outbound email (issue: Email out): Reply-To with the case token, List-Unsubscribe on bulk
-- mail, and unsubscribes recorded in the consent ledger.

-- The intake address replies about a case come back to (Reply-To: its +c-YYYY-NNNNN tag). At
-- most one per office; when none is marked, the office's oldest intake address is used.
ALTER TABLE intake_addresses ADD COLUMN use_for_replies boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX intake_addresses_one_reply_address ON intake_addresses (office_id) WHERE use_for_replies;

-- Headers fixed when a message is queued (List-Unsubscribe, Precedence ... on bulk mail), so
-- every retry sends the same message; and the purpose of bulk mail (null: transactional).
ALTER TABLE outbound_messages
  ADD COLUMN headers jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(headers) = 'object'),
  ADD COLUMN bulk_purpose text CHECK (bulk_purpose IN ('outreach', 'surveys'));

-- The key unsubscribe links are signed with (HMAC), one per office: a link names the office,
-- the person and the purpose, and cannot be made for anyone else without the key.
CREATE TABLE unsubscribe_keys (
  office_id uuid NOT NULL REFERENCES offices(id),
  secret bytea NOT NULL CHECK (length(secret) >= 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id)
);

-- An unsubscribe link or List-Unsubscribe click is recorded by the system with its own source.
ALTER TABLE consents DROP CONSTRAINT consents_source_check;
ALTER TABLE consents ADD CONSTRAINT consents_source_check
  CHECK (source IN ('web_form', 'email', 'sms', 'sms_keyword', 'email_unsubscribe', 'phone', 'paper', 'in_person', 'portal', 'import', 'other'));
