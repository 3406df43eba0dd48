-- Public notes and resident updates (issue 7, items 2 and 4).
-- A note staff choose to share with the resident is shown on the portal's tracking page and
-- tells the requester. published_at is when it became public (the date the resident sees);
-- withdrawing it again clears both and is an audit event (notes.service).
ALTER TABLE case_notes
  ADD COLUMN is_public boolean NOT NULL DEFAULT false,
  ADD COLUMN published_at timestamptz,
  ADD CONSTRAINT case_notes_published_check CHECK (is_public = (published_at IS NOT NULL));
CREATE INDEX case_notes_public ON case_notes (office_id, case_id, published_at) WHERE is_public AND deleted_at IS NULL;

-- The office's templates for the messages Civitas sends by itself (a resident update): found by
-- their key, seeded with approved English and Spanish text the first time one is needed, and
-- changed by the office through the usual draft -> approved workflow. Retiring one switches
-- that message off. One per key and office, retired or not.
ALTER TABLE reply_templates
  ADD COLUMN system_key text CHECK (system_key IN ('resident.status_changed', 'resident.public_note'));
CREATE UNIQUE INDEX reply_templates_system_key ON reply_templates (office_id, system_key) WHERE system_key IS NOT NULL;

-- Resident updates: one row per thing the requester is to be told of (a status change to
-- another resident-facing status, a note shared with them), written in the staff change's
-- transaction; a job sends it after the commit (updates.send). The unique key per case and
-- event makes a retried change or a redelivered job tell nobody twice. An update waits until
-- not_before (quiet hours for text messages); done_at and outcome record what was sent to
-- whom, or why nothing was.
CREATE TABLE resident_updates (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  case_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('status_changed', 'public_note')),
  -- status_changed:<audit event id> or public_note:<note id>
  event_key text NOT NULL CHECK (length(event_key) BETWEEN 1 AND 200),
  note_id uuid,
  -- the resident-facing status the case moved to (status_changed)
  resident_status text,
  not_before timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  outcome jsonb,
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, case_id, event_key),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE
);
CREATE INDEX resident_updates_pending ON resident_updates (not_before) WHERE done_at IS NULL;
