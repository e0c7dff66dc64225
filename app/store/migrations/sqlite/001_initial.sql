-- Initial schema. Timestamps are ISO-8601 UTC text with microseconds
-- ("2024-05-01T10:00:00.000000+00:00"), fixed width, so text order is time order.

-- One row per Kaspi order code ever seen; written as pending before the first amoCRM write.
CREATE TABLE orders (
    code             TEXT PRIMARY KEY,
    sync_state       TEXT    NOT NULL DEFAULT 'pending',
    step             TEXT    NOT NULL DEFAULT 'none',
    kaspi_id         TEXT,
    kaspi_state      TEXT,
    kaspi_status     TEXT,
    order_created_at TEXT,
    total_price      INTEGER,
    buyer_name       TEXT,
    phone_masked     TEXT,
    lead_id          INTEGER,
    contact_id       INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    first_seen_at    TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE INDEX orders_sync_state_idx ON orders (sync_state, order_created_at);
CREATE INDEX orders_created_at_idx ON orders (order_created_at);

-- Watermark, last poll, last success, fail streak, heartbeat, ...
CREATE TABLE meta (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Per UTC day (YYYY-MM-DD) counters for the status screen.
CREATE TABLE daily_stats (
    day     TEXT PRIMARY KEY,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    failed  INTEGER NOT NULL DEFAULT 0
);

-- phone → contact id, SKU → catalog element id; the engine verifies hits.
CREATE TABLE caches (
    kind       TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    value      INTEGER NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (kind, key)
);

-- The run lease: at most one row per lock name. `token` identifies one holder even when
-- two runs use the same owner label; a lease past expires_at belongs to a crashed run.
CREATE TABLE run_lock (
    name        TEXT PRIMARY KEY,
    owner       TEXT    NOT NULL,
    token       TEXT    NOT NULL,
    pid         INTEGER,
    host        TEXT,
    acquired_at TEXT    NOT NULL,
    renewed_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
