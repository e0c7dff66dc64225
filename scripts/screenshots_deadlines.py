"""Render the deadline screenshots offscreen from the real app against the seeded sandbox.

    python scripts/screenshots_deadlines.py             # Russian UI
    python scripts/screenshots_deadlines.py --lang en   # file names get _en

deadlines_window.png   the window after the first poll and reconcile: the deadline row above
                       the orders (waiting orders, the cancellation rate)
deadlines_waiting.png  the waiting-orders list alone (time left, what to do, Kaspi's deadline)
deadlines_quality.png  the cancellation-rate panel alone (2 of 76, near the 3 % limit)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from screenshots import close, make, shoot, wait_until  # noqa: E402

from app.gui.app import prepare_application  # noqa: E402
from app.sandbox.server import Sandbox  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", default="ru", choices=("ru", "kk", "en"))
    args = parser.parse_args()
    suffix = "" if args.lang == "ru" else f"_{args.lang}"
    app = prepare_application([])
    with tempfile.TemporaryDirectory() as tmp, Sandbox(amo_options={"rps_limit": None}) as sandbox:
        home = Path(tmp)
        os.chdir(home)
        env = {"KASPI_AMO_HOME": str(home / "shop"), "KASPI_AMO_SECRETS": "file", "UPDATE_FEED_URL": "",
               **sandbox.env()}
        controller = make(app, env, args.lang, home)

        def ready() -> bool:
            snap = controller.snapshot
            return (snap is not None and snap.deadlines is not None and snap.deadlines.quality is not None
                    and len(snap.deadlines.waiting) >= 3 and not controller.running)

        wait_until(app, ready, timeout=60)
        window = controller.window  # its own default size
        window.show()
        window.table.clearSelection()
        controller.refresh_view()
        shoot(app, window, f"deadlines_window{suffix}.png")
        shoot(app, window.deadlines.waiting, f"deadlines_waiting{suffix}.png")
        shoot(app, window.deadlines.quality, f"deadlines_quality{suffix}.png")
        close(app, controller)
    return 0


if __name__ == "__main__":
    sys.exit(main())
