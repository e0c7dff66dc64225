-- Acting on Kaspi from amoCRM (two-way): the action queue and the deals' last-seen state.
-- An action is written 'planned' before anything is sent, 'sent' just before its request
-- leaves, and ends 'done', 'refused' or 'skipped' with Kaspi's answer; 'noted' = its note
-- reached the deal. params is JSON (places, reason, a hash of a typed code; never the code).

CREATE TABLE kaspi_actions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_code  TEXT    NOT NULL,
    lead_id     INTEGER,
    kind        TEXT    NOT NULL,
    cause       TEXT    NOT NULL,
    params      TEXT    NOT NULL DEFAULT '{}',
    state       TEXT    NOT NULL DEFAULT 'planned',
    answer      TEXT,
    noted       INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE INDEX kaspi_actions_state_idx ON kaspi_actions (state, id);
CREATE INDEX kaspi_actions_order_idx ON kaspi_actions (order_code, kind);

-- Per deal: the stage, loss reason and code hash the actions saw last (only changes count),
-- and whether the waybill note was written.
CREATE TABLE kaspi_deals (
    lead_id         INTEGER PRIMARY KEY,
    order_code      TEXT    NOT NULL,
    status_id       INTEGER,
    loss_reason_id  INTEGER,
    code_hash       TEXT,
    waybill_noted   INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT    NOT NULL
);

CREATE INDEX kaspi_deals_order_idx ON kaspi_deals (order_code);
