-- Emerging issues (issue 8): each office's detector settings and the alerts it raised on a
-- category and ward whose recent volume grew unusually. See docs/INSIGHTS.md.

CREATE TABLE insight_alert_settings (
  office_id uuid NOT NULL REFERENCES offices(id),
  enabled boolean NOT NULL DEFAULT true,
  window_days integer NOT NULL DEFAULT 2 CHECK (window_days BETWEEN 1 AND 14),
  history_weeks integer NOT NULL DEFAULT 12 CHECK (history_weeks BETWEEN 4 AND 104),
  min_count integer NOT NULL DEFAULT 5 CHECK (min_count BETWEEN 2 AND 1000),
  p_value double precision NOT NULL DEFAULT 0.001 CHECK (p_value >= 1e-9 AND p_value <= 0.05),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id)
);

-- The category and ward names are kept as they were when the alert was raised, so an alert
-- stays readable after its category is merged away or its ward boundary is replaced. The
-- ward has no foreign key: a boundary no case refers to any more may be deleted.
CREATE TABLE insight_alerts (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  category_id uuid NOT NULL,
  category_name text NOT NULL,
  ward_id uuid NOT NULL,
  ward_name text NOT NULL,
  window_from date NOT NULL,
  window_to date NOT NULL CHECK (window_to >= window_from),
  observed integer NOT NULL CHECK (observed >= 0),
  expected double precision NOT NULL CHECK (expected >= 0),
  p_value double precision NOT NULL CHECK (p_value >= 0 AND p_value <= 1),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
  raised_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  acknowledged_by_label text,
  note text CHECK (length(note) <= 2000),
  -- The window's cases of the pair, at the last run that found it unusual.
  case_ids uuid[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, category_id) REFERENCES categories(office_id, id),
  FOREIGN KEY (office_id, acknowledged_by) REFERENCES users(office_id, id),
  CHECK ((status = 'acknowledged') = (acknowledged_at IS NOT NULL))
);
-- At most one open alert per category and ward: a later run updates it.
CREATE UNIQUE INDEX insight_alerts_open_pair ON insight_alerts (office_id, category_id, ward_id) WHERE status = 'open';
-- The latest acknowledged alert of a pair (does a new cluster exceed it?).
CREATE INDEX insight_alerts_pair ON insight_alerts (office_id, category_id, ward_id, raised_at DESC);
CREATE INDEX insight_alerts_by_status ON insight_alerts (office_id, status, id DESC);
