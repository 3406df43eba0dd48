-- Resident accounts on the portal (issue 7, item 3): passwordless sign-in by an emailed link.
-- Neither table holds a usable secret: links and sessions are random tokens stored only as
-- their SHA-256 hash (hex). The signed-in person is an email address; what they see is read
-- fresh on each request from the records of the office that hold it.

-- A sign-in link: single use (used_at), short-lived (expires_at). Kept a day after it expires
-- for the per-email limit and then deleted (portal.account-repo pruneLinks).
CREATE TABLE portal_sign_in_links (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  email citext NOT NULL CHECK (length(email) <= 320),
  language text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, token_hash)
);
CREATE INDEX portal_sign_in_links_email ON portal_sign_in_links (office_id, email, created_at DESC);
CREATE INDEX portal_sign_in_links_expiry ON portal_sign_in_links (office_id, expires_at);

-- A portal session: valid until expires_at (absolute) and while used within the idle limit
-- (last_seen_at, moved forward as it is used). Signing out deletes it.
CREATE TABLE portal_sessions (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  email citext NOT NULL CHECK (length(email) <= 320),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, token_hash)
);
CREATE INDEX portal_sessions_expiry ON portal_sessions (office_id, expires_at);
