"""/metrics: prometheus_client's registry and exposition, fed at scrape time.

A custom Collector reads the store when Prometheus scrapes, so the order counters are
true for every process that syncs into this store (cron polls, a second machine on
PostgreSQL), not only for this one. Request counters and cycle durations are this
process's own (counters restart at 0 with the process, as Prometheus expects).

Counters are made from numbers that only grow: deals created and order failures are the
store's daily statistics added up; quarantined is the orders held in quarantine (it drops
only when a person's fix lets one sync).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    InfoMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from app import __version__
from app.service.snapshot import ServiceSnapshot, parse_time
from app.store.deadline_records import ACCEPT, HANDOVER
from app.sync.events import CycleReport

log = logging.getLogger(__name__)

PREFIX = "kaspi_amo"
# a quiet poll takes well under a second, a first reconcile of a busy shop minutes
CYCLE_BUCKETS = (0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)


def _timestamp(value: str | None) -> float:
    when = parse_time(value)
    return when.timestamp() if when is not None else 0.0


class StoreCollector(Collector):
    """Turns one store snapshot (and the live request counters) into metric families."""

    def __init__(self, snapshot: Callable[[], ServiceSnapshot], requests: Callable[[], Mapping[str, int]]) -> None:
        self._snapshot = snapshot
        self._requests = requests

    def describe(self) -> Iterable[Metric]:
        return ()  # no collect() at registration: that would read the store

    def collect(self) -> Iterable[Metric]:
        yield InfoMetricFamily(f"{PREFIX}_build", "The running version.", value={"version": __version__})
        requests = CounterMetricFamily(
            f"{PREFIX}_requests", "HTTP requests this process made to each API.", labels=["api"]
        )
        for api, count in self._requests().items():
            requests.add_metric([api], count)
        yield requests
        try:
            snap = self._snapshot()
        except Exception as exc:  # noqa: BLE001 - a broken store is a value here, not a failed scrape
            log.warning("metrics: store unreadable", extra={"error": str(exc)})
            yield GaugeMetricFamily(f"{PREFIX}_store_up", "1 when the store could be read for this scrape.", value=0)
            return
        yield GaugeMetricFamily(f"{PREFIX}_store_up", "1 when the store could be read for this scrape.", value=1)
        yield from self._order_metrics(snap)
        yield from self._deadline_metrics(snap)

    def _order_metrics(self, snap: ServiceSnapshot) -> Iterable[Metric]:
        status, totals = snap.status, snap.totals
        orders = CounterMetricFamily(
            f"{PREFIX}_orders",
            "Orders by result: deals created, reconcile updates, failed attempts (daily statistics summed), "
            "orders in quarantine.",
            labels=["result"],
        )
        orders.add_metric(["created"], totals.created)
        orders.add_metric(["updated"], totals.updated)
        orders.add_metric(["failed"], totals.failed)
        orders.add_metric(["quarantined"], status.quarantined)
        yield orders
        by_state = GaugeMetricFamily(f"{PREFIX}_orders_in_state", "Orders in the store by sync state.", labels=["state"])
        for state, count in (("done", status.processed_total), ("pending", status.pending), ("failed", status.failed),
                             ("quarantined", status.quarantined)):
            by_state.add_metric([state], count)
        yield by_state
        yield GaugeMetricFamily(f"{PREFIX}_backlog_orders", "Orders waiting for amoCRM (pending + failed).",
                                value=status.backlog)
        yield GaugeMetricFamily(f"{PREFIX}_fail_streak", "Cycles failed in a row.", value=status.fail_streak)
        for name, value, text in (
            ("last_success", status.last_success_at, "last cycle that fully succeeded"),
            ("last_poll", status.last_poll_at, "last poll"),
            ("last_reconcile", status.last_reconcile_at, "last reconcile"),
        ):
            yield GaugeMetricFamily(f"{PREFIX}_{name}_timestamp_seconds", f"Unix time of the {text} (0: never).",
                                    value=_timestamp(value))

    @staticmethod
    def _deadline_metrics(snap: ServiceSnapshot) -> Iterable[Metric]:
        """Kaspi's clocks: what an alert rule needs to page someone before Kaspi cancels."""
        view = snap.status.deadlines
        waiting = GaugeMetricFamily(
            f"{PREFIX}_orders_waiting",
            "Orders waiting for the shop: to accept (Kaspi cancels after 3 working hours), to hand over to Kaspi "
            "Delivery (within ALERT_HANDOVER_HOURS of the courier).",
            labels=["kind"],
        )
        alarming = GaugeMetricFamily(
            f"{PREFIX}_orders_waiting_alarming",
            "Of those, the orders past the alert threshold (ALERT_ACCEPT_MINUTES after creation, or the handover "
            "window).",
            labels=["kind"],
        )
        for kind in (ACCEPT, HANDOVER):
            rows = [row for row in view.waiting if row.kind == kind]
            waiting.add_metric([kind], len(rows))
            alarming.add_metric([kind], sum(1 for row in rows if row.alarming))
        yield waiting
        yield alarming
        if view.waiting:
            yield GaugeMetricFamily(f"{PREFIX}_next_deadline_timestamp_seconds",
                                    "Unix time of the soonest Kaspi deadline among the waiting orders.",
                                    value=view.waiting[0].deadline.timestamp())
        if view.quality is not None:
            yield GaugeMetricFamily(f"{PREFIX}_cancellation_rate",
                                    "Orders cancelled through the shop's fault over the last 30 days, as a fraction "
                                    "(Kaspi's limit: 0.03).", value=view.quality.rate)
            yield GaugeMetricFamily(f"{PREFIX}_cancellation_rate_timestamp_seconds",
                                    "Unix time the cancellation rate was read from Kaspi.",
                                    value=view.quality.until.timestamp())


class ServiceMetrics:
    """The process's registry: the store collector plus the cycle-duration histogram."""

    def __init__(self, snapshot: Callable[[], ServiceSnapshot], requests: Callable[[], Mapping[str, int]]) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(StoreCollector(snapshot, requests))
        self.cycle_duration = Histogram(
            f"{PREFIX}_cycle_duration_seconds",
            "How long each sync cycle took.",
            ["cycle"],
            buckets=CYCLE_BUCKETS,
            registry=self.registry,
        )
        for kind in ("poll", "reconcile"):
            self.cycle_duration.labels(kind)  # both series exist from the start (0 observations)

    def observe(self, report: CycleReport) -> None:
        """Record a finished cycle (a scheduler on_report hook); lock-skipped ones did no work."""
        if report.skipped_lock or report.finished_at is None:
            return
        seconds = (report.finished_at - report.started_at).total_seconds()
        self.cycle_duration.labels(report.kind).observe(max(0.0, seconds))
