"""The Kaspi action queue and the deals' last-seen state (migration 003), for SqlStore.

An action is written as `planned` before anything is sent, marked `sent` just before its
request leaves, and ends `done`, `refused` or `skipped` with Kaspi's answer; `noted` says
whether its note reached the deal. After a crash the planned and sent ones are found here
and settled by re-reading the order (app.sync.actions_run), so a write is never sent twice.

`kaspi_deals` keeps, per deal, what the actions saw last (stage, loss reason, a hash of the
typed code) so only changes count, and whether the waybill note was written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from app.store.action_records import FINISHED, OPEN, ActionRecord, DealSeen
from app.store.sql import IN_CHUNK, SqlStore, padded, upsert

_ACTION_COLUMNS = ("id", "order_code", "lead_id", "kind", "cause", "params", "state", "answer", "noted",
                   "attempts", "created_at", "updated_at")
_ACTION_SELECT = f"SELECT {', '.join(_ACTION_COLUMNS)} FROM kaspi_actions"
_DEAL_COLUMNS = ("lead_id", "order_code", "status_id", "loss_reason_id", "code_hash", "waybill_noted", "updated_at")
_SAVE_DEAL = upsert("kaspi_deals", _DEAL_COLUMNS, ("lead_id",))


class ActionQueueMixin(SqlStore):
    """The queue's methods; SqlStore backends inherit them."""

    # --- actions --------------------------------------------------------------------------------

    def add_actions(self, records: Sequence[ActionRecord]) -> list[int]:
        """Record new actions in one transaction (before any of them is sent); ids in order."""
        now = self.dialect.time_in(self._now())
        ids: list[int] = []
        with self._write() as tx:
            for r in records:
                row = tx.execute(
                    "INSERT INTO kaspi_actions (order_code, lead_id, kind, cause, params, state, answer, noted, "
                    "attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (r.order_code, r.lead_id, r.kind, r.cause, json.dumps(r.params, sort_keys=True), r.state,
                     r.answer, int(r.noted), int(r.attempts), now, now),
                ).fetchone()
                r.id = int(row[0])
                ids.append(r.id)
        return ids

    def update_action(self, record: ActionRecord) -> None:
        """Store the record's state, answer, noted flag, attempts and params as they are now."""
        if record.id is None:
            raise ValueError("an action must be added before it is updated")
        now = self._now()
        with self._write() as tx:
            tx.execute(
                "UPDATE kaspi_actions SET state = ?, answer = ?, noted = ?, attempts = ?, params = ?, updated_at = ? "
                "WHERE id = ?",
                (record.state, record.answer, int(record.noted), int(record.attempts),
                 json.dumps(record.params, sort_keys=True), self.dialect.time_in(now), record.id),
            )
        record.updated_at = now

    def actions_of(self, codes: Iterable[str]) -> dict[str, list[ActionRecord]]:
        """Every action of these orders, oldest first, keyed by order code."""
        wanted = list(dict.fromkeys(codes))
        out: dict[str, list[ActionRecord]] = {}
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = padded(wanted[start : start + IN_CHUNK])
            rows = self._read(f"{_ACTION_SELECT} WHERE order_code IN ({', '.join('?' * len(chunk))}) ORDER BY id", chunk)
            for row in rows:
                record = self._action(row)
                out.setdefault(record.order_code, []).append(record)
        return out

    def open_actions(self, limit: int = 200) -> list[ActionRecord]:
        """Planned and sent actions, oldest first: what a crash or a lost reply left to settle."""
        rows = self._read(f"{_ACTION_SELECT} WHERE state IN (?, ?) ORDER BY id LIMIT ?", (*OPEN, int(limit)))
        return [self._action(r) for r in rows]

    def unnoted_actions(self, limit: int = 200) -> list[ActionRecord]:
        """Finished actions whose note has not reached the deal yet."""
        rows = self._read(f"{_ACTION_SELECT} WHERE noted = 0 AND state IN (?, ?, ?) ORDER BY id LIMIT ?",
                          (*FINISHED, int(limit)))
        return [self._action(r) for r in rows]

    def recent_actions(self, states: Sequence[str], limit: int = 50) -> list[ActionRecord]:
        """Newest first, in the given states (the tray's list)."""
        if not states:
            return []
        rows = self._read(f"{_ACTION_SELECT} WHERE state IN ({', '.join('?' * len(states))}) ORDER BY id DESC LIMIT ?",
                          (*states, int(limit)))
        return [self._action(r) for r in rows]

    def action_counts(self, since: datetime | None = None) -> dict[str, int]:
        """Actions per state (only those updated since `since`, when given)."""
        if since is None:
            rows = self._read("SELECT state, COUNT(*) FROM kaspi_actions GROUP BY state")
        else:
            rows = self._read("SELECT state, COUNT(*) FROM kaspi_actions WHERE updated_at >= ? GROUP BY state",
                              (self._time(since, "since"),))
        return {str(state): int(n) for state, n in rows}

    def _action(self, row: Sequence[Any]) -> ActionRecord:
        data = dict(zip(_ACTION_COLUMNS, row, strict=True))
        try:
            params = json.loads(data["params"] or "{}")
        except ValueError:
            params = {}
        return ActionRecord(
            order_code=str(data["order_code"]), lead_id=None if data["lead_id"] is None else int(data["lead_id"]),
            kind=str(data["kind"]), cause=str(data["cause"]), params=params if isinstance(params, dict) else {},
            state=str(data["state"]), answer=data["answer"], noted=bool(data["noted"]), attempts=int(data["attempts"]),
            id=int(data["id"]), created_at=self.dialect.time_out(data["created_at"]),
            updated_at=self.dialect.time_out(data["updated_at"]),
        )

    # --- deals as last seen --------------------------------------------------------------------------

    def seen_deals(self, lead_ids: Iterable[int]) -> dict[int, DealSeen]:
        wanted = list(dict.fromkeys(int(i) for i in lead_ids))
        out: dict[int, DealSeen] = {}
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = padded(wanted[start : start + IN_CHUNK])
            rows = self._read(
                f"SELECT {', '.join(_DEAL_COLUMNS[:-1])} FROM kaspi_deals WHERE lead_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for lead_id, code, status_id, reason_id, code_hash, noted in rows:
                out[int(lead_id)] = DealSeen(int(lead_id), str(code), None if status_id is None else int(status_id),
                                             None if reason_id is None else int(reason_id), code_hash, bool(noted))
        return out

    def save_seen_deals(self, deals: Sequence[DealSeen]) -> None:
        if not deals:
            return
        now = self.dialect.time_in(self._now())
        with self._write() as tx:
            for d in deals:
                tx.execute(_SAVE_DEAL, (int(d.lead_id), d.order_code, d.status_id, d.loss_reason_id, d.code_hash,
                                        int(d.waybill_noted), now))

    def codes_of_leads(self, lead_ids: Iterable[int]) -> dict[int, str]:
        """Which synced order each of these deals belongs to (deals not made by us are absent)."""
        wanted = list(dict.fromkeys(int(i) for i in lead_ids))
        out: dict[int, str] = {}
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = padded(wanted[start : start + IN_CHUNK])
            rows = self._read(f"SELECT lead_id, code FROM orders WHERE lead_id IN ({', '.join('?' * len(chunk))})", chunk)
            out.update({int(lead_id): str(code) for lead_id, code in rows})
        return out

    def orders_awaiting_accept(self, created_after: datetime, seen_after: datetime,
                               limit: int = 200) -> list[tuple[str, int]]:
        """(code, lead id) of synced orders the store last saw in APPROVED_BY_BANK, created after
        `created_after` (older ones Kaspi has cancelled or someone accepted long ago) and first
        seen after `seen_after` (auto-accept is for orders that arrive while it is on)."""
        rows = self._read(
            "SELECT code, lead_id FROM orders WHERE lead_id IS NOT NULL AND kaspi_status = ? "
            "AND order_created_at >= ? AND first_seen_at >= ? ORDER BY order_created_at LIMIT ?",
            ("APPROVED_BY_BANK", self._time(created_after, "created_after"), self._time(seen_after, "seen_after"),
             int(limit)),
        )
        return [(str(code), int(lead_id)) for code, lead_id in rows]

    def assembled_without_waybill(self, since: timedelta, limit: int = 20) -> list[tuple[str, int]]:
        """(code, lead id) of orders assembled through us recently whose waybill note is not written."""
        after = self.dialect.time_in(self._now() - since)
        rows = self._read(
            "SELECT a.order_code, a.lead_id FROM kaspi_actions a LEFT JOIN kaspi_deals d ON d.lead_id = a.lead_id "
            "WHERE a.kind = ? AND a.state = ? AND a.lead_id IS NOT NULL AND a.updated_at >= ? "
            "AND (d.waybill_noted IS NULL OR d.waybill_noted = 0) ORDER BY a.id LIMIT ?",
            ("assemble", "done", after, int(limit)),
        )
        return [(str(code), int(lead_id)) for code, lead_id in rows]
