"""Alert rules and incident bookkeeping: pure functions, no I/O.

Why incidents and not plain checks: cron runs `kaspi-amo poll` every minute in a new
process, so "is the sync broken?" is true on every run while it stays broken. The owner
wants one message when a problem starts and one when it ends, so the active problems and
whether they were announced are kept as state (the manager stores it in the store's meta).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from app.clock import stored_utc, utc_now

FAIL_STREAK = "fail_streak"
BACKLOG = "backlog"
HEARTBEAT = "heartbeat"
PROBLEM_KINDS = (FAIL_STREAK, BACKLOG, HEARTBEAT)

#: a backlog incident ends only when the backlog falls to this share of the threshold,
#: so a queue hovering around the threshold does not alert and resolve every minute
BACKLOG_CLEAR_RATIO = 0.8


class ThresholdSource(Protocol):
    """Read-only, so the frozen `Settings` qualifies."""

    @property
    def alert_fail_streak(self) -> int: ...
    @property
    def alert_backlog_threshold(self) -> int: ...
    @property
    def alert_heartbeat_minutes(self) -> int: ...


class StatusFacts(Protocol):
    """The part of `app.sync.status.StatusSnapshot` the rules read."""

    fail_streak: int
    backlog: int
    pending: int
    failed: int
    heartbeat_at: str | None
    last_success_at: str | None
    last_error: str | None


@dataclass(frozen=True)
class Thresholds:
    fail_streak: int = 3
    backlog: int = 25
    heartbeat_minutes: int = 5

    @classmethod
    def of(cls, source: Thresholds | ThresholdSource) -> Thresholds:
        """Accepts a Thresholds or anything settings-like (ALERT_* attributes)."""
        if isinstance(source, Thresholds):
            return source
        return cls(
            fail_streak=int(source.alert_fail_streak),
            backlog=int(source.alert_backlog_threshold),
            heartbeat_minutes=int(source.alert_heartbeat_minutes),
        )

    @property
    def backlog_clear(self) -> int:
        """The backlog at or below which a backlog incident counts as resolved."""
        return min(self.backlog, int(self.backlog * BACKLOG_CLEAR_RATIO))


@dataclass(frozen=True)
class Problem:
    """One active problem with the facts its message needs."""

    kind: str
    since: datetime  # best estimate of when it started (for "down for N minutes")
    fail_streak: int = 0
    backlog: int = 0
    pending: int = 0
    failed: int = 0
    last_error: str | None = None
    heartbeat_at: datetime | None = None
    minutes_silent: int = 0


@dataclass
class Incident:
    """A problem that became active, and which channels have announced it.

    Kept per channel so that a channel that was down (Telegram 502, mail server away)
    gets the alert on a later evaluation while the channels that delivered are not
    repeated, and so that "resolved" goes only where the start was announced."""

    since: datetime
    notified_at: datetime | None = None  # first announcement (or first evaluation without channels)
    notified: list[str] = field(default_factory=list)  # channel names that delivered the start

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "notified_at": self.notified_at.isoformat() if self.notified_at else None,
            "notified": sorted(self.notified),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Incident:
        since = stored_utc(data.get("since")) or utc_now()
        notified = data.get("notified")
        return cls(
            since=since,
            notified_at=stored_utc(data.get("notified_at")),
            notified=[str(name) for name in notified] if isinstance(notified, list) else [],
        )


@dataclass
class Transition:
    """What changed in one evaluation: announcements due and incidents that ended."""

    fire: list[tuple[Problem, list[str]]] = field(default_factory=list)  # (problem, channels still to tell)
    resolve: list[tuple[str, Incident]] = field(default_factory=list)  # (kind, the ended incident)
    state: dict[str, Incident] = field(default_factory=dict)  # the new state to persist


def evaluate(
    facts: StatusFacts,
    thresholds: Thresholds,
    now: datetime,
    *,
    kinds: Iterable[str] = PROBLEM_KINDS,
    active: Iterable[str] = (),
) -> dict[str, Problem]:
    """The problems active now among `kinds`. `active` are the kinds of open incidents:
    a backlog incident stays open until the backlog drops to `thresholds.backlog_clear`."""
    kinds = set(kinds)
    active = set(active)
    problems: dict[str, Problem] = {}
    if FAIL_STREAK in kinds and facts.fail_streak >= thresholds.fail_streak:
        last_success = stored_utc(facts.last_success_at)
        problems[FAIL_STREAK] = Problem(
            FAIL_STREAK,
            since=last_success if last_success and last_success <= now else now,
            fail_streak=facts.fail_streak,
            last_error=facts.last_error,
        )
    if BACKLOG in kinds:
        over = facts.backlog > thresholds.backlog
        still = BACKLOG in active and facts.backlog > thresholds.backlog_clear
        if over or still:
            problems[BACKLOG] = Problem(
                BACKLOG,
                since=now,
                backlog=facts.backlog,
                pending=facts.pending,
                failed=facts.failed,
                last_error=facts.last_error,
            )
    if HEARTBEAT in kinds:
        beat = stored_utc(facts.heartbeat_at)
        if beat is not None and now - beat > timedelta(minutes=thresholds.heartbeat_minutes):
            problems[HEARTBEAT] = Problem(
                HEARTBEAT,
                since=beat,
                heartbeat_at=beat,
                minutes_silent=int((now - beat).total_seconds() // 60),
            )
    return problems


def transition(
    state: Mapping[str, Incident],
    problems: Mapping[str, Problem],
    now: datetime,
    *,
    kinds: Iterable[str] = PROBLEM_KINDS,
    channels: Iterable[str] = (),
) -> Transition:
    """Compare the stored incidents with the problems evaluated for `kinds`.

    A new problem opens an incident announced on every channel; an open incident is
    announced only on the channels that have not delivered it yet (none, normally: no
    flood while a problem stays active). An incident of an evaluated kind whose problem is
    gone is resolved. Incidents of kinds not evaluated are kept as they are. The incidents
    in `state` are not modified; `Transition.state` holds copies."""
    kinds = set(kinds)
    channels = list(dict.fromkeys(channels))
    out = Transition()
    for kind, incident in state.items():
        if kind not in kinds:
            out.state[kind] = replace(incident, notified=list(incident.notified))
        elif kind not in problems:
            out.resolve.append((kind, incident))
    for kind, problem in problems.items():
        known = state.get(kind)
        if known is None:
            incident = Incident(since=min(problem.since, now))
        else:
            incident = replace(known, notified=list(known.notified))
        out.state[kind] = incident
        pending = [name for name in channels if name not in incident.notified]
        if pending:
            out.fire.append((problem, pending))
        elif not channels and incident.notified_at is None:
            incident.notified_at = now  # nobody to tell; remember the incident all the same
    return out


def load_state(raw: str | None) -> dict[str, Incident]:
    """The meta JSON → incidents; a damaged value is treated as no incidents."""
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, Incident] = {}
    for kind, value in data.items():
        if kind in PROBLEM_KINDS and isinstance(value, dict):
            out[kind] = Incident.from_json(value)
    return out


def dump_state(state: Mapping[str, Incident]) -> str | None:
    """Incidents → the meta JSON; None (delete the key) when nothing is active."""
    if not state:
        return None
    return json.dumps({kind: incident.to_json() for kind, incident in sorted(state.items())}, sort_keys=True)
