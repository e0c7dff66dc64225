"""Tray and window icons, from the committed files (svg + png sizes) or drawn at run time.

Frozen builds sometimes lose data files (PyInstaller issues #4203, #3327): then the same
drawings (icon_art) are rendered in memory, so the tray never shows an empty square.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.gui import icon_art

STATE_PNG_SIZES = (16, 24, 32, 48, 64)


def icons_dir() -> Path:
    return Path(__file__).resolve().parent / "resources" / "icons"


def render_svg(svg: str, size: int) -> QImage:
    """An SVG drawing as a transparent square image (also used by scripts/make_icons.py)."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def _icon_from_files(stem: str, directory: Path, sizes: tuple[int, ...]) -> QIcon | None:
    icon = QIcon()
    for size in sizes:
        png = directory / f"{stem}-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    svg = directory / f"{stem}.svg"
    if svg.exists():
        icon.addFile(str(svg))
    return None if icon.isNull() else icon


def _icon_from_art(svg: str, sizes: tuple[int, ...]) -> QIcon:
    icon = QIcon()
    for size in sizes:
        icon.addPixmap(QPixmap.fromImage(render_svg(svg, size)))
    return icon


class IconSet:
    """Icons per tray state plus the app icon; built once in run_gui and passed around."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or icons_dir()
        self._states: dict[str, QIcon] = {}
        for state in icon_art.STATES:
            self._states[state] = _icon_from_files(f"tray-{state}", self.directory, STATE_PNG_SIZES) or _icon_from_art(
                icon_art.state_svg(state), STATE_PNG_SIZES
            )
        self.app = _icon_from_files("app", self.directory, (256,)) or _icon_from_art(icon_art.app_svg(), (16, 32, 64, 256))

    def state(self, state: str) -> QIcon:
        return self._states[str(state)]
