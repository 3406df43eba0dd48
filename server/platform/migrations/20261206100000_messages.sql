-- Outbound messages (issue 4, item 8): the outbox every module queues email through, the
-- office's approved reply templates, and the satisfaction rating asked for when a case is
-- resolved (one hashed token per case, the rating stored beside the case).

-- ---------------------------------------------------------------- templates
CREATE TABLE reply_templates (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  category_id uuid,
  retired boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, category_id) REFERENCES categories(office_id, id)
);
-- A retired template frees its name.
CREATE UNIQUE INDEX reply_templates_name_live ON reply_templates (office_id, lower(name)) WHERE NOT retired;

-- ---------------------------------------------------------------- outbox
-- Inserted in the transaction of whatever caused it; a job delivers it. message_id is made
-- at insert so a retried delivery reuses it (receivers de-duplicate on Message-ID).
CREATE TABLE outbound_messages (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  case_id uuid,
  constituent_id uuid,
  template_id uuid,
  channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,39}$'),
  to_address text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 320),
  reply_to text CHECK (length(reply_to) <= 320),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  body_text text NOT NULL CHECK (length(body_text) BETWEEN 1 AND 100000),
  body_html text CHECK (length(body_html) <= 200000),
  message_id text NOT NULL CHECK (length(message_id) <= 300),
  in_reply_to text CHECK (length(in_reply_to) <= 300),
  "references" text[] NOT NULL DEFAULT '{}' CHECK (cardinality("references") <= 20),
  dedupe_key text CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text CHECK (length(last_error) <= 2000),
  provider_response text CHECK (length(provider_response) <= 2000),
  created_by uuid,
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (office_id, id),
  UNIQUE (message_id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id) ON DELETE SET NULL (constituent_id),
  FOREIGN KEY (office_id, template_id) REFERENCES reply_templates(office_id, id),
  CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE UNIQUE INDEX outbound_messages_dedupe ON outbound_messages (office_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX outbound_messages_case ON outbound_messages (office_id, case_id, created_at, id) WHERE case_id IS NOT NULL;
-- The sweep that re-queues messages whose delivery job was lost looks across offices.
CREATE INDEX outbound_messages_queued ON outbound_messages (updated_at) WHERE status = 'queued';

-- ---------------------------------------------------------------- satisfaction
-- One live token per case: only its SHA-256 is kept; a new closure message replaces it.
CREATE TABLE case_rating_tokens (
  office_id uuid NOT NULL,
  case_id uuid NOT NULL,
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, case_id),
  UNIQUE (token_hash),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE
);

CREATE TABLE case_ratings (
  office_id uuid NOT NULL,
  case_id uuid NOT NULL,
  score smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment text CHECK (length(comment) <= 2000),
  rated_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, case_id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE
);
