-- Followers of a public report (issue 7, items 2 and 4: alert_subscriptions with a case_id) are
-- told of its status changes from the office's own approved template, like the requester.
ALTER TABLE reply_templates DROP CONSTRAINT reply_templates_system_key_check;
ALTER TABLE reply_templates ADD CONSTRAINT reply_templates_system_key_check
  CHECK (system_key IN ('resident.status_changed', 'resident.public_note', 'follower.status_changed'));

-- A status change that sent the requester a closure message itself (notifyResident) still
-- tells the report's followers: the update is queued with the requester marked as told.
ALTER TABLE resident_updates ADD COLUMN requester_told boolean NOT NULL DEFAULT false;
