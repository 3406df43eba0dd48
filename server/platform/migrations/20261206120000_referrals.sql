-- Agency referrals and privacy releases (issue 4, item 6): the office's directory of
-- agencies, referrals of a case to an agency with their follow-ups, and the constituent's
-- privacy release (a scanned paper form, or a form signed electronically through a
-- single-use link), which a referral needs before it is sent when the agency or the case's
-- category requires one.

ALTER TABLE categories ADD COLUMN requires_privacy_release boolean NOT NULL DEFAULT false;

CREATE TABLE agencies (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('federal', 'state', 'local', 'internal')),
  contact_name text CHECK (length(contact_name) <= 200),
  email text CHECK (length(email) <= 320),
  phone text CHECK (length(phone) <= 40),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
  requires_privacy_release boolean NOT NULL,
  retired boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id)
);
-- A live agency's name is unique in the office, ignoring case; retiring one frees its name.
CREATE UNIQUE INDEX agencies_name_live ON agencies (office_id, lower(name)) WHERE NOT retired;

-- The wording residents consent to and how long a signing link lives, per office (a missing
-- row means the defaults).
CREATE TABLE privacy_release_settings (
  office_id uuid PRIMARY KEY REFERENCES offices(id),
  consent_text text CHECK (length(consent_text) BETWEEN 1 AND 5000),
  link_expiry_days integer NOT NULL DEFAULT 14 CHECK (link_expiry_days BETWEEN 1 AND 90),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE privacy_releases (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  case_id uuid NOT NULL,
  constituent_id uuid NOT NULL,
  -- The agency the release names as recipient; NULL: any agency the case is referred to.
  agency_id uuid,
  method text NOT NULL CHECK (method IN ('paper', 'electronic')),
  status text NOT NULL CHECK (status IN ('pending', 'signed', 'revoked')),
  -- Electronic: SHA-256 (hex) of the link's token; the token itself is never stored.
  token_hash text,
  expires_at timestamptz,
  consent_text text,
  -- What the resident typed and where from, and the SHA-256 over its canonical JSON.
  typed_name text,
  signed_date date,
  signer_ip text,
  signer_user_agent text,
  signed_at timestamptz,
  content_hash text,
  -- The document kept in storage: the scanned form, or the generated PDF.
  file_key text,
  file_name text,
  file_type text,
  file_size bigint,
  file_sha256 text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by uuid,
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id),
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id),
  FOREIGN KEY (office_id, agency_id) REFERENCES agencies(office_id, id),
  CHECK (method = 'paper' OR (token_hash IS NOT NULL AND expires_at IS NOT NULL)),
  CHECK (status <> 'signed' OR (signed_at IS NOT NULL AND file_key IS NOT NULL)),
  CHECK (method = 'paper' OR status <> 'signed' OR content_hash IS NOT NULL)
);
-- The public signing page finds a request by its token alone (it knows no office).
CREATE UNIQUE INDEX privacy_releases_token ON privacy_releases (token_hash) WHERE token_hash IS NOT NULL;
CREATE INDEX privacy_releases_case ON privacy_releases (office_id, case_id, created_at);

CREATE TABLE referrals (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  case_id uuid NOT NULL,
  agency_id uuid NOT NULL,
  -- The person at the agency it goes to (free text; the agency's contact by default).
  contact text CHECK (length(contact) <= 200),
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 10000),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'responded', 'closed')),
  sent_at timestamptz,
  their_reference text CHECK (length(their_reference) <= 200),
  expected_response_on date,
  responded_at timestamptz,
  closed_at timestamptz,
  -- The release that allowed sending it, when one was needed.
  privacy_release_id uuid,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id),
  FOREIGN KEY (office_id, agency_id) REFERENCES agencies(office_id, id),
  FOREIGN KEY (office_id, privacy_release_id) REFERENCES privacy_releases(office_id, id),
  CHECK (status = 'draft' OR status = 'closed' OR sent_at IS NOT NULL)
);
CREATE INDEX referrals_case ON referrals (office_id, case_id, created_at);
CREATE INDEX referrals_list ON referrals (office_id, created_at DESC, id DESC);
-- Overdue: sent, no reply, expected date passed.
CREATE INDEX referrals_awaiting ON referrals (office_id, expected_response_on) WHERE status = 'sent';

CREATE TABLE referral_follow_ups (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  referral_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('chased', 'agency_replied', 'note')),
  occurred_on date NOT NULL,
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, referral_id) REFERENCES referrals(office_id, id)
);
CREATE INDEX referral_follow_ups_referral ON referral_follow_ups (office_id, referral_id, occurred_on, created_at);
