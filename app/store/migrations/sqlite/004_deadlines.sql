-- Deadlines and seller quality (issue 15). Timestamps are ISO-8601 UTC text, as in 001.

-- Kaspi's latest view of each order the store holds, refreshed from every poll and
-- reconcile read at no extra cost: what the deadline rules need (status, creation, Kaspi
-- Delivery's planned handover) without asking amoCRM or Kaspi again. `status_since` is the
-- earliest moment the current status may have begun (Kaspi sends no change dates): the
-- last time the previous status was seen, or creationDate for an order first seen in it.
CREATE TABLE order_watch (
    code                TEXT PRIMARY KEY,
    status              TEXT    NOT NULL,
    state               TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    delivery            TEXT    NOT NULL,
    express             INTEGER NOT NULL DEFAULT 0,
    assembled           INTEGER NOT NULL DEFAULT 0,
    handover_planned_at TEXT,
    handed_over_at      TEXT,
    status_since        TEXT    NOT NULL,
    seen_at             TEXT    NOT NULL
);

CREATE INDEX order_watch_status_idx ON order_watch (status);

-- One row per reminder ever decided (a task, or a note when the handover date moved),
-- written BEFORE anything is sent: the unique key makes a second one impossible, `state`
-- (planned → sending → done, or dropped) says how far it got, so a restart or a lost reply
-- looks the task up instead of creating it again. `alert` is the alert's delivery per
-- channel as JSON (NULL: this reminder sends no alert).
CREATE TABLE deadline_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_code TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    key        TEXT    NOT NULL DEFAULT '',
    text       TEXT    NOT NULL,
    due_at     TEXT,
    lead_id    INTEGER,
    state      TEXT    NOT NULL DEFAULT 'planned',
    task_id    INTEGER,
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    alert      TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (order_code, kind, key)
);

CREATE INDEX deadline_events_state_idx ON deadline_events (state);
