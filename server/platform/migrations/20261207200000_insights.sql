-- Insights (issue 8): summaries the dashboard figures are read from, kept current by
-- triggers that mark changed cases dirty and a refresh that folds them in (insights.refresh).
-- Nothing here is the record of anything: every table can be rebuilt from cases, ratings,
-- inbound items, triage decisions and events (rebuildOffice).

-- ---------------------------------------------------------------- dirty marking
-- A mark is written with ON CONFLICT … DO UPDATE, never DO NOTHING: the update locks a mark
-- already waiting, so a refresh that takes marks (DELETE … FOR UPDATE SKIP LOCKED) skips it
-- until the change that re-marked it commits, and never reads the case as it was before that
-- change and then deletes the only mark of it.
CREATE TABLE insight_dirty_cases (
  office_id uuid NOT NULL REFERENCES offices(id),
  case_id uuid NOT NULL,
  marked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, case_id)
);

-- Each reopen (resolved_at going from a value back to NULL), with the resolution it undid, so
-- the first resolution and the reopen rate survive a later re-resolution. No foreign key: a
-- deleted case's rows are removed by the refresh.
CREATE TABLE insight_case_reopens (
  office_id uuid NOT NULL REFERENCES offices(id),
  case_id uuid NOT NULL,
  reopened_at timestamptz NOT NULL,
  resolved_at timestamptz NOT NULL,
  PRIMARY KEY (office_id, case_id, reopened_at)
);

CREATE FUNCTION insight_mark_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO insight_dirty_cases (office_id, case_id) VALUES (OLD.office_id, OLD.id) ON CONFLICT (office_id, case_id) DO UPDATE SET marked_at = clock_timestamp();
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF OLD.resolved_at IS NOT NULL AND NEW.resolved_at IS NULL THEN
      INSERT INTO insight_case_reopens (office_id, case_id, reopened_at, resolved_at)
      VALUES (NEW.office_id, NEW.id, clock_timestamp(), OLD.resolved_at) ON CONFLICT DO NOTHING;
    END IF;
    IF OLD.office_id IS DISTINCT FROM NEW.office_id OR OLD.id IS DISTINCT FROM NEW.id THEN
      INSERT INTO insight_dirty_cases (office_id, case_id) VALUES (OLD.office_id, OLD.id) ON CONFLICT (office_id, case_id) DO UPDATE SET marked_at = clock_timestamp();
    END IF;
  END IF;
  INSERT INTO insight_dirty_cases (office_id, case_id) VALUES (NEW.office_id, NEW.id) ON CONFLICT (office_id, case_id) DO UPDATE SET marked_at = clock_timestamp();
  RETURN NEW;
END $$;

CREATE TRIGGER cases_insight_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION insight_mark_case();
CREATE TRIGGER cases_insight_delete AFTER DELETE ON cases FOR EACH ROW EXECUTE FUNCTION insight_mark_case();
-- Only the columns a figure reads: the SLA sweep's markers and next-check times, subjects,
-- tags and descriptions change often and mean nothing here.
CREATE TRIGGER cases_insight_update AFTER UPDATE ON cases FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.team_id IS DISTINCT FROM NEW.team_id
    OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.ward_id IS DISTINCT FROM NEW.ward_id
    OR OLD.requester_id IS DISTINCT FROM NEW.requester_id OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at
    OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.first_responded_at IS DISTINCT FROM NEW.first_responded_at
    OR OLD.first_response_due_at IS DISTINCT FROM NEW.first_response_due_at OR OLD.resolution_due_at IS DISTINCT FROM NEW.resolution_due_at
    OR OLD.sla_paused_minutes IS DISTINCT FROM NEW.sla_paused_minutes OR OLD.office_id IS DISTINCT FROM NEW.office_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION insight_mark_case();

CREATE FUNCTION insight_mark_rating() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO insight_dirty_cases (office_id, case_id) VALUES (OLD.office_id, OLD.case_id) ON CONFLICT (office_id, case_id) DO UPDATE SET marked_at = clock_timestamp();
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO insight_dirty_cases (office_id, case_id) VALUES (NEW.office_id, NEW.case_id) ON CONFLICT (office_id, case_id) DO UPDATE SET marked_at = clock_timestamp();
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER case_ratings_insight AFTER INSERT OR UPDATE OR DELETE ON case_ratings FOR EACH ROW EXECUTE FUNCTION insight_mark_rating();

-- A later correction of triage's category (or a change to its reply) changes whether the
-- item counts as handled automatically: its day is recomputed. Inbound items themselves have
-- no trigger (intake throughput); their days are found through a watermark.
CREATE TABLE insight_dirty_items (
  office_id uuid NOT NULL REFERENCES offices(id),
  inbound_item_id uuid NOT NULL,
  PRIMARY KEY (office_id, inbound_item_id)
);
CREATE FUNCTION insight_mark_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.inbound_item_id IS NOT NULL THEN
    INSERT INTO insight_dirty_items (office_id, inbound_item_id) VALUES (NEW.office_id, NEW.inbound_item_id) ON CONFLICT (office_id, inbound_item_id) DO UPDATE SET inbound_item_id = EXCLUDED.inbound_item_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER triage_decisions_insight AFTER UPDATE ON triage_decisions FOR EACH ROW
  WHEN (OLD.corrected_category_id IS DISTINCT FROM NEW.corrected_category_id OR OLD.category_source IS DISTINCT FROM NEW.category_source
    OR OLD.applied_category_id IS DISTINCT FROM NEW.applied_category_id OR OLD.auto_reply IS DISTINCT FROM NEW.auto_reply)
  EXECUTE FUNCTION insight_mark_decision();

-- ---------------------------------------------------------------- facts: one row per case
CREATE TABLE insight_case_facts (
  office_id uuid NOT NULL REFERENCES offices(id),
  case_id uuid NOT NULL,
  -- office-local days
  created_day date NOT NULL,
  first_response_day date,
  resolved_day date,
  rating_day date,
  category_id uuid,
  team_id uuid,
  assignee_id uuid,
  channel text NOT NULL,
  ward_id uuid,
  requester_id uuid,
  -- the requester had an earlier case (null: no requester)
  is_returning boolean,
  -- whole minutes
  fr_calendar integer,
  fr_business integer,
  res_calendar integer,
  res_business integer,
  -- null: no target applied
  fr_met boolean,
  res_met boolean,
  is_reopened boolean NOT NULL DEFAULT false,
  rating smallint,
  PRIMARY KEY (office_id, case_id)
);
CREATE INDEX insight_case_facts_resolved ON insight_case_facts (office_id, resolved_day) WHERE resolved_day IS NOT NULL;
CREATE INDEX insight_case_facts_responded ON insight_case_facts (office_id, first_response_day) WHERE first_response_day IS NOT NULL;
CREATE INDEX insight_case_facts_requester ON insight_case_facts (office_id, requester_id) WHERE requester_id IS NOT NULL;

-- ---------------------------------------------------------------- rollups
-- Counters per breakdown (dimension none/category/team/assignee/channel/ward, key '' for
-- "none of") and period, at three grains: 'd' (a day), 'm' (a month, period = its first day)
-- and 'y' (a year, period = 1 January). A range reads whole years from 'y', whole months of
-- what is left from 'm' and the edge days from 'd' (insights.days.ts coverRange).
CREATE TABLE insight_counts (
  office_id uuid NOT NULL REFERENCES offices(id),
  dimension text NOT NULL,
  grain text NOT NULL CHECK (grain IN ('d', 'm', 'y')),
  period date NOT NULL,
  key text NOT NULL,
  opened integer NOT NULL DEFAULT 0,
  resolved integer NOT NULL DEFAULT 0,
  first_responses integer NOT NULL DEFAULT 0,
  fr_targets integer NOT NULL DEFAULT 0,
  fr_met integer NOT NULL DEFAULT 0,
  res_targets integer NOT NULL DEFAULT 0,
  res_met integer NOT NULL DEFAULT 0,
  reopened integer NOT NULL DEFAULT 0,
  ratings integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  rating_1 integer NOT NULL DEFAULT 0,
  rating_2 integer NOT NULL DEFAULT 0,
  rating_3 integer NOT NULL DEFAULT 0,
  rating_4 integer NOT NULL DEFAULT 0,
  rating_5 integer NOT NULL DEFAULT 0,
  new_requesters integer NOT NULL DEFAULT 0,
  returning_requesters integer NOT NULL DEFAULT 0,
  PRIMARY KEY (office_id, dimension, grain, period, key)
);

-- Duration histograms, same rows: one row holds the sparse histograms of all four measures
-- (0..3 = first response calendar, first response business, resolution calendar, resolution
-- business) as parallel arrays: bins[i] = measure * 1024 + bin, ascending, with counts[i] > 0.
-- Bins: exact minutes below 64, then log bins of ratio 1.02 (insights.histogram.ts). A row per
-- period and key rather than per bin keeps a year's merge to a few thousand rows, and a changed
-- case to a few row writes.
CREATE TABLE insight_histograms (
  office_id uuid NOT NULL REFERENCES offices(id),
  dimension text NOT NULL,
  grain text NOT NULL CHECK (grain IN ('d', 'm', 'y')),
  period date NOT NULL,
  key text NOT NULL,
  bins smallint[] NOT NULL,
  counts integer[] NOT NULL,
  PRIMARY KEY (office_id, dimension, grain, period, key)
);

-- The sum of two sparse histograms in the layout above (bins that sum to 0 dropped): how a
-- refresh adds a batch's delta to a row in one upsert.
CREATE FUNCTION insight_histogram_add(a_bins smallint[], a_counts integer[], b_bins smallint[], b_counts integer[], OUT bins smallint[], OUT counts integer[])
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(s.bin ORDER BY s.bin), '{}'), coalesce(array_agg(s.n ORDER BY s.bin), '{}')
  FROM (SELECT u.bin, sum(u.n)::int AS n FROM (SELECT * FROM unnest(a_bins, a_counts) UNION ALL SELECT * FROM unnest(b_bins, b_counts)) AS u(bin, n)
        GROUP BY u.bin HAVING sum(u.n) <> 0) AS s
$$;

-- Inbound items per office-local day and channel, and how many triage handled without staff.
CREATE TABLE insight_item_days (
  office_id uuid NOT NULL REFERENCES offices(id),
  day date NOT NULL,
  channel text NOT NULL,
  items integer NOT NULL,
  automatic integer NOT NULL,
  PRIMARY KEY (office_id, day, channel)
);

-- Inbound items each member of staff filed (to a new or an existing case) per day.
CREATE TABLE insight_item_handlers (
  office_id uuid NOT NULL REFERENCES offices(id),
  day date NOT NULL,
  user_id uuid NOT NULL,
  items integer NOT NULL,
  PRIMARY KEY (office_id, day, user_id)
);

-- Per office: when its summaries last caught up with every change, and how far items are counted.
CREATE TABLE insight_office_state (
  office_id uuid PRIMARY KEY REFERENCES offices(id),
  refreshed_at timestamptz,
  items_through timestamptz,
  -- the time zone the days were counted in (a change of zone rebuilds the office)
  time_zone text,
  -- a rebuild is under way: batches write facts only, and the rollups are made from all the
  -- facts in one statement once no case is left (insights.refresh.ts); resumable by any refresh
  rebuilding boolean NOT NULL DEFAULT false
);

-- Backlog and workload read all of an office's open cases through the partial index of open
-- cases that already exists (cases_overdue). A covering index of open cases of their own
-- would be quicker, but the planner then takes it for the case list's overdue filter too,
-- where the expression index is the right plan at scale.

-- Filed items by who filed them, for the workload figures.
CREATE INDEX events_inbound_filed ON events (office_id, occurred_at) INCLUDE (actor_id) WHERE entity_type = 'inbound_item' AND action = 'filed' AND actor_type = 'user';

-- Every existing case is counted by the first refreshes, as a rebuild (set-based rollups).
INSERT INTO insight_dirty_cases (office_id, case_id) SELECT office_id, id FROM cases ON CONFLICT DO NOTHING;
INSERT INTO insight_office_state (office_id, rebuilding) SELECT id, true FROM offices;
