"""The main window: status header, today's counts, backlog, last error, recent orders.

A view only: it shows what the controller hands it and emits signals for clicks. It
never reads the store or calls the engine. Static texts live in `retranslate()` so a
language switch (QEvent.LanguageChange) re-labels everything in place.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import APP_DISPLAY_NAME, __version__
from app.gui import texts
from app.gui.icons import IconSet
from app.gui.menus import WindowMenus
from app.gui.models import LINK_ROLE, Column, OrdersFilter, OrdersModel
from app.gui.panels.alert_channels import AlertChannelsPanel
from app.gui.panels.deadlines import DeadlinePanels
from app.gui.panels.kaspi_actions import KaspiActionsPanel
from app.gui.panels.update_banner import UpdateBanner
from app.gui.state import ConfigProblem, Snapshot, TrayState, over_threshold
from app.gui.table_fit import ColumnFitter
from app.gui.widgets import read_only_rows, set_style_flag, show_pause, wrapped_label

STYLE = """
QFrame#header { background: #F4F7FB; border: 1px solid #DCE3EC; border-radius: 10px; }
QLabel#headline { font-size: 16pt; font-weight: 600; color: #1F2A37; }
QLabel#detail { color: #5B6675; }
QLabel#today { color: #33415C; }
QLabel#today[failing="true"] { color: #B3261E; }
QLabel#backlog { border-radius: 10px; padding: 3px 10px; background: #EEF2F7; color: #33415C; }
QLabel#backlog[alarm="true"] { background: #D93A32; color: white; font-weight: 600; }
QFrame#errorBanner { background: #FDECEA; border: 1px solid #F3C1BD; border-radius: 8px; }
QLabel#errorText { color: #7F1D16; }
QFrame#infoBanner { background: #FFF7E0; border: 1px solid #F1D48A; border-radius: 8px; }
QLabel#infoText { color: #5C4400; }
QPushButton#primary { background: #1E7FD8; color: white; border: none; border-radius: 6px; padding: 6px 14px; }
QPushButton#primary:disabled { background: #9CC3EA; }
QPushButton#primary:hover { background: #1A6FBE; }
QLabel#setupTitle { font-size: 18pt; font-weight: 600; color: #1F2A37; }
QLabel#emptyText { color: #6B7685; font-size: 11pt; }
QTableView { gridline-color: #E6EAF0; selection-background-color: #D7E8FA; selection-color: #1F2A37; }
QTableView::item { padding: 0 8px 0 6px; }
QHeaderView::section { padding: 4px 8px 4px 6px; font-weight: 600; }
QFrame#setupCard { background: #FFFFFF; border: 1px solid #DCE3EC; border-radius: 12px; }
QLabel#setup_list, QLabel#setupIntro { font-size: 11pt; }
QLabel#setup_where { color: #5B6675; }
"""



class MainWindow(QMainWindow):
    sync_now_requested = Signal()
    pause_toggled = Signal()
    retry_failed_requested = Signal()
    settings_requested = Signal()
    recheck_requested = Signal()
    log_folder_requested = Signal()
    quit_requested = Signal()
    link_activated = Signal(str)
    hidden_to_tray = Signal()
    language_chosen = Signal(object)  # "ru" / "kk" / "en", or None for the system's
    update_check_requested = Signal()
    auto_updates_toggled = Signal(bool)

    def __init__(self, icons: IconSet, *, hide_on_close: Callable[[], bool] = lambda: True) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.icons = icons
        self.hide_on_close = hide_on_close
        self.allow_close = False
        self.backlog_threshold = 25
        self.setWindowIcon(icons.app)
        self.setStyleSheet(STYLE)
        self.resize(1240, 680)
        self.setMinimumSize(QSize(780, 480))

        self.model = OrdersModel(self)
        self.proxy = OrdersFilter(self)
        self.proxy.setSourceModel(self.model)
        self.pages = QStackedWidget()
        self.main_page = self._build_main_page()
        self.setup_page = self._build_setup_page()
        self.pages.addWidget(self.main_page)
        self.pages.addWidget(self.setup_page)
        self.setCentralWidget(self.pages)
        self._paused = False
        self.menus = WindowMenus(self, self.menuBar())
        self.status_account = QLabel(objectName="status_account")
        self.status_total = QLabel()
        self.statusBar().addWidget(self.status_account, 1)
        self.statusBar().addPermanentWidget(self.status_total)
        self._problem: ConfigProblem | None = None
        self._account: str | None = None
        self._account_check: str = ""
        self._today: dict[str, object] = {}
        self._fail_streak = 0
        self.update_banner = UpdateBanner()
        self.update_banner.open_requested.connect(self.link_activated)
        self.add_panel(self.update_banner)
        self.alert_channels = AlertChannelsPanel()
        self.add_panel(self.alert_channels)
        self.retranslate()

    # --- construction ------------------------------------------------------------------

    def _build_main_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(14, 12, 14, 8)
        layout.setSpacing(10)

        header = QFrame(objectName="header")
        row = QHBoxLayout(header)
        row.setContentsMargins(14, 12, 14, 12)
        self.state_icon = QLabel()
        self.state_icon.setFixedSize(44, 44)
        row.addWidget(self.state_icon)
        texts_box = QVBoxLayout()
        texts_box.setSpacing(2)
        self.headline = QLabel(objectName="headline")
        self.detail = wrapped_label("detail")
        texts_box.addWidget(self.headline)
        texts_box.addWidget(self.detail)
        row.addLayout(texts_box, 1)
        self.sync_button = QPushButton(objectName="primary")
        self.sync_button.setIcon(self.icons.state(TrayState.SYNCING))
        self.sync_button.clicked.connect(self.sync_now_requested)
        self.pause_button = QPushButton(objectName="pause_button")
        self.pause_button.clicked.connect(self.pause_toggled)
        row.addWidget(self.sync_button)
        row.addWidget(self.pause_button)
        layout.addWidget(header)

        stats = QHBoxLayout()
        self.today = QLabel(objectName="today")
        stats.addWidget(self.today, 1)
        self.backlog = QLabel(objectName="backlog")
        self.backlog.setProperty("alarm", False)
        self.retry_button = QPushButton(objectName="retry_button")
        self.retry_button.clicked.connect(self.retry_failed_requested)
        stats.addWidget(self.backlog)
        stats.addWidget(self.retry_button)
        layout.addLayout(stats)

        self.error_banner = QFrame(objectName="errorBanner")
        banner = QHBoxLayout(self.error_banner)
        banner.setContentsMargins(12, 8, 12, 8)
        self.error_text = wrapped_label("errorText", selectable=True)
        banner.addWidget(self.error_text)
        self.error_banner.hide()
        layout.addWidget(self.error_banner)

        self.info_banner = QFrame(objectName="infoBanner")
        info = QHBoxLayout(self.info_banner)
        info.setContentsMargins(12, 6, 12, 6)
        self.info_text = wrapped_label("infoText")
        info.addWidget(self.info_text)
        self.info_banner.hide()
        layout.addWidget(self.info_banner)
        self.panels = QVBoxLayout()  # add_panel: two-way actions, alert channels, updates, and what comes later
        self.panels.setSpacing(8)
        layout.addLayout(self.panels)
        self.kaspi_actions = KaspiActionsPanel()
        self.panels.addWidget(self.kaspi_actions)
        self.deadlines = DeadlinePanels()  # orders waiting before Kaspi's clocks run out, seller quality
        self.deadlines.waiting.lead_requested.connect(self.link_activated)
        self.panels.addWidget(self.deadlines)

        filters = QHBoxLayout()
        self.search = QLineEdit(objectName="search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.scope = QComboBox(objectName="scope")
        self.scope.currentIndexChanged.connect(self._filter_changed)
        self.shown_count = QLabel(objectName="shown_count")
        filters.addWidget(self.search, 2)
        filters.addWidget(self.scope)
        filters.addStretch(1)
        filters.addWidget(self.shown_count)
        layout.addLayout(filters)

        self.table = QTableView(objectName="orders_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        read_only_rows(self.table, 28)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setMouseTracking(True)
        self.table.clicked.connect(self._cell_clicked)
        self.table.activated.connect(self._cell_clicked)
        self.table.entered.connect(self._cell_hovered)
        head = self.table.horizontalHeader()
        head.setHighlightSections(False)
        head.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(Column.BUYER, QHeaderView.ResizeMode.Stretch)
        head.setMinimumSectionSize(60)
        self.columns = ColumnFitter(self.table)

        self.empty_text = wrapped_label("emptyText")
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.empty_text)
        layout.addWidget(self.table_stack, 1)
        return page

    def _build_setup_page(self) -> QWidget:
        page = QWidget(objectName="setup_page")
        outer = QVBoxLayout(page)
        outer.setContentsMargins(40, 32, 40, 32)
        card = QFrame(objectName="setupCard")
        row = QHBoxLayout(card)
        row.setContentsMargins(28, 24, 28, 24)
        row.setSpacing(20)
        icon = QLabel()
        icon.setPixmap(self.icons.state(TrayState.WARNING).pixmap(56, 56))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(icon)
        body = QVBoxLayout()
        body.setSpacing(10)
        self.setup_title = QLabel(objectName="setupTitle")
        self.setup_intro = wrapped_label("setupIntro")
        self.setup_list = wrapped_label("setup_list", rich=True)
        self.setup_where = wrapped_label("setup_where", selectable=True)
        buttons = QHBoxLayout()
        self.setup_settings_button = QPushButton(objectName="primary")
        self.setup_settings_button.clicked.connect(self.settings_requested)
        self.setup_recheck_button = QPushButton(objectName="recheck_button")
        self.setup_recheck_button.clicked.connect(self.recheck_requested)
        buttons.addWidget(self.setup_settings_button)
        buttons.addWidget(self.setup_recheck_button)
        buttons.addStretch(1)
        for widget in (self.setup_title, self.setup_intro, self.setup_list, self.setup_where):
            body.addWidget(widget)
        body.addSpacing(6)
        body.addLayout(buttons)
        row.addLayout(body, 1)
        outer.addWidget(card)
        outer.addStretch(1)
        return page

    # --- texts -------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.menus.retranslate()
        self.sync_button.setText(QCoreApplication.translate("Window", "Синхронизировать сейчас"))
        self.retry_button.setText(QCoreApplication.translate("Window", "Повторить неудачные"))
        self.retry_button.setToolTip(
            QCoreApplication.translate("Window", "Запустить опрос сейчас: заказы с ошибкой пробуются снова при каждом опросе.")
        )
        self.search.setPlaceholderText(QCoreApplication.translate("Window", "Поиск: номер заказа, покупатель, телефон…"))
        current = max(self.scope.currentIndex(), 0)
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(QCoreApplication.translate("Window", "Все заказы"), OrdersFilter.ALL)
        self.scope.addItem(QCoreApplication.translate("Window", "С ошибками"), OrdersFilter.PROBLEMS)
        self.scope.addItem(QCoreApplication.translate("Window", "Ожидают передачи"), OrdersFilter.PENDING)
        self.scope.setCurrentIndex(current)
        self.scope.blockSignals(False)
        self.empty_text.setText(
            QCoreApplication.translate(
                "Window", "Заказов пока нет.\nНовые заказы Kaspi появятся здесь в течение минуты после оформления."
            )
        )
        self.setup_title.setText(QCoreApplication.translate("Window", "Нужно завершить настройку"))
        self.setup_settings_button.setText(QCoreApplication.translate("Window", "Открыть настройки…"))
        self.setup_recheck_button.setText(QCoreApplication.translate("Window", "Проверить снова"))
        self.set_paused(self._paused)
        self.model.retranslate()
        self.columns.measure()
        self._update_count()
        self._show_today()
        self._show_account()
        for panel in self.panel_widgets():
            retranslate = getattr(panel, "retranslate", None)
            if callable(retranslate):
                retranslate()
        if self._problem is not None:
            self.show_setup(self._problem)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- what the controller sets ------------------------------------------------------

    def set_header(self, state: TrayState, headline: str, detail: str) -> None:
        self.state_icon.setPixmap(self.icons.state(state).pixmap(44, 44))
        self.headline.setText(headline)
        self.detail.setText(detail)

    @property
    def paused(self) -> bool:
        return self._paused

    def set_paused(self, paused: bool) -> None:
        """The button says and shows what a click does: «Возобновить» ▶ or «Пауза» ❚❚."""
        self._paused = paused
        show_pause(self.pause_button, self.style(), paused,
                   resume=QCoreApplication.translate("Window", "Возобновить"),
                   pause=QCoreApplication.translate("Window", "Пауза"))
        self.menus.set_paused(paused)

    def set_sync_enabled(self, enabled: bool) -> None:
        for widget in (self.sync_button, self.pause_button, self.menus.sync, self.menus.pause, self.menus.retry):
            widget.setEnabled(enabled)

    def set_account(self, amo_base_url: str | None, check: str = "") -> None:
        """The status bar's amoCRM line: the account and the last word on our access."""
        if amo_base_url != self._account:
            self.model.set_amo_base_url(amo_base_url)
        self._account, self._account_check = amo_base_url, check
        self._show_account()

    def _show_account(self) -> None:
        if not self._account:
            self.status_account.setText("")
            return
        text = texts.arg(QCoreApplication.translate("Window", "amoCRM: %1"), self._account)
        self.status_account.setText(f"{text} · {self._account_check}" if self._account_check else text)

    def add_panel(self, panel: QWidget) -> None:
        """Stack a self-contained panel under the banners (it shows and hides itself)."""
        self.panels.addWidget(panel)

    def panel_widgets(self) -> list[QWidget]:
        items = (self.panels.itemAt(i) for i in range(self.panels.count()))
        return [w for w in (item.widget() for item in items if item is not None) if w is not None]

    def show_about(self) -> None:
        QMessageBox.about(self, APP_DISPLAY_NAME, texts.arg(QCoreApplication.translate(
            "Window", "%1, версия %2.\nЗаказы Kaspi.kz становятся сделками amoCRM."), APP_DISPLAY_NAME, __version__))

    def set_snapshot(self, snapshot: Snapshot, backlog_threshold: int) -> None:
        self.backlog_threshold = backlog_threshold
        status = snapshot.status
        self.model.set_orders(snapshot.orders)
        self.deadlines.set_view(snapshot.deadlines, snapshot.read_at, self.model.amo_base_url)
        self.table_stack.setCurrentWidget(self.table if snapshot.orders else self.empty_text)
        self._today, self._fail_streak = dict(status.today), status.fail_streak
        self._show_today()
        self.set_backlog(status.backlog, status.pending, status.failed)
        self.kaspi_actions.set_actions(status.kaspi_actions, snapshot.kaspi_actions)
        self.status_total.setText(
            QCoreApplication.translate("Window", "Передано в amoCRM: %n заказов", None, status.processed_total)
        )
        self._update_count()

    def _show_today(self) -> None:
        """Today's counts; while whole cycles fail, that and not «0 errors» (issue 17)."""
        today = self._today
        text = texts.arg(
            QCoreApplication.translate("Window", "Сегодня: создано %1 · обновлено %2 · заказов с ошибкой %3"),
            today.get("created", 0), today.get("updated", 0), today.get("failed", 0))
        if self._fail_streak:
            text += " · " + QCoreApplication.translate(
                "Window", "синхронизация не удалась %n раз подряд", None, self._fail_streak)
        self.today.setText(text)
        set_style_flag(self.today, "failing", bool(self._fail_streak))

    def set_backlog(self, backlog: int, pending: int, failed: int) -> None:
        alarm = over_threshold(backlog, self.backlog_threshold)
        if backlog:
            text = texts.arg(
                QCoreApplication.translate("Window", "Очередь: %1 (ожидают %2, с ошибкой %3)"), backlog, pending, failed
            )
        else:
            text = QCoreApplication.translate("Window", "Очередь пуста")
        self.backlog.setText(text)
        self.backlog.setToolTip(
            texts.arg(
                QCoreApplication.translate("Window", "Красным, когда в очереди больше %1 заказов."), self.backlog_threshold
            )
        )
        set_style_flag(self.backlog, "alarm", alarm)
        self.retry_button.setEnabled(failed > 0)

    @property
    def backlog_alarm(self) -> bool:
        return bool(self.backlog.property("alarm"))

    def set_error(self, title: str | None, message: str | None = None) -> None:
        if not title and not message:
            self.error_banner.hide()
            self.error_text.clear()
            return
        parts = [f"<b>{html.escape(title)}</b>" if title else "", html.escape(message or "")]
        self.error_text.setText("<br>".join(p for p in parts if p))
        self.error_banner.show()

    def set_info(self, lines: Sequence[str]) -> None:
        self.info_text.setText("\n".join(lines))
        self.info_banner.setVisible(bool(lines))

    def show_setup(self, problem: ConfigProblem) -> None:
        self._problem = problem
        if problem.missing:
            self.setup_intro.setText(
                QCoreApplication.translate("Window", "Чтобы начать передавать заказы Kaspi в amoCRM, не хватает:")
            )
            items = []
            for name in problem.missing:
                title, hint = texts.missing_item(name)
                items.append(f"<li style='margin-bottom:6px'><b>{html.escape(title)}</b>"
                             + (f" — {html.escape(hint)}" if hint else "") + "</li>")
            self.setup_list.setText("<ul style='margin-left:-20px'>" + "".join(items) + "</ul>")
        else:
            self.setup_intro.setText(QCoreApplication.translate("Window", "Настройки не удалось прочитать:"))
            self.setup_list.setText(f"<p>{html.escape(problem.message or '')}</p>")
        self.setup_where.setText(
            texts.arg(
                QCoreApplication.translate(
                    "Window",
                    "Нажмите «Открыть настройки…»: мастер проведёт по шагам. Администратор может задать настройки "
                    "в файле %1 или в файле .env рядом с программой и нажать «Проверить снова».",
                ),
                problem.settings_file,
            )
        )
        self.pages.setCurrentWidget(self.setup_page)

    def show_main(self) -> None:
        self._problem = None
        self.pages.setCurrentWidget(self.main_page)

    @property
    def showing_setup(self) -> bool:
        return self.pages.currentWidget() is self.setup_page

    def bring_forward(self) -> None:
        """Show, un-minimise and raise (a second start, a tray click, a balloon click)."""
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.show()
        self.raise_()
        self.activateWindow()

    # --- events ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        if self.allow_close:
            event.accept()
            return
        event.ignore()
        if self.hide_on_close():
            self.hide()
            self.hidden_to_tray.emit()
        else:  # no tray to come back from: keep syncing, just get out of the way
            self.showMinimized()

    def _filter_changed(self) -> None:
        self.proxy.set_text(self.search.text())
        self.proxy.set_scope(self.scope.currentData() or OrdersFilter.ALL)
        self._update_count()

    def _update_count(self) -> None:
        self.shown_count.setText(
            texts.arg(QCoreApplication.translate("Window", "Показано %1 из %2"), self.proxy.rowCount(),
                      self.model.rowCount())
        )

    def _cell_clicked(self, index: QModelIndex) -> None:
        url = index.data(LINK_ROLE)
        if url:
            self.link_activated.emit(url)

    def _cell_hovered(self, index: QModelIndex) -> None:
        link = bool(index.data(LINK_ROLE))
        self.table.viewport().setCursor(
            QCursor(Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.ArrowCursor)
        )
