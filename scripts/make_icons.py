"""Draw every icon file from app/gui/icon_art.py (run after changing a drawing; commit the output).

    QT_QPA_PLATFORM=offscreen python scripts/make_icons.py

Writes:
  app/gui/resources/icons/tray-<state>.svg and tray-<state>-<16..64>.png   (shipped in the package)
  app/gui/resources/icons/app.svg, app-256.png                            (window icon)
  resources/app.ico   multi-size Windows icon (PNG payloads, written here: no plugin needed)
  resources/app.icns  macOS icon (PNG chunks ic07 128, ic08 256, ic09 512)
  resources/app.png   512 px, for Linux packages
  packaging/linux/kaspi-amo-sync.svg   the Linux bundle's desktop-entry icon (hicolor scalable)
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage  # noqa: E402

from app.gui import icon_art  # noqa: E402
from app.gui.icons import STATE_PNG_SIZES, render_svg  # noqa: E402

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_CHUNKS = (("ic07", 128), ("ic08", 256), ("ic09", 512))


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_container(pngs: list[tuple[int, bytes]]) -> bytes:
    """ICONDIR + one ICONDIRENTRY per image + the PNG payloads (Vista+ reads PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, payload = b"", b""
    for size, data in pngs:
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return header + entries + payload


def icns_container(chunks: list[tuple[str, bytes]]) -> bytes:
    """'icns' + total length, then typed chunks each carrying its own length (big-endian)."""
    body = b"".join(kind.encode("ascii") + struct.pack(">I", len(data) + 8) + data for kind, data in chunks)
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 - QPainter needs it
    icons = ROOT / "app" / "gui" / "resources" / "icons"
    packaging = ROOT / "resources"
    icons.mkdir(parents=True, exist_ok=True)
    packaging.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    for state in icon_art.STATES:
        svg = icon_art.state_svg(state)
        (icons / f"tray-{state}.svg").write_text(svg, encoding="utf-8")
        written.append(icons / f"tray-{state}.svg")
        for size in STATE_PNG_SIZES:
            path = icons / f"tray-{state}-{size}.png"
            path.write_bytes(png_bytes(render_svg(svg, size)))
            written.append(path)

    app_svg = icon_art.app_svg()
    (icons / "app.svg").write_text(app_svg, encoding="utf-8")
    (icons / "app-256.png").write_bytes(png_bytes(render_svg(app_svg, 256)))
    (packaging / "app.png").write_bytes(png_bytes(render_svg(app_svg, 512)))
    (packaging / "app.ico").write_bytes(ico_container([(s, png_bytes(render_svg(app_svg, s))) for s in ICO_SIZES]))
    (packaging / "app.icns").write_bytes(
        icns_container([(kind, png_bytes(render_svg(app_svg, s))) for kind, s in ICNS_CHUNKS])
    )
    linux = ROOT / "packaging" / "linux"
    linux.mkdir(parents=True, exist_ok=True)
    (linux / "kaspi-amo-sync.svg").write_text(app_svg, encoding="utf-8")
    written += [icons / "app.svg", icons / "app-256.png", packaging / "app.png", packaging / "app.ico", packaging / "app.icns",
                linux / "kaspi-amo-sync.svg"]
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
