-- The case list with two filters at millions of cases (issue 4: first page under 100 ms p95
-- with 5,000,000 cases). With one index per filter, the list walks one filter's index in date
-- order and checks the other filter on each row; for filters that go together or not at all
-- (a team's own assignees and categories, an assignee's categories and wards) it can read
-- every case of one filter and find none of the other: 1-3.4 s per query measured. These
-- hold both filters of those pairs, so the first page is read directly in date order
-- (p95 1,141 ms -> 44 ms; docs/PERFORMANCE.md, bench case-list). Building them on an existing
-- large table holds writes to cases for the build: about 90 s at 5,000,000 cases.
CREATE INDEX cases_by_team_assignee ON cases (office_id, team_id, assignee_id, created_at DESC, id DESC);
CREATE INDEX cases_by_team_category ON cases (office_id, team_id, category_id, created_at DESC, id DESC);
CREATE INDEX cases_by_team_ward ON cases (office_id, team_id, ward_id, created_at DESC, id DESC);
CREATE INDEX cases_by_category_assignee ON cases (office_id, category_id, assignee_id, created_at DESC, id DESC);
CREATE INDEX cases_by_ward_assignee ON cases (office_id, ward_id, assignee_id, created_at DESC, id DESC);
