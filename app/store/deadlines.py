"""The deadline tables (migration 004) for SqlStore: Kaspi's latest view of each order and the
reminders decided for it.

A reminder is inserted as `planned` before anything is sent, and the table's unique key
(order, kind, key) makes a second insert a no-op: two processes, a restart or a retry after
a lost reply can only ever find the one row, never add another.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from app.store.deadline_records import OPEN_STATES, DeadlineEvent, OrderWatch
from app.store.sql import IN_CHUNK, SqlStore, upsert

_WATCH_COLUMNS = ("code", "status", "state", "created_at", "delivery", "express", "assembled",
                  "handover_planned_at", "handed_over_at", "status_since", "seen_at")
_WATCH_SELECT = f"SELECT {', '.join(_WATCH_COLUMNS)} FROM order_watch"
_SAVE_WATCH = upsert("order_watch", _WATCH_COLUMNS, ("code",))
_EVENT_COLUMNS = ("id", "order_code", "kind", "key", "text", "due_at", "lead_id", "state", "task_id", "attempts",
                  "error", "alert", "created_at")
_EVENT_SELECT = f"SELECT {', '.join(_EVENT_COLUMNS)} FROM deadline_events"


def _alert_in(alert: dict[str, str] | None) -> str | None:
    return None if alert is None else json.dumps(alert, sort_keys=True)


def _alert_out(raw: Any) -> dict[str, str] | None:
    if raw is None:
        return None
    try:
        value = json.loads(str(raw))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


class DeadlineStoreMixin(SqlStore):
    """Order watches and deadline events; the SqlStore backends inherit these methods."""

    # --- watches ----------------------------------------------------------------------------

    def _watch(self, row: tuple[Any, ...]) -> OrderWatch:
        data = dict(zip(_WATCH_COLUMNS, row, strict=True))
        out = self.dialect.time_out
        created = out(data["created_at"])
        assert created is not None
        return OrderWatch(
            code=str(data["code"]), status=str(data["status"]), state=str(data["state"]), created_at=created,
            delivery=str(data["delivery"]), express=bool(data["express"]), assembled=bool(data["assembled"]),
            handover_planned_at=out(data["handover_planned_at"]), handed_over_at=out(data["handed_over_at"]),
            status_since=out(data["status_since"]), seen_at=out(data["seen_at"]),
        )

    def watches_of(self, codes: Iterable[str]) -> dict[str, OrderWatch]:
        wanted = list(dict.fromkeys(codes))
        found: dict[str, OrderWatch] = {}
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start : start + IN_CHUNK]
            for row in self._read(f"{_WATCH_SELECT} WHERE code IN ({', '.join('?' * len(chunk))})", chunk):
                watch = self._watch(row)
                found[watch.code] = watch
        return found

    def open_watches(self, statuses: Sequence[str], limit: int = 5000) -> list[OrderWatch]:
        """Watches in these Kaspi statuses, oldest order first."""
        if not statuses:
            return []
        rows = self._read(
            f"{_WATCH_SELECT} WHERE status IN ({', '.join('?' * len(statuses))}) ORDER BY created_at, code LIMIT ?",
            (*statuses, int(limit)),
        )
        return [self._watch(row) for row in rows]

    def save_watches(self, watches: Sequence[OrderWatch]) -> None:
        """Insert or replace these watches in one transaction."""
        if not watches:
            return
        t = self._time
        with self._write() as tx:
            for w in watches:
                tx.execute(_SAVE_WATCH, (
                    w.code, w.status, w.state, t(w.created_at, "created_at"), w.delivery, int(w.express),
                    int(w.assembled), t(w.handover_planned_at, "handover_planned_at"),
                    t(w.handed_over_at, "handed_over_at"), t(w.status_since or w.created_at, "status_since"),
                    t(w.seen_at or self._now(), "seen_at"),
                ))

    def touch_watches(self, codes: Sequence[str], seen_at: datetime) -> None:
        """Kaspi showed these orders unchanged at `seen_at`: one UPDATE per 500 codes."""
        stamp = self._time(seen_at, "seen_at")
        with self._write() as tx:
            for start in range(0, len(codes), IN_CHUNK):
                chunk = list(codes[start : start + IN_CHUNK])
                tx.execute(f"UPDATE order_watch SET seen_at = ? WHERE code IN ({', '.join('?' * len(chunk))})",
                           (stamp, *chunk))

    # --- events -----------------------------------------------------------------------------

    def _event(self, row: tuple[Any, ...]) -> DeadlineEvent:
        data = dict(zip(_EVENT_COLUMNS, row, strict=True))
        return DeadlineEvent(
            id=int(data["id"]), order_code=str(data["order_code"]), kind=str(data["kind"]), key=str(data["key"]),
            text=str(data["text"]), due_at=self.dialect.time_out(data["due_at"]),
            lead_id=None if data["lead_id"] is None else int(data["lead_id"]), state=str(data["state"]),
            task_id=None if data["task_id"] is None else int(data["task_id"]), attempts=int(data["attempts"]),
            error=data["error"], alert=_alert_out(data["alert"]), created_at=self.dialect.time_out(data["created_at"]),
        )

    def deadline_keys(self, codes: Iterable[str]) -> set[tuple[str, str, str]]:
        """(order, kind, key) of every event recorded for these orders, whatever its state."""
        wanted = list(dict.fromkeys(codes))
        keys: set[tuple[str, str, str]] = set()
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start : start + IN_CHUNK]
            rows = self._read(f"SELECT order_code, kind, key FROM deadline_events "
                              f"WHERE order_code IN ({', '.join('?' * len(chunk))})", chunk)
            keys.update((str(c), str(k), str(key)) for c, k, key in rows)
        return keys

    def deadline_events_of(self, codes: Iterable[str], kinds: Sequence[str]) -> list[DeadlineEvent]:
        """Every event of these kinds recorded for these orders, whatever its state, oldest first."""
        wanted = list(dict.fromkeys(codes))
        if not kinds:
            return []
        found: list[DeadlineEvent] = []
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start : start + IN_CHUNK]
            rows = self._read(f"{_EVENT_SELECT} WHERE order_code IN ({', '.join('?' * len(chunk))}) "
                              f"AND kind IN ({', '.join('?' * len(kinds))})", (*chunk, *kinds))
            found.extend(self._event(row) for row in rows)
        return sorted(found, key=lambda e: e.id or 0)

    def add_deadline_events(self, events: Sequence[DeadlineEvent]) -> list[DeadlineEvent]:
        """Record new events in one transaction; returns those this call inserted (with ids).
        An event whose (order, kind, key) exists already is left out: someone decided it first."""
        if not events:
            return []
        now = self.dialect.time_in(self._now())
        added: list[DeadlineEvent] = []
        with self._write() as tx:
            for e in events:
                rows = tx.execute(
                    "INSERT INTO deadline_events (order_code, kind, key, text, due_at, lead_id, state, task_id, "
                    "attempts, error, alert, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (order_code, kind, key) DO NOTHING RETURNING id",
                    (e.order_code, e.kind, e.key, e.text, self._time(e.due_at, "due_at"), e.lead_id, e.state,
                     e.task_id, int(e.attempts), e.error, _alert_in(e.alert), now, now),
                ).fetchall()
                if rows:
                    e.id = int(rows[0][0])
                    e.created_at = self._now()
                    added.append(e)
        return added

    def update_deadline_event(self, event: DeadlineEvent) -> None:
        """Store the event's lead, state, task id, attempts and error as they are now (its alert
        deliveries change only through `swap_deadline_alert`, so the two never overwrite each other)."""
        if event.id is None:
            raise ValueError("a deadline event must be added before it is updated")
        with self._write() as tx:
            tx.execute(
                "UPDATE deadline_events SET lead_id = ?, state = ?, task_id = ?, attempts = ?, error = ?, "
                "updated_at = ? WHERE id = ?",
                (event.lead_id, event.state, event.task_id, int(event.attempts), event.error,
                 self.dialect.time_in(self._now()), event.id),
            )

    def swap_deadline_alert(self, event_id: int, old: dict[str, str] | None, new: dict[str, str]) -> bool:
        """Set an event's alert deliveries to `new` only if they are still `old` (compare and
        set): of two processes about to alert on the same channel, one wins, the other skips."""
        with self._write() as tx:
            if old is None:
                cursor = tx.execute("UPDATE deadline_events SET alert = ?, updated_at = ? WHERE id = ? AND alert IS NULL",
                                    (_alert_in(new), self.dialect.time_in(self._now()), event_id))
            else:
                cursor = tx.execute("UPDATE deadline_events SET alert = ?, updated_at = ? WHERE id = ? AND alert = ?",
                                    (_alert_in(new), self.dialect.time_in(self._now()), event_id, _alert_in(old)))
            return cursor.rowcount == 1

    def open_deadline_events(self, limit: int = 500) -> list[DeadlineEvent]:
        """Events not yet done or dropped (planned, or sent without a known outcome), oldest first."""
        rows = self._read(f"{_EVENT_SELECT} WHERE state IN (?, ?) ORDER BY id LIMIT ?", (*OPEN_STATES, int(limit)))
        return [self._event(row) for row in rows]

    def unalerted_deadline_events(self, since: datetime, limit: int = 200) -> list[DeadlineEvent]:
        """Events since `since` that want an alert (alert not NULL), oldest first; the alert
        manager decides per channel what is still to send."""
        rows = self._read(f"{_EVENT_SELECT} WHERE alert IS NOT NULL AND created_at >= ? ORDER BY id LIMIT ?",
                          (self.dialect.time_in(since), int(limit)))
        return [self._event(row) for row in rows]

    def recent_deadline_events(self, limit: int = 50) -> list[DeadlineEvent]:
        rows = self._read(f"{_EVENT_SELECT} ORDER BY id DESC LIMIT ?", (int(limit),))
        return [self._event(row) for row in rows]

    # --- a store starting afresh for another amoCRM account forgets these too -----------------

    def delete_all_orders(self) -> int:
        removed = super().delete_all_orders()
        with self._write() as tx:
            tx.execute("DELETE FROM deadline_events")
            tx.execute("DELETE FROM order_watch")
        return removed
