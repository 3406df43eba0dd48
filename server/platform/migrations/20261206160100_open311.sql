-- Open311 GeoReport v2 (issue: Open311 channel of intake). An office publishes some of its
-- case categories as Open311 services, each with a public code and the extra questions
-- (attributes) a report must or may answer; integrators that post reports hold API keys,
-- stored only as SHA-256 hashes. Reports themselves are inbound items (channel 'open311').

CREATE TABLE open311_services (
  office_id uuid NOT NULL REFERENCES offices(id),
  category_id uuid NOT NULL,
  -- The service_code clients send and see (FixMyStreet uses names such as "Fly-Tipping").
  service_code text NOT NULL CHECK (length(service_code) BETWEEN 1 AND 100 AND service_code !~ '[[:cntrl:],]' AND service_code = btrim(service_code)),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
  keywords text[] NOT NULL DEFAULT '{}',
  group_name text CHECK (length(group_name) <= 100),
  -- The service definition's attributes, validated by the application (contract/open311.ts):
  -- [{ code, datatype, required, order, description, datatypeDescription, values: [{ key, name }] }]
  attributes jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attributes) = 'array'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, category_id),
  FOREIGN KEY (office_id, category_id) REFERENCES categories(office_id, id)
);
-- Codes are unique per office regardless of case: "potholes" and "Potholes" would confuse clients.
CREATE UNIQUE INDEX open311_services_code ON open311_services (office_id, lower(service_code));

CREATE TABLE open311_keys (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  key_prefix text NOT NULL CHECK (length(key_prefix) <= 20),
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (office_id, id)
);
CREATE INDEX open311_keys_office ON open311_keys (office_id, created_at DESC);
