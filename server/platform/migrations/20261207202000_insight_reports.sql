-- Insights: the case map's index, and the schedule of each office's weekly report.

-- The case map reads the located cases of a view by a range on lat (and lng); id and the
-- sensitive flag ride along so an unfiltered view is answered from the index alone.
CREATE INDEX cases_located ON cases (office_id, lat, lng) INCLUDE (id, is_sensitive) WHERE lat IS NOT NULL AND lng IS NOT NULL;

-- One row per office that has set its schedule (an office without one has the defaults:
-- enabled, Monday at 08:00 office time). last_sent_week is the ISO week (2026-W50) of the last
-- report sent. A sender first claims the week for a while (claimed_week, claimed_until: one
-- conditional upsert), so two workers never both send; a sender that dies leaves a claim
-- that lapses, and the next hourly run sends the week after all.
CREATE TABLE insight_report_schedules (
  office_id uuid NOT NULL REFERENCES offices(id),
  enabled boolean NOT NULL DEFAULT true,
  weekday smallint NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 1 AND 7),
  hour smallint NOT NULL DEFAULT 8 CHECK (hour BETWEEN 0 AND 23),
  extra_recipients text[] NOT NULL DEFAULT '{}' CHECK (cardinality(extra_recipients) <= 50),
  last_sent_at timestamptz,
  last_sent_week text CHECK (last_sent_week ~ '^\d{4}-W\d{2}$'),
  claimed_week text CHECK (claimed_week ~ '^\d{4}-W\d{2}$'),
  claimed_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id)
);
