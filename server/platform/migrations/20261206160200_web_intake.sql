-- Web form intake (issues 7 and 8): each office's key for signing its public request form.
-- The form carries a signed timestamp (the minimum fill time); every app node must check
-- the signature of a form another node served, so the key lives in the database, made on
-- the first form served.
CREATE TABLE intake_form_keys (
  office_id uuid NOT NULL REFERENCES offices(id),
  secret bytea NOT NULL CHECK (length(secret) >= 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id)
);

-- Whether the office's public form is live (off until an admin turns it on, so no office has
-- an anonymous form it did not ask for) and which categories it offers: NULL for all current
-- ones, else only those listed.
CREATE TABLE intake_public_forms (
  office_id uuid NOT NULL REFERENCES offices(id),
  enabled boolean NOT NULL DEFAULT false,
  category_ids uuid[],
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id)
);
