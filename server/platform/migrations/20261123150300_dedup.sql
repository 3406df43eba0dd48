-- Duplicate scans (issue 3, deduplication): one row per run of candidate generation, queued
-- from the API (run by a job) or run by the CLI, with per-rule progress and the result, so
-- the staff app can show a scan's progress from any app node.
CREATE TABLE dedup_scans (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  source text NOT NULL CHECK (source IN ('api', 'cli')),
  requested_by uuid,
  requested_by_label text NOT NULL,
  steps jsonb NOT NULL DEFAULT '[]'::jsonb,
  result jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (office_id, id)
);
-- At most one scan per office is waiting or running.
CREATE UNIQUE INDEX dedup_scans_one_active ON dedup_scans (office_id) WHERE status IN ('queued', 'running');
CREATE INDEX dedup_scans_recent ON dedup_scans (office_id, created_at DESC);
