-- Reply templates in several languages, each with a draft -> approved workflow and a version
-- history (issue 6). `reply_templates` stays the template's identity (name, category, retired,
-- default language); the text moves to `reply_template_versions`, one row per version of one
-- language. Approved text is never edited: an edit is a draft, approving it supersedes the
-- approved version. Sending uses approved versions only.

ALTER TABLE reply_templates ADD COLUMN default_language text;
-- The office's language (its locale without the region), else English.
UPDATE reply_templates t SET default_language = coalesce(
  (SELECT nullif(lower(split_part(o.locale, '-', 1)), '') FROM offices o WHERE o.id = t.office_id), 'en');
ALTER TABLE reply_templates
  ALTER COLUMN default_language SET NOT NULL,
  ADD CONSTRAINT reply_templates_default_language_check CHECK (default_language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' AND length(default_language) <= 35);

CREATE TABLE reply_template_versions (
  office_id uuid NOT NULL,
  template_id uuid NOT NULL,
  -- A BCP 47 tag in canonical case (en, es, cy-GB).
  language text NOT NULL CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' AND length(language) <= 35),
  -- 1, 2, ... per template and language; never reused (a discarded draft keeps its number).
  version integer NOT NULL CHECK (version >= 1),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'superseded', 'discarded')),
  -- Counts the saves of a draft, so approving names the text the approver read.
  revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  created_by uuid,
  created_by_label text NOT NULL CHECK (length(created_by_label) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  approved_by uuid,
  approved_by_label text CHECK (length(approved_by_label) BETWEEN 1 AND 200),
  approved_at timestamptz,
  -- When it stopped being a draft or the approved text (superseded or discarded).
  closed_at timestamptz,
  PRIMARY KEY (office_id, template_id, language, version),
  FOREIGN KEY (office_id, template_id) REFERENCES reply_templates(office_id, id),
  FOREIGN KEY (office_id, created_by) REFERENCES users(office_id, id) ON DELETE SET NULL (created_by),
  FOREIGN KEY (office_id, approved_by) REFERENCES users(office_id, id) ON DELETE SET NULL (approved_by),
  -- Approved and superseded versions were approved by someone at some time; others never were.
  CHECK ((status IN ('approved', 'superseded')) = (approved_at IS NOT NULL AND approved_by_label IS NOT NULL)),
  CHECK ((status IN ('superseded', 'discarded')) = (closed_at IS NOT NULL))
);
-- One approved version and at most one open draft per template and language.
CREATE UNIQUE INDEX reply_template_versions_approved ON reply_template_versions (office_id, template_id, language) WHERE status = 'approved';
CREATE UNIQUE INDEX reply_template_versions_draft ON reply_template_versions (office_id, template_id, language) WHERE status = 'draft';

-- The existing templates were in use: their text becomes approved version 1 in the default language.
INSERT INTO reply_template_versions (office_id, template_id, language, version, subject, body, status, created_by_label, created_at, updated_at, approved_by_label, approved_at)
SELECT office_id, id, default_language, 1, subject, body, 'approved', 'migration', updated_at, updated_at, 'migration', updated_at FROM reply_templates;

ALTER TABLE reply_templates DROP COLUMN subject, DROP COLUMN body;

-- Which approved version (and language) a message was sent from. Messages sent before versions
-- existed keep only the template id.
ALTER TABLE outbound_messages
  ADD COLUMN template_language text,
  ADD COLUMN template_version integer,
  ADD CONSTRAINT outbound_messages_template_version_check CHECK (
    (template_version IS NULL) = (template_language IS NULL) AND (template_version IS NULL OR template_id IS NOT NULL)),
  ADD CONSTRAINT outbound_messages_template_version_fkey FOREIGN KEY (office_id, template_id, template_language, template_version)
    REFERENCES reply_template_versions(office_id, template_id, language, version);
