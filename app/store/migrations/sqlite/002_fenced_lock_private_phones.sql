-- The run lease no longer trusts wall clocks: the holder counts `beat` up on every renewal,
-- and a run that wants the lease times a silent beat with its own monotonic clock (kept in
-- seen_*, so several cron polls time it together); `ttl_seconds` is the holder's lease time.
-- acquired_at/renewed_at/expires_at stay for messages only.
ALTER TABLE run_lock ADD COLUMN beat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run_lock ADD COLUMN ttl_seconds REAL NOT NULL DEFAULT 600;
ALTER TABLE run_lock ADD COLUMN seen_beat INTEGER;
ALTER TABLE run_lock ADD COLUMN seen_clock TEXT;
ALTER TABLE run_lock ADD COLUMN seen_at REAL;

-- Buyers' phones (#19 item 7): the phone cache was keyed by an unkeyed hash that, with the
-- five digits the old mask showed, gave every phone away; its rows go (the cache refills,
-- keyed by a secret kept outside the store) and the masks keep only the last two digits.
DELETE FROM caches WHERE kind = 'phone';
UPDATE orders
   SET phone_masked = substr(phone_masked, 1, instr(phone_masked, ' ')) || '*** *** ** ' || substr(phone_masked, -2)
 WHERE phone_masked LIKE '+% ___ *** ** __';
