-- Platform foundation: offices, teams, staff users, sessions, API tokens, login throttling,
-- idempotency keys and the append-only audit log.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

-- Time-ordered UUIDs (RFC 9562 v7) for index locality; PostgreSQL 15 has no built-in.
CREATE OR REPLACE FUNCTION uuid_generate_v7() RETURNS uuid
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
  bytes bytea := uuid_send(gen_random_uuid());
BEGIN
  bytes := overlay(bytes placing substring(int8send(ms) FROM 3) FROM 1 FOR 6);
  bytes := set_byte(bytes, 6, (get_byte(bytes, 6) & 15) | 112);
  RETURN encode(bytes, 'hex')::uuid;
END $$;

CREATE TABLE offices (
  id uuid PRIMARY KEY DEFAULT uuid_generate_v7(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  time_zone text NOT NULL DEFAULT 'UTC',
  locale text NOT NULL DEFAULT 'en-GB',
  default_region char(2) NOT NULL DEFAULT 'GB',
  -- {"mon": [["09:00","17:30"]], ..., "sun": []}
  business_hours jsonb NOT NULL,
  branding jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, name)
);

CREATE TABLE users (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  -- One account per email across the deployment, so sign-in needs no office picker.
  email citext NOT NULL UNIQUE,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  role text NOT NULL CHECK (role IN ('admin', 'manager', 'caseworker', 'volunteer', 'analyst')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  password_hash text,
  password_changed_at timestamptz,
  -- Room for TOTP MFA: secret encrypted at rest when the feature lands.
  mfa_totp_secret text,
  mfa_enabled boolean NOT NULL DEFAULT false,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id)
);

CREATE TABLE team_members (
  office_id uuid NOT NULL,
  team_id uuid NOT NULL,
  user_id uuid NOT NULL,
  is_manager boolean NOT NULL DEFAULT false,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, team_id, user_id),
  FOREIGN KEY (office_id, team_id) REFERENCES teams(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, user_id) REFERENCES users(office_id, id) ON DELETE CASCADE
);
CREATE INDEX team_members_user ON team_members (office_id, user_id);

CREATE TABLE sessions (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  user_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  csrf_token text NOT NULL,
  ip text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, user_id) REFERENCES users(office_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (office_id, user_id) WHERE revoked_at IS NULL;

CREATE TABLE api_tokens (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  user_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  -- First characters of the token, shown in lists so people can tell tokens apart.
  token_prefix text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  scopes text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, user_id) REFERENCES users(office_id, id) ON DELETE CASCADE
);

-- Failed sign-ins, for throttling by account and by address. Not tenant data: the
-- office is unknown until the credentials are right.
CREATE TABLE login_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email citext NOT NULL,
  ip text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email ON login_failures (email, failed_at);
CREATE INDEX login_failures_ip ON login_failures (ip, failed_at);

CREATE TABLE idempotency_keys (
  office_id uuid NOT NULL REFERENCES offices(id),
  principal text NOT NULL,
  key text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response_body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (office_id, principal, key)
);

-- The audit log. Rows are only ever inserted: the trigger below refuses updates and
-- deletes (erasure, when it lands, anonymises through a dedicated, audited function).
CREATE TABLE events (
  office_id uuid NOT NULL REFERENCES offices(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system', 'resident')),
  actor_id uuid,
  actor_label text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  action text NOT NULL,
  before jsonb,
  after jsonb,
  request_id text,
  PRIMARY KEY (office_id, id)
);
CREATE INDEX events_entity ON events (office_id, entity_type, entity_id, id DESC);
CREATE INDEX events_actor ON events (office_id, actor_id, id DESC);
CREATE INDEX events_time ON events (office_id, occurred_at DESC);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('civitas.allow_event_rewrite', true) = 'on' THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  RAISE EXCEPTION 'events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_no_rewrite BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
