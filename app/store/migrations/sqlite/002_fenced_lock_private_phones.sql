-- The run lease no longer trusts wall clocks: the holder counts `beat` up on every renewal,
-- and a run that wants the lease times a silent beat with its own monotonic clock (kept in
-- seen_*, so several cron polls time it together); `ttl_seconds` is the holder's lease time.
-- acquired_at/renewed_at/expires_at stay for messages only.
ALTER TABLE run_lock ADD COLUMN beat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run_lock ADD COLUMN ttl_seconds REAL NOT NULL DEFAULT 600;
ALTER TABLE run_lock ADD COLUMN seen_beat INTEGER;
ALTER TABLE run_lock ADD COLUMN seen_clock TEXT;
ALTER TABLE run_lock ADD COLUMN seen_at REAL;
