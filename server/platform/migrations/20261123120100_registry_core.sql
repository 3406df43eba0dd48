-- Core of the constituent registry and casework that the demo data fills. The constituent
-- and casework issues extend these tables with further migrations.

-- Boundary layers (wards, districts, precincts) as GeoJSON with a bounding box for a
-- cheap first filter before point-in-polygon.
CREATE TABLE boundaries (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  layer text NOT NULL CHECK (layer ~ '^[a-z][a-z0-9_]{0,39}$'),
  code text NOT NULL,
  name text NOT NULL,
  geometry jsonb NOT NULL,
  min_lng double precision NOT NULL,
  min_lat double precision NOT NULL,
  max_lng double precision NOT NULL,
  max_lat double precision NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, layer, code)
);

CREATE TABLE constituents (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  kind text NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organisation')),
  given_name text,
  family_name text,
  preferred_name text,
  organisation_name text,
  date_of_birth date,
  preferred_channel text CHECK (preferred_channel IN ('email', 'sms', 'phone', 'post')),
  preferred_language text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  CHECK (kind <> 'person' OR coalesce(given_name, family_name) IS NOT NULL),
  CHECK (kind <> 'organisation' OR organisation_name IS NOT NULL)
);

CREATE TABLE constituent_emails (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  constituent_id uuid NOT NULL,
  email citext NOT NULL,
  type text NOT NULL DEFAULT 'personal' CHECK (type IN ('personal', 'work', 'other')),
  is_primary boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'bounced', 'moved')),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE
);
CREATE INDEX constituent_emails_by_constituent ON constituent_emails (office_id, constituent_id);
CREATE INDEX constituent_emails_email ON constituent_emails (office_id, email);

CREATE TABLE constituent_phones (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  constituent_id uuid NOT NULL,
  phone_e164 text NOT NULL CHECK (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  type text NOT NULL DEFAULT 'mobile' CHECK (type IN ('mobile', 'home', 'work', 'other')),
  is_primary boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'wrong_number', 'moved')),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE
);
CREATE INDEX constituent_phones_by_constituent ON constituent_phones (office_id, constituent_id);
CREATE INDEX constituent_phones_phone ON constituent_phones (office_id, phone_e164);

CREATE TABLE constituent_addresses (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  constituent_id uuid NOT NULL,
  line1 text NOT NULL,
  line2 text,
  locality text,
  postcode text,
  country char(2),
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lng double precision CHECK (lng BETWEEN -180 AND 180),
  ward_id uuid,
  type text NOT NULL DEFAULT 'home' CHECK (type IN ('home', 'work', 'postal', 'other')),
  is_primary boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'moved', 'undeliverable')),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, ward_id) REFERENCES boundaries(office_id, id)
);
CREATE INDEX constituent_addresses_by_constituent ON constituent_addresses (office_id, constituent_id);
CREATE INDEX constituent_addresses_ward ON constituent_addresses (office_id, ward_id);

-- The office's issue taxonomy (hierarchical through parent_id).
CREATE TABLE categories (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  parent_id uuid,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  retired boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, parent_id) REFERENCES categories(office_id, id)
);
CREATE UNIQUE INDEX categories_name ON categories (office_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name);

-- Per-office counters behind human references such as C-2026-00042.
CREATE TABLE reference_counters (
  office_id uuid NOT NULL REFERENCES offices(id),
  kind text NOT NULL,
  year integer NOT NULL,
  last_value integer NOT NULL,
  PRIMARY KEY (office_id, kind, year)
);

CREATE TABLE cases (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  reference text NOT NULL,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '',
  category_id uuid,
  status text NOT NULL DEFAULT 'new',
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'voicemail', 'walk_in', 'web', 'open311', 'social', 'letter', 'event', 'doorstep', 'other')),
  requester_id uuid,
  address text,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lng double precision CHECK (lng BETWEEN -180 AND 180),
  ward_id uuid,
  assignee_id uuid,
  team_id uuid,
  is_sensitive boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  closed_at timestamptz,
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, reference),
  FOREIGN KEY (office_id, category_id) REFERENCES categories(office_id, id),
  FOREIGN KEY (office_id, requester_id) REFERENCES constituents(office_id, id),
  FOREIGN KEY (office_id, ward_id) REFERENCES boundaries(office_id, id),
  FOREIGN KEY (office_id, assignee_id) REFERENCES users(office_id, id),
  FOREIGN KEY (office_id, team_id) REFERENCES teams(office_id, id)
);
CREATE INDEX cases_status ON cases (office_id, status, created_at DESC);
CREATE INDEX cases_requester ON cases (office_id, requester_id);
CREATE INDEX cases_category ON cases (office_id, category_id, created_at DESC);
CREATE INDEX cases_ward ON cases (office_id, ward_id, created_at DESC);
CREATE INDEX cases_assignee ON cases (office_id, assignee_id, status);
