"""The window's deadline row: orders waiting for the shop with the time left, and the seller
quality panel coloured against Kaspi's 3 %; the tray turns amber while an order waits too long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.gui.panels.deadlines import DeadlinePanels, left_text
from app.gui.state import TrayState
from app.sync.deadline_view import DeadlinesView, WaitingRow
from app.sync.quality import Quality
from tests.gui.conftest import SYNC_TIMEOUT_MS

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # 11:00 in Kazakhstan


def quality(orders: int, cancelled: int) -> Quality:
    return Quality(orders, cancelled, NOW - timedelta(days=30), NOW, {"MERCHANT_OUT_OF_STOCK": cancelled})


def cells(panels: DeadlinePanels) -> list[list[str]]:
    table = panels.waiting.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_waiting_orders_are_listed_soonest_first_with_the_time_left(qtbot: Any) -> None:
    panels = DeadlinePanels()
    qtbot.addWidget(panels)
    view = DeadlinesView(waiting=(
        WaitingRow("700000120", "accept", NOW + timedelta(minutes=90), True, False, "Айжан Мукашева", 20200012),
        WaitingRow("700000107", "handover", NOW + timedelta(hours=3), True, False, "Нурлан Касымов", 20200007),
        WaitingRow("700000115", "accept", NOW + timedelta(hours=2, minutes=30), False, True, "Дмитрий Пак", None),
    ))
    panels.set_view(view, NOW, "https://shop.amocrm.ru")
    panels.show()
    assert panels.isVisible() and panels.waiting.isVisible()
    rows = cells(panels)
    assert rows[0] == ["№700000120", "Айжан Мукашева", "Принять", "07.12 12:30", "1 ч 30 мин"]
    assert rows[1][2] == "Собрать и передать" and rows[1][4] == "3 ч 00 мин"
    assert rows[2][2] == "Принять · Express"
    assert "3" in panels.waiting.title.text()
    assert panels.waiting.property("alarm") is True
    with qtbot.waitSignal(panels.waiting.lead_requested) as opened:
        panels.waiting.table.cellClicked.emit(0, 0)
    assert opened.args == ["https://shop.amocrm.ru/leads/detail/20200012"]


def test_time_left_and_overdue_texts() -> None:
    assert left_text(timedelta(minutes=45)) == "45 мин"
    assert left_text(timedelta(hours=2, minutes=5)) == "2 ч 05 мин"
    assert left_text(timedelta(minutes=-70)) == "просрочен на 1 ч 10 мин"


def test_the_waiting_panel_hides_when_nothing_waits(qtbot: Any) -> None:
    panels = DeadlinePanels()
    qtbot.addWidget(panels)
    panels.show()
    panels.set_view(DeadlinesView(), NOW, None)
    assert not panels.isVisible()
    panels.set_view(DeadlinesView(quality=quality(100, 1)), NOW, None)
    assert panels.isVisible() and panels.quality.isVisible() and not panels.waiting.isVisible()


def test_the_quality_panel_shows_the_rate_against_three_percent_in_colour(qtbot: Any) -> None:
    panels = DeadlinePanels()
    qtbot.addWidget(panels)
    panels.show()
    for (orders, cancelled), status, colour, label in [
        ((100, 1), "ok", "#1A7F37", "в норме"),
        ((76, 2), "warning", "#9A6700", "близко к пределу"),
        ((60, 2), "over", "#C62828", "выше предела"),
    ]:
        panels.set_view(DeadlinesView(quality=quality(orders, cancelled)), NOW, None)
        panel = panels.quality
        assert panel.status.property("status") == status
        assert colour in panel.rate.styleSheet() and colour in panel.status.styleSheet()
        assert label in panel.status.text()
        assert f"{cancelled} из {orders}" in panel.detail.text() and "3%" in panel.detail.text()
    assert panels.quality.rate.text() == "3,3%"  # the Russian decimal comma (English: 3.3%)


def test_the_seeded_shop_shows_its_waiting_orders_and_quality_and_the_tray_warns(
    make_gui: Any, sandbox: Any, qtbot: Any
) -> None:
    controller = make_gui(sandbox=sandbox, run_at_start=True)
    window = controller.window
    qtbot.waitUntil(lambda: window.deadlines.waiting.table.rowCount() == 3, timeout=SYNC_TIMEOUT_MS)
    rows = cells(window.deadlines)
    # soonest first: 1.5 h left to accept, the fresh order's 2.5 h, the courier in 3 h
    assert [row[0] for row in rows] == ["№700000120", "№700000115", "№700000107"], rows
    assert [row[2] for row in rows] == ["Принять", "Принять", "Собрать и передать"]
    assert rows[0][4].startswith("1 ч 2") and rows[2][4].startswith("2 ч 5"), rows
    qtbot.waitUntil(lambda: controller.current_state() == TrayState.WARNING, timeout=SYNC_TIMEOUT_MS)
    assert any("Ждут магазина до срока Kaspi: 2" in line for line in controller.status_lines())
    # the reconcile cycle (queued at start, then every RECONCILE_INTERVAL_MINUTES) reads 30 days' quality
    qtbot.waitUntil(lambda: not window.deadlines.quality.isHidden(), timeout=SYNC_TIMEOUT_MS)
    assert window.deadlines.quality.status.property("status") == "warning"
    assert "2 из 76" in window.deadlines.quality.detail.text()
