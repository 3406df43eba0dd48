-- Area alerts (issue 7, item 5): a resident subscribes an email address to new public reports
-- in a ward or within a radius of an address, immediately or as a daily digest. Double opt-in:
-- a subscription is 'pending' until its confirmation link is used, and only 'active' ones are
-- ever sent alerts. Links are HMAC-signed under the office's alert key (nothing usable is
-- stored per link). An unsubscribed subscription is deleted at once; a pending one is deleted
-- when its confirmation link expires (7 days); sign-up counters after a day (alerts.jobs).

-- The office's key for alert links (confirm, manage, unsubscribe) and for hiding email addresses
-- in the sign-up counters; made on first use.
CREATE TABLE alert_keys (
  office_id uuid NOT NULL REFERENCES offices(id),
  secret bytea NOT NULL CHECK (length(secret) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id)
);

CREATE TABLE alert_subscriptions (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  email citext NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  -- The language of the page they subscribed on: their emails are written in it.
  language text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
  -- A ward (a boundary of the 'ward' layer), a point and radius (an address of the register),
  -- or one report followed (its status changes are sent by resident updates, updates.send).
  ward_id uuid,
  case_id uuid,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lng double precision CHECK (lng BETWEEN -180 AND 180),
  radius_m integer CHECK (radius_m IN (200, 500, 1000, 2000)),
  place text CHECK (length(place) <= 300),
  category_id uuid,
  -- 'changes': a followed report's status changes, as they happen.
  frequency text NOT NULL CHECK (frequency IN ('immediate', 'daily', 'changes')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active')),
  -- The words the resident agreed to, with the page's language (the evidence of their consent).
  consent text NOT NULL CHECK (length(consent) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  -- Reports created up to here have been considered (sent or matched nothing).
  watermark timestamptz,
  -- A daily digest's next run (07:00 office time).
  next_digest_at timestamptz,
  last_sent_at timestamptz,
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, ward_id) REFERENCES boundaries(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, category_id) REFERENCES categories(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE CASCADE,
  CHECK (num_nonnulls(ward_id, lat, case_id) = 1 AND (lat IS NULL) = (place IS NULL)),
  CHECK ((case_id IS NULL) = (frequency <> 'changes') AND (case_id IS NULL OR category_id IS NULL)),
  CHECK ((lat IS NULL) = (lng IS NULL) AND (lat IS NULL) = (radius_m IS NULL)),
  CHECK ((status = 'active') = (confirmed_at IS NOT NULL AND watermark IS NOT NULL)),
  CHECK (frequency <> 'daily' OR status = 'pending' OR next_digest_at IS NOT NULL)
);
CREATE INDEX alert_subscriptions_email ON alert_subscriptions (office_id, email);
CREATE INDEX alert_subscriptions_case ON alert_subscriptions (office_id, case_id) WHERE case_id IS NOT NULL;
CREATE INDEX alert_subscriptions_immediate ON alert_subscriptions (watermark) WHERE status = 'active' AND frequency = 'immediate';
CREATE INDEX alert_subscriptions_daily ON alert_subscriptions (next_digest_at) WHERE status = 'active' AND frequency = 'daily';
CREATE INDEX alert_subscriptions_pending ON alert_subscriptions (created_at) WHERE status = 'pending';

-- One row per confirmation email sent, for the limits per address and per client (both kept
-- only as HMACs under the office's key). Deleted after a day.
CREATE TABLE alert_signups (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  email_hash bytea NOT NULL,
  client_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id)
);
CREATE INDEX alert_signups_email ON alert_signups (office_id, email_hash, created_at);
CREATE INDEX alert_signups_client ON alert_signups (office_id, client_hash, created_at);
CREATE INDEX alert_signups_age ON alert_signups (created_at);
