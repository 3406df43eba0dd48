-- Insights: the open cases, narrow. Backlog, workload and the ward map's open and overdue
-- measures count the cases open now by age and by whether they are overdue. Read from cases
-- that is a scan of every case of the office (0.5–0.7 s at 5 million), since nothing indexes
-- "open". insight_open_cases holds one short row per open case with just what those counts
-- read, kept by triggers in the same transaction as the change, so the figures stay exact and
-- current (no refresh, nothing pending) and a read scans only the open cases.

CREATE TABLE insight_open_cases (
  office_id uuid NOT NULL,
  case_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  -- when the case becomes overdue, as the case list counts it (cases.search-repo OVERDUE_AT):
  -- its first-response due time while unanswered, or its resolution due time, whichever is first
  overdue_at timestamptz,
  category_id uuid,
  team_id uuid,
  assignee_id uuid,
  channel text NOT NULL,
  ward_id uuid,
  PRIMARY KEY (office_id, case_id)
);

-- A case is open while neither resolved nor closed. No foreign key: the delete trigger removes
-- a deleted case's row.
CREATE FUNCTION insight_keep_open_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.office_id IS DISTINCT FROM NEW.office_id OR OLD.id IS DISTINCT FROM NEW.id)) THEN
    DELETE FROM insight_open_cases WHERE office_id = OLD.office_id AND case_id = OLD.id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN NULL;
  END IF;
  IF NEW.resolved_at IS NULL AND NEW.closed_at IS NULL THEN
    INSERT INTO insight_open_cases (office_id, case_id, created_at, overdue_at, category_id, team_id, assignee_id, channel, ward_id)
    VALUES (NEW.office_id, NEW.id, NEW.created_at,
      least(CASE WHEN NEW.first_responded_at IS NULL THEN NEW.first_response_due_at END, NEW.resolution_due_at),
      NEW.category_id, NEW.team_id, NEW.assignee_id, NEW.channel, NEW.ward_id)
    ON CONFLICT (office_id, case_id) DO UPDATE SET created_at = EXCLUDED.created_at, overdue_at = EXCLUDED.overdue_at,
      category_id = EXCLUDED.category_id, team_id = EXCLUDED.team_id, assignee_id = EXCLUDED.assignee_id,
      channel = EXCLUDED.channel, ward_id = EXCLUDED.ward_id;
  ELSIF TG_OP = 'UPDATE' THEN
    DELETE FROM insight_open_cases WHERE office_id = NEW.office_id AND case_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_open_insert AFTER INSERT ON cases FOR EACH ROW
  WHEN (NEW.resolved_at IS NULL AND NEW.closed_at IS NULL) EXECUTE FUNCTION insight_keep_open_case();
CREATE TRIGGER cases_open_delete AFTER DELETE ON cases FOR EACH ROW
  WHEN (OLD.resolved_at IS NULL AND OLD.closed_at IS NULL) EXECUTE FUNCTION insight_keep_open_case();
-- Only the columns a row holds (and what decides open and overdue).
CREATE TRIGGER cases_open_update AFTER UPDATE ON cases FOR EACH ROW
  WHEN (OLD.resolved_at IS DISTINCT FROM NEW.resolved_at OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.first_responded_at IS DISTINCT FROM NEW.first_responded_at
    OR OLD.first_response_due_at IS DISTINCT FROM NEW.first_response_due_at OR OLD.resolution_due_at IS DISTINCT FROM NEW.resolution_due_at
    OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
    OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.ward_id IS DISTINCT FROM NEW.ward_id
    OR OLD.office_id IS DISTINCT FROM NEW.office_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION insight_keep_open_case();

INSERT INTO insight_open_cases (office_id, case_id, created_at, overdue_at, category_id, team_id, assignee_id, channel, ward_id)
SELECT office_id, id, created_at, least(CASE WHEN first_responded_at IS NULL THEN first_response_due_at END, resolution_due_at),
  category_id, team_id, assignee_id, channel, ward_id
FROM cases WHERE resolved_at IS NULL AND closed_at IS NULL;
