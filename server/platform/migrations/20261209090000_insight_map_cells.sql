-- Insights: the case map's clusters summarised. At a city's zoom the map groups every case of
-- the view on a grid; read from the cases themselves that is a scan of all of them (seconds at
-- millions of cases). insight_map_cells holds, per grid level 0..16 (cell = 84.375° / 2^level,
-- the grid the map uses at that zoom: 60 pixels of a 256-pixel tile), the count of located
-- cases per cell and per status, category, ward, team and sensitivity, with the sums of their
-- positions (the cluster's mean) and the XOR of their ids (the case itself when the count is
-- 1). The refresh keeps it with the other summaries (insights.map-cells.ts); the map reads it
-- when its filters are among those keys and nothing is pending, else the cases (insights.points.ts).

-- What the cell rows are made from: a case's status, position and sensitivity join its fact.
ALTER TABLE insight_case_facts
  ADD COLUMN status text NOT NULL DEFAULT '',
  ADD COLUMN lat double precision,
  ADD COLUMN lng double precision,
  ADD COLUMN is_sensitive boolean NOT NULL DEFAULT false;

-- "None" (no category, ward or team) is the nil uuid, so every key column is NOT NULL and one
-- primary key serves the upserts.
CREATE TABLE insight_map_cells (
  office_id uuid NOT NULL REFERENCES offices(id),
  level smallint NOT NULL CHECK (level BETWEEN 0 AND 16),
  cx integer NOT NULL,
  cy integer NOT NULL,
  status text NOT NULL,
  category_id uuid NOT NULL,
  ward_id uuid NOT NULL,
  team_id uuid NOT NULL,
  is_sensitive boolean NOT NULL,
  n integer NOT NULL,
  sum_lng double precision NOT NULL,
  sum_lat double precision NOT NULL,
  -- the XOR of the cases' ids (as two 64-bit halves): the one case's id when n = 1
  id_hi bigint NOT NULL,
  id_lo bigint NOT NULL,
  PRIMARY KEY (office_id, level, cx, cy, status, category_id, ward_id, team_id, is_sensitive)
);

-- A moved case, or one marked (or no longer marked) sensitive, changes the map.
DROP TRIGGER cases_insight_update ON cases;
CREATE TRIGGER cases_insight_update AFTER UPDATE ON cases FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.team_id IS DISTINCT FROM NEW.team_id
    OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.ward_id IS DISTINCT FROM NEW.ward_id
    OR OLD.requester_id IS DISTINCT FROM NEW.requester_id OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at
    OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.first_responded_at IS DISTINCT FROM NEW.first_responded_at
    OR OLD.first_response_due_at IS DISTINCT FROM NEW.first_response_due_at OR OLD.resolution_due_at IS DISTINCT FROM NEW.resolution_due_at
    OR OLD.sla_paused_minutes IS DISTINCT FROM NEW.sla_paused_minutes OR OLD.office_id IS DISTINCT FROM NEW.office_id OR OLD.id IS DISTINCT FROM NEW.id
    OR OLD.lat IS DISTINCT FROM NEW.lat OR OLD.lng IS DISTINCT FROM NEW.lng OR OLD.is_sensitive IS DISTINCT FROM NEW.is_sensitive)
  EXECUTE FUNCTION insight_mark_case();

-- Facts kept so far lack the new columns: every case is recomputed, and every office's
-- summaries recounted, by its next refresh (the figures say a rebuild is under way until then).
INSERT INTO insight_dirty_cases (office_id, case_id) SELECT office_id, id FROM cases
  ON CONFLICT (office_id, case_id) DO UPDATE SET marked_at = clock_timestamp();
UPDATE insight_office_state SET rebuilding = true;
