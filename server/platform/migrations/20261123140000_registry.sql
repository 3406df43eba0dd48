-- The constituent registry (issue 3): households, relationships, tags, custom fields,
-- external ids, contact flags, the consent ledger, notes, search keys, geography
-- (areas per address, the address register), deduplication, merges and imports.

-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes
-- this wrapper safe to use in generated columns and indexes.
CREATE FUNCTION civitas_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- Address key for matching: folded, punctuation removed, common street abbreviations
-- expanded, spaces collapsed. "12 High St." and "12 high street" give the same key.
CREATE FUNCTION civitas_address_key(line1 text, line2 text, postcode text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT btrim(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
      regexp_replace(public.civitas_fold(coalesce(line1, '') || ' ' || coalesce(line2, '') || ' ' || coalesce(postcode, '')), '[^a-z0-9]+', ' ', 'g'),
      '\mst\M', 'street', 'g'), '\mrd\M', 'road', 'g'), '\mave?\M', 'avenue', 'g'), '\mln\M', 'lane', 'g'),
      '\mdr\M', 'drive', 'g'), '\mct\M', 'court', 'g'), '\mcres\M', 'crescent', 'g'), '\m(apt|apartment)\M', 'flat', 'g'),
    '\s+', ' ', 'g'))
$$;

CREATE FUNCTION civitas_postcode_key(postcode text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT upper(regexp_replace($1, '[^A-Za-z0-9]', '', 'g')) $$;

CREATE TABLE households (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id)
);

ALTER TABLE constituents
  ADD COLUMN household_id uuid,
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  ADD COLUMN custom_fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN do_not_contact boolean NOT NULL DEFAULT false,
  ADD COLUMN bulk_opt_out boolean NOT NULL DEFAULT false,
  ADD COLUMN unsubscribed boolean NOT NULL DEFAULT false,
  -- merged records stay (hidden) for 30 days so a merge can be undone
  ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
  ADD COLUMN merged_into_id uuid,
  ADD COLUMN display_name text GENERATED ALWAYS AS (
    CASE WHEN kind = 'organisation' THEN organisation_name
         ELSE btrim(coalesce(coalesce(preferred_name, given_name) || ' ', '') || coalesce(family_name, '')) END) STORED,
  ADD COLUMN search_name text GENERATED ALWAYS AS (
    public.civitas_fold(btrim(coalesce(given_name, '') || ' ' || coalesce(preferred_name, '') || ' ' || coalesce(family_name, '') || ' ' || coalesce(organisation_name, '')))) STORED,
  ADD COLUMN sort_name text GENERATED ALWAYS AS (
    public.civitas_fold(btrim(coalesce(family_name, organisation_name, '') || ' ' || coalesce(given_name, '')))) STORED,
  ADD CONSTRAINT constituents_household FOREIGN KEY (office_id, household_id) REFERENCES households(office_id, id) ON DELETE SET NULL (household_id),
  ADD CONSTRAINT constituents_merged_into FOREIGN KEY (office_id, merged_into_id) REFERENCES constituents(office_id, id),
  ADD CONSTRAINT constituents_tags_bounded CHECK (cardinality(tags) <= 100),
  ADD CONSTRAINT constituents_merged_has_target CHECK ((status = 'merged') = (merged_into_id IS NOT NULL));
CREATE INDEX constituents_sort ON constituents (office_id, sort_name, id) WHERE status = 'active';
CREATE INDEX constituents_search_name ON constituents USING gin (search_name gin_trgm_ops);
CREATE INDEX constituents_tags ON constituents USING gin (tags);
CREATE INDEX constituents_custom_fields ON constituents USING gin (custom_fields jsonb_path_ops);
CREATE INDEX constituents_household ON constituents (office_id, household_id) WHERE household_id IS NOT NULL;
CREATE INDEX constituents_dob ON constituents (office_id, date_of_birth) WHERE date_of_birth IS NOT NULL;

ALTER TABLE constituent_addresses
  ADD COLUMN location_source text CHECK (location_source IN ('provided', 'register', 'geocoder')),
  ADD COLUMN address_key text GENERATED ALWAYS AS (public.civitas_address_key(line1, line2, postcode)) STORED,
  ADD COLUMN postcode_key text GENERATED ALWAYS AS (public.civitas_postcode_key(postcode)) STORED,
  ADD CONSTRAINT constituent_addresses_point CHECK ((lat IS NULL) = (lng IS NULL));
CREATE INDEX constituent_addresses_key ON constituent_addresses USING gin (address_key gin_trgm_ops);
CREATE INDEX constituent_addresses_postcode ON constituent_addresses (office_id, postcode_key);
-- addresses without coordinates are flagged for geocoding, never dropped
CREATE INDEX constituent_addresses_unlocated ON constituent_addresses (office_id, id) WHERE lat IS NULL;

-- The areas (one per boundary layer) an address falls in, by point-in-polygon.
CREATE TABLE constituent_address_areas (
  office_id uuid NOT NULL,
  address_id uuid NOT NULL,
  layer text NOT NULL,
  boundary_id uuid NOT NULL,
  PRIMARY KEY (office_id, address_id, layer),
  FOREIGN KEY (office_id, address_id) REFERENCES constituent_addresses(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, boundary_id) REFERENCES boundaries(office_id, id) ON DELETE CASCADE
);
CREATE INDEX constituent_address_areas_boundary ON constituent_address_areas (office_id, boundary_id);

ALTER TABLE boundaries ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Offline geocoding and autocomplete: an imported register of addresses with coordinates.
CREATE TABLE address_register (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  external_id text,
  line1 text NOT NULL,
  line2 text,
  locality text,
  postcode text,
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  address_key text GENERATED ALWAYS AS (public.civitas_address_key(line1, line2, postcode)) STORED,
  postcode_key text GENERATED ALWAYS AS (public.civitas_postcode_key(postcode)) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id)
);
CREATE UNIQUE INDEX address_register_external ON address_register (office_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX address_register_key ON address_register USING gin (address_key gin_trgm_ops);
CREATE INDEX address_register_postcode ON address_register (office_id, postcode_key);

CREATE TABLE constituent_external_ids (
  office_id uuid NOT NULL,
  system text NOT NULL CHECK (system ~ '^[a-z][a-z0-9_-]{0,39}$'),
  value text NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
  constituent_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, system, value),
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE
);
CREATE INDEX constituent_external_ids_owner ON constituent_external_ids (office_id, constituent_id);
CREATE INDEX constituent_external_ids_value ON constituent_external_ids (office_id, value);

CREATE TABLE constituent_relationships (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  from_id uuid NOT NULL,
  to_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('spouse', 'partner', 'parent_of', 'carer_of', 'employee_of', 'represents', 'member_of', 'relative', 'other')),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, from_id, to_id, kind),
  CHECK (from_id <> to_id),
  FOREIGN KEY (office_id, from_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, to_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE
);
CREATE INDEX constituent_relationships_to ON constituent_relationships (office_id, to_id);

CREATE TABLE custom_field_definitions (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 120),
  type text NOT NULL CHECK (type IN ('text', 'number', 'date', 'choice', 'multi_choice')),
  options text[] NOT NULL DEFAULT '{}',
  is_required boolean NOT NULL DEFAULT false,
  retired boolean NOT NULL DEFAULT false,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  UNIQUE (office_id, key),
  CHECK (type NOT IN ('choice', 'multi_choice') OR cardinality(options) BETWEEN 1 AND 200)
);

-- Consent ledger: one row per statement (granted or withdrawn); the latest row per
-- channel and purpose is in force. Rows are never edited; a merge may re-point them.
CREATE TABLE consents (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  constituent_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post')),
  purpose text NOT NULL CHECK (purpose IN ('casework', 'outreach', 'surveys')),
  status text NOT NULL CHECK (status IN ('granted', 'withdrawn')),
  source text NOT NULL CHECK (source IN ('web_form', 'email', 'sms', 'phone', 'paper', 'in_person', 'portal', 'import', 'other')),
  evidence text NOT NULL DEFAULT '' CHECK (length(evidence) <= 2000),
  effective_at timestamptz NOT NULL DEFAULT now(),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid,
  recorded_by_label text NOT NULL,
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE
);
CREATE INDEX consents_current ON consents (office_id, constituent_id, channel, purpose, effective_at DESC, recorded_at DESC);

CREATE FUNCTION consents_ledger_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'constituent_id') IS DISTINCT FROM (to_jsonb(OLD) - 'constituent_id') THEN
    RAISE EXCEPTION 'consent records are never edited; record a new statement' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consents_no_edit BEFORE UPDATE ON consents FOR EACH ROW EXECUTE FUNCTION consents_ledger_guard();

CREATE TABLE constituent_notes (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  constituent_id uuid NOT NULL,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
  author_id uuid,
  author_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, constituent_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE
);
CREATE INDEX constituent_notes_owner ON constituent_notes (office_id, constituent_id, created_at DESC);

-- The audit events a constituent's timeline is built from carry the constituent they
-- concern (edits, consents, notes, merges, and later cases and messages).
ALTER TABLE events ADD COLUMN constituent_id uuid;
CREATE INDEX events_constituent ON events (office_id, constituent_id, id DESC) WHERE constituent_id IS NOT NULL;

-- Deduplication: the office's tunable rules, scored candidate pairs and decisions.
CREATE TABLE dedup_settings (
  office_id uuid PRIMARY KEY REFERENCES offices(id),
  rules jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE duplicate_candidates (
  office_id uuid NOT NULL,
  low_id uuid NOT NULL,
  high_id uuid NOT NULL,
  score real NOT NULL CHECK (score >= 0),
  reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'merged')),
  detected_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by uuid,
  PRIMARY KEY (office_id, low_id, high_id),
  CHECK (low_id < high_id),
  FOREIGN KEY (office_id, low_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, high_id) REFERENCES constituents(office_id, id) ON DELETE CASCADE
);
CREATE INDEX duplicate_candidates_queue ON duplicate_candidates (office_id, status, score DESC, low_id, high_id);
CREATE INDEX duplicate_candidates_high ON duplicate_candidates (office_id, high_id);

CREATE TABLE constituent_merges (
  office_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  survivor_id uuid NOT NULL,
  merged_id uuid NOT NULL,
  -- what is needed to undo: both records before, and the ids of every row moved
  snapshot jsonb NOT NULL,
  merged_at timestamptz NOT NULL DEFAULT now(),
  merged_by uuid,
  undo_until timestamptz NOT NULL,
  undone_at timestamptz,
  undone_by uuid,
  PRIMARY KEY (office_id, id),
  CHECK (survivor_id <> merged_id),
  FOREIGN KEY (office_id, survivor_id) REFERENCES constituents(office_id, id),
  FOREIGN KEY (office_id, merged_id) REFERENCES constituents(office_id, id)
);
CREATE INDEX constituent_merges_survivor ON constituent_merges (office_id, survivor_id);
CREATE INDEX constituent_merges_merged ON constituent_merges (office_id, merged_id);

-- CSV imports: the uploaded file is kept in chunks (so any node's worker can read it and a
-- crash can resume), with progress counters and a per-row error report.
CREATE TABLE imports (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  kind text NOT NULL CHECK (kind IN ('constituents', 'address_register')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  status text NOT NULL DEFAULT 'uploading' CHECK (status IN ('uploading', 'queued', 'running', 'completed', 'failed', 'cancelled')),
  mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
  headers text[] NOT NULL DEFAULT '{}',
  total_bytes bigint NOT NULL DEFAULT 0,
  processed_bytes bigint NOT NULL DEFAULT 0,
  rows_processed integer NOT NULL DEFAULT 0,
  created_count integer NOT NULL DEFAULT 0,
  updated_count integer NOT NULL DEFAULT 0,
  unchanged_count integer NOT NULL DEFAULT 0,
  rejected_count integer NOT NULL DEFAULT 0,
  error text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (office_id, id)
);
CREATE INDEX imports_recent ON imports (office_id, created_at DESC);

CREATE TABLE import_chunks (
  office_id uuid NOT NULL,
  import_id uuid NOT NULL,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (office_id, import_id, seq),
  FOREIGN KEY (office_id, import_id) REFERENCES imports(office_id, id) ON DELETE CASCADE
);

CREATE TABLE import_errors (
  office_id uuid NOT NULL,
  import_id uuid NOT NULL,
  row_number integer NOT NULL,
  seq smallint NOT NULL,
  column_name text NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (office_id, import_id, row_number, seq),
  FOREIGN KEY (office_id, import_id) REFERENCES imports(office_id, id) ON DELETE CASCADE
);
