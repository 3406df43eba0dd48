-- Casework core (issue 4): the issue taxonomy's admin operations (merge, case-insensitive
-- names per parent among live categories), per-office workflow (statuses, allowed
-- transitions, resolution codes, seeded for every office), the people on a case with their
-- role, watchers, tags and resolution on cases, events that name their case (the case
-- timeline), and the indexes behind the case list at millions of cases.

-- ---------------------------------------------------------------- taxonomy
ALTER TABLE categories
  ADD COLUMN merged_into_id uuid,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD FOREIGN KEY (office_id, merged_into_id) REFERENCES categories(office_id, id),
  ADD CHECK (merged_into_id IS NULL OR retired);
-- Names are unique per parent regardless of case among live categories: a retired or
-- merged category frees its name.
DROP INDEX categories_name;
CREATE UNIQUE INDEX categories_name_live ON categories (office_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name)) WHERE NOT retired;
CREATE INDEX categories_parent ON categories (office_id, parent_id);

-- ---------------------------------------------------------------- workflow
-- Each status belongs to one of four fixed categories, which is what the rest of the system
-- reasons about (open work, waiting, resolved, closed). The category of a status never
-- changes once created.
CREATE TABLE case_statuses (
  office_id uuid NOT NULL REFERENCES offices(id),
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
  category text NOT NULL CHECK (category IN ('open', 'waiting', 'resolved', 'closed')),
  position integer NOT NULL DEFAULT 0,
  -- The status new cases start in; exactly one per office.
  is_initial boolean NOT NULL DEFAULT false,
  retired boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, key),
  CHECK (NOT (is_initial AND retired)),
  CHECK (NOT is_initial OR category = 'open')
);
CREATE UNIQUE INDEX case_statuses_one_initial ON case_statuses (office_id) WHERE is_initial;

CREATE TABLE case_status_transitions (
  office_id uuid NOT NULL,
  from_status text NOT NULL,
  to_status text NOT NULL,
  PRIMARY KEY (office_id, from_status, to_status),
  FOREIGN KEY (office_id, from_status) REFERENCES case_statuses(office_id, key),
  FOREIGN KEY (office_id, to_status) REFERENCES case_statuses(office_id, key),
  CHECK (from_status <> to_status)
);

CREATE TABLE case_resolution_codes (
  office_id uuid NOT NULL REFERENCES offices(id),
  code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  position integer NOT NULL DEFAULT 0,
  retired boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, code)
);

-- The defaults every office starts with; admins extend them. Idempotent.
CREATE FUNCTION civitas_seed_casework(p_office uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO case_statuses (office_id, key, label, category, position, is_initial) VALUES
    (p_office, 'new', 'New', 'open', 10, true),
    (p_office, 'open', 'Open', 'open', 20, false),
    (p_office, 'waiting_on_resident', 'Waiting on resident', 'waiting', 30, false),
    (p_office, 'waiting_on_agency', 'Waiting on agency', 'waiting', 40, false),
    (p_office, 'resolved', 'Resolved', 'resolved', 50, false),
    (p_office, 'closed', 'Closed', 'closed', 60, false)
  ON CONFLICT DO NOTHING;
  INSERT INTO case_status_transitions (office_id, from_status, to_status)
  SELECT p_office, f, t FROM (VALUES
    ('new', 'open'), ('new', 'waiting_on_resident'), ('new', 'waiting_on_agency'), ('new', 'resolved'), ('new', 'closed'),
    ('open', 'waiting_on_resident'), ('open', 'waiting_on_agency'), ('open', 'resolved'), ('open', 'closed'),
    ('waiting_on_resident', 'open'), ('waiting_on_resident', 'waiting_on_agency'), ('waiting_on_resident', 'resolved'), ('waiting_on_resident', 'closed'),
    ('waiting_on_agency', 'open'), ('waiting_on_agency', 'waiting_on_resident'), ('waiting_on_agency', 'resolved'), ('waiting_on_agency', 'closed'),
    ('resolved', 'open'), ('resolved', 'closed')
  ) AS v(f, t)
  ON CONFLICT DO NOTHING;
  INSERT INTO case_resolution_codes (office_id, code, label, position) VALUES
    (p_office, 'resolved', 'Resolved as requested', 10),
    (p_office, 'partially_resolved', 'Partly resolved', 20),
    (p_office, 'referred', 'Referred to another body', 30),
    (p_office, 'no_action_possible', 'No action possible', 40),
    (p_office, 'no_response', 'No response from the resident', 50),
    (p_office, 'withdrawn', 'Withdrawn by the resident', 60),
    (p_office, 'duplicate', 'Duplicate of another case', 70)
  ON CONFLICT DO NOTHING;
$$;

-- Every office gets the defaults however it is created (API, CLI, demo, restore of data).
CREATE FUNCTION offices_seed_casework() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM civitas_seed_casework(NEW.id);
  RETURN NEW;
END $$;
CREATE TRIGGER offices_casework_defaults AFTER INSERT ON offices
  FOR EACH ROW EXECUTE FUNCTION offices_seed_casework();
SELECT civitas_seed_casework(id) FROM offices;

-- ---------------------------------------------------------------- cases
-- Statuses any existing case uses but the defaults lack (none in practice) become open ones.
INSERT INTO case_statuses (office_id, key, label, category, position)
SELECT DISTINCT c.office_id, c.status, initcap(replace(c.status, '_', ' ')), 'open', 100 FROM cases c
ON CONFLICT DO NOTHING;

ALTER TABLE cases
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  ADD COLUMN resolution_code text,
  ADD COLUMN resolution_summary text CHECK (length(resolution_summary) <= 5000),
  ADD FOREIGN KEY (office_id, status) REFERENCES case_statuses(office_id, key),
  ADD FOREIGN KEY (office_id, resolution_code) REFERENCES case_resolution_codes(office_id, code);

-- The people on a case and their role. cases.requester_id stays as the first requester
-- (what constituent search counts and what a merge re-points alongside these rows).
CREATE TABLE case_constituents (
  office_id uuid NOT NULL,
  case_id uuid NOT NULL,
  constituent_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('requester', 'affected', 'representative')),
  position integer NOT NULL DEFAULT 0,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, case_id, constituent_id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id)
);
CREATE INDEX case_constituents_constituent ON case_constituents (office_id, constituent_id);
INSERT INTO case_constituents (office_id, case_id, constituent_id, role)
SELECT office_id, id, requester_id, 'requester' FROM cases WHERE requester_id IS NOT NULL;

CREATE TABLE case_watchers (
  office_id uuid NOT NULL,
  case_id uuid NOT NULL,
  user_id uuid NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, case_id, user_id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, user_id) REFERENCES users(office_id, id) ON DELETE CASCADE
);
CREATE INDEX case_watchers_user ON case_watchers (office_id, user_id);

-- ---------------------------------------------------------------- the case list at scale
-- Every list query is "office, zero or more equality filters, a keyset on (sort key, id)".
-- One index per common leading filter, each ending in the default sort (created_at DESC, id
-- DESC), lets PostgreSQL walk the first page in order and stop after limit + 1 rows, checking
-- a second filter on the way; replaces the earlier indexes that lacked the id tie-breaker.
DROP INDEX cases_status;
DROP INDEX cases_category;
DROP INDEX cases_ward;
DROP INDEX cases_assignee;
CREATE INDEX cases_recent ON cases (office_id, created_at DESC, id DESC);
CREATE INDEX cases_recently_updated ON cases (office_id, updated_at DESC, id DESC);
CREATE INDEX cases_by_status ON cases (office_id, status, created_at DESC, id DESC);
CREATE INDEX cases_by_category ON cases (office_id, category_id, created_at DESC, id DESC);
CREATE INDEX cases_by_ward ON cases (office_id, ward_id, created_at DESC, id DESC);
CREATE INDEX cases_by_assignee ON cases (office_id, assignee_id, created_at DESC, id DESC);
CREATE INDEX cases_by_team ON cases (office_id, team_id, created_at DESC, id DESC);
CREATE INDEX cases_by_priority ON cases (office_id, priority, created_at DESC, id DESC);
CREATE INDEX cases_by_channel ON cases (office_id, channel, created_at DESC, id DESC);
-- Sorting by priority: most urgent first, then newest.
CREATE FUNCTION civitas_priority_rank(p text) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE p WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 WHEN 'low' THEN 1 ELSE 0 END::smallint
$$;
CREATE INDEX cases_by_priority_rank ON cases (office_id, civitas_priority_rank(priority) DESC, created_at DESC, id DESC);
-- Text search: subject by trigram (substring, typos), reference by prefix.
CREATE INDEX cases_subject_trgm ON cases USING gin (subject gin_trgm_ops);
CREATE INDEX cases_reference_prefix ON cases (office_id, reference text_pattern_ops);

-- ---------------------------------------------------------------- the case timeline
-- Audit events that concern a case (its own changes, and later its messages, notes, tasks)
-- carry the case id, so the timeline is one index range.
ALTER TABLE events ADD COLUMN case_id uuid;
CREATE INDEX events_case ON events (office_id, case_id, id DESC) WHERE case_id IS NOT NULL;
