-- Initial PostgreSQL schema; the same tables as SQLite's 001_initial, with native types:
-- timestamptz for instants (the store's sessions use TimeZone UTC), date for the UTC day,
-- bigint for amoCRM ids. Tables live in the connection's current schema (search_path),
-- so several shops can share one database, each in its own schema.

-- One row per Kaspi order code ever seen; written as pending before the first amoCRM write.
CREATE TABLE orders (
    code             TEXT PRIMARY KEY,
    sync_state       TEXT        NOT NULL DEFAULT 'pending',
    step             TEXT        NOT NULL DEFAULT 'none',
    kaspi_id         TEXT,
    kaspi_state      TEXT,
    kaspi_status     TEXT,
    order_created_at TIMESTAMPTZ,
    total_price      BIGINT,
    buyer_name       TEXT,
    phone_masked     TEXT,
    lead_id          BIGINT,
    contact_id       BIGINT,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    last_error       TEXT,
    first_seen_at    TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

CREATE INDEX orders_sync_state_idx ON orders (sync_state, order_created_at);
CREATE INDEX orders_created_at_idx ON orders (order_created_at);

-- Watermark, last poll, last success, fail streak, heartbeat, ...
CREATE TABLE meta (
    key        TEXT PRIMARY KEY,
    value      TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Per UTC day counters for the status screen.
CREATE TABLE daily_stats (
    day     DATE PRIMARY KEY,
    created BIGINT NOT NULL DEFAULT 0,
    updated BIGINT NOT NULL DEFAULT 0,
    failed  BIGINT NOT NULL DEFAULT 0
);

-- phone → contact id, SKU → catalog element id; the engine verifies hits.
CREATE TABLE caches (
    kind       TEXT        NOT NULL,
    key        TEXT        NOT NULL,
    value      BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Who holds the run lock, for messages only: the lock itself is a session advisory lock
-- (released by the server when the holder's session ends, also when its process dies).
-- backend_pid ties the row to the session that holds the advisory lock (see pg_locks),
-- so a row left by a killed run is never mistaken for the live holder.
CREATE TABLE run_lock (
    name        TEXT PRIMARY KEY,
    owner       TEXT        NOT NULL,
    token       TEXT        NOT NULL,
    pid         INTEGER,
    host        TEXT,
    backend_pid INTEGER     NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL,
    renewed_at  TIMESTAMPTZ NOT NULL
);
