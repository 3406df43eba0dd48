-- Team names are unique per office regardless of case, as the service already checks;
-- the index makes it hold under concurrent creates too.
ALTER TABLE teams DROP CONSTRAINT teams_office_id_name_key;
CREATE UNIQUE INDEX teams_office_name_ci ON teams (office_id, lower(name));
