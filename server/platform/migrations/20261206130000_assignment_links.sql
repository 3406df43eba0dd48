-- Automatic assignment (rules per office, a strategy per team, staff away), and links
-- between cases (duplicate of, related, merged into) with the office's "related cases"
-- search settings (issue 4, items 4, 7 and 10).

-- ---------------------------------------------------------------- automatic assignment
-- The office's fallback team when no rule matches. A deleted team clears it.
CREATE TABLE assignment_settings (
  office_id uuid NOT NULL REFERENCES offices(id),
  default_team_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id),
  FOREIGN KEY (office_id, default_team_id) REFERENCES teams(office_id, id) ON DELETE SET NULL (default_team_id)
);

-- Rules, tried in position order: a case matches when its category is the rule's category or
-- below it, and its ward is the rule's ward (whichever the rule names; at least one). A rule
-- for a team, category or ward that is deleted goes with it: it could never match again.
CREATE TABLE assignment_rules (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  category_id uuid,
  ward_id uuid,
  team_id uuid NOT NULL,
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  CHECK (category_id IS NOT NULL OR ward_id IS NOT NULL),
  FOREIGN KEY (office_id, category_id) REFERENCES categories(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, ward_id) REFERENCES boundaries(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, team_id) REFERENCES teams(office_id, id) ON DELETE CASCADE
);
CREATE INDEX assignment_rules_order ON assignment_rules (office_id, position, id);

-- How a team shares its cases out. The row is also the team's rotation lock: automatic
-- assignment takes it FOR UPDATE, so concurrent new cases queue instead of picking the same
-- person.
CREATE TABLE team_assignment (
  office_id uuid NOT NULL,
  team_id uuid NOT NULL,
  strategy text NOT NULL DEFAULT 'round_robin' CHECK (strategy IN ('round_robin', 'least_loaded')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, team_id),
  FOREIGN KEY (office_id, team_id) REFERENCES teams(office_id, id) ON DELETE CASCADE
);

-- When each member last got a case from the team's rotation (round-robin order; least-loaded
-- ties go to whoever waited longest).
CREATE TABLE team_assignment_members (
  office_id uuid NOT NULL,
  team_id uuid NOT NULL,
  user_id uuid NOT NULL,
  last_assigned_at timestamptz NOT NULL,
  PRIMARY KEY (office_id, team_id, user_id),
  FOREIGN KEY (office_id, team_id) REFERENCES team_assignment(office_id, team_id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, user_id) REFERENCES users(office_id, id) ON DELETE CASCADE
);
CREATE INDEX team_assignment_members_user ON team_assignment_members (office_id, user_id);

-- Staff away (leave, training): automatic assignment skips them from from_date to until_date
-- (days in the office's time zone, both included; no end: until further notice).
CREATE TABLE staff_away (
  office_id uuid NOT NULL,
  user_id uuid NOT NULL,
  from_date date NOT NULL,
  until_date date,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, user_id),
  FOREIGN KEY (office_id, user_id) REFERENCES users(office_id, id) ON DELETE CASCADE,
  CHECK (until_date IS NULL OR until_date >= from_date)
);

-- ---------------------------------------------------------------- links between cases
-- One row per link, read from both ends: case_id is the duplicate (duplicate_of), the case
-- merged away (merged_into) or one side of a related pair; target_case_id the original, the
-- survivor or the other side. A case is a duplicate of, or merged into, at most one case.
-- previous_status is where a duplicate was before it was closed, so unmarking restores it.
CREATE TABLE case_links (
  office_id uuid NOT NULL,
  case_id uuid NOT NULL,
  target_case_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('duplicate_of', 'related', 'merged_into')),
  previous_status text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, case_id, target_case_id),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, target_case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  CHECK (case_id <> target_case_id)
);
CREATE UNIQUE INDEX case_links_one_original ON case_links (office_id, case_id) WHERE kind IN ('duplicate_of', 'merged_into');
CREATE INDEX case_links_target ON case_links (office_id, target_case_id, kind);

-- How near and how recent an open case of the same category must be to be shown as possibly
-- the same problem.
CREATE TABLE case_related_settings (
  office_id uuid NOT NULL REFERENCES offices(id),
  radius_m integer NOT NULL DEFAULT 50 CHECK (radius_m BETWEEN 1 AND 5000),
  window_days integer NOT NULL DEFAULT 30 CHECK (window_days BETWEEN 1 AND 365),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id)
);

-- Open located cases by category and latitude: the related search takes a latitude band
-- (the bounding box) from it, checks longitude on the way, then the exact distance.
CREATE INDEX cases_open_by_place ON cases (office_id, category_id, lat, lng)
  WHERE lat IS NOT NULL AND resolved_at IS NULL AND closed_at IS NULL;

-- ---------------------------------------------------------------- resolution codes
-- "duplicate" is in the defaults already; "merged" is new. Both for existing offices, and
-- "merged" for every new office (the casework defaults' trigger seeds the rest).
INSERT INTO case_resolution_codes (office_id, code, label, position)
SELECT id, 'duplicate', 'Duplicate of another case', 70 FROM offices
ON CONFLICT DO NOTHING;
INSERT INTO case_resolution_codes (office_id, code, label, position)
SELECT id, 'merged', 'Merged into another case', 80 FROM offices
ON CONFLICT DO NOTHING;

CREATE FUNCTION offices_seed_case_link_codes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_resolution_codes (office_id, code, label, position) VALUES
    (NEW.id, 'duplicate', 'Duplicate of another case', 70),
    (NEW.id, 'merged', 'Merged into another case', 80)
  ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
CREATE TRIGGER offices_case_link_codes AFTER INSERT ON offices
  FOR EACH ROW EXECUTE FUNCTION offices_seed_case_link_codes();
