"""Small pieces without an app: prefs, state, notification policy, table model, icons, Qt bug guard."""

from __future__ import annotations

import struct
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QSystemTrayIcon

from app.errors import AmoUnavailable, KaspiAuthError
from app.gui import icon_art
from app.gui.icons import IconSet, icons_dir
from app.gui.models import LINK_ROLE, SORT_ROLE, Column, OrdersFilter, OrdersModel, lead_url
from app.gui.notifications import SyncNotifications, TrayNotifier
from app.gui.prefs import GuiPrefs, PrefsStore
from app.gui.qt_compat import guard_singleton_refcounts
from app.gui.state import TrayState, derive_state
from app.store.base import OrderRecord, SyncState
from app.sync.events import CycleReport, OrderFailure
from app.sync.status import StatusSnapshot

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


# --- prefs ----------------------------------------------------------------------------


def test_prefs_round_trip_and_defaults(tmp_path: Path) -> None:
    store = PrefsStore(tmp_path / "config" / "gui.json")
    assert store.load() == GuiPrefs(language=None, mute_notifications=False, autostart=False)
    store.save(GuiPrefs(language="kk", mute_notifications=True, autostart=True))
    assert store.load() == GuiPrefs(language="kk", mute_notifications=True, autostart=True)
    assert oct(store.path.stat().st_mode & 0o777) == "0o600"


def test_broken_prefs_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "gui.json"
    path.write_text("{not json", encoding="utf-8")
    assert PrefsStore(path).load() == GuiPrefs()
    path.write_text('{"language": "de", "autostart": 1, "token": "x"}', encoding="utf-8")
    assert PrefsStore(path).load() == GuiPrefs(language=None, autostart=True)


# --- state ----------------------------------------------------------------------------


def status(**kw: Any) -> StatusSnapshot:
    base: dict[str, Any] = {"processed_total": 10, "backlog": 0, "pending": 0, "failed": 0, "quarantined": 0, "last_poll_at": None,
                                "last_reconcile_at": None, "last_success_at": None, "heartbeat_at": None, "fail_streak": 0,
                                "last_error": None, "today": {"created": 0, "updated": 0, "failed": 0}}
    base.update(kw)
    return StatusSnapshot(**base)


def report(**kw: Any) -> CycleReport:
    return CycleReport(kind="poll", started_at=NOW, **kw)


def state(**kw: Any) -> TrayState:
    args: dict[str, Any] = {"configured": True, "paused": False, "running": False, "status": status(), "last_report": None,
                                "backlog_threshold": 25}
    args.update(kw)
    return derive_state(**args)


def test_tray_state_rules() -> None:
    assert state() == TrayState.OK
    assert state(configured=False) == TrayState.WARNING
    assert state(paused=True, running=True) == TrayState.PAUSED
    assert state(running=True) == TrayState.SYNCING
    assert state(last_report=report(error=KaspiAuthError("x"))) == TrayState.ERROR
    outage = report(failed=[OrderFailure("1", "amoCRM down")])
    assert state(last_report=outage) == TrayState.ERROR  # nothing got through
    partial = report(failed=[OrderFailure("1", "bad")], created=[("2", 5)])
    assert state(last_report=partial) == TrayState.WARNING
    assert state(status=status(backlog=26, pending=26)) == TrayState.WARNING
    assert state(status=status(backlog=25, pending=25)) == TrayState.OK  # red only *over* the threshold
    assert state(status=status(fail_streak=2)) == TrayState.WARNING  # failed before this session
    assert state(status=status(fail_streak=2), last_report=report()) == TrayState.OK
    assert state(last_report=report(error=KaspiAuthError("x"), skipped_lock=True)) == TrayState.OK


# --- notification policy ----------------------------------------------------------------


def test_notifications_group_deals_say_failures_once_and_recovery() -> None:
    policy = SyncNotifications(language=lambda: "ru")
    one = policy.cycle_finished(report(created=[("700000115", 1)]))
    assert [(n.title, n.body) for n in one] == [("Новая сделка в amoCRM", "Kaspi #700000115")]
    many = policy.cycle_finished(report(created=[(str(700 + i), i) for i in range(12)]))
    assert many[0].title == "Создано 12 сделок" and many[0].body == "Заказы Kaspi #700, #701, #702 и ещё 9"
    down = report(error=AmoUnavailable("amoCRM сейчас недоступен."))
    first = policy.cycle_finished(down)
    assert [(n.title, n.level) for n in first] == [("amoCRM недоступен", "error")]
    assert policy.cycle_finished(down) == []  # the same failure is not repeated every minute
    assert [n.title for n in policy.cycle_finished(report())] == ["Синхронизация восстановлена"]
    assert policy.cycle_finished(report()) == []
    assert policy.cycle_finished(report(created=[("1", 1)], dry_run=True)) == []


def test_desktop_channel_is_thread_safe_and_honours_mute(qtbot: Any) -> None:
    tray = QSystemTrayIcon()
    notifier = TrayNotifier(tray)
    with qtbot.waitSignal(notifier.shown, timeout=5000) as shown:
        threading.Thread(target=notifier.notify, args=("Тревога", "Синхронизация не работает 15 минут", "warning")).start()
    assert shown.args == ["Тревога", "Синхронизация не работает 15 минут", "warning"]
    notifier.mute = True
    with qtbot.waitSignal(notifier.suppressed, timeout=5000):
        notifier.notify("Тревога", "ещё раз", "error")


# --- table model ------------------------------------------------------------------------


def orders() -> list[OrderRecord]:
    return [
        OrderRecord("700000101", SyncState.DONE, kaspi_state="NEW", kaspi_status="APPROVED_BY_BANK",
                    order_created_at=NOW - timedelta(hours=3), total_price=9_990, buyer_name="Айгерим Садыкова",
                    phone_masked="+7 701 *** ** 67", lead_id=501),
        OrderRecord("700000102", SyncState.FAILED, kaspi_state="ARCHIVE", kaspi_status="CANCELLED",
                    order_created_at=NOW - timedelta(hours=1), total_price=129_990, buyer_name="Ерлан Жумабаев",
                    phone_masked="+7 705 *** ** 67", last_error="amoCRM недоступен"),
        OrderRecord("700000103", SyncState.PENDING, kaspi_state="DELIVERY", order_created_at=NOW - timedelta(hours=2),
                    total_price=1_500, buyer_name="Дана Ахметова"),
    ]


def test_model_texts_links_and_sorting(qapp: Any) -> None:
    model = OrdersModel()
    model.set_orders(orders())
    model.set_amo_base_url("https://shop.amocrm.ru")
    assert model.index(0, Column.LEAD).data(LINK_ROLE) == "https://shop.amocrm.ru/leads/detail/501"
    assert model.index(0, Column.LEAD).data() == "№ 501"
    assert model.index(1, Column.LEAD).data(LINK_ROLE) is None
    assert model.index(1, Column.KASPI).data() == "Отменён"  # the status says more than "Архив"
    assert model.index(1, Column.SYNC).data(Qt.ItemDataRole.ToolTipRole) == "amoCRM недоступен"
    assert model.index(2, Column.PHONE).data() == "нет телефона"
    proxy = OrdersFilter()
    proxy.setSourceModel(model)
    proxy.sort(Column.TOTAL, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, Column.TOTAL).data(SORT_ROLE) for r in range(3)] == [1_500, 9_990, 129_990]
    proxy.sort(Column.DATE, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, Column.CODE).data() for r in range(3)] == ["700000102", "700000103", "700000101"]
    assert lead_url(None, 5) is None and lead_url("https://a.kommo.com/", 5) == "https://a.kommo.com/leads/detail/5"


def test_filter_by_text_digits_and_state(qapp: Any) -> None:
    model = OrdersModel()
    model.set_orders(orders())
    proxy = OrdersFilter()
    proxy.setSourceModel(model)
    proxy.set_text("айгерим")
    assert proxy.rowCount() == 1
    proxy.set_text("129990")  # finds "129 990 ₸"
    assert proxy.rowCount() == 1 and proxy.index(0, Column.CODE).data() == "700000102"
    proxy.set_text("")
    proxy.set_scope(OrdersFilter.PROBLEMS)
    assert proxy.rowCount() == 1
    proxy.set_scope(OrdersFilter.PENDING)
    assert proxy.rowCount() == 1 and proxy.index(0, Column.CODE).data() == "700000103"


# --- icons ------------------------------------------------------------------------------


def test_every_state_has_svg_and_png_icons(qapp: Any) -> None:
    icons = IconSet()
    for name in icon_art.STATES:
        assert (icons_dir() / f"tray-{name}.svg").exists()
        for size in (16, 32, 64):
            image = QImage(str(icons_dir() / f"tray-{name}-{size}.png"))
            assert (image.width(), image.height()) == (size, size)
        assert not icons.state(name).isNull()
    assert not icons.app.isNull()


def test_icons_are_drawn_when_the_files_are_missing(qapp: Any, tmp_path: Path) -> None:
    icons = IconSet(tmp_path)  # an empty folder, as in a frozen build that lost its data
    assert all(not icons.state(name).pixmap(16, 16).isNull() for name in icon_art.STATES)


def test_ico_container_holds_png_sizes_up_to_256() -> None:
    data = (ROOT / "resources" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1) and count >= 5
    sizes = []
    for index in range(count):
        width, _h, _c, _r, _planes, _bits, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert QImage.fromData(QByteArray(data[offset:offset + length])).width() == (width or 256)
        sizes.append(width or 256)
    assert {16, 32, 48, 256} <= set(sizes)


def test_icns_container_holds_ic07_ic08_ic09(qapp: Any) -> None:
    data = (ROOT / "resources" / "app.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    chunks, offset = {}, 8
    while offset < len(data):
        kind, length = data[offset:offset + 4].decode(), struct.unpack_from(">I", data, offset + 4)[0]
        chunks[kind] = QImage.fromData(QByteArray(data[offset + 8:offset + length])).width()
        offset += length
    assert chunks == {"ic07": 128, "ic08": 256, "ic09": 512}


# --- PySide6 6.12.0 refcount guard -----------------------------------------------------


class _Emitter(QObject):
    ping = Signal()


def test_many_calls_do_not_exhaust_none_and_the_bools(qapp: Any) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void call and to a bool
    per emit; unguarded, this loop aborts the interpreter (see app.gui.qt_compat)."""
    guard_singleton_refcounts()
    emitter, label = _Emitter(), QLabel()
    singletons = (None, True, False)
    before = [sys.getrefcount(s) for s in singletons]
    for _ in range(100_000):
        emitter.ping.emit()
        label.setText("x")
    after = [sys.getrefcount(s) for s in singletons]
    # sound or guarded: the counts stay put (a leaky binding would lose 100,000 each)
    assert all(a > b - 1_000 for a, b in zip(after, before, strict=True)), (before, after)
    QCoreApplication.processEvents()


def test_model_updates_rows_in_place(qapp: Any, qtbot: Any) -> None:
    """New orders on top, the oldest falling off, a changed state: inserts, removals and
    one changed row, never a reset (a reset redoes the whole table and its sorting)."""
    model = OrdersModel()
    first = orders()
    model.set_orders(first)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    newer = OrderRecord("700000104", SyncState.PENDING, order_created_at=NOW, total_price=10, buyer_name="Жаңа")
    fixed = OrderRecord(**{**first[1].__dict__, "sync_state": SyncState.DONE, "lead_id": 502, "last_error": None})
    with qtbot.waitSignals([model.rowsInserted, model.rowsRemoved, model.dataChanged], timeout=1000):
        assert model.set_orders([newer, first[0], fixed])
    assert resets == []
    assert [model.record(r).code for r in range(model.rowCount())] == ["700000104", "700000101", "700000102"]
    assert model.index(2, Column.SYNC).data() == "В amoCRM" and model.index(0, Column.SYNC).data() == "Ожидает"
    assert model.row_texts(2)[Column.LEAD] == "№ 502"
    assert not model.set_orders([newer, first[0], fixed])  # unchanged: nothing to do
    model.set_orders([first[2], first[0]])  # reordered: a reset is the honest answer
    assert resets == [1] and model.rowCount() == 2
