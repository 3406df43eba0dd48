-- A number's opt-out is the last of its STOP and START by the time they were received (jobs
-- process them in any order): a START is kept as a row too (opted_out false), so an older
-- STOP processed after it cannot opt the number out again.
ALTER TABLE sms_opt_outs RENAME COLUMN opted_out_at TO changed_at;
ALTER TABLE sms_opt_outs ADD COLUMN opted_out boolean NOT NULL DEFAULT true;
