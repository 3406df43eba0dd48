-- Intake fixes: contact details typed into an anonymous channel only suggest who sent an item,
-- and the public form's per-address limit is kept in the database.

-- The public request form and Open311 posts carry whatever email or phone the poster typed,
-- which proves nothing: such an item gets a provisional record of its own, and a record
-- already holding those details is only suggested here, for staff to merge into (same person)
-- or to set aside by confirming the provisional record (someone else).
ALTER TABLE inbound_items ADD COLUMN suggested_constituent_id uuid;
ALTER TABLE inbound_items ADD CONSTRAINT inbound_items_suggested_constituent_fk
  FOREIGN KEY (office_id, suggested_constituent_id) REFERENCES constituents(office_id, id) ON DELETE SET NULL (suggested_constituent_id);
-- The inbox's "open" view includes filed items whose suggestion waits for a decision.
CREATE INDEX inbound_items_sender_match ON inbound_items (office_id, received_at DESC, id DESC) WHERE suggested_constituent_id IS NOT NULL;

-- The public form's per-address hourly limit, shared by every app node and kept over restarts:
-- one row per office and client address, counting the submissions of a window that opens with
-- the first of them (one atomic upsert per submission). The address is kept only as an HMAC
-- under the office's form key (intake_form_keys), never in clear. Rows of windows that ended
-- are removed by the intake sweep.
CREATE TABLE intake_form_limits (
  office_id uuid NOT NULL REFERENCES offices(id),
  client_hash bytea NOT NULL CHECK (length(client_hash) = 32),
  window_start timestamptz NOT NULL,
  hits integer NOT NULL CHECK (hits >= 1),
  PRIMARY KEY (office_id, client_hash)
);
CREATE INDEX intake_form_limits_window ON intake_form_limits (window_start);
