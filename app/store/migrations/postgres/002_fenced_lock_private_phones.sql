-- The fence checks that the run lock's session still holds the advisory lock: by its
-- backend pid and, since the server reuses pids, by the session's start time.
ALTER TABLE run_lock ADD COLUMN backend_start TIMESTAMPTZ;
