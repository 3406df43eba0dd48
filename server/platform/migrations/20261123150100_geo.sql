-- Geography (issue 3): boundaries that disappear from a re-imported layer but that cases
-- still refer to are retired rather than deleted, so a case keeps the ward it was in; and
-- btree indexes for the address register's exact and prefix look-ups within an office
-- (the trigram index alone has no office column and cannot serve LIKE 'prefix%').
ALTER TABLE boundaries ADD COLUMN retired_at timestamptz;

CREATE INDEX address_register_office_key ON address_register (office_id, address_key text_pattern_ops);
CREATE INDEX address_register_postcode_prefix ON address_register (office_id, postcode_key text_pattern_ops);
