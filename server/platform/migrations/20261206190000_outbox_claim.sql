-- A message being sent is claimed first: one worker at a time holds it until claimed_until, so a
-- second job for it (the sweep re-queuing it while workers were down, or a retry of a job whose
-- SMTP call outlived the job's expiry) finds it taken and sends nothing. A worker that dies
-- mid-send leaves the claim to lapse; the sweep then re-queues the message.
ALTER TABLE outbound_messages ADD COLUMN claimed_until timestamptz;
