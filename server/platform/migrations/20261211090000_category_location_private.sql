-- Public views of reports (issue 7: the portal's open data map and downloads, nearby reports,
-- area alerts) show where a report is unless its category keeps locations private: requests
-- about a person's own affairs (benefits, housing, immigration) are placed at their home, and
-- a map of them would publish who asked the office for help. A sensitive case, and a case in a
-- category that needs a privacy release, are never placed either (cases.public-reports.ts).
ALTER TABLE categories ADD COLUMN location_is_private boolean NOT NULL DEFAULT false;

-- Open reports near a point or inside a box (nearby reports on the report form, the open data
-- map): the office's open cases with a point, by latitude.
CREATE INDEX cases_open_points ON cases (office_id, lat, lng) WHERE resolved_at IS NULL AND closed_at IS NULL AND lat IS NOT NULL;
