-- Letters: a reply can be a letter, printed and posted by staff. It waits in the outbox as
-- 'queued' (the print queue) and becomes 'sent' when someone marks it posted; no job sends it.
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_channel_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_channel_check CHECK (channel IN ('email', 'sms', 'letter'));
-- The print queue, oldest first, and the posted letters, newest first.
CREATE INDEX outbound_messages_letters ON outbound_messages (office_id, status, created_at, id) WHERE channel = 'letter';
