-- Casework meets SLAs (issue 4): which statuses pause a case's SLA clock, the indexes behind
-- the "overdue" filter and the sort by resolution due time, and saved views of the case list.

-- ---------------------------------------------------------------- statuses that pause the clock
-- Entering a status with pauses_sla records a pause of the case's clock; leaving it ends the
-- pause. Whether a pause moves the due times is the SLA policy's choice (pause_while_waiting).
ALTER TABLE case_statuses
  ADD COLUMN pauses_sla boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT case_statuses_pauses_sla_open CHECK (NOT pauses_sla OR category IN ('open', 'waiting'));
UPDATE case_statuses SET pauses_sla = true WHERE key = 'waiting_on_resident' AND category = 'waiting';

-- The defaults of new offices, now with waiting_on_resident pausing the clock. Idempotent.
CREATE OR REPLACE FUNCTION civitas_seed_casework(p_office uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO case_statuses (office_id, key, label, category, position, is_initial, pauses_sla) VALUES
    (p_office, 'new', 'New', 'open', 10, true, false),
    (p_office, 'open', 'Open', 'open', 20, false, false),
    (p_office, 'waiting_on_resident', 'Waiting on resident', 'waiting', 30, false, true),
    (p_office, 'waiting_on_agency', 'Waiting on agency', 'waiting', 40, false, false),
    (p_office, 'resolved', 'Resolved', 'resolved', 50, false, false),
    (p_office, 'closed', 'Closed', 'closed', 60, false, false)
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

-- ---------------------------------------------------------------- overdue and due-time sort
-- A case is overdue when it is neither resolved nor closed and the earlier of its pending
-- targets (first response until it is met, then resolution) lies in the past. One partial
-- expression index holds that moment for open cases only, so "overdue" is a range scan of
-- it; the query repeats the expression exactly (cases.search-repo.ts, OVERDUE_AT).
CREATE INDEX cases_overdue ON cases (office_id, (least(CASE WHEN first_responded_at IS NULL THEN first_response_due_at END, resolution_due_at)))
  WHERE resolved_at IS NULL AND closed_at IS NULL;
-- Sorting by resolution due time: cases without one (no policy, or paused) sort last.
CREATE INDEX cases_by_resolution_due ON cases (office_id, (coalesce(resolution_due_at, 'infinity'::timestamptz)), id);

-- ---------------------------------------------------------------- saved views
-- Named filter sets of the case list: the owner's own (team_id NULL) or shared with a team,
-- which every member of the team sees. filters holds the list's query parameters as given.
CREATE TABLE case_views (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  owner_id uuid NOT NULL,
  team_id uuid,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  filters jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(filters) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, owner_id) REFERENCES users(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, team_id) REFERENCES teams(office_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX case_views_owner_name ON case_views (office_id, owner_id, lower(name));
CREATE INDEX case_views_team ON case_views (office_id, team_id) WHERE team_id IS NOT NULL;
