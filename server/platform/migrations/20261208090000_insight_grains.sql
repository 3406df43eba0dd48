-- Insights: weekly and quarterly summary rows besides the daily, monthly and yearly ones, so a
-- 12-month range reads about 3 quarters, 2 months, 3 weeks and 10 days per breakdown key
-- instead of 11 months and up to 60 days (insights.days.ts coverRange). A week is an ISO week
-- (period = its Monday, across month ends), a quarter a calendar quarter (period = its first day).
ALTER TABLE insight_counts DROP CONSTRAINT insight_counts_grain_check;
ALTER TABLE insight_counts ADD CONSTRAINT insight_counts_grain_check CHECK (grain IN ('d', 'w', 'm', 'q', 'y'));
ALTER TABLE insight_histograms DROP CONSTRAINT insight_histograms_grain_check;
ALTER TABLE insight_histograms ADD CONSTRAINT insight_histograms_grain_check CHECK (grain IN ('d', 'w', 'm', 'q', 'y'));

-- The summaries kept so far have no week or quarter rows: every office is recounted from its
-- case facts by its next refresh (rollUpAll, set-based SQL), which the figures report as a
-- rebuild under way until it is done.
UPDATE insight_office_state SET rebuilding = true;
