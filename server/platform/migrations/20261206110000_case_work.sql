-- Casework items that hang off a case: attachments (metadata here, bytes in the storage
-- platform under storage_key), follow-up tasks with email reminders, and internal notes with
-- @mentions of staff. Nothing here is shown to residents.

CREATE TABLE case_attachments (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  case_id uuid NOT NULL,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  -- Detected from the content, never the declared type.
  content_type text NOT NULL CHECK (length(content_type) BETWEEN 3 AND 200),
  size bigint NOT NULL CHECK (size >= 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text NOT NULL UNIQUE,
  uploaded_by uuid,
  uploaded_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  deleted_by_label text,
  -- Set by the purge job once the bytes are gone from storage.
  blob_removed_at timestamptz,
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, uploaded_by) REFERENCES users(office_id, id) ON DELETE SET NULL (uploaded_by)
);
CREATE INDEX case_attachments_case ON case_attachments (office_id, case_id, created_at DESC) WHERE deleted_at IS NULL;
-- The purge job: deleted attachments whose bytes are still in storage.
CREATE INDEX case_attachments_purge ON case_attachments (deleted_at) WHERE deleted_at IS NOT NULL AND blob_removed_at IS NULL;

CREATE TABLE case_tasks (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  case_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
  -- A calendar date in the office's time zone.
  due_on date,
  assignee_id uuid,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  completed_at timestamptz,
  completed_by uuid,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  -- The due date the assignee was last reminded of: one reminder per due date.
  reminded_for date,
  PRIMARY KEY (office_id, id),
  CHECK ((status = 'done') = (completed_at IS NOT NULL)),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, assignee_id) REFERENCES users(office_id, id) ON DELETE SET NULL (assignee_id),
  FOREIGN KEY (office_id, completed_by) REFERENCES users(office_id, id) ON DELETE SET NULL (completed_by),
  FOREIGN KEY (office_id, created_by) REFERENCES users(office_id, id) ON DELETE SET NULL (created_by)
);
CREATE INDEX case_tasks_case ON case_tasks (office_id, case_id, created_at) WHERE deleted_at IS NULL;
-- "My tasks": open ones by due date (undated last), keyset on (due, id).
CREATE INDEX case_tasks_assignee ON case_tasks (office_id, assignee_id, status, (coalesce(due_on, 'infinity'::date)), id) WHERE deleted_at IS NULL;
-- The reminder sweep reads only open, dated, assigned tasks not yet reminded for their date.
CREATE INDEX case_tasks_reminders ON case_tasks (due_on)
  WHERE deleted_at IS NULL AND status = 'open' AND assignee_id IS NOT NULL AND due_on IS NOT NULL AND reminded_for IS DISTINCT FROM due_on;

CREATE TABLE case_notes (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  case_id uuid NOT NULL,
  author_id uuid,
  author_label text NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  -- Users @mentioned in the body (checked on write: same office, may read the case).
  mentions uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  edited_at timestamptz,
  deleted_at timestamptz,
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, author_id) REFERENCES users(office_id, id) ON DELETE SET NULL (author_id)
);
CREATE INDEX case_notes_case ON case_notes (office_id, case_id, id DESC) WHERE deleted_at IS NULL;
