-- SLAs: office holidays, SLA policies per category and priority, due times and breach
-- markers on cases, the pauses of a case's clock, and staff notifications.

-- Days the office is closed, in the office's own calendar.
CREATE TABLE office_holidays (
  office_id uuid NOT NULL REFERENCES offices(id),
  day date NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, day)
);

-- Targets per category (NULL: the office default) and priority. A case takes the policy of
-- its category, else of the nearest ancestor category that has one, else the default.
CREATE TABLE sla_policies (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  category_id uuid,
  priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  -- Minutes of the policy's clock: business time of the office calendar, or calendar time.
  first_response_minutes integer NOT NULL CHECK (first_response_minutes BETWEEN 1 AND 525600),
  resolution_minutes integer NOT NULL CHECK (resolution_minutes BETWEEN 1 AND 525600),
  clock text NOT NULL DEFAULT 'business' CHECK (clock IN ('business', 'calendar')),
  pause_while_waiting boolean NOT NULL DEFAULT true,
  -- Warn when this share of a target has run, or (when set) this many minutes before it.
  warn_percent integer NOT NULL DEFAULT 80 CHECK (warn_percent BETWEEN 1 AND 99),
  warn_minutes_before integer CHECK (warn_minutes_before BETWEEN 1 AND 525600),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, category_id) REFERENCES categories(office_id, id),
  CHECK (first_response_minutes <= resolution_minutes)
);
CREATE UNIQUE INDEX sla_policies_target ON sla_policies (office_id, coalesce(category_id, '00000000-0000-0000-0000-000000000000'::uuid), priority);

-- The SLA state of each case, maintained by the sla module (applySla and the sweep job).
ALTER TABLE cases
  ADD COLUMN sla_policy_id uuid,
  ADD COLUMN first_response_due_at timestamptz,
  ADD COLUMN resolution_due_at timestamptz,
  ADD COLUMN first_response_warn_at timestamptz,
  ADD COLUMN resolution_warn_at timestamptz,
  ADD COLUMN first_responded_at timestamptz,
  -- Set while the clock is paused (waiting on the resident); the pauses themselves are in case_sla_pauses.
  ADD COLUMN sla_paused_at timestamptz,
  -- Clock minutes the finished pauses have added to the targets (for display).
  ADD COLUMN sla_paused_minutes integer NOT NULL DEFAULT 0,
  ADD COLUMN first_response_warned_at timestamptz,
  ADD COLUMN first_response_breached_at timestamptz,
  ADD COLUMN resolution_warned_at timestamptz,
  ADD COLUMN resolution_breached_at timestamptz,
  -- The earliest pending warning or breach; NULL when nothing is pending. The sweep job
  -- reads only the rows whose moment has come, through the partial index below.
  ADD COLUMN sla_next_check_at timestamptz,
  ADD CONSTRAINT cases_sla_policy_fk FOREIGN KEY (office_id, sla_policy_id) REFERENCES sla_policies(office_id, id) ON DELETE SET NULL (sla_policy_id);
CREATE INDEX cases_sla_next_check ON cases (sla_next_check_at, office_id, id) WHERE sla_next_check_at IS NOT NULL;
-- "Overdue" filters of the case list: open cases by resolution due time.
CREATE INDEX cases_resolution_due ON cases (office_id, resolution_due_at) WHERE resolution_due_at IS NOT NULL AND resolved_at IS NULL AND closed_at IS NULL;

-- Periods a case's clock was paused (waiting on the resident). At most one open pause.
CREATE TABLE case_sla_pauses (
  office_id uuid NOT NULL,
  case_id uuid NOT NULL,
  paused_at timestamptz NOT NULL,
  resumed_at timestamptz,
  PRIMARY KEY (office_id, case_id, paused_at),
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  CHECK (resumed_at IS NULL OR resumed_at >= paused_at)
);
CREATE UNIQUE INDEX case_sla_pauses_open ON case_sla_pauses (office_id, case_id) WHERE resumed_at IS NULL;

-- Notifications for staff (SLA warnings and escalations now; mentions and others later).
-- dedupe_key makes each notification exist once, however often its producer runs.
CREATE TABLE notifications (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,39}$'),
  case_id uuid,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  dedupe_key text NOT NULL CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, user_id, dedupe_key),
  FOREIGN KEY (office_id, user_id) REFERENCES users(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE
);
CREATE INDEX notifications_user ON notifications (office_id, user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (office_id, user_id, id DESC) WHERE read_at IS NULL;
